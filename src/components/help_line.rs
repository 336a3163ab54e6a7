//! The exchange's help line as a `tel:` link, and the footer of every page that carries it.

use crate::components::configured::Configured;
use crate::config::use_config;
use crate::i18n::*;
use leptos::prelude::*;

/// The `tel:` address of a phone number as written (`027-86657683` → `tel:027-86657683`): digits, `+` and the
/// visual separators RFC 3966 allows between them, nothing else.
pub fn tel_href(number: &str) -> String {
    let separator = |c: char| matches!(c, '-' | '.' | '(' | ')');
    let dialable: String = number
        .chars()
        .filter(|&c| c.is_ascii_digit() || c == '+' || separator(c))
        .collect();
    format!("tel:{}", dialable.trim_matches(separator))
}

/// The help line, dialled by a tap on a phone.
#[component]
pub fn HelpLine() -> impl IntoView {
    let number = use_config().help_line.clone();
    view! { <a class="help-line" href=tel_href(&number)>{number.clone()}</a> }
}

/// The footer, once the configuration that names the help line has loaded.
#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Configured quiet=true>
            <footer class="layout-footer">
                <p>{t!(i18n, help_line_label)} " " <HelpLine /></p>
            </footer>
        </Configured>
    }
}

#[cfg(test)]
mod tests {
    use super::tel_href;

    #[test]
    fn tel_links_keep_only_what_can_be_dialled() {
        assert_eq!(tel_href("027-86657683"), "tel:027-86657683");
        assert_eq!(tel_href(" +86 (27) 8665 7683 "), "tel:+86(27)86657683");
        assert_eq!(tel_href("javascript:alert(1)"), "tel:1");
    }
}
