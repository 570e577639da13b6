//! SQLite's readers: a fixed set of read-only connections, each handed to one query at a
//! time. sqlx's own pool sends a ping to the connection's thread every time a connection
//! goes back, and spawns a task to do it: for Haven's short reads that doubled the round
//! trips to the database threads, which on two cores were most of what an authenticated
//! page cost. A local, read-only SQLite file has nothing to find out by a ping; a query
//! abandoned half-way is finished by the connection's own thread before the next command,
//! so a connection can go straight back.

use std::sync::Mutex;
use std::time::Duration;

use sqlx::SqliteConnection;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions as _, Connection as _};
use tokio::sync::{Semaphore, SemaphorePermit};

pub(crate) struct ReadPool {
    idle: Mutex<Vec<SqliteConnection>>,
    permits: Semaphore,
    size: usize,
    timeout: Duration,
}

/// One reader, for one query; back to the pool when dropped.
pub(crate) struct Reader<'a> {
    pool: &'a ReadPool,
    conn: Option<SqliteConnection>,
    _permit: SemaphorePermit<'a>,
}

impl ReadPool {
    /// Opens `size` readers now: each is a thread and an open file, made at start rather
    /// than by the first burst of requests.
    pub(crate) async fn open(options: &SqliteConnectOptions, size: usize, timeout: Duration) -> Result<Self, sqlx::Error> {
        let mut idle = Vec::with_capacity(size);
        for _ in 0..size.max(1) {
            idle.push(options.connect().await?);
        }
        let size = idle.len();
        Ok(Self { idle: Mutex::new(idle), permits: Semaphore::new(size), size, timeout })
    }

    pub(crate) async fn acquire(&self) -> Result<Reader<'_>, sqlx::Error> {
        let permit = match tokio::time::timeout(self.timeout, self.permits.acquire()).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) => return Err(sqlx::Error::PoolClosed),
            Err(_) => return Err(sqlx::Error::PoolTimedOut),
        };
        let conn = self.lock().pop().ok_or(sqlx::Error::PoolClosed)?;
        Ok(Reader { pool: self, conn: Some(conn), _permit: permit })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<SqliteConnection>> {
        self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn size(&self) -> u32 {
        u32::try_from(self.size).unwrap_or(u32::MAX)
    }

    pub(crate) fn num_idle(&self) -> usize {
        self.permits.available_permits()
    }

    /// Closes every reader; later acquires fail.
    pub(crate) async fn close(&self) {
        self.permits.close();
        let idle = std::mem::take(&mut *self.lock());
        for conn in idle {
            let _ = conn.close().await;
        }
    }
}

impl std::ops::Deref for Reader<'_> {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        self.conn.as_ref().unwrap_or_else(|| unreachable!("a reader holds its connection until dropped"))
    }
}

impl std::ops::DerefMut for Reader<'_> {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.conn.as_mut().unwrap_or_else(|| unreachable!("a reader holds its connection until dropped"))
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.pool.lock().push(conn);
        }
    }
}
