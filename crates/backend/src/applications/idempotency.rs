//! Retried submissions: the `Idempotency-Key` header, what makes two requests "the same", the stored answer
//! given again, and the Argon2id hash the password is kept as (and compared against on a retry).

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
pub(super) fn fingerprint(req: &ApplicationRequest) -> Result<String, ApiError> {
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

/// An application stored earlier under the same idempotency key.
pub(super) struct Stored {
    reference: String,
    status_token: String,
    fingerprint: String,
    password_hash: String,
    phone: String,
}

/// The application stored under `key`, if any.
pub(super) fn find_by_key(conn: &Connection, key: &str) -> rusqlite::Result<Option<Stored>> {
    conn.query_row(
        "SELECT reference, status_token, request_fingerprint, password_hash, phone
         FROM applications WHERE idempotency_key = ?1",
        [key],
        |r| {
            Ok(Stored {
                reference: r.get("reference")?,
                status_token: r.get("status_token")?,
                fingerprint: r.get("request_fingerprint")?,
                password_hash: r.get("password_hash")?,
                phone: r.get("phone")?,
            })
        },
    )
    .optional()
}

/// Same, off the async threads.
pub(super) async fn stored_under(db: &Db, key: &str) -> Result<Option<Stored>, ApiError> {
    let key = key.to_string();
    db.call(move |conn| Ok(find_by_key(conn, &key)?)).await
}

/// The answer to a request whose key was used before: the stored 201 again when it is the same request from
/// the same number with the same password, 409 `idempotency_key_reused` otherwise.
pub(super) async fn replay(
    argon2: &Bounded,
    stored: Stored,
    fingerprint: &str,
    verified: &Verified,
    password: &str,
) -> Result<Response, ApiError> {
    let same = constant_time_eq(stored.fingerprint.as_bytes(), fingerprint.as_bytes())
        && stored.phone == verified.phone
        && verify_password(argon2, password.to_string(), stored.password_hash).await?;
    if same {
        Ok(created(stored.reference, stored.status_token, true))
    } else {
        Err(ApiError::conflict(
            codes::IDEMPOTENCY_KEY_REUSED,
            "this Idempotency-Key was used for a different application; use a new key",
        ))
    }
}

/// 201 with the reference and status token; a replayed answer says so in [`REPLAYED_HEADER`].
pub(super) fn created(reference: String, status_token: String, replayed: bool) -> Response {
    let mut response = (
        StatusCode::CREATED,
        Json(ApplicationCreated {
            reference,
            status_token,
        }),
    )
        .into_response();
    if replayed {
        response
            .headers_mut()
            .insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    }
    response
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
