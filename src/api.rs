//! Requests to the exchange's API (the contract in `docs/openapi.yaml`), at `api_base_url` of the config, and
//! the app's own files (config, questions, agreement texts). Every failure becomes an [`ApiError`] the pages
//! turn into a message where the investor is looking; every answer is decoded by [`decode_answer`].

use domain::api::{codes, ErrorBody};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::{de::DeserializeOwned, Serialize};

/// Why a request did not give the expected answer.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// No answer at all: offline, DNS, CORS, connection reset.
    #[error("network: {0}")]
    Network(String),
    /// The API answered with an error body (4xx/5xx with `{code, message, …}`).
    #[error("HTTP {status}: {}", body.code)]
    Api { status: u16, body: ErrorBody },
    /// The API answered something that is not the contract's JSON (a proxy's HTML error page, say).
    #[error("HTTP {status}: unexpected answer")]
    Unexpected { status: u16 },
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
            ApiError::Api { status, .. } | ApiError::Unexpected { status } => Some(*status),
            ApiError::Network(_) => None,
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
        let request = request.json(body).map_err(network)?;
        decode(request.send().await.map_err(network)?).await
    }

    /// Sends a body-less request and decodes the JSON answer.
    pub async fn fetch_json<R: DeserializeOwned>(request: RequestBuilder) -> Result<R, ApiError> {
        decode(request.send().await.map_err(network)?).await
    }
}

fn network(error: gloo_net::Error) -> ApiError {
    ApiError::Network(error.to_string())
}

async fn decode<R: DeserializeOwned>(response: Response) -> Result<R, ApiError> {
    let status = response.status();
    let text = response.text().await.map_err(network)?;
    decode_answer(status, &text)
}

/// The error of a refused request: the contract's error body, or [`ApiError::Unexpected`].
pub fn error_answer(status: u16, text: &str) -> ApiError {
    match serde_json::from_str::<ErrorBody>(text) {
        Ok(body) => ApiError::Api { status, body },
        Err(_) => ApiError::Unexpected { status },
    }
}

/// An answer of the API: the expected JSON for a 2xx status, else [`error_answer`].
#[allow(clippy::result_large_err)] // the ApiError of every call, whose error body is large on 64-bit targets
pub fn decode_answer<R: DeserializeOwned>(status: u16, text: &str) -> Result<R, ApiError> {
    if (200..300).contains(&status) {
        serde_json::from_str(text).map_err(|_| ApiError::Unexpected { status })
    } else {
        Err(error_answer(status, text))
    }
}

/// A text file of the app (`config.json`, the questions, an agreement text), at a URL relative to the
/// document's base. The error is a technical detail naming the URL.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    response.text().await.map_err(|e| format!("{url}: {e}"))
}
