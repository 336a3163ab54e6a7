//! One agreement of the account page (入市协议书, 投资人须知, 风险提示书): a checkbox that starts unticked and
//! disabled, and the agreement's full text in a modal `<dialog>`. 同意 becomes active once the text was scrolled
//! to its end; it records the version and the times and ticks the box. The text is fetched from the URL in the
//! config and shown as plain text, paragraph by paragraph: never as HTML.
//!
//! The box is `aria-disabled` rather than `disabled` so that it stays focusable: the error summary links to
//! it, and a click on it (or Space) opens the agreement instead of ticking it.

use crate::clock::now_rfc3339;
use crate::components::field::described_by;
use crate::components::paragraphs::{paragraph_views, text_paragraphs};
use crate::draft::AgreementRecord;
use crate::i18n::*;
use domain::config::AgreementDocument;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;
use wasm_bindgen::JsCast;

mod focus_trap;
mod text;

use focus_trap::keep_tab_inside;
use text::TextState;

/// What opened the dialog, to give the focus back to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opener {
    TitleButton,
    Checkbox,
}

/// How close to the end (in CSS pixels) counts as the end: scroll positions are rounded under zoom.
const END_TOLERANCE_PX: i32 = 4;

#[component]
pub fn AgreementField(
    /// Id of the checkbox (error summaries link to it), e.g. `account-agreement-market_entry`.
    #[prop(into)]
    id: String,
    agreement: AgreementDocument,
    /// The record kept in the draft; a record of another version than `agreement.version` counts as unread.
    #[prop(into)]
    record: Signal<Option<AgreementRecord>>,
    /// Called with the new record when the text was read to its end, on 同意, and when the box is (un)ticked.
    on_change: Callback<Option<AgreementRecord>>,
    /// The message to show, already in the investor's language; `None` shows no error.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let agreement = StoredValue::new(agreement);
    let version = agreement.with_value(|a| a.version.clone());

    let dialog_ref = NodeRef::<html::Dialog>::new();
    let text_ref = NodeRef::<html::Div>::new();
    let box_ref = NodeRef::<html::Input>::new();
    let title_button_ref = NodeRef::<html::Button>::new();

    let open = RwSignal::new(false);
    let state = RwSignal::new(TextState::NotLoaded);
    // Reached the end of the text in the dialog as opened now.
    let reached_end = RwSignal::new(false);
    let opener = StoredValue::new(Opener::TitleButton);
    let session_opened_at = StoredValue::new(String::new());

    let read = move || {
        record.with(|r| {
            r.as_ref()
                .is_some_and(|r| agreement.with_value(|a| r.is_read(a)))
        })
    };
    let read_untracked = move || {
        record.with_untracked(|r| {
            r.as_ref()
                .is_some_and(|r| agreement.with_value(|a| r.is_read(a)))
        })
    };
    let ticked = move || {
        record.with(|r| {
            r.as_ref()
                .is_some_and(|r| agreement.with_value(|a| r.is_agreed(a)))
        })
    };
    let can_agree = move || reached_end.get() || read();

    let title = move || {
        let locale = i18n.get_locale();
        agreement.with_value(|a| a.title.get(locale.as_str()).to_string())
    };
    let quoted_title = move || t_string!(i18n, agreement.quoted_title, title = title()).to_string();
    // Absolute since the configuration was loaded (`crate::config::resolve_urls`).
    let text_url = move || {
        let locale = i18n.get_locale_untracked();
        agreement.with_value(|a| a.url.get(locale.as_str()).to_string())
    };

    // Records the first reading to the end (the box becomes available) and enables 同意.
    let check_end = move || {
        let loaded = state
            .try_with_untracked(|s| matches!(s, TextState::Loaded { .. }))
            .unwrap_or(false);
        if !loaded || !open.try_get_untracked().unwrap_or(false) {
            return;
        }
        let Some(text) = text_ref.try_get_untracked().flatten() else {
            return;
        };
        if text.client_height() <= 0 {
            return;
        }
        let remaining = text.scroll_height() - text.scroll_top() - text.client_height();
        if remaining > END_TOLERANCE_PX {
            return;
        }
        if !reached_end.get_untracked() {
            reached_end.set(true);
        }
        if !read_untracked() {
            on_change.run(Some(AgreementRecord {
                version: agreement.with_value(|a| a.version.clone()),
                opened_at: session_opened_at.get_value(),
                agreed_at: None,
            }));
        }
    };

    let load = move |url: String| {
        state.set(TextState::Loading(url.clone()));
        spawn_local(async move {
            let result = crate::api::fetch_text(&url).await;
            let current = state
                .try_with_untracked(|s| matches!(s, TextState::Loading(u) if *u == url))
                .unwrap_or(false);
            if !current {
                return;
            }
            let next = match result {
                Ok(text) => TextState::Loaded {
                    url,
                    paragraphs: text_paragraphs(&text),
                },
                Err(_) => TextState::Failed(url),
            };
            if state.try_set(next).is_none() {
                // The text may fit without scrolling: look once it is laid out.
                set_timeout(check_end, Duration::ZERO);
            }
        });
    };

    let open_dialog = move |from: Opener| {
        let Some(dialog) = dialog_ref.get_untracked() else {
            return;
        };
        if dialog.open() {
            return;
        }
        opener.set_value(from);
        session_opened_at.set_value(now_rfc3339());
        reached_end.set(false);
        let url = text_url();
        if !state.with_untracked(|s| s.covers(&url)) {
            load(url);
        }
        if dialog.show_modal().is_err() {
            return;
        }
        open.set(true);
        if let Some(text) = text_ref.get_untracked() {
            text.set_scroll_top(0);
            let _ = text.focus();
        }
        check_end();
    };

    // Runs for every way of closing: 关闭, 同意, Esc, and the browser's own close requests.
    let after_close = move || {
        if !open.try_get_untracked().unwrap_or(false) {
            return;
        }
        open.set(false);
        let target: Option<web_sys::HtmlElement> = match opener.get_value() {
            Opener::TitleButton => title_button_ref.get_untracked().map(|b| b.unchecked_into()),
            Opener::Checkbox => box_ref.get_untracked().map(|b| b.unchecked_into()),
        };
        if let Some(target) = target.filter(|t| t.is_connected()) {
            let _ = target.focus();
        }
    };
    let close_dialog = move || {
        if let Some(dialog) = dialog_ref.get_untracked() {
            if dialog.open() {
                dialog.close();
            }
        }
        after_close();
    };

    let agree = move |_| {
        if !(reached_end.get_untracked() || read_untracked()) {
            return;
        }
        let opened_at = record
            .with_untracked(|r| {
                r.as_ref()
                    .filter(|r| agreement.with_value(|a| r.is_read(a)))
                    .map(|r| r.opened_at.clone())
            })
            .unwrap_or_else(|| session_opened_at.get_value());
        on_change.run(Some(AgreementRecord {
            version: agreement.with_value(|a| a.version.clone()),
            opened_at,
            agreed_at: Some(now_rfc3339()),
        }));
        close_dialog();
    };

    let retry = move |_| {
        load(text_url());
        if let Some(text) = text_ref.get_untracked() {
            let _ = text.focus();
        }
    };

    // Esc closes (also handled through `cancel`); Tab and Shift+Tab go round inside the dialog.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            close_dialog();
        }
        "Tab" => {
            if let Some(dialog) = dialog_ref.get_untracked() {
                keep_tab_inside(&dialog, &ev);
            }
        }
        _ => {}
    };

    // A bigger window (rotation, zoom) may show the rest of the text without scrolling.
    let resize = window_event_listener(leptos::ev::resize, move |_| check_end());
    on_cleanup(move || resize.remove());

    let box_id = id.clone();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let dialog_id = format!("{id}-dialog");
    let dialog_title_id = format!("{id}-dialog-title");
    let scroll_hint_id = format!("{id}-dialog-hint");

    let text_view = move || match state.get() {
        TextState::Loaded { paragraphs, .. } => paragraph_views(paragraphs).into_any(),
        TextState::Failed(_) => view! {
            <div class="agreement-load-failed" role="alert">
                <p>{t!(i18n, agreement.load_failed)}</p>
                <button type="button" class="button button-secondary" on:click=retry>
                    {t!(i18n, agreement.retry)}
                </button>
            </div>
        }
        .into_any(),
        TextState::NotLoaded | TextState::Loading(_) => view! {
            <p class="agreement-loading" role="status">{t!(i18n, agreement.loading)}</p>
        }
        .into_any(),
    };

    view! {
        <div class="field agreement-field" class:field-invalid=move || error.with(Option::is_some)>
            <p class="field-error" id=error_id hidden=move || error.with(Option::is_none)>
                {move || error.get()}
            </p>
            <div class="checkbox agreement-row">
                <input
                    id=box_id.clone()
                    type="checkbox"
                    node_ref=box_ref
                    aria-disabled=move || (!read()).then_some("true")
                    aria-describedby=described_by(&id)
                    prop:checked=ticked
                    on:click=move |ev| {
                        if !read_untracked() {
                            ev.prevent_default();
                            open_dialog(Opener::Checkbox);
                        }
                    }
                    on:change:target=move |ev| {
                        if !read_untracked() {
                            return;
                        }
                        let checked = ev.target().checked();
                        let current = record.get_untracked();
                        let opened_at = current.map(|r| r.opened_at).unwrap_or_default();
                        on_change
                            .run(
                                Some(AgreementRecord {
                                    version: agreement.with_value(|a| a.version.clone()),
                                    opened_at,
                                    agreed_at: checked.then(now_rfc3339),
                                }),
                            );
                    }
                />
                <label for=box_id.clone()>
                    {t!(i18n, agreement.agree_prefix)}
                    <button
                        type="button"
                        class="agreement-open"
                        node_ref=title_button_ref
                        aria-haspopup="dialog"
                        aria-controls=dialog_id.clone()
                        on:click=move |_| open_dialog(Opener::TitleButton)
                    >
                        {quoted_title}
                    </button>
                </label>
            </div>
            <p class="field-hint agreement-hint" id=hint_id>
                {move || (!read()).then_some(t!(i18n, agreement.open_hint))}
            </p>
            <dialog
                id=dialog_id
                class="agreement-dialog"
                aria-labelledby=dialog_title_id.clone()
                node_ref=dialog_ref
                on:cancel=move |ev: web_sys::Event| {
                    ev.prevent_default();
                    close_dialog();
                }
                on:close=move |_| {
                    // A late `close` of an earlier closing must not undo a reopening.
                    if !dialog_ref.get_untracked().is_some_and(|d| d.open()) {
                        after_close();
                    }
                }
                on:keydown=on_keydown
            >
                <div class="agreement-dialog-header">
                    <h2 id=dialog_title_id.clone()>{quoted_title}</h2>
                    <p class="agreement-version">
                        {move || t_string!(i18n, agreement.version, version = version.clone()).to_string()}
                    </p>
                </div>
                <div
                    class="agreement-text"
                    tabindex="0"
                    role="region"
                    aria-label=move || t_string!(i18n, agreement.text_label, title = title()).to_string()
                    node_ref=text_ref
                    on:scroll=move |_| check_end()
                >
                    {text_view}
                </div>
                <p class="agreement-scroll-hint" id=scroll_hint_id.clone() aria-live="polite">
                    {move || {
                        if can_agree() {
                            t!(i18n, agreement.read_to_end).into_any()
                        } else {
                            t!(i18n, agreement.scroll_hint).into_any()
                        }
                    }}
                </p>
                <div class="agreement-actions">
                    <button
                        type="button"
                        class="button button-primary agreement-agree"
                        disabled=move || !can_agree()
                        aria-describedby=scroll_hint_id.clone()
                        on:click=agree
                    >
                        {t!(i18n, agreement.agree)}
                    </button>
                    <button
                        type="button"
                        class="button button-secondary agreement-close"
                        on:click=move |_| close_dialog()
                    >
                        {t!(i18n, agreement.close)}
                    </button>
                </div>
            </dialog>
        </div>
    }
}
