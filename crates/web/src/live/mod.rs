//! The live connection: one authenticated WebSocket per open page. This part owns the
//! socket's lifecycle (who may connect, reading and writing frames, closing it the moment
//! its session ends); what flows over it belongs to the channels features register with
//! `haven_app::live`.

pub mod socket;
