//! Submitting an application (idempotent, re-validated, rate-limited), reading its status, and the operator's
//! development-mode view.

use std::collections::HashSet;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::api::{
    codes, AgreementAcceptance, ApplicationCreated, ApplicationRequest, ApplicationStatus,
    ApplicationStatusResponse, ApplicationStep, Consent, DevApplicationRecord, DevStatusUpdate,
    FieldError, QuizMode, UploadKind,
};
use domain::application::{check_application, in_page_order, is_valid_id, Rules, ValidApplication};
use domain::config::AppConfig;
use domain::id_document::DocumentType;
use domain::password::{common_password_set, is_common_password};
use domain::phone::normalize_phone;
use domain::username::validate_username;
use rusqlite::{Connection, OptionalExtension, Row};

use crate::auth::Verified;
use crate::error::ApiError;
use crate::extract::{header_str, ClientIp, JsonBody};
use crate::usernames;
use crate::util::{
    beijing_date, constant_time_eq, now_unix, random_readable, random_token, rfc3339, sha256_hex,
};
use crate::AppState;

/// Applications stored per client address per rolling hour, unless `--applications-per-ip-per-hour` says
/// otherwise.
pub const DEFAULT_PER_IP_PER_HOUR: u32 = 10;
/// Length limits of the `Idempotency-Key` header.
pub const IDEMPOTENCY_KEY_CHARS: std::ops::RangeInclusive<usize> = 8..=128;
/// Header that marks the stored answer to an earlier request with the same key.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// The rules' parameters of the app's configuration file (`--app-config`): the quiz gate's mode and pass mark,
/// the agreement and consent versions a submission must carry.
///
/// A missing file is logged as a warning and gives the exchange's defaults without any version check. A file
/// that cannot be read or is not a valid app configuration stops the start.
pub fn load_rules(path: &std::path::Path) -> Result<Rules, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::warn!(
                path = %path.display(),
                "the app configuration (--app-config) is missing: the agreement and consent versions of \
                 submissions are not checked"
            );
            return Ok(Rules::default());
        }
        Err(e) => {
            return Err(format!(
                "cannot read the app configuration (--app-config) {}: {e}",
                path.display()
            ))
        }
    };
    let config: AppConfig = serde_json::from_str(&text).map_err(|e| {
        format!(
            "the app configuration (--app-config) {} is not valid: {e}",
            path.display()
        )
    })?;
    config.check().map_err(|e| {
        format!(
            "the app configuration (--app-config) {} is not valid: {e} ({})",
            path.display(),
            e.code()
        )
    })?;
    Ok(Rules::of(&config))
}

/// The list of common passwords shipped in `common-passwords.txt` (lower case).
pub fn common_passwords() -> HashSet<String> {
    common_password_set(include_str!("../common-passwords.txt"))
}

fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Err(ApiError::bad_request(
            codes::IDEMPOTENCY_KEY_MISSING,
            "the Idempotency-Key header is required (a fresh random value per application, reused on retries)",
        ));
    };
    match value.to_str() {
        Ok(key)
            if IDEMPOTENCY_KEY_CHARS.contains(&key.len())
                && key.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            Ok(key.to_string())
        }
        _ => Err(ApiError::bad_request(
            codes::IDEMPOTENCY_KEY_INVALID,
            "the Idempotency-Key header must be 8 to 128 printable ASCII characters",
        )),
    }
}

/// What identifies "the same request" for a key: the request as parsed, without the password (which is
/// compared against the stored hash instead, so no unsalted digest of it is ever stored).
fn fingerprint(req: &ApplicationRequest) -> Result<String, ApiError> {
    let mut value = serde_json::to_value(req).map_err(ApiError::internal)?;
    value["account"]["password"] = serde_json::Value::Null;
    Ok(sha256_hex(value.to_string().as_bytes()))
}

async fn hash_password(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        let salt_bytes: [u8; 16] = rand::Rng::random(&mut rand::rng());
        let salt = SaltString::encode_b64(&salt_bytes)
            .map_err(|e| ApiError::internal(format!("argon2 salt: {e}")))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| ApiError::internal(format!("argon2: {e}")))
    })
    .await
    .map_err(ApiError::internal)?
}

async fn verify_password(password: String, hash: String) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || {
        let parsed =
            PasswordHash::new(&hash).map_err(|e| ApiError::internal(format!("argon2: {e}")))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(ApiError::internal)?
}

/// An application stored earlier under the same idempotency key.
struct Stored {
    reference: String,
    status_token: String,
    fingerprint: String,
    password_hash: String,
    phone: String,
}

fn find_by_key(conn: &Connection, key: &str) -> rusqlite::Result<Option<Stored>> {
    conn.query_row(
        "SELECT reference, status_token, request_fingerprint, password_hash, phone
         FROM applications WHERE idempotency_key = ?1",
        [key],
        |r| {
            Ok(Stored {
                reference: r.get(0)?,
                status_token: r.get(1)?,
                fingerprint: r.get(2)?,
                password_hash: r.get(3)?,
                phone: r.get(4)?,
            })
        },
    )
    .optional()
}

fn created(reference: String, status_token: String, replayed: bool) -> Response {
    let mut response = (
        StatusCode::CREATED,
        Json(ApplicationCreated {
            reference,
            status_token,
        }),
    )
        .into_response();
    if replayed {
        response
            .headers_mut()
            .insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    }
    response
}

fn duplicate() -> ApiError {
    ApiError::conflict(
        codes::DUPLICATE_APPLICATION,
        "an application with this document number is already under review",
    )
    .with_field("identity.document_number")
}

/// `POST /applications`.
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    verified: Result<Verified, ApiError>,
    body: Result<JsonBody<ApplicationRequest>, ApiError>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let verified = verified?;
    let JsonBody(req) = body?;
    let fingerprint = fingerprint(&req)?;
    let now = now_unix();

    // The same key again: the stored answer for the same request, a conflict for another.
    let for_db = key.clone();
    let stored = state
        .db()
        .call(move |conn| Ok(find_by_key(conn, &for_db)?))
        .await?;
    if let Some(stored) = stored {
        return replay(stored, &fingerprint, &verified, &req.account.password).await;
    }

    let for_db = ip.clone();
    let limit = state.config().applications_per_ip_per_hour;
    state
        .db()
        .call(move |conn| {
            let (count, oldest): (i64, Option<i64>) = conn.query_row(
                "SELECT COUNT(*), MIN(submitted_at) FROM applications
                 WHERE client_ip = ?1 AND submitted_at > ?2",
                rusqlite::params![for_db, now - 3600],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if count >= i64::from(limit) {
                return Err(ApiError::too_many(
                    codes::SUBMISSION_RATE_LIMIT,
                    format!("at most {limit} applications per client address per hour"),
                    oldest.unwrap_or(now) + 3600 - now,
                ));
            }
            Ok(())
        })
        .await?;

    let checked = check_application(&req, beijing_date(now), state.rules());
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    let server = server_checks(&state, &req, &verified, &errors).await?;
    errors.extend(server.errors);
    in_page_order(&mut errors);
    let valid = match checked {
        Ok(valid) if errors.is_empty() => valid,
        _ => return Err(ApiError::validation(errors)),
    };

    let document_number = valid.document_number.clone();
    let under_review = state
        .db()
        .call(move |conn| Ok(is_under_review(conn, &document_number)?))
        .await?;
    if under_review {
        return Err(duplicate());
    }

    let password_hash = hash_password(valid.password.clone()).await?;
    let insert = NewApplication {
        valid,
        quiz_score: server.quiz_score,
        password_hash,
        client_ip: ip,
        idempotency_key: key,
        fingerprint: fingerprint.clone(),
        now,
    };
    let outcome = state.db().call(move |conn| insert.store(conn)).await?;
    match outcome {
        Outcome::New {
            reference,
            status_token,
        } => {
            tracing::info!(%reference, "application submitted");
            Ok(created(reference, status_token, false))
        }
        // Another request with the same key got there first.
        Outcome::Existing(stored) => {
            replay(stored, &fingerprint, &verified, &req.account.password).await
        }
    }
}

async fn replay(
    stored: Stored,
    fingerprint: &str,
    verified: &Verified,
    password: &str,
) -> Result<Response, ApiError> {
    let same = constant_time_eq(stored.fingerprint.as_bytes(), fingerprint.as_bytes())
        && stored.phone == verified.phone
        && verify_password(password.to_string(), stored.password_hash).await?;
    if same {
        Ok(created(stored.reference, stored.status_token, true))
    } else {
        Err(ApiError::conflict(
            codes::IDEMPOTENCY_KEY_REUSED,
            "this Idempotency-Key was used for a different application; use a new key",
        ))
    }
}

struct ServerChecks {
    errors: Vec<FieldError>,
    quiz_score: Option<u32>,
}

/// What only the server knows: the configured agreement and consent versions, the verified number, common
/// passwords, the username, uploads, quiz attempt.
async fn server_checks(
    state: &AppState,
    req: &ApplicationRequest,
    verified: &Verified,
    rule_errors: &[FieldError],
) -> Result<ServerChecks, ApiError> {
    let mut errors = Vec::new();
    let already = |field: &str| rule_errors.iter().any(|e| e.field == field);

    if let Ok(phone) = normalize_phone(&req.identity.phone) {
        if phone != verified.phone {
            errors.push(FieldError::new(
                "identity.phone",
                codes::PHONE_NOT_VERIFIED,
                "this is not the number that was verified by SMS",
            ));
        }
    }
    if !already("account.password")
        && is_common_password(&req.account.password, state.common_passwords())
    {
        errors.push(FieldError::new(
            "account.password",
            codes::PASSWORD_COMMON,
            "this password is on the list of common passwords",
        ));
    }

    let username = validate_username(&req.account.username).ok();
    let mut uploads: Vec<(String, String, UploadKind)> = vec![
        (
            "attachments.id_front".into(),
            req.attachments.id_front.trim().to_string(),
            UploadKind::IdFront,
        ),
        (
            "attachments.id_back".into(),
            req.attachments.id_back.trim().to_string(),
            UploadKind::IdBack,
        ),
    ];
    for (i, id) in req.attachments.asset_proofs.iter().enumerate() {
        uploads.push((
            format!("attachments.asset_proofs.{i}"),
            id.trim().to_string(),
            UploadKind::AssetProof,
        ));
    }
    uploads.retain(|(field, id, _)| is_valid_id(id) && !already(field));
    let attempt_id = match req.quiz.mode {
        QuizMode::BuiltIn => req
            .quiz
            .attempt_id
            .as_deref()
            .map(str::trim)
            .filter(|id| is_valid_id(id) && !already("quiz.attempt_id"))
            .map(str::to_string),
        QuizMode::SelfDeclared => None,
    };
    let phone = verified.phone.clone();
    let (db_errors, attempt_score) = state
        .db()
        .call(move |conn| {
            let mut errors = Vec::new();
            if let Some(username) = username {
                if usernames::is_reserved(&username) || usernames::is_taken(conn, &username)? {
                    errors.push(FieldError::new(
                        "account.username",
                        codes::USERNAME_TAKEN,
                        "this username is taken",
                    ));
                }
            }
            for (field, id, kind) in uploads {
                let row: Option<(String, String)> = conn
                    .query_row(
                        "SELECT kind, phone FROM uploads WHERE id = ?1",
                        [&id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                match row {
                    Some((_, owner)) if owner != phone => errors.push(upload_not_found(field)),
                    None => errors.push(upload_not_found(field)),
                    Some((stored_kind, _)) if stored_kind != kind.as_str() => {
                        errors.push(FieldError::new(
                            field,
                            codes::UPLOAD_WRONG_KIND,
                            format!("this upload is a {stored_kind}, not a {}", kind.as_str()),
                        ))
                    }
                    Some(_) => {}
                }
            }
            let mut score = None;
            if let Some(id) = attempt_id {
                let row: Option<(u32, bool)> = conn
                    .query_row(
                        "SELECT score, passed FROM quiz_attempts WHERE id = ?1",
                        [&id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                match row {
                    None => errors.push(FieldError::new(
                        "quiz.attempt_id",
                        codes::QUIZ_ATTEMPT_NOT_FOUND,
                        "no such quiz attempt",
                    )),
                    Some((s, false)) => errors.push(FieldError::new(
                        "quiz.attempt_id",
                        codes::QUIZ_NOT_PASSED,
                        format!("this attempt scored {s}, which does not pass"),
                    )),
                    Some((s, true)) => score = Some(s),
                }
            }
            Ok((errors, score))
        })
        .await?;
    errors.extend(db_errors);
    let quiz_score = match req.quiz.mode {
        QuizMode::BuiltIn => attempt_score,
        QuizMode::SelfDeclared => req.quiz.declared_score,
    };
    Ok(ServerChecks { errors, quiz_score })
}

fn upload_not_found(field: String) -> FieldError {
    FieldError::new(
        field,
        codes::UPLOAD_NOT_FOUND,
        "no such upload for the verified number; upload the image again",
    )
}

fn is_under_review(conn: &Connection, document_number: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM applications
                        WHERE document_number = ?1 AND status IN ('submitted', 'fee_received'))",
        [document_number],
        |r| r.get(0),
    )
}

struct NewApplication {
    valid: ValidApplication,
    quiz_score: Option<u32>,
    password_hash: String,
    client_ip: String,
    idempotency_key: String,
    fingerprint: String,
    now: i64,
}

/// What storing found: a new row, or one stored meanwhile under the same key.
enum Outcome {
    New {
        reference: String,
        status_token: String,
    },
    Existing(Stored),
}

impl NewApplication {
    /// Inserts the row, checking again (now under the write lock) what a concurrent request may have changed.
    fn store(self, conn: &mut Connection) -> Result<Outcome, ApiError> {
        let tx = conn.transaction()?;
        if let Some(stored) = find_by_key(&tx, &self.idempotency_key)? {
            return Ok(Outcome::Existing(stored));
        }
        let v = &self.valid;
        if is_under_review(&tx, &v.document_number)? {
            return Err(duplicate());
        }
        if usernames::is_taken(&tx, &v.username)? {
            return Err(ApiError::validation(vec![FieldError::new(
                "account.username",
                codes::USERNAME_TAKEN,
                "this username is taken",
            )]));
        }
        let date = beijing_date(self.now);
        let status_token = random_token("st_");
        let asset_proofs = to_json(&v.asset_proofs)?;
        let agreements = to_json(&v.agreements)?;
        let consent = to_json(&v.sensitive_data_consent)?;
        for _ in 0..10 {
            let reference = format!(
                "HB{:04}{:02}{:02}{}",
                date.year,
                date.month,
                date.day,
                random_readable(6)
            );
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO applications (
                    reference, status_token, status, quiz_mode, quiz_attempt_id, quiz_score,
                    name, document_type, document_number, phone, username, password_hash, address, email,
                    id_front, id_back, asset_proofs_json, agreements_json, consent_json, locale,
                    client_ip, idempotency_key, request_fingerprint, submitted_at, updated_at)
                 VALUES (?1, ?2, 'submitted', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
                         ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?23)",
                rusqlite::params![
                    reference,
                    status_token,
                    v.quiz.mode.as_str(),
                    v.quiz.attempt_id,
                    self.quiz_score,
                    v.name,
                    v.document_type.code(),
                    v.document_number,
                    v.phone,
                    v.username,
                    self.password_hash,
                    v.address,
                    v.email,
                    v.id_front,
                    v.id_back,
                    asset_proofs,
                    agreements,
                    consent,
                    v.locale,
                    self.client_ip,
                    self.idempotency_key,
                    self.fingerprint,
                    self.now,
                ],
            )?;
            if inserted == 1 {
                tx.commit()?;
                return Ok(Outcome::New {
                    reference,
                    status_token,
                });
            }
        }
        Err(ApiError::internal("could not find a free reference"))
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(ApiError::internal)
}

const RECORD_COLUMNS: &str =
    "reference, status, status_token, quiz_mode, quiz_attempt_id, quiz_score, \
     name, document_type, document_number, phone, username, address, email, id_front, id_back, \
     asset_proofs_json, agreements_json, consent_json, locale, account_number, returned_reason, \
     returned_step, submitted_at, updated_at";

fn stored_json<T: serde::de::DeserializeOwned>(row: &Row, index: usize) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn stored_enum<T>(row: &Row, index: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unknown value {text:?}").into(),
        )
    })
}

fn record_from_row(row: &Row) -> rusqlite::Result<DevApplicationRecord> {
    let returned_step: Option<String> = row.get(21)?;
    Ok(DevApplicationRecord {
        reference: row.get(0)?,
        status: stored_enum(row, 1, ApplicationStatus::from_name)?,
        status_token: row.get(2)?,
        quiz_mode: stored_enum(row, 3, QuizMode::from_name)?,
        quiz_attempt_id: row.get(4)?,
        quiz_score: row.get(5)?,
        name: row.get(6)?,
        document_type: stored_enum(row, 7, DocumentType::from_code)?,
        document_number: row.get(8)?,
        phone: row.get(9)?,
        username: row.get(10)?,
        address: row.get(11)?,
        email: row.get(12)?,
        id_front: row.get(13)?,
        id_back: row.get(14)?,
        asset_proofs: stored_json(row, 15)?,
        agreements: stored_json::<Vec<AgreementAcceptance>>(row, 16)?,
        sensitive_data_consent: stored_json::<Consent>(row, 17)?,
        locale: row.get(18)?,
        account_number: row.get(19)?,
        returned_reason: row.get(20)?,
        returned_step: returned_step
            .as_deref()
            .and_then(ApplicationStep::from_name),
        submitted_at: rfc3339(row.get(22)?),
        updated_at: rfc3339(row.get(23)?),
    })
}

fn load_record(
    conn: &Connection,
    reference: &str,
) -> rusqlite::Result<Option<DevApplicationRecord>> {
    conn.query_row(
        &format!("SELECT {RECORD_COLUMNS} FROM applications WHERE reference = ?1"),
        [reference],
        record_from_row,
    )
    .optional()
}

fn status_of(record: DevApplicationRecord) -> ApplicationStatusResponse {
    ApplicationStatusResponse {
        reference: record.reference,
        status: record.status,
        account_number: record.account_number,
        returned_reason: record.returned_reason,
        returned_step: record.returned_step,
        submitted_at: record.submitted_at,
        updated_at: record.updated_at,
    }
}

fn not_found() -> ApiError {
    ApiError::not_found(
        codes::APPLICATION_NOT_FOUND,
        "no application with this reference and status token",
    )
}

/// `GET /applications/{reference}` with `X-Status-Token`.
pub async fn status(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    headers: HeaderMap,
) -> Result<Json<ApplicationStatusResponse>, ApiError> {
    let token = header_str(&headers, "x-status-token")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized(
                codes::STATUS_TOKEN_MISSING,
                "send the status token from the submission as X-Status-Token",
            )
        })?
        .to_string();
    let reference = reference.trim().to_ascii_uppercase();
    let record = state
        .db()
        .call(move |conn| Ok(load_record(conn, &reference)?))
        .await?
        .ok_or_else(not_found)?;
    if !constant_time_eq(record.status_token.as_bytes(), token.as_bytes()) {
        return Err(not_found());
    }
    Ok(Json(status_of(record)))
}

/// `GET /dev/applications/{reference}` (development mode): the stored row without the password hash.
pub async fn dev_record(
    State(state): State<AppState>,
    Path(reference): Path<String>,
) -> Result<Json<DevApplicationRecord>, ApiError> {
    let reference = reference.trim().to_ascii_uppercase();
    state
        .db()
        .call(move |conn| Ok(load_record(conn, &reference)?))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(codes::APPLICATION_NOT_FOUND, "no such application"))
}

/// `POST /dev/applications/{reference}/status` (development mode): what an operator does in review.
pub async fn dev_set_status(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    JsonBody(update): JsonBody<DevStatusUpdate>,
) -> Result<Json<ApplicationStatusResponse>, ApiError> {
    let text = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let account_number = text(&update.account_number);
    let reason = text(&update.reason);
    let mut errors = Vec::new();
    if update.status == ApplicationStatus::Approved && account_number.is_none() {
        errors.push(FieldError::new(
            "account_number",
            codes::ACCOUNT_NUMBER_MISSING,
            "an approved application needs its trading account number",
        ));
    }
    if update.status == ApplicationStatus::Returned && reason.is_none() {
        errors.push(FieldError::new(
            "reason",
            codes::RETURNED_REASON_MISSING,
            "a returned application needs the reason",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let approved = update.status == ApplicationStatus::Approved;
    let returned = update.status == ApplicationStatus::Returned;
    let step = update.step.filter(|_| returned).map(|s| s.as_str());
    let reference = reference.trim().to_ascii_uppercase();
    let now = now_unix();
    let record = state
        .db()
        .call(move |conn| {
            conn.execute(
                "UPDATE applications
                 SET status = ?1, account_number = ?2, returned_reason = ?3, returned_step = ?4, updated_at = ?5
                 WHERE reference = ?6",
                rusqlite::params![
                    update.status.as_str(),
                    account_number.filter(|_| approved),
                    reason.filter(|_| returned),
                    step,
                    now,
                    reference
                ],
            )?;
            Ok(load_record(conn, &reference)?)
        })
        .await?
        .ok_or_else(|| ApiError::not_found(codes::APPLICATION_NOT_FOUND, "no such application"))?;
    tracing::info!(reference = %record.reference, status = record.status.as_str(), "status changed");
    Ok(Json(status_of(record)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_is_real() {
        let list = common_passwords();
        assert!(list.len() > 3000, "{}", list.len());
        for p in [
            "password",
            "12345678",
            "qwertyuiop",
            "1qaz2wsx",
            "woaini1314",
            "iloveyou",
        ] {
            assert!(list.contains(p), "{p}");
        }
        assert!(list.iter().all(|p| p == &p.to_lowercase()));
    }

    #[test]
    fn idempotency_keys_are_checked() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            idempotency_key(&headers).unwrap_err().body.code,
            codes::IDEMPOTENCY_KEY_MISSING
        );
        headers.insert("idempotency-key", HeaderValue::from_static("short"));
        assert_eq!(
            idempotency_key(&headers).unwrap_err().body.code,
            codes::IDEMPOTENCY_KEY_INVALID
        );
        headers.insert(
            "idempotency-key",
            HeaderValue::from_static("5f0c2a9e-3c51-4f5e-9b8a-2d7f0e1c4b6a"),
        );
        assert!(idempotency_key(&headers).is_ok());
    }
}
