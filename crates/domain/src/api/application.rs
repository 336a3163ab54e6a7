//! `POST /applications`: the application, section by section.

use serde::{Deserialize, Serialize};

use super::QuizMode;
use crate::id_document::DocumentType;

/// `quiz` part of the application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizAnswer {
    pub mode: QuizMode,
    /// Required in `built_in` mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt_id: Option<String>,
    /// Required in `self_declared` mode; 60–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_score: Option<u32>,
}

/// `identity` part of the application (page 1 of the exchange's form).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub name: String,
    pub document_type: DocumentType,
    pub document_number: String,
    /// Must be the number the verification token proves.
    pub phone: String,
}

/// `account` part of the application (page 2).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub username: String,
    pub password: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    pub email: String,
}

impl std::fmt::Debug for Account {
    /// Never prints the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("username", &self.username)
            .field("password", &"<hidden>")
            .field("address", &self.address)
            .field("email", &self.email)
            .finish()
    }
}

/// `attachments` part of the application: upload ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachments {
    pub id_front: String,
    pub id_back: String,
    pub asset_proofs: Vec<String>,
}

/// Most proof-of-assets images one application may carry.
pub const MAX_ASSET_PROOFS: usize = 10;

/// The three agreements the investor must read and accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementId {
    /// 入市协议书
    MarketEntry,
    /// 投资人须知
    InvestorNotice,
    /// 风险提示书
    RiskDisclosure,
}

impl AgreementId {
    /// In the order of the exchange's form.
    pub const ALL: [AgreementId; 3] = [
        AgreementId::MarketEntry,
        AgreementId::InvestorNotice,
        AgreementId::RiskDisclosure,
    ];

    /// The serde name, e.g. `market_entry`.
    pub fn as_str(self) -> &'static str {
        match self {
            AgreementId::MarketEntry => "market_entry",
            AgreementId::InvestorNotice => "investor_notice",
            AgreementId::RiskDisclosure => "risk_disclosure",
        }
    }

    pub fn from_name(name: &str) -> Option<AgreementId> {
        AgreementId::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// One agreement, as read and accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementAcceptance {
    pub id: AgreementId,
    /// Version of the text that was read.
    pub version: String,
    /// RFC 3339.
    pub opened_at: String,
    /// RFC 3339, not before `opened_at`.
    pub agreed_at: String,
}

/// Consent to the processing of sensitive personal information.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub version: String,
    /// RFC 3339.
    pub agreed_at: String,
}

/// Languages the app speaks; `locale` of an application is one of them.
pub const LOCALES: [&str; 2] = ["zh-CN", "en"];

/// `POST /applications`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRequest {
    pub quiz: QuizAnswer,
    pub identity: Identity,
    pub account: Account,
    pub attachments: Attachments,
    pub agreements: Vec<AgreementAcceptance>,
    pub sensitive_data_consent: Consent,
    /// `zh-CN` or `en`.
    pub locale: String,
}

/// 201 answer of `POST /applications`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationCreated {
    /// `HB` + YYYYMMDD + 6 letters/digits.
    pub reference: String,
    /// Sent as `X-Status-Token` to read the status.
    pub status_token: String,
}
