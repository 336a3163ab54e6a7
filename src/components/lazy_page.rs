//! A page whose code is its own part of the wasm, fetched when the page is first needed (or earlier, while the
//! investor reads the pages before it: `routes::prefetch_later_pages`). While it comes, the loading line shows;
//! when it cannot be fetched, a message and a retry show where the page would be, and nothing entered is lost.

use crate::components::loading::Loading;
use crate::i18n::*;
pub use crate::split::NotLoaded;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

/// Builds the page, once its code is there.
pub type Build = fn() -> AnyView;

/// Fetches the page's part of the wasm and hands back its builder.
pub type Fetch = fn() -> Pin<Box<dyn Future<Output = Result<Build, NotLoaded>>>>;

/// A page in a part of the wasm of its own (`routes.rs` declares them with `lazy_page!`).
#[derive(Clone, Copy)]
pub struct LazyPage {
    loaded: &'static OnceLock<Build>,
    fetch: Fetch,
}

impl LazyPage {
    pub const fn new(loaded: &'static OnceLock<Build>, fetch: Fetch) -> Self {
        Self { loaded, fetch }
    }

    /// The page's builder, fetching its code the first time. A failed fetch is tried afresh on the next call.
    pub async fn load(self) -> Result<Build, NotLoaded> {
        if let Some(build) = self.loaded.get() {
            return Ok(*build);
        }
        let build = (self.fetch)().await?;
        let _ = self.loaded.set(build);
        Ok(build)
    }
}

/// Shows `page`: at once when its code is there already, else the loading line until it is, or a retry.
#[component]
pub fn Lazy(page: LazyPage) -> impl IntoView {
    if let Some(build) = page.loaded.get() {
        return untrack(*build);
    }
    let fetched = LocalResource::new(move || page.load());
    view! {
        <Suspense fallback=Loading>
            {move || {
                fetched
                    .get()
                    .map(|result| match result {
                        Ok(build) => untrack(build),
                        Err(NotLoaded) => {
                            view! { <PageNotLoaded on_retry=move || fetched.refetch() /> }.into_any()
                        }
                    })
            }}
        </Suspense>
    }
    .into_any()
}

/// Where the page would be: what happened, that nothing is lost, and a retry.
#[component]
fn PageNotLoaded(on_retry: impl Fn() + 'static) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page-not-loaded" role="alert">
            <h1>{t!(i18n, page_not_loaded.title)}</h1>
            <p>{t!(i18n, page_not_loaded.body)}</p>
            <button type="button" class="button button-primary" on:click=move |_| on_retry()>
                {t!(i18n, page_not_loaded.retry)}
            </button>
        </section>
    }
}
