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
