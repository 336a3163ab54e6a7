//! The frame of every page: the exchange's name, the language switch, the page, the help line.

use crate::components::language_switch::LanguageSwitch;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="layout-header">
            <p class="layout-brand">
                <span class="layout-exchange">{t!(i18n, exchange_name)}</span>
                <span class="layout-title">{t!(i18n, app_title)}</span>
            </p>
            <LanguageSwitch />
        </header>
        <div class="layout-body">{children()}</div>
    }
}
