//! Loading the runtime configuration (`config.json`, next to `index.html`, or where the host page's element
//! says) before the first step renders, and the theme it names. The keys are documented in `docs/config.md`;
//! the types and their checks live in the domain crate.

use domain::config::AppConfig;
use std::sync::Arc;

/// The loaded configuration, provided as context to every page.
#[derive(Clone, Debug)]
pub struct ConfigState(pub Arc<AppConfig>);

impl ConfigState {
    pub fn new(config: AppConfig) -> Self {
        Self(Arc::new(config))
    }
}

/// The configuration of the running app; panics only when called outside the configured part of the app.
pub fn use_config() -> Arc<AppConfig> {
    leptos::prelude::expect_context::<ConfigState>().0
}

/// Fetches and checks `config.json`, its URLs made absolute. The error is a technical detail for the error page.
pub async fn load_config() -> Result<AppConfig, String> {
    let url = crate::mount::config_url();
    let name = url.rsplit('/').next().unwrap_or("config.json").to_string();
    let text = crate::api::fetch_text(&url).await?;
    let mut config = parse_config(&text).map_err(|e| format!("{name}: {e}"))?;
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
