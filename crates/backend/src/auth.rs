//! The verification token (`Authorization: Bearer vt_…`) that uploads and submission require.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use domain::api::codes;
use rusqlite::OptionalExtension;

use crate::error::ApiError;
use crate::extract::header_str;
use crate::util::{now_unix, sha256_hex};
use crate::AppState;

/// A request from someone who proved a mobile number by SMS.
#[derive(Clone, Debug)]
pub struct Verified {
    /// The proven number, normalized (11 digits).
    pub phone: String,
}

impl FromRequestParts<AppState> for Verified {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = header_str(&parts.headers, AUTHORIZATION.as_str())
            .and_then(|value| {
                let (scheme, token) = value.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|token| !token.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized(
                    codes::TOKEN_MISSING,
                    "send the verification token as `Authorization: Bearer <verification_token>`",
                )
            })?;
        let token_hash = sha256_hex(token.as_bytes());
        let now = now_unix();
        state
            .db()
            .call(move |conn| {
                let row: Option<(String, i64)> = conn
                    .query_row(
                        "SELECT phone, expires_at FROM verification_tokens WHERE token_hash = ?1",
                        [&token_hash],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                match row {
                    None => Err(ApiError::unauthorized(
                        codes::TOKEN_INVALID,
                        "unknown verification token",
                    )),
                    Some((_, expires_at)) if now >= expires_at => Err(ApiError::unauthorized(
                        codes::TOKEN_EXPIRED,
                        "the verification token has expired; verify the phone number again",
                    )),
                    Some((phone, _)) => Ok(Verified { phone }),
                }
            })
            .await
    }
}
