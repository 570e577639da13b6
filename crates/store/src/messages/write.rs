//! What a stored message is made of, and the statements that store one inside an open
//! transaction (shared by PostgreSQL's path and SQLite's group writer). Nothing here opens a
//! connection.

use haven_domain::audit::AuditEvent;
use haven_domain::{AttachmentId, MessageId, PracticeId, ThreadId, UserId};
use jiff::Timestamp;
use uuid::Uuid;

use crate::conn::{Conn, on_conn};
use crate::jobs::write::NewJob;

/// Stores `new` with its jobs inside an open transaction. A resend with the same client id
/// finds the first copy (and `created` is false). The caller appends the audit entry of a
/// created message in the same transaction (SQLite's group writer appends a whole batch's
/// entries with one statement).
pub(crate) async fn insert(conn: &mut Conn<'_>, new: &NewMessage, jobs: &[NewJob], now: Timestamp) -> Result<Sent, sqlx::Error> {
    let at = crate::time::to_db(now);
    let existing: Option<(Uuid, i64)> = on_conn!(conn, |c| {
        sqlx::query_as("SELECT id, seq FROM messages WHERE thread_id = $1 AND sender_id = $2 AND client_id = $3")
            .bind(new.thread.0)
            .bind(new.sender.0)
            .bind(&new.client_id)
            .fetch_optional(&mut *c)
            .await?
    });
    if let Some((id, seq)) = existing {
        return Ok(Sent { id: MessageId(id), seq, created: false });
    }
    let seq: i64 = on_conn!(conn, |c| {
        let seq: i64 = sqlx::query_scalar("UPDATE threads SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq")
            .bind(new.thread.0)
            .fetch_one(&mut *c)
            .await?;
        sqlx::query(
            "INSERT INTO messages (id, thread_id, seq, sender_id, client_id, body, automatic, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new.id.0)
        .bind(new.thread.0)
        .bind(seq)
        .bind(new.sender.0)
        .bind(&new.client_id)
        .bind(&new.sealed_body)
        .bind(new.automatic)
        .bind(at)
        .execute(&mut *c)
        .await?;
        if let Some(a) = &new.attachment {
            sqlx::query("INSERT INTO attachments (id, message_id, name, content_type, size, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(a.id.0)
                .bind(new.id.0)
                .bind(&a.name)
                .bind(&a.content_type)
                .bind(a.size)
                .bind(&a.sealed)
                .bind(at)
                .execute(&mut *c)
                .await?;
        }
        // The sender has read their own message.
        sqlx::query(
            "INSERT INTO thread_reads (thread_id, user_id, last_read_seq, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (thread_id, user_id) DO UPDATE SET last_read_seq = $3, updated_at = $4",
        )
        .bind(new.thread.0)
        .bind(new.sender.0)
        .bind(seq)
        .bind(at)
        .execute(&mut *c)
        .await?;
        seq
    });
    for job in jobs {
        crate::jobs::write::insert(conn, job, now).await?;
    }
    Ok(Sent { id: new.id, seq, created: true })
}

/// A message on its way through SQLite's group writer (`group.rs`).
pub(crate) struct MessageWork {
    pub new: NewMessage,
    /// The entries written with the message: its creation, and any readings recorded with it.
    pub audit: Vec<AuditEvent>,
    /// Jobs that go with it (notices to people who didn't get it live).
    pub jobs: Vec<NewJob>,
    pub now: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thread {
    pub id: ThreadId,
    pub practice: PracticeId,
    pub patient: UserId,
    pub last_seq: i64,
}

#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub id: AttachmentId,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    /// Sealed with associated data `attachments.data:<id>`.
    pub sealed: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub id: MessageId,
    pub thread: ThreadId,
    pub sender: UserId,
    pub client_id: String,
    /// Sealed with associated data `messages.body:<id>`.
    pub sealed_body: Vec<u8>,
    pub automatic: bool,
    pub attachment: Option<NewAttachment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    pub id: AttachmentId,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    pub id: MessageId,
    pub thread: ThreadId,
    pub seq: i64,
    pub sender: UserId,
    pub sender_name: String,
    pub client_id: String,
    pub sealed_body: Vec<u8>,
    pub automatic: bool,
    pub created_at: Timestamp,
    pub attachment: Option<AttachmentInfo>,
}

/// What a send did: the message's number, and whether this call created it (false for a
/// resend of one already stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub id: MessageId,
    pub seq: i64,
    pub created: bool,
}
