//! Keeps the keyboard inside a modal dialog: Tab past the last control goes to the first, Shift+Tab before the
//! first to the last (also when the focus somehow left the dialog).

use wasm_bindgen::JsCast;

/// Elements of the dialog that Tab moves between.
const FOCUSABLE: &str =
    "button:not([disabled]), [href], input:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";

/// Handles a Tab key press in `dialog`.
pub(super) fn keep_tab_inside(dialog: &web_sys::HtmlDialogElement, ev: &web_sys::KeyboardEvent) {
    let Ok(list) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    let items: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        ev.prevent_default();
        return;
    };
    let active = crate::mount::active_element();
    let is = |e: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == e.unchecked_ref::<web_sys::Element>())
    };
    let inside = active
        .as_ref()
        .is_some_and(|a| dialog.contains(Some(a.unchecked_ref())));
    if ev.shift_key() && (is(first) || !inside) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && (is(last) || !inside) {
        ev.prevent_default();
        let _ = first.focus();
    }
}
