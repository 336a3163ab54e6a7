//! The upload queue of one attachment field: the files picked and where each stands (being prepared,
//! uploading with its progress, failed, cancelled), with what each needs to be sent again. A file goes through
//! [`Queue::take`] → [`Queue::accept`] (judged by its bytes, prepared) → [`Queue::send`] (uploaded; retried
//! by the same call) and leaves by becoming one of the field's uploads, or by [`Queue::discard`].

use super::messages::FileFacts;
use crate::api::{Api, ApiError};
use crate::config::use_config;
use crate::draft::{use_draft, DraftContext};
use crate::image::inspect::{check_rest, inspect_header, InspectError};
use crate::image::object_url::ObjectUrl;
use crate::image::{prepare, MAX_ORIGINAL_BYTES};
use crate::upload::{start_upload, StoredUpload, UploadAbort, UploadTarget};
use domain::api::UploadKind;
use domain::attachment::{AttachmentError, ImageLimits};
use domain::config::ImageConfig;
use futures::future::join;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;
use web_sys::{Blob, File};

/// Where one picked file stands.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Status {
    /// Being decoded, turned and shrunk.
    Preparing,
    /// Percent sent, `None` while unknown.
    Uploading(Option<u32>),
    Failed(ApiError),
    Cancelled,
}

/// What the pipeline made of a picked file.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Sent {
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
    pub reencoded: bool,
}

/// A picked file on its way (or stuck): shown until it is stored, then it becomes one of `uploads`.
#[derive(Clone, Debug)]
pub(super) struct Pending {
    pub key: u64,
    pub name: String,
    pub original_bytes: u64,
    pub sent: RwSignal<Option<Sent>>,
    pub preview: RwSignal<Option<String>>,
    pub status: RwSignal<Status>,
    /// Counts the upload attempts, so the answer of a cancelled one is ignored.
    attempt: RwSignal<u32>,
}

impl Pending {
    /// A file shown in the queue from now on, `status` where it stands.
    pub fn new(key: u64, name: String, original_bytes: u64, status: Status) -> Pending {
        Pending {
            key,
            name,
            original_bytes,
            sent: RwSignal::new(None),
            preview: RwSignal::new(None),
            status: RwSignal::new(status),
            attempt: RwSignal::new(0),
        }
    }

    pub fn facts(&self) -> FileFacts {
        let sent = self.sent.get_untracked();
        FileFacts {
            name: self.name.clone(),
            bytes: sent.map_or(self.original_bytes, |s| s.bytes),
            width: sent.map_or(0, |s| s.width),
            height: sent.map_or(0, |s| s.height),
        }
    }
}

/// The browser objects of a pending file (not `Send`, so kept apart from the signals).
#[derive(Default)]
struct Held {
    /// What is sent: the prepared image, kept for retries.
    blob: Option<Blob>,
    upload_name: String,
    abort: Option<UploadAbort>,
    preview: Option<ObjectUrl>,
}

/// Previews by upload id; a `blob:` URL is revoked when its entry goes.
pub(super) type Previews = StoredValue<HashMap<String, ObjectUrl>, LocalStorage>;

/// The queue of one field; a `Copy` handle to its state.
#[derive(Clone, Copy)]
pub(super) struct Queue {
    kind: UploadKind,
    /// Where the images go, when not to the application's uploads (`POST /uploads`).
    target: Option<Callback<(), Option<UploadTarget>>>,
    /// Several images (asset proofs) instead of one that a new pick replaces.
    pub multiple: bool,
    /// What the draft holds, and where the new list goes after an upload or a removal.
    pub uploads: Signal<Vec<StoredUpload>>,
    on_change: Callback<Vec<StoredUpload>>,
    pub images: StoredValue<ImageConfig>,
    limits: StoredValue<ImageLimits>,
    upload_url: StoredValue<String>,
    draft: DraftContext,
    pub pending: RwSignal<Vec<Pending>>,
    held: StoredValue<HashMap<u64, Held>, LocalStorage>,
    pub previews: Previews,
    next_key: StoredValue<u64>,
    /// The files of the latest pick that were refused, with why.
    pub refusals: RwSignal<Vec<(InspectError, FileFacts)>>,
}

impl Queue {
    /// The queue of a field showing `uploads`; needs the configuration and draft contexts. Uploads in flight
    /// are cancelled when the field goes.
    pub fn new(
        kind: UploadKind,
        target: Option<Callback<(), Option<UploadTarget>>>,
        multiple: bool,
        uploads: Signal<Vec<StoredUpload>>,
        on_change: Callback<Vec<StoredUpload>>,
    ) -> Queue {
        let config = use_config();
        let queue = Queue {
            kind,
            target,
            multiple,
            uploads,
            on_change,
            images: StoredValue::new(config.images.clone()),
            // The byte limit applies to what is sent; larger originals are shrunk first.
            limits: StoredValue::new(ImageLimits {
                max_bytes: MAX_ORIGINAL_BYTES,
                max_pixels: config.images.max_pixels,
                min_long_edge: config.images.min_long_edge,
            }),
            upload_url: StoredValue::new(Api::new(&config.api_base_url).url("/uploads")),
            draft: use_draft(),
            pending: RwSignal::new(Vec::new()),
            held: StoredValue::new_local(HashMap::new()),
            previews: StoredValue::new_local(HashMap::new()),
            next_key: StoredValue::new(0),
            refusals: RwSignal::new(Vec::new()),
        };
        on_cleanup(move || {
            queue.held.try_with_value(|h| {
                for abort in h.values().filter_map(|held| held.abort.as_ref()) {
                    abort.abort();
                }
            });
        });
        queue
    }

    /// The token for the number on the identity page, as the page and the submission use it.
    pub fn token(&self) -> Option<String> {
        self.draft.draft.with_untracked(|d| d.current_token())
    }

    /// Where the next upload goes, `None` for want of a credential.
    fn upload_target(&self) -> Option<UploadTarget> {
        match self.target {
            Some(target) => target.run(()),
            None => {
                let url = self.upload_url.get_value();
                Some(UploadTarget::application(url, self.kind, &self.token()?))
            }
        }
    }

    /// Shows a file that is not there, standing at `status`: nothing is read or sent (the styleguide's states).
    pub fn show(self, name: String, bytes: u64, status: Status) {
        let key = self.next_key.get_value() + 1;
        self.next_key.set_value(key);
        self.pending
            .update(|p| p.push(Pending::new(key, name, bytes, status)));
    }

    fn find(&self, key: u64) -> Option<Pending> {
        self.pending
            .try_with_untracked(|p| p.iter().find(|i| i.key == key).cloned())
            .flatten()
    }

    /// Judges the picked files (one, unless the field takes several) and sends the good ones.
    pub fn take(self, files: Vec<File>) {
        self.refusals.set(Vec::new());
        let count = if self.multiple { files.len() } else { 1 };
        for file in files.into_iter().take(count) {
            spawn_local(self.accept(file));
        }
    }

    /// Judges one picked file; a good one is prepared, previewed and sent at once.
    async fn accept(self, file: File) {
        let name = file.name();
        let original_bytes = file.size() as u64;
        let facts = FileFacts {
            name: name.clone(),
            bytes: original_bytes,
            ..FileFacts::default()
        };
        let limits = self.limits.get_value();
        let header = match inspect_header(&file, &limits).await {
            Ok(header) => header,
            Err(error) => {
                self.refusals.try_update(|r| r.push((error, facts)));
                return;
            }
        };
        if !self.multiple {
            let keys: Vec<u64> = self
                .pending
                .try_with_untracked(|p| p.iter().map(|i| i.key).collect())
                .unwrap_or_default();
            for key in keys {
                self.discard(key);
            }
        }
        let Some(key) = self.next_key.try_update_value(|n| {
            *n += 1;
            *n
        }) else {
            return;
        };
        let item = Pending::new(key, name.clone(), original_bytes, Status::Preparing);
        self.held.update_value(|h| {
            h.insert(key, Held::default());
        });
        self.pending.update(|p| p.push(item.clone()));

        let images = self.images.get_value();
        // The rest of a big file is checked while the picture decodes; either refusal ends it.
        let (rest, prepared) = join(
            check_rest(&file, &header, &limits),
            prepare(&file, &name, &header.image, &images),
        )
        .await;
        let prepared = rest.and(prepared);
        if self.find(key).is_none() {
            // Replaced or removed while it was being prepared.
            return;
        }
        let refuse = move |error: InspectError, facts: FileFacts| {
            self.discard(key);
            self.refusals.try_update(|r| r.push((error, facts)));
        };
        let prepared = match prepared {
            Ok(prepared) => prepared,
            Err(error) => return refuse(error, facts),
        };
        if prepared.bytes > images.max_bytes {
            let error = InspectError::Refused {
                error: AttachmentError::TooLarge {
                    max_bytes: images.max_bytes,
                },
                width: prepared.width,
                height: prepared.height,
            };
            let facts = FileFacts {
                bytes: prepared.bytes,
                ..facts
            };
            return refuse(error, facts);
        }
        let preview = ObjectUrl::new(&prepared.blob);
        item.preview
            .try_set(preview.as_ref().map(|url| url.as_str().to_string()));
        item.sent.try_set(Some(Sent {
            bytes: prepared.bytes,
            width: prepared.width,
            height: prepared.height,
            reencoded: prepared.reencoded,
        }));
        self.held.try_update_value(|h| {
            if let Some(held) = h.get_mut(&key) {
                held.blob = Some(prepared.blob.clone());
                held.upload_name = prepared.upload_name.clone();
                held.preview = preview;
            }
        });
        self.send(key);
    }

    /// Sends the prepared image of a pending file: the first try and every retry.
    pub fn send(self, key: u64) {
        let Some(item) = self.find(key) else { return };
        let Some((blob, upload_name)) = self.held.with_value(|h| {
            h.get(&key)
                .and_then(|held| Some((held.blob.clone()?, held.upload_name.clone())))
        }) else {
            return;
        };
        let Some(target) = self.upload_target() else {
            item.status.set(Status::Failed(ApiError::token_missing()));
            return;
        };
        item.attempt.update(|n| *n += 1);
        let attempt = item.attempt.get_untracked();
        item.status.set(Status::Uploading(Some(0)));
        let status = item.status;
        let started = start_upload(&target, &blob, &upload_name, move |progress| {
            status.try_set(Status::Uploading(progress.percent()));
        });
        let upload = match started {
            Ok(upload) => upload,
            Err(error) => {
                status.set(Status::Failed(error));
                return;
            }
        };
        let abort = upload.abort_handle();
        self.held.update_value(|h| {
            if let Some(held) = h.get_mut(&key) {
                held.abort = Some(abort.clone());
            }
        });
        spawn_local(async move {
            let outcome = upload.finish().await;
            let current = item.attempt.try_get_untracked() == Some(attempt);
            if abort.was_aborted() || !current {
                return;
            }
            match outcome {
                Ok(created) => self.stored(key, StoredUpload::from_created(&created, &item.name)),
                Err(error) => {
                    if error.needs_new_verification() {
                        // The server no longer accepts the token: the identity page asks for a new code.
                        self.draft.update(|d| d.verification = None);
                    }
                    status.try_set(Status::Failed(error));
                }
            }
        });
    }

    /// A pending file was stored: it leaves the queue and joins the field's uploads, keeping its preview.
    fn stored(self, key: u64, stored: StoredUpload) {
        let preview = self
            .held
            .try_update_value(|h| h.remove(&key))
            .flatten()
            .and_then(|held| held.preview);
        if let Some(preview) = preview {
            self.previews
                .try_update_value(|p| p.insert(stored.upload_id.clone(), preview));
        }
        self.pending.try_update(|p| p.retain(|i| i.key != key));
        let mut list = if self.multiple {
            self.uploads.try_get_untracked().unwrap_or_default()
        } else {
            Vec::new()
        };
        list.retain(|u| u.upload_id != stored.upload_id);
        list.push(stored);
        self.on_change.try_run(list);
    }

    /// Whether a picked file is being prepared or sent (not failed or cancelled, which wait for the investor).
    pub fn is_busy(self) -> bool {
        self.pending.with(|pending| {
            pending.iter().any(|item| {
                item.status
                    .with(|s| matches!(s, Status::Preparing | Status::Uploading(_)))
            })
        })
    }

    /// Stops the upload of a pending file; it stays, to be retried or removed.
    pub fn cancel(self, key: u64) {
        if let Some(item) = self.find(key) {
            item.attempt.update(|n| *n += 1);
            item.status.set(Status::Cancelled);
        }
        self.held.with_value(|h| {
            if let Some(abort) = h.get(&key).and_then(|held| held.abort.as_ref()) {
                abort.abort();
            }
        });
    }

    /// Cancels a pending file and forgets it.
    pub fn discard(self, key: u64) {
        self.cancel(key);
        self.pending.update(|p| p.retain(|i| i.key != key));
        self.held.update_value(|h| {
            h.remove(&key);
        });
    }

    /// Removes a stored upload from the field.
    pub fn remove(self, upload_id: &str) {
        let list: Vec<StoredUpload> = self
            .uploads
            .get_untracked()
            .into_iter()
            .filter(|u| u.upload_id != upload_id)
            .collect();
        self.on_change.run(list);
        self.previews.update_value(|p| {
            p.remove(upload_id);
        });
    }
}
