//! A real Haven server on 127.0.0.1:0, with an HTTP client that keeps cookies and doesn't
//! follow redirects (so tests see them).

use std::sync::Arc;

use haven::config::{Config, PasswordHashing};
use haven_crypto::{HashCost, PasswordHasher};
use haven_domain::{Clock, ManualClock, SystemClock};
use haven_store::Store;

use super::{Backend, TempDir, TestDb};

/// One browser's view of a server: its own cookie jar.
pub struct Browser {
    pub url: String,
    pub client: reqwest::Client,
}

pub struct TestServer {
    /// The default browser; `TestServer` derefs to it.
    pub browser: Browser,
    pub store: Store,
    /// What a second instance needs to share this one's database.
    pub shared: (Option<String>, std::path::PathBuf),
    running: Option<haven::Running>,
    /// What the server was started with, for a restart.
    config: Config,
    extensions: haven::Extensions,
    clock: Option<ManualClock>,
    _db: Option<TestDb>,
    _dir: TempDir,
}

/// Cheap hashing: tests sign in often, and the cost doesn't change what is tested.
pub fn test_config(dir: &TempDir) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().to_owned(),
        password_hashing: PasswordHashing { memory_kib: HashCost::MINIMUM.memory_kib, iterations: 1 },
        // Most tests are about what happens after sign-in; the MFA tests turn this back on.
        require_staff_mfa: false,
        ..Config::default()
    }
}

/// What a browser sends with every request to the page's own site; Haven refuses a
/// state-changing request that doesn't show where it comes from.
pub fn same_origin() -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("sec-fetch-site", reqwest::header::HeaderValue::from_static("same-origin"));
    headers
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).default_headers(same_origin()).build().unwrap()
}

impl TestServer {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(backend, |_| {}, None).await
    }

    /// A server whose mail goes to a real SMTP server started for the test.
    pub async fn with_smtp(backend: Backend, clock: Option<ManualClock>) -> (Self, super::smtp::SmtpSink) {
        let sink = super::smtp::SmtpSink::start().await;
        let port = sink.port;
        let server = Self::start_with(
            backend,
            |config| {
                config.mail_from = "Riverbend Counseling <care@riverbend.example>".into();
                config.smtp = Some(haven::config::SmtpConfig {
                    host: "127.0.0.1".into(),
                    port,
                    security: "none".into(),
                    username: None,
                    password: None,
                    password_file: None,
                });
            },
            clock,
        )
        .await;
        (server, sink)
    }

    /// Starts a server on `backend` with a test clock the test can move.
    pub async fn with_clock(backend: Backend, clock: ManualClock) -> Self {
        Self::start_with(backend, |_| {}, Some(clock)).await
    }

    pub async fn start_with(backend: Backend, adjust: impl FnOnce(&mut Config), clock: Option<ManualClock>) -> Self {
        Self::start_extended(backend, adjust, clock, haven::Extensions::default()).await
    }

    /// A server that runs more job kinds or live channels (as a feature would add them).
    pub async fn start_extended(
        backend: Backend,
        adjust: impl FnOnce(&mut Config),
        clock: Option<ManualClock>,
        extensions: haven::Extensions,
    ) -> Self {
        let dir = TempDir::new("server");
        let mut config = test_config(&dir);
        let db = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => {
                let db = TestDb::new(Backend::Postgres).await;
                config.database_url = Some(haven::config::Secret::new(db.url.clone()));
                Some(db)
            }
        };
        adjust(&mut config);
        let shared = (
            config.database_url.as_ref().map(|u| u.expose().to_owned()),
            config.key_file.clone().unwrap_or_else(|| config.data_dir.join("keys").join("haven.kek")),
        );
        let dyn_clock: Arc<dyn Clock> = match &clock {
            Some(c) => Arc::new(c.clone()),
            None => Arc::new(SystemClock),
        };
        let running = haven::start_with(&config, dyn_clock, extensions.clone()).await.unwrap();
        Self {
            browser: Browser { url: running.url(), client: client() },
            shared,
            store: running.store.clone(),
            running: Some(running),
            config,
            extensions,
            clock,
            _db: db,
            _dir: dir,
        }
    }

    /// Stops the server and starts it again on the same data, clock and port-0 address:
    /// what a crash or an upgrade between two requests looks like. Cookies don't survive
    /// (the address changes), sessions in the database do.
    pub async fn restart(mut self) -> Self {
        if let Some(running) = self.running.take() {
            running.shutdown().await;
        }
        let dyn_clock: Arc<dyn Clock> = match &self.clock {
            Some(c) => Arc::new(c.clone()),
            None => Arc::new(SystemClock),
        };
        let running = haven::start_with(&self.config, dyn_clock, self.extensions.clone()).await.unwrap();
        self.browser = Browser { url: running.url(), client: client() };
        self.store = running.store.clone();
        self.running = Some(running);
        self
    }

    /// A second instance on this one's database, key file, mail settings and clock.
    pub async fn twin(&self) -> TestServer {
        let (url, key_file) = self.shared.clone();
        let smtp = self.config.smtp.clone();
        let from = self.config.mail_from.clone();
        let per_minute = self.config.messages_per_minute;
        TestServer::start_extended(
            Backend::Sqlite,
            move |config| {
                config.database_url = url.map(haven::config::Secret::new);
                config.key_file = Some(key_file);
                config.smtp = smtp;
                config.mail_from = from;
                config.messages_per_minute = per_minute;
            },
            self.clock.clone(),
            self.extensions.clone(),
        )
        .await
    }

    /// The running server (its addresses).
    pub fn running(&self) -> &haven::Running {
        self.running.as_ref().unwrap()
    }

    /// The running server's services (to seal test data as Haven would, enqueue jobs …).
    pub fn app(&self) -> &haven_app::App {
        &self.running.as_ref().expect("the server is running").app
    }

    /// Creates the demo practice and people; returns (email, password) by role name.
    /// The demo's questionnaire history and schedules (apart: they add audit entries that
    /// tests counting entries after `seed_demo` don't expect).
    pub async fn seed_demo_measures(&self) {
        haven::demo::seed_measures(self.app()).await.unwrap();
    }

    pub async fn seed_demo(&self) -> Vec<(String, String, String)> {
        let hasher = PasswordHasher::new(HashCost::MINIMUM).unwrap();
        let accounts = haven::demo::seed(&self.store, &hasher).await.unwrap();
        accounts.into_iter().map(|a| (a.role.to_owned(), a.email.to_owned(), a.password)).collect()
    }

    /// A second Haven instance on this one's database and key file.
    pub async fn second_instance(&self) -> TestServer {
        let (url, key_file) = self.shared.clone();
        TestServer::start_with(
            Backend::Sqlite,
            move |config| {
                config.database_url = url.map(haven::config::Secret::new);
                config.key_file = Some(key_file);
            },
            None,
        )
        .await
    }

    /// Another browser, with no cookies yet.
    pub fn new_browser(&self) -> Browser {
        Browser { url: self.browser.url.clone(), client: client() }
    }

    /// A browser on another machine: its connections come from `ip` (any 127.x address).
    pub fn browser_from(&self, ip: &str) -> Browser {
        let client = reqwest::Client::builder()
            .default_headers(same_origin())
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .local_address(Some(ip.parse().unwrap()))
            .build()
            .unwrap();
        Browser { url: self.browser.url.clone(), client }
    }

    pub async fn stop(mut self) {
        if let Some(running) = self.running.take() {
            running.shutdown().await;
        }
    }
}

impl std::ops::Deref for TestServer {
    type Target = Browser;
    fn deref(&self) -> &Browser {
        &self.browser
    }
}

impl Browser {
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.at(path)).send().await.unwrap()
    }

    /// Posts a form and returns the response.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(self.at(path)).form(form).send().await.unwrap()
    }

    pub async fn post_sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.client.post(self.at("/sign-in")).form(&[("email", email), ("password", password)]).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (reqwest::StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.unwrap())
    }

    /// Signs the client in; panics unless Haven answers with the redirect to /home.
    pub async fn sign_in(&self, email: &str, password: &str) {
        let response = self.client.post(self.at("/sign-in")).form(&[("email", email), ("password", password)]).send().await.unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER, "sign-in failed for {email}");
        assert_eq!(response.headers()["location"], "/home");
    }
}
