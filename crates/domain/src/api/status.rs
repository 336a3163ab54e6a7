//! The application after it was submitted: its status, and the exchange's development-mode views.

use serde::{Deserialize, Serialize};

use super::{AgreementAcceptance, Consent, Identity, QuizAnswer, QuizMode};
use crate::id_document::DocumentType;

/// Where an application stands in the exchange's review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Submitted,
    /// The investor uploaded the fee transfer's receipt; the exchange has yet to see the money.
    ReceiptReceived,
    FeeReceived,
    Approved,
    Returned,
}

/// What moves an application on (DESIGN §6). Every change but the investor's own (a receipt uploaded, a
/// returned application sent again) is made by the exchange's staff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusChange {
    /// The receipt of the fee transfer arrived: uploaded by the investor, or marked by an operator.
    Receipt,
    /// The exchange sees the 200 CNY (a receipt sent by e-mail skips `receipt_received`).
    FeeReceived,
    /// The trading account is opened.
    Approve,
    /// Sent back to the investor with a reason and the step to fix.
    Return,
    /// The investor fixed a returned application and sent it again (same reference).
    Resubmit,
}

impl StatusChange {
    pub const ALL: [StatusChange; 5] = [
        StatusChange::Receipt,
        StatusChange::FeeReceived,
        StatusChange::Approve,
        StatusChange::Return,
        StatusChange::Resubmit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusChange::Receipt => "receipt",
            StatusChange::FeeReceived => "fee_received",
            StatusChange::Approve => "approve",
            StatusChange::Return => "return",
            StatusChange::Resubmit => "resubmit",
        }
    }
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 5] = [
        ApplicationStatus::Submitted,
        ApplicationStatus::ReceiptReceived,
        ApplicationStatus::FeeReceived,
        ApplicationStatus::Approved,
        ApplicationStatus::Returned,
    ];

    /// The status after `change`, or `None` where the change does not apply (an approved application is
    /// final; only a returned one is sent again; a receipt is uploaded before the fee is seen).
    pub fn after(self, change: StatusChange) -> Option<ApplicationStatus> {
        use ApplicationStatus as S;
        use StatusChange as C;
        match (self, change) {
            (S::Submitted | S::ReceiptReceived, C::Receipt) => Some(S::ReceiptReceived),
            (S::Submitted | S::ReceiptReceived, C::FeeReceived) => Some(S::FeeReceived),
            (S::FeeReceived, C::Approve) => Some(S::Approved),
            (S::Submitted | S::ReceiptReceived | S::FeeReceived, C::Return) => Some(S::Returned),
            (S::Returned, C::Resubmit) => Some(S::Submitted),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::ReceiptReceived => "receipt_received",
            ApplicationStatus::FeeReceived => "fee_received",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Returned => "returned",
        }
    }

    pub fn from_name(name: &str) -> Option<ApplicationStatus> {
        ApplicationStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
    }

    /// Still with the exchange: a second application for the same document is refused meanwhile.
    pub fn is_under_review(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Submitted
                | ApplicationStatus::ReceiptReceived
                | ApplicationStatus::FeeReceived
        )
    }
}

/// A part of the application (a top-level field of [`ApplicationRequest`]) an operator asks to fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStep {
    Quiz,
    Identity,
    Account,
    Attachments,
    Agreements,
}

impl ApplicationStep {
    pub const ALL: [ApplicationStep; 5] = [
        ApplicationStep::Quiz,
        ApplicationStep::Identity,
        ApplicationStep::Account,
        ApplicationStep::Attachments,
        ApplicationStep::Agreements,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStep::Quiz => "quiz",
            ApplicationStep::Identity => "identity",
            ApplicationStep::Account => "account",
            ApplicationStep::Attachments => "attachments",
            ApplicationStep::Agreements => "agreements",
        }
    }

    pub fn from_name(name: &str) -> Option<ApplicationStep> {
        ApplicationStep::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// Where an application stands in the exchange's review: part of the investor's status answer and of the
/// operator's view of the application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewState {
    pub status: ApplicationStatus,
    /// With `approved`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    /// With `returned`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned_reason: Option<String>,
    /// With `returned`, when the operator named it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned_step: Option<ApplicationStep>,
    /// RFC 3339.
    pub submitted_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// `GET /applications/{reference}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationStatusResponse {
    pub reference: String,
    #[serde(flatten)]
    pub review: ReviewState,
    /// The applicant's name and document as the application has them: the e-mail with the fee receipt must
    /// quote them exactly.
    pub name: String,
    pub document_type: DocumentType,
    pub document_number: String,
    /// Every status the application has been in, oldest first (the first is `submitted`).
    pub history: Vec<StatusEvent>,
}

/// One status the application was in, and since when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusEvent {
    pub status: ApplicationStatus,
    /// RFC 3339.
    pub at: String,
}

/// `POST /applications/lookup`: the status on another device, by the reference, the application's mobile
/// number and an SMS code sent to it (`POST /sms-codes`). The answer is an [`ApplicationCreated`] with a status
/// token for this device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusLookupRequest {
    pub reference: String,
    pub phone: String,
    pub code: String,
}

/// One stored image of an application, as the investor saw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadSummary {
    pub upload_id: String,
    /// The file name the image was uploaded with.
    pub file_name: String,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
}

/// The account part as stored: never the password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAccount {
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAttachments {
    pub id_front: UploadSummary,
    pub id_back: UploadSummary,
    pub asset_proofs: Vec<UploadSummary>,
}

/// `GET /applications/{reference}/answers` (status token): what the application holds, for fixing a returned
/// one in the wizard. Everything but the password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredApplication {
    pub reference: String,
    pub quiz: QuizAnswer,
    pub identity: Identity,
    pub account: StoredAccount,
    pub attachments: StoredAttachments,
    pub agreements: Vec<AgreementAcceptance>,
    pub sensitive_data_consent: Consent,
    pub locale: String,
}

/// A message the exchange sends an investor when the application changes status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
}

/// `GET /dev/outbox/{reference}` (development mode): the messages queued for the investor, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub channel: Channel,
    /// The e-mail address or mobile number.
    pub to: String,
    /// E-mail only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub body: String,
    /// The status the message announces.
    pub status: ApplicationStatus,
    /// RFC 3339.
    pub created_at: String,
}

/// `GET /dev/sms-codes/{phone}` (development mode).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevSmsCode {
    pub phone: String,
    pub code: String,
}

/// `POST /dev/applications/{reference}/status` (development mode).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevStatusUpdate {
    pub status: ApplicationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<ApplicationStep>,
}

/// `GET /dev/applications/{reference}` (development mode): the stored row without the password hash (status
/// tokens are stored only as hashes and cannot be shown).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevApplicationRecord {
    pub reference: String,
    #[serde(flatten)]
    pub review: ReviewState,
    pub quiz_mode: QuizMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiz_attempt_id: Option<String>,
    /// The attempt's score, or the declared one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiz_score: Option<u32>,
    pub name: String,
    pub document_type: DocumentType,
    pub document_number: String,
    pub phone: String,
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    pub email: String,
    pub id_front: String,
    pub id_back: String,
    pub asset_proofs: Vec<String>,
    /// The fee receipt the investor uploaded (`POST /applications/{reference}/receipt`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_receipt: Option<String>,
    pub agreements: Vec<AgreementAcceptance>,
    pub sensitive_data_consent: Consent,
    pub locale: String,
}
