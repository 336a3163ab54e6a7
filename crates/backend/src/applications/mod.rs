//! Submitting an application (idempotent, re-validated, rate-limited), reading its status, and the operator's
//! development-mode view.
//!
//! - [`idempotency`]: the `Idempotency-Key` header, what makes a retry "the same request", the stored answer
//!   given again, the Argon2id password hash.
//! - [`checks`]: the domain's rules with the exchange's parameters, then what only the server knows.
//! - [`gate`]: the quiz attempt an application quotes, bound to one number and used once.
//! - [`storage`]: the row, stored once with what it uses up, and read back.
//! - [`dev`]: the operator's view and review in development mode.

mod checks;
mod dev;
mod gate;
mod idempotency;
mod storage;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use domain::api::{codes, ApplicationRequest, ApplicationStatusResponse, DevApplicationRecord};

use crate::auth::{Verification, Verified};
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

/// Applications stored, and duplicates refused ([`count_duplicate`]), from one client address within the hour.
const PER_CLIENT_ADDRESS: RollingLimit = RollingLimit {
    table: "submission_attempts",
    time_column: "at",
    per: Per::ClientAddress,
    window: Window::Hour,
    rows: "applications",
    code: codes::SUBMISSION_RATE_LIMIT,
};
/// Submissions answered from an earlier one with the same key (each costs an Argon2id comparison).
const REPLAYS_PER_CLIENT_ADDRESS: RollingLimit = RollingLimit {
    table: "submission_replays",
    time_column: "replayed_at",
    rows: "repeated submissions",
    code: codes::SUBMISSION_REPLAY_LIMIT,
    ..PER_CLIENT_ADDRESS
};
/// Repeated submissions per client address per rolling hour, unless `--submission-replays-per-ip-per-hour`
/// says otherwise.
pub const DEFAULT_REPLAYS_PER_IP_PER_HOUR: u32 = 30;

/// `POST /applications`.
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    verification: Result<Verification, ApiError>,
    body: Result<JsonBody<ApplicationRequest>, ApiError>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let verification = verification?;
    let JsonBody(req) = body?;
    let fingerprint = fingerprint(&req)?;
    let password = req.account.password.as_str();
    let now = now_unix();

    // The same key again: the stored answer for the same request, a conflict for another. A token that
    // submitted an application may still replay it (the answer to the first request may have been lost).
    if let Some(stored) = stored_under(state.db(), &key).await? {
        count_replay(&state, &ip, now).await?;
        let verified = &verification.verified;
        return replay(state.argon2(), stored, &fingerprint, verified, password).await;
    }
    let verified = verification.unspent()?;
    within_rate_limit(&state, &ip, now).await?;
    let stored = store_new(&state, &req, &verified, (&ip, &key, &fingerprint), now).await;
    match stored {
        Ok(Outcome::New {
            reference,
            status_token,
        }) => {
            tracing::info!(%reference, "application submitted");
            Ok(created(reference, status_token, false))
        }
        // Another request with the same key got there first.
        Ok(Outcome::Existing(stored)) => {
            replay(state.argon2(), stored, &fingerprint, &verified, password).await
        }
        Err(refused) if refused.body.code == codes::DUPLICATE_APPLICATION => {
            count_duplicate(&state, &ip, now).await?;
            Err(refused)
        }
        Err(refused) => Err(refused),
    }
}

/// Checks a new submission and stores it: `(client address, idempotency key, request fingerprint)`.
async fn store_new(
    state: &AppState,
    req: &ApplicationRequest,
    verified: &Verified,
    (ip, key, fingerprint): (&str, &str, &str),
    now: i64,
) -> Result<Outcome, ApiError> {
    let checked = checks::check(state, req, verified, now).await?;
    refuse_under_review(state.db(), &checked.valid.document_number).await?;
    let new = NewApplication {
        password_hash: hash_password(state.argon2(), checked.valid.password.clone()).await?,
        valid: checked.valid,
        quiz_score: checked.quiz_score,
        token_hash: verified.token_hash.clone(),
        client_ip: ip.to_string(),
        idempotency_key: key.to_string(),
        fingerprint: fingerprint.to_string(),
        now,
    };
    state.db().call(move |conn| new.store(conn)).await
}

/// 429 `submission_rate_limit` once the client address stored (or had refused as duplicates) its applications
/// of the hour.
async fn within_rate_limit(state: &AppState, ip: &str, now: i64) -> Result<(), ApiError> {
    let ip = ip.to_string();
    let limit = state.config().applications_per_ip_per_hour;
    state
        .db()
        .call(move |conn| PER_CLIENT_ADDRESS.check(conn, &ip, limit, now))
        .await
}

/// Counts a replayed submission of the client address, or answers 429 `submission_replay_limit` once it had
/// its replays of the hour (before any password is compared).
async fn count_replay(state: &AppState, ip: &str, now: i64) -> Result<(), ApiError> {
    let limit = state.config().submission_replays_per_ip_per_hour;
    REPLAYS_PER_CLIENT_ADDRESS
        .record(state.db(), ip, limit, now)
        .await
}

/// Records a submission refused as a duplicate: it counts toward the client address's submission limit like a
/// stored application, so that the refusal cannot be used to probe which document numbers have an application.
async fn count_duplicate(state: &AppState, ip: &str, now: i64) -> Result<(), ApiError> {
    let ip = ip.to_string();
    state
        .db()
        .call(move |conn| {
            conn.execute(
                "INSERT INTO duplicate_refusals (client_ip, refused_at) VALUES (?1, ?2)",
                rusqlite::params![ip, now],
            )?;
            Ok(())
        })
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
