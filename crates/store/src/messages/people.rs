//! The people of a thread, as one read: it is on every message's path; and the threads of a
//! person, as one read: what their inbox lists. Who counts is `member_of_thread!`, the one
//! definition. Deactivated accounts are left out.

use haven_domain::{Language, PracticeId, ThreadId, UserId};
use jiff::Timestamp;
use uuid::Uuid;

use super::Thread;
use crate::db::{Store, on_pool};
use crate::error::StoreResult;
use crate::time;

/// A thread as an inbox lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadSummary {
    pub thread: Thread,
    pub patient_name: String,
    pub practice_name: String,
    /// Messages from others the person hasn't read.
    pub unread: i64,
    pub last_at: Option<Timestamp>,
    /// The patient has no active clinician (the front desk answers for now).
    pub no_care_team: bool,
}

/// A member of a thread, with what a new message needs about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadPerson {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub language: Language,
    /// They have messages from others they haven't read (so they were told already).
    pub has_unread: bool,
    /// The last message they have read.
    pub last_read: i64,
    /// Their automatic reply outside office hours (clinicians; empty when none).
    pub away_reply: String,
}

type PersonRow = (Uuid, String, String, String, bool, i64, Option<String>);

impl Store {
    /// The thread's members, by name.
    pub async fn thread_people(&self, thread: &Thread) -> StoreResult<Vec<ThreadPerson>> {
        let rows: Vec<PersonRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(concat!(
                "WITH candidates (id) AS (
                     SELECT $2
                     UNION SELECT c.clinician_id FROM care_team c WHERE c.practice_id = $3 AND c.patient_id = $2
                     UNION SELECT ms.user_id FROM memberships ms WHERE ms.practice_id = $3 AND ms.role = 'admin'
                 )
                 SELECT u.id, u.display_name, u.email, u.language,
                        EXISTS (SELECT 1 FROM messages m WHERE ",
                unread_for!("u.id"),
                "),
                        COALESCE((SELECT r.last_read_seq FROM thread_reads r WHERE r.thread_id = $1 AND r.user_id = u.id), 0),
                        cp.away_reply
                 FROM candidates JOIN users u ON u.id = candidates.id
                 JOIN threads t ON t.id = $1
                 LEFT JOIN clinician_profiles cp ON cp.user_id = u.id
                 WHERE u.active AND ",
                member_of_thread!("u.id"),
                " ORDER BY u.display_name"
            ))
            .bind(thread.id.0)
            .bind(thread.patient.0)
            .bind(thread.practice.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, name, email, language, has_unread, last_read, away_reply)| ThreadPerson {
                id: UserId(id),
                name,
                email,
                language: Language::from_tag(&language).unwrap_or_default(),
                has_unread,
                last_read,
                away_reply: away_reply.unwrap_or_default(),
            })
            .collect())
    }

    /// Every thread `user` is a member of, with their unread count and last message time,
    /// newest first: one query whatever the number of patients.
    pub async fn threads_for(&self, user: UserId) -> StoreResult<Vec<ThreadSummary>> {
        type Row = (Uuid, Uuid, Uuid, i64, String, String, i64, i64, bool);
        let rows: Vec<Row> = on_pool!(self, read, |pool| {
            sqlx::query_as(concat!(
                "SELECT t.id, t.practice_id, t.patient_id, t.last_seq, p.display_name, pr.name,
                        (SELECT COUNT(*) FROM messages m WHERE m.thread_id = t.id AND m.sender_id <> $1
                           AND m.seq > COALESCE((SELECT r.last_read_seq FROM thread_reads r WHERE r.thread_id = t.id AND r.user_id = $1), 0)),
                        COALESCE((SELECT MAX(m.created_at) FROM messages m WHERE m.thread_id = t.id), 0),
                        NOT EXISTS (SELECT 1 FROM care_team c JOIN users cu ON cu.id = c.clinician_id
                                    WHERE c.practice_id = t.practice_id AND c.patient_id = t.patient_id AND cu.active)
                 FROM threads t JOIN users p ON p.id = t.patient_id JOIN practices pr ON pr.id = t.practice_id
                 WHERE p.active AND t.id IN ",
                threads_of_member!("$1"),
                // Newest first; threads without messages (time 0) last, by name.
                " ORDER BY 8 DESC, 5"
            ))
            .bind(user.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, practice, patient, last_seq, patient_name, practice_name, unread, last_at, no_care_team)| ThreadSummary {
                thread: Thread { id: ThreadId(id), practice: PracticeId(practice), patient: UserId(patient), last_seq },
                patient_name,
                practice_name,
                unread,
                last_at: (last_at > 0).then(|| time::from_db(last_at)),
                no_care_team,
            })
            .collect())
    }

    /// Messages from others that `user` hasn't read, across all their threads: one count
    /// (the start page's badge), without the inbox's per-thread details.
    pub async fn unread_total(&self, user: UserId) -> StoreResult<i64> {
        let n: i64 = on_pool!(self, read, |pool| {
            sqlx::query_scalar(concat!(
                "SELECT COUNT(*) FROM threads t JOIN users p ON p.id = t.patient_id JOIN messages m ON m.thread_id = t.id
                 WHERE p.active AND m.sender_id <> $1
                   AND m.seq > COALESCE((SELECT r.last_read_seq FROM thread_reads r WHERE r.thread_id = t.id AND r.user_id = $1), 0)
                   AND t.id IN ",
                threads_of_member!("$1")
            ))
            .bind(user.0)
            .fetch_one(pool)
            .await
        })?;
        Ok(n)
    }
}
