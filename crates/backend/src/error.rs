//! Every failure of the API as a JSON `ErrorBody` with its HTTP status.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::api::{codes, ErrorBody, FieldError};

/// An error answer: status + body. Handlers return `Result<_, ApiError>`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// Boxed so that `Result<_, ApiError>` stays small.
    pub body: Box<ErrorBody>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: Box::new(ErrorBody::new(code, message)),
        }
    }

    pub fn bad_request(code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unauthorized(code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, code, message)
    }

    pub fn not_found(code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, code, message)
    }

    pub fn conflict(code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, code, message)
    }

    /// 429 with `retry_after_s` (and the `Retry-After` header).
    pub fn too_many(code: &str, message: impl Into<String>, retry_after_s: i64) -> ApiError {
        let mut e = ApiError::new(StatusCode::TOO_MANY_REQUESTS, code, message);
        e.body.retry_after_s = Some(retry_after_s.max(1) as u64);
        e
    }

    /// 503 with `retry_after_s` (and the `Retry-After` header): the server cannot take the request now.
    pub fn unavailable(code: &str, message: impl Into<String>, retry_after_s: i64) -> ApiError {
        let mut e = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, code, message);
        e.body.retry_after_s = Some(retry_after_s.max(1) as u64);
        e
    }

    /// 413 `payload_too_large` naming the limit.
    pub fn payload_too_large(limit_bytes: u64) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            codes::PAYLOAD_TOO_LARGE,
            format!("request body is larger than {limit_bytes} bytes"),
        );
        e.body.limit_bytes = Some(limit_bytes);
        e
    }

    /// 422 `validation_failed` listing the fields at fault.
    pub fn validation(errors: Vec<FieldError>) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: Box::new(ErrorBody::validation_failed(errors)),
        }
    }

    /// 500; the cause goes to the log, not to the client.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(%cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL_ERROR,
            "internal error; the details are in the server log",
        )
    }

    pub fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.body.field = Some(field.into());
        self
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> ApiError {
        ApiError::internal(format!("database: {e}"))
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> ApiError {
        ApiError::internal(format!("file system: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = self.body.retry_after_s;
        let mut response = (self.status, Json(*self.body)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
