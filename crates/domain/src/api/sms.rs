//! Sending and verifying SMS codes, and asking whether a username is free.

use serde::{Deserialize, Serialize};

/// `POST /sms-codes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsCodeRequest {
    pub phone: String,
}

/// 202 answer of `POST /sms-codes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsCodeSent {
    /// Seconds before another code may be requested for the number.
    pub cooldown_s: u64,
    /// Seconds the code stays valid.
    pub expires_s: u64,
}

/// `POST /sms-codes/verify`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsVerifyRequest {
    pub phone: String,
    pub code: String,
}

/// 200 answer of `POST /sms-codes/verify`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsVerified {
    /// Bearer credential of uploads and submission.
    pub verification_token: String,
    pub expires_s: u64,
}

/// `GET /usernames/{name}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsernameAvailability {
    /// The name asked about, so that a late answer can be told from the current one.
    pub username: String,
    pub available: bool,
}
