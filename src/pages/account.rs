//! 页 2 — 账户信息: username (availability checked while typing), password with strength meter and
//! confirmation, ID card and asset-proof images, optional address, e-mail with a typo hint, and the three
//! agreements that must be read before they can be accepted. "下一步" goes to the check-answers page.

use crate::api::Api;
use crate::components::agreement::{AgreementField, AgreementRecord};
use crate::components::attachment_field::AttachmentField;
use crate::components::error_summary::{focus_fragment_field, ErrorItem, ErrorSummary};
use crate::components::field::{described_by, Field, TextInput, Touched};
use crate::components::step_indicator::{Step, StepIndicator};
use crate::config::use_config;
use crate::draft::{use_draft, use_secrets, AccountDraft};
use crate::i18n::*;
use crate::messages::code_message;
use crate::pages::identity::current_token;
use crate::submission::{self, agreement_title, attachment_missing_message, use_server_errors};
use crate::upload::StoredUpload;
use domain::api::{UploadKind, UsernameAvailability, MAX_ASSET_PROOFS};
use domain::application::check_address;
use domain::email::{suggest_email_domain, validate_email};
use domain::password::{
    password_strength, validate_confirmation, validate_password, PasswordContext, Strength,
};
use domain::username::validate_username;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use std::time::Duration;

/// Wait after the last keystroke before asking whether a username is free.
const USERNAME_CHECK_DELAY: Duration = Duration::from_millis(400);

/// What is known about the username typed.
#[derive(Clone, Debug, PartialEq)]
enum Availability {
    Unknown,
    Checking(String),
    Free(String),
    Taken(String),
    CheckFailed(String),
}

fn strength_text(i18n: leptos_i18n::I18nContext<Locale>, strength: Strength) -> &'static str {
    match strength {
        Strength::TooShort => t_string!(i18n, account.strength_too_short),
        Strength::Weak => t_string!(i18n, account.strength_weak),
        Strength::Fair => t_string!(i18n, account.strength_fair),
        Strength::Good => t_string!(i18n, account.strength_good),
        Strength::Strong => t_string!(i18n, account.strength_strong),
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let draft = use_draft();
    let secrets = use_secrets();
    let server_errors = use_server_errors();
    let navigate = use_navigate();
    let api = Api::new(&config.api_base_url);
    let account = move || draft.draft.with(|d| d.account.clone());
    let edit = move |change: fn(&mut AccountDraft, String), value: String| {
        draft.update(|d| change(&mut d.account, value))
    };
    // What typing in a field does: the value goes into the draft, and the server's word on it is spent.
    let typed = move |field: &'static str, change: fn(&mut AccountDraft, String)| {
        move |value: String| {
            server_errors.clear(field);
            edit(change, value);
        }
    };

    let touched = Touched::new();
    let attempt = RwSignal::new(0u32);
    let shown = move |field: &'static str| attempt.get() > 0 || touched.contains(field);
    // Sent back by the server (422) or from the check-answers page: show what is wrong at once.
    if server_errors.on_page(submission::ACCOUNT) {
        attempt.set(1);
    }
    let server = move |target: &str| server_errors.message_for(i18n, target);

    // Username: the rule at once, availability after a pause in typing.
    let availability = RwSignal::new(Availability::Unknown);
    let check_generation = StoredValue::new(0u64);
    let check_api = api.clone();
    let check_username = move |typed: String| {
        let generation = check_generation.get_value() + 1;
        check_generation.set_value(generation);
        let Ok(name) = validate_username(&typed) else {
            availability.set(Availability::Unknown);
            return;
        };
        availability.set(Availability::Checking(name.clone()));
        let api = check_api.clone();
        set_timeout(
            move || {
                // The page may be gone (the investor moved on) or the name retyped since.
                if check_generation.try_get_value() != Some(generation) {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let path = format!("/usernames/{}", js_sys::encode_uri_component(&name));
                    let answer = Api::fetch_json::<UsernameAvailability>(api.get(&path)).await;
                    if check_generation.try_get_value() != Some(generation) {
                        return;
                    }
                    availability.try_set(match answer {
                        Ok(a) if a.available => Availability::Free(name),
                        Ok(_) => Availability::Taken(name),
                        Err(_) => Availability::CheckFailed(name),
                    });
                });
            },
            USERNAME_CHECK_DELAY,
        );
    };
    // A username restored from the draft is checked once.
    let initial = account().username;
    if !initial.is_empty() {
        check_username(initial);
    }
    let username_error = move || {
        let name = account().username;
        if let Err(e) = validate_username(&name) {
            return Some(code_message(i18n, e.code()));
        }
        if let Availability::Taken(taken) = availability.get() {
            if taken == name.trim() {
                return Some(code_message(i18n, "username_taken"));
            }
        }
        server("account-username")
    };
    let username_status = move || match availability.get() {
        Availability::Checking(_) => Some(t_string!(i18n, account.username_checking).to_string()),
        Availability::Free(name) => {
            Some(t_string!(i18n, account.username_available, name).to_string())
        }
        Availability::CheckFailed(_) => {
            Some(t_string!(i18n, account.username_check_failed).to_string())
        }
        _ => None,
    };

    // Password.
    let show_password = RwSignal::new(false);
    let password_error = move || {
        let password = secrets.password.get();
        let (username, phone, id_number) = draft.draft.with(|d| {
            (
                d.account.username.clone(),
                d.identity.phone.clone(),
                d.identity.document_number.clone(),
            )
        });
        let context = PasswordContext {
            username: &username,
            phone: &phone,
            id_number: &id_number,
        };
        server("account-password").or_else(|| {
            validate_password(&password, &context)
                .err()
                .map(|e| code_message(i18n, e.code()))
        })
    };
    let confirm_error = move || {
        let (password, confirmation) = (secrets.password.get(), secrets.confirmation.get());
        if confirmation.is_empty() && !password.is_empty() {
            return Some(code_message(i18n, "password_mismatch"));
        }
        validate_confirmation(&password, &confirmation)
            .err()
            .map(|e| code_message(i18n, e.code()))
    };
    let strength = move || password_strength(&secrets.password.get());

    // Images.
    let uploads_error = move |target: &'static str, uploads: Vec<StoredUpload>| {
        if uploads.is_empty() {
            Some(attachment_missing_message(i18n, target))
        } else if uploads.len() > MAX_ASSET_PROOFS {
            Some(code_message(i18n, "asset_proofs_too_many"))
        } else {
            server(target)
        }
    };
    let id_front_error = move || uploads_error("account-id-front", account().id_front);
    let id_back_error = move || uploads_error("account-id-back", account().id_back);
    let assets_error = move || uploads_error("account-asset-proofs", account().asset_proofs);

    // Address and e-mail.
    let address_error = move || {
        check_address(&account().address)
            .err()
            .map(|code| code_message(i18n, code))
            .or_else(|| server("account-address"))
    };
    let email_error = move || {
        validate_email(&account().email)
            .err()
            .map(|e| code_message(i18n, e.code()))
            .or_else(|| server("account-email"))
    };
    let email_suggestion = move || suggest_email_domain(account().email.trim());
    // Errors as shown beside their field and by its input: once the field was left or the form sent.
    let confirm_shown =
        Signal::derive(move || confirm_error().filter(|_| shown("account-password-confirm")));
    let username_shown =
        Signal::derive(move || username_error().filter(|_| shown("account-username")));
    let address_shown =
        Signal::derive(move || address_error().filter(|_| shown("account-address")));
    let email_shown = Signal::derive(move || email_error().filter(|_| shown("account-email")));

    // Agreements.
    let app_config = StoredValue::new(config.clone());
    let agreements = StoredValue::new(config.agreements.clone());
    let agreement_error = move |id: &str| -> Option<String> {
        let doc = agreements.with_value(|docs| docs.iter().find(|d| d.id == id).cloned())?;
        let agreed = draft.draft.with(|d| {
            d.account
                .agreements
                .get(id)
                .is_some_and(|r| r.is_agreed(&doc))
        });
        if agreed {
            server(&format!("account-agreement-{id}"))
        } else {
            let title = app_config.with_value(|c| agreement_title(i18n, c, id));
            Some(t_string!(i18n, errors.agreement_missing, title).to_string())
        }
    };

    let errors = Signal::derive(move || {
        if attempt.get() == 0 {
            return Vec::new();
        }
        let mut items = vec![
            ("account-username".to_string(), username_error()),
            ("account-password".into(), password_error()),
            ("account-password-confirm".into(), confirm_error()),
            ("account-id-front".into(), id_front_error()),
            ("account-id-back".into(), id_back_error()),
            ("account-asset-proofs".into(), assets_error()),
            ("account-address".into(), address_error()),
            ("account-email".into(), email_error()),
        ];
        for doc in agreements.get_value() {
            items.push((
                format!("account-agreement-{}", doc.id),
                agreement_error(&doc.id),
            ));
        }
        items
            .into_iter()
            .filter_map(|(target_id, message)| {
                message.map(|message| ErrorItem { target_id, message })
            })
            .collect()
    });

    let has_token = move || draft.draft.with(|d| current_token(d).is_some());
    let go_on = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempt.update(|n| *n += 1);
        if errors.with_untracked(Vec::is_empty) {
            navigate(submission::REVIEW, Default::default());
        }
    };
    Effect::new(move |_| focus_fragment_field());

    let set_uploads =
        move |target: &'static str, change: fn(&mut AccountDraft, Vec<StoredUpload>)| {
            Callback::new(move |uploads: Vec<StoredUpload>| {
                server_errors.clear(target);
                draft.update(|d| change(&mut d.account, uploads));
            })
        };

    let agreement_fields = agreements
        .get_value()
        .into_iter()
        .map(|doc| {
            let id = doc.id.clone();
            let target = format!("account-agreement-{id}");
            let record_id = id.clone();
            let record = Signal::derive(move || {
                draft
                    .draft
                    .with(|d| d.account.agreements.get(&record_id).cloned())
            });
            let change_id = id.clone();
            let change_target = target.clone();
            let on_change = Callback::new(move |record: Option<AgreementRecord>| {
                server_errors.clear(&change_target);
                draft.update(|d| match record {
                    Some(r) => {
                        d.account.agreements.insert(change_id.clone(), r);
                    }
                    None => {
                        d.account.agreements.remove(&change_id);
                    }
                });
            });
            let error_id = id.clone();
            let error =
                Signal::derive(move || agreement_error(&error_id).filter(|_| attempt.get() > 0));
            view! { <AgreementField id=target agreement=doc record=record on_change=on_change error=error /> }
        })
        .collect_view();

    view! {
        <section class="account">
            <StepIndicator current=Step::Account />
            <ErrorSummary errors=errors attempt=attempt />
            <h1>{t!(i18n, account.title)}</h1>
            <Show when=move || !has_token()>
                <div class="notice-banner" role="status">
                    <p>{t!(i18n, account.verify_again)}</p>
                    <A href="/personal/identity#identity-code">{t!(i18n, account.verify_again_link)}</A>
                </div>
            </Show>
            <form on:submit=go_on novalidate>
                <Field
                    id="account-username"
                    label=move || t_string!(i18n, account.username_label).to_string()
                    hint=move || t_string!(i18n, account.username_hint).to_string()
                    error=username_shown
                >
                    <TextInput
                        id="account-username"
                        value=move || account().username
                        error=username_shown
                        on_input=move |value: String| {
                            server_errors.clear("account-username");
                            edit(|a, v| a.username = v, value.clone());
                            check_username(value);
                        }
                        touched={touched}
                        {..}
                        type="text"
                        autocomplete="username"
                        autocapitalize="off"
                        spellcheck="false"
                    />
                    <p class="field-status" role="status">{username_status}</p>
                </Field>
                <Field
                    id="account-password"
                    label=move || t_string!(i18n, account.password_label).to_string()
                    hint=move || t_string!(i18n, account.password_hint).to_string()
                    error=move || password_error().filter(|_| shown("account-password"))
                >
                    <div class="password-row">
                        <input
                            id="account-password"
                            class="input"
                            type=move || if show_password.get() { "text" } else { "password" }
                            autocomplete="new-password"
                            aria-describedby=move || format!("{} account-password-strength", described_by("account-password"))
                            aria-invalid=move || (shown("account-password") && password_error().is_some()).to_string()
                            prop:value=move || secrets.password.get()
                            on:input:target=move |ev| {
                                server_errors.clear("account-password");
                                secrets.password.set(ev.target().value());
                            }
                            on:blur=move |_| touched.touch("account-password")
                        />
                        <button
                            type="button"
                            class="button button-secondary button-small"
                            aria-controls="account-password"
                            aria-pressed=move || show_password.get().to_string()
                            on:click=move |_| show_password.update(|s| *s = !*s)
                        >
                            {move || {
                                if show_password.get() {
                                    t_string!(i18n, account.password_hide)
                                } else {
                                    t_string!(i18n, account.password_show)
                                }
                            }}
                        </button>
                    </div>
                    <div class="strength" id="account-password-strength" data-score=move || strength().score()>
                        <span class="strength-meter" aria-hidden="true">
                            <span></span>
                            <span></span>
                            <span></span>
                            <span></span>
                        </span>
                        <span class="strength-text">
                            {t!(i18n, account.strength_label)}
                            {move || strength_text(i18n, strength())}
                        </span>
                    </div>
                </Field>
                <Field
                    id="account-password-confirm"
                    label=move || t_string!(i18n, account.confirm_label).to_string()
                    error=confirm_shown
                >
                    <TextInput
                        id="account-password-confirm"
                        value=secrets.confirmation
                        error=confirm_shown
                        on_input=move |value| secrets.confirmation.set(value)
                        touched={touched}
                        {..}
                        type=move || if show_password.get() { "text" } else { "password" }
                        autocomplete="new-password"
                    />
                </Field>
                <AttachmentField
                    id="account-id-front"
                    kind=UploadKind::IdFront
                    label=move || t_string!(i18n, account.id_front_label).to_string()
                    hint=move || t_string!(i18n, account.id_hint).to_string()
                    uploads=move || account().id_front
                    on_change=set_uploads("account-id-front", |a, u| a.id_front = u)
                    error=move || id_front_error().filter(|_| attempt.get() > 0)
                />
                <AttachmentField
                    id="account-id-back"
                    kind=UploadKind::IdBack
                    label=move || t_string!(i18n, account.id_back_label).to_string()
                    hint=move || t_string!(i18n, account.id_hint).to_string()
                    uploads=move || account().id_back
                    on_change=set_uploads("account-id-back", |a, u| a.id_back = u)
                    error=move || id_back_error().filter(|_| attempt.get() > 0)
                />
                <AttachmentField
                    id="account-asset-proofs"
                    kind=UploadKind::AssetProof
                    multiple=true
                    label=move || t_string!(i18n, account.assets_label).to_string()
                    hint=move || t_string!(i18n, account.assets_hint).to_string()
                    uploads=move || account().asset_proofs
                    on_change=set_uploads("account-asset-proofs", |a, u| a.asset_proofs = u)
                    error=move || assets_error().filter(|_| attempt.get() > 0)
                />
                <Field
                    id="account-address"
                    label=move || t_string!(i18n, account.address_label).to_string()
                    error=address_shown
                >
                    <TextInput
                        id="account-address"
                        value=move || account().address
                        error=address_shown
                        on_input=typed("account-address", |a, v| a.address = v)
                        touched={touched}
                        {..}
                        type="text"
                        autocomplete="street-address"
                    />
                </Field>
                <Field
                    id="account-email"
                    label=move || t_string!(i18n, account.email_label).to_string()
                    hint=move || t_string!(i18n, account.email_hint).to_string()
                    error=email_shown
                >
                    <TextInput
                        id="account-email"
                        value=move || account().email
                        error=email_shown
                        on_input=typed("account-email", |a, v| a.email = v)
                        touched={touched}
                        {..}
                        type="email"
                        inputmode="email"
                        autocomplete="email"
                        autocapitalize="off"
                        spellcheck="false"
                    />
                    {move || {
                        email_suggestion()
                            .map(|email| {
                                let chosen = email.clone();
                                view! {
                                    <p class="field-status email-suggestion" role="status">
                                        {t_string!(i18n, account.email_suggestion, email = email.clone()).to_string()}
                                        " "
                                        <button
                                            type="button"
                                            class="button-link"
                                            on:click=move |_| edit(|a, v| a.email = v, chosen.clone())
                                        >
                                            {t!(i18n, account.email_use_suggestion)}
                                        </button>
                                    </p>
                                }
                            })
                    }}
                </Field>
                <fieldset class="agreements">
                    <legend>{t!(i18n, account.agreements_legend)}</legend>
                    {agreement_fields}
                </fieldset>
                <div class="actions">
                    <A href="/personal/identity" attr:class="button button-secondary">{t!(i18n, common.back)}</A>
                    <button type="submit" class="button button-primary">{t!(i18n, common.next)}</button>
                </div>
            </form>
        </section>
    }
}
