//! Requests to the exchange's API (the contract in `docs/openapi.yaml`), at `api_base_url` of the config.
//! Every failure becomes an [`ApiError`] the pages turn into a message where the investor is looking.

use domain::api::ErrorBody;
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
        let request = request
            .json(body)
            .map_err(|e| ApiError::Network(e.to_string()))?;
        decode(
            request
                .send()
                .await
                .map_err(|e| ApiError::Network(e.to_string()))?,
        )
        .await
    }

    /// Sends a body-less request and decodes the JSON answer.
    pub async fn fetch_json<R: DeserializeOwned>(request: RequestBuilder) -> Result<R, ApiError> {
        decode(
            request
                .send()
                .await
                .map_err(|e| ApiError::Network(e.to_string()))?,
        )
        .await
    }
}

async fn decode<R: DeserializeOwned>(response: Response) -> Result<R, ApiError> {
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        serde_json::from_str(&text).map_err(|_| ApiError::Unexpected { status })
    } else {
        match serde_json::from_str::<ErrorBody>(&text) {
            Ok(body) => Err(ApiError::Api { status, body }),
            Err(_) => Err(ApiError::Unexpected { status }),
        }
    }
}
