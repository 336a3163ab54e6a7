//! Loading the runtime configuration (`config.json`, next to `index.html`) before the first step renders.
//! The keys are documented in `docs/config.md`; the types and their checks live in the domain crate.

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

/// Address of `config.json`, relative to the document's base so the app works under any public URL.
pub const CONFIG_URL: &str = "config.json";

/// Fetches and checks `config.json`. The error is a technical detail for the error page.
pub async fn load_config() -> Result<AppConfig, String> {
    let text = crate::api::fetch_text(CONFIG_URL).await?;
    parse_config(&text).map_err(|e| format!("{CONFIG_URL}: {e}"))
}

/// Parses and checks the text of `config.json`.
pub fn parse_config(text: &str) -> Result<AppConfig, String> {
    let config: AppConfig = serde_json::from_str(text).map_err(|e| e.to_string())?;
    config.check().map_err(|e| format!("{e} ({})", e.code()))?;
    Ok(config)
}

/// The path the app is served under, from `<base href>` (trunk's `--public-url`), without a trailing slash.
pub fn router_base() -> String {
    let href = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("base[href]").ok().flatten())
        .and_then(|b| b.get_attribute("href"))
        .unwrap_or_default();
    href.trim_end_matches('/').to_string()
}
