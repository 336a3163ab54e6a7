//! 申请已提交 — the application reference and what happens next: the fee transfer, the receipt by e-mail, the
//! exchange's review. The draft is cleared here; the reference stays in `localStorage`.

use crate::config::use_config;
use crate::draft::{use_draft, use_secrets, use_submitted, Draft};
use crate::i18n::*;
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn SubmittedPage() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let draft = use_draft();
    let secrets = use_secrets();
    let (submitted, _) = use_submitted();
    // The application is stored: nothing of it stays in the browser but the reference.
    Effect::new(move |_| {
        if submitted.with(Option::is_some) {
            draft.update(|d| *d = Draft::default());
            secrets.password.set(String::new());
            secrets.confirmation.set(String::new());
        }
    });
    let fee = config.fee.clone();
    let receipt = config.receipt_email.to.clone();
    let help = config.help_line.clone();
    move || match submitted.get() {
        None => view! {
            <section class="submitted">
                <h1>{t!(i18n, not_found.title)}</h1>
                <A href=Page::Entry.path()>{t!(i18n, common.back_to_start)}</A>
            </section>
        }
        .into_any(),
        Some(s) => {
            let fee = fee.clone();
            view! {
                <section class="submitted">
                    <div class="panel panel-success" role="status">
                        <h1>{t!(i18n, submitted.title)}</h1>
                        <p class="reference-label">{t!(i18n, submitted.reference_label)}</p>
                        <p class="reference" id="application-reference">{s.reference.clone()}</p>
                    </div>
                    <p>{t!(i18n, submitted.keep_reference)}</p>
                    <h2>{t!(i18n, submitted.next_title)}</h2>
                    <ol class="next-steps">
                        <li>
                            {t_string!(
                                i18n,
                                submitted.next_fee,
                                amount = fee.amount_cny,
                                payee = fee.payee.clone(),
                                bank = fee.bank.clone(),
                                account = fee.account.clone(),
                                remark = fee.remark.clone()
                            )
                                .to_string()}
                        </li>
                        <li>{t_string!(i18n, submitted.next_receipt, email = receipt.clone()).to_string()}</li>
                        <li>{t!(i18n, submitted.next_review)}</li>
                    </ol>
                    <p>{t_string!(i18n, submitted.help, phone = help.clone()).to_string()}</p>
                </section>
            }
            .into_any()
        }
    }
}
