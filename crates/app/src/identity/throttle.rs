//! Sign-in throttling, kept in the database so that it holds across instances.
//!
//! Three counters: attempts per client address (a broad cap), failures per account from
//! one address (stops a guesser quickly), and failures per account from anywhere (stops
//! a distributed guesser). The last has a short window, so a flood against someone's
//! account can keep them out for five minutes at most.

use std::net::IpAddr;

use haven_crypto::sha256_hex;
use haven_domain::rate_limit::RateLimit;

use crate::context::Ctx;
use crate::error::{Error, Result};

const PER_ADDRESS: RateLimit = RateLimit::new(300, 600);
const PER_ACCOUNT_FROM_ADDRESS: RateLimit = RateLimit::new(10, 600);
const PER_ACCOUNT: RateLimit = RateLimit::new(50, 300);

/// Buckets hold digests: the table never shows who was targeted or from where.
fn bucket(kind: &str, parts: &[&str]) -> String {
    format!("{kind}:{}", sha256_hex(parts.join("\n").as_bytes()))
}

fn account_key(email: &str) -> String {
    haven_domain::Email::parse(email).map_or_else(|_| email.trim().to_lowercase(), |e| e.as_str().to_owned())
}

/// Counts this attempt and refuses it when a limit is reached, before any password work.
pub async fn before_attempt(cx: &Ctx, ip: IpAddr, email: &str) -> Result<()> {
    let now = cx.now();
    let ip = ip.to_string();
    let attempts = cx.store.rate_limit_hit(&bucket("sign-in-address", &[&ip]), PER_ADDRESS.window_start(now)).await?;
    if PER_ADDRESS.exceeded(attempts) {
        return Err(Error::TooManyRequests(PER_ADDRESS.retry_after_secs(now)));
    }
    let account = account_key(email);
    for (limit, key) in [
        (PER_ACCOUNT_FROM_ADDRESS, bucket("sign-in-failures-account-address", &[&account, &ip])),
        (PER_ACCOUNT, bucket("sign-in-failures-account", &[&account])),
    ] {
        if cx.store.rate_limit_count(&key, limit.window_start(now)).await? >= limit.max {
            return Err(Error::TooManyRequests(limit.retry_after_secs(now)));
        }
    }
    Ok(())
}

const RESETS_PER_ADDRESS: RateLimit = RateLimit::new(20, 600);
const RESETS_PER_ACCOUNT: RateLimit = RateLimit::new(3, 3600);

/// Password-reset requests: a cap per client address, and few mails per account an hour
/// so the form can't be used to flood someone's inbox. Returns whether to send the mail.
pub async fn reset_request(cx: &Ctx, ip: IpAddr, email: &str) -> Result<bool> {
    let now = cx.now();
    let ip = ip.to_string();
    let attempts = cx.store.rate_limit_hit(&bucket("reset-address", &[&ip]), RESETS_PER_ADDRESS.window_start(now)).await?;
    if RESETS_PER_ADDRESS.exceeded(attempts) {
        return Err(Error::TooManyRequests(RESETS_PER_ADDRESS.retry_after_secs(now)));
    }
    let account = account_key(email);
    let mails = cx.store.rate_limit_hit(&bucket("reset-account", &[&account]), RESETS_PER_ACCOUNT.window_start(now)).await?;
    // Past the account's cap the answer stays the same; only the mail is held back, so
    // the page reveals nothing about the account.
    Ok(!RESETS_PER_ACCOUNT.exceeded(mails))
}

const REGISTRATIONS_PER_ADDRESS: RateLimit = RateLimit::new(10, 3600);
const REGISTRATIONS_PER_ACCOUNT: RateLimit = RateLimit::new(3, 3600);
const INVITATIONS_PER_INVITER: RateLimit = RateLimit::new(50, 3600);

/// Self-registration: a cap per client address; past a few mails an hour to one address,
/// the answer stays the same but no more mail goes out.
pub async fn registration(cx: &Ctx, ip: IpAddr, email: &str) -> Result<bool> {
    let now = cx.now();
    let ip = ip.to_string();
    let attempts = cx.store.rate_limit_hit(&bucket("register-address", &[&ip]), REGISTRATIONS_PER_ADDRESS.window_start(now)).await?;
    if REGISTRATIONS_PER_ADDRESS.exceeded(attempts) {
        return Err(Error::TooManyRequests(REGISTRATIONS_PER_ADDRESS.retry_after_secs(now)));
    }
    let mails = cx.store.rate_limit_hit(&bucket("register-account", &[&account_key(email)]), REGISTRATIONS_PER_ACCOUNT.window_start(now)).await?;
    Ok(!REGISTRATIONS_PER_ACCOUNT.exceeded(mails))
}

/// Invitations: fifty an hour per person inviting, so a stolen staff session can't be
/// used to flood inboxes.
pub async fn invitation(cx: &Ctx, inviter: haven_domain::UserId) -> Result<()> {
    let now = cx.now();
    let sent = cx.store.rate_limit_hit(&bucket("invitations", &[&inviter.to_string()]), INVITATIONS_PER_INVITER.window_start(now)).await?;
    if INVITATIONS_PER_INVITER.exceeded(sent) {
        return Err(Error::TooManyRequests(INVITATIONS_PER_INVITER.retry_after_secs(now)));
    }
    Ok(())
}

/// Counts a failed attempt against the account.
pub async fn after_failure(cx: &Ctx, ip: IpAddr, email: &str) -> Result<()> {
    let now = cx.now();
    let (ip, account) = (ip.to_string(), account_key(email));
    cx.store.rate_limit_hit(&bucket("sign-in-failures-account-address", &[&account, &ip]), PER_ACCOUNT_FROM_ADDRESS.window_start(now)).await?;
    cx.store.rate_limit_hit(&bucket("sign-in-failures-account", &[&account]), PER_ACCOUNT.window_start(now)).await?;
    Ok(())
}

/// Messages sent by one person, across instances: a flood is refused (and nothing stored).
pub async fn message_sent(cx: &Ctx, user: haven_domain::UserId, per_minute: i64) -> Result<()> {
    let limit = RateLimit::new(per_minute.max(1), 60);
    let now = cx.now();
    let count = cx.store.rate_limit_hit(&bucket("messages", &[&user.to_string()]), limit.window_start(now)).await?;
    if limit.exceeded(count) {
        return Err(Error::TooManyRequests(limit.retry_after_secs(now)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_hide_their_subjects_and_accounts_ignore_case() {
        let b = bucket("sign-in-failures-account", &[&account_key(" Ana@Example.org ")]);
        assert!(!b.contains("ana") && !b.contains("example"));
        assert_eq!(b, bucket("sign-in-failures-account", &[&account_key("ana@example.org")]));
        assert_ne!(b, bucket("sign-in-failures-account", &[&account_key("ana@example.com")]));
    }
}
