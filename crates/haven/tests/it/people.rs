//! Invitations and password resets, with mail delivered to a real SMTP server.

use haven_domain::audit::AuditAction;
use haven_domain::{Email, ManualClock, Role};
use haven_store::AuditFilter;
use jiff::SignedDuration;
use reqwest::StatusCode;

use crate::support::{Backend, TestServer};

const GOOD: &str = "lantern orchard quietly";

async fn signed_in_as(server: &TestServer, accounts: &[(String, String, String)], email: &str) -> crate::support::server::Browser {
    let browser = server.new_browser();
    let (_, _, password) = accounts.iter().find(|(_, e, _)| e == email).unwrap();
    browser.sign_in(email, password).await;
    browser
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clinician_invites_a_patient_who_joins_their_care_team() {
    let (server, sink) = TestServer::with_smtp(Backend::Sqlite, None).await;
    let accounts = server.seed_demo().await;
    let clinician = signed_in_as(&server, &accounts, "maya.lee@riverbend.example").await;

    let (status, html) = clinician.get_text("/people/invite").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("value=\"patient\"") && !html.contains("value=\"clinician\""), "clinicians invite patients only");
    let response = clinician
        .post_form("/people/invite", &[("name", "Riley Brooks"), ("email", "riley@patients.example"), ("role", "patient"), ("language", "en")])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("Invitation sent to riley@patients.example"));

    let mail = sink.wait_for(1).await.remove(0);
    assert_eq!(mail.to, vec!["riley@patients.example".to_owned()]);
    assert_eq!(mail.subject(), "Riverbend Counseling invited you to Haven");
    let link = mail.link(&format!("{}/invitations/", server.url)).expect("the mail holds the link");
    let path = link.trim_start_matches(&server.url).to_owned();

    let patient = server.new_browser();
    let (status, html) = patient.get_text(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Welcome, Riley Brooks") && html.contains("Riverbend Counseling invited you"));
    for (password, confirm, message) in [
        (GOOD, "something else", "are not the same"),
        ("password1", "password1", "stolen from other websites"),
        ("short", "short", "at least 8 characters"),
    ] {
        let response = patient.post_form(&path, &[("password", password), ("confirm", confirm)]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains(message), "{message}");
    }
    let response = patient.post_form(&path, &[("password", GOOD), ("confirm", GOOD)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/home");
    assert!(patient.get_text("/home").await.1.contains("Welcome, Riley Brooks"));

    let riley = server.store.user_by_email(&Email::parse("riley@patients.example").unwrap()).await.unwrap().unwrap();
    assert!(riley.has_role(Role::Patient) && !riley.has_role(Role::Clinician));
    let lee = server.store.user_by_email(&Email::parse("maya.lee@riverbend.example").unwrap()).await.unwrap().unwrap();
    assert!(server.store.is_on_care_team(riley.id, lee.id).await.unwrap());
    assert!(clinician.get_text("/home").await.1.contains(">Riley Brooks</a></li>"), "the clinician's list shows the new patient");

    let again = server.new_browser().post_form(&path, &[("password", GOOD), ("confirm", GOOD)]).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND, "an invitation works once");
    assert!(again.text().await.unwrap().contains("This link no longer works"));

    let actions: Vec<_> = server.store.audit_entries(&AuditFilter::default()).await.unwrap().into_iter().map(|e| e.event.action).collect();
    assert!(actions.contains(&AuditAction::PermissionChange) && actions.contains(&AuditAction::Create));
}

#[tokio::test]
async fn only_the_right_people_invite_the_right_roles() {
    let (server, _sink) = TestServer::with_smtp(Backend::Sqlite, None).await;
    let accounts = server.seed_demo().await;
    let patient = signed_in_as(&server, &accounts, "jordan@patients.example").await;
    assert_eq!(patient.get("/people/invite").await.status(), StatusCode::FORBIDDEN);
    let form = [("name", "X"), ("email", "x@example.org"), ("role", "patient"), ("language", "en")];
    assert_eq!(patient.post_form("/people/invite", &form).await.status(), StatusCode::FORBIDDEN);

    let clinician = signed_in_as(&server, &accounts, "maya.lee@riverbend.example").await;
    let as_clinician = [("name", "X"), ("email", "x@example.org"), ("role", "clinician"), ("language", "en")];
    assert_eq!(clinician.post_form("/people/invite", &as_clinician).await.status(), StatusCode::FORBIDDEN);

    let admin = signed_in_as(&server, &accounts, "admin@riverbend.example").await;
    assert_eq!(admin.post_form("/people/invite", &as_clinician).await.status(), StatusCode::OK);
    let taken = [("name", "Again"), ("email", "casey@patients.example"), ("role", "patient"), ("language", "en")];
    let response = admin.post_form("/people/invite", &taken).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("already has an account"));
    let bad = [("name", "Someone"), ("email", "not an address"), ("role", "patient"), ("language", "es")];
    let response = admin.client.post(admin.at("/people/invite")).header("accept-language", "es").form(&bad).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitation_links_expire_after_seven_days() {
    let clock = ManualClock::new("2026-02-01T09:00:00Z".parse().unwrap());
    let (server, sink) = TestServer::with_smtp(Backend::Sqlite, Some(clock.clone())).await;
    let accounts = server.seed_demo().await;
    let admin = signed_in_as(&server, &accounts, "admin@riverbend.example").await;
    admin.post_form("/people/invite", &[("name", "Late"), ("email", "late@example.org"), ("role", "patient"), ("language", "en")]).await;
    let link = sink.wait_for(1).await[0].link(&server.url).unwrap();
    let path = link.trim_start_matches(&server.url).to_owned();
    clock.advance(SignedDuration::from_hours(7 * 24 + 1));
    assert_eq!(server.new_browser().get(&path).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_reset_by_mail_without_revealing_accounts() {
    let clock = ManualClock::new("2026-02-01T09:00:00Z".parse().unwrap());
    let (server, sink) = TestServer::with_smtp(Backend::Sqlite, Some(clock.clone())).await;
    let accounts = server.seed_demo().await;
    let (_, email, old_password) = accounts.iter().find(|(r, _, _)| r == "patient").unwrap().clone();
    let old_session = signed_in_as(&server, &accounts, &email).await;

    let visitor = server.new_browser();
    let known = visitor.post_form("/password-reset", &[("email", &email)]).await.text().await.unwrap();
    let unknown = visitor.post_form("/password-reset", &[("email", "nobody@example.org")]).await.text().await.unwrap();
    assert_eq!(known, unknown, "the same answer for known and unknown addresses");
    assert!(known.contains("If an account uses that email"));

    let mails = sink.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(sink.received().len(), 1, "no mail for an unknown address");
    assert_eq!(mails[0].to, vec![email.clone()]);
    let path = mails[0].link(&server.url).unwrap().trim_start_matches(&server.url).to_owned();

    assert_eq!(visitor.get(&path).await.status(), StatusCode::OK);
    let response = visitor.post_form(&path, &[("password", "fresh start river"), ("confirm", "fresh start river")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/sign-in?reset=done");
    assert!(visitor.get_text("/sign-in?reset=done").await.1.contains("Your password was changed"));

    assert_eq!(old_session.get("/home").await.status(), StatusCode::SEE_OTHER, "every old session ended");
    assert_eq!(visitor.post_sign_in(&email, &old_password).await.status(), StatusCode::UNAUTHORIZED);
    visitor.sign_in(&email, "fresh start river").await;
    assert_eq!(server.new_browser().get(&path).await.status(), StatusCode::NOT_FOUND, "a reset link works once");

    // A second link expires after 30 minutes.
    visitor.post_form("/password-reset", &[("email", &email)]).await;
    let second = sink.wait_for(2).await[1].link(&server.url).unwrap().trim_start_matches(&server.url).to_owned();
    clock.advance(SignedDuration::from_mins(31));
    assert_eq!(server.new_browser().get(&second).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_deactivate_reactivate_and_designate_people() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    let admin = signed_in_as(&server, &accounts, "admin@riverbend.example").await;
    let (status, html) = admin.get_text("/admin/people").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<th scope=\"row\">Jordan Rivera</th>") && html.contains("Deactivate Jordan Rivera"));
    assert!(!html.contains("Deactivate Alex Morgan"), "no button to lock oneself out");

    let jordan_id = server.store.user_by_email(&Email::parse("jordan@patients.example").unwrap()).await.unwrap().unwrap().id;
    let jordan = signed_in_as(&server, &accounts, "jordan@patients.example").await;
    let response = admin.post_form(&format!("/admin/people/{jordan_id}/active"), &[("active", "false")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(jordan.get("/home").await.status(), StatusCode::SEE_OTHER, "deactivation ends the session at once");
    let (_, _, password) = accounts.iter().find(|(_, e, _)| e == "jordan@patients.example").unwrap();
    assert_eq!(jordan.post_sign_in("jordan@patients.example", password).await.status(), StatusCode::UNAUTHORIZED);
    assert!(admin.get_text("/admin/people").await.1.contains("Reactivate Jordan Rivera"));
    admin.post_form(&format!("/admin/people/{jordan_id}/active"), &[("active", "true")]).await;
    jordan.sign_in("jordan@patients.example", password).await;

    let admin_id = server.store.user_by_email(&Email::parse("admin@riverbend.example").unwrap()).await.unwrap().unwrap().id;
    assert_eq!(admin.post_form(&format!("/admin/people/{admin_id}/active"), &[("active", "false")]).await.status(), StatusCode::FORBIDDEN);

    let lee_id = server.store.user_by_email(&Email::parse("maya.lee@riverbend.example").unwrap()).await.unwrap().unwrap().id;
    assert!(!server.store.is_break_glass_designee(server.store.practice_by_slug("riverbend").await.unwrap().unwrap().id, lee_id).await.unwrap());
    admin.post_form(&format!("/admin/people/{lee_id}/break-glass"), &[]).await;
    let html = admin.get_text("/admin/people").await.1;
    let lee_row = html.split("<th scope=\"row\">Dr. Maya Lee</th>").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(lee_row.contains("May use emergency access"), "{lee_row}");

    let clinician = signed_in_as(&server, &accounts, "maya.lee@riverbend.example").await;
    assert_eq!(clinician.get("/admin/people").await.status(), StatusCode::FORBIDDEN);
    let changes =
        server.store.audit_entries(&AuditFilter { action: Some(AuditAction::PermissionChange), limit: 100, ..AuditFilter::default() }).await.unwrap();
    assert!(changes.len() >= 4, "every change is audited ({})", changes.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_registration_only_where_allowed_and_without_revealing_accounts() {
    let (server, sink) = TestServer::with_smtp(Backend::Sqlite, None).await;
    server.seed_demo().await;
    let visitor = server.new_browser();
    let practice = server.store.practice_by_slug("riverbend").await.unwrap().unwrap().id;
    server.store.set_self_registration(practice, false).await.unwrap();
    assert_eq!(visitor.get("/register/riverbend").await.status(), StatusCode::NOT_FOUND, "only where the practice allows it");
    assert_eq!(visitor.get("/register/nowhere").await.status(), StatusCode::NOT_FOUND);
    server.store.set_self_registration(practice, true).await.unwrap();
    let (status, html) = visitor.get_text("/register/riverbend").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Ask Riverbend Counseling for an account"));

    let new = visitor.post_form("/register/riverbend", &[("name", "Sam Park"), ("email", "sam@patients.example")]).await.text().await.unwrap();
    let known = visitor.post_form("/register/riverbend", &[("name", "Jordan"), ("email", "jordan@patients.example")]).await.text().await.unwrap();
    assert_eq!(new, known, "the same page for a new and an existing address");
    let mails = sink.wait_for(2).await;
    let to_sam = mails.iter().find(|m| m.to == vec!["sam@patients.example".to_owned()]).unwrap();
    let to_jordan = mails.iter().find(|m| m.to == vec!["jordan@patients.example".to_owned()]).unwrap();
    assert_eq!(to_jordan.subject(), "You already have a Haven account");
    let path = to_sam.link(&server.url).unwrap().trim_start_matches(&server.url).to_owned();
    let response = visitor.post_form(&path, &[("password", GOOD), ("confirm", GOOD)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let sam = server.store.user_by_email(&Email::parse("sam@patients.example").unwrap()).await.unwrap().unwrap();
    assert!(sam.has_role(Role::Patient) && !sam.has_role(Role::Clinician), "self-registration only ever makes patients");

    let bad = visitor.post_form("/register/riverbend", &[("name", ""), ("email", "x@example.org")]).await;
    assert!(bad.text().await.unwrap().contains("Enter your name"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_change_their_name_and_email_and_the_old_address_is_told() {
    let (server, sink) = TestServer::with_smtp(Backend::Sqlite, None).await;
    let accounts = server.seed_demo().await;
    let casey = signed_in_as(&server, &accounts, "casey@patients.example").await;
    let (_, _, password) = accounts.iter().find(|(_, e, _)| e == "casey@patients.example").unwrap().clone();

    let renamed = casey.post_form("/account/profile", &[("name", "Casey J. Kim"), ("email", "casey@patients.example"), ("password", "")]).await;
    assert_eq!(renamed.headers()["location"], "/account/profile?saved=1", "a name change needs no password");
    assert!(casey.get_text("/home").await.1.contains("Welcome, Casey J. Kim"));

    let no_password = casey.post_form("/account/profile", &[("name", "Casey J. Kim"), ("email", "casey.kim@mail.example"), ("password", "")]).await;
    assert_eq!(no_password.status(), StatusCode::UNAUTHORIZED, "an email change needs the password");
    let taken = casey.post_form("/account/profile", &[("name", "Casey J. Kim"), ("email", "jordan@patients.example"), ("password", &password)]).await;
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    let moved = casey.post_form("/account/profile", &[("name", "Casey J. Kim"), ("email", "casey.kim@mail.example"), ("password", &password)]).await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);

    let notice = sink.wait_for(1).await.remove(0);
    assert_eq!(notice.to, vec!["casey@patients.example".to_owned()], "the old address is told");
    assert_eq!(notice.subject(), "Your Haven sign-in email was changed");
    assert!(!notice.text().contains("casey.kim@mail.example"), "without naming the new address");
    server.new_browser().sign_in("casey.kim@mail.example", &password).await;
    assert_eq!(server.new_browser().post_sign_in("casey@patients.example", &password).await.status(), StatusCode::UNAUTHORIZED);
}

/// Invitations nobody has accepted are listed for the admins, who can send one again (a new
/// link; the old one stops working) or withdraw it; the admin's menu leads to People and Audit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_see_resend_and_withdraw_waiting_invitations() {
    let (server, sink) = TestServer::with_smtp(Backend::Sqlite, None).await;
    let accounts = server.seed_demo().await;
    let admin = signed_in_as(&server, &accounts, "admin@riverbend.example").await;
    let (_, home) = admin.get_text("/home").await;
    assert!(
        home.contains("<li><a href=\"/admin/people\">People</a></li>") && home.contains("<li><a href=\"/admin/audit\">Audit trail</a></li>"),
        "the admin's menu"
    );
    for (name, email) in [("Riley Brooks", "riley@patients.example"), ("Sam Lane", "sam@patients.example")] {
        let response = admin.post_form("/people/invite", &[("name", name), ("email", email), ("role", "patient"), ("language", "en")]).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let first = sink.wait_for(2).await;
    let old_link =
        first.iter().find(|m| m.to == vec!["riley@patients.example".to_owned()]).unwrap().link(&format!("{}/invitations/", server.url)).unwrap();

    let (_, page) = admin.get_text("/admin/people").await;
    assert!(page.contains("Invitations waiting") && page.contains("riley@patients.example") && page.contains("Link valid until"), "{page}");
    let id_of = |page: &str, email: &str| {
        let row = page.split("<tr>").find(|r| r.contains(email)).unwrap().to_owned();
        row.split("/admin/invitations/").nth(1).unwrap().split('/').next().unwrap().to_owned()
    };
    let riley = id_of(&page, "riley@patients.example");
    let sam = id_of(&page, "sam@patients.example");

    let response = admin.post_form(&format!("/admin/invitations/{riley}/resend"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let again = sink.wait_for(3).await.remove(2);
    let new_link = again.link(&format!("{}/invitations/", server.url)).unwrap();
    assert_ne!(new_link, old_link);
    let visitor = server.new_browser();
    assert_eq!(visitor.get(old_link.trim_start_matches(&server.url)).await.status(), StatusCode::NOT_FOUND, "the old link stops working");
    assert_eq!(visitor.get(new_link.trim_start_matches(&server.url)).await.status(), StatusCode::OK, "the new one works");
    assert!(admin.get_text("/admin/people?done=resent&to=riley%40patients.example").await.1.contains("Sent again to riley@patients.example"));

    let response = admin.post_form(&format!("/admin/invitations/{sam}/revoke"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.get_text("/admin/people").await;
    assert!(!page.contains("sam@patients.example"), "withdrawn");
    assert_eq!(admin.post_form(&format!("/admin/invitations/{sam}/resend"), &[]).await.status(), StatusCode::NOT_FOUND);
    let clinician = signed_in_as(&server, &accounts, "maya.lee@riverbend.example").await;
    assert_eq!(clinician.post_form(&format!("/admin/invitations/{riley}/revoke"), &[]).await.status(), StatusCode::FORBIDDEN);
}
