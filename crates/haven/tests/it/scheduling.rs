//! Booking: the database's guarantee against double booking under contention, on both
//! backends; refusals that say what is wrong; audit entries for every change.

use futures_util::future::join_all;
use haven_domain::audit::{AuditAction, DataCategory};
use haven_store::{AuditFilter, Store, StoreError};
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::clinic::{self, booking};
use crate::support::server::Browser;
use crate::support::{Backend, TestServer, both_backends};

const RACERS: usize = 64;
const ROUNDS: usize = 100;

/// Tomorrow, midnight UTC, plus `half_hours` slots: all inside the clinic's open hours.
fn slot(half_hours: usize) -> Timestamp {
    let base = Timestamp::now().checked_add(SignedDuration::from_hours(48)).unwrap();
    let base = Timestamp::from_second(base.as_second() - base.as_second() % 86_400).unwrap();
    base.checked_add(SignedDuration::from_mins(30 * i64::try_from(half_hours).unwrap())).unwrap()
}

async fn signed_in(server: &TestServer, email: &str, password: &str) -> Browser {
    let browser = server.new_browser();
    browser.sign_in(email, password).await;
    browser
}

async fn race(backend: Backend) {
    let server = TestServer::start(backend).await;
    let clinic = clinic::open(&server.store, RACERS).await;
    let mut browsers = Vec::new();
    for p in &clinic.patients {
        browsers.push(signed_in(&server, &p.email, &p.password).await);
    }
    for round in 0..ROUNDS {
        let body = booking(&clinic, slot(round));
        let attempts = browsers.iter().map(|b| {
            let body = body.clone();
            async move {
                let response = b.client.post(b.at("/api/v1/appointments")).json(&body).send().await.unwrap();
                let status = response.status();
                (status, response.json::<Value>().await.unwrap())
            }
        });
        let results = join_all(attempts).await;
        let won = results.iter().filter(|(s, _)| *s == StatusCode::CREATED).count();
        let lost: Vec<_> = results.iter().filter(|(s, _)| *s == StatusCode::CONFLICT).collect();
        assert_eq!(won, 1, "round {round}: {won} bookings succeeded: {:?}", &results[..3]);
        assert_eq!(lost.len(), RACERS - 1, "round {round}: {:?}", &results[..3]);
        for (_, problem) in lost {
            assert_eq!(problem["code"], "booking-error-taken");
            assert_eq!(problem["title"], "Sorry, that time was just taken.");
            let next = problem["next_open"].as_array().unwrap();
            assert!(!next.is_empty(), "the loser is offered other times");
            assert!(next.iter().all(|t| t.as_str().unwrap() != slot(round).to_string()), "never the taken time");
        }
    }
    assert_eq!(server.store.double_bookings().await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_patients_race_for_one_slot_on_sqlite() {
    race(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_patients_race_for_one_slot_on_postgres() {
    race(Backend::Postgres).await;
}

both_backends! {
    /// Below the application's checks: 64 writers inserting the same time straight into
    /// the store. The database itself lets exactly one through.
    async fn the_database_refuses_overlaps_itself(store: Store) {
        let clinic = clinic::open(&store, 1).await;
        let patient = clinic.patients[0].id;
        for round in 0..20 {
            let start = slot(round);
            let attempts = (0..RACERS).map(|i| {
                let store = store.clone();
                // Half start a quarter hour later: overlapping, not identical.
                let start = start.checked_add(SignedDuration::from_mins(if i % 2 == 0 { 0 } else { 15 })).unwrap();
                let visit = haven_store::NewAppointment {
                    id: haven_domain::AppointmentId::new(),
                    practice: clinic.practice,
                    clinician: clinic.clinician.id,
                    patient,
                    visit_type: clinic.visit,
                    modality: haven_domain::scheduling::Modality::Video,
                    location: None,
                    jurisdiction: Some("US-IL".into()),
                    starts_at: start,
                    ends_at: start.checked_add(SignedDuration::from_mins(30)).unwrap(),
                    blocked_until: start.checked_add(SignedDuration::from_mins(30)).unwrap(),
                    series: None,
                    booked_by: patient,
                };
                async move { store.book_appointments(&[visit], &haven_store::Effects::default(), Timestamp::now()).await }
            });
            let results = join_all(attempts).await;
            let ok = results.iter().filter(|r| r.is_ok()).count();
            let taken = results.iter().filter(|r| matches!(r, Err(StoreError::SlotTaken))).count();
            assert_eq!((ok, taken), (1, RACERS - 1), "round {round}: {results:?}");
        }
        assert_eq!(store.double_bookings().await.unwrap(), 0);
    }
}

async fn problem(b: &Browser, path: &str, body: &Value) -> (StatusCode, String) {
    let response = b.client.post(b.at(path)).json(body).send().await.unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_specific_answers_and_store_nothing() {
    let server = TestServer::start(Backend::Sqlite).await;
    let clinic = clinic::open(&server.store, 2).await;
    let (a, b) = (&clinic.patients[0], &clinic.patients[1]);
    // Bob reads Spanish.
    server.store.set_language(b.id, haven_domain::Language::Es).await.unwrap();
    let alice = signed_in(&server, &a.email, &a.password).await;
    let bob = signed_in(&server, &b.email, &b.password).await;
    let book = |start: Timestamp, f: &dyn Fn(&mut Value)| {
        let mut body = booking(&clinic, start);
        f(&mut body);
        body
    };
    let past = Timestamp::now().checked_sub(SignedDuration::from_hours(1)).unwrap();
    assert_eq!(problem(&alice, "/api/v1/appointments", &book(past, &|_| {})).await, (StatusCode::UNPROCESSABLE_ENTITY, "booking-error-past".into()));
    let unlicensed = book(slot(3), &|b| b["where"] = "US-TX".into());
    assert_eq!(problem(&alice, "/api/v1/appointments", &unlicensed).await.1, "booking-error-unlicensed");
    let nowhere = book(slot(3), &|b| b["where"] = "Atlantis".into());
    assert_eq!(problem(&alice, "/api/v1/appointments", &nowhere).await.1, "booking-error-where");
    let in_person = book(slot(3), &|b| b["modality"] = "in_person".into());
    assert_eq!(problem(&alice, "/api/v1/appointments", &in_person).await.1, "booking-error-modality");
    // Time off over slot 4; hours closed on the day 40 days ahead.
    let off =
        haven_store::TimeOff { id: uuid::Uuid::now_v7(), clinician: clinic.clinician.id, starts_at: slot(4), ends_at: slot(6), label: String::new() };
    server.store.add_time_off(&off, clinic.clinician.id, Timestamp::now()).await.unwrap();
    assert_eq!(problem(&alice, "/api/v1/appointments", &book(slot(4), &|_| {})).await.1, "booking-error-time-off");
    let day = slot(48 * 40 + 20).to_zoned(jiff::tz::TimeZone::get(clinic::ZONE).unwrap()).date().to_string();
    server.store.set_date_hours(clinic.clinician.id, &day, &[]).await.unwrap();
    assert_eq!(problem(&alice, "/api/v1/appointments", &book(slot(48 * 40 + 20), &|_| {})).await.1, "booking-error-outside-hours");
    // A translated answer for Spanish speakers.
    let response = bob.client.post(bob.at("/api/v1/appointments")).json(&book(past, &|_| {})).send().await.unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["title"], "Esa hora ya pasó. Elija una hora futura.");
    assert_eq!(server.store.appointments_of_patient(a.id).await.unwrap().len(), 0, "nothing was stored");

    // Alice books; Bob can neither see nor move nor cancel it, and each try is audited.
    let response = alice.client.post(alice.at("/api/v1/appointments")).json(&book(slot(8), &|_| {})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let denied_before = denied(&server.store, a.id).await;
    assert_eq!(bob.get(&format!("/api/v1/appointments/{id}")).await.status(), StatusCode::NOT_FOUND);
    let moved = serde_json::json!({ "starts_at": slot(10), "sequence": 0 });
    assert_eq!(
        bob.client.post(bob.at(&format!("/api/v1/appointments/{id}/reschedule"))).json(&moved).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(bob.post_form(&format!("/appointments/{id}/cancel"), &[("sequence", "0")]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(denied(&server.store, a.id).await - denied_before, 3, "each attempt on someone else's appointment is audited");

    // A stale change is refused; a current one works. Every change is audited.
    let stale = serde_json::json!({ "starts_at": slot(12), "sequence": 5 });
    assert_eq!(problem(&alice, &format!("/api/v1/appointments/{id}/reschedule"), &stale).await.1, "booking-error-changed");
    let response = alice.client.post(alice.at(&format!("/api/v1/appointments/{id}/reschedule"))).json(&moved).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response =
        alice.client.post(alice.at(&format!("/api/v1/appointments/{id}/cancel"))).json(&serde_json::json!({ "sequence": 1 })).send().await.unwrap();
    let cancelled: Value = response.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    let changes = server
        .store
        .audit_entries(&AuditFilter { patient: Some(a.id), limit: 100, ..AuditFilter::default() })
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.event.category == DataCategory::Appointments && matches!(r.event.action, AuditAction::Create | AuditAction::Update))
        .count();
    assert_eq!(changes, 3, "booked, moved, cancelled");
    // The slot is free again for Bob.
    let response = bob.client.post(bob.at("/api/v1/appointments")).json(&book(slot(10), &|_| {})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}

async fn denied(store: &Store, patient: haven_domain::UserId) -> usize {
    store
        .audit_entries(&AuditFilter { patient: Some(patient), action: Some(AuditAction::AccessDenied), limit: 100, ..AuditFilter::default() })
        .await
        .unwrap()
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_every_api_route() {
    let server = TestServer::start(Backend::Sqlite).await;
    let (status, text) = server.get_text("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let spec: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    let documented: Vec<(String, String)> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| ops.as_object().unwrap().keys().map(move |m| (m.to_uppercase(), path.clone())))
        .collect();
    let routed: Vec<(String, String)> =
        haven_web::route_table().into_iter().filter(|r| r.path.starts_with("/api/")).map(|r| (r.method.to_owned(), r.path.to_owned())).collect();
    for route in &routed {
        assert!(documented.contains(route), "{route:?} is routed but not in openapi.json");
    }
    for op in &documented {
        assert!(routed.contains(op), "{op:?} is documented but not routed");
    }
    // Every schema reference resolves.
    for reference in text.match_indices("#/components/schemas/").map(|(i, _)| &text[i + 21..]) {
        let name: String = reference.chars().take_while(|c| c.is_alphanumeric()).collect();
        assert!(spec["components"]["schemas"].get(&name).is_some(), "unresolved schema {name}");
    }
}

/// Clinicians' photos: uploaded on the settings page, stored as a
/// small JPEG without the camera's data, shown to patients choosing a clinician; anything
/// but a picture is refused with a message, and the photo can be removed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clinician_photos_are_small_clean_jpegs_shown_to_patients() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    let password = |email: &str| accounts.iter().find(|(_, e, _)| e == email).unwrap().2.clone();
    let lee = server.new_browser();
    lee.sign_in("maya.lee@riverbend.example", &password("maya.lee@riverbend.example")).await;
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let form = reqwest::multipart::Form::new().text("clinician", "").part("photo", reqwest::multipart::Part::bytes(bytes).file_name(name));
        lee.client.post(lee.at("/schedule/settings/photo")).multipart(form).send()
    };
    let refused = upload(b"%PDF-1.4 not a picture".to_vec(), "me.jpg").await.unwrap();
    assert!(refused.text().await.unwrap().contains("Choose a PNG or JPEG photo."));

    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(1200, 800, image::Rgb([90, 140, 200])))
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    let saved = upload(png.into_inner(), "me.png").await.unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);

    let lee_id = server.store.user_by_email(&haven_domain::Email::parse("maya.lee@riverbend.example").unwrap()).await.unwrap().unwrap().id;
    let patient = server.new_browser();
    patient.sign_in("jordan@patients.example", &password("jordan@patients.example")).await;
    let (_, find) = patient.get_text("/book").await;
    assert!(find.contains(&format!(r#"<img src="/clinicians/{lee_id}/photo" alt="Photo of Dr. Maya Lee""#)), "the card shows the photo");
    let photo = patient.get(&format!("/clinicians/{lee_id}/photo")).await;
    assert_eq!(photo.headers()["content-type"], "image/jpeg");
    let bytes = photo.bytes().await.unwrap();
    let picture = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg).unwrap();
    assert_eq!((picture.width(), picture.height()), (320, 213), "made small, proportions kept");

    assert_eq!(lee.post_form("/schedule/settings/photo/remove", &[("clinician", "")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(patient.get(&format!("/clinicians/{lee_id}/photo")).await.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}

/// A clinician sees and changes only their own visits and their care team's patients'
/// (admins run the whole calendar). Dr. Lee is not on Ana's care team: Ana's visit with
/// Dr. Ortiz is "not found" to her everywhere, and she can't book for Ana; each attempt is
/// audited with Ana named, and nothing changes.
async fn care_team_bounds_the_calendar(backend: Backend) {
    use haven_domain::scheduling::AppointmentStatus;
    let server = TestServer::start(backend).await;
    let accounts = server.seed_demo().await;
    let password = |email: &str| accounts.iter().find(|(_, e, _)| e == email).unwrap().2.clone();
    let store = &server.store;
    let user = |email: &str| {
        let email = haven_domain::Email::parse(email).unwrap();
        async move { store.user_by_email(&email).await.unwrap().unwrap() }
    };
    let (ana, lee) = (user("ana@patients.example").await, user("maya.lee@riverbend.example").await);
    let visit =
        store.appointments_of_patient(ana.id).await.unwrap().into_iter().find(|a| a.clinician != lee.id).expect("the demo books Ana with Dr. Ortiz");
    let denials = || async {
        store
            .audit_entries(&AuditFilter { patient: Some(ana.id), action: Some(AuditAction::AccessDenied), limit: 1000, ..Default::default() })
            .await
            .unwrap()
            .len()
    };
    let before = denials().await;
    let dr_lee = server.new_browser();
    dr_lee.sign_in("maya.lee@riverbend.example", &password("maya.lee@riverbend.example")).await;

    let (status, page) = dr_lee.get_text(&format!("/appointments/{}", visit.id)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!page.contains("Ana"), "nothing about the visit shows");
    let moved = dr_lee
        .client
        .post(dr_lee.at(&format!("/api/v1/appointments/{}/reschedule", visit.id)))
        .json(&json!({ "starts_at": visit.starts_at, "sequence": visit.sequence }))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), StatusCode::NOT_FOUND);
    assert_eq!(moved.headers()["content-type"], "application/problem+json");
    let cancelled = dr_lee.post_form(&format!("/appointments/{}/cancel", visit.id), &[("sequence", &visit.sequence.to_string())]).await;
    assert_eq!(cancelled.status(), StatusCode::NOT_FOUND);
    let unchanged = store.appointment(visit.id).await.unwrap().unwrap();
    assert_eq!((unchanged.status, unchanged.starts_at, unchanged.sequence), (AppointmentStatus::Booked, visit.starts_at, visit.sequence));

    // Booking for Ana: her own visit types with Dr. Lee, on the staff form and the API.
    let lee_visit =
        store.visit_types_of(lee.id).await.unwrap().into_iter().find(|v| v.modalities.contains(&haven_domain::scheduling::Modality::Video)).unwrap();
    let start = Timestamp::now().checked_add(SignedDuration::from_hours(24 * 9)).unwrap();
    let local = start.to_zoned(jiff::tz::TimeZone::get("America/Chicago").unwrap());
    let form = [
        ("patient", ana.id.to_string()),
        ("visit_type", lee_visit.id.to_string()),
        ("modality", "video".to_owned()),
        ("where", "US-NY".to_owned()),
        ("date", local.date().to_string()),
        ("time", "10:00".to_owned()),
        ("repeat", "0".to_owned()),
        ("confirm", "1".to_owned()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let booked = dr_lee.post_form("/schedule/book", &form).await;
    assert_eq!(booked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(booked.text().await.unwrap().contains("patient"), "told the patient is unknown to her");
    let api = dr_lee
        .client
        .post(dr_lee.at("/api/v1/appointments"))
        .json(
            &json!({ "clinician": lee.id, "visit_type": lee_visit.id, "modality": "video", "where": "US-NY", "starts_at": start, "patient": ana.id }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api.json::<Value>().await.unwrap()["code"], "booking-error-unknown-patient");
    assert!(store.appointments_of_patient(ana.id).await.unwrap().iter().all(|a| a.clinician != lee.id), "nothing booked for Ana with Dr. Lee");
    assert_eq!(denials().await - before, 5, "each attempt is on record, naming Ana");

    // Her care team's clinician and the front desk see the visit.
    for email in ["samuel.ortiz@riverbend.example", "admin@riverbend.example"] {
        let browser = server.new_browser();
        browser.sign_in(email, &password(email)).await;
        assert_eq!(browser.get(&format!("/appointments/{}", visit.id)).await.status(), StatusCode::OK, "{email}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_care_team_bounds_the_calendar_on_sqlite() {
    care_team_bounds_the_calendar(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_care_team_bounds_the_calendar_on_postgres() {
    care_team_bounds_the_calendar(Backend::Postgres).await;
}

/// A practice words its kinds of visit and its clinicians' bios in both languages; a
/// Spanish reader sees the Spanish, an English reader the English, and a name left
/// untranslated shows in English rather than not at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn practice_words_are_shown_in_the_readers_language() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    let password = |email: &str| accounts.iter().find(|(_, e, _)| e == email).unwrap().2.clone();
    let lee_email = "maya.lee@riverbend.example";
    let lee = server.new_browser();
    lee.sign_in(lee_email, &password(lee_email)).await;
    let added = lee
        .post_form(
            "/schedule/settings/visit-types",
            &[("clinician", ""), ("name", "Couples session"), ("name_es", "Sesión de pareja"), ("minutes", "50"), ("modality", "video")],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let untranslated =
        lee.post_form("/schedule/settings/visit-types", &[("clinician", ""), ("name", "Check-in"), ("minutes", "15"), ("modality", "phone")]).await;
    assert_eq!(untranslated.status(), StatusCode::SEE_OTHER);

    let lee_id = server.store.user_by_email(&haven_domain::Email::parse(lee_email).unwrap()).await.unwrap().unwrap().id;
    let jordan_email = "jordan@patients.example";
    let jordan_id = server.store.user_by_email(&haven_domain::Email::parse(jordan_email).unwrap()).await.unwrap().unwrap().id;
    server.store.set_language(jordan_id, haven_domain::Language::Es).await.unwrap();
    let jordan = signed_in(&server, jordan_email, &password(jordan_email)).await;
    let (_, cards) = jordan.get_text("/book").await;
    assert!(cards.contains("Ayudo a adultos con ansiedad"), "the Spanish bio");
    assert!(!cards.contains("I help adults with anxiety"));
    let (_, pick) = jordan.get_text(&format!("/book/{lee_id}")).await;
    for name in ["Primera consulta", "Sesión de pareja", "Check-in"] {
        assert!(pick.contains(name), "{name} offered in Spanish (or, untranslated, in English)");
    }
    assert!(!pick.contains("Couples session") && !pick.contains(">Intake"));

    let ana_email = "ana@patients.example";
    let ana_id = server.store.user_by_email(&haven_domain::Email::parse(ana_email).unwrap()).await.unwrap().unwrap().id;
    server.store.set_language(ana_id, haven_domain::Language::En).await.unwrap();
    let ana = signed_in(&server, ana_email, &password(ana_email)).await;
    let (_, english) = ana.get_text(&format!("/book/{lee_id}")).await;
    assert!(english.contains("Couples session") && !english.contains("Sesión de pareja"));
    server.stop().await;
}
