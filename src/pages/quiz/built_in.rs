//! The built-in quiz: every question on one scrollable page with progress, answers kept in the draft, scored
//! by the backend (`POST /quiz/attempts`).

use super::load_quiz;
use crate::api::{Api, ApiError};
use crate::components::error_summary::{ErrorItem, ErrorSummary};
use crate::config::use_config;
use crate::draft::{use_draft, QuizPass};
use crate::i18n::*;
use crate::messages::api_error_message;
use crate::routes::Page;
use domain::api::{QuizAttemptRequest, QuizAttemptResult, QuizMode};
use domain::quiz::{QuestionKind, Quiz, QuizQuestion};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::collections::BTreeMap;

#[component]
pub fn BuiltInQuiz() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let url = config.quiz.questions_url.clone();
    let quiz = LocalResource::new(move || load_quiz(url.clone()));
    view! {
        <section class="quiz">
            <h1>{t!(i18n, quiz.title)}</h1>
            <Suspense fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading)}</p> }>
                {move || {
                    quiz.get()
                        .map(|loaded| match loaded {
                            Ok(quiz) => view! { <QuizForm quiz=quiz /> }.into_any(),
                            Err(detail) => {
                                view! {
                                    <div class="form-error" role="alert">
                                        <p>{t!(i18n, quiz.load_failed)}</p>
                                        <pre class="config-error-detail">{detail}</pre>
                                        <button
                                            type="button"
                                            class="button button-primary"
                                            on:click=move |_| quiz.refetch()
                                        >
                                            {t!(i18n, common.retry)}
                                        </button>
                                    </div>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </section>
    }
}

fn first_option_id(question: &QuizQuestion) -> String {
    question
        .options
        .first()
        .map(|o| option_input_id(&question.id, &o.id))
        .unwrap_or_default()
}

fn option_input_id(question: &str, option: &str) -> String {
    format!("quiz-{question}-{option}")
}

#[component]
fn QuizForm(quiz: Quiz) -> impl IntoView {
    let i18n = use_i18n();
    let draft = use_draft();
    let config = use_config();
    let navigate = use_navigate();
    let api = Api::new(&config.api_base_url);
    let quiz = StoredValue::new(quiz);
    let total = quiz.with_value(|q| q.questions.len());

    let answered = move || {
        draft.draft.with(|d| {
            quiz.with_value(|q| {
                q.questions
                    .iter()
                    .filter(|question| {
                        d.quiz_answers
                            .get(&question.id)
                            .is_some_and(|a| !a.is_empty())
                    })
                    .count()
            })
        })
    };
    let attempt = RwSignal::new(0u32);
    let unanswered = move || {
        draft.draft.with(|d| {
            quiz.with_value(|q| {
                q.questions
                    .iter()
                    .enumerate()
                    .filter(|(_, question)| {
                        d.quiz_answers.get(&question.id).is_none_or(Vec::is_empty)
                    })
                    .map(|(index, question)| (index + 1, first_option_id(question)))
                    .collect::<Vec<_>>()
            })
        })
    };
    let errors = Signal::derive(move || {
        if attempt.get() == 0 {
            return Vec::new();
        }
        unanswered()
            .into_iter()
            .map(|(number, target_id)| ErrorItem {
                target_id,
                message: t_string!(i18n, quiz.unanswered, number).to_string(),
            })
            .collect()
    });

    let submit = Action::new_local(move |answers: &BTreeMap<String, Vec<String>>| {
        let request = QuizAttemptRequest {
            answers: answers.clone(),
        };
        let api = api.clone();
        async move { Api::send_json::<_, QuizAttemptResult>(api.post("/quiz/attempts"), &request).await }
    });
    let failure = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        let Some(outcome) = submit.value().get() else {
            return;
        };
        match outcome {
            Ok(result) => {
                failure.set(None);
                draft.update(|d| {
                    d.quiz_pass = result.passed.then(|| QuizPass {
                        mode: QuizMode::BuiltIn,
                        attempt_id: Some(result.attempt_id.clone()),
                        score: result.score,
                    });
                    d.quiz_result = Some(result);
                });
                navigate(Page::QuizResult.path(), Default::default());
            }
            Err(error) => failure.set(Some(error)),
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if submit.pending().get_untracked() {
            return;
        }
        attempt.update(|n| *n += 1);
        if unanswered().is_empty() {
            submit.dispatch(draft.draft.with_untracked(|d| d.quiz_answers.clone()));
        }
    };

    let notice = quiz.with_value(|q| q.notice.clone());
    view! {
        <ErrorSummary errors=errors attempt=attempt />
        {notice
            .map(|notice| {
                view! {
                    <p class="notice-banner">{move || notice.get(i18n.get_locale().as_str()).to_string()}</p>
                }
            })}
        <p class="quiz-progress" aria-live="polite">
            {move || {
                let answered = answered();
                t_string!(i18n, quiz.progress, answered, total).to_string()
            }}
        </p>
        <progress class="quiz-progress-bar" max=total value=answered aria-hidden="true"></progress>
        <form class="quiz-form" on:submit=on_submit novalidate>
            {quiz
                .with_value(|q| q.questions.clone())
                .into_iter()
                .enumerate()
                .map(|(index, question)| view! { <QuizQuestionField number=index + 1 question=question /> })
                .collect_view()}
            <Show when=move || failure.with(Option::is_some)>
                <p class="form-error" role="alert">
                    {move || failure.get().map(|e| api_error_message(i18n, &e))}
                </p>
            </Show>
            <div class="actions">
                <button type="submit" class="button button-primary" disabled=move || submit.pending().get()>
                    {move || {
                        if submit.pending().get() {
                            t_string!(i18n, quiz.submitting)
                        } else {
                            t_string!(i18n, quiz.submit)
                        }
                    }}
                </button>
            </div>
        </form>
    }
}

#[component]
fn QuizQuestionField(number: usize, question: QuizQuestion) -> impl IntoView {
    let i18n = use_i18n();
    let draft = use_draft();
    let multiple = question.kind == QuestionKind::Multiple;
    let question_id = question.id.clone();
    let points = question.points;
    let text = question.text.clone();
    let hint_id = format!("quiz-{}-hint", question.id);
    let hint_target = hint_id.clone();
    let has_error = {
        let question_id = question_id.clone();
        move || {
            draft
                .draft
                .with(|d| d.quiz_answers.get(&question_id).is_none_or(Vec::is_empty))
        }
    };
    let options = question
        .options
        .iter()
        .map(|option| {
            let input_id = option_input_id(&question.id, &option.id);
            let option_text = option.text.clone();
            let (q_checked, o_checked) = (question_id.clone(), option.id.clone());
            let (q_change, o_change) = (question_id.clone(), option.id.clone());
            let checked = move || {
                draft.draft.with(|d| d.quiz_answers.get(&q_checked).is_some_and(|a| a.contains(&o_checked)))
            };
            let on_change = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                draft.update(|d| {
                    let chosen = d.quiz_answers.entry(q_change.clone()).or_default();
                    if !multiple {
                        chosen.clear();
                    }
                    chosen.retain(|o| o != &o_change);
                    if on {
                        chosen.push(o_change.clone());
                    }
                });
            };
            view! {
                <div class="quiz-option">
                    <input
                        type=if multiple { "checkbox" } else { "radio" }
                        id=input_id.clone()
                        name=format!("quiz-{}", question.id)
                        value=option.id.clone()
                        prop:checked=checked
                        on:change=on_change
                    />
                    <label for=input_id>{move || option_text.get(i18n.get_locale().as_str()).to_string()}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="quiz-question" aria-describedby=hint_id.clone()>
            <legend>
                <span class="quiz-question-number">{move || t_string!(i18n, quiz.question_number, number).to_string()}</span>
                " "
                {move || text.get(i18n.get_locale().as_str()).to_string()}
                " "
                <span class="quiz-points">{move || t_string!(i18n, quiz.points, points).to_string()}</span>
            </legend>
            <p class="field-hint" id=hint_target>
                {move || if multiple { t_string!(i18n, quiz.multiple_hint) } else { t_string!(i18n, quiz.single_hint) }}
            </p>
            <div class="quiz-options" data-unanswered=move || has_error().to_string()>{options}</div>
        </fieldset>
    }
}
