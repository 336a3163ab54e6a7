//! One page (wizard step or screen) per file.

pub mod account;
pub mod client;
pub mod config_error;
pub mod consent;
pub mod enterprise;
pub mod entry;
pub mod fee;
pub mod identity;
pub mod not_found;
pub mod quiz;
pub mod quiz_notice;
pub mod quiz_result;
pub mod review;
pub mod status;
pub mod status_lookup;
pub mod styleguide;
