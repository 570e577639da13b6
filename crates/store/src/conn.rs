//! One connection inside an open transaction, on either database, and the macro that runs
//! one query body on it. Kept apart from the pools (`db`) so the typed pieces of a write
//! (audit, jobs, messages) and SQLite's group writer depend on this alone.

/// Runs `$body` with `$c` bound to the connection behind `$conn` (a `&mut Conn`), compiled
/// once per backend like [`on_pool!`]. Inside, statements run with `.execute(&mut *$c)`.
macro_rules! on_conn {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::conn::Conn::Sqlite(inner) => {
                let $c: &mut sqlx::SqliteConnection = &mut **inner;
                $body
            }
            $crate::conn::Conn::Postgres(inner) => {
                let $c: &mut sqlx::PgConnection = &mut **inner;
                $body
            }
        }
    };
}
pub(crate) use on_conn;

/// A connection inside an open transaction, on either database: what the typed pieces of a
/// write (an audit entry, a job, a message) take, so a change and everything that goes with
/// it commit together. Made by [`Tx::conn`], or by SQLite's group writer over its own
/// hand-opened transaction.
pub(crate) enum Conn<'c> {
    Sqlite(&'c mut sqlx::SqliteConnection),
    Postgres(&'c mut sqlx::PgConnection),
}

/// An open transaction on the writer (SQLite) or the pool (PostgreSQL). Dropped without
/// [`Tx::commit`], it rolls back.
pub(crate) enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(tx) => Conn::Sqlite(tx),
            Tx::Postgres(tx) => Conn::Postgres(tx),
        }
    }

    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }
}

/// Ids bound in one `IN (…)` list: far below SQLite's and PostgreSQL's limits on bound values.
pub(crate) const IDS_PER_QUERY: usize = 500;
