//! Request extractors whose failures are contract errors: JSON bodies, the client IP, header values.

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use domain::api::codes;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::AppState;

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

/// The client's address as the rate limits count it and as it is stored ("unknown" when not served over a
/// socket): an IPv4 address, or the IPv6 network of `--ipv6-prefix-len` bits it belongs to (see
/// [`address_key`]).
///
/// A request from a trusted reverse proxy (`--trusted-proxy`) is counted against the right-most
/// `X-Forwarded-For` entry that is not itself a trusted proxy; any other request against the address it came
/// from, whatever headers it carries. See [`client_address`].
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

/// Leading bits of an IPv6 address that count, unless `--ipv6-prefix-len` says otherwise: a provider gives a
/// household or a phone a whole /64, and any address in it is theirs to use.
pub const DEFAULT_IPV6_PREFIX_LEN: u8 = 64;

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let config = state.config();
        let ip = match peer {
            Some(peer) => address_key(
                client_address(peer, &parts.headers, &config.trusted_proxy),
                config.ipv6_prefix_len,
            ),
            None => "unknown".to_string(),
        };
        Ok(ClientIp(ip))
    }
}

/// The address to count for a request that came from `peer`.
///
/// - `peer` is not in `trusted`: `peer` (a forwarded header from anyone else is ignored: it is the client's
///   own claim).
/// - `peer` is trusted: the `X-Forwarded-For` entries (all such headers, in order) are read from the right,
///   the end the proxies append to; trusted proxies and entries that are not an address are skipped, and the
///   first other address is the client. Without one, `peer`.
///
/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.7`) count as their IPv4 address.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|t| t.to_canonical() == *ip);
    let peer = peer.to_canonical();
    if !is_trusted(&peer) {
        return peer;
    }
    let entries: Vec<&str> = headers
        .get_all(X_FORWARDED_FOR)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect();
    entries
        .into_iter()
        .rev()
        .filter_map(forwarded_ip)
        .find(|ip| !is_trusted(ip))
        .unwrap_or(peer)
}

/// What the per-address limits count for `ip`: an IPv4 address as it is (`203.0.113.5`); an IPv6 address as
/// the network of its first `ipv6_prefix_len` bits (`2001:db8:1:2::/64`), so that a client cannot step round a
/// limit by moving to another address of its own network; at 128, the address itself.
pub fn address_key(ip: IpAddr, ipv6_prefix_len: u8) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) if ipv6_prefix_len >= 128 => v6.to_string(),
        IpAddr::V6(v6) => {
            let mask = u128::MAX
                .checked_shl(128 - u32::from(ipv6_prefix_len))
                .unwrap_or(0);
            let network = std::net::Ipv6Addr::from(u128::from(v6) & mask);
            format!("{network}/{ipv6_prefix_len}")
        }
    }
}

const X_FORWARDED_FOR: &str = "x-forwarded-for";

/// One `X-Forwarded-For` entry: `192.0.2.7`, `2001:db8::1`, or with a port (`192.0.2.7:4711`,
/// `[2001:db8::1]:4711`); `None` for anything else (`unknown`, host names, garbage).
fn forwarded_ip(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    let ip = entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            entry
                .strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inner| inner.parse::<IpAddr>().ok())
        })?;
    Some(ip.to_canonical())
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

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(X_FORWARDED_FOR, value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn without_trusted_proxies_the_peer_counts() {
        let headers = forwarded(&["198.51.100.9"]);
        assert_eq!(
            client_address(ip("203.0.113.5"), &headers, &[]),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn a_spoofed_header_from_an_untrusted_peer_is_ignored() {
        let trusted = [ip("10.0.0.1")];
        let headers = forwarded(&["10.0.0.1, 198.51.100.9"]);
        assert_eq!(
            client_address(ip("203.0.113.5"), &headers, &trusted),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn behind_one_proxy_the_address_it_appended_counts() {
        let trusted = [ip("10.0.0.1")];
        // The client sent its own (false) header; the proxy appended the address it saw.
        let headers = forwarded(&["1.2.3.4, 203.0.113.5"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &headers, &trusted),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn a_chain_through_two_proxies_is_followed() {
        let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
        // client → 10.0.0.2 (appends the client) → 10.0.0.1 (appends 10.0.0.2) → backend.
        let headers = forwarded(&["6.6.6.6, 203.0.113.5, 10.0.0.2"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &headers, &trusted),
            ip("203.0.113.5")
        );
        // The same chain split over two header lines.
        let headers = forwarded(&["6.6.6.6, 203.0.113.5", "10.0.0.2"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &headers, &trusted),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn malformed_entries_are_skipped() {
        let trusted = [ip("10.0.0.1")];
        let headers = forwarded(&["203.0.113.5, unknown, , not-an-ip, 999.1.1.1"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &headers, &trusted),
            ip("203.0.113.5")
        );
        // Nothing usable: the proxy itself.
        let headers = forwarded(&["garbage, "]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &headers, &trusted),
            ip("10.0.0.1")
        );
        assert_eq!(
            client_address(ip("10.0.0.1"), &HeaderMap::new(), &trusted),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn ipv6_addresses_count_by_their_network() {
        let key = |text: &str, bits| address_key(ip(text), bits);
        assert_eq!(key("203.0.113.5", 64), "203.0.113.5");
        assert_eq!(key("::ffff:203.0.113.5", 64), "203.0.113.5");
        assert_eq!(key("2001:db8:1:2:aaaa::1", 64), "2001:db8:1:2::/64");
        assert_eq!(
            key("2001:db8:1:2:ffff:ffff:ffff:ffff", 64),
            key("2001:db8:1:2::7", 64)
        );
        assert_ne!(key("2001:db8:1:3::1", 64), key("2001:db8:1:2::1", 64));
        assert_eq!(key("2001:db8:1:2ff::1", 56), "2001:db8:1:200::/56");
        assert_eq!(key("2001:db8::1", 128), "2001:db8::1");
        assert_eq!(key("2001:db8::1", 1), "::/1");
    }

    #[test]
    fn ports_brackets_and_mapped_addresses_are_understood() {
        let trusted = [ip("10.0.0.1"), ip("2001:db8::10")];
        let headers = forwarded(&["[2001:db8::5]:4711"]);
        assert_eq!(
            client_address(ip("::ffff:10.0.0.1"), &headers, &trusted),
            ip("2001:db8::5")
        );
        let headers = forwarded(&["203.0.113.5:4711, [2001:db8::10]"]);
        assert_eq!(
            client_address(ip("2001:db8::10"), &headers, &trusted),
            ip("203.0.113.5")
        );
        let headers = forwarded(&["::ffff:203.0.113.5"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &headers, &trusted),
            ip("203.0.113.5")
        );
    }
}
