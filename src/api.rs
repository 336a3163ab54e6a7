//! Requests to the exchange's API (the contract in `docs/openapi.yaml`), at `api_base_url` of the config, and
//! the app's own files (config, questions, agreement texts). Every failure becomes an [`ApiError`] the pages
//! turn into a message where the investor is looking; every answer is decoded by [`decode_answer`]. No request
//! waits for ever: each has a [`Deadline`] ([`REQUEST_TIMEOUT`]; uploads [`UPLOAD_STALL_TIMEOUT`]).

use domain::api::{codes, ErrorBody};
use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};
use serde::{de::DeserializeOwned, Serialize};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// How long a request may take, from sending it to the last byte of the answer, before the app gives up and
/// tells the investor the server does not answer (with a retry). Long enough for a slow mobile network, short
/// enough that nobody stares at "正在提交…" wondering whether anything happens.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How long an upload may go without sending a single byte before it gives up. A photo on a weak signal may
/// take minutes, which is fine as long as it moves; once the image is sent, the answer has
/// [`REQUEST_TIMEOUT`].
pub const UPLOAD_STALL_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a request did not give the expected answer.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// No answer at all: offline, DNS, CORS, connection reset.
    #[error("network: {0}")]
    Network(String),
    /// The API answered with an error body (4xx/5xx with `{code, message, …}`).
    #[error("HTTP {status}: {}", body.code)]
    Api { status: u16, body: ErrorBody },
    /// The API answered something that is not the contract's JSON (a proxy's HTML error page, an empty or cut
    /// answer), with the seconds of its `Retry-After` header, if any.
    #[error("HTTP {status}: unexpected answer")]
    Unexpected {
        status: u16,
        retry_after_s: Option<u64>,
    },
    /// No answer within the [`Deadline`]: the request was given up.
    #[error("no answer in time")]
    Timeout,
}

impl ApiError {
    /// The contract's error code, if the API sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Api { body, .. } => Some(&body.code),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Api { status, .. } | ApiError::Unexpected { status, .. } => Some(*status),
            ApiError::Network(_) | ApiError::Timeout => None,
        }
    }

    /// A refusal for want of a valid verification token (or of the verified number itself): the investor must
    /// verify the phone again on the identity page.
    pub fn needs_new_verification(&self) -> bool {
        matches!(
            self.code(),
            Some(
                codes::TOKEN_EXPIRED
                    | codes::TOKEN_INVALID
                    | codes::TOKEN_MISSING
                    | codes::TOKEN_USED
                    | codes::PHONE_NOT_VERIFIED
            )
        ) || self.status() == Some(401)
    }

    /// The error of a request that could not be sent for want of a token.
    pub fn token_missing() -> ApiError {
        ApiError::Api {
            status: 401,
            body: ErrorBody::new(codes::TOKEN_MISSING, "no verification token"),
        }
    }
}

/// The API at one base URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Api {
    base: String,
}

impl Api {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_string(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        Request::get(&self.url(path))
    }

    pub fn post(&self, path: &str) -> RequestBuilder {
        Request::post(&self.url(path))
    }

    /// Sends `body` as JSON and decodes the JSON answer.
    pub async fn send_json<B: Serialize, R: DeserializeOwned>(
        request: RequestBuilder,
        body: &B,
    ) -> Result<R, ApiError> {
        let deadline = Deadline::start(REQUEST_TIMEOUT);
        let request = deadline.guard(request).json(body).map_err(network)?;
        decode(deadline.answer(request.send()).await?, &deadline).await
    }

    /// Sends a body-less request and decodes the JSON answer.
    pub async fn fetch_json<R: DeserializeOwned>(request: RequestBuilder) -> Result<R, ApiError> {
        let deadline = Deadline::start(REQUEST_TIMEOUT);
        let request = deadline.guard(request);
        decode(deadline.answer(request.send()).await?, &deadline).await
    }

    /// Sends a body-less request and gives the bytes of a successful answer with its `Content-Type`.
    pub async fn fetch_bytes(
        request: RequestBuilder,
    ) -> Result<(Vec<u8>, Option<String>), ApiError> {
        let deadline = Deadline::start(REQUEST_TIMEOUT);
        let request = deadline.guard(request);
        let response = deadline.answer(request.send()).await?;
        if !response.ok() {
            let text = deadline.read(response.text()).await.unwrap_or_default();
            return Err(error_answer(
                response.status(),
                &text,
                retry_after(&response),
            ));
        }
        let kind = response.headers().get("content-type");
        Ok((deadline.read(response.binary()).await?, kind))
    }
}

/// The time a request is given: past it, the request is aborted (its answer, should it come, is dropped) and
/// the failure is [`ApiError::Timeout`]. Dropping the deadline stops its clock.
pub struct Deadline {
    controller: Option<web_sys::AbortController>,
    expired: Rc<Cell<bool>>,
    on_expire: Rc<dyn Fn()>,
    timer: Cell<Option<TimeoutHandle>>,
}

impl Deadline {
    /// A deadline `after` from now for a `fetch` ([`Deadline::guard`] hands it the request).
    pub fn start(after: Duration) -> Deadline {
        let controller = web_sys::AbortController::new().ok();
        let aborts = controller.clone();
        let mut deadline = Deadline::start_with(after, move || {
            if let Some(controller) = &aborts {
                controller.abort();
            }
        });
        deadline.controller = controller;
        deadline
    }

    /// A deadline `after` from now that calls `on_expire` (which stops the request) when it passes.
    pub fn start_with(after: Duration, on_expire: impl Fn() + 'static) -> Deadline {
        let deadline = Deadline {
            controller: None,
            expired: Rc::new(Cell::new(false)),
            on_expire: Rc::new(on_expire),
            timer: Cell::new(None),
        };
        deadline.renew(after);
        deadline
    }

    /// Moves the deadline to `after` from now (an upload that moved on).
    pub fn renew(&self, after: Duration) {
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
        if self.expired.get() {
            return;
        }
        let expired = self.expired.clone();
        let on_expire = self.on_expire.clone();
        let timer = set_timeout_with_handle(
            move || {
                expired.set(true);
                on_expire();
            },
            after,
        );
        self.timer.set(timer.ok());
    }

    /// Whether the time ran out.
    pub fn expired(&self) -> bool {
        self.expired.get()
    }

    /// The request, aborted when the time runs out.
    fn guard(&self, request: RequestBuilder) -> RequestBuilder {
        request.abort_signal(self.controller.as_ref().map(|c| c.signal()).as_ref())
    }

    /// The failure of a request: [`ApiError::Timeout`] once the time ran out, else no answer.
    pub fn failure(&self, detail: impl std::fmt::Display) -> ApiError {
        if self.expired() {
            ApiError::Timeout
        } else {
            ApiError::Network(detail.to_string())
        }
    }

    /// The answer's head; every answer tells the server's time ([`crate::clock::observe_server_date`]).
    async fn answer(
        &self,
        sent: impl std::future::Future<Output = Result<Response, gloo_net::Error>>,
    ) -> Result<Response, ApiError> {
        let response = sent.await.map_err(|e| self.failure(e))?;
        crate::clock::observe_server_date(response.headers().get("date").as_deref());
        Ok(response)
    }

    /// The answer's body.
    async fn read<T>(
        &self,
        body: impl std::future::Future<Output = Result<T, gloo_net::Error>>,
    ) -> Result<T, ApiError> {
        body.await.map_err(|e| self.failure(e))
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
    }
}

fn network(error: gloo_net::Error) -> ApiError {
    ApiError::Network(error.to_string())
}

/// The seconds of a `Retry-After` header (the HTTP-date form counts from now).
pub fn retry_after_seconds(value: Option<&str>) -> Option<u64> {
    let value = value?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(seconds);
    }
    let at = js_sys::Date::parse(value);
    (!at.is_nan()).then(|| ((at - crate::clock::now_ms()) / 1000.0).ceil().max(1.0) as u64)
}

fn retry_after(response: &Response) -> Option<u64> {
    retry_after_seconds(response.headers().get("retry-after").as_deref())
}

async fn decode<R: DeserializeOwned>(
    response: Response,
    deadline: &Deadline,
) -> Result<R, ApiError> {
    let status = response.status();
    let text = deadline.read(response.text()).await?;
    match decode_answer(status, &text) {
        Err(error) => Err(with_retry_after(error, retry_after(&response))),
        ok => ok,
    }
}

/// The error of a refused request: the contract's error body, or [`ApiError::Unexpected`]; a `Retry-After`
/// header fills in the wait the body does not name.
pub fn error_answer(status: u16, text: &str, retry_after_s: Option<u64>) -> ApiError {
    let error = match serde_json::from_str::<ErrorBody>(text) {
        Ok(body) => ApiError::Api { status, body },
        Err(_) => ApiError::Unexpected {
            status,
            retry_after_s: None,
        },
    };
    with_retry_after(error, retry_after_s)
}

fn with_retry_after(error: ApiError, header: Option<u64>) -> ApiError {
    match error {
        ApiError::Api { status, mut body } => {
            body.retry_after_s = body.retry_after_s.or(header);
            ApiError::Api { status, body }
        }
        ApiError::Unexpected {
            status,
            retry_after_s,
        } => ApiError::Unexpected {
            status,
            retry_after_s: retry_after_s.or(header),
        },
        other => other,
    }
}

/// An answer of the API: the expected JSON for a 2xx status, else [`error_answer`].
#[allow(clippy::result_large_err)] // the ApiError of every call, whose error body is large on 64-bit targets
pub fn decode_answer<R: DeserializeOwned>(status: u16, text: &str) -> Result<R, ApiError> {
    if (200..300).contains(&status) {
        serde_json::from_str(text).map_err(|_| ApiError::Unexpected {
            status,
            retry_after_s: None,
        })
    } else {
        Err(error_answer(status, text, None))
    }
}

/// A text file of the app (`config.json`, the questions, an agreement text), at a URL relative to the
/// document's base. The error is a technical detail naming the URL. An empty file counts as a failure: a cut
/// answer or a misconfigured proxy, never a real text.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let deadline = Deadline::start(REQUEST_TIMEOUT);
    let failed = |e: ApiError| match e {
        ApiError::Timeout => format!("{url}: no answer within {} s", REQUEST_TIMEOUT.as_secs()),
        other => format!("{url}: {other}"),
    };
    let response = deadline
        .answer(deadline.guard(Request::get(url)).send())
        .await
        .map_err(failed)?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let text = deadline.read(response.text()).await.map_err(failed)?;
    if text.trim().is_empty() {
        return Err(format!("{url}: empty answer"));
    }
    Ok(text)
}
