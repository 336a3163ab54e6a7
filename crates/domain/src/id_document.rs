//! Identity documents (证件类型 / 证件号码) and their numbers.
//!
//! - 居民身份证: GB 11643 citizen identification number, 18 characters.
//! - 港澳居民来往内地通行证: `H`/`M` + 8 digits (the legacy booklet: + 10 digits).
//! - 台湾居民来往大陆通行证: 8 digits.
//! - 港澳台居民居住证: 18 characters like a resident ID, region 810000 (HK), 820000 (Macau), 830000 (Taiwan).
//! - 外国人永久居留身份证: 2023 card 18 digits starting with 9 with the GB 11643 check character;
//!   the 2017 card 3 letters (nationality) + 12 digits.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::date::Date;

/// Minimum age to open an account, in full years.
pub const MIN_AGE: i32 = 18;

/// Weights of the first 17 characters of a GB 11643 number.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character indexed by the weighted sum modulo 11.
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Province-level codes (first two digits) of mainland resident ID numbers.
const MAINLAND_PROVINCES: [&str; 31] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
];

/// Region codes of residence permits for residents of Hong Kong, Macau and Taiwan.
const RESIDENCE_PERMIT_REGIONS: [&str; 3] = ["810000", "820000", "830000"];

/// Birth dates before this year are taken as typing mistakes.
const EARLIEST_BIRTH_YEAR: i32 = 1900;

/// The kind of identity document the investor applies with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// 居民身份证
    #[default]
    ResidentId,
    /// 港澳居民来往内地通行证
    HkMacauPermit,
    /// 台湾居民来往大陆通行证
    TaiwanPermit,
    /// 港澳台居民居住证
    ResidencePermit,
    /// 外国人永久居留身份证
    ForeignPermanentResident,
}

impl DocumentType {
    /// All document types, in the order the form lists them.
    pub const ALL: [DocumentType; 5] = [
        DocumentType::ResidentId,
        DocumentType::HkMacauPermit,
        DocumentType::TaiwanPermit,
        DocumentType::ResidencePermit,
        DocumentType::ForeignPermanentResident,
    ];

    /// Stable code, the same as the serde name.
    pub fn code(self) -> &'static str {
        match self {
            DocumentType::ResidentId => "resident_id",
            DocumentType::HkMacauPermit => "hk_macau_permit",
            DocumentType::TaiwanPermit => "taiwan_permit",
            DocumentType::ResidencePermit => "residence_permit",
            DocumentType::ForeignPermanentResident => "foreign_permanent_resident",
        }
    }

    /// The type with this code, if any.
    pub fn from_code(code: &str) -> Option<DocumentType> {
        DocumentType::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Whether numbers of this type carry the birth date, so that the age rule can be checked.
    pub fn carries_birth_date(self) -> bool {
        matches!(
            self,
            DocumentType::ResidentId
                | DocumentType::ResidencePermit
                | DocumentType::ForeignPermanentResident
        )
    }
}

/// Why a document number was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DocumentError {
    #[error("document number is empty")]
    Empty,
    /// Wrong number of characters for the document type.
    #[error("document number has the wrong length")]
    Length,
    /// Right length, but characters that this document type does not use where they are.
    #[error("document number has the wrong format")]
    Format,
    /// The region code is not one this document type uses.
    #[error("document number has an invalid region code")]
    Region,
    /// The number is well-formed but belongs to another document type (e.g. a residence permit
    /// number entered as a resident ID).
    #[error("document number belongs to another document type ({})", .0.code())]
    OtherDocumentType(DocumentType),
    #[error("birth date in document number is not a real date")]
    InvalidBirthDate,
    #[error("birth date in document number is in the future")]
    BirthDateInFuture,
    #[error("applicant is under {MIN_AGE}")]
    Underage,
    #[error("check character of document number is wrong")]
    Checksum,
}

impl DocumentError {
    /// Stable code for the API and the locale files.
    pub fn code(&self) -> &'static str {
        match self {
            DocumentError::Empty => "id_number_empty",
            DocumentError::Length => "id_number_length",
            DocumentError::Format => "id_number_format",
            DocumentError::Region => "id_number_region",
            DocumentError::OtherDocumentType(_) => "id_number_other_document_type",
            DocumentError::InvalidBirthDate => "id_number_birth_date",
            DocumentError::BirthDateInFuture => "id_number_birth_date_future",
            DocumentError::Underage => "id_number_underage",
            DocumentError::Checksum => "id_number_checksum",
        }
    }
}

/// The GB 11643 check character for 17 leading digits, or `None` when `first17` is not 17 ASCII digits.
pub fn resident_id_check_char(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(char::from(CHECK_CHARS[(sum % 11) as usize]))
}

/// Trims, drops inner spaces, turns full-width letters and digits into ASCII and upper-cases.
fn normalize(number: &str) -> String {
    number
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks an 18-character GB 11643-style number: format, date, check character, age.
/// `region_ok` judges the first six digits.
fn check_gb11643(
    n: &str,
    today: Date,
    region_ok: impl Fn(&str) -> Result<(), DocumentError>,
) -> Result<(), DocumentError> {
    if n.chars().count() != 18 {
        return Err(DocumentError::Length);
    }
    if !n.is_ascii() {
        return Err(DocumentError::Format);
    }
    // 18 ASCII characters from here on, so byte slicing is safe.
    let (first17, last) = n.split_at(17);
    if !all_digits(first17) || !(all_digits(last) || last == "X") {
        return Err(DocumentError::Format);
    }
    region_ok(&n[..6])?;
    let birth = Date::parse_yyyymmdd(&n[6..14]).ok_or(DocumentError::InvalidBirthDate)?;
    if birth.year < EARLIEST_BIRTH_YEAR {
        return Err(DocumentError::InvalidBirthDate);
    }
    if resident_id_check_char(first17) != last.chars().next() {
        return Err(DocumentError::Checksum);
    }
    if birth > today {
        return Err(DocumentError::BirthDateInFuture);
    }
    if birth.age_on(today) < MIN_AGE {
        return Err(DocumentError::Underage);
    }
    Ok(())
}

fn resident_region(region: &str) -> Result<(), DocumentError> {
    let province = &region[..2];
    if RESIDENCE_PERMIT_REGIONS.contains(&region) {
        Err(DocumentError::OtherDocumentType(
            DocumentType::ResidencePermit,
        ))
    } else if province.starts_with('9') {
        Err(DocumentError::OtherDocumentType(
            DocumentType::ForeignPermanentResident,
        ))
    } else if MAINLAND_PROVINCES.contains(&province) {
        Ok(())
    } else {
        Err(DocumentError::Region)
    }
}

fn residence_permit_region(region: &str) -> Result<(), DocumentError> {
    if RESIDENCE_PERMIT_REGIONS.contains(&region) {
        Ok(())
    } else if MAINLAND_PROVINCES.contains(&&region[..2]) {
        Err(DocumentError::OtherDocumentType(DocumentType::ResidentId))
    } else {
        Err(DocumentError::Region)
    }
}

fn foreign_region(region: &str) -> Result<(), DocumentError> {
    if region.starts_with('9') {
        Ok(())
    } else if RESIDENCE_PERMIT_REGIONS.contains(&region) {
        Err(DocumentError::OtherDocumentType(
            DocumentType::ResidencePermit,
        ))
    } else if MAINLAND_PROVINCES.contains(&&region[..2]) {
        Err(DocumentError::OtherDocumentType(DocumentType::ResidentId))
    } else {
        Err(DocumentError::Format)
    }
}

/// Validates a document number for `doc_type` and returns it normalized: spaces removed, full-width
/// characters made ASCII, letters upper-cased (a resident ID ending in `x` is stored with `X`).
///
/// `today` is the date in China used for "not in the future" and "at least 18".
pub fn validate_document(
    doc_type: DocumentType,
    number: &str,
    today: Date,
) -> Result<String, DocumentError> {
    let n = normalize(number);
    if n.is_empty() {
        return Err(DocumentError::Empty);
    }
    let len = n.chars().count();
    match doc_type {
        DocumentType::ResidentId => check_gb11643(&n, today, resident_region)?,
        DocumentType::ResidencePermit => check_gb11643(&n, today, residence_permit_region)?,
        DocumentType::HkMacauPermit => {
            if len != 9 && len != 11 {
                return Err(DocumentError::Length);
            }
            let ok = n.is_ascii() && matches!(n.as_bytes()[0], b'H' | b'M') && all_digits(&n[1..]);
            if !ok {
                return Err(DocumentError::Format);
            }
        }
        DocumentType::TaiwanPermit => {
            if len != 8 {
                return Err(DocumentError::Length);
            }
            if !all_digits(&n) {
                return Err(DocumentError::Format);
            }
        }
        DocumentType::ForeignPermanentResident => match len {
            18 => check_gb11643(&n, today, foreign_region)?,
            15 => {
                let ok = n.is_ascii()
                    && n.as_bytes()[..3].iter().all(u8::is_ascii_uppercase)
                    && all_digits(&n[3..]);
                if !ok {
                    return Err(DocumentError::Format);
                }
            }
            _ => return Err(DocumentError::Length),
        },
    }
    Ok(n)
}

/// The birth date written in a document number, where the document type has one
/// (resident ID, residence permit, 2023 foreign permanent resident card) and it is a real date.
pub fn birth_date(doc_type: DocumentType, number: &str) -> Option<Date> {
    if !doc_type.carries_birth_date() {
        return None;
    }
    let n = normalize(number);
    if n.len() != 18 || !n.is_ascii() {
        return None;
    }
    Date::parse_yyyymmdd(&n[6..14])
}

/// Masks a document number for display: the first 3 and last 4 characters stay, the rest become `*`
/// (`420106199001011234` → `420***********1234`). Numbers shorter than 8 characters keep only their
/// last half.
pub fn mask_document_number(number: &str) -> String {
    let chars: Vec<char> = number.trim().chars().collect();
    let n = chars.len();
    let (head, tail) = if n >= 8 { (3, 4) } else { (0, n / 2) };
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i < head || i >= n - tail { c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> Date {
        Date::new(2024, 6, 15).unwrap()
    }

    /// A number from 17 digits plus its check character.
    fn with_check(first17: &str) -> String {
        format!("{first17}{}", resident_id_check_char(first17).unwrap())
    }

    fn resident(n: &str) -> Result<String, DocumentError> {
        validate_document(DocumentType::ResidentId, n, today())
    }

    #[test]
    fn well_known_sample_is_valid() {
        assert_eq!(resident_id_check_char("11010519491231002"), Some('X'));
        assert_eq!(
            resident("11010519491231002X").as_deref(),
            Ok("11010519491231002X")
        );
        assert_eq!(
            resident("11010519491231002x").as_deref(),
            Ok("11010519491231002X")
        );
        assert_eq!(
            resident(" 110105 19491231 002x ").as_deref(),
            Ok("11010519491231002X")
        );
        assert_eq!(
            resident("１１０１０５１９４９１２３１００２ｘ").as_deref(),
            Ok("11010519491231002X")
        );
        // Another published sample, check digit 0.
        assert_eq!(resident_id_check_char("44052418800101001"), Some('4'));
        let wuhan = with_check("42010619900101123");
        assert_eq!(resident(&wuhan), Ok(wuhan.clone()));
    }

    #[test]
    fn check_char_needs_17_digits() {
        assert_eq!(resident_id_check_char("1101051949123100"), None);
        assert_eq!(resident_id_check_char("110105194912310021"), None);
        assert_eq!(resident_id_check_char("1101051949123100a"), None);
    }

    #[test]
    fn wrong_checksum() {
        assert_eq!(resident("110105194912310021"), Err(DocumentError::Checksum));
        assert_eq!(resident("110105194912310020"), Err(DocumentError::Checksum));
        // Two digits swapped.
        assert_eq!(resident("11010519491213002X"), Err(DocumentError::Checksum));
        assert_eq!(DocumentError::Checksum.code(), "id_number_checksum");
    }

    #[test]
    fn length_and_format() {
        assert_eq!(resident(""), Err(DocumentError::Empty));
        assert_eq!(resident("   "), Err(DocumentError::Empty));
        assert_eq!(resident("11010519491231002"), Err(DocumentError::Length));
        assert_eq!(resident("11010519491231002X1"), Err(DocumentError::Length));
        // The old 15-digit numbers are no longer valid documents.
        assert_eq!(resident("110105491231002"), Err(DocumentError::Length));
        assert_eq!(resident("1101051949123100X2"), Err(DocumentError::Format));
        assert_eq!(resident("11010519491231002Y"), Err(DocumentError::Format));
        assert_eq!(resident("11010519491231002中"), Err(DocumentError::Format));
        assert_eq!(resident("1101051949-231002X"), Err(DocumentError::Format));
    }

    #[test]
    fn region_of_resident_id() {
        assert_eq!(
            resident(&with_check("00010519491231002")),
            Err(DocumentError::Region)
        );
        assert_eq!(
            resident(&with_check("99010519491231002")),
            Err(DocumentError::OtherDocumentType(
                DocumentType::ForeignPermanentResident
            ))
        );
        assert_eq!(
            resident(&with_check("81000019900101001")),
            Err(DocumentError::OtherDocumentType(
                DocumentType::ResidencePermit
            ))
        );
    }

    #[test]
    fn birth_date_must_be_real_and_past() {
        assert_eq!(
            resident(&with_check("42010619990230123")),
            Err(DocumentError::InvalidBirthDate)
        );
        assert_eq!(
            resident(&with_check("42010619991301123")),
            Err(DocumentError::InvalidBirthDate)
        );
        assert_eq!(
            resident(&with_check("42010618991231123")),
            Err(DocumentError::InvalidBirthDate)
        );
        assert_eq!(
            resident(&with_check("42010620240616123")),
            Err(DocumentError::BirthDateInFuture)
        );
        assert_eq!(
            resident(&with_check("42010620300101123")),
            Err(DocumentError::BirthDateInFuture)
        );
        // Born today: not in the future, but far from 18.
        assert_eq!(
            resident(&with_check("42010620240615123")),
            Err(DocumentError::Underage)
        );
        // A leap day is a real date.
        assert!(resident(&with_check("42010620000229123")).is_ok());
    }

    #[test]
    fn applicant_must_be_18() {
        // 18 today.
        assert!(resident(&with_check("42010620060615123")).is_ok());
        // 18 tomorrow.
        assert_eq!(
            resident(&with_check("42010620060616123")),
            Err(DocumentError::Underage)
        );
        assert_eq!(
            resident(&with_check("42010620100101123")),
            Err(DocumentError::Underage)
        );
        // Born on 29 February: 18 on 1 March of a common year.
        let leap = with_check("42010620040229123");
        let feb28 = Date::new(2022, 2, 28).unwrap();
        let mar1 = Date::new(2022, 3, 1).unwrap();
        assert_eq!(
            validate_document(DocumentType::ResidentId, &leap, feb28),
            Err(DocumentError::Underage)
        );
        assert!(validate_document(DocumentType::ResidentId, &leap, mar1).is_ok());
    }

    #[test]
    fn hk_macau_permit() {
        let v = |n: &str| validate_document(DocumentType::HkMacauPermit, n, today());
        assert_eq!(v("H12345678").as_deref(), Ok("H12345678"));
        assert_eq!(v("m87654321").as_deref(), Ok("M87654321"));
        assert_eq!(v("H1234567890").as_deref(), Ok("H1234567890"));
        assert_eq!(v("H1234567"), Err(DocumentError::Length));
        assert_eq!(v("H123456789"), Err(DocumentError::Length));
        assert_eq!(v("K12345678"), Err(DocumentError::Format));
        assert_eq!(v("H1234567A"), Err(DocumentError::Format));
        assert_eq!(v("123456789"), Err(DocumentError::Format));
        assert_eq!(v(""), Err(DocumentError::Empty));
    }

    #[test]
    fn taiwan_permit() {
        let v = |n: &str| validate_document(DocumentType::TaiwanPermit, n, today());
        assert_eq!(v("12345678").as_deref(), Ok("12345678"));
        assert_eq!(v(" 1234 5678 ").as_deref(), Ok("12345678"));
        assert_eq!(v("1234567"), Err(DocumentError::Length));
        assert_eq!(v("123456789"), Err(DocumentError::Length));
        assert_eq!(v("T1234567"), Err(DocumentError::Format));
    }

    #[test]
    fn residence_permit() {
        let v = |n: &str| validate_document(DocumentType::ResidencePermit, n, today());
        for region in ["810000", "820000", "830000"] {
            let n = with_check(&format!("{region}19900101123"));
            assert_eq!(v(&n), Ok(n.clone()));
            assert_eq!(
                birth_date(DocumentType::ResidencePermit, &n),
                Date::new(1990, 1, 1)
            );
        }
        assert_eq!(
            v(&with_check("81000119900101123")),
            Err(DocumentError::Region)
        );
        assert_eq!(
            v(&with_check("84000019900101123")),
            Err(DocumentError::Region)
        );
        assert_eq!(
            v(&with_check("42010619900101123")),
            Err(DocumentError::OtherDocumentType(DocumentType::ResidentId))
        );
        let bad = with_check("81000019900101123");
        let wrong_last = if bad.ends_with('1') { "2" } else { "1" };
        assert_eq!(
            v(&format!("{}{wrong_last}", &bad[..17])),
            Err(DocumentError::Checksum)
        );
        assert_eq!(
            v(&with_check("82000020100101123")),
            Err(DocumentError::Underage)
        );
        assert_eq!(
            v(&with_check("83000019900231123")),
            Err(DocumentError::InvalidBirthDate)
        );
    }

    #[test]
    fn foreign_permanent_resident() {
        let v = |n: &str| validate_document(DocumentType::ForeignPermanentResident, n, today());
        // 2023 card: 9 + province 11 + nationality 840 + birth date + sequence + check.
        let n = with_check("91184019850304001");
        assert_eq!(v(&n), Ok(n.clone()));
        assert_eq!(
            birth_date(DocumentType::ForeignPermanentResident, &n),
            Date::new(1985, 3, 4)
        );
        let wrong_last = if n.ends_with('1') { "2" } else { "1" };
        assert_eq!(
            v(&format!("{}{wrong_last}", &n[..17])),
            Err(DocumentError::Checksum)
        );
        assert_eq!(
            v(&with_check("42010619900101123")),
            Err(DocumentError::OtherDocumentType(DocumentType::ResidentId))
        );
        assert_eq!(
            v(&with_check("71184019850304001")),
            Err(DocumentError::Format)
        );
        assert_eq!(
            v(&with_check("91184020100304001")),
            Err(DocumentError::Underage)
        );
        // 2017 card: nationality letters + 12 digits.
        assert_eq!(v("usa110085030401").as_deref(), Ok("USA110085030401"));
        assert_eq!(v("US1110085030401"), Err(DocumentError::Format));
        assert_eq!(v("USA11008503040X"), Err(DocumentError::Format));
        assert_eq!(v("USA11008503040"), Err(DocumentError::Length));
        assert_eq!(
            birth_date(DocumentType::ForeignPermanentResident, "USA110085030401"),
            None
        );
    }

    #[test]
    fn birth_dates() {
        assert_eq!(
            birth_date(DocumentType::ResidentId, "11010519491231002x"),
            Date::new(1949, 12, 31)
        );
        assert_eq!(
            birth_date(DocumentType::ResidentId, "110105199902300021"),
            None
        );
        assert_eq!(birth_date(DocumentType::TaiwanPermit, "12345678"), None);
        assert_eq!(birth_date(DocumentType::ResidentId, "1101051949"), None);
    }

    #[test]
    fn masking() {
        assert_eq!(
            mask_document_number("42010619900101123X"),
            "420***********123X"
        );
        assert_eq!(mask_document_number("H12345678"), "H12**5678");
        assert_eq!(mask_document_number("12345678"), "123*5678");
        assert_eq!(mask_document_number("1234"), "**34");
        assert_eq!(mask_document_number(""), "");
    }

    #[test]
    fn document_type_codes_match_serde() {
        for t in DocumentType::ALL {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.code()));
            assert_eq!(DocumentType::from_code(t.code()), Some(t));
        }
        assert_eq!(DocumentType::default(), DocumentType::ResidentId);
    }

    const PROVINCE_REGIONS: [&str; 8] = [
        "110105", "420106", "310115", "440305", "510107", "650102", "230102", "460108",
    ];

    fn adult_birth_date() -> impl Strategy<Value = Date> {
        // From 1900-01-01 up to the day the person turns 18 on `today()`.
        let first = Date::new(1900, 1, 1).unwrap().to_days_since_epoch();
        let last = Date::new(2006, 6, 15).unwrap().to_days_since_epoch();
        (first..=last).prop_map(Date::from_days_since_epoch)
    }

    fn valid_id() -> impl Strategy<Value = String> {
        (
            prop::sample::select(PROVINCE_REGIONS.to_vec()),
            prop::sample::select(MAINLAND_PROVINCES.to_vec()),
            0u32..10_000,
            prop::bool::ANY,
            adult_birth_date(),
            0u32..1000,
        )
            .prop_map(|(known, province, rest, use_known, birth, seq)| {
                let region = if use_known {
                    known.to_string()
                } else {
                    format!("{province}{rest:04}")
                };
                let first17 = format!(
                    "{region}{:04}{:02}{:02}{seq:03}",
                    birth.year, birth.month, birth.day
                );
                with_check(&first17)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn generated_valid_ids_pass(id in valid_id(), lower in prop::bool::ANY) {
            let input = if lower { id.to_lowercase() } else { id.clone() };
            prop_assert_eq!(resident(&input), Ok(id.clone()));
            let birth = birth_date(DocumentType::ResidentId, &id).unwrap();
            prop_assert!(birth.age_on(today()) >= 18);
        }

        #[test]
        fn any_single_change_fails(id in valid_id(), pos in 0usize..18, replacement in "[0-9X]") {
            let replacement = replacement.chars().next().unwrap();
            let original = id.as_bytes()[pos] as char;
            prop_assume!(original != replacement);
            let mut changed: Vec<char> = id.chars().collect();
            changed[pos] = replacement;
            let changed: String = changed.into_iter().collect();
            prop_assert!(resident(&changed).is_err(), "{} accepted", changed);
        }

        #[test]
        fn no_panic_on_arbitrary_input(s in "\\PC{0,30}|.{0,30}|[0-9Xx]{0,20}|[HMhm][0-9]{0,12}") {
            for t in DocumentType::ALL {
                if let Ok(n) = validate_document(t, &s, today()) {
                    prop_assert_eq!(validate_document(t, &n, today()), Ok(n.clone()));
                }
                let _ = birth_date(t, &s);
            }
            let _ = resident_id_check_char(&s);
            let masked = mask_document_number(&s);
            prop_assert_eq!(masked.chars().count(), s.trim().chars().count());
        }
    }
}
