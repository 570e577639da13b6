//! Live channels over the signed-in WebSocket.
//!
//! The web layer owns the socket (who may open one, reading and writing frames, closing it
//! when its session ends); this module owns what flows over it. Features register a
//! [`Channel`] each (message threads, visit rooms, staff alerts …), built with the services
//! it needs, in the application's [`Channels`]; the socket hands every client frame to the
//! channel that accepts its type, and every event published on the [`Hub`] for a topic the
//! socket follows to the channel that owns the topic. Neither the socket code nor the hub
//! knows any channel by name.
//!
//! Every channel works across instances sharing PostgreSQL: a [`Event::Wake`] travels as a
//! `NOTIFY` (ids only: the table is the truth, followers read it), an [`Event::Frame`] as a
//! sealed row in `live_events` that the `NOTIFY` names. On SQLite there is one instance and
//! events stay in memory.

pub mod bus;
pub mod channel;
pub mod connection;
pub mod event;
pub mod hub;
pub mod inbox;

pub use channel::{Channel, Channels};
pub use connection::Connection;
pub use event::{Event, Topic};
pub use hub::{Hub, Instance, Subscriber};
pub use inbox::Batch;
