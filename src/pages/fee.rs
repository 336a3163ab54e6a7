//! 缴纳开户费 — step 2 of opening the account: the transfer's details, each with a copy button, and the two
//! ways to send its receipt: an e-mail whose subject and text quote the application exactly (a `mailto:` link,
//! and the same text with copy buttons for webmail), or the receipt's screenshot uploaded here. Right after the
//! submission the same page opens with the application's reference (申请已提交); the draft is cleared then.

use crate::components::attachment_field::AttachmentField;
use crate::components::copy_value::CopyValue;
use crate::components::step_indicator::{OpeningProgress, OpeningStep};
use crate::components::tracked_status::{Loaded, TrackedStatus};
use crate::config::use_config;
use crate::draft::{use_draft, use_secrets, Draft};
use crate::i18n::*;
use crate::routes::Page;
use crate::status::{status_token_header, StatusApi};
use crate::upload::{StoredUpload, UploadTarget};
use domain::api::{ApplicationStatus, UploadKind};
use domain::config::ReceiptEmailConfig;
use domain::id_document::mask_document_number;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn FeePage(
    /// Opened right after the submission: the reference is announced and the draft is cleared.
    #[prop(optional)]
    just_submitted: bool,
) -> impl IntoView {
    if just_submitted {
        let draft = use_draft();
        let secrets = use_secrets();
        // The application is stored: nothing of it stays in the browser but the reference and status token.
        draft.update(|d| *d = Draft::default());
        secrets.password.set(String::new());
        secrets.confirmation.set(String::new());
    }
    view! {
        <section class="fee">
            <TrackedStatus render=move |loaded| view! { <FeeStep loaded=loaded just_submitted=just_submitted /> } />
        </section>
    }
}

#[component]
fn FeeStep(loaded: Loaded, just_submitted: bool) -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let Loaded {
        tracked,
        status,
        reload,
    } = loaded;
    let fee = config.fee.clone();
    let amount = fee.amount_cny;
    let email = config.receipt_email.clone();
    let subject = email.subject(&status.name);
    let body = ReceiptEmailConfig::body(&status.name, &status.document_number);
    let shown_body =
        ReceiptEmailConfig::body(&status.name, &mask_document_number(&status.document_number));
    let mailto = email.mailto(&status.name, &status.document_number);
    let fee_paid = matches!(
        status.review.status,
        ApplicationStatus::FeeReceived | ApplicationStatus::Approved
    );
    let receipt_in = RwSignal::new(status.review.status == ApplicationStatus::ReceiptReceived);

    // The receipt goes to the application, authorized by the status token.
    let receipt_url = StatusApi::new(&config.api_base_url).receipt_url(&tracked.reference);
    let auth = status_token_header(&tracked);
    let target = Callback::new(move |()| {
        Some(UploadTarget {
            url: receipt_url.clone(),
            auth: auth.clone(),
            kind: None,
        })
    });
    let receipts = RwSignal::new(Vec::<StoredUpload>::new());
    let on_receipt = Callback::new(move |uploads: Vec<StoredUpload>| {
        let uploaded = !uploads.is_empty();
        receipts.set(uploads);
        if uploaded {
            receipt_in.set(true);
            reload.run(());
        }
    });

    let name = status.name.clone();
    let reference = status.reference.clone();
    view! {
        <Show when=move || just_submitted>
            <div class="panel panel-success" role="status">
                <h1>{t!(i18n, submitted.title)}</h1>
                <p class="reference-label">{t!(i18n, submitted.reference_label)}</p>
                <p class="reference" id="application-reference">{reference.clone()}</p>
            </div>
            <p>{t!(i18n, submitted.keep_reference)}</p>
        </Show>
        <OpeningProgress current=OpeningStep::of(status.review.status) />
        {if just_submitted {
            view! { <h2>{t!(i18n, fee.title)}</h2> }.into_any()
        } else {
            view! { <h1>{t!(i18n, fee.title)}</h1> }.into_any()
        }}
        <Show when=move || fee_paid>
            <p class="notice-banner" role="status">
                {t!(i18n, fee.fee_done)} " "
                <A href=Page::Status.href()>{t!(i18n, fee.status_link)}</A>
            </p>
        </Show>
        <p>{t!(i18n, fee.lead)}</p>
        <dl class="copy-list">
            <CopyValue
                id="fee-amount"
                label=move || t_string!(i18n, fee.amount_label).to_string()
                value=amount.to_string()
                display=move || t_string!(i18n, fee.amount, amount).to_string()
            />
            <CopyValue id="fee-payee" label=move || t_string!(i18n, fee.payee_label).to_string() value=fee.payee.clone() />
            <CopyValue
                id="fee-account"
                label=move || t_string!(i18n, fee.account_label).to_string()
                value=fee.account.clone()
            />
            <CopyValue id="fee-bank" label=move || t_string!(i18n, fee.bank_label).to_string() value=fee.bank.clone() />
            <CopyValue
                id="fee-remark"
                label=move || t_string!(i18n, fee.remark_label).to_string()
                value=fee.remark.clone()
            />
        </dl>
        <p class="fee-payer-note">{move || t_string!(i18n, fee.payer_note, name = name.clone()).to_string()}</p>

        <h2>{t!(i18n, fee.receipt_title)}</h2>
        <p>{t!(i18n, fee.receipt_lead)}</p>
        <Show when=move || receipt_in.get()>
            <p class="notice-banner notice-success" role="status">{t!(i18n, fee.receipt_received)}</p>
        </Show>
        <div class="fee-way">
            <h3>{t!(i18n, fee.by_upload_title)}</h3>
            <AttachmentField
                id="fee-receipt"
                kind=UploadKind::FeeReceipt
                label=move || t_string!(i18n, fee.receipt_label).to_string()
                hint=move || t_string!(i18n, fee.receipt_hint).to_string()
                uploads=receipts
                on_change=on_receipt
                error=Signal::derive(|| None::<String>)
                target=target
            />
        </div>
        <div class="fee-way">
            <h3>{t!(i18n, fee.by_email_title)}</h3>
            <p>{t!(i18n, fee.by_email_lead)}</p>
            <p>
                <a class="button button-secondary" href=mailto>{t!(i18n, fee.mailto)}</a>
            </p>
            <dl class="copy-list">
                <CopyValue
                    id="receipt-to"
                    label=move || t_string!(i18n, fee.to_label).to_string()
                    value=email.to.clone()
                />
                <CopyValue
                    id="receipt-subject"
                    label=move || t_string!(i18n, fee.subject_label).to_string()
                    value=subject
                />
                <CopyValue
                    id="receipt-body"
                    label=move || t_string!(i18n, fee.body_label).to_string()
                    value=body
                    display=shown_body
                    multiline=true
                />
            </dl>
        </div>
        <p>
            <A href=Page::Status.href() attr:class="button button-secondary">{t!(i18n, fee.status_link)}</A>
        </p>
    }
}
