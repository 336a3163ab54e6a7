//! Serving the built app (`dist/`) with production security headers.
//!
//! - Every response carries the Content-Security-Policy and the other security headers.
//! - The app lives under `--base-path` (`/` by default, e.g. `/kaihu/`): `<base-path>app-….js` is the file
//!   `dist/app-….js`. Paths outside it get 404 (the API aside), the base path without its slash a redirect.
//! - `index.html` is served with a fresh nonce per response: trunk writes the placeholder
//!   `{{__TRUNK NONCE__}}` into its `nonce="…"` attributes, and the same value goes into `script-src`. Its
//!   `<base href>` (trunk writes the relative `./`) becomes the base path, so that one build serves under any
//!   path: the asset URLs, `config.json` and the app's router all follow it.
//! - Unknown paths without a file extension that a browser navigates to (SPA routes such as
//!   `/kaihu/personal/identity`) get `index.html`; missing files get 404.
//! - `index.html` is never cached; file names with a content hash (as trunk makes them) are cached for a year.
//! - With `--hsts` (the app reached over HTTPS, at this port or at a TLS proxy in front of it), every response
//!   carries `Strict-Transport-Security`.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use domain::api::codes;
use rand::Rng;
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::error::ApiError;
use crate::AppState;

/// What trunk writes where a nonce belongs.
pub const NONCE_PLACEHOLDER: &str = "{{__TRUNK NONCE__}}";

/// The Content-Security-Policy; with a nonce for `index.html`.
pub fn content_security_policy(
    frame_ancestors: &str,
    connect_src: &str,
    nonce: Option<&str>,
) -> String {
    let mut script_src = "'self' 'wasm-unsafe-eval'".to_string();
    if let Some(nonce) = nonce {
        script_src.push_str(&format!(" 'nonce-{nonce}'"));
    }
    let mut connect = "'self'".to_string();
    if !connect_src.trim().is_empty() {
        connect.push(' ');
        connect.push_str(connect_src.trim());
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' blob: data:; \
         connect-src {connect}; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors {}",
        frame_ancestors.trim()
    )
}

/// Checks a CSP source list given on the command line: no characters that would end the directive or header.
pub fn check_csp_sources(flag: &str, value: &str) -> Result<(), String> {
    if value
        .chars()
        .any(|c| c == ';' || c == ',' || c.is_control() || !c.is_ascii())
    {
        return Err(format!(
            "--{flag} must be a space-separated list of CSP sources without ';' or ','"
        ));
    }
    Ok(())
}

/// Middleware: adds the security headers to every response (keeping a CSP the handler set itself), and HSTS
/// when the app is reached over HTTPS (`--hsts`).
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(value) = HeaderValue::from_str(&state.csp(None)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    let fixed = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(self), geolocation=(), microphone=()",
        ),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if state.config().hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}

/// `Strict-Transport-Security` with `--hsts`: browsers use HTTPS only for this host for a year. Subdomains are
/// not included: the exchange's other hosts decide for themselves.
pub const HSTS: &str = "max-age=31536000";

/// Everything the API routes do not match: JSON 404 under `/api`, the app elsewhere.
pub async fn fallback(State(state): State<AppState>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::not_found(codes::NOT_FOUND, format!("no API endpoint at {path}"))
            .into_response();
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut response = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            codes::METHOD_NOT_ALLOWED,
            format!(
                "{} is not allowed on {path}; the app is read with GET",
                req.method()
            ),
        )
        .into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    if state.config().dev && (path == crate::demo::PREFIX || path.starts_with("/demo/")) {
        return crate::demo::serve(&state, &path).await;
    }
    let base = state.config().base_path.as_str();
    let Some(rest) = path.strip_prefix(base) else {
        if format!("{path}/") == base {
            return redirect(base);
        }
        return (StatusCode::NOT_FOUND, format!("Not found: {path}\n")).into_response();
    };
    let path = format!("/{rest}");
    if path == "/" || path == "/index.html" {
        return serve_index(&state).await;
    }
    let wants_html = accepts_html(req.headers());
    let has_extension = path
        .rsplit('/')
        .next()
        .is_some_and(|segment| segment.contains('.'));

    // The file is looked up in dist/ by its path below the base path.
    let (mut parts, body) = req.into_parts();
    let query = parts
        .uri
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    match format!("{path}{query}").parse() {
        Ok(uri) => parts.uri = uri,
        Err(_) => return (StatusCode::BAD_REQUEST, "Bad path\n").into_response(),
    }
    let req = Request::from_parts(parts, body);
    // The build's content-hashed files have brotli and gzip copies (tools/precompress.sh, run by trunk). Other
    // files are edited in place (config.json, agreement texts): a copy beside them would be stale.
    let hashed = has_content_hash(&path);
    let dir = ServeDir::new(&state.config().dist).append_index_html_on_directories(false);
    let served = if hashed {
        dir.precompressed_br()
            .precompressed_gzip()
            .oneshot(req)
            .await
    } else {
        dir.oneshot(req).await
    };
    let mut response = match served {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    match response.status() {
        StatusCode::NOT_FOUND if !has_extension && wants_html => serve_index(&state).await,
        StatusCode::NOT_FOUND => {
            (StatusCode::NOT_FOUND, format!("Not found: {path}\n")).into_response()
        }
        status => {
            if status.is_success() || status == StatusCode::NOT_MODIFIED {
                let cache = if hashed {
                    "public, max-age=31536000, immutable"
                } else {
                    "no-cache"
                };
                let headers = response.headers_mut();
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
                if hashed {
                    // Caches keep the compressed and the plain copy apart.
                    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
                }
            }
            response
        }
    }
}

/// A permanent redirect (the method kept) to `location`.
pub fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, value)]).into_response(),
        Err(e) => ApiError::internal(format!("redirect to {location:?}: {e}")).into_response(),
    }
}

/// The page with its `<base href="…">` set to `base_path` (the first base element: trunk writes one).
pub fn with_base_href(html: &str, base_path: &str) -> String {
    const START: &str = "<base href=\"";
    let Some(value_start) = html.find(START).map(|at| at + START.len()) else {
        return html.to_string();
    };
    let Some(length) = html[value_start..].find('"') else {
        return html.to_string();
    };
    format!(
        "{}{base_path}{}",
        &html[..value_start],
        &html[value_start + length..]
    )
}

/// `index.html` with a fresh nonce and the base path, or 503 when the app has not been built.
async fn serve_index(state: &AppState) -> Response {
    let path = state.config().dist.join("index.html");
    let html = match tokio::fs::read_to_string(&path).await {
        Ok(html) => html,
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "the app is not built");
            let text = format!(
                "The app is not built yet: {} is missing.\n\
                 Build it first: `make run` builds the app and starts this server \
                 (or run `trunk build --release`, then start the backend again).\n",
                path.display()
            );
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [
                    (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                text,
            )
                .into_response();
        }
    };
    let nonce = new_nonce();
    let body = with_base_href(
        &html.replace(NONCE_PLACEHOLDER, &nonce),
        &state.config().base_path,
    );
    let csp = state.csp(Some(&nonce));
    let mut response = (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response();
    match HeaderValue::from_str(&csp) {
        Ok(value) => {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, value);
        }
        Err(e) => return ApiError::internal(format!("CSP header: {e}")).into_response(),
    }
    response
}

/// 128 random bits, base64.
fn new_nonce() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    STANDARD.encode(bytes)
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// The fewest hex digits of a content hash in a file name (`tools/precompress.sh` uses the same).
pub const CONTENT_HASH_MIN_DIGITS: usize = 12;

/// Whether the file name carries a content hash: a run of 12 or more hex digits (trunk's `app-<hash>.js`). trunk
/// writes its 64-bit hash without leading zeros, so one build in 16 has 15 digits, one in 256 has 14; a date
/// (8 digits) in a file the exchange edits in place is not mistaken for one.
pub fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut run = 0;
    for c in name.chars() {
        if c.is_ascii_hexdigit() {
            run += 1;
            if run >= CONTENT_HASH_MIN_DIGITS {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csp_has_the_nonce_and_no_unsafe_inline() {
        let csp = content_security_policy("'self' https://www.hbets.cn", "", Some("abc"));
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-abc';"));
        assert!(csp.contains("frame-ancestors 'self' https://www.hbets.cn"));
        assert!(csp.contains("connect-src 'self';"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(!csp.contains("'unsafe-eval'"));
        let csp = content_security_policy("'self'", "https://api.example.cn", None);
        assert!(csp.contains("connect-src 'self' https://api.example.cn;"));
        assert!(!csp.contains("nonce-"));
    }

    #[test]
    fn csp_sources_with_separators_are_refused() {
        assert!(check_csp_sources("frame-ancestors", "'self' https://www.hbets.cn").is_ok());
        assert!(check_csp_sources("frame-ancestors", "'self'; script-src *").is_err());
        assert!(check_csp_sources("connect-src", "a\r\nSet-Cookie: x").is_err());
    }

    #[test]
    fn the_base_href_becomes_the_base_path() {
        let html = r#"<head><base href="./"/><link rel="stylesheet" href="./base-1.css"/></head>"#;
        assert_eq!(
            with_base_href(html, "/kaihu/"),
            r#"<head><base href="/kaihu/"/><link rel="stylesheet" href="./base-1.css"/></head>"#
        );
        assert_eq!(
            with_base_href(html, "/"),
            html.replace("\"./\"/>", "\"/\"/>")
        );
        assert_eq!(with_base_href("<head></head>", "/kaihu/"), "<head></head>");
        assert_eq!(with_base_href("<base href=\"./", "/k/"), "<base href=\"./");
    }

    #[test]
    fn content_hashes_are_recognised() {
        assert!(has_content_hash("/app-3f2a9c0d1e4b5a6f.js"));
        assert!(has_content_hash("/app-3f2a9c0d1e4b5a6f7788_bg.wasm"));
        // trunk drops the hash's leading zeros: 15 digits in one build of 16.
        assert!(has_content_hash("/app-6262404df8bb7db_bg.wasm"));
        assert!(!has_content_hash(
            "/agreements/risk-disclosure-20261130.txt"
        ));
        assert!(!has_content_hash("/config.json"));
        assert!(!has_content_hash("/agreements/market-entry.zh-CN.txt"));
        assert!(!has_content_hash("/icon-123456.png"));
    }
}
