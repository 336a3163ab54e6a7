//! What every validator's error has: a stable code (the API sends it, the app looks up its message in the
//! locale files) and an operator's text (`Display`), never shown to investors.

pub trait RuleError: std::fmt::Display {
    fn code(&self) -> &'static str;
}

macro_rules! rule_errors {
    ($($error:ty),* $(,)?) => {
        $(impl RuleError for $error {
            fn code(&self) -> &'static str {
                <$error>::code(self)
            }
        })*
    };
}

rule_errors!(
    crate::name::NameError,
    crate::id_document::DocumentError,
    crate::phone::PhoneError,
    crate::sms_code::SmsCodeError,
    crate::username::UsernameError,
    crate::password::PasswordError,
    crate::email::EmailError,
);
