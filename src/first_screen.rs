//! The entry page written into `index.html` as plain HTML: painted before the app has loaded, so that a phone on
//! a slow network shows the page at once (its links work as plain links; its language switch remembers the choice,
//! which the app's entry page then shows). The app removes it once it shows a
//! page of its own: its entry page ([`crate::pages::entry`]), or the error page of a configuration that did not
//! load; a press on the written page under way (a tap, a click) ends on it first, and index.html removes it then.
//! Until then `style/standalone.css` keeps the app hidden under it.

use crate::tasks::each_frame_until;

/// The `id` of the written page in `index.html`.
pub const ID: &str = "first-screen";

/// Set by index.html on the written page while a press on it (a tap, a click) lasts.
const PRESSED: &str = "data-pressed";
/// Set here on the written page when the app takes over during a press: index.html removes the page once the
/// press is over, so that the press ends where it began (removed under the finger, the page would lose the tap).
const TAKEN_OVER: &str = "data-taken-over";

/// Frames to wait for index.html to remove the written page after a press, about ten seconds at the most.
const FRAMES: u32 = 600;

/// Removes the written page, if the document has it (another address or language, or an embedding page, has
/// none), then runs `then`: at once, or, during a press on the page, once index.html has removed it (a language
/// chosen by that press is then remembered).
pub fn take_over(then: impl Fn() + 'static) {
    let Some(page) = leptos::prelude::document().get_element_by_id(ID) else {
        return;
    };
    if !page.has_attribute(PRESSED) {
        page.remove();
        then();
        return;
    }
    let _ = page.set_attribute(TAKEN_OVER, "");
    each_frame_until(FRAMES, move || {
        let gone = !page.is_connected();
        if gone {
            then();
        }
        gone
    });
}

#[cfg(test)]
mod tests {
    use super::{PRESSED, TAKEN_OVER};

    /// index.html's start-up script marks a press and removes the page the app took over during it: it must
    /// name the same attributes.
    #[test]
    fn the_written_page_and_the_app_name_the_same_attributes() {
        let index = include_str!("../index.html");
        for attribute in [PRESSED, TAKEN_OVER] {
            assert!(
                index.contains(&format!("'{attribute}'")),
                "index.html does not name `{attribute}`"
            );
        }
    }
}
