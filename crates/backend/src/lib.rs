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
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod extract;
pub mod limits;
pub mod notify;
pub mod operator;
pub mod quiz;
pub mod retention;
pub mod review;
pub mod server;
pub mod sms;
pub mod thumbnail;
pub mod uploads;
pub mod usernames;
pub mod util;
pub mod web;
pub mod work;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put, MethodRouter};
use axum::{Json, Router};
use domain::api::{codes, Health, API_BASE};
use domain::attachment::ImageLimits;

pub use crate::cli::{Cli, Command};
pub use crate::config::{Config, LogFormat};
use crate::db::Db;
use crate::error::ApiError;
pub use crate::server::{init_command_logging, init_logging, serve};
use crate::work::Bounded;

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
    argon2: Bounded,
    decoding: Bounded,
}

impl AppState {
    /// Checks the configuration, prepares the data directory (owner-only: database with migrations,
    /// `uploads/`), reads the rules' parameters from the app's configuration (`--app-config`: quiz mode and
    /// pass mark, agreement and consent versions; required outside development mode), and loads the quiz and
    /// its answer key. Fails with a message an operator can act on.
    pub fn new(config: Config) -> Result<AppState, String> {
        web::check_csp_sources("frame-ancestors", &config.frame_ancestors)?;
        web::check_csp_sources("connect-src", &config.connect_src)?;
        check_dev_is_local(&config)?;
        let (db, uploads_dir) = db::open_data_dir(&config.data_dir)?;
        let rules = applications::load_rules(&config.app_config, config.dev)?;
        let quiz = quiz::LoadedQuiz::load(&config.quiz, &config.quiz_key, rules.quiz.pass_mark)?;
        Ok(AppState {
            inner: Arc::new(Inner {
                db,
                uploads_dir,
                quiz,
                common_passwords: applications::common_passwords(),
                image_limits: uploads::image_limits(),
                rules,
                argon2: Bounded::new(config.argon2_concurrency),
                decoding: Bounded::new(config.decode_concurrency),
                config,
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

    /// Password hashing, a few at a time (`--argon2-concurrency`).
    pub fn argon2(&self) -> &Bounded {
        &self.inner.argon2
    }

    /// Picture decoding for thumbnails, a few at a time (`--decode-concurrency`).
    pub fn decoding(&self) -> &Bounded {
        &self.inner.decoding
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

/// Development mode serves every SMS code and every application to whoever asks: it listens on the machine
/// itself only (a `make run` started with another address must not put the dev endpoints on the network).
fn check_dev_is_local(config: &Config) -> Result<(), String> {
    if config.dev && !config.addr.ip().is_loopback() {
        return Err(format!(
            "--dev serves SMS codes and applications to anyone who asks, so it listens on a loopback address only \
             (127.0.0.1 or ::1), not {}; drop --dev or listen on 127.0.0.1",
            config.addr
        ));
    }
    Ok(())
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
            get(thumbnail::thumbnail),
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

/// The whole service: API routes, the app's static files, security headers, the timeout and the bound on
/// requests in flight, request logs.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for r in routes() {
        if r.dev_only && !state.config().dev {
            continue;
        }
        router = router.route(&format!("{API_BASE}{}", r.path), r.handler);
    }
    let router = router
        .fallback(web::fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(extract::JSON_BODY_LIMIT));
    server::protected(router, state.config())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::security_headers,
        ))
        .layer(middleware::from_fn(server::log_request))
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
