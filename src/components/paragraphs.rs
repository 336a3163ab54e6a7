//! Plain texts of the configuration and the agreement files, shown paragraph by paragraph: never as HTML.

use leptos::prelude::*;
use leptos_i18n::Locale as _;

/// Splits a plain text into paragraphs at blank lines; line breaks inside a paragraph are kept
/// (shown by `white-space: pre-line`).
pub fn text_paragraphs(text: &str) -> Vec<String> {
    let text = text
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(line.trim_end());
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

/// One `<p>` per paragraph.
pub fn paragraph_views(paragraphs: Vec<String>) -> impl IntoView {
    paragraphs
        .into_iter()
        .map(|p| view! { <p>{p}</p> })
        .collect_view()
}

/// A localized plain text of the configuration, in the investor's language, paragraph by paragraph.
#[component]
pub fn Paragraphs(text: domain::localized::Localized) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    move || paragraph_views(text_paragraphs(text.get(i18n.get_locale().as_str())))
}
