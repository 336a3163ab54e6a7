//! Where the app runs, decided once at start ([`mount`]).
//!
//! - **Its own page** (`index.html`, standalone or inside an iframe): the app renders into the body; its addresses
//!   are below the path of the page's `<base href>` (the server writes the base path there), and `config.json`
//!   sits at that path.
//! - **An element of another site's page**, `<div data-hbets-kaihu data-config="…" data-base="…"
//!   data-locale="…">` (`docs/embedding.md`): the app renders into a shadow root of that element, so that the
//!   host page's CSS does not reach the app and the app's CSS does not reach the host page. `data-config` is the
//!   URL of `config.json`, `data-base` the path the app's addresses are below (the host page must be served for
//!   every address under it), `data-locale` the language to start in (`zh-CN` or `en`). The stylesheets are put
//!   into the shadow root by `kaihu-mount.js`, which loads the app.
//!
//! Inside a shadow root the document cannot find the app's elements by id, nor see which of them has the
//! focus: [`element_by_id`] and [`active_element`] look where the app is.

use leptos::prelude::*;
use std::cell::OnceCell;
use wasm_bindgen::JsCast;

/// The attribute that marks the host element on another site's page.
pub const HOST_ATTRIBUTE: &str = "data-hbets-kaihu";

/// Where the app is: its addresses, its configuration, its language, and the shadow root it renders into.
#[derive(Clone, Debug)]
struct Place {
    /// The router's base: the path the addresses are below, without the trailing slash (`""` at the root).
    base: String,
    /// The absolute URL of `config.json`.
    config_url: String,
    /// The language the host page asks for.
    locale: Option<String>,
    /// The shadow root the app renders into on another site's page.
    shadow: Option<web_sys::ShadowRoot>,
}

thread_local! {
    static PLACE: OnceCell<Place> = const { OnceCell::new() };
}

/// Mounts the app into the page's host element when it has one, else into the body.
pub fn mount<F, N>(app: F)
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    let host = document()
        .query_selector(&format!("[{HOST_ATTRIBUTE}]"))
        .ok()
        .flatten();
    let Some(host) = host else {
        PLACE.with(|p| {
            p.get_or_init(own_page);
        });
        leptos::mount::mount_to_body(app);
        return;
    };
    let shadow = host.shadow_root().or_else(|| {
        host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
            .ok()
    });
    let container: web_sys::HtmlElement = document()
        .create_element("div")
        .expect("a div")
        .unchecked_into();
    let appended = match &shadow {
        Some(shadow) => shadow.append_child(&container),
        None => host.append_child(&container),
    };
    if appended.is_err() {
        return;
    }
    PLACE.with(|p| {
        p.get_or_init(|| host_element(&host, shadow));
    });
    leptos::mount::mount_to(container, app).forget();
}

fn place() -> Place {
    PLACE.with(|p| p.get_or_init(own_page).clone())
}

/// The app on its own page: below the path of `<base href>`, `config.json` beside `index.html`.
fn own_page() -> Place {
    let base_uri = document()
        .base_uri()
        .ok()
        .flatten()
        .unwrap_or_else(|| "/".into());
    let base = web_sys::Url::new(&base_uri)
        .map(|url| url.pathname())
        .unwrap_or_default();
    Place {
        base: base.trim_end_matches('/').to_string(),
        config_url: resolve("config.json", &base_uri),
        locale: None,
        shadow: None,
    }
}

/// The app in an element of another site's page, as its data attributes say.
fn host_element(host: &web_sys::Element, shadow: Option<web_sys::ShadowRoot>) -> Place {
    let page = document()
        .base_uri()
        .ok()
        .flatten()
        .unwrap_or_else(|| window().location().href().unwrap_or_default());
    let data = |name: &str| {
        host.get_attribute(&format!("data-{name}"))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let base = data("base").unwrap_or_else(|| window().location().pathname().unwrap_or_default());
    Place {
        base: router_base_of(&base),
        config_url: resolve(
            &data("config").unwrap_or_else(|| "config.json".into()),
            &page,
        ),
        locale: data("locale"),
        shadow,
    }
}

/// A path as the router's base: one leading slash, no trailing one (`/kaihu/` → `/kaihu`, `/` → ``).
pub fn router_base_of(path: &str) -> String {
    let trimmed = path.trim().trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    }
}

/// `url` resolved against `base` (unchanged when it cannot be).
pub fn resolve(url: &str, base: &str) -> String {
    web_sys::Url::new_with_base(url, base)
        .map(|u| u.href())
        .unwrap_or_else(|_| url.to_string())
}

/// The path the app's addresses are below, without a trailing slash.
pub fn router_base() -> String {
    place().base
}

/// The absolute URL of `config.json`; the relative URLs in it are relative to this one.
pub fn config_url() -> String {
    place().config_url
}

/// The language the host page asks for (`data-locale`), if any.
pub fn requested_locale() -> Option<String> {
    place().locale
}

/// Whether the app renders into another site's page (in a shadow root).
pub fn in_host_page() -> bool {
    place().shadow.is_some()
}

/// The app's element with this id.
pub fn element_by_id(id: &str) -> Option<web_sys::Element> {
    match place().shadow {
        Some(shadow) => shadow.get_element_by_id(id),
        None => document().get_element_by_id(id),
    }
}

/// The app's element that has the focus (`None` when the focus is elsewhere on a host page).
pub fn active_element() -> Option<web_sys::Element> {
    match place().shadow {
        Some(shadow) => shadow.active_element(),
        None => document().active_element(),
    }
}

/// Where the app's own stylesheets go: the shadow root on a host page, else the document's head.
pub fn stylesheet_parent() -> Option<web_sys::Node> {
    match place().shadow {
        Some(shadow) => Some(shadow.unchecked_into()),
        None => document().head().map(|h| h.unchecked_into()),
    }
}

/// The app's elements that match `selector`, first one.
pub fn query(selector: &str) -> Option<web_sys::Element> {
    match place().shadow {
        Some(shadow) => shadow.query_selector(selector).ok().flatten(),
        None => document().query_selector(selector).ok().flatten(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_router_bases() {
        assert_eq!(router_base_of("/"), "");
        assert_eq!(router_base_of(""), "");
        assert_eq!(router_base_of("/kaihu/"), "/kaihu");
        assert_eq!(router_base_of("/kaihu"), "/kaihu");
        assert_eq!(router_base_of("kaihu/"), "/kaihu");
        assert_eq!(router_base_of(" /service/kaihu/ "), "/service/kaihu");
    }
}
