//! The top of the app: the language, the page frame, `config.json` loading (and the theme it names) while the
//! wizard's first page shows, then the wizard's state (draft, secrets, server errors) and its routes.

use crate::components::help_line::Footer;
use crate::components::layout::Layout;
use crate::components::next_task::NextTask;
use crate::config::{apply_theme, ConfigLoad};
use crate::draft::{DraftContext, Secrets};
use crate::form::server::ServerErrors;
use crate::i18n::*;
use crate::pages::config_error::ConfigErrorPage;
use crate::routes::AppRoutes;
use leptos::prelude::*;

/// Class of the element every style is scoped under, so the app can live inside another site's page.
pub const ROOT_CLASS: &str = "hbets-kaihu";

#[component]
pub fn App() -> impl IntoView {
    // On another site's page the language is the app's own business: `lang` goes on the app's root only.
    let own_page = !crate::mount::in_host_page();
    view! {
        <I18nContextProvider set_lang_attr_on_html=own_page set_dir_attr_on_html=own_page>
            <LocaleFromStorage />
            <Show when=move || own_page>
                <DocumentTitle />
            </Show>
            // The language first, then the page frame, then the rest: each in a task of its own (crate::tasks).
            <NextTask>
                <Root>
                    <Layout>
                        <NextTask>
                            <ConfiguredApp />
                        </NextTask>
                    </Layout>
                </Root>
            </NextTask>
        </I18nContextProvider>
    }
}

/// The element every style is scoped under, in the app's language.
#[component]
fn Root(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class=ROOT_CLASS lang=move || i18n.get_locale().as_str()>
            {children()}
        </div>
    }
}

/// The window's title in the app's language (index.html starts with the Chinese one). On another site's page the
/// title is that page's.
#[component]
fn DocumentTitle() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| {
        let title = format!(
            "{} · {}",
            t_string!(i18n, entry.title),
            t_string!(i18n, exchange_name)
        );
        document().set_title(&title);
    });
}

/// Restores the investor's language choice: the one chosen before, else the one the host page asks for
/// (`data-locale`), else zh-CN — whatever the browser's language. Runs as an effect, after the i18n context's
/// own start-up effect that applies the browser's preferred language.
#[component]
fn LocaleFromStorage() -> impl IntoView {
    use std::str::FromStr;
    let i18n = use_i18n();
    let chosen = crate::locale::stored_locale()
        .or_else(|| crate::mount::requested_locale().and_then(|l| Locale::from_str(&l).ok()))
        .unwrap_or(Locale::zh_CN);
    Effect::new(move |_| i18n.set_locale(chosen));
}

/// Loads `config.json` (and the theme it names) while the wizard shows its first page: the entry page needs no
/// configuration, the other pages wait for it
/// ([`Configured`](crate::components::configured::Configured)). When it is missing or malformed, a readable
/// error page replaces the app.
#[component]
fn ConfiguredApp() -> impl IntoView {
    let config = ConfigLoad::start();
    Effect::new(move |_| {
        if let Some(config) = config.loaded() {
            apply_theme(config.theme_stylesheet.as_deref());
        }
    });
    let failure = Memo::new(move |_| config.failure());
    move || match failure.get() {
        Some(detail) => {
            Effect::new(move |_| {
                crate::first_screen::take_over(|| ());
            });
            view! { <ConfigErrorPage detail=detail on_retry=move || config.retry() /> }.into_any()
        }
        None => view! { <Wizard /> }.into_any(),
    }
}

/// How long after the wizard first shows its page the later pages' code starts to download: the first page is
/// painted and answers taps before that work begins.
const PREFETCH_AFTER_MS: u64 = 1000;

/// The state the pages share, then the pages.
#[component]
fn Wizard() -> impl IntoView {
    DraftContext::provide_on_first_use();
    Secrets::provide();
    ServerErrors::provide();
    // Back and forward open a step at its top, as following a link does. The browser's own restoring of the old
    // position would act late and halfway: a page's lower part comes a frame after its top
    // (components/after_first_paint.rs).
    if let Ok(history) = window().history() {
        let _ = history.set_scroll_restoration(web_sys::ScrollRestoration::Manual);
    }
    // The later steps' code comes while the investor reads the first page, once that page is painted.
    set_timeout(
        crate::routes::prefetch_later_pages,
        std::time::Duration::from_millis(PREFETCH_AFTER_MS),
    );
    view! {
        <AppRoutes />
        <Footer />
    }
}
