//! Secure messaging: exact delivery across dropped connections and across instances,
//! idempotent resends, refusals that leave the connection usable, privacy of mail and files.

use std::time::Duration;

use haven_domain::audit::{AuditAction, DataCategory};
use haven_domain::{Email, ThreadId, UserId};
use haven_store::{AuditFilter, Store};
use reqwest::StatusCode;

use crate::support::live_client::LiveClient;
use crate::support::{Backend, TestServer};

/// Deterministic pseudo-random numbers (xorshift), so a failure can be replayed.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % sides
    }
}

struct Demo {
    accounts: Vec<(String, String, String)>,
    jordan: UserId,
    thread: ThreadId,
}

fn password<'a>(demo: &'a Demo, email: &str) -> &'a str {
    &demo.accounts.iter().find(|(_, e, _)| e == email).unwrap().2
}

async fn demo(server: &TestServer) -> Demo {
    let accounts = server.seed_demo().await;
    let store = &server.store;
    let jordan = store.user_by_email(&Email::parse("jordan@patients.example").unwrap()).await.unwrap().unwrap().id;
    let practice = store.practice_by_slug("riverbend").await.unwrap().unwrap().id;
    let thread = store.thread_of(practice, jordan, jiff::Timestamp::now()).await.unwrap().id;
    Demo { accounts, jordan, thread }
}

const JORDAN: &str = "jordan@patients.example";
const LEE: &str = "maya.lee@riverbend.example";

async fn exchange_with_drops(server: &TestServer, other: &TestServer) {
    let d = demo(server).await;
    let thread = d.thread.to_string();
    let mut patient = LiveClient::sign_in(&server.url, JORDAN, password(&d, JORDAN), &thread).await;
    let mut clinician = LiveClient::sign_in(&other.url, LEE, password(&d, LEE), &thread).await;
    patient.connect().await;
    clinician.connect().await;
    let mut dice = Dice(0x5eed_cafe_f00d);
    let mut drops = 0;
    for i in 0..500 {
        for (who, client) in [("p", &mut patient), ("c", &mut clinician)] {
            if !client.connected() {
                client.connect().await;
            }
            client.send(&format!("{who}-{i:04}-{:08}", dice.roll(1 << 30)), &format!("{who} says {i}")).await;
            client.pump(Duration::from_millis(1)).await;
            if dice.roll(20) == 0 {
                client.drop_connection();
                drops += 1;
            }
        }
    }
    let done = |c: &LiveClient| c.pending.is_empty() && c.last_seq() == 1000;
    patient.until(Duration::from_secs(60), done).await;
    clinician.until(Duration::from_secs(60), done).await;
    assert!(drops > 20, "the connections were dropped often ({drops} times)");

    let stored = server.store.messages_after(d.thread, 0, 5000).await.unwrap();
    assert_eq!(stored.len(), 1000, "each message stored once");
    assert!(stored.iter().enumerate().all(|(i, m)| m.seq == i64::try_from(i).unwrap() + 1), "numbered 1..=1000 without gaps");
    for client in [&patient, &clinician] {
        let ids: Vec<&str> = client.received.values().map(|(id, _)| id.as_str()).collect();
        let truth: Vec<String> = stored.iter().map(|m| m.id.to_string()).collect();
        assert_eq!(ids, truth, "the client holds exactly the server's list, in order");
        assert!(client.arrivals.windows(2).all(|w| w[0] < w[1]), "in order, no duplicates");
    }
    // Every send is stored exactly once (its acknowledgement may have been lost in a drop;
    // the message's own arrival, carrying the client id, confirmed it instead).
    for who in ["p-", "c-"] {
        let mut ids: Vec<&str> = stored.iter().map(|m| m.client_id.as_str()).filter(|c| c.starts_with(who)).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 500, "{who}: 500 distinct sends stored");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_messages_arrive_exactly_once_despite_drops_on_sqlite() {
    let server = TestServer::start_with(Backend::Sqlite, |c| c.messages_per_minute = 100_000, None).await;
    exchange_with_drops(&server, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_messages_arrive_exactly_once_across_two_instances_on_postgres() {
    let server = TestServer::start_with(Backend::Postgres, |c| c.messages_per_minute = 100_000, None).await;
    let twin = server.twin().await;
    exchange_with_drops(&server, &twin).await;
}

async fn denied_for(store: &Store, patient: UserId) -> usize {
    store
        .audit_entries(&AuditFilter { patient: Some(patient), action: Some(AuditAction::AccessDenied), limit: 1000, ..AuditFilter::default() })
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event.category == DataCategory::Messages)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_catch_up_resends_outsiders_bad_input_and_deactivation() {
    let (server, _sink) = TestServer::with_smtp(Backend::Sqlite, None).await;
    let d = demo(&server).await;
    let thread = d.thread.to_string();
    let mut patient = LiveClient::sign_in(&server.url, JORDAN, password(&d, JORDAN), &thread).await;
    let mut clinician = LiveClient::sign_in(&server.url, LEE, password(&d, LEE), &thread).await;
    patient.connect().await;
    clinician.connect().await;

    // The patient writes; the clinician, following live, sees it (and gets no mail: see
    // `notices_reach_only_people_who_did_not_see_the_message`).
    patient.send("first-message-0001", "I have been sleeping badly and worry about Friday").await;
    patient.until(Duration::from_secs(5), |c| c.pending.is_empty()).await;
    clinician.until(Duration::from_secs(5), |c| !c.received.is_empty()).await;

    // Offline for 50 messages, then everything on reconnect, in order.
    patient.pump(Duration::from_millis(300)).await;
    patient.drop_connection();
    let before = patient.last_seq();
    for i in 0..50 {
        clinician.send(&format!("offline-{i:04}-abcd"), &format!("note {i}")).await;
    }
    clinician.until(Duration::from_secs(10), |c| c.pending.is_empty()).await;
    patient.connect().await;
    patient.until(Duration::from_secs(10), |c| c.last_seq() == before + 50).await;
    let got: Vec<&str> = patient.received.range(before + 1..).map(|(_, (_, body))| body.as_str()).collect();
    assert_eq!(got, (0..50).map(|i| format!("note {i}")).collect::<Vec<_>>().iter().map(String::as_str).collect::<Vec<_>>());

    // A resend with the same client id stores nothing new.
    let count = server.store.messages_after(d.thread, 0, 1000).await.unwrap().len();
    clinician.send("offline-0007-abcd", "note 7").await;
    clinician.until(Duration::from_secs(5), |c| c.pending.is_empty()).await;
    assert_eq!(server.store.messages_after(d.thread, 0, 1000).await.unwrap().len(), count);
    assert_eq!(clinician.acked["offline-0007-abcd"], before + 8);

    // Bad input: a clear error each time, nothing stored, the connection still usable.
    clinician.errors.clear();
    clinician.send("empty-000001", "   ").await;
    clinician.send("toolong-00001", &"x".repeat(4001)).await;
    clinician.raw("{not json").await;
    clinician
        .raw(&serde_json::json!({ "type": "send", "thread": uuid::Uuid::now_v7(), "client_id": "nowhere-0001", "body": "hi" }).to_string())
        .await;
    clinician.raw(&format!("{{\"type\":\"send\",\"body\":\"{}\"}}", "y".repeat(20_000))).await;
    clinician.raw(r#"{"type":"ping"}"#).await;
    clinician.until(Duration::from_secs(5), |c| c.errors.len() >= 5).await;
    let codes: Vec<&str> = clinician.errors.iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["message-error-empty", "message-error-long", "malformed", "unknown-thread", "too-large"]);
    assert!(clinician.connected(), "the connection stays usable");
    assert_eq!(server.store.messages_after(d.thread, 0, 1000).await.unwrap().len(), count, "nothing stored");
    clinician.pending.clear();

    // Someone outside the thread gets nothing, and the attempt is audited.
    let denied = denied_for(&server.store, d.jordan).await;
    let ana = "ana@patients.example";
    let mut outsider = LiveClient::sign_in(&server.url, ana, password(&d, ana), &thread).await;
    outsider.connect().await;
    outsider.send("intruder-0001", "let me in").await;
    outsider.until(Duration::from_secs(5), |c| c.errors.len() >= 2).await;
    assert!(outsider.received.is_empty());
    assert!(outsider.errors.iter().all(|e| e["code"] == "unknown-thread"));
    assert_eq!(denied_for(&server.store, d.jordan).await - denied, 2, "follow and send, both audited");
    let browser = server.new_browser();
    browser.sign_in(ana, password(&d, ana)).await;
    assert_eq!(browser.get(&format!("/messages/{thread}")).await.status(), StatusCode::NOT_FOUND);

    // Deactivation closes the person's socket at once.
    let admin = server.new_browser();
    admin.sign_in("admin@riverbend.example", password(&d, "admin@riverbend.example")).await;
    let response = admin.post_form(&format!("/admin/people/{}/active", d.jordan), &[("active", "false")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    patient.pump(Duration::from_secs(2)).await;
    assert_eq!(patient.closed_with, Some(4401));
}

/// A member who didn't get a message live is mailed about it a few minutes later, once per
/// run of unread messages, and only if it is still unread then; someone following the thread
/// live is never mailed. The mail names no sender and says nothing of what was written.
async fn notices(backend: Backend) {
    use haven_domain::Clock as _;
    let clock = haven_domain::ManualClock::new(jiff::Timestamp::now());
    let (server, sink) = TestServer::with_smtp(backend, Some(clock.clone())).await;
    let d = demo(&server).await;
    let thread = d.thread.to_string();
    let mut patient = LiveClient::sign_in(&server.url, JORDAN, password(&d, JORDAN), &thread).await;
    patient.connect().await;
    let later = |minutes| clock.set(clock.now().checked_add(jiff::SignedDuration::from_mins(minutes)).unwrap());
    let quiet = |count: usize| {
        let sink = &sink;
        async move {
            tokio::time::sleep(Duration::from_millis(2500)).await;
            assert_eq!(sink.received().len(), count, "no other mail");
        }
    };

    // Dr. Lee is away: nothing at once; a notice once the message has waited.
    patient.send("unread-run-0001", "I have been sleeping badly and worry about Friday").await;
    patient.until(Duration::from_secs(5), |c| c.pending.is_empty()).await;
    quiet(0).await;
    later(6);
    let mail = sink.wait_for(1).await;
    assert_eq!(mail[0].to, vec![LEE.to_owned()]);
    assert_eq!(mail[0].subject(), "You have a new secure message");
    assert!(
        !mail[0].raw.contains("sleeping") && !mail[0].raw.contains("Friday") && !mail[0].raw.contains("Jordan"),
        "no content or sender in the mail"
    );
    assert!(mail[0].link("http://").unwrap().contains(&format!("/messages/{thread}")));

    // More while the first is unread: no more mail.
    patient.send("unread-run-0002", "Are you there?").await;
    patient.send("unread-run-0003", "No rush.").await;
    patient.until(Duration::from_secs(5), |c| c.pending.is_empty()).await;
    later(6);
    quiet(1).await;

    // She reads the thread; the next message starts a new run, and a new notice.
    let lee = server.new_browser();
    lee.sign_in(LEE, password(&d, LEE)).await;
    assert_eq!(lee.get(&format!("/messages/{thread}")).await.status(), StatusCode::OK);
    patient.send("unread-run-0004", "One more thing").await;
    patient.until(Duration::from_secs(5), |c| c.pending.is_empty()).await;
    later(6);
    assert_eq!(sink.wait_for(2).await.len(), 2);

    // Read, then written to while she follows the thread live: she sees it, no mail.
    assert_eq!(lee.get(&format!("/messages/{thread}")).await.status(), StatusCode::OK);
    let mut clinician = LiveClient::sign_in(&server.url, LEE, password(&d, LEE), &thread).await;
    clinician.connect().await;
    clinician.until(Duration::from_secs(5), |c| c.last_seq() == 4).await;
    patient.send("live-chat-0005", "Thanks").await;
    clinician.until(Duration::from_secs(5), |c| c.last_seq() == 5).await;
    later(6);
    quiet(2).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_reach_only_people_who_did_not_see_the_message_on_sqlite() {
    notices(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_reach_only_people_who_did_not_see_the_message_on_postgres() {
    notices(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn floods_are_refused_without_storing() {
    let server = TestServer::start_with(Backend::Sqlite, |c| c.messages_per_minute = 5, None).await;
    let d = demo(&server).await;
    let thread = d.thread.to_string();
    let mut patient = LiveClient::sign_in(&server.url, JORDAN, password(&d, JORDAN), &thread).await;
    patient.connect().await;
    for i in 0..8 {
        patient.send(&format!("flood-{i:04}-xyz"), &format!("help {i}")).await;
    }
    patient.until(Duration::from_secs(5), |c| c.acked.len() + c.errors.len() >= 8).await;
    assert_eq!(patient.acked.len(), 5);
    assert!(patient.errors.iter().all(|e| e["code"] == "message-error-too-many"));
    assert_eq!(server.store.messages_after(d.thread, 0, 100).await.unwrap().len(), 5);
}

async fn reads_by(store: &Store, actor: UserId) -> usize {
    store
        .audit_entries(&AuditFilter { actor: Some(actor), action: Some(AuditAction::Read), limit: 10_000, ..AuditFilter::default() })
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event.category == DataCategory::Messages)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn away_replies_and_the_front_desk_decide_who_hears_a_message_live() {
    let server = TestServer::start_with(Backend::Sqlite, |_| {}, None).await;
    let d = demo(&server).await;
    let store = &server.store;
    let thread = d.thread.to_string();
    let id_of = |email: &'static str| async move { store.user_by_email(&Email::parse(email).unwrap()).await.unwrap().unwrap().id };
    let (lee, alex, samuel) = (id_of(LEE).await, id_of("admin@riverbend.example").await, id_of("samuel.ortiz@riverbend.example").await);
    let practice = store.practice_by_slug("riverbend").await.unwrap().unwrap().id;
    // Dr. Lee keeps no office hours, so every hour is outside them, and has an away text.
    let away = "I'm out of the office; I'll answer on Monday. If you are in crisis, call or text 988.";
    store.set_weekly_hours(lee, &[]).await.unwrap();
    store.set_away_reply(lee, away).await.unwrap();
    store.set_messaging_settings(practice, 48, true).await.unwrap();

    let t = store.thread(d.thread).await.unwrap().unwrap();
    let mut people: Vec<UserId> = store.thread_people(&t).await.unwrap().into_iter().map(|p| p.id).collect();
    people.sort();
    let mut expected = vec![d.jordan, lee, alex, samuel];
    expected.sort();
    assert_eq!(people, expected, "with the front desk on: the patient, the care team and the practice's admins");

    let admin = "admin@riverbend.example";
    let mut patient = LiveClient::sign_in(&server.url, JORDAN, password(&d, JORDAN), &thread).await;
    let mut clinician = LiveClient::sign_in(&server.url, LEE, password(&d, LEE), &thread).await;
    let mut front_desk = LiveClient::sign_in(&server.url, admin, password(&d, admin), &thread).await;
    for client in [&mut patient, &mut clinician, &mut front_desk] {
        client.connect().await;
        client.pump(Duration::from_millis(200)).await;
    }
    let lee_reads = reads_by(store, lee).await;

    // The patient writes: everyone following hears it, and the away text answers once.
    patient.send("evening-0001", "Can we talk about my medication?").await;
    patient.until(Duration::from_secs(5), |c| c.last_seq() == 2).await;
    let bodies = |c: &LiveClient| c.received.values().map(|(_, b)| b.clone()).collect::<Vec<_>>();
    assert_eq!(bodies(&patient), ["Can we talk about my medication?", away]);
    clinician.until(Duration::from_secs(5), |c| c.last_seq() == 2).await;
    front_desk.until(Duration::from_secs(5), |c| c.last_seq() == 2).await;
    assert_eq!(bodies(&clinician), bodies(&patient));
    assert_eq!(bodies(&front_desk), bodies(&patient));
    let stored = store.messages_after(d.thread, 0, 10).await.unwrap();
    assert!(stored[1].automatic && stored[1].sender == lee && stored[0].sender == d.jordan);
    let ids = |c: &LiveClient| c.received.values().map(|(id, _)| id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&clinician), stored.iter().map(|m| m.id.to_string()).collect::<Vec<_>>(), "live frames name the stored messages");
    assert!(reads_by(store, lee).await > lee_reads, "what reached Dr. Lee's socket is on record as read");

    // Another message the same day gets no second automatic reply.
    patient.send("evening-0002", "Also, thank you.").await;
    clinician.until(Duration::from_secs(5), |c| c.last_seq() == 3).await;
    patient.until(Duration::from_secs(5), |c| c.pending.is_empty()).await;
    clinician.pump(Duration::from_millis(300)).await;
    assert_eq!(clinician.last_seq(), 3, "one automatic reply a day");

    // The front desk stops answering messages: the admin's socket no longer receives any.
    store.set_messaging_settings(practice, 48, false).await.unwrap();
    patient.send("evening-0003", "One more thing").await;
    clinician.until(Duration::from_secs(5), |c| c.last_seq() == 4).await;
    front_desk.until(Duration::from_secs(5), |c| !c.errors.is_empty()).await;
    assert_eq!(front_desk.errors[0]["code"], "unknown-thread");
    assert_eq!(front_desk.last_seq(), 3, "a former member gets nothing more");
}

/// A JPEG carrying EXIF (a place) in an APP1 segment.
fn photo_with_location() -> Vec<u8> {
    let mut plain = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(4, 3, image::Rgb([30, 120, 200])))
        .write_to(&mut plain, image::ImageFormat::Jpeg)
        .unwrap();
    let plain = plain.into_inner();
    let payload = b"Exif\0\0MM\0*\0\0\0\x08GPS 45.5231 N 122.6765 W Portland";
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&plain[2..]);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_cleaned_encrypted_and_served_to_members_only() {
    let server = TestServer::start(Backend::Sqlite).await;
    let d = demo(&server).await;
    let thread = d.thread;
    server.sign_in(JORDAN, password(&d, JORDAN)).await;
    let form = reqwest::multipart::Form::new()
        .text("body", "a photo of my sleep diary")
        .text("client_id", "upload-000000001")
        .part("file", reqwest::multipart::Part::bytes(photo_with_location()).file_name("diary.jpg").mime_str("image/jpeg").unwrap());
    let response = server.client.post(server.at(&format!("/messages/{thread}"))).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let stored = server.store.messages_after(thread, 0, 10).await.unwrap();
    let file = stored[0].attachment.clone().unwrap();
    assert_eq!(file.content_type, "image/jpeg");
    let (_, sealed) = server.store.attachment(thread, file.id).await.unwrap().unwrap();
    assert!(!sealed.windows(8).any(|w| w == b"Portland"), "stored encrypted");

    let url = format!("/messages/{thread}/files/{}", file.id);
    let response = server.get(&url).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"diary.jpg\""));
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]), "still a JPEG");
    assert!(!bytes.windows(4).any(|w| w == b"Exif") && !bytes.windows(8).any(|w| w == b"Portland"), "location removed");

    // A disguised program is refused with a message; the text stays.
    let form = reqwest::multipart::Form::new()
        .text("body", "keep these words")
        .text("client_id", "upload-000000002")
        .part("file", reqwest::multipart::Part::bytes(b"MZ\x90\0 not a picture".to_vec()).file_name("cat.jpg"));
    let response = server.client.post(server.at(&format!("/messages/{thread}"))).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Please attach a PDF, PNG or JPEG") && page.contains("keep these words"));

    // Another patient can't fetch it.
    let ana = server.new_browser();
    ana.sign_in("ana@patients.example", password(&d, "ana@patients.example")).await;
    assert_eq!(ana.get(&url).await.status(), StatusCode::NOT_FOUND);
}

/// Who a thread reaches is one rule, asked two ways: row by row (`is_thread_member`, on
/// every send and follow) and as a set (`threads_for`, `unread_total`: inboxes and the start
/// page). For every person of the demo practice, through the front desk turned on and off
/// and a patient's only clinician deactivated, both ways agree.
async fn membership_rule_is_one(backend: Backend) {
    let server = TestServer::start_with(backend, |_| {}, None).await;
    let d = demo(&server).await;
    let store = &server.store;
    let practice = store.practice_by_slug("riverbend").await.unwrap().unwrap().id;
    let now = jiff::Timestamp::now();
    let mut people = Vec::new();
    for (_, email, _) in &d.accounts {
        people.push(store.user_by_email(&Email::parse(email).unwrap()).await.unwrap().unwrap().id);
    }
    let mut threads = Vec::new();
    for (i, &person) in people.iter().enumerate() {
        let user = store.user(person).await.unwrap().unwrap();
        if user.has_role(haven_domain::Role::Patient) {
            let thread = store.thread_of(practice, person, now).await.unwrap();
            // Each patient's thread gets a message from them, so unread counts differ.
            for n in 0..=i {
                let message = haven_store::NewMessage {
                    id: haven_domain::MessageId::new(),
                    thread: thread.id,
                    sender: person,
                    client_id: format!("rule-{n}"),
                    sealed_body: vec![1],
                    automatic: false,
                    attachment: None,
                };
                store.send_message(&message, &[], &[], now).await.unwrap();
            }
            threads.push(thread.id);
        }
    }
    let ortiz = store.user_by_email(&Email::parse("samuel.ortiz@riverbend.example").unwrap()).await.unwrap().unwrap().id;
    let mut checked = 0;
    for (front_desk, ortiz_active) in [(false, true), (true, true), (false, false)] {
        store.set_messaging_settings(practice, 48, front_desk).await.unwrap();
        store.set_active(ortiz, ortiz_active).await.unwrap();
        for &person in &people {
            let listed = store.threads_for(person).await.unwrap();
            let mut as_set: Vec<ThreadId> = listed.iter().map(|t| t.thread.id).collect();
            as_set.sort();
            let mut row_by_row = Vec::new();
            for &id in &threads {
                let thread = store.thread(id).await.unwrap().unwrap();
                if store.is_thread_member(&thread, person).await.unwrap() {
                    row_by_row.push(id);
                }
            }
            row_by_row.sort();
            assert_eq!(as_set, row_by_row, "front desk {front_desk}, Dr. Ortiz active {ortiz_active}: {person}'s threads");
            let unread: i64 = listed.iter().map(|t| t.unread).sum();
            assert_eq!(store.unread_total(person).await.unwrap(), unread, "the start page's count is the inbox's");
            checked += as_set.len();
        }
    }
    assert!(checked > 6, "the cases reach threads at all ({checked} memberships checked)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_membership_rule_is_one_rule_on_sqlite() {
    membership_rule_is_one(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_membership_rule_is_one_rule_on_postgres() {
    membership_rule_is_one(Backend::Postgres).await;
}

const ADMIN: &str = "admin@riverbend.example";

/// A patient with no clinician (signed up, nobody assigned yet): their message reaches the
/// practice's admins, who see the thread flagged, as does the people page; the patient is told
/// the front desk reads it. Once the admin puts a clinician on the care team, the clinician
/// has the thread and the admin (the demo's front desk doesn't answer messages) no longer.
async fn nobody_is_left_unheard(backend: Backend) {
    use haven_crypto::{HashCost, PasswordHasher};
    let server = TestServer::start(backend).await;
    let d = demo(&server).await;
    let store = &server.store;
    let hasher = PasswordHasher::new(HashCost::MINIMUM).unwrap();
    let account = haven::admin::NewAccount {
        email: "robin@patients.example".into(),
        name: "Robin Vale".into(),
        practice: "riverbend".into(),
        roles: vec![haven_domain::Role::Patient],
        language: haven_domain::Language::En,
        password: None,
    };
    let (robin, robin_password) = haven::admin::create_user(store, &hasher, account).await.unwrap();
    let practice = store.practice_by_slug("riverbend").await.unwrap().unwrap().id;
    let thread = store.thread_of(practice, robin, jiff::Timestamp::now()).await.unwrap().id;

    let patient = server.new_browser();
    patient.sign_in("robin@patients.example", &robin_password).await;
    let (_, page) = patient.get_text(&format!("/messages/{thread}")).await;
    assert!(page.contains("front desk reads your messages"), "the patient is told who reads it: {page}");
    assert!(!page.contains("Your care team usually replies"));
    let form = reqwest::multipart::Form::new().text("body", "Is anyone there? I need to talk to someone").text("client_id", "nobody-000000001");
    let response = patient.client.post(patient.at(&format!("/messages/{thread}"))).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let admin = server.new_browser();
    admin.sign_in(ADMIN, password(&d, ADMIN)).await;
    let (_, inbox) = admin.get_text("/messages").await;
    assert!(inbox.contains("Robin Vale") && inbox.contains("No clinician yet: the front desk answers"), "the front desk has it: {inbox}");
    assert!(!inbox.contains("Jordan Rivera"), "patients with a clinician stay with their care team");
    let (status, _) = admin.get_text(&format!("/messages/{thread}")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, people) = admin.get_text("/admin/people").await;
    assert!(people.contains("No clinician yet: the front desk reads their messages."), "the people page flags Robin");

    let lee = store.user_by_email(&Email::parse(LEE).unwrap()).await.unwrap().unwrap().id;
    let path = format!("/admin/people/{robin}/care-team");
    let response = admin.post_form(&path, &[("clinician", &lee.to_string()), ("change", "add")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let clinician = server.new_browser();
    clinician.sign_in(LEE, password(&d, LEE)).await;
    assert!(clinician.get_text("/messages").await.1.contains("Robin Vale"), "Dr. Lee now has Robin's thread");
    assert!(!admin.get_text("/messages").await.1.contains("Robin Vale"), "and the front desk no longer");
    assert!(!admin.get_text("/admin/people").await.1.contains("No clinician yet"), "no patient is left without one");
    assert!(patient.get_text(&format!("/messages/{thread}")).await.1.contains("Your care team usually replies"));
    let changes = store.audit_entries(&AuditFilter { patient: Some(robin), limit: 100, ..AuditFilter::default() }).await.unwrap();
    assert!(changes.iter().any(|e| e.event.action == AuditAction::PermissionChange), "the change is audited");

    // A clinician of the practice can't be put on a patient's team by anyone but an admin,
    // and a patient can't be put on someone's team as their clinician.
    assert_eq!(clinician.post_form(&path, &[("clinician", &lee.to_string()), ("change", "remove")]).await.status(), StatusCode::FORBIDDEN);
    let as_clinician = [("clinician", d.jordan.to_string()), ("change", "add".to_owned())];
    let as_clinician: Vec<(&str, &str)> = as_clinician.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(admin.post_form(&path, &as_clinician).await.status(), StatusCode::FORBIDDEN);

    // Taken off again: the front desk has the thread back.
    admin.post_form(&path, &[("clinician", &lee.to_string()), ("change", "remove")]).await;
    assert!(admin.get_text("/messages").await.1.contains("Robin Vale"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patient_without_a_clinician_reaches_the_front_desk_on_sqlite() {
    nobody_is_left_unheard(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patient_without_a_clinician_reaches_the_front_desk_on_postgres() {
    nobody_is_left_unheard(Backend::Postgres).await;
}

/// A file over the limit sent through the plain form (no JavaScript): the thread comes back,
/// signed in, with the limit named and the typed text still in the box.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_over_the_limit_keeps_the_text_and_names_the_limit() {
    let server = TestServer::start_with(Backend::Sqlite, |c| c.max_attachment_mb = 1, None).await;
    let d = demo(&server).await;
    let patient = server.new_browser();
    patient.sign_in(JORDAN, password(&d, JORDAN)).await;
    let form = reqwest::multipart::Form::new()
        .text("body", "My sleep diary for the last month")
        .text("client_id", "too-large-000001")
        .part("file", reqwest::multipart::Part::bytes(vec![b'%'; 3 << 20]).file_name("diary.pdf").mime_str("application/pdf").unwrap());
    let response = patient.client.post(patient.at(&format!("/messages/{}", d.thread))).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = response.text().await.unwrap();
    assert!(html.contains("That file is larger than 1 MB"), "the reason, with the limit: {html}");
    assert!(html.contains(">My sleep diary for the last month</textarea>"), "the text is kept");
    assert!(html.contains("Signed in as Jordan Rivera"), "the person's own page, not a signed-out error");
    assert!(server.store.messages_after(d.thread, 0, 10).await.unwrap().is_empty(), "nothing stored");
}
