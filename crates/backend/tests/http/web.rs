//! Serving the built app: nonces, SPA routes, caching, security headers.

use axum::http::StatusCode;

use crate::common::{TestApp, INDEX_HTML};

const HTML: &[(&str, &str)] = &[("accept", "text/html,application/xhtml+xml,*/*;q=0.8")];

/// The nonce in the CSP header and every nonce attribute of the body.
fn nonces(answer: &crate::common::Answer) -> (String, Vec<String>) {
    let csp = answer.header("content-security-policy").unwrap();
    let header_nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("no nonce in {csp}"))
        .to_string();
    let body = answer.text();
    let attributes = body
        .split("nonce=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect();
    (header_nonce, attributes)
}

#[tokio::test]
async fn index_html_gets_a_fresh_nonce_in_header_and_body() {
    let app = TestApp::new();
    let first = app.get("/", HTML).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(
        first.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(first.header("cache-control"), Some("no-store"));
    assert!(!first.text().contains("{{__TRUNK NONCE__}}"));
    let (nonce, attributes) = nonces(&first);
    assert!(nonce.len() >= 22, "{nonce}");
    assert_eq!(attributes, vec![nonce.clone(), nonce.clone()]);

    let csp = first.header("content-security-policy").unwrap();
    for directive in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval' 'nonce-",
        "style-src 'self'",
        "img-src 'self' blob: data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ] {
        assert!(csp.contains(directive), "{directive} not in {csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"));

    let second = app.get("/index.html", HTML).await;
    let (other, _) = nonces(&second);
    assert_ne!(nonce, other);
}

#[tokio::test]
async fn spa_routes_get_index_html() {
    let app = TestApp::new();
    let answer = app.get("/apply/identity", HTML).await;
    assert_eq!(answer.status, StatusCode::OK);
    let (nonce, attributes) = nonces(&answer);
    assert_eq!(attributes[0], nonce);
}

#[tokio::test]
async fn missing_files_get_404_not_the_app() {
    let app = TestApp::new();
    let answer = app.get("/app-ffffffffffffffff.js", HTML).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    // Without text/html in Accept, an unknown path is not a page.
    let answer = app
        .get("/apply/identity", &[("accept", "application/json")])
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn hashed_assets_are_cached_for_good_others_revalidated() {
    let app = TestApp::new();
    let asset = app.get("/app-0123456789abcdef.js", &[]).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert_eq!(
        asset.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(asset.header("content-security-policy").is_some());
    assert_eq!(asset.header("x-content-type-options"), Some("nosniff"));

    let config = app.get("/config.json", &[]).await;
    assert_eq!(config.status, StatusCode::OK);
    assert_eq!(config.header("cache-control"), Some("no-cache"));
}

#[tokio::test]
async fn hashed_assets_go_out_in_the_compression_the_browser_accepts() {
    let app = TestApp::new();
    let dist = app.state.config().dist.clone();
    std::fs::write(dist.join("app-0123456789abcdef.js.br"), "brotli copy").unwrap();
    std::fs::write(dist.join("app-0123456789abcdef.js.gz"), "gzip copy").unwrap();
    let asset = "/app-0123456789abcdef.js";

    let br = app
        .get(asset, &[("accept-encoding", "gzip, deflate, br")])
        .await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.text(), "brotli copy");
    assert_eq!(br.header("vary"), Some("accept-encoding"));
    assert_eq!(
        br.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );

    let gzip = app.get(asset, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    assert_eq!(gzip.text(), "gzip copy");

    let plain = app.get(asset, &[]).await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.text(), "export default function init() {}");

    // config.json is edited in place by the exchange: never a precompressed copy, always revalidated.
    std::fs::write(dist.join("config.json.br"), "stale copy").unwrap();
    let config = app.get("/config.json", &[("accept-encoding", "br")]).await;
    assert_eq!(config.header("content-encoding"), None);
    assert_eq!(config.text(), "{}");
    assert_eq!(config.header("cache-control"), Some("no-cache"));
}

#[tokio::test]
async fn configured_frame_ancestors_and_connect_src_are_used() {
    let app = TestApp::with(|c| {
        c.frame_ancestors = "'self' https://www.hbets.cn".into();
        c.connect_src = "https://api.hbets.cn".into();
    });
    let answer = app.get("/", HTML).await;
    let csp = answer.header("content-security-policy").unwrap();
    assert!(
        csp.contains("frame-ancestors 'self' https://www.hbets.cn"),
        "{csp}"
    );
    assert!(
        csp.contains("connect-src 'self' https://api.hbets.cn;"),
        "{csp}"
    );
}

#[tokio::test]
async fn without_a_built_app_the_root_says_how_to_build_it() {
    let app = TestApp::new();
    std::fs::remove_file(app.state.config().dist.join("index.html")).unwrap();
    let answer = app.get("/", HTML).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(answer.text().contains("make run"), "{}", answer.text());
    // The API still works.
    assert_eq!(app.get("/api/v1/health", &[]).await.status, StatusCode::OK);
}

#[tokio::test]
async fn posting_to_a_page_is_not_allowed() {
    let app = TestApp::new();
    let answer = app
        .post_raw("/apply/identity", "text/plain", b"x".to_vec(), &[])
        .await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.header("allow"), Some("GET, HEAD"));
}

#[tokio::test]
async fn under_a_base_path_pages_files_and_the_base_href_follow_it() {
    let app = TestApp::with(|c| c.base_path = "/kaihu/".into());
    std::fs::write(
        app.state.config().dist.join("index.html"),
        INDEX_HTML.replace("<head>", "<head><base href=\"./\"/>"),
    )
    .unwrap();
    for page in ["/kaihu/", "/kaihu/index.html", "/kaihu/personal/quiz"] {
        let answer = app.get(page, HTML).await;
        assert_eq!(answer.status, StatusCode::OK, "{page}");
        assert!(
            answer.text().contains("<base href=\"/kaihu/\"/>"),
            "{page}: {}",
            answer.text()
        );
        let (nonce, attributes) = nonces(&answer);
        assert_eq!(attributes[0], nonce);
    }
    let asset = app.get("/kaihu/app-0123456789abcdef.js", &[]).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert!(asset.text().contains("init"));
    assert_eq!(
        asset.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let config = app.get("/kaihu/config.json?v=1", &[]).await;
    assert_eq!(config.status, StatusCode::OK);

    // Outside the base path there is no app; the API stays where it is.
    for outside in [
        "/",
        "/personal/quiz",
        "/app-0123456789abcdef.js",
        "/kaihu2/",
    ] {
        assert_eq!(
            app.get(outside, HTML).await.status,
            StatusCode::NOT_FOUND,
            "{outside}"
        );
    }
    assert_eq!(app.get("/api/v1/health", &[]).await.status, StatusCode::OK);
    let bare = app.get("/kaihu", HTML).await;
    assert_eq!(bare.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(bare.header("location"), Some("/kaihu/"));
}

#[tokio::test]
async fn at_the_root_the_base_href_is_the_root() {
    let app = TestApp::new();
    std::fs::write(
        app.state.config().dist.join("index.html"),
        INDEX_HTML.replace("<head>", "<head><base href=\"./\"/>"),
    )
    .unwrap();
    let answer = app.get("/personal/quiz", HTML).await;
    assert!(answer.text().contains("<base href=\"/\"/>"));
}

#[tokio::test]
async fn the_demo_host_pages_are_served_in_dev_mode_only() {
    let demo = tempfile::tempdir().unwrap();
    std::fs::write(
        demo.path().join("mount.html"),
        "<div data-hbets-kaihu data-config=\"{{APP_URL}}config.json\"></div>",
    )
    .unwrap();
    std::fs::write(demo.path().join("site.css"), "body{}").unwrap();
    let dir = demo.path().to_path_buf();
    let app = TestApp::with(|c| {
        c.base_path = "/kaihu/".into();
        c.demo_dir = dir.clone();
    });
    for page in ["/demo/mount/", "/demo/mount/personal/quiz"] {
        let answer = app.get(page, HTML).await;
        assert_eq!(answer.status, StatusCode::OK, "{page}");
        assert_eq!(
            answer.text(),
            "<div data-hbets-kaihu data-config=\"/kaihu/config.json\"></div>"
        );
        assert!(answer.header("content-security-policy").is_some());
    }
    let css = app.get("/demo/site.css", &[]).await;
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(
        app.get("/demo/frame/", HTML).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/demo", HTML).await.header("location"),
        Some("/demo/")
    );

    let production = TestApp::with(|c| {
        c.dev = false;
        c.demo_dir = dir;
    });
    assert_eq!(
        production.get("/demo/mount/", &[]).await.status,
        StatusCode::NOT_FOUND
    );
}
