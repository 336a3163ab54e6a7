//! The username (用户名) chosen for the exchange's systems.

use thiserror::Error;

/// Shortest accepted username, in characters.
pub const USERNAME_MIN_CHARS: usize = 4;
/// Longest accepted username, in characters.
pub const USERNAME_MAX_CHARS: usize = 20;

/// Why a username was refused. Whether it is still free is the server's answer.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum UsernameError {
    #[error("username is empty")]
    Empty,
    #[error("username is shorter than {USERNAME_MIN_CHARS} characters")]
    TooShort,
    #[error("username is longer than {USERNAME_MAX_CHARS} characters")]
    TooLong,
    #[error("username does not start with a letter")]
    MustStartWithLetter,
    /// Only ASCII letters, digits and underscore are allowed.
    #[error("username contains the character {0:?}")]
    InvalidCharacter(char),
}

impl UsernameError {
    /// Stable code for the API and the locale files.
    pub fn code(&self) -> &'static str {
        match self {
            UsernameError::Empty => "username_empty",
            UsernameError::TooShort => "username_too_short",
            UsernameError::TooLong => "username_too_long",
            UsernameError::MustStartWithLetter => "username_must_start_with_letter",
            UsernameError::InvalidCharacter(_) => "username_invalid_character",
        }
    }
}

/// Validates a username and returns it trimmed: 4–20 ASCII letters, digits or underscores,
/// starting with a letter. Case is kept as typed.
pub fn validate_username(input: &str) -> Result<String, UsernameError> {
    let name = input.trim();
    let first = name.chars().next().ok_or(UsernameError::Empty)?;
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Err(UsernameError::InvalidCharacter(bad));
    }
    if !first.is_ascii_alphabetic() {
        return Err(UsernameError::MustStartWithLetter);
    }
    match name.len() {
        n if n < USERNAME_MIN_CHARS => Err(UsernameError::TooShort),
        n if n > USERNAME_MAX_CHARS => Err(UsernameError::TooLong),
        _ => Ok(name.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts() {
        assert_eq!(validate_username("zhang_san1").as_deref(), Ok("zhang_san1"));
        assert_eq!(validate_username("  Abcd ").as_deref(), Ok("Abcd"));
        assert_eq!(
            validate_username("a_______________b19").as_deref(),
            Ok("a_______________b19")
        );
        assert_eq!(
            validate_username(&"a".repeat(20)).as_deref(),
            Ok("a".repeat(20).as_str())
        );
    }

    #[test]
    fn refuses() {
        assert_eq!(validate_username(""), Err(UsernameError::Empty));
        assert_eq!(validate_username("abc"), Err(UsernameError::TooShort));
        assert_eq!(
            validate_username(&"a".repeat(21)),
            Err(UsernameError::TooLong)
        );
        assert_eq!(
            validate_username("1abcd"),
            Err(UsernameError::MustStartWithLetter)
        );
        assert_eq!(
            validate_username("_abcd"),
            Err(UsernameError::MustStartWithLetter)
        );
        assert_eq!(
            validate_username("ab cd"),
            Err(UsernameError::InvalidCharacter(' '))
        );
        assert_eq!(
            validate_username("ab-cd"),
            Err(UsernameError::InvalidCharacter('-'))
        );
        assert_eq!(
            validate_username("张三abcd"),
            Err(UsernameError::InvalidCharacter('张'))
        );
        assert_eq!(
            validate_username("ａｂｃｄ"),
            Err(UsernameError::InvalidCharacter('ａ'))
        );
        assert_eq!(UsernameError::TooShort.code(), "username_too_short");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn never_panics(s in "\\PC{0,25}|.{0,25}") {
            if let Ok(name) = validate_username(&s) {
                prop_assert!((USERNAME_MIN_CHARS..=USERNAME_MAX_CHARS).contains(&name.len()));
            }
        }

        #[test]
        fn valid_names_pass(s in "[A-Za-z][A-Za-z0-9_]{3,19}") {
            prop_assert_eq!(validate_username(&s), Ok(s.clone()));
        }
    }
}
