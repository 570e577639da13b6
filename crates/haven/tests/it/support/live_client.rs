//! A messaging client over the live WebSocket, as a page would be: it follows a thread from
//! the last number it has, keeps unacknowledged sends and resends them (same client id)
//! after reconnecting, and records every message it receives.

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::HeaderValue;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub struct LiveClient {
    url: String,
    cookie: String,
    pub thread: String,
    socket: Option<Socket>,
    /// seq → (message id, body), everything received.
    pub received: BTreeMap<i64, (String, String)>,
    /// Received frames in arrival order (seq), to check order and duplicates.
    pub arrivals: Vec<i64>,
    /// client id → body, sent but not acknowledged.
    pub pending: BTreeMap<String, String>,
    /// client id → seq, acknowledged.
    pub acked: BTreeMap<String, i64>,
    pub errors: Vec<Value>,
    pub receipts: Vec<Value>,
    pub closed_with: Option<u16>,
}

/// Signs in and returns the `name=value` session cookie.
pub async fn session_cookie(url: &str, email: &str, password: &str) -> String {
    let response = super::server::client().post(format!("{url}/sign-in")).form(&[("email", email), ("password", password)]).send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER, "sign-in for {email}");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("haven_session="))
        .unwrap()
}

impl LiveClient {
    pub async fn sign_in(url: &str, email: &str, password: &str, thread: &str) -> Self {
        let cookie = session_cookie(url, email, password).await;
        Self {
            url: url.to_owned(),
            cookie,
            thread: thread.to_owned(),
            socket: None,
            received: BTreeMap::new(),
            arrivals: Vec::new(),
            pending: BTreeMap::new(),
            acked: BTreeMap::new(),
            errors: Vec::new(),
            receipts: Vec::new(),
            closed_with: None,
        }
    }

    pub fn last_seq(&self) -> i64 {
        self.received.keys().next_back().copied().unwrap_or(0)
    }

    /// Connects, follows the thread from the last number seen and resends what is pending.
    pub async fn connect(&mut self) {
        let mut request = format!("{}/ws", self.url.replace("http://", "ws://")).into_client_request().unwrap();
        request.headers_mut().insert("cookie", HeaderValue::from_str(&self.cookie).unwrap());
        request.headers_mut().insert("origin", HeaderValue::from_str(&self.url).unwrap());
        let (socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        self.socket = Some(socket);
        let follow = json!({ "type": "follow", "thread": self.thread, "after": self.last_seq() });
        self.raw(&follow.to_string()).await;
        let resend: Vec<(String, String)> = self.pending.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        for (client_id, body) in resend {
            self.push(&client_id, &body).await;
        }
    }

    /// Cuts the connection without a goodbye, as a lost network does.
    pub fn drop_connection(&mut self) {
        self.socket = None;
    }

    pub fn connected(&self) -> bool {
        self.socket.is_some()
    }

    pub async fn raw(&mut self, text: &str) {
        if let Some(socket) = self.socket.as_mut()
            && socket.send(Message::Text(text.into())).await.is_err()
        {
            self.socket = None;
        }
    }

    async fn push(&mut self, client_id: &str, body: &str) {
        let frame = json!({ "type": "send", "thread": self.thread, "client_id": client_id, "body": body });
        self.raw(&frame.to_string()).await;
    }

    /// Sends a message (kept pending until acknowledged).
    pub async fn send(&mut self, client_id: &str, body: &str) {
        self.pending.insert(client_id.to_owned(), body.to_owned());
        self.push(client_id, body).await;
    }

    /// Reads frames for up to `wait`; returns how many arrived.
    pub async fn pump(&mut self, wait: Duration) -> usize {
        let mut count = 0;
        let deadline = tokio::time::Instant::now() + wait;
        while let Some(socket) = self.socket.as_mut() {
            let Ok(next) = tokio::time::timeout_at(deadline, socket.next()).await else { break };
            match next {
                Some(Ok(Message::Text(text))) => {
                    count += 1;
                    self.take(serde_json::from_str(&text).unwrap());
                }
                Some(Ok(Message::Close(frame))) => {
                    self.closed_with = frame.map(|f| f.code.into());
                    self.socket = None;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => self.socket = None,
            }
        }
        count
    }

    fn take(&mut self, frame: Value) {
        match frame["type"].as_str() {
            Some("message") => {
                let seq = frame["seq"].as_i64().unwrap();
                self.arrivals.push(seq);
                let previous = self.received.insert(seq, (frame["id"].as_str().unwrap().to_owned(), frame["body"].as_str().unwrap().to_owned()));
                assert!(previous.is_none(), "message {seq} delivered twice");
                if let Some(client_id) = frame["client_id"].as_str()
                    && let Some(body) = self.pending.remove(client_id)
                {
                    assert_eq!(body, frame["body"].as_str().unwrap());
                }
            }
            Some("ack") => {
                let client_id = frame["client_id"].as_str().unwrap().to_owned();
                self.pending.remove(&client_id);
                let seq = frame["seq"].as_i64().unwrap();
                if let Some(first) = self.acked.insert(client_id, seq) {
                    assert_eq!(first, seq, "a resend was acknowledged with another number");
                }
            }
            Some("receipts") => self.receipts.push(frame),
            Some("error") => self.errors.push(frame),
            _ => {}
        }
    }

    /// Pumps until `done` holds (at most `limit`).
    pub async fn until(&mut self, limit: Duration, done: impl Fn(&Self) -> bool) {
        let start = tokio::time::Instant::now();
        while !done(self) {
            assert!(start.elapsed() < limit, "timed out: last seq {}, {} pending, errors {:?}", self.last_seq(), self.pending.len(), self.errors);
            if !self.connected() {
                self.connect().await;
            }
            self.pump(Duration::from_millis(50)).await;
        }
    }
}
