//! The authorization matrix: every route of the router × every kind of person, compared
//! with the checked-in table `authz_matrix.txt`. A route missing from the table fails, so a
//! new route can't land without a declared, reviewed policy.

use std::collections::BTreeMap;

use haven_crypto::{HashCost, PasswordHasher};
use haven_domain::{AppointmentId, AttachmentId, MessageId, Role, ThreadId, UserId, VisitTypeId};
use reqwest::StatusCode;

use crate::support::server::Browser;
use crate::support::{Backend, TestServer};

const PEOPLE: [&str; 8] =
    ["anonymous", "patient-a", "patient-b", "clinician-assigned", "clinician-unassigned", "admin", "admin-other-practice", "deactivated"];

fn expected() -> BTreeMap<(String, String), Vec<String>> {
    let text = include_str!("authz_matrix.txt");
    let mut rows = BTreeMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let cells: Vec<_> = line.split_whitespace().collect();
        assert_eq!(cells.len(), 2 + PEOPLE.len(), "malformed matrix row: {line}");
        let outcomes = cells[2..].iter().map(|c| (*c).to_owned()).collect();
        assert!(rows.insert((cells[0].to_owned(), cells[1].to_owned()), outcomes).is_none(), "duplicate row: {line}");
    }
    rows
}

async fn patient_entries(store: &haven_store::Store, patient: UserId) -> usize {
    let filter = haven_store::AuditFilter { patient: Some(patient), limit: 100_000, ..haven_store::AuditFilter::default() };
    store.audit_entries(&filter).await.unwrap().len()
}

/// The things scoped routes are about: patient A's appointment with the assigned clinician,
/// A's message thread and a file in it, and the assigned clinician.
struct Things {
    patient: UserId,
    appointment: AppointmentId,
    thread: ThreadId,
    attachment: AttachmentId,
    clinician: UserId,
    /// A's open GAD-7 check-in, and a risk signal from A's answers.
    check_in: uuid::Uuid,
    signal: uuid::Uuid,
    response: uuid::Uuid,
}

impl Things {
    fn fill(&self, path: &str) -> String {
        path.replace("{id}", &self.patient.to_string())
            .replace("{appointment}", &self.appointment.to_string())
            .replace("{thread}", &self.thread.to_string())
            .replace("{attachment}", &self.attachment.to_string())
            .replace("{clinician}", &self.clinician.to_string())
            .replace("{request}", &self.check_in.to_string())
            .replace("{signal}", &self.signal.to_string())
            .replace("{response}", &self.response.to_string())
            .replace("{file}", "not-an-asset.css")
            .replace("{token}", "not-a-token")
            .replace("{slug}", "riverbend")
            .replace("{questionnaire}", "phq9")
            // An invitation nobody sent: admins get "not found", everyone else the policy's answer.
            .replace("{invitation}", "01a231dc-0000-7000-8000-000000000000")
    }
}

/// Routes about one thing: a 404 from them means the thing is outside the person's scope.
/// `/metrics` answers 404 to everyone on the public listener unless a scrape token is set.
fn scoped(path: &str) -> bool {
    path == "/metrics" || ["{appointment}", "{thread}", "{clinician}", "{request}", "{signal}", "{response}"].iter().any(|p| path.contains(p))
}

async fn outcome(browser: &Browser, method: &str, route: &str, path: &str, n: usize, clinician: UserId) -> String {
    let url = browser.at(path);
    // One body that every form route can read, so each handler runs past its parsing.
    let email = format!("matrix-{n}@example.org");
    let clinician = clinician.to_string();
    let mut form = vec![
        ("lang", "en"),
        ("name", "Matrix Test"),
        ("email", email.as_str()),
        ("role", "patient"),
        ("language", "en"),
        ("password", "not the password"),
        ("confirm", "not the password"),
        ("active", "true"),
    ];
    if route.ends_with("/care-team") {
        // The assigned clinician, who is on the team already: a change that changes nothing.
        form.push(("clinician", clinician.as_str()));
    }
    let request = match method {
        "GET" => browser.client.get(url),
        "POST" => browser.client.post(url).form(&form),
        other => panic!("the matrix test doesn't know how to send {other}"),
    };
    let response = request.send().await.unwrap();
    let status = response.status();
    assert!(!status.is_server_error(), "{method} {path}: {status}");
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    // Scripts and sockets are told to sign in with a bare 401 rather than a redirect.
    let programmatic = path == "/ws" || path == "/session/keep-alive" || path.starts_with("/api/") || path.starts_with("/fhir/");
    if (status == StatusCode::SEE_OTHER && location == "/sign-in") || (programmatic && status == StatusCode::UNAUTHORIZED) {
        "signin".into()
    } else if status == StatusCode::FORBIDDEN {
        "forbidden".into()
    } else if status == StatusCode::NOT_FOUND && scoped(route) {
        "hidden".into()
    } else {
        "allow".into()
    }
}

/// A visit for patient A with the assigned clinician, starting in half an hour (its room is
/// open), a message with a file in A's thread, and the clinician's profile and photo.
async fn things(server: &TestServer, patient: UserId, clinician: UserId, practice: haven_domain::PracticeId) -> Things {
    use haven_domain::scheduling::{Jurisdiction, Modality};
    use haven_store::{ClinicianProfile, Effects, NewAppointment, NewAttachment, NewMessage, VisitType};
    let store = &server.store;
    let now = jiff::Timestamp::now();
    let profile = ClinicianProfile {
        user: clinician,
        practice,
        name: String::new(),
        credentials: "LCSW".into(),
        bio: haven_domain::Bilingual::default(),
        languages: vec!["en".into()],
        specialties: Vec::new(),
        licenses: Jurisdiction::parse_list("US-IL"),
        time_zone: "America/Chicago".into(),
        buffer_minutes: 0,
        min_notice_minutes: 0,
        max_ahead_days: 60,
        accepting: true,
    };
    store.save_clinician_profile(&profile, now).await.unwrap();
    assert!(store.set_clinician_photo(clinician, Some(b"a small jpeg")).await.unwrap());
    let visit = VisitType {
        id: VisitTypeId::new(),
        clinician,
        name: haven_domain::Bilingual::new("Therapy", "Terapia"),
        minutes: 50,
        modalities: vec![Modality::Video],
        location: None,
        active: true,
    };
    store.add_visit_type(&visit, now).await.unwrap();
    let starts_at = now.checked_add(jiff::SignedDuration::from_mins(30)).unwrap();
    let ends_at = starts_at.checked_add(jiff::SignedDuration::from_mins(50)).unwrap();
    let appointment = AppointmentId::new();
    let new = NewAppointment {
        id: appointment,
        practice,
        clinician,
        patient,
        visit_type: visit.id,
        modality: Modality::Video,
        location: None,
        jurisdiction: Some("US-IL".into()),
        starts_at,
        ends_at,
        blocked_until: ends_at,
        series: None,
        booked_by: patient,
    };
    store.book_appointments(&[new], &Effects::default(), now).await.unwrap();
    let thread = store.thread_of(practice, patient, now).await.unwrap().id;
    let (message, attachment) = (MessageId::new(), AttachmentId::new());
    let cx = &server.app().cx;
    let file = NewAttachment {
        id: attachment,
        name: "plan.pdf".into(),
        content_type: "application/pdf".into(),
        size: 9,
        sealed: cx.seal(&format!("attachments.data:{attachment}"), b"%PDF-1.4\n"),
    };
    let sent = NewMessage {
        id: message,
        thread,
        sender: patient,
        client_id: "matrix-file".into(),
        sealed_body: cx.seal(&format!("messages.body:{message}"), b"a file"),
        automatic: false,
        attachment: Some(file),
    };
    store.send_message(&sent, &[], &[], now).await.unwrap();
    let (assignment, check_in) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let new = haven_store::NewAssignment {
        id: assignment,
        practice,
        patient,
        instrument: "gad7".into(),
        assigned_by: clinician,
        schedule: r#"{"cadence":{"kind":"once"},"starts":"2026-01-01T00:00:00Z"}"#.into(),
        next_due_at: None,
    };
    let request = haven_store::NewRequest {
        id: check_in,
        assignment: Some(assignment),
        practice,
        patient,
        instrument: "gad7".into(),
        requested_by: clinician,
        due_at: now,
        expires_at: now.checked_add(jiff::SignedDuration::from_hours(96)).unwrap(),
        visit: None,
    };
    store.add_assignment(&new, Some(&request), &Effects::default(), now).await.unwrap();
    let (response, signal) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let answered = haven_store::NewResponse {
        id: response,
        request: None,
        practice,
        patient,
        instrument: "phq9".into(),
        version: 1,
        answered_by: patient,
        in_session: false,
        total: Some(9),
        band: Some("mild".into()),
        risk: None,
        sealed_answers: cx.seal(&format!("measure_responses.answers:{response}"), b"{}"),
        completed_at: now,
    };
    store.save_response(&answered, Some(&haven_store::NewSignal { id: signal, level: "high".into() }), &Effects::default(), now).await.unwrap();
    Things { patient, appointment, thread, attachment, clinician, check_in, signal, response }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_person_as_the_matrix_says() {
    let server = TestServer::start(Backend::Sqlite).await;
    let hasher = PasswordHasher::new(HashCost::MINIMUM).unwrap();
    let store = &server.store;
    haven::admin::create_practice(store, "riverbend", "Riverbend").await.unwrap();
    haven::admin::create_practice(store, "hillside", "Hillside").await.unwrap();
    let person = |who: &str| {
        let (practice, role) = match who {
            "patient-a" | "patient-b" | "deactivated" => ("riverbend", Role::Patient),
            "clinician-assigned" | "clinician-unassigned" => ("riverbend", Role::Clinician),
            "admin" => ("riverbend", Role::Admin),
            _ => ("hillside", Role::Admin),
        };
        haven::admin::NewAccount {
            email: format!("{who}@example.org"),
            name: who.to_owned(),
            practice: practice.to_owned(),
            roles: vec![role],
            language: haven_domain::Language::En,
            password: None,
        }
    };

    let matrix = expected();
    let mut table = haven_web::route_table();
    let listed: Vec<_> = table.iter().map(|r| (r.method.to_owned(), r.path.to_owned())).collect();
    for route in &listed {
        assert!(matrix.contains_key(route), "{} {} is missing from authz_matrix.txt: declare who may use it", route.0, route.1);
    }
    for row in matrix.keys() {
        assert!(listed.contains(row), "authz_matrix.txt lists {} {}, which the router doesn't have", row.0, row.1);
    }
    // The routes that sign people out go last, so each stays signed in for the others.
    table.sort_by_key(|r| match r.path {
        "/sign-out" => 2,
        "/account/sessions/end-all" => 1,
        _ => 0,
    });

    // Everyone exists first: patient A has the assigned clinician on their care team.
    let mut signed_in = Vec::new();
    let mut patient_a = None;
    for who in PEOPLE {
        if who == "anonymous" {
            signed_in.push((who, None, None));
            continue;
        }
        let (id, password) = haven::admin::create_user(store, &hasher, person(who)).await.unwrap();
        if who == "patient-a" {
            patient_a = Some(id);
        }
        signed_in.push((who, Some(id), Some(password)));
    }
    let patient_a = patient_a.unwrap();
    let riverbend = store.practice_by_slug("riverbend").await.unwrap().unwrap().id;
    let assigned = signed_in.iter().find(|(w, _, _)| *w == "clinician-assigned").unwrap().1.unwrap();
    store.assign_care_team(riverbend, patient_a, assigned, jiff::Timestamp::now()).await.unwrap();
    let things = things(&server, patient_a, assigned, riverbend).await;

    let mut mismatches = Vec::new();
    for (column, (who, id, password)) in signed_in.iter().enumerate() {
        let browser = server.new_browser();
        if let (Some(id), Some(password)) = (id, password) {
            browser.sign_in(&format!("{who}@example.org"), password).await;
            if *who == "deactivated" {
                store.set_active(*id, false).await.unwrap();
            }
        }
        for route in &table {
            let path = things.fill(route.path);
            let before = patient_entries(store, patient_a).await;
            if route.path == "/clinicians/{clinician}/photo" {
                // An earlier row (the clinician removing their photo) may have taken it away.
                assert!(store.set_clinician_photo(things.clinician, Some(b"a small jpeg")).await.unwrap());
            }
            let got = outcome(&browser, route.method, route.path, &path, column, things.clinician).await;
            let want = &matrix[&(route.method.to_owned(), route.path.to_owned())][column];
            if &got != want {
                mismatches.push(format!("{} {} as {who}: expected {want}, got {got}", route.method, route.path));
            }
            // Every request that reaches a patient's data, or is refused it, leaves exactly
            // one audit entry naming the patient. (Asking for break-glass while already on
            // the care team touches nothing and records nothing.)
            let written = patient_entries(store, patient_a).await - before;
            if route.path.contains("{id}") && got != "signin" {
                let expected = usize::from(!(route.path.ends_with("break-glass") && got == "allow"));
                if written != expected {
                    mismatches.push(format!("{} {} as {who}: {written} audit entries, expected {expected}", route.method, route.path));
                }
            }
            // Opening one of the patient's things is on record once, not once per layer.
            if route.method == "GET" && (route.path.contains("{appointment}") || route.path.contains("{thread}")) && got == "allow" && written > 1 {
                mismatches.push(format!("{} {} as {who}: {written} audit entries for one view, expected at most 1", route.method, route.path));
            }
            // A refusal of one of the patient's things is on record, once, naming them.
            if (route.path.contains("{appointment}") || route.path.contains("{thread}")) && (got == "hidden" || got == "forbidden") && written != 1 {
                mismatches
                    .push(format!("{} {} as {who}: refused with {written} audit entries naming the patient, expected 1", route.method, route.path));
            }
        }
    }
    assert!(mismatches.is_empty(), "authorization differs from the matrix:\n{}", mismatches.join("\n"));
}
