//! Sending a message: checks, the stored copy (before any acknowledgement), the audit
//! entry, notification mail for people not already behind, the wake-up for live readers,
//! and the clinician's automatic reply outside office hours.

use std::net::SocketAddr;

use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::messaging::{check_body, check_client_id};
use haven_domain::{AttachmentId, Language, MessageId, UserId};
use haven_store::{NewAttachment, NewMail, NewMessage, Sent, Thread};

use super::{is_member, members};
use crate::audit::{self, Entry};
use crate::error::AppError;
use crate::i18n::translate;
use crate::identity::CurrentUser;
use crate::live::Wake;
use crate::state::AppState;

/// A file already checked and cleaned, ready to seal.
pub struct CleanFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

pub fn entry(current: &CurrentUser, thread: &Thread, action: AuditAction, outcome: Outcome) -> Entry {
    Entry { actor: Some(current.user.id), practice: Some(thread.practice), patient: Some(thread.patient), action, category: DataCategory::Messages, outcome }
}

/// Refuses a non-member, leaving an audit entry of the attempt.
pub async fn require_member(state: &AppState, peer: SocketAddr, current: &CurrentUser, thread: &Thread) -> Result<(), AppError> {
    if is_member(state, current, thread).await? {
        return Ok(());
    }
    audit::record(state, peer, entry(current, thread, AuditAction::AccessDenied, Outcome::Denied)).await?;
    Err(AppError::NotFound)
}

/// Stores and announces a message. `Err(key)` for a problem the sender can fix; nothing is
/// stored then.
pub async fn send(
    state: &AppState,
    peer: SocketAddr,
    current: &CurrentUser,
    thread: &Thread,
    client_id: &str,
    text: &str,
    file: Option<CleanFile>,
) -> Result<Result<Sent, &'static str>, AppError> {
    if !check_client_id(client_id) {
        return Ok(Err("message-error-client-id"));
    }
    let body = match check_body(text, file.is_some()) {
        Ok(body) => body,
        Err(problem) => return Ok(Err(problem.message_key())),
    };
    let now = state.clock.now();
    let id = MessageId::new();
    let attachment = file.map(|f| {
        let attachment = AttachmentId::new();
        NewAttachment {
            id: attachment,
            name: f.name,
            content_type: f.content_type,
            size: i64::try_from(f.bytes.len()).unwrap_or(i64::MAX),
            sealed: state.vault.seal(&format!("attachments.data:{attachment}"), &f.bytes),
        }
    });
    let new = NewMessage {
        id,
        thread: thread.id,
        sender: current.user.id,
        client_id: client_id.to_owned(),
        sealed_body: state.vault.seal(&format!("messages.body:{id}"), body.as_bytes()),
        automatic: false,
        attachment,
    };
    let others: Vec<UserId> = members(state, thread).await?.into_iter().map(|(id, _)| id).filter(|id| *id != current.user.id).collect();
    let notify = notifications(state, thread, &others).await?;
    let audit = audit::event(state, peer, entry(current, thread, AuditAction::Create, Outcome::Success));
    let sent = state.store.send_message(&new, &audit, &notify, now).await?;
    if sent.created {
        if !notify.is_empty() {
            state.mail_wake.notify_one();
        }
        state.announce(Wake::Message(thread.id)).await;
        if current.user.id == thread.patient {
            away_replies(state, thread, &others).await?;
        }
    }
    Ok(Ok(sent))
}

/// One mail per person per run of unread messages: only someone with nothing unread yet is
/// told. The mail says a message is waiting, with a link; never what it says or who wrote.
async fn notifications(state: &AppState, thread: &Thread, others: &[UserId]) -> Result<Vec<NewMail>, AppError> {
    let mut mails = Vec::new();
    let link = state.link(&format!("/messages/{}", thread.id));
    let contacts = futures_util::future::try_join_all(others.iter().map(|id| state.store.notice_contact(thread.id, *id))).await?;
    for (email, language, unread) in contacts.into_iter().flatten() {
        if unread {
            continue;
        }
        mails.push(NewMail {
            to: email,
            subject: translate(language, "mail-message-subject", &[]),
            body: translate(language, "mail-message-body", &[("link", &link)]),
            calendar: None,
        });
    }
    Ok(mails)
}

/// Clinicians outside their office hours (their weekly hours) answer with their away text,
/// at most once a day per thread: the client id names the day, so a second one is a no-op.
async fn away_replies(state: &AppState, thread: &Thread, others: &[UserId]) -> Result<(), AppError> {
    let now = state.clock.now();
    for clinician in others {
        let text = state.store.away_reply(*clinician).await?;
        if text.trim().is_empty() {
            continue;
        }
        let Some(profile) = state.store.clinician_profile(*clinician).await? else { continue };
        let availability = crate::booking::service::availability(state, &profile, now, now).await?;
        if haven_domain::scheduling::slots::is_working(&availability, now) {
            continue;
        }
        let day = now.to_zoned(availability.zone.clone()).date();
        let id = MessageId::new();
        let new = NewMessage {
            id,
            thread: thread.id,
            sender: *clinician,
            client_id: format!("away-{day}"),
            sealed_body: state.vault.seal(&format!("messages.body:{id}"), text.trim().as_bytes()),
            automatic: true,
            attachment: None,
        };
        let audit = haven_domain::audit::AuditEvent {
            at: now,
            actor: Some(*clinician),
            practice: Some(thread.practice),
            patient: Some(thread.patient),
            action: AuditAction::Create,
            category: DataCategory::Messages,
            source: Some("automatic reply".into()),
            outcome: Outcome::Success,
        };
        if state.store.send_message(&new, &audit, &[], now).await?.created {
            state.announce(Wake::Message(thread.id)).await;
        }
    }
    Ok(())
}

/// Moves the reader's marker and tells the thread (read receipts).
pub async fn mark_read(state: &AppState, current: &CurrentUser, thread: &Thread, seq: i64) -> Result<i64, AppError> {
    let marker = state.store.mark_read(thread.id, current.user.id, seq, state.clock.now()).await?;
    state.announce(Wake::Read(thread.id)).await;
    Ok(marker)
}

/// "We usually reply within 48 hours" in the reader's language.
pub async fn expectation(state: &AppState, lang: Language, thread: &Thread) -> Result<String, AppError> {
    let (hours, _) = state.store.messaging_settings(thread.practice).await?;
    Ok(translate(lang, "messages-expectation", &[("hours", &hours.to_string())]))
}
