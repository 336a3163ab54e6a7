//! Reference backend of the online account opening (网上开户).
//!
//! It implements the HTTP contract in `docs/openapi.yaml` for real — SQLite for rows, files on disk for images —
//! re-validating every request with the `domain` crate the app uses, and serves the built app (`dist/`) with
//! production security headers. The exchange's developers read it to wire their own backend.
//!
//! [`routes`] is the one table of API endpoints: [`app`] builds the router from it, and the contract test
//! checks it against the OpenAPI document.

pub mod applications;
pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod extract;
pub mod limits;
pub mod notify;
pub mod operator;
pub mod quiz;
pub mod review;
pub mod sms;
pub mod thumbnail;
pub mod uploads;
pub mod usernames;
pub mod util;
pub mod web;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put, MethodRouter};
use axum::{Json, Router};
use domain::api::{codes, Health, API_BASE};
use domain::attachment::ImageLimits;

pub use crate::config::{Cli, Command, Config, LogFormat};
use crate::db::Db;
use crate::error::ApiError;

/// Everything a request handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    db: Db,
    uploads_dir: PathBuf,
    quiz: quiz::LoadedQuiz,
    common_passwords: HashSet<String>,
    image_limits: ImageLimits,
    rules: domain::application::Rules,
}

impl AppState {
    /// Prepares the data directory (database with migrations, `uploads/`), reads the rules' parameters from the
    /// app's configuration (`--app-config`: quiz mode and pass mark, agreement and consent versions; a missing
    /// file is a warning, the exchange's defaults and no version check), and loads the quiz and its answer key.
    /// Fails with a message an operator can act on.
    pub fn new(config: Config) -> Result<AppState, String> {
        web::check_csp_sources("frame-ancestors", &config.frame_ancestors)?;
        web::check_csp_sources("connect-src", &config.connect_src)?;
        let uploads_dir = config.data_dir.join("uploads");
        std::fs::create_dir_all(&uploads_dir)
            .map_err(|e| format!("cannot create {}: {e}", uploads_dir.display()))?;
        let db = Db::open(&config.data_dir.join("backend.sqlite3"))?;
        let rules = applications::load_rules(&config.app_config)?;
        let quiz = quiz::LoadedQuiz::load(&config.quiz, &config.quiz_key, rules.quiz.pass_mark)?;
        Ok(AppState {
            inner: Arc::new(Inner {
                config,
                db,
                uploads_dir,
                quiz,
                common_passwords: applications::common_passwords(),
                image_limits: uploads::image_limits(),
                rules,
            }),
        })
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn uploads_dir(&self) -> &std::path::Path {
        &self.inner.uploads_dir
    }

    pub fn quiz(&self) -> &quiz::LoadedQuiz {
        &self.inner.quiz
    }

    pub fn common_passwords(&self) -> &HashSet<String> {
        &self.inner.common_passwords
    }

    pub fn image_limits(&self) -> &ImageLimits {
        &self.inner.image_limits
    }

    /// The parameters of the application rules, from the app's configuration (`--app-config`).
    pub fn rules(&self) -> &domain::application::Rules {
        &self.inner.rules
    }

    /// The Content-Security-Policy for this configuration.
    pub fn csp(&self, nonce: Option<&str>) -> String {
        web::content_security_policy(
            &self.inner.config.frame_ancestors,
            &self.inner.config.connect_src,
            nonce,
        )
    }
}

/// One API endpoint: method and path as in `docs/openapi.yaml` (relative to [`API_BASE`]).
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    /// Only served in development mode (`x-dev-only` in the document).
    pub dev_only: bool,
    pub handler: MethodRouter<AppState>,
}

fn route(
    method: Method,
    path: &'static str,
    dev_only: bool,
    handler: MethodRouter<AppState>,
) -> Route {
    Route {
        method,
        path,
        dev_only,
        handler,
    }
}

/// The API's route table, the single list the router is built from.
pub fn routes() -> Vec<Route> {
    use Method as M;
    vec![
        route(M::GET, "/health", false, get(health)),
        route(M::POST, "/sms-codes", false, post(sms::send_code)),
        route(M::POST, "/sms-codes/verify", false, post(sms::verify_code)),
        route(
            M::GET,
            "/usernames/{name}",
            false,
            get(usernames::check_username),
        ),
        route(
            M::POST,
            "/uploads",
            false,
            post(uploads::create_upload).layer(DefaultBodyLimit::max(uploads::BODY_LIMIT)),
        ),
        route(
            M::GET,
            "/uploads/{upload_id}/thumbnail",
            false,
            get(uploads::thumbnail),
        ),
        route(M::POST, "/quiz/attempts", false, post(quiz::create_attempt)),
        route(M::POST, "/applications", false, post(applications::submit)),
        route(
            M::POST,
            "/applications/lookup",
            false,
            post(applications::lookup),
        ),
        route(
            M::GET,
            "/applications/{reference}",
            false,
            get(applications::status),
        ),
        route(
            M::PUT,
            "/applications/{reference}",
            false,
            put(applications::resubmit),
        ),
        route(
            M::POST,
            "/applications/{reference}/receipt",
            false,
            post(applications::upload_receipt).layer(DefaultBodyLimit::max(uploads::BODY_LIMIT)),
        ),
        route(
            M::GET,
            "/applications/{reference}/answers",
            false,
            get(applications::answers),
        ),
        route(
            M::GET,
            "/dev/sms-codes/{phone}",
            true,
            get(sms::dev_latest_code),
        ),
        route(
            M::GET,
            "/dev/applications/{reference}",
            true,
            get(applications::dev_record),
        ),
        route(
            M::POST,
            "/dev/applications/{reference}/status",
            true,
            post(applications::dev_set_status),
        ),
        route(
            M::GET,
            "/dev/uploads/{upload_id}",
            true,
            get(uploads::dev_stored),
        ),
        route(
            M::GET,
            "/dev/outbox/{reference}",
            true,
            get(applications::dev_outbox),
        ),
    ]
}

/// The whole service: API routes, the app's static files, security headers, request logs.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for r in routes() {
        if r.dev_only && !state.config().dev {
            continue;
        }
        router = router.route(&format!("{API_BASE}{}", r.path), r.handler);
    }
    router
        .fallback(web::fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(extract::JSON_BODY_LIMIT))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::security_headers,
        ))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

async fn method_not_allowed(req: Request) -> Response {
    let path = req.uri().path();
    let allowed: Vec<String> = routes()
        .into_iter()
        .filter(|r| path_matches(&format!("{API_BASE}{}", r.path), path))
        .map(|r| r.method.to_string())
        .collect();
    let mut response = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        codes::METHOD_NOT_ALLOWED,
        format!("{} is not allowed on {path}", req.method()),
    )
    .into_response();
    if let Ok(value) = HeaderValue::from_str(&allowed.join(", ")) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

/// Whether `path` fits a route pattern such as `/api/v1/usernames/{name}`.
fn path_matches(pattern: &str, path: &str) -> bool {
    let (mut p, mut q) = (pattern.split('/'), path.split('/'));
    loop {
        match (p.next(), q.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a.starts_with('{') || a == b => {}
            _ => return false,
        }
    }
}

/// Logs one line per request: method, path, status, latency.
async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let started = Instant::now();
    let mut response = next.run(req).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let status = response.status().as_u16();
    if status >= 500 {
        tracing::error!(%method, %path, status, latency_ms, "request");
    } else {
        tracing::info!(%method, %path, status, latency_ms, "request");
    }
    if !response.headers().contains_key(header::CACHE_CONTROL) && path.starts_with("/api/") {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Starts the log subscriber (`RUST_LOG` filters; default `info`).
pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Json => builder.json().flatten_event(true).init(),
        LogFormat::Pretty => builder.init(),
    }
}

/// Starts the log subscriber of a command run by hand (`backend review …`): warnings and errors only (`RUST_LOG`
/// filters), on standard error, so that what the command prints stays readable.
pub fn init_command_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(config: Config) -> Result<(), String> {
    let addr = config.addr;
    let dev = config.dev;
    let state = AppState::new(config)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    if dev {
        tracing::warn!("development mode: SMS codes are logged and /api/v1/dev/* is enabled");
    }
    tracing::info!(%addr, "listening");
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server error: {e}"))?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_patterns_match_paths() {
        assert!(path_matches(
            "/api/v1/usernames/{name}",
            "/api/v1/usernames/li"
        ));
        assert!(path_matches("/api/v1/sms-codes", "/api/v1/sms-codes"));
        assert!(!path_matches(
            "/api/v1/sms-codes",
            "/api/v1/sms-codes/verify"
        ));
        assert!(!path_matches(
            "/api/v1/usernames/{name}",
            "/api/v1/usernames"
        ));
    }
}
