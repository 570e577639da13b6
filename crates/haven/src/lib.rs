//! The `haven` binary's library half: configuration, start-up and operator commands.
//! Integration tests drive the same functions the command line does.

pub mod admin;
pub mod check;
pub mod config;
pub mod demo;
mod demo_measures;
mod demo_schedule;
pub mod keys;
pub mod logging;
pub mod server;
mod turn_check;

pub use config::Config;
pub use server::{Extensions, Running, start, start_with};

/// mimalloc rather than the system allocator: a request allocates and frees many small
/// strings and rows on several threads at once, where glibc's malloc spent about a sixth of
/// the server's time on an authenticated page (perf, `cargo build --profile profiling`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
