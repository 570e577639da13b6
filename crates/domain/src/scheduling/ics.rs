//! iCalendar (RFC 5545) text for appointment emails and clinicians' calendar feeds.
//!
//! Written by hand: the format needs only escaping, UTC times and line folding, and a
//! small writer keeps exactly what goes into a calendar (which often syncs to a third
//! party's cloud) under Haven's control.

use jiff::Timestamp;

#[derive(Debug, Clone)]
pub struct CalendarEvent {
    /// Stable across changes, so calendar apps update the event instead of adding one.
    pub uid: String,
    /// Grows with every change to the event.
    pub sequence: u32,
    pub start: Timestamp,
    pub end: Timestamp,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    pub url: Option<String>,
    pub cancelled: bool,
}

/// What a calendar file asks of the calendar that opens it (RFC 5546).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// "Here are these events": a feed, a confirmation, a change.
    Publish,
    /// "These events are off": a cancellation, with each event's UID and a higher SEQUENCE.
    Cancel,
}

/// A calendar holding `events`, stamped `now`. `name` titles a subscribed feed.
#[must_use]
pub fn calendar(events: &[CalendarEvent], now: Timestamp, name: Option<&str>, method: Method) -> String {
    let mut out = String::new();
    let mut line = |text: String| fold_into(&mut out, &text);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Haven//Scheduling//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line(match method {
        Method::Publish => "METHOD:PUBLISH".into(),
        Method::Cancel => "METHOD:CANCEL".into(),
    });
    if let Some(name) = name {
        line(format!("X-WR-CALNAME:{}", escape(name)));
    }
    for event in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape(&event.uid)));
        line(format!("SEQUENCE:{}", event.sequence));
        line(format!("DTSTAMP:{}", utc(now)));
        line(format!("DTSTART:{}", utc(event.start)));
        line(format!("DTEND:{}", utc(event.end)));
        line(format!("SUMMARY:{}", escape(&event.summary)));
        line(format!("DESCRIPTION:{}", escape(&event.description)));
        if let Some(location) = &event.location {
            line(format!("LOCATION:{}", escape(location)));
        }
        if let Some(url) = &event.url {
            line(format!("URL:{url}"));
        }
        line(format!("STATUS:{}", if event.cancelled { "CANCELLED" } else { "CONFIRMED" }));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

fn utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// TEXT values escape backslash, semicolon, comma and newlines.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Lines longer than 75 octets continue on the next line after CRLF and a space, never
/// splitting a UTF-8 character.
fn fold_into(out: &mut String, text: &str) {
    let mut width = 0;
    for c in text.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> CalendarEvent {
        CalendarEvent {
            uid: "0190-abc@haven".into(),
            sequence: 2,
            start: "2026-12-08T17:00:00Z".parse().unwrap(),
            end: "2026-12-08T17:45:00Z".parse().unwrap(),
            summary: "Visit with Dr. Lee, video".into(),
            description: format!("Join: https://haven.example/appointments/1\n{}", "ñ".repeat(60)),
            location: Some("12 Main St; Suite 3".into()),
            url: Some("https://haven.example/appointments/1".into()),
            cancelled: false,
        }
    }

    #[test]
    fn writes_a_valid_folded_escaped_calendar() {
        let text = calendar(&[event()], "2026-11-30T12:00:00Z".parse().unwrap(), None, Method::Publish);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART:20261208T170000Z\r\n"));
        assert!(text.contains("SUMMARY:Visit with Dr. Lee\\, video\r\n"));
        assert!(text.contains("LOCATION:12 Main St\\; Suite 3\r\n"));
        assert!(text.contains("STATUS:CONFIRMED") && text.contains("METHOD:PUBLISH\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        // Unfolding gives back the description, character for character.
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:Join: https://haven.example/appointments/1\\n{}", "ñ".repeat(60))));
    }

    #[test]
    fn a_cancellation_keeps_the_uid_and_says_so() {
        let mut e = event();
        e.cancelled = true;
        e.sequence = 3;
        let text = calendar(&[e], "2026-11-30T12:00:00Z".parse().unwrap(), Some("Dr. Lee"), Method::Cancel);
        assert!(text.contains("UID:0190-abc@haven\r\n") && text.contains("SEQUENCE:3") && text.contains("STATUS:CANCELLED"));
        assert!(text.contains("METHOD:CANCEL\r\n") && !text.contains("METHOD:PUBLISH"));
        assert!(text.contains("X-WR-CALNAME:Dr. Lee"));
    }
}
