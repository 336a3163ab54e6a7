//! The verification token (`Authorization: Bearer vt_…`) that uploads and submission require. A token that
//! submitted an application is spent: it only replays that submission (a retry whose answer was lost), and
//! anything else answers 401 `token_used`.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use domain::api::codes;
use rusqlite::OptionalExtension;

use crate::error::ApiError;
use crate::extract::header_str;
use crate::util::{now_unix, sha256_hex};
use crate::AppState;

/// A request from someone who proved a mobile number by SMS, with a token not spent yet.
#[derive(Clone, Debug)]
pub struct Verified {
    /// The proven number, normalized (11 digits).
    pub phone: String,
    /// SHA-256 of the token, as stored: what a submission spends.
    pub token_hash: String,
}

/// A valid token, spent or not: what a submission starts from.
#[derive(Clone, Debug)]
pub struct Verification {
    pub verified: Verified,
    /// The reference of the application the token submitted, once it did.
    pub spent_on: Option<String>,
}

impl Verification {
    /// The verification, unless the token submitted an application already.
    pub fn unspent(self) -> Result<Verified, ApiError> {
        match self.spent_on {
            None => Ok(self.verified),
            Some(_) => Err(token_used()),
        }
    }
}

fn token_used() -> ApiError {
    ApiError::unauthorized(
        codes::TOKEN_USED,
        "this verification token submitted an application; verify the phone number again",
    )
}

impl FromRequestParts<AppState> for Verification {
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
                let row: Option<(String, i64, Option<String>)> = conn
                    .query_row(
                        "SELECT phone, expires_at, spent_on FROM verification_tokens WHERE token_hash = ?1",
                        [&token_hash],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()?;
                match row {
                    None => Err(ApiError::unauthorized(
                        codes::TOKEN_INVALID,
                        "unknown verification token",
                    )),
                    Some((_, expires_at, _)) if now >= expires_at => Err(ApiError::unauthorized(
                        codes::TOKEN_EXPIRED,
                        "the verification token has expired; verify the phone number again",
                    )),
                    Some((phone, _, spent_on)) => Ok(Verification {
                        verified: Verified { phone, token_hash },
                        spent_on,
                    }),
                }
            })
            .await
    }
}

impl FromRequestParts<AppState> for Verified {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Verification::from_request_parts(parts, state)
            .await?
            .unspent()
    }
}
