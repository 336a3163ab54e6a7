//! The three agreements of page 2 and the consent to processing sensitive personal information: each given
//! to the version of the text the app shows now, opened before it was accepted.

use super::{fields, parse_rfc3339, Errors, Versions, ID_MAX_CHARS};
use crate::api::{codes, AgreementAcceptance, AgreementId, Consent, FieldError};

fn is_valid_version(version: &str) -> bool {
    let v = version.trim();
    !v.is_empty() && v.chars().count() <= ID_MAX_CHARS && !v.chars().any(char::is_control)
}

/// The three agreements in the form's order, or every one missing, repeated, accepted before it was opened,
/// or accepted in another version than `versions` names (when the versions are known).
pub fn check_agreements(
    accepted: &[AgreementAcceptance],
    versions: Option<&Versions>,
) -> Result<Vec<AgreementAcceptance>, Vec<FieldError>> {
    let mut errors = Errors::default();
    let mut agreements = Vec::new();
    for id in AgreementId::ALL {
        let field = fields::agreement(id);
        let entries: Vec<&AgreementAcceptance> = accepted.iter().filter(|a| a.id == id).collect();
        let entry = match entries.as_slice() {
            [] => {
                errors.fail(
                    &field,
                    codes::AGREEMENT_MISSING,
                    "the agreement was not accepted",
                );
                continue;
            }
            [entry] => *entry,
            _ => {
                errors.fail(
                    &field,
                    codes::AGREEMENT_REPEATED,
                    "the agreement is listed more than once",
                );
                continue;
            }
        };
        if !is_valid_version(&entry.version) {
            errors.fail(
                &field,
                codes::AGREEMENT_VERSION_MISSING,
                "the version of the agreement text is missing",
            );
            continue;
        }
        match (
            parse_rfc3339(&entry.opened_at),
            parse_rfc3339(&entry.agreed_at),
        ) {
            (Some(opened), Some(agreed)) if agreed >= opened => {}
            (Some(_), Some(_)) => {
                errors.fail(
                    &field,
                    codes::AGREEMENT_NOT_OPENED,
                    "the agreement was accepted before it was opened",
                );
                continue;
            }
            _ => {
                errors.fail(
                    &field,
                    codes::TIMESTAMP_INVALID,
                    "opened_at and agreed_at must be RFC 3339 times",
                );
                continue;
            }
        }
        let current = versions.and_then(|v| v.agreements.get(id.as_str()));
        if let Some(current) = current.filter(|c| entry.version.trim() != c.as_str()) {
            errors.fail(
                &field,
                codes::AGREEMENT_VERSION_OUTDATED,
                format!(
                    "version {:?} of the agreement was accepted; the current version is {current:?}",
                    entry.version
                ),
            );
            continue;
        }
        agreements.push(entry.clone());
    }
    errors.into_result(|| agreements)
}

/// The consent, or why it does not count: missing, not a time, or given to another version of the statement
/// than `versions` names (when the versions are known).
pub fn check_consent(
    consent: &Consent,
    versions: Option<&Versions>,
) -> Result<Consent, Vec<FieldError>> {
    let mut errors = Errors::default();
    if !is_valid_version(&consent.version) {
        errors.fail(
            fields::CONSENT,
            codes::CONSENT_MISSING,
            "consent to the processing of sensitive personal information is missing",
        );
    } else if parse_rfc3339(&consent.agreed_at).is_none() {
        errors.fail(
            fields::CONSENT,
            codes::TIMESTAMP_INVALID,
            "agreed_at must be an RFC 3339 time",
        );
    } else if let Some(current) = versions
        .map(|v| &v.consent)
        .filter(|c| consent.version.trim() != c.as_str())
    {
        errors.fail(
            fields::CONSENT,
            codes::CONSENT_VERSION_OUTDATED,
            format!(
                "consent was given to version {:?} of the statement; the current version is {current:?}",
                consent.version
            ),
        );
    }
    errors.into_result(|| consent.clone())
}
