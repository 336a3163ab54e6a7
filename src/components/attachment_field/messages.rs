//! What the attachment field says about a file: its size as investors read it, and the message for each way
//! a file is refused (before upload by the domain's rules, or by the backend) — each naming the file, saying
//! what it is and what to do.

use crate::api::ApiError;
use crate::i18n::*;
use crate::image::inspect::InspectError;
use crate::messages::wait_text;
use domain::api::codes;
use domain::attachment::{AttachmentError, SniffedKind};
use domain::config::ImageConfig;
use leptos_i18n::I18nContext;

/// A file size as investors read it: `0 KB`, `1 KB` … `1023 KB`, then megabytes with one decimal
/// (`1.5 MB`, `10 MB`). Kilobytes are 1024 bytes; anything above zero shows as at least 1 KB.
pub fn format_size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    if bytes == 0 {
        return "0 KB".to_string();
    }
    let kb = (bytes as f64 / KIB).round().max(1.0);
    if kb < 1024.0 {
        return format!("{kb} KB");
    }
    let tenths = (bytes as f64 / (KIB * KIB) * 10.0).round() as u64;
    format!("{} MB", one_decimal(tenths))
}

/// `15` → `1.5`, `100` → `10`: one decimal, dropped when it is zero.
fn one_decimal(tenths: u64) -> String {
    if tenths.is_multiple_of(10) {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// What is known about a file when a message about it is written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileFacts {
    pub name: String,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
}

fn megapixels(pixels: u64) -> String {
    one_decimal((pixels as f64 / 100_000.0).round() as u64)
}

/// The message for an attachment rule's code (`attachment_type_pdf`, `attachment_too_small`, …, as
/// [`AttachmentError::code`] and the backend's 413/415/422 answers give them); `None` for other codes.
pub fn rule_message(
    i18n: I18nContext<Locale>,
    code: &str,
    facts: &FileFacts,
    images: &ImageConfig,
    limit_bytes: Option<u64>,
) -> Option<String> {
    let name = facts.name.as_str();
    let (width, height) = (facts.width, facts.height);
    let text = match code {
        "attachment_empty" | codes::UPLOAD_FILE_MISSING => {
            t_string!(i18n, attachment.empty, name).to_string()
        }
        "attachment_type_pdf" => t_string!(i18n, attachment.type_pdf, name).to_string(),
        "attachment_type_heic" => t_string!(i18n, attachment.type_heic, name).to_string(),
        "attachment_type_avif" => t_string!(i18n, attachment.type_avif, name).to_string(),
        "attachment_type_webp" => t_string!(i18n, attachment.type_webp, name).to_string(),
        "attachment_type_bmp" => t_string!(i18n, attachment.type_bmp, name).to_string(),
        "attachment_type_tiff" => t_string!(i18n, attachment.type_tiff, name).to_string(),
        "attachment_type_zip" => t_string!(i18n, attachment.type_zip, name).to_string(),
        "attachment_type_svg" => t_string!(i18n, attachment.type_svg, name).to_string(),
        "attachment_type_text" => t_string!(i18n, attachment.type_text, name).to_string(),
        "attachment_type_unknown" | codes::UNSUPPORTED_MEDIA_TYPE => {
            t_string!(i18n, attachment.type_unknown, name).to_string()
        }
        "attachment_truncated" => t_string!(i18n, attachment.truncated, name).to_string(),
        "attachment_corrupt" => t_string!(i18n, attachment.corrupt, name).to_string(),
        "attachment_too_large" | codes::PAYLOAD_TOO_LARGE => {
            let size = format_size(facts.bytes);
            let max = format_size(limit_bytes.unwrap_or(images.max_bytes));
            t_string!(i18n, attachment.too_large, name, size, max).to_string()
        }
        "attachment_too_many_pixels" => {
            let megapixels = megapixels(images.max_pixels);
            t_string!(
                i18n,
                attachment.too_many_pixels,
                name,
                width,
                height,
                megapixels
            )
            .to_string()
        }
        "attachment_too_small" => {
            let min = images.min_long_edge;
            t_string!(i18n, attachment.too_small, name, width, height, min).to_string()
        }
        "attachment_polyglot" => t_string!(i18n, attachment.polyglot, name).to_string(),
        _ => return None,
    };
    Some(text)
}

/// The message for a file refused before upload.
pub fn refusal_message(
    i18n: I18nContext<Locale>,
    error: &InspectError,
    facts: &FileFacts,
    images: &ImageConfig,
) -> String {
    match error {
        InspectError::Refused {
            error,
            width,
            height,
        } => {
            let facts = FileFacts {
                width: *width,
                height: *height,
                ..facts.clone()
            };
            let code = match error {
                // Every kind that is not an image has its own message; the rest fall back to "unknown".
                AttachmentError::NotAnImage(SniffedKind::Image(_)) => "attachment_type_unknown",
                other => other.code(),
            };
            let limit = match error {
                AttachmentError::TooLarge { max_bytes } => Some(*max_bytes),
                _ => None,
            };
            rule_message(i18n, code, &facts, images, limit).unwrap_or_else(|| {
                t_string!(i18n, attachment.corrupt, name = facts.name).to_string()
            })
        }
        InspectError::Unreadable(_) => {
            t_string!(i18n, attachment.unreadable, name = facts.name.as_str()).to_string()
        }
        InspectError::Undecodable(_) => {
            t_string!(i18n, attachment.decode_failed, name = facts.name.as_str()).to_string()
        }
    }
}

/// The message for a failed upload.
pub fn upload_error_message(
    i18n: I18nContext<Locale>,
    error: &ApiError,
    facts: &FileFacts,
    images: &ImageConfig,
) -> String {
    if error.needs_new_verification() {
        return t_string!(i18n, attachment.token_expired).to_string();
    }
    match error {
        ApiError::Network(_) => t_string!(i18n, attachment.network).to_string(),
        ApiError::Timeout => t_string!(i18n, attachment.timeout).to_string(),
        // A proxy's refusal, whose limit is not known.
        ApiError::Unexpected { status: 413, .. } => {
            let (name, size) = (facts.name.as_str(), format_size(facts.bytes));
            t_string!(i18n, attachment.too_large_for_server, name, size).to_string()
        }
        ApiError::Unexpected {
            status: 429,
            retry_after_s,
        } => {
            let seconds = retry_after_s.unwrap_or(60);
            t_string!(i18n, attachment.rate_limited, seconds).to_string()
        }
        ApiError::Unexpected { status, .. } if (200..300).contains(status) => {
            t_string!(i18n, attachment.answer_unreadable).to_string()
        }
        ApiError::Unexpected { status, .. } => {
            t_string!(i18n, attachment.server, status = *status).to_string()
        }
        ApiError::Api { status, body } => {
            if body.code == codes::UPLOAD_LIMIT {
                return t_string!(i18n, attachment.upload_limit).to_string();
            }
            if body.code == codes::UPLOAD_BYTES_LIMIT {
                let wait = wait_text(i18n, body.retry_after_s.unwrap_or(86_400));
                return t_string!(i18n, attachment.upload_bytes_limit, wait).to_string();
            }
            if *status == 429 {
                let seconds = body.retry_after_s.unwrap_or(60);
                return t_string!(i18n, attachment.rate_limited, seconds).to_string();
            }
            let code = if *status == 413 {
                codes::PAYLOAD_TOO_LARGE
            } else {
                body.code.as_str()
            };
            rule_message(i18n, code, facts, images, body.limit_bytes)
                .unwrap_or_else(|| t_string!(i18n, attachment.server, status = *status).to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_kilobytes_then_megabytes() {
        assert_eq!(format_size(0), "0 KB");
        assert_eq!(format_size(1), "1 KB");
        assert_eq!(format_size(1536), "2 KB");
        assert_eq!(format_size(1023 * 1024), "1023 KB");
        assert_eq!(format_size(1024 * 1024), "1 MB");
        assert_eq!(format_size(1024 * 1024 * 3 / 2), "1.5 MB");
        assert_eq!(format_size(10 * 1024 * 1024), "10 MB");
    }

    #[test]
    fn megapixels_have_one_decimal() {
        assert_eq!(megapixels(16_700_000), "16.7");
        assert_eq!(megapixels(40_000_000), "40");
    }
}
