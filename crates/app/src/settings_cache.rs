//! Practice settings, read on most pages that show a time (the practice's zone) and changed
//! a few times a year: kept for ten seconds per instance. A change made here is seen here
//! at once; another instance sees it within ten seconds.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use haven_domain::PracticeId;
use haven_store::{PracticeSettings, Store};

use crate::error::Result;

const KEPT_FOR: Duration = Duration::from_secs(10);

#[derive(Default)]
pub struct SettingsCache {
    kept: Mutex<HashMap<PracticeId, (Instant, PracticeSettings)>>,
}

impl SettingsCache {
    pub async fn get(&self, store: &Store, practice: PracticeId) -> Result<PracticeSettings> {
        let kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&practice).cloned();
        if let Some((_, settings)) = kept.filter(|(at, _)| at.elapsed() < KEPT_FOR) {
            return Ok(settings);
        }
        let settings = store.practice_settings(practice).await?;
        self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(practice, (Instant::now(), settings.clone()));
        Ok(settings)
    }

    /// The practice's settings changed here.
    pub fn forget(&self, practice: PracticeId) {
        self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&practice);
    }
}
