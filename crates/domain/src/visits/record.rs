//! A visit's life (waiting → admitted → ended) and what its record says afterwards: the
//! modality actually used and a connection-quality summary. No content is ever part of it.

use serde::{Deserialize, Serialize};

use crate::scheduling::modality::Modality;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitState {
    /// The patient hasn't arrived in the waiting room.
    NotArrived,
    Waiting,
    Admitted,
    Ended,
}

impl VisitState {
    #[must_use]
    pub fn from_times(arrived: bool, admitted: bool, ended: bool) -> Self {
        if ended {
            VisitState::Ended
        } else if admitted {
            VisitState::Admitted
        } else if arrived {
            VisitState::Waiting
        } else {
            VisitState::NotArrived
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            VisitState::NotArrived => "not-arrived",
            VisitState::Waiting => "waiting",
            VisitState::Admitted => "admitted",
            VisitState::Ended => "ended",
        }
    }
}

/// What one side was sending at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaMode {
    Video,
    Audio,
}

impl MediaMode {
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "video" => Some(MediaMode::Video),
            "audio" => Some(MediaMode::Audio),
            _ => None,
        }
    }

    /// Bit in the stored set of modes seen.
    #[must_use]
    pub fn bit(self) -> i64 {
        match self {
            MediaMode::Video => 1,
            MediaMode::Audio => 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModalityUsed {
    Video,
    AudioOnly,
    Mixed,
    Phone,
    /// The call never connected.
    None,
}

impl ModalityUsed {
    /// From the booked modality and the set of modes seen during the call (bits of
    /// [`MediaMode::bit`]). A phone visit is a phone visit whatever the browser did.
    #[must_use]
    pub fn from_modes(booked: Modality, modes: i64) -> Self {
        if booked == Modality::Phone {
            return ModalityUsed::Phone;
        }
        match (modes & 1 != 0, modes & 2 != 0) {
            (true, true) => ModalityUsed::Mixed,
            (true, false) => ModalityUsed::Video,
            (false, true) => ModalityUsed::AudioOnly,
            (false, false) => ModalityUsed::None,
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ModalityUsed::Video => "video",
            ModalityUsed::AudioOnly => "audio-only",
            ModalityUsed::Mixed => "mixed",
            ModalityUsed::Phone => "phone",
            ModalityUsed::None => "none",
        }
    }
}

/// One side's periodic `getStats` reading, as sent by the page. Values outside what a
/// connection could report are dropped, not stored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatsSample {
    pub rtt_ms: Option<f64>,
    pub loss_pct: Option<f64>,
    pub kbps: Option<f64>,
}

impl StatsSample {
    #[must_use]
    pub fn sane(self) -> Self {
        let keep = |v: Option<f64>, max: f64| v.filter(|v| v.is_finite() && (0.0..=max).contains(v));
        Self { rtt_ms: keep(self.rtt_ms, 60_000.0), loss_pct: keep(self.loss_pct, 100.0), kbps: keep(self.kbps, 100_000.0) }
    }
}

/// Averages over the call, kept as running totals so each sample is one small update.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct QualitySummary {
    pub samples: i64,
    pub rtt_total: f64,
    pub loss_total: f64,
    pub kbps_total: f64,
    pub worst_loss: f64,
}

impl QualitySummary {
    #[must_use]
    pub fn with(mut self, sample: StatsSample) -> Self {
        let s = sample.sane();
        if s.rtt_ms.is_none() && s.loss_pct.is_none() && s.kbps.is_none() {
            return self;
        }
        self.samples += 1;
        self.rtt_total += s.rtt_ms.unwrap_or(0.0);
        self.loss_total += s.loss_pct.unwrap_or(0.0);
        self.kbps_total += s.kbps.unwrap_or(0.0);
        self.worst_loss = self.worst_loss.max(s.loss_pct.unwrap_or(0.0));
        self
    }

    #[must_use]
    pub fn average(&self) -> Option<(f64, f64, f64)> {
        #[allow(clippy::cast_precision_loss)]
        let n = self.samples as f64;
        (self.samples > 0).then(|| (self.rtt_total / n, self.loss_total / n, self.kbps_total / n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modality_used() {
        assert_eq!(ModalityUsed::from_modes(Modality::Video, 1), ModalityUsed::Video);
        assert_eq!(ModalityUsed::from_modes(Modality::Video, 3), ModalityUsed::Mixed);
        assert_eq!(ModalityUsed::from_modes(Modality::Video, 2), ModalityUsed::AudioOnly);
        assert_eq!(ModalityUsed::from_modes(Modality::Video, 0), ModalityUsed::None);
        assert_eq!(ModalityUsed::from_modes(Modality::Phone, 3), ModalityUsed::Phone);
    }

    #[test]
    fn states() {
        assert_eq!(VisitState::from_times(true, true, false), VisitState::Admitted);
        assert_eq!(VisitState::from_times(true, false, false), VisitState::Waiting);
        assert_eq!(VisitState::from_times(false, false, false), VisitState::NotArrived);
        assert_eq!(VisitState::from_times(true, true, true), VisitState::Ended);
    }

    #[test]
    fn summary_ignores_nonsense() {
        let q = QualitySummary::default()
            .with(StatsSample { rtt_ms: Some(40.0), loss_pct: Some(1.0), kbps: Some(900.0) })
            .with(StatsSample { rtt_ms: Some(60.0), loss_pct: Some(3.0), kbps: Some(1100.0) })
            .with(StatsSample { rtt_ms: Some(f64::NAN), loss_pct: Some(-4.0), kbps: None });
        assert_eq!(q.samples, 2);
        assert_eq!(q.average(), Some((50.0, 2.0, 1000.0)));
        assert!((q.worst_loss - 3.0).abs() < f64::EPSILON);
    }
}
