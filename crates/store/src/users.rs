//! People who sign in, and their roles in practices.

use haven_domain::{Email, Language, PracticeId, Role, UserId};
use jiff::Timestamp;
use uuid::Uuid;

use crate::conn::{Conn, on_conn};
use crate::db::{Store, on_pool};
use crate::effects::Effects;
use crate::error::{StoreError, StoreResult};
use crate::time;

/// Inserts a person and their roles inside an open transaction.
pub(crate) async fn insert(conn: &mut Conn<'_>, id: UserId, new: &NewUser, now: Timestamp) -> Result<(), sqlx::Error> {
    let at = time::to_db(now);
    on_conn!(conn, |c| {
        sqlx::query(
            "INSERT INTO users (id, email, display_name, password_hash, language, active, created_at)
             VALUES ($1, $2, $3, $4, $5, TRUE, $6)",
        )
        .bind(id.0)
        .bind(new.email.as_str())
        .bind(&new.display_name)
        .bind(new.password_hash.as_deref())
        .bind(new.language.tag())
        .bind(at)
        .execute(&mut *c)
        .await?;
        for role in &new.roles {
            sqlx::query("INSERT INTO memberships (practice_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)")
                .bind(new.practice.0)
                .bind(id.0)
                .bind(role.as_str())
                .bind(at)
                .execute(&mut *c)
                .await?;
            // A patient's thread with the practice exists from the start: listing threads
            // is then a read.
            if *role == Role::Patient {
                sqlx::query(
                    "INSERT INTO threads (id, practice_id, patient_id, last_seq, created_at) VALUES ($1, $2, $3, 0, $4)
                     ON CONFLICT (practice_id, patient_id) DO NOTHING",
                )
                .bind(Uuid::now_v7())
                .bind(new.practice.0)
                .bind(id.0)
                .bind(at)
                .execute(&mut *c)
                .await?;
            }
        }
    });
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub display_name: String,
    pub language: Language,
    pub active: bool,
    pub created_at: Timestamp,
    /// The practice and role pairs this person holds.
    pub memberships: Vec<(PracticeId, Role)>,
    /// The zone they chose for their times (`None`: their practice's).
    pub time_zone: Option<String>,
}

impl User {
    #[must_use]
    pub fn has_role(&self, role: Role) -> bool {
        self.memberships.iter().any(|(_, r)| *r == role)
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub language: Language,
    pub practice: PracticeId,
    pub roles: Vec<Role>,
}

type UserRow = (Uuid, String, String, String, bool, i64, Option<String>);

impl Store {
    /// Creates the person and their roles in one transaction: nobody exists without a role.
    pub async fn create_user(&self, new: &NewUser, now: Timestamp) -> StoreResult<UserId> {
        haven_domain::role::check_roles(&new.roles).map_err(|e| StoreError::Conflict(e.to_string()))?;
        let id = UserId::new();
        let mut tx = self.begin().await?;
        insert(&mut tx.conn(), id, new, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn user(&self, id: UserId) -> StoreResult<Option<User>> {
        let row: Option<UserRow> =
            on_pool!(self, read, |pool| sqlx::query_as(const_format_user_query!("WHERE id = $1")).bind(id.0).fetch_optional(pool).await)?;
        self.with_memberships(row).await
    }

    pub async fn user_by_email(&self, email: &Email) -> StoreResult<Option<User>> {
        let row: Option<UserRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(const_format_user_query!("WHERE email = $1")).bind(email.as_str()).fetch_optional(pool).await
        })?;
        self.with_memberships(row).await
    }

    /// The stored password hash, for sign-in only; `None` when the person has none yet.
    pub async fn password_hash(&self, id: UserId) -> StoreResult<Option<String>> {
        let hash: Option<Option<String>> = on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1").bind(id.0).fetch_optional(pool).await
        })?;
        Ok(hash.flatten())
    }

    /// Replaces the password and ends every session of that person in one transaction, so a
    /// stolen session can't outlive a password change.
    pub async fn set_password(&self, id: UserId, password_hash: &str) -> StoreResult<()> {
        let changed = on_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(id.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id.0).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(changed)
        })?;
        if changed == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    /// Deactivates (or reactivates) an account. Deactivation ends every session of that
    /// person in the same transaction; their next request is refused.
    pub async fn set_active(&self, id: UserId, active: bool) -> StoreResult<()> {
        let changed = on_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query("UPDATE users SET active = $1 WHERE id = $2").bind(active).bind(id.0).execute(&mut *tx).await?.rows_affected();
            if !active {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id.0).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(changed)
        })?;
        if changed == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    pub async fn set_language(&self, id: UserId, language: Language) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("UPDATE users SET language = $1 WHERE id = $2").bind(language.tag()).bind(id.0).execute(pool).await.map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Changes the name and, when given, the sign-in email, with its effects (the audit
    /// entry, the mail telling the old address), together. `Conflict` when the email is taken.
    pub async fn update_profile(&self, id: UserId, display_name: &str, email: Option<&Email>, effects: &Effects, now: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        on_conn!(&mut conn, |c| {
            sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2").bind(display_name).bind(id.0).execute(&mut *c).await?;
            if let Some(email) = email {
                sqlx::query("UPDATE users SET email = $1 WHERE id = $2").bind(email.as_str()).bind(id.0).execute(&mut *c).await?;
            }
        });
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Everyone with a role in `practice`, by name (two queries, whatever their number).
    pub async fn practice_members(&self, practice: PracticeId) -> StoreResult<Vec<User>> {
        let rows: Vec<UserRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(const_format_user_query!(
                "WHERE id IN (SELECT user_id FROM memberships WHERE practice_id = $1) ORDER BY display_name LIMIT 1000"
            ))
            .bind(practice.0)
            .fetch_all(pool)
            .await
        })?;
        let roles: Vec<(Uuid, Uuid, String)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT user_id, practice_id, role FROM memberships
                 WHERE user_id IN (SELECT user_id FROM memberships WHERE practice_id = $1) ORDER BY practice_id, role",
            )
            .bind(practice.0)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|row| {
                let id = row.0;
                let memberships = roles.iter().filter(|(u, _, _)| *u == id).filter_map(|(_, p, r)| Some((PracticeId(*p), Role::parse(r)?))).collect();
                decode_user(row, memberships)
            })
            .collect()
    }

    /// Display names for a set of people (for audit views and read receipts), in one query;
    /// unknown ids are left out.
    pub async fn display_names(&self, ids: &[UserId]) -> StoreResult<std::collections::HashMap<UserId, String>> {
        if ids.is_empty() {
            return Ok(std::collections::HashMap::new());
        }
        let mut wanted: Vec<Uuid> = ids.iter().map(|i| i.0).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut names = std::collections::HashMap::new();
        for chunk in wanted.chunks(crate::conn::IDS_PER_QUERY) {
            let rows: Vec<(Uuid, String)> = on_pool!(self, read, |pool| {
                let mut query = sqlx::QueryBuilder::new("SELECT id, display_name FROM users WHERE id IN (");
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                query.push(")");
                query.build_query_as().fetch_all(pool).await
            })?;
            names.extend(rows.into_iter().map(|(id, name)| (UserId(id), name)));
        }
        Ok(names)
    }

    /// How many accounts exist; `haven check` and the demo use it.
    pub async fn count_users(&self) -> StoreResult<i64> {
        Ok(on_pool!(self, read, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await)?)
    }

    async fn with_memberships(&self, row: Option<UserRow>) -> StoreResult<Option<User>> {
        let Some(row) = row else {
            return Ok(None);
        };
        let memberships: Vec<(Uuid, String)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT practice_id, role FROM memberships WHERE user_id = $1 ORDER BY practice_id, role")
                .bind(row.0)
                .fetch_all(pool)
                .await
        })?;
        let memberships = memberships.into_iter().filter_map(|(practice, role)| Some((PracticeId(practice), Role::parse(&role)?))).collect();
        decode_user(row, memberships).map(Some)
    }
}

fn decode_user(
    (id, email, display_name, language, active, created_at, time_zone): UserRow,
    memberships: Vec<(PracticeId, Role)>,
) -> StoreResult<User> {
    Ok(User {
        id: UserId(id),
        email: Email::parse(&email).map_err(|_| StoreError::Schema("a stored email is malformed".into()))?,
        display_name,
        language: Language::from_tag(&language).unwrap_or_default(),
        active,
        created_at: time::from_db(created_at),
        memberships,
        time_zone,
    })
}

/// sqlx only accepts `&'static str` SQL, so the shared column list is spliced in at compile time.
macro_rules! const_format_user_query {
    ($tail:literal) => {
        concat!("SELECT id, email, display_name, language, active, created_at, time_zone FROM users ", $tail)
    };
}
use const_format_user_query;
