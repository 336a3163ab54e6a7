//! Switches between 中文 and English; the choice is remembered and `<html lang>` follows it.

use crate::i18n::*;
use crate::locale::remember_locale;
use leptos::prelude::*;

/// The languages offered, each named in its own language.
const LANGUAGES: [(Locale, &str, &str); 2] = [
    (Locale::zh_CN, "zh-CN", "中文"),
    (Locale::en, "en", "English"),
];

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="language-switch" aria-label=move || t_string!(i18n, language_switch_label)>
            {LANGUAGES
                .into_iter()
                .map(|(locale, lang, name)| {
                    view! {
                        <button
                            type="button"
                            lang=lang
                            aria-pressed=move || (i18n.get_locale() == locale).to_string()
                            on:click=move |_| {
                                i18n.set_locale(locale);
                                remember_locale(locale);
                            }
                        >
                            {name}
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}
