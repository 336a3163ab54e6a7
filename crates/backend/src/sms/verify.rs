//! `POST /sms-codes/verify`: the newest code of a number, tried at most [`MAX_TRIES`] times, gives a
//! verification token; wrong codes count toward a daily cap per number. [`with_code`] is the one way a code is
//! used up, also by the status lookup on another device.

use axum::extract::State;
use axum::Json;
use domain::api::{codes, SmsVerified, SmsVerifyRequest};
use domain::phone::normalize_phone;
use domain::sms_code::validate_sms_code;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::{code_hash, phone_error, MAX_TRIES, REPEAT_WINDOW_S, TOKEN_TTL_S};
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::limits::{Per, RollingLimit, Window};
use crate::util::{constant_time_eq, now_unix, random_token, sha256_hex};
use crate::AppState;

/// Wrong codes tried for one number within the day.
const WRONG_CODES_PER_NUMBER: RollingLimit = RollingLimit {
    table: "wrong_sms_codes",
    time_column: "tried_at",
    per: Per::Number,
    window: Window::Day,
    rows: "wrong codes",
    code: codes::SMS_VERIFY_DAILY_LIMIT,
};

/// The number and the code of a request, by their rules (400 naming `phone` or `code`), and the hash the code
/// is stored as.
pub(crate) fn checked_code(phone: &str, code: &str) -> Result<(String, String), ApiError> {
    let phone = normalize_phone(phone).map_err(phone_error)?;
    let code = validate_sms_code(code)
        .map_err(|e| ApiError::bad_request(e.code(), format!("code: {e}")).with_field("code"))?;
    let hash = code_hash(&phone, &code);
    Ok((phone, hash))
}

/// Uses up the code waiting for `phone` when `hash` is its hash, then runs `then` in the same transaction
/// (which holds the write lock from its start). The transaction is committed whatever the outcome: a wrong code
/// counts a try (and one of the number's wrong codes of the day, at most `wrong_codes_per_day`), and a used
/// code stays used when `then` refuses.
///
/// The number's latest code, given again within [`REPEAT_WINDOW_S`] of its use (and before it expires), counts
/// as that use again: a retry whose first answer was lost on the way is not refused.
///
/// Errors (`field: code`): 429 `sms_verify_daily_limit`; 400 `sms_code_not_found` (no code waits: never sent,
/// used, or replaced), `sms_code_attempts_exceeded`, `sms_code_expired`, `sms_code_mismatch` with
/// `attempts_left`.
pub(crate) fn with_code<T>(
    conn: &mut Connection,
    phone: &str,
    hash: &str,
    now: i64,
    wrong_codes_per_day: u32,
    then: impl FnOnce(&Transaction) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let outcome = WRONG_CODES_PER_NUMBER
        .check(&tx, phone, wrong_codes_per_day, now)
        .map_err(|e| e.with_field("code"))
        .and_then(|()| use_code(&tx, phone, hash, now))
        .and_then(|()| then(&tx));
    tx.commit()?;
    outcome
}

fn use_code(tx: &Transaction, phone: &str, hash: &str, now: i64) -> Result<(), ApiError> {
    let row: Option<(i64, String, i64, i64)> = tx
        .query_row(
            "SELECT id, code_hash, expires_at, attempts FROM sms_codes
             WHERE phone = ?1 AND used_at IS NULL AND superseded = 0
             ORDER BY id DESC LIMIT 1",
            [phone],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((id, stored_hash, expires_at, attempts)) = row else {
        if used_moments_ago(tx, phone, hash, now)? {
            return Ok(());
        }
        return Err(ApiError::bad_request(
            codes::SMS_CODE_NOT_FOUND,
            "no code is waiting for this number (never sent, already used, or replaced by a newer one)",
        )
        .with_field("code"));
    };
    if attempts >= MAX_TRIES {
        return Err(attempts_exceeded());
    }
    if now >= expires_at {
        return Err(ApiError::bad_request(
            codes::SMS_CODE_EXPIRED,
            "the code has expired; ask for a new one",
        )
        .with_field("code"));
    }
    if !constant_time_eq(stored_hash.as_bytes(), hash.as_bytes()) {
        let attempts = attempts + 1;
        tx.execute(
            "UPDATE sms_codes SET attempts = ?1 WHERE id = ?2",
            rusqlite::params![attempts, id],
        )?;
        tx.execute(
            "INSERT INTO wrong_sms_codes (phone, tried_at) VALUES (?1, ?2)",
            rusqlite::params![phone, now],
        )?;
        if attempts >= MAX_TRIES {
            return Err(attempts_exceeded());
        }
        let mut e = ApiError::bad_request(
            codes::SMS_CODE_MISMATCH,
            "the code does not match the one sent",
        )
        .with_field("code");
        e.body.attempts_left = Some((MAX_TRIES - attempts) as u32);
        return Err(e);
    }
    tx.execute(
        "UPDATE sms_codes SET used_at = ?1 WHERE id = ?2",
        rusqlite::params![now, id],
    )?;
    Ok(())
}

/// Whether `hash` is the number's latest code, used within [`REPEAT_WINDOW_S`] and not yet expired.
fn used_moments_ago(tx: &Transaction, phone: &str, hash: &str, now: i64) -> rusqlite::Result<bool> {
    let latest: Option<(String, Option<i64>, i64)> = tx
        .query_row(
            "SELECT code_hash, used_at, expires_at FROM sms_codes WHERE phone = ?1 ORDER BY id DESC LIMIT 1",
            [phone],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(matches!(latest, Some((stored, Some(used_at), expires_at))
        if now - used_at <= REPEAT_WINDOW_S
            && now < expires_at
            && constant_time_eq(stored.as_bytes(), hash.as_bytes())))
}

/// `POST /sms-codes/verify`.
pub async fn verify_code(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<SmsVerifyRequest>,
) -> Result<Json<SmsVerified>, ApiError> {
    let (phone, hash) = checked_code(&req.phone, &req.code)?;
    let token = random_token("vt_");
    let token_hash = sha256_hex(token.as_bytes());
    let now = now_unix();
    let wrong_codes_per_day = state.config().sms_wrong_codes_per_phone_per_day;
    state
        .db()
        .call(move |conn| {
            with_code(conn, &phone, &hash, now, wrong_codes_per_day, |tx| {
                tx.execute(
                    "INSERT INTO verification_tokens (token_hash, phone, created_at, expires_at)
                     VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![token_hash, phone, now, now + TOKEN_TTL_S],
                )?;
                Ok(())
            })
        })
        .await?;
    Ok(Json(SmsVerified {
        verification_token: token,
        expires_s: TOKEN_TTL_S as u64,
    }))
}

fn attempts_exceeded() -> ApiError {
    ApiError::bad_request(
        codes::SMS_CODE_ATTEMPTS_EXCEEDED,
        format!("{MAX_TRIES} wrong tries used this code up; ask for a new one"),
    )
    .with_field("code")
}
