//! One attachment field (身份证人像面, 国徽面, 资产证明…): pick, photograph or drop images, each judged by its bytes
//! with the domain crate's rules before anything else happens, then prepared by the image pipeline (upright,
//! shrunk, without metadata; see [`crate::image`]), previewed, and uploaded at once with a progress bar,
//! cancellable and retried with the prepared file kept in memory. The field shows what the draft holds
//! (`uploads`, with thumbnails fetched from the backend after a reload) and reports the new list through
//! `on_change` after an upload finished or a removal; the page keeps it in the draft.
//!
//! Parts: [`queue`] (the files on their way and their states), [`rows`] (one row per image), [`messages`]
//! (what is said about a file). Needs the i18n, configuration ([`crate::config::ConfigState`]) and draft
//! ([`crate::draft::DraftContext`]) contexts: the verification token in the draft is the upload's bearer
//! credential.

mod messages;
mod queue;
mod rows;

pub use messages::{format_size, refusal_message, rule_message, upload_error_message, FileFacts};

use crate::components::error_summary::focus_element;
use crate::components::field::described_by;
use crate::i18n::*;
use crate::upload::{StoredUpload, UploadTarget};
use domain::api::UploadKind;
use leptos::prelude::*;
use queue::Queue;
use rows::{PendingRow, StoredRow};
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};

/// A file shown on its way without being there: its name, its size and where it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub name: String,
    pub bytes: u64,
    pub state: SampleState,
}

/// Where a [`Sample`] stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleState {
    /// Being decoded and shrunk.
    Preparing,
    /// This many percent sent.
    Uploading(u32),
    /// The upload failed for want of a network.
    Failed,
}

impl From<SampleState> for queue::Status {
    fn from(state: SampleState) -> queue::Status {
        match state {
            SampleState::Preparing => queue::Status::Preparing,
            SampleState::Uploading(percent) => queue::Status::Uploading(Some(percent)),
            SampleState::Failed => {
                queue::Status::Failed(crate::api::ApiError::Network("styleguide sample".into()))
            }
        }
    }
}

/// What the file dialog offers: the three accepted formats. No `capture` attribute, so phones offer the
/// camera and the gallery alike.
pub const ACCEPT: &str = "image/jpeg,image/png,image/gif,.jpg,.jpeg,.png,.gif";

#[component]
pub fn AttachmentField(
    /// Id of the file input; the error summary links here.
    #[prop(into)]
    id: String,
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
    /// Where the images go, asked at each upload (`None`: no credential); by default the application's
    /// uploads with the verification token of the draft.
    #[prop(optional)]
    target: Option<Callback<(), Option<UploadTarget>>>,
    /// A file to show on its way, without a file or a network (the styleguide's states).
    #[prop(optional_no_strip)]
    sample: Option<Sample>,
    /// Set while a picked image is being prepared or sent, so that the page says "wait" rather than "missing".
    #[prop(optional)]
    busy: Option<RwSignal<bool>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let queue = Queue::new(kind, target, multiple, uploads, on_change);
    if let Some(sample) = sample {
        queue.show(sample.name, sample.bytes, sample.state.into());
    }
    if let Some(busy) = busy {
        Effect::new(move |_| busy.set(queue.is_busy()));
        on_cleanup(move || {
            busy.try_set(false);
        });
    }
    let dragging = RwSignal::new(false);
    let field_id = StoredValue::new(id.clone());

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
        queue.take(files);
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
            queue.take(files);
        }
    };
    let remove = move |upload_id: String| {
        queue.remove(&upload_id);
        field_id.with_value(|id| focus_element(id));
    };

    // What a screen reader hears, politely, as images go through: being prepared, being sent, stored. Not each
    // step of the progress bar: the text changes only with the stage.
    let announcement = Memo::new(move |_| {
        let (preparing, sending) = queue.pending.with(|pending| {
            pending
                .iter()
                .fold((false, false), |(preparing, sending), item| {
                    item.status.with(|status| {
                        (
                            preparing || matches!(status, queue::Status::Preparing),
                            sending || matches!(status, queue::Status::Uploading(_)),
                        )
                    })
                })
        });
        let stage = if preparing {
            t_string!(i18n, attachment.preparing).to_string()
        } else if sending {
            t_string!(i18n, attachment.uploading_unknown).to_string()
        } else if !uploads.with(Vec::is_empty) {
            t_string!(i18n, attachment.uploaded).to_string()
        } else {
            return String::new();
        };
        let field = label.get();
        t_string!(i18n, attachment.announce, field, stage).to_string()
    });

    // A single image being replaced is hidden while its successor is on its way.
    let shown_uploads = move || {
        if !multiple && !queue.pending.with(Vec::is_empty) {
            Vec::new()
        } else {
            uploads.get()
        }
    };
    // The refusals of the latest pick, else the page's own error; one line each.
    let field_error = Signal::derive(move || {
        let images = queue.images.get_value();
        let own: Vec<String> = queue.refusals.with(|r| {
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
    let has_any = move || !uploads.with(Vec::is_empty) || !queue.pending.with(Vec::is_empty);
    let pick_label = move || {
        if !has_any() {
            t_string!(i18n, attachment.choose).to_string()
        } else if multiple {
            t_string!(i18n, attachment.choose_more).to_string()
        } else {
            t_string!(i18n, attachment.choose_again).to_string()
        }
    };

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
                <label for=id.clone()>{label}</label>
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
                        <StoredRow field_id=field_id.get_value() upload=upload queue=queue on_remove=remove />
                    </For>
                    <For each=move || queue.pending.get() key=|p| p.key let:item>
                        <PendingRow field_id=field_id.get_value() item=item queue=queue />
                    </For>
                </ul>
                <p class="visually-hidden" role="status">{move || announcement.get()}</p>
                <div class="attachment-pick">
                    <input
                        id=id.clone()
                        class="attachment-input"
                        type="file"
                        accept=ACCEPT
                        multiple=multiple
                        aria-describedby=described_by(&id)
                        aria-invalid=move || invalid().to_string()
                        on:change=on_pick
                    />
                    <label for=id.clone() class="button button-secondary attachment-button" aria-hidden="true">
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
