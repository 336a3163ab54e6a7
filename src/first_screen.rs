//! The entry page written into `index.html` as plain HTML: painted before the app has loaded, so that a phone on
//! a slow network shows the page at once (its links work as plain links; its language switch remembers the choice,
//! which the app's entry page then shows). The app removes it once it shows a
//! page of its own: its entry page ([`crate::pages::entry`]), or the error page of a configuration that did not
//! load. Until then `style/standalone.css` keeps the app hidden under it.

/// The `id` of the written page in `index.html`.
pub const ID: &str = "first-screen";

/// Removes the written page, if the document has it (another address or language, or an embedding page, has
/// none): whether it had.
pub fn take_over() -> bool {
    let page = leptos::prelude::document().get_element_by_id(ID);
    if let Some(page) = &page {
        page.remove();
    }
    page.is_some()
}
