//! Switches between 中文 and English; the choice is remembered and `<html lang>` follows it.

use crate::i18n::*;
use crate::locale::store_locale;
use leptos::prelude::*;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let choose = move |locale: Locale| {
        i18n.set_locale(locale);
        store_locale(locale);
    };
    view! {
        <nav class="language-switch" aria-label=move || t_string!(i18n, language_switch_label)>
            <button
                type="button"
                lang="zh-CN"
                aria-pressed=move || (i18n.get_locale() == Locale::zh_CN).to_string()
                on:click=move |_| choose(Locale::zh_CN)
            >
                "中文"
            </button>
            <button
                type="button"
                lang="en"
                aria-pressed=move || (i18n.get_locale() == Locale::en).to_string()
                on:click=move |_| choose(Locale::en)
            >
                "English"
            </button>
        </nav>
    }
}
