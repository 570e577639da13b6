//! Sending a message: checks, the stored copy (before any acknowledgement), the audit
//! entries, notification mail for people not already behind, the hand-off to live readers,
//! and the clinician's automatic reply outside office hours.
//!
//! The members' sockets on this instance that follow the thread get the message straight
//! from here once it is stored, and their reading of it is recorded in the same transaction
//! as the message: an entry per socket, from that socket's address, saying the message was
//! released to that person's open session. So a live delivery costs the reader no database
//! work at all. (Should a socket close in the instant between commit and hand-off, its
//! entry stands; the person reads the message later, which records another.) Sockets that
//! start following after the check record their own reading before they send.

use std::net::SocketAddr;
use std::sync::Arc;

use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::messaging::{check_body, check_client_id};
use haven_domain::{AttachmentId, Language, MessageId, UserId};
use haven_store::{NewAttachment, NewMail, NewMessage, Sent, Thread, ThreadPerson};

use super::is_member;
use crate::audit::{self, Entry};
use crate::error::AppError;
use crate::i18n::translate;
use crate::identity::CurrentUser;
use crate::live::delivery::FileShown;
use crate::live::hub::Listener;
use crate::live::{Delivery, Wake};
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
    let now = stored_now(state);
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
    let file = new.attachment.as_ref().map(|a| FileShown { id: a.id, name: a.name.clone(), size: a.size });
    let people = state.store.thread_people(thread).await?;
    let notify = notifications(state, thread, current.user.id, &people);
    let listeners = listening(state, thread, &people);
    let mut audit = vec![audit::event(state, peer, entry(current, thread, AuditAction::Create, Outcome::Success))];
    audit.extend(readings(state, thread, &listeners));
    let sender_name = people.iter().find(|p| p.id == current.user.id).map_or_else(|| current.user.display_name.clone(), |p| p.name.clone());
    let (members, audited) = (ids(&people), sockets(&listeners));
    // Storing and handing over run as a task of their own: a page post whose browser goes
    // away mid-request drops its handler, and a message stored must still reach the sockets
    // whose reading was recorded with it.
    let task = {
        let (state, sender, thread) = (state.clone(), current.user.id, thread.id);
        tokio::spawn(async move {
            let sent = state.store.send_message(&new, &audit, &notify, now).await?;
            if sent.created {
                if !notify.is_empty() {
                    state.mail_wake.notify_one();
                }
                let delivery = Delivery { thread, seq: sent.seq, id, sender, sender_name, client_id: new.client_id, body, at: now, automatic: false, file };
                state.deliver(&Arc::new(delivery), &members, &audited).await;
            }
            Ok::<_, AppError>(sent)
        })
    };
    let sent = task.await.map_err(|e| AppError::Internal(format!("the send task stopped: {e}")))??;
    if sent.created && current.user.id == thread.patient {
        away_replies(state, thread, &people).await?;
    }
    Ok(Ok(sent))
}

/// Now, to the microsecond as the database stores it, so a live reader sees the time a
/// later read shows.
fn stored_now(state: &AppState) -> jiff::Timestamp {
    let now = state.clock.now();
    jiff::Timestamp::from_microsecond(now.as_microsecond()).unwrap_or(now)
}

fn ids(people: &[ThreadPerson]) -> Vec<UserId> {
    people.iter().map(|p| p.id).collect()
}

/// The members' sockets on this instance following the thread now.
fn listening(state: &AppState, thread: &Thread, people: &[ThreadPerson]) -> Vec<Listener> {
    state.hub.listeners(thread.id).into_iter().filter(|l| people.iter().any(|p| p.id == l.user)).collect()
}

fn sockets(listeners: &[Listener]) -> Vec<u64> {
    listeners.iter().map(|l| l.socket).collect()
}

/// The entries recording that each listening socket is sent the new message.
fn readings(state: &AppState, thread: &Thread, listeners: &[Listener]) -> Vec<haven_domain::audit::AuditEvent> {
    listeners
        .iter()
        .map(|l| {
            let reading = Entry { actor: Some(l.user), practice: Some(thread.practice), patient: Some(thread.patient), action: AuditAction::Read, category: DataCategory::Messages, outcome: Outcome::Success };
            audit::event(state, l.peer, reading)
        })
        .collect()
}

/// One mail per person per run of unread messages: only someone with nothing unread yet is
/// told (not the sender). The mail says a message is waiting, with a link; never what it
/// says or who wrote.
fn notifications(state: &AppState, thread: &Thread, sender: UserId, people: &[ThreadPerson]) -> Vec<NewMail> {
    let link = state.link(&format!("/messages/{}", thread.id));
    people
        .iter()
        .filter(|p| p.id != sender && !p.has_unread)
        .map(|p| NewMail {
            to: p.email.clone(),
            subject: translate(p.language, "mail-message-subject", &[]),
            body: translate(p.language, "mail-message-body", &[("link", &link)]),
            calendar: None,
        })
        .collect()
}

/// Clinicians outside their office hours (their weekly hours) answer with their away text,
/// at most once a day per thread: the client id names the day, so a second one is a no-op.
async fn away_replies(state: &AppState, thread: &Thread, people: &[ThreadPerson]) -> Result<(), AppError> {
    let now = stored_now(state);
    for person in people.iter().filter(|p| p.id != thread.patient) {
        let (clinician, text) = (&person.id, person.away_reply.trim());
        if text.is_empty() {
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
            sealed_body: state.vault.seal(&format!("messages.body:{id}"), text.as_bytes()),
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
        let listeners = listening(state, thread, people);
        let mut entries = vec![audit];
        entries.extend(readings(state, thread, &listeners));
        let sent = state.store.send_message(&new, &entries, &[], now).await?;
        if sent.created {
            let delivery = Delivery {
                thread: thread.id,
                seq: sent.seq,
                id,
                sender: *clinician,
                sender_name: person.name.clone(),
                client_id: new.client_id,
                body: text.to_owned(),
                at: now,
                automatic: true,
                file: None,
            };
            state.deliver(&Arc::new(delivery), &ids(people), &sockets(&listeners)).await;
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
