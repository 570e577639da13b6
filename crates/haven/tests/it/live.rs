//! The live WebSocket: only for signed-in people from this site's pages; bad input gets
//! an error and the socket stays usable; it closes the moment its session ends.

use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use haven_domain::Email;
use reqwest::StatusCode;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use crate::support::{Backend, TestServer};

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub(crate) async fn connect(url: &str, cookie: Option<&str>, origin: Option<&str>) -> Result<Socket, WsError> {
    let mut request = format!("{}/ws", url.replace("http://", "ws://")).into_client_request().unwrap();
    if let Some(cookie) = cookie {
        request.headers_mut().insert("cookie", HeaderValue::from_str(cookie).unwrap());
    }
    if let Some(origin) = origin {
        request.headers_mut().insert("origin", HeaderValue::from_str(origin).unwrap());
    }
    tokio_tungstenite::connect_async(request).await.map(|(socket, _)| socket)
}

pub(crate) async fn next_text(socket: &mut Socket) -> serde_json::Value {
    loop {
        match tokio::time::timeout(Duration::from_secs(5), socket.next()).await.expect("a message within 5 s") {
            Some(Ok(Message::Text(text))) => return serde_json::from_str(&text).unwrap(),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
            other => panic!("expected a text message, got {other:?}"),
        }
    }
}

/// Waits for the server to close the socket; returns the close code.
async fn closed_within(socket: &mut Socket, limit: Duration) -> u16 {
    loop {
        match tokio::time::timeout(limit, socket.next()).await.expect("closed in time") {
            Some(Ok(Message::Close(Some(frame)))) => return frame.code.into(),
            Some(Ok(_)) => {}
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
}

/// Signs in by hand and returns the `name=value` session cookie.
pub(crate) async fn sign_in_cookie(server: &TestServer, email: &str, password: &str) -> String {
    let response =
        crate::support::server::client().post(server.at("/sign-in")).form(&[("email", email), ("password", password)]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("haven_session="))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sockets_are_for_signed_in_pages_of_this_site_and_survive_bad_input() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    let (_, email, password) = accounts.iter().find(|(r, _, _)| r == "patient").unwrap();
    let cookie = sign_in_cookie(&server, email, password).await;
    let origin = server.url.clone();

    match connect(&server.url, None, Some(&origin)).await {
        Err(WsError::Http(response)) => assert_eq!(response.status(), 401),
        other => panic!("anonymous socket: {other:?}"),
    }
    for bad_origin in [Some("https://evil.example"), None] {
        match connect(&server.url, Some(&cookie), bad_origin).await {
            Err(WsError::Http(response)) => assert_eq!(response.status(), 403, "{bad_origin:?}"),
            other => panic!("origin {bad_origin:?}: {other:?}"),
        }
    }

    let mut socket = connect(&server.url, Some(&cookie), Some(&origin)).await.unwrap();
    assert_eq!(next_text(&mut socket).await["type"], "ready");
    socket.send(Message::text("{\"type\":\"ping\"}")).await.unwrap();
    assert_eq!(next_text(&mut socket).await["type"], "pong");
    socket.send(Message::text("not json at all")).await.unwrap();
    assert_eq!(next_text(&mut socket).await["code"], "malformed");
    socket.send(Message::binary(vec![0u8, 1, 2])).await.unwrap();
    assert_eq!(next_text(&mut socket).await["code"], "binary-not-accepted");
    socket.send(Message::text("{\"type\":\"ping\"}")).await.unwrap();
    assert_eq!(next_text(&mut socket).await["type"], "pong", "still usable after bad input");
    let oversized = format!("{{\"type\":\"ping\",\"pad\":\"{}\"}}", "x".repeat(100 * 1024));
    let _ = socket.send(Message::text(oversized)).await;
    let sane = connect(&server.url, Some(&cookie), Some(&origin)).await;
    assert!(sane.is_ok(), "an oversized frame costs that socket at most, never the server");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sockets_close_at_once_when_their_session_ends() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    let password = |email: &str| accounts.iter().find(|(_, e, _)| e == email).unwrap().2.clone();
    let origin = server.url.clone();

    // Deactivation by an admin closes the person's sockets and their requests get 401.
    let jordan_cookie = sign_in_cookie(&server, "jordan@patients.example", &password("jordan@patients.example")).await;
    let mut jordan = connect(&server.url, Some(&jordan_cookie), Some(&origin)).await.unwrap();
    assert_eq!(next_text(&mut jordan).await["type"], "ready");
    let admin = server.new_browser();
    admin.sign_in("admin@riverbend.example", &password("admin@riverbend.example")).await;
    let jordan_id = server.store.user_by_email(&Email::parse("jordan@patients.example").unwrap()).await.unwrap().unwrap().id;
    let started = std::time::Instant::now();
    admin.post_form(&format!("/admin/people/{jordan_id}/active"), &[("active", "false")]).await;
    assert_eq!(closed_within(&mut jordan, Duration::from_secs(2)).await, 4401);
    assert!(started.elapsed() < Duration::from_secs(1), "at once, not at the next check");
    let keep_alive = crate::support::server::client().post(server.at("/session/keep-alive")).header("cookie", &jordan_cookie).send().await.unwrap();
    assert_eq!(keep_alive.status(), StatusCode::UNAUTHORIZED, "a deactivated person's requests get 401");

    // Signing out in one browser closes that browser's socket only.
    let casey = "casey@patients.example";
    let laptop = sign_in_cookie(&server, casey, &password(casey)).await;
    let phone = sign_in_cookie(&server, casey, &password(casey)).await;
    let mut on_laptop = connect(&server.url, Some(&laptop), Some(&origin)).await.unwrap();
    let mut on_phone = connect(&server.url, Some(&phone), Some(&origin)).await.unwrap();
    next_text(&mut on_laptop).await;
    next_text(&mut on_phone).await;
    crate::support::server::client().post(server.at("/sign-out")).header("cookie", &laptop).send().await.unwrap();
    assert_eq!(closed_within(&mut on_laptop, Duration::from_secs(2)).await, 4401);
    on_phone.send(Message::text("{\"type\":\"ping\"}")).await.unwrap();
    assert_eq!(next_text(&mut on_phone).await["type"], "pong", "the other session's socket stays");

    // Ended behind this instance's back (as another instance would): closed at the next check.
    let casey_id = server.store.user_by_email(&Email::parse(casey).unwrap()).await.unwrap().unwrap().id;
    server.store.delete_sessions_of(casey_id).await.unwrap();
    assert_eq!(closed_within(&mut on_phone, Duration::from_secs(8)).await, 4401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivation_on_one_instance_closes_sockets_on_another_at_once() {
    let first = TestServer::start(Backend::Postgres).await;
    let accounts = first.seed_demo().await;
    let second = first.second_instance().await;
    let password = |email: &str| accounts.iter().find(|(_, e, _)| e == email).unwrap().2.clone();

    // Jordan is connected to the second instance; the admin works on the first.
    let cookie = sign_in_cookie(&second, "jordan@patients.example", &password("jordan@patients.example")).await;
    let mut socket = connect(&second.url, Some(&cookie), Some(&second.url)).await.unwrap();
    assert_eq!(next_text(&mut socket).await["type"], "ready");
    let admin = first.new_browser();
    admin.sign_in("admin@riverbend.example", &password("admin@riverbend.example")).await;
    let jordan = first.store.user_by_email(&Email::parse("jordan@patients.example").unwrap()).await.unwrap().unwrap().id;
    let started = std::time::Instant::now();
    admin.post_form(&format!("/admin/people/{jordan}/active"), &[("active", "false")]).await;
    assert_eq!(closed_within(&mut socket, Duration::from_secs(3)).await, 4401);
    assert!(started.elapsed() < Duration::from_secs(2), "through the database's signal, not the 5-second re-check ({:?})", started.elapsed());
}
