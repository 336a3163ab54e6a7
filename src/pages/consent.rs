//! The separate, explicit consent to processing sensitive personal information (PIPL art. 28–29), asked
//! before the ID number and ID images are collected. Its text and version come from the config.

use crate::clock::now_rfc3339;
use crate::components::error_summary::{ErrorItem, ErrorSummary};
use crate::components::step_indicator::{Step, StepIndicator};
use crate::config::use_config;
use crate::draft::{use_draft, ConsentRecord};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn ConsentPage() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let draft = use_draft();
    let navigate = use_navigate();
    let consent = config.sensitive_data_consent.clone();
    let version = consent.version.clone();
    let agreed = RwSignal::new(
        draft
            .draft
            .with_untracked(|d| d.consent.as_ref().is_some_and(|c| c.version == version)),
    );
    let attempt = RwSignal::new(0u32);
    let error = move || {
        (attempt.get() > 0 && !agreed.get()).then(|| t_string!(i18n, consent.missing).to_string())
    };
    let errors = Signal::derive(move || {
        error()
            .map(|message| {
                vec![ErrorItem {
                    target_id: "consent-agree".into(),
                    message,
                }]
            })
            .unwrap_or_default()
    });
    let text = consent.text.clone();
    let paragraphs = move || {
        text.get(i18n.get_locale().as_str())
            .split("\n\n")
            .map(|p| view! { <p>{p.trim().to_string()}</p> })
            .collect_view()
    };
    let version = consent.version.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempt.update(|n| *n += 1);
        if !agreed.get_untracked() {
            return;
        }
        let version = version.clone();
        draft.update(|d| {
            if d.consent.as_ref().is_none_or(|c| c.version != version) {
                d.consent = Some(ConsentRecord {
                    version,
                    agreed_at: now_rfc3339(),
                });
            }
        });
        navigate("/personal/identity", Default::default());
    };
    let shown_version = consent.version.clone();
    let back = match config.quiz.mode {
        domain::config::QuizGate::BuiltIn => "/personal/quiz/result",
        domain::config::QuizGate::External => "/personal/quiz",
    };
    view! {
        <section class="consent">
            <StepIndicator current=Step::Consent />
            <ErrorSummary errors=errors attempt=attempt />
            <h1>{t!(i18n, consent.title)}</h1>
            <p class="consent-lead">{t!(i18n, consent.lead)}</p>
            <div class="consent-text" tabindex="0">{paragraphs}</div>
            <p class="field-hint">{move || t_string!(i18n, consent.version, version = shown_version.clone()).to_string()}</p>
            <form on:submit=on_submit novalidate>
                <div class="field" class:field-invalid=move || error().is_some()>
                    <p class="field-error" id="consent-agree-error" hidden=move || error().is_none()>
                        {error}
                    </p>
                    <div class="checkbox">
                        <input
                            id="consent-agree"
                            type="checkbox"
                            aria-describedby="consent-agree-error"
                            prop:checked=move || agreed.get()
                            on:change:target=move |ev| {
                                let on = ev.target().checked();
                                agreed.set(on);
                                if !on {
                                    draft.update(|d| d.consent = None);
                                }
                            }
                        />
                        <label for="consent-agree">{t!(i18n, consent.agree)}</label>
                    </div>
                </div>
                <div class="actions">
                    <A href=back attr:class="button button-secondary">{t!(i18n, common.back)}</A>
                    <button type="submit" class="button button-primary">{t!(i18n, common.next)}</button>
                </div>
            </form>
        </section>
    }
}
