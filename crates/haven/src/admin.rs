//! Operator tasks, shared by `haven admin …` and `haven demo`.

use anyhow::{Context as _, anyhow, bail};
use haven_crypto::{PasswordHasher, breached, readable_password};
use haven_domain::password::check_new_password;
use haven_domain::{Email, Language, Role, UserId};
use haven_store::{NewUser, Practice, Store, StoreError};
use jiff::Timestamp;

/// Slugs appear in URLs: lower-case letters, digits and dashes.
fn check_slug(slug: &str) -> anyhow::Result<()> {
    let ok = (2..=40).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok { Ok(()) } else { bail!("the practice slug must be 2–40 lower-case letters, digits or dashes, like riverbend-counseling") }
}

pub async fn create_practice(store: &Store, slug: &str, name: &str) -> anyhow::Result<Practice> {
    check_slug(slug)?;
    if name.trim().is_empty() {
        bail!("the practice needs a name");
    }
    match store.create_practice(slug, name.trim(), Timestamp::now()).await {
        Err(StoreError::Conflict(_)) => bail!("a practice with the slug {slug} already exists"),
        other => Ok(other?),
    }
}

pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub practice: String,
    pub roles: Vec<Role>,
    pub language: Language,
    /// `None`: generate a one-time password and return it.
    pub password: Option<String>,
}

/// Hashes off the async workers: Argon2 is deliberately slow.
async fn hash(hasher: &PasswordHasher, password: &str) -> anyhow::Result<String> {
    let hasher = hasher.clone();
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hasher.hash(&password)).await?.map_err(|e| anyhow!("{e}"))
}

fn choose_password(given: Option<String>) -> anyhow::Result<String> {
    match given {
        Some(password) => {
            check_new_password(&password, breached::is_common).map_err(|e| anyhow!("{e}"))?;
            Ok(password)
        }
        None => Ok(readable_password()),
    }
}

/// Creates an account; returns its id and the password it was given.
pub async fn create_user(store: &Store, hasher: &PasswordHasher, account: NewAccount) -> anyhow::Result<(UserId, String)> {
    let email = Email::parse(&account.email).map_err(|e| anyhow!("{e}: {}", account.email))?;
    if account.name.trim().is_empty() {
        bail!("the person needs a name");
    }
    if account.roles.is_empty() {
        bail!("give at least one --role (admin, clinician or patient)");
    }
    let practice = store
        .practice_by_slug(&account.practice)
        .await?
        .with_context(|| format!("no practice with the slug {}; create it with haven admin create-practice", account.practice))?;
    let password = choose_password(account.password)?;
    let new = NewUser {
        email,
        display_name: account.name.trim().to_owned(),
        password_hash: Some(hash(hasher, &password).await?),
        language: account.language,
        practice: practice.id,
        roles: account.roles,
    };
    match store.create_user(&new, Timestamp::now()).await {
        Ok(id) => Ok((id, password)),
        Err(StoreError::Conflict(what)) if what.contains("patient") => bail!("{what}"),
        Err(StoreError::Conflict(_)) => bail!("an account with that email already exists"),
        Err(e) => Err(e.into()),
    }
}

/// Lets a staff member use break-glass access in a practice (an audited permission change).
pub async fn allow_break_glass(store: &Store, email: &str, practice: &str) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow!("{e}"))?;
    let user = store.user_by_email(&email).await?.context("no account with that email")?;
    let practice = store.practice_by_slug(practice).await?.context("no practice with that slug")?;
    if !user.memberships.iter().any(|(p, r)| *p == practice.id && r.is_staff()) {
        bail!("only clinicians or admins of the practice can be allowed break-glass access");
    }
    let now = Timestamp::now();
    let audit = haven_domain::audit::AuditEvent {
        at: now,
        actor: None,
        practice: Some(practice.id),
        patient: None,
        action: haven_domain::audit::AuditAction::PermissionChange,
        category: haven_domain::audit::DataCategory::Account,
        source: Some("cli".into()),
        outcome: haven_domain::audit::Outcome::Success,
    };
    store.designate_break_glass(practice.id, user.id, &audit, now).await?;
    Ok(())
}

/// Sets a new password and ends every session of that person; returns the password.
pub async fn reset_password(store: &Store, hasher: &PasswordHasher, email: &str, password: Option<String>) -> anyhow::Result<String> {
    let email = Email::parse(email).map_err(|e| anyhow!("{e}"))?;
    let user = store.user_by_email(&email).await?.context("no account with that email")?;
    let password = choose_password(password)?;
    store.set_password(user.id, &hash(hasher, &password).await?).await?;
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(check_slug("riverbend-counseling").is_ok());
        for bad in ["", "a", "Upper", "has space", "-lead", "trail-", "ünï"] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn given_passwords_follow_the_rules_and_generated_ones_pass_them() {
        assert!(choose_password(Some("password1".into())).is_err());
        assert!(choose_password(Some("short".into())).is_err());
        let generated = choose_password(None).unwrap();
        assert!(check_new_password(&generated, breached::is_common).is_ok());
    }
}
