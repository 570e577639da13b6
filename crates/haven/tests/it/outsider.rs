//! What an outsider tried, refused: forged origins on a chart note, bookings off the slot
//! grid and at leap seconds, line breaks in names that would forge mail, broken UTF-8 in
//! forms, one person's message flood spread over sockets, pages and instances, and an open
//! `/metrics`. Each case checks that nothing was stored.

use std::time::Duration;

use haven_domain::{Email, ManualClock, UserId};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::live_client::LiveClient;
use crate::support::server::Browser;
use crate::support::smtp::ReceivedMail;
use crate::support::{Backend, TestServer, clinic};

async fn id_of(server: &TestServer, email: &str) -> UserId {
    server.store.user_by_email(&Email::parse(email).unwrap()).await.unwrap().unwrap().id
}

fn password<'a>(accounts: &'a [(String, String, String)], email: &str) -> &'a str {
    &accounts.iter().find(|(_, e, _)| e == email).unwrap().2
}

const LEE: &str = "maya.lee@riverbend.example";
const JORDAN: &str = "jordan@patients.example";

/// A client that sends only the headers a test names (no `Sec-Fetch-Site`), signed in.
async fn bare_client(server: &TestServer, email: &str, password: &str) -> reqwest::Client {
    let client = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = client
        .post(server.at("/sign-in"))
        .header("origin", server.url.as_str())
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    client
}

async fn forged_origins_store_no_note(backend: Backend) {
    let server = TestServer::start(backend).await;
    let accounts = server.seed_demo().await;
    let jordan = id_of(&server, JORDAN).await;
    let lee = bare_client(&server, LEE, password(&accounts, LEE)).await;
    let notes = server.at(&format!("/patients/{jordan}/notes"));
    let https = server.url.replace("http://", "https://");
    let forged: [(&[(&str, &str)], &str); 3] = [
        (&[("origin", &https)], "the right host with another scheme"),
        (&[("sec-fetch-site", "same-origin"), ("origin", "http://evil.example")], "a same-origin claim beside a foreign Origin"),
        (&[("referer", "http://evil.example/x")], "no Origin or Sec-Fetch-Site, a foreign Referer"),
    ];
    for (headers, what) in forged {
        let mut request = lee.post(&notes).form(&[("body", "Planted by another site")]);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{what}");
    }
    assert!(server.store.notes_of(jordan).await.unwrap().is_empty(), "no forged note was stored");
    let response = lee.post(&notes).header("origin", server.url.as_str()).form(&[("body", "Real note")]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "the site's own form still works");
    assert_eq!(server.store.notes_of(jordan).await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_origins_store_no_note_on_sqlite() {
    forged_origins_store_no_note(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_origins_store_no_note_on_postgres() {
    forged_origins_store_no_note(Backend::Postgres).await;
}

async fn book(browser: &Browser, body: &Value) -> reqwest::Response {
    browser.client.post(browser.at("/api/v1/appointments")).json(body).send().await.unwrap()
}

async fn off_grid_and_leap_seconds(backend: Backend) {
    let server = TestServer::start(backend).await;
    let c = clinic::open(&server.store, 1).await;
    let patient = &c.patients[0];
    server.sign_in(&patient.email, &patient.password).await;
    let slots: Value = server
        .client
        .get(server.at(&format!("/api/v1/clinicians/{}/slots?visit_type={}&days=3", c.clinician.id, c.visit)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed: jiff::Timestamp = slots["slots"][4].as_str().unwrap().parse().unwrap();
    let between = listed.checked_add(jiff::SignedDuration::from_mins(15)).unwrap();
    let response = book(&server, &clinic::booking(&c, between)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "15 minutes after a listed slot");
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "booking-error-off-grid");

    let mut leap = clinic::booking(&c, listed);
    leap["starts_at"] = json!("2026-12-31T23:59:60Z");
    let response = book(&server, &leap).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "a leap second");
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "api-error-time");
    assert!(problem["title"].as_str().unwrap().contains("RFC 3339"), "{problem}");
    assert!(server.store.appointments_of_patient(patient.id).await.unwrap().is_empty(), "nothing was booked");

    assert_eq!(book(&server, &clinic::booking(&c, listed)).await.status(), StatusCode::CREATED, "a listed slot books");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bookings_off_the_slot_grid_or_at_leap_seconds_are_refused_on_sqlite() {
    off_grid_and_leap_seconds(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bookings_off_the_slot_grid_or_at_leap_seconds_are_refused_on_postgres() {
    off_grid_and_leap_seconds(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn line_breaks_in_names_are_refused_and_never_reach_mail() {
    let (server, sink) = TestServer::with_smtp(Backend::Sqlite, None).await;
    let c = clinic::open(&server.store, 1).await;
    let patient = &c.patients[0];
    let clinician = server.new_browser();
    clinician.sign_in(&c.clinician.email, &c.clinician.password).await;
    let forged = "Dr. Lake\r\nATTENDEE:mailto:someone@evil.example";
    let response = clinician.post_form("/account/profile", &[("name", forged), ("email", &c.clinician.email), ("password", "")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("without line breaks"), "a translated reason: {html}");
    let stored = server.store.user(c.clinician.id).await.unwrap().unwrap().display_name;
    assert!(!stored.contains('\n'), "the name is unchanged: {stored:?}");

    // A name stored before the check (written straight to the database) is flattened in
    // the mail it appears in: booking confirmation text and calendar file.
    server.store.update_profile(c.clinician.id, forged, None, &haven_store::Effects::default(), jiff::Timestamp::now()).await.unwrap();
    server.sign_in(&patient.email, &patient.password).await;
    let slots: Value = server
        .client
        .get(server.at(&format!("/api/v1/clinicians/{}/slots?visit_type={}&days=3", c.clinician.id, c.visit)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let start: jiff::Timestamp = slots["slots"][0].as_str().unwrap().parse().unwrap();
    assert_eq!(book(&server, &clinic::booking(&c, start)).await.status(), StatusCode::CREATED);
    let mail: Vec<ReceivedMail> = sink.wait_for(1).await;
    let confirmation = &mail[0];
    for line in confirmation.text().lines().chain(confirmation.part("text/calendar").unwrap().lines()) {
        assert!(!line.trim_start().starts_with("ATTENDEE"), "no forged line: {line:?}\n{}", confirmation.raw);
    }
}

async fn broken_utf8_is_refused(backend: Backend) {
    let server = TestServer::start(backend).await;
    let accounts = server.seed_demo().await;
    let jordan = id_of(&server, JORDAN).await;
    let lee = server.new_browser();
    lee.sign_in(LEE, password(&accounts, LEE)).await;
    let response = lee
        .client
        .post(lee.at(&format!("/patients/{jordan}/notes")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("body=%c3%28%ff")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let html = response.text().await.unwrap();
    // Dr. Lee's language is English; the page is the translated error page, not a bare 400.
    assert!(html.contains("We couldn’t read that"), "a translated page: {html}");
    assert!(server.store.notes_of(jordan).await.unwrap().is_empty(), "nothing altered was stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_with_broken_utf8_are_refused_on_sqlite() {
    broken_utf8_is_refused(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_with_broken_utf8_are_refused_on_postgres() {
    broken_utf8_is_refused(Backend::Postgres).await;
}

/// Five messages a minute for the test: three sockets (on two instances with PostgreSQL)
/// and form posts together store five, and the page says why the sixth wasn't sent.
async fn one_allowance_per_person(backend: Backend) {
    let clock = ManualClock::new(jiff::Timestamp::now());
    let server = TestServer::start_with(backend, |c| c.messages_per_minute = 5, Some(clock)).await;
    let other = if backend == Backend::Postgres { Some(server.twin().await) } else { None };
    let accounts = server.seed_demo().await;
    let jordan = id_of(&server, JORDAN).await;
    let practice = server.store.practice_by_slug("riverbend").await.unwrap().unwrap().id;
    let thread = server.store.thread_of(practice, jordan, jiff::Timestamp::now()).await.unwrap().id;
    let second_url = other.as_ref().map_or(server.url.clone(), |o| o.url.clone());
    let mut sockets = Vec::new();
    for url in [&server.url, &server.url, &second_url] {
        let mut s = LiveClient::sign_in(url, JORDAN, password(&accounts, JORDAN), &thread.to_string()).await;
        s.connect().await;
        sockets.push(s);
    }
    for (i, s) in sockets.iter_mut().enumerate() {
        s.send(&format!("flood-{i:04}-abc"), &format!("help {i}")).await;
        s.send(&format!("flood-{i:04}-def"), &format!("help again {i}")).await;
    }
    for s in &mut sockets {
        s.until(Duration::from_secs(5), |c| c.acked.len() + c.errors.len() >= 2).await;
    }
    let acked: usize = sockets.iter().map(|s| s.acked.len()).sum();
    assert_eq!(acked, 5, "five of six sent over three sockets");
    let page = server.new_browser();
    page.sign_in(JORDAN, password(&accounts, JORDAN)).await;
    let form = reqwest::multipart::Form::new().text("client_id", "form-0001-xyz").text("body", "From the page");
    let response = page.client.post(page.at(&format!("/messages/{thread}"))).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "the page counts against the same allowance");
    let html = response.text().await.unwrap();
    assert!(html.contains("From the page"), "what was typed stays in the box");
    assert_eq!(server.store.messages_after(thread, 0, 100).await.unwrap().len(), 5, "five stored in all");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_persons_message_allowance_covers_every_socket_and_page_on_sqlite() {
    one_allowance_per_person(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_persons_message_allowance_covers_every_socket_page_and_instance_on_postgres() {
    one_allowance_per_person(Backend::Postgres).await;
}

/// The API answers as its document says: every refusal a problem body with a stable `code`
/// (401 included), filters outside the allowed values refused, the session cookie declared.
/// schemathesis (scripts/api/contract.sh) checks the same across generated requests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_keeps_its_contract() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    let (_, spec) = server.get_text("/api/openapi.json").await;
    let spec: Value = serde_json::from_str(&spec).unwrap();
    assert_eq!(spec["components"]["securitySchemes"]["session"]["in"], "cookie");
    assert_eq!(spec["security"][0]["session"], json!([]));

    let problem = |response: reqwest::Response| async move {
        let kind = response.headers()["content-type"].to_str().unwrap().to_owned();
        assert_eq!(kind, "application/problem+json");
        let body: Value = response.json().await.unwrap();
        body["code"].as_str().unwrap().to_owned()
    };
    let anonymous = server.new_browser();
    let response = anonymous.get("/api/v1/appointments").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(problem(response).await, "sign-in-required");

    let patient = server.new_browser();
    patient.sign_in(JORDAN, password(&accounts, JORDAN)).await;
    for (query, code) in [
        ("language=", "api-error-language"),
        ("language=xx", "api-error-language"),
        ("modality=fax", "api-error-modality"),
        ("where=", "booking-error-where"),
    ] {
        let response = patient.get(&format!("/api/v1/clinicians?{query}")).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(problem(response).await, code, "{query}");
    }
    let text = patient.client.post(patient.at("/api/v1/appointments")).header("content-type", "text/plain").body("hello").send().await.unwrap();
    assert_eq!(text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(problem(text).await, "unsupported-media-type");
    let partial = patient.client.post(patient.at("/api/v1/appointments")).json(&json!({ "modality": "video" })).send().await.unwrap();
    assert_eq!(partial.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem(partial).await, "invalid-body");
}
