//! Who can be booked and for what: clinician profiles, visit types, offices, and the
//! practice's scheduling settings.

use haven_domain::scheduling::{Jurisdiction, Modality};
use haven_domain::{Bilingual, LocationId, PracticeId, UserId, VisitTypeId};
use jiff::Timestamp;
use uuid::Uuid;

use crate::db::{Store, on_pool};
use crate::error::StoreResult;
use crate::time;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicianProfile {
    pub user: UserId,
    pub practice: PracticeId,
    /// From the person's account; not stored with the profile.
    pub name: String,
    pub credentials: String,
    pub bio: Bilingual,
    /// Language tags ("en", "es").
    pub languages: Vec<String>,
    pub specialties: Vec<String>,
    pub licenses: Vec<Jurisdiction>,
    pub time_zone: String,
    pub buffer_minutes: i64,
    pub min_notice_minutes: i64,
    pub max_ahead_days: i64,
    pub accepting: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitType {
    pub id: VisitTypeId,
    pub clinician: UserId,
    pub name: Bilingual,
    pub minutes: i64,
    pub modalities: Vec<Modality>,
    /// Where in-person visits of this type happen.
    pub location: Option<LocationId>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub id: LocationId,
    pub practice: PracticeId,
    pub name: String,
    pub address: String,
    pub accessibility: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeSettings {
    pub name: String,
    pub time_zone: String,
    pub late_cancel_hours: i64,
    /// The practice's own wording; empty means Haven's default text.
    pub late_cancel_policy: String,
    /// Minutes before a visit that reminders go out.
    pub reminder_minutes: Vec<i64>,
}

fn list(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned).collect()
}

type ProfileRow = (Uuid, Uuid, String, String, String, String, String, String, String, String, i64, i64, i64, bool);

macro_rules! select_profile {
    ($tail:literal) => {
        concat!(
            "SELECT p.user_id, p.practice_id, u.display_name, p.credentials, p.bio, p.bio_es, p.languages, p.specialties, p.licenses,
        p.time_zone, p.buffer_minutes, p.min_notice_minutes, p.max_ahead_days, p.accepting
 FROM clinician_profiles p JOIN users u ON u.id = p.user_id ",
            $tail
        )
    };
}

fn profile(
    (user, practice, name, credentials, bio, bio_es, languages, specialties, licenses, time_zone, buffer, notice, ahead, accepting): ProfileRow,
) -> ClinicianProfile {
    ClinicianProfile {
        user: UserId(user),
        practice: PracticeId(practice),
        name,
        credentials,
        bio: Bilingual::new(bio, bio_es),
        languages: list(&languages),
        specialties: list(&specialties),
        licenses: Jurisdiction::parse_list(&licenses),
        time_zone,
        buffer_minutes: buffer,
        min_notice_minutes: notice,
        max_ahead_days: ahead,
        accepting,
    }
}

type VisitTypeRow = (Uuid, Uuid, String, String, i64, String, Option<Uuid>, bool);

fn visit_type((id, clinician, name, name_es, minutes, modalities, location, active): VisitTypeRow) -> VisitType {
    VisitType {
        id: VisitTypeId(id),
        clinician: UserId(clinician),
        name: Bilingual::new(name, name_es),
        minutes,
        modalities: Modality::parse_list(&modalities),
        location: location.map(LocationId),
        active,
    }
}

impl Store {
    /// The clinician's profile photo (a JPEG Haven made), if any.
    pub async fn clinician_photo(&self, clinician: UserId) -> StoreResult<Option<Vec<u8>>> {
        let row: Option<(Option<Vec<u8>>,)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT photo FROM clinician_profiles WHERE user_id = $1").bind(clinician.0).fetch_optional(pool).await
        })?;
        Ok(row.and_then(|(photo,)| photo))
    }

    /// The practice's clinicians who have a photo.
    pub async fn clinicians_with_photos(&self, practice: PracticeId) -> StoreResult<Vec<UserId>> {
        let rows: Vec<(Uuid,)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT user_id FROM clinician_profiles WHERE practice_id = $1 AND photo IS NOT NULL")
                .bind(practice.0)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows.into_iter().map(|(id,)| UserId(id)).collect())
    }

    /// Sets or (with `None`) removes the photo; `false` when the clinician has no profile.
    pub async fn set_clinician_photo(&self, clinician: UserId, photo: Option<&[u8]>) -> StoreResult<bool> {
        let n = on_pool!(self, write, |pool| {
            sqlx::query("UPDATE clinician_profiles SET photo = $2 WHERE user_id = $1")
                .bind(clinician.0)
                .bind(photo)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// Creates or replaces a clinician's profile (the name stays on the account).
    pub async fn save_clinician_profile(&self, p: &ClinicianProfile, now: Timestamp) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO clinician_profiles (user_id, practice_id, credentials, bio, languages, specialties, licenses, time_zone,
                     buffer_minutes, min_notice_minutes, max_ahead_days, accepting, updated_at, bio_es)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                 ON CONFLICT (user_id) DO UPDATE SET credentials = $3, bio = $4, languages = $5, specialties = $6, licenses = $7,
                     time_zone = $8, buffer_minutes = $9, min_notice_minutes = $10, max_ahead_days = $11, accepting = $12, updated_at = $13,
                     bio_es = $14",
            )
            .bind(p.user.0)
            .bind(p.practice.0)
            .bind(&p.credentials)
            .bind(&p.bio.en)
            .bind(p.languages.join(","))
            .bind(p.specialties.join(","))
            .bind(Jurisdiction::join(&p.licenses))
            .bind(&p.time_zone)
            .bind(p.buffer_minutes)
            .bind(p.min_notice_minutes)
            .bind(p.max_ahead_days)
            .bind(p.accepting)
            .bind(time::to_db(now))
            .bind(&p.bio.es)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn clinician_profile(&self, user: UserId) -> StoreResult<Option<ClinicianProfile>> {
        let sql = select_profile!("WHERE p.user_id = $1");
        let row: Option<ProfileRow> = on_pool!(self, read, |pool| sqlx::query_as(sql).bind(user.0).fetch_optional(pool).await)?;
        Ok(row.map(profile))
    }

    /// The practice's active clinicians with a profile, by name.
    pub async fn clinician_profiles(&self, practice: PracticeId) -> StoreResult<Vec<ClinicianProfile>> {
        let sql = select_profile!("WHERE p.practice_id = $1 AND u.active = TRUE ORDER BY u.display_name");
        let rows: Vec<ProfileRow> = on_pool!(self, read, |pool| sqlx::query_as(sql).bind(practice.0).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(profile).collect())
    }

    pub async fn add_visit_type(&self, v: &VisitType, now: Timestamp) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO visit_types (id, clinician_id, name, minutes, modalities, location_id, active, created_at, name_es)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(v.id.0)
            .bind(v.clinician.0)
            .bind(&v.name.en)
            .bind(v.minutes)
            .bind(Modality::join(&v.modalities))
            .bind(v.location.map(|l| l.0))
            .bind(v.active)
            .bind(time::to_db(now))
            .bind(&v.name.es)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Retires a visit type: booked visits keep it, new bookings can't choose it.
    pub async fn retire_visit_type(&self, clinician: UserId, id: VisitTypeId) -> StoreResult<bool> {
        let n = on_pool!(self, write, |pool| {
            sqlx::query("UPDATE visit_types SET active = FALSE WHERE id = $1 AND clinician_id = $2")
                .bind(id.0)
                .bind(clinician.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// A clinician's visit types still offered, shortest first.
    pub async fn visit_types_of(&self, clinician: UserId) -> StoreResult<Vec<VisitType>> {
        let rows: Vec<VisitTypeRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT id, clinician_id, name, name_es, minutes, modalities, location_id, active FROM visit_types
                 WHERE clinician_id = $1 AND active = TRUE ORDER BY minutes, name",
            )
            .bind(clinician.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(visit_type).collect())
    }

    pub async fn visit_type(&self, id: VisitTypeId) -> StoreResult<Option<VisitType>> {
        let row: Option<VisitTypeRow> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT id, clinician_id, name, name_es, minutes, modalities, location_id, active FROM visit_types WHERE id = $1")
                .bind(id.0)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(visit_type))
    }

    pub async fn add_location(&self, l: &Location, now: Timestamp) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("INSERT INTO locations (id, practice_id, name, address, accessibility, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(l.id.0)
                .bind(l.practice.0)
                .bind(&l.name)
                .bind(&l.address)
                .bind(&l.accessibility)
                .bind(time::to_db(now))
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn locations_of(&self, practice: PracticeId) -> StoreResult<Vec<Location>> {
        let rows: Vec<(Uuid, Uuid, String, String, String)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT id, practice_id, name, address, accessibility FROM locations WHERE practice_id = $1 ORDER BY name")
                .bind(practice.0)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, practice, name, address, accessibility)| Location {
                id: LocationId(id),
                practice: PracticeId(practice),
                name,
                address,
                accessibility,
            })
            .collect())
    }

    pub async fn practice_settings(&self, practice: PracticeId) -> StoreResult<PracticeSettings> {
        let (name, time_zone, late_cancel_hours, late_cancel_policy, reminders): (String, String, i64, String, String) =
            on_pool!(self, read, |pool| {
                sqlx::query_as("SELECT name, time_zone, late_cancel_hours, late_cancel_policy, reminder_minutes FROM practices WHERE id = $1")
                    .bind(practice.0)
                    .fetch_one(pool)
                    .await
            })?;
        let reminder_minutes = reminders.split(',').filter_map(|m| m.trim().parse().ok()).filter(|m| *m > 0).collect();
        Ok(PracticeSettings { name, time_zone, late_cancel_hours, late_cancel_policy, reminder_minutes })
    }

    pub async fn save_practice_settings(&self, practice: PracticeId, s: &PracticeSettings) -> StoreResult<()> {
        let reminders = s.reminder_minutes.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        on_pool!(self, write, |pool| {
            sqlx::query("UPDATE practices SET time_zone = $1, late_cancel_hours = $2, late_cancel_policy = $3, reminder_minutes = $4 WHERE id = $5")
                .bind(&s.time_zone)
                .bind(s.late_cancel_hours)
                .bind(&s.late_cancel_policy)
                .bind(reminders)
                .bind(practice.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Sets (or, with `None`, revokes) the clinician's private calendar-feed token digest.
    pub async fn set_feed_token(&self, clinician: UserId, digest: Option<&str>) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("UPDATE clinician_profiles SET feed_token_hash = $1 WHERE user_id = $2")
                .bind(digest)
                .bind(clinician.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn feed_enabled(&self, clinician: UserId) -> StoreResult<bool> {
        let n: i64 = on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM clinician_profiles WHERE user_id = $1 AND feed_token_hash IS NOT NULL")
                .bind(clinician.0)
                .fetch_one(pool)
                .await
        })?;
        Ok(n > 0)
    }

    /// Whose feed a token opens.
    pub async fn clinician_by_feed_token(&self, digest: &str) -> StoreResult<Option<UserId>> {
        let id: Option<Uuid> = on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT user_id FROM clinician_profiles WHERE feed_token_hash = $1").bind(digest).fetch_optional(pool).await
        })?;
        Ok(id.map(UserId))
    }

    /// The viewer's own time zone, if they chose one.
    pub async fn set_user_time_zone(&self, user: UserId, zone: Option<&str>) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("UPDATE users SET time_zone = $1 WHERE id = $2").bind(zone).bind(user.0).execute(pool).await.map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn user_time_zone(&self, user: UserId) -> StoreResult<Option<String>> {
        Ok(on_pool!(self, read, |pool| sqlx::query_scalar("SELECT time_zone FROM users WHERE id = $1").bind(user.0).fetch_one(pool).await)?)
    }
}
