//! The backend through its router, one module per part of the contract.

mod common;

mod applications;
mod basics;
mod quiz;
mod sms;
mod status;
mod uploads;
mod usernames;
mod web;
