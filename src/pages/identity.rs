//! 页 1 — 身份信息: real name, document type and number, mobile number and the SMS code. "下一步" verifies the
//! code with the backend and keeps the verification token for the uploads and the submission.

use crate::api::{Api, ApiError};
use crate::clock::{now_ms, today, use_now};
use crate::components::error_summary::{focus_fragment_field, ErrorSummary};
use crate::components::field::{described_by, DraftField, Entry, Field};
use crate::components::sms_code::SmsCodeField;
use crate::components::step_indicator::{Step, StepIndicator};
use crate::config::use_config;
use crate::draft::{use_draft, Verification};
use crate::form::Form;
use crate::i18n::*;
use crate::messages::{api_error_message, code_message, document_type_name};
use crate::routes::Page;
use domain::api::{SmsVerified, SmsVerifyRequest};
use domain::application::{check_identity, fields};
use domain::id_document::DocumentType;
use domain::phone::normalize_phone;
use domain::sms_code::validate_sms_code;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The SMS code: on this page, not in the application.
const CODE: &str = "identity.code";

/// The label and hint of each text field, one a line.
#[rustfmt::skip]
fn words(i18n: I18nContext<Locale>, path: &str) -> (&'static str, Option<&'static str>) {
    match path {
        fields::IDENTITY_NAME => (t_string!(i18n, identity.name_label), Some(t_string!(i18n, identity.name_hint))),
        fields::IDENTITY_DOCUMENT_NUMBER => (t_string!(i18n, identity.document_number_label), Some(t_string!(i18n, identity.document_number_hint))),
        _ => (t_string!(i18n, identity.phone_label), Some(t_string!(i18n, identity.phone_hint))),
    }
}

#[component]
pub fn IdentityPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = Api::new(&use_config().api_base_url);
    let draft = use_draft();
    let navigate = use_navigate();
    let query = use_query_map();
    let document_type = move || draft.draft.with(|d| d.identity.document_type);

    let now = use_now();
    let code = RwSignal::new(String::new());
    let verify_error = RwSignal::new(None::<ApiError>);
    let phone = Memo::new(move |_| draft.draft.with(|d| normalize_phone(&d.identity.phone)));
    // A memo: the clock ticks every second, and the checks below run again only when the answer changes.
    let verified = Memo::new(move |_| {
        let now = now.get();
        let phone = phone.get().ok()?;
        draft
            .draft
            .with(|d| d.token_for(&phone, now).is_some())
            .then_some(phone)
    });

    let order = [
        fields::IDENTITY_NAME,
        fields::IDENTITY_DOCUMENT_NUMBER,
        fields::IDENTITY_PHONE,
        CODE,
    ];
    let form = Form::new(
        Page::Identity,
        order.map(String::from).to_vec(),
        move |messages| {
            let checked = draft
                .draft
                .with(|d| check_identity(&d.identity_request(), today()));
            let mut problems = messages.of(checked);
            let code_problem = if verified.get().is_some() {
                None
            } else if let Some(error) = verify_error.get() {
                Some(api_error_message(i18n, &error))
            } else {
                validate_sms_code(&code.get())
                    .err()
                    .map(|e| code_message(i18n, e.code()))
            };
            problems.extend(code_problem.map(|message| (CODE.to_string(), message)));
            problems
        },
    );

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
        let next = if back_to_review {
            Page::Review
        } else {
            Page::Account
        };
        navigate(next.path(), Default::default());
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
                form.fail();
            }
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // A failed verification does not stop a new one: 下一步 tries the code again.
        if verify.pending().get_untracked() || !form.send_except(CODE) {
            return;
        }
        if verified.get_untracked().is_some() {
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
    Effect::new(move |_| focus_fragment_field());

    view! {
        <section class="identity">
            <StepIndicator current=Step::Identity />
            <ErrorSummary errors=form.summary() attempt=form.attempt() />
            <h1>{t!(i18n, identity.title)}</h1>
            <form on:submit=on_submit novalidate>
                <DraftField form=form path=fields::IDENTITY_NAME entry=Entry::Name words=words />
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
                                    <option value=doc.code() selected=move || document_type() == doc>
                                        {move || document_type_name(i18n, doc)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </Field>
                <DraftField form=form path=fields::IDENTITY_DOCUMENT_NUMBER entry=Entry::DocumentNumber words=words />
                <DraftField form=form path=fields::IDENTITY_PHONE entry=Entry::Phone words=words />
                <SmsCodeField
                    form=form
                    path=CODE
                    phone_path=fields::IDENTITY_PHONE
                    phone=phone
                    code=code
                    verified=verified
                    now=now
                    on_input=Callback::new(move |()| verify_error.set(None))
                />
                <div class="actions">
                    <A href=Page::Consent.href() attr:class="button button-secondary">{t!(i18n, common.back)}</A>
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
