//! Every address of the app, in one list: [`Page`] names them for links and navigation, [`AppRoutes`] maps them
//! to their page components. No other file writes a path literal.

use crate::components::page_focus::FocusOnNewPage;
use crate::components::quiz_gate::QuizGate;
use crate::frame::FrameHeight;
use crate::pages::{
    account::AccountPage, client::ClientPage, consent::ConsentPage, enterprise::EnterprisePage,
    entry::EntryPage, fee::FeePage, identity::IdentityPage, not_found::NotFoundPage,
    quiz::QuizPage, quiz_notice::QuizNoticePage, quiz_result::QuizResultPage, review::ReviewPage,
    status::StatusPage, status_lookup::StatusLookupPage, styleguide::StyleguidePage,
};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

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

/// The router and its routes. The steps after the market-entry test open only for an investor who passed it
/// (and, where ID numbers and images are collected, gave the sensitive-data consent): [`QuizGate`]. The
/// styleguide is there in debug builds (`make dev`) and where the configuration says `styleguide: true`.
#[component]
pub fn AppRoutes() -> impl IntoView {
    let styleguide = cfg!(debug_assertions) || crate::config::use_config().styleguide;
    view! {
        <Router base=crate::mount::router_base()>
            <FrameHeight />
            <FocusOnNewPage />
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
                    <Route path=path!("/personal/submitted") view=|| view! { <FeePage just_submitted=true /> } />
                    <Route path=path!("/personal/fee") view=|| view! { <FeePage /> } />
                    <Route path=path!("/personal/status") view=StatusPage />
                    <Route path=path!("/personal/status/lookup") view=StatusLookupPage />
                    <Route path=path!("/personal/client") view=ClientPage />
                    <Route
                        path=path!("/styleguide")
                        view=move || {
                            if styleguide {
                                view! { <StyleguidePage /> }.into_any()
                            } else {
                                view! { <NotFoundPage /> }.into_any()
                            }
                        }
                    />
                </Routes>
            </main>
        </Router>
    }
}
