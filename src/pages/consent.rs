//! The separate, explicit consent to processing sensitive personal information (PIPL art. 28–29), asked
//! before the ID number and ID images are collected. Its text and version come from the config.

use crate::clock::now_rfc3339;
use crate::components::error_summary::ErrorSummary;
use crate::components::field::CheckboxField;
use crate::components::paragraphs::Paragraphs;
use crate::components::step_indicator::{Step, StepIndicator};
use crate::config::use_config;
use crate::draft::{use_draft, ConsentRecord};
use crate::form::place::dom_id;
use crate::form::Form;
use crate::i18n::*;
use crate::routes::{link, Page};
use domain::application::fields;
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
    let form = Form::new(Page::Consent, vec![fields::CONSENT.into()], move |_| {
        let missing = (!agreed.get()).then(|| t_string!(i18n, consent.missing).to_string());
        missing
            .map(|message| (fields::CONSENT.to_string(), message))
            .into_iter()
            .collect()
    });
    let error = form.shown_after_sending(fields::CONSENT.into());
    let version = consent.version.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.send() {
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
        navigate(Page::Identity.path(), Default::default());
    };
    let shown_version = consent.version.clone();
    let back = match config.quiz.mode {
        domain::config::QuizGate::BuiltIn => Page::QuizResult.path(),
        domain::config::QuizGate::External => Page::Quiz.path(),
    };
    view! {
        <section class="consent">
            <StepIndicator current=Step::Consent />
            <ErrorSummary errors=form.summary() attempt=form.attempt() />
            <h1>{t!(i18n, consent.title)}</h1>
            <p class="consent-lead">{t!(i18n, consent.lead)}</p>
            <div class="consent-text" tabindex="0"><Paragraphs text=consent.text.clone() /></div>
            <p class="field-hint">{move || t_string!(i18n, consent.version, version = shown_version.clone()).to_string()}</p>
            <form on:submit=on_submit novalidate>
                <CheckboxField
                    id=dom_id(fields::CONSENT)
                    label=move || t_string!(i18n, consent.agree).to_string()
                    checked=agreed
                    on_change=move |on: bool| {
                        form.changed(fields::CONSENT);
                        agreed.set(on);
                        if !on {
                            draft.update(|d| d.consent = None);
                        }
                    }
                    error=error
                />
                <div class="actions">
                    <A href=link(back) attr:class="button button-secondary">{t!(i18n, common.back)}</A>
                    <button type="submit" class="button button-primary">{t!(i18n, common.next)}</button>
                </div>
            </form>
        </section>
    }
}
