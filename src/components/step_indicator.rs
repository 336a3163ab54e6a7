//! Where the investor is in the application: 信息授权 → 身份信息 → 账户信息 → 核对提交.

use crate::i18n::*;
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

#[component]
pub fn StepIndicator(current: Step) -> impl IntoView {
    let i18n = use_i18n();
    let total = Step::ALL.len();
    let number = current.number();
    let name = move |step: Step| match step {
        Step::Consent => t_string!(i18n, steps.consent),
        Step::Identity => t_string!(i18n, steps.identity),
        Step::Account => t_string!(i18n, steps.account),
        Step::Review => t_string!(i18n, steps.review),
    };
    view! {
        <nav class="step-indicator" aria-label=move || t_string!(i18n, steps.label)>
            <p class="step-indicator-count">
                {move || t_string!(i18n, steps.step_of, current = number, total).to_string()}
            </p>
            <ol>
                {Step::ALL
                    .into_iter()
                    .map(|step| {
                        let state = match step.number().cmp(&number) {
                            std::cmp::Ordering::Less => "done",
                            std::cmp::Ordering::Equal => "current",
                            std::cmp::Ordering::Greater => "todo",
                        };
                        view! {
                            <li
                                class=format!("step-indicator-step step-{state}")
                                aria-current=(state == "current").then_some("step")
                            >
                                {move || name(step)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}
