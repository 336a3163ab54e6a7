//! Image uploads: judged by their bytes with the domain's attachment rules, stored under `uploads/`.

use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::api::{codes, UploadCreated, UploadKind, UploadSummary};
use domain::attachment::{check_image, AttachmentError, ImageFormat, ImageLimits};
use rusqlite::{Connection, OptionalExtension};

use crate::auth::Verified;
use crate::error::ApiError;
use crate::limits::{Per, RollingLimit, Window};
use crate::util::{now_unix, random_token, sha256_hex};
use crate::AppState;

/// Largest image accepted (the app shrinks photos well below this).
pub const MAX_IMAGE_BYTES: u64 = 10 * 1024 * 1024;
/// Room for the multipart boundaries and the `kind` field around the image.
pub const MULTIPART_OVERHEAD: usize = 64 * 1024;
/// Body limit of `POST /uploads` and `POST /applications/{reference}/receipt`.
pub const BODY_LIMIT: usize = MAX_IMAGE_BYTES as usize + MULTIPART_OVERHEAD;
/// Uploads per verified number per rolling day.
pub const PER_PHONE_PER_DAY: u32 = 100;

/// Uploads of one verified number within the day.
const PER_NUMBER: RollingLimit = RollingLimit {
    table: "uploads",
    time_column: "created_at",
    per: Per::Number,
    window: Window::Day,
    rows: "uploads",
    code: codes::UPLOAD_LIMIT,
};

/// The limits uploads are checked against (the same as `images` in the app's `config.json`).
pub fn image_limits() -> ImageLimits {
    ImageLimits {
        max_bytes: MAX_IMAGE_BYTES,
        ..ImageLimits::default()
    }
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Jpeg => "jpeg",
        ImageFormat::Png => "png",
        ImageFormat::Gif => "gif",
    }
}

fn format_from_name(name: &str) -> Option<ImageFormat> {
    [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::Gif]
        .into_iter()
        .find(|f| format_name(*f) == name)
}

fn multipart_error(e: MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::payload_too_large(MAX_IMAGE_BYTES)
    } else {
        ApiError::bad_request(codes::INVALID_BODY, format!("multipart body: {e}"))
    }
}

/// The status of an image the attachment rules refused: 413 for size, 415 for what is not a
/// JPEG/PNG/GIF, 422 for an image that is the right kind but unusable (dimensions).
fn attachment_error(e: AttachmentError) -> ApiError {
    let status = match &e {
        AttachmentError::TooLarge { .. } => {
            let mut error = ApiError::payload_too_large(MAX_IMAGE_BYTES);
            error.body.message = format!("image: {e}");
            return error.with_field("file");
        }
        AttachmentError::NotAnImage(_) | AttachmentError::Empty => {
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::new(status, e.code(), format!("image: {e}")).with_field("file")
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
struct Form {
    kind: Option<UploadKind>,
    file: Option<Bytes>,
    file_name: Option<String>,
}

async fn read_form(
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

/// Receives one image of `phone` from a multipart body: the same limits, checks and storage for every kind.
/// `kind`: what the endpoint takes (its body has no `kind` part then); `None`: the body's `kind` part says.
pub(crate) async fn receive(
    state: &AppState,
    phone: String,
    kind: Option<UploadKind>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<UploadCreated, ApiError> {
    let now = now_unix();
    let for_db = phone.clone();
    state
        .db()
        .call(move |conn| PER_NUMBER.check(conn, &for_db, PER_PHONE_PER_DAY, now))
        .await?;

    let form = read_form(multipart, kind.is_none()).await?;
    let kind = kind.or(form.kind).ok_or_else(|| {
        ApiError::bad_request(codes::UPLOAD_KIND_MISSING, "the `kind` field is missing")
            .with_field("kind")
    })?;
    let file = form.file.filter(|f| !f.is_empty()).ok_or_else(|| {
        ApiError::bad_request(
            codes::UPLOAD_FILE_MISSING,
            "the `file` field is missing or empty",
        )
        .with_field("file")
    })?;
    let info = check_image(&file, state.image_limits()).map_err(attachment_error)?;

    let upload_id = random_token("up_");
    let file_name = format!("{upload_id}.{}", info.format.extension());
    let path = state.uploads_dir().join(&file_name);
    tokio::fs::write(&path, &file).await?;
    let created = UploadCreated {
        upload_id: upload_id.clone(),
        kind,
        bytes: file.len() as u64,
        width: info.width,
        height: info.height,
        format: info.format,
    };
    let digest = sha256_hex(&file);
    let format = format_name(info.format);
    let original_name = form.file_name;
    let stored = state
        .db()
        .call(move |conn| {
            conn.execute(
                "INSERT INTO uploads (id, kind, phone, file_name, original_name, format, bytes, width, height,
                                      sha256, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                rusqlite::params![
                    upload_id,
                    kind.as_str(),
                    phone,
                    file_name,
                    original_name,
                    format,
                    file.len() as i64,
                    info.width,
                    info.height,
                    digest,
                    now
                ],
            )?;
            Ok(())
        })
        .await;
    if let Err(e) = stored {
        let _ = tokio::fs::remove_file(&path).await;
        return Err(e);
    }
    Ok(created)
}

/// `POST /uploads` (multipart: `kind`, `file`).
pub async fn create_upload(
    State(state): State<AppState>,
    verified: Verified,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<UploadCreated>), ApiError> {
    let created = receive(&state, verified.phone, None, multipart).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// An upload as the investor saw it: the name it was uploaded with (for an image stored before names were
/// kept, or sent without one, the stored file's name), size and dimensions.
pub(crate) fn summary(
    conn: &Connection,
    upload_id: &str,
) -> rusqlite::Result<Option<UploadSummary>> {
    conn.query_row(
        "SELECT id, COALESCE(original_name, file_name) AS shown_name, bytes, width, height
         FROM uploads WHERE id = ?1",
        [upload_id],
        |r| {
            Ok(UploadSummary {
                upload_id: r.get("id")?,
                file_name: r.get("shown_name")?,
                bytes: r.get("bytes")?,
                width: r.get("width")?,
                height: r.get("height")?,
            })
        },
    )
    .optional()
}

/// The stored file of an upload and its format, when `phone` uploaded it (any number: `None`).
async fn stored(
    state: &AppState,
    upload_id: String,
    phone: Option<String>,
) -> Result<(std::path::PathBuf, ImageFormat), ApiError> {
    let row: Option<(String, String)> = state
        .db()
        .call(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT file_name, format FROM uploads WHERE id = ?1 AND (?2 IS NULL OR phone = ?2)",
                    rusqlite::params![upload_id, phone],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?)
        })
        .await?;
    let not_found =
        || ApiError::not_found(codes::UPLOAD_NOT_FOUND, "no such upload for this number");
    let (file_name, format) = row.ok_or_else(not_found)?;
    let format = format_from_name(&format).ok_or_else(not_found)?;
    Ok((state.uploads_dir().join(file_name), format))
}

fn image_response(format: ImageFormat, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, format.mime()),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /uploads/{upload_id}/thumbnail`, for its uploader only: a JPEG of at most
/// [`thumbnail::LONG_EDGE`](crate::thumbnail::LONG_EDGE) px, made on the first request and kept as
/// `<id>.thumb.jpg`; a picture that small already is its own thumbnail.
pub async fn thumbnail(
    State(state): State<AppState>,
    verified: Verified,
    Path(upload_id): Path<String>,
) -> Result<Response, ApiError> {
    let (path, format) = stored(&state, upload_id, Some(verified.phone)).await?;
    let thumb_path = path.with_extension("thumb.jpg");
    if let Ok(thumb) = tokio::fs::read(&thumb_path).await {
        return Ok(image_response(ImageFormat::Jpeg, thumb));
    }
    let bytes = tokio::fs::read(&path).await?;
    let (bytes, thumb) = tokio::task::spawn_blocking(move || {
        let thumb = crate::thumbnail::make(&bytes, format);
        (bytes, thumb)
    })
    .await
    .map_err(|e| ApiError::internal(format!("thumbnail: {e}")))?;
    let Some(thumb) = thumb else {
        return Ok(image_response(format, bytes));
    };
    // Written aside and renamed, so a request at the same moment never reads half a file.
    let partial = path.with_extension(format!("thumb.{}", random_token("tmp")));
    if tokio::fs::write(&partial, &thumb).await.is_ok()
        && tokio::fs::rename(&partial, &thumb_path).await.is_err()
    {
        let _ = tokio::fs::remove_file(&partial).await;
    }
    Ok(image_response(ImageFormat::Jpeg, thumb))
}

/// `GET /dev/uploads/{upload_id}` (development mode): the stored file as it was uploaded.
pub async fn dev_stored(
    State(state): State<AppState>,
    Path(upload_id): Path<String>,
) -> Result<Response, ApiError> {
    let (path, format) = stored(&state, upload_id, None).await?;
    Ok(image_response(format, tokio::fs::read(&path).await?))
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
