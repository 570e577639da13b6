//! Self-registration, where a practice allows it: a person asks for a patient account and
//! receives a link to finish it. The answer is the same whether or not the address already
//! has an account (then the mail says so instead), so the form reveals nobody.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, State};
use axum::response::Html;
use haven_crypto::SecretToken;
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::{Email, Language, Role};
use haven_store::{NewInvitation, NewMail, Practice};
use jiff::SignedDuration;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::audit::{self, Entry};
use crate::error::AppError;
use crate::i18n::translate;
use crate::identity::throttle;
use crate::lang::Lang;
use crate::mail_text;
use crate::state::AppState;

const VALID_FOR: SignedDuration = SignedDuration::from_hours(24);

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    chrome: Chrome,
    practice: String,
    slug: String,
    sent: bool,
    error: Option<String>,
}

/// The practice, if it exists and takes registrations; otherwise "not found", so the
/// page doesn't say which practices exist.
async fn open_practice(state: &AppState, slug: &str) -> Result<Practice, AppError> {
    let practice = state.store.practice_by_slug(slug).await?.ok_or(AppError::NotFound)?;
    if state.store.self_registration(practice.id).await? { Ok(practice) } else { Err(AppError::NotFound) }
}

fn render(lang: Lang, state: &AppState, practice: &Practice, sent: bool, error: Option<&str>) -> Result<Html<String>, AppError> {
    let chrome = Chrome::new(lang.0, &format!("/register/{}", practice.slug), &state.config.crisis);
    let error = error.map(|key| chrome.t(key));
    RegisterPage { chrome, practice: practice.name.clone(), slug: practice.slug.clone(), sent, error }
        .render()
        .map(Html)
        .map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn form(lang: Lang, State(state): State<AppState>, Path(slug): Path<String>) -> Result<Html<String>, AppError> {
    let practice = open_practice(&state, &slug).await?;
    render(lang, &state, &practice, false, None)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Registration {
    name: String,
    email: String,
}

pub async fn submit(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    Form(form): Form<Registration>,
) -> Result<Html<String>, AppError> {
    let practice = open_practice(&state, &slug).await?;
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return render(lang, &state, &practice, false, Some("invite-error-name"));
    }
    let Ok(email) = Email::parse(&form.email) else {
        return render(lang, &state, &practice, false, Some("invite-error-email"));
    };
    let send = throttle::registration(&state, peer.ip(), email.as_str()).await?;
    if send {
        let now = state.clock.now();
        if state.store.user_by_email(&email).await?.is_some() {
            let mail = NewMail {
                calendar: None,
                to: email.to_string(),
                subject: translate(lang.0, "mail-exists-subject", &[]),
                body: translate(lang.0, "mail-exists-body", &[("link", &state.link("/password-reset"))]),
            };
            state.store.queue_mail(&mail, now).await?;
        } else {
            let token = SecretToken::generate();
            let link = state.link(&format!("/invitations/{}", token.reveal()));
            let mail = mail_text::invitation(lang.0, email.as_str(), name, &practice.name, &link);
            let invitation = NewInvitation {
                token_hash: token.digest(),
                practice: practice.id,
                email,
                display_name: name.to_owned(),
                role: Role::Patient,
                language: Language::from_tag(lang.0.tag()).unwrap_or_default(),
                invited_by: None,
                expires_at: now.checked_add(VALID_FOR).map_err(|e| AppError::Internal(e.to_string()))?,
            };
            let audit = audit::event(&state, peer, Entry { actor: None, practice: Some(practice.id), patient: None, action: AuditAction::Create, category: DataCategory::Account, outcome: Outcome::Success });
            state.store.create_invitation(&invitation, &mail, &audit, now).await?;
        }
        state.mail_wake.notify_one();
    }
    render(lang, &state, &practice, true, None)
}
