//! The backend through its router, one module per part of the contract.

mod common;

mod answers;
mod applications;
mod basics;
mod fuzz;
mod gate;
mod quiz;
mod receipt;
mod resubmission;
mod retention;
mod review;
mod sms;
mod status;
mod uploads;
mod usernames;
mod web;
