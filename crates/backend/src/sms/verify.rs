//! `POST /sms-codes/verify`: the newest code of a number, tried at most [`MAX_TRIES`] times, gives a
//! verification token; wrong codes count toward a daily cap per number.

use axum::extract::State;
use axum::Json;
use domain::api::{codes, SmsVerified, SmsVerifyRequest};
use domain::phone::normalize_phone;
use domain::sms_code::validate_sms_code;
use rusqlite::OptionalExtension;

use super::{code_hash, phone_error, MAX_TRIES, TOKEN_TTL_S};
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

/// `POST /sms-codes/verify`.
pub async fn verify_code(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<SmsVerifyRequest>,
) -> Result<Json<SmsVerified>, ApiError> {
    let phone = normalize_phone(&req.phone).map_err(phone_error)?;
    let code = validate_sms_code(&req.code)
        .map_err(|e| ApiError::bad_request(e.code(), format!("code: {e}")).with_field("code"))?;
    let hash = code_hash(&phone, &code);
    let token = random_token("vt_");
    let token_hash = sha256_hex(token.as_bytes());
    let now = now_unix();
    let wrong_codes_per_day = state.config().sms_wrong_codes_per_phone_per_day;
    state
        .db()
        .call(move |conn| {
            let tx = conn.transaction()?;
            WRONG_CODES_PER_NUMBER
                .check(&tx, &phone, wrong_codes_per_day, now)
                .map_err(|e| e.with_field("code"))?;
            let row: Option<(i64, String, i64, i64)> = tx
                .query_row(
                    "SELECT id, code_hash, expires_at, attempts FROM sms_codes
                     WHERE phone = ?1 AND used_at IS NULL AND superseded = 0
                     ORDER BY id DESC LIMIT 1",
                    [&phone],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            let Some((id, stored_hash, expires_at, attempts)) = row else {
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
                tx.commit()?;
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
            tx.execute(
                "INSERT INTO verification_tokens (token_hash, phone, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![token_hash, phone, now, now + TOKEN_TTL_S],
            )?;
            tx.commit()?;
            Ok(())
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
