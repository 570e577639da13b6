//! A trend chart drawn on the server as inline SVG: the instrument's bands shaded, the
//! baseline dashed, each score a point, reliable improvement and deterioration marked.
//! Pure text out, so it is tested without a browser; the chart sits beside a data table
//! that screen readers use instead (the SVG itself is one labelled image).

use std::fmt::Write as _;

use haven_domain::measures::{Direction, Instrument, compare};

const W: i64 = 600;
const H: i64 = 200;
const PAD: i64 = 24;

/// How a point compares with the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Baseline,
    Improved,
    Deteriorated,
    Same,
}

/// Each total's mark against the first one (the baseline), at the reliable-change
/// threshold `reliable` (the instrument's, or the practice's own for PHQ-9).
#[must_use]
pub fn marks(instrument: &Instrument, totals: &[i64], reliable: i64) -> Vec<Mark> {
    let Some((&baseline, _)) = totals.split_first() else { return Vec::new() };
    totals
        .iter()
        .enumerate()
        .map(|(i, &t)| match (&instrument.change, i) {
            (_, 0) => Mark::Baseline,
            (Some(rules), _) => {
                let p = compare(rules, reliable, baseline, t);
                if p.reliably_improved {
                    Mark::Improved
                } else if p.reliably_deteriorated {
                    Mark::Deteriorated
                } else {
                    Mark::Same
                }
            }
            (None, _) => Mark::Same,
        })
        .collect()
}

fn y(total: i64, max: i64) -> i64 {
    // Higher scores higher up; the band shading says which way is better.
    H - PAD - (total * (H - 2 * PAD)) / max.max(1)
}

fn x(i: usize, n: usize) -> i64 {
    let i = i64::try_from(i).unwrap_or(0);
    let n = i64::try_from(n).unwrap_or(1);
    if n <= 1 { W / 2 } else { PAD + i * (W - 2 * PAD) / (n - 1) }
}

/// The SVG for `totals` (oldest first); `label` names it for assistive technology.
#[must_use]
pub fn svg(instrument: &Instrument, totals: &[i64], reliable: i64, label: &str) -> String {
    let max = instrument.max_total().unwrap_or(1);
    let mut out = String::new();
    let _ = write!(out, r#"<svg class="trend" viewBox="0 0 {W} {H}" role="img" aria-label="{}" focusable="false">"#, escape(label));
    let better_low = instrument.change.as_ref().is_none_or(|c| c.direction == Direction::LowerBetter);
    let count = instrument.bands.len().max(1);
    for (i, band) in instrument.bands.iter().enumerate() {
        // A band spans [min, max + 1) so neighbours meet without a gap.
        let top = y((band.max + 1).min(max), max);
        let bottom = y(band.min, max);
        // Lighter for the better end of the scale.
        let shade = if better_low { i } else { count - 1 - i };
        let _ = write!(out, r#"<rect class="band band-{shade}" x="{PAD}" y="{top}" width="{}" height="{}"/>"#, W - 2 * PAD, (bottom - top).max(1));
    }
    if let Some(&first) = totals.first() {
        let by = y(first, max);
        let _ = write!(out, r#"<line class="baseline" x1="{PAD}" y1="{by}" x2="{}" y2="{by}"/>"#, W - PAD);
    }
    let n = totals.len();
    let points: Vec<String> = totals.iter().enumerate().map(|(i, t)| format!("{},{}", x(i, n), y(*t, max))).collect();
    if n > 1 {
        let _ = write!(out, r#"<polyline class="line" points="{}"/>"#, points.join(" "));
    }
    for (i, (t, mark)) in totals.iter().zip(marks(instrument, totals, reliable)).enumerate() {
        let class = match mark {
            Mark::Baseline => "point baseline-point",
            Mark::Improved => "point improved",
            Mark::Deteriorated => "point deteriorated",
            Mark::Same => "point",
        };
        let r = if matches!(mark, Mark::Improved | Mark::Deteriorated) { 6 } else { 4 };
        let _ = write!(out, r#"<circle class="{class}" cx="{}" cy="{}" r="{r}"/>"#, x(i, n), y(*t, max));
    }
    out.push_str("</svg>");
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use haven_domain::measures::builtin;

    use super::*;

    #[test]
    fn deterioration_and_improvement_are_marked_against_the_baseline() {
        let phq9 = builtin("phq9").unwrap();
        assert_eq!(marks(phq9, &[18, 15, 25, 11, 4], 6), vec![Mark::Baseline, Mark::Same, Mark::Deteriorated, Mark::Improved, Mark::Improved]);
        assert_eq!(marks(phq9, &[18, 13], 6), vec![Mark::Baseline, Mark::Same]);
        assert_eq!(marks(phq9, &[18, 13], 5), vec![Mark::Baseline, Mark::Improved], "a practice's threshold of 5");
        let who5 = builtin("who5").unwrap();
        assert_eq!(marks(who5, &[40, 60, 28], 10), vec![Mark::Baseline, Mark::Improved, Mark::Deteriorated]);
    }

    #[test]
    fn the_svg_has_a_band_per_band_a_point_per_score_and_a_label() {
        let phq9 = builtin("phq9").unwrap();
        let svg = svg(phq9, &[18, 25, 11], 6, "PHQ-9 <trend>");
        assert_eq!(svg.matches("<rect").count(), 5);
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains(r#"aria-label="PHQ-9 &lt;trend&gt;""#));
        assert!(svg.contains("deteriorated") && svg.contains("improved"));
        // 0 at the bottom, 27 at the top.
        assert_eq!((y(0, 27), y(27, 27)), (H - PAD, PAD));
    }
}
