//! Messages for the stable error codes of the domain crate and the API, in the investor's language.
//! Codes come from `code()` of the domain's error enums and from the `code` of API error bodies; the texts live
//! in the locale files under `errors`. Messages say what to do, not just what is wrong.

use crate::api::ApiError;
use crate::i18n::*;
use domain::api::{codes, FieldError};
use domain::application::fields;
use domain::config::AppConfig;
use domain::id_document::DocumentType;
use leptos_i18n::I18nContext;
use std::sync::Arc;

/// The message for an error code. Codes without a message of their own get the generic server message.
pub fn code_message(i18n: I18nContext<Locale>, code: &str) -> String {
    let text = match code {
        "name_empty" => t_string!(i18n, errors.name_empty),
        "name_too_short" => t_string!(i18n, errors.name_too_short),
        "name_too_long" => t_string!(i18n, errors.name_too_long),
        "name_digits" => t_string!(i18n, errors.name_digits),
        "name_invalid_character" => t_string!(i18n, errors.name_invalid_character),
        "name_misplaced_dot" => t_string!(i18n, errors.name_misplaced_dot),
        "id_number_empty" => t_string!(i18n, errors.id_number_empty),
        "id_number_length" => t_string!(i18n, errors.id_number_length),
        "id_number_format" => t_string!(i18n, errors.id_number_format),
        "id_number_region" => t_string!(i18n, errors.id_number_region),
        "id_number_other_document_type" => t_string!(i18n, errors.id_number_other_document_type),
        "id_number_birth_date" => t_string!(i18n, errors.id_number_birth_date),
        "id_number_birth_date_future" => t_string!(i18n, errors.id_number_birth_date_future),
        "id_number_underage" => t_string!(i18n, errors.id_number_underage),
        "id_number_checksum" => t_string!(i18n, errors.id_number_checksum),
        "phone_empty" => t_string!(i18n, errors.phone_empty),
        "phone_invalid_character" => t_string!(i18n, errors.phone_invalid_character),
        "phone_format" => t_string!(i18n, errors.phone_format),
        "sms_code_empty" => t_string!(i18n, errors.sms_code_empty),
        "sms_code_not_digits" => t_string!(i18n, errors.sms_code_not_digits),
        "sms_code_length" => t_string!(i18n, errors.sms_code_length),
        "sms_code_expired" => t_string!(i18n, errors.sms_code_expired),
        "sms_code_attempts_exceeded" => t_string!(i18n, errors.sms_code_attempts_exceeded),
        "sms_code_not_found" => t_string!(i18n, errors.sms_code_not_found),
        "sms_not_sent" => t_string!(i18n, errors.sms_not_sent),
        "token_expired" | "token_invalid" | "token_missing" | "token_used" => {
            t_string!(i18n, errors.token_expired)
        }
        "phone_not_verified" => t_string!(i18n, errors.phone_not_verified),
        "quiz_daily_limit" => t_string!(i18n, api_error.quiz_daily_limit),
        "username_empty" => t_string!(i18n, errors.username_empty),
        "username_too_short" => t_string!(i18n, errors.username_too_short),
        "username_too_long" => t_string!(i18n, errors.username_too_long),
        "username_must_start_with_letter" => {
            t_string!(i18n, errors.username_must_start_with_letter)
        }
        "username_invalid_character" => t_string!(i18n, errors.username_invalid_character),
        "username_taken" => t_string!(i18n, errors.username_taken),
        "password_too_short" => t_string!(i18n, errors.password_too_short),
        "password_too_long" => t_string!(i18n, errors.password_too_long),
        "password_contains_username" => t_string!(i18n, errors.password_contains_username),
        "password_contains_phone" => t_string!(i18n, errors.password_contains_phone),
        "password_contains_id_number" => t_string!(i18n, errors.password_contains_id_number),
        "password_common" => t_string!(i18n, errors.password_common),
        "password_mismatch" => t_string!(i18n, errors.password_mismatch),
        "password_reenter" => t_string!(i18n, errors.password_reenter),
        "email_empty" => t_string!(i18n, errors.email_empty),
        "email_too_long" => t_string!(i18n, errors.email_too_long),
        "email_whitespace" => t_string!(i18n, errors.email_whitespace),
        "email_missing_at" => t_string!(i18n, errors.email_missing_at),
        "email_local_part" => t_string!(i18n, errors.email_local_part),
        "email_domain" => t_string!(i18n, errors.email_domain),
        "address_too_long" => t_string!(i18n, errors.address_too_long),
        "address_invalid_character" => t_string!(i18n, errors.address_invalid_character),
        "asset_proofs_too_many" => t_string!(i18n, errors.asset_proofs_too_many),
        "attachments_too_large" => t_string!(i18n, errors.attachments_too_large),
        "upload_not_found" | "upload_wrong_kind" => t_string!(i18n, errors.upload_not_found),
        "upload_repeated" => t_string!(i18n, errors.upload_repeated),
        "consent_missing" => t_string!(i18n, errors.consent_missing),
        "consent_version_outdated" => t_string!(i18n, errors.consent_version_outdated),
        "quiz_not_passed"
        | "quiz_attempt_not_found"
        | "quiz_attempt_missing"
        | "quiz_attempt_used"
        | "quiz_attempt_other_phone"
        | "quiz_attempt_outdated" => t_string!(i18n, errors.quiz_not_passed),
        "duplicate_application" => t_string!(i18n, errors.duplicate_application),
        "submission_rate_limit" => t_string!(i18n, errors.submission_rate_limit),
        _ => return server_message(i18n, 400),
    };
    text.to_string()
}

fn server_message(i18n: I18nContext<Locale>, status: u16) -> String {
    t_string!(i18n, api_error.server, status).to_string()
}

/// How long to wait, as the investor says it: "45 秒", "5 分钟", "24 小时" (rounded up: the investor who
/// comes back then is not refused again).
pub fn wait_text(i18n: I18nContext<Locale>, seconds: u64) -> String {
    match seconds {
        0..=1 => t_string!(i18n, wait.one_second).to_string(),
        2..=59 => t_string!(i18n, wait.seconds, n = seconds).to_string(),
        60..=3599 => match seconds.div_ceil(60) {
            1 => t_string!(i18n, wait.one_minute).to_string(),
            n => t_string!(i18n, wait.minutes, n).to_string(),
        },
        _ => match seconds.div_ceil(3600) {
            1 => t_string!(i18n, wait.one_hour).to_string(),
            n => t_string!(i18n, wait.hours, n).to_string(),
        },
    }
}

/// The message for a failed API call.
pub fn api_error_message(i18n: I18nContext<Locale>, error: &ApiError) -> String {
    match error {
        ApiError::Network(_) => t_string!(i18n, api_error.network).to_string(),
        ApiError::Timeout => t_string!(i18n, api_error.timeout).to_string(),
        ApiError::Unexpected { status, .. } if (200..300).contains(status) => {
            t_string!(i18n, api_error.unreadable).to_string()
        }
        ApiError::Unexpected {
            status: 429,
            retry_after_s,
        } => {
            let seconds = retry_after_s.unwrap_or(60);
            t_string!(i18n, api_error.rate_limited, seconds).to_string()
        }
        ApiError::Unexpected { status, .. } => server_message(i18n, *status),
        ApiError::Api { status, body } => {
            let seconds = body.retry_after_s.unwrap_or(60);
            let wait = || wait_text(i18n, seconds);
            match body.code.as_str() {
                codes::SMS_CODE_MISMATCH => {
                    let attempts = body.attempts_left.unwrap_or(0);
                    t_string!(i18n, errors.sms_code_mismatch, attempts).to_string()
                }
                codes::SMS_COOLDOWN => t_string!(i18n, errors.sms_cooldown, seconds).to_string(),
                codes::SMS_HOURLY_LIMIT => {
                    t_string!(i18n, errors.sms_hourly_limit, seconds).to_string()
                }
                codes::SMS_IP_LIMIT => t_string!(i18n, errors.sms_ip_limit, seconds).to_string(),
                codes::SMS_DAILY_LIMIT => {
                    t_string!(i18n, errors.sms_daily_limit, wait = wait()).to_string()
                }
                codes::SMS_BUDGET_EXHAUSTED => {
                    t_string!(i18n, errors.sms_budget_exhausted, wait = wait()).to_string()
                }
                codes::SMS_VERIFY_DAILY_LIMIT => {
                    t_string!(i18n, errors.sms_verify_daily_limit, wait = wait()).to_string()
                }
                codes::SUBMISSION_REPLAY_LIMIT => {
                    t_string!(i18n, errors.submission_replay_limit, wait = wait()).to_string()
                }
                codes::SERVER_BUSY | codes::REQUEST_TIMEOUT => {
                    t_string!(i18n, api_error.server_busy).to_string()
                }
                codes::QUIZ_DAILY_LIMIT => t_string!(i18n, api_error.quiz_daily_limit).to_string(),
                _ if *status == 429 => t_string!(i18n, api_error.rate_limited, seconds).to_string(),
                code if *status < 500 && has_message(code) => code_message(i18n, code),
                _ => server_message(i18n, *status),
            }
        }
    }
}

fn has_message(code: &str) -> bool {
    code.starts_with("name_")
        || code.starts_with("id_number_")
        || code.starts_with("phone_")
        || code.starts_with("sms_code_")
        || code.starts_with("token_")
        || code.starts_with("username_")
        || code.starts_with("password_")
        || code.starts_with("email_")
        || code.starts_with("address_")
        || code.starts_with("quiz_")
        || matches!(
            code,
            codes::DUPLICATE_APPLICATION
                | codes::SUBMISSION_RATE_LIMIT
                | codes::ATTACHMENTS_TOO_LARGE
        )
}

/// The messages of field errors, which need the configuration as well as the language (agreement titles,
/// the pass mark). The page's own checks and the server's refusals go through the same function, so they say
/// the same thing.
#[derive(Clone)]
pub struct FieldMessages {
    pub i18n: I18nContext<Locale>,
    pub config: Arc<AppConfig>,
}

impl FieldMessages {
    /// The investor's message for one field error.
    pub fn message(&self, error: &FieldError) -> String {
        let i18n = self.i18n;
        if let Some(id) = error.field.strip_prefix("agreements.") {
            let title = agreement_title(i18n, &self.config, id);
            return match error.code.as_str() {
                codes::AGREEMENT_VERSION_OUTDATED => {
                    t_string!(i18n, errors.agreement_version_outdated, title).to_string()
                }
                _ => t_string!(i18n, errors.agreement_missing, title).to_string(),
            };
        }
        match (error.field.as_str(), error.code.as_str()) {
            (_, codes::ATTACHMENT_MISSING) => attachment_missing_message(i18n, &error.field),
            (fields::QUIZ_DECLARED_SCORE, codes::QUIZ_NOT_PASSED) => {
                let pass_mark = self.config.quiz.pass_mark;
                t_string!(i18n, quiz.declared_score_below, pass_mark).to_string()
            }
            (fields::QUIZ_DECLARED_SCORE, _) => {
                t_string!(i18n, quiz.declared_score_invalid).to_string()
            }
            (_, code) => code_message(i18n, code),
        }
    }

    /// The messages of a section check's errors (none when it passed), by field.
    pub fn of<T>(&self, checked: Result<T, Vec<FieldError>>) -> Vec<(String, String)> {
        checked
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| (e.field.clone(), self.message(e)))
            .collect()
    }
}

/// "Upload …" for the attachment field at `path` (`attachments.id_front`, …).
pub fn attachment_missing_message(i18n: I18nContext<Locale>, path: &str) -> String {
    match path {
        fields::ID_FRONT => t_string!(i18n, errors.id_front_missing),
        fields::ID_BACK => t_string!(i18n, errors.id_back_missing),
        _ => t_string!(i18n, errors.asset_proofs_missing),
    }
    .to_string()
}

/// The agreement's title in the investor's language.
pub fn agreement_title(i18n: I18nContext<Locale>, config: &AppConfig, id: &str) -> String {
    let lang = i18n.get_locale_untracked().as_str();
    config
        .agreements
        .iter()
        .find(|a| a.id == id)
        .map(|a| a.title.get(lang).to_string())
        .unwrap_or_else(|| id.to_string())
}

/// The name of a document type in the investor's language.
pub fn document_type_name(i18n: I18nContext<Locale>, doc: DocumentType) -> String {
    match doc {
        DocumentType::ResidentId => t_string!(i18n, document_type.resident_id),
        DocumentType::HkMacauPermit => t_string!(i18n, document_type.hk_macau_permit),
        DocumentType::TaiwanPermit => t_string!(i18n, document_type.taiwan_permit),
        DocumentType::ResidencePermit => t_string!(i18n, document_type.residence_permit),
        DocumentType::ForeignPermanentResident => {
            t_string!(i18n, document_type.foreign_permanent_resident)
        }
    }
    .to_string()
}
