//! Development mode only: the demo host pages of `--demo-dir` (`examples/host/`) at `/demo/` — an imitation of
//! the exchange's site with its 快速通道 (quick-access) menu that opens the app in the three ways of
//! `docs/embedding.md`. `{{APP_URL}}` in the pages becomes the app's base path.
//!
//! - `/demo/` is `index.html`: the site's home, the way to the standalone page under the base path.
//! - `/demo/mount/` and every page address below it is `mount.html`: the app mounted into an element of the
//!   page, its router under `/demo/mount/` (so a deep link or a refresh there shows the host page again).
//! - `/demo/frame/` is `frame.html`: the app in an iframe, resized by `kaihu-frame.js`.
//! - `/demo/<name>.<ext>`: the other files of the folder (stylesheet, script).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Where the demo pages are served.
pub const PREFIX: &str = "/demo";

/// What goes where `{{APP_URL}}` stands in a page.
const APP_URL: &str = "{{APP_URL}}";

/// The file of `dir` for the path below `/demo` (`""`, `/`, `/mount/personal`, `/site.css`), or `None`.
pub fn file_for(rest: &str) -> Option<String> {
    let page = |name: &str| Some(name.to_string());
    match rest {
        "/" => page("index.html"),
        "/frame/" => page("frame.html"),
        r if r == "/mount/" || r.starts_with("/mount/") => {
            let last = r.rsplit('/').next().unwrap_or("");
            if last.contains('.') {
                None
            } else {
                page("mount.html")
            }
        }
        r => {
            let name = r.strip_prefix('/')?;
            let plain = name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
            (plain && name.contains('.') && !name.starts_with('.')).then(|| name.to_string())
        }
    }
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// A demo page or file; 404 for anything else.
pub async fn serve(state: &AppState, path: &str) -> Response {
    let rest = path.strip_prefix(PREFIX).unwrap_or_default();
    if rest.is_empty() || rest == "/mount" || rest == "/frame" {
        return crate::web::redirect(&format!("{path}/"));
    }
    let not_found = || (StatusCode::NOT_FOUND, format!("Not found: {path}\n")).into_response();
    let Some(name) = file_for(rest) else {
        return not_found();
    };
    let file = state.config().demo_dir.join(&name);
    let Ok(bytes) = tokio::fs::read(&file).await else {
        tracing::warn!(file = %file.display(), "demo file missing");
        return not_found();
    };
    let body = if name.ends_with(".html") {
        String::from_utf8_lossy(&bytes)
            .replace(APP_URL, &state.config().base_path)
            .into_bytes()
    } else {
        bytes
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type(&name)),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_map_to_the_demo_files() {
        assert_eq!(file_for("/").as_deref(), Some("index.html"));
        assert_eq!(file_for("/frame/").as_deref(), Some("frame.html"));
        for page in ["/mount/", "/mount/personal", "/mount/personal/quiz/result"] {
            assert_eq!(file_for(page).as_deref(), Some("mount.html"), "{page}");
        }
        assert_eq!(file_for("/site.css").as_deref(), Some("site.css"));
        assert_eq!(file_for("/site.js").as_deref(), Some("site.js"));
        for refused in [
            "/mount/app.js",
            "/../Cargo.toml",
            "/.hidden.css",
            "/sub/site.css",
            "/frame/x",
            "/nothing",
            "/a%2e.css",
        ] {
            assert_eq!(file_for(refused), None, "{refused}");
        }
    }
}
