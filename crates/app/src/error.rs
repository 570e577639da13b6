//! Why a service could not do what was asked. This is the one place that decides what a
//! store or crypto failure means for the person asking: "try again shortly" (the database
//! is away), "not found", or an internal failure whose cause is kept for the log and never
//! shown.

use haven_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    /// Signed in, but this person may not do this.
    #[error("forbidden")]
    Forbidden,
    /// The database can't be reached right now; retrying later may work.
    #[error("the database is unavailable")]
    Unavailable(#[source] StoreError),
    /// A rate limit was reached; the value is the seconds until it lifts.
    #[error("too many requests")]
    TooManyRequests(u64),
    /// Input Haven can't read at all (a broken upload, say).
    #[error("bad request")]
    BadRequest,
    /// Something that should not fail did. `what` names the step, never the data.
    #[error("{what}")]
    Internal {
        what: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An internal failure at `what`, keeping `source` for the log.
    pub fn internal(what: &'static str, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Error::Internal { what, source: source.into() }
    }

    /// An internal failure with no underlying error, only a description.
    #[must_use]
    pub fn bug(what: &'static str) -> Self {
        Error::Internal { what, source: what.into() }
    }
}

impl From<StoreError> for Error {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(_) => Error::Unavailable(error),
            StoreError::NotFound => Error::NotFound,
            other => Error::Internal { what: "a database request failed", source: Box::new(other) },
        }
    }
}

impl From<haven_crypto::VaultError> for Error {
    fn from(error: haven_crypto::VaultError) -> Self {
        Error::Internal { what: "opening sealed data failed", source: Box::new(error) }
    }
}

/// Adds a step's name to errors from a blocking task that stopped (a panic or shutdown).
impl From<tokio::task::JoinError> for Error {
    fn from(error: tokio::task::JoinError) -> Self {
        Error::Internal { what: "a background task stopped", source: Box::new(error) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_map_to_what_people_are_told_and_keep_their_cause() {
        assert!(matches!(Error::from(StoreError::NotFound), Error::NotFound));
        assert!(matches!(Error::from(StoreError::Unavailable("gone".into())), Error::Unavailable(_)));
        let internal = Error::from(StoreError::Schema("bad column".into()));
        let source = std::error::Error::source(&internal).map(ToString::to_string).unwrap_or_default();
        assert!(source.contains("bad column"), "the cause is kept: {source}");
    }
}
