//! The investor's language choice, remembered in `localStorage` across visits.

use crate::i18n::Locale;
use leptos_i18n::Locale as _;
use std::str::FromStr;

const STORAGE_KEY: &str = "hbets-kaihu.locale";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The language chosen on an earlier visit, if any.
pub fn stored_locale() -> Option<Locale> {
    let value = local_storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    Locale::from_str(&value).ok()
}

/// Remembers the language the investor chose.
pub fn store_locale(locale: Locale) {
    if let Some(storage) = local_storage() {
        // A full or disabled storage (private mode) only means the choice is not remembered.
        let _ = storage.set_item(STORAGE_KEY, locale.as_str());
    }
}
