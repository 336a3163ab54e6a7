//! An upload's multipart body read into its parts: the `kind` (where the endpoint takes one) and the `file`, with
//! the file name as it is kept.

use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::http::StatusCode;
use domain::api::{codes, UploadKind};

use super::MAX_IMAGE_BYTES;
use crate::error::ApiError;

fn multipart_error(e: MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::payload_too_large(MAX_IMAGE_BYTES)
    } else {
        ApiError::bad_request(codes::INVALID_BODY, format!("multipart body: {e}"))
    }
}

/// Longest file name kept from what the investor uploaded (in characters).
pub const MAX_FILE_NAME_CHARS: usize = 100;

/// The file name an image was uploaded with, as it is kept: control characters and path separators removed,
/// trimmed, at most [`MAX_FILE_NAME_CHARS`] characters; `None` when nothing is left.
pub fn sanitize_file_name(name: &str) -> Option<String> {
    let kept: String = name
        .chars()
        .filter(|c| !c.is_control() && *c != '/' && *c != '\\')
        .collect();
    let kept: String = kept.trim().chars().take(MAX_FILE_NAME_CHARS).collect();
    let kept = kept.trim_end().to_string();
    (!kept.is_empty()).then_some(kept)
}

/// The parts of an upload's multipart body.
pub(super) struct Form {
    pub kind: Option<UploadKind>,
    pub file: Option<Bytes>,
    pub file_name: Option<String>,
}

pub(super) async fn read_form(
    multipart: Result<Multipart, MultipartRejection>,
    kind_part: bool,
) -> Result<Form, ApiError> {
    let expected = if kind_part {
        "`kind` and `file`"
    } else {
        "`file`"
    };
    let mut multipart = multipart.map_err(|e| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            codes::UNSUPPORTED_MEDIA_TYPE,
            format!("expected a multipart/form-data body with {expected}: {e}"),
        )
    })?;
    let mut form = Form {
        kind: None,
        file: None,
        file_name: None,
    };
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        match field.name() {
            Some("kind") if kind_part => {
                let text = field.text().await.map_err(multipart_error)?;
                form.kind = Some(UploadKind::from_name(text.trim()).ok_or_else(|| {
                    ApiError::bad_request(
                        codes::UPLOAD_KIND_INVALID,
                        format!(
                            "kind must be one of id_front, id_back, asset_proof, fee_receipt, not {:?}",
                            text.trim()
                        ),
                    )
                    .with_field("kind")
                })?);
            }
            Some("file") => {
                form.file_name = field.file_name().and_then(sanitize_file_name);
                form.file = Some(field.bytes().await.map_err(multipart_error)?);
            }
            _ => {}
        }
    }
    Ok(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_control_characters_and_path_separators() {
        assert_eq!(
            sanitize_file_name("..\\..\\证件/正面\u{1}\n.png").as_deref(),
            Some("....证件正面.png")
        );
        assert_eq!(
            sanitize_file_name("  receipt.jpg ").as_deref(),
            Some("receipt.jpg")
        );
        assert_eq!(sanitize_file_name("/\\\u{7f} "), None);
        let long = format!("{}.png", "转".repeat(120));
        let kept = sanitize_file_name(&long).unwrap();
        assert_eq!(kept.chars().count(), MAX_FILE_NAME_CHARS);
        assert!(kept.chars().all(|c| c == '转'));
    }
}
