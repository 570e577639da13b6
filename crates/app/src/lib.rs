//! Haven's application layer: one service per feature between the web layer and the
//! store. A service takes a small context ([`Ctx`]: store, clock, vault, links, job queue,
//! live hub) and the configuration it needs, never web types; the web layer parses,
//! authorizes by route, calls a service and renders, and background jobs call the same
//! services, so mail and texts are worded (in the recipient's language) wherever they are
//! made.
//!
//! - [`jobs`]: typed background jobs over one durable queue, and the runner;
//! - [`live`]: the live hub and the channels features register with it;
//! - one module per feature: [`identity`], [`people`], [`booking`], [`messaging`],
//!   [`visits`], [`charts`], [`trail`];
//! - shared helpers: [`i18n`], [`when`], [`audit`], [`mail`].

pub mod access;
pub mod actor;
pub mod audit;
pub mod booking;
pub mod charts;
pub mod config;
pub mod context;
pub mod error;
pub mod fhir;
pub mod future;
pub mod i18n;
pub mod identity;
pub mod jobs;
pub mod live;
pub mod mail;
pub mod measures;
pub mod messaging;
pub mod people;
pub mod settings_cache;
pub mod trail;
pub mod visits;
pub mod when;

use std::sync::Arc;

use haven_crypto::{PasswordHasher, Vault};
use haven_domain::Clock;
use haven_domain::{SessionId, UserId};
use haven_store::Store;

pub use actor::Actor;
pub use config::{AppConfig, SessionPolicy, TurnConfig};
pub use context::{Ctx, Links};
pub use error::{Error, Result};

/// Every service, built once at start-up. Cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct App(Arc<Services>);

pub struct Services {
    pub cx: Ctx,
    pub config: AppConfig,
    /// Where mail goes (SMTP, or a folder in the demo).
    pub mailer: Arc<dyn mail::MailTransport>,
    /// Every live channel, standard and extra.
    pub channels: live::Channels,
    pub identity: identity::Identity,
    pub people: people::People,
    pub booking: booking::Booking,
    pub messaging: Arc<messaging::Messaging>,
    pub visits: visits::Visits,
    pub charts: charts::Charts,
    pub measures: measures::Measures,
    pub fhir: fhir::Fhir,
    pub trail: trail::Trail,
}

/// What the application is built from.
pub struct Parts {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub vault: Arc<Vault>,
    pub hasher: PasswordHasher,
    pub mailer: Arc<dyn mail::MailTransport>,
    pub config: AppConfig,
    /// The WebAuthn relying party, when passkeys can work at the public address.
    pub webauthn: Option<Arc<webauthn_rs::Webauthn>>,
    /// Live channels beyond the standard ones (tests add their own the same way), each
    /// built from the context.
    pub extra_channels: Vec<ChannelMaker>,
}

/// Builds a live channel from the application context.
pub type ChannelMaker = Arc<dyn Fn(&Ctx) -> Arc<dyn live::Channel> + Send + Sync>;

impl App {
    #[must_use]
    pub fn new(parts: Parts) -> Self {
        let Parts { store, clock, vault, hasher, mailer, config, webauthn, extra_channels } = parts;
        let hub = Arc::new(live::Hub::new(store.clone(), vault.clone(), clock.clone()));
        let cx =
            Ctx { store, clock, queue: jobs::Queue::new(vault.clone()), vault, links: Links::new(&config.public_url), hub, settings: Arc::default() };
        let messaging = Arc::new(messaging::Messaging::new(cx.clone(), config.max_attachment_bytes, config.messages_per_minute));
        // The live channels every Haven has, then the extra ones.
        let mut channels: Vec<Arc<dyn live::Channel>> = vec![
            Arc::new(messaging::live::ThreadChannel::new(messaging.clone())),
            Arc::new(visits::live::RoomChannel::new(cx.clone())),
            Arc::new(measures::live::SignalsChannel),
        ];
        channels.extend(extra_channels.iter().map(|make| make(&cx)));
        Self(Arc::new(Services {
            channels: live::Channels::new(channels),
            identity: identity::Identity::new(cx.clone(), hasher, config.sessions, config.require_staff_mfa, webauthn),
            people: people::People::new(cx.clone()),
            booking: booking::Booking::new(cx.clone()),
            messaging,
            visits: visits::Visits::new(cx.clone(), config.turn.clone()),
            charts: charts::Charts::new(cx.clone()),
            measures: measures::Measures::new(cx.clone()),
            fhir: fhir::Fhir::new(cx.clone()),
            trail: trail::Trail::new(cx.clone()),
            cx,
            config,
            mailer,
        }))
    }

    /// Every job kind every Haven runs.
    #[must_use]
    pub fn jobs(&self) -> jobs::Registry {
        let sender = || mail::Sender(self.mailer.clone());
        jobs::Registry::new()
            .with_handler(<mail::SendMail as jobs::Job>::KIND, sender())
            .with_handler("mail", mail::LegacyMail(sender()))
            .with::<booking::reminders::Reminder>()
            .with::<booking::waitlist::Opening>()
            .with::<messaging::notice::UnreadNotice>()
            .with::<measures::notice::CheckInMail>()
    }

    /// Starts the listener for the other instances' signals (PostgreSQL only).
    #[must_use]
    pub fn listen(&self) -> tokio::task::JoinHandle<()> {
        live::bus::Listener { hub: self.cx.hub.clone(), sessions: self.identity.sessions.clone(), channels: self.channels.clone() }.spawn()
    }

    /// Closes every socket of this person and forgets their sessions' look-ups, here at
    /// once and on every other instance (deactivation, sign out everywhere, new password).
    pub async fn revoke_user(&self, user: UserId) {
        self.cx.hub.end_user(user);
        self.identity.sessions.forget_user(user);
        self.cx.hub.signal(&live::bus::end_user_signal(user)).await;
    }

    /// Closes the sockets of one session, everywhere (signing out in one browser).
    pub async fn revoke_session(&self, user: UserId, session: SessionId) {
        self.cx.hub.end_session(user, session);
        self.identity.sessions.forget_session(session);
        self.cx.hub.signal(&live::bus::end_session_signal(user, session)).await;
    }

    /// The person's name or roles changed: cached look-ups of their sessions are dropped
    /// everywhere, so every page shows the change.
    pub async fn user_changed(&self, user: UserId) {
        self.identity.sessions.forget_user(user);
        self.cx.hub.signal(&live::bus::user_changed_signal(user)).await;
    }
}

impl std::ops::Deref for App {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.0
    }
}
