//! The `haven` binary's library half: configuration, start-up and operator commands.
//! Integration tests drive the same functions the command line does.

pub mod admin;
pub mod check;
pub mod config;
pub mod demo;
mod demo_schedule;
pub mod keys;
pub mod logging;
pub mod server;
mod turn_check;

pub use config::Config;
pub use server::{Extensions, Running, start, start_with};
