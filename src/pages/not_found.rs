//! Unknown addresses inside the app.

use crate::i18n::*;
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="not-found">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.body)}</p>
            <A href=Page::Entry.href()>{t!(i18n, not_found.home)}</A>
        </section>
    }
}
