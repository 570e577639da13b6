//! Secure messaging between patients and their care team: threads, exact delivery over the
//! live socket (resume by sequence number, idempotent resends), encrypted bodies and files,
//! and notice mail without content.
//!
//! Sending stores the message before anyone is told. The members' sockets on this instance
//! that follow the thread get it straight from here once it is stored, and their reading of
//! it is recorded in the same transaction as the message: an entry per socket, from that
//! socket's address. So a live delivery costs the reader no database work. (Should a socket
//! close in the instant between commit and hand-off, its entry stands; the person reads the
//! message later, which records another.) Everyone else is told by a notice job, after a
//! short delay and only if the message is still unread then, once per run of unread
//! messages: a live conversation sends no mail at all.

pub mod delivery;
pub mod files;
pub mod flood;
pub mod live;
pub mod notice;

use std::sync::Arc;

use haven_domain::audit::{AuditAction, AuditEvent, DataCategory, Outcome};
use haven_domain::messaging::{check_body, check_client_id};
use haven_domain::{AttachmentId, Language, MessageId, PracticeId, Role, ThreadId, UserId};
use haven_store::{NewAttachment, NewJob, NewMessage, Sent, StoredMessage, Thread, ThreadPerson, ThreadSummary};
use jiff::{SignedDuration, Timestamp};

use crate::actor::Actor;
use crate::audit::Entry;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::i18n::translate;
use crate::live::{Event, Topic};
pub use delivery::{Delivery, FileShown};
pub use files::CleanFile;

/// The live channel's name and a thread's topic.
pub const CHANNEL: &str = "thread";

#[must_use]
pub fn topic(thread: ThreadId) -> Topic {
    Topic::new(CHANNEL, thread.0)
}

/// How long a message waits, unread, before its reader is mailed about it.
pub const NOTICE_AFTER: SignedDuration = SignedDuration::from_mins(5);

pub struct Messaging {
    cx: Ctx,
    pub max_attachment_bytes: usize,
    flood: flood::Flood,
}

#[must_use]
pub fn entry(actor: &Actor, thread: &Thread, action: AuditAction) -> Entry {
    Entry::about(actor, Some(thread.practice), thread.patient, DataCategory::Messages, action)
}

impl Messaging {
    /// The context this service works with (for its live channel).
    #[must_use]
    pub fn cx(&self) -> &Ctx {
        &self.cx
    }

    #[must_use]
    pub fn new(cx: Ctx, max_attachment_bytes: usize, messages_per_minute: i64) -> Self {
        Self { flood: flood::Flood::new(cx.clone(), messages_per_minute), cx, max_attachment_bytes }
    }

    /// Whether `actor` is a member of `thread` now (the store's one definition).
    pub async fn is_member(&self, actor: &Actor, thread: &Thread) -> Result<bool> {
        if thread.patient == actor.id() {
            return Ok(actor.is(thread.practice, Role::Patient));
        }
        Ok(self.cx.store.is_thread_member(thread, actor.id()).await?)
    }

    /// The thread, if it exists and `actor` is a member; a non-member's attempt is audited
    /// and answered like a thread that doesn't exist.
    pub async fn thread_for(&self, actor: &Actor, id: ThreadId) -> Result<Thread> {
        let thread = self.cx.store.thread(id).await?.ok_or(Error::NotFound)?;
        if self.is_member(actor, &thread).await? {
            return Ok(thread);
        }
        self.cx.record(actor, entry(actor, &thread, AuditAction::AccessDenied)).await?;
        Err(Error::NotFound)
    }

    /// Records that `actor` read the thread.
    pub async fn record_read(&self, actor: &Actor, thread: &Thread) -> Result<()> {
        self.cx.record(actor, entry(actor, thread, AuditAction::Read)).await
    }

    /// The threads `actor` takes part in, for their inbox (seeing a patient listed is a
    /// read of their record: audited, all in one transaction).
    pub async fn inbox(&self, actor: &Actor) -> Result<Vec<ThreadSummary>> {
        let threads = self.cx.store.threads_for(actor.id()).await?;
        let entries = threads
            .iter()
            .filter(|t| t.thread.patient != actor.id())
            .map(|t| Entry { category: DataCategory::Demographics, ..entry(actor, &t.thread, AuditAction::Read) })
            .collect();
        self.cx.record_all(actor, entries).await?;
        Ok(threads)
    }

    /// Unread messages across the person's threads (one query).
    pub async fn unread_total(&self, actor: &Actor) -> Result<i64> {
        Ok(self.cx.store.unread_total(actor.id()).await?)
    }

    /// A message's text, opened from its sealed form.
    pub fn body(&self, message: &StoredMessage) -> Result<String> {
        self.cx.open_text(&format!("messages.body:{}", message.id), &message.sealed_body)
    }

    /// The newest `limit` messages of a thread, oldest first, opened.
    pub async fn latest(&self, thread: &Thread, limit: i64) -> Result<Vec<(StoredMessage, String)>> {
        let stored = self.cx.store.latest_messages(thread.id, limit).await?;
        stored.into_iter().map(|m| self.body(&m).map(|b| (m, b))).collect()
    }

    /// The names of those (other than `actor`) who have read up to `seq`.
    pub async fn read_by(&self, actor: &Actor, thread: &Thread, seq: i64) -> Result<Vec<String>> {
        let readers: Vec<UserId> =
            self.cx.store.read_markers(thread.id).await?.into_iter().filter(|(u, s)| *u != actor.id() && *s >= seq).map(|(u, _)| u).collect();
        let mut names: Vec<String> = self.cx.store.display_names(&readers).await?.into_values().collect();
        names.sort();
        Ok(names)
    }

    /// The name a thread is shown under for `actor`: the patient's, to staff.
    pub async fn patient_name(&self, thread: &Thread) -> Result<String> {
        Ok(self.cx.store.user(thread.patient).await?.map(|u| u.display_name).unwrap_or_default())
    }

    /// A file of the thread, opened: what it is and its bytes (the read is audited).
    pub async fn attachment(&self, actor: &Actor, thread: &Thread, id: AttachmentId) -> Result<(haven_store::AttachmentInfo, Vec<u8>)> {
        let (info, sealed) = self.cx.store.attachment(thread.id, id).await?.ok_or(Error::NotFound)?;
        self.record_read(actor, thread).await?;
        let bytes = self.cx.open(&format!("attachments.data:{}", info.id), &sealed)?;
        Ok((info, bytes))
    }

    /// "We usually reply within 48 hours" in the reader's language.
    pub async fn expectation(&self, lang: Language, thread: &Thread) -> Result<String> {
        let (hours, _) = self.cx.store.messaging_settings(thread.practice).await?;
        // Said as it is: without a clinician, the front desk is who reads the message.
        let key = if self.cx.store.has_active_clinician(thread.practice, thread.patient).await? {
            "messages-expectation"
        } else {
            "messages-expectation-front-desk"
        };
        Ok(translate(lang, key, &[("hours", &hours.to_string())]))
    }

    /// The practice's reply time and whether its front desk answers messages.
    pub async fn settings(&self, practice: PracticeId) -> Result<(i64, bool)> {
        Ok(self.cx.store.messaging_settings(practice).await?)
    }

    /// Admins set the reply time (hours) and whether the front desk answers messages.
    pub async fn save_settings(&self, actor: &Actor, reply_hours: &str, front_desk: bool) -> Result<Result<(), &'static str>> {
        let practice = actor.user.memberships.iter().find(|(_, r)| *r == Role::Admin).map(|(p, _)| *p).ok_or(Error::Forbidden)?;
        let Some(hours) = reply_hours.trim().parse::<i64>().ok().filter(|h| (1..=336).contains(h)) else {
            return Ok(Err("settings-error-number"));
        };
        self.cx.store.set_messaging_settings(practice, hours, front_desk).await?;
        Ok(Ok(()))
    }

    /// Counts a message against the person's per-minute allowance (across their sockets,
    /// pages and instances); `Err(TooManyRequests)` past it.
    pub async fn allow_send(&self, actor: &Actor) -> Result<()> {
        self.flood.allow(actor.id()).await
    }

    /// Stores and announces a message. `Err(key)` for a problem the sender can fix; nothing
    /// is stored then. (The caller counted it against the flood limit first.)
    pub async fn send(
        &self,
        actor: &Actor,
        thread: &Thread,
        client_id: &str,
        text: &str,
        file: Option<CleanFile>,
    ) -> Result<Result<Sent, &'static str>> {
        let cx = &self.cx;
        if !check_client_id(client_id) {
            return Ok(Err("message-error-client-id"));
        }
        let body = match check_body(text, file.is_some()) {
            Ok(body) => body,
            Err(problem) => return Ok(Err(problem.message_key())),
        };
        let now = stored_now(cx.now());
        let id = MessageId::new();
        let attachment = file.map(|f| {
            let attachment = AttachmentId::new();
            NewAttachment {
                id: attachment,
                name: f.name,
                content_type: f.content_type,
                size: i64::try_from(f.bytes.len()).unwrap_or(i64::MAX),
                sealed: cx.seal(&format!("attachments.data:{attachment}"), &f.bytes),
            }
        });
        let new = NewMessage {
            id,
            thread: thread.id,
            sender: actor.id(),
            client_id: client_id.to_owned(),
            sealed_body: cx.seal(&format!("messages.body:{id}"), body.as_bytes()),
            automatic: false,
            attachment,
        };
        let file = new.attachment.as_ref().map(|a| FileShown { id: a.id, name: a.name.clone(), size: a.size });
        let people = cx.store.thread_people(thread).await?;
        let listeners = listening(cx, thread, &people);
        let notices = notices(cx, thread, actor.id(), &people, &listeners, now)?;
        let mut audit = vec![cx.event(actor, entry(actor, thread, AuditAction::Create))];
        audit.extend(readings(cx, thread, &listeners));
        let sender_name = people.iter().find(|p| p.id == actor.id()).map_or_else(|| actor.user.display_name.clone(), |p| p.name.clone());
        let members: Vec<UserId> = people.iter().map(|p| p.id).collect();
        let audited: Vec<u64> = listeners.iter().map(|l| l.0).collect();
        // Storing and handing over run as a task of their own: a page post whose browser
        // goes away mid-request drops its handler, and a message stored must still reach the
        // sockets whose reading was recorded with it.
        let task = {
            let (cx, sender) = (cx.clone(), actor.id());
            tokio::spawn(async move {
                let sent = cx.store.send_message(&new, &audit, &notices, now).await?;
                if sent.created {
                    let delivery = Delivery {
                        thread: new.thread,
                        seq: sent.seq,
                        id,
                        sender,
                        sender_name,
                        client_id: new.client_id,
                        body,
                        at: now,
                        automatic: false,
                        file,
                    };
                    hand_off(&cx, Arc::new(delivery), &members, audited).await;
                }
                Ok::<_, Error>(sent)
            })
        };
        let sent = task.await??;
        if sent.created && actor.id() == thread.patient {
            self.away_replies(thread, &people).await?;
        }
        Ok(Ok(sent))
    }

    /// Moves the reader's marker and tells the thread (read receipts).
    pub async fn mark_read(&self, actor: &Actor, thread: &Thread, seq: i64) -> Result<i64> {
        let marker = self.cx.store.mark_read(thread.id, actor.id(), seq, self.cx.now()).await?;
        self.cx.hub.publish(topic(thread.id), Event::Wake("read".into())).await;
        Ok(marker)
    }

    /// Clinicians outside their office hours (their weekly hours) answer with their away
    /// text, at most once a day per thread: the client id names the day, so a second one is
    /// a no-op.
    async fn away_replies(&self, thread: &Thread, people: &[ThreadPerson]) -> Result<()> {
        let cx = &self.cx;
        let now = stored_now(cx.now());
        for person in people.iter().filter(|p| p.id != thread.patient) {
            let (clinician, text) = (person.id, person.away_reply.trim());
            if text.is_empty() {
                continue;
            }
            let Some(profile) = cx.store.clinician_profile(clinician).await? else { continue };
            let availability = crate::booking::availability::load(cx, &profile, now, now).await?;
            if haven_domain::scheduling::slots::is_working(&availability, now) {
                continue;
            }
            let day = now.to_zoned(availability.zone.clone()).date();
            let id = MessageId::new();
            let new = NewMessage {
                id,
                thread: thread.id,
                sender: clinician,
                client_id: format!("away-{day}"),
                sealed_body: cx.seal(&format!("messages.body:{id}"), text.as_bytes()),
                automatic: true,
                attachment: None,
            };
            let created = AuditEvent {
                at: now,
                actor: Some(clinician),
                practice: Some(thread.practice),
                patient: Some(thread.patient),
                action: AuditAction::Create,
                category: DataCategory::Messages,
                source: Some("automatic reply".into()),
                outcome: Outcome::Success,
            };
            let listeners = listening(cx, thread, people);
            let mut entries = vec![created];
            entries.extend(readings(cx, thread, &listeners));
            let sent = cx.store.send_message(&new, &entries, &[], now).await?;
            if sent.created {
                let delivery = Delivery {
                    thread: thread.id,
                    seq: sent.seq,
                    id,
                    sender: clinician,
                    sender_name: person.name.clone(),
                    client_id: new.client_id,
                    body: text.to_owned(),
                    at: now,
                    automatic: true,
                    file: None,
                };
                let members: Vec<UserId> = people.iter().map(|p| p.id).collect();
                hand_off(cx, Arc::new(delivery), &members, listeners.iter().map(|l| l.0).collect()).await;
            }
        }
        Ok(())
    }
}

/// Now, to the microsecond as the database stores it, so a live reader sees the time a
/// later read shows.
fn stored_now(now: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(now.as_microsecond()).unwrap_or(now)
}

/// The members' sockets on this instance following the thread now: (socket, person, address).
fn listening(cx: &Ctx, thread: &Thread, people: &[ThreadPerson]) -> Vec<(u64, UserId, std::net::IpAddr)> {
    cx.hub.followers(topic(thread.id)).into_iter().filter(|(_, user, _)| people.iter().any(|p| p.id == *user)).collect()
}

/// The entries recording that each listening socket is sent the new message.
fn readings(cx: &Ctx, thread: &Thread, listeners: &[(u64, UserId, std::net::IpAddr)]) -> Vec<AuditEvent> {
    listeners
        .iter()
        .map(|(_, user, source)| {
            let reading = Entry {
                actor: Some(*user),
                practice: Some(thread.practice),
                patient: Some(thread.patient),
                action: AuditAction::Read,
                category: DataCategory::Messages,
                outcome: Outcome::Success,
            };
            cx.event_from(*source, reading)
        })
        .collect()
}

/// Notice jobs for the members who won't see the message live here and had nothing unread
/// yet (the first message of a run; the run's key makes a second scheduling a no-op).
fn notices(
    cx: &Ctx,
    thread: &Thread,
    sender: UserId,
    people: &[ThreadPerson],
    listeners: &[(u64, UserId, std::net::IpAddr)],
    now: Timestamp,
) -> Result<Vec<NewJob>> {
    let run_at = now.checked_add(NOTICE_AFTER).unwrap_or(now);
    people
        .iter()
        .filter(|p| p.id != sender && !p.has_unread && !listeners.iter().any(|(_, user, _)| *user == p.id))
        .map(|p| cx.queue.job(&notice::UnreadNotice { thread: thread.id, user: p.id, after: p.last_read }, run_at))
        .collect()
}

/// Hands a stored message to this instance's followers of its thread — whole to members
/// (`audited`: the sockets whose reading was recorded with it), as a wake-up to anyone else,
/// whose read then checks membership itself — and wakes the other instances' followers.
async fn hand_off(cx: &Ctx, delivery: Arc<Delivery>, members: &[UserId], audited: Vec<u64>) {
    let topic = topic(delivery.thread);
    let handed = Arc::new(delivery::Handed { delivery, audited });
    cx.hub.publish_here_with(topic, |s| Some(if members.contains(&s.user) { Event::Local(handed.clone()) } else { Event::Wake("message".into()) }));
    cx.hub.tell_others(topic, &Event::Wake("message".into())).await;
}
