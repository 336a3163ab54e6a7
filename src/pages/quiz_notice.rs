//! The exchange's notice before the market-entry test: take it first, 60 points pass, retake if failed,
//! untested applicants are not reviewed.

use crate::config::use_config;
use crate::i18n::*;
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn QuizNoticePage() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let pass_mark = config.quiz.pass_mark;
    let query = use_query_map();
    let sent_back = move || query.with(|q| q.get("gate").as_deref() == Some("required"));
    view! {
        <section class="quiz-notice">
            <Show when=sent_back>
                <p class="notice-banner" role="status">{t!(i18n, quiz.gate_required)}</p>
            </Show>
            <h1>{t!(i18n, quiz_notice.title)}</h1>
            <ol class="quiz-notice-list">
                <li>{t!(i18n, quiz_notice.p1)}</li>
                <li>{t!(i18n, quiz_notice.p2, pass_mark)}</li>
                <li>{t!(i18n, quiz_notice.p3)}</li>
                <li>{t!(i18n, quiz_notice.p4)}</li>
            </ol>
            <div class="actions">
                <A href=Page::Entry.href() attr:class="button button-secondary">{t!(i18n, common.back)}</A>
                <A href=Page::Quiz.href() attr:class="button button-primary">{t!(i18n, quiz_notice.start)}</A>
            </div>
        </section>
    }
}
