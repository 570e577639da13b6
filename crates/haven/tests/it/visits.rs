//! Video visits at the protocol level, on SQLite and PostgreSQL: the check-in refuses bad
//! input and stores nothing then; the room relays signaling only between the appointment's
//! two parties and only after admission; outsiders learn nothing and are audited; a lost
//! patient connection is told to the clinician at once; the record keeps times and modes.

use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use haven_domain::audit::{AuditAction, DataCategory};
use haven_domain::{AppointmentId, Email};
use haven_store::{AuditFilter, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::HeaderValue;

use crate::support::live_client::session_cookie;
use crate::support::{Backend, TestServer};

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn socket(url: &str, cookie: &str) -> Socket {
    let mut request = format!("{}/ws", url.replace("http://", "ws://")).into_client_request().unwrap();
    request.headers_mut().insert("cookie", HeaderValue::from_str(cookie).unwrap());
    request.headers_mut().insert("origin", HeaderValue::from_str(url).unwrap());
    let (mut s, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    assert_eq!(next(&mut s).await["type"], "ready");
    s
}

async fn send(s: &mut Socket, frame: Value) {
    s.send(Message::Text(frame.to_string().into())).await.unwrap();
}

/// The next visit frame (messaging frames are skipped).
async fn next(s: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), s.next()).await.expect("a frame within 10 s").unwrap().unwrap();
        if let Message::Text(text) = message {
            let frame: Value = serde_json::from_str(&text).unwrap();
            if frame["type"] == "ready" || frame["type"].as_str().is_some_and(|t| t.starts_with("visit-")) {
                return frame;
            }
        }
    }
}

/// Skips frames until one of type `kind`.
async fn until(s: &mut Socket, kind: &str) -> Value {
    loop {
        let frame = next(s).await;
        if frame["type"] == kind {
            return frame;
        }
    }
}

/// Nothing arrives within a short while.
async fn quiet(s: &mut Socket) {
    if let Ok(Some(Ok(Message::Text(text)))) = tokio::time::timeout(Duration::from_millis(400), s.next()).await {
        panic!("expected nothing, got {text}");
    }
}

async fn the_room(backend: Backend) {
    let server = TestServer::start(backend).await;
    let accounts = server.seed_demo().await;
    let password = |email: &str| accounts.iter().find(|(_, e, _)| e == email).unwrap().2.clone();
    let store: &Store = &server.store;
    let jordan = store.user_by_email(&Email::parse("jordan@patients.example").unwrap()).await.unwrap().unwrap().id;
    let now = jiff::Timestamp::now();
    // The demo's visit that starts within ten minutes.
    let visit: AppointmentId = store
        .appointments_of_patient(jordan)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.starts_at > now && a.starts_at < now.checked_add(jiff::SignedDuration::from_mins(15)).unwrap())
        .expect("the demo books a visit about to start")
        .id;
    let id = visit.to_string();

    // Check-in: bad input is refused, with every problem named, and nothing stored.
    let patient = server.new_browser();
    patient.sign_in("jordan@patients.example", &password("jordan@patients.example")).await;
    let path = format!("/visits/{id}/safety");
    let bad = [("address", ""), ("region", "Illinois"), ("phone", "12"), ("contact_name", "Sam"), ("contact_phone", "555 0199 1")];
    let response = patient.post_form(&path, &bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    for message in ["Enter where you are", "Choose the state or province", "7 to 15 digits", "Tick the box", "Type your full name"] {
        assert!(page.contains(message), "the page says {message:?}");
    }
    assert!(store.visit(visit).await.unwrap().is_none(), "nothing half-written");
    let good = [
        ("address", "12 Elm Street, Springfield, IL"),
        ("region", "US-IL"),
        ("phone", "+1 312 555 0101"),
        ("contact_name", "Sam Rivera"),
        ("contact_phone", "+1 312 555 0199"),
        ("consent", "yes"),
        ("signature", "Jordan Rivera"),
    ];
    let response = patient.post_form(&path, &good).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let record = store.visit(visit).await.unwrap().unwrap();
    assert!(!record.outside_licence, "Dr. Lee is licensed in Illinois");
    assert!(!String::from_utf8_lossy(&record.sealed_safety).contains("Elm Street"), "the details are sealed at rest");

    let jordan_cookie = session_cookie(&server.url, "jordan@patients.example", &password("jordan@patients.example")).await;
    let lee_cookie = session_cookie(&server.url, "maya.lee@riverbend.example", &password("maya.lee@riverbend.example")).await;
    let casey_cookie = session_cookie(&server.url, "casey@patients.example", &password("casey@patients.example")).await;
    let ortiz_cookie = session_cookie(&server.url, "samuel.ortiz@riverbend.example", &password("samuel.ortiz@riverbend.example")).await;

    // The patient waits; before admission nothing they send is relayed.
    let mut p = socket(&server.url, &jordan_cookie).await;
    send(&mut p, json!({ "type": "visit-join", "visit": id })).await;
    let state = next(&mut p).await;
    assert_eq!((state["type"].as_str(), state["state"].as_str(), state["role"].as_str()), (Some("visit-state"), Some("waiting"), Some("patient")));
    let mut c = socket(&server.url, &lee_cookie).await;
    send(&mut c, json!({ "type": "visit-join", "visit": id })).await;
    let state = next(&mut c).await;
    assert_eq!((state["state"].as_str(), state["peer_present"].as_bool()), (Some("waiting"), Some(true)));
    assert!(state["waiting_since"].is_string());
    let _ = next(&mut p).await; // visit-peer: the clinician is here
    let _ = next(&mut p).await; // visit-state
    send(&mut p, json!({ "type": "visit-signal", "visit": id, "data": { "session": "s1", "description": { "type": "offer", "sdp": "v=0" } } })).await;
    assert_eq!(next(&mut p).await["code"], "not-admitted");
    quiet(&mut c).await;

    // Outsiders: another patient and a clinician not on this visit get the same answer as
    // for a visit that doesn't exist, and their attempts are audited.
    for cookie in [&casey_cookie, &ortiz_cookie] {
        let mut o = socket(&server.url, cookie).await;
        send(&mut o, json!({ "type": "visit-join", "visit": id })).await;
        let refused = next(&mut o).await;
        send(&mut o, json!({ "type": "visit-join", "visit": AppointmentId::new().to_string() })).await;
        let unknown = next(&mut o).await;
        assert_eq!(refused["code"], "not-a-party");
        assert_eq!(refused["code"], unknown["code"]);
        send(&mut o, json!({ "type": "visit-signal", "visit": id, "data": { "session": "x" } })).await;
        assert_eq!(next(&mut o).await["code"], "not-a-party");
    }
    quiet(&mut c).await;
    quiet(&mut p).await;
    let denied = store.audit_entries(&AuditFilter { patient: Some(jordan), ..AuditFilter::default() }).await.unwrap();
    let denials = denied.iter().filter(|e| e.event.action == AuditAction::AccessDenied && e.event.category == DataCategory::Visits).count();
    assert_eq!(denials, 2, "each outsider's attempt is audited");

    // Admit: the patient hears it; signaling then flows both ways, verbatim.
    send(&mut c, json!({ "type": "visit-admit", "visit": id })).await;
    assert_eq!(next(&mut c).await["state"], "admitted");
    assert_eq!(next(&mut p).await["type"], "visit-admitted");
    let offer = json!({ "session": "s1", "description": { "type": "offer", "sdp": "v=0 offer" } });
    send(&mut p, json!({ "type": "visit-signal", "visit": id, "data": offer })).await;
    let relayed = next(&mut c).await;
    assert_eq!((relayed["type"].as_str(), &relayed["data"]), (Some("visit-signal"), &offer));
    let answer = json!({ "session": "s1", "description": { "type": "answer", "sdp": "v=0 answer" } });
    send(&mut c, json!({ "type": "visit-signal", "visit": id, "data": answer })).await;
    assert_eq!(next(&mut p).await["data"], answer);
    send(&mut p, json!({ "type": "visit-chat", "visit": id, "text": "Can you hear me?" })).await;
    let chat = next(&mut c).await;
    assert_eq!((chat["text"].as_str(), chat["from"].as_str()), (Some("Can you hear me?"), Some("Jordan Rivera")));
    send(&mut p, json!({ "type": "visit-connected", "visit": id })).await;
    send(&mut p, json!({ "type": "visit-media", "visit": id, "mode": "video" })).await;
    assert_eq!(next(&mut c).await["mode"], "video");
    send(&mut p, json!({ "type": "visit-media", "visit": id, "mode": "audio" })).await;
    assert_eq!(next(&mut c).await["mode"], "audio");
    send(&mut p, json!({ "type": "visit-stats", "visit": id, "rtt_ms": 40.0, "loss_pct": 1.0, "kbps": 30.0, "mode": "audio" })).await;
    send(&mut p, json!({ "type": "visit-stats", "visit": id, "rtt_ms": f64::NAN, "loss_pct": -3, "kbps": null, "mode": "audio" })).await;

    // The patient's connection drops: the clinician is told at once.
    drop(p);
    let gone = next(&mut c).await;
    assert_eq!((gone["type"].as_str(), gone["present"].as_bool()), (Some("visit-peer"), Some(false)));
    // Back without re-admission.
    let mut p = socket(&server.url, &jordan_cookie).await;
    send(&mut p, json!({ "type": "visit-join", "visit": id })).await;
    assert_eq!(next(&mut p).await["state"], "admitted");
    assert_eq!(next(&mut c).await["present"], true);

    // End: both sides hear it; the record keeps what happened.
    send(&mut c, json!({ "type": "visit-end", "visit": id })).await;
    until(&mut c, "visit-ended").await;
    until(&mut p, "visit-ended").await;
    let record = store.visit(visit).await.unwrap().unwrap();
    assert!(record.admitted_at.is_some() && record.connected_at.is_some() && record.ended_at.is_some());
    assert!(record.patient_joined && record.clinician_joined);
    assert_eq!(record.modes, 3, "video and audio only were both used");
    assert_eq!(record.quality.samples, 1, "the nonsense sample was dropped");
    assert_eq!(record.quality.average(), Some((40.0, 1.0, 30.0)));
    let trail = store.audit_entries(&AuditFilter { patient: Some(jordan), ..AuditFilter::default() }).await.unwrap();
    let changes = trail.iter().filter(|e| e.event.action == AuditAction::Update && e.event.category == DataCategory::Visits).count();
    assert_eq!(changes, 3, "check-in, admission and end are audited");

    // An ended visit is shown as done everywhere, never as one to join.
    let (_, home) = patient.get_text("/home").await;
    assert!(!home.contains("Join the visit"), "the patient's start page: {home}");
    let (_, list) = patient.get_text("/appointments").await;
    let (upcoming, past) = list.split_once("id=\"past-heading\"").unwrap();
    assert!(!upcoming.contains(&format!("/appointments/{id}")), "not under Upcoming: {upcoming}");
    assert!(past.contains(&format!("/appointments/{id}")) && past.contains("Completed"), "under Past, completed: {past}");
    let (_, detail) = patient.get_text(&format!("/appointments/{id}")).await;
    assert!(detail.contains("Completed") && !detail.contains("id=\"join-visit\""), "the appointment page: {detail}");
    for step in ["", "/check", "/safety"] {
        let response = patient.get(&format!("/visits/{id}{step}")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{step}");
        assert_eq!(response.headers()["location"], format!("/visits/{id}/done"), "re-joining {step} goes to the summary");
    }
    assert!(patient.get_text(&format!("/visits/{id}/done")).await.1.contains("Book your next visit"));
    let lee = server.new_browser();
    lee.sign_in("maya.lee@riverbend.example", &password("maya.lee@riverbend.example")).await;
    assert!(!lee.get_text("/home").await.1.contains("Join the visit"), "the clinician's start page");
    assert!(lee.get_text("/schedule").await.1.contains("Completed"), "the calendar says completed");
    assert_eq!(lee.get(&format!("/visits/{id}")).await.headers()["location"], format!("/appointments/{id}"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_room_on_sqlite() {
    the_room(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_room_on_postgres() {
    the_room(Backend::Postgres).await;
}

/// A phone visit: the clinician's room shows the call-back number as a `tel:` link, and
/// the record says "phone" whatever the browsers did.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_visit_shows_the_call_back_number_and_is_recorded_as_phone() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    let password = |email: &str| accounts.iter().find(|(_, e, _)| e == email).unwrap().2.clone();
    let store: &Store = &server.store;
    let ana = store.user_by_email(&Email::parse("ana@patients.example").unwrap()).await.unwrap().unwrap().id;
    // Ana's phone visit with Dr. Ortiz, moved to start in five minutes.
    let booked =
        store.appointments_of_patient(ana).await.unwrap().into_iter().find(|a| a.modality == haven_domain::scheduling::Modality::Phone).unwrap();
    let now = jiff::Timestamp::now();
    let start = now.checked_add(jiff::SignedDuration::from_mins(5)).unwrap();
    let end = start.checked_add(booked.ends_at.duration_since(booked.starts_at)).unwrap();
    assert!(store.reschedule_appointment(booked.id, booked.sequence, (start, end, end), &haven_store::Effects::default(), now).await.unwrap());
    let id = booked.id.to_string();

    // Dr. Ortiz opens the room before Ana has checked in: he waits there and hears her arrive.
    let c_cookie = session_cookie(&server.url, "samuel.ortiz@riverbend.example", &password("samuel.ortiz@riverbend.example")).await;
    let mut c = socket(&server.url, &c_cookie).await;
    send(&mut c, json!({ "type": "visit-join", "visit": id })).await;
    let early = next(&mut c).await;
    assert_eq!((early["state"].as_str(), early["peer_present"].as_bool()), (Some("waiting"), Some(false)));

    let patient = server.new_browser();
    patient.sign_in("ana@patients.example", &password("ana@patients.example")).await;
    let response = patient.get(&format!("/visits/{id}")).await;
    assert_eq!(response.headers()["location"], format!("/visits/{id}/safety"), "no device check for a phone visit");
    let form = [
        ("address", "5 Court Street, Brooklyn, NY"),
        ("region", "US-NY"),
        ("phone", "+1 (718) 555-0142"),
        ("contact_name", "Luis Ortega"),
        ("contact_phone", "+1 718 555 0177"),
        ("consent", "yes"),
        ("signature", "Ana Ortega"),
    ];
    assert_eq!(patient.post_form(&format!("/visits/{id}/safety"), &form).await.status(), StatusCode::SEE_OTHER);

    let clinician = server.new_browser();
    clinician.sign_in("samuel.ortiz@riverbend.example", &password("samuel.ortiz@riverbend.example")).await;
    let room = clinician.get(&format!("/visits/{id}/room")).await.text().await.unwrap();
    assert!(room.contains(r#"id="callback-link" href="tel:+17185550142""#), "the call-back number is a tel: link");
    assert!(room.contains(r#"data-modality="phone""#));

    let p_cookie = session_cookie(&server.url, "ana@patients.example", &password("ana@patients.example")).await;
    let mut p = socket(&server.url, &p_cookie).await;
    send(&mut p, json!({ "type": "visit-join", "visit": id })).await;
    assert_eq!(next(&mut p).await["state"], "waiting");
    assert_eq!(until(&mut c, "visit-peer").await["present"], true, "the waiting clinician hears Ana arrive");
    send(&mut c, json!({ "type": "visit-admit", "visit": id })).await;
    until(&mut p, "visit-admitted").await;
    send(&mut c, json!({ "type": "visit-end", "visit": id })).await;
    until(&mut p, "visit-ended").await;

    let done = patient.get(&format!("/visits/{id}/done")).await.text().await.unwrap();
    assert!(done.contains(r#"<dd id="modality-used">Teléfono</dd>"#), "Ana reads Spanish: {done}");
    let response = patient.post_form(&format!("/visits/{id}/done"), &[("rating", "9")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "a rating outside 1–5 is refused");
    assert!(store.visit(booked.id).await.unwrap().unwrap().rating.is_none());
    assert_eq!(patient.post_form(&format!("/visits/{id}/done"), &[("rating", "5")]).await.status(), StatusCode::OK);
    assert_eq!(store.visit(booked.id).await.unwrap().unwrap().rating, Some(5));
    server.stop().await;
}
