//! A real SMTP server for tests: it speaks enough of RFC 5321 for lettre (EHLO, MAIL,
//! RCPT, DATA, RSET, NOOP, QUIT) and keeps what it receives.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub to: Vec<String>,
    /// The message as sent: headers and body.
    pub raw: String,
}

impl ReceivedMail {
    /// The body with quoted-printable soft breaks and escapes undone. For a multipart
    /// message, the plain-text part.
    pub fn text(&self) -> String {
        if let Some(plain) = self.raw.to_ascii_lowercase().contains("multipart/").then(|| self.part("text/plain")).flatten() {
            return plain;
        }
        let body = self.raw.split_once("\r\n\r\n").map_or(self.raw.as_str(), |(_, b)| b);
        if !self.raw.to_ascii_lowercase().contains("content-transfer-encoding: quoted-printable") {
            return body.to_owned();
        }
        decode_qp(body)
    }

    pub fn subject(&self) -> String {
        self.raw.lines().find_map(|l| l.strip_prefix("Subject: ")).unwrap_or_default().to_owned()
    }

    /// The decoded content of the first MIME part whose type starts with `content_type`.
    pub fn part(&self, content_type: &str) -> Option<String> {
        let lower = self.raw.to_ascii_lowercase();
        let at = lower.find(&format!("content-type: {content_type}"))?;
        let (headers, rest) = self.raw[at..].split_once("\r\n\r\n")?;
        let end = rest.find("\r\n--").unwrap_or(rest.len());
        let body = &rest[..end];
        let encoding = headers.to_ascii_lowercase();
        if encoding.contains("content-transfer-encoding: base64") {
            use base64::Engine as _;
            let compact: String = body.split_whitespace().collect();
            return String::from_utf8(base64::engine::general_purpose::STANDARD.decode(compact).ok()?).ok();
        }
        if encoding.contains("content-transfer-encoding: quoted-printable") {
            return Some(decode_qp(body));
        }
        Some(body.to_owned())
    }

    /// The first link in the body that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let text = self.text();
        let start = text.find(prefix)?;
        Some(text[start..].split_whitespace().next()?.to_owned())
    }
}

/// Undoes quoted-printable soft breaks and escapes.
fn decode_qp(body: &str) -> String {
    let joined = body.replace("=\r\n", "");
    let mut out = Vec::new();
    let bytes = joined.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
    /// While set, a message's data is read but never answered: the sender hangs mid-send.
    stall: Arc<AtomicBool>,
    stalled: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received: Arc<Mutex<Vec<ReceivedMail>>> = Arc::default();
        let (stall, stalled): (Arc<AtomicBool>, Arc<AtomicUsize>) = (Arc::default(), Arc::default());
        let (store, hold, held) = (received.clone(), stall.clone(), stalled.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (store, hold, held) = (store.clone(), hold.clone(), held.clone());
                tokio::spawn(async move {
                    let _ = session(stream, store, hold, held).await;
                });
            }
        });
        Self { port, received, stall, stalled, task }
    }

    /// From now on, messages are read but never answered (or, with `false`, answered again).
    pub fn stall(&self, on: bool) {
        self.stall.store(on, Ordering::SeqCst);
    }

    /// How many messages were read and left unanswered.
    pub fn stalled(&self) -> usize {
        self.stalled.load(Ordering::SeqCst)
    }

    pub fn received(&self) -> Vec<ReceivedMail> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until `count` messages have arrived (at most 10 s).
    pub async fn wait_for(&self, count: usize) -> Vec<ReceivedMail> {
        let start = Instant::now();
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "expected {count} messages, got {}", received.len());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn session(stream: TcpStream, store: Arc<Mutex<Vec<ReceivedMail>>>, stall: Arc<AtomicBool>, stalled: Arc<AtomicUsize>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 haven-test-sink ESMTP\r\n").await?;
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        if command.starts_with("EHLO") {
            write.write_all(b"250-haven-test-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n").await?;
        } else if command.starts_with("RCPT TO:") {
            to.push(line.trim_end()[8..].trim().trim_matches(['<', '>']).to_owned());
            write.write_all(b"250 OK\r\n").await?;
        } else if command == "DATA" {
            write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
            let mut raw = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    break;
                }
                raw.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            if stall.load(Ordering::SeqCst) {
                // Never answered: the sender waits until its connection goes.
                stalled.fetch_add(1, Ordering::SeqCst);
                let mut rest = String::new();
                while lines.read_line(&mut rest).await? > 0 {}
                return Ok(());
            }
            store.lock().unwrap().push(ReceivedMail { to: std::mem::take(&mut to), raw });
            write.write_all(b"250 OK queued\r\n").await?;
        } else if command == "QUIT" {
            write.write_all(b"221 Bye\r\n").await?;
            return Ok(());
        } else {
            // HELO, MAIL FROM, RSET, NOOP
            write.write_all(b"250 OK\r\n").await?;
        }
    }
}
