use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// The database can't be reached right now; retrying later may work.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// A uniqueness or exclusion rule refused the write; the string names the constraint.
    #[error("conflicts with existing data ({0})")]
    Conflict(String),
    /// Another booked visit already holds that time: the database refused the overlap.
    #[error("that time was just taken")]
    SlotTaken,
    #[error("not found")]
    NotFound,
    #[error("the database schema is not what this version of Haven expects: {0}")]
    Schema(String),
    #[error("database error: {0}")]
    Other(sqlx::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// PostgreSQL SQLSTATE classes that mean "the server went away", not "your query is wrong":
/// 08 connection exception, 57P01–57P03 shutdown / cannot connect now, 53 insufficient resources.
fn pg_unavailable(code: &str) -> bool {
    code.starts_with("08") || code.starts_with("57P") || code.starts_with("53")
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_) => StoreError::Unavailable(error.to_string()),
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) => {
                if db.code().is_some_and(|c| pg_unavailable(&c)) {
                    return StoreError::Unavailable(db.message().to_owned());
                }
                // PostgreSQL's exclusion violation; SQLite's trigger raises the constraint's name.
                if db.code().as_deref() == Some("23P01") || db.message().contains("appointments_no_overlap") {
                    return StoreError::SlotTaken;
                }
                match db.kind() {
                    sqlx::error::ErrorKind::UniqueViolation => StoreError::Conflict(db.constraint().unwrap_or("unique").to_owned()),
                    _ => StoreError::Other(error),
                }
            }
            _ => StoreError::Other(error),
        }
    }
}

impl StoreError {
    #[must_use]
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }
}
