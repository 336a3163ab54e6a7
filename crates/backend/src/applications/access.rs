//! Status tokens (`X-Status-Token`): one is issued with every submission and every status lookup (a device of
//! the investor's), stored only as SHA-256; any of an application's tokens opens it — its status, its stored
//! answers, its fee receipt and its resubmission.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use domain::api::codes;
use rusqlite::Connection;

use crate::error::ApiError;
use crate::extract::header_str;
use crate::util::{constant_time_eq, now_unix, random_token, sha256_hex};
use crate::AppState;

/// A new status token for the application, stored as its hash; the token.
pub(super) fn issue(conn: &Connection, reference: &str, now: i64) -> rusqlite::Result<String> {
    let token = random_token("st_");
    conn.execute(
        "INSERT INTO status_tokens (token_hash, reference, created_at) VALUES (?1, ?2, ?3)",
        rusqlite::params![sha256_hex(token.as_bytes()), reference, now],
    )?;
    Ok(token)
}

/// The answer to a reference that does not exist or a token that does not open it: the same either way.
pub(super) fn not_found() -> ApiError {
    ApiError::not_found(
        codes::APPLICATION_NOT_FOUND,
        "no application with this reference and status token",
    )
}

/// A reference as investors type it: trimmed, upper case.
pub(super) fn normalize_reference(reference: &str) -> String {
    reference.trim().to_ascii_uppercase()
}

/// Whether `token` is one of the application's status tokens. Every stored hash of the reference is compared in
/// full (no early exit), in constant time.
fn opens(conn: &Connection, reference: &str, token: &str) -> rusqlite::Result<bool> {
    let presented = sha256_hex(token.as_bytes());
    let mut stmt = conn.prepare("SELECT token_hash FROM status_tokens WHERE reference = ?1")?;
    let hashes = stmt.query_map([reference], |r| r.get::<_, String>(0))?;
    let mut found = false;
    for hash in hashes {
        found |= constant_time_eq(hash?.as_bytes(), presented.as_bytes());
    }
    Ok(found)
}

/// A request the status token admits to the application of its path's `{reference}`.
///
/// No header: 401 `status_token_missing`; an unknown reference or a token of another application: 404
/// `application_not_found`, the same answer for both.
#[derive(Clone, Debug)]
pub struct StatusAccess {
    /// Normalized (upper case).
    pub reference: String,
}

impl FromRequestParts<AppState> for StatusAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = header_str(&parts.headers, "x-status-token")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .ok_or_else(|| {
                ApiError::unauthorized(
                    codes::STATUS_TOKEN_MISSING,
                    "send a status token of the application as X-Status-Token",
                )
            })?;
        let Path(reference) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        let reference = normalize_reference(&reference);
        let checked = reference.clone();
        let admitted = state
            .db()
            .call(move |conn| Ok(opens(conn, &checked, &token)?))
            .await?;
        if !admitted {
            return Err(not_found());
        }
        Ok(StatusAccess { reference })
    }
}

/// A new status token for an application, off the async threads (a replayed submission's answer).
pub(super) async fn issue_for(state: &AppState, reference: String) -> Result<String, ApiError> {
    let now = now_unix();
    state
        .db()
        .call(move |conn| Ok(issue(conn, &reference, now)?))
        .await
}
