//! Where the investor is: in the online application (信息授权 → 身份信息 → 账户信息 → 核对提交, [`StepIndicator`]),
//! and in the whole opening of the account (网上开户 → 缴纳开户费 → 获得交易账号 → 下载客户端,
//! [`OpeningProgress`]), the current step highlighted.

use crate::draft::use_draft;
use crate::i18n::*;
use domain::api::ApplicationStatus;
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Consent,
    Identity,
    Account,
    Review,
}

impl Step {
    pub const ALL: [Step; 4] = [Step::Consent, Step::Identity, Step::Account, Step::Review];

    pub fn number(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }
}

/// The exchange's four steps of opening an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpeningStep {
    /// 网上开户: the online application (and fixing a returned one).
    Apply,
    /// 缴纳开户费: the transfer and its receipt.
    Fee,
    /// 获得交易账号: the exchange opens the trading account.
    Account,
    /// 下载客户端: the PC trading client.
    Client,
}

impl OpeningStep {
    pub const ALL: [OpeningStep; 4] = [
        OpeningStep::Apply,
        OpeningStep::Fee,
        OpeningStep::Account,
        OpeningStep::Client,
    ];

    /// The step the investor is at while the application has `status`.
    pub fn of(status: ApplicationStatus) -> OpeningStep {
        match status {
            ApplicationStatus::Returned => OpeningStep::Apply,
            ApplicationStatus::Submitted | ApplicationStatus::ReceiptReceived => OpeningStep::Fee,
            ApplicationStatus::FeeReceived => OpeningStep::Account,
            ApplicationStatus::Approved => OpeningStep::Client,
        }
    }

    fn number(self) -> usize {
        OpeningStep::ALL
            .iter()
            .position(|s| *s == self)
            .unwrap_or(0)
            + 1
    }
}

/// The steps as an ordered list, those before `current` done.
fn steps_view(
    label: impl Fn() -> String + Send + Sync + 'static,
    count: impl Fn() -> String + Send + Sync + 'static,
    names: Vec<Signal<String>>,
    current: usize,
) -> impl IntoView {
    view! {
        <nav class="step-indicator" aria-label=label>
            <p class="step-indicator-count">{count}</p>
            <ol>
                {names
                    .into_iter()
                    .enumerate()
                    .map(|(index, name)| {
                        let state = match (index + 1).cmp(&current) {
                            std::cmp::Ordering::Less => "done",
                            std::cmp::Ordering::Equal => "current",
                            std::cmp::Ordering::Greater => "todo",
                        };
                        view! {
                            <li
                                class=format!("step-indicator-step step-{state}")
                                aria-current=(state == "current").then_some("step")
                            >
                                {name}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

/// The step of the application, and, while a returned application is being corrected, a word that it keeps its
/// reference.
#[component]
pub fn StepIndicator(current: Step) -> impl IntoView {
    let i18n = use_i18n();
    let resubmission = use_draft().draft.with_untracked(|d| d.resubmission.clone());
    let total = Step::ALL.len();
    let number = current.number();
    let names = Step::ALL
        .into_iter()
        .map(|step| {
            Signal::derive(move || {
                match step {
                    Step::Consent => t_string!(i18n, steps.consent),
                    Step::Identity => t_string!(i18n, steps.identity),
                    Step::Account => t_string!(i18n, steps.account),
                    Step::Review => t_string!(i18n, steps.review),
                }
                .to_string()
            })
        })
        .collect();
    view! {
        {resubmission.map(|reference| {
            view! {
                <p class="notice-banner" role="status">
                    {move || t_string!(i18n, status.resubmitting, reference = reference.clone()).to_string()}
                </p>
            }
        })}
        {steps_view(
            move || t_string!(i18n, steps.label).to_string(),
            move || t_string!(i18n, steps.step_of, current = number, total).to_string(),
            names,
            number,
        )}
    }
}

#[component]
pub fn OpeningProgress(current: OpeningStep) -> impl IntoView {
    let i18n = use_i18n();
    let total = OpeningStep::ALL.len();
    let number = current.number();
    let names = OpeningStep::ALL
        .into_iter()
        .map(|step| {
            Signal::derive(move || {
                match step {
                    OpeningStep::Apply => t_string!(i18n, opening.apply),
                    OpeningStep::Fee => t_string!(i18n, opening.fee),
                    OpeningStep::Account => t_string!(i18n, opening.account),
                    OpeningStep::Client => t_string!(i18n, opening.client),
                }
                .to_string()
            })
        })
        .collect();
    steps_view(
        move || t_string!(i18n, opening.label).to_string(),
        move || t_string!(i18n, steps.step_of, current = number, total).to_string(),
        names,
        number,
    )
}
