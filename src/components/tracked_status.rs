//! The status of the application this browser remembers, loaded for a page after the submission: the page
//! renders it; while it loads, "正在加载…"; when there is none (never submitted here, expired, or the exchange
//! no longer knows the token), the way to look it up by reference and SMS code; when the network or the server
//! fails, what happened and a retry.

use crate::api::ApiError;
use crate::config::use_config;
use crate::i18n::*;
use crate::messages::api_error_message;
use crate::routes::Page;
use crate::status::{use_tracked, StatusApi, Tracked};
use domain::api::{codes, ApplicationStatusResponse};
use leptos::prelude::*;
use leptos_router::components::A;

/// What a page after the submission gets to render.
#[derive(Clone)]
pub struct Loaded {
    pub tracked: Tracked,
    pub status: ApplicationStatusResponse,
    /// Reads the status again (after a receipt was uploaded, say).
    pub reload: Callback<()>,
}

#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    NotTracked,
    Loaded(Tracked, Box<ApplicationStatusResponse>),
    Failed(ApiError),
}

/// The "no application here" notice with the way to look one up.
#[component]
pub fn NotTracked() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card" role="status">
            <h1>{t!(i18n, tracked.missing_title)}</h1>
            <p>{t!(i18n, tracked.missing_body)}</p>
            <A href=Page::StatusLookup.href() attr:class="button button-primary">{t!(i18n, tracked.lookup_link)}</A>
        </div>
    }
}

#[component]
pub fn TrackedStatus<F, V>(render: F) -> impl IntoView
where
    F: Fn(Loaded) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let tracked = use_tracked();
    let api = StatusApi::new(&use_config().api_base_url);
    let outcome = LocalResource::new(move || {
        let remembered = tracked.get();
        let api = api.clone();
        async move {
            let Some(remembered) = remembered else {
                return Outcome::NotTracked;
            };
            match api.status(&remembered).await {
                Ok(status) => Outcome::Loaded(remembered, Box::new(status)),
                // The exchange does not know this token (any more): forget it, and offer the lookup.
                Err(error) if error.code() == Some(codes::APPLICATION_NOT_FOUND) => {
                    tracked.forget();
                    Outcome::NotTracked
                }
                Err(error) => Outcome::Failed(error),
            }
        }
    });
    let reload = Callback::new(move |()| outcome.refetch());
    view! {
        <Suspense fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading)}</p> }>
            {move || {
                let render = render.clone();
                outcome
                    .get()
                    .map(move |outcome| match outcome {
                        Outcome::NotTracked => view! { <NotTracked /> }.into_any(),
                        Outcome::Loaded(tracked, status) => {
                            render(Loaded { tracked, status: *status, reload }).into_any()
                        }
                        Outcome::Failed(error) => {
                            view! {
                                <div class="form-error" role="alert">
                                    <p>{t!(i18n, tracked.load_failed)} " " {api_error_message(i18n, &error)}</p>
                                    <button type="button" class="button button-primary" on:click=move |_| reload.run(())>
                                        {t!(i18n, common.retry)}
                                    </button>
                                </div>
                            }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
    }
}
