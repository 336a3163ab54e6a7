//! Serving: the listener and a graceful stop, the log line of every request, and what protects the server from
//! too much at once — a timeout per request and a bound on the requests in flight (tower's `timeout`,
//! `load_shed` and a global `concurrency_limit`), both answered as contract errors.

use std::time::{Duration, Instant};

use axum::error_handling::HandleErrorLayer;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{BoxError, Router};
use domain::api::codes;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::load_shed::error::Overloaded;
use tower::timeout::error::Elapsed;
use tower::ServiceBuilder;

use crate::config::{Config, LogFormat};
use crate::error::ApiError;
use crate::AppState;

/// Seconds a request may take, unless `--request-timeout-s` says otherwise: long enough for a 10 MiB image over
/// a slow mobile connection.
pub const DEFAULT_REQUEST_TIMEOUT_S: u32 = 120;
/// Requests in flight at once, unless `--max-concurrent-requests` says otherwise.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: u32 = 256;

/// `router` behind the protection layers of `config`: a request over the timeout answers 503
/// `request_timeout`; a request that arrives while the maximum is in flight answers 503 `server_busy` at once
/// (it does not queue). The limit is one for the whole router: every route shares its permits.
pub fn protected(router: Router<AppState>, config: &Config) -> Router<AppState> {
    router.layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(refused))
            .load_shed()
            .layer(GlobalConcurrencyLimitLayer::new(
                config.max_concurrent_requests as usize,
            ))
            .timeout(Duration::from_secs(u64::from(config.request_timeout_s))),
    )
}

async fn refused(error: BoxError) -> Response {
    refusal(&error).into_response()
}

/// The contract error for what the protection layers refused.
fn refusal(error: &BoxError) -> ApiError {
    if error.is::<Elapsed>() {
        ApiError::unavailable(
            codes::REQUEST_TIMEOUT,
            "the request took longer than the server allows (--request-timeout-s)",
            5,
        )
    } else if error.is::<Overloaded>() {
        ApiError::unavailable(
            codes::SERVER_BUSY,
            "the server is handling as many requests as it may (--max-concurrent-requests)",
            1,
        )
    } else {
        ApiError::internal(error)
    }
}

/// Logs one line per request: method, path (long digit runs masked: the path may name a phone number),
/// status, latency. API answers without a cache policy get `no-store`.
pub async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let started = Instant::now();
    let mut response = next.run(req).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let status = response.status().as_u16();
    let logged = mask_digit_runs(&path);
    if response.status() == StatusCode::SERVICE_UNAVAILABLE {
        tracing::warn!(%method, path = %logged, status, latency_ms, "request");
    } else if status >= 500 {
        tracing::error!(%method, path = %logged, status, latency_ms, "request");
    } else {
        tracing::info!(%method, path = %logged, status, latency_ms, "request");
    }
    if !response.headers().contains_key(header::CACHE_CONTROL) && path.starts_with("/api/") {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// `text` with every run of 11 or more digits (a phone or ID number, its trailing `X` included) masked but
/// for its first 3 and last 4 characters (`138****5678`).
pub fn mask_digit_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 17 && matches!(chars.get(i), Some('X' | 'x')) {
            i += 1;
        }
        let run = &chars[start..i];
        if run.len() >= 11 {
            out.extend(&run[..3]);
            out.extend(std::iter::repeat_n('*', run.len() - 7));
            out.extend(&run[run.len() - 4..]);
        } else {
            out.extend(run);
        }
    }
    out
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

/// Purges what is kept no longer, then serves until Ctrl-C or SIGTERM and finishes the requests in flight.
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

pub async fn serve(config: Config) -> Result<(), String> {
    let addr = config.addr;
    let dev = config.dev;
    let state = AppState::new(config)?;
    crate::retention::purge_at_start(&state).await?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    if dev {
        tracing::warn!("development mode: SMS codes are logged and /api/v1/dev/* is enabled");
    }
    tracing::info!(%addr, "listening");
    axum::serve(
        listener,
        crate::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
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
    fn phone_and_id_numbers_in_paths_are_masked() {
        assert_eq!(
            mask_digit_runs("/api/v1/dev/sms-codes/13812345678"),
            "/api/v1/dev/sms-codes/138****5678"
        );
        assert_eq!(
            mask_digit_runs("/x/11010519491231002X/y"),
            "/x/110***********002X/y"
        );
        assert_eq!(mask_digit_runs("/a/1234567890/b"), "/a/1234567890/b");
        assert_eq!(
            mask_digit_runs("/api/v1/usernames/carbon_li2026"),
            "/api/v1/usernames/carbon_li2026"
        );
        assert_eq!(mask_digit_runs("/HB20260315K7Q2MX"), "/HB20260315K7Q2MX");
        assert_eq!(mask_digit_runs(""), "");
    }
}
