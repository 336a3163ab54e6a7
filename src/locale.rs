//! The investor's language choice, remembered in `localStorage` across visits.

use crate::i18n::Locale;
use codee::string::FromToStringCodec;
use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_use::storage::use_local_storage;
use std::str::FromStr;

const STORAGE_KEY: &str = "hbets-kaihu.locale";

/// The language chosen on an earlier visit (`None` before any choice), and the writer that remembers a new
/// choice. A full or disabled storage (private mode) only means the choice is not remembered.
pub fn use_stored_locale() -> (Signal<Option<Locale>>, impl Fn(Locale) + Copy) {
    let (stored, store, _) = use_local_storage::<String, FromToStringCodec>(STORAGE_KEY);
    let locale = Signal::derive(move || stored.with(|code| Locale::from_str(code).ok()));
    (locale, move |locale: Locale| {
        store.set(locale.as_str().to_string())
    })
}
