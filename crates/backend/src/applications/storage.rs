//! The application's row: stored on submission and over itself on a resubmission (under the write lock, checking
//! again what a concurrent request may have changed) together with what it uses up — the quiz attempt, the
//! uploads it attaches, the verification token that sent it — and read back as the record that the status, the
//! stored answers and the development view show.

use domain::api::{
    codes, AgreementAcceptance, ApplicationStatus, ApplicationStep, Consent, DevApplicationRecord,
    FieldError, OutboxMessage, QuizMode, ReviewState, StatusChange,
};
use domain::application::{fields, ValidApplication};
use domain::id_document::DocumentType;
use rusqlite::types::Value;
use rusqlite::{named_params, Connection, OptionalExtension, Row, ToSql};

use super::access::issue;
use super::checks::username_taken;
use super::gate::use_attempt;
use super::idempotency::{find_by_key, KeyedBy, Stored};
use crate::db::Db;
use crate::error::ApiError;
use crate::review::{self, StatusUpdate};
use crate::usernames;
use crate::util::{beijing_date, random_readable, rfc3339};

/// 409 `duplicate_application`: the document number has an application under review.
pub(super) fn duplicate() -> ApiError {
    ApiError::conflict(
        codes::DUPLICATE_APPLICATION,
        "an application with this document number is already under review",
    )
    .with_field(fields::IDENTITY_DOCUMENT_NUMBER)
}

/// Whether the document number has an application under review ([`ApplicationStatus::is_under_review`]) other
/// than `except`.
fn is_under_review(
    conn: &Connection,
    document_number: &str,
    except: Option<&str>,
) -> rusqlite::Result<bool> {
    let statuses: Vec<String> = ApplicationStatus::ALL
        .into_iter()
        .filter(|s| s.is_under_review())
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    conn.query_row(
        &format!(
            "SELECT EXISTS (SELECT 1 FROM applications
                            WHERE document_number = ?1 AND status IN ({})
                              AND (?2 IS NULL OR reference <> ?2))",
            statuses.join(", ")
        ),
        rusqlite::params![document_number, except],
        |r| r.get(0),
    )
}

/// [`duplicate`] when the document number has an application under review other than `except`.
pub(super) async fn refuse_under_review(
    db: &Db,
    document_number: &str,
    except: Option<&str>,
) -> Result<(), ApiError> {
    let document_number = document_number.to_string();
    let except = except.map(str::to_string);
    let under_review = db
        .call(move |conn| Ok(is_under_review(conn, &document_number, except.as_deref())?))
        .await?;
    if under_review {
        return Err(duplicate());
    }
    Ok(())
}

/// What was checked under the write lock: the document number and the username are still free (apart from the
/// application being sent again, `except`).
fn still_free(
    conn: &Connection,
    v: &ValidApplication,
    except: Option<&str>,
) -> Result<(), ApiError> {
    if is_under_review(conn, &v.document_number, except)? {
        return Err(duplicate());
    }
    if usernames::is_taken_by_other(conn, &v.username, except)? {
        return Err(ApiError::validation(vec![username_taken()]));
    }
    Ok(())
}

/// The columns of a row that the investor's answers fill, the same for a first submission and a resubmission.
struct Answers(Vec<(String, Value)>);

impl Answers {
    fn of(
        v: &ValidApplication,
        quiz_score: Option<u32>,
        password_hash: &str,
    ) -> Result<Answers, ApiError> {
        let text = |s: &str| Value::Text(s.to_string());
        let columns = vec![
            ("quiz_mode", text(v.quiz.mode.as_str())),
            ("quiz_attempt_id", Value::from(v.quiz.attempt_id.clone())),
            ("quiz_score", Value::from(quiz_score)),
            ("name", text(&v.name)),
            ("document_type", text(v.document_type.code())),
            ("document_number", text(&v.document_number)),
            ("phone", text(&v.phone)),
            ("username", text(&v.username)),
            ("password_hash", text(password_hash)),
            ("address", Value::from(v.address.clone())),
            ("email", text(&v.email)),
            ("id_front", text(&v.id_front)),
            ("id_back", text(&v.id_back)),
            ("asset_proofs_json", Value::Text(to_json(&v.asset_proofs)?)),
            ("agreements_json", Value::Text(to_json(&v.agreements)?)),
            (
                "consent_json",
                Value::Text(to_json(&v.sensitive_data_consent)?),
            ),
            ("locale", text(&v.locale)),
        ];
        Ok(Answers(
            columns
                .into_iter()
                .map(|(name, value)| (name.to_string(), value))
                .collect(),
        ))
    }

    /// `quiz_mode, quiz_attempt_id, …`
    fn names(&self) -> String {
        self.0
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `:quiz_mode, :quiz_attempt_id, …`
    fn placeholders(&self) -> String {
        self.0
            .iter()
            .map(|(n, _)| format!(":{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `quiz_mode = :quiz_mode, …`
    fn assignments(&self) -> String {
        self.0
            .iter()
            .map(|(n, _)| format!("{n} = :{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Runs `sql` with the answers' parameters and `more`.
    fn execute(
        &self,
        conn: &Connection,
        sql: &str,
        more: &[(&str, &dyn ToSql)],
    ) -> rusqlite::Result<usize> {
        let names: Vec<String> = self.0.iter().map(|(n, _)| format!(":{n}")).collect();
        let mut params: Vec<(&str, &dyn ToSql)> = names
            .iter()
            .zip(&self.0)
            .map(|(name, (_, value))| (name.as_str(), value as &dyn ToSql))
            .collect();
        params.extend_from_slice(more);
        conn.execute(sql, params.as_slice())
    }
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
        messages: Vec<OutboxMessage>,
    },
    Existing(Stored),
}

impl NewApplication {
    /// Inserts the row with its first status token, audit row and messages, checking again (now under the write
    /// lock) what a concurrent request may have changed.
    pub(super) fn store(self, tx: &Connection) -> Result<Outcome, ApiError> {
        if let Some(stored) = find_by_key(tx, KeyedBy::Submission, &self.idempotency_key)? {
            return Ok(Outcome::Existing(stored));
        }
        let v = &self.valid;
        still_free(tx, v, None)?;
        let answers = Answers::of(v, self.quiz_score, &self.password_hash)?;
        let sql = format!(
            "INSERT OR IGNORE INTO applications (
                reference, status, client_ip, idempotency_key, request_fingerprint, submitted_at, updated_at,
                {})
             VALUES (
                :reference, 'submitted', :client_ip, :idempotency_key, :request_fingerprint, :now, :now, {})",
            answers.names(),
            answers.placeholders()
        );
        let date = beijing_date(self.now);
        for _ in 0..10 {
            let reference = format!(
                "HB{:04}{:02}{:02}{}",
                date.year,
                date.month,
                date.day,
                random_readable(6)
            );
            let inserted = answers.execute(
                tx,
                &sql,
                named_params! {
                    ":reference": reference,
                    ":client_ip": self.client_ip,
                    ":idempotency_key": self.idempotency_key,
                    ":request_fingerprint": self.fingerprint,
                    ":now": self.now,
                },
            )?;
            if inserted == 1 {
                use_up(tx, &self.valid, &self.token_hash, &reference)?;
                let status_token = issue(tx, &reference, self.now)?;
                let messages =
                    review::submitted(tx, &reference, self.now).map_err(ApiError::internal)?;
                return Ok(Outcome::New {
                    reference,
                    status_token,
                    messages,
                });
            }
        }
        Err(ApiError::internal("could not find a free reference"))
    }
}

/// A returned application, checked again, to be stored over its row.
pub(super) struct Resubmission {
    pub reference: String,
    pub valid: ValidApplication,
    pub quiz_score: Option<u32>,
    pub password_hash: String,
    /// SHA-256 of the verification token that sends it.
    pub token_hash: String,
    pub idempotency_key: String,
    pub fingerprint: String,
    pub now: i64,
}

/// What storing a resubmission found: done (with the messages queued), or one stored meanwhile under the key.
pub(super) enum Resubmitted {
    Done(Vec<OutboxMessage>),
    Existing(Stored),
}

impl Resubmission {
    /// Stores the answers over the row and moves it on with [`StatusChange::Resubmit`] (409
    /// `application_not_returned` unless it is `returned`; nothing is stored then).
    pub(super) fn store(self, tx: &Connection) -> Result<Resubmitted, ApiError> {
        if let Some(stored) = find_by_key(tx, KeyedBy::Resubmission, &self.idempotency_key)? {
            return Ok(Resubmitted::Existing(stored));
        }
        let v = &self.valid;
        still_free(tx, v, Some(&self.reference))?;
        use_up(tx, v, &self.token_hash, &self.reference)?;
        let answers = Answers::of(v, self.quiz_score, &self.password_hash)?;
        answers.execute(
            tx,
            &format!(
                "UPDATE applications SET {}, updated_at = :now WHERE reference = :reference",
                answers.assignments()
            ),
            named_params! { ":now": self.now, ":reference": self.reference },
        )?;
        // The messages go to the address and in the language of the application as now sent.
        let update = StatusUpdate::new(StatusChange::Resubmit, review::INVESTOR);
        let changed = review::change(tx, &self.reference, &update, self.now)
            .map_err(|e| e.into_api(codes::APPLICATION_NOT_RETURNED))?;
        tx.execute(
            "INSERT INTO resubmissions
                (idempotency_key, reference, request_fingerprint, password_hash, phone, created_at)
             VALUES (:key, :reference, :fingerprint, :password_hash, :phone, :now)",
            named_params! {
                ":key": self.idempotency_key,
                ":reference": self.reference,
                ":fingerprint": self.fingerprint,
                ":password_hash": self.password_hash,
                ":phone": v.phone,
                ":now": self.now,
            },
        )?;
        Ok(Resubmitted::Done(changed.messages))
    }
}

/// What the stored application `reference` uses up: its quiz attempt, the uploads it attaches (kept from the
/// purge of unattached uploads), the token that sent it (from then on it only replays that request).
fn use_up(
    tx: &Connection,
    v: &ValidApplication,
    token_hash: &str,
    reference: &str,
) -> Result<(), ApiError> {
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
        named_params! { ":reference": reference, ":token_hash": token_hash },
    )?;
    Ok(())
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(ApiError::internal)
}

/// The columns of [`DevApplicationRecord`]: the row without the password hash and the request's bookkeeping.
const RECORD_COLUMNS: &str =
    "reference, status, quiz_mode, quiz_attempt_id, quiz_score, \
     name, document_type, document_number, phone, username, address, email, id_front, id_back, \
     asset_proofs_json, fee_receipt, agreements_json, consent_json, locale, account_number, returned_reason, \
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
        review: ReviewState {
            status: stored_enum(row, "status", ApplicationStatus::from_name)?,
            account_number: row.get("account_number")?,
            returned_reason: row.get("returned_reason")?,
            returned_step: returned_step
                .as_deref()
                .and_then(ApplicationStep::from_name),
            submitted_at: rfc3339(row.get("submitted_at")?),
            updated_at: rfc3339(row.get("updated_at")?),
        },
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
        fee_receipt: row.get("fee_receipt")?,
        agreements: stored_json::<Vec<AgreementAcceptance>>(row, "agreements_json")?,
        sensitive_data_consent: stored_json::<Consent>(row, "consent_json")?,
        locale: row.get("locale")?,
    })
}

/// The stored application with this reference (upper case), if any.
pub(crate) fn load_record(
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
