//! The draft as the API's request parts: each page checks its part with the domain's rules on the very structs
//! the submission sends, and the application request is their sum.

use super::{Draft, Secrets};
use crate::clock::now_ms;
use domain::api::{
    Account, AgreementAcceptance, AgreementId, ApplicationRequest, Attachments, Consent, Identity,
    QuizAnswer, QuizMode,
};
use domain::config::AppConfig;
use domain::phone::normalize_phone;
use leptos::prelude::GetUntracked;

impl Draft {
    /// The verification token of the number on the identity page, if it is still valid.
    pub fn current_token(&self) -> Option<String> {
        let phone = normalize_phone(&self.identity.phone).ok()?;
        self.token_for(&phone, now_ms()).map(str::to_string)
    }

    pub fn quiz_request(&self) -> QuizAnswer {
        let pass = self.quiz_pass.as_ref();
        let mode = pass.map_or(QuizMode::BuiltIn, |p| p.mode);
        QuizAnswer {
            mode,
            attempt_id: pass.and_then(|p| p.attempt_id.clone()),
            declared_score: pass
                .filter(|p| p.mode == QuizMode::SelfDeclared)
                .map(|p| p.score),
        }
    }

    pub fn identity_request(&self) -> Identity {
        let identity = &self.identity;
        Identity {
            name: identity.name.trim().to_string(),
            document_type: identity.document_type,
            document_number: identity.document_number.trim().to_string(),
            phone: identity.phone.clone(),
        }
    }

    /// The account part, with the password kept in memory (never in the draft).
    pub fn account_request(&self, password: String) -> Account {
        let account = &self.account;
        Account {
            username: account.username.trim().to_string(),
            password,
            address: Some(account.address.trim().to_string()).filter(|a| !a.is_empty()),
            email: account.email.trim().to_string(),
        }
    }

    pub fn attachments_request(&self) -> Attachments {
        let account = &self.account;
        let first = |uploads: &[crate::upload::StoredUpload]| {
            uploads
                .first()
                .map(|u| u.upload_id.clone())
                .unwrap_or_default()
        };
        Attachments {
            id_front: first(&account.id_front),
            id_back: first(&account.id_back),
            asset_proofs: account
                .asset_proofs
                .iter()
                .map(|u| u.upload_id.clone())
                .collect(),
        }
    }

    /// The ticked agreements of the configuration, in the version that was read.
    pub fn agreements_request(&self, config: &AppConfig) -> Vec<AgreementAcceptance> {
        config
            .agreements
            .iter()
            .filter_map(|doc| {
                let id = AgreementId::from_name(&doc.id)?;
                self.account.agreements.get(&doc.id)?.as_sent(id)
            })
            .collect()
    }

    pub fn consent_request(&self) -> Consent {
        let consent = self.consent.as_ref();
        Consent {
            version: consent.map(|c| c.version.clone()).unwrap_or_default(),
            agreed_at: consent.map(|c| c.agreed_at.clone()).unwrap_or_default(),
        }
    }

    /// The application to send, from the draft and the password in memory.
    pub fn application_request(
        &self,
        secrets: Secrets,
        config: &AppConfig,
        locale: &str,
    ) -> ApplicationRequest {
        ApplicationRequest {
            quiz: self.quiz_request(),
            identity: self.identity_request(),
            account: self.account_request(secrets.password.get_untracked()),
            attachments: self.attachments_request(),
            agreements: self.agreements_request(config),
            sensitive_data_consent: self.consent_request(),
            locale: locale.to_string(),
        }
    }
}

/// A fresh `Idempotency-Key`.
pub fn new_idempotency_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("key-{}", js_sys::Math::random().to_bits()))
}
