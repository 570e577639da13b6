//! The group writer's fast path: a whole batch in one transaction, with as few round trips
//! to the connection's thread as possible. Each round trip costs more than the SQL it
//! carries (two thread wake-ups, about 0.1 ms on a busy two-core machine, against a few
//! microseconds for one of these statements), so:
//!
//! 1. one multi-statement command opens the transaction, stores every plain message (no
//!    file, no mail: nearly all of them) and reads the audit chain's tail;
//! 2. messages with a file or jobs follow, one `messages::write::insert` each;
//! 3. one command appends every audit entry of the batch and commits.
//!
//! Any error rolls everything back and the caller writes the pieces one by one instead.

use std::collections::HashMap;
use std::sync::OnceLock;

use sqlx::SqlitePool;
use uuid::Uuid;

use haven_domain::MessageId;
use haven_domain::audit::{AuditEvent, GENESIS};

use super::work::Work;
use crate::messages::write::{MessageWork, Sent};

/// What a piece of work came to.
pub(super) enum Done {
    /// The first audit entry's seq.
    Audit(i64),
    Message(Sent),
}

/// Plain messages per command. Each count's text is prepared once and then reused from the
/// connection's statement cache.
const MESSAGES_PER_COMMAND: usize = 16;

/// One plain message: the statements of `messages::write::insert` keyed on the new message's id, so
/// that a resend (the insert does nothing) changes nothing else and is answered with the
/// first copy. The answer row carries the new id (to match it up), the stored id and seq.
/// SQLite only: PostgreSQL numbers under the thread's row lock (`messages::write::insert`).
const PLAIN_MESSAGE: &str = "
    INSERT INTO messages (id, thread_id, seq, sender_id, client_id, body, automatic, created_at)
        SELECT $1, id, last_seq + 1, $3, $4, $5, $6, $7 FROM threads WHERE id = $2
        ON CONFLICT (thread_id, sender_id, client_id) DO NOTHING;
    UPDATE threads SET last_seq = last_seq + 1 WHERE id = $2 AND EXISTS (SELECT 1 FROM messages WHERE id = $1);
    INSERT INTO thread_reads (thread_id, user_id, last_read_seq, updated_at)
        SELECT thread_id, sender_id, seq, created_at FROM messages WHERE id = $1
        ON CONFLICT (thread_id, user_id) DO UPDATE SET last_read_seq = excluded.last_read_seq, updated_at = excluded.updated_at;
    SELECT $1, id, seq, NULL FROM messages WHERE thread_id = $2 AND sender_id = $3 AND client_id = $4;";
const PARAMS_PER_MESSAGE: usize = 7;

/// The chain's tail ([`crate::audit::append::CHAIN_TAIL`]), shaped like a message's answer row.
const TAIL: &str = "SELECT NULL, NULL, seq, hash FROM (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1)";

type AnswerRow = (Option<Uuid>, Option<Uuid>, i64, Option<String>);

pub(super) async fn write(pool: &SqlitePool, batch: &[Work]) -> Result<Vec<Done>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let result = on(&mut conn, batch).await;
    if result.is_err() {
        // The transaction was opened by hand, so it is closed by hand. If even that fails,
        // the connection's state is unknown: the pool replaces it.
        if sqlx::query("ROLLBACK").execute(&mut *conn).await.is_err() {
            conn.close_on_drop();
        }
    }
    result
}

fn is_plain(work: &MessageWork) -> bool {
    work.new.attachment.is_none() && work.jobs.is_empty()
}

async fn on(conn: &mut sqlx::SqliteConnection, batch: &[Work]) -> Result<Vec<Done>, sqlx::Error> {
    let plain: Vec<&MessageWork> = batch
        .iter()
        .filter_map(|w| match w {
            Work::Message(m, _) if is_plain(m) => Some(&**m),
            _ => None,
        })
        .collect();
    let mut sent: HashMap<Uuid, Sent> = HashMap::with_capacity(plain.len());
    let mut tail = None;
    let chunks: Vec<&[&MessageWork]> = if plain.is_empty() { vec![&[]] } else { plain.chunks(MESSAGES_PER_COMMAND).collect() };
    for (i, chunk) in chunks.into_iter().enumerate() {
        let mut command = sqlx::query_as::<_, AnswerRow>(command(chunk.len(), i == 0));
        for m in chunk {
            let new = &m.new;
            command = command
                .bind(new.id.0)
                .bind(new.thread.0)
                .bind(new.sender.0)
                .bind(&new.client_id)
                .bind(&new.sealed_body)
                .bind(new.automatic)
                .bind(crate::time::to_db(m.now));
        }
        for row in command.fetch_all(&mut *conn).await? {
            match row {
                (Some(new), Some(id), seq, None) => drop(sent.insert(new, Sent { id: MessageId(id), seq, created: id == new })),
                (None, None, seq, Some(hash)) => tail = Some((seq, hash)),
                _ => return Err(sqlx::Error::Protocol("an unexpected answer row from the batch command".into())),
            }
        }
    }
    let mut done = Vec::with_capacity(batch.len());
    let mut events: Vec<&AuditEvent> = Vec::with_capacity(batch.len());
    // Audit places are counted from 0 here and made absolute once the tail is known.
    for work in batch {
        match work {
            Work::Audit(entries, _) => {
                done.push(Done::Audit(i64::try_from(events.len()).unwrap_or(i64::MAX)));
                events.extend(entries.iter());
            }
            Work::Message(w, _) => {
                let result = if is_plain(w) {
                    // No answer row: the thread doesn't exist.
                    sent.get(&w.new.id.0).copied().ok_or(sqlx::Error::RowNotFound)?
                } else {
                    crate::messages::write::insert(&mut crate::conn::Conn::Sqlite(&mut *conn), &w.new, &w.jobs, w.now).await?
                };
                // A resend of a stored message changes nothing, so records nothing.
                if result.created {
                    events.extend(w.audit.iter());
                }
                done.push(Done::Message(result));
            }
        }
    }
    let tail = tail.unwrap_or((0, GENESIS.to_owned()));
    let first = tail.0 + 1;
    let rows = crate::audit::append::chain(tail, &events);
    let mut chunks = rows.chunks(crate::audit::append::ROWS_PER_INSERT).peekable();
    if chunks.peek().is_none() {
        sqlx::query("COMMIT").execute(&mut *conn).await?;
    }
    while let Some(chunk) = chunks.next() {
        let mut insert = crate::audit::append::insert::<sqlx::Sqlite>(chunk.iter().cloned());
        if chunks.peek().is_none() {
            insert.push("; COMMIT");
        }
        insert.build().execute(&mut *conn).await?;
    }
    for d in &mut done {
        if let Done::Audit(place) = d {
            *place += first;
        }
    }
    Ok(done)
}

/// The command for `count` plain messages, opening the transaction if `begin`.
/// IMMEDIATE: the write lock is taken at once, so the batch can't fail half-way for want of it.
fn command(count: usize, begin: bool) -> &'static str {
    static TEXTS: OnceLock<Vec<String>> = OnceLock::new();
    let texts = TEXTS.get_or_init(|| {
        let mut texts = Vec::with_capacity(2 * (MESSAGES_PER_COMMAND + 1));
        for begin in [false, true] {
            for count in 0..=MESSAGES_PER_COMMAND {
                let mut text = String::from(if begin { "BEGIN IMMEDIATE;" } else { "" });
                for i in 0..count {
                    text.push_str(&renumber(PLAIN_MESSAGE, i * PARAMS_PER_MESSAGE));
                }
                text.push_str(TAIL);
                texts.push(text);
            }
        }
        texts
    });
    &texts[usize::from(begin) * (MESSAGES_PER_COMMAND + 1) + count.min(MESSAGES_PER_COMMAND)]
}

/// `sql` with every `$N` parameter moved up by `offset`.
fn renumber(sql: &str, offset: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        match rest[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + offset).to_string()),
            Err(_) => out.push_str(&rest[..digits]),
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_moved_up_for_each_message() {
        assert_eq!(renumber("a = $1 AND b = $12 OR $2", 7), "a = $8 AND b = $19 OR $9");
        assert_eq!(renumber("no parameters", 7), "no parameters");
        let two = command(2, true);
        assert!(two.starts_with("BEGIN IMMEDIATE;"));
        assert!(two.contains("$14") && !two.contains("$15"), "two messages use $1..$14");
        assert!(command(0, false).trim_start().starts_with("SELECT NULL, NULL, seq, hash"));
        assert!(TAIL.contains(crate::audit::append::CHAIN_TAIL), "the tail is the audit chain's own query");
    }
}
