//! What the web layer needs to know about the deployment. Built by the binary from the
//! operator's configuration and passed in, never read from a global.

use std::time::Duration;

use haven_domain::CrisisLines;

#[derive(Debug, Clone)]
pub struct WebConfig {
    pub crisis: CrisisLines,
    /// The address patients and staff use, e.g. `https://care.example.org`; origins of
    /// state-changing requests must match it. `None`: the request's own `Host` is trusted.
    pub public_url: Option<String>,
    /// Mark cookies `Secure` and use the `__Host-` prefix (served over TLS, or behind a
    /// TLS-terminating proxy).
    pub secure_cookies: bool,
    pub sessions: SessionPolicy,
    /// Staff (clinicians, admins) must sign in with a second factor.
    pub require_staff_mfa: bool,
    /// Largest file a message may carry.
    pub max_attachment_bytes: usize,
    /// Messages one person may send per minute.
    pub messages_per_minute: i64,
    /// The coturn server for video visits, if any.
    pub turn: Option<TurnConfig>,
}

#[derive(Debug, Clone)]
pub struct TurnConfig {
    pub urls: Vec<String>,
    /// coturn's `static-auth-secret`.
    pub secret: String,
    /// How long a handed-out credential stays valid.
    pub ttl: Duration,
}

#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub staff_idle: Duration,
    pub patient_idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            staff_idle: Duration::from_secs(15 * 60),
            patient_idle: Duration::from_secs(30 * 60),
            absolute: Duration::from_secs(12 * 60 * 60),
        }
    }
}

impl WebConfig {
    /// Sensible settings for tests and local development.
    #[must_use]
    pub fn local() -> Self {
        Self {
            crisis: CrisisLines::default(),
            public_url: None,
            secure_cookies: false,
            sessions: SessionPolicy::default(),
            require_staff_mfa: true,
            max_attachment_bytes: 10 << 20,
            messages_per_minute: 60,
            turn: None,
        }
    }
}
