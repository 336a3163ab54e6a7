//! The runtime configuration of the app: `public/config.json`, loaded by the browser before the first step
//! renders. Every key is documented in `docs/config.md`; unknown keys are refused so that a typo in the file
//! shows up as an error page instead of a silently ignored setting.

use crate::localized::Localized;
use serde::{Deserialize, Serialize};

mod links;

pub use links::{check_link, LinkProblem, LinkUse};

/// The whole `config.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppConfig {
    /// Base URL of the exchange's HTTP API (the contract in `docs/openapi.yaml`), e.g. `/api/v1` or
    /// `https://kaihu.example.cn/api/v1`. No trailing slash.
    pub api_base_url: String,
    pub quiz: QuizConfig,
    pub fee: FeeConfig,
    pub receipt_email: ReceiptEmailConfig,
    /// The exchange's help line, shown on every page and dialled by a `tel:` link.
    pub help_line: String,
    /// Where the investor downloads the PC trading client (step 4).
    pub client_download_url: String,
    /// The three agreements that must be read before they can be accepted, in display order.
    pub agreements: Vec<AgreementDocument>,
    pub images: ImageConfig,
    pub enterprise: EnterpriseConfig,
    pub sensitive_data_consent: ConsentConfig,
    /// Origins of the pages allowed to show the app in an iframe and to be told its height (`postMessage`),
    /// e.g. `https://www.hbets.cn`. The app's own origin is always allowed. Default: none.
    #[serde(default)]
    pub frame_parent_origins: Vec<String>,
    /// A stylesheet that overrides the design tokens (a theme), relative to `config.json` on the app's own
    /// origin, e.g. `themes/high-contrast.css`. Default: none, the built-in look.
    #[serde(default)]
    pub theme_stylesheet: Option<String>,
    /// Whether the styleguide page (every component in every state, for designers) is served. Default: off.
    #[serde(default)]
    pub styleguide: bool,
}

/// The separate consent to processing sensitive personal information (PIPL art. 28–29), asked before the ID
/// number and ID images are collected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentConfig {
    /// Version recorded with the investor's consent. Change it whenever the text changes.
    pub version: String,
    /// Purpose, what is stored and for how long, in plain language; paragraphs separated by blank lines.
    pub text: Localized,
}

/// What the 企业用户 choice shows: enterprises apply offline for now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseConfig {
    /// What an enterprise needs and how it applies; paragraphs separated by blank lines.
    pub info: Localized,
    pub contact_phone: String,
    pub contact_email: String,
}

/// How the market-entry qualification test (入市测试) is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuizGate {
    /// The quiz built into the app, scored by the backend.
    BuiltIn,
    /// The exchange's external questionnaire; the investor declares the score.
    External,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizConfig {
    pub mode: QuizGate,
    /// Questions file of the built-in quiz (no answers in it: the backend holds the answer key).
    pub questions_url: String,
    /// The external questionnaire, opened in a new tab in `external` mode.
    pub external_url: String,
    /// Points needed to pass (the exchange's rule: 60).
    pub pass_mark: u32,
}

/// Step 2: the account-opening fee and where to transfer it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeConfig {
    pub amount_cny: u32,
    pub payee: String,
    pub account: String,
    pub bank: String,
    pub remark: String,
}

/// Step 2: where the investor emails the transfer receipt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptEmailConfig {
    pub to: String,
    /// Subject line; `{name}` is replaced by the investor's real name.
    pub subject_template: String,
}

impl ReceiptEmailConfig {
    /// The subject of the receipt's e-mail for the applicant `name`.
    pub fn subject(&self, name: &str) -> String {
        self.subject_template.replace("{name}", name)
    }

    /// The text of the receipt's e-mail: the name and ID number exactly as the application has them, in the
    /// exchange's format, lines ending in CRLF as e-mail wants them.
    pub fn body(name: &str, document_number: &str) -> String {
        format!("客户姓名：{name}\r\n身份证号码：{document_number}")
    }

    /// The `mailto:` link that opens the receipt's e-mail with its subject and text filled in (RFC 6068).
    pub fn mailto(&self, name: &str, document_number: &str) -> String {
        format!(
            "mailto:{}?subject={}&body={}",
            percent_encode(self.to.trim()).replace("%40", "@"),
            percent_encode(&self.subject(name)),
            percent_encode(&Self::body(name, document_number))
        )
    }
}

/// Every byte of the UTF-8 text but the unreserved characters of RFC 3986 as `%XX`.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One agreement document (入市协议书, 投资人须知, 风险提示书).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementDocument {
    /// `market_entry`, `investor_notice` or `risk_disclosure`.
    pub id: String,
    pub title: Localized,
    /// Plain-text file of the full agreement, per language.
    pub url: Localized,
    /// Version recorded with the investor's agreement.
    pub version: String,
}

/// Limits of the attached images (ID card, proof of assets, fee receipt).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageConfig {
    /// Largest file accepted, after shrinking.
    pub max_bytes: u64,
    /// Largest pixel count a file may declare (refused before decoding).
    pub max_pixels: u64,
    /// Smallest long edge that is still legible.
    pub min_long_edge: u32,
    /// Long edge that larger photos are shrunk to before upload.
    pub target_long_edge: u32,
    /// JPEG quality of re-encoded photos, 0.0–1.0.
    pub jpeg_quality: f64,
}

/// What is wrong with a configuration that parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("`{0}` must not be empty")]
    Empty(&'static str),
    #[error("`images.jpeg_quality` must be between 0.1 and 1.0")]
    JpegQuality,
    #[error("`quiz.pass_mark` must be between 1 and 100")]
    PassMark,
    #[error("`agreements` must list market_entry, investor_notice and risk_disclosure once each")]
    Agreements,
    #[error("`frame_parent_origins`: {0:?} is not an origin such as https://www.hbets.cn (scheme and host, an optional port, no path)")]
    FrameParentOrigin(String),
    #[error("`theme_stylesheet`: {0:?} must be a path on the app's own origin (relative to config.json, or starting with one /)")]
    ThemeStylesheet(String),
    /// An address the app would link to or fetch that it must not (`javascript:`, `data:`, another host's
    /// plain `http:` …).
    #[error("`{key}` is refused: {problem}")]
    Link { key: String, problem: LinkProblem },
}

impl ConfigError {
    pub fn code(&self) -> &'static str {
        match self {
            ConfigError::Empty(_) => "config_empty_value",
            ConfigError::JpegQuality => "config_jpeg_quality",
            ConfigError::PassMark => "config_pass_mark",
            ConfigError::Agreements => "config_agreements",
            ConfigError::FrameParentOrigin(_) => "config_frame_parent_origin",
            ConfigError::ThemeStylesheet(_) => "config_theme_stylesheet",
            ConfigError::Link { .. } => "config_link_refused",
        }
    }
}

/// The agreement ids the exchange's form asks for, in its order.
pub const AGREEMENT_IDS: [&str; 3] = ["market_entry", "investor_notice", "risk_disclosure"];

impl AppConfig {
    /// Checks what serde cannot: empty values, ranges and the set of agreements.
    pub fn check(&self) -> Result<(), ConfigError> {
        let required = [
            ("api_base_url", &self.api_base_url),
            ("help_line", &self.help_line),
            ("client_download_url", &self.client_download_url),
            ("fee.payee", &self.fee.payee),
            ("fee.account", &self.fee.account),
            ("fee.bank", &self.fee.bank),
            ("fee.remark", &self.fee.remark),
            ("receipt_email.to", &self.receipt_email.to),
            ("enterprise.contact_phone", &self.enterprise.contact_phone),
            ("enterprise.info.zh-CN", &self.enterprise.info.zh_cn),
            ("enterprise.info.en", &self.enterprise.info.en),
            (
                "sensitive_data_consent.version",
                &self.sensitive_data_consent.version,
            ),
            (
                "sensitive_data_consent.text.zh-CN",
                &self.sensitive_data_consent.text.zh_cn,
            ),
            (
                "sensitive_data_consent.text.en",
                &self.sensitive_data_consent.text.en,
            ),
        ];
        for (key, value) in required {
            if value.trim().is_empty() {
                return Err(ConfigError::Empty(key));
            }
        }
        if self.quiz.mode == QuizGate::BuiltIn && self.quiz.questions_url.trim().is_empty() {
            return Err(ConfigError::Empty("quiz.questions_url"));
        }
        if self.quiz.mode == QuizGate::External && self.quiz.external_url.trim().is_empty() {
            return Err(ConfigError::Empty("quiz.external_url"));
        }
        if !(1..=100).contains(&self.quiz.pass_mark) {
            return Err(ConfigError::PassMark);
        }
        if !(0.1..=1.0).contains(&self.images.jpeg_quality) {
            return Err(ConfigError::JpegQuality);
        }
        let mut ids: Vec<&str> = self.agreements.iter().map(|a| a.id.as_str()).collect();
        ids.sort_unstable();
        let mut expected = AGREEMENT_IDS;
        expected.sort_unstable();
        if ids != expected {
            return Err(ConfigError::Agreements);
        }
        if self.agreements.iter().any(|a| a.version.trim().is_empty()) {
            return Err(ConfigError::Empty("agreements[].version"));
        }
        if let Some(origin) = self.frame_parent_origins.iter().find(|o| !is_origin(o)) {
            return Err(ConfigError::FrameParentOrigin(origin.clone()));
        }
        if let Some(theme) = self
            .theme_stylesheet
            .as_ref()
            .filter(|t| !is_same_origin_path(t))
        {
            return Err(ConfigError::ThemeStylesheet(theme.clone()));
        }
        self.check_links()
    }

    /// Every address of the configuration, by key, with what it is for. An optional one that is empty (the
    /// external questionnaire in built-in mode, say) is not used and not checked.
    pub fn links(&self) -> Vec<(String, &str, LinkUse)> {
        let mut links = vec![
            (
                "api_base_url".to_string(),
                self.api_base_url.as_str(),
                LinkUse::Resource,
            ),
            (
                "quiz.questions_url".to_string(),
                self.quiz.questions_url.as_str(),
                LinkUse::Resource,
            ),
            (
                "quiz.external_url".to_string(),
                self.quiz.external_url.as_str(),
                LinkUse::Link,
            ),
            (
                "client_download_url".to_string(),
                self.client_download_url.as_str(),
                LinkUse::Link,
            ),
        ];
        for agreement in &self.agreements {
            for (lang, url) in [("zh-CN", &agreement.url.zh_cn), ("en", &agreement.url.en)] {
                let key = format!("agreements.{}.url.{lang}", agreement.id);
                links.push((key, url.as_str(), LinkUse::Resource));
            }
        }
        links.retain(|(_, url, _)| !url.is_empty());
        links
    }

    fn check_links(&self) -> Result<(), ConfigError> {
        for (key, url, use_) in self.links() {
            check_link(url, use_).map_err(|problem| ConfigError::Link { key, problem })?;
        }
        Ok(())
    }
}

/// An origin as browsers serialize it: `http` or `https`, `://`, a lower-case host (name, IPv4, or IPv6 in
/// brackets), an optional port; nothing after it, not even a `/`. Exactly what `postMessage` compares.
pub fn is_origin(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    if scheme != "http" && scheme != "https" {
        return false;
    }
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) if !rest.ends_with(']') => (host, Some(port)),
        _ => (rest, None),
    };
    let port_ok = port.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && !p.starts_with('0')
    });
    let host_ok = if let Some(inner) = host.strip_prefix('[') {
        inner.strip_suffix(']').is_some_and(|ip| {
            !ip.is_empty()
                && ip
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        }) && !host.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            })
    };
    port_ok && host_ok
}

/// A URL that stays on the page's own origin: a relative path (`themes/dark.css`) or one starting with a single
/// `/`; no scheme, no `//host`, no backslash, no spaces or quotes.
pub fn is_same_origin_path(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with("//")
        && !text
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .contains(':')
        && !text
            .chars()
            .any(|c| c == '\\' || c == '"' || c == '\'' || c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../../public/config.json");

    fn shipped() -> AppConfig {
        serde_json::from_str(SHIPPED).expect("public/config.json parses")
    }

    #[test]
    fn shipped_config_is_valid() {
        let config = shipped();
        assert_eq!(config.check(), Ok(()));
        assert_eq!(config.fee.amount_cny, 200);
        assert_eq!(config.quiz.pass_mark, 60);
    }

    #[test]
    fn the_receipt_email_quotes_the_application_exactly() {
        let email = shipped().receipt_email;
        assert_eq!(email.subject("李碳"), "湖北碳排放权交易中心企业邮箱+李碳");
        let link = email.mailto("李碳", "11010519491231002X");
        assert!(link.starts_with("mailto:hbtjs@hbets.cn?subject="), "{link}");
        // The link decodes to the same subject and text: CRLF between the lines, no `+` for spaces.
        let decode = |part: &str| {
            let bytes = part.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' {
                    out.push(u8::from_str_radix(&part[i + 1..i + 3], 16).unwrap());
                    i += 3;
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).unwrap()
        };
        let query = link.split_once('?').unwrap().1;
        let (subject, body) = query.split_once("&body=").unwrap();
        assert_eq!(
            decode(subject.trim_start_matches("subject=")),
            email.subject("李碳")
        );
        assert_eq!(
            decode(body),
            "客户姓名：李碳\r\n身份证号码：11010519491231002X"
        );
        assert!(!link.contains('+') && !link.contains(' '));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let text = SHIPPED.replace("\"help_line\"", "\"helpline\"");
        let error = serde_json::from_str::<AppConfig>(&text)
            .unwrap_err()
            .to_string();
        assert!(error.contains("helpline"), "{error}");
    }

    #[test]
    fn checks_catch_empty_values_and_ranges() {
        let mut config = shipped();
        config.fee.account = "  ".into();
        assert_eq!(config.check(), Err(ConfigError::Empty("fee.account")));

        let mut config = shipped();
        config.images.jpeg_quality = 1.5;
        assert_eq!(config.check(), Err(ConfigError::JpegQuality));

        let mut config = shipped();
        config.quiz.pass_mark = 0;
        assert_eq!(config.check(), Err(ConfigError::PassMark));

        let mut config = shipped();
        config.agreements.pop();
        assert_eq!(config.check(), Err(ConfigError::Agreements));

        let mut config = shipped();
        config.quiz.mode = QuizGate::External;
        config.quiz.external_url.clear();
        assert_eq!(config.check(), Err(ConfigError::Empty("quiz.external_url")));
    }

    #[test]
    fn the_optional_keys_default_to_off() {
        let mut value: serde_json::Value = serde_json::from_str(SHIPPED).expect("parses");
        for key in ["frame_parent_origins", "theme_stylesheet", "styleguide"] {
            value.as_object_mut().unwrap().remove(key);
        }
        let config: AppConfig = serde_json::from_value(value).expect("parses");
        assert_eq!(config, shipped());
        assert!(config.frame_parent_origins.is_empty());
        assert_eq!(config.theme_stylesheet, None);
        assert!(!config.styleguide);
    }

    #[test]
    fn frame_parent_origins_are_origins() {
        for good in [
            "https://www.hbets.cn",
            "http://127.0.0.1:8080",
            "http://localhost:3000",
            "https://[::1]:8443",
            "https://xn--fiqs8s.cn",
        ] {
            assert!(is_origin(good), "{good}");
            let mut config = shipped();
            config.frame_parent_origins = vec![good.into()];
            assert_eq!(config.check(), Ok(()), "{good}");
        }
        for bad in [
            "*",
            "https://www.hbets.cn/",
            "https://www.hbets.cn/kaihu",
            "www.hbets.cn",
            "HTTPS://www.hbets.cn",
            "https://WWW.hbets.cn",
            "ftp://www.hbets.cn",
            "https://www.hbets.cn:",
            "https://www.hbets.cn:080",
            "https://www.hbets.cn:123456",
            "https://",
            "https://a..b",
            "https://*.hbets.cn",
            "https://www.hbets.cn?x",
            "null",
        ] {
            assert!(!is_origin(bad), "{bad}");
            let mut config = shipped();
            config.frame_parent_origins = vec!["https://www.hbets.cn".into(), bad.into()];
            assert_eq!(
                config.check(),
                Err(ConfigError::FrameParentOrigin(bad.into())),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_theme_stays_on_the_apps_origin() {
        for good in [
            "themes/high-contrast.css",
            "./themes/a.css",
            "/kaihu/themes/a.css",
            "theme.css?v=2",
        ] {
            let mut config = shipped();
            config.theme_stylesheet = Some(good.into());
            assert_eq!(config.check(), Ok(()), "{good}");
        }
        for bad in [
            "",
            "https://cdn.example.cn/theme.css",
            "//cdn.example.cn/theme.css",
            "javascript:alert(1)",
            "data:text/css,body{}",
            "\\\\evil\\theme.css",
            "themes/a b.css",
            "themes/\"a.css",
        ] {
            let mut config = shipped();
            config.theme_stylesheet = Some(bad.into());
            assert_eq!(
                config.check(),
                Err(ConfigError::ThemeStylesheet(bad.into())),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_embedding_and_design_keys_are_read() {
        let mut value: serde_json::Value = serde_json::from_str(SHIPPED).expect("parses");
        value["frame_parent_origins"] = serde_json::json!(["https://www.hbets.cn"]);
        value["theme_stylesheet"] = serde_json::json!("themes/high-contrast.css");
        value["styleguide"] = serde_json::json!(true);
        let config: AppConfig = serde_json::from_value(value).expect("parses");
        assert_eq!(config.frame_parent_origins, ["https://www.hbets.cn"]);
        assert_eq!(
            config.theme_stylesheet.as_deref(),
            Some("themes/high-contrast.css")
        );
        assert!(config.styleguide);
        assert_eq!(config.check(), Ok(()));
    }

    #[test]
    fn every_address_is_checked_for_its_use() {
        let shipped = shipped();
        let keys: Vec<String> = shipped.links().into_iter().map(|(key, _, _)| key).collect();
        assert_eq!(keys.len(), 4 + 6, "{keys:?}");
        assert!(keys.contains(&"agreements.risk_disclosure.url.en".to_string()));

        let refused = |config: &AppConfig| match config.check() {
            Err(ConfigError::Link { key, problem }) => (key, problem),
            other => panic!("not refused for its address: {other:?}"),
        };
        let mut config = shipped.clone();
        config.quiz.external_url = "javascript:alert(document.domain)".into();
        assert_eq!(
            refused(&config),
            ("quiz.external_url".to_string(), LinkProblem::Scheme)
        );
        assert_eq!(config.check().unwrap_err().code(), "config_link_refused");

        let mut config = shipped.clone();
        config.client_download_url = "data:text/html;base64,PHNjcmlwdD4=".into();
        assert_eq!(refused(&config).0, "client_download_url");

        let mut config = shipped.clone();
        config.client_download_url = "/downloads/client.exe".into();
        assert_eq!(refused(&config).0, "client_download_url");

        let mut config = shipped.clone();
        config.agreements[1].url.en = "javascript:fetch('//x')".into();
        assert_eq!(refused(&config).0, "agreements.investor_notice.url.en");

        let mut config = shipped.clone();
        config.api_base_url = "//api.example.com/v1".into();
        assert_eq!(
            refused(&config),
            ("api_base_url".to_string(), LinkProblem::Host)
        );

        // Plain http is for this computer only (a backend started by `make dev`, say).
        let mut config = shipped.clone();
        config.api_base_url = "http://127.0.0.1:8080/api/v1".into();
        assert_eq!(config.check(), Ok(()));
        config.api_base_url = "http://kaihu.example.cn/api/v1".into();
        assert_eq!(refused(&config).1, LinkProblem::Scheme);

        // Unused in built-in mode, an empty questionnaire address is not checked; in external mode it must be
        // there and be a link.
        let mut config = shipped;
        config.quiz.external_url.clear();
        assert_eq!(config.check(), Ok(()));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::test_cases()))]

        /// Whatever `config.json` holds, reading and checking it answers (a value or an error), never panics;
        /// a configuration that passes has only allowed addresses.
        #[test]
        fn parsing_and_checking_never_panic(
            edits in proptest::collection::vec((0usize..SHIPPED.len(), proptest::prelude::any::<char>()), 0..4),
            cut in 0usize..=SHIPPED.len(),
        ) {
            let mut chars: Vec<char> = SHIPPED.chars().collect();
            for (at, c) in edits {
                let at = at % chars.len();
                chars[at] = c;
            }
            let whole: String = chars.iter().collect();
            let cut: String = chars[..cut.min(chars.len())].iter().collect();
            for text in [&whole, &cut] {
                if let Ok(config) = serde_json::from_str::<AppConfig>(text) {
                    if config.check().is_ok() {
                        for (key, url, use_) in config.links() {
                            proptest::prop_assert!(check_link(url, use_).is_ok(), "{key}");
                        }
                    }
                }
            }
        }
    }
}
