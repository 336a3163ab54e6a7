//! A value the investor needs in another app — the fee account, the payee, the remark, the receipt e-mail's
//! address, subject and body — shown with a button that copies it and says so. Where the page has no clipboard
//! or the browser refuses it (older WeChat, plain http), the value is selected on screen and the investor is
//! told how to copy it by hand.
//!
//! Hand-written on web-sys rather than leptos-use's `use_clipboard`: that hook does not report a refused
//! write, and the fallback depends on knowing it.

use crate::i18n::*;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// What the last press of the button did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Outcome {
    #[default]
    Idle,
    Copied,
    /// Not copied: the text is selected, to be copied by hand.
    Selected,
}

/// How long "已复制" stays.
const CONFIRMATION: Duration = Duration::from_secs(4);

/// Writes `text` with the asynchronous Clipboard API; `false` where there is none or it was refused.
async fn write_clipboard(text: &str) -> bool {
    let navigator = window().navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .map(|c| !c.is_undefined() && !c.is_null())
        .unwrap_or(false);
    if !has_clipboard {
        return false;
    }
    JsFuture::from(navigator.clipboard().write_text(text))
        .await
        .is_ok()
}

/// Selects the element's text, so that it can be copied by hand (and by `execCommand`).
fn select(element: &web_sys::HtmlElement) -> bool {
    let Ok(range) = document().create_range() else {
        return false;
    };
    if range.select_node_contents(element).is_err() {
        return false;
    }
    let Some(selection) = window().get_selection().ok().flatten() else {
        return false;
    };
    selection.remove_all_ranges().is_ok() && selection.add_range(&range).is_ok()
}

/// The older copy command, on the selected text: still the only one in some in-app browsers.
fn copy_selection() -> bool {
    document()
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false)
}

/// One row of a `<dl>`: the label, the value and its copy button.
#[component]
pub fn CopyValue(
    /// Id of the value's element; the button is described by it.
    #[prop(into)]
    id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: Signal<String>,
    /// A value of several lines (an e-mail body).
    #[prop(optional)]
    multiline: bool,
    /// What is shown instead of the value (an ID number masked), until the value must be selected to be
    /// copied by hand.
    #[prop(optional, into)]
    display: Option<Signal<String>>,
    /// The state to start in, as if the button had been pressed (the styleguide shows each).
    #[prop(optional)]
    initial: Outcome,
) -> impl IntoView {
    let i18n = use_i18n();
    let text_ref = NodeRef::<html::Span>::new();
    let outcome = RwSignal::new(initial);
    let presses = StoredValue::new(0u32);

    // The whole value is shown once it has to be selected (the display may hide part of it).
    let revealed = RwSignal::new(initial == Outcome::Selected);
    let confirm = move || {
        outcome.try_set(Outcome::Copied);
        let press = presses.get_value();
        set_timeout(
            move || {
                if presses.try_get_value() == Some(press) {
                    outcome.try_set(Outcome::Idle);
                }
            },
            CONFIRMATION,
        );
    };
    let copy = move |_| {
        let text = value.get_untracked();
        presses.update_value(|n| *n += 1);
        spawn_local(async move {
            if write_clipboard(&text).await {
                confirm();
                return;
            }
            revealed.set(true);
            // Selected once the whole value is in the page; copied with the older command where it works.
            request_animation_frame(move || {
                let selected = text_ref.get_untracked().is_some_and(|e| select(&e));
                if selected && copy_selection() {
                    confirm();
                } else {
                    outcome.try_set(Outcome::Selected);
                }
            });
        });
    };
    let feedback = move || match outcome.get() {
        Outcome::Idle => None,
        Outcome::Copied => Some(t_string!(i18n, copy.copied).to_string()),
        Outcome::Selected => Some(t_string!(i18n, copy.by_hand).to_string()),
    };
    let label_id = format!("{id}-label");
    let described = format!("{label_id} {id}");
    view! {
        <div class="copy-value" class:copy-value-multiline=multiline>
            <dt id=label_id>{label}</dt>
            <dd>
                <span class="copy-value-text" id=id node_ref=text_ref>
                    {move || match display {
                        Some(display) if !revealed.get() => display.get(),
                        _ => value.get(),
                    }}
                </span>
                <button type="button" class="button button-secondary button-small copy-value-button" aria-describedby=described on:click=copy>
                    {move || t_string!(i18n, copy.button).to_string()}
                </button>
                <span
                    class="copy-value-feedback"
                    class:copy-value-by-hand=move || outcome.get() == Outcome::Selected
                    role="status"
                >
                    {feedback}
                </span>
            </dd>
        </div>
    }
}
