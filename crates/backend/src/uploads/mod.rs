//! Image uploads: judged by their bytes with the domain's attachment rules, stripped of their metadata, stored
//! under `uploads/` owner-only, within a count and a byte quota per verified number and day. The thumbnail
//! endpoint is in `thumbnail.rs`.

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::api::{codes, UploadCreated, UploadKind, UploadSummary};
use domain::attachment::{check_image, strip_metadata, AttachmentError, ImageFormat, ImageLimits};
use rusqlite::{Connection, OptionalExtension};

use crate::auth::Verified;
use crate::error::ApiError;
use crate::limits::{Per, RollingLimit, RollingQuota, Window};
use crate::util::{now_unix, random_token, sha256_hex, write_private, MIB};
use crate::AppState;

mod form;

use form::read_form;

/// Largest image accepted (the app shrinks photos well below this).
pub const MAX_IMAGE_BYTES: u64 = 10 * 1024 * 1024;
/// Room for the multipart boundaries and the `kind` field around the image.
pub const MULTIPART_OVERHEAD: usize = 64 * 1024;
/// Body limit of `POST /uploads` and `POST /applications/{reference}/receipt`.
pub const BODY_LIMIT: usize = MAX_IMAGE_BYTES as usize + MULTIPART_OVERHEAD;
/// Uploads per verified number per rolling day.
pub const PER_PHONE_PER_DAY: u32 = 100;
/// MiB of uploads per verified number per rolling day, unless `--upload-mib-per-phone-per-day` says otherwise.
pub const DEFAULT_MIB_PER_PHONE_PER_DAY: u32 = 100;
/// MiB of uploads one application may quote, unless `--upload-mib-per-application` says otherwise (the app sends
/// photos of 1–3 MB: twelve of them fit).
pub const DEFAULT_MIB_PER_APPLICATION: u32 = 50;

/// The bytes one verified number uploaded within the day.
const BYTES_PER_NUMBER: RollingQuota = RollingQuota {
    table: "uploads",
    time_column: "created_at",
    size_column: "bytes",
    per: Per::Number,
    window: Window::Day,
    of: "uploads",
    code: codes::UPLOAD_BYTES_LIMIT,
};
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

/// Receives one image of `phone` from a multipart body: the same limits, checks, metadata stripping and storage
/// for every kind. `kind`: what the endpoint takes (its body has no `kind` part then); `None`: the body's `kind`
/// part says.
pub(crate) async fn receive(
    state: &AppState,
    phone: String,
    kind: Option<UploadKind>,
    application: Option<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<UploadCreated, ApiError> {
    let now = now_unix();
    let max_bytes = u64::from(state.config().upload_mib_per_phone_per_day) * MIB;
    let for_db = phone.clone();
    // Refused before the body is read when nothing more fits.
    state
        .db()
        .call(move |conn| {
            PER_NUMBER.check(conn, &for_db, PER_PHONE_PER_DAY, now)?;
            BYTES_PER_NUMBER.check(conn, &for_db, 1, max_bytes, now)
        })
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
    // What other clients than the app send may carry the GPS position, the device and the time of a photo.
    let stored = strip_metadata(info.format, &file)
        .ok_or_else(|| attachment_error(AttachmentError::Corrupt))?;
    drop(file);
    let digest = sha256_hex(&stored);
    let original_name = form.file_name;

    // The same image sent again (a retry after its answer was lost on the way) is the upload stored then.
    let (for_db, same_digest, same_name) = (phone.clone(), digest.clone(), original_name.clone());
    let earlier = state
        .db()
        .call(move |conn| {
            let sent = Sent {
                phone: &for_db,
                kind,
                sha256: &same_digest,
                original_name: same_name.as_deref(),
                application: application.as_deref(),
            };
            Ok(sent.repeated(conn, now)?)
        })
        .await?;
    if let Some(earlier) = earlier {
        return Ok(earlier);
    }

    let upload_id = random_token("up_");
    let file_name = format!("{upload_id}.{}", info.format.extension());
    let path = state.uploads_dir().join(&file_name);
    let created = UploadCreated {
        upload_id: upload_id.clone(),
        kind,
        bytes: stored.len() as u64,
        width: info.width,
        height: info.height,
        format: info.format,
    };
    let row = NewUpload {
        sha256: digest,
        created: created.clone(),
        phone,
        file_name,
        original_name,
        now,
    };
    write_private(&path, &stored).await?;
    let inserted = state
        .db()
        .call(move |conn| {
            let tx = conn.transaction()?;
            // Checked again with the bytes now known, in the transaction that adds them.
            BYTES_PER_NUMBER.check(&tx, &row.phone, row.created.bytes, max_bytes, now)?;
            row.insert(&tx)?;
            tx.commit()?;
            Ok(())
        })
        .await;
    if let Err(e) = inserted {
        let _ = tokio::fs::remove_file(&path).await;
        return Err(e);
    }
    Ok(created)
}

/// How long an image sent again counts as a retry of the same upload.
pub const REPEAT_WINDOW_S: i64 = 24 * 60 * 60;

/// An image received, as far as a retry is recognised by it.
struct Sent<'a> {
    phone: &'a str,
    kind: UploadKind,
    sha256: &'a str,
    original_name: Option<&'a str>,
    /// The application a receipt is for: an upload it holds already counts; other attached uploads never do.
    application: Option<&'a str>,
}

impl Sent<'_> {
    /// The upload of the same bytes, kind and name by the same number within [`REPEAT_WINDOW_S`], not attached
    /// to another application, if any.
    fn repeated(&self, conn: &Connection, now: i64) -> rusqlite::Result<Option<UploadCreated>> {
        conn.query_row(
            "SELECT id, format, bytes, width, height FROM uploads
             WHERE phone = ?1 AND kind = ?2 AND sha256 = ?3 AND original_name IS ?4 AND created_at > ?5
               AND (application IS NULL OR application IS ?6)
             ORDER BY created_at DESC LIMIT 1",
            rusqlite::params![
                self.phone,
                self.kind.as_str(),
                self.sha256,
                self.original_name,
                now - REPEAT_WINDOW_S,
                self.application
            ],
            |r| {
                let format: String = r.get("format")?;
                let Some(format) = format_from_name(&format) else {
                    return Ok(None);
                };
                Ok(Some(UploadCreated {
                    upload_id: r.get("id")?,
                    kind: self.kind,
                    bytes: r.get("bytes")?,
                    width: r.get("width")?,
                    height: r.get("height")?,
                    format,
                }))
            },
        )
        .optional()
        .map(Option::flatten)
    }
}

/// `POST /uploads` (multipart: `kind`, `file`).
pub async fn create_upload(
    State(state): State<AppState>,
    verified: Verified,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<UploadCreated>), ApiError> {
    let created = receive(&state, verified.phone, None, None, multipart).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// The row of a stored upload.
struct NewUpload {
    created: UploadCreated,
    phone: String,
    file_name: String,
    /// The name the image was uploaded with, sanitized.
    original_name: Option<String>,
    sha256: String,
    now: i64,
}

impl NewUpload {
    fn insert(&self, conn: &Connection) -> rusqlite::Result<()> {
        let c = &self.created;
        conn.execute(
            "INSERT INTO uploads (id, kind, phone, file_name, original_name, format, bytes, width, height, sha256,
                                  created_at)
             VALUES (:id, :kind, :phone, :file_name, :original_name, :format, :bytes, :width, :height, :sha256,
                     :created_at)",
            rusqlite::named_params! {
                ":id": c.upload_id,
                ":kind": c.kind.as_str(),
                ":phone": self.phone,
                ":file_name": self.file_name,
                ":original_name": self.original_name,
                ":format": format_name(c.format),
                ":bytes": c.bytes as i64,
                ":width": c.width,
                ":height": c.height,
                ":sha256": self.sha256,
                ":created_at": self.now,
            },
        )?;
        Ok(())
    }
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

/// An upload as stored.
pub struct StoredUpload {
    pub id: String,
    pub path: std::path::PathBuf,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    /// The picture could not be decoded for a thumbnail before.
    pub thumbnail_failed: bool,
}

/// The stored upload `upload_id`, when `phone` uploaded it (any number: `None`).
pub async fn stored(
    state: &AppState,
    upload_id: String,
    phone: Option<String>,
) -> Result<StoredUpload, ApiError> {
    let not_found =
        || ApiError::not_found(codes::UPLOAD_NOT_FOUND, "no such upload for this number");
    let id = upload_id.clone();
    let row: Option<(String, String, u32, u32, bool)> = state
        .db()
        .call(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT file_name, format, width, height, thumbnail_failed FROM uploads
                     WHERE id = ?1 AND (?2 IS NULL OR phone = ?2)",
                    rusqlite::params![upload_id, phone],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?)
        })
        .await?;
    let (file_name, format, width, height, thumbnail_failed) = row.ok_or_else(not_found)?;
    Ok(StoredUpload {
        id,
        path: state.uploads_dir().join(file_name),
        format: format_from_name(&format).ok_or_else(not_found)?,
        width,
        height,
        thumbnail_failed,
    })
}

/// An image answer that no cache keeps.
pub fn image_response(format: ImageFormat, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, format.mime()),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /dev/uploads/{upload_id}` (development mode): the stored file (without its metadata).
pub async fn dev_stored(
    State(state): State<AppState>,
    Path(upload_id): Path<String>,
) -> Result<Response, ApiError> {
    let upload = stored(&state, upload_id, None).await?;
    Ok(image_response(
        upload.format,
        tokio::fs::read(&upload.path).await?,
    ))
}
