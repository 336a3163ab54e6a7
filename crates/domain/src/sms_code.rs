//! The 6-digit SMS verification code (验证码).

use thiserror::Error;

/// Number of digits of an SMS code.
pub const SMS_CODE_LEN: usize = 6;

/// Why an SMS code was refused before asking the server.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SmsCodeError {
    #[error("SMS code is empty")]
    Empty,
    #[error("SMS code contains something other than digits")]
    NotDigits,
    #[error("SMS code does not have {SMS_CODE_LEN} digits")]
    Length,
}

impl SmsCodeError {
    /// Stable code for the API and the locale files.
    pub fn code(&self) -> &'static str {
        match self {
            SmsCodeError::Empty => "sms_code_empty",
            SmsCodeError::NotDigits => "sms_code_not_digits",
            SmsCodeError::Length => "sms_code_length",
        }
    }
}

/// Checks the form of an SMS code and returns its 6 ASCII digits.
///
/// Pasted codes are welcome: spaces and dashes inside ("123 456", "123-456") are removed and
/// full-width digits (０–９) become ASCII.
pub fn validate_sms_code(input: &str) -> Result<String, SmsCodeError> {
    let mut code = String::with_capacity(SMS_CODE_LEN);
    for c in input.chars() {
        match c {
            '0'..='9' => code.push(c),
            '０'..='９' => code.push(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)),
            _ if c.is_whitespace() || c == '-' => {}
            _ => return Err(SmsCodeError::NotDigits),
        }
    }
    match code.len() {
        0 => Err(SmsCodeError::Empty),
        SMS_CODE_LEN => Ok(code),
        _ => Err(SmsCodeError::Length),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_six_digits() {
        assert_eq!(validate_sms_code("012345").as_deref(), Ok("012345"));
        assert_eq!(validate_sms_code(" 012345\n").as_deref(), Ok("012345"));
        assert_eq!(validate_sms_code("012 345").as_deref(), Ok("012345"));
        assert_eq!(validate_sms_code("012-345").as_deref(), Ok("012345"));
        assert_eq!(validate_sms_code("０１２３４５").as_deref(), Ok("012345"));
    }

    #[test]
    fn refuses_others() {
        assert_eq!(validate_sms_code(""), Err(SmsCodeError::Empty));
        assert_eq!(validate_sms_code("   "), Err(SmsCodeError::Empty));
        assert_eq!(validate_sms_code("12345"), Err(SmsCodeError::Length));
        assert_eq!(validate_sms_code("1234567"), Err(SmsCodeError::Length));
        assert_eq!(validate_sms_code("12345a"), Err(SmsCodeError::NotDigits));
        assert_eq!(validate_sms_code("١٢٣٤٥٦"), Err(SmsCodeError::NotDigits));
        assert_eq!(SmsCodeError::Length.code(), "sms_code_length");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn never_panics(s in "\\PC{0,12}|.{0,12}|[0-9 ]{0,10}") {
            if let Ok(code) = validate_sms_code(&s) {
                prop_assert_eq!(code.len(), SMS_CODE_LEN);
                prop_assert!(code.bytes().all(|b| b.is_ascii_digit()));
            }
        }

        #[test]
        fn pasted_codes_pass(code in "[0-9]{6}", pad in "[ ]{0,3}", split in 0usize..=6) {
            let input = format!("{pad}{} {}{pad}", &code[..split], &code[split..]);
            prop_assert_eq!(validate_sms_code(&input), Ok(code.clone()));
        }
    }
}
