//! The backend through its router, one module per part of the contract.

mod common;

mod applications;
mod basics;
mod gate;
mod quiz;
mod retention;
mod sms;
mod uploads;
mod usernames;
mod web;
