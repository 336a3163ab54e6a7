//! Page 1 of the exchange's form: real name, document and mobile number.

use super::fields;
use super::Errors;
use crate::api::{FieldError, Identity};
use crate::date::Date;
use crate::id_document::{validate_document, DocumentType};
use crate::name::validate_name;
use crate::phone::normalize_phone;

/// The identity, normalized: trimmed name, upper-case check character, 11-digit phone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidIdentity {
    pub name: String,
    pub document_type: DocumentType,
    pub document_number: String,
    pub phone: String,
}

/// The normalized identity, or every rule-breaking field. `today` is the date in Beijing (for the age rule).
pub fn check_identity(identity: &Identity, today: Date) -> Result<ValidIdentity, Vec<FieldError>> {
    let mut errors = Errors::default();
    let name = errors.take(fields::IDENTITY_NAME, validate_name(&identity.name));
    let document_number = errors.take(
        fields::IDENTITY_DOCUMENT_NUMBER,
        validate_document(identity.document_type, &identity.document_number, today),
    );
    let phone = errors.take(fields::IDENTITY_PHONE, normalize_phone(&identity.phone));
    errors.into_result(|| ValidIdentity {
        name: name.unwrap_or_default(),
        document_type: identity.document_type,
        document_number: document_number.unwrap_or_default(),
        phone: phone.unwrap_or_default(),
    })
}

/// The investor's own details that a password must not contain: the phone and document number normalized
/// where they are valid, as typed where not — the same on the page and on the server.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnDetails {
    pub phone: String,
    pub id_number: String,
}

impl OwnDetails {
    pub fn of(identity: &Identity, today: Date) -> OwnDetails {
        OwnDetails {
            phone: normalize_phone(&identity.phone).unwrap_or_else(|_| identity.phone.clone()),
            id_number: validate_document(identity.document_type, &identity.document_number, today)
                .unwrap_or_else(|_| identity.document_number.clone()),
        }
    }
}
