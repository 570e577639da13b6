//! Secure messages. A message is stored (and numbered) before anyone is told about it;
//! numbering takes the thread's row lock, so two senders in one thread get consecutive
//! numbers on either backend, and a resend with the same client id finds the first copy.

use haven_domain::audit::AuditEvent;
use haven_domain::{AttachmentId, MessageId, PracticeId, ThreadId, UserId};
use jiff::Timestamp;
use uuid::Uuid;

use crate::conn::Conn;
use crate::db::{Store, on_pool};
use crate::error::{StoreError, StoreResult};
use crate::jobs::NewJob;
use crate::time;

pub(crate) mod write;
pub(crate) use write::MessageWork;
pub use write::{AttachmentInfo, NewAttachment, NewMessage, Sent, StoredMessage, Thread};

/// What counts as unread in thread `$1` for the person `$user` (an SQL expression):
/// messages from others after their read marker (a condition on `messages m`).
macro_rules! unread_for {
    ($user:literal) => {
        concat!(
            "m.thread_id = $1 AND m.sender_id <> ",
            $user,
            "
             AND m.seq > COALESCE((SELECT last_read_seq FROM thread_reads r WHERE r.thread_id = $1 AND r.user_id = ",
            $user,
            "), 0)"
        )
    };
}

/// Whether the person `$user` (an SQL expression) is a member of the thread `t` (an SQL
/// condition). The one definition of who a thread's message reaches, used by every query
/// that asks: the patient (with the patient role in the practice); the clinicians of their
/// care team (with the clinician role); and the practice's admins when the front desk
/// answers messages, or when the patient has no active clinician at all, so that no
/// patient's message ever reaches nobody.
macro_rules! member_of_thread {
    ($user:literal) => {
        concat!(
            "((t.patient_id = ", $user, " AND EXISTS (SELECT 1 FROM memberships ms WHERE ms.practice_id = t.practice_id AND ms.user_id = t.patient_id AND ms.role = 'patient'))
              OR EXISTS (SELECT 1 FROM care_team c JOIN memberships ms ON ms.practice_id = c.practice_id AND ms.user_id = c.clinician_id AND ms.role = 'clinician'
                         WHERE c.practice_id = t.practice_id AND c.patient_id = t.patient_id AND c.clinician_id = ", $user, ")
              OR (EXISTS (SELECT 1 FROM memberships ms WHERE ms.practice_id = t.practice_id AND ms.user_id = ", $user, " AND ms.role = 'admin')
                  AND ((SELECT pr.front_desk_messaging FROM practices pr WHERE pr.id = t.practice_id)
                       OR NOT EXISTS (SELECT 1 FROM care_team c JOIN users cu ON cu.id = c.clinician_id
                                      WHERE c.practice_id = t.practice_id AND c.patient_id = t.patient_id AND cu.active))))"
        )
    };
}

/// The ids of the threads the person `$user` is a member of: the same rule as
/// [`member_of_thread!`], as a set each of whose parts an index answers (the patient's own
/// thread; the threads of the clinician's care team; the admin's practices' threads), where
/// the row-by-row condition would scan every thread. A test holds the two to one rule.
macro_rules! threads_of_member {
    ($user:literal) => {
        concat!(
            "(SELECT t1.id FROM memberships ms JOIN threads t1 ON t1.practice_id = ms.practice_id AND t1.patient_id = ms.user_id
               WHERE ms.user_id = ",
            $user,
            " AND ms.role = 'patient'
             UNION
             SELECT t2.id FROM care_team c
               JOIN memberships ms ON ms.practice_id = c.practice_id AND ms.user_id = c.clinician_id AND ms.role = 'clinician'
               JOIN threads t2 ON t2.practice_id = c.practice_id AND t2.patient_id = c.patient_id
               WHERE c.clinician_id = ",
            $user,
            "
             UNION
             SELECT t3.id FROM memberships ms JOIN threads t3 ON t3.practice_id = ms.practice_id
               WHERE ms.user_id = ",
            $user,
            " AND ms.role = 'admin'
                 AND ((SELECT pr.front_desk_messaging FROM practices pr WHERE pr.id = t3.practice_id)
                      OR NOT EXISTS (SELECT 1 FROM care_team c JOIN users cu ON cu.id = c.clinician_id
                                     WHERE c.practice_id = t3.practice_id AND c.patient_id = t3.patient_id AND cu.active)))"
        )
    };
}

mod people;
pub use people::{ThreadPerson, ThreadSummary};

type MessageRow = (Uuid, Uuid, i64, Uuid, String, String, Vec<u8>, bool, i64, Option<Uuid>, Option<String>, Option<String>, Option<i64>);

macro_rules! select_messages {
    ($tail:literal) => {
        concat!(
            "SELECT m.id, m.thread_id, m.seq, m.sender_id, u.display_name, m.client_id, m.body, m.automatic, m.created_at,
                    a.id, a.name, a.content_type, a.size
             FROM messages m JOIN users u ON u.id = m.sender_id LEFT JOIN attachments a ON a.message_id = m.id ",
            $tail
        )
    };
}

fn message(row: MessageRow) -> StoredMessage {
    let (id, thread, seq, sender, sender_name, client_id, sealed_body, automatic, at, a_id, a_name, a_type, a_size) = row;
    StoredMessage {
        id: MessageId(id),
        thread: ThreadId(thread),
        seq,
        sender: UserId(sender),
        sender_name,
        client_id,
        sealed_body,
        automatic,
        created_at: time::from_db(at),
        attachment: match (a_id, a_name, a_type, a_size) {
            (Some(id), Some(name), Some(content_type), Some(size)) => Some(AttachmentInfo { id: AttachmentId(id), name, content_type, size }),
            _ => None,
        },
    }
}

impl Store {
    /// The patient's thread in this practice, created on first use.
    pub async fn thread_of(&self, practice: PracticeId, patient: UserId, now: Timestamp) -> StoreResult<Thread> {
        let row: (Uuid, i64) = on_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO threads (id, practice_id, patient_id, last_seq, created_at) VALUES ($1, $2, $3, 0, $4)
                 ON CONFLICT (practice_id, patient_id) DO NOTHING",
            )
            .bind(Uuid::now_v7())
            .bind(practice.0)
            .bind(patient.0)
            .bind(time::to_db(now))
            .execute(pool)
            .await?;
            sqlx::query_as("SELECT id, last_seq FROM threads WHERE practice_id = $1 AND patient_id = $2")
                .bind(practice.0)
                .bind(patient.0)
                .fetch_one(pool)
                .await
        })?;
        Ok(Thread { id: ThreadId(row.0), practice, patient, last_seq: row.1 })
    }

    pub async fn thread(&self, id: ThreadId) -> StoreResult<Option<Thread>> {
        let row: Option<(Uuid, Uuid, i64)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT practice_id, patient_id, last_seq FROM threads WHERE id = $1").bind(id.0).fetch_optional(pool).await
        })?;
        Ok(row.map(|(practice, patient, last_seq)| Thread { id, practice: PracticeId(practice), patient: UserId(patient), last_seq }))
    }

    /// Whether `user` is a member of `thread` now (see `member_of_thread!`).
    pub async fn is_thread_member(&self, thread: &Thread, user: UserId) -> StoreResult<bool> {
        Ok(on_pool!(self, read, |pool| {
            sqlx::query_scalar(concat!("SELECT EXISTS (SELECT 1 FROM threads t WHERE t.id = $1 AND ", member_of_thread!("$2"), ")"))
                .bind(thread.id.0)
                .bind(user.0)
                .fetch_one(pool)
                .await
        })?)
    }

    /// Stores a message (and its file) with its audit entries (its creation, and any
    /// readings of it recorded at once) and notification mail, in one transaction. A resend
    /// with the same client id returns the stored one unchanged and records nothing.
    /// On SQLite it goes through the group writer (one disk sync for many messages).
    pub async fn send_message(&self, new: &NewMessage, audit: &[AuditEvent], jobs: &[NewJob], now: Timestamp) -> StoreResult<Sent> {
        let result = match self.pools() {
            crate::db::Pools::Sqlite { group, .. } => {
                return group.send_message(MessageWork { new: new.clone(), audit: audit.to_vec(), jobs: jobs.to_vec(), now }).await;
            }
            crate::db::Pools::Postgres(pool) => {
                async {
                    let mut tx = pool.begin().await?;
                    let mut conn = Conn::Postgres(&mut tx);
                    let sent = write::insert(&mut conn, new, jobs, now).await?;
                    if sent.created {
                        let entries: Vec<&AuditEvent> = audit.iter().collect();
                        crate::audit::append::append(&mut conn, &entries).await?;
                    }
                    tx.commit().await?;
                    Ok::<_, sqlx::Error>(sent)
                }
                .await
            }
        };
        match result {
            Ok(sent) => Ok(sent),
            // Two sends of one client id raced: the other committed first.
            Err(e) => match StoreError::from(e) {
                StoreError::Conflict(_) => self.sent_by_client_id(new).await?.ok_or(StoreError::NotFound),
                other => Err(other),
            },
        }
    }

    async fn sent_by_client_id(&self, new: &NewMessage) -> StoreResult<Option<Sent>> {
        let row: Option<(Uuid, i64)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT id, seq FROM messages WHERE thread_id = $1 AND sender_id = $2 AND client_id = $3")
                .bind(new.thread.0)
                .bind(new.sender.0)
                .bind(&new.client_id)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|(id, seq)| Sent { id: MessageId(id), seq, created: false }))
    }

    /// Whether the clinician is on the patient's care team in this practice.
    pub async fn on_care_team_in(&self, practice: PracticeId, patient: UserId, clinician: UserId) -> StoreResult<bool> {
        let n: i64 = on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM care_team WHERE practice_id = $1 AND patient_id = $2 AND clinician_id = $3")
                .bind(practice.0)
                .bind(patient.0)
                .bind(clinician.0)
                .fetch_one(pool)
                .await
        })?;
        Ok(n > 0)
    }

    /// The clinician's care-team patients in one practice: id and name.
    pub async fn care_team_patients_in(&self, practice: PracticeId, clinician: UserId) -> StoreResult<Vec<(UserId, String)>> {
        let rows: Vec<(Uuid, String)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT u.id, u.display_name FROM care_team c JOIN users u ON u.id = c.patient_id
                 WHERE c.practice_id = $1 AND c.clinician_id = $2 AND u.active = TRUE ORDER BY u.display_name",
            )
            .bind(practice.0)
            .bind(clinician.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|(id, name)| (UserId(id), name)).collect())
    }

    /// The newest `limit` messages, oldest first (what a page shows).
    pub async fn latest_messages(&self, thread: ThreadId, limit: i64) -> StoreResult<Vec<StoredMessage>> {
        let rows: Vec<MessageRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(select_messages!("WHERE m.thread_id = $1 ORDER BY m.seq DESC LIMIT $2")).bind(thread.0).bind(limit).fetch_all(pool).await
        })?;
        let mut list: Vec<StoredMessage> = rows.into_iter().map(message).collect();
        list.reverse();
        Ok(list)
    }

    /// Messages numbered after `after`, in order, at most `limit`.
    pub async fn messages_after(&self, thread: ThreadId, after: i64, limit: i64) -> StoreResult<Vec<StoredMessage>> {
        let rows: Vec<MessageRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(select_messages!("WHERE m.thread_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3"))
                .bind(thread.0)
                .bind(after)
                .bind(limit)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows.into_iter().map(message).collect())
    }

    /// The sealed file and what it is, if it belongs to `thread`.
    pub async fn attachment(&self, thread: ThreadId, id: AttachmentId) -> StoreResult<Option<(AttachmentInfo, Vec<u8>)>> {
        let row: Option<(String, String, i64, Vec<u8>)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT a.name, a.content_type, a.size, a.data FROM attachments a JOIN messages m ON m.id = a.message_id
                 WHERE a.id = $1 AND m.thread_id = $2",
            )
            .bind(id.0)
            .bind(thread.0)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|(name, content_type, size, data)| (AttachmentInfo { id, name, content_type, size }, data)))
    }

    /// Moves the person's read marker forward (never back). Returns the marker now.
    pub async fn mark_read(&self, thread: ThreadId, user: UserId, seq: i64, now: Timestamp) -> StoreResult<i64> {
        let marker: i64 = on_pool!(self, write, |pool| {
            sqlx::query_scalar(
                // The marker can't pass the thread's last message, nor move back.
                "INSERT INTO thread_reads (thread_id, user_id, last_read_seq, updated_at)
                 VALUES ($1, $2, (SELECT CASE WHEN last_seq < $3 THEN last_seq ELSE $3 END FROM threads WHERE id = $1), $4)
                 ON CONFLICT (thread_id, user_id) DO UPDATE SET
                     last_read_seq = CASE WHEN thread_reads.last_read_seq > excluded.last_read_seq THEN thread_reads.last_read_seq ELSE excluded.last_read_seq END,
                     updated_at = $4
                 RETURNING last_read_seq",
            )
            .bind(thread.0)
            .bind(user.0)
            .bind(seq)
            .bind(time::to_db(now))
            .fetch_one(pool)
            .await
        })?;
        Ok(marker)
    }

    /// Every member's read marker in the thread.
    pub async fn read_markers(&self, thread: ThreadId) -> StoreResult<Vec<(UserId, i64)>> {
        let rows: Vec<(Uuid, i64)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT user_id, last_read_seq FROM thread_reads WHERE thread_id = $1").bind(thread.0).fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(|(u, s)| (UserId(u), s)).collect())
    }

    /// Messages from others after the person's read marker.
    pub async fn unread_in(&self, thread: ThreadId, user: UserId) -> StoreResult<i64> {
        Ok(on_pool!(self, read, |pool| {
            sqlx::query_scalar(concat!("SELECT COUNT(*) FROM messages m WHERE ", unread_for!("$2"))).bind(thread.0).bind(user.0).fetch_one(pool).await
        })?)
    }

    pub async fn messaging_settings(&self, practice: PracticeId) -> StoreResult<(i64, bool)> {
        Ok(on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT reply_within_hours, front_desk_messaging FROM practices WHERE id = $1").bind(practice.0).fetch_one(pool).await
        })?)
    }

    pub async fn set_messaging_settings(&self, practice: PracticeId, reply_within_hours: i64, front_desk: bool) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("UPDATE practices SET reply_within_hours = $1, front_desk_messaging = $2 WHERE id = $3")
                .bind(reply_within_hours)
                .bind(front_desk)
                .bind(practice.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn away_reply(&self, clinician: UserId) -> StoreResult<String> {
        let text: Option<String> = on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT away_reply FROM clinician_profiles WHERE user_id = $1").bind(clinician.0).fetch_optional(pool).await
        })?;
        Ok(text.unwrap_or_default())
    }

    pub async fn set_away_reply(&self, clinician: UserId, text: &str) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("UPDATE clinician_profiles SET away_reply = $1 WHERE user_id = $2")
                .bind(text)
                .bind(clinician.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}
