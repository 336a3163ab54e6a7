//! The market-entry test (入市测试). Built-in mode: every question on one scrollable page with progress,
//! answers kept in the draft, scored by the backend (`POST /quiz/attempts`). External mode: the exchange's
//! questionnaire in a new tab, then the investor declares the score.

use crate::api::{Api, ApiError};
use crate::components::error_summary::{ErrorItem, ErrorSummary};
use crate::config::use_config;
use crate::draft::{use_draft, QuizPass};
use crate::i18n::*;
use crate::messages::api_error_message;
use domain::api::{QuizAttemptRequest, QuizAttemptResult, QuizMode};
use domain::config::QuizGate;
use domain::quiz::{QuestionKind, Quiz, QuizQuestion};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::collections::BTreeMap;

/// Loads the public questions file named by the config.
pub async fn load_quiz(url: String) -> Result<Quiz, String> {
    let response = gloo_net::http::Request::get(&url)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    response
        .json::<Quiz>()
        .await
        .map_err(|e| format!("{url}: {e}"))
}

#[component]
pub fn QuizPage() -> impl IntoView {
    match use_config().quiz.mode {
        QuizGate::BuiltIn => view! { <BuiltInQuiz /> }.into_any(),
        QuizGate::External => view! { <ExternalQuiz /> }.into_any(),
    }
}

#[component]
fn BuiltInQuiz() -> impl IntoView {
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
                navigate("/personal/quiz/result", Default::default());
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

/// External mode: the exchange's questionnaire in a new tab, then a declared score (self-declared in the
/// application, checked by the exchange).
#[component]
fn ExternalQuiz() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let draft = use_draft();
    let navigate = use_navigate();
    let pass_mark = config.quiz.pass_mark;
    let external_url = config.quiz.external_url.clone();
    let score = RwSignal::new(String::new());
    let confirmed = RwSignal::new(false);
    let attempt = RwSignal::new(0u32);

    let score_error = move || -> Option<String> {
        match score.with(|s| s.trim().parse::<u32>()) {
            Ok(n) if n <= 100 && n >= pass_mark => None,
            Ok(n) if n <= 100 => {
                Some(t_string!(i18n, quiz.declared_score_below, pass_mark).to_string())
            }
            _ => Some(t_string!(i18n, quiz.declared_score_invalid).to_string()),
        }
    };
    let confirm_error = move || {
        (!confirmed.get()).then(|| t_string!(i18n, quiz.declared_confirm_missing).to_string())
    };
    let errors = Signal::derive(move || {
        if attempt.get() == 0 {
            return Vec::new();
        }
        let mut items = Vec::new();
        if let Some(message) = score_error() {
            items.push(ErrorItem {
                target_id: "declared-score".into(),
                message,
            });
        }
        if let Some(message) = confirm_error() {
            items.push(ErrorItem {
                target_id: "declared-confirm".into(),
                message,
            });
        }
        items
    });
    let show = move |error: Option<String>| if attempt.get() > 0 { error } else { None };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempt.update(|n| *n += 1);
        if score_error().is_none() && confirm_error().is_none() {
            let declared = score.with_untracked(|s| s.trim().parse::<u32>().unwrap_or_default());
            draft.update(|d| {
                d.quiz_pass = Some(QuizPass {
                    mode: QuizMode::SelfDeclared,
                    attempt_id: None,
                    score: declared,
                });
            });
            navigate("/personal/consent", Default::default());
        }
    };

    view! {
        <section class="quiz quiz-external">
            <ErrorSummary errors=errors attempt=attempt />
            <h1>{t!(i18n, quiz.external_title)}</h1>
            <p>{t!(i18n, quiz.external_body)}</p>
            <p>
                <a class="button button-secondary" href=external_url target="_blank" rel="noopener noreferrer">
                    {t!(i18n, quiz.external_link)}
                    <span class="visually-hidden">{t!(i18n, common.opens_in_new_tab)}</span>
                </a>
            </p>
            <form on:submit=on_submit novalidate>
                <div class="field" class:field-invalid=move || show(score_error()).is_some()>
                    <label for="declared-score">{t!(i18n, quiz.declared_score_label)}</label>
                    <p class="field-hint" id="declared-score-hint">{t!(i18n, quiz.declared_score_hint, pass_mark)}</p>
                    <Show when=move || show(score_error()).is_some()>
                        <p class="field-error" id="declared-score-error">{move || show(score_error())}</p>
                    </Show>
                    <input
                        id="declared-score"
                        class="input input-short"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        aria-describedby="declared-score-hint declared-score-error"
                        aria-invalid=move || show(score_error()).is_some().to_string()
                        prop:value=move || score.get()
                        on:input:target=move |ev| score.set(ev.target().value())
                    />
                </div>
                <div class="field" class:field-invalid=move || show(confirm_error()).is_some()>
                    <Show when=move || show(confirm_error()).is_some()>
                        <p class="field-error" id="declared-confirm-error">{move || show(confirm_error())}</p>
                    </Show>
                    <div class="checkbox">
                        <input
                            id="declared-confirm"
                            type="checkbox"
                            aria-describedby="declared-confirm-error"
                            prop:checked=move || confirmed.get()
                            on:change:target=move |ev| confirmed.set(ev.target().checked())
                        />
                        <label for="declared-confirm">{t!(i18n, quiz.declared_confirm)}</label>
                    </div>
                </div>
                <div class="actions">
                    <button type="submit" class="button button-primary">{t!(i18n, common.proceed)}</button>
                </div>
            </form>
        </section>
    }
}
