//! Test kit: throw-away directories and databases, a running server with a client, and a
//! TCP proxy that can cut a server off from its database.

pub mod clinic;
pub mod db;
pub mod live_client;
pub mod proxy;
pub mod server;
pub mod smtp;

pub use db::{Backend, TestDb};
pub use server::TestServer;

use std::path::{Path, PathBuf};

/// A directory removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        let path = std::env::temp_dir().join(format!("haven-it-{label}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the async test body once against each backend, as two separate tests. The body
/// may also take the database URL, to reach around Haven as an attacker would.
macro_rules! both_backends {
    ($(#[$meta:meta])* async fn $name:ident($store:ident : Store, $url:ident : String) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($store: haven_store::Store, $url: String) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::support::TestDb::new($crate::support::Backend::Sqlite).await;
                body(db.store().await, db.url.clone()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let db = $crate::support::TestDb::new($crate::support::Backend::Postgres).await;
                body(db.store().await, db.url.clone()).await;
            }
        }
    };
    ($(#[$meta:meta])* async fn $name:ident($store:ident : Store) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($store: haven_store::Store) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::support::TestDb::new($crate::support::Backend::Sqlite).await;
                body(db.store().await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let db = $crate::support::TestDb::new($crate::support::Backend::Postgres).await;
                body(db.store().await).await;
            }
        }
    };
}
pub(crate) use both_backends;
