//! The online account-opening app (网上开户) of the Hubei Carbon Emission Exchange.
//!
//! `App` loads `config.json`, then routes between the steps under `pages/`. Widgets live under
//! `components/`, the request code under `api.rs`, the runtime configuration under `config.rs`; every
//! user-visible string comes from `locales/*.json` through the generated `i18n` module.

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod api;
pub mod clock;
pub mod components;
pub mod config;
pub mod draft;
pub mod image;
pub mod locale;
pub mod messages;
pub mod pages;
pub mod submission;
pub mod upload;

use components::layout::Layout;
use components::quiz_gate::QuizGate;
use config::{load_config, ConfigState};
use draft::DraftContext;
use i18n::*;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use pages::{
    account::AccountPage, config_error::ConfigErrorPage, consent::ConsentPage,
    enterprise::EnterprisePage, entry::EntryPage, identity::IdentityPage, not_found::NotFoundPage,
    quiz::QuizPage, quiz_notice::QuizNoticePage, quiz_result::QuizResultPage, review::ReviewPage,
    submitted::SubmittedPage,
};

/// Class of the element every style is scoped under, so the app can live inside another site's page.
pub const ROOT_CLASS: &str = "hbets-kaihu";

#[component]
pub fn App() -> impl IntoView {
    leptos_meta::provide_meta_context();
    view! {
        <I18nContextProvider>
            <LocaleFromStorage />
            <div class=ROOT_CLASS>
                <Layout>
                    <ConfiguredApp />
                </Layout>
            </div>
        </I18nContextProvider>
    }
}

/// Restores the investor's language choice: zh-CN unless English was chosen before, whatever the browser's
/// language. Runs as an effect, after the i18n context's own start-up effect that applies the browser's
/// preferred language.
#[component]
fn LocaleFromStorage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| i18n.set_locale(locale::stored_locale().unwrap_or(Locale::zh_CN)));
}

/// Renders the wizard once `config.json` is loaded, or a readable error page when it is missing or malformed.
#[component]
fn ConfiguredApp() -> impl IntoView {
    let i18n = use_i18n();
    let config = LocalResource::new(load_config);
    view! {
        <Suspense fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading)}</p> }>
            {move || {
                config
                    .get()
                    .map(|loaded| match loaded {
                        Ok(cfg) => {
                            provide_context(ConfigState::new(cfg));
                            view! { <AppRoutes /> }.into_any()
                        }
                        Err(detail) => {
                            view! { <ConfigErrorPage detail=detail on_retry=move || config.refetch() /> }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
    }
}

#[component]
fn AppRoutes() -> impl IntoView {
    DraftContext::provide();
    draft::Secrets::provide();
    submission::ServerErrors::provide();
    view! {
        <Router base=config::router_base()>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=EntryPage />
                    <Route path=path!("/enterprise") view=EnterprisePage />
                    <Route path=path!("/personal") view=QuizNoticePage />
                    <Route path=path!("/personal/quiz") view=QuizPage />
                    <Route path=path!("/personal/quiz/result") view=QuizResultPage />
                    <Route
                        path=path!("/personal/consent")
                        view=|| view! { <QuizGate><ConsentPage /></QuizGate> }
                    />
                    <Route
                        path=path!("/personal/identity")
                        view=|| view! { <QuizGate needs_consent=true><IdentityPage /></QuizGate> }
                    />
                    <Route
                        path=path!("/personal/account")
                        view=|| view! { <QuizGate needs_consent=true><AccountPage /></QuizGate> }
                    />
                    <Route
                        path=path!("/personal/review")
                        view=|| view! { <QuizGate needs_consent=true><ReviewPage /></QuizGate> }
                    />
                    <Route path=path!("/personal/submitted") view=SubmittedPage />
                </Routes>
            </main>
        </Router>
    }
}
