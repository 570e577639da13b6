//! Configuration: built-in defaults, then `haven.toml`, then `HAVEN_…` environment
//! variables, then `…_FILE` secret files (the way container secrets are mounted).
//! Nothing needs a file: the defaults run a private server on 127.0.0.1:8080 with SQLite
//! under `./haven-data`.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Format as _, Serialized, Toml};
use figment::value::{Dict, Map, Value};
use figment::{Metadata, Profile, Provider};
use haven_crypto::HashCost;
use haven_domain::CrisisLines;
use serde::{Deserialize, Serialize};

/// A value that must never be printed: `Debug` and `Display` show `<redacted>`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    #[must_use]
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Human,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionSettings {
    pub staff_idle_minutes: u64,
    pub patient_idle_minutes: u64,
    pub absolute_hours: u64,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self { staff_idle_minutes: 15, patient_idle_minutes: 30, absolute_hours: 12 }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PasswordHashing {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl Default for PasswordHashing {
    fn default() -> Self {
        Self { memory_kib: HashCost::STANDARD.memory_kib, iterations: HashCost::STANDARD.iterations }
    }
}

/// An SMTP relay for outgoing mail. Without one, mail goes to `<data_dir>/outbox`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default = "default_smtp_port")]
    pub port: u16,
    /// `starttls` (default), `tls`, or `none` (a relay on this machine only).
    #[serde(default = "default_smtp_security")]
    pub security: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<Secret>,
    /// A file holding the password; wins over `password`.
    #[serde(default)]
    pub password_file: Option<PathBuf>,
}

fn default_smtp_port() -> u16 {
    587
}

fn default_smtp_security() -> String {
    "starttls".into()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address and port to listen on. Put a TLS-terminating proxy in front for real use.
    pub listen: SocketAddr,
    /// Where Haven keeps its files (the SQLite database by default).
    pub data_dir: PathBuf,
    /// `postgres://…` to share one database between several Haven instances; unset for
    /// the embedded SQLite database in `data_dir`. Secret: it may hold a password.
    pub database_url: Option<Secret>,
    /// A file holding `database_url` (e.g. a mounted container secret); wins over the value.
    pub database_url_file: Option<PathBuf>,
    pub database_max_connections: u32,
    /// The key-encryption key (default `<data_dir>/keys/haven.kek`, created on first start
    /// with mode 0600). Every instance sharing a database needs the same file.
    pub key_file: Option<PathBuf>,
    /// The address people use, e.g. `https://care.example.org`.
    pub public_url: Option<String>,
    /// Set when a TLS proxy (or Haven itself) serves HTTPS: cookies become `Secure`.
    pub behind_tls_proxy: bool,
    /// Without a `public_url`, name a loopback listener `localhost` in emailed links, as
    /// the demo's banner does (passkeys need a name, and a person should meet one address).
    /// Set by `haven demo`; not read from the configuration file.
    #[serde(skip)]
    pub loopback_links_by_name: bool,
    pub log_format: LogFormat,
    /// A `tracing` filter such as `info` or `haven_web=debug,info`.
    pub log_level: String,
    pub crisis: CrisisLines,
    pub sessions: SessionSettings,
    pub password_hashing: PasswordHashing,
    /// Clinicians and admins must use two-step sign-in (an authenticator app). Leave on.
    pub require_staff_mfa: bool,
    /// The sender of Haven's mail, e.g. `Riverbend Counseling <care@riverbend.example>`.
    pub mail_from: String,
    pub smtp: Option<SmtpConfig>,
    /// Largest file a message may carry, in megabytes.
    pub max_attachment_mb: u64,
    /// Messages one person may send per minute (a flood is refused, not stored).
    pub messages_per_minute: i64,
    /// A coturn server relaying video visits for people behind restrictive networks.
    pub turn: Option<TurnSettings>,
    pub jobs: JobSettings,
    pub metrics: MetricsSettings,
}

/// Who may read `/metrics` (routes, counts, version, backend: nothing for the public).
/// Without either setting it is not served at all.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsSettings {
    /// A separate address serving only `/metrics`, e.g. `127.0.0.1:9464` or the monitoring
    /// network's interface; the public listener then doesn't serve it.
    pub listen: Option<SocketAddr>,
    /// A bearer token that opens `/metrics` on the public listener
    /// (`Authorization: Bearer …`). Secret.
    pub token: Option<Secret>,
    /// A file holding the token (wins over the value).
    pub token_file: Option<PathBuf>,
}

/// The background job runner.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JobSettings {
    /// How long a worker holds a job it took before another instance may take it up (the
    /// worker may have died). Longer than any job takes; mail delivery takes seconds.
    pub lease_seconds: u64,
}

impl Default for JobSettings {
    fn default() -> Self {
        Self { lease_seconds: 300 }
    }
}

/// coturn with `use-auth-secret`: Haven hands out short-lived credentials signed with the
/// shared secret (the TURN REST API scheme), so coturn needs no account list.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnSettings {
    /// e.g. `["turn:turn.example.org:3478?transport=udp", "turn:turn.example.org:3478?transport=tcp"]`.
    pub urls: Vec<String>,
    /// coturn's `static-auth-secret`. Secret.
    #[serde(default)]
    pub secret: Option<Secret>,
    /// A file holding the secret (wins over the value).
    #[serde(default)]
    pub secret_file: Option<PathBuf>,
    /// How long a credential stays valid.
    #[serde(default = "default_turn_ttl")]
    pub ttl_minutes: u64,
}

fn default_turn_ttl() -> u64 {
    240
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./haven-data"),
            database_url: None,
            database_url_file: None,
            database_max_connections: 10,
            key_file: None,
            public_url: None,
            behind_tls_proxy: false,
            loopback_links_by_name: false,
            log_format: LogFormat::Human,
            log_level: "info".into(),
            crisis: CrisisLines::default(),
            sessions: SessionSettings::default(),
            password_hashing: PasswordHashing::default(),
            require_staff_mfa: true,
            mail_from: "Haven <haven@localhost>".into(),
            smtp: None,
            max_attachment_mb: 10,
            messages_per_minute: 60,
            turn: None,
            jobs: JobSettings::default(),
            metrics: MetricsSettings::default(),
        }
    }
}

/// A configuration problem, said in one line that names the key.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(pub String);

impl Config {
    /// Loads from `file` (or `./haven.toml` when it exists) and the process environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::load_from(file, std::env::vars())
    }

    /// As [`Config::load`], with the environment given explicitly (for tests).
    pub fn load_from(file: Option<&Path>, env: impl IntoIterator<Item = (String, String)>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) if !path.exists() => {
                return Err(ConfigError(format!("config file {} does not exist", path.display())));
            }
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None if Path::new("haven.toml").exists() => figment = figment.merge(Toml::file_exact("haven.toml")),
            None => {}
        }
        let mut vars: Vec<EnvVar> = env.into_iter().filter_map(|(name, value)| EnvVar::new(name, value)).collect();
        vars.sort_by(|a, b| a.name.cmp(&b.name));
        for var in vars {
            figment = figment.merge(var);
        }
        let mut config: Config = figment.extract().map_err(|e| ConfigError(describe(&e)))?;
        if let Some(path) = &config.database_url_file {
            let value = std::fs::read_to_string(path).map_err(|e| ConfigError(format!("database_url_file: can't read {}: {e}", path.display())))?;
            config.database_url = Some(Secret::new(value.trim()));
        }
        if let Some(smtp) = &mut config.smtp
            && let Some(path) = &smtp.password_file
        {
            let value = std::fs::read_to_string(path).map_err(|e| ConfigError(format!("smtp.password_file: can't read {}: {e}", path.display())))?;
            smtp.password = Some(Secret::new(value.trim_end_matches(['\r', '\n'])));
        }
        if let Some(turn) = &mut config.turn
            && let Some(path) = &turn.secret_file
        {
            let value = std::fs::read_to_string(path).map_err(|e| ConfigError(format!("turn.secret_file: can't read {}: {e}", path.display())))?;
            turn.secret = Some(Secret::new(value.trim()));
        }
        if let Some(path) = &config.metrics.token_file {
            let value = std::fs::read_to_string(path).map_err(|e| ConfigError(format!("metrics.token_file: can't read {}: {e}", path.display())))?;
            config.metrics.token = Some(Secret::new(value.trim()));
        }
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let bad = |key: &str, why: &str| Err(ConfigError(format!("{key}: {why}")));
        if let Some(url) = &self.database_url {
            let url = url.expose();
            if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return bad("database_url", "must start with postgres:// (or sqlite:), e.g. postgres://haven@db.internal/haven");
            }
        }
        if self.database_max_connections == 0 {
            return bad("database_max_connections", "must be at least 1");
        }
        if let Some(url) = &self.public_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return bad("public_url", "must start with https:// (or http:// for local testing)");
        }
        if self.sessions.staff_idle_minutes == 0 || self.sessions.patient_idle_minutes == 0 || self.sessions.absolute_hours == 0 {
            return bad("sessions", "timeouts must be at least 1");
        }
        if self.password_hashing.memory_kib < HashCost::MINIMUM.memory_kib || self.password_hashing.iterations < 1 {
            return bad("password_hashing", "memory_kib must be at least 8192 and iterations at least 1");
        }
        if let Err(e) = tracing_subscriber::EnvFilter::try_new(&self.log_level) {
            return bad("log_level", &e.to_string());
        }
        if let Some(smtp) = &self.smtp {
            if smtp.host.trim().is_empty() {
                return bad("smtp.host", "must name the mail server");
            }
            if !["starttls", "tls", "none"].contains(&smtp.security.as_str()) {
                return bad("smtp.security", "must be starttls, tls or none");
            }
        }
        if let Some(turn) = &self.turn {
            if turn.urls.is_empty() || !turn.urls.iter().all(|u| u.starts_with("turn:") || u.starts_with("turns:")) {
                return bad("turn.urls", "must list the coturn addresses, e.g. [\"turn:turn.example.org:3478\"]");
            }
            if turn.secret.as_ref().is_none_or(|s| s.expose().len() < 16) {
                return bad("turn.secret", "must be coturn's static-auth-secret, at least 16 characters");
            }
            if turn.ttl_minutes == 0 {
                return bad("turn.ttl_minutes", "must be at least 1");
            }
        }
        if !self.mail_from.contains('@') {
            return bad("mail_from", "must be an address such as Haven <care@example.org>");
        }
        self.crisis.validate().map_err(|e| ConfigError(format!("crisis: {e}")))
    }

    /// How outgoing mail is delivered.
    pub fn mailer(&self) -> Result<haven_jobs::Mailer, ConfigError> {
        let mailer = match &self.smtp {
            Some(smtp) => {
                let security = match smtp.security.as_str() {
                    "tls" => haven_jobs::SmtpSecurity::Tls,
                    "none" => haven_jobs::SmtpSecurity::None,
                    _ => haven_jobs::SmtpSecurity::StartTls,
                };
                let settings = haven_jobs::SmtpSettings {
                    host: smtp.host.clone(),
                    port: smtp.port,
                    security,
                    username: smtp.username.clone(),
                    password: smtp.password.as_ref().map(|p| p.expose().to_owned()),
                };
                haven_jobs::Mailer::smtp(&settings, &self.mail_from)
            }
            None => haven_jobs::Mailer::outbox(self.data_dir.join("outbox"), &self.mail_from),
        };
        mailer.map_err(|e| ConfigError(format!("mail_from / smtp: {e}")))
    }

    /// The database to open: the configured URL, or SQLite in the data directory.
    #[must_use]
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose().to_owned(),
            None => format!("sqlite://{}", self.data_dir.join("haven.db").display()),
        }
    }

    #[must_use]
    pub fn hash_cost(&self) -> HashCost {
        HashCost { memory_kib: self.password_hashing.memory_kib, iterations: self.password_hashing.iterations }
    }

    #[must_use]
    pub fn web(&self) -> haven_web::WebConfig {
        haven_web::WebConfig {
            public_url: self.public_url.clone(),
            secure_cookies: self.behind_tls_proxy || self.public_url.as_deref().is_some_and(|u| u.starts_with("https://")),
            metrics_token: self.metrics.token.as_ref().map(|t| t.expose().to_owned()).filter(|t| !t.is_empty()),
        }
    }

    /// The address links in mail point to: the configured public URL, else the address
    /// Haven listens on (named `localhost` on loopback for the demo).
    #[must_use]
    pub fn links_base(&self, listening: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None if self.loopback_links_by_name && listening.ip().is_loopback() => format!("http://localhost:{}", listening.port()),
            None => format!("http://{listening}"),
        }
    }

    /// How the job runner behaves.
    #[must_use]
    pub fn runner(&self) -> haven_app::jobs::RunnerOptions {
        let lease = i64::try_from(self.jobs.lease_seconds.clamp(2, 24 * 3600)).unwrap_or(300);
        haven_app::jobs::RunnerOptions { lease: jiff::SignedDuration::from_secs(lease), ..haven_app::jobs::RunnerOptions::default() }
    }

    /// What the application's services are configured with.
    #[must_use]
    pub fn app(&self, listening: SocketAddr) -> haven_app::AppConfig {
        let minutes = |m: u64| Duration::from_secs(m * 60);
        haven_app::AppConfig {
            crisis: self.crisis.clone(),
            public_url: self.links_base(listening),
            sessions: haven_app::SessionPolicy {
                staff_idle: minutes(self.sessions.staff_idle_minutes),
                patient_idle: minutes(self.sessions.patient_idle_minutes),
                absolute: Duration::from_secs(self.sessions.absolute_hours * 3600),
            },
            require_staff_mfa: self.require_staff_mfa,
            max_attachment_bytes: usize::try_from(self.max_attachment_mb.clamp(1, 100) * 1024 * 1024).unwrap_or(10 << 20),
            messages_per_minute: self.messages_per_minute.max(1),
            turn: self.turn.as_ref().and_then(|t| {
                Some(haven_app::TurnConfig {
                    urls: t.urls.clone(),
                    secret: t.secret.as_ref()?.expose().to_owned(),
                    ttl: Duration::from_secs(t.ttl_minutes * 60),
                })
            }),
        }
    }
}

/// One `HAVEN_…` variable as a configuration source, so an error names the variable.
/// `HAVEN_DATABASE_URL` → `database_url`; a double underscore descends into a table:
/// `HAVEN_SESSIONS__STAFF_IDLE_MINUTES` → `sessions.staff_idle_minutes`.
struct EnvVar {
    name: String,
    key: String,
    value: String,
}

impl EnvVar {
    fn new(name: String, value: String) -> Option<Self> {
        let rest = name.strip_prefix("HAVEN_")?;
        // HAVEN_CONFIG names the file itself; HAVEN_TEST_* belong to the test suite.
        if rest == "CONFIG" || rest.starts_with("TEST_") || rest.is_empty() {
            return None;
        }
        let key = rest.to_lowercase().replace("__", ".");
        Some(Self { name, key, value })
    }
}

impl Provider for EnvVar {
    fn metadata(&self) -> Metadata {
        Metadata::named(format!("environment variable {}", self.name))
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        let value: Value = self.value.parse().unwrap_or_else(|never: std::convert::Infallible| match never {});
        // Secrets and paths stay text even when they look like numbers.
        let value = if self.key.ends_with("url") || self.key.ends_with("_file") || self.key.ends_with("_dir") {
            Value::from(self.value.clone())
        } else {
            value
        };
        match figment::util::nest(&self.key, value) {
            Value::Dict(_, dict) => Ok(Profile::Default.collect(dict)),
            _ => Err(figment::Error::from(format!("{} does not name a setting", self.name))),
        }
    }
}

fn describe(error: &figment::Error) -> String {
    let key = if error.path.is_empty() { "(top level)".to_owned() } else { error.path.join(".") };
    let source = error
        .metadata
        .as_ref()
        .map(|m| match &m.source {
            Some(figment::Source::File(path)) => format!(" (in {})", path.display()),
            _ => format!(" (from {})", m.name),
        })
        .unwrap_or_default();
    format!("{key}: {}{source}", error.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_loopback_only_for_the_demo_and_never_over_a_public_url() {
        let on: SocketAddr = "127.0.0.1:8091".parse().unwrap();
        let mut config = Config::default();
        assert_eq!(config.links_base(on), "http://127.0.0.1:8091");
        config.loopback_links_by_name = true;
        assert_eq!(config.links_base(on), "http://localhost:8091");
        assert_eq!(config.links_base("0.0.0.0:8091".parse().unwrap()), "http://0.0.0.0:8091");
        config.public_url = Some("https://care.example.org/".into());
        assert_eq!(config.links_base(on), "https://care.example.org");
    }

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn defaults_need_no_file() {
        let config = Config::load_from(None, env(&[])).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database_url(), "sqlite://./haven-data/haven.db");
        assert_eq!(config.crisis.emergency_number, "911");
    }

    #[test]
    fn file_then_environment_then_secret_file() {
        let dir = std::env::temp_dir().join(format!("haven-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("haven.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:9000\"\nlog_level = \"debug\"\n[sessions]\nstaff_idle_minutes = 10\n").unwrap();
        let secret = dir.join("db-url");
        std::fs::write(&secret, "postgres://haven:s3cret@db/haven\n").unwrap();

        let config = Config::load_from(Some(&file), env(&[("HAVEN_LOG_LEVEL", "warn")])).unwrap();
        assert_eq!(config.listen.port(), 9000);
        assert_eq!(config.log_level, "warn");
        assert_eq!(config.sessions.staff_idle_minutes, 10);

        let config = Config::load_from(
            Some(&file),
            env(&[
                ("HAVEN_DATABASE_URL", "postgres://plain@db/haven"),
                ("HAVEN_DATABASE_URL_FILE", secret.to_str().unwrap()),
                ("HAVEN_SESSIONS__PATIENT_IDLE_MINUTES", "20"),
            ]),
        )
        .unwrap();
        assert_eq!(config.database_url(), "postgres://haven:s3cret@db/haven");
        assert_eq!(config.sessions.patient_idle_minutes, 20);
        assert!(!format!("{config:?}").contains("s3cret"), "Debug must redact secrets");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn errors_name_the_key_and_the_source() {
        let err = Config::load_from(None, env(&[("HAVEN_LISTEN", "not-an-address")])).unwrap_err().to_string();
        assert!(err.contains("listen") && err.contains("HAVEN_LISTEN"), "{err}");
        assert!(!err.contains('\n'), "one line: {err}");

        let err = Config::load_from(None, env(&[("HAVEN_DATABASE_URL", "mysql://x")])).unwrap_err().to_string();
        assert!(err.contains("database_url"), "{err}");

        let err = Config::load_from(None, env(&[("HAVEN_NO_SUCH_SETTING", "1")])).unwrap_err().to_string();
        assert!(err.contains("no_such_setting"), "{err}");

        let err = Config::load_from(Some(Path::new("/nonexistent/haven.toml")), env(&[])).unwrap_err().to_string();
        assert!(err.contains("does not exist"), "{err}");
    }
}
