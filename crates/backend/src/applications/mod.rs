//! Submitting an application (idempotent, re-validated, rate-limited), reading its status, and the operator's
//! development-mode view.
//!
//! - [`access`]: the status tokens, stored as hashes, and the `X-Status-Token` check.
//! - [`lookup`]: a status token for another device, by reference, number and SMS code.
//! - [`receipt`]: the fee receipt uploaded by the investor.
//! - [`answers`]: what the application holds, for fixing a returned one.
//! - [`resubmit`]: a returned application sent again, checked like a first submission.
//! - [`idempotency`]: the `Idempotency-Key` header, what makes a retry "the same request", the Argon2id password
//!   hash.
//! - [`checks`]: the domain's rules with the exchange's parameters, then what only the server knows.
//! - [`storage`]: the row, stored on submission, over itself on a resubmission, and read back.
//! - [`dev`]: the operator's view and review in development mode.

mod access;
mod answers;
mod checks;
mod dev;
mod idempotency;
mod lookup;
mod receipt;
mod resubmit;
mod storage;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use domain::api::{
    codes, ApplicationRequest, ApplicationStatusResponse, DevApplicationRecord, StatusEvent,
};

use crate::auth::Verified;
use crate::error::ApiError;
use crate::extract::{ClientIp, JsonBody};
use crate::limits::{Per, RollingLimit, Window};
use crate::util::now_unix;
use crate::{notify, review, AppState};
use access::StatusAccess;
use idempotency::{
    created, hash_password, idempotency_key, replayed, same_request, stored_under, KeyedBy, Retry,
    Stored,
};
use storage::{refuse_under_review, NewApplication, Outcome};

pub use answers::answers;
pub use checks::{common_passwords, load_rules};
pub use dev::{dev_outbox, dev_record, dev_set_status};
pub use idempotency::{IDEMPOTENCY_KEY_CHARS, REPLAYED_HEADER};
pub use lookup::{lookup, DEFAULT_LOOKUPS_PER_IP_PER_HOUR};
pub use receipt::upload_receipt;
pub use resubmit::resubmit;
pub(crate) use storage::load_record;

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
    let retry = Retry::of(&req, &verified)?;
    let now = now_unix();

    // The same key again: the stored answer for the same request, a conflict for another.
    if let Some(stored) = stored_under(state.db(), KeyedBy::Submission, &key).await? {
        return replay(&state, stored, &retry).await;
    }
    within_rate_limit(&state, &ip, now).await?;
    let checked = checks::check(&state, &req, &verified, now, None).await?;
    refuse_under_review(state.db(), &checked.valid.document_number, None).await?;

    let new = NewApplication {
        password_hash: hash_password(checked.valid.password.clone()).await?,
        valid: checked.valid,
        quiz_score: checked.quiz_score,
        client_ip: ip,
        idempotency_key: key,
        fingerprint: retry.fingerprint.clone(),
        now,
    };
    match state.db().write(move |tx| new.store(tx)).await? {
        Outcome::New {
            reference,
            status_token,
            messages,
        } => {
            tracing::info!(%reference, "application submitted");
            notify::announce(state.config().dev, &reference, &messages);
            Ok(created(reference, status_token))
        }
        // Another request with the same key got there first.
        Outcome::Existing(stored) => replay(&state, stored, &retry).await,
    }
}

/// The answer to a retried submission: 201 with the same reference and a new status token (tokens are kept
/// only as hashes, so the first one cannot be given again; it stays valid), marked as replayed.
async fn replay(state: &AppState, stored: Stored, retry: &Retry<'_>) -> Result<Response, ApiError> {
    same_request(&stored, retry).await?;
    let status_token = access::issue_for(state, stored.reference.clone()).await?;
    Ok(replayed(created(stored.reference, status_token)))
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

/// What the investor sees of the record: the status and what goes with it, and the statuses it has been in.
fn status_of(record: DevApplicationRecord, history: Vec<StatusEvent>) -> ApplicationStatusResponse {
    ApplicationStatusResponse {
        reference: record.reference,
        review: record.review,
        name: record.name,
        document_type: record.document_type,
        document_number: record.document_number,
        history,
    }
}

/// The status answer of an application (404 `application_not_found` when there is none).
async fn status_answer(
    state: &AppState,
    reference: String,
) -> Result<ApplicationStatusResponse, ApiError> {
    state
        .db()
        .call(move |conn| {
            let record = storage::load_record(conn, &reference)?.ok_or_else(access::not_found)?;
            let history = review::history(conn, &reference)?;
            Ok(status_of(record, history))
        })
        .await
}

/// `GET /applications/{reference}` with `X-Status-Token`.
pub async fn status(
    State(state): State<AppState>,
    access: StatusAccess,
) -> Result<Json<ApplicationStatusResponse>, ApiError> {
    Ok(Json(status_answer(&state, access.reference).await?))
}
