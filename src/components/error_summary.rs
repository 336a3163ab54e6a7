//! The error summary at the top of a form (GOV.UK pattern): it takes focus when errors appear and links to
//! each field at fault; following a link moves the focus into that field.

use crate::i18n::*;
use crate::tasks::each_frame_until;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub use crate::form::ErrorItem;

/// Moves the focus (and the view) to the element with this id.
pub fn focus_element(id: &str) {
    let element = crate::mount::element_by_id(id);
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        element.scroll_into_view();
        let _ = element.focus();
    }
}

/// Focuses the field named in the address's fragment (the 修改 links of the check-answers page, a server
/// error taken back to its field). The page may still be on its way into the document, so this waits for the
/// element for up to a second of frames.
pub fn focus_fragment_field() {
    each_frame_until(60, || {
        let hash = window().location().hash().unwrap_or_default();
        let Some(id) = hash.strip_prefix('#').filter(|id| !id.is_empty()) else {
            return true;
        };
        let there = crate::mount::element_by_id(id).is_some();
        if there {
            focus_element(id);
        }
        there
    });
}

#[component]
pub fn ErrorSummary(
    /// The problems to list; nothing is rendered while empty.
    #[prop(into)]
    errors: Signal<Vec<ErrorItem>>,
    /// Changes each time the form is submitted, so the summary takes the focus again.
    #[prop(into)]
    attempt: Signal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let summary = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        attempt.track();
        if !errors.with(Vec::is_empty) {
            if let Some(element) = summary.get() {
                element.scroll_into_view();
                let _ = element.focus();
            }
        }
    });
    view! {
        <Show when=move || !errors.with(Vec::is_empty)>
            <div
                class="error-summary"
                role="alert"
                tabindex="-1"
                aria-labelledby="error-summary-title"
                node_ref=summary
            >
                <h2 id="error-summary-title">{t!(i18n, error_summary.title)}</h2>
                <ul>
                    <For
                        each=move || errors.get()
                        key=|item| (item.target_id.clone(), item.message.clone())
                        let:item
                    >
                        {
                            let target = item.target_id.clone();
                            view! {
                                <li>
                                    <a
                                        href=format!("#{}", item.target_id)
                                        on:click=move |ev| {
                                            ev.prevent_default();
                                            focus_element(&target);
                                        }
                                    >
                                        {item.message}
                                    </a>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </div>
        </Show>
    }
}
