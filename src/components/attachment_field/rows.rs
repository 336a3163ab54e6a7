//! The rows of an attachment field: each stored image and each file on its way.

use super::messages::{format_size, upload_error_message};
use super::queue::{Pending, Queue, Status};
use crate::api::Api;
use crate::config::use_config;
use crate::i18n::*;
use crate::image::object_url::ObjectUrl;
use crate::image::thumbnail::fetch_thumbnail;
use crate::routes::Page;
use crate::upload::StoredUpload;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What a button of a row does.
#[derive(Clone, Copy)]
enum Action {
    Cancel,
    Retry,
    Remove,
}

/// A button of a row, described by the item's name (`name_id`).
fn action(
    name_id: &str,
    class: &'static str,
    action: Action,
    run: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = move || match action {
        Action::Cancel => t_string!(i18n, attachment.cancel),
        Action::Retry => t_string!(i18n, attachment.retry),
        Action::Remove => t_string!(i18n, attachment.remove),
    };
    view! {
        <button type="button" class=format!("button {class}") aria-describedby=name_id.to_string() on:click=move |_| run()>
            {label}
        </button>
    }
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

/// An image the backend stored: its preview (or the thumbnail fetched after a reload), name, size, 删除.
#[component]
pub(super) fn StoredRow(
    field_id: String,
    upload: StoredUpload,
    queue: Queue,
    on_remove: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let previews = queue.previews;
    let name_id = item_name_id(&field_id, &upload.upload_id);
    let upload_id = upload.upload_id.clone();
    let known = previews.with_value(|p| p.get(&upload_id).map(|u| u.as_str().to_string()));
    let preview = RwSignal::new(known.clone());
    let thumbnail_failed = RwSignal::new(false);
    if known.is_none() {
        // Restored from the draft: the stored image, fetched with the token.
        let api = Api::new(&use_config().api_base_url);
        if let Some(token) = queue.token() {
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
                {action(&name_id, "button-secondary attachment-remove", Action::Remove, move || on_remove(upload_id.clone()))}
            </div>
        </li>
    }
}

/// A picked file on its way, or stuck: preview, size (and what shrinking saved), progress, 取消 / 重试 / 删除.
#[component]
pub(super) fn PendingRow(field_id: String, item: Pending, queue: Queue) -> impl IntoView {
    let i18n = use_i18n();
    let images = queue.images;
    let key = item.key;
    let name_id = item_name_id(&field_id, &format!("pending-{key}"));
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
    let verify_href = Page::Identity.href();
    let actions_for = StoredValue::new(name_id.clone());

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
                    <Show when=move || failure().is_some_and(|e| e.needs_new_verification())>
                        " "
                        <a href=verify_href.clone()>{move || t_string!(i18n, attachment.verify_again).to_string()}</a>
                    </Show>
                </p>
            </div>
            <div class="attachment-actions">
                <Show when=uploading>
                    {action(&actions_for.get_value(), "button-secondary attachment-cancel", Action::Cancel, move || queue.cancel(key))}
                </Show>
                <Show when=stuck>
                    {action(&actions_for.get_value(), "button-primary attachment-retry", Action::Retry, move || queue.send(key))}
                    {action(&actions_for.get_value(), "button-secondary attachment-remove", Action::Remove, move || queue.discard(key))}
                </Show>
            </div>
        </li>
    }
}
