//! The visit's pages: the way in, the device check, the patient's safety check-in and
//! consent, the room (waiting room and call; its live side is `haven_app::visits::live`),
//! and the patient's rating afterwards.

pub mod pages;
