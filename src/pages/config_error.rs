//! Shown instead of the wizard when `config.json` is missing or malformed.

use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn ConfigErrorPage(
    /// What went wrong, for the help line (not translated: it names the file and the key).
    detail: String,
    on_retry: impl Fn() + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main id="main" tabindex="-1" class="config-error" role="alert">
            <h1>{t!(i18n, config_error.title)}</h1>
            <p>{t!(i18n, config_error.body)}</p>
            <details>
                <summary>{t!(i18n, config_error.detail_label)}</summary>
                <pre class="config-error-detail">{detail}</pre>
            </details>
            <button type="button" class="button button-primary" on:click=move |_| on_retry()>
                {t!(i18n, config_error.retry)}
            </button>
        </main>
    }
}
