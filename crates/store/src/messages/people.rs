//! The people of a thread, as one read: it is on every message's path. Who counts mirrors
//! the web layer's `is_member`: the patient (with the patient role in the practice), the
//! clinicians of their care team (with the clinician role), and the practice's admins when
//! the front desk answers messages. Deactivated accounts are left out.

use haven_domain::{Language, UserId};
use uuid::Uuid;

use super::Thread;
use crate::db::Store;
use crate::error::StoreResult;

/// A member of a thread, with what a new message needs about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadPerson {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub language: Language,
    /// They have messages from others they haven't read (so they were told already).
    pub has_unread: bool,
    /// Their automatic reply outside office hours (clinicians; empty when none).
    pub away_reply: String,
}

type PersonRow = (Uuid, String, String, String, bool, Option<String>);

impl Store {
    /// The thread's members, by name.
    pub async fn thread_people(&self, thread: &Thread) -> StoreResult<Vec<ThreadPerson>> {
        let rows: Vec<PersonRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(concat!(
                "WITH people (id) AS (
                     SELECT $2 WHERE EXISTS (SELECT 1 FROM memberships ms WHERE ms.practice_id = $3 AND ms.user_id = $2 AND ms.role = 'patient')
                     UNION
                     SELECT c.clinician_id FROM care_team c
                     JOIN memberships ms ON ms.practice_id = c.practice_id AND ms.user_id = c.clinician_id AND ms.role = 'clinician'
                     WHERE c.practice_id = $3 AND c.patient_id = $2
                     UNION
                     SELECT ms.user_id FROM memberships ms
                     WHERE (SELECT front_desk_messaging FROM practices WHERE id = $3) AND ms.practice_id = $3 AND ms.role = 'admin'
                 )
                 SELECT u.id, u.display_name, u.email, u.language,
                        EXISTS (SELECT 1 FROM messages m WHERE ",
                unread_for!("u.id"),
                "),
                        cp.away_reply
                 FROM people JOIN users u ON u.id = people.id
                 LEFT JOIN clinician_profiles cp ON cp.user_id = u.id
                 WHERE u.active
                 ORDER BY u.display_name"
            ))
            .bind(thread.id.0)
            .bind(thread.patient.0)
            .bind(thread.practice.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, name, email, language, has_unread, away_reply)| ThreadPerson {
                id: UserId(id),
                name,
                email,
                language: Language::from_tag(&language).unwrap_or_default(),
                has_unread,
                away_reply: away_reply.unwrap_or_default(),
            })
            .collect())
    }
}

