//! The whole application, checked field by field with the same validators the app uses on each page.
//!
//! Errors name the dotted JSON path of the field in [`ApplicationRequest`] (`identity.document_number`,
//! `account.password`, `attachments.asset_proofs.1`, `agreements.risk_disclosure`, …) so that the app can
//! send the investor back to the right page and field. What only a server can know — whether the uploads and
//! the quiz attempt exist, whether the username is free, whether the password is on the list of common
//! passwords — is checked by the backend on top of this.

use crate::api::{
    codes, AgreementAcceptance, AgreementId, ApplicationRequest, Consent, FieldError, QuizAnswer,
    QuizMode, LOCALES, MAX_ASSET_PROOFS,
};
use crate::date::Date;
use crate::email::validate_email;
use crate::id_document::{validate_document, DocumentType};
use crate::name::validate_name;
use crate::password::{validate_password, PasswordContext};
use crate::phone::normalize_phone;
use crate::username::validate_username;

/// Lowest score that passes the market-entry test, and the highest there is.
pub const QUIZ_PASS_MARK: u32 = 60;
pub const QUIZ_MAX_SCORE: u32 = 100;
/// Longest postal address, in characters.
pub const ADDRESS_MAX_CHARS: usize = 200;
/// Longest upload id, quiz attempt id or document version accepted.
pub const ID_MAX_CHARS: usize = 64;

/// An application that passed every rule, with its values normalized (trimmed name, upper-case check
/// character, 11-digit phone, lower-case email domain, agreements in the form's order).
#[derive(Clone, PartialEq, Eq)]
pub struct ValidApplication {
    pub quiz: QuizAnswer,
    pub name: String,
    pub document_type: DocumentType,
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

/// The optional postal address, trimmed (`None` when empty), or the code of the rule it breaks: at most
/// [`ADDRESS_MAX_CHARS`] characters, no control or markup characters.
pub fn check_address(input: &str) -> Result<Option<String>, &'static str> {
    match input.trim() {
        "" => Ok(None),
        a if a.chars().count() > ADDRESS_MAX_CHARS => Err(codes::ADDRESS_TOO_LONG),
        a if a.chars().any(|c| c.is_control() || c == '<' || c == '>') => {
            Err(codes::ADDRESS_INVALID_CHARACTER)
        }
        a => Ok(Some(a.to_string())),
    }
}

/// Every rule-breaking field of `req`, empty when the application may be stored. `today` is the date in
/// Beijing (for the age rule).
pub fn validate_application(req: &ApplicationRequest, today: Date) -> Vec<FieldError> {
    check_application(req, today).err().unwrap_or_default()
}

/// The normalized application, or every rule-breaking field.
pub fn check_application(
    req: &ApplicationRequest,
    today: Date,
) -> Result<ValidApplication, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut fail = |field: &str, code: &str, message: String| {
        errors.push(FieldError::new(field, code, message));
    };

    // Quiz.
    let quiz = match req.quiz.mode {
        QuizMode::BuiltIn => {
            let id = req.quiz.attempt_id.as_deref().map(str::trim).unwrap_or("");
            if id.is_empty() {
                fail(
                    "quiz.attempt_id",
                    codes::QUIZ_ATTEMPT_MISSING,
                    "the quiz attempt is missing".into(),
                );
            } else if !is_valid_id(id) {
                fail(
                    "quiz.attempt_id",
                    codes::QUIZ_ATTEMPT_NOT_FOUND,
                    "not a quiz attempt id".into(),
                );
            }
            QuizAnswer {
                mode: QuizMode::BuiltIn,
                attempt_id: Some(id.to_string()),
                declared_score: None,
            }
        }
        QuizMode::SelfDeclared => {
            match req.quiz.declared_score {
                None => fail(
                    "quiz.declared_score",
                    codes::QUIZ_DECLARED_SCORE_MISSING,
                    "the declared quiz score is missing".into(),
                ),
                Some(score) if score > QUIZ_MAX_SCORE => fail(
                    "quiz.declared_score",
                    codes::QUIZ_DECLARED_SCORE_OUT_OF_RANGE,
                    format!("a score is at most {QUIZ_MAX_SCORE}"),
                ),
                Some(score) if score < QUIZ_PASS_MARK => fail(
                    "quiz.declared_score",
                    codes::QUIZ_NOT_PASSED,
                    format!("{QUIZ_PASS_MARK} points are needed to pass"),
                ),
                Some(_) => {}
            }
            QuizAnswer {
                mode: QuizMode::SelfDeclared,
                attempt_id: None,
                declared_score: req.quiz.declared_score,
            }
        }
    };

    // Identity.
    let name = validate_name(&req.identity.name)
        .map_err(|e| fail("identity.name", e.code(), e.to_string()))
        .unwrap_or_default();
    let document_number = validate_document(
        req.identity.document_type,
        &req.identity.document_number,
        today,
    )
    .map_err(|e| fail("identity.document_number", e.code(), e.to_string()))
    .unwrap_or_default();
    let phone = normalize_phone(&req.identity.phone)
        .map_err(|e| fail("identity.phone", e.code(), e.to_string()))
        .unwrap_or_default();

    // Account.
    let username = validate_username(&req.account.username)
        .map_err(|e| fail("account.username", e.code(), e.to_string()))
        .unwrap_or_default();
    let context = PasswordContext {
        username: if username.is_empty() {
            &req.account.username
        } else {
            &username
        },
        phone: if phone.is_empty() {
            &req.identity.phone
        } else {
            &phone
        },
        id_number: if document_number.is_empty() {
            &req.identity.document_number
        } else {
            &document_number
        },
    };
    if let Err(e) = validate_password(&req.account.password, &context) {
        fail("account.password", e.code(), e.to_string());
    }
    let address = match check_address(req.account.address.as_deref().unwrap_or("")) {
        Ok(address) => address,
        Err(code) => {
            let message = if code == codes::ADDRESS_TOO_LONG {
                format!("an address has at most {ADDRESS_MAX_CHARS} characters")
            } else {
                "the address contains control or markup characters".to_string()
            };
            fail("account.address", code, message);
            None
        }
    };
    let email = validate_email(&req.account.email)
        .map_err(|e| fail("account.email", e.code(), e.to_string()))
        .unwrap_or_default();

    // Attachments: upload ids, each used once.
    let mut seen: Vec<String> = Vec::new();
    let mut check_upload = |field: &str, id: &str, fail: &mut dyn FnMut(&str, &str, String)| {
        let id = id.trim();
        if id.is_empty() {
            fail(
                field,
                codes::ATTACHMENT_MISSING,
                "the image is missing".into(),
            );
        } else if !is_valid_id(id) {
            fail(field, codes::UPLOAD_NOT_FOUND, "not an upload id".into());
        } else if seen.iter().any(|s| s == id) {
            fail(
                field,
                codes::UPLOAD_REPEATED,
                "the same image is attached twice".into(),
            );
        } else {
            seen.push(id.to_string());
        }
    };
    let attachments = &req.attachments;
    check_upload("attachments.id_front", &attachments.id_front, &mut fail);
    check_upload("attachments.id_back", &attachments.id_back, &mut fail);
    if attachments.asset_proofs.is_empty() {
        fail(
            "attachments.asset_proofs",
            codes::ATTACHMENT_MISSING,
            "at least one proof of assets is needed".into(),
        );
    } else if attachments.asset_proofs.len() > MAX_ASSET_PROOFS {
        fail(
            "attachments.asset_proofs",
            codes::ASSET_PROOFS_TOO_MANY,
            format!("at most {MAX_ASSET_PROOFS} proofs of assets"),
        );
    } else {
        for (i, id) in attachments.asset_proofs.iter().enumerate() {
            check_upload(&format!("attachments.asset_proofs.{i}"), id, &mut fail);
        }
    }

    // Agreements: each of the three once, opened before agreed.
    let mut agreements = Vec::new();
    for id in AgreementId::ALL {
        let field = format!("agreements.{}", id.as_str());
        let entries: Vec<&AgreementAcceptance> =
            req.agreements.iter().filter(|a| a.id == id).collect();
        let entry = match entries.as_slice() {
            [] => {
                fail(
                    &field,
                    codes::AGREEMENT_MISSING,
                    "the agreement was not accepted".into(),
                );
                continue;
            }
            [entry] => *entry,
            _ => {
                fail(
                    &field,
                    codes::AGREEMENT_REPEATED,
                    "the agreement is listed more than once".into(),
                );
                continue;
            }
        };
        if !is_valid_version(&entry.version) {
            fail(
                &field,
                codes::AGREEMENT_VERSION_MISSING,
                "the version of the agreement text is missing".into(),
            );
            continue;
        }
        match (
            parse_rfc3339(&entry.opened_at),
            parse_rfc3339(&entry.agreed_at),
        ) {
            (Some(opened), Some(agreed)) if agreed >= opened => agreements.push(entry.clone()),
            (Some(_), Some(_)) => fail(
                &field,
                codes::AGREEMENT_NOT_OPENED,
                "the agreement was accepted before it was opened".into(),
            ),
            _ => fail(
                &field,
                codes::TIMESTAMP_INVALID,
                "opened_at and agreed_at must be RFC 3339 times".into(),
            ),
        }
    }

    let consent = &req.sensitive_data_consent;
    if !is_valid_version(&consent.version) {
        fail(
            "sensitive_data_consent",
            codes::CONSENT_MISSING,
            "consent to the processing of sensitive personal information is missing".into(),
        );
    } else if parse_rfc3339(&consent.agreed_at).is_none() {
        fail(
            "sensitive_data_consent",
            codes::TIMESTAMP_INVALID,
            "agreed_at must be an RFC 3339 time".into(),
        );
    }

    if !LOCALES.contains(&req.locale.as_str()) {
        fail(
            "locale",
            codes::LOCALE_UNSUPPORTED,
            format!("locale must be one of {}", LOCALES.join(", ")),
        );
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidApplication {
        quiz,
        name,
        document_type: req.identity.document_type,
        document_number,
        phone,
        username,
        password: req.account.password.clone(),
        address,
        email,
        id_front: attachments.id_front.trim().to_string(),
        id_back: attachments.id_back.trim().to_string(),
        asset_proofs: attachments
            .asset_proofs
            .iter()
            .map(|id| id.trim().to_string())
            .collect(),
        agreements,
        sensitive_data_consent: consent.clone(),
        locale: req.locale.clone(),
    })
}

/// Upload ids and quiz attempt ids: 1–64 ASCII letters, digits, `_` or `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= ID_MAX_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn is_valid_version(version: &str) -> bool {
    let v = version.trim();
    !v.is_empty() && v.chars().count() <= ID_MAX_CHARS && !v.chars().any(char::is_control)
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
    use crate::api::{Account, Attachments, Identity};

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
        validate_application(req, today())
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
        assert_eq!(validate_application(&req, today()), vec![]);
        let ok = check_application(&req, today()).unwrap();
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
        assert_eq!(check_application(&req, today()).unwrap().address, None);
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
