//! The investor's application draft: one serde struct kept in `sessionStorage`, so that a refresh, the back
//! button or iOS reloading the page after the camera loses nothing. Passwords, SMS codes and image bytes are
//! never stored here (upload ids are). Cleared after a successful submit.

use crate::upload::StoredUpload;
use codee::string::JsonSerdeCodec;
use domain::api::{QuizAttemptResult, QuizMode};
use domain::application::fields;
use domain::id_document::DocumentType;
use leptos::prelude::*;
use leptos_use::storage::{use_session_storage_with_options, UseStorageOptions};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod agreement;
mod request;
mod restore;

pub use agreement::AgreementRecord;
pub use request::new_idempotency_key;

/// `sessionStorage` key of the draft.
pub const STORAGE_KEY: &str = "hbets-kaihu.draft";

/// How the investor passed the market-entry test; goes with the application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizPass {
    pub mode: QuizMode,
    /// Built-in quiz: the backend's attempt id.
    pub attempt_id: Option<String>,
    /// The score (scored by the backend, or declared for the external questionnaire).
    pub score: u32,
}

/// The consent to processing sensitive personal information, as given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub version: String,
    pub agreed_at: String,
}

/// Page 1 of the exchange's form, as typed (validated on the way out, not on the way in).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IdentityDraft {
    pub name: String,
    pub document_type: DocumentType,
    pub document_number: String,
    pub phone: String,
}

/// Proof that the investor controls a mobile number: the backend's verification token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    /// The normalized number the token is for.
    pub phone: String,
    pub token: String,
    /// Milliseconds since the epoch.
    pub expires_at_ms: f64,
}

/// When "发送验证码" may be pressed again, so the countdown survives a refresh.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SmsCooldown {
    pub phone: String,
    /// Milliseconds since the epoch.
    pub until_ms: f64,
}

/// Page 2 of the exchange's form, as typed. The password and its confirmation are never stored: they live in
/// memory only ([`Secrets`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountDraft {
    pub username: String,
    pub address: String,
    pub email: String,
    /// At most one each.
    pub id_front: Vec<StoredUpload>,
    pub id_back: Vec<StoredUpload>,
    pub asset_proofs: Vec<StoredUpload>,
    /// Agreement id (`market_entry`, …) → what the investor read and accepted.
    pub agreements: BTreeMap<String, AgreementRecord>,
}

impl AccountDraft {
    /// The uploads of the attachment field at `path` (`attachments.id_front`, …).
    pub fn uploads(&self, path: &str) -> &[StoredUpload] {
        match path {
            fields::ID_FRONT => &self.id_front,
            fields::ID_BACK => &self.id_back,
            _ => &self.asset_proofs,
        }
    }

    pub fn uploads_mut(&mut self, path: &str) -> &mut Vec<StoredUpload> {
        match path {
            fields::ID_FRONT => &mut self.id_front,
            fields::ID_BACK => &mut self.id_back,
            _ => &mut self.asset_proofs,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    /// Answers of the built-in quiz being taken: question id → chosen option ids.
    pub quiz_answers: BTreeMap<String, Vec<String>>,
    /// The latest scored attempt, shown on the result page.
    pub quiz_result: Option<QuizAttemptResult>,
    /// Set once the investor passed; the steps after the gate need it.
    pub quiz_pass: Option<QuizPass>,
    pub consent: Option<ConsentRecord>,
    pub identity: IdentityDraft,
    pub sms_cooldown: Option<SmsCooldown>,
    pub verification: Option<Verification>,
    pub account: AccountDraft,
    /// The `Idempotency-Key` of the submission under way: a retry after a timeout reuses it, so one
    /// application is stored however often 确认提交 is pressed.
    pub idempotency_key: Option<String>,
    /// The reference of the returned application this draft corrects: it is sent again under that reference.
    pub resubmission: Option<String>,
}

/// A text field of the draft: its API path, where its text is read, where it is written.
type Text = (
    &'static str,
    fn(&Draft) -> &String,
    fn(&mut Draft) -> &mut String,
);

/// The text fields of the draft, one a line.
#[rustfmt::skip]
const TEXTS: [Text; 6] = [
    (fields::IDENTITY_NAME, |d| &d.identity.name, |d| &mut d.identity.name),
    (fields::IDENTITY_DOCUMENT_NUMBER, |d| &d.identity.document_number, |d| &mut d.identity.document_number),
    (fields::IDENTITY_PHONE, |d| &d.identity.phone, |d| &mut d.identity.phone),
    (fields::ACCOUNT_USERNAME, |d| &d.account.username, |d| &mut d.account.username),
    (fields::ACCOUNT_ADDRESS, |d| &d.account.address, |d| &mut d.account.address),
    (fields::ACCOUNT_EMAIL, |d| &d.account.email, |d| &mut d.account.email),
];

fn text_field(path: &str) -> Option<&'static Text> {
    TEXTS.iter().find(|(p, _, _)| *p == path)
}

impl Draft {
    /// The text typed in the field at the API path `path` (`identity.name`, `account.email`, …); empty for a
    /// path that is not a text field of the draft.
    pub fn text(&self, path: &str) -> &str {
        text_field(path).map_or("", |(_, read, _)| read(self))
    }

    /// Where the text of the field at `path` is kept.
    pub fn text_mut(&mut self, path: &str) -> Option<&mut String> {
        text_field(path).map(|(_, _, write)| write(self))
    }

    /// The verification token, if it is for `phone` (normalized) and has not expired.
    pub fn token_for(&self, phone: &str, now_ms: f64) -> Option<&str> {
        self.verification
            .as_ref()
            .filter(|v| v.phone == phone && v.expires_at_ms > now_ms)
            .map(|v| v.token.as_str())
    }
}

/// The draft and its writer, shared by every page through context.
#[derive(Clone, Copy)]
pub struct DraftContext {
    pub draft: Signal<Draft>,
    set_draft: WriteSignal<Draft>,
}

/// The wizard's owner, under which the draft is read the first time a page asks for it ([`use_draft`]).
#[derive(Clone)]
struct DraftOwner(Owner);

impl DraftContext {
    /// Lets the pages below use the draft, read from `sessionStorage` when the first of them asks for it: the
    /// entry page needs none, so the draft's code stays out of the first download (it is in the parts of the
    /// wasm that src/routes.rs splits off). It lives as long as the wizard, whichever page asked first.
    pub fn provide_on_first_use() {
        provide_context(DraftOwner(
            Owner::current().expect("the wizard has a reactive owner"),
        ));
    }

    /// Reads the draft from `sessionStorage` and provides it to the pages below. Every change is written back at
    /// once. Storage events are not listened to: a tab's `sessionStorage` is its own, and leptos-use would
    /// otherwise read and parse the whole draft back after each of its own writes, on every keystroke.
    pub fn provide() -> Self {
        let (draft, set_draft, _) = use_session_storage_with_options::<Draft, JsonSerdeCodec>(
            STORAGE_KEY,
            UseStorageOptions::default().listen_to_storage_changes(false),
        );
        let context = Self { draft, set_draft };
        provide_context(context);
        context
    }

    /// A draft of its own, in memory only, provided to the part of the page below (the styleguide's samples):
    /// nothing done there reaches the investor's draft or the storage.
    pub fn provide_in_memory(draft: Draft) -> Self {
        let (draft, set_draft) = signal(draft);
        let context = Self {
            draft: draft.into(),
            set_draft,
        };
        provide_context(context);
        context
    }

    pub fn update(&self, change: impl FnOnce(&mut Draft)) {
        self.set_draft.update(change);
    }
}

pub fn use_draft() -> DraftContext {
    use_context::<DraftContext>().unwrap_or_else(|| {
        let DraftOwner(owner) = expect_context::<DraftOwner>();
        owner.with(DraftContext::provide)
    })
}

/// What is never written to storage: the password and its confirmation, kept in memory between the account
/// page and the submission. After a refresh the investor types them again.
#[derive(Clone, Copy)]
pub struct Secrets {
    pub password: RwSignal<String>,
    pub confirmation: RwSignal<String>,
}

impl Secrets {
    pub fn provide() -> Self {
        let secrets = Self {
            password: RwSignal::new(String::new()),
            confirmation: RwSignal::new(String::new()),
        };
        provide_context(secrets);
        secrets
    }
}

pub fn use_secrets() -> Secrets {
    expect_context::<Secrets>()
}
