//! Reminders from the durable job queue, driven by the test clock: each one is sent exactly
//! once across a restart and across two instances sharing a database; moved and cancelled
//! visits send none for their old times; a reminder whose visit has begun is not sent.

use std::time::Duration;

use haven_domain::ManualClock;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::clinic::{self, booking};
use crate::support::server::Browser;
use crate::support::smtp::{ReceivedMail, SmtpSink};
use crate::support::{Backend, TestServer};

/// Two days ahead at 15:00 UTC (09:00 or 10:00 in Chicago).
fn start_at(now: Timestamp, extra_hours: i64) -> Timestamp {
    let day = now.checked_add(SignedDuration::from_hours(48)).unwrap();
    let midnight = Timestamp::from_second(day.as_second() - day.as_second() % 86_400).unwrap();
    midnight.checked_add(SignedDuration::from_hours(15 + extra_hours)).unwrap()
}

fn reminders(mail: &[ReceivedMail]) -> Vec<&ReceivedMail> {
    mail.iter().filter(|m| m.subject().starts_with("Reminder")).collect()
}

/// Lets the job runner (polling every second) and the mail sender catch up, then checks
/// that nothing more arrives than `count`.
async fn settle(sink: &SmtpSink, count: usize) -> Vec<ReceivedMail> {
    let got = sink.wait_for(count).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let after = sink.received();
    assert_eq!(
        after.len(),
        count,
        "expected exactly {count} messages, got {}: {:?}",
        after.len(),
        after.iter().map(ReceivedMail::subject).collect::<Vec<_>>()
    );
    drop(got);
    after
}

async fn book(browser: &Browser, body: &Value) -> Value {
    let response = browser.client.post(browser.at("/api/v1/appointments")).json(body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_reminder_is_sent_once_across_a_restart() {
    let now = Timestamp::now();
    let clock = ManualClock::new(now);
    let (server, sink) = TestServer::with_smtp(Backend::Sqlite, Some(clock.clone())).await;
    let clinic = clinic::open(&server.store, 1).await;
    let patient = &clinic.patients[0];
    // The patient lives in neither the clinician's zone nor the practice's.
    server.store.set_user_time_zone(patient.id, Some("America/Denver")).await.unwrap();
    server.sign_in(&patient.email, &patient.password).await;
    let start = start_at(now, 0);
    book(&server, &booking(&clinic, start)).await;

    let confirmation = &sink.wait_for(1).await[0];
    assert_eq!(confirmation.subject(), "Your appointment is booked");
    let ics = confirmation.part("text/calendar").expect("the confirmation carries an .ics file");
    assert!(ics.contains("BEGIN:VEVENT") && ics.contains(&format!("DTSTART:{}", start.strftime("%Y%m%dT%H%M%SZ"))));
    assert!(confirmation.text().contains("8:00 AM MST"), "the time is in the patient's zone, with the zone named: {}", confirmation.raw);
    assert!(!confirmation.text().contains("Therapy"), "no clinical detail: not even the kind of visit");

    // Haven stops and starts again between booking and the reminders' times.
    let server = server.restart().await;
    clock.set(start.checked_sub(SignedDuration::from_hours(24)).unwrap().checked_add(SignedDuration::from_secs(30)).unwrap());
    let mail = settle(&sink, 2).await;
    assert_eq!(reminders(&mail).len(), 1);
    assert!(reminders(&mail)[0].text().contains("/appointments/"), "the reminder links to the visit");
    clock.set(start.checked_sub(SignedDuration::from_mins(59)).unwrap());
    let mail = settle(&sink, 3).await;
    assert_eq!(reminders(&mail).len(), 2);
    clock.set(start.checked_add(SignedDuration::from_hours(2)).unwrap());
    settle(&sink, 3).await;
    assert_eq!(server.store.pending_job_count().await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_database_send_each_reminder_once() {
    let now = Timestamp::now();
    let clock = ManualClock::new(now);
    let (server, sink) = TestServer::with_smtp(Backend::Postgres, Some(clock.clone())).await;
    let twin = server.twin().await;
    let clinic = clinic::open(&server.store, 3).await;
    // Three visits, booked through both instances.
    for (i, p) in clinic.patients.iter().enumerate() {
        let instance: &TestServer = if i % 2 == 0 { &server } else { &twin };
        let browser = instance.new_browser();
        browser.sign_in(&p.email, &p.password).await;
        book(&browser, &booking(&clinic, start_at(now, i64::try_from(i).unwrap()))).await;
    }
    settle(&sink, 3).await;
    // Just before the first visit: its two reminders and the others' day-before ones are due;
    // then, just before each of the others, its hour-before one.
    clock.set(start_at(now, 0).checked_sub(SignedDuration::from_mins(1)).unwrap());
    settle(&sink, 3 + 4).await;
    clock.set(start_at(now, 1).checked_sub(SignedDuration::from_mins(1)).unwrap());
    settle(&sink, 3 + 5).await;
    clock.set(start_at(now, 2).checked_sub(SignedDuration::from_mins(1)).unwrap());
    let mail = settle(&sink, 3 + 6).await;
    assert_eq!(reminders(&mail).len(), 6, "two reminders for each of three visits, none twice");
    let mut to: Vec<_> = reminders(&mail).iter().map(|m| m.to.join(",")).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moved_and_cancelled_visits_send_nothing_for_their_old_times() {
    let now = Timestamp::now();
    let clock = ManualClock::new(now);
    let (server, sink) = TestServer::with_smtp(Backend::Sqlite, Some(clock.clone())).await;
    let clinic = clinic::open(&server.store, 1).await;
    let patient = &clinic.patients[0];
    server.sign_in(&patient.email, &patient.password).await;
    let (first, later, other) = (start_at(now, 0), start_at(now, 5), start_at(now, 8));
    let moved = book(&server, &booking(&clinic, first)).await;
    let id = moved["id"].as_str().unwrap();
    let response = server
        .client
        .post(server.at(&format!("/api/v1/appointments/{id}/reschedule")))
        .json(&serde_json::json!({ "starts_at": later, "sequence": 0 }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cancelled = book(&server, &booking(&clinic, other)).await;
    let id = cancelled["id"].as_str().unwrap();
    let response =
        server.client.post(server.at(&format!("/api/v1/appointments/{id}/cancel"))).json(&serde_json::json!({ "sequence": 0 })).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mail = settle(&sink, 4).await;
    let subjects: Vec<String> = mail.iter().map(ReceivedMail::subject).collect();
    assert!(
        subjects.contains(&"Your appointment has moved".to_owned()) && subjects.contains(&"Your appointment is cancelled".to_owned()),
        "{subjects:?}"
    );
    // Read by a real iCalendar parser: the booking publishes the event, the cancellation
    // cancels that same event (same UID, a higher SEQUENCE) and says nothing of joining.
    let cancellation = mail.iter().find(|m| m.subject() == "Your appointment is cancelled").unwrap();
    let booked = mail.iter().filter(|m| m.subject() == "Your appointment is booked").find(|m| m.text().contains(id)).unwrap();
    let (booked, cancelled) = (ical(&booked.part("text/calendar").unwrap()), ical(&cancellation.part("text/calendar").unwrap()));
    assert_eq!(booked["method"], "PUBLISH");
    assert_eq!(booked["events"][0]["status"], "CONFIRMED");
    assert_eq!(cancelled["method"], "CANCEL", "{cancelled}");
    assert_eq!(cancelled["events"][0]["status"], "CANCELLED");
    assert_eq!(cancelled["events"][0]["uid"], booked["events"][0]["uid"], "the cancellation names the booked event");
    assert!(cancelled["events"][0]["sequence"].as_i64() > booked["events"][0]["sequence"].as_i64(), "{booked} then {cancelled}");
    assert!(!cancelled["events"][0]["description"].as_str().unwrap().to_lowercase().contains("join"), "{cancelled}");

    // The moved visit's old reminder time passes: nothing.
    clock.set(first.checked_sub(SignedDuration::from_hours(24)).unwrap().checked_add(SignedDuration::from_mins(1)).unwrap());
    settle(&sink, 4).await;
    // Its new ones: a reminder each. Then the cancelled visit's times pass: it sends none.
    clock.set(later.checked_sub(SignedDuration::from_hours(24)).unwrap().checked_add(SignedDuration::from_mins(1)).unwrap());
    settle(&sink, 5).await;
    clock.set(later.checked_sub(SignedDuration::from_mins(30)).unwrap());
    settle(&sink, 6).await;
    clock.set(other.checked_sub(SignedDuration::from_mins(30)).unwrap());
    let mail = settle(&sink, 6).await;
    assert_eq!(reminders(&mail).len(), 2, "two reminders, both for the moved visit's new time");
    assert!(reminders(&mail).iter().all(|m| m.to == vec![patient.email.clone()]));
}

/// An iCalendar text as Python's `icalendar` package reads it (Debian's python3-icalendar):
/// the calendar's METHOD and each event's UID, SEQUENCE, STATUS and DESCRIPTION.
fn ical(text: &str) -> Value {
    const READ: &str = r#"
import icalendar, json, sys
cal = icalendar.Calendar.from_ical(sys.stdin.read())
events = [{"uid": str(e.get("uid")), "sequence": int(e.get("sequence", 0)), "status": str(e.get("status")),
           "description": str(e.get("description", ""))} for e in cal.walk("VEVENT")]
print(json.dumps({"method": str(cal.get("method")), "events": events}))
"#;
    let mut child = std::process::Command::new("/usr/bin/python3")
        .args(["-c", READ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("Debian's python3 runs (scripts/test.sh installs python3-icalendar)");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "icalendar could not read the file: {}\n{text}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}
