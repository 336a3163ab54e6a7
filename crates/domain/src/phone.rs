//! Mainland mobile numbers (手机号). The SMS code is the real proof that the number is the investor's;
//! this only catches typing mistakes.

use thiserror::Error;

/// Why a mobile number was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PhoneError {
    #[error("mobile number is empty")]
    Empty,
    /// A character other than digits, spaces, dashes, brackets and a leading `+`.
    #[error("mobile number contains the character {0:?}")]
    InvalidCharacter(char),
    /// Not 11 digits starting with 13–19 (after removing a +86 / 0086 prefix).
    #[error("not a mainland mobile number")]
    Format,
}

impl PhoneError {
    /// Stable code for the API and the locale files.
    pub fn code(&self) -> &'static str {
        match self {
            PhoneError::Empty => "phone_empty",
            PhoneError::InvalidCharacter(_) => "phone_invalid_character",
            PhoneError::Format => "phone_format",
        }
    }
}

/// Characters people put between the digits of a phone number.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FF0D}' | '(' | ')' | '（' | '）' | '.'
        )
}

/// Normalizes a mainland mobile number to its 11 digits.
///
/// Removes spaces, dashes and brackets, turns full-width digits into ASCII, drops an optional
/// `+86`, `0086` or `86` country prefix, then requires `1[3-9]` followed by 9 digits.
pub fn normalize_phone(input: &str) -> Result<String, PhoneError> {
    let mut s = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            _ if is_separator(c) => {}
            '0'..='9' | '+' => s.push(c),
            '０'..='９' | '＋' => s.push(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)),
            _ => return Err(PhoneError::InvalidCharacter(c)),
        }
    }
    if s.is_empty() {
        return Err(PhoneError::Empty);
    }
    let digits = if let Some(rest) = s.strip_prefix('+') {
        rest.strip_prefix("86").ok_or(PhoneError::Format)?
    } else if s.len() == 15 && s.starts_with("0086") {
        &s[4..]
    } else if s.len() == 13 && s.starts_with("86") {
        &s[2..]
    } else {
        &s
    };
    let b = digits.as_bytes();
    let ok = b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit);
    if ok {
        Ok(digits.to_string())
    } else {
        Err(PhoneError::Format)
    }
}

/// Masks a mobile number for display: `13812345678` → `138****5678`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() != 11 {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if (3..7).contains(&i) { '*' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_numbers() {
        assert_eq!(normalize_phone("13812345678").as_deref(), Ok("13812345678"));
        assert_eq!(
            normalize_phone(" 19912345678 ").as_deref(),
            Ok("19912345678")
        );
        assert_eq!(
            normalize_phone("１３８１２３４５６７８").as_deref(),
            Ok("13812345678")
        );
    }

    #[test]
    fn prefixes_spaces_and_dashes() {
        for input in [
            "+86 138 1234 5678",
            "+86-138-1234-5678",
            "+8613812345678",
            "008613812345678",
            "0086 138 1234 5678",
            "86 13812345678",
            "138-1234-5678",
            "(+86) 138 1234 5678",
            "138\u{3000}1234\u{3000}5678",
        ] {
            assert_eq!(
                normalize_phone(input).as_deref(),
                Ok("13812345678"),
                "{input}"
            );
        }
    }

    #[test]
    fn refused_numbers() {
        assert_eq!(normalize_phone(""), Err(PhoneError::Empty));
        assert_eq!(normalize_phone(" - "), Err(PhoneError::Empty));
        assert_eq!(normalize_phone("12812345678"), Err(PhoneError::Format));
        assert_eq!(normalize_phone("1381234567"), Err(PhoneError::Format));
        assert_eq!(normalize_phone("138123456789"), Err(PhoneError::Format));
        assert_eq!(normalize_phone("23812345678"), Err(PhoneError::Format));
        assert_eq!(normalize_phone("+852 6123 4567"), Err(PhoneError::Format));
        assert_eq!(normalize_phone("+1 13812345678"), Err(PhoneError::Format));
        assert_eq!(normalize_phone("138+12345678"), Err(PhoneError::Format));
        assert_eq!(normalize_phone("027-86657683"), Err(PhoneError::Format));
        assert_eq!(
            normalize_phone("138a2345678"),
            Err(PhoneError::InvalidCharacter('a'))
        );
        assert_eq!(PhoneError::Format.code(), "phone_format");
    }

    #[test]
    fn masking() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("123"), "***");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn accepts_valid_numbers_in_any_dress(
            number in "1[3-9][0-9]{9}",
            prefix in prop::sample::select(vec!["", "+86", "0086", "+86 ", "+86-", "0086 ", "86 ", "(+86)"]),
            seps in prop::collection::vec(prop::sample::select(vec!["", "", " ", "-", "  ", " - "]), 11),
            lead in "[ ]{0,2}",
            trail in "[ ]{0,2}",
        ) {
            let mut input = format!("{lead}{prefix}");
            for (c, sep) in number.chars().zip(&seps) {
                input.push(c);
                input.push_str(sep);
            }
            input.push_str(&trail);
            prop_assert_eq!(normalize_phone(&input), Ok(number.clone()));
        }

        #[test]
        fn never_panics(s in "\\PC{0,30}|.{0,30}|[+0-9 -]{0,20}") {
            if let Ok(n) = normalize_phone(&s) {
                prop_assert_eq!(n.len(), 11);
                prop_assert!(n.starts_with('1'));
            }
            let _ = mask_phone(&s);
        }
    }
}
