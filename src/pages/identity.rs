//! 页 1 — 身份信息: real name, document type and number, mobile number and the SMS code. "发送验证码" checks
//! the number first and counts down for as long as the server says (surviving a refresh); "下一步" verifies the
//! code with the backend and keeps the verification token for the uploads and the submission.

use crate::api::{Api, ApiError};
use crate::clock::{now_ms, today};
use crate::components::error_summary::{
    focus_element, focus_fragment_field, ErrorItem, ErrorSummary,
};
use crate::components::field::{described_by, Field, TextInput, Touched};
use crate::components::step_indicator::{Step, StepIndicator};
use crate::config::use_config;
use crate::draft::{use_draft, IdentityDraft, SmsCooldown, Verification};
use crate::i18n::*;
use crate::messages::{api_error_message, code_message};
use crate::submission::{self, use_server_errors};
use domain::api::{codes, SmsCodeRequest, SmsCodeSent, SmsVerified, SmsVerifyRequest};
use domain::id_document::{validate_document, DocumentType};
use domain::name::validate_name;
use domain::phone::{mask_phone, normalize_phone};
use domain::sms_code::validate_sms_code;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_use::use_interval_fn;

pub fn document_type_name(i18n: leptos_i18n::I18nContext<Locale>, doc: DocumentType) -> String {
    match doc {
        DocumentType::ResidentId => t_string!(i18n, document_type.resident_id),
        DocumentType::HkMacauPermit => t_string!(i18n, document_type.hk_macau_permit),
        DocumentType::TaiwanPermit => t_string!(i18n, document_type.taiwan_permit),
        DocumentType::ResidencePermit => t_string!(i18n, document_type.residence_permit),
        DocumentType::ForeignPermanentResident => {
            t_string!(i18n, document_type.foreign_permanent_resident)
        }
    }
    .to_string()
}

#[component]
pub fn IdentityPage() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let draft = use_draft();
    let navigate = use_navigate();
    let query = use_query_map();
    let api = Api::new(&config.api_base_url);
    let identity = move || draft.draft.with(|d| d.identity.clone());

    let code = RwSignal::new(String::new());
    let touched = Touched::new();
    let attempt = RwSignal::new(0u32);
    let server_errors = use_server_errors();
    // What typing in a field does: the value goes into the draft, and the server's word on it is spent.
    let typed = move |field: &'static str, change: fn(&mut IdentityDraft, String)| {
        move |value: String| {
            server_errors.clear(field);
            draft.update(|d| change(&mut d.identity, value));
        }
    };
    if server_errors.on_page(submission::IDENTITY) {
        attempt.set(1);
    }
    let server = move |target: &str| server_errors.message_for(i18n, target);
    let shown = move |field: &'static str| attempt.get() > 0 || touched.contains(field);
    let touch = move |field: &'static str| touched.touch(field);

    // The clock that drives the resend countdown.
    let now = RwSignal::new(now_ms());
    use_interval_fn(move || now.set(now_ms()), 1000);

    let phone = Memo::new(move |_| draft.draft.with(|d| normalize_phone(&d.identity.phone)));
    let verified = move || {
        let now = now.get();
        draft.draft.with(|d| {
            phone
                .get()
                .ok()
                .and_then(|p| d.token_for(&p, now).map(|_| p))
        })
    };
    let cooldown_left = move || -> u64 {
        let now = now.get();
        draft.draft.with(|d| match (&d.sms_cooldown, phone.get()) {
            (Some(c), Ok(p)) if c.phone == p && c.until_ms > now => {
                ((c.until_ms - now) / 1000.0).ceil() as u64
            }
            _ => 0,
        })
    };

    let name_error = move || {
        validate_name(&identity().name)
            .err()
            .map(|e| code_message(i18n, e.code()))
            .or_else(|| server("identity-name"))
    };
    let number_error = move || {
        let id = identity();
        validate_document(id.document_type, &id.document_number, today())
            .err()
            .map(|e| code_message(i18n, e.code()))
            .or_else(|| server("identity-document-number"))
    };
    let phone_error = move || {
        phone
            .get()
            .err()
            .map(|e| code_message(i18n, e.code()))
            .or_else(|| server("identity-phone"))
    };
    let send_error = RwSignal::new(None::<ApiError>);
    let verify_error = RwSignal::new(None::<ApiError>);
    let code_error = move || {
        if verified().is_some() {
            return None;
        }
        if let Some(error) = verify_error.get() {
            return Some(api_error_message(i18n, &error));
        }
        validate_sms_code(&code.get())
            .err()
            .map(|e| code_message(i18n, e.code()))
    };
    // Each error as shown beside its field and by its input: once the field was left or the form sent.
    let name_shown = Signal::derive(move || name_error().filter(|_| shown("identity-name")));
    let number_shown =
        Signal::derive(move || number_error().filter(|_| shown("identity-document-number")));
    let phone_shown = Signal::derive(move || phone_error().filter(|_| shown("identity-phone")));
    let code_shown = Signal::derive(move || code_error().filter(|_| shown("identity-code")));

    let api_for_send = api.clone();
    let send = Action::new_local(move |phone: &String| {
        let request = SmsCodeRequest {
            phone: phone.clone(),
        };
        let api = api_for_send.clone();
        async move {
            let sent = Api::send_json::<_, SmsCodeSent>(api.post("/sms-codes"), &request).await;
            (request.phone, sent)
        }
    });
    let sent_to = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some((input, outcome)) = send.value().get() else {
            return;
        };
        let wait_s = match &outcome {
            Ok(sent) => Some(sent.cooldown_s),
            Err(ApiError::Api { status: 429, body }) => body.retry_after_s,
            Err(_) => None,
        };
        if let Some(wait_s) = wait_s {
            draft.update(|d| {
                d.sms_cooldown = Some(SmsCooldown {
                    phone: input.clone(),
                    until_ms: now_ms() + wait_s as f64 * 1000.0,
                })
            });
            now.set(now_ms());
        }
        match outcome {
            Ok(_) => {
                send_error.set(None);
                sent_to.set(Some(input));
            }
            Err(error) => send_error.set(Some(error)),
        }
    });
    let on_send = move |_| {
        touch("identity-phone");
        if send.pending().get_untracked() || cooldown_left() > 0 {
            return;
        }
        match phone.get_untracked() {
            Ok(p) => {
                send_error.set(None);
                verify_error.set(None);
                send.dispatch(p);
            }
            Err(_) => focus_element("identity-phone"),
        }
    };

    let verify = Action::new_local(move |request: &SmsVerifyRequest| {
        let request = request.clone();
        let api = api.clone();
        async move {
            let verified =
                Api::send_json::<_, SmsVerified>(api.post("/sms-codes/verify"), &request).await;
            (request.phone, verified)
        }
    });
    let go_on = move || {
        let back_to_review = query.with_untracked(|q| q.get("return").as_deref() == Some("review"));
        navigate(
            if back_to_review {
                "/personal/review"
            } else {
                "/personal/account"
            },
            Default::default(),
        );
    };
    let go_on_after_verify = go_on.clone();
    Effect::new(move |_| {
        let Some((phone, outcome)) = verify.value().get() else {
            return;
        };
        match outcome {
            Ok(verified) => {
                draft.update(|d| {
                    d.verification = Some(Verification {
                        phone,
                        token: verified.verification_token,
                        expires_at_ms: now_ms() + verified.expires_s as f64 * 1000.0,
                    })
                });
                code.set(String::new());
                go_on_after_verify();
            }
            Err(error) => {
                verify_error.set(Some(error));
                attempt.update(|n| *n += 1);
            }
        }
    });

    let errors = Signal::derive(move || {
        if attempt.get() == 0 {
            return Vec::new();
        }
        [
            ("identity-name", name_error()),
            ("identity-document-number", number_error()),
            ("identity-phone", phone_error()),
            ("identity-code", code_error()),
        ]
        .into_iter()
        .filter_map(|(target, message)| {
            message.map(|message| ErrorItem {
                target_id: target.into(),
                message,
            })
        })
        .collect()
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if verify.pending().get_untracked() {
            return;
        }
        let code_missing = verify_error.get_untracked().is_none()
            && verified().is_none()
            && validate_sms_code(&code.get_untracked()).is_err();
        let has_errors = name_error().is_some()
            || number_error().is_some()
            || phone_error().is_some()
            || code_missing;
        if has_errors {
            attempt.update(|n| *n += 1);
            return;
        }
        if verified().is_some() {
            go_on();
            return;
        }
        if let (Ok(phone), Ok(code)) = (
            phone.get_untracked(),
            validate_sms_code(&code.get_untracked()),
        ) {
            verify_error.set(None);
            verify.dispatch(SmsVerifyRequest { phone, code });
        }
    };

    let send_label = move || {
        let left = cooldown_left();
        if send.pending().get() {
            t_string!(i18n, identity.sending).to_string()
        } else if left > 0 {
            t_string!(i18n, identity.resend_in, seconds = left).to_string()
        } else {
            t_string!(i18n, identity.send_code).to_string()
        }
    };
    let status = move || {
        if let Some(p) = verified() {
            return Some(t_string!(i18n, identity.verified, phone = mask_phone(&p)).to_string());
        }
        sent_to
            .get()
            .map(|p| t_string!(i18n, identity.code_sent, phone = mask_phone(&p)).to_string())
    };
    Effect::new(move |_| focus_fragment_field());

    view! {
        <section class="identity">
            <StepIndicator current=Step::Identity />
            <ErrorSummary errors=errors attempt=attempt />
            <h1>{t!(i18n, identity.title)}</h1>
            <form on:submit=on_submit novalidate>
                <Field
                    id="identity-name"
                    label=move || t_string!(i18n, identity.name_label).to_string()
                    hint=move || t_string!(i18n, identity.name_hint).to_string()
                    error=name_shown
                >
                    <TextInput
                        id="identity-name"
                        value=move || identity().name
                        error=name_shown
                        on_input=typed("identity-name", |i, v| i.name = v)
                        touched={touched}
                        {..}
                        type="text"
                        autocomplete="name"
                    />
                </Field>
                <Field
                    id="identity-document-type"
                    label=move || t_string!(i18n, identity.document_type_label).to_string()
                    error=Signal::derive(|| None::<String>)
                >
                    <select
                        id="identity-document-type"
                        class="input"
                        aria-describedby=described_by("identity-document-type")
                        on:change:target=move |ev| {
                            let chosen = DocumentType::from_code(&ev.target().value()).unwrap_or_default();
                            draft.update(|d| d.identity.document_type = chosen);
                        }
                    >
                        {DocumentType::ALL
                            .into_iter()
                            .map(|doc| {
                                view! {
                                    <option
                                        value=doc.code()
                                        selected=move || identity().document_type == doc
                                    >
                                        {move || document_type_name(i18n, doc)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </Field>
                <Field
                    id="identity-document-number"
                    label=move || t_string!(i18n, identity.document_number_label).to_string()
                    hint=move || t_string!(i18n, identity.document_number_hint).to_string()
                    error=number_shown
                >
                    <TextInput
                        id="identity-document-number"
                        value=move || identity().document_number
                        error=number_shown
                        on_input=typed("identity-document-number", |i, v| i.document_number = v)
                        touched={touched}
                        {..}
                        type="text"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                    />
                </Field>
                <Field
                    id="identity-phone"
                    label=move || t_string!(i18n, identity.phone_label).to_string()
                    hint=move || t_string!(i18n, identity.phone_hint).to_string()
                    error=phone_shown
                >
                    <TextInput
                        id="identity-phone"
                        value=move || identity().phone
                        error=phone_shown
                        on_input=typed("identity-phone", |i, v| i.phone = v)
                        touched={touched}
                        {..}
                        type="tel"
                        inputmode="tel"
                        autocomplete="tel-national"
                    />
                </Field>
                <Field
                    id="identity-code"
                    label=move || t_string!(i18n, identity.code_label).to_string()
                    hint=move || t_string!(i18n, identity.code_hint).to_string()
                    error=code_shown
                >
                    <div class="code-row">
                        <TextInput
                            id="identity-code"
                            class="input input-code"
                            value=code
                            error=code_shown
                            on_input=move |value| {
                                verify_error.set(None);
                                code.set(value);
                            }
                            touched={touched}
                            {..}
                            type="text"
                            inputmode="numeric"
                            autocomplete="one-time-code"
                            disabled=move || verified().is_some()
                        />
                        <button
                            type="button"
                            class="button button-secondary"
                            aria-disabled=move || (send.pending().get() || cooldown_left() > 0).to_string()
                            on:click=on_send
                        >
                            {send_label}
                        </button>
                    </div>
                    <p class="field-error" role="alert" hidden=move || send_error.with(Option::is_none)>
                        {move || send_error.get().map(|e| api_error_message(i18n, &e))}
                    </p>
                    <p class="field-status" role="status">{status}</p>
                </Field>
                <div class="actions">
                    <A href="/personal/consent" attr:class="button button-secondary">{t!(i18n, common.back)}</A>
                    <button type="submit" class="button button-primary" disabled=move || verify.pending().get()>
                        {move || {
                            if verify.pending().get() {
                                t_string!(i18n, identity.verifying)
                            } else {
                                t_string!(i18n, common.next)
                            }
                        }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// The verification token of the draft's phone, if it is still valid.
pub fn current_token(draft: &crate::draft::Draft) -> Option<String> {
    let phone = normalize_phone(&draft.identity.phone).ok()?;
    draft.token_for(&phone, now_ms()).map(str::to_string)
}

/// True when an API error means the phone must be verified again.
pub fn needs_new_verification(error: &ApiError) -> bool {
    matches!(
        error.code(),
        Some(
            codes::TOKEN_EXPIRED
                | codes::TOKEN_INVALID
                | codes::TOKEN_MISSING
                | codes::PHONE_NOT_VERIFIED
        )
    )
}
