//! The investor's real name (真实姓名), as printed on the identity document.

use thiserror::Error;

/// Shortest accepted name, in characters.
pub const NAME_MIN_CHARS: usize = 2;
/// Longest accepted name, in characters.
pub const NAME_MAX_CHARS: usize = 40;

/// The separator of transliterated names such as "阿依古丽·买买提" (U+00B7 MIDDLE DOT).
pub const NAME_DOT: char = '\u{00B7}';

/// Why a name was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum NameError {
    #[error("name is empty")]
    Empty,
    #[error("name is shorter than {NAME_MIN_CHARS} characters")]
    TooShort,
    #[error("name is longer than {NAME_MAX_CHARS} characters")]
    TooLong,
    #[error("name contains digits")]
    Digits,
    #[error("name contains the character {0:?}")]
    InvalidCharacter(char),
    /// A middle dot at the start or end, next to a space or next to another dot.
    #[error("middle dot not between two parts of the name")]
    MisplacedDot,
}

impl NameError {
    /// Stable code for the API and the locale files.
    pub fn code(&self) -> &'static str {
        match self {
            NameError::Empty => "name_empty",
            NameError::TooShort => "name_too_short",
            NameError::TooLong => "name_too_long",
            NameError::Digits => "name_digits",
            NameError::InvalidCharacter(_) => "name_invalid_character",
            NameError::MisplacedDot => "name_misplaced_dot",
        }
    }
}

/// Dots that input methods produce instead of U+00B7; they are stored as U+00B7.
fn is_dot_variant(c: char) -> bool {
    matches!(
        c,
        '\u{00B7}' // MIDDLE DOT
            | '\u{30FB}' // KATAKANA MIDDLE DOT (common from Chinese IMEs)
            | '\u{FF65}' // HALFWIDTH KATAKANA MIDDLE DOT
            | '\u{2022}' // BULLET
            | '\u{2027}' // HYPHENATION POINT
            | '\u{22C5}' // DOT OPERATOR
    )
}

fn is_space_variant(c: char) -> bool {
    matches!(c, ' ' | '\u{3000}' | '\u{00A0}')
}

/// Han ideographs (CJK Unified Ideographs, extensions A–H, compatibility ideographs) and 〇
/// (a number in Unicode's eyes, but a character of some given names).
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3007}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{323AF}')
}

/// Latin letters, including the accented ones of Latin-1, Latin Extended-A/B and Extended Additional.
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, '\u{00C0}'..='\u{00FF}' if c != '\u{00D7}' && c != '\u{00F7}')
        || matches!(c, '\u{0100}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

/// Validates a real name and returns it normalized.
///
/// Normalization: surrounding whitespace trimmed, runs of spaces (also the ideographic space U+3000)
/// collapsed to one ASCII space, dot look-alikes (U+30FB, U+2022, …) stored as U+00B7.
/// Accepted: Han characters, Latin letters (with accents), single spaces, middle dots between parts and
/// hyphens between letters ("Jean-Pierre"). Refused: digits, control characters, markup and quotes.
pub fn validate_name(input: &str) -> Result<String, NameError> {
    let trimmed = input.trim_matches(|c: char| c.is_whitespace());
    if trimmed.is_empty() {
        return Err(NameError::Empty);
    }

    let mut out = String::with_capacity(trimmed.len());
    let mut last_space = false;
    for c in trimmed.chars() {
        if is_space_variant(c) {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = false;
        if is_dot_variant(c) {
            out.push(NAME_DOT);
        } else if is_han(c) || is_latin_letter(c) || c == '-' {
            out.push(c);
        } else if c.is_numeric() {
            return Err(NameError::Digits);
        } else {
            return Err(NameError::InvalidCharacter(c));
        }
    }

    let chars: Vec<char> = out.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == NAME_DOT || c == '-' {
            let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let after = chars.get(i + 1).copied();
            let is_part = |x: Option<char>| x.is_some_and(|x| is_han(x) || is_latin_letter(x));
            if !is_part(before) || !is_part(after) {
                return Err(if c == NAME_DOT {
                    NameError::MisplacedDot
                } else {
                    NameError::InvalidCharacter('-')
                });
            }
        }
    }

    match chars.len() {
        n if n < NAME_MIN_CHARS => Err(NameError::TooShort),
        n if n > NAME_MAX_CHARS => Err(NameError::TooLong),
        _ => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_chinese_names() {
        assert_eq!(validate_name("张三").as_deref(), Ok("张三"));
        assert_eq!(validate_name("  欧阳娜娜 ").as_deref(), Ok("欧阳娜娜"));
        assert_eq!(validate_name("\u{3000}王五\u{3000}").as_deref(), Ok("王五"));
        assert_eq!(validate_name("李〇").as_deref(), Ok("李〇"));
        // Extension B character (𠮷).
        assert_eq!(validate_name("𠮷田").as_deref(), Ok("𠮷田"));
    }

    #[test]
    fn normalizes_dots() {
        assert_eq!(
            validate_name("阿依古丽·买买提").as_deref(),
            Ok("阿依古丽·买买提")
        );
        assert_eq!(
            validate_name("阿依古丽・买买提").as_deref(),
            Ok("阿依古丽·买买提")
        );
        assert_eq!(
            validate_name("阿依古丽•买买提").as_deref(),
            Ok("阿依古丽·买买提")
        );
        assert_eq!(validate_name("·买买提"), Err(NameError::MisplacedDot));
        assert_eq!(validate_name("买买提·"), Err(NameError::MisplacedDot));
        assert_eq!(validate_name("买买··提"), Err(NameError::MisplacedDot));
        assert_eq!(validate_name("买买 · 提"), Err(NameError::MisplacedDot));
    }

    #[test]
    fn accepts_latin_names_of_permit_holders() {
        assert_eq!(validate_name("CHAN TAI MAN").as_deref(), Ok("CHAN TAI MAN"));
        assert_eq!(
            validate_name("Chan   Tai  Man").as_deref(),
            Ok("Chan Tai Man")
        );
        assert_eq!(validate_name("José Nuñez").as_deref(), Ok("José Nuñez"));
        assert_eq!(
            validate_name("Nguyễn Văn An").as_deref(),
            Ok("Nguyễn Văn An")
        );
        assert_eq!(
            validate_name("Jean-Pierre Roux").as_deref(),
            Ok("Jean-Pierre Roux")
        );
        assert_eq!(
            validate_name("-Jean"),
            Err(NameError::InvalidCharacter('-'))
        );
    }

    #[test]
    fn length_in_characters() {
        assert_eq!(validate_name(""), Err(NameError::Empty));
        assert_eq!(validate_name("   "), Err(NameError::Empty));
        assert_eq!(validate_name("张"), Err(NameError::TooShort));
        assert_eq!(validate_name("A"), Err(NameError::TooShort));
        let forty = "张".repeat(40);
        assert_eq!(validate_name(&forty).as_deref(), Ok(forty.as_str()));
        assert_eq!(validate_name(&"张".repeat(41)), Err(NameError::TooLong));
    }

    #[test]
    fn refuses_digits_controls_and_markup() {
        assert_eq!(validate_name("张3"), Err(NameError::Digits));
        assert_eq!(validate_name("张３"), Err(NameError::Digits));
        assert_eq!(
            validate_name("张\t三"),
            Err(NameError::InvalidCharacter('\t'))
        );
        assert_eq!(
            validate_name("张\u{0}三"),
            Err(NameError::InvalidCharacter('\u{0}'))
        );
        assert_eq!(
            validate_name("<b>张三</b>"),
            Err(NameError::InvalidCharacter('<'))
        );
        assert_eq!(
            validate_name("Tom & Jerry"),
            Err(NameError::InvalidCharacter('&'))
        );
        assert_eq!(
            validate_name("O'Neil"),
            Err(NameError::InvalidCharacter('\''))
        );
        assert_eq!(
            validate_name("\"张三\""),
            Err(NameError::InvalidCharacter('"'))
        );
        assert_eq!(
            validate_name("张三😀"),
            Err(NameError::InvalidCharacter('😀'))
        );
        assert_eq!(
            validate_name("张三,"),
            Err(NameError::InvalidCharacter(','))
        );
    }

    #[test]
    fn codes_are_stable() {
        assert_eq!(NameError::Digits.code(), "name_digits");
        assert_eq!(
            NameError::InvalidCharacter('<').code(),
            "name_invalid_character"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn never_panics_and_output_is_valid(s in "\\PC{0,50}|.{0,50}") {
            if let Ok(name) = validate_name(&s) {
                let n = name.chars().count();
                prop_assert!((NAME_MIN_CHARS..=NAME_MAX_CHARS).contains(&n));
                prop_assert!(!name.starts_with(' ') && !name.ends_with(' '));
                prop_assert!(!name.contains("  "));
                prop_assert!(!name.chars().any(|c| c.is_control() || c.is_ascii_digit() || "<>&\"'".contains(c)));
                // Validating a normalized name gives it back unchanged.
                prop_assert_eq!(validate_name(&name), Ok(name.clone()));
            }
        }

        #[test]
        fn han_names_pass(s in "[\u{4E00}-\u{9FA5}]{2,40}") {
            prop_assert_eq!(validate_name(&s), Ok(s.clone()));
        }
    }
}
