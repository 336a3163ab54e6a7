//! When the wizard moves to another page, the focus moves to that page's heading: a screen reader reads the new
//! page from its title, and Tab starts from its top rather than from wherever the old page's button was. Not on
//! the first page the investor opens, and not where the address names a field (`#id`): the check-answers page's
//! 修改 links focus that field ([`crate::components::error_summary::focus_fragment_field`]).

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

/// Frames to wait for the new page's heading (a page behind the test gate appears once its check is done).
const FRAMES: u32 = 30;

/// Placed inside the router.
#[component]
pub fn FocusOnNewPage() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        let moved = previous.is_some_and(|previous| previous != path);
        if moved && location.hash.get_untracked().is_empty() {
            focus_heading(FRAMES);
        }
        path
    });
}

/// Focuses the page's `<h1>` once it is in the document (after the next frame: the new page has replaced the old
/// one by then).
fn focus_heading(frames_left: u32) {
    request_animation_frame(move || {
        let heading = crate::mount::query("main h1")
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        match heading {
            Some(heading) => {
                // Focusable by script only, not a Tab stop.
                let _ = heading.set_attribute("tabindex", "-1");
                let _ = heading.focus();
            }
            None if frames_left > 0 => focus_heading(frames_left - 1),
            None => {}
        }
    });
}
