//! The ICE servers a visit page gets: the practice's coturn with a credential minted for this
//! person, valid for the configured time (TURN REST API). Without TURN configured, browsers
//! use direct paths only (fine on one network; not behind strict firewalls).

use haven_crypto::turn::turn_credential;
use haven_domain::UserId;
use serde_json::{Value, json};

use crate::state::AppState;

#[must_use]
pub fn rtc_configuration(state: &AppState, user: UserId) -> Value {
    let Some(turn) = &state.config.turn else {
        return json!({ "iceServers": [] });
    };
    let expires = state.clock.now().as_second() + i64::try_from(turn.ttl.as_secs()).unwrap_or(3600);
    let c = turn_credential(&turn.secret, &user.to_string(), expires);
    json!({ "iceServers": [{ "urls": turn.urls, "username": c.username, "credential": c.credential }] })
}
