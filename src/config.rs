//! Loading the runtime configuration (`config.json`, next to `index.html`, or where the host page's element
//! says) and the theme it names, while the entry page shows: every other page waits for it
//! ([`crate::components::configured::Configured`]). The keys are documented in `docs/config.md`; the types and
//! their checks live in the domain crate.

use crate::split::NotLoaded;
use domain::config::AppConfig;
use leptos::prelude::*;
#[cfg(feature = "split")]
use leptos::wasm_split::wasm_split;
use std::sync::Arc;

/// The loaded configuration, provided as context to what needs it.
#[derive(Clone, Debug)]
pub struct ConfigState(pub Arc<AppConfig>);

impl ConfigState {
    pub fn new(config: AppConfig) -> Self {
        Self(Arc::new(config))
    }
}

/// The configuration of the running app; panics only when called outside what waits for it
/// ([`crate::components::configured::Configured`]).
pub fn use_config() -> Arc<AppConfig> {
    expect_context::<ConfigState>().0
}

/// `config.json` as it loads, for the whole app: nothing until it has come, then the configuration or what went
/// wrong (a technical detail for the error page).
#[derive(Clone, Copy)]
pub struct ConfigLoad(LocalResource<Result<Arc<AppConfig>, String>>);

impl ConfigLoad {
    /// Starts loading `config.json` and provides the load to the app below.
    pub fn start() -> Self {
        // Fetched from a task after the one that builds the page frame; what waited for it is built in a task after
        // the one that reads it (crate::tasks).
        let load = Self(LocalResource::new(|| async {
            crate::tasks::next_task().await;
            let load = load_config().await.map(Arc::new);
            crate::tasks::next_task().await;
            load
        }));
        provide_context(load);
        load
    }

    /// The configuration, once it has loaded.
    pub fn loaded(&self) -> Option<Arc<AppConfig>> {
        self.0.with(|load| load.as_ref()?.as_ref().ok().cloned())
    }

    /// The same, without subscribing to it.
    pub fn loaded_untracked(&self) -> Option<Arc<AppConfig>> {
        untrack(|| self.loaded())
    }

    /// What went wrong, once loading failed.
    pub fn failure(&self) -> Option<String> {
        self.0.with(|load| load.as_ref()?.as_ref().err().cloned())
    }

    /// Loads `config.json` again.
    pub fn retry(&self) {
        self.0.refetch();
    }
}

pub fn use_config_load() -> ConfigLoad {
    expect_context::<ConfigLoad>()
}

/// Reads the text of `config.json` ([`parse_config`]).
type Reader = fn(&str) -> Result<AppConfig, String>;

/// What reads the text of `config.json`: [`parse_config`], in a part of the wasm of its own (`config`), fetched
/// together with the file. The parser and the domain's checks are then not in the first download, which the
/// entry page needs alone.
#[cfg_attr(
    feature = "split",
    wasm_split(config, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn config_reader() -> Result<Reader, NotLoaded> {
    Ok(parse_config)
}

/// Fetches and checks `config.json`, its URLs made absolute. The error is a technical detail for the error page.
pub async fn load_config() -> Result<AppConfig, String> {
    let url = crate::mount::config_url();
    let name = url.rsplit('/').next().unwrap_or("config.json").to_string();
    #[cfg(feature = "split")]
    let reader = config_reader();
    #[cfg(not(feature = "split"))]
    let reader = async { config_reader() };
    // The file is requested a task after its reader, each start being a few milliseconds' work (crate::tasks).
    let text = async {
        crate::tasks::next_task().await;
        crate::api::fetch_text(&url).await
    };
    let (text, reader) = futures::future::join(text, reader).await;
    let text = text?;
    let read = reader
        .map_err(|NotLoaded| format!("{name}: the app's reader of it could not be fetched"))?;
    let mut config = read(&text).map_err(|e| format!("{name}: {e}"))?;
    resolve_urls(&mut config, |relative| {
        crate::mount::resolve(relative, &url)
    });
    Ok(config)
}

/// Parses and checks the text of `config.json`.
pub fn parse_config(text: &str) -> Result<AppConfig, String> {
    let config: AppConfig = serde_json::from_str(text).map_err(|e| e.to_string())?;
    config.check().map_err(|e| format!("{e} ({})", e.code()))?;
    Ok(config)
}

/// Makes the URLs of the configuration absolute with `resolve`: relative ones are relative to `config.json`
/// itself, wherever the page that shows the app is (`/api/v1` is then on the origin of `config.json`).
pub fn resolve_urls(config: &mut AppConfig, resolve: impl Fn(&str) -> String) {
    let mut urls = vec![
        &mut config.api_base_url,
        &mut config.quiz.questions_url,
        &mut config.quiz.external_url,
        &mut config.client_download_url,
    ];
    for agreement in &mut config.agreements {
        urls.push(&mut agreement.url.zh_cn);
        urls.push(&mut agreement.url.en);
    }
    urls.extend(config.theme_stylesheet.as_mut());
    for url in urls {
        if !url.trim().is_empty() {
            *url = resolve(url);
        }
    }
    config.api_base_url = config.api_base_url.trim_end_matches('/').to_string();
}

/// Marks the theme's `<link>`, so that a second configuration replaces it.
const THEME_ATTRIBUTE: &str = "data-hbets-kaihu-theme";

/// Loads the theme named by the configuration (a stylesheet that overrides the design tokens) after the app's
/// own stylesheets, so that it wins. No theme: nothing is added.
pub fn apply_theme(url: Option<&str>) {
    let Some(url) = url else { return };
    let Some(parent) = crate::mount::stylesheet_parent() else {
        return;
    };
    let link = match crate::mount::query(&format!("link[{THEME_ATTRIBUTE}]")) {
        Some(link) => link,
        None => {
            let Ok(link) = leptos::prelude::document().create_element("link") else {
                return;
            };
            let _ = link.set_attribute("rel", "stylesheet");
            let _ = link.set_attribute(THEME_ATTRIBUTE, "");
            if parent.append_child(&link).is_err() {
                return;
            }
            link
        }
    };
    let _ = link.set_attribute("href", url);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_url_of_the_configuration_is_made_absolute() {
        let mut config =
            parse_config(include_str!("../public/config.json")).expect("shipped config");
        config.theme_stylesheet = Some("themes/high-contrast.css".into());
        config.api_base_url = "/api/v1/".into();
        resolve_urls(&mut config, |url| format!("<{url}>"));
        assert_eq!(config.api_base_url, "</api/v1/>");
        assert_eq!(config.quiz.questions_url, "<quiz.json>");
        assert!(config.quiz.external_url.starts_with("<https://"));
        assert_eq!(config.client_download_url, "<https://www.hbets.cn/>");
        assert_eq!(
            config.agreements[0].url.zh_cn,
            "<agreements/market-entry.zh-CN.txt>"
        );
        assert_eq!(
            config.agreements[2].url.en,
            "<agreements/risk-disclosure.en.txt>"
        );
        assert_eq!(
            config.theme_stylesheet.as_deref(),
            Some("<themes/high-contrast.css>")
        );
    }
}
