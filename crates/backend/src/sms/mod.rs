//! SMS codes: sending (rate-limited), verifying (single use, limited tries), and the development view.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::api::{codes, DevSmsCode, SmsCodeRequest, SmsCodeSent, SmsVerified, SmsVerifyRequest};
use domain::phone::{mask_phone, normalize_phone};
use domain::sms_code::validate_sms_code;
use rusqlite::OptionalExtension;

use crate::error::ApiError;
use crate::extract::{ClientIp, JsonBody};
use crate::limits::{Per, RollingLimit, Window};
use crate::util::{constant_time_eq, now_unix, random_digits, random_token, sha256_hex};
use crate::AppState;

/// A code is valid this long.
pub const CODE_TTL_S: i64 = 10 * 60;
/// Seconds between two codes to the same number, unless `--sms-cooldown-s` says otherwise.
pub const DEFAULT_COOLDOWN_S: u32 = 60;
/// Codes per number per rolling hour, unless `--sms-per-phone-per-hour` says otherwise.
pub const DEFAULT_PER_PHONE_PER_HOUR: u32 = 5;
/// Codes per client address per rolling hour, unless `--sms-per-ip-per-hour` says otherwise.
pub const DEFAULT_PER_IP_PER_HOUR: u32 = 20;
/// Codes sent to one number within the hour.
const PER_NUMBER: RollingLimit = RollingLimit {
    table: "sms_codes",
    time_column: "created_at",
    per: Per::Number,
    window: Window::Hour,
    rows: "codes",
    code: codes::SMS_HOURLY_LIMIT,
};
/// Codes asked for by one client address within the hour.
const PER_CLIENT_ADDRESS: RollingLimit = RollingLimit {
    per: Per::ClientAddress,
    code: codes::SMS_IP_LIMIT,
    ..PER_NUMBER
};
/// Wrong tries that use a code up.
pub const MAX_TRIES: i64 = 5;
/// A verification token is valid this long.
pub const TOKEN_TTL_S: i64 = 2 * 60 * 60;

fn phone_error(e: domain::phone::PhoneError) -> ApiError {
    ApiError::bad_request(e.code(), format!("phone number: {e}")).with_field("phone")
}

fn code_hash(phone: &str, code: &str) -> String {
    sha256_hex(format!("{phone}:{code}").as_bytes())
}

/// `POST /sms-codes`.
pub async fn send_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(req): JsonBody<SmsCodeRequest>,
) -> Result<(StatusCode, Json<SmsCodeSent>), ApiError> {
    let phone = normalize_phone(&req.phone).map_err(phone_error)?;
    let code = random_digits(6);
    let now = now_unix();
    let dev_code = state.config().dev.then(|| code.clone());
    let hash = code_hash(&phone, &code);
    let for_db = phone.clone();
    let config = state.config();
    let cooldown_s = i64::from(config.sms_cooldown_s);
    let per_phone = config.sms_per_phone_per_hour;
    let per_ip = config.sms_per_ip_per_hour;
    state
        .db()
        .call(move |conn| {
            let phone = for_db;
            let tx = conn.transaction()?;
            let last: Option<i64> = tx.query_row(
                "SELECT MAX(created_at) FROM sms_codes WHERE phone = ?1",
                [&phone],
                |r| r.get(0),
            )?;
            if let Some(last) = last.filter(|last| now - last < cooldown_s) {
                return Err(ApiError::too_many(
                    codes::SMS_COOLDOWN,
                    format!("a code was sent to this number less than {cooldown_s} seconds ago"),
                    last + cooldown_s - now,
                )
                .with_field("phone"));
            }
            PER_NUMBER
                .check(&tx, &phone, per_phone, now)
                .map_err(|e| e.with_field("phone"))?;
            PER_CLIENT_ADDRESS.check(&tx, &ip, per_ip, now)?;
            tx.execute(
                "UPDATE sms_codes SET superseded = 1 WHERE phone = ?1 AND used_at IS NULL",
                [&phone],
            )?;
            tx.execute(
                "INSERT INTO sms_codes (phone, client_ip, code_hash, dev_code, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![phone, ip, hash, dev_code, now, now + CODE_TTL_S],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    deliver_sms(state.config().dev, &phone, &code);
    Ok((
        StatusCode::ACCEPTED,
        Json(SmsCodeSent {
            cooldown_s: u64::from(state.config().sms_cooldown_s),
            expires_s: CODE_TTL_S as u64,
        }),
    ))
}

/// Hands a code to the SMS gateway.
///
/// The reference backend has no gateway. In development mode the code is logged (and readable from
/// `GET /api/v1/dev/sms-codes/{phone}`); otherwise only the fact that a code would be sent is logged, never the
/// code. The exchange plugs its SMS gateway in here: this is the only place that sends codes.
fn deliver_sms(dev: bool, phone: &str, code: &str) {
    if dev {
        tracing::info!(
            phone,
            code,
            "SMS code (development mode: not sent, shown here)"
        );
    } else {
        tracing::info!(
            phone = %mask_phone(phone),
            "an SMS code would be sent now; no SMS gateway is configured in the reference backend"
        );
    }
}

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
    state
        .db()
        .call(move |conn| {
            let tx = conn.transaction()?;
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

/// `GET /dev/sms-codes/{phone}` (development mode): the latest code sent to the number.
pub async fn dev_latest_code(
    State(state): State<AppState>,
    Path(phone): Path<String>,
) -> Result<Json<DevSmsCode>, ApiError> {
    let phone = normalize_phone(&phone).map_err(phone_error)?;
    let for_db = phone.clone();
    let code: Option<String> = state
        .db()
        .call(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT dev_code FROM sms_codes WHERE phone = ?1 ORDER BY id DESC LIMIT 1",
                    [&for_db],
                    |r| r.get(0),
                )
                .optional()?
                .flatten())
        })
        .await?;
    match code {
        Some(code) => Ok(Json(DevSmsCode { phone, code })),
        None => Err(ApiError::not_found(
            codes::SMS_CODE_NOT_FOUND,
            "no code was sent to this number in development mode",
        )),
    }
}
