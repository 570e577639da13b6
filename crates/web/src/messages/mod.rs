//! Messaging pages. They work without JavaScript: sending is a form post (with an optional
//! file) and a reload shows new messages; `messages.js` adds live delivery over the
//! WebSocket on top (the `thread` channel of `haven_app::messaging::live`).

pub mod admin;
pub mod pages;
