//! 页 2 — 账户信息: username (availability checked while typing), password with strength meter and
//! confirmation, ID card and asset-proof images, optional address, e-mail with a typo hint, and the three
//! agreements that must be read before they can be accepted. "下一步" goes to the check-answers page.

mod password;
mod username;

use crate::clock::today;
use crate::components::after_first_paint::AfterFirstPaint;
use crate::components::agreement::AgreementField;
use crate::components::attachment_field::AttachmentField;
use crate::components::error_summary::{focus_fragment_field, ErrorSummary};
use crate::components::field::{DraftField, Entry};
use crate::components::step_indicator::{Step, StepIndicator};
use crate::config::use_config;
use crate::draft::{use_draft, use_secrets, AgreementRecord};
use crate::form::place::{dom_id, link_to};
use crate::form::Form;
use crate::i18n::*;
use crate::messages::code_message;
use crate::routes::{link, Page};
use crate::upload::StoredUpload;
use domain::api::{codes, AgreementId, UploadKind};
use domain::application::{
    check_account, check_agreements, check_attachments, fields, OwnDetails, Versions,
};
use domain::email::suggest_email_domain;
use domain::password::validate_confirmation;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use password::{PasswordFields, CONFIRM};
use username::{use_availability, Availability};

/// The label and hint of each text and image field, one a line.
#[rustfmt::skip]
fn words(i18n: I18nContext<Locale>, path: &str) -> (&'static str, Option<&'static str>) {
    match path {
        fields::ACCOUNT_USERNAME => (t_string!(i18n, account.username_label), Some(t_string!(i18n, account.username_hint))),
        fields::ID_FRONT => (t_string!(i18n, account.id_front_label), Some(t_string!(i18n, account.id_hint))),
        fields::ID_BACK => (t_string!(i18n, account.id_back_label), Some(t_string!(i18n, account.id_hint))),
        fields::ASSET_PROOFS => (t_string!(i18n, account.assets_label), Some(t_string!(i18n, account.assets_hint))),
        fields::ACCOUNT_ADDRESS => (t_string!(i18n, account.address_label), None),
        _ => (t_string!(i18n, account.email_label), Some(t_string!(i18n, account.email_hint))),
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let draft = use_draft();
    let secrets = use_secrets();
    let navigate = use_navigate();
    let email = move || draft.draft.with(|d| d.account.email.trim().to_string());
    let availability = use_availability(Signal::derive(move || {
        draft.draft.with(|d| d.account.username.clone())
    }));

    let agreement_paths: Vec<String> = config
        .agreements
        .iter()
        .filter_map(|doc| AgreementId::from_name(&doc.id))
        .map(fields::agreement)
        .collect();
    let mut order: Vec<String> = [
        fields::ACCOUNT_USERNAME,
        fields::ACCOUNT_PASSWORD,
        CONFIRM,
        fields::ID_FRONT,
        fields::ID_BACK,
        fields::ASSET_PROOFS,
        fields::ACCOUNT_ADDRESS,
        fields::ACCOUNT_EMAIL,
    ]
    .map(String::from)
    .to_vec();
    order.extend(agreement_paths);
    // The attachment fields with an image on its way: "wait" beats "missing" for them.
    let uploading = [fields::ID_FRONT, fields::ID_BACK, fields::ASSET_PROOFS]
        .map(|path| (path, RwSignal::new(false)));
    let versions = Versions::of(&config);
    let rules_config = config.clone();
    let form = Form::new(Page::Account, order, move |messages| {
        let password = secrets.password.get();
        let (account, details, attachments, agreements) = draft.draft.with(|d| {
            (
                d.account_request(password.clone()),
                OwnDetails::of(&d.identity_request(), today()),
                d.attachments_request(),
                d.agreements_request(&rules_config),
            )
        });
        let mut problems: Vec<(String, String)> = uploading
            .iter()
            .filter(|(_, busy)| busy.get())
            .map(|(path, _)| {
                let wait = t_string!(i18n, attachment.still_uploading).to_string();
                (path.to_string(), wait)
            })
            .collect();
        problems.extend(messages.of(check_account(&account, &details)));
        if let Availability::Taken(name) = availability.get() {
            if name == account.username {
                let taken = code_message(i18n, codes::USERNAME_TAKEN);
                problems.push((fields::ACCOUNT_USERNAME.to_string(), taken));
            }
        }
        let confirmation = secrets.confirmation.get();
        let mismatch = if confirmation.is_empty() && !password.is_empty() {
            Some("password_mismatch")
        } else {
            validate_confirmation(&password, &confirmation)
                .err()
                .map(|e| e.code())
        };
        problems.extend(mismatch.map(|code| (CONFIRM.to_string(), code_message(i18n, code))));
        problems.extend(messages.of(check_attachments(&attachments)));
        problems.extend(messages.of(check_agreements(&agreements, Some(&versions))));
        problems
    });

    let has_token = move || draft.draft.with(|d| d.current_token().is_some());
    let go_on = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.send() {
            navigate(Page::Review.path(), Default::default());
        }
    };
    Effect::new(move |_| focus_fragment_field());

    // An attachment field of the draft: its uploads are those of the draft at `path`.
    let attachment = move |path: &'static str, kind: UploadKind| {
        let uploads =
            Signal::derive(move || draft.draft.with(|d| d.account.uploads(path).to_vec()));
        let on_change = Callback::new(move |uploads: Vec<StoredUpload>| {
            form.changed(path);
            draft.update(|d| *d.account.uploads_mut(path) = uploads);
        });
        view! {
            <AttachmentField
                id=dom_id(path)
                kind=kind
                multiple=path == fields::ASSET_PROOFS
                label=move || words(i18n, path).0.to_string()
                hint=move || words(i18n, path).1.unwrap_or_default().to_string()
                uploads=uploads
                on_change=on_change
                error=form.shown_after_sending(path.to_string())
                busy=uploading.iter().find(|(p, _)| *p == path).map(|(_, busy)| *busy).unwrap_or_default()
            />
        }
    };

    let agreement_fields = move || {
        config
            .agreements
            .iter()
            .filter_map(|doc| {
                Some((
                    doc.clone(),
                    fields::agreement(AgreementId::from_name(&doc.id)?),
                ))
            })
            .map(|(doc, path)| {
                let id = doc.id.clone();
                let record_id = id.clone();
                let record = Signal::derive(move || {
                    draft
                        .draft
                        .with(|d| d.account.agreements.get(&record_id).cloned())
                });
                let changed_path = path.clone();
                let on_change = Callback::new(move |record: Option<AgreementRecord>| {
                    form.changed(&changed_path);
                    draft.update(|d| match record {
                        Some(r) => {
                            d.account.agreements.insert(id.clone(), r);
                        }
                        None => {
                            d.account.agreements.remove(&id);
                        }
                    });
                });
                view! {
                    <AgreementField
                        id=dom_id(&path)
                        agreement=doc
                        record=record
                        on_change=on_change
                        error=form.shown_after_sending(path)
                    />
                }
            })
            .collect_view()
    };

    view! {
        <section class="account">
            <StepIndicator current=Step::Account />
            <ErrorSummary errors=form.summary() attempt=form.attempt() />
            <h1>{t!(i18n, account.title)}</h1>
            <Show when=move || !has_token()>
                <div class="notice-banner" role="status">
                    <p>{t!(i18n, account.verify_again)}</p>
                    <A href=link(&link_to("identity.code", false))>{t!(i18n, account.verify_again_link)}</A>
                </div>
            </Show>
            <form on:submit=go_on novalidate>
                <DraftField form=form path=fields::ACCOUNT_USERNAME entry=Entry::Username words=words>
                    <p class="field-status" role="status">{move || availability.get().status(i18n)}</p>
                </DraftField>
                <PasswordFields form=form />
                {attachment(fields::ID_FRONT, UploadKind::IdFront)}
                <AfterFirstPaint>
                {attachment(fields::ID_BACK, UploadKind::IdBack)}
                {attachment(fields::ASSET_PROOFS, UploadKind::AssetProof)}
                <DraftField form=form path=fields::ACCOUNT_ADDRESS entry=Entry::Address words=words />
                <DraftField form=form path=fields::ACCOUNT_EMAIL entry=Entry::Email words=words>
                    {move || {
                        suggest_email_domain(&email())
                            .map(|email| {
                                let chosen = email.clone();
                                view! {
                                    <p class="field-status email-suggestion" role="status">
                                        {t_string!(i18n, account.email_suggestion, email).to_string()}
                                        " "
                                        <button
                                            type="button"
                                            class="button-link"
                                            on:click=move |_| {
                                                form.changed(fields::ACCOUNT_EMAIL);
                                                draft.update(|d| d.account.email = chosen.clone());
                                            }
                                        >
                                            {t!(i18n, account.email_use_suggestion)}
                                        </button>
                                    </p>
                                }
                            })
                    }}
                </DraftField>
                <fieldset class="agreements">
                    <legend>{t!(i18n, account.agreements_legend)}</legend>
                    {agreement_fields()}
                </fieldset>
                <div class="actions">
                    <A href=Page::Identity.href() attr:class="button button-secondary">{t!(i18n, common.back)}</A>
                    <button type="submit" class="button button-primary">{t!(i18n, common.next)}</button>
                </div>
                </AfterFirstPaint>
            </form>
        </section>
    }
}
