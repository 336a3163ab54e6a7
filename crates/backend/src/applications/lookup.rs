//! `POST /applications/lookup`: the status on another device. The investor proves the application's number with
//! an SMS code and gets a status token of its own.

use axum::extract::State;
use axum::Json;
use domain::api::{codes, ApplicationCreated, StatusLookupRequest};

use super::access::{issue, normalize_reference, not_found};
use crate::error::ApiError;
use crate::extract::{ClientIp, JsonBody};
use crate::limits::{Per, RollingLimit, Window};
use crate::sms;
use crate::util::now_unix;
use crate::AppState;

/// Status lookups per client address per rolling hour, unless `--lookups-per-ip-per-hour` says otherwise.
pub const DEFAULT_LOOKUPS_PER_IP_PER_HOUR: u32 = 10;

/// Lookups asked for from one client address within the hour.
const PER_CLIENT_ADDRESS: RollingLimit = RollingLimit {
    table: "status_lookups",
    time_column: "created_at",
    per: Per::ClientAddress,
    window: Window::Hour,
    rows: "status lookups",
    code: codes::STATUS_LOOKUP_RATE_LIMIT,
};

/// `POST /applications/lookup`.
///
/// The code is used up exactly as `POST /sms-codes/verify` does; only then is the application looked up, and a
/// reference that does not exist or was made with another number answers the same 404 `application_not_found`.
/// Every lookup counts against the client address, whatever its outcome.
pub async fn lookup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(req): JsonBody<StatusLookupRequest>,
) -> Result<Json<ApplicationCreated>, ApiError> {
    let (phone, hash) = sms::checked_code(&req.phone, &req.code)?;
    let reference = normalize_reference(&req.reference);
    let now = now_unix();
    let limit = state.config().lookups_per_ip_per_hour;
    let wrong_codes_per_day = state.config().sms_wrong_codes_per_phone_per_day;
    state
        .db()
        .write(move |tx| {
            PER_CLIENT_ADDRESS.check(tx, &ip, limit, now)?;
            tx.execute(
                "INSERT INTO status_lookups (client_ip, created_at) VALUES (?1, ?2)",
                rusqlite::params![ip, now],
            )?;
            Ok(())
        })
        .await?;
    let found = reference.clone();
    let status_token = state
        .db()
        .call(move |conn| {
            sms::with_code(conn, &phone, &hash, now, wrong_codes_per_day, |tx| {
                let made_with_the_number: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM applications WHERE reference = ?1 AND phone = ?2)",
                    [&found, &phone],
                    |r| r.get(0),
                )?;
                if !made_with_the_number {
                    return Err(not_found());
                }
                Ok(issue(tx, &found, now)?)
            })
        })
        .await?;
    tracing::info!(%reference, "status token issued by lookup");
    Ok(Json(ApplicationCreated {
        reference,
        status_token,
    }))
}
