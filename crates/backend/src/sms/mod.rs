//! SMS codes: sending (rate-limited per number, per client address and for the whole service), verifying
//! (single use, limited tries per code and wrong codes per day), and the development view.
//!
//! - [`send`]: `POST /sms-codes` and the one place that hands a code to the SMS gateway.
//! - [`verify`]: `POST /sms-codes/verify`, which gives the verification token.

mod send;
mod verify;

use axum::extract::{Path, State};
use axum::Json;
use domain::api::{codes, DevSmsCode};
use domain::phone::normalize_phone;
use rusqlite::OptionalExtension;

use crate::error::ApiError;
use crate::util::sha256_hex;
use crate::AppState;

pub use send::send_code;
pub use verify::verify_code;
pub(crate) use verify::{checked_code, with_code};

/// A code is valid this long.
pub const CODE_TTL_S: i64 = 10 * 60;
/// Seconds between two codes to the same number, unless `--sms-cooldown-s` says otherwise.
pub const DEFAULT_COOLDOWN_S: u32 = 60;
/// Codes per number per rolling hour, unless `--sms-per-phone-per-hour` says otherwise.
pub const DEFAULT_PER_PHONE_PER_HOUR: u32 = 5;
/// Codes per number per rolling day, unless `--sms-per-phone-per-day` says otherwise (SMS providers' usual cap).
pub const DEFAULT_PER_PHONE_PER_DAY: u32 = 10;
/// Codes per client address per rolling hour, unless `--sms-per-ip-per-hour` says otherwise.
pub const DEFAULT_PER_IP_PER_HOUR: u32 = 20;
/// Codes per rolling hour to all numbers together, unless `--sms-budget-per-hour` says otherwise.
pub const DEFAULT_BUDGET_PER_HOUR: u32 = 500;
/// Wrong codes tried per number per rolling day, unless `--sms-wrong-codes-per-phone-per-day` says otherwise.
pub const DEFAULT_WRONG_CODES_PER_PHONE_PER_DAY: u32 = 20;
/// Wrong tries that use a code up.
pub const MAX_TRIES: i64 = 5;
/// A code used moments ago is taken again this long after its use, until it expires: the answer to its first
/// use may have been lost on the way (a weak mobile signal), and the investor's retry must not be refused.
pub const REPEAT_WINDOW_S: i64 = 2 * 60;
/// A verification token is valid this long.
pub const TOKEN_TTL_S: i64 = 2 * 60 * 60;

fn phone_error(e: domain::phone::PhoneError) -> ApiError {
    ApiError::bad_request(e.code(), format!("phone number: {e}")).with_field("phone")
}

/// How a code is stored: SHA-256 of the number and the code, never the code.
pub fn code_hash(phone: &str, code: &str) -> String {
    sha256_hex(format!("{phone}:{code}").as_bytes())
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
