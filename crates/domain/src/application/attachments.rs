//! The images of page 2: ID card (both sides) and proofs of assets, as upload ids.

use super::fields;
use super::{is_valid_id, Errors};
use crate::api::{codes, Attachments, FieldError, MAX_ASSET_PROOFS};

/// The upload ids, trimmed, each used once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidAttachments {
    pub id_front: String,
    pub id_back: String,
    pub asset_proofs: Vec<String>,
}

/// The upload ids, or every missing, malformed or repeated one. Whether the uploads exist, belong to the
/// verified number and are of the right kind only the server knows.
pub fn check_attachments(attachments: &Attachments) -> Result<ValidAttachments, Vec<FieldError>> {
    let mut errors = Errors::default();
    let mut seen: Vec<String> = Vec::new();
    let mut check = |field: &str, id: &str, errors: &mut Errors| {
        let id = id.trim();
        if id.is_empty() {
            errors.fail(field, codes::ATTACHMENT_MISSING, "the image is missing");
        } else if !is_valid_id(id) {
            errors.fail(field, codes::UPLOAD_NOT_FOUND, "not an upload id");
        } else if seen.iter().any(|s| s == id) {
            errors.fail(
                field,
                codes::UPLOAD_REPEATED,
                "the same image is attached twice",
            );
        } else {
            seen.push(id.to_string());
        }
    };
    check(fields::ID_FRONT, &attachments.id_front, &mut errors);
    check(fields::ID_BACK, &attachments.id_back, &mut errors);
    let proofs = &attachments.asset_proofs;
    if proofs.is_empty() {
        errors.fail(
            fields::ASSET_PROOFS,
            codes::ATTACHMENT_MISSING,
            "at least one proof of assets is needed",
        );
    } else if proofs.len() > MAX_ASSET_PROOFS {
        errors.fail(
            fields::ASSET_PROOFS,
            codes::ASSET_PROOFS_TOO_MANY,
            format!("at most {MAX_ASSET_PROOFS} proofs of assets"),
        );
    } else {
        for (i, id) in proofs.iter().enumerate() {
            check(&fields::asset_proof(i), id, &mut errors);
        }
    }
    errors.into_result(|| ValidAttachments {
        id_front: attachments.id_front.trim().to_string(),
        id_back: attachments.id_back.trim().to_string(),
        asset_proofs: proofs.iter().map(|id| id.trim().to_string()).collect(),
    })
}
