//! The result of the built-in market-entry test: score, pass or fail; on failure the topics to revisit and a
//! retake; on a pass the way on to the application.

use crate::config::use_config;
use crate::draft::use_draft;
use crate::i18n::*;
use crate::pages::quiz::load_quiz;
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn QuizResultPage() -> impl IntoView {
    let i18n = use_i18n();
    let draft = use_draft();
    let config = use_config();
    let pass_mark = config.quiz.pass_mark;
    let url = config.quiz.questions_url.clone();
    // Only for the topic titles; the file is in the browser's cache from the test page.
    let quiz = LocalResource::new(move || load_quiz(url.clone()));
    let navigate = use_navigate();
    let retake = move |_| {
        draft.update(|d| {
            d.quiz_answers.clear();
            d.quiz_result = None;
        });
        navigate(Page::Quiz.path(), Default::default());
    };
    let topic_title = move |topic: &str| -> String {
        let locale = i18n.get_locale();
        quiz.get()
            .and_then(|q| q.ok())
            .and_then(|q| {
                q.topics
                    .get(topic)
                    .map(|t| t.get(locale.as_str()).to_string())
            })
            .unwrap_or_else(|| topic.to_string())
    };
    let result = move || draft.draft.with(|d| d.quiz_result.clone());

    view! {
        <section class="quiz-result">
            <h1>{t!(i18n, quiz.result_title)}</h1>
            {move || match result() {
                None => {
                    view! {
                        <p>{t!(i18n, quiz.no_result)}</p>
                        <A href=Page::QuizNotice.href() attr:class="button button-primary">{t!(i18n, quiz_notice.start)}</A>
                    }
                        .into_any()
                }
                Some(result) => {
                    let (score, max) = (result.score, result.max_score);
                    let topics = result.topics_to_revisit.clone();
                    view! {
                        <p class="quiz-score">{move || t_string!(i18n, quiz.score, score, max, pass_mark).to_string()}</p>
                        {if result.passed {
                            view! {
                                <p class="result-banner result-passed" role="status">{t!(i18n, quiz.passed)}</p>
                                <div class="actions">
                                    <A href=Page::Consent.href() attr:class="button button-primary">
                                        {t!(i18n, quiz.proceed)}
                                    </A>
                                </div>
                            }
                                .into_any()
                        } else {
                            view! {
                                <p class="result-banner result-failed" role="status">{t!(i18n, quiz.failed)}</p>
                                <Show when={
                                    let empty = topics.is_empty();
                                    move || !empty
                                }>
                                    <p>{t!(i18n, quiz.revisit)}</p>
                                    <ul class="quiz-topics">
                                        {topics
                                            .clone()
                                            .into_iter()
                                            .map(|topic| view! { <li>{move || topic_title(&topic)}</li> })
                                            .collect_view()}
                                    </ul>
                                </Show>
                                <div class="actions">
                                    <button type="button" class="button button-primary" on:click=retake.clone()>
                                        {t!(i18n, quiz.retake)}
                                    </button>
                                </div>
                            }
                                .into_any()
                        }}
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
