//! Keeps the steps after the market-entry test closed until the investor passed it. A deep link into a later
//! step goes back to the test notice; the draft is kept.

use crate::draft::use_draft;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// Address of the test notice a closed step sends the investor to.
pub const GATE_PATH: &str = "/personal?gate=required";

#[component]
pub fn QuizGate(children: ChildrenFn) -> impl IntoView {
    let draft = use_draft();
    move || {
        if draft.draft.with(|d| d.quiz_pass.is_some()) {
            children().into_any()
        } else {
            view! { <Redirect path=GATE_PATH /> }.into_any()
        }
    }
}
