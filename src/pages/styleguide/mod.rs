//! 样式指南 — every component of the app in each of its states on one page, for designers who change the look
//! under `style/` (`make dev` reloads it live) and for the visual check that compares screenshots of it. Served
//! in debug builds and where `config.json` says `"styleguide": true`; never linked from the app.
//!
//! The samples work on a draft of their own in memory ([`DraftContext::provide_in_memory`]): typing, ticking and
//! the countdown never touch the investor's draft, and nothing is uploaded. States that need a moment in time
//! (a countdown, a copy just made, an upload under way) are shown standing still.

mod fields;
mod progress;

use crate::components::error_summary::ErrorSummary;
use crate::draft::{Draft, DraftContext};
use crate::form::ErrorItem;
use crate::i18n::*;
use leptos::prelude::*;

/// The sample that shows a focused text field takes the focus once the page is drawn.
pub const FOCUSED_SAMPLE: &str = "styleguide-text-focused";

#[component]
pub fn StyleguidePage() -> impl IntoView {
    let i18n = use_i18n();
    DraftContext::provide_in_memory(Draft::default());
    // After the error summary's own focus, which it takes when it shows.
    request_animation_frame(|| {
        if let Some(element) = crate::mount::element_by_id(FOCUSED_SAMPLE) {
            use wasm_bindgen::JsCast;
            if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        }
    });
    view! {
        <div class="styleguide">
            <h1>{t!(i18n, styleguide.title)}</h1>
            <p class="styleguide-lead">{t!(i18n, styleguide.lead)}</p>
            <Buttons />
            <fields::TextFields />
            <fields::Checkboxes />
            <fields::SmsCodes />
            <fields::Agreements />
            <fields::Attachments />
            <progress::CopyValues />
            <progress::StepIndicators />
            <progress::StatusCards />
            <ErrorSummaries />
            <Notices />
        </div>
    }
}

/// A component's section: its name, then its states.
#[component]
fn Section(#[prop(into)] title: Signal<String>, children: Children) -> impl IntoView {
    view! {
        <section class="styleguide-section">
            <h2>{title}</h2>
            {children()}
        </section>
    }
}

/// One state of a component, named.
#[component]
fn State(#[prop(into)] name: Signal<String>, children: Children) -> impl IntoView {
    view! {
        <div class="styleguide-state">
            <p class="styleguide-state-name">{name}</p>
            {children()}
        </div>
    }
}

/// The text of a locale key, as the props of the samples take it.
macro_rules! words {
    ($i18n:ident, $($key:tt)+) => {
        Signal::derive(move || t_string!($i18n, $($key)+).to_string())
    };
}
pub(crate) use words;

#[component]
fn Buttons() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Section title=words!(i18n, styleguide.buttons)>
            <State name=words!(i18n, styleguide.primary)>
                <div class="actions">
                    <button type="button" class="button button-primary">{t!(i18n, common.next)}</button>
                    <button type="button" class="button button-primary" disabled>{t!(i18n, common.next)}</button>
                </div>
            </State>
            <State name=words!(i18n, styleguide.secondary)>
                <div class="actions">
                    <button type="button" class="button button-secondary">{t!(i18n, common.back)}</button>
                    <button type="button" class="button button-secondary" aria-disabled="true">
                        {t!(i18n, identity.send_code)}
                    </button>
                    <button type="button" class="button button-secondary button-small">{t!(i18n, copy.button)}</button>
                    <button type="button" class="button-link">{t!(i18n, account.password_show)}</button>
                </div>
            </State>
        </Section>
    }
}

#[component]
fn ErrorSummaries() -> impl IntoView {
    let i18n = use_i18n();
    let errors = Signal::derive(move || {
        vec![
            ErrorItem {
                target_id: "styleguide-text-error".into(),
                message: t_string!(i18n, errors.name_empty).to_string(),
            },
            ErrorItem {
                target_id: "styleguide-code-idle".into(),
                message: t_string!(i18n, errors.sms_code_length).to_string(),
            },
        ]
    });
    view! {
        <Section title=words!(i18n, styleguide.error_summary)>
            <ErrorSummary errors=errors attempt=Signal::stored(1) />
        </Section>
    }
}

#[component]
fn Notices() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Section title=words!(i18n, styleguide.notices)>
            <p class="notice-banner">{t!(i18n, quiz.gate_required)}</p>
            <p class="notice-banner notice-success">{t!(i18n, fee.receipt_received)}</p>
            <p class="form-error">{t!(i18n, api_error.network)}</p>
            <p class="result-banner result-passed">{t!(i18n, quiz.passed)}</p>
            <p class="result-banner result-failed">{t!(i18n, quiz.failed)}</p>
            <div class="panel panel-success">
                <h2>{t!(i18n, submitted.title)}</h2>
                <p class="reference-label">{t!(i18n, submitted.reference_label)}</p>
                <p class="reference">"HB20260315K7Q2MX"</p>
            </div>
            <p class="loading">{t!(i18n, loading)}</p>
        </Section>
    }
}
