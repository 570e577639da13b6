//! What the web layer needs to know about the deployment beyond what the services know.
//! Built by the binary from the operator's configuration and passed in, never read from a
//! global.

#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// The address patients and staff use, e.g. `https://care.example.org`; origins of
    /// state-changing requests must match it. `None`: the request's own `Host` is trusted.
    pub public_url: Option<String>,
    /// Mark cookies `Secure` and use the `__Host-` prefix (served over TLS, or behind a
    /// TLS-terminating proxy).
    pub secure_cookies: bool,
    /// The bearer token that opens `/metrics` on this listener; `None`: not served here.
    pub metrics_token: Option<String>,
}
