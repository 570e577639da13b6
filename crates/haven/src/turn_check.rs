//! `haven check`'s TURN line: asks the configured coturn for a relay with a credential
//! minted exactly as visit pages get theirs. A 401 after signing means the shared secrets
//! differ; no answer means the address or a firewall is wrong. The relay is released at once.

use std::net::ToSocketAddrs as _;
use std::time::Duration;

use haven_crypto::stun::{self, ALLOCATE, Answer, Credential, REFRESH};
use haven_crypto::turn::turn_credential;
use tokio::net::UdpSocket;

use crate::config::TurnSettings;

const WAIT: Duration = Duration::from_secs(3);

/// `host:port` of the first `turn:` URL with UDP transport (the default).
fn udp_address(urls: &[String]) -> Option<String> {
    urls.iter().find_map(|u| {
        let rest = u.strip_prefix("turn:")?;
        let (host_port, query) = rest.split_once('?').unwrap_or((rest, ""));
        if !query.is_empty() && !query.contains("transport=udp") {
            return None;
        }
        Some(if host_port.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok()) {
            host_port.to_owned()
        } else {
            format!("{host_port}:3478")
        })
    })
}

async fn ask(socket: &UdpSocket, message: &[u8], transaction: [u8; 12]) -> Result<Answer, String> {
    socket.send(message).await.map_err(|e| e.to_string())?;
    let mut buf = [0u8; 1500];
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let n = tokio::time::timeout_at(deadline, socket.recv(&mut buf))
            .await
            .map_err(|_| "no answer: is coturn running there, and is its UDP port open?".to_owned())?
            .map_err(|e| format!("no answer ({e}): is coturn running there, and is its UDP port open?"))?;
        if let Some(answer) = stun::answer(&buf[..n], transaction) {
            return Ok(answer);
        }
    }
}

fn transaction() -> [u8; 12] {
    let mut t = [0u8; 12];
    t.copy_from_slice(&uuid::Uuid::new_v4().as_bytes()[..12]);
    t
}

/// One line for `haven check`: (ok, text).
pub async fn check(turn: &TurnSettings) -> (bool, String) {
    let Some(address) = udp_address(&turn.urls) else {
        return (false, "TURN: no turn: URL with UDP transport to test in turn.urls".into());
    };
    let Some(secret) = turn.secret.as_ref().map(|s| s.expose().to_owned()) else {
        return (false, "TURN: turn.secret is not set".into());
    };
    let Ok(Some(target)) = address.to_socket_addrs().map(|mut a| a.next()) else {
        return (false, format!("TURN: can't resolve {address}"));
    };
    let result = async {
        let socket = UdpSocket::bind(if target.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" }).await.map_err(|e| e.to_string())?;
        socket.connect(target).await.map_err(|e| e.to_string())?;
        // First unsigned: the server answers 401 with its realm and a nonce.
        let t = transaction();
        let (realm, nonce) = match ask(&socket, &stun::request(ALLOCATE, t, None, None), t).await? {
            Answer::Error { code: 401, realm, nonce } => (realm, nonce),
            Answer::Error { code, .. } => return Err(format!("answered {code} to an unsigned request")),
            Answer::Success => return Err("allocated a relay without credentials: turn on use-auth-secret in coturn".into()),
        };
        let expires = jiff::Timestamp::now().as_second() + 300;
        let c = turn_credential(&secret, "haven-check", expires);
        let credential = Credential { username: &c.username, password: &c.credential, realm: &realm, nonce: &nonce };
        let t = transaction();
        match ask(&socket, &stun::request(ALLOCATE, t, Some(&credential), None), t).await? {
            Answer::Success => {
                let t = transaction();
                let _ = ask(&socket, &stun::request(REFRESH, t, Some(&credential), Some(0)), t).await;
                Ok(())
            }
            Answer::Error { code: 401, .. } => Err("refused Haven's credentials (401): turn.secret differs from coturn's static-auth-secret".into()),
            Answer::Error { code, .. } => Err(format!("refused the relay request ({code})")),
        }
    }
    .await;
    match result {
        Ok(()) => (true, format!("TURN at {address} accepts Haven's credentials and relays")),
        Err(why) => (false, format!("TURN at {address}: {why}")),
    }
}

#[cfg(test)]
mod tests {
    use super::udp_address;

    #[test]
    fn finds_the_udp_address() {
        assert_eq!(udp_address(&["turns:x:5349".into(), "turn:turn.example.org?transport=udp".into()]), Some("turn.example.org:3478".into()));
        assert_eq!(udp_address(&["turn:10.0.0.1:3479".into()]), Some("10.0.0.1:3479".into()));
        assert_eq!(udp_address(&["turn:10.0.0.1:3479?transport=tcp".into()]), None);
    }
}
