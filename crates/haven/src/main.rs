//! The `haven` command line.

use std::io::Read as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use haven::config::{Config, Secret};
use haven::{admin, check, demo, logging, server};
use haven_crypto::PasswordHasher;
use haven_domain::{Language, Role, SystemClock};

#[derive(Parser)]
#[command(name = "haven", version, about = "Haven: self-hosted telehealth for mental-health care")]
struct Cli {
    /// Configuration file (default: ./haven.toml when it exists).
    #[arg(long, global = true, env = "HAVEN_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve,
    /// Run a throw-away demo practice (one admin, two clinicians, three patients) on the
    /// embedded database, print its sign-ins, and serve it.
    Demo {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Require two-step sign-in for staff, as a real deployment does (off in the demo
        /// so a newcomer can look around without an authenticator app).
        #[arg(long)]
        staff_mfa: bool,
        /// Seed and serve an empty PostgreSQL database instead of a throw-away SQLite file
        /// (to try several instances: start more with `haven serve` on the same database
        /// and `key_file`). The database is left as it is when the demo stops.
        #[arg(long, value_name = "POSTGRES_URL")]
        database_url: Option<String>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Check the configuration and the database; exits non-zero on any problem.
    Check,
    /// Operator tasks.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a practice (a solo therapist or a clinic).
    CreatePractice {
        /// Short name used in addresses, e.g. riverbend-counseling.
        #[arg(long)]
        slug: String,
        /// The name people see.
        #[arg(long)]
        name: String,
    },
    /// Create an account. Prints a one-time password unless --password-stdin is given.
    CreateUser {
        #[arg(long)]
        email: String,
        /// The person's name as others see it.
        #[arg(long)]
        name: String,
        /// The practice's slug.
        #[arg(long)]
        practice: String,
        /// admin, clinician or patient; repeat for a clinician who is also an admin.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// en or es.
        #[arg(long, default_value = "en", value_parser = parse_language)]
        language: Language,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Let people create their own patient accounts in a practice (at /register/<slug>), or stop it.
    SelfRegistration {
        /// The practice's slug.
        #[arg(long)]
        practice: String,
        /// true to allow, false to stop.
        #[arg(long, action = clap::ArgAction::Set)]
        allow: bool,
    },
    /// Allow someone to use emergency ("break-glass") access to charts in a practice.
    AllowBreakGlass {
        #[arg(long)]
        email: String,
        /// The practice's slug.
        #[arg(long)]
        practice: String,
    },
    /// Re-wrap the data keys under a new key file (run with Haven stopped, then restart
    /// every instance with the new file).
    RotateKey,
    /// Set a new password and sign the person out everywhere. Prints a one-time password
    /// unless --password-stdin is given.
    ResetPassword {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "use admin, clinician or patient".to_owned())
}

fn parse_language(s: &str) -> Result<Language, String> {
    Language::from_tag(s).ok_or_else(|| "use en or es".to_owned())
}

fn read_password(from_stdin: bool) -> anyhow::Result<Option<String>> {
    if !from_stdin {
        return Ok(None);
    }
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    Ok(Some(text.trim_end_matches(['\r', '\n']).to_owned()))
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("haven: {e}");
            return ExitCode::from(2);
        }
    };
    logging::init(config.log_format, &config.log_level);
    match run(cli.command, config).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("haven: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, mut config: Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve => {
            let running = server::start(&config, Arc::new(SystemClock)).await?;
            shutdown_signal().await;
            running.shutdown().await;
        }
        Command::Demo { listen, staff_mfa, database_url } => {
            let dir = demo::throwaway_dir();
            config.listen = listen;
            config.require_staff_mfa = staff_mfa;
            config.data_dir.clone_from(&dir);
            config.database_url = database_url.map(Secret::new);
            config.database_url_file = None;
            config.loopback_links_by_name = true;
            let running = server::start(&config, Arc::new(SystemClock)).await?;
            let hasher = PasswordHasher::new(config.hash_cost()).map_err(|e| anyhow::anyhow!("{e}"))?;
            let accounts = demo::seed(&running.store, &hasher).await?;
            demo::seed_measures(&running.app).await?;
            // "localhost" rather than 127.0.0.1: passkeys (WebAuthn) need a name, not an address;
            // emailed links use the same address.
            let url = config.links_base(running.addr);
            println!("{}", demo::banner(&url, &accounts, &dir.join("outbox"), staff_mfa));
            shutdown_signal().await;
            running.shutdown().await;
            demo::remove_dir(&dir);
        }
        Command::Migrate => {
            let store = server::open_store(&config).await?;
            let status = store.migrate().await?;
            println!("database schema up to date ({} migrations applied)", status.applied.len());
            store.close().await;
        }
        Command::Check => {
            let report = check::run(&config).await;
            print!("{}", report.render());
            if !report.ok() {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Admin(admin_command) => run_admin(admin_command, &config).await?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn run_admin(command: AdminCommand, config: &Config) -> anyhow::Result<()> {
    let store = server::open_store(config).await?;
    store.migrate().await?;
    let hasher = PasswordHasher::new(config.hash_cost()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let result = match command {
        AdminCommand::CreatePractice { slug, name } => {
            let practice = admin::create_practice(&store, &slug, &name).await?;
            println!("created practice {} ({})", practice.name, practice.slug);
            Ok(())
        }
        AdminCommand::CreateUser { email, name, practice, roles, language, password_stdin } => {
            let password = read_password(password_stdin)?;
            let generated = password.is_none();
            let account = admin::NewAccount { email, name, practice, roles, language, password };
            let (_, password) = admin::create_user(&store, &hasher, account).await?;
            println!("created the account");
            if generated {
                println!("one-time password (give it to the person privately): {password}");
            }
            Ok(())
        }
        AdminCommand::SelfRegistration { practice, allow } => {
            let found = store.practice_by_slug(&practice).await?.ok_or_else(|| anyhow::anyhow!("no practice with the slug {practice}"))?;
            store.set_self_registration(found.id, allow).await?;
            if allow {
                println!("self-registration is on: {}/register/{practice}", config.public_url.as_deref().unwrap_or("http://<your server>"));
            } else {
                println!("self-registration is off");
            }
            Ok(())
        }
        AdminCommand::AllowBreakGlass { email, practice } => {
            admin::allow_break_glass(&store, &email, &practice).await?;
            println!("break-glass access allowed; it is used only with a reason, for an hour, and always audited");
            Ok(())
        }
        AdminCommand::RotateKey => {
            let fingerprint = haven::keys::rotate(config, &store).await?;
            println!("key rotated; the key file {} now holds key {fingerprint}: back it up", haven::keys::key_file(config).display());
            Ok(())
        }
        AdminCommand::ResetPassword { email, password_stdin } => {
            let password = read_password(password_stdin)?;
            let generated = password.is_none();
            let password = admin::reset_password(&store, &hasher, &email, password).await?;
            println!("password changed; every session of that person has ended");
            if generated {
                println!("one-time password (give it to the person privately): {password}");
            }
            Ok(())
        }
    };
    store.close().await;
    result
}

/// Ctrl-C, or SIGTERM from systemd or a container runtime.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
