//! Passkeys (WebAuthn): adding one after re-entering the password, and signing in with one.
//! A passkey is phishing-resistant and verifies the person on the device (PIN, fingerprint,
//! face), so it stands in for both password and second factor.
//!
//! Sign-in is usernameless (the device offers its passkeys for this site), so nothing about
//! which addresses have accounts is revealed. Ceremony state lives in the database between
//! the two requests, so any instance can finish what another started. The relying party is
//! built at start-up from the public address (see [`relying_party`]) and passed in.

use std::net::IpAddr;

use haven_crypto::SecretToken;
use haven_domain::UserId;
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_store::User;
use jiff::SignedDuration;
use serde_json::Value;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, Url, Webauthn, WebauthnBuilder,
};

use super::Identity;
use crate::actor::Actor;
use crate::audit::Entry;
use crate::error::{Error, Result};

const CEREMONY_FOR: SignedDuration = SignedDuration::from_mins(5);

/// How long the ceremony cookie may live.
pub const CEREMONY_SECONDS: u64 = 300;

/// The relying party: the public address's host, or `localhost` on any port (WebAuthn needs
/// a site name, not an IP address).
#[must_use]
pub fn relying_party(public_url: Option<&str>, port: u16) -> Option<Webauthn> {
    let (origin, any_port) = match public_url {
        Some(url) => (Url::parse(url).ok()?, false),
        None => (Url::parse(&format!("http://localhost:{port}")).ok()?, true),
    };
    let rp_id = origin.host_str()?.to_owned();
    WebauthnBuilder::new(&rp_id, &origin).ok()?.rp_name("Haven").allow_any_port(any_port).build().ok()
}

/// Why a passkey step was refused, as a translated message's key.
pub type Refused = &'static str;

impl Identity {
    fn webauthn(&self) -> Result<&Webauthn> {
        self.webauthn.as_deref().ok_or(Error::NotFound)
    }

    async fn begin_ceremony(&self, user: Option<UserId>, kind: &str, ceremony: &impl serde::Serialize) -> Result<SecretToken> {
        let token = SecretToken::generate();
        let json = serde_json::to_string(ceremony).map_err(|e| Error::internal("a passkey ceremony could not be written down", e))?;
        let expires = self.cx.now().checked_add(CEREMONY_FOR).map_err(|e| Error::internal("a ceremony's end could not be computed", e))?;
        self.cx.store.save_ceremony(&token.digest(), user, kind, &json, expires).await?;
        Ok(token)
    }

    async fn take_ceremony<T: serde::de::DeserializeOwned>(&self, token: Option<SecretToken>, kind: &str) -> Result<Option<(Option<UserId>, T)>> {
        let Some(token) = token else { return Ok(None) };
        let Some((user, json)) = self.cx.store.take_ceremony(&token.digest(), kind, self.cx.now()).await? else { return Ok(None) };
        let ceremony = serde_json::from_str(&json).map_err(|e| Error::internal("a passkey ceremony could not be read", e))?;
        Ok(Some((user, ceremony)))
    }

    /// Step one of adding a passkey: the ceremony's token and the options for
    /// `navigator.credentials.create()`.
    pub async fn passkey_register_start(&self, actor: &Actor, password: String) -> Result<Result<(SecretToken, Value), Refused>> {
        let webauthn = self.webauthn()?;
        if !self.password_matches(actor.id(), password).await? {
            return Ok(Err("security-wrong-password"));
        }
        let existing: Vec<_> = self
            .cx
            .store
            .passkeys_of(actor.id())
            .await?
            .iter()
            .filter_map(|p| serde_json::from_str::<Passkey>(&p.credential).ok())
            .map(|p| p.cred_id().clone())
            .collect();
        let user = &actor.user;
        let (options, registration) = webauthn
            .start_passkey_registration(user.id.0, user.email.as_str(), &user.display_name, Some(existing))
            .map_err(|e| Error::internal("a passkey registration could not start", e))?;
        let token = self.begin_ceremony(Some(user.id), "register", &registration).await?;
        // Ask for a discoverable credential, so the device can offer it at sign-in without a
        // username (the options are hints to the browser; the server's checks don't change).
        let mut options = serde_json::to_value(&options).map_err(|e| Error::internal("passkey options could not be written", e))?;
        options["publicKey"]["authenticatorSelection"]["residentKey"] = "required".into();
        options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = true.into();
        Ok(Ok((token, options)))
    }

    /// Step two: the browser's new credential, checked and stored.
    pub async fn passkey_register_finish(
        &self,
        actor: &Actor,
        ceremony: Option<SecretToken>,
        credential: &RegisterPublicKeyCredential,
    ) -> Result<Result<(), Refused>> {
        let webauthn = self.webauthn()?;
        let Some((Some(user), registration)) = self.take_ceremony::<PasskeyRegistration>(ceremony, "register").await? else {
            return Ok(Err("passkey-error-expired"));
        };
        if user != actor.id() {
            return Ok(Err("passkey-error-expired"));
        }
        let Ok(passkey) = webauthn.finish_passkey_registration(credential, &registration) else {
            return Ok(Err("passkey-error-failed"));
        };
        let json = serde_json::to_string(&passkey).map_err(|e| Error::internal("a passkey could not be written down", e))?;
        let entry = Entry {
            actor: Some(user),
            practice: None,
            patient: None,
            action: AuditAction::PermissionChange,
            category: DataCategory::Account,
            outcome: Outcome::Success,
        };
        self.cx.store.add_passkey(user, &credential.id, &json, &self.cx.event(actor, entry), self.cx.now()).await?;
        Ok(Ok(()))
    }

    /// Step one of signing in: a challenge any of this site's passkeys on the device can answer.
    pub async fn passkey_sign_in_start(&self) -> Result<(SecretToken, Value)> {
        let webauthn = self.webauthn()?;
        let (options, authentication) =
            webauthn.start_discoverable_authentication().map_err(|e| Error::internal("a passkey sign-in could not start", e))?;
        let token = self.begin_ceremony(None, "authenticate", &authentication).await?;
        let mut options = serde_json::to_value(&options).map_err(|e| Error::internal("passkey options could not be written", e))?;
        // A sign-in button asks with the usual dialog, not the autofill ("conditional") one.
        if let Some(map) = options.as_object_mut() {
            map.remove("mediation");
        }
        Ok((token, options))
    }

    /// A failed passkey sign-in: audited, and answered alike whatever went wrong.
    async fn refused(&self, source: IpAddr, target: Option<UserId>) -> Result<Result<(SecretToken, User), Refused>> {
        self.cx.record_from(source, Entry::account(target, AuditAction::SignInFailed, Outcome::Denied)).await?;
        Ok(Err("passkey-error-failed"))
    }

    /// Step two: the device's answer, checked against the passkey it names. The new
    /// session's token and its person on success.
    pub async fn passkey_sign_in_finish(
        &self,
        source: IpAddr,
        ceremony: Option<SecretToken>,
        credential: &PublicKeyCredential,
    ) -> Result<Result<(SecretToken, User), Refused>> {
        let webauthn = self.webauthn()?;
        let Some((_, authentication)) = self.take_ceremony::<DiscoverableAuthentication>(ceremony, "authenticate").await? else {
            return Ok(Err("passkey-error-expired"));
        };
        let Ok((user_uuid, credential_id)) = webauthn.identify_discoverable_authentication(credential) else {
            return self.refused(source, None).await;
        };
        let Some(user) = self.cx.store.user(UserId(user_uuid)).await?.filter(|u| u.active) else {
            return self.refused(source, None).await;
        };
        let stored = self.cx.store.passkeys_of(user.id).await?;
        let Some((row, mut passkey)) = stored
            .iter()
            .filter_map(|row| serde_json::from_str::<Passkey>(&row.credential).ok().map(|p| (row, p)))
            .find(|(_, p)| p.cred_id().as_slice() == credential_id)
        else {
            return self.refused(source, Some(user.id)).await;
        };
        let Ok(result) = webauthn.finish_discoverable_authentication_v2(credential, authentication, &passkey) else {
            return self.refused(source, Some(user.id)).await;
        };
        passkey.update_credential(&result);
        let json = serde_json::to_string(&passkey).map_err(|e| Error::internal("a passkey could not be written down", e))?;
        self.cx.store.passkey_used(row.id, &json, self.cx.now()).await?;
        self.cx.record_from(source, Entry::account(Some(user.id), AuditAction::SignIn, Outcome::Success)).await?;
        tracing::info!(user = %user.id, "signed in with a passkey");
        let token = self.sessions.start(&user).await?;
        Ok(Ok((token, user)))
    }
}
