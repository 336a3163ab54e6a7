//! 办理进度 — where the application stands, as the investor sees it: the four steps of the opening, the
//! current status with what to do next (pay the fee; wait; the trading account and the client; the exchange's
//! reason for returning it and a button that reopens the wizard where it needs correcting), and its history.

use crate::api::ApiError;
use crate::clock::beijing_time;
use crate::components::copy_value::CopyValue;
use crate::components::step_indicator::{OpeningProgress, OpeningStep};
use crate::components::tracked_status::{Loaded, TrackedStatus};
use crate::config::use_config;
use crate::draft::{use_draft, Draft};
use crate::form::place::link_to;
use crate::i18n::*;
use crate::messages::api_error_message;
use crate::routes::Page;
use crate::status::StatusApi;
use domain::api::{ApplicationStatus, ApplicationStep, ReviewState, StoredApplication};
use domain::application::fields;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn StatusPage() -> impl IntoView {
    view! {
        <section class="status">
            <TrackedStatus render=|loaded| view! { <StatusView loaded=loaded /> } />
        </section>
    }
}

pub fn status_name(i18n: I18nContext<Locale>, status: ApplicationStatus) -> String {
    match status {
        ApplicationStatus::Submitted => t_string!(i18n, status.submitted),
        ApplicationStatus::ReceiptReceived => t_string!(i18n, status.receipt_received),
        ApplicationStatus::FeeReceived => t_string!(i18n, status.fee_received),
        ApplicationStatus::Approved => t_string!(i18n, status.approved),
        ApplicationStatus::Returned => t_string!(i18n, status.returned),
    }
    .to_string()
}

fn step_name(i18n: I18nContext<Locale>, step: ApplicationStep) -> String {
    match step {
        ApplicationStep::Quiz => t_string!(i18n, status.step_quiz),
        ApplicationStep::Identity => t_string!(i18n, status.step_identity),
        ApplicationStep::Account => t_string!(i18n, status.step_account),
        ApplicationStep::Attachments => t_string!(i18n, status.step_attachments),
        ApplicationStep::Agreements => t_string!(i18n, status.step_agreements),
    }
    .to_string()
}

/// Where the wizard reopens to correct `step`: fields that need uploads or the submission start by verifying
/// the phone again (the verification of the first submission has expired).
fn fix_address(step: Option<ApplicationStep>) -> String {
    match step {
        Some(ApplicationStep::Quiz) => Page::Quiz.path().to_string(),
        Some(ApplicationStep::Identity) => link_to(fields::IDENTITY_NAME, false),
        _ => link_to("identity.code", false),
    }
}

#[component]
fn StatusView(loaded: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let draft = use_draft();
    let navigate = use_navigate();
    let Loaded {
        tracked,
        status,
        reload,
    } = loaded;
    let current = status.review.status;

    let api = StatusApi::new(&config.api_base_url);
    let fix = Action::new_local(move |_: &()| {
        let api = api.clone();
        let tracked = tracked.clone();
        async move { api.answers(&tracked).await }
    });
    let fix_error = RwSignal::new(None::<ApiError>);
    let step = status.review.returned_step;
    Effect::new(move |_| match fix.value().get() {
        Some(Ok(stored)) => {
            let stored: StoredApplication = stored;
            draft.update(|d| *d = Draft::resubmission(&stored));
            navigate(&fix_address(step), Default::default());
        }
        Some(Err(error)) => fix_error.set(Some(error)),
        None => {}
    });

    let fixing = Signal::derive(move || fix.pending().get());
    let on_fix = Callback::new(move |()| {
        if !fix.pending().get_untracked() {
            fix_error.set(None);
            fix.dispatch(());
        }
    });
    let reference = status.reference.clone();
    let history = status.history.clone();
    view! {
        <OpeningProgress current=OpeningStep::of(current) />
        <h1>{t!(i18n, status.title)}</h1>
        <p class="reference-line">{move || t_string!(i18n, tracked.reference, reference = reference.clone()).to_string()}</p>
        <StatusCard review=status.review.clone() on_fix=on_fix fixing=fixing fix_error=fix_error />
        <h2>{t!(i18n, status.history_title)}</h2>
        <ol class="status-history">
            {history
                .into_iter()
                .rev()
                .map(|event| {
                    view! {
                        <li>
                            <span class="status-history-name">{move || status_name(i18n, event.status)}</span>
                            " "
                            <time datetime=event.at.clone()>{beijing_time(&event.at)}</time>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <p class="actions">
            <button type="button" class="button button-secondary" on:click=move |_| reload.run(())>
                {t!(i18n, status.refresh)}
            </button>
        </p>
    }
}

/// The current status with what to do next: pay the fee; wait; the trading account and the client; the
/// exchange's reason for returning the application and the button that reopens the wizard (`on_fix`).
#[component]
pub fn StatusCard(
    review: ReviewState,
    on_fix: Callback<()>,
    /// While the returned application is being loaded for correcting.
    #[prop(into)]
    fixing: Signal<bool>,
    #[prop(into)] fix_error: Signal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = review.status;
    let amount = use_config().fee.amount_cny;
    let next = match current {
        ApplicationStatus::Submitted => view! {
            <p>{t_string!(i18n, status.submitted_next, amount).to_string()}</p>
            <A href=Page::Fee.href() attr:class="button button-primary">{t!(i18n, status.fee_link)}</A>
        }
        .into_any(),
        ApplicationStatus::ReceiptReceived => view! {
            <p>{t!(i18n, status.receipt_next)}</p>
        }
        .into_any(),
        ApplicationStatus::FeeReceived => view! { <p>{t!(i18n, status.fee_next)}</p> }.into_any(),
        ApplicationStatus::Approved => {
            let account = review.account_number.clone().unwrap_or_default();
            view! {
                <dl class="copy-list">
                    <CopyValue
                        id="trading-account"
                        label=move || t_string!(i18n, status.account_label).to_string()
                        value=account
                    />
                </dl>
                <p>{t!(i18n, status.approved_next)}</p>
                <A href=Page::Client.href() attr:class="button button-primary">{t!(i18n, status.client_link)}</A>
            }
            .into_any()
        }
        ApplicationStatus::Returned => {
            let reason = review.returned_reason.clone().unwrap_or_default();
            let step = review.returned_step;
            view! {
                <p class="status-reason">{t_string!(i18n, status.returned_reason, reason).to_string()}</p>
                {step.map(|step| {
                    view! { <p>{move || t_string!(i18n, status.returned_step, step = step_name(i18n, step)).to_string()}</p> }
                })}
                <p class="form-error" role="alert" hidden=move || fix_error.with(Option::is_none)>
                    {t!(i18n, status.fix_failed)} " "
                    {move || fix_error.get().map(|e| api_error_message(i18n, &e))}
                </p>
                <button
                    type="button"
                    class="button button-primary"
                    aria-disabled=move || fixing.get().to_string()
                    on:click=move |_| on_fix.run(())
                >
                    {t!(i18n, status.fix)}
                </button>
            }
            .into_any()
        }
    };
    view! {
        <div class="card status-card" class:status-returned=current == ApplicationStatus::Returned>
            <h2 id="application-status">{move || status_name(i18n, current)}</h2>
            {next}
        </div>
    }
}
