//! Retried submissions and resubmissions: the `Idempotency-Key` header, what makes two requests "the same", and
//! the Argon2id hash the password is kept as (and compared against on a retry).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::api::{codes, ApplicationCreated, ApplicationRequest};
use rusqlite::{Connection, OptionalExtension};

use crate::auth::Verified;
use crate::db::Db;
use crate::error::ApiError;
use crate::util::{constant_time_eq, sha256_hex};
use crate::work::Bounded;

/// Length limits of the `Idempotency-Key` header.
pub const IDEMPOTENCY_KEY_CHARS: std::ops::RangeInclusive<usize> = 8..=128;
/// Header that marks the stored answer to an earlier request with the same key.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// The `Idempotency-Key` header: required, 8 to 128 printable ASCII characters.
pub(super) fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Err(ApiError::bad_request(
            codes::IDEMPOTENCY_KEY_MISSING,
            "the Idempotency-Key header is required (a fresh random value per application, reused on retries)",
        ));
    };
    match value.to_str() {
        Ok(key)
            if IDEMPOTENCY_KEY_CHARS.contains(&key.len())
                && key.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            Ok(key.to_string())
        }
        _ => Err(ApiError::bad_request(
            codes::IDEMPOTENCY_KEY_INVALID,
            "the Idempotency-Key header must be 8 to 128 printable ASCII characters",
        )),
    }
}

/// What identifies "the same request" for a key: the request as parsed, without the password (which is
/// compared against the stored hash instead, so no unsalted digest of it is ever stored).
fn fingerprint(req: &ApplicationRequest) -> Result<String, ApiError> {
    let mut value = serde_json::to_value(req).map_err(ApiError::internal)?;
    value["account"]["password"] = serde_json::Value::Null;
    Ok(sha256_hex(value.to_string().as_bytes()))
}

/// The password as it is stored: an Argon2id hash (default parameters, random salt), made when `argon2` has a
/// turn free.
pub(super) async fn hash_password(argon2: &Bounded, password: String) -> Result<String, ApiError> {
    argon2
        .run(move || {
            let salt_bytes: [u8; 16] = rand::Rng::random(&mut rand::rng());
            let salt = SaltString::encode_b64(&salt_bytes)
                .map_err(|e| ApiError::internal(format!("argon2 salt: {e}")))?;
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|e| ApiError::internal(format!("argon2: {e}")))
        })
        .await?
}

async fn verify_password(
    argon2: &Bounded,
    password: String,
    hash: String,
) -> Result<bool, ApiError> {
    argon2
        .run(move || {
            let parsed =
                PasswordHash::new(&hash).map_err(|e| ApiError::internal(format!("argon2: {e}")))?;
            Ok(Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok())
        })
        .await?
}

/// A request stored earlier under the same idempotency key.
pub(super) struct Stored {
    pub reference: String,
    fingerprint: String,
    password_hash: String,
    phone: String,
}

/// Where a key was used: a first submission (`applications`) or a resubmission (`resubmissions`).
#[derive(Clone, Copy, Debug)]
pub(super) enum KeyedBy {
    Submission,
    Resubmission,
}

impl KeyedBy {
    fn table(self) -> &'static str {
        match self {
            KeyedBy::Submission => "applications",
            KeyedBy::Resubmission => "resubmissions",
        }
    }
}

/// The request stored under `key`, if any.
pub(super) fn find_by_key(
    conn: &Connection,
    keyed_by: KeyedBy,
    key: &str,
) -> rusqlite::Result<Option<Stored>> {
    conn.query_row(
        &format!(
            "SELECT reference, request_fingerprint, password_hash, phone
             FROM {} WHERE idempotency_key = ?1",
            keyed_by.table()
        ),
        [key],
        |r| {
            Ok(Stored {
                reference: r.get("reference")?,
                fingerprint: r.get("request_fingerprint")?,
                password_hash: r.get("password_hash")?,
                phone: r.get("phone")?,
            })
        },
    )
    .optional()
}

/// Same, off the async threads.
pub(super) async fn stored_under(
    db: &Db,
    keyed_by: KeyedBy,
    key: &str,
) -> Result<Option<Stored>, ApiError> {
    let key = key.to_string();
    db.call(move |conn| Ok(find_by_key(conn, keyed_by, &key)?))
        .await
}

/// 409 `idempotency_key_reused`.
pub(super) fn key_reused() -> ApiError {
    ApiError::conflict(
        codes::IDEMPOTENCY_KEY_REUSED,
        "this Idempotency-Key was used for a different application; use a new key",
    )
}

/// A request whose key may have been used before, as it is compared with the stored one.
pub(super) struct Retry<'a> {
    pub fingerprint: String,
    /// The number the request was sent from.
    phone: String,
    password: &'a str,
}

impl<'a> Retry<'a> {
    pub(super) fn of(
        req: &'a ApplicationRequest,
        verified: &Verified,
    ) -> Result<Retry<'a>, ApiError> {
        Ok(Retry {
            fingerprint: fingerprint(req)?,
            phone: verified.phone.clone(),
            password: &req.account.password,
        })
    }
}

/// `Ok` when a request whose key was used before is the same request — same body, from the same number, with
/// the same password — and may be answered as it was; 409 `idempotency_key_reused` otherwise.
pub(super) async fn same_request(
    argon2: &Bounded,
    stored: &Stored,
    retry: &Retry<'_>,
) -> Result<(), ApiError> {
    let same = constant_time_eq(stored.fingerprint.as_bytes(), retry.fingerprint.as_bytes())
        && stored.phone == retry.phone
        && verify_password(
            argon2,
            retry.password.to_string(),
            stored.password_hash.clone(),
        )
        .await?;
    if same {
        Ok(())
    } else {
        Err(key_reused())
    }
}

/// Marks a response as the answer to an earlier request with the same key ([`REPLAYED_HEADER`]).
pub(super) fn replayed(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    response
}

/// 201 with the reference and status token.
pub(super) fn created(reference: String, status_token: String) -> Response {
    (
        StatusCode::CREATED,
        Json(ApplicationCreated {
            reference,
            status_token,
        }),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_are_checked() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            idempotency_key(&headers).unwrap_err().body.code,
            codes::IDEMPOTENCY_KEY_MISSING
        );
        headers.insert("idempotency-key", HeaderValue::from_static("short"));
        assert_eq!(
            idempotency_key(&headers).unwrap_err().body.code,
            codes::IDEMPOTENCY_KEY_INVALID
        );
        headers.insert(
            "idempotency-key",
            HeaderValue::from_static("5f0c2a9e-3c51-4f5e-9b8a-2d7f0e1c4b6a"),
        );
        assert!(idempotency_key(&headers).is_ok());
    }
}
