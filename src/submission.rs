//! Sending the application: the request built from the draft, and the server's field errors (422) mapped back
//! to the page and field they belong to.

use crate::draft::{Draft, Secrets};
use crate::i18n::*;
use crate::messages::code_message;
use domain::api::{
    codes, Account, AgreementAcceptance, AgreementId, ApplicationRequest, Attachments, Consent,
    FieldError, Identity, QuizAnswer,
};
use domain::config::AppConfig;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use std::sync::Arc;

/// The page of the wizard a field is on, and the id of its control.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub page: &'static str,
    pub target: String,
}

/// Where the investor corrects the field of an API error path (`identity.name`, `attachments.asset_proofs.0`,
/// `agreements.market_entry`, …).
pub fn place_of(field: &str) -> Place {
    let (page, target) = match field {
        "identity.name" => (IDENTITY, "identity-name".to_string()),
        "identity.document_type" => (IDENTITY, "identity-document-type".into()),
        "identity.document_number" => (IDENTITY, "identity-document-number".into()),
        "identity.phone" => (IDENTITY, "identity-phone".into()),
        "account.username" => (ACCOUNT, "account-username".into()),
        "account.password" => (ACCOUNT, "account-password".into()),
        "account.address" => (ACCOUNT, "account-address".into()),
        "account.email" => (ACCOUNT, "account-email".into()),
        "attachments.id_front" => (ACCOUNT, "account-id-front".into()),
        "attachments.id_back" => (ACCOUNT, "account-id-back".into()),
        f if f.starts_with("attachments.asset_proofs") => (ACCOUNT, "account-asset-proofs".into()),
        f if f.starts_with("agreements.") => (
            ACCOUNT,
            format!("account-agreement-{}", &f["agreements.".len()..]),
        ),
        f if f.starts_with("sensitive_data_consent") => (CONSENT, "consent-agree".into()),
        f if f.starts_with("quiz") => (QUIZ, String::new()),
        _ => (REVIEW, "review-submit".into()),
    };
    Place { page, target }
}

pub const CONSENT: &str = "/personal/consent";
pub const IDENTITY: &str = "/personal/identity";
pub const ACCOUNT: &str = "/personal/account";
pub const REVIEW: &str = "/personal/review";
pub const QUIZ: &str = "/personal";

/// The field errors of the last refused submission, shown on their pages until the field changes.
#[derive(Clone, Copy)]
pub struct ServerErrors {
    errors: RwSignal<Vec<FieldError>>,
    /// For the agreement titles of the messages.
    config: StoredValue<Arc<AppConfig>>,
}

impl ServerErrors {
    /// Needs the configuration in context (the configured part of the app).
    pub fn provide() -> Self {
        let errors = Self {
            errors: RwSignal::new(Vec::new()),
            config: StoredValue::new(crate::config::use_config()),
        };
        provide_context(errors);
        errors
    }

    /// Replaces the errors with those of the latest refusal.
    pub fn set(&self, errors: Vec<FieldError>) {
        self.errors.set(errors);
    }

    /// Whether a field of the page at `page` was refused: the page then shows its errors at once.
    pub fn on_page(&self, page: &str) -> bool {
        self.errors
            .with_untracked(|errors| errors.iter().any(|e| place_of(&e.field).page == page))
    }

    /// The message for the control `target`, if the server refused its value.
    pub fn message_for(&self, i18n: I18nContext<Locale>, target: &str) -> Option<String> {
        self.errors.with(|errors| {
            errors
                .iter()
                .find(|e| place_of(&e.field).target == target)
                .map(|e| self.config.with_value(|c| field_error_message(i18n, c, e)))
        })
    }

    /// The investor changed the field: its server error no longer applies.
    pub fn clear(&self, target: &str) {
        if self
            .errors
            .with_untracked(|errors| errors.iter().any(|e| place_of(&e.field).target == target))
        {
            self.errors
                .update(|errors| errors.retain(|e| place_of(&e.field).target != target));
        }
    }
}

pub fn use_server_errors() -> ServerErrors {
    expect_context::<ServerErrors>()
}

/// The investor's message for one refused field.
pub fn field_error_message(
    i18n: I18nContext<Locale>,
    config: &AppConfig,
    error: &FieldError,
) -> String {
    if let Some(id) = error.field.strip_prefix("agreements.") {
        let title = agreement_title(i18n, config, id);
        return match error.code.as_str() {
            codes::AGREEMENT_VERSION_OUTDATED => {
                t_string!(i18n, errors.agreement_version_outdated, title).to_string()
            }
            _ => t_string!(i18n, errors.agreement_missing, title).to_string(),
        };
    }
    match error.code.as_str() {
        codes::ATTACHMENT_MISSING => {
            attachment_missing_message(i18n, &place_of(&error.field).target)
        }
        code => code_message(i18n, code),
    }
}

/// "Upload …" for the attachment field with the control `target` (`account-id-front`, …).
pub fn attachment_missing_message(i18n: I18nContext<Locale>, target: &str) -> String {
    match target {
        "account-id-front" => t_string!(i18n, errors.id_front_missing),
        "account-id-back" => t_string!(i18n, errors.id_back_missing),
        _ => t_string!(i18n, errors.asset_proofs_missing),
    }
    .to_string()
}

/// The agreement's title in the investor's language.
pub fn agreement_title(i18n: I18nContext<Locale>, config: &AppConfig, id: &str) -> String {
    let lang = i18n.get_locale_untracked().as_str();
    config
        .agreements
        .iter()
        .find(|a| a.id == id)
        .map(|a| a.title.get(lang).to_string())
        .unwrap_or_else(|| id.to_string())
}

/// The request to send, from the draft and the password in memory.
pub fn application_request(
    draft: &Draft,
    secrets: Secrets,
    config: &AppConfig,
    locale: &str,
) -> ApplicationRequest {
    let pass = draft.quiz_pass.clone();
    let quiz = QuizAnswer {
        mode: pass
            .as_ref()
            .map(|p| p.mode)
            .unwrap_or(domain::api::QuizMode::BuiltIn),
        attempt_id: pass.as_ref().and_then(|p| p.attempt_id.clone()),
        declared_score: pass
            .as_ref()
            .filter(|p| p.mode == domain::api::QuizMode::SelfDeclared)
            .map(|p| p.score),
    };
    let account = &draft.account;
    let ids = |uploads: &[crate::upload::StoredUpload]| -> Vec<String> {
        uploads.iter().map(|u| u.upload_id.clone()).collect()
    };
    let agreements = config
        .agreements
        .iter()
        .filter_map(|doc| {
            let id = AgreementId::from_name(&doc.id)?;
            let record = account.agreements.get(&doc.id)?;
            Some(AgreementAcceptance {
                id,
                version: record.version.clone(),
                opened_at: record.opened_at.clone(),
                agreed_at: record.agreed_at.clone()?,
            })
        })
        .collect();
    let consent = draft.consent.clone();
    ApplicationRequest {
        quiz,
        identity: Identity {
            name: draft.identity.name.trim().to_string(),
            document_type: draft.identity.document_type,
            document_number: draft.identity.document_number.trim().to_string(),
            phone: draft.identity.phone.clone(),
        },
        account: Account {
            username: account.username.trim().to_string(),
            password: secrets.password.get_untracked(),
            address: Some(account.address.trim().to_string()).filter(|a| !a.is_empty()),
            email: account.email.trim().to_string(),
        },
        attachments: Attachments {
            id_front: ids(&account.id_front)
                .into_iter()
                .next()
                .unwrap_or_default(),
            id_back: ids(&account.id_back).into_iter().next().unwrap_or_default(),
            asset_proofs: ids(&account.asset_proofs),
        },
        agreements,
        sensitive_data_consent: Consent {
            version: consent
                .as_ref()
                .map(|c| c.version.clone())
                .unwrap_or_default(),
            agreed_at: consent.map(|c| c.agreed_at).unwrap_or_default(),
        },
        locale: locale.to_string(),
    }
}

/// A fresh `Idempotency-Key`.
pub fn new_idempotency_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("key-{}", js_sys::Math::random().to_bits()))
}
