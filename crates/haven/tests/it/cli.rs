//! The `haven` binary as an operator meets it: help, bad configuration, unreachable
//! databases, migrate, check and admin commands.

use std::process::{Command, Output, Stdio};

use crate::support::TempDir;

fn haven(dir: &TempDir, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_haven"));
    command.args(args).current_dir(dir.path()).env("HAVEN_DATA_DIR", dir.path()).env("HAVEN_LOG_LEVEL", "warn");
    // The suite's own environment must not leak into the binary's configuration.
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("HAVEN_") && !k.starts_with("HAVEN_TEST_")) {
        if key != "HAVEN_DATA_DIR" && key != "HAVEN_LOG_LEVEL" {
            command.env_remove(key);
        }
    }
    command.env("HAVEN_PASSWORD_HASHING__MEMORY_KIB", "8192").env("HAVEN_PASSWORD_HASHING__ITERATIONS", "1");
    for (k, v) in env {
        command.env(k, v);
    }
    command.stdin(Stdio::null()).output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn every_subcommand_has_help() {
    let dir = TempDir::new("cli");
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["demo", "--help"],
        &["migrate", "--help"],
        &["check", "--help"],
        &["admin", "--help"],
        &["admin", "create-practice", "--help"],
        &["admin", "create-user", "--help"],
        &["admin", "reset-password", "--help"],
        &["admin", "self-registration", "--help"],
        &["admin", "allow-break-glass", "--help"],
        &["admin", "rotate-key", "--help"],
    ] {
        let output = haven(&dir, args, &[]);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert!(stdout(&output).contains("Usage:"), "{args:?}");
    }
}

#[test]
fn broken_configuration_stops_start_up_with_one_line_naming_the_key() {
    let dir = TempDir::new("cli");
    let output = haven(&dir, &["serve"], &[("HAVEN_LISTEN", "nowhere")]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("listen") && err.contains("HAVEN_LISTEN"), "{err}");

    std::fs::write(dir.path().join("haven.toml"), "[crisis]\nemergency_number = \"\"\nlines = []\n").unwrap();
    let output = haven(&dir, &["serve"], &[]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("crisis") && err.contains("emergency number"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn an_unreachable_database_stops_start_up_with_one_line() {
    let dir = TempDir::new("cli");
    // Nothing listens on port 1.
    let output = haven(&dir, &["serve"], &[("HAVEN_DATABASE_URL", "postgres://haven:pw@127.0.0.1:1/haven")]);
    assert!(!output.status.success());
    let err = stderr(&output);
    let lines: Vec<_> = err.trim().lines().filter(|l| !l.contains("WARN")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("can't open the database"), "{err}");
    assert!(!err.contains(":pw@"), "the password must not be printed: {err}");
}

#[test]
fn check_fails_until_migrated_then_passes() {
    let dir = TempDir::new("cli");
    let output = haven(&dir, &["check"], &[]);
    assert!(!output.status.success());
    assert!(stdout(&output).contains("FAIL") && stdout(&output).contains("haven migrate"), "{}", stdout(&output));

    let output = haven(&dir, &["migrate"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));

    let output = haven(&dir, &["check"], &[]);
    assert!(output.status.success(), "{}{}", stdout(&output), stderr(&output));
    assert!(!stdout(&output).contains("FAIL"));
}

#[test]
fn admin_creates_practices_and_people_and_resets_passwords() {
    let dir = TempDir::new("cli");
    let ok = |output: Output| {
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    ok(haven(&dir, &["admin", "create-practice", "--slug", "hillside", "--name", "Hillside Therapy"], &[]));
    let out = ok(haven(
        &dir,
        &[
            "admin",
            "create-user",
            "--email",
            "kim@hillside.example",
            "--name",
            "Dr. Kim",
            "--practice",
            "hillside",
            "--role",
            "clinician",
            "--role",
            "admin",
        ],
        &[],
    ));
    assert!(out.contains("one-time password"), "{out}");

    let output = haven(
        &dir,
        &["admin", "create-user", "--email", "kim@hillside.example", "--name", "Again", "--practice", "hillside", "--role", "patient"],
        &[],
    );
    assert!(!output.status.success());
    assert!(stderr(&output).contains("already exists"), "{}", stderr(&output));

    let output = haven(
        &dir,
        &[
            "admin",
            "create-user",
            "--email",
            "x@hillside.example",
            "--name",
            "X",
            "--practice",
            "hillside",
            "--role",
            "patient",
            "--role",
            "clinician",
        ],
        &[],
    );
    assert!(stderr(&output).contains("patient can't also hold a staff role"), "{}", stderr(&output));

    let out = ok(haven(&dir, &["admin", "reset-password", "--email", "kim@hillside.example"], &[]));
    assert!(out.contains("every session"), "{out}");
    let output = haven(&dir, &["admin", "reset-password", "--email", "nobody@hillside.example"], &[]);
    assert!(!output.status.success());
}

#[test]
fn logs_can_be_json_one_object_per_line() {
    let dir = TempDir::new("cli");
    let output = haven(&dir, &["migrate"], &[("HAVEN_LOG_FORMAT", "json"), ("HAVEN_LOG_LEVEL", "info")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    let lines: Vec<serde_json::Value> = err.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect();
    let applied = lines.iter().find(|l| l["message"] == "applied migration").expect("the migration was logged");
    assert_eq!(applied["level"], "INFO");
    assert!(applied["version"].is_number() && applied["timestamp"].is_string(), "{applied}");
}

#[test]
fn the_key_file_is_private_belongs_to_its_database_and_rotates() {
    let dir = TempDir::new("cli");
    let key = dir.path().join("keys").join("haven.kek");
    // First start creates the key file (mode 0600) and the first data key.
    let output = haven(&dir, &["admin", "create-practice", "--slug", "keys", "--name", "Keys"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = haven(&dir, &["check"], &[]);
    assert!(!key.exists(), "check creates nothing");
    assert!(output.status.success(), "{}", stdout(&output));
    let serve_once = |dir: &TempDir| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_haven"))
            .arg("serve")
            .current_dir(dir.path())
            .env("HAVEN_DATA_DIR", dir.path())
            .env("HAVEN_LISTEN", "127.0.0.1:0")
            .env("HAVEN_LOG_LEVEL", "warn")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1500));
        let exited = child.try_wait().unwrap();
        if exited.is_none() {
            child.kill().unwrap();
        }
        let output = child.wait_with_output().unwrap();
        (exited, String::from_utf8_lossy(&output.stderr).into_owned())
    };
    let (exited, err) = serve_once(&dir);
    assert!(exited.is_none(), "serve keeps running: {err}");
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(stdout(&haven(&dir, &["check"], &[])).contains("opens the database's 1 data key"));

    // Readable by others: refused in one line that says how to fix it.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (exited, err) = serve_once(&dir);
    assert!(exited.is_some_and(|s| !s.success()), "{err}");
    assert!(err.contains("chmod 600"), "{err}");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();

    // Rotation: the old file no longer opens the keys, the new one does.
    let old = std::fs::read(&key).unwrap();
    let output = haven(&dir, &["admin", "rotate-key"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(haven(&dir, &["check"], &[]).status.success());
    let rotated = std::fs::read(&key).unwrap();
    std::fs::write(&key, &old).unwrap();
    let output = haven(&dir, &["check"], &[]);
    assert!(!output.status.success() && stdout(&output).contains("does not open"), "{}", stdout(&output));
    let (exited, err) = serve_once(&dir);
    assert!(exited.is_some_and(|s| !s.success()) && err.contains("does not open"), "{err}");
    std::fs::write(&key, &rotated).unwrap();

    // A missing key file with sealed data is an error, never a silent new key.
    std::fs::remove_file(&key).unwrap();
    let (exited, err) = serve_once(&dir);
    assert!(exited.is_some_and(|s| !s.success()) && err.contains("is missing"), "{err}");
    assert!(!key.exists());
}

/// A coturn on a free loopback port with `secret`; killed when dropped.
struct Coturn(std::process::Child, u16);

impl Coturn {
    /// Starts coturn on a free port. The port is free for UDP when chosen; its TCP twin may
    /// be taken by another test meanwhile, so a coturn that doesn't answer within a few
    /// seconds is stopped and another port tried.
    fn start(secret: &str) -> Self {
        for _ in 0..3 {
            let port = std::net::UdpSocket::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            let child = Command::new("turnserver")
                .args([
                    "-n",
                    "--listening-ip=127.0.0.1",
                    "--relay-ip=127.0.0.1",
                    "--no-tls",
                    "--no-dtls",
                    "--no-cli",
                    "--fingerprint",
                    "--use-auth-secret",
                    "--realm=haven.test",
                    "--log-file=stdout",
                ])
                .arg(format!("--listening-port={port}"))
                .arg(format!("--static-auth-secret={secret}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("coturn is installed (scripts/test.sh installs it)");
            // Killed on drop, also when it never answers.
            let coturn = Self(child, port);
            // Ready when it answers a STUN Binding Request.
            let probe = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
            probe.set_read_timeout(Some(std::time::Duration::from_millis(100))).unwrap();
            let mut binding = vec![0, 1, 0, 0, 0x21, 0x12, 0xA4, 0x42];
            binding.extend_from_slice(&[7; 12]);
            for _ in 0..80 {
                probe.send_to(&binding, ("127.0.0.1", port)).unwrap();
                if probe.recv(&mut [0; 512]).is_ok() {
                    return coturn;
                }
            }
        }
        panic!("coturn didn't answer on three ports");
    }
}

impl Drop for Coturn {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn check_verifies_that_haven_and_coturn_share_the_secret() {
    let secret = "the-shared-secret-0123456789";
    let coturn = Coturn::start(secret);
    let dir = TempDir::new("cli-turn");
    assert!(haven(&dir, &["migrate"], &[]).status.success());
    let urls = format!("[\"turn:127.0.0.1:{}?transport=udp\"]", coturn.1);

    let output = haven(&dir, &["check"], &[("HAVEN_TURN__URLS", &urls), ("HAVEN_TURN__SECRET", secret)]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(stdout(&output).contains("accepts Haven's credentials and relays"), "{}", stdout(&output));

    let output = haven(&dir, &["check"], &[("HAVEN_TURN__URLS", &urls), ("HAVEN_TURN__SECRET", "not-the-shared-secret-000")]);
    assert!(!output.status.success());
    assert!(stdout(&output).contains("turn.secret differs from coturn's static-auth-secret"), "{}", stdout(&output));

    drop(coturn);
    let output = haven(&dir, &["check"], &[("HAVEN_TURN__URLS", &urls), ("HAVEN_TURN__SECRET", secret)]);
    assert!(!output.status.success());
    assert!(stdout(&output).contains("is coturn running there"), "{}", stdout(&output));

    let output = haven(&dir, &["check"], &[("HAVEN_TURN__URLS", "[\"https://nope\"]"), ("HAVEN_TURN__SECRET", secret)]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("turn.urls"), "{}", stderr(&output));
}
