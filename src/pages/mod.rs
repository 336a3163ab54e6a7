//! One page (wizard step or screen) per file.

pub mod config_error;
pub mod entry;
pub mod not_found;
