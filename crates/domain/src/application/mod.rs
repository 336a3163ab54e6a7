//! The whole application, checked section by section with the same functions on the page and on the server.
//!
//! Each section of the request — the market-entry gate ([`check_quiz`]), the identity ([`check_identity`]),
//! the account ([`check_account`]), the images ([`check_attachments`]), the agreements ([`check_agreements`])
//! and the consent ([`check_consent`]) — has one function that returns the section normalized or its field
//! errors, keyed by the dotted JSON path of the field ([`fields`]: `identity.document_number`,
//! `attachments.asset_proofs.1`, `agreements.risk_disclosure`, …), so that the app can show a server refusal on
//! the right page and field. The pages call the function of their section as the investor types;
//! [`check_application`] is their composition, which the backend runs on every submission. Every rule
//! parameter (pass mark, agreement and consent versions) comes from the app's configuration through [`Rules`].
//! What only a server can know — whether the uploads and the quiz attempt exist, whether the username is
//! free, whether the password is a common one — is checked by the backend on top of this.

mod account;
mod agreements;
mod attachments;
pub mod fields;
mod gate;
mod identity;

pub use account::{check_account, check_address, ValidAccount, ADDRESS_MAX_CHARS};
pub use agreements::{check_agreements, check_consent};
pub use attachments::{check_attachments, ValidAttachments};
pub use gate::{check_quiz, QuizRules, QUIZ_MAX_SCORE, QUIZ_PASS_MARK};
pub use identity::{check_identity, OwnDetails, ValidIdentity};

use std::collections::BTreeMap;

use crate::api::{
    codes, AgreementAcceptance, ApplicationRequest, Consent, FieldError, QuizAnswer, LOCALES,
};
use crate::config::AppConfig;
use crate::date::Date;
use crate::rule::RuleError;

/// Longest upload id, quiz attempt id or document version accepted.
pub const ID_MAX_CHARS: usize = 64;

/// The agreement and consent versions an application must carry: those of the app's `config.json`, so that
/// nobody is recorded as having accepted a text the app no longer shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Versions {
    /// Agreement id (`market_entry`, …) → version.
    pub agreements: BTreeMap<String, String>,
    /// `sensitive_data_consent.version`.
    pub consent: String,
}

impl Versions {
    pub fn of(config: &AppConfig) -> Versions {
        Versions {
            agreements: config
                .agreements
                .iter()
                .map(|a| (a.id.clone(), a.version.trim().to_string()))
                .collect(),
            consent: config.sensitive_data_consent.version.trim().to_string(),
        }
    }
}

/// The parameters of the rules, from the one configuration that the app and the backend both read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rules {
    pub quiz: QuizRules,
    /// `None`: any version is accepted (a backend started without the app's configuration).
    pub versions: Option<Versions>,
}

impl Rules {
    /// The rules of the app's configuration (`config.json`; the backend's `--app-config`).
    pub fn of(config: &AppConfig) -> Rules {
        Rules {
            quiz: QuizRules::of(&config.quiz),
            versions: Some(Versions::of(config)),
        }
    }
}

/// Field errors as a section check collects them.
#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn fail(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }

    /// The value of a validator's result, or `None` with its error recorded on `field`.
    fn take<T, E: RuleError>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        result
            .map_err(|e| self.fail(field, e.code(), e.to_string()))
            .ok()
    }

    /// Adds the errors of a section's result and gives its value, if any.
    fn section<T>(&mut self, result: Result<T, Vec<FieldError>>) -> Option<T> {
        result.map_err(|errors| self.0.extend(errors)).ok()
    }

    fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self.0)
        }
    }
}

/// An application that passed every rule, with its values normalized (trimmed name, upper-case check
/// character, 11-digit phone, lower-case email domain, agreements in the form's order).
#[derive(Clone, PartialEq, Eq)]
pub struct ValidApplication {
    pub quiz: QuizAnswer,
    pub name: String,
    pub document_type: crate::id_document::DocumentType,
    pub document_number: String,
    pub phone: String,
    pub username: String,
    pub password: String,
    pub address: Option<String>,
    pub email: String,
    pub id_front: String,
    pub id_back: String,
    pub asset_proofs: Vec<String>,
    pub agreements: Vec<AgreementAcceptance>,
    pub sensitive_data_consent: Consent,
    pub locale: String,
}

impl std::fmt::Debug for ValidApplication {
    /// Never prints the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidApplication")
            .field("name", &self.name)
            .field("document_type", &self.document_type)
            .field("username", &self.username)
            .field("password", &"<hidden>")
            .finish_non_exhaustive()
    }
}

/// Every rule-breaking field of `req`, empty when the application may be stored. `today` is the date in
/// Beijing (for the age rule).
pub fn validate_application(
    req: &ApplicationRequest,
    today: Date,
    rules: &Rules,
) -> Vec<FieldError> {
    check_application(req, today, rules)
        .err()
        .unwrap_or_default()
}

/// The normalized application, or every rule-breaking field in the order of the wizard's pages.
pub fn check_application(
    req: &ApplicationRequest,
    today: Date,
    rules: &Rules,
) -> Result<ValidApplication, Vec<FieldError>> {
    let mut errors = Errors::default();
    let versions = rules.versions.as_ref();
    let quiz = errors.section(check_quiz(&req.quiz, &rules.quiz));
    let identity = errors.section(check_identity(&req.identity, today));
    let details = OwnDetails::of(&req.identity, today);
    let account = errors.section(check_account(&req.account, &details));
    let attachments = errors.section(check_attachments(&req.attachments));
    let agreements = errors.section(check_agreements(&req.agreements, versions));
    let consent = errors.section(check_consent(&req.sensitive_data_consent, versions));
    if !LOCALES.contains(&req.locale.as_str()) {
        errors.fail(
            fields::LOCALE,
            codes::LOCALE_UNSUPPORTED,
            format!("locale must be one of {}", LOCALES.join(", ")),
        );
    }
    match (quiz, identity, account, attachments, agreements, consent) {
        (
            Some(quiz),
            Some(identity),
            Some(account),
            Some(attachments),
            Some(agreements),
            Some(consent),
        ) if errors.0.is_empty() => Ok(ValidApplication {
            quiz,
            name: identity.name,
            document_type: identity.document_type,
            document_number: identity.document_number,
            phone: identity.phone,
            username: account.username,
            password: account.password,
            address: account.address,
            email: account.email,
            id_front: attachments.id_front,
            id_back: attachments.id_back,
            asset_proofs: attachments.asset_proofs,
            agreements,
            sensitive_data_consent: consent,
            locale: req.locale.clone(),
        }),
        _ => Err(errors.0),
    }
}

/// Sorts field errors into the order of the wizard's pages (stable within a section).
pub fn in_page_order(errors: &mut [FieldError]) {
    errors.sort_by_key(|e| fields::section_rank(&e.field));
}

/// Upload ids and quiz attempt ids: 1–64 ASCII letters, digits, `_` or `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= ID_MAX_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Seconds since 1970-01-01T00:00:00Z of an RFC 3339 time such as `2026-03-15T02:14:09Z` or
/// `2026-03-15T10:14:09.250+08:00` (fractions of a second are dropped); `None` if it is not one.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || !b.is_ascii() {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        part.iter().all(u8::is_ascii_digit).then(|| {
            part.iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
        })
    };
    let punctuation_ok = b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't')
        && b[13] == b':'
        && b[16] == b':';
    if !punctuation_ok {
        return None;
    }
    let date = Date::new(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)?;
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = &fraction[n..];
    }
    let offset_s: i64 = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let two = |a: u8, b: u8| -> Option<i64> {
                (a.is_ascii_digit() && b.is_ascii_digit())
                    .then(|| i64::from(a - b'0') * 10 + i64::from(b - b'0'))
            };
            let (h, m) = (two(*h1, *h2)?, two(*m1, *m2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let offset = h * 3600 + m * 60;
            if *sign == b'+' {
                offset
            } else {
                -offset
            }
        }
        _ => return None,
    };
    let local = date.to_days_since_epoch() * 86_400
        + i64::from(hour) * 3600
        + i64::from(minute) * 60
        + i64::from(second);
    Some(local - offset_s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Account, AgreementId, Attachments, Identity, QuizMode, MAX_ASSET_PROOFS};
    use crate::id_document::DocumentType;

    fn today() -> Date {
        Date::new(2026, 3, 15).unwrap()
    }

    fn agreement(id: AgreementId) -> AgreementAcceptance {
        AgreementAcceptance {
            id,
            version: "sample-2026-1".into(),
            opened_at: "2026-03-15T02:05:10Z".into(),
            agreed_at: "2026-03-15T02:07:55Z".into(),
        }
    }

    fn valid() -> ApplicationRequest {
        ApplicationRequest {
            quiz: QuizAnswer {
                mode: QuizMode::BuiltIn,
                attempt_id: Some("qa_Vd3kP8sL1xN6mQ2r".into()),
                declared_score: None,
            },
            identity: Identity {
                name: " 李碳 ".into(),
                document_type: DocumentType::ResidentId,
                document_number: "11010519491231002x".into(),
                phone: "+86 138-1234-5678".into(),
            },
            account: Account {
                username: "carbon_li".into(),
                password: "green ledger 2026 spring".into(),
                address: Some("  武汉市武昌区中北路 1 号 ".into()),
                email: "li.tan@QQ.com".into(),
            },
            attachments: Attachments {
                id_front: "up_front".into(),
                id_back: "up_back".into(),
                asset_proofs: vec!["up_asset1".into(), "up_asset2".into()],
            },
            agreements: AgreementId::ALL.into_iter().map(agreement).collect(),
            sensitive_data_consent: Consent {
                version: "sample-2026-1".into(),
                agreed_at: "2026-03-15T02:01:47Z".into(),
            },
            locale: "zh-CN".into(),
        }
    }

    fn fields(req: &ApplicationRequest) -> Vec<(String, String)> {
        validate_application(req, today(), &Rules::default())
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    fn has(req: &ApplicationRequest, field: &str, code: &str) -> bool {
        fields(req).iter().any(|(f, c)| f == field && c == code)
    }

    #[test]
    fn a_valid_application_passes_and_is_normalized() {
        let req = valid();
        assert_eq!(
            validate_application(&req, today(), &Rules::default()),
            vec![]
        );
        let ok = check_application(&req, today(), &Rules::default()).unwrap();
        assert_eq!(ok.name, "李碳");
        assert_eq!(ok.document_number, "11010519491231002X");
        assert_eq!(ok.phone, "13812345678");
        assert_eq!(ok.email, "li.tan@qq.com");
        assert_eq!(ok.address.as_deref(), Some("武汉市武昌区中北路 1 号"));
        assert_eq!(ok.agreements.len(), 3);
        assert!(!format!("{ok:?}").contains("green ledger"));
    }

    #[test]
    fn every_field_error_names_its_json_path() {
        let mut req = valid();
        req.identity.name = "Li3".into();
        req.identity.document_number = "110105194912310021".into();
        req.identity.phone = "12345".into();
        req.account.username = "9lives".into();
        req.account.password = "short".into();
        req.account.email = "li.tan@".into();
        let got = fields(&req);
        let paths: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            paths,
            [
                "identity.name",
                "identity.document_number",
                "identity.phone",
                "account.username",
                "account.password",
                "account.email"
            ]
        );
        assert!(has(&req, "identity.document_number", "id_number_checksum"));
    }

    #[test]
    fn the_password_may_not_contain_the_username_phone_or_id_number() {
        let mut req = valid();
        req.account.password = "my carbon_li account".into();
        assert!(fields(&req).iter().any(|(f, _)| f == "account.password"));
        let mut req = valid();
        req.account.password = "call 13812345678 now".into();
        assert!(fields(&req).iter().any(|(f, _)| f == "account.password"));
        let mut req = valid();
        req.account.password = "id 11010519491231002X!".into();
        assert!(fields(&req).iter().any(|(f, _)| f == "account.password"));
    }

    #[test]
    fn underage_applicants_are_refused() {
        let mut req = valid();
        // Born 2010-01-01: 16 on 2026-03-15. Check character computed for the test.
        let first17 = "11010520100101001";
        let check = crate::id_document::resident_id_check_char(first17).unwrap();
        req.identity.document_number = format!("{first17}{check}");
        assert!(has(&req, "identity.document_number", "id_number_underage"));
    }

    #[test]
    fn built_in_quiz_needs_an_attempt_id() {
        let mut req = valid();
        req.quiz.attempt_id = None;
        assert!(has(&req, "quiz.attempt_id", codes::QUIZ_ATTEMPT_MISSING));
        req.quiz.attempt_id = Some("not an id!".into());
        assert!(has(&req, "quiz.attempt_id", codes::QUIZ_ATTEMPT_NOT_FOUND));
    }

    #[test]
    fn a_declared_score_must_pass_and_be_a_score() {
        let mut req = valid();
        req.quiz = QuizAnswer {
            mode: QuizMode::SelfDeclared,
            attempt_id: None,
            declared_score: None,
        };
        assert!(has(
            &req,
            "quiz.declared_score",
            codes::QUIZ_DECLARED_SCORE_MISSING
        ));
        for (score, ok) in [(59, false), (60, true), (100, true), (101, false)] {
            req.quiz.declared_score = Some(score);
            assert_eq!(fields(&req).is_empty(), ok, "score {score}");
        }
        req.quiz.declared_score = Some(59);
        assert!(has(&req, "quiz.declared_score", codes::QUIZ_NOT_PASSED));
        req.quiz.declared_score = Some(101);
        assert!(has(
            &req,
            "quiz.declared_score",
            codes::QUIZ_DECLARED_SCORE_OUT_OF_RANGE
        ));
    }

    #[test]
    fn attachments_are_required_once_each() {
        let mut req = valid();
        req.attachments.id_front = " ".into();
        req.attachments.asset_proofs = vec![];
        assert!(has(&req, "attachments.id_front", codes::ATTACHMENT_MISSING));
        assert!(has(
            &req,
            "attachments.asset_proofs",
            codes::ATTACHMENT_MISSING
        ));

        let mut req = valid();
        req.attachments.asset_proofs = vec!["up_asset1".into(), "up_back".into()];
        assert_eq!(
            fields(&req),
            [(
                "attachments.asset_proofs.1".to_string(),
                codes::UPLOAD_REPEATED.to_string()
            )]
        );

        let mut req = valid();
        req.attachments.asset_proofs = (0..=MAX_ASSET_PROOFS).map(|i| format!("up_{i}")).collect();
        assert!(has(
            &req,
            "attachments.asset_proofs",
            codes::ASSET_PROOFS_TOO_MANY
        ));
    }

    #[test]
    fn each_agreement_must_be_opened_then_accepted() {
        let mut req = valid();
        req.agreements
            .retain(|a| a.id != AgreementId::RiskDisclosure);
        assert_eq!(
            fields(&req),
            [(
                "agreements.risk_disclosure".to_string(),
                codes::AGREEMENT_MISSING.to_string()
            )]
        );

        let mut req = valid();
        req.agreements[0].agreed_at = "2026-03-15T02:00:00Z".into();
        assert!(has(
            &req,
            "agreements.market_entry",
            codes::AGREEMENT_NOT_OPENED
        ));

        let mut req = valid();
        req.agreements[1].opened_at = "yesterday".into();
        assert!(has(
            &req,
            "agreements.investor_notice",
            codes::TIMESTAMP_INVALID
        ));

        let mut req = valid();
        req.agreements[2].version = "".into();
        assert!(has(
            &req,
            "agreements.risk_disclosure",
            codes::AGREEMENT_VERSION_MISSING
        ));

        let mut req = valid();
        req.agreements.push(agreement(AgreementId::MarketEntry));
        assert!(has(
            &req,
            "agreements.market_entry",
            codes::AGREEMENT_REPEATED
        ));
    }

    #[test]
    fn consent_locale_and_address_are_checked() {
        let mut req = valid();
        req.sensitive_data_consent.version = " ".into();
        req.locale = "fr".into();
        req.account.address = Some("x".repeat(ADDRESS_MAX_CHARS + 1));
        assert!(has(&req, "sensitive_data_consent", codes::CONSENT_MISSING));
        assert!(has(&req, "locale", codes::LOCALE_UNSUPPORTED));
        assert!(has(&req, "account.address", codes::ADDRESS_TOO_LONG));

        let mut req = valid();
        req.account.address = Some("<script>".into());
        assert!(has(
            &req,
            "account.address",
            codes::ADDRESS_INVALID_CHARACTER
        ));
        req.account.address = Some("   ".into());
        assert!(fields(&req).is_empty());
        assert_eq!(
            check_application(&req, today(), &Rules::default())
                .unwrap()
                .address,
            None
        );
    }

    #[test]
    fn the_pass_mark_and_mode_come_from_the_rules() {
        let mut req = valid();
        req.quiz = QuizAnswer {
            mode: QuizMode::SelfDeclared,
            attempt_id: None,
            declared_score: Some(65),
        };
        assert!(fields(&req).is_empty());
        let strict = Rules {
            quiz: QuizRules {
                mode: None,
                pass_mark: 70,
            },
            versions: None,
        };
        let errors = validate_application(&req, today(), &strict);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            (fields::QUIZ_DECLARED_SCORE, codes::QUIZ_NOT_PASSED)
        );
        assert!(errors[0].message.contains("70"), "{}", errors[0].message);

        let built_in_only = Rules {
            quiz: QuizRules {
                mode: Some(QuizMode::BuiltIn),
                pass_mark: 60,
            },
            versions: None,
        };
        let errors = validate_application(&req, today(), &built_in_only);
        assert_eq!(
            errors
                .iter()
                .map(|e| (e.field.as_str(), e.code.as_str()))
                .collect::<Vec<_>>(),
            [(fields::QUIZ_MODE, codes::QUIZ_MODE_NOT_ALLOWED)]
        );
    }

    #[test]
    fn the_shipped_config_gives_its_rules() {
        let config: AppConfig =
            serde_json::from_str(include_str!("../../../../public/config.json")).unwrap();
        let rules = Rules::of(&config);
        assert_eq!(rules.quiz.pass_mark, config.quiz.pass_mark);
        assert_eq!(rules.quiz.mode, Some(QuizMode::BuiltIn));
        let versions = rules.versions.unwrap();
        assert_eq!(versions.consent, config.sensitive_data_consent.version);
        assert_eq!(versions.agreements.len(), 3);
    }

    #[test]
    fn agreements_and_consent_of_another_version_are_outdated() {
        let versions = Versions {
            agreements: AgreementId::ALL
                .into_iter()
                .map(|id| (id.as_str().to_string(), "sample-2026-1".to_string()))
                .collect(),
            consent: "sample-2026-1".into(),
        };
        let rules = Rules {
            versions: Some(versions),
            ..Rules::default()
        };
        let mut req = valid();
        assert!(validate_application(&req, today(), &rules).is_empty());
        req.agreements[1].version = "sample-2025-9".into();
        req.sensitive_data_consent.version = "sample-2025-9".into();
        let got: Vec<(String, String)> = validate_application(&req, today(), &rules)
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "agreements.investor_notice".to_string(),
                    codes::AGREEMENT_VERSION_OUTDATED.to_string()
                ),
                (
                    "sensitive_data_consent".to_string(),
                    codes::CONSENT_VERSION_OUTDATED.to_string()
                )
            ]
        );
        // A refusal of the rules comes first: an agreement accepted before it was opened is not also outdated.
        req.agreements[1].agreed_at = "2026-03-15T02:00:00Z".into();
        let errors = validate_application(&req, today(), &rules);
        assert_eq!(errors[0].code, codes::AGREEMENT_NOT_OPENED);
    }

    #[test]
    fn the_password_is_checked_against_the_normalized_phone_and_id_number() {
        let req = valid();
        let details = OwnDetails::of(&req.identity, today());
        assert_eq!(details.phone, "13812345678");
        assert_eq!(details.id_number, "11010519491231002X");
        let mut account = req.account.clone();
        account.password = "x13812345678y and more".into();
        let errors = check_account(&account, &details).unwrap_err();
        assert_eq!(errors[0].code, "password_contains_phone");
        // Details that are not valid yet are compared as typed.
        let mut identity = req.identity.clone();
        identity.phone = "12345 678".into();
        assert_eq!(OwnDetails::of(&identity, today()).phone, "12345 678");
    }

    #[test]
    fn errors_sort_in_page_order() {
        let mut errors: Vec<FieldError> = [
            "locale",
            "account.email",
            "quiz.attempt_id",
            "identity.name",
        ]
        .into_iter()
        .map(|f| FieldError::new(f, "x", ""))
        .collect();
        in_page_order(&mut errors);
        let order: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            order,
            [
                "quiz.attempt_id",
                "identity.name",
                "account.email",
                "locale"
            ]
        );
    }

    #[test]
    fn rfc3339_times_parse_with_offsets() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2026-03-15T02:14:09Z"), Some(1_773_540_849));
        assert_eq!(
            parse_rfc3339("2026-03-15T10:14:09.250+08:00"),
            Some(1_773_540_849)
        );
        assert_eq!(
            parse_rfc3339("2026-03-14T21:14:09-05:00"),
            Some(1_773_540_849)
        );
        for bad in [
            "",
            "2026-03-15",
            "2026-03-15 02:14:09Z",
            "2026-02-30T00:00:00Z",
            "2026-03-15T24:00:00Z",
            "2026-03-15T02:14:09",
            "2026-03-15T02:14:09.Z",
            "2026-03-15T02:14:09+0800",
            "２026-03-15T02:14:09Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }
}
