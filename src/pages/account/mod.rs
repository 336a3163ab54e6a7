//! 页 2 — 账户信息: username (availability checked while typing), password with strength meter and
//! confirmation, ID card and asset-proof images, optional address, e-mail with a typo hint, and the three
//! agreements that must be read before they can be accepted. "下一步" goes to the check-answers page.

mod password;
mod username;

use crate::clock::today;
use crate::components::agreement::AgreementField;
use crate::components::attachment_field::AttachmentField;
use crate::components::error_summary::{focus_fragment_field, ErrorSummary};
use crate::components::field::{Entry, TextField};
use crate::components::step_indicator::{Step, StepIndicator};
use crate::config::use_config;
use crate::draft::{use_draft, use_secrets, AccountDraft, AgreementRecord};
use crate::form::place::{dom_id, link_to};
use crate::form::Form;
use crate::i18n::*;
use crate::messages::code_message;
use crate::routes::Page;
use crate::upload::StoredUpload;
use domain::api::{codes, AgreementId, UploadKind};
use domain::application::{
    check_account, check_agreements, check_attachments, fields, OwnDetails, Versions,
};
use domain::email::suggest_email_domain;
use domain::password::validate_confirmation;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use password::{PasswordFields, CONFIRM};
use username::{use_availability, Availability};

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let draft = use_draft();
    let secrets = use_secrets();
    let navigate = use_navigate();
    let account = move || draft.draft.with(|d| d.account.clone());
    let edit = move |change: fn(&mut AccountDraft, String)| {
        Callback::new(move |value: String| draft.update(|d| change(&mut d.account, value)))
    };
    let availability = use_availability(Signal::derive(move || account().username));

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
        let mut problems = messages.of(check_account(&account, &details));
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

    let uploads_of = move |path: &'static str, pick: fn(&AccountDraft) -> Vec<StoredUpload>| {
        let on_change = Callback::new(move |uploads: Vec<StoredUpload>| {
            form.changed(path);
            draft.update(|d| match path {
                fields::ID_FRONT => d.account.id_front = uploads,
                fields::ID_BACK => d.account.id_back = uploads,
                _ => d.account.asset_proofs = uploads,
            });
        });
        let uploads = Signal::derive(move || draft.draft.with(|d| pick(&d.account)));
        (
            uploads,
            on_change,
            form.shown_after_sending(path.to_string()),
        )
    };
    let (front, on_front, front_error) = uploads_of(fields::ID_FRONT, |a| a.id_front.clone());
    let (back, on_back, back_error) = uploads_of(fields::ID_BACK, |a| a.id_back.clone());
    let (proofs, on_proofs, proofs_error) =
        uploads_of(fields::ASSET_PROOFS, |a| a.asset_proofs.clone());

    let agreement_fields = config
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
        .collect_view();

    view! {
        <section class="account">
            <StepIndicator current=Step::Account />
            <ErrorSummary errors=form.summary() attempt=form.attempt() />
            <h1>{t!(i18n, account.title)}</h1>
            <Show when=move || !has_token()>
                <div class="notice-banner" role="status">
                    <p>{t!(i18n, account.verify_again)}</p>
                    <A href=link_to("identity.code", false)>{t!(i18n, account.verify_again_link)}</A>
                </div>
            </Show>
            <form on:submit=go_on novalidate>
                <TextField
                    form=form
                    path=fields::ACCOUNT_USERNAME
                    entry=Entry::Username
                    label=move || t_string!(i18n, account.username_label).to_string()
                    hint=move || t_string!(i18n, account.username_hint).to_string()
                    value=move || account().username
                    on_input=edit(|a, v| a.username = v)
                >
                    <p class="field-status" role="status">{move || availability.get().status(i18n)}</p>
                </TextField>
                <PasswordFields form=form />
                <AttachmentField
                    id=dom_id(fields::ID_FRONT)
                    kind=UploadKind::IdFront
                    label=move || t_string!(i18n, account.id_front_label).to_string()
                    hint=move || t_string!(i18n, account.id_hint).to_string()
                    uploads=front
                    on_change=on_front
                    error=front_error
                />
                <AttachmentField
                    id=dom_id(fields::ID_BACK)
                    kind=UploadKind::IdBack
                    label=move || t_string!(i18n, account.id_back_label).to_string()
                    hint=move || t_string!(i18n, account.id_hint).to_string()
                    uploads=back
                    on_change=on_back
                    error=back_error
                />
                <AttachmentField
                    id=dom_id(fields::ASSET_PROOFS)
                    kind=UploadKind::AssetProof
                    multiple=true
                    label=move || t_string!(i18n, account.assets_label).to_string()
                    hint=move || t_string!(i18n, account.assets_hint).to_string()
                    uploads=proofs
                    on_change=on_proofs
                    error=proofs_error
                />
                <TextField
                    form=form
                    path=fields::ACCOUNT_ADDRESS
                    entry=Entry::Address
                    label=move || t_string!(i18n, account.address_label).to_string()
                    value=move || account().address
                    on_input=edit(|a, v| a.address = v)
                />
                <TextField
                    form=form
                    path=fields::ACCOUNT_EMAIL
                    entry=Entry::Email
                    label=move || t_string!(i18n, account.email_label).to_string()
                    hint=move || t_string!(i18n, account.email_hint).to_string()
                    value=move || account().email
                    on_input=edit(|a, v| a.email = v)
                >
                    {move || {
                        suggest_email_domain(account().email.trim())
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
                </TextField>
                <fieldset class="agreements">
                    <legend>{t!(i18n, account.agreements_legend)}</legend>
                    {agreement_fields}
                </fieldset>
                <div class="actions">
                    <A href=Page::Identity.path() attr:class="button button-secondary">{t!(i18n, common.back)}</A>
                    <button type="submit" class="button button-primary">{t!(i18n, common.next)}</button>
                </div>
            </form>
        </section>
    }
}
