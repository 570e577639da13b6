//! `haven demo`: a throw-away practice to look around in, on the embedded database.

use std::path::{Path, PathBuf};

use haven_crypto::PasswordHasher;
use haven_domain::{Language, Role};
use haven_store::Store;

use crate::admin::{self, NewAccount};

pub struct DemoAccount {
    pub role: &'static str,
    pub name: &'static str,
    pub email: &'static str,
    pub password: String,
}

pub const PRACTICE_SLUG: &str = "riverbend";

const PEOPLE: &[(&str, &str, &str, &[Role], Language)] = &[
    ("admin", "Alex Morgan", "admin@riverbend.example", &[Role::Admin], Language::En),
    ("clinician", "Dr. Maya Lee", "maya.lee@riverbend.example", &[Role::Clinician], Language::En),
    ("clinician", "Dr. Samuel Ortiz", "samuel.ortiz@riverbend.example", &[Role::Clinician, Role::Admin], Language::Es),
    ("patient", "Jordan Rivera", "jordan@patients.example", &[Role::Patient], Language::En),
    ("patient", "Ana García", "ana@patients.example", &[Role::Patient], Language::Es),
    ("patient", "Casey Kim", "casey@patients.example", &[Role::Patient], Language::En),
];

/// A fresh, empty directory for the demo's data, removed again when the demo stops.
#[must_use]
pub fn throwaway_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("haven-demo-{}-{}", std::process::id(), jiff::Timestamp::now().as_second()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

pub fn remove_dir(dir: &Path) {
    if let Err(e) = std::fs::remove_dir_all(dir) {
        tracing::warn!(error = %e, "could not remove the demo data directory");
    }
}

/// Creates the demo practice and its people; returns their sign-ins.
pub async fn seed(store: &Store, hasher: &PasswordHasher) -> anyhow::Result<Vec<DemoAccount>> {
    admin::create_practice(store, PRACTICE_SLUG, "Riverbend Counseling").await?;
    let mut accounts = Vec::new();
    for (role, name, email, roles, language) in PEOPLE {
        let (_, password) = admin::create_user(
            store,
            hasher,
            NewAccount {
                email: (*email).to_owned(),
                name: (*name).to_owned(),
                practice: PRACTICE_SLUG.to_owned(),
                roles: roles.to_vec(),
                language: *language,
                password: None,
            },
        )
        .await?;
        accounts.push(DemoAccount { role, name, email, password });
    }
    // Care teams, so each clinician has patients to look after; Dr. Ortiz may use
    // emergency access, so a newcomer can see how break-glass works.
    let practice = store.practice_by_slug(PRACTICE_SLUG).await?.ok_or_else(|| anyhow::anyhow!("the demo practice vanished"))?;
    let id = |email: &str| {
        let email = haven_domain::Email::parse(email);
        async move {
            let email = email.map_err(|_| anyhow::anyhow!("a demo email is not valid"))?;
            anyhow::Ok(store.user_by_email(&email).await?.map(|u| u.id))
        }
    };
    let now = jiff::Timestamp::now();
    for (patient, clinician) in [
        ("jordan@patients.example", "maya.lee@riverbend.example"),
        ("casey@patients.example", "maya.lee@riverbend.example"),
        ("ana@patients.example", "samuel.ortiz@riverbend.example"),
    ] {
        if let (Some(p), Some(c)) = (id(patient).await?, id(clinician).await?) {
            store.assign_care_team(practice.id, p, c, now).await?;
        }
    }
    admin::allow_break_glass(store, "samuel.ortiz@riverbend.example", PRACTICE_SLUG).await?;
    store.set_self_registration(practice.id, true).await?;
    crate::demo_schedule::seed(store, practice.id).await?;
    Ok(accounts)
}

/// The demo's questionnaire history and schedules: stored through the running services,
/// which seal answers with the instance's key.
pub async fn seed_measures(app: &haven_app::App) -> anyhow::Result<()> {
    let practice = app.cx.store.practice_by_slug(PRACTICE_SLUG).await?.ok_or_else(|| anyhow::anyhow!("the demo practice vanished"))?;
    crate::demo_measures::seed(app, practice.id).await
}

/// The sign-in table printed when the demo starts.
#[must_use]
pub fn banner(url: &str, accounts: &[DemoAccount], outbox: &Path, staff_mfa: bool) -> String {
    let mut out =
        format!("\nHaven demo is running at {url}\nSign in at {url}/sign-in with any of these (the data is thrown away when you stop the demo):\n\n");
    for a in accounts {
        out.push_str(&format!("  {:<10} {:<18} {:<32} {}\n", a.role, a.name, a.email, a.password));
    }
    if !staff_mfa {
        out.push_str("\nTwo-step sign-in for staff is off in the demo (it is required by default; try `haven demo --staff-mfa`).\n");
    }
    out.push_str(
        "\nA video visit between Jordan Rivera (patient) and Dr. Maya Lee starts within ten minutes: sign in as each in two\n\
         windows (one of them private, so the sessions don't mix) and select \"Join the visit\" on the start page.\n",
    );
    out.push_str(&format!("\nThe demo sends no real mail: invitations and reset links are written to {}\n", outbox.display()));
    out.push_str("\nStop with Ctrl-C.\n");
    out
}
