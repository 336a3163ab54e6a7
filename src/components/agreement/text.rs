//! The agreement's text: where it is fetched from, and how far its loading got.

use leptos::prelude::document;

/// The URL resolved against the document's base URI (`<base href>`), so relative paths of `config.json` work
/// under any public URL.
pub(super) fn resolve_url(url: &str) -> String {
    document()
        .base_uri()
        .ok()
        .flatten()
        .and_then(|base| web_sys::Url::new_with_base(url, &base).ok())
        .map(|resolved| resolved.href())
        .unwrap_or_else(|| url.to_string())
}

/// The agreement's text, for the URL of one language.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum TextState {
    NotLoaded,
    Loading(String),
    Loaded {
        url: String,
        paragraphs: Vec<String>,
    },
    Failed(String),
}

impl TextState {
    /// Whether the text of `url` is loaded or on its way.
    pub(super) fn covers(&self, url: &str) -> bool {
        match self {
            TextState::Loading(u) | TextState::Loaded { url: u, .. } => u == url,
            TextState::NotLoaded | TextState::Failed(_) => false,
        }
    }
}
