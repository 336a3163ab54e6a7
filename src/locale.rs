//! The investor's language choice, remembered in `localStorage` across visits.
//!
//! The choice is read once at start and written when the investor switches, so it goes through web-sys's
//! `Storage` directly: leptos-use's `use_local_storage` (a signal, a codec and a listener for other tabs, used by
//! the draft and the status pages) put 5.7 KB (brotli) into the first download for this one string.

use crate::i18n::Locale;
use leptos::prelude::window;
use leptos_i18n::Locale as _;

/// Also named in index.html's start-up script (the written entry page's language switch), checked by a test.
const STORAGE_KEY: &str = "hbets-kaihu.locale";

/// The language chosen on an earlier visit; `None` before any choice, or where storage is disabled.
pub fn stored_locale() -> Option<Locale> {
    local_storage()?.get_item(STORAGE_KEY).ok()??.parse().ok()
}

/// Remembers a new choice. A full or disabled storage (private mode) only means the choice is not remembered.
pub fn remember_locale(locale: Locale) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(STORAGE_KEY, locale.as_str());
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::STORAGE_KEY;

    /// index.html's start-up script remembers a choice made on the written entry page before the app has loaded
    /// (it cannot import this constant): it must use the same key, or the app would not see that choice.
    #[test]
    fn the_written_entry_page_remembers_the_choice_under_the_same_key() {
        let index = include_str!("../index.html");
        let expected = format!("var key = '{STORAGE_KEY}';");
        assert!(
            index.contains(&expected),
            "index.html should name the language key as `{expected}`"
        );
    }
}
