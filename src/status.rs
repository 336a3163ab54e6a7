//! The application after it was submitted, as this browser knows it: the reference and a status token kept in
//! `localStorage` (nothing else: no name, no ID number), and the calls that read and change its status.

use crate::api::{Api, ApiError};
use crate::clock::now_ms;
use codee::string::JsonSerdeCodec;
use domain::api::{
    ApplicationCreated, ApplicationRequest, ApplicationStatusResponse, StatusLookupRequest,
    StoredApplication,
};
use leptos::prelude::*;
use leptos_use::storage::use_local_storage;
use serde::{Deserialize, Serialize};

/// `localStorage` key of the submitted application.
pub const STORAGE_KEY: &str = "hbets-kaihu.application";

/// How long this browser remembers a submitted application: longer than a review takes, shorter than the
/// exchange keeps client addresses. Afterwards the investor looks it up by reference and SMS code.
pub const REMEMBERED_DAYS: f64 = 90.0;

/// What this browser keeps of a submitted application.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tracked {
    pub reference: String,
    /// Sent as `X-Status-Token`: reads the status, uploads the fee receipt, sends a returned application again.
    pub status_token: String,
    /// Milliseconds since the epoch after which the entry is forgotten.
    pub expires_at_ms: f64,
}

impl Tracked {
    pub fn new(created: ApplicationCreated) -> Tracked {
        Tracked {
            reference: created.reference,
            status_token: created.status_token,
            expires_at_ms: now_ms() + REMEMBERED_DAYS * 86_400_000.0,
        }
    }

    fn is_current(&self) -> bool {
        !self.reference.is_empty() && !self.status_token.is_empty() && self.expires_at_ms > now_ms()
    }
}

/// The remembered application (`None` when there is none or it expired) and its writer.
#[derive(Clone, Copy)]
pub struct TrackedApplication {
    stored: Signal<Option<Tracked>>,
    set: WriteSignal<Option<Tracked>>,
}

impl TrackedApplication {
    pub fn get(&self) -> Option<Tracked> {
        self.stored.get().filter(Tracked::is_current)
    }

    pub fn get_untracked(&self) -> Option<Tracked> {
        self.stored.get_untracked().filter(Tracked::is_current)
    }

    pub fn remember(&self, tracked: Tracked) {
        self.set.set(Some(tracked));
    }

    pub fn forget(&self) {
        self.set.set(None);
    }
}

pub fn use_tracked() -> TrackedApplication {
    let (stored, set, _) = use_local_storage::<Option<Tracked>, JsonSerdeCodec>(STORAGE_KEY);
    TrackedApplication { stored, set }
}

const STATUS_TOKEN: &str = "X-Status-Token";

/// The calls about one submitted application.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusApi {
    api: Api,
}

impl StatusApi {
    pub fn new(base: &str) -> StatusApi {
        StatusApi {
            api: Api::new(base),
        }
    }

    fn path(reference: &str, rest: &str) -> String {
        format!(
            "/applications/{}{rest}",
            js_sys::encode_uri_component(reference)
        )
    }

    /// `GET /applications/{reference}`.
    pub async fn status(&self, tracked: &Tracked) -> Result<ApplicationStatusResponse, ApiError> {
        let request = self
            .api
            .get(&Self::path(&tracked.reference, ""))
            .header(STATUS_TOKEN, &tracked.status_token);
        Api::fetch_json(request).await
    }

    /// `GET /applications/{reference}/answers`: what the application holds, for fixing a returned one.
    pub async fn answers(&self, tracked: &Tracked) -> Result<StoredApplication, ApiError> {
        let request = self
            .api
            .get(&Self::path(&tracked.reference, "/answers"))
            .header(STATUS_TOKEN, &tracked.status_token);
        Api::fetch_json(request).await
    }

    /// `POST /applications/lookup`: a status token for this device, by reference, phone and SMS code.
    pub async fn lookup(&self, request: &StatusLookupRequest) -> Result<Tracked, ApiError> {
        let created: ApplicationCreated =
            Api::send_json(self.api.post("/applications/lookup"), request).await?;
        Ok(Tracked::new(created))
    }

    /// `PUT /applications/{reference}`: a returned application, fixed, sent again under the same reference.
    pub async fn resubmit(
        &self,
        tracked: &Tracked,
        verification_token: &str,
        idempotency_key: &str,
        request: &ApplicationRequest,
    ) -> Result<ApplicationStatusResponse, ApiError> {
        let builder =
            gloo_net::http::Request::put(&self.api.url(&Self::path(&tracked.reference, "")))
                .header(STATUS_TOKEN, &tracked.status_token)
                .header("Authorization", &format!("Bearer {verification_token}"))
                .header("Idempotency-Key", idempotency_key);
        Api::send_json(builder, request).await
    }

    /// Where the fee receipt is uploaded, and the header that authorizes it.
    pub fn receipt_url(&self, reference: &str) -> String {
        self.api.url(&Self::path(reference, "/receipt"))
    }
}

/// The header that authorizes a call with the status token.
pub fn status_token_header(tracked: &Tracked) -> (&'static str, String) {
    (STATUS_TOKEN, tracked.status_token.clone())
}
