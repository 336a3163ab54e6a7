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
//! - [`gate`]: the quiz attempt an application quotes, bound to one number and used once.
//! - [`storage`]: the row, stored on submission with what it uses up, over itself on a resubmission, and read
//!   back.
//! - [`dev`]: the operator's view and review in development mode.

mod access;
mod answers;
mod checks;
mod dev;
mod gate;
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

use crate::auth::{Verification, Verified};
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
    let retry = Retry::of(&req, &verification.verified)?;
    let now = now_unix();

    // The same key again: the stored answer for the same request, a conflict for another. A token that
    // submitted an application may still replay it (the answer to the first request may have been lost).
    if let Some(stored) = stored_under(state.db(), KeyedBy::Submission, &key).await? {
        count_replay(&state, &ip, now).await?;
        return replay(&state, stored, &retry).await;
    }
    let verified = verification.unspent()?;
    within_rate_limit(&state, &ip, now).await?;
    let stored = store_new(
        &state,
        &req,
        &verified,
        (&ip, &key, &retry.fingerprint),
        now,
    )
    .await;
    match stored {
        Ok(Outcome::New {
            reference,
            status_token,
            messages,
        }) => {
            tracing::info!(%reference, "application submitted");
            notify::announce(state.config().dev, &reference, &messages);
            Ok(created(reference, status_token))
        }
        // Another request with the same key got there first.
        Ok(Outcome::Existing(stored)) => replay(&state, stored, &retry).await,
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
    let checked = checks::check(state, req, verified, now, None).await?;
    refuse_under_review(state.db(), &checked.valid.document_number, None).await?;
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
    state.db().write(move |tx| new.store(tx)).await
}

/// The answer to a retried submission: 201 with the same reference and a new status token (tokens are kept
/// only as hashes, so the first one cannot be given again; it stays valid), marked as replayed.
async fn replay(state: &AppState, stored: Stored, retry: &Retry<'_>) -> Result<Response, ApiError> {
    same_request(state.argon2(), &stored, retry).await?;
    let status_token = access::issue_for(state, stored.reference.clone()).await?;
    Ok(replayed(created(stored.reference, status_token)))
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
