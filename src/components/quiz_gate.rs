//! Keeps the steps of the application closed until the investor passed the market-entry test (and, for the
//! steps that collect ID numbers and images, gave the sensitive-data consent). A deep link into a closed step
//! goes back to where the investor has to start; the draft is kept.

use crate::draft::use_draft;
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn QuizGate(
    /// The step collects sensitive personal information, so it also needs the consent.
    #[prop(optional)]
    needs_consent: bool,
    children: Children,
) -> impl IntoView {
    let draft = use_draft();
    // The gate is judged when the step opens. Later changes of the draft (a page writing to it, the draft
    // cleared after the submission) neither re-render the step, which keeps its local state, nor redirect.
    let (passed, consented) = draft
        .draft
        .with_untracked(|d| (d.quiz_pass.is_some(), d.consent.is_some()));
    if !passed {
        view! { <Redirect path=Page::QuizNotice.with_query("gate=required") /> }.into_any()
    } else if needs_consent && !consented {
        view! { <Redirect path=Page::Consent.path() /> }.into_any()
    } else {
        children().into_any()
    }
}
