//! Rules and API types of the online account opening (网上开户) of the Hubei Carbon Emission Exchange.
//!
//! Pure Rust (serde + thiserror only, no web types): the browser app validates with these functions as the
//! investor types, and the reference backend re-validates every request with the very same code.
//! Every error enum has a stable `code()`: the API sends it, the app looks up its message in the locale files.

pub mod api;
pub mod application;
pub mod attachment;
pub mod config;
pub mod date;
pub mod email;
pub mod id_document;
pub mod localized;
pub mod name;
pub mod password;
pub mod phone;
pub mod quiz;
pub mod rule;
pub mod sms_code;
pub mod username;

/// Cases of each property test of the crate: `PROPTEST_CASES` when set (a quick run, or a longer one), else
/// 10 000.
#[cfg(test)]
pub(crate) fn test_cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}
