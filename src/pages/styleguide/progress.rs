//! The styleguide's displays of progress and values: copy buttons, both step indicators in each step, and the
//! status page's card for each status of an application.

use super::{words, Section, State};
use crate::components::copy_value::{CopyValue, Outcome};
use crate::components::step_indicator::{OpeningProgress, OpeningStep, Step, StepIndicator};
use crate::config::use_config;
use crate::i18n::*;
use crate::pages::status::{status_name, StatusCard};
use domain::api::{ApplicationStatus, ApplicationStep, ReviewState};
use leptos::prelude::*;

#[component]
pub fn CopyValues() -> impl IntoView {
    let i18n = use_i18n();
    let account = use_config().fee.account.clone();
    let states = [
        ("idle", Outcome::Idle),
        ("copied", Outcome::Copied),
        ("by-hand", Outcome::Selected),
    ];
    view! {
        <Section title=words!(i18n, styleguide.copy_value)>
            {states
                .into_iter()
                .map(|(state, initial)| {
                    let account = account.clone();
                    let name = match initial {
                        Outcome::Idle => words!(i18n, styleguide.idle),
                        Outcome::Copied => words!(i18n, styleguide.copied),
                        Outcome::Selected => words!(i18n, styleguide.by_hand),
                    };
                    view! {
                        <State name=name>
                            <dl class="copy-list">
                                <CopyValue
                                    id=format!("styleguide-copy-{state}")
                                    label=words!(i18n, fee.account_label)
                                    value=account
                                    initial=initial
                                />
                            </dl>
                        </State>
                    }
                })
                .collect_view()}
        </Section>
    }
}

#[component]
pub fn StepIndicators() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Section title=words!(i18n, styleguide.step_indicator)>
            {Step::ALL.into_iter().map(|step| view! { <StepIndicator current=step /> }).collect_view()}
        </Section>
        <Section title=words!(i18n, styleguide.opening_progress)>
            {OpeningStep::ALL.into_iter().map(|step| view! { <OpeningProgress current=step /> }).collect_view()}
        </Section>
    }
}

/// The review state of a sample application in `status`.
fn sample_review(status: ApplicationStatus, reason: String) -> ReviewState {
    ReviewState {
        status,
        account_number: (status == ApplicationStatus::Approved).then(|| "880012345".into()),
        returned_reason: (status == ApplicationStatus::Returned).then_some(reason),
        returned_step: (status == ApplicationStatus::Returned)
            .then_some(ApplicationStep::Attachments),
        submitted_at: "2026-03-15T10:00:00+08:00".into(),
        updated_at: "2026-03-16T09:30:00+08:00".into(),
    }
}

#[component]
pub fn StatusCards() -> impl IntoView {
    let i18n = use_i18n();
    let reason = t_string!(i18n, styleguide.sample_reason).to_string();
    view! {
        <Section title=words!(i18n, styleguide.application_status)>
            {ApplicationStatus::ALL.into_iter()
                .map(|status| {
                    let review = sample_review(status, reason.clone());
                    view! {
                        <State name=Signal::derive(move || status_name(i18n, status))>
                            <StatusCard
                                review=review
                                on_fix=Callback::new(|()| {})
                                fixing=Signal::stored(false)
                                fix_error=Signal::stored(None)
                            />
                        </State>
                    }
                })
                .collect_view()}
        </Section>
    }
}
