//! Where a field of the application is on screen: its page and the id of its control, both derived from the
//! field's API path (`identity.document_number` → `/personal/identity`, `#identity-document-number`), so that a
//! server refusal and the page's own check land on the same control.

use crate::routes::Page;
use domain::application::fields;

/// The id of the page's control for a field's API path. Fields that are on a page but not in the
/// application request have paths of their own: `identity.code` (the SMS code), `account.password_confirm`,
/// `quiz.declared_confirm`.
pub fn dom_id(path: &str) -> String {
    let field = field_path(path);
    let (section, rest) = field.split_once('.').unwrap_or((field, ""));
    let kebab = rest.replace('_', "-");
    match section {
        "quiz" => kebab,
        "identity" => format!("identity-{kebab}"),
        "account" | "attachments" => format!("account-{kebab}"),
        "lookup" => format!("lookup-{kebab}"),
        "styleguide" => format!("styleguide-{kebab}"),
        // The agreement id as it stands in the config.
        "agreements" => format!("account-agreement-{rest}"),
        fields::CONSENT => "consent-agree".to_string(),
        _ => "review-submit".to_string(),
    }
}

/// The page on which the investor corrects the field.
pub fn page_of(path: &str) -> Page {
    match path.split('.').next().unwrap_or(path) {
        "quiz" => Page::Quiz,
        "identity" => Page::Identity,
        "account" | "attachments" | "agreements" => Page::Account,
        "lookup" => Page::StatusLookup,
        "styleguide" => Page::Styleguide,
        fields::CONSENT => Page::Consent,
        _ => Page::Review,
    }
}

/// The field a path is in: an item of a list (`attachments.asset_proofs.1`) belongs to the list's field.
pub fn field_path(path: &str) -> &str {
    match path.rsplit_once('.') {
        Some((list, index)) if !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()) => {
            list
        }
        _ => path,
    }
}

/// The address of the field's page that focuses its control and, with `from_review`, returns to the
/// check-answers page afterwards (the 修改 links, a server refusal taken back to its field).
pub fn link_to(path: &str, from_review: bool) -> String {
    page_of(path).at_field(&dom_id(path), from_review)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_pages_follow_the_api_paths() {
        let cases = [
            (fields::IDENTITY_NAME, "identity-name", Page::Identity),
            (
                fields::IDENTITY_DOCUMENT_NUMBER,
                "identity-document-number",
                Page::Identity,
            ),
            (fields::IDENTITY_PHONE, "identity-phone", Page::Identity),
            ("identity.code", "identity-code", Page::Identity),
            (fields::ACCOUNT_USERNAME, "account-username", Page::Account),
            (
                "account.password_confirm",
                "account-password-confirm",
                Page::Account,
            ),
            (fields::ID_FRONT, "account-id-front", Page::Account),
            (
                "attachments.asset_proofs.3",
                "account-asset-proofs",
                Page::Account,
            ),
            (
                "agreements.market_entry",
                "account-agreement-market_entry",
                Page::Account,
            ),
            (fields::CONSENT, "consent-agree", Page::Consent),
            (fields::QUIZ_DECLARED_SCORE, "declared-score", Page::Quiz),
            (fields::LOCALE, "review-submit", Page::Review),
            ("lookup.reference", "lookup-reference", Page::StatusLookup),
        ];
        for (path, id, page) in cases {
            assert_eq!((dom_id(path).as_str(), page_of(path)), (id, page), "{path}");
        }
        assert_eq!(
            link_to(fields::ACCOUNT_EMAIL, true),
            "/personal/account?return=review#account-email"
        );
    }
}
