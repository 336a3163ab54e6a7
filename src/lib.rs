//! The online account-opening app (网上开户) of the Hubei Carbon Emission Exchange.
//!
//! [`mount`] decides where the app runs (its own page, or an element of another site's page) and [`frame`]
//! tells the page around an iframe how tall the app is.
//!
//! Layers, each looking only down: [`app`] (the top: language, config, routes) → [`routes`] (every address,
//! and the page of each) → `pages/` (one wizard step or screen per file) → `components/` (widgets) → [`form`]
//! (the pages' error model), [`draft`] (what the investor typed), [`api`] and [`upload`] (the HTTP contract),
//! [`image`] (the image pipeline), [`messages`] (error codes to words) → the `domain` crate (the rules). Every
//! user-visible string comes from `locales/*.json` through the generated `i18n` module.

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod api;
pub mod app;
pub mod clock;
pub mod components;
pub mod config;
pub mod draft;
pub mod first_screen;
pub mod form;
pub mod frame;
pub mod image;
pub mod locale;
pub mod messages;
pub mod mount;
pub mod pages;
pub mod routes;
pub mod split;
pub mod status;
#[cfg(test)]
mod stylesheets;
pub mod tasks;
pub mod upload;

pub use app::{App, ROOT_CLASS};
