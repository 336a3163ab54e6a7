//! External mode: the exchange's questionnaire in a new tab, then a declared score (self-declared in the
//! application, checked by the exchange), judged by the same rule as on the server: the configured pass mark.

use crate::components::error_summary::ErrorSummary;
use crate::components::field::{described_by, CheckboxField, Field};
use crate::config::use_config;
use crate::draft::{use_draft, QuizPass};
use crate::form::place::dom_id;
use crate::form::Form;
use crate::i18n::*;
use crate::routes::Page;
use domain::api::{QuizAnswer, QuizMode};
use domain::application::{check_quiz, fields, QuizRules};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The investor's confirmation of the score: on the page, not in the application.
const CONFIRM: &str = "quiz.declared_confirm";

#[component]
pub fn ExternalQuiz() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let draft = use_draft();
    let navigate = use_navigate();
    let pass_mark = config.quiz.pass_mark;
    let rules = QuizRules::of(&config.quiz);
    let external_url = config.quiz.external_url.clone();
    let score = RwSignal::new(String::new());
    let confirmed = RwSignal::new(false);
    let declared = move || QuizAnswer {
        mode: QuizMode::SelfDeclared,
        attempt_id: None,
        declared_score: score.with(|s| s.trim().parse::<u32>().ok()),
    };

    let order = vec![fields::QUIZ_DECLARED_SCORE.to_string(), CONFIRM.to_string()];
    let form = Form::new(Page::Quiz, order, move |messages| {
        let mut problems = messages.of(check_quiz(&declared(), &rules));
        if !confirmed.get() {
            let missing = t_string!(i18n, quiz.declared_confirm_missing).to_string();
            problems.push((CONFIRM.to_string(), missing));
        }
        problems
    });
    let score_error = form.shown_after_sending(fields::QUIZ_DECLARED_SCORE.into());
    let confirm_error = form.shown_after_sending(CONFIRM.into());

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.send() {
            let score = declared().declared_score.unwrap_or_default();
            draft.update(|d| {
                d.quiz_pass = Some(QuizPass {
                    mode: QuizMode::SelfDeclared,
                    attempt_id: None,
                    score,
                });
            });
            navigate(Page::Consent.path(), Default::default());
        }
    };

    let score_id = dom_id(fields::QUIZ_DECLARED_SCORE);
    view! {
        <section class="quiz quiz-external">
            <ErrorSummary errors=form.summary() attempt=form.attempt() />
            <h1>{t!(i18n, quiz.external_title)}</h1>
            <p>{t!(i18n, quiz.external_body)}</p>
            <p>
                <a class="button button-secondary" href=external_url target="_blank" rel="noopener noreferrer">
                    {t!(i18n, quiz.external_link)}
                    <span class="visually-hidden">{t!(i18n, common.opens_in_new_tab)}</span>
                </a>
            </p>
            <form on:submit=on_submit novalidate>
                <Field
                    id=score_id.clone()
                    label=move || t_string!(i18n, quiz.declared_score_label).to_string()
                    hint=move || t_string!(i18n, quiz.declared_score_hint, pass_mark).to_string()
                    error=score_error
                >
                    <input
                        id=score_id.clone()
                        class="input input-short"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        aria-describedby=described_by(&score_id)
                        aria-invalid=move || score_error.with(Option::is_some).to_string()
                        prop:value=move || score.get()
                        on:input:target=move |ev| score.set(ev.target().value())
                    />
                </Field>
                <CheckboxField
                    id=dom_id(CONFIRM)
                    label=move || t_string!(i18n, quiz.declared_confirm).to_string()
                    checked=confirmed
                    on_change=move |on| confirmed.set(on)
                    error=confirm_error
                />
                <div class="actions">
                    <button type="submit" class="button button-primary">{t!(i18n, common.proceed)}</button>
                </div>
            </form>
        </section>
    }
}
