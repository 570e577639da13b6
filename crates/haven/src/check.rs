//! `haven check`: is this installation healthy? Each check prints one line; any failure
//! makes the exit status non-zero.

use crate::config::Config;
use crate::server::open_store;

pub struct Report {
    pub lines: Vec<(bool, String)>,
}

impl Report {
    #[must_use]
    pub fn ok(&self) -> bool {
        self.lines.iter().all(|(ok, _)| *ok)
    }

    #[must_use]
    pub fn render(&self) -> String {
        self.lines.iter().map(|(ok, text)| format!("{} {text}\n", if *ok { "ok  " } else { "FAIL" })).collect()
    }
}

pub async fn run(config: &Config) -> Report {
    let mut lines = vec![(true, "configuration is valid".to_owned())];
    let store = match open_store(config).await {
        Ok(store) => store,
        Err(e) => {
            lines.push((false, format!("{e:#}")));
            return Report { lines };
        }
    };
    lines.push((true, format!("database reachable ({})", store.backend().name())));
    match store.migration_status().await {
        Ok(status) if status.pending.is_empty() => {
            lines.push((true, format!("database schema up to date ({} migrations)", status.applied.len())));
        }
        Ok(status) => lines.push((false, format!("{} migrations pending: run `haven migrate`", status.pending.len()))),
        Err(e) => lines.push((false, e.to_string())),
    }
    match store.integrity_check().await {
        Ok(()) => lines.push((true, "database integrity check passed".to_owned())),
        Err(e) => lines.push((false, e.to_string())),
    }
    match crate::keys::verify(config, &store).await {
        Ok(line) => lines.push((true, line)),
        Err(e) => lines.push((false, format!("{e:#}"))),
    }
    match store.verify_audit_chain().await {
        Ok(report) => match report.first_bad {
            None => lines.push((true, format!("audit trail intact ({} entries)", report.entries))),
            Some(seq) => lines.push((false, format!("audit trail broken: entry {seq} was changed, removed or inserted"))),
        },
        Err(e) => lines.push((false, format!("audit trail can't be read: {e}"))),
    }
    store.close().await;
    match &config.turn {
        Some(turn) => lines.push(crate::turn_check::check(turn).await),
        None => lines.push((true, "TURN not configured: video visits use direct connections only (see the README)".to_owned())),
    }
    Report { lines }
}
