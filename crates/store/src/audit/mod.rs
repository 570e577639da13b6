//! The audit trail: appending entries to the hash chain, verifying it, and searching it.

use haven_domain::audit::{self, AuditAction, AuditEvent, DataCategory, GENESIS, Outcome};
use haven_domain::{PracticeId, UserId};
use jiff::Timestamp;
use uuid::Uuid;

use crate::db::{Store, on_pool};
use crate::error::{StoreError, StoreResult};
use crate::time;

pub(crate) mod append;

/// An entry as stored, with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub event: AuditEvent,
    pub hash: String,
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub entries: u64,
    /// The first entry whose hash, position or link doesn't fit; `None` when intact.
    pub first_bad: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only entries about this practice: its own, or by or about one of its people.
    pub practice: Option<PracticeId>,
    pub actor: Option<UserId>,
    pub patient: Option<UserId>,
    pub action: Option<AuditAction>,
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// Only entries older than this one (the next page of a newest-first list).
    pub before: Option<i64>,
    pub limit: i64,
}

type Row = (i64, i64, Option<Uuid>, Option<Uuid>, Option<Uuid>, String, String, Option<String>, String, String, String);

#[cfg(test)]
const COLUMNS: &str = "seq, at, actor, practice, patient, action, category, source, outcome, prev_hash, hash";

fn decode(row: Row) -> StoreResult<(AuditRecord, String)> {
    let (seq, at, actor, practice, patient, action, category, source, outcome, prev_hash, hash) = row;
    let bad = |what: &str| StoreError::Schema(format!("audit entry {seq} has an unknown {what}"));
    let event = AuditEvent {
        at: time::from_db(at),
        actor: actor.map(UserId),
        practice: practice.map(PracticeId),
        patient: patient.map(UserId),
        action: AuditAction::parse(&action).ok_or_else(|| bad("action"))?,
        category: DataCategory::parse(&category).ok_or_else(|| bad("category"))?,
        source,
        outcome: Outcome::parse(&outcome).ok_or_else(|| bad("outcome"))?,
    };
    Ok((AuditRecord { seq, event, hash }, prev_hash))
}

impl Store {
    /// Appends one entry in its own transaction; returns its sequence number.
    /// On SQLite it goes through the group writer (one disk sync for many entries).
    pub async fn append_audit(&self, event: &AuditEvent) -> StoreResult<i64> {
        if let crate::db::Pools::Sqlite { group, .. } = self.pools() {
            return group.append_audits(vec![event.clone()]).await;
        }
        let mut tx = self.begin().await?;
        let seq = append::append_one(&mut tx.conn(), event).await?;
        tx.commit().await?;
        Ok(seq)
    }

    /// Appends several entries in one transaction, in order (on SQLite through the group
    /// writer).
    pub async fn append_audits(&self, events: &[AuditEvent]) -> StoreResult<()> {
        if events.is_empty() {
            return Ok(());
        }
        if let crate::db::Pools::Sqlite { group, .. } = self.pools() {
            return group.append_audits(events.to_vec()).await.map(|_| ());
        }
        let events: Vec<&AuditEvent> = events.iter().collect();
        let mut tx = self.begin().await?;
        append::append(&mut tx.conn(), &events).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Recomputes every hash in order. Reads in batches, so a long trail needs little memory.
    pub async fn verify_audit_chain(&self) -> StoreResult<ChainReport> {
        const BATCH: i64 = 5_000;
        let mut expected_prev = GENESIS.to_owned();
        let mut expected_seq = 1;
        let mut entries = 0u64;
        loop {
            let rows: Vec<Row> = on_pool!(self, read, |pool| {
                sqlx::query_as(const_audit_select!("WHERE seq >= $1 ORDER BY seq LIMIT $2")).bind(expected_seq).bind(BATCH).fetch_all(pool).await
            })?;
            let done = (rows.len() as i64) < BATCH;
            for row in rows {
                let (record, prev_hash) = decode(row)?;
                entries += 1;
                let fits = record.seq == expected_seq
                    && prev_hash == expected_prev
                    && audit::entry_hash(&prev_hash, record.seq, &record.event) == record.hash;
                if !fits {
                    // A gap names the first missing position; otherwise the entry itself.
                    return Ok(ChainReport { entries, first_bad: Some(record.seq.min(expected_seq)) });
                }
                expected_prev = record.hash;
                expected_seq += 1;
            }
            if done {
                return Ok(ChainReport { entries, first_bad: None });
            }
        }
    }

    /// Entries matching `filter`, newest first.
    pub async fn audit_entries(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditRecord>> {
        let limit = if filter.limit > 0 { filter.limit } else { 500 };
        let rows: Vec<Row> = on_pool!(self, read, |pool| {
            sqlx::query_as(const_audit_select!(
                "WHERE ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR patient = $2) AND ($3 IS NULL OR action = $3)
                   AND ($4 IS NULL OR at >= $4) AND ($5 IS NULL OR at < $5)
                   AND ($7 IS NULL OR practice = $7
                        OR actor IN (SELECT user_id FROM memberships WHERE practice_id = $7)
                        OR patient IN (SELECT user_id FROM memberships WHERE practice_id = $7))
                   AND ($8 IS NULL OR seq < $8)
                 ORDER BY seq DESC LIMIT $6"
            ))
            .bind(filter.actor.map(|a| a.0))
            .bind(filter.patient.map(|p| p.0))
            .bind(filter.action.map(AuditAction::as_str))
            .bind(filter.from.map(time::to_db))
            .bind(filter.until.map(time::to_db))
            .bind(limit)
            .bind(filter.practice.map(|p| p.0))
            .bind(filter.before)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(|row| decode(row).map(|(record, _)| record)).collect()
    }
}

macro_rules! const_audit_select {
    ($tail:literal) => {
        concat!("SELECT seq, at, actor, practice, patient, action, category, source, outcome, prev_hash, hash FROM audit_log ", $tail)
    };
}
use const_audit_select;

#[cfg(test)]
mod tests {
    #[test]
    fn the_select_names_every_column_in_row_order() {
        assert!(const_audit_select!("").contains(super::COLUMNS));
    }
}
