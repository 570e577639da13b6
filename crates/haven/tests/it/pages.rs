//! The web shell: headers, assets, languages, the crisis page, errors, probes, metrics.

use reqwest::StatusCode;

use crate::support::{Backend, TestServer};

const PAGES: &[&str] = &["/", "/sign-in", "/crisis", "/no-such-page"];

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let server = TestServer::start(Backend::Sqlite).await;
    for path in PAGES.iter().chain(&["/healthz", "/readyz", "/metrics"]) {
        let response = server.get(path).await;
        let h = response.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert_eq!(h["cache-control"], "no-store", "{path}");
        assert!(!h.contains_key("strict-transport-security"), "no HSTS over plain HTTP");
    }
}

#[tokio::test]
async fn pages_share_an_accessible_frame() {
    let server = TestServer::start(Backend::Sqlite).await;
    for path in PAGES {
        let (_, html) = server.get_text(path).await;
        assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"), "{path}");
        assert_eq!(html.matches("<h1").count(), 1, "{path}: exactly one h1");
        assert!(html.contains("<a class=\"skip-link\" href=\"#main\">"), "{path}");
        assert!(html.contains("<main id=\"main\""), "{path}");
        assert!(html.contains("<a class=\"crisis-link\" href=\"/crisis\">Need help now?</a>"), "{path}");
        assert!(html.contains("action=\"/language\""), "{path}: language switch");
        let inline_scripts = html.split("<script").skip(1).filter(|rest| !rest.starts_with(" type=\"module\" src=\"/static/")).count();
        assert_eq!(inline_scripts, 0, "{path}: scripts only from our own static files");
        assert!(!html.contains("style="), "{path}: no inline style");
        assert!(!html.contains("http://") && !html.contains("//cdn"), "{path}: nothing from another origin");
    }
}

#[tokio::test]
async fn static_assets_are_hashed_cached_and_compressed() {
    let server = TestServer::start(Backend::Sqlite).await;
    let favicon = server.get("/favicon.ico").await;
    assert_eq!(favicon.status(), StatusCode::OK, "browsers ask for it on every page");
    assert!(favicon.headers()["content-type"].to_str().unwrap().starts_with("image/"));
    let (_, html) = server.get_text("/").await;
    let href = html.split("rel=\"stylesheet\" href=\"").nth(1).unwrap().split('"').next().unwrap();
    assert!(href.starts_with("/static/app.") && href.ends_with(".css"), "{href}");
    let response = server.client.get(server.at(href)).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(response.headers()["content-encoding"], "gzip");
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    assert_eq!(server.get("/static/app.css").await.status(), StatusCode::NOT_FOUND, "only hashed names");
}

#[tokio::test]
async fn the_crisis_page_lists_the_configured_lines_in_both_languages() {
    let server = TestServer::start(Backend::Sqlite).await;
    let (status, html) = server.get_text("/crisis").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("href=\"tel:911\""), "emergency number");
    assert!(html.contains("href=\"tel:988\"") && html.contains("href=\"sms:988\""), "988 call and text");
    assert!(html.contains("https://988lifeline.org/chat"));
    assert!(html.contains("You are not alone"));

    let response = server.client.get(server.at("/crisis")).header("accept-language", "es-MX,es;q=0.9").send().await.unwrap();
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"es\">") && html.contains("¿Necesita ayuda ahora?"), "Spanish by Accept-Language");
    assert!(html.contains("Llamar al 911"));
}

/// A signed-in person keeps their own header on the crisis page (not a signed-out one), and
/// the page offers only what exists.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_crisis_page_keeps_a_signed_in_persons_header_and_promises_nothing_missing() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    let (_, anonymous) = server.get_text("/crisis").await;
    assert!(anonymous.contains("href=\"/sign-in\""), "signed out: a sign-in link");
    let (_, email, password) = accounts.iter().find(|(role, _, _)| role == "patient").unwrap();
    server.sign_in(email, password).await;
    let (status, html) = server.get_text("/crisis").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("action=\"/sign-out\"") && !html.contains("href=\"/sign-in\""), "the signed-in header: {html}");
    assert!(html.contains("data-idle-seconds"), "with the person's idle timer, as on every signed-in page");
    assert!(!html.to_lowercase().contains("safety plan"), "no safety plan is offered before one exists");
}

#[tokio::test]
async fn operators_configure_their_regions_crisis_lines() {
    let server = TestServer::start_with(
        Backend::Sqlite,
        |config| {
            config.crisis = haven_domain::CrisisLines {
                emergency_number: "999".into(),
                lines: vec![haven_domain::CrisisLine {
                    name: "Samaritans".into(),
                    call: Some("116 123".into()),
                    text: None,
                    chat_url: None,
                    note: Default::default(),
                }],
            };
        },
        None,
    )
    .await;
    let (_, html) = server.get_text("/crisis").await;
    assert!(html.contains("href=\"tel:999\"") && html.contains("href=\"tel:116123\"") && html.contains("Samaritans"));
    assert!(!html.contains("988"));
    let (_, home) = server.get_text("/").await;
    assert!(home.contains("call 999"), "the footer on every page uses the configured number");
}

#[tokio::test]
async fn the_language_switch_remembers_the_choice_and_stays_on_this_site() {
    let server = TestServer::start(Backend::Sqlite).await;
    let response = server.client.post(server.at("/language")).form(&[("lang", "es"), ("return_to", "/crisis")]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/crisis");
    let (_, html) = server.get_text("/sign-in").await;
    assert!(html.contains("<html lang=\"es\">") && html.contains("Iniciar sesión"));
    assert!(
        html.contains("lang=\"es\"\n        aria-pressed=\"true\"") || html.contains("value=\"es\" lang=\"es\"\n        aria-pressed=\"true\""),
        "{html}"
    );

    let response = server.client.post(server.at("/language")).form(&[("lang", "en"), ("return_to", "//evil.example/")]).send().await.unwrap();
    assert_eq!(response.headers()["location"], "/", "no open redirect");
}

#[tokio::test]
async fn cross_origin_writes_are_refused_with_a_translated_page() {
    let server = TestServer::start(Backend::Sqlite).await;
    let response = server
        .client
        .post(server.at("/language"))
        .header("origin", "https://evil.example")
        .header("accept-language", "es")
        .form(&[("lang", "es")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let html = response.text().await.unwrap();
    assert!(html.contains("Solicitud rechazada"), "{html}");

    let response = server.client.post(server.at("/language")).header("sec-fetch-site", "cross-site").form(&[("lang", "es")]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let origin = server.url.clone();
    let response = server
        .client
        .post(server.at("/language"))
        .header("origin", origin)
        .header("sec-fetch-site", "same-origin")
        .form(&[("lang", "es")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn unknown_pages_get_a_translated_404_with_the_crisis_link() {
    let server = TestServer::start(Backend::Sqlite).await;
    let response = server.client.get(server.at("/nope")).header("accept-language", "es").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let html = response.text().await.unwrap();
    assert!(html.contains("Página no encontrada") && html.contains("href=\"/crisis\""));
}

/// `/metrics` names routes, counts, the version and the backend: not for the public. Not
/// served without configuration; with a token, only to its bearer; on a separate address,
/// there alone.
#[tokio::test]
async fn probes_and_metrics() {
    let server = TestServer::start(Backend::Sqlite).await;
    assert_eq!(server.get_text("/healthz").await, (StatusCode::OK, "ok\n".into()));
    assert_eq!(server.get_text("/readyz").await, (StatusCode::OK, "ready\n".into()));
    assert_eq!(server.get("/metrics").await.status(), StatusCode::NOT_FOUND, "not served by default");

    let token = "a-long-random-metrics-token";
    let server = TestServer::start_with(Backend::Sqlite, |c| c.metrics.token = Some(haven::config::Secret::new(token)), None).await;
    assert_eq!(server.get("/metrics").await.status(), StatusCode::UNAUTHORIZED, "no token");
    let wrong = server.client.get(server.at("/metrics")).bearer_auth("guess").send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "a wrong token");
    server.get("/crisis").await;
    let response = server.client.get(server.at("/metrics")).bearer_auth(token).send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("haven_http_requests_total{method=\"GET\",route=\"/crisis\",status=\"200\"}"), "{text}");
    assert!(text.contains("haven_http_request_duration_seconds_bucket{method=\"GET\",route=\"/crisis\""), "{text}");
    assert!(text.contains("haven_db_pool_connections{backend=\"sqlite\"}"), "{text}");
    assert!(text.contains(&format!("haven_build_info{{version=\"{}\"}} 1", env!("CARGO_PKG_VERSION"))), "{text}");

    let server = TestServer::start_with(Backend::Sqlite, |c| c.metrics.listen = Some("127.0.0.1:0".parse().unwrap()), None).await;
    assert_eq!(server.get("/metrics").await.status(), StatusCode::NOT_FOUND, "not on the public listener");
    let apart = format!("http://{}/metrics", server.running().metrics_addr.unwrap());
    let response = server.client.get(apart).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("haven_build_info"));
}

#[tokio::test]
async fn the_landing_page_names_the_practice() {
    let server = TestServer::start(Backend::Sqlite).await;
    let (_, html) = server.get_text("/").await;
    assert!(html.contains("haven admin create-practice"), "no practice yet");
    server.seed_demo().await;
    let (_, html) = server.get_text("/").await;
    assert!(html.contains("Online care from Riverbend Counseling."), "{html}");
}

/// A state change must show it comes from this site: `Origin` equal to the site's origin
/// (scheme, host and port), `Sec-Fetch-Site: same-origin`, or, with neither, a `Referer` on
/// the site. One header saying "same origin" doesn't excuse another saying "elsewhere", and
/// a request with no signal at all is refused.
#[tokio::test]
async fn form_posts_must_show_they_come_from_this_site() {
    let server = TestServer::start(Backend::Sqlite).await;
    let bare = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let site = server.url.clone();
    let https = site.replace("http://", "https://");
    type Case<'a> = (&'a [(&'a str, &'a str)], StatusCode, &'a str);
    let cases: [Case<'_>; 8] = [
        (&[("origin", &site)], StatusCode::SEE_OTHER, "this site's origin"),
        (&[("sec-fetch-site", "same-origin")], StatusCode::SEE_OTHER, "a same-origin fetch"),
        (&[("referer", &format!("{site}/crisis"))], StatusCode::SEE_OTHER, "a page of this site as the referrer"),
        (&[("origin", &https)], StatusCode::FORBIDDEN, "another scheme is another origin"),
        (&[("sec-fetch-site", "same-origin"), ("origin", "http://evil.example")], StatusCode::FORBIDDEN, "Origin says elsewhere"),
        (&[("sec-fetch-site", "same-origin"), ("origin", "null")], StatusCode::FORBIDDEN, "an opaque origin"),
        (&[("referer", "http://evil.example/x")], StatusCode::FORBIDDEN, "another site as the referrer"),
        (&[], StatusCode::FORBIDDEN, "no signal at all"),
    ];
    for (headers, expected, what) in cases {
        let mut request = bare.post(server.at("/language")).form(&[("lang", "es")]);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        assert_eq!(request.send().await.unwrap().status(), expected, "{what}");
    }
}

#[tokio::test]
async fn unreadable_or_oversized_input_gets_a_translated_page() {
    let server = TestServer::start(Backend::Sqlite).await;
    let response = server
        .client
        .post(server.at("/sign-in"))
        .header("content-type", "application/json")
        .header("accept-language", "es")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let html = response.text().await.unwrap();
    assert!(html.contains("No pudimos leer eso") && html.contains("href=\"/crisis\""), "{html}");

    let big = format!("email=a%40b.org&password={}", "x".repeat(200 * 1024));
    let response =
        server.client.post(server.at("/sign-in")).header("content-type", "application/x-www-form-urlencoded").body(big).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(response.text().await.unwrap().contains("That is too large"));
}
