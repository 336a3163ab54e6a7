//! Page 2 of the exchange's form: username, password, address and e-mail.

use super::fields;
use super::{Errors, OwnDetails};
use crate::api::{codes, Account, FieldError};
use crate::email::validate_email;
use crate::password::{validate_password, PasswordContext};
use crate::username::validate_username;

/// Longest postal address, in characters.
pub const ADDRESS_MAX_CHARS: usize = 200;

/// The account part, normalized: trimmed username and address (`None` when empty), lower-case e-mail domain.
#[derive(Clone, PartialEq, Eq)]
pub struct ValidAccount {
    pub username: String,
    pub password: String,
    pub address: Option<String>,
    pub email: String,
}

impl std::fmt::Debug for ValidAccount {
    /// Never prints the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidAccount")
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

/// The normalized account part, or every rule-breaking field. The password may not contain the username nor
/// the investor's own details (`details`, from the identity page). Whether the username is free and whether
/// the password is a common one only the server knows.
pub fn check_account(
    account: &Account,
    details: &OwnDetails,
) -> Result<ValidAccount, Vec<FieldError>> {
    let mut errors = Errors::default();
    let username = errors.take(
        fields::ACCOUNT_USERNAME,
        validate_username(&account.username),
    );
    let context = PasswordContext {
        username: username.as_deref().unwrap_or(&account.username),
        phone: &details.phone,
        id_number: &details.id_number,
    };
    errors.take(
        fields::ACCOUNT_PASSWORD,
        validate_password(&account.password, &context),
    );
    let address = match check_address(account.address.as_deref().unwrap_or("")) {
        Ok(address) => address,
        Err(code) => {
            let message = if code == codes::ADDRESS_TOO_LONG {
                format!("an address has at most {ADDRESS_MAX_CHARS} characters")
            } else {
                "the address contains control or markup characters".to_string()
            };
            errors.fail(fields::ACCOUNT_ADDRESS, code, message);
            None
        }
    };
    let email = errors.take(fields::ACCOUNT_EMAIL, validate_email(&account.email));
    errors.into_result(|| ValidAccount {
        username: username.unwrap_or_default(),
        password: account.password.clone(),
        address,
        email: email.unwrap_or_default(),
    })
}
