//! The live connection: one authenticated WebSocket per open page, shared by the features
//! that need pushes (video-visit signaling, messaging). This part owns its lifecycle:
//! who may connect, and closing every socket of a session or person the moment that
//! session ends (sign-out, password or second-factor change, deactivation).

pub mod delivery;
pub mod hub;
pub mod inbox;
pub mod revoke;
pub mod socket;

pub use delivery::Delivery;
pub use hub::{Hub, Wake};
pub use revoke::spawn_signal_listener;
