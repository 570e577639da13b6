//! Start-up: open the database, apply migrations, bind, serve; and a clean shutdown.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use haven_crypto::PasswordHasher;
use haven_domain::Clock;
use haven_store::{Store, StoreOptions};
use haven_web::{AppState, Services};
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinHandle;

use crate::config::Config;

/// A server that is running. Dropping it doesn't stop it: call [`Running::shutdown`].
pub struct Running {
    pub addr: SocketAddr,
    pub store: Store,
    stop: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
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
    let store = open_store(config).await?;
    store.migrate().await.map_err(|e| anyhow::anyhow!("can't prepare the database: {e}"))?;
    let hasher = PasswordHasher::new(config.hash_cost()).map_err(|e| anyhow::anyhow!("password_hashing: {e}"))?;
    let vault = Arc::new(crate::keys::open_vault(config, &store).await?);
    let mailer = Arc::new(config.mailer()?);
    let metrics = haven_web::install_metrics_recorder();
    let web = config.web();
    let longest_idle = web.sessions.staff_idle.max(web.sessions.patient_idle);

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("can't listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let mail_wake = Arc::new(Notify::new());
    let state = AppState::new(Services {
        store: store.clone(),
        config: web,
        clock: clock.clone(),
        hasher,
        metrics,
        mail_wake: mail_wake.clone(),
        vault: vault.clone(),
        base_url: config.public_url.clone().unwrap_or_else(|| format!("http://{addr}")),
        port: addr.port(),
    });

    let background = vec![
        haven_web::spawn_health_monitor(state.clone()),
        haven_web::spawn_signal_listener(state.clone()),
        haven_jobs::spawn_session_sweeper(store.clone(), clock.clone(), longest_idle),
        haven_jobs::spawn_job_runner(store.clone(), vault, clock.clone(), mail_wake.clone()),
        haven_jobs::spawn_mail_sender(store.clone(), mailer, clock, mail_wake),
    ];
    let app = haven_web::router(state).into_make_service_with_connect_info::<SocketAddr>();
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
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    tracing::info!(%addr, backend = store.backend().name(), "Haven is listening");
    Ok(Running { addr, store, stop, server, background })
}
