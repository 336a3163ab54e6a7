//! 核对提交 — every answer grouped by page (ID number masked), a 修改 link per group that returns to the field
//! and comes back here, and the final 确认提交: one application however often it is pressed (the
//! `Idempotency-Key` is kept in the draft), field errors of the server taken back to their page and field.

use crate::api::{Api, ApiError};
use crate::components::step_indicator::{Step, StepIndicator};
use crate::config::use_config;
use crate::draft::{new_idempotency_key, use_draft, use_secrets, Draft};
use crate::form::place::{link_to, page_of};
use crate::form::server::use_server_errors;
use crate::i18n::*;
use crate::messages::{agreement_title, api_error_message, code_message, document_type_name};
use crate::routes::{link, Page};
use crate::status::{use_tracked, StatusApi, Tracked};
use crate::upload::StoredUpload;
use domain::api::{codes, AgreementId, ApplicationCreated, ErrorBody, FieldError};
use domain::application::fields;
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

/// The answers of one page: its title, a 修改 link to its first field (coming back here), and the rows.
#[component]
fn Group(
    #[prop(into)] title: Signal<String>,
    /// API path of the field the 修改 link opens.
    #[prop(into)]
    edit: String,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="review-group">
            <div class="review-group-head">
                <h2>{title}</h2>
                <A href=link(&link_to(&edit, true)) attr:class="review-edit">
                    {t!(i18n, review.edit)}
                    <span class="visually-hidden">{title}</span>
                </A>
            </div>
            <dl>{children()}</dl>
        </div>
    }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let draft = use_draft();
    let secrets = use_secrets();
    let server_errors = use_server_errors();
    let tracked = use_tracked();
    let navigate = use_navigate();
    let api = Api::new(&config.api_base_url);
    let status_api = StatusApi::new(&config.api_base_url);
    let d = move || draft.draft.get();

    let submit_config = config.clone();
    let submit = Action::new_local(move |(key, token): &(String, String)| {
        let request = draft.draft.with_untracked(|d| {
            d.application_request(
                secrets,
                &submit_config,
                i18n.get_locale_untracked().as_str(),
            )
        });
        let resubmission = draft
            .draft
            .with_untracked(|d| d.resubmission.clone())
            .and_then(|reference| tracked.get_untracked().filter(|t| t.reference == reference));
        let builder = api
            .post("/applications")
            .header("Idempotency-Key", key)
            .header("Authorization", &format!("Bearer {token}"));
        let (key, token, status_api) = (key.clone(), token.clone(), status_api.clone());
        async move {
            match resubmission {
                // A returned application, corrected: the same reference, its status token kept.
                Some(tracked) => status_api
                    .resubmit(&tracked, &token, &key, &request)
                    .await
                    .map(|_| tracked),
                None => Api::send_json::<_, ApplicationCreated>(builder, &request)
                    .await
                    .map(Tracked::new),
            }
        }
    });
    let failure = RwSignal::new(None::<ApiError>);
    let navigate_after = navigate.clone();
    Effect::new(move |_| {
        let Some(outcome) = submit.value().get() else {
            return;
        };
        match outcome {
            Ok(stored) => {
                let resubmitted = draft.draft.with_untracked(|d| d.resubmission.is_some());
                tracked.remember(stored);
                if resubmitted {
                    draft.update(|d| *d = Draft::default());
                    secrets.password.set(String::new());
                    secrets.confirmation.set(String::new());
                    navigate_after(Page::Status.path(), Default::default());
                } else {
                    navigate_after(Page::Submitted.path(), Default::default());
                }
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
                let first = errors.first().map(|e| e.field.clone());
                server_errors.set(errors);
                match first {
                    Some(path) if page_of(&path) != Page::Review => {
                        navigate_after(&link_to(&path, true), Default::default());
                    }
                    _ => failure.set(Some(ApiError::Api { status: 422, body })),
                }
            }
            Err(error) => {
                if error.code() == Some(codes::IDEMPOTENCY_KEY_REUSED) {
                    draft.update(|d| d.idempotency_key = None);
                }
                if error.needs_new_verification() {
                    // The server no longer accepts the token (spent by a submission from another tab, or
                    // expired): the identity page asks for a new code instead of showing the number verified.
                    draft.update(|d| d.verification = None);
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
                fields::ACCOUNT_PASSWORD,
                "password_reenter",
                String::new(),
            )]);
            navigate(&link_to(fields::ACCOUNT_PASSWORD, true), Default::default());
            return;
        }
        let Some(token) = draft.draft.with_untracked(|d| d.current_token()) else {
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
    let must_verify =
        move || failure.with(|f| f.as_ref().is_some_and(ApiError::needs_new_verification));

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

            <Group title=move || t_string!(i18n, review.identity_group).to_string() edit=fields::IDENTITY_NAME>
                {move || {
                    let id = d().identity;
                    let phone = normalize_phone(&id.phone).unwrap_or(id.phone.clone());
                    view! {
                        {row(t_string!(i18n, identity.name_label).to_string(), id.name.clone())}
                        {row(
                            t_string!(i18n, identity.document_type_label).to_string(),
                            document_type_name(i18n, id.document_type),
                        )}
                        {row(
                            t_string!(i18n, identity.document_number_label).to_string(),
                            mask_document_number(id.document_number.trim()),
                        )}
                        {row(t_string!(i18n, identity.phone_label).to_string(), mask_phone(&phone))}
                    }
                }}
            </Group>
            <Group title=move || t_string!(i18n, review.account_group).to_string() edit=fields::ACCOUNT_USERNAME>
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
            </Group>
            <Group title=move || t_string!(i18n, review.attachments_group).to_string() edit=fields::ID_FRONT>
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
            </Group>
            <Group title=move || t_string!(i18n, review.agreements_group).to_string() edit=fields::agreement(AgreementId::MarketEntry)>
                {agreements_view}
                {move || {
                    let consent = d().consent;
                    row(
                        t_string!(i18n, review.consent_label).to_string(),
                        consent
                            .map(|c| {
                                t_string!(i18n, review.agreed_version, version = c.version).to_string()
                            })
                            .unwrap_or_else(none),
                    )
                }}
            </Group>

            <div class="form-error" role="alert" hidden=move || failure.with(Option::is_none)>
                <p>{failure_message}</p>
                <Show when=must_verify>
                    <A href=link(&link_to("identity.code", true))>
                        {t!(i18n, account.verify_again_link)}
                    </A>
                </Show>
            </div>
            <div class="actions">
                <A href=Page::Account.href() attr:class="button button-secondary">{t!(i18n, common.back)}</A>
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
