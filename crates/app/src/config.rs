//! What the services need to know about the deployment. Built by the binary from the
//! operator's configuration and passed in, never read from a global.

use std::time::Duration;

use haven_domain::CrisisLines;

#[derive(Debug, Clone)]
pub struct AppConfig {
    pub crisis: CrisisLines,
    /// Where links in mail point, e.g. `https://care.example.org`.
    pub public_url: String,
    pub sessions: SessionPolicy,
    /// Staff (clinicians, admins) must sign in with a second factor.
    pub require_staff_mfa: bool,
    /// Largest file a message may carry.
    pub max_attachment_bytes: usize,
    /// Messages one person may send per minute, across their sockets, pages and instances.
    pub messages_per_minute: i64,
    /// The coturn server for video visits, if any.
    pub turn: Option<TurnConfig>,
}

#[derive(Clone)]
pub struct TurnConfig {
    pub urls: Vec<String>,
    /// coturn's `static-auth-secret`.
    pub secret: String,
    /// How long a handed-out credential stays valid.
    pub ttl: Duration,
}

impl std::fmt::Debug for TurnConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TurnConfig").field("urls", &self.urls).field("secret", &"<redacted>").field("ttl", &self.ttl).finish()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub staff_idle: Duration,
    pub patient_idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self { staff_idle: Duration::from_secs(15 * 60), patient_idle: Duration::from_secs(30 * 60), absolute: Duration::from_secs(12 * 60 * 60) }
    }
}

impl SessionPolicy {
    /// How long a session of someone with (or without) a staff role may stay quiet.
    #[must_use]
    pub fn idle_for(&self, staff: bool) -> Duration {
        if staff { self.staff_idle } else { self.patient_idle }
    }
}

impl AppConfig {
    /// Sensible settings for tests and local development.
    #[must_use]
    pub fn local() -> Self {
        Self {
            crisis: CrisisLines::default(),
            public_url: "http://localhost:8080".into(),
            sessions: SessionPolicy::default(),
            require_staff_mfa: true,
            max_attachment_bytes: 10 << 20,
            messages_per_minute: 60,
            turn: None,
        }
    }
}
