//! Sends queued mail: claims due messages, delivers them, and retries failures with
//! exponential backoff (30 s, 1 min, 2 min … capped at an hour). Woken at once when a
//! message is queued on this instance; otherwise it looks every few seconds.

use std::sync::Arc;
use std::time::Duration;

use haven_domain::Clock;
use haven_store::Store;
use jiff::SignedDuration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::mailer::Mailer;

const LEASE: SignedDuration = SignedDuration::from_secs(120);
const IDLE_POLL: Duration = Duration::from_secs(5);

#[must_use]
pub fn backoff(attempts: i64) -> SignedDuration {
    let shift = u32::try_from(attempts.clamp(0, 7)).unwrap_or(7);
    SignedDuration::from_secs((30_i64 << shift).min(3600))
}

/// Sends everything due now; returns how many messages were delivered.
pub async fn send_due(store: &Store, mailer: &Mailer, clock: &dyn Clock) -> usize {
    let now = clock.now();
    let batch = match store.claim_mail(now, LEASE.as_micros() as i64, 20).await {
        Ok(batch) => batch,
        Err(e) => {
            if !e.is_unavailable() {
                tracing::warn!(error = %e, "could not read the mail queue");
            }
            return 0;
        }
    };
    let mut sent = 0;
    for mail in batch {
        match mailer.send(&mail.to, &mail.subject, &mail.body, mail.calendar.as_deref()).await {
            Ok(()) => {
                if let Err(e) = store.mark_mail_sent(mail.id, clock.now()).await {
                    tracing::warn!(error = %e, "mail sent but not marked; it may be sent again");
                }
                sent += 1;
            }
            Err(e) => {
                let retry_at = clock.now().checked_add(backoff(mail.attempts)).unwrap_or(now);
                tracing::warn!(error = %e, attempts = mail.attempts + 1, "mail delivery failed; will retry");
                let _ = store.mark_mail_failed(mail.id, retry_at, &e.to_string()).await;
            }
        }
    }
    sent
}

pub fn spawn_mail_sender(store: Store, mailer: Arc<Mailer>, clock: Arc<dyn Clock>, wake: Arc<Notify>) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            while send_due(&store, &mailer, clock.as_ref()).await > 0 {}
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(IDLE_POLL) => {}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(0), SignedDuration::from_secs(30));
        assert_eq!(backoff(1), SignedDuration::from_secs(60));
        assert_eq!(backoff(3), SignedDuration::from_secs(240));
        assert_eq!(backoff(50), SignedDuration::from_secs(3600));
    }
}
