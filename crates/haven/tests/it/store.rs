//! The storage conformance suite: every test runs on SQLite and on PostgreSQL.

use haven_domain::{Email, Language, PracticeId, Role};
use haven_store::{NewSession, NewUser, Store, StoreError};
use jiff::{SignedDuration, Timestamp};

use crate::support::both_backends;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn person(practice: PracticeId, email: &str, roles: &[Role]) -> NewUser {
    NewUser {
        email: Email::parse(email).unwrap(),
        display_name: "Test Person".into(),
        password_hash: Some("$argon2id$stub".into()),
        language: Language::Es,
        practice,
        roles: roles.to_vec(),
    }
}

async fn practice(store: &Store) -> PracticeId {
    store.create_practice("riverbend", "Riverbend Counseling", t("2026-01-01T00:00:00Z")).await.unwrap().id
}

both_backends! {
    async fn migrations_are_idempotent_and_recorded(store: Store) {
        let first = store.migration_status().await.unwrap();
        assert!(first.pending.is_empty());
        assert!(!first.applied.is_empty());
        let again = store.migrate().await.unwrap();
        assert_eq!(first, again);
        store.ping().await.unwrap();
        store.integrity_check().await.unwrap();
    }
}

both_backends! {
    async fn practices_are_unique_by_slug(store: Store) {
        let id = practice(&store).await;
        let found = store.practice_by_slug("riverbend").await.unwrap().unwrap();
        assert_eq!(found.id, id);
        assert_eq!(found.created_at, t("2026-01-01T00:00:00Z"));
        assert!(store.practice_by_slug("nope").await.unwrap().is_none());
        let dup = store.create_practice("riverbend", "Other", t("2026-01-02T00:00:00Z")).await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
        assert_eq!(store.list_practices().await.unwrap().len(), 1);
    }
}

both_backends! {
    async fn users_with_roles_round_trip(store: Store) {
        let practice = practice(&store).await;
        let id = store
            .create_user(&person(practice, "Dr.Lee@Example.org", &[Role::Clinician, Role::Admin]), t("2026-01-01T10:00:00Z"))
            .await
            .unwrap();
        let user = store.user(id).await.unwrap().unwrap();
        assert_eq!(user.email.as_str(), "dr.lee@example.org");
        assert_eq!(user.language, Language::Es);
        assert!(user.active);
        assert!(user.has_role(Role::Clinician) && user.has_role(Role::Admin) && !user.has_role(Role::Patient));
        let by_email = store.user_by_email(&Email::parse("DR.LEE@example.org").unwrap()).await.unwrap().unwrap();
        assert_eq!(by_email.id, id);
        assert_eq!(store.password_hash(id).await.unwrap().as_deref(), Some("$argon2id$stub"));
        assert_eq!(store.count_users().await.unwrap(), 1);
    }
}

both_backends! {
    async fn duplicate_emails_and_patient_staff_mixes_write_nothing(store: Store) {
        let practice = practice(&store).await;
        store.create_user(&person(practice, "a@example.org", &[Role::Patient]), Timestamp::now()).await.unwrap();
        let dup = store.create_user(&person(practice, "A@example.org", &[Role::Patient]), Timestamp::now()).await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
        let mixed = store.create_user(&person(practice, "b@example.org", &[Role::Patient, Role::Clinician]), Timestamp::now()).await;
        assert!(matches!(mixed, Err(StoreError::Conflict(_))), "{mixed:?}");
        assert!(store.user_by_email(&Email::parse("b@example.org").unwrap()).await.unwrap().is_none());
        assert_eq!(store.count_users().await.unwrap(), 1);
    }
}

both_backends! {
    async fn sessions_expire_and_end_with_password_change_or_deactivation(store: Store) {
        let practice = practice(&store).await;
        let user = store.create_user(&person(practice, "p@example.org", &[Role::Patient]), Timestamp::now()).await.unwrap();
        let now = t("2026-03-01T12:00:00Z");
        let new = |hash: &str| NewSession {
            token_hash: hash.to_owned(),
            user,
            now,
            expires_at: now.checked_add(SignedDuration::from_hours(12)).unwrap(),
        };
        let id = store.create_session(&new("h1")).await.unwrap();
        let found = store.session_by_token("h1", now).await.unwrap().unwrap();
        assert_eq!((found.id, found.user, found.last_seen_at), (id, user, now));
        assert!(store.session_by_token("other", now).await.unwrap().is_none());
        assert!(store.session_by_token("h1", t("2026-03-02T00:00:00Z")).await.unwrap().is_none(), "past the absolute limit");

        let later = t("2026-03-01T12:10:00Z");
        store.touch_session(id, later).await.unwrap();
        assert_eq!(store.session_by_token("h1", later).await.unwrap().unwrap().last_seen_at, later);

        store.set_password(user, "$argon2id$new").await.unwrap();
        assert!(store.session_by_token("h1", later).await.unwrap().is_none(), "a password change ends sessions");

        store.create_session(&new("h2")).await.unwrap();
        store.set_active(user, false).await.unwrap();
        assert!(store.session_by_token("h2", now).await.unwrap().is_none(), "deactivation ends sessions");
        store.set_active(user, true).await.unwrap();
        store.create_session(&new("h3")).await.unwrap();
        assert!(store.session_by_token("h3", now).await.unwrap().is_some());
        assert_eq!(store.delete_sessions_of(user).await.unwrap(), 1);
    }
}

both_backends! {
    async fn purge_removes_only_ended_sessions(store: Store) {
        let practice = practice(&store).await;
        let user = store.create_user(&person(practice, "q@example.org", &[Role::Patient]), Timestamp::now()).await.unwrap();
        let start = t("2026-03-01T00:00:00Z");
        for (hash, minutes_ago, hours_left) in [("fresh", 1, 5), ("idle", 90, 5), ("expired", 1, -1)] {
            let now = start.checked_sub(SignedDuration::from_mins(minutes_ago)).unwrap();
            store
                .create_session(&NewSession {
                    token_hash: hash.into(),
                    user,
                    now,
                    expires_at: start.checked_add(SignedDuration::from_hours(hours_left)).unwrap(),
                })
                .await
                .unwrap();
        }
        let idle_before = start.checked_sub(SignedDuration::from_mins(30)).unwrap();
        assert_eq!(store.purge_sessions(start, idle_before).await.unwrap(), 2);
        assert!(store.session_by_token("fresh", start).await.unwrap().is_some());
    }
}

both_backends! {
    async fn rate_limit_counters_count_per_window_and_purge(store: Store) {
        assert_eq!(store.rate_limit_count("b", 1_000).await.unwrap(), 0);
        for expected in 1..=3 {
            assert_eq!(store.rate_limit_hit("b", 1_000).await.unwrap(), expected);
        }
        assert_eq!(store.rate_limit_hit("other", 1_000).await.unwrap(), 1);
        assert_eq!(store.rate_limit_count("b", 1_000).await.unwrap(), 3);
        assert_eq!(store.rate_limit_hit("b", 2_000).await.unwrap(), 1, "a new window starts over");
        assert_eq!(store.rate_limit_count("b", 1_000).await.unwrap(), 0);
        assert_eq!(store.purge_rate_limits(1_500).await.unwrap(), 1);
        assert_eq!(store.rate_limit_count("b", 2_000).await.unwrap(), 1);
    }
}

/// Many messages and audit entries written at once (on SQLite they share group commits):
/// every thread numbers 1..n without gaps, a resend stores nothing, a message for a thread
/// that doesn't exist fails alone (its batch is written again piece by piece), mail goes
/// with its message, every audit entry lands in one intact chain, and the answers carry the
/// right audit numbers.
mod concurrent_writes {
    use haven_domain::audit::{AuditAction, AuditEvent, DataCategory, Outcome};
    use haven_domain::{MessageId, ThreadId, UserId};
    use haven_store::{AuditFilter, NewJob, NewMessage};

    use super::*;

    fn message(thread: ThreadId, sender: UserId, client_id: &str) -> NewMessage {
        NewMessage {
            id: MessageId::new(),
            thread,
            sender,
            client_id: client_id.into(),
            sealed_body: vec![1, 2, 3],
            automatic: false,
            attachment: None,
        }
    }

    fn event(actor: UserId, action: AuditAction) -> AuditEvent {
        AuditEvent {
            at: t("2026-03-01T10:00:00Z"),
            actor: Some(actor),
            practice: None,
            patient: None,
            action,
            category: DataCategory::Messages,
            source: Some("test".into()),
            outcome: Outcome::Success,
        }
    }

    both_backends! {
        async fn messages_and_audits_written_together_stay_exact(store: Store) {
            let practice = practice(&store).await;
            let now = t("2026-03-01T10:00:00Z");
            let mut threads = Vec::new();
            for i in 0..3 {
                let patient = store.create_user(&person(practice, &format!("p{i}@example.org"), &[Role::Patient]), now).await.unwrap();
                threads.push((store.thread_of(practice, patient, now).await.unwrap().id, patient));
            }
            let mut tasks = tokio::task::JoinSet::new();
            for i in 0..60 {
                let (writer, (thread, patient)) = (store.clone(), threads[i % 3]);
                tasks.spawn(async move {
                    // Every tenth also schedules a job (the path with a notice).
                    let job = |i: usize| NewJob { id: uuid::Uuid::now_v7(), kind: "test.notice".into(), unique_key: format!("notice-{i}"), subject: None, payload: Vec::new(), sealed: false, run_at: now };
                    let jobs = if i % 10 == 0 { vec![job(i)] } else { vec![] };
                    let sent = writer.send_message(&message(thread, patient, &format!("c{i}")), &[event(patient, AuditAction::Create)], &jobs, now).await.unwrap();
                    // A resend of the same client id: the same number, nothing new.
                    let again = writer.send_message(&message(thread, patient, &format!("c{i}")), &[event(patient, AuditAction::Create)], &[], now).await.unwrap();
                    assert!(sent.created && !again.created && again.seq == sent.seq && again.id == sent.id);
                    None
                });
            }
            for i in 0..40 {
                let (writer, patient) = (store.clone(), threads[0].1);
                tasks.spawn(async move {
                    let seq = writer.append_audit(&event(patient, AuditAction::Read)).await.unwrap();
                    Some(seq)
                });
                if i % 8 == 0 {
                    let (writer, patient) = (store.clone(), threads[1].1);
                    tasks.spawn(async move {
                        // A message for a thread that doesn't exist fails by itself.
                        let result = writer.send_message(&message(ThreadId::new(), patient, "lost"), &[event(patient, AuditAction::Create)], &[], now).await;
                        assert!(result.is_err());
                        None
                    });
                }
            }
            let mut audit_numbers = Vec::new();
            while let Some(done) = tasks.join_next().await {
                audit_numbers.extend(done.unwrap());
            }
            for (thread, _) in &threads {
                let seqs: Vec<i64> = store.messages_after(*thread, 0, 100).await.unwrap().iter().map(|m| m.seq).collect();
                assert_eq!(seqs, (1..=20).collect::<Vec<_>>(), "each thread numbers its messages without gaps");
                assert_eq!(store.thread(*thread).await.unwrap().unwrap().last_seq, 20);
            }
            assert_eq!(store.pending_jobs_of_kind("test.notice").await.unwrap(), 6, "a job goes with its message");
            let chain = store.verify_audit_chain().await.unwrap();
            assert_eq!(chain.first_bad, None);
            assert_eq!(chain.entries, 60 + 40, "one entry per stored message and per audit; none for resends or failures");
            // Each audit answer names its own entry.
            let reads = store.audit_entries(&AuditFilter { action: Some(AuditAction::Read), limit: 1000, ..AuditFilter::default() }).await.unwrap();
            let mut stored: Vec<i64> = reads.iter().map(|r| r.seq).collect();
            stored.sort_unstable();
            audit_numbers.sort_unstable();
            assert_eq!(audit_numbers, stored);
        }
    }
}

/// A thread's people, as one read for the send path: the patient, the care team's
/// clinicians, the admins only while the front desk answers messages; never a deactivated
/// account or someone without the role; and who has something unread.
mod thread_people {
    use haven_domain::audit::{AuditAction, AuditEvent, DataCategory, Outcome};
    use haven_domain::{MessageId, UserId};
    use haven_store::NewMessage;

    use super::*;

    both_backends! {
        async fn a_threads_people_follow_roles_care_team_and_front_desk(store: Store) {
            let practice = practice(&store).await;
            let now = t("2026-03-01T10:00:00Z");
            let user = |email: &'static str, roles: &'static [Role]| {
                let store = store.clone();
                async move { store.create_user(&person(practice, email, roles), now).await.unwrap() }
            };
            let patient = user("p@example.org", &[Role::Patient]).await;
            let clinician = user("c@example.org", &[Role::Clinician]).await;
            let gone = user("gone@example.org", &[Role::Clinician]).await;
            let no_role = user("norole@example.org", &[Role::Admin]).await;
            let desk = user("desk@example.org", &[Role::Admin]).await;
            let _stranger = user("x@example.org", &[Role::Clinician]).await;
            for c in [clinician, gone, no_role] {
                store.assign_care_team(practice, patient, c, now).await.unwrap();
            }
            store.set_active(gone, false).await.unwrap();
            let thread = store.thread_of(practice, patient, now).await.unwrap();
            let ids = |people: &[haven_store::ThreadPerson]| {
                let mut ids: Vec<UserId> = people.iter().map(|p| p.id).collect();
                ids.sort();
                ids
            };
            let sorted = |mut v: Vec<UserId>| {
                v.sort();
                v
            };

            let people = store.thread_people(&thread).await.unwrap();
            assert_eq!(ids(&people), sorted(vec![patient, clinician]), "the care team's admin without the clinician role is not on it");
            assert!(people.iter().all(|p| !p.has_unread && p.away_reply.is_empty()));
            assert_eq!(people.iter().find(|p| p.id == clinician).unwrap().email, "c@example.org");

            let message = NewMessage { id: MessageId::new(), thread: thread.id, sender: clinician, client_id: "c-1".into(), sealed_body: vec![1], automatic: false, attachment: None };
            let audit = AuditEvent { at: now, actor: Some(clinician), practice: None, patient: None, action: AuditAction::Create, category: DataCategory::Messages, source: None, outcome: Outcome::Success };
            store.send_message(&message, &[audit], &[], now).await.unwrap();
            store.set_messaging_settings(practice, 24, true).await.unwrap();
            let people = store.thread_people(&thread).await.unwrap();
            assert_eq!(ids(&people), sorted(vec![patient, clinician, no_role, desk]), "with the front desk on, the admins too");
            let unread: Vec<UserId> = people.iter().filter(|p| p.has_unread).map(|p| p.id).collect();
            assert_eq!(sorted(unread), sorted(vec![patient, no_role, desk]), "everyone but the sender has the message unread");
        }
    }
}

/// SQLite's WAL is copied into the database file in the background, not only by the commit
/// that crosses SQLite's own threshold (1,000 pages): a few hundred KiB of writes, well
/// below it, reach the database file within moments.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_copies_its_wal_back_in_the_background() {
    use haven_domain::audit::{AuditAction, AuditEvent, DataCategory, Outcome};

    let db = crate::support::TestDb::new(crate::support::Backend::Sqlite).await;
    let store = db.store().await;
    let file = std::path::PathBuf::from(db.url.trim_start_matches("sqlite://"));
    let size = || std::fs::metadata(&file).unwrap().len();
    // The migrations' pages are copied first.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let before = size();
    let event = AuditEvent {
        at: t("2026-03-01T10:00:00Z"),
        actor: None,
        practice: None,
        patient: None,
        action: AuditAction::SignIn,
        category: DataCategory::Account,
        source: Some("127.0.0.1".into()),
        outcome: Outcome::Success,
    };
    store.append_audits(&vec![event; 2000]).await.unwrap();
    let start = std::time::Instant::now();
    while size() < before + 256 * 1024 {
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "the database file stayed at {} bytes (from {before})", size());
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// After migrations both databases hold the same schema: the same tables; in each the same
/// columns (name, nullability, type family); the same unique column sets and foreign keys.
/// The two migration folders can't drift apart unnoticed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_have_the_same_schema() {
    use crate::support::{Backend, TestDb};
    let (sqlite, postgres) = (TestDb::new(Backend::Sqlite).await, TestDb::new(Backend::Postgres).await);
    let (a, b) = (sqlite.store().await.schema().await.unwrap(), postgres.store().await.schema().await.unwrap());
    let names = |s: &haven_store::Schema| s.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "the same tables");
    assert!(a.len() >= 30, "the schema was read ({} tables)", a.len());
    // What the comparison rests on was read on both sides.
    for s in [&a, &b] {
        let users = &s["users"];
        assert!(users.columns.iter().any(|c| c.name == "email" && !c.nullable && c.family == haven_store::TypeFamily::Text));
        assert!(users.unique.contains(&vec!["email".to_owned()]) && users.unique.contains(&vec!["id".to_owned()]));
        let key = haven_store::ForeignKey { columns: vec!["clinician_id".into()], table: "users".into(), references: vec!["id".into()] };
        assert!(s["appointments"].foreign_keys.contains(&key));
    }
    let mut differences = Vec::new();
    for (table, lite) in &a {
        let pg = &b[table];
        for column in lite.columns.symmetric_difference(&pg.columns) {
            let side = if lite.columns.contains(column) { "SQLite" } else { "PostgreSQL" };
            differences.push(format!("{table}: only {side} has {column:?}"));
        }
        for key in lite.unique.symmetric_difference(&pg.unique) {
            let side = if lite.unique.contains(key) { "SQLite" } else { "PostgreSQL" };
            differences.push(format!("{table}: only {side} has unique {key:?}"));
        }
        for key in lite.foreign_keys.symmetric_difference(&pg.foreign_keys) {
            let side = if lite.foreign_keys.contains(key) { "SQLite" } else { "PostgreSQL" };
            differences.push(format!("{table}: only {side} has {key:?}"));
        }
    }
    assert!(differences.is_empty(), "the schemas differ:\n{}", differences.join("\n"));
}
