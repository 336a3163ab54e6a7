//! When the wizard moves to another page, the focus moves to that page's heading: a screen reader reads the new
//! page from its title, and Tab starts from its top rather than from wherever the old page's button was. Not on
//! the first page the investor opens, and not where the address names a field (`#id`): the check-answers page's
//! 修改 links focus that field ([`crate::components::error_summary::focus_fragment_field`]).

use crate::tasks::each_frame_until;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

/// Frames to wait for the new page's heading, about ten seconds: a page whose code or configuration is still on
/// its way over a slow network shows its loading line first, and its heading only once that has come.
const FRAMES: u32 = 600;

/// Placed inside the router.
#[component]
pub fn FocusOnNewPage() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        let moved = previous.is_some_and(|previous| previous != path);
        if moved && location.hash.get_untracked().is_empty() {
            focus_heading(path.clone(), FRAMES);
        }
        path
    });
}

/// Focuses the page's `<h1>` once it is in the document (after the next frame: the new page has replaced the old
/// one by then). Given up when the investor has gone on to another page, or has put the focus somewhere
/// meanwhile (the language switch, say): it is not taken from them.
fn focus_heading(path: String, frames: u32) {
    each_frame_until(frames, move || {
        let still_here = window()
            .location()
            .pathname()
            .is_ok_and(|now| now.ends_with(&path));
        let body: Option<web_sys::Node> = document().body().map(Into::into);
        let focus_is_free =
            crate::mount::active_element().is_none_or(|active| active.is_same_node(body.as_ref()));
        if !still_here || !focus_is_free {
            return true;
        }
        let heading = crate::mount::query("main h1")
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        let Some(heading) = heading else {
            return false;
        };
        // Focusable by script only, not a Tab stop.
        let _ = heading.set_attribute("tabindex", "-1");
        let _ = heading.focus();
        true
    });
}
