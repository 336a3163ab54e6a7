//! The agreement's text: where it is fetched from, and how far its loading got.

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
