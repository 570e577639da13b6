//! Practices: the tenants of a Haven deployment.

use haven_domain::PracticeId;
use jiff::Timestamp;
use uuid::Uuid;

use crate::db::{Store, on_pool};
use crate::error::StoreResult;
use crate::time;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practice {
    pub id: PracticeId,
    pub slug: String,
    pub name: String,
    pub created_at: Timestamp,
}

type PracticeRow = (Uuid, String, String, i64);

fn from_row((id, slug, name, created_at): PracticeRow) -> Practice {
    Practice { id: PracticeId(id), slug, name, created_at: time::from_db(created_at) }
}

impl Store {
    pub async fn create_practice(&self, slug: &str, name: &str, now: Timestamp) -> StoreResult<Practice> {
        let id = PracticeId::new();
        on_pool!(self, write, |pool| {
            sqlx::query("INSERT INTO practices (id, slug, name, created_at) VALUES ($1, $2, $3, $4)")
                .bind(id.0)
                .bind(slug)
                .bind(name)
                .bind(time::to_db(now))
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(Practice { id, slug: slug.to_owned(), name: name.to_owned(), created_at: now })
    }

    pub async fn list_practices(&self) -> StoreResult<Vec<Practice>> {
        let rows: Vec<PracticeRow> =
            on_pool!(self, read, |pool| sqlx::query_as("SELECT id, slug, name, created_at FROM practices ORDER BY name").fetch_all(pool).await)?;
        Ok(rows.into_iter().map(from_row).collect())
    }

    /// Whether people may create their own patient accounts in this practice.
    pub async fn self_registration(&self, practice: PracticeId) -> StoreResult<bool> {
        Ok(on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT allow_self_registration FROM practices WHERE id = $1").bind(practice.0).fetch_one(pool).await
        })?)
    }

    pub async fn set_self_registration(&self, practice: PracticeId, allowed: bool) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("UPDATE practices SET allow_self_registration = $1 WHERE id = $2")
                .bind(allowed)
                .bind(practice.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn practice_by_slug(&self, slug: &str) -> StoreResult<Option<Practice>> {
        let row: Option<PracticeRow> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT id, slug, name, created_at FROM practices WHERE slug = $1").bind(slug).fetch_optional(pool).await
        })?;
        Ok(row.map(from_row))
    }
}
