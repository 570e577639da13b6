//! Appending to the audit trail's hash chain inside an open transaction, on either
//! database, so an entry is written exactly when the change it records is. Nothing here
//! opens a connection.

use haven_domain::audit::{self, AuditEvent, GENESIS};
use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;

use crate::conn::{Conn, on_conn};

/// Serialises appends on PostgreSQL so that each entry chains from the one before (SQLite
/// has a single writer already): a transaction-scoped advisory lock.
const AUDIT_CHAIN_LOCK: i64 = 0x4841_5645_4e00_0002;

/// The query that finds the chain's last entry.
pub(crate) const CHAIN_TAIL: &str = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";

/// Rows per INSERT: 11 values each stays far below both databases' limit on bound values.
pub(crate) const ROWS_PER_INSERT: usize = 500;

/// A link of the chain: the entry's seq, the entry, the hash it follows and its own hash.
pub(crate) type Link<'a> = (i64, &'a AuditEvent, String, String);

/// The chain links for `events` appended after the entry `(seq, hash)`.
pub(crate) fn chain<'a>(tail: (i64, String), events: &[&'a AuditEvent]) -> Vec<Link<'a>> {
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

/// The INSERT of `links` (at most [`ROWS_PER_INSERT`]), for either database.
pub(crate) fn insert<'a, DB>(links: impl IntoIterator<Item = Link<'a>>) -> QueryBuilder<DB>
where
    DB: Database,
    DB::Arguments: Default,
    for<'t> i64: Encode<'t, DB> + Type<DB>,
    for<'t> Option<Uuid>: Encode<'t, DB> + Type<DB>,
    for<'t> Option<String>: Encode<'t, DB> + Type<DB>,
    for<'t> String: Encode<'t, DB> + Type<DB>,
    for<'t> &'static str: Encode<'t, DB> + Type<DB>,
{
    let mut insert =
        QueryBuilder::new("INSERT INTO audit_log (seq, at, actor, practice, patient, action, category, source, outcome, prev_hash, hash) ");
    insert.push_values(links, |mut row, (seq, event, prev, hash)| {
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
}

/// Appends `events`, in order, with one chain lookup and as few INSERTs as their number
/// allows: what a batch of writes costs is mostly round trips, so many entries cost about as
/// much as one. Returns the first entry's seq (the others follow it).
pub(crate) async fn append(conn: &mut Conn<'_>, events: &[&AuditEvent]) -> Result<i64, sqlx::Error> {
    if let Conn::Postgres(c) = conn {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(AUDIT_CHAIN_LOCK).execute(&mut **c).await?;
    }
    let last: Option<(i64, String)> = on_conn!(conn, |c| sqlx::query_as(CHAIN_TAIL).fetch_optional(&mut *c).await)?;
    let mut tail = last.unwrap_or((0, GENESIS.to_owned()));
    let first = tail.0 + 1;
    for chunk in events.chunks(ROWS_PER_INSERT) {
        let links = chain(tail.clone(), chunk);
        if let Some((seq, _, _, hash)) = links.last() {
            tail = (*seq, hash.clone());
        }
        on_conn!(conn, |c| insert(links).build().execute(&mut *c).await.map(|_| ()))?;
    }
    Ok(first)
}

/// [`append`] for one entry.
pub(crate) async fn append_one(conn: &mut Conn<'_>, event: &AuditEvent) -> Result<i64, sqlx::Error> {
    append(conn, &[event]).await
}
