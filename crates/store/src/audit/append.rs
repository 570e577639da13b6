//! Appending to the audit trail's hash chain inside an open transaction, on either
//! database: the macros that write entries with the change they record, and the chain
//! links computed for many entries at once. Nothing here opens a connection.

use haven_domain::audit::{self, AuditEvent};

/// Serialises appends so that each entry chains from the one before. SQLite has a single
/// writer already; PostgreSQL takes a transaction-scoped advisory lock.
pub(crate) trait ChainLock {
    async fn lock_chain(&mut self) -> Result<(), sqlx::Error>;
}

impl ChainLock for sqlx::SqliteConnection {
    async fn lock_chain(&mut self) -> Result<(), sqlx::Error> {
        Ok(())
    }
}

impl ChainLock for sqlx::PgConnection {
    async fn lock_chain(&mut self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(AUDIT_CHAIN_LOCK).execute(self).await.map(|_| ())
    }
}

const AUDIT_CHAIN_LOCK: i64 = 0x4841_5645_4e00_0002;

/// The query that finds the chain's last entry (a macro, so other statements can be joined to it).
macro_rules! chain_tail {
    () => {
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
    };
}

/// Appends `$event` inside the open transaction `$tx`, so an entry is written exactly
/// when the change it records is. Evaluates to `Result<i64, sqlx::Error>` (the new seq).
macro_rules! append_audit {
    ($tx:expr, $event:expr) => {
        async {
            let event: &haven_domain::audit::AuditEvent = $event;
            append_audit_rows!($tx, &[event]).await
        }
    };
}

/// The chain links for `events` appended after the entry `(seq, hash)`: each entry's seq,
/// the hash it follows and its own hash.
pub(crate) fn chain<'a>(tail: (i64, String), events: &[&'a AuditEvent]) -> Vec<(i64, &'a AuditEvent, String, String)> {
    let (mut seq, mut prev_hash) = tail;
    events
        .iter()
        .map(|event| {
            seq += 1;
            let hash = audit::entry_hash(&prev_hash, seq, event);
            (seq, *event, std::mem::replace(&mut prev_hash, hash.clone()), hash)
        })
        .collect()
}

/// The INSERT of links from [`chain`] into a `sqlx::QueryBuilder` (either database).
macro_rules! audit_insert {
    ($rows:expr) => {{
        let mut insert = sqlx::QueryBuilder::new("INSERT INTO audit_log (seq, at, actor, practice, patient, action, category, source, outcome, prev_hash, hash) ");
        insert.push_values($rows, |mut row, (seq, event, prev, hash): (i64, &haven_domain::audit::AuditEvent, String, String)| {
            row.push_bind(seq)
                .push_bind(event.at.as_microsecond())
                .push_bind(event.actor.map(|a| a.0))
                .push_bind(event.practice.map(|p| p.0))
                .push_bind(event.patient.map(|p| p.0))
                .push_bind(event.action.as_str())
                .push_bind(event.category.as_str())
                .push_bind(event.source.clone())
                .push_bind(event.outcome.as_str())
                .push_bind(prev)
                .push_bind(hash);
        });
        insert
    }};
}

/// Appends `$events` (a slice of `&AuditEvent`), in order, inside the open transaction
/// `$tx`, with one chain lookup and one INSERT for all of them: what a batch of writes costs
/// is mostly round trips, so many entries cost about as much as one. Evaluates to
/// `Result<i64, sqlx::Error>`, the first entry's seq (the others follow it).
macro_rules! append_audit_rows {
    ($tx:expr, $events:expr) => {
        async {
            use $crate::audit::append::ChainLock as _;
            let events: &[&haven_domain::audit::AuditEvent] = $events;
            $tx.lock_chain().await?;
            let last: Option<(i64, String)> = sqlx::query_as(chain_tail!()).fetch_optional(&mut *$tx).await?;
            let mut tail = last.unwrap_or((0, haven_domain::audit::GENESIS.to_owned()));
            let first = tail.0 + 1;
            for chunk in events.chunks($crate::audit::append::ROWS_PER_INSERT) {
                let rows = $crate::audit::append::chain(tail.clone(), chunk);
                if let Some((seq, _, _, hash)) = rows.last() {
                    tail = (*seq, hash.clone());
                }
                audit_insert!(rows).build().execute(&mut *$tx).await?;
            }
            Ok::<i64, sqlx::Error>(first)
        }
    };
}

/// Rows per INSERT in `append_audit_rows!`: 11 values each stays far below both databases'
/// limit on bound values.
pub(crate) const ROWS_PER_INSERT: usize = 500;

