//! Check-ins between visits, through the real pages: a clinician sends a PHQ-9, the
//! patient answers it (refused while incomplete, each missing question named), and a
//! question-9 answer above "not at all" stores its risk signal with the answers, shows the
//! patient the crisis lines and puts the patient at the top of the care team's start page.

use haven_domain::audit::{AuditAction, DataCategory};
use haven_domain::{Email, UserId};
use haven_store::{AuditFilter, Store};
use reqwest::StatusCode;

use crate::support::server::Browser;
use crate::support::{Backend, TestServer};

async fn user(store: &Store, email: &str) -> UserId {
    store.user_by_email(&Email::parse(email).unwrap()).await.unwrap().unwrap().id
}

async fn signed_in(server: &TestServer, accounts: &[(String, String, String)], email: &str) -> Browser {
    let password = &accounts.iter().find(|(_, e, _)| e == email).unwrap().2;
    let b = server.new_browser();
    b.sign_in(email, password).await;
    b
}

/// The first `/check-ins/<id>` link on a page whose text contains `label`.
fn check_in_link(home: &str, label: &str) -> String {
    let at = home.find(label).unwrap_or_else(|| panic!("{label} on the start page:\n{home}"));
    let before = &home[..at];
    let start = before.rfind("/check-ins/").expect("a check-in link");
    before[start..].split('"').next().unwrap().to_owned()
}

async fn item_9_raises_a_signal(backend: Backend) {
    let server = TestServer::start(backend).await;
    let accounts = server.seed_demo().await;
    server.seed_demo_measures().await;
    let store = &server.store;
    let jordan = user(store, "jordan@patients.example").await;
    let lee = signed_in(&server, &accounts, "maya.lee@riverbend.example").await;
    let sent = lee.post_form(&format!("/patients/{jordan}/measures"), &[("instrument", "phq9"), ("cadence", "once")]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let bad = lee.post_form(&format!("/patients/{jordan}/measures"), &[("instrument", "phq9"), ("cadence", "weekly"), ("weeks", "40")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("Choose every 1 to 12 weeks"));

    let patient = signed_in(&server, &accounts, "jordan@patients.example").await;
    let (_, home) = patient.get_text("/home").await;
    let link = check_in_link(&home, "PHQ-9 from Dr. Maya Lee");
    let (status, form) = patient.get_text(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Little interest or pleasure in doing things"), "the published item text");
    assert_eq!(form.matches("<fieldset").count(), 10, "a fieldset per question");
    // What a phone downloads for the questionnaire, compressed: the page and what it links
    // (the style sheet, the session script), at most 30 KB.
    let assets: Vec<String> = form.split("\"/static/").skip(1).filter_map(|s| s.split('"').next()).map(|s| format!("/static/{s}")).collect();
    let mut bytes = 0;
    for path in std::iter::once(link.clone()).chain(assets) {
        let r = patient.client.get(patient.at(&path)).header("accept-encoding", "br, gzip").send().await.unwrap();
        bytes += r.bytes().await.unwrap().len();
    }
    println!("PHQ-9 page with its style sheet and scripts: {bytes} bytes compressed");
    assert!(bytes <= 30 * 1024, "{bytes} bytes");

    let before = store.responses_of(jordan).await.unwrap().len();
    let mut answers: Vec<(String, String)> = (1..=9).filter(|i| *i != 4 && *i != 7).map(|i| (format!("item-{i}"), "1".to_owned())).collect();
    let as_refs = |a: &[(String, String)]| a.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>();
    let incomplete =
        patient.client.post(patient.at(&link)).headers(crate::support::server::same_origin()).form(&as_refs(&answers)).send().await.unwrap();
    assert_eq!(incomplete.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = incomplete.text().await.unwrap();
    assert!(text.contains("Answer question 4.") && text.contains("Answer question 7."), "each missing question named");
    assert!(text.contains(r#"value="1" checked"#), "answers given stay chosen");
    assert_eq!(store.responses_of(jordan).await.unwrap().len(), before, "nothing stored");

    answers.push(("item-4".into(), "1".into()));
    answers.push(("item-7".into(), "0".into()));
    answers.retain(|(k, _)| k != "item-9");
    answers.push(("item-9".into(), "1".into()));
    let done = patient.client.post(patient.at(&link)).headers(crate::support::server::same_origin()).form(&as_refs(&answers)).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    let text = done.text().await.unwrap();
    assert!(text.contains("Thank you for telling us") && text.contains("988"), "the calm page with the crisis lines:\n{text}");
    assert!(text.contains("Dr. Maya Lee and your care team will be told today"));

    let responses = store.responses_of(jordan).await.unwrap();
    assert_eq!(responses.len(), before + 1);
    let stored = responses.iter().rev().find(|r| r.instrument == "phq9").unwrap();
    assert_eq!((stored.total, stored.band.as_deref()), (Some(8), Some("mild")));
    let lee_id = user(store, "maya.lee@riverbend.example").await;
    let signals = store.open_signals_for(lee_id).await.unwrap();
    assert!(signals.iter().any(|s| s.patient == jordan && s.level == "high" && s.instrument == "phq9"), "{signals:?}");

    // Answered already: a second send is "not found" and stores nothing.
    let again = patient.client.post(patient.at(&link)).headers(crate::support::server::same_origin()).form(&as_refs(&answers)).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    assert_eq!(store.responses_of(jordan).await.unwrap().len(), before + 1);

    let (_, lee_home) = lee.get_text("/home").await;
    let panel = &lee_home[lee_home.find("Needs a look today").expect("the signals panel")..];
    assert!(panel.contains("Jordan Rivera") && panel.contains("PHQ-9: thoughts of self-harm"), "{panel}");
    assert!(lee_home.find("Needs a look today").unwrap() < lee_home.find("Your patients").unwrap(), "above everything else on the page");

    let created = store
        .audit_entries(&AuditFilter { patient: Some(jordan), limit: 10_000, ..AuditFilter::default() })
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event.action == AuditAction::Create && e.event.category == DataCategory::Clinical && e.event.actor == Some(jordan))
        .count();
    assert!(created >= 1, "the answers are audited as the patient's");

    // Reviewing takes it off the list, audited.
    let signal = signals.iter().find(|s| s.patient == jordan && s.instrument == "phq9").unwrap();
    assert_eq!(lee.post_form(&format!("/risk-signals/{}/review", signal.id), &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(!store.open_signals_for(lee_id).await.unwrap().iter().any(|s| s.id == signal.id));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn item_9_raises_a_signal_on_sqlite() {
    item_9_raises_a_signal(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn item_9_raises_a_signal_on_postgres() {
    item_9_raises_a_signal(Backend::Postgres).await;
}

/// The chart draws the demo's twelve weeks of PHQ-9 as a trend with its table, the one
/// reliable worsening and the reliable improvement marked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chart_shows_trends_with_their_data() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    server.seed_demo_measures().await;
    let jordan = user(&server.store, "jordan@patients.example").await;
    let lee = signed_in(&server, &accounts, "maya.lee@riverbend.example").await;
    let (status, chart) = lee.get_text(&format!("/patients/{jordan}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(chart.matches(r#"<svg class="trend""#).count(), 2, "PHQ-9 and GAD-7");
    assert_eq!(chart.matches("Reliably worse").count(), 2, "one worsening in each");
    assert!(chart.contains("Reliably better"));
    assert!(chart.contains("<caption>PHQ-9 scores</caption>"));

    // The start page's "to review": each patient's latest score per instrument, the more
    // severe first (Casey's moderate PHQ-9 above Jordan's minimal ones); reviewing one
    // takes it off.
    let (_, home) = lee.get_text("/home").await;
    let list = &home[home.find("Check-in scores to review").expect("the list")..];
    let list = &list[..list.find("</ul>").unwrap()];
    assert_eq!(list.matches("<li>").count(), 3, "{list}");
    let casey = list.find("Casey Kim · PHQ-9 14 (Moderate)").expect("Casey's score");
    assert!(casey < list.find("Jordan Rivera · PHQ-9 4 (Minimal)").unwrap() && casey < list.find("Jordan Rivera · GAD-7 4").unwrap());
    // Each item's "reviewed" button follows its link.
    let at = list[casey..].find("/check-in-results/").unwrap() + casey;
    let action = list[at..].split('"').next().unwrap().to_owned();
    assert_eq!(lee.post_form(&action, &[]).await.status(), StatusCode::SEE_OTHER);
    let (_, home) = lee.get_text("/home").await;
    assert!(!home.contains("Casey Kim · PHQ-9 14"), "reviewed, off the list");

    // Jordan sees the same weeks in plain words; with the practice's threshold at 5 the
    // marks move; and a practice that shares results in visits only shows none.
    let patient = signed_in(&server, &accounts, "jordan@patients.example").await;
    let (status, mine) = patient.get_text("/results").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(mine.matches("Your score has improved a lot since you started.").count(), 2);
    assert!(mine.contains("Lower is better.") && !mine.to_lowercase().contains("risk"));
    let admin = signed_in(&server, &accounts, "admin@riverbend.example").await;
    let saved = admin.post_form("/admin/measures", &[("phq9_reliable", "5")]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let (_, chart) = lee.get_text(&format!("/patients/{jordan}")).await;
    assert_eq!(chart.matches("Reliably better").count(), 9, "PHQ-9 from 7 (5 points) on, with GAD-7's five");
    let (_, hidden) = patient.get_text("/results").await;
    assert!(hidden.contains("goes over your check-in results with you in your visits") && !hidden.contains("<svg"));
    server.stop().await;
}

/// The answers reach one instance; Dr. Lee's start page is open on another (PostgreSQL),
/// or on the same one (SQLite): it is woken at once, with no names on the socket.
async fn signals_wake_the_care_team(backend: Backend) {
    use crate::live::{connect, next_text, sign_in_cookie};
    let first = TestServer::start(backend).await;
    let accounts = first.seed_demo().await;
    let second = if backend == Backend::Postgres { Some(first.second_instance().await) } else { None };
    let watching = second.as_ref().unwrap_or(&first);
    let password = |email: &str| accounts.iter().find(|(_, e, _)| e == email).unwrap().2.clone();
    let lee_email = "maya.lee@riverbend.example";
    let cookie = sign_in_cookie(watching, lee_email, &password(lee_email)).await;
    let mut socket = connect(&watching.url, Some(&cookie), Some(&watching.url)).await.unwrap();
    assert_eq!(next_text(&mut socket).await["type"], "ready");
    use futures_util::SinkExt as _;
    socket.send(tokio_tungstenite::tungstenite::Message::Text(r#"{"type":"signals-follow"}"#.into())).await.unwrap();
    assert_eq!(next_text(&mut socket).await["type"], "signals-following");

    let jordan = user(&first.store, "jordan@patients.example").await;
    let lee = signed_in(&first, &accounts, lee_email).await;
    lee.post_form(&format!("/patients/{jordan}/measures"), &[("instrument", "phq9"), ("cadence", "once")]).await;
    let patient = signed_in(&first, &accounts, "jordan@patients.example").await;
    let (_, home) = patient.get_text("/home").await;
    let link = check_in_link(&home, "PHQ-9 from Dr. Maya Lee");
    let answers: Vec<(String, String)> = (1..=9).map(|i| (format!("item-{i}"), "1".to_owned())).collect();
    let started = std::time::Instant::now();
    let done = patient.client.post(patient.at(&link)).headers(crate::support::server::same_origin()).form(&answers).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    let frame = next_text(&mut socket).await;
    assert_eq!(frame, serde_json::json!({ "type": "signals-changed" }), "a wake-up, nothing more");
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "at once ({:?})", started.elapsed());

    // A patient can't follow signals.
    let casey = sign_in_cookie(watching, "casey@patients.example", &password("casey@patients.example")).await;
    let mut theirs = connect(&watching.url, Some(&casey), Some(&watching.url)).await.unwrap();
    assert_eq!(next_text(&mut theirs).await["type"], "ready");
    theirs.send(tokio_tungstenite::tungstenite::Message::Text(r#"{"type":"signals-follow"}"#.into())).await.unwrap();
    assert_eq!(next_text(&mut theirs).await["code"], "forbidden");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signals_wake_the_care_team_on_sqlite() {
    signals_wake_the_care_team(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signals_wake_the_care_team_across_two_instances_on_postgres() {
    signals_wake_the_care_team(Backend::Postgres).await;
}

/// The check-in mail's link opens only that questionnaire, without sign-in and without a
/// name; it works until the answers are sent (once), a reminder two days on carries the
/// same link, and an unanswered check-in's link stops working when it closes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emailed_link_works_once_and_expires() {
    use haven_domain::ManualClock;
    use jiff::{SignedDuration, Timestamp};
    let clock = ManualClock::new(Timestamp::now());
    let (server, sink) = TestServer::with_smtp(Backend::Sqlite, Some(clock.clone())).await;
    let accounts = server.seed_demo().await;
    let jordan = user(&server.store, "jordan@patients.example").await;
    let lee = signed_in(&server, &accounts, "maya.lee@riverbend.example").await;
    for instrument in ["gad7", "phq9"] {
        lee.post_form(&format!("/patients/{jordan}/measures"), &[("instrument", instrument), ("cadence", "once")]).await;
    }
    let mails = sink.wait_for(2).await;
    let checkins: Vec<_> = mails.iter().filter(|m| m.subject() == "A short check-in from your care team").collect();
    assert_eq!(checkins.len(), 2, "{:?}", mails.iter().map(crate::support::smtp::ReceivedMail::subject).collect::<Vec<_>>());
    assert!(checkins.iter().all(|m| !m.text().contains("PHQ") && !m.text().contains("GAD")), "no instrument named in mail");
    let links: Vec<String> = checkins.iter().map(|m| m.link(&format!("{}/c/", server.url)).expect("a link")).collect();

    // Opened by anyone holding it: no sign-in, no name, audited as a read of Jordan's record.
    let stranger = crate::support::server::client();
    let page = stranger.get(&links[0]).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let text = page.text().await.unwrap();
    assert!(text.contains("<fieldset") && !text.contains("Jordan") && !text.contains("Maya Lee"), "only the questionnaire");
    let reads = server
        .store
        .audit_entries(&AuditFilter { patient: Some(jordan), limit: 10_000, ..AuditFilter::default() })
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event.action == AuditAction::Read && e.event.actor.is_none())
        .count();
    assert_eq!(reads, 1);

    // Which of the two is the GAD-7 (7 questions) decides the answers.
    let questions = text.matches("<fieldset").count();
    let answers: Vec<(String, String)> = (1..=questions.min(9)).map(|i| (format!("item-{i}"), "0".to_owned())).collect();
    let sent = stranger.post(&links[0]).headers(crate::support::server::same_origin()).form(&answers).send().await.unwrap();
    assert_eq!(sent.status(), StatusCode::OK);
    let thanks = sent.text().await.unwrap();
    assert!(thanks.contains("Your answers are with your care team") && !thanks.contains("Maya Lee"), "{thanks}");
    assert_eq!(stranger.get(&links[0]).send().await.unwrap().status(), StatusCode::NOT_FOUND, "used once");
    assert_eq!(
        stranger.post(&links[0]).headers(crate::support::server::same_origin()).form(&answers).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let dead = stranger.get(format!("{}/c/not-a-token", server.url)).send().await.unwrap();
    assert_eq!(dead.status(), StatusCode::NOT_FOUND);
    assert!(dead.text().await.unwrap().contains("This check-in link no longer works"), "a dead link says what happened and where to go");

    // Two days on, the one still open is reminded, with the same link; the answered one isn't.
    clock.advance(SignedDuration::from_hours(49));
    let mails = sink.wait_for(3).await;
    let reminders: Vec<_> = mails.iter().filter(|m| m.subject() == "Reminder: your check-in is still open").collect();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].link(&format!("{}/c/", server.url)).unwrap(), links[1]);
    assert_eq!(stranger.get(&links[1]).send().await.unwrap().status(), StatusCode::OK);

    // Four days after it was due, it closes and its link with it.
    clock.advance(SignedDuration::from_hours(48));
    assert_eq!(stranger.get(&links[1]).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    server.stop().await;
}

/// FHIR R4: the chart's access rules and audit; a patient posts the answers to what is due
/// for them, scored like the form; posting for someone else, or for nothing due, is
/// refused and audited. (The resources are validated against the R4 definitions in the
/// browser suite, with the `fhir` package.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fhir_resources_follow_the_charts_rules() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    server.seed_demo_measures().await;
    let store = &server.store;
    let (jordan, casey) = (user(store, "jordan@patients.example").await, user(store, "casey@patients.example").await);
    let get = |b: &Browser, path: String| {
        let request = b.client.get(b.at(&path)).send();
        async move {
            let r = request.await.unwrap();
            let status = r.status();
            assert_eq!(r.headers()["content-type"], "application/fhir+json");
            (status, r.json::<serde_json::Value>().await.unwrap())
        }
    };
    let lee = signed_in(&server, &accounts, "maya.lee@riverbend.example").await;
    let (status, bundle) = get(&lee, format!("/fhir/R4/QuestionnaireResponse?patient={jordan}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((bundle["type"].as_str(), bundle["total"].as_u64()), (Some("searchset"), Some(24)));
    let (_, observations) = get(&lee, format!("/fhir/R4/Observation?patient={jordan}")).await;
    let phq9: Vec<_> = observations["entry"].as_array().unwrap().iter().filter(|e| e["resource"]["code"]["coding"][0]["code"] == "44261-6").collect();
    assert_eq!(phq9.len(), 12);
    assert_eq!(phq9[0]["resource"]["category"][0]["coding"][0]["code"], "survey");
    assert!(phq9[0]["resource"]["derivedFrom"][0]["reference"].as_str().unwrap().starts_with("QuestionnaireResponse/"));
    assert_eq!(phq9[0]["resource"]["subject"]["reference"], format!("Patient/{jordan}"));
    let (_, q) = get(&lee, "/fhir/R4/Questionnaire/gad7".into()).await;
    assert_eq!(q["code"][0]["code"], "69737-5");

    // Outside the care team: not found, and the attempt is in Casey's access log.
    let ortiz = signed_in(&server, &accounts, "samuel.ortiz@riverbend.example").await;
    let denied_before = denied_count(store, casey).await;
    let (status, outcome) = get(&ortiz, format!("/fhir/R4/Observation?patient={casey}")).await;
    assert_eq!((status, outcome["resourceType"].as_str()), (StatusCode::NOT_FOUND, Some("OperationOutcome")));
    assert_eq!(denied_count(store, casey).await, denied_before + 1);

    let patient = signed_in(&server, &accounts, "jordan@patients.example").await;
    let (status, own) = get(&patient, format!("/fhir/R4/Observation?patient={jordan}")).await;
    assert_eq!((status, own["total"].as_u64()), (StatusCode::OK, Some(24)));
    let post = |body: serde_json::Value| {
        patient
            .client
            .post(patient.at("/fhir/R4/QuestionnaireResponse"))
            .header("content-type", "application/fhir+json")
            .body(body.to_string())
            .send()
    };
    let answers = |n: usize| {
        (1..=n).map(|i| serde_json::json!({ "linkId": i.to_string(), "answer": [{ "valueCoding": { "system": "http://loinc.org", "code": "LA6569-3" } }] })).collect::<Vec<_>>()
    };
    let response = |key: &str, who: UserId, items: Vec<serde_json::Value>| serde_json::json!({ "resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": format!("{}/fhir/R4/Questionnaire/{key}", server.url), "subject": { "reference": format!("Patient/{who}") }, "item": items });
    let before = denied_count(store, casey).await;
    assert_eq!(post(response("gad7", casey, answers(7))).await.unwrap().status(), StatusCode::FORBIDDEN, "for someone else");
    assert_eq!(denied_count(store, casey).await, before + 1, "audited, naming Casey");
    let own_denied = denied_count(store, jordan).await;
    assert_eq!(post(response("pcl5", jordan, answers(20))).await.unwrap().status(), StatusCode::UNPROCESSABLE_ENTITY, "nothing due");
    assert_eq!(denied_count(store, jordan).await, own_denied + 1);
    assert_eq!(post(response("gad7", jordan, answers(3))).await.unwrap().status(), StatusCode::UNPROCESSABLE_ENTITY, "incomplete");
    let created = post(response("gad7", jordan, answers(7))).await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let stored: serde_json::Value = created.json().await.unwrap();
    assert_eq!(stored["item"].as_array().unwrap().len(), 7);
    let latest = store.responses_of(jordan).await.unwrap().into_iter().rev().find(|r| r.instrument == "gad7").unwrap();
    assert_eq!((latest.total, latest.band.as_deref()), (Some(7), Some("mild")), "scored like the form");
    server.stop().await;
}

async fn denied_count(store: &Store, patient: UserId) -> usize {
    store
        .audit_entries(&AuditFilter { patient: Some(patient), limit: 100_000, ..AuditFilter::default() })
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event.action == AuditAction::AccessDenied)
        .count()
}

/// The outcomes page: by instrument, clinician and how care was given, groups under ten
/// patients suppressed; admins see it (counts only, no clinical access needed); patients
/// don't.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outcomes_show_groups_of_ten_or_more_only() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    server.seed_demo_measures().await;
    let admin = signed_in(&server, &accounts, "admin@riverbend.example").await;
    let (status, page) = admin.get_text("/outcomes").await;
    assert_eq!(status, StatusCode::OK);
    let phq9 = &page[page.find("<h2 id=\"outcomes-1\">").unwrap()..];
    let phq9 = &phq9[..phq9.find("</table>").unwrap()];
    let row = |label: &str| {
        let at = phq9.find(&format!("<th scope=\"row\">{label}</th>")).unwrap_or_else(|| panic!("a row for {label}"));
        phq9[at..phq9[at..].find("</tr>").unwrap() + at].to_owned()
    };
    // Jordan, Casey and the 36 of Dr. Shah's caseload have a first and a later PHQ-9.
    assert!(row("All patients").contains("<td>38</td>"), "{}", row("All patients"));
    assert!(row("Dr. Priya Shah").contains("<td>36</td>"));
    assert!(row("Dr. Maya Lee").contains("fewer than 10") && row("Dr. Maya Lee").contains("Not shown"), "two patients: hidden");
    let video = row("Video visits only");
    assert!(video.contains("<td>12</td>"), "{video}");
    // Of each mode's twelve, 8 reliably better (6 of them recovered), 3 the same, 1 worse.
    for share in ["67 %", "50 %", "25 %", "8 %"] {
        assert!(video.contains(&format!("<td>{share}</td>")), "{share} in {video}");
    }
    assert!(row("Phone visits only").contains("<td>12</td>") && row("In-person visits only").contains("<td>12</td>"));

    let patient = signed_in(&server, &accounts, "jordan@patients.example").await;
    assert_eq!(patient.get("/outcomes").await.status(), StatusCode::FORBIDDEN);
    server.stop().await;
}

/// The due scan, with the test clock: a weekly schedule's occurrence is issued once when it
/// comes due (a second scan, like another instance's, issues nothing), mailed to the
/// patient, and the assignment moves on to the next week at the same local hour.
async fn the_due_scan_issues_each_occurrence_once(backend: Backend) {
    use haven_domain::{Clock as _, ManualClock};
    use jiff::{SignedDuration, Timestamp};
    // A Monday, 08:00 in Chicago (14:00 UTC): the 9 o'clock check-in is an hour away.
    let monday = Timestamp::from_second(1_796_652_000).unwrap();
    let clock = ManualClock::new(monday);
    let (server, sink) = TestServer::with_smtp(backend, Some(clock.clone())).await;
    let accounts = server.seed_demo().await;
    let jordan = user(&server.store, "jordan@patients.example").await;
    let lee = signed_in(&server, &accounts, "maya.lee@riverbend.example").await;
    let sent = lee
        .post_form(
            &format!("/patients/{jordan}/measures"),
            &[("instrument", "gad7"), ("cadence", "weekly"), ("weeks", "1"), ("weekday", "1"), ("hour", "9")],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let cx = &server.app().cx;
    assert_eq!(haven_app::measures::due::scan(cx, clock.now()).await.unwrap(), 0, "not due yet");
    clock.advance(SignedDuration::from_mins(61));
    assert_eq!(haven_app::measures::due::scan(cx, clock.now()).await.unwrap(), 1);
    assert_eq!(haven_app::measures::due::scan(cx, clock.now()).await.unwrap(), 0, "issued once");
    let open = server.store.open_requests_of(jordan, clock.now()).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].due_at, monday.checked_add(SignedDuration::from_hours(1)).unwrap(), "9 a.m. in Chicago");
    let mails = sink.wait_for(1).await;
    assert!(mails.iter().any(|m| m.subject() == "A short check-in from your care team"));
    let due = server.store.due_assignments(monday.checked_add(SignedDuration::from_hours(24 * 8)).unwrap(), 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].next_due_at, monday.checked_add(SignedDuration::from_hours(24 * 7 + 1)).ok(), "next Monday, same hour");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_due_scan_issues_each_occurrence_once_on_sqlite() {
    the_due_scan_issues_each_occurrence_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_due_scan_issues_each_occurrence_once_on_postgres() {
    the_due_scan_issues_each_occurrence_once(Backend::Postgres).await;
}
