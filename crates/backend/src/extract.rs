//! Request extractors whose failures are contract errors: JSON bodies, the client IP, header values.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use domain::api::codes;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Largest JSON request body (64 KiB).
pub const JSON_BODY_LIMIT: usize = 64 * 1024;

/// A JSON body; malformed or ill-shaped JSON answers 400 with what is wrong and where.
///
/// - not JSON at all: `malformed_json`, the message gives line and column;
/// - JSON of the wrong shape: `invalid_body`, `field` is the dotted path (e.g. `identity.document_type`);
/// - another `Content-Type`: 415 `unsupported_media_type`; too big: 413 `payload_too_large`.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json_content_type(req.headers()) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                codes::UNSUPPORTED_MEDIA_TYPE,
                "expected Content-Type application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::payload_too_large(JSON_BODY_LIMIT as u64)
            } else {
                ApiError::bad_request(
                    codes::MALFORMED_JSON,
                    format!("could not read the request body: {rejection}"),
                )
            }
        })?;
        parse_json(&bytes).map(JsonBody)
    }
}

fn is_json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/json")
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses `bytes` as `T`, explaining failures as contract errors.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de);
    if value.is_ok() {
        // Anything but whitespace after the value.
        de.end().map_err(|e| {
            ApiError::bad_request(
                codes::MALFORMED_JSON,
                format!("request body is not valid JSON: {e}"),
            )
        })?;
    }
    value.map_err(|e| {
        let path = dotted_path(e.path());
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let field = match missing_field(&inner.to_string()) {
                    Some(name) if path.is_empty() => name.to_string(),
                    Some(name) => format!("{path}.{name}"),
                    None => path,
                };
                let error = ApiError::bad_request(
                    codes::INVALID_BODY,
                    format!("request body does not fit the schema: {inner}"),
                );
                if field.is_empty() {
                    error
                } else {
                    error.with_field(field)
                }
            }
            _ => ApiError::bad_request(
                codes::MALFORMED_JSON,
                format!("request body is not valid JSON: {inner}"),
            ),
        }
    })
}

/// `identity.document_type`, `attachments.asset_proofs.1` (empty for the whole body).
fn dotted_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let parts: Vec<String> = path
        .iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect();
    parts.join(".")
}

/// The field name in serde's "missing field `x`" message.
fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next()
}

/// The client's IP address as the socket saw it ("unknown" when not served over a socket, as in tests).
///
/// Behind a reverse proxy every client has the proxy's address; the exchange's proxy setup decides whether a
/// forwarded header may be trusted instead.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string())
            .unwrap_or_else(|| "unknown".to_string());
        Ok(ClientIp(ip))
    }
}

/// A header's value as text, if present and printable.
pub fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        inner: Inner,
        list: Vec<u32>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        a: String,
    }

    #[test]
    fn syntax_errors_are_malformed_json_with_a_position() {
        let e = parse_json::<Outer>(br#"{"inner": {"a": "x"} "list": []}"#).unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.body.code, "malformed_json");
        assert!(
            e.body.message.contains("line 1 column"),
            "{}",
            e.body.message
        );
    }

    #[test]
    fn trailing_garbage_is_malformed_json() {
        let e = parse_json::<Inner>(br#"{"a": "x"} x"#).unwrap_err();
        assert_eq!(e.body.code, "malformed_json");
    }

    #[test]
    fn shape_errors_name_the_field() {
        let e = parse_json::<Outer>(br#"{"inner": {"a": 5}, "list": []}"#).unwrap_err();
        assert_eq!(e.body.code, "invalid_body");
        assert_eq!(e.body.field.as_deref(), Some("inner.a"));

        let e = parse_json::<Outer>(br#"{"inner": {"a": "x"}, "list": [1, "two"]}"#).unwrap_err();
        assert_eq!(e.body.field.as_deref(), Some("list.1"));

        let e = parse_json::<Outer>(br#"{"inner": {}, "list": []}"#).unwrap_err();
        assert_eq!(e.body.field.as_deref(), Some("inner.a"));
        assert!(e.body.message.contains("missing field"));
    }
}
