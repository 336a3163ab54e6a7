//! Request and response bodies of the HTTP contract in `docs/openapi.yaml`.
//!
//! Field names and optionality follow the document's schemas exactly; the backend's contract test deserializes
//! every schema `example` into these types and checks that serializing gives the same keys back. Optional fields
//! are left out of the JSON when absent, and unknown fields are ignored (newer servers may add some).

mod application;
mod quiz;
mod sms;
mod status;
mod uploads;

pub use application::*;
pub use quiz::*;
pub use sms::*;
pub use status::*;
pub use uploads::*;

use serde::{Deserialize, Serialize};

/// Path prefix of every API endpoint served by the reference backend.
pub const API_BASE: &str = "/api/v1";

/// Stable error codes of the API itself (validators add their own `code()`s to these).
pub mod codes {
    // Any endpoint.
    pub const MALFORMED_JSON: &str = "malformed_json";
    pub const INVALID_BODY: &str = "invalid_body";
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "unsupported_media_type";
    pub const PAYLOAD_TOO_LARGE: &str = "payload_too_large";
    pub const NOT_FOUND: &str = "not_found";
    pub const METHOD_NOT_ALLOWED: &str = "method_not_allowed";
    pub const INTERNAL_ERROR: &str = "internal_error";
    pub const VALIDATION_FAILED: &str = "validation_failed";
    /// 503: the request took longer than the server allows.
    pub const REQUEST_TIMEOUT: &str = "request_timeout";
    /// 503: the server is handling as many requests as it may; try again in a moment.
    pub const SERVER_BUSY: &str = "server_busy";
    // Verification token (uploads, submission).
    pub const TOKEN_MISSING: &str = "token_missing";
    pub const TOKEN_INVALID: &str = "token_invalid";
    pub const TOKEN_EXPIRED: &str = "token_expired";
    /// The token submitted an application already; it only replays that submission.
    pub const TOKEN_USED: &str = "token_used";
    // SMS codes.
    pub const SMS_COOLDOWN: &str = "sms_cooldown";
    pub const SMS_HOURLY_LIMIT: &str = "sms_hourly_limit";
    pub const SMS_IP_LIMIT: &str = "sms_ip_limit";
    /// The number had its codes of the day.
    pub const SMS_DAILY_LIMIT: &str = "sms_daily_limit";
    /// The service sent all the codes its hourly budget allows, to all numbers together.
    pub const SMS_BUDGET_EXHAUSTED: &str = "sms_budget_exhausted";
    /// Too many wrong codes were tried for the number within the day.
    pub const SMS_VERIFY_DAILY_LIMIT: &str = "sms_verify_daily_limit";
    pub const SMS_CODE_MISMATCH: &str = "sms_code_mismatch";
    pub const SMS_CODE_EXPIRED: &str = "sms_code_expired";
    pub const SMS_CODE_ATTEMPTS_EXCEEDED: &str = "sms_code_attempts_exceeded";
    pub const SMS_CODE_NOT_FOUND: &str = "sms_code_not_found";
    // Uploads.
    pub const UPLOAD_KIND_MISSING: &str = "upload_kind_missing";
    pub const UPLOAD_KIND_INVALID: &str = "upload_kind_invalid";
    pub const UPLOAD_FILE_MISSING: &str = "upload_file_missing";
    pub const UPLOAD_LIMIT: &str = "upload_limit";
    pub const UPLOAD_NOT_FOUND: &str = "upload_not_found";
    pub const UPLOAD_WRONG_KIND: &str = "upload_wrong_kind";
    /// The verified number uploaded its megabytes of the day.
    pub const UPLOAD_BYTES_LIMIT: &str = "upload_bytes_limit";
    /// The uploads an application quotes are larger, together, than one application may be.
    pub const ATTACHMENTS_TOO_LARGE: &str = "attachments_too_large";
    // Quiz.
    pub const QUIZ_DAILY_LIMIT: &str = "quiz_daily_limit";
    pub const QUIZ_UNKNOWN_QUESTION: &str = "quiz_unknown_question";
    pub const QUIZ_UNKNOWN_OPTION: &str = "quiz_unknown_option";
    pub const QUIZ_ATTEMPT_NOT_FOUND: &str = "quiz_attempt_not_found";
    pub const QUIZ_NOT_PASSED: &str = "quiz_not_passed";
    /// The attempt opened an application already: each passed attempt opens one.
    pub const QUIZ_ATTEMPT_USED: &str = "quiz_attempt_used";
    /// The attempt was quoted with another verified number first; it opens applications for that number only.
    pub const QUIZ_ATTEMPT_OTHER_PHONE: &str = "quiz_attempt_other_phone";
    /// The attempt answered another version of the questions than the quiz now has.
    pub const QUIZ_ATTEMPT_OUTDATED: &str = "quiz_attempt_outdated";
    /// The application quotes the test in another mode than the exchange configured.
    pub const QUIZ_MODE_NOT_ALLOWED: &str = "quiz_mode_not_allowed";
    // Applications.
    pub const IDEMPOTENCY_KEY_MISSING: &str = "idempotency_key_missing";
    pub const IDEMPOTENCY_KEY_INVALID: &str = "idempotency_key_invalid";
    pub const IDEMPOTENCY_KEY_REUSED: &str = "idempotency_key_reused";
    pub const DUPLICATE_APPLICATION: &str = "duplicate_application";
    pub const SUBMISSION_RATE_LIMIT: &str = "submission_rate_limit";
    /// Too many repeated submissions (an `Idempotency-Key` used again) from the client address.
    pub const SUBMISSION_REPLAY_LIMIT: &str = "submission_replay_limit";
    pub const PASSWORD_COMMON: &str = "password_common";
    pub const PHONE_NOT_VERIFIED: &str = "phone_not_verified";
    pub const USERNAME_TAKEN: &str = "username_taken";
    /// Too many username availability checks from the client address.
    pub const USERNAME_CHECK_LIMIT: &str = "username_check_limit";
    pub const STATUS_TOKEN_MISSING: &str = "status_token_missing";
    /// Too many status lookups (`POST /applications/lookup`) from one client address.
    pub const STATUS_LOOKUP_RATE_LIMIT: &str = "status_lookup_rate_limit";
    pub const APPLICATION_NOT_FOUND: &str = "application_not_found";
    /// An agreement accepted in a version other than the one the app is configured with.
    pub const AGREEMENT_VERSION_OUTDATED: &str = "agreement_version_outdated";
    /// Consent given to a version of the statement other than the configured one.
    pub const CONSENT_VERSION_OUTDATED: &str = "consent_version_outdated";
    // Application rules of `application::check_application` (besides the field validators' own codes).
    pub const QUIZ_ATTEMPT_MISSING: &str = "quiz_attempt_missing";
    pub const QUIZ_DECLARED_SCORE_MISSING: &str = "quiz_declared_score_missing";
    pub const QUIZ_DECLARED_SCORE_OUT_OF_RANGE: &str = "quiz_declared_score_out_of_range";
    pub const ADDRESS_TOO_LONG: &str = "address_too_long";
    pub const ADDRESS_INVALID_CHARACTER: &str = "address_invalid_character";
    pub const ATTACHMENT_MISSING: &str = "attachment_missing";
    pub const UPLOAD_REPEATED: &str = "upload_repeated";
    pub const ASSET_PROOFS_TOO_MANY: &str = "asset_proofs_too_many";
    pub const AGREEMENT_MISSING: &str = "agreement_missing";
    pub const AGREEMENT_REPEATED: &str = "agreement_repeated";
    pub const AGREEMENT_VERSION_MISSING: &str = "agreement_version_missing";
    pub const AGREEMENT_NOT_OPENED: &str = "agreement_not_opened";
    pub const TIMESTAMP_INVALID: &str = "timestamp_invalid";
    pub const CONSENT_MISSING: &str = "consent_missing";
    pub const LOCALE_UNSUPPORTED: &str = "locale_unsupported";
    // After the submission.
    /// The application is not in a status that takes a fee receipt (fee already seen, approved, returned).
    pub const RECEIPT_NOT_EXPECTED: &str = "receipt_not_expected";
    /// Only a returned application may be sent again.
    pub const APPLICATION_NOT_RETURNED: &str = "application_not_returned";
    /// An operator's status change that does not apply to the application's status.
    pub const STATUS_CHANGE_NOT_ALLOWED: &str = "status_change_not_allowed";
    // Operator status changes (development mode).
    pub const ACCOUNT_NUMBER_MISSING: &str = "account_number_missing";
    pub const RETURNED_REASON_MISSING: &str = "returned_reason_missing";
}

/// Every failure: `{code, message, field?}` plus the detail of the limit or rule that was hit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Stable snake_case code; the app maps it to a localized message.
    pub code: String,
    /// Operator text, not shown to investors.
    pub message: String,
    /// Dotted JSON path of the field at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// With 429 answers: seconds to wait (also in the `Retry-After` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_s: Option<u64>,
    /// With 413 `payload_too_large`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_bytes: Option<u64>,
    /// With `sms_code_mismatch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_left: Option<u32>,
    /// With 422 `validation_failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

impl ErrorBody {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            code: code.into(),
            message: message.into(),
            field: None,
            retry_after_s: None,
            limit_bytes: None,
            attempts_left: None,
            errors: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> ErrorBody {
        self.field = Some(field.into());
        self
    }

    /// A 422 `validation_failed` body listing `errors`.
    pub fn validation_failed(errors: Vec<FieldError>) -> ErrorBody {
        let message = match errors.len() {
            1 => "1 field needs attention".to_string(),
            n => format!("{n} fields need attention"),
        };
        ErrorBody {
            errors: Some(errors),
            ..ErrorBody::new(codes::VALIDATION_FAILED, message)
        }
    }
}

/// One field at fault in a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Dotted JSON path in the request, e.g. `identity.document_number` or `attachments.asset_proofs.0`.
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> FieldError {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// `GET /health`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// Always `ok`.
    pub status: String,
    pub version: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_names_match_serde() {
        for k in UploadKind::ALL {
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
            assert_eq!(UploadKind::from_name(k.as_str()), Some(k));
        }
        for a in AgreementId::ALL {
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                format!("\"{}\"", a.as_str())
            );
            assert_eq!(AgreementId::from_name(a.as_str()), Some(a));
        }
        for c in StatusChange::ALL {
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.as_str())
            );
        }
        for s in ApplicationStatus::ALL {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
            assert_eq!(ApplicationStatus::from_name(s.as_str()), Some(s));
        }
        for s in ApplicationStep::ALL {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
            assert_eq!(ApplicationStep::from_name(s.as_str()), Some(s));
        }
        for m in [QuizMode::BuiltIn, QuizMode::SelfDeclared] {
            assert_eq!(
                serde_json::to_string(&m).unwrap(),
                format!("\"{}\"", m.as_str())
            );
            assert_eq!(QuizMode::from_name(m.as_str()), Some(m));
        }
        assert_eq!(UploadKind::from_name("selfie"), None);
    }

    #[test]
    fn statuses_move_only_as_the_review_does() {
        use ApplicationStatus as S;
        use StatusChange as C;
        let path = [C::Receipt, C::FeeReceived, C::Approve];
        let end = path
            .into_iter()
            .try_fold(S::Submitted, |status, change| status.after(change));
        assert_eq!(end, Some(S::Approved));
        // A receipt sent by e-mail: the fee is marked received at once.
        assert_eq!(S::Submitted.after(C::FeeReceived), Some(S::FeeReceived));
        // Returned from any status under review, and only a returned application is sent again.
        for status in [S::Submitted, S::ReceiptReceived, S::FeeReceived] {
            assert_eq!(status.after(C::Return), Some(S::Returned));
            assert_eq!(status.after(C::Resubmit), None);
            assert!(status.is_under_review());
        }
        assert_eq!(S::Returned.after(C::Resubmit), Some(S::Submitted));
        // Approved is final; nothing is approved before the fee is seen.
        for change in C::ALL {
            assert_eq!(S::Approved.after(change), None);
        }
        assert_eq!(S::Submitted.after(C::Approve), None);
        assert_eq!(S::ReceiptReceived.after(C::Approve), None);
        assert_eq!(S::FeeReceived.after(C::Receipt), None);
        assert_eq!(S::Returned.after(C::Receipt), None);
    }

    #[test]
    fn error_body_leaves_out_absent_fields() {
        let body = ErrorBody::new(codes::NOT_FOUND, "no such path");
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"code": "not_found", "message": "no such path"})
        );
        let body = ErrorBody::validation_failed(vec![FieldError::new(
            "account.email",
            "email_invalid",
            "not an email address",
        )]);
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["code"], "validation_failed");
        assert_eq!(json["errors"][0]["field"], "account.email");
        assert!(json.get("retry_after_s").is_none());
    }

    #[test]
    fn account_debug_hides_the_password() {
        let account = Account {
            username: "carbon_li".into(),
            password: "hunter2hunter2".into(),
            address: None,
            email: "li@qq.com".into(),
        };
        let shown = format!("{account:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("carbon_li"));
    }
}
