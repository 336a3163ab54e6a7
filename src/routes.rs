//! Every address of the app, in one list: [`Page`] names them for links and navigation, [`AppRoutes`] maps them
//! to their page components. No other file writes a path literal.

use crate::components::configured::Configured;
use crate::components::lazy_page::{Build, Fetch, Lazy, LazyPage, NotLoaded};
use crate::components::next_task::NextTask;
use crate::components::page_focus::FocusOnNewPage;
use crate::components::quiz_gate::QuizGate;
use crate::config::use_config;
use crate::frame::FrameHeight;
use crate::pages::{
    account::AccountPage, client::ClientPage, consent::ConsentPage, enterprise::EnterprisePage,
    entry::EntryPage, fee::FeePage, identity::IdentityPage, not_found::NotFoundPage,
    quiz::QuizPage, quiz_notice::QuizNoticePage, quiz_result::QuizResultPage, review::ReviewPage,
    status::StatusPage, status_lookup::StatusLookupPage, styleguide::StyleguidePage,
};
use leptos::prelude::*;
#[cfg(feature = "split")]
use leptos::wasm_split::wasm_split;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use std::sync::OnceLock;

/// A page of the app, by the address it is served under (relative to the app's base path).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// 个人用户 / 企业用户.
    Entry,
    Enterprise,
    /// The market-entry test's notice.
    QuizNotice,
    Quiz,
    QuizResult,
    Consent,
    Identity,
    Account,
    Review,
    /// Right after the submission: the reference, then the fee step.
    Submitted,
    /// 缴纳开户费: the transfer and its receipt.
    Fee,
    /// 办理进度: where the application stands.
    Status,
    /// The status on another device, by reference, phone and SMS code.
    StatusLookup,
    /// 下载客户端: the last step.
    Client,
    /// Every component in every state, for designers (only where the configuration turns it on).
    Styleguide,
}

impl Page {
    /// The address below the app's base path, as `navigate` and `<Redirect>` take it (they add the base path);
    /// `<A href>` takes [`Page::href`].
    pub const fn path(self) -> &'static str {
        match self {
            Page::Entry => "/",
            Page::Enterprise => "/enterprise",
            Page::QuizNotice => "/personal",
            Page::Quiz => "/personal/quiz",
            Page::QuizResult => "/personal/quiz/result",
            Page::Consent => "/personal/consent",
            Page::Identity => "/personal/identity",
            Page::Account => "/personal/account",
            Page::Review => "/personal/review",
            Page::Submitted => "/personal/submitted",
            Page::Fee => "/personal/fee",
            Page::Status => "/personal/status",
            Page::StatusLookup => "/personal/status/lookup",
            Page::Client => "/personal/client",
            Page::Styleguide => "/styleguide",
        }
    }

    /// The address with the app's base path, for `<A href>` and plain `<a href>`.
    pub fn href(self) -> String {
        link(self.path())
    }

    /// The address with a query, e.g. `/personal?gate=required`.
    pub fn with_query(self, query: &str) -> String {
        format!("{}?{query}", self.path())
    }

    /// The address that opens the page at one of its fields (`#id`), coming back to the check-answers page
    /// after it when `from_review`.
    pub fn at_field(self, dom_id: &str, from_review: bool) -> String {
        let query = if from_review { "?return=review" } else { "" };
        format!("{}{query}#{dom_id}", self.path())
    }
}

/// An address below the app's base path (`/personal/identity#identity-code`) with the base path, as `<A href>`
/// needs it: the router adds its base to the addresses it navigates to, but leaves an absolute `href` as it is,
/// and a click on a link outside the base path leaves the app.
pub fn link(path: &str) -> String {
    format!("{}{path}", crate::mount::router_base())
}

/// Declares a page whose code is a part of the wasm of its own, named `$part`: trunk's split step
/// (tools/split-wasm.sh, with the `split` feature that index.html turns on) moves everything only that part uses
/// out of the first download. The entry page and the error pages stay in the first download. The pages wait for the
/// configuration too ([`Configured`]).
macro_rules! lazy_page {
    ($name:ident, $part:ident, $build:ident, $view:expr) => {
        static $name: LazyPage = {
            #[cfg_attr(feature = "split", wasm_split($part, wasm_split_path = ::leptos::wasm_split, fallible))]
            fn $build() -> Result<Build, NotLoaded> {
                let build: Build = || view! { <Configured>{$view}</Configured> }.into_any();
                Ok(build)
            }
            // The split build fetches the part; other builds (the tests, `cargo check`) have it already.
            #[cfg(feature = "split")]
            let fetch: Fetch = || Box::pin($build());
            #[cfg(not(feature = "split"))]
            let fetch: Fetch = || Box::pin(async { $build() });
            static LOADED: OnceLock<Build> = OnceLock::new();
            LazyPage::new(&LOADED, fetch)
        };
    };
}

lazy_page!(
    QUIZ_NOTICE,
    personal,
    quiz_notice_page,
    view! { <QuizNoticePage /> }
);
lazy_page!(QUIZ, personal, quiz_page, view! { <QuizPage /> });
lazy_page!(
    QUIZ_RESULT,
    personal,
    quiz_result_page,
    view! { <QuizResultPage /> }
);
lazy_page!(
    CONSENT,
    personal,
    consent_page,
    view! { <QuizGate><ConsentPage /></QuizGate> }
);
lazy_page!(
    IDENTITY,
    personal,
    identity_page,
    view! { <QuizGate needs_consent=true><IdentityPage /></QuizGate> }
);
lazy_page!(
    ACCOUNT,
    personal,
    account_page,
    view! { <QuizGate needs_consent=true><AccountPage /></QuizGate> }
);
lazy_page!(
    REVIEW,
    personal,
    review_page,
    view! { <QuizGate needs_consent=true><ReviewPage /></QuizGate> }
);
lazy_page!(
    SUBMITTED,
    personal,
    submitted_page,
    view! { <FeePage just_submitted=true /> }
);
lazy_page!(FEE, personal, fee_page, view! { <FeePage /> });
lazy_page!(STATUS, personal, status_page, view! { <StatusPage /> });
lazy_page!(
    STATUS_LOOKUP,
    personal,
    status_lookup_page,
    view! { <StatusLookupPage /> }
);
lazy_page!(CLIENT, personal, client_page, view! { <ClientPage /> });
lazy_page!(
    ENTERPRISE,
    enterprise,
    enterprise_page,
    view! { <EnterprisePage /> }
);
lazy_page!(
    STYLEGUIDE,
    styleguide,
    styleguide_page,
    view! { <StyleguidePage /> }
);

/// The pages after the entry page, fetched while the investor reads it: the personal application's first.
const LATER_PAGES: [&LazyPage; 13] = [
    &QUIZ_NOTICE,
    &QUIZ,
    &QUIZ_RESULT,
    &CONSENT,
    &IDENTITY,
    &ACCOUNT,
    &REVIEW,
    &SUBMITTED,
    &FEE,
    &STATUS,
    &STATUS_LOOKUP,
    &CLIENT,
    &ENTERPRISE,
];

/// Fetches the later pages' code in the background, so that the next step opens at once. A failed fetch is
/// left for the page itself to try again (and show its retry).
pub fn prefetch_later_pages() {
    leptos::task::spawn_local(async {
        for page in LATER_PAGES {
            if page.load().await.is_err() {
                return;
            }
        }
    });
}

/// The router and its routes. The steps after the market-entry test open only for an investor who passed it
/// (and, where ID numbers and images are collected, gave the sensitive-data consent): [`QuizGate`]. The
/// styleguide is there in debug builds (`make dev`) and where the configuration says `styleguide: true`.
#[component]
pub fn AppRoutes() -> impl IntoView {
    let lazy = |page: &'static LazyPage| move || view! { <Lazy page=*page /> };
    view! {
        <Router base=crate::mount::router_base()>
            // The router is set up first, its routes and the page in the next task (crate::tasks).
            <NextTask>
                <Configured quiet=true>
                    <FrameHeight />
                </Configured>
                <FocusOnNewPage />
                <main id="main" tabindex="-1">
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=EntryPage />
                        <Route path=path!("/enterprise") view=lazy(&ENTERPRISE) />
                        <Route path=path!("/personal") view=lazy(&QUIZ_NOTICE) />
                        <Route path=path!("/personal/quiz") view=lazy(&QUIZ) />
                        <Route path=path!("/personal/quiz/result") view=lazy(&QUIZ_RESULT) />
                        <Route path=path!("/personal/consent") view=lazy(&CONSENT) />
                        <Route path=path!("/personal/identity") view=lazy(&IDENTITY) />
                        <Route path=path!("/personal/account") view=lazy(&ACCOUNT) />
                        <Route path=path!("/personal/review") view=lazy(&REVIEW) />
                        <Route path=path!("/personal/submitted") view=lazy(&SUBMITTED) />
                        <Route path=path!("/personal/fee") view=lazy(&FEE) />
                        <Route path=path!("/personal/status") view=lazy(&STATUS) />
                        <Route path=path!("/personal/status/lookup") view=lazy(&STATUS_LOOKUP) />
                        <Route path=path!("/personal/client") view=lazy(&CLIENT) />
                        <Route
                            path=path!("/styleguide")
                            view=|| {
                                view! {
                                    <Configured>
                                        {if cfg!(debug_assertions) || use_config().styleguide {
                                            view! { <Lazy page=STYLEGUIDE /> }.into_any()
                                        } else {
                                            view! { <NotFoundPage /> }.into_any()
                                        }}
                                    </Configured>
                                }
                            }
                        />
                    </Routes>
                </main>
            </NextTask>
        </Router>
    }
}
