//! Background work that runs beside the web server.

pub mod sweeper;

pub use sweeper::spawn_session_sweeper;
