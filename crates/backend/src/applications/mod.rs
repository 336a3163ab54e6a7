//! Submitting an application (idempotent, re-validated, rate-limited), reading its status, and the operator's
//! development-mode view.
//!
//! - [`idempotency`]: the `Idempotency-Key` header, what makes a retry "the same request", the stored answer
//!   given again, the Argon2id password hash.
//! - [`checks`]: the domain's rules with the exchange's parameters, then what only the server knows.
//! - [`storage`]: the row, stored once and read back.
//! - [`dev`]: the operator's view and review in development mode.

mod checks;
mod dev;
mod idempotency;
mod storage;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use domain::api::{codes, ApplicationRequest, ApplicationStatusResponse, DevApplicationRecord};

use crate::auth::Verified;
use crate::error::ApiError;
use crate::extract::{header_str, ClientIp, JsonBody};
use crate::limits::{Per, RollingLimit, Window};
use crate::util::{constant_time_eq, now_unix};
use crate::AppState;
use idempotency::{created, fingerprint, hash_password, idempotency_key, replay, stored_under};
use storage::{refuse_under_review, NewApplication, Outcome};

pub use checks::{common_passwords, load_rules};
pub use dev::{dev_record, dev_set_status};
pub use idempotency::{IDEMPOTENCY_KEY_CHARS, REPLAYED_HEADER};

/// Applications stored per client address per rolling hour, unless `--applications-per-ip-per-hour` says
/// otherwise.
pub const DEFAULT_PER_IP_PER_HOUR: u32 = 10;

/// Applications stored from one client address within the hour.
const PER_CLIENT_ADDRESS: RollingLimit = RollingLimit {
    table: "applications",
    time_column: "submitted_at",
    per: Per::ClientAddress,
    window: Window::Hour,
    rows: "applications",
    code: codes::SUBMISSION_RATE_LIMIT,
};

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
    let password = req.account.password.as_str();
    let now = now_unix();

    // The same key again: the stored answer for the same request, a conflict for another.
    if let Some(stored) = stored_under(state.db(), &key).await? {
        return replay(stored, &fingerprint, &verified, password).await;
    }
    within_rate_limit(&state, &ip, now).await?;
    let checked = checks::check(&state, &req, &verified, now).await?;
    refuse_under_review(state.db(), &checked.valid.document_number).await?;

    let new = NewApplication {
        password_hash: hash_password(checked.valid.password.clone()).await?,
        valid: checked.valid,
        quiz_score: checked.quiz_score,
        client_ip: ip,
        idempotency_key: key,
        fingerprint: fingerprint.clone(),
        now,
    };
    match state.db().call(move |conn| new.store(conn)).await? {
        Outcome::New {
            reference,
            status_token,
        } => {
            tracing::info!(%reference, "application submitted");
            Ok(created(reference, status_token, false))
        }
        // Another request with the same key got there first.
        Outcome::Existing(stored) => replay(stored, &fingerprint, &verified, password).await,
    }
}

/// 429 `submission_rate_limit` once the client address stored its applications of the hour.
async fn within_rate_limit(state: &AppState, ip: &str, now: i64) -> Result<(), ApiError> {
    let ip = ip.to_string();
    let limit = state.config().applications_per_ip_per_hour;
    state
        .db()
        .call(move |conn| PER_CLIENT_ADDRESS.check(conn, &ip, limit, now))
        .await
}

/// What the investor sees of the record: the status and what goes with it.
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
        })?;
    let not_found = || {
        ApiError::not_found(
            codes::APPLICATION_NOT_FOUND,
            "no application with this reference and status token",
        )
    };
    let reference = reference.trim().to_ascii_uppercase();
    let record = storage::record(state.db(), reference)
        .await?
        .ok_or_else(not_found)?;
    if !constant_time_eq(record.status_token.as_bytes(), token.as_bytes()) {
        return Err(not_found());
    }
    Ok(Json(status_of(record)))
}
