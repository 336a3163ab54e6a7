//! The API paths of the application's fields: the names its field errors carry (`FieldError::field`), so that
//! the server's refusals and the page's own checks land on the same field.

use crate::api::AgreementId;

pub const QUIZ_MODE: &str = "quiz.mode";
pub const QUIZ_ATTEMPT_ID: &str = "quiz.attempt_id";
pub const QUIZ_DECLARED_SCORE: &str = "quiz.declared_score";

pub const IDENTITY_NAME: &str = "identity.name";
pub const IDENTITY_DOCUMENT_TYPE: &str = "identity.document_type";
pub const IDENTITY_DOCUMENT_NUMBER: &str = "identity.document_number";
pub const IDENTITY_PHONE: &str = "identity.phone";

pub const ACCOUNT_USERNAME: &str = "account.username";
pub const ACCOUNT_PASSWORD: &str = "account.password";
pub const ACCOUNT_ADDRESS: &str = "account.address";
pub const ACCOUNT_EMAIL: &str = "account.email";

pub const ID_FRONT: &str = "attachments.id_front";
pub const ID_BACK: &str = "attachments.id_back";
pub const ASSET_PROOFS: &str = "attachments.asset_proofs";

pub const CONSENT: &str = "sensitive_data_consent";
pub const LOCALE: &str = "locale";

/// `attachments.asset_proofs.{index}`: one proof of assets.
pub fn asset_proof(index: usize) -> String {
    format!("{ASSET_PROOFS}.{index}")
}

/// `agreements.{id}`: one agreement.
pub fn agreement(id: AgreementId) -> String {
    format!("agreements.{}", id.as_str())
}

/// The top-level sections of the request, in the order of the wizard's pages.
const SECTIONS: [&str; 7] = [
    "quiz",
    "identity",
    "account",
    "attachments",
    "agreements",
    "sensitive_data_consent",
    "locale",
];

/// Where a field's section comes in the wizard: errors sorted by it come in the order of the pages.
pub fn section_rank(field: &str) -> usize {
    let section = field.split('.').next().unwrap_or(field);
    SECTIONS
        .iter()
        .position(|s| *s == section)
        .unwrap_or(SECTIONS.len())
}
