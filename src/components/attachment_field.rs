//! One attachment field (身份证人像面, 国徽面, 资产证明…): pick, photograph or drop images, each judged by its bytes
//! with the domain crate's rules before anything else happens, then prepared by the image pipeline (upright,
//! shrunk, without metadata; see [`crate::image`]), previewed, and uploaded at once with a progress bar,
//! cancellable and retried with the prepared file kept in memory. The field shows what the draft holds
//! (`uploads`, with thumbnails fetched from the backend after a reload) and reports the new list through
//! `on_change` after an upload finished or a removal; the page keeps it in the draft.
//!
//! Needs the i18n, configuration ([`crate::config::ConfigState`]) and draft ([`crate::draft::DraftContext`])
//! contexts: the verification token in the draft is the upload's bearer credential.

use crate::api::{Api, ApiError};
use crate::components::field::described_by;
use crate::config::{router_base, use_config};
use crate::draft::use_draft;
use crate::i18n::*;
use crate::image::inspect::{check_rest, inspect_header, InspectError};
use crate::image::object_url::ObjectUrl;
use crate::image::thumbnail::fetch_thumbnail;
use crate::image::{prepare, MAX_ORIGINAL_BYTES};
use crate::pages::identity::current_token;
use crate::upload::{start_upload, StoredUpload, UploadAbort};
use domain::api::{codes, UploadKind};
use domain::attachment::{AttachmentError, ImageLimits, SniffedKind};
use domain::config::ImageConfig;
use futures::future::join;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
use std::collections::HashMap;
use wasm_bindgen::JsCast;
use web_sys::{Blob, File, HtmlInputElement};

/// What the file dialog offers: the three accepted formats. No `capture` attribute, so phones offer the
/// camera and the gallery alike.
pub const ACCEPT: &str = "image/jpeg,image/png,image/gif,.jpg,.jpeg,.png,.gif";

/// A file size as investors read it: `0 KB`, `1 KB` … `1023 KB`, then megabytes with one decimal
/// (`1.5 MB`, `10 MB`). Kilobytes are 1024 bytes; anything above zero shows as at least 1 KB.
pub fn format_size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    if bytes == 0 {
        return "0 KB".to_string();
    }
    let kb = (bytes as f64 / KIB).round().max(1.0);
    if kb < 1024.0 {
        return format!("{kb} KB");
    }
    let tenths = (bytes as f64 / (KIB * KIB) * 10.0).round() as u64;
    format!("{} MB", one_decimal(tenths))
}

/// `15` → `1.5`, `100` → `10`: one decimal, dropped when it is zero.
fn one_decimal(tenths: u64) -> String {
    if tenths.is_multiple_of(10) {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// What is known about a file when a message about it is written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileFacts {
    pub name: String,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
}

fn megapixels(pixels: u64) -> String {
    one_decimal((pixels as f64 / 100_000.0).round() as u64)
}

/// The message for an attachment rule's code (`attachment_type_pdf`, `attachment_too_small`, …, as
/// [`AttachmentError::code`] and the backend's 413/415/422 answers give them); `None` for other codes.
pub fn rule_message(
    i18n: I18nContext<Locale>,
    code: &str,
    facts: &FileFacts,
    images: &ImageConfig,
    limit_bytes: Option<u64>,
) -> Option<String> {
    let name = facts.name.as_str();
    let (width, height) = (facts.width, facts.height);
    let text = match code {
        "attachment_empty" | codes::UPLOAD_FILE_MISSING => {
            t_string!(i18n, attachment.empty, name).to_string()
        }
        "attachment_type_pdf" => t_string!(i18n, attachment.type_pdf, name).to_string(),
        "attachment_type_heic" => t_string!(i18n, attachment.type_heic, name).to_string(),
        "attachment_type_avif" => t_string!(i18n, attachment.type_avif, name).to_string(),
        "attachment_type_webp" => t_string!(i18n, attachment.type_webp, name).to_string(),
        "attachment_type_bmp" => t_string!(i18n, attachment.type_bmp, name).to_string(),
        "attachment_type_tiff" => t_string!(i18n, attachment.type_tiff, name).to_string(),
        "attachment_type_zip" => t_string!(i18n, attachment.type_zip, name).to_string(),
        "attachment_type_svg" => t_string!(i18n, attachment.type_svg, name).to_string(),
        "attachment_type_text" => t_string!(i18n, attachment.type_text, name).to_string(),
        "attachment_type_unknown" | codes::UNSUPPORTED_MEDIA_TYPE => {
            t_string!(i18n, attachment.type_unknown, name).to_string()
        }
        "attachment_truncated" => t_string!(i18n, attachment.truncated, name).to_string(),
        "attachment_corrupt" => t_string!(i18n, attachment.corrupt, name).to_string(),
        "attachment_too_large" | codes::PAYLOAD_TOO_LARGE => {
            let size = format_size(facts.bytes);
            let max = format_size(limit_bytes.unwrap_or(images.max_bytes));
            t_string!(i18n, attachment.too_large, name, size, max).to_string()
        }
        "attachment_too_many_pixels" => {
            let megapixels = megapixels(images.max_pixels);
            t_string!(
                i18n,
                attachment.too_many_pixels,
                name,
                width,
                height,
                megapixels
            )
            .to_string()
        }
        "attachment_too_small" => {
            let min = images.min_long_edge;
            t_string!(i18n, attachment.too_small, name, width, height, min).to_string()
        }
        "attachment_polyglot" => t_string!(i18n, attachment.polyglot, name).to_string(),
        _ => return None,
    };
    Some(text)
}

/// The message for a file refused before upload.
pub fn refusal_message(
    i18n: I18nContext<Locale>,
    error: &InspectError,
    facts: &FileFacts,
    images: &ImageConfig,
) -> String {
    match error {
        InspectError::Refused {
            error,
            width,
            height,
        } => {
            let facts = FileFacts {
                width: *width,
                height: *height,
                ..facts.clone()
            };
            let code = match error {
                // Every kind that is not an image has its own message; the rest fall back to "unknown".
                AttachmentError::NotAnImage(SniffedKind::Image(_)) => "attachment_type_unknown",
                other => other.code(),
            };
            let limit = match error {
                AttachmentError::TooLarge { max_bytes } => Some(*max_bytes),
                _ => None,
            };
            rule_message(i18n, code, &facts, images, limit).unwrap_or_else(|| {
                t_string!(i18n, attachment.corrupt, name = facts.name).to_string()
            })
        }
        InspectError::Unreadable(_) => {
            t_string!(i18n, attachment.unreadable, name = facts.name.as_str()).to_string()
        }
        InspectError::Undecodable(_) => {
            t_string!(i18n, attachment.decode_failed, name = facts.name.as_str()).to_string()
        }
    }
}

/// Whether an upload failed for want of a valid verification token: the investor must verify the phone again.
pub fn is_token_error(error: &ApiError) -> bool {
    matches!(
        error.code(),
        Some(codes::TOKEN_EXPIRED | codes::TOKEN_INVALID | codes::TOKEN_MISSING)
    ) || error.status() == Some(401)
}

/// The message for a failed upload.
pub fn upload_error_message(
    i18n: I18nContext<Locale>,
    error: &ApiError,
    facts: &FileFacts,
    images: &ImageConfig,
) -> String {
    if is_token_error(error) {
        return t_string!(i18n, attachment.token_expired).to_string();
    }
    match error {
        ApiError::Network(_) => t_string!(i18n, attachment.network).to_string(),
        ApiError::Unexpected { status: 413 } => {
            rule_message(i18n, codes::PAYLOAD_TOO_LARGE, facts, images, None).unwrap_or_default()
        }
        ApiError::Unexpected { status } => {
            t_string!(i18n, attachment.server, status = *status).to_string()
        }
        ApiError::Api { status, body } => {
            if body.code == codes::UPLOAD_LIMIT {
                return t_string!(i18n, attachment.upload_limit).to_string();
            }
            if *status == 429 {
                let seconds = body.retry_after_s.unwrap_or(60);
                return t_string!(i18n, attachment.rate_limited, seconds).to_string();
            }
            let code = if *status == 413 {
                codes::PAYLOAD_TOO_LARGE
            } else {
                body.code.as_str()
            };
            rule_message(i18n, code, facts, images, body.limit_bytes)
                .unwrap_or_else(|| t_string!(i18n, attachment.server, status = *status).to_string())
        }
    }
}

/// Where one picked file stands.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    /// Being decoded, turned and shrunk.
    Preparing,
    /// Percent sent, `None` while unknown.
    Uploading(Option<u32>),
    Failed(ApiError),
    Cancelled,
}

/// What the pipeline made of a picked file.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Sent {
    bytes: u64,
    width: u32,
    height: u32,
    reencoded: bool,
}

/// A picked file on its way (or stuck): shown until it is stored, then it becomes one of `uploads`.
#[derive(Clone, Debug)]
struct Pending {
    key: u64,
    name: String,
    original_bytes: u64,
    sent: RwSignal<Option<Sent>>,
    preview: RwSignal<Option<String>>,
    status: RwSignal<Status>,
    /// Counts the upload attempts, so the answer of a cancelled one is ignored.
    attempt: RwSignal<u32>,
}

impl Pending {
    fn facts(&self) -> FileFacts {
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
type Previews = StoredValue<HashMap<String, ObjectUrl>, LocalStorage>;

#[component]
pub fn AttachmentField(
    /// Id of the file input; the error summary links here.
    id: &'static str,
    kind: UploadKind,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    /// Several images (asset proofs) instead of one that a new pick replaces.
    #[prop(optional)]
    multiple: bool,
    /// What the draft holds.
    #[prop(into)]
    uploads: Signal<Vec<StoredUpload>>,
    /// The new list after an upload finished or a removal.
    on_change: Callback<Vec<StoredUpload>>,
    /// The page's own error (e.g. "请上传身份证人像面").
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let draft = use_draft();
    let images = StoredValue::new(config.images.clone());
    // The byte limit applies to what is sent; larger originals are shrunk first.
    let limits = ImageLimits {
        max_bytes: MAX_ORIGINAL_BYTES,
        max_pixels: config.images.max_pixels,
        min_long_edge: config.images.min_long_edge,
    };
    let upload_url = StoredValue::new(Api::new(&config.api_base_url).url("/uploads"));

    let pending = RwSignal::new(Vec::<Pending>::new());
    let held = StoredValue::new_local(HashMap::<u64, Held>::new());
    let previews: Previews = StoredValue::new_local(HashMap::new());
    let next_key = StoredValue::new(0u64);
    let refusals = RwSignal::new(Vec::<(InspectError, FileFacts)>::new());
    let dragging = RwSignal::new(false);

    // The token for the number on the identity page, as the page and the submission use it.
    let token = move || draft.draft.with_untracked(current_token);

    let find = move |key: u64| {
        pending
            .try_with_untracked(|p| p.iter().find(|i| i.key == key).cloned())
            .flatten()
    };

    // Sends the held blob of a pending file; called for the first try and for every retry.
    let send = move |key: u64| {
        let Some(item) = find(key) else { return };
        let Some((blob, upload_name)) = held.with_value(|h| {
            h.get(&key)
                .and_then(|held| Some((held.blob.clone()?, held.upload_name.clone())))
        }) else {
            return;
        };
        let Some(token) = token() else {
            item.status.set(Status::Failed(ApiError::Api {
                status: 401,
                body: domain::api::ErrorBody::new(codes::TOKEN_MISSING, "no verification token"),
            }));
            return;
        };
        item.attempt.update(|n| *n += 1);
        let attempt = item.attempt.get_untracked();
        item.status.set(Status::Uploading(Some(0)));
        let status = item.status;
        let started = start_upload(
            &upload_url.get_value(),
            &token,
            kind,
            &blob,
            &upload_name,
            move |progress| {
                status.try_set(Status::Uploading(progress.percent()));
            },
        );
        let upload = match started {
            Ok(upload) => upload,
            Err(error) => {
                status.set(Status::Failed(error));
                return;
            }
        };
        let abort = upload.abort_handle();
        held.update_value(|h| {
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
                Ok(created) => {
                    let stored = StoredUpload::from_created(&created, &item.name);
                    let preview = held
                        .try_update_value(|h| h.remove(&key))
                        .flatten()
                        .and_then(|held| held.preview);
                    if let Some(preview) = preview {
                        previews.try_update_value(|p| p.insert(stored.upload_id.clone(), preview));
                    }
                    pending.try_update(|p| p.retain(|i| i.key != key));
                    let mut list = if multiple {
                        uploads.try_get_untracked().unwrap_or_default()
                    } else {
                        Vec::new()
                    };
                    list.retain(|u| u.upload_id != stored.upload_id);
                    list.push(stored);
                    on_change.try_run(list);
                }
                Err(error) => {
                    status.try_set(Status::Failed(error));
                }
            }
        });
    };

    let cancel = move |key: u64| {
        if let Some(item) = find(key) {
            item.attempt.update(|n| *n += 1);
            item.status.set(Status::Cancelled);
        }
        held.with_value(|h| {
            if let Some(abort) = h.get(&key).and_then(|held| held.abort.as_ref()) {
                abort.abort();
            }
        });
    };

    let discard = move |key: u64| {
        cancel(key);
        pending.update(|p| p.retain(|i| i.key != key));
        held.update_value(|h| {
            h.remove(&key);
        });
    };

    on_cleanup(move || {
        held.try_with_value(|h| {
            for abort in h.values().filter_map(|held| held.abort.as_ref()) {
                abort.abort();
            }
        });
    });

    // Judges one picked file; a good one is prepared, previewed and sent at once.
    let accept = move |file: File| async move {
        let name = file.name();
        let original_bytes = file.size() as u64;
        let facts = FileFacts {
            name: name.clone(),
            bytes: original_bytes,
            ..FileFacts::default()
        };
        let header = match inspect_header(&file, &limits).await {
            Ok(header) => header,
            Err(error) => {
                refusals.try_update(|r| r.push((error, facts)));
                return;
            }
        };
        if !multiple {
            let keys: Vec<u64> = pending
                .try_with_untracked(|p| p.iter().map(|i| i.key).collect())
                .unwrap_or_default();
            for key in keys {
                discard(key);
            }
        }
        let Some(key) = next_key.try_update_value(|n| {
            *n += 1;
            *n
        }) else {
            return;
        };
        let item = Pending {
            key,
            name: name.clone(),
            original_bytes,
            sent: RwSignal::new(None),
            preview: RwSignal::new(None),
            status: RwSignal::new(Status::Preparing),
            attempt: RwSignal::new(0),
        };
        held.update_value(|h| {
            h.insert(key, Held::default());
        });
        pending.update(|p| p.push(item.clone()));

        let images_config = images.get_value();
        // The rest of a big file is checked while the picture decodes; either refusal ends it.
        let (rest, prepared) = join(
            check_rest(&file, &header, &limits),
            prepare(&file, &name, &header.image, &images_config),
        )
        .await;
        let prepared = rest.and(prepared);
        if find(key).is_none() {
            // Replaced or removed while it was being prepared.
            return;
        }
        let refuse = move |error: InspectError, facts: FileFacts| {
            discard(key);
            refusals.try_update(|r| r.push((error, facts)));
        };
        let prepared = match prepared {
            Ok(prepared) => prepared,
            Err(error) => return refuse(error, facts),
        };
        let sent = Sent {
            bytes: prepared.bytes,
            width: prepared.width,
            height: prepared.height,
            reencoded: prepared.reencoded,
        };
        if prepared.bytes > images_config.max_bytes {
            let error = InspectError::Refused {
                error: AttachmentError::TooLarge {
                    max_bytes: images_config.max_bytes,
                },
                width: prepared.width,
                height: prepared.height,
            };
            return refuse(
                error,
                FileFacts {
                    bytes: prepared.bytes,
                    ..facts
                },
            );
        }
        let preview = ObjectUrl::new(&prepared.blob);
        item.preview
            .try_set(preview.as_ref().map(|url| url.as_str().to_string()));
        item.sent.try_set(Some(sent));
        held.try_update_value(|h| {
            if let Some(held) = h.get_mut(&key) {
                held.blob = Some(prepared.blob.clone());
                held.upload_name = prepared.upload_name.clone();
                held.preview = preview;
            }
        });
        send(key);
    };

    let take = move |files: Vec<File>| {
        refusals.set(Vec::new());
        let count = if multiple { files.len() } else { 1 };
        for file in files.into_iter().take(count) {
            spawn_local(accept(file));
        }
    };

    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let files = input.files().map(files_of).unwrap_or_default();
        // Cleared so that picking the same file again (after a removal, say) is a change too.
        input.set_value("");
        take(files);
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let files = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .map(files_of)
            .unwrap_or_default();
        if !files.is_empty() {
            take(files);
        }
    };

    let remove = move |upload_id: String| {
        let list: Vec<StoredUpload> = uploads
            .get_untracked()
            .into_iter()
            .filter(|u| u.upload_id != upload_id)
            .collect();
        on_change.run(list);
        previews.update_value(|p| {
            p.remove(&upload_id);
        });
        crate::components::error_summary::focus_element(id);
    };

    // A single image being replaced is hidden while its successor is on its way.
    let shown_uploads = move || {
        if !multiple && !pending.with(Vec::is_empty) {
            Vec::new()
        } else {
            uploads.get()
        }
    };
    // The refusals of the latest pick, else the page's own error; one line each.
    let field_error = Signal::derive(move || {
        let images = images.get_value();
        let own: Vec<String> = refusals.with(|r| {
            r.iter()
                .map(|(error, facts)| refusal_message(i18n, error, facts, &images))
                .collect()
        });
        if own.is_empty() {
            error.get().into_iter().collect()
        } else {
            own
        }
    });
    let invalid = move || field_error.with(|e| !e.is_empty());
    let has_any = move || !uploads.with(Vec::is_empty) || !pending.with(Vec::is_empty);
    let pick_label = move || {
        if !has_any() {
            t_string!(i18n, attachment.choose).to_string()
        } else if multiple {
            t_string!(i18n, attachment.choose_more).to_string()
        } else {
            t_string!(i18n, attachment.choose_again).to_string()
        }
    };
    let thumbnails = StoredValue::new((Api::new(&config.api_base_url), token));

    view! {
        <div
            class="attachment-field"
            class:attachment-dragging=move || dragging.get()
            on:dragover=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <div class="field" class:field-invalid=invalid>
                <label for=id>{label}</label>
                {hint.map(|hint| view! { <p class="field-hint" id=format!("{id}-hint")>{hint}</p> })}
                <p class="field-error" id=format!("{id}-error") hidden=move || !invalid()>
                    {move || {
                        field_error
                            .get()
                            .into_iter()
                            .map(|line| view! { <span class="attachment-error-line">{line}</span> })
                            .collect_view()
                    }}
                </p>
                <ul class="attachment-list" hidden=move || !has_any()>
                    <For each=shown_uploads key=|u| u.upload_id.clone() let:upload>
                        <StoredRow
                            field_id=id
                            upload=upload
                            previews=previews
                            thumbnails=thumbnails
                            on_remove=remove
                        />
                    </For>
                    <For each=move || pending.get() key=|p| p.key let:item>
                        <PendingRow
                            field_id=id
                            item=item
                            images=images
                            on_cancel=cancel
                            on_retry=send
                            on_discard=discard
                        />
                    </For>
                </ul>
                <div class="attachment-pick">
                    <input
                        id=id
                        class="attachment-input"
                        type="file"
                        accept=ACCEPT
                        multiple=multiple
                        aria-describedby=described_by(id)
                        aria-invalid=move || invalid().to_string()
                        on:change=on_pick
                    />
                    <label for=id class="button button-secondary attachment-button" aria-hidden="true">
                        {pick_label}
                    </label>
                    <span class="attachment-formats">
                        {move || t_string!(i18n, attachment.formats).to_string()}
                        <span class="attachment-drop-hint">
                            " " {move || t_string!(i18n, attachment.drop_here).to_string()}
                        </span>
                    </span>
                </div>
            </div>
        </div>
    }
}

fn files_of(list: web_sys::FileList) -> Vec<File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// The id of the element naming one item, for its buttons' `aria-describedby`.
fn item_name_id(field_id: &str, item: &str) -> String {
    format!("{field_id}-item-{item}")
}

/// The image of an item, as a button that shows it larger (and smaller again).
#[component]
fn Preview(#[prop(into)] url: Signal<Option<String>>, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let large = RwSignal::new(false);
    let alt = StoredValue::new(name);
    view! {
        <Show
            when=move || url.with(Option::is_some)
            fallback=|| view! { <span class="attachment-preview attachment-preview-placeholder" aria-hidden="true"></span> }
        >
            <button
                type="button"
                class="attachment-preview"
                class:attachment-preview-large=move || large.get()
                aria-expanded=move || large.get().to_string()
                title=move || {
                    if large.get() {
                        t_string!(i18n, attachment.close_preview).to_string()
                    } else {
                        t_string!(i18n, attachment.enlarge).to_string()
                    }
                }
                on:click=move |_| large.update(|l| *l = !*l)
            >
                <img
                    src=move || url.get().unwrap_or_default()
                    alt=move || t_string!(i18n, attachment.preview_alt, name = alt.get_value()).to_string()
                />
            </button>
        </Show>
    }
}

#[component]
fn StoredRow(
    field_id: &'static str,
    upload: StoredUpload,
    previews: Previews,
    thumbnails: StoredValue<(
        Api,
        impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
    )>,
    on_remove: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let name_id = item_name_id(field_id, &upload.upload_id);
    let upload_id = upload.upload_id.clone();
    let known = previews.with_value(|p| p.get(&upload_id).map(|u| u.as_str().to_string()));
    let preview = RwSignal::new(known.clone());
    let thumbnail_failed = RwSignal::new(false);
    if known.is_none() {
        // Restored from the draft: the stored image, fetched with the token.
        let (api, token) = thumbnails.get_value();
        if let Some(token) = token() {
            let upload_id = upload_id.clone();
            spawn_local(async move {
                match fetch_thumbnail(&api, &token, &upload_id).await {
                    Ok(blob) => {
                        if let Some(url) = ObjectUrl::new(&blob) {
                            let shown = url.as_str().to_string();
                            if previews
                                .try_update_value(|p| p.insert(upload_id.clone(), url))
                                .is_some()
                            {
                                preview.try_set(Some(shown));
                            }
                        }
                    }
                    Err(_) => {
                        thumbnail_failed.try_set(true);
                    }
                }
            });
        }
    }
    view! {
        <li class="attachment-item attachment-item-done">
            <Preview url=preview name=upload.file_name.clone() />
            <div class="attachment-body">
                <p class="attachment-name" id=name_id.clone()>{upload.file_name.clone()}</p>
                <p class="attachment-meta">
                    <span class="attachment-size">{format_size(upload.bytes)}</span>
                    " · "
                    <span class="attachment-done">{move || t_string!(i18n, attachment.uploaded).to_string()}</span>
                </p>
                <p class="attachment-status" hidden=move || !thumbnail_failed.get()>
                    {move || t_string!(i18n, attachment.thumbnail_failed).to_string()}
                </p>
            </div>
            <div class="attachment-actions">
                <button
                    type="button"
                    class="button button-secondary attachment-remove"
                    aria-describedby=name_id
                    on:click=move |_| on_remove(upload_id.clone())
                >
                    {move || t_string!(i18n, attachment.remove).to_string()}
                </button>
            </div>
        </li>
    }
}

#[component]
fn PendingRow(
    field_id: &'static str,
    item: Pending,
    images: StoredValue<ImageConfig>,
    on_cancel: impl Fn(u64) + Copy + Send + Sync + 'static,
    on_retry: impl Fn(u64) + Copy + Send + Sync + 'static,
    on_discard: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = item.key;
    let name_id = item_name_id(field_id, &format!("pending-{key}"));
    let status = item.status;
    let sent = item.sent;
    let original_bytes = item.original_bytes;
    let stored_item = StoredValue::new(item.clone());
    let failure = move || match status.get() {
        Status::Failed(error) => Some(error),
        _ => None,
    };
    let percent = move || match status.get() {
        Status::Uploading(percent) => percent,
        _ => None,
    };
    let uploading = move || matches!(status.get(), Status::Uploading(_));
    let preparing = move || matches!(status.get(), Status::Preparing);
    let stuck = move || matches!(status.get(), Status::Failed(_) | Status::Cancelled);
    let status_text = move || match status.get() {
        Status::Preparing => t_string!(i18n, attachment.preparing).to_string(),
        Status::Uploading(Some(percent)) => {
            t_string!(i18n, attachment.uploading, percent).to_string()
        }
        Status::Uploading(None) => t_string!(i18n, attachment.uploading_unknown).to_string(),
        Status::Cancelled => t_string!(i18n, attachment.cancelled).to_string(),
        Status::Failed(_) => String::new(),
    };
    let size_text = move || match sent.get() {
        Some(s) if s.reencoded && s.bytes < original_bytes => {
            let original = format_size(original_bytes);
            let size = format_size(s.bytes);
            t_string!(i18n, attachment.shrunk, original, size).to_string()
        }
        Some(s) => format_size(s.bytes),
        None => format_size(original_bytes),
    };
    let verify_href = format!("{}/personal/identity", router_base());
    let (cancel_for, retry_for, remove_for) = (name_id.clone(), name_id.clone(), name_id.clone());

    view! {
        <li
            class="attachment-item"
            class:attachment-item-failed=move || failure().is_some()
            aria-busy=move || preparing().to_string()
        >
            <Preview url=item.preview name=item.name.clone() />
            <div class="attachment-body">
                <p class="attachment-name" id=name_id>{item.name.clone()}</p>
                <p class="attachment-meta">
                    <span class="attachment-size">{size_text}</span>
                </p>
                <Show when=uploading>
                    <progress
                        class="attachment-progress"
                        max="100"
                        value=move || percent().map(|p| p.to_string())
                        aria-label=move || t_string!(i18n, attachment.progress_label).to_string()
                    ></progress>
                </Show>
                <p class="attachment-status" hidden=move || failure().is_some()>
                    // Decoding and shrinking a large photo takes a moment on a phone: a spinner beside the text.
                    <Show when=preparing>
                        <span class="attachment-spinner" aria-hidden="true"></span>
                    </Show>
                    {status_text}
                </p>
                <p class="attachment-failure" role="alert" hidden=move || failure().is_none()>
                    {move || {
                        failure()
                            .map(|error| {
                                upload_error_message(
                                    i18n,
                                    &error,
                                    &stored_item.with_value(Pending::facts),
                                    &images.get_value(),
                                )
                            })
                    }}
                    <Show when=move || failure().is_some_and(|e| is_token_error(&e))>
                        " "
                        <a href=verify_href.clone()>{move || t_string!(i18n, attachment.verify_again).to_string()}</a>
                    </Show>
                </p>
            </div>
            <div class="attachment-actions">
                <Show when=uploading>
                    <button
                        type="button"
                        class="button button-secondary attachment-cancel"
                        aria-describedby=cancel_for.clone()
                        on:click=move |_| on_cancel(key)
                    >
                        {move || t_string!(i18n, attachment.cancel).to_string()}
                    </button>
                </Show>
                <Show when=stuck>
                    <button
                        type="button"
                        class="button button-primary attachment-retry"
                        aria-describedby=retry_for.clone()
                        on:click=move |_| on_retry(key)
                    >
                        {move || t_string!(i18n, attachment.retry).to_string()}
                    </button>
                    <button
                        type="button"
                        class="button button-secondary attachment-remove"
                        aria-describedby=remove_for.clone()
                        on:click=move |_| on_discard(key)
                    >
                        {move || t_string!(i18n, attachment.remove).to_string()}
                    </button>
                </Show>
            </div>
        </li>
    }
}
