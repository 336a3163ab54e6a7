//! Text given in both languages of the app, as configuration files and the quiz write it:
//! `{ "zh-CN": "…", "en": "…" }`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
    pub en: String,
}

impl Localized {
    /// The text for a language tag: English for `en…`, Chinese otherwise.
    pub fn get(&self, lang: &str) -> &str {
        if lang.starts_with("en") {
            &self.en
        } else {
            &self.zh_cn
        }
    }
}
