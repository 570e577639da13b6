//! Risk signals, live: a clinician's start page follows its own topic on this channel, and
//! a new signal for a patient on their care team wakes it (on every instance, through
//! PostgreSQL), so the page redraws its "needs a look today" list from the database. The
//! wake-up carries no names: the page reads them back signed in, and that read is audited.

use haven_domain::{Role, UserId};
use serde_json::{Value, json};

use crate::context::Ctx;
use crate::error::Result;
use crate::future::BoxFuture;
use crate::live::{Channel, Connection, Event, Topic};

pub const CHANNEL: &str = "signals";

/// A clinician's own signals topic.
#[must_use]
pub fn topic(clinician: UserId) -> Topic {
    Topic::new(CHANNEL, clinician.0)
}

/// Wakes every care-team clinician's start page: a signal about their patient arrived.
pub async fn tell_care_team(cx: &Ctx, patient: UserId) -> Result<()> {
    for clinician in cx.store.care_team_ids(patient).await? {
        cx.hub.publish(topic(clinician), Event::Wake("signal".into())).await;
    }
    Ok(())
}

pub struct SignalsChannel;

impl Channel for SignalsChannel {
    fn name(&self) -> &'static str {
        CHANNEL
    }

    fn accepts(&self, frame_type: &str) -> bool {
        frame_type == "signals-follow"
    }

    /// Only clinicians have signals to follow; anyone else is told no.
    fn handle<'a>(&'a self, conn: &'a mut Connection, _frame: &'a Value) -> BoxFuture<'a, Result<Vec<Value>>> {
        Box::pin(async move {
            if !conn.actor.has_role(Role::Clinician) {
                return Ok(vec![json!({ "type": "signals-error", "code": "forbidden" })]);
            }
            conn.follow(topic(conn.actor.id()));
            Ok(vec![json!({ "type": "signals-following" })])
        })
    }

    fn deliver<'a>(&'a self, _conn: &'a mut Connection, events: Vec<(Topic, Event)>, overflowed: bool) -> BoxFuture<'a, Result<Vec<Value>>> {
        Box::pin(async move {
            let woke = overflowed || events.iter().any(|(_, e)| matches!(e, Event::Wake(_)));
            Ok(if woke { vec![json!({ "type": "signals-changed" })] } else { Vec::new() })
        })
    }
}
