//! 核对提交 — every answer grouped by page (ID number masked), a 修改 link per group that returns to the field
//! and comes back here, and the final 确认提交: one application however often it is pressed (the
//! `Idempotency-Key` is kept in the draft), field errors of the server taken back to their page and field.

use crate::api::{Api, ApiError};
use crate::components::step_indicator::{Step, StepIndicator};
use crate::config::use_config;
use crate::draft::{use_draft, use_secrets, use_submitted, Submitted};
use crate::i18n::*;
use crate::messages::{api_error_message, code_message};
use crate::pages::identity::{current_token, needs_new_verification};
use crate::submission::{
    self, agreement_title, application_request, new_idempotency_key, place_of, use_server_errors,
};
use crate::upload::StoredUpload;
use domain::api::{codes, ApplicationCreated, ErrorBody, FieldError};
use domain::id_document::mask_document_number;
use domain::phone::{mask_phone, normalize_phone};
use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// One row of a group: the question and the answer.
fn row(label: String, value: String) -> impl IntoView {
    view! {
        <div class="review-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
        </div>
    }
}

/// The names of the uploaded images, one per line.
fn file_names(uploads: &[StoredUpload]) -> String {
    uploads
        .iter()
        .map(|u| u.file_name.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let draft = use_draft();
    let secrets = use_secrets();
    let server_errors = use_server_errors();
    let (_, set_submitted) = use_submitted();
    let navigate = use_navigate();
    let api = Api::new(&config.api_base_url);
    let d = move || draft.draft.get();

    let submit_config = config.clone();
    let submit = Action::new_local(move |(key, token): &(String, String)| {
        let request = draft.draft.with_untracked(|d| {
            application_request(
                d,
                secrets,
                &submit_config,
                i18n.get_locale_untracked().as_str(),
            )
        });
        let builder = api
            .post("/applications")
            .header("Idempotency-Key", key)
            .header("Authorization", &format!("Bearer {token}"));
        let name = request.identity.name.clone();
        async move {
            Api::send_json::<_, ApplicationCreated>(builder, &request)
                .await
                .map(|created| (created, name))
        }
    });
    let failure = RwSignal::new(None::<ApiError>);
    let navigate_after = navigate.clone();
    Effect::new(move |_| {
        let Some(outcome) = submit.value().get() else {
            return;
        };
        match outcome {
            Ok((created, name)) => {
                set_submitted.set(Some(Submitted {
                    reference: created.reference,
                    status_token: created.status_token,
                    name,
                }));
                navigate_after("/personal/submitted", Default::default());
            }
            Err(ApiError::Api { status: 422, body }) => {
                // Nothing was stored: a corrected application goes with a new key.
                draft.update(|d| d.idempotency_key = None);
                let errors: Vec<FieldError> = body.errors.clone().unwrap_or_else(|| {
                    vec![FieldError::new(
                        body.field.clone().unwrap_or_default(),
                        body.code.clone(),
                        body.message.clone(),
                    )]
                });
                let first = errors.first().map(|e| place_of(&e.field));
                server_errors.set(errors);
                match first {
                    Some(place) if place.page != submission::REVIEW => {
                        navigate_after(
                            &format!("{}?return=review#{}", place.page, place.target),
                            Default::default(),
                        );
                    }
                    _ => failure.set(Some(ApiError::Api { status: 422, body })),
                }
            }
            Err(error) => {
                if error.code() == Some(codes::IDEMPOTENCY_KEY_REUSED) {
                    draft.update(|d| d.idempotency_key = None);
                }
                failure.set(Some(error));
            }
        }
    });

    let on_submit = move |_| {
        if submit.pending().get_untracked() {
            return;
        }
        failure.set(None);
        if secrets.password.with_untracked(String::is_empty) {
            server_errors.set(vec![FieldError::new(
                "account.password",
                "password_reenter",
                String::new(),
            )]);
            navigate(
                &format!("{}?return=review#account-password", submission::ACCOUNT),
                Default::default(),
            );
            return;
        }
        let Some(token) = draft.draft.with_untracked(current_token) else {
            failure.set(Some(ApiError::Api {
                status: 401,
                body: ErrorBody::new(codes::TOKEN_EXPIRED, ""),
            }));
            return;
        };
        let key = match draft.draft.with_untracked(|d| d.idempotency_key.clone()) {
            Some(key) => key,
            None => {
                let key = new_idempotency_key();
                draft.update(|d| d.idempotency_key = Some(key.clone()));
                key
            }
        };
        submit.dispatch((key, token));
    };

    let failure_message = move || {
        failure.get().map(|error| match error.code() {
            Some(code) if code == codes::DUPLICATE_APPLICATION => code_message(i18n, code),
            _ => api_error_message(i18n, &error),
        })
    };
    let must_verify = move || failure.with(|f| f.as_ref().is_some_and(needs_new_verification));

    let groups_config = config.clone();
    let agreements_view = move || {
        let account = d().account;
        groups_config
            .agreements
            .iter()
            .map(|doc| {
                let record = account.agreements.get(&doc.id).cloned();
                let value = match record {
                    Some(r) if r.agreed_at.is_some() => {
                        t_string!(i18n, review.agreed_version, version = r.version.clone())
                            .to_string()
                    }
                    _ => t_string!(i18n, review.none).to_string(),
                };
                let title = agreement_title(i18n, &groups_config, &doc.id);
                row(
                    t_string!(i18n, agreement.quoted_title, title).to_string(),
                    value,
                )
            })
            .collect_view()
    };

    let none = move || t_string!(i18n, review.none).to_string();
    view! {
        <section class="review">
            <StepIndicator current=Step::Review />
            <h1>{t!(i18n, review.title)}</h1>
            <p>{t!(i18n, review.intro)}</p>

            <div class="review-group">
                <div class="review-group-head">
                    <h2>{t!(i18n, review.identity_group)}</h2>
                    <A href="/personal/identity?return=review#identity-name" attr:class="review-edit">
                        {t!(i18n, review.edit)}
                        <span class="visually-hidden">{t!(i18n, review.identity_group)}</span>
                    </A>
                </div>
                <dl>
                    {move || {
                        let id = d().identity;
                        let phone = normalize_phone(&id.phone).unwrap_or(id.phone.clone());
                        view! {
                            {row(t_string!(i18n, identity.name_label).to_string(), id.name.clone())}
                            {row(
                                t_string!(i18n, identity.document_type_label).to_string(),
                                crate::pages::identity::document_type_name(i18n, id.document_type),
                            )}
                            {row(
                                t_string!(i18n, identity.document_number_label).to_string(),
                                mask_document_number(id.document_number.trim()),
                            )}
                            {row(t_string!(i18n, identity.phone_label).to_string(), mask_phone(&phone))}
                        }
                    }}
                </dl>
            </div>

            <div class="review-group">
                <div class="review-group-head">
                    <h2>{t!(i18n, review.account_group)}</h2>
                    <A href="/personal/account?return=review#account-username" attr:class="review-edit">
                        {t!(i18n, review.edit)}
                        <span class="visually-hidden">{t!(i18n, review.account_group)}</span>
                    </A>
                </div>
                <dl>
                    {move || {
                        let a = d().account;
                        let address = if a.address.trim().is_empty() { none() } else { a.address.clone() };
                        view! {
                            {row(t_string!(i18n, account.username_label).to_string(), a.username.clone())}
                            {row(t_string!(i18n, account.password_label).to_string(), "••••••••".to_string())}
                            {row(t_string!(i18n, account.email_label).to_string(), a.email.clone())}
                            {row(t_string!(i18n, account.address_label).to_string(), address)}
                        }
                    }}
                </dl>
            </div>

            <div class="review-group">
                <div class="review-group-head">
                    <h2>{t!(i18n, review.attachments_group)}</h2>
                    <A href="/personal/account?return=review#account-id-front" attr:class="review-edit">
                        {t!(i18n, review.edit)}
                        <span class="visually-hidden">{t!(i18n, review.attachments_group)}</span>
                    </A>
                </div>
                <dl>
                    {move || {
                        let a = d().account;
                        let proofs = format!(
                            "{}\n{}",
                            t_string!(i18n, review.images, count = a.asset_proofs.len()),
                            file_names(&a.asset_proofs),
                        );
                        view! {
                            {row(t_string!(i18n, account.id_front_label).to_string(), file_names(&a.id_front))}
                            {row(t_string!(i18n, account.id_back_label).to_string(), file_names(&a.id_back))}
                            {row(t_string!(i18n, account.assets_label).to_string(), proofs)}
                        }
                    }}
                </dl>
            </div>

            <div class="review-group">
                <div class="review-group-head">
                    <h2>{t!(i18n, review.agreements_group)}</h2>
                    <A href="/personal/account?return=review#account-agreement-market_entry" attr:class="review-edit">
                        {t!(i18n, review.edit)}
                        <span class="visually-hidden">{t!(i18n, review.agreements_group)}</span>
                    </A>
                </div>
                <dl>
                    {agreements_view}
                    {move || {
                        let consent = d().consent;
                        row(
                            t_string!(i18n, review.consent_label).to_string(),
                            consent
                                .map(|c| {
                                    t_string!(i18n, review.agreed_version, version = c.version)
                                        .to_string()
                                })
                                .unwrap_or_else(none),
                        )
                    }}
                </dl>
            </div>

            <div class="form-error" role="alert" hidden=move || failure.with(Option::is_none)>
                <p>{failure_message}</p>
                <Show when=must_verify>
                    <A href="/personal/identity?return=review#identity-code">
                        {t!(i18n, account.verify_again_link)}
                    </A>
                </Show>
            </div>
            <div class="actions">
                <A href="/personal/account" attr:class="button button-secondary">{t!(i18n, common.back)}</A>
                <button
                    type="button"
                    id="review-submit"
                    class="button button-primary"
                    aria-disabled=move || submit.pending().get().to_string()
                    on:click=on_submit
                >
                    {move || {
                        if submit.pending().get() {
                            t_string!(i18n, review.submitting)
                        } else {
                            t_string!(i18n, review.submit)
                        }
                    }}
                </button>
            </div>
        </section>
    }
}
