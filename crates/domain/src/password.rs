//! Password rules after OWASP ASVS: length, not a common password, not built from the investor's own
//! details. No composition rules; a strength meter encourages long passphrases instead.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Shortest accepted password, in characters.
pub const PASSWORD_MIN_CHARS: usize = 8;
/// Length the hint recommends, in characters.
pub const PASSWORD_RECOMMENDED_CHARS: usize = 12;
/// Longest accepted password, in characters.
pub const PASSWORD_MAX_CHARS: usize = 128;
/// Details shorter than this are not looked for inside the password.
const MIN_CONTEXT_CHARS: usize = 4;

/// The investor's own details that must not appear in the password.
#[derive(Clone, Copy, Debug, Default)]
pub struct PasswordContext<'a> {
    pub username: &'a str,
    pub phone: &'a str,
    pub id_number: &'a str,
}

/// Why a password was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PasswordError {
    #[error("password is shorter than {PASSWORD_MIN_CHARS} characters")]
    TooShort,
    #[error("password is longer than {PASSWORD_MAX_CHARS} characters")]
    TooLong,
    #[error("password contains the username")]
    ContainsUsername,
    #[error("password contains the mobile number")]
    ContainsPhone,
    #[error("password contains the ID number")]
    ContainsIdNumber,
    /// On the server's list of common passwords.
    #[error("password is too common")]
    Common,
    /// The confirmation differs from the password.
    #[error("passwords do not match")]
    Mismatch,
}

impl PasswordError {
    /// Stable code for the API and the locale files.
    pub fn code(&self) -> &'static str {
        match self {
            PasswordError::TooShort => "password_too_short",
            PasswordError::TooLong => "password_too_long",
            PasswordError::ContainsUsername => "password_contains_username",
            PasswordError::ContainsPhone => "password_contains_phone",
            PasswordError::ContainsIdNumber => "password_contains_id_number",
            PasswordError::Common => "password_common",
            PasswordError::Mismatch => "password_mismatch",
        }
    }
}

/// Whether `password` contains `detail`, ignoring case; details shorter than 4 characters are ignored.
fn contains_detail(password_lower: &str, detail: &str) -> bool {
    let detail = detail.trim().to_lowercase();
    detail.chars().count() >= MIN_CONTEXT_CHARS && password_lower.contains(&detail)
}

/// Checks length (8–128 characters, any characters) and that the password does not contain the
/// username, the mobile number or the ID number (case-insensitive). The common-password check needs
/// the server's list: see [`is_common_password`].
pub fn validate_password(password: &str, ctx: &PasswordContext) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err(PasswordError::TooShort);
    }
    if n > PASSWORD_MAX_CHARS {
        return Err(PasswordError::TooLong);
    }
    let lower = password.to_lowercase();
    if contains_detail(&lower, ctx.username) {
        return Err(PasswordError::ContainsUsername);
    }
    let phone_digits: String = ctx.phone.chars().filter(char::is_ascii_digit).collect();
    if contains_detail(&lower, &phone_digits) {
        return Err(PasswordError::ContainsPhone);
    }
    if contains_detail(&lower, ctx.id_number) {
        return Err(PasswordError::ContainsIdNumber);
    }
    Ok(())
}

/// Checks that the confirmation is exactly the password.
pub fn validate_confirmation(password: &str, confirmation: &str) -> Result<(), PasswordError> {
    if password == confirmation {
        Ok(())
    } else {
        Err(PasswordError::Mismatch)
    }
}

/// Whether the password is on the list of common passwords. The list holds lower-case entries
/// (see [`common_password_set`]); the comparison ignores case.
pub fn is_common_password(password: &str, list: &HashSet<String>) -> bool {
    list.contains(&password.to_lowercase())
}

/// Reads a common-password list: one password per line, blank lines and lines starting with `#`
/// skipped, entries lower-cased.
pub fn common_password_set(text: &str) -> HashSet<String> {
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
}

/// What the strength meter shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    TooShort,
    Weak,
    Fair,
    Good,
    Strong,
}

impl Strength {
    /// 0 (too short) to 4 (strong), for the meter's filled segments.
    pub fn score(self) -> u8 {
        self as u8
    }

    /// Stable code, the same as the serde name.
    pub fn code(self) -> &'static str {
        match self {
            Strength::TooShort => "too_short",
            Strength::Weak => "weak",
            Strength::Fair => "fair",
            Strength::Good => "good",
            Strength::Strong => "strong",
        }
    }
}

/// Rows of the keyboard and digits: passwords that are a run along one of them are trivial.
const RUNS: [&str; 5] = [
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "abcdefghijklmnopqrstuvwxyz",
];

/// A password built from very few characters, a short repeated unit ("abcabcabc"), a run of
/// consecutive characters ("12345678", "hgfedcba") or a keyboard row ("qwertyui").
fn is_trivial(chars: &[char]) -> bool {
    let distinct: HashSet<char> = chars.iter().copied().collect();
    if distinct.len() <= 3 {
        return true;
    }
    let n = chars.len();
    if (1..=4).any(|p| p < n && (p..n).all(|i| chars[i] == chars[i - p])) {
        return true;
    }
    let steps: Vec<i64> = chars
        .windows(2)
        .map(|w| i64::from(u32::from(w[1])) - i64::from(u32::from(w[0])))
        .collect();
    if steps.iter().all(|&s| s == 1) || steps.iter().all(|&s| s == -1) {
        return true;
    }
    let lower: String = chars.iter().flat_map(|c| c.to_lowercase()).collect();
    let reversed: String = lower.chars().rev().collect();
    RUNS.iter()
        .any(|run| run.contains(&lower) || run.contains(&reversed))
}

/// Strength for the meter, from length and variety of characters.
///
/// Fewer than 8 characters is `TooShort`; a trivial password (very few distinct characters, a repeated
/// short unit, a run like "12345678" or a keyboard row) is `Weak` at any length. Otherwise 12–15
/// characters are at least `Good` and 16+ characters with two kinds of characters are `Strong`.
/// Kinds: lower-case, upper-case, digits, other ASCII (symbols, space) and non-ASCII (e.g. Chinese,
/// counted twice for its large alphabet).
pub fn password_strength(password: &str) -> Strength {
    let chars: Vec<char> = password.chars().collect();
    let n = chars.len();
    if n < PASSWORD_MIN_CHARS {
        return Strength::TooShort;
    }
    if is_trivial(&chars) {
        return Strength::Weak;
    }
    let has = |f: fn(&char) -> bool| usize::from(chars.iter().any(f));
    let kinds = has(char::is_ascii_lowercase)
        + has(char::is_ascii_uppercase)
        + has(char::is_ascii_digit)
        + has(|c| c.is_ascii() && !c.is_ascii_alphanumeric())
        + 2 * has(|c| !c.is_ascii());
    match n {
        8..=11 => match kinds {
            0 | 1 => Strength::Weak,
            2 => Strength::Fair,
            _ => Strength::Good,
        },
        12..=15 if kinds >= 3 => Strength::Strong,
        12..=15 => Strength::Good,
        _ if kinds >= 2 => Strength::Strong,
        _ => Strength::Good,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CTX: PasswordContext<'static> = PasswordContext {
        username: "ZhangSan88",
        phone: "13812345678",
        id_number: "11010519491231002X",
    };

    #[test]
    fn length_in_characters() {
        assert_eq!(validate_password("", &CTX), Err(PasswordError::TooShort));
        assert_eq!(
            validate_password("1234567", &CTX),
            Err(PasswordError::TooShort)
        );
        assert_eq!(validate_password("abcdefgh", &CTX), Ok(()));
        // Chinese and spaces count as characters: 8 characters, 24 bytes.
        assert_eq!(validate_password("春眠不觉晓 处处", &CTX), Ok(()));
        assert_eq!(
            validate_password("春眠不觉晓处处", &CTX),
            Err(PasswordError::TooShort)
        );
        assert_eq!(validate_password(&"好".repeat(128), &CTX), Ok(()));
        assert_eq!(
            validate_password(&"a".repeat(129), &CTX),
            Err(PasswordError::TooLong)
        );
    }

    #[test]
    fn own_details_are_refused() {
        assert_eq!(
            validate_password("my zhangsan88 pw", &CTX),
            Err(PasswordError::ContainsUsername)
        );
        assert_eq!(
            validate_password("pw13812345678", &CTX),
            Err(PasswordError::ContainsPhone)
        );
        assert_eq!(
            validate_password("x11010519491231002x", &CTX),
            Err(PasswordError::ContainsIdNumber)
        );
        // Parts of the details are fine.
        assert_eq!(validate_password("1381234 zhangsan", &CTX), Ok(()));
        // Short or empty details are ignored.
        let short = PasswordContext {
            username: "abc",
            phone: "",
            id_number: " ",
        };
        assert_eq!(validate_password("abcabcabc", &short), Ok(()));
        assert_eq!(
            validate_password("abcabcabc", &PasswordContext::default()),
            Ok(())
        );
        // The phone is compared by its digits.
        let dashed = PasswordContext {
            phone: "138-1234-5678",
            ..CTX
        };
        assert_eq!(
            validate_password("pw13812345678", &dashed),
            Err(PasswordError::ContainsPhone)
        );
    }

    #[test]
    fn confirmation() {
        assert_eq!(validate_confirmation("secret pass", "secret pass"), Ok(()));
        assert_eq!(
            validate_confirmation("secret pass", "secret pass "),
            Err(PasswordError::Mismatch)
        );
        assert_eq!(PasswordError::Mismatch.code(), "password_mismatch");
    }

    #[test]
    fn common_passwords() {
        let list = common_password_set("# top passwords\r\nPassword\r\n\r\n123456789\nqwerty123\n");
        assert_eq!(list.len(), 3);
        assert!(is_common_password("password", &list));
        assert!(is_common_password("PassWord", &list));
        assert!(is_common_password("123456789", &list));
        assert!(!is_common_password("password1", &list));
        assert!(!is_common_password("# top passwords", &list));
    }

    #[test]
    fn strength() {
        use Strength::*;
        assert_eq!(password_strength(""), TooShort);
        assert_eq!(password_strength("Ab1!xyz"), TooShort);
        assert_eq!(password_strength("aaaaaaaaaaaa"), Weak);
        assert_eq!(password_strength("abcabcabcabcabc"), Weak);
        assert_eq!(password_strength("abcdabcdabcdabcd"), Weak);
        assert_eq!(password_strength("12345678901"), Weak);
        assert_eq!(password_strength("abcdefghijklmn"), Weak);
        assert_eq!(password_strength("qwertyuiop"), Weak);
        assert_eq!(password_strength("87654321"), Weak);
        assert_eq!(password_strength("password"), Weak);
        assert_eq!(password_strength("passw0rd"), Fair);
        assert_eq!(password_strength("Tr0ub4dor&3"), Good);
        assert_eq!(password_strength("thisisalongpassphrase"), Good);
        assert_eq!(password_strength("horsebattery"), Good);
        assert_eq!(password_strength("Horse battery1"), Strong);
        assert_eq!(password_strength("correct horse battery staple"), Strong);
        assert_eq!(password_strength("我的密码是春天来了"), Fair);
        assert_eq!(password_strength("我的密码是春天来了啊啊啊"), Good);
        assert_eq!(Weak.score(), 1);
        assert_eq!(Strong.score(), 4);
        assert_eq!(TooShort.score(), 0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn never_panics(p in "\\PC{0,140}|.{0,20}", u in ".{0,6}", ph in "[0-9]{0,11}") {
            let ctx = PasswordContext { username: &u, phone: &ph, id_number: &u };
            let result = validate_password(&p, &ctx);
            let strength = password_strength(&p);
            prop_assert!(strength.score() <= 4);
            let n = p.chars().count();
            if n < PASSWORD_MIN_CHARS {
                prop_assert_eq!(result, Err(PasswordError::TooShort));
                prop_assert_eq!(strength, Strength::TooShort);
            } else {
                prop_assert!(strength > Strength::TooShort);
            }
        }

        #[test]
        fn long_varied_passwords_are_at_least_good(p in "[a-z]{12,30}", other in "[A-Z0-9 ]{0,4}") {
            let p = format!("{p}{other}");
            let chars: Vec<char> = p.chars().collect();
            prop_assume!(!is_trivial(&chars));
            prop_assert!(password_strength(&p) >= Strength::Good);
        }
    }
}
