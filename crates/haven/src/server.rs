//! Start-up: open the database, apply migrations, build the services, bind, serve; and a
//! clean shutdown.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use haven_app::jobs::{Registry, Runner, RunnerOptions};
use haven_app::{App, ChannelMaker, Parts};
use haven_crypto::PasswordHasher;
use haven_domain::Clock;
use haven_store::{Store, StoreOptions};
use haven_web::AppState;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::Config;

/// What a server runs beyond the standard: more job kinds and live channels (tests add
/// their own the way a feature adds its), and how the job runner behaves.
#[derive(Clone, Default)]
pub struct Extensions {
    /// Job kinds besides the standard ones (`App::jobs`).
    pub jobs: Registry,
    pub runner: RunnerOptions,
    /// Live channels besides the standard ones.
    pub channels: Vec<ChannelMaker>,
}

/// A server that is running. Dropping it doesn't stop it: call [`Running::shutdown`].
pub struct Running {
    pub addr: SocketAddr,
    /// Where `/metrics` is served apart, when `metrics.listen` is set.
    pub metrics_addr: Option<SocketAddr>,
    pub store: Store,
    pub app: App,
    stop: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
    /// The job runner, stopped between jobs on shutdown rather than aborted.
    runner: JoinHandle<()>,
    stop_runner: tokio::sync::watch::Sender<bool>,
    background: Vec<JoinHandle<()>>,
}

impl Running {
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Finishes requests in flight, stops background tasks and closes the database.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let _ = self.server.await;
        // Let the job in hand finish (and be recorded as done) before the database closes;
        // a job stuck past the limit is aborted and runs again after the restart.
        let _ = self.stop_runner.send(true);
        let runner = self.runner.abort_handle();
        if tokio::time::timeout(std::time::Duration::from_secs(10), self.runner).await.is_err() {
            runner.abort();
        }
        for task in self.background {
            task.abort();
        }
        self.store.close().await;
    }
}

/// Opens the database, or says in one line why it can't.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let mut options = StoreOptions::new(config.database_url());
    options.max_connections = config.database_max_connections;
    Store::connect(&options).await.map_err(|e| anyhow::anyhow!("can't open the database: {e}"))
}

/// Starts Haven as configured; returns once it is listening.
pub async fn start(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Running> {
    start_with(config, clock, Extensions { runner: config.runner(), ..Extensions::default() }).await
}

/// [`start`], with more job kinds, live channels or runner settings.
pub async fn start_with(config: &Config, clock: Arc<dyn Clock>, extensions: Extensions) -> anyhow::Result<Running> {
    let store = open_store(config).await?;
    store.migrate().await.map_err(|e| anyhow::anyhow!("can't prepare the database: {e}"))?;
    let hasher = PasswordHasher::new(config.hash_cost()).map_err(|e| anyhow::anyhow!("password_hashing: {e}"))?;
    let vault = Arc::new(crate::keys::open_vault(config, &store).await?);
    let mailer = Arc::new(config.mailer()?);
    let metrics = haven_web::install_metrics_recorder();
    let listener = tokio::net::TcpListener::bind(config.listen).await.with_context(|| format!("can't listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let app_config = config.app(addr);
    let longest_idle = app_config.sessions.staff_idle.max(app_config.sessions.patient_idle);
    // The WebAuthn relying party: the public address's host, or localhost on this port.
    let webauthn = haven_app::identity::passkeys::relying_party(config.public_url.as_deref(), addr.port()).map(Arc::new);
    let app = App::new(Parts {
        store: store.clone(),
        clock: clock.clone(),
        vault,
        hasher,
        mailer,
        config: app_config,
        webauthn,
        extra_channels: extensions.channels,
    });
    let state = AppState::new(app.clone(), config.web(), metrics);

    let (stop_runner, runner_stop) = tokio::sync::watch::channel(false);
    let runner = Runner::new(app.cx.clone(), app.jobs().merged(extensions.jobs), extensions.runner).spawn(runner_stop);
    let background = vec![
        haven_web::spawn_health_monitor(state.clone()),
        app.listen(),
        haven_jobs::spawn_sweeper(store.clone(), clock, longest_idle),
        haven_app::measures::due::spawn(app.cx.clone()),
    ];
    let mut background = background;
    let mut metrics_addr = None;
    if let Some(listen) = config.metrics.listen {
        let metrics_listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("can't listen for metrics on {listen}"))?;
        metrics_addr = Some(metrics_listener.local_addr()?);
        let metrics_router = haven_web::metrics_router(state.clone());
        background.push(tokio::spawn(async move {
            if let Err(e) = axum::serve(metrics_listener, metrics_router).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        }));
    }
    let router = haven_web::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        // No Nagle delay: a live message or an acknowledgement is a small write that must
        // leave at once, not wait for the peer's acknowledgement of the previous one (with
        // delayed ACKs that wait is up to tens of milliseconds).
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "could not turn off Nagle's algorithm for a connection");
            }
        });
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    tracing::info!(%addr, backend = store.backend().name(), "Haven is listening");
    Ok(Running { addr, metrics_addr, store, app, stop, server, runner, stop_runner, background })
}
