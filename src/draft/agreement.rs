//! One agreement as the investor read and accepted it, kept in the draft and sent with the application.

use domain::api::{AgreementAcceptance, AgreementId};
use domain::config::AgreementDocument;
use serde::{Deserialize, Serialize};

/// One agreement as accepted, kept in the draft and sent with the application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementRecord {
    /// Version of the text that was read (from the config).
    pub version: String,
    /// RFC 3339 (UTC): when the investor opened the dialog in which the text was first read to its end. Set
    /// only once the text was read to its end.
    pub opened_at: String,
    /// RFC 3339 (UTC): when the investor agreed; `Some` while the box is ticked.
    pub agreed_at: Option<String>,
}

impl AgreementRecord {
    /// Whether this record is for the text the app shows now and was read to its end.
    pub fn is_read(&self, agreement: &AgreementDocument) -> bool {
        self.version == agreement.version && !self.opened_at.is_empty()
    }

    /// Whether this record accepts the text the app shows now (read and ticked).
    pub fn is_agreed(&self, agreement: &AgreementDocument) -> bool {
        self.is_read(agreement) && self.agreed_at.is_some()
    }

    /// The entry of the application's `agreements` for the agreement `id`, while the box is ticked: in the
    /// version that was read, so that the rules can say when it is not the current one.
    pub fn as_sent(&self, id: AgreementId) -> Option<AgreementAcceptance> {
        Some(AgreementAcceptance {
            id,
            version: self.version.clone(),
            opened_at: self.opened_at.clone(),
            agreed_at: self.agreed_at.clone()?,
        })
    }
}
