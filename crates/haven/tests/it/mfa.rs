//! Two-step sign-in: staff must set up an authenticator app; a code works once; recovery
//! codes work once; no session exists between the password and the second factor.

use haven_crypto::totp;
use haven_domain::ManualClock;
use jiff::SignedDuration;
use reqwest::StatusCode;

use crate::support::server::Browser;
use crate::support::{Backend, TestServer};

fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut buffer, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        buffer = (buffer << 5) | u32::try_from(ALPHABET.find(c).unwrap()).unwrap();
        bits += 5;
        if bits >= 8 {
            out.push(u8::try_from((buffer >> (bits - 8)) & 0xff).unwrap());
            bits -= 8;
        }
    }
    out
}

fn code(secret: &[u8], clock: &ManualClock) -> String {
    totp::code_at_step(secret, totp::step_of(haven_domain::Clock::now(clock).as_second()))
}

async fn password_step(browser: &Browser, email: &str, password: &str) -> String {
    let response = browser.post_sign_in(email, password).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_set_up_totp_and_each_code_works_once() {
    let clock = ManualClock::new("2026-09-01T08:00:00Z".parse().unwrap());
    let server = TestServer::start_with(Backend::Sqlite, |c| c.require_staff_mfa = true, Some(clock.clone())).await;
    let accounts = server.seed_demo().await;
    let (_, email, password) = accounts.iter().find(|(r, _, _)| r == "clinician").unwrap().clone();

    let browser = server.new_browser();
    assert_eq!(password_step(&browser, &email, &password).await, "/sign-in/setup");
    assert_eq!(browser.get("/home").await.status(), StatusCode::SEE_OTHER, "no session before the second factor");

    let (status, html) = browser.get_text("/sign-in/setup").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<svg role=\"img\" aria-label=\"QR code"), "a labelled QR code");
    let shown = html.split("id=\"totp-secret\">").nth(1).unwrap().split('<').next().unwrap();
    let secret = base32_decode(shown);
    assert_eq!(secret.len(), 20);

    let wrong = browser.post_form("/sign-in/setup", &[("code", "000000")]).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let first = code(&secret, &clock);
    let response = browser.post_form("/sign-in/setup", &[("code", &first)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    let recovery: Vec<String> = html.split("<li><code>").skip(1).map(|s| s.split('<').next().unwrap().to_owned()).collect();
    assert_eq!(recovery.len(), 10);
    assert_eq!(browser.get("/home").await.status(), StatusCode::OK, "signed in after setup");

    // Next sign-in: the code from the same 30 seconds is refused (it was used), the next one works.
    let again = server.new_browser();
    assert_eq!(password_step(&again, &email, &password).await, "/sign-in/code");
    let replay = again.post_form("/sign-in/code", &[("code", &first)]).await;
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED, "a replayed code fails");
    assert!(replay.text().await.unwrap().contains("each works once"));
    clock.advance(SignedDuration::from_secs(30));
    let next = code(&secret, &clock);
    let response = again.post_form("/sign-in/code", &[("code", &next)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(again.get("/home").await.status(), StatusCode::OK);
    let third = server.new_browser();
    password_step(&third, &email, &password).await;
    assert_eq!(third.post_form("/sign-in/code", &[("code", &next)]).await.status(), StatusCode::UNAUTHORIZED, "used on another sign-in");

    // Recovery codes: each works once.
    let lost_phone = server.new_browser();
    password_step(&lost_phone, &email, &password).await;
    assert_eq!(lost_phone.post_form("/sign-in/code", &[("code", &recovery[0].to_uppercase())]).await.status(), StatusCode::SEE_OTHER);
    let reuse = server.new_browser();
    password_step(&reuse, &email, &password).await;
    assert_eq!(reuse.post_form("/sign-in/code", &[("code", &recovery[0])]).await.status(), StatusCode::UNAUTHORIZED);

    // The code step can't be reached without the password step.
    let stranger = server.new_browser();
    assert_eq!(stranger.post_form("/sign-in/code", &[("code", &next)]).await.headers()["location"], "/sign-in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_codes_is_throttled_and_patients_opt_in_after_reentering_their_password() {
    let clock = ManualClock::new("2026-09-01T08:00:00Z".parse().unwrap());
    let server = TestServer::start_with(Backend::Sqlite, |c| c.require_staff_mfa = true, Some(clock.clone())).await;
    let accounts = server.seed_demo().await;
    let (_, email, password) = accounts.iter().find(|(r, _, _)| r == "patient").unwrap().clone();

    // Patients sign in with a password alone until they turn two-step sign-in on.
    let browser = server.new_browser();
    browser.sign_in(&email, &password).await;
    let (status, html) = browser.get_text("/account/security").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Two-step sign-in is off"));
    let wrong = browser.post_form("/account/security/totp", &[("password", "not my password")]).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let response = browser.post_form("/account/security/totp", &[("password", &password)]).await;
    assert_eq!(response.headers()["location"], "/sign-in/setup");
    let html = browser.get_text("/sign-in/setup").await.1;
    let secret = base32_decode(html.split("id=\"totp-secret\">").nth(1).unwrap().split('<').next().unwrap());
    assert_eq!(browser.post_form("/sign-in/setup", &[("code", &code(&secret, &clock))]).await.status(), StatusCode::OK);
    assert!(browser.get_text("/account/security").await.1.contains("Recovery codes left: 10"));

    clock.advance(SignedDuration::from_secs(60));
    let guesser = server.new_browser();
    assert_eq!(password_step(&guesser, &email, &password).await, "/sign-in/code");
    let mut statuses = Vec::new();
    for n in 0..12 {
        statuses.push(guesser.post_form("/sign-in/code", &[("code", &format!("{:06}", 111_111 + n))]).await.status());
    }
    assert_eq!(statuses[9], StatusCode::UNAUTHORIZED);
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
}
