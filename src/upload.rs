//! Sending one image to `POST /uploads` (multipart `kind` + `file`, bearer verification token) with
//! XMLHttpRequest, because `fetch` reports no upload progress. The body is any `Blob` with a file name, so the
//! image pipeline can send a shrunk copy instead of the investor's original. Answers become [`ApiError`]s the
//! same way as every answer ([`crate::api::decode_answer`]); no answer at all (offline, reset, aborted) is [`ApiError::Network`].
//! An upload that sends nothing for [`UPLOAD_STALL_TIMEOUT`], or whose answer takes longer than
//! [`REQUEST_TIMEOUT`] once the image is sent, is given up with [`ApiError::Timeout`].

use crate::api::{
    decode_answer, retry_after_seconds, ApiError, Deadline, REQUEST_TIMEOUT, UPLOAD_STALL_TIMEOUT,
};
use domain::api::{UploadCreated, UploadKind};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, FormData, ProgressEvent, XmlHttpRequest};

/// An image the backend stored, as the draft keeps it (upload id and what to show; never the bytes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredUpload {
    pub upload_id: String,
    pub file_name: String,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
}

impl StoredUpload {
    /// The backend's answer to an upload of `file_name`.
    pub fn from_created(created: &UploadCreated, file_name: &str) -> Self {
        Self {
            upload_id: created.upload_id.clone(),
            file_name: file_name.to_string(),
            bytes: created.bytes,
            width: created.width,
            height: created.height,
        }
    }
}

/// How much of the body went out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    pub loaded: f64,
    /// `None` while the browser does not know the total.
    pub total: Option<f64>,
}

impl Progress {
    /// Whole percent sent, 0–100; `None` when the total is unknown.
    pub fn percent(&self) -> Option<u32> {
        let total = self.total.filter(|t| *t > 0.0)?;
        Some(((self.loaded / total) * 100.0).floor().clamp(0.0, 100.0) as u32)
    }
}

/// Cancels an upload in flight; cloning it gives another handle to the same request.
#[derive(Clone, Debug)]
pub struct UploadAbort {
    xhr: XmlHttpRequest,
    aborted: Rc<Cell<bool>>,
}

impl UploadAbort {
    /// Stops the request; the upload then ends with [`ApiError::Network`] and [`UploadAbort::was_aborted`].
    pub fn abort(&self) {
        self.aborted.set(true);
        let _ = self.xhr.abort();
    }

    pub fn was_aborted(&self) -> bool {
        self.aborted.get()
    }
}

/// An upload on its way: [`Upload::abort_handle`] cancels it, [`Upload::finish`] waits for the answer.
pub struct Upload {
    xhr: XmlHttpRequest,
    done: wasm_bindgen_futures::JsFuture,
    aborted: Rc<Cell<bool>>,
    /// Renewed by every byte sent; once the image is sent, the answer's.
    deadline: Rc<Deadline>,
    /// Kept alive until the request ended; detached before it is dropped.
    on_progress: Option<Closure<dyn FnMut(ProgressEvent)>>,
    on_sent: Option<Closure<dyn FnMut()>>,
}

impl Upload {
    pub fn abort_handle(&self) -> UploadAbort {
        UploadAbort {
            xhr: self.xhr.clone(),
            aborted: self.aborted.clone(),
        }
    }

    /// Waits for the answer: the stored upload, or why not.
    pub async fn finish(mut self) -> Result<UploadCreated, ApiError> {
        // `loadend` follows `load`, `error`, `abort` and `timeout` alike; the promise never rejects.
        let _ = (&mut self.done).await;
        self.detach();
        if self.deadline.expired() {
            return Err(ApiError::Timeout);
        }
        if self.aborted.get() {
            return Err(ApiError::Network("aborted".into()));
        }
        let status = self.xhr.status().unwrap_or(0);
        if status == 0 {
            return Err(ApiError::Network("no answer".into()));
        }
        crate::clock::observe_server_date(self.header("date").as_deref());
        let text = self.xhr.response_text().ok().flatten().unwrap_or_default();
        match decode_answer(status, &text) {
            Err(ApiError::Api { status, mut body }) => {
                body.retry_after_s = body.retry_after_s.or(self.retry_after());
                Err(ApiError::Api { status, body })
            }
            Err(ApiError::Unexpected { status, .. }) => Err(ApiError::Unexpected {
                status,
                retry_after_s: self.retry_after(),
            }),
            answer => answer,
        }
    }

    fn header(&self, name: &str) -> Option<String> {
        self.xhr.get_response_header(name).ok().flatten()
    }

    fn retry_after(&self) -> Option<u64> {
        retry_after_seconds(self.header("retry-after").as_deref())
    }

    fn detach(&mut self) {
        if let Ok(upload) = self.xhr.upload() {
            upload.set_onprogress(None);
            upload.set_onload(None);
        }
        self.xhr.set_onloadend(None);
        self.on_progress = None;
        self.on_sent = None;
    }
}

impl Drop for Upload {
    /// Dropping an unfinished upload cancels it, so no request outlives the code waiting for it.
    fn drop(&mut self) {
        if self.on_progress.is_some() {
            self.aborted.set(true);
            let _ = self.xhr.abort();
            self.detach();
        }
    }
}

fn network(e: JsValue) -> ApiError {
    ApiError::Network(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

/// Where an image goes: `POST /uploads` with the verification token for the images of the application, or
/// `POST /applications/{reference}/receipt` with the status token for the fee receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadTarget {
    pub url: String,
    /// The header that authorizes the upload, name and value.
    pub auth: (&'static str, String),
    /// The `kind` part of the form, where the endpoint takes several kinds.
    pub kind: Option<UploadKind>,
}

impl UploadTarget {
    /// `POST /uploads` of an image of the application, authorized by the verification token.
    pub fn application(url: String, kind: UploadKind, verification_token: &str) -> UploadTarget {
        UploadTarget {
            url,
            auth: ("Authorization", format!("Bearer {verification_token}")),
            kind: Some(kind),
        }
    }
}

/// Starts the upload of the image `blob` named `file_name` to `target`. `on_progress` is called as the body
/// goes out.
// The error is the `ApiError` of every API call, whose error body is large on 64-bit targets.
#[allow(clippy::result_large_err)]
pub fn start_upload(
    target: &UploadTarget,
    blob: &Blob,
    file_name: &str,
    mut on_progress: impl FnMut(Progress) + 'static,
) -> Result<Upload, ApiError> {
    let form = FormData::new().map_err(network)?;
    if let Some(kind) = target.kind {
        form.append_with_str("kind", kind.as_str())
            .map_err(network)?;
    }
    form.append_with_blob_and_filename("file", blob, file_name)
        .map_err(network)?;

    let xhr = XmlHttpRequest::new().map_err(network)?;
    xhr.open("POST", &target.url).map_err(network)?;
    let (name, value) = &target.auth;
    xhr.set_request_header(name, value).map_err(network)?;
    xhr.set_request_header("Accept", "application/json")
        .map_err(network)?;

    // Every byte sent gives the upload its time again; once the image is sent, the answer has the time of any
    // request. Past either, the request is aborted.
    let stalled = xhr.clone();
    let deadline = Rc::new(Deadline::start_with(UPLOAD_STALL_TIMEOUT, move || {
        let _ = stalled.abort();
    }));
    let moving = deadline.clone();
    let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
        moving.renew(UPLOAD_STALL_TIMEOUT);
        on_progress(Progress {
            loaded: ev.loaded(),
            total: ev.length_computable().then(|| ev.total()),
        })
    });
    let sent = deadline.clone();
    let on_sent = Closure::<dyn FnMut()>::new(move || sent.renew(REQUEST_TIMEOUT));
    let request = xhr.upload().map_err(network)?;
    request.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    request.set_onload(Some(on_sent.as_ref().unchecked_ref()));

    let mut resolve_slot = None;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| resolve_slot = Some(resolve));
    let resolve = resolve_slot.expect("the Promise executor runs at once");
    xhr.set_onloadend(Some(&resolve));

    let upload = Upload {
        xhr,
        done: wasm_bindgen_futures::JsFuture::from(promise),
        aborted: Rc::new(Cell::new(false)),
        deadline,
        on_progress: Some(on_progress),
        on_sent: Some(on_sent),
    };
    upload
        .xhr
        .send_with_opt_form_data(Some(&form))
        .map_err(network)?;
    Ok(upload)
}
