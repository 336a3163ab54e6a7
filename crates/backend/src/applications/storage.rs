//! The application's row: stored once (under the write lock, checking again what a concurrent request may have
//! changed) together with what it uses up — the quiz attempt, the uploads it attaches, the verification token
//! that submitted it — and read back as the record that the status and the development view show.

use domain::api::{
    codes, AgreementAcceptance, ApplicationStatus, ApplicationStep, Consent, DevApplicationRecord,
    FieldError, QuizMode,
};
use domain::application::{fields, ValidApplication};
use domain::id_document::DocumentType;
use rusqlite::{named_params, Connection, OptionalExtension, Row};

use super::checks::username_taken;
use super::gate::use_attempt;
use super::idempotency::{find_by_key, Stored};
use crate::db::Db;
use crate::error::ApiError;
use crate::usernames;
use crate::util::{beijing_date, random_readable, random_token, rfc3339};

/// 409 `duplicate_application`: the document number has an application under review.
pub(super) fn duplicate() -> ApiError {
    ApiError::conflict(
        codes::DUPLICATE_APPLICATION,
        "an application with this document number is already under review",
    )
    .with_field(fields::IDENTITY_DOCUMENT_NUMBER)
}

/// Whether the document number has an application `submitted` or `fee_received`.
fn is_under_review(conn: &Connection, document_number: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM applications
                        WHERE document_number = ?1 AND status IN ('submitted', 'fee_received'))",
        [document_number],
        |r| r.get(0),
    )
}

/// [`duplicate`] when the document number has an application under review.
pub(super) async fn refuse_under_review(db: &Db, document_number: &str) -> Result<(), ApiError> {
    let document_number = document_number.to_string();
    let under_review = db
        .call(move |conn| Ok(is_under_review(conn, &document_number)?))
        .await?;
    if under_review {
        return Err(duplicate());
    }
    Ok(())
}

/// A checked application with what the server adds to its row.
pub(super) struct NewApplication {
    pub valid: ValidApplication,
    pub quiz_score: Option<u32>,
    /// The verification token that submits it (SHA-256): spent with it.
    pub token_hash: String,
    pub password_hash: String,
    pub client_ip: String,
    pub idempotency_key: String,
    pub fingerprint: String,
    pub now: i64,
}

/// What storing found: a new row, or one stored meanwhile under the same key.
pub(super) enum Outcome {
    New {
        reference: String,
        status_token: String,
    },
    Existing(Stored),
}

impl NewApplication {
    /// Inserts the row, checking again (now under the write lock) what a concurrent request may have changed.
    pub(super) fn store(self, conn: &mut Connection) -> Result<Outcome, ApiError> {
        let tx = conn.transaction()?;
        if let Some(stored) = find_by_key(&tx, &self.idempotency_key)? {
            return Ok(Outcome::Existing(stored));
        }
        let v = &self.valid;
        if is_under_review(&tx, &v.document_number)? {
            return Err(duplicate());
        }
        if usernames::is_taken(&tx, &v.username)? {
            return Err(ApiError::validation(vec![username_taken()]));
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
                 VALUES (
                    :reference, :status_token, 'submitted', :quiz_mode, :quiz_attempt_id, :quiz_score,
                    :name, :document_type, :document_number, :phone, :username, :password_hash, :address, :email,
                    :id_front, :id_back, :asset_proofs_json, :agreements_json, :consent_json, :locale,
                    :client_ip, :idempotency_key, :request_fingerprint, :submitted_at, :submitted_at)",
                named_params! {
                    ":reference": reference,
                    ":status_token": status_token,
                    ":quiz_mode": v.quiz.mode.as_str(),
                    ":quiz_attempt_id": v.quiz.attempt_id,
                    ":quiz_score": self.quiz_score,
                    ":name": v.name,
                    ":document_type": v.document_type.code(),
                    ":document_number": v.document_number,
                    ":phone": v.phone,
                    ":username": v.username,
                    ":password_hash": self.password_hash,
                    ":address": v.address,
                    ":email": v.email,
                    ":id_front": v.id_front,
                    ":id_back": v.id_back,
                    ":asset_proofs_json": asset_proofs,
                    ":agreements_json": agreements,
                    ":consent_json": consent,
                    ":locale": v.locale,
                    ":client_ip": self.client_ip,
                    ":idempotency_key": self.idempotency_key,
                    ":request_fingerprint": self.fingerprint,
                    ":submitted_at": self.now,
                },
            )?;
            if inserted == 1 {
                self.use_up(&tx, &reference)?;
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

impl NewApplication {
    /// What the stored application `reference` uses up: its quiz attempt, the uploads it attaches (kept from the
    /// purge of unattached uploads), the token that submitted it (from now on it only replays this submission).
    fn use_up(&self, tx: &Connection, reference: &str) -> Result<(), ApiError> {
        let v = &self.valid;
        if let Some(attempt_id) = &v.quiz.attempt_id {
            use_attempt(tx, attempt_id, &v.phone, reference)?;
        }
        let attached = [
            (fields::ID_FRONT.to_string(), &v.id_front),
            (fields::ID_BACK.to_string(), &v.id_back),
        ]
        .into_iter()
        .chain((v.asset_proofs.iter().enumerate()).map(|(i, id)| (fields::asset_proof(i), id)));
        for (field, upload_id) in attached {
            let changed = tx.execute(
                "UPDATE uploads SET application = :reference WHERE id = :id",
                named_params! { ":reference": reference, ":id": upload_id },
            )?;
            // Purged meanwhile (it was unattached for days).
            if changed == 0 {
                return Err(ApiError::validation(vec![FieldError::new(
                    field,
                    codes::UPLOAD_NOT_FOUND,
                    "no such upload for the verified number; upload the image again",
                )]));
            }
        }
        tx.execute(
            "UPDATE verification_tokens SET spent_on = :reference WHERE token_hash = :token_hash",
            named_params! { ":reference": reference, ":token_hash": self.token_hash },
        )?;
        Ok(())
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(ApiError::internal)
}

/// The columns of [`DevApplicationRecord`]: the row without the password hash and the request's bookkeeping.
const RECORD_COLUMNS: &str =
    "reference, status, status_token, quiz_mode, quiz_attempt_id, quiz_score, \
     name, document_type, document_number, phone, username, address, email, id_front, id_back, \
     asset_proofs_json, agreements_json, consent_json, locale, account_number, returned_reason, \
     returned_step, submitted_at, updated_at";

/// A text column read through `parse`; what `parse` refuses is a conversion failure of that column.
fn parsed<T>(
    row: &Row,
    column: &str,
    parse: impl FnOnce(&str) -> Result<T, Box<dyn std::error::Error + Send + Sync>>,
) -> rusqlite::Result<T> {
    let text: String = row.get(column)?;
    parse(&text).map_err(|cause| {
        let index = row.as_ref().column_index(column).unwrap_or_default();
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, cause)
    })
}

fn stored_json<T: serde::de::DeserializeOwned>(row: &Row, column: &str) -> rusqlite::Result<T> {
    parsed(row, column, |text| Ok(serde_json::from_str(text)?))
}

fn stored_enum<T>(row: &Row, column: &str, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    parsed(row, column, |text| {
        parse(text).ok_or_else(|| format!("unknown value {text:?}").into())
    })
}

fn record_from_row(row: &Row) -> rusqlite::Result<DevApplicationRecord> {
    let returned_step: Option<String> = row.get("returned_step")?;
    Ok(DevApplicationRecord {
        reference: row.get("reference")?,
        status: stored_enum(row, "status", ApplicationStatus::from_name)?,
        status_token: row.get("status_token")?,
        quiz_mode: stored_enum(row, "quiz_mode", QuizMode::from_name)?,
        quiz_attempt_id: row.get("quiz_attempt_id")?,
        quiz_score: row.get("quiz_score")?,
        name: row.get("name")?,
        document_type: stored_enum(row, "document_type", DocumentType::from_code)?,
        document_number: row.get("document_number")?,
        phone: row.get("phone")?,
        username: row.get("username")?,
        address: row.get("address")?,
        email: row.get("email")?,
        id_front: row.get("id_front")?,
        id_back: row.get("id_back")?,
        asset_proofs: stored_json(row, "asset_proofs_json")?,
        agreements: stored_json::<Vec<AgreementAcceptance>>(row, "agreements_json")?,
        sensitive_data_consent: stored_json::<Consent>(row, "consent_json")?,
        locale: row.get("locale")?,
        account_number: row.get("account_number")?,
        returned_reason: row.get("returned_reason")?,
        returned_step: returned_step
            .as_deref()
            .and_then(ApplicationStep::from_name),
        submitted_at: rfc3339(row.get("submitted_at")?),
        updated_at: rfc3339(row.get("updated_at")?),
    })
}

/// The stored application with this reference (upper case), if any.
pub(super) fn load_record(
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

/// Same, off the async threads.
pub(super) async fn record(
    db: &Db,
    reference: String,
) -> Result<Option<DevApplicationRecord>, ApiError> {
    db.call(move |conn| Ok(load_record(conn, &reference)?))
        .await
}
