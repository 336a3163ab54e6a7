//! The line that shows while what a page needs is on its way: its code, or the configuration.

use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading" role="status">{t!(i18n, loading)}</p> }
}
