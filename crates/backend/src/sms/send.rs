//! `POST /sms-codes`: a new code for a number, within the limits, handed to the SMS gateway.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::api::{codes, SmsCodeRequest, SmsCodeSent};
use domain::phone::{mask_phone, normalize_phone};
use rusqlite::Transaction;

use super::{code_hash, phone_error, CODE_TTL_S};
use crate::config::Config;
use crate::error::ApiError;
use crate::extract::{ClientIp, JsonBody};
use crate::limits::{Per, RollingLimit, Window};
use crate::util::{now_unix, random_digits};
use crate::AppState;

/// Codes sent to one number within the hour.
const PER_NUMBER_PER_HOUR: RollingLimit = RollingLimit {
    table: "sms_codes",
    time_column: "created_at",
    per: Per::Number,
    window: Window::Hour,
    rows: "codes",
    code: codes::SMS_HOURLY_LIMIT,
};
/// Codes sent to one number within the day.
const PER_NUMBER_PER_DAY: RollingLimit = RollingLimit {
    window: Window::Day,
    code: codes::SMS_DAILY_LIMIT,
    ..PER_NUMBER_PER_HOUR
};
/// Codes asked for by one client address within the hour.
const PER_CLIENT_ADDRESS: RollingLimit = RollingLimit {
    per: Per::ClientAddress,
    code: codes::SMS_IP_LIMIT,
    ..PER_NUMBER_PER_HOUR
};
/// Codes sent to all numbers together within the hour: what the SMS gateway may cost.
const BUDGET: RollingLimit = RollingLimit {
    per: Per::Everyone,
    code: codes::SMS_BUDGET_EXHAUSTED,
    ..PER_NUMBER_PER_HOUR
};

/// `POST /sms-codes`.
pub async fn send_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(req): JsonBody<SmsCodeRequest>,
) -> Result<(StatusCode, Json<SmsCodeSent>), ApiError> {
    let phone = normalize_phone(&req.phone).map_err(phone_error)?;
    let code = random_digits(6);
    let now = now_unix();
    let config = state.config().clone();
    let row = NewCode {
        hash: code_hash(&phone, &code),
        dev_code: config.dev.then(|| code.clone()),
        phone: phone.clone(),
        ip,
        now,
    };
    state
        .db()
        .call(move |conn| {
            let tx = conn.transaction()?;
            within_limits(&tx, &config, &row)?;
            row.insert(&tx)?;
            warn_when_the_budget_is_spent(&tx, &config, now);
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

/// The row of a code about to be sent.
struct NewCode {
    phone: String,
    ip: String,
    hash: String,
    /// The plain code, kept in development mode only (for the dev endpoint).
    dev_code: Option<String>,
    now: i64,
}

impl NewCode {
    /// Stores the code; earlier unused codes of the number can no longer be verified.
    fn insert(&self, tx: &Transaction) -> rusqlite::Result<()> {
        tx.execute(
            "UPDATE sms_codes SET superseded = 1 WHERE phone = ?1 AND used_at IS NULL",
            [&self.phone],
        )?;
        tx.execute(
            "INSERT INTO sms_codes (phone, client_ip, code_hash, dev_code, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![
                self.phone,
                self.ip,
                self.hash,
                self.dev_code,
                self.now,
                self.now + CODE_TTL_S
            ],
        )?;
        Ok(())
    }
}

/// Every limit a new code must be within, the number's own first (the cooldown, then the day's and the hour's
/// codes: the longest wait is the one worth telling), then the client address's and the service's budget.
fn within_limits(tx: &Transaction, config: &Config, row: &NewCode) -> Result<(), ApiError> {
    let (phone, now) = (row.phone.as_str(), row.now);
    let cooldown_s = i64::from(config.sms_cooldown_s);
    let last: Option<i64> = tx.query_row(
        "SELECT MAX(created_at) FROM sms_codes WHERE phone = ?1",
        [phone],
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
    PER_NUMBER_PER_DAY
        .check(tx, phone, config.sms_per_phone_per_day, now)
        .and_then(|()| PER_NUMBER_PER_HOUR.check(tx, phone, config.sms_per_phone_per_hour, now))
        .map_err(|e| e.with_field("phone"))?;
    PER_CLIENT_ADDRESS.check(tx, &row.ip, config.sms_per_ip_per_hour, now)?;
    BUDGET.check(tx, "", config.sms_budget_per_hour, now)
}

/// Logs a warning when the code just stored spent the hourly budget: codes are refused from now on until the
/// oldest of the hour is an hour old (a flood, or a budget too small for the day's investors).
fn warn_when_the_budget_is_spent(tx: &Transaction, config: &Config, now: i64) {
    let budget = config.sms_budget_per_hour;
    if let Err(spent) = BUDGET.check(tx, "", budget, now) {
        tracing::warn!(
            budget,
            refused_for_s = spent.body.retry_after_s,
            "the hourly SMS budget (--sms-budget-per-hour) is spent: no more codes are sent until the oldest \
             of the hour is an hour old"
        );
    }
}

/// Hands a code to the SMS gateway.
///
/// The reference backend has no gateway. In development mode the code is logged (and readable from
/// `GET /api/v1/dev/sms-codes/{phone}`); otherwise only the fact that a code would be sent is logged, never the
/// code. The number is masked either way. The exchange plugs its SMS gateway in here: this is the only place
/// that sends codes.
fn deliver_sms(dev: bool, phone: &str, code: &str) {
    let phone = mask_phone(phone);
    if dev {
        tracing::info!(
            %phone,
            code,
            "SMS code (development mode: not sent, shown here)"
        );
    } else {
        tracing::info!(
            %phone,
            "an SMS code would be sent now; no SMS gateway is configured in the reference backend"
        );
    }
}
