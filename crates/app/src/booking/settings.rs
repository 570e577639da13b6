//! Scheduling settings. A clinician's: profile (what patients see when choosing), weekly
//! hours, date exceptions, visit types, photo, private calendar feed and automatic reply;
//! clinicians edit their own, admins anyone's in their practice. The practice's (admins):
//! time zone, late-cancellation window and wording, reminder times, offices.

use haven_crypto::SecretToken;
use haven_domain::scheduling::{Jurisdiction, Modality};
use haven_domain::{LocationId, PracticeId, Role, UserId, VisitTypeId};
use haven_store::{ClinicianProfile, Location, PracticeSettings, VisitType};
use jiff::civil::{Date, Time};

use super::Booking;
use crate::actor::Actor;
use crate::error::{Error, Result};

/// A translated message's key: what to fix.
pub type Refused = &'static str;

/// Whose settings are being edited, checked.
pub struct Target {
    pub practice: PracticeId,
    pub clinician: UserId,
    pub name: String,
}

/// The profile form as typed.
#[derive(Debug, Default, Clone)]
pub struct ProfileInput {
    pub credentials: String,
    pub bio: String,
    /// The bio in Spanish; empty shows the English one to Spanish readers.
    pub bio_es: String,
    pub languages: Vec<String>,
    pub specialties: String,
    pub licenses: String,
    pub time_zone: String,
    pub buffer: String,
    pub notice_hours: String,
    pub ahead_days: String,
    pub accepting: bool,
}

/// A new kind of visit as typed.
#[derive(Debug, Default, Clone)]
pub struct VisitTypeInput {
    pub name: String,
    /// The name in Spanish; empty shows the English one.
    pub name_es: String,
    pub minutes: String,
    pub modalities: Vec<String>,
    pub location: String,
}

/// The practice's settings as typed.
#[derive(Debug, Default, Clone)]
pub struct PracticeInput {
    pub time_zone: String,
    pub late_cancel_hours: String,
    pub late_cancel_policy: String,
    /// Hours before the visit, comma-separated ("24, 1").
    pub reminders: String,
}

/// Larger photo uploads are refused before decoding.
pub const MAX_PHOTO_UPLOAD: usize = 5 << 20;
/// The stored photo's longest side, in pixels: enough for a profile card at 2× density.
const PHOTO_SIDE: u32 = 320;

fn minutes(t: Time) -> i64 {
    i64::from(t.hour()) * 60 + i64::from(t.minute())
}

fn admin_practice(actor: &Actor) -> Result<PracticeId> {
    actor.user.memberships.iter().find(|(_, r)| *r == Role::Admin).map(|(p, _)| *p).ok_or(Error::Forbidden)
}

impl Booking {
    /// Whose settings `raw` names (empty: one's own); anyone else's outside admin rights is
    /// forbidden, and someone who isn't a clinician of the practice is not found.
    pub async fn settings_target(&self, actor: &Actor, raw: &str) -> Result<Target> {
        let practice = Self::staff_practice(actor)?;
        let clinician = if raw.is_empty() { actor.id() } else { raw.parse().map_err(|_| Error::NotFound)? };
        if !Self::may_manage(actor, practice, clinician) {
            return Err(Error::Forbidden);
        }
        let user = self.cx.store.user(clinician).await?.ok_or(Error::NotFound)?;
        if !user.memberships.contains(&(practice, Role::Clinician)) {
            return Err(Error::NotFound);
        }
        Ok(Target { practice, clinician, name: user.display_name })
    }

    /// The stored profile, or the one a new clinician starts from.
    pub async fn profile_or_default(&self, t: &Target) -> Result<ClinicianProfile> {
        if let Some(profile) = self.cx.store.clinician_profile(t.clinician).await? {
            return Ok(profile);
        }
        Ok(ClinicianProfile {
            user: t.clinician,
            practice: t.practice,
            name: t.name.clone(),
            credentials: String::new(),
            bio: haven_domain::Bilingual::default(),
            languages: vec!["en".into()],
            specialties: Vec::new(),
            licenses: Vec::new(),
            time_zone: self.cx.practice_settings(t.practice).await?.time_zone,
            buffer_minutes: 0,
            min_notice_minutes: 720,
            max_ahead_days: 60,
            accepting: true,
        })
    }

    async fn has_profile(&self, t: &Target) -> Result<bool> {
        Ok(self.cx.store.clinician_profile(t.clinician).await?.is_some())
    }

    pub async fn save_profile(&self, t: &Target, f: &ProfileInput) -> Result<Result<(), Refused>> {
        let licenses: Vec<&str> = f.licenses.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
        let parsed: Vec<Jurisdiction> = licenses.iter().filter_map(|l| Jurisdiction::parse(l)).collect();
        if parsed.len() != licenses.len() {
            return Ok(Err("settings-error-licenses"));
        }
        if crate::when::zone(&f.time_zone).is_none() {
            return Ok(Err("booking-error-time-zone"));
        }
        let number = |s: &str, lo: i64, hi: i64| s.trim().parse::<i64>().ok().filter(|n| (lo..=hi).contains(n));
        let (Some(buffer), Some(notice), Some(ahead)) =
            (number(&f.buffer, 0, 120), number(&f.notice_hours, 0, 24 * 30), number(&f.ahead_days, 1, 366))
        else {
            return Ok(Err("settings-error-number"));
        };
        let languages: Vec<String> = f.languages.iter().filter(|l| matches!(l.as_str(), "en" | "es")).cloned().collect();
        if !haven_domain::text::is_one_line(f.credentials.trim())
            || !haven_domain::text::is_plain_text(&f.bio)
            || !haven_domain::text::is_plain_text(&f.bio_es)
        {
            return Ok(Err("text-error-one-line"));
        }
        if languages.is_empty() || f.bio.chars().count() > 2000 || f.bio_es.chars().count() > 2000 || f.credentials.chars().count() > 120 {
            return Ok(Err("settings-error-profile"));
        }
        let profile = ClinicianProfile {
            user: t.clinician,
            practice: t.practice,
            name: t.name.clone(),
            credentials: f.credentials.trim().to_owned(),
            bio: haven_domain::Bilingual::new(f.bio.trim(), f.bio_es.trim()),
            languages,
            specialties: f.specialties.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| s.chars().take(60).collect()).collect(),
            licenses: parsed,
            time_zone: f.time_zone.trim().to_owned(),
            buffer_minutes: buffer,
            min_notice_minutes: notice * 60,
            max_ahead_days: ahead,
            accepting: f.accepting,
        };
        self.cx.store.save_clinician_profile(&profile, self.cx.now()).await?;
        Ok(Ok(()))
    }

    /// Weekly hours: for each day 1 (Monday) to 7, from and to ("09:00"); both empty means
    /// not working that day.
    pub async fn save_hours(&self, t: &Target, days: &[(i64, String, String)]) -> Result<Result<(), Refused>> {
        if !self.has_profile(t).await? {
            return Ok(Err("settings-error-profile-first"));
        }
        let mut weekly = Vec::new();
        for (day, from, to) in days {
            if from.is_empty() && to.is_empty() {
                continue;
            }
            match (from.parse::<Time>(), to.parse::<Time>()) {
                (Ok(a), Ok(b)) if a < b && (1..=7).contains(day) => weekly.push((*day, minutes(a), minutes(b))),
                _ => return Ok(Err("settings-error-hours")),
            }
        }
        self.cx.store.set_weekly_hours(t.clinician, &weekly).await?;
        Ok(Ok(()))
    }

    /// One date's exception: `clear` it, a day `off`, or other hours.
    pub async fn save_date(&self, t: &Target, date: &str, off: bool, clear: bool, from: &str, to: &str) -> Result<Result<(), Refused>> {
        let Ok(date) = date.parse::<Date>() else { return Ok(Err("settings-error-date")) };
        let day = date.to_string();
        let store = &self.cx.store;
        if clear {
            store.clear_date_hours(t.clinician, &day).await?;
        } else if off {
            store.set_date_hours(t.clinician, &day, &[]).await?;
        } else {
            match (from.parse::<Time>(), to.parse::<Time>()) {
                (Ok(a), Ok(b)) if a < b => store.set_date_hours(t.clinician, &day, &[(minutes(a), minutes(b))]).await?,
                _ => return Ok(Err("settings-error-hours")),
            }
        }
        Ok(Ok(()))
    }

    pub async fn add_visit_type(&self, t: &Target, f: &VisitTypeInput) -> Result<Result<(), Refused>> {
        let modalities: Vec<Modality> = f.modalities.iter().filter_map(|m| Modality::parse(m)).collect();
        let name = f.name.trim().to_owned();
        let name_es = f.name_es.trim().to_owned();
        if !haven_domain::text::is_one_line(&name) || !haven_domain::text::is_one_line(&name_es) {
            return Ok(Err("text-error-one-line"));
        }
        let minutes = f.minutes.trim().parse::<i64>().ok().filter(|m| (5..=480).contains(m));
        let location = match f.location.trim() {
            "" => None,
            id => id.parse::<LocationId>().ok(),
        };
        let locations = self.cx.store.locations_of(t.practice).await?;
        let location_ok = location.is_none_or(|l| locations.iter().any(|x| x.id == l));
        let in_person_needs_place = modalities.contains(&Modality::InPerson) && location.is_none();
        let bad_name = name.is_empty() || name.chars().count() > 80 || name_es.chars().count() > 80 || modalities.is_empty();
        let (Some(minutes), false, true, false) = (minutes, bad_name, location_ok, in_person_needs_place) else {
            return Ok(Err("settings-error-visit-type"));
        };
        let visit = VisitType {
            id: VisitTypeId::new(),
            clinician: t.clinician,
            name: haven_domain::Bilingual::new(name, name_es),
            minutes,
            modalities,
            location,
            active: true,
        };
        self.cx.store.add_visit_type(&visit, self.cx.now()).await?;
        Ok(Ok(()))
    }

    pub async fn retire_visit_type(&self, t: &Target, id: VisitTypeId) -> Result<()> {
        self.cx.store.retire_visit_type(t.clinician, id).await?;
        Ok(())
    }

    /// Creates (or replaces) the private feed URL, to show once; `None` revokes it.
    pub async fn set_feed(&self, t: &Target, enable: bool) -> Result<Result<Option<String>, Refused>> {
        if !self.has_profile(t).await? {
            return Ok(Err("settings-error-profile-first"));
        }
        if !enable {
            self.cx.store.set_feed_token(t.clinician, None).await?;
            return Ok(Ok(None));
        }
        let token = SecretToken::generate();
        self.cx.store.set_feed_token(t.clinician, Some(&token.digest())).await?;
        Ok(Ok(Some(self.cx.links.to(&format!("/calendar/{}.ics", token.reveal())))))
    }

    /// The automatic reply to patients' messages outside office hours.
    pub async fn save_away(&self, t: &Target, text: &str) -> Result<Result<(), Refused>> {
        if !self.has_profile(t).await? {
            return Ok(Err("settings-error-profile-first"));
        }
        if text.chars().count() > 1000 {
            return Ok(Err("message-error-long"));
        }
        self.cx.store.set_away_reply(t.clinician, text.trim()).await?;
        Ok(Ok(()))
    }

    /// Stores a new profile photo, made into a small upright JPEG here (so the camera's
    /// data and any location never reach anyone).
    pub async fn save_photo(&self, t: &Target, bytes: &[u8]) -> Result<Result<(), Refused>> {
        let photo = match portrait(bytes) {
            Ok(photo) => photo,
            Err(key) => return Ok(Err(key)),
        };
        if !self.cx.store.set_clinician_photo(t.clinician, Some(&photo)).await? {
            return Ok(Err("settings-error-profile-first"));
        }
        Ok(Ok(()))
    }

    pub async fn remove_photo(&self, t: &Target) -> Result<()> {
        self.cx.store.set_clinician_photo(t.clinician, None).await?;
        Ok(())
    }

    pub async fn save_practice_settings(&self, actor: &Actor, f: &PracticeInput) -> Result<Result<(), Refused>> {
        let practice = admin_practice(actor)?;
        if crate::when::zone(&f.time_zone).is_none() {
            return Ok(Err("booking-error-time-zone"));
        }
        let Some(hours) = f.late_cancel_hours.trim().parse::<i64>().ok().filter(|h| (0..=168).contains(h)) else {
            return Ok(Err("settings-error-number"));
        };
        let parts: Vec<&str> = f.reminders.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
        let reminders: Vec<i64> = parts.iter().filter_map(|s| s.parse::<i64>().ok()).filter(|h| (1..=336).contains(h)).map(|h| h * 60).collect();
        if reminders.len() != parts.len() || reminders.len() > 4 || f.late_cancel_policy.chars().count() > 500 {
            return Ok(Err("practice-error-reminders"));
        }
        let name = self.cx.store.practice_settings(practice).await?.name;
        let settings = PracticeSettings {
            name,
            time_zone: f.time_zone.trim().to_owned(),
            late_cancel_hours: hours,
            late_cancel_policy: f.late_cancel_policy.trim().to_owned(),
            reminder_minutes: reminders,
        };
        self.cx.store.save_practice_settings(practice, &settings).await?;
        self.cx.settings.forget(practice);
        Ok(Ok(()))
    }

    pub async fn add_location(&self, actor: &Actor, name: &str, address: &str, accessibility: &str) -> Result<Result<(), Refused>> {
        let practice = admin_practice(actor)?;
        let (name, address) = (name.trim(), address.trim());
        if !haven_domain::text::is_one_line(name) || !haven_domain::text::is_one_line(address) || !haven_domain::text::is_plain_text(accessibility) {
            return Ok(Err("text-error-one-line"));
        }
        if name.is_empty() || address.is_empty() || name.chars().count() > 80 || address.chars().count() > 300 || accessibility.chars().count() > 500
        {
            return Ok(Err("practice-error-location"));
        }
        let location = Location {
            id: LocationId::new(),
            practice,
            name: name.to_owned(),
            address: address.to_owned(),
            accessibility: accessibility.trim().to_owned(),
        };
        self.cx.store.add_location(&location, self.cx.now()).await?;
        Ok(Ok(()))
    }
}

/// The stored form of a photo upload, or the message key saying what is wrong with it.
pub fn portrait(bytes: &[u8]) -> Result<Vec<u8>, Refused> {
    use image::{DynamicImage, ImageFormat};
    if bytes.len() > MAX_PHOTO_UPLOAD {
        return Err("settings-error-photo-large");
    }
    let kind = haven_domain::messaging::sniff(bytes).filter(|k| k.is_image()).ok_or("settings-error-photo-type")?;
    let picture = crate::messaging::files::decode(bytes, kind).ok_or("settings-error-photo-broken")?;
    let small = DynamicImage::ImageRgb8(picture.thumbnail(PHOTO_SIDE, PHOTO_SIDE).to_rgb8());
    let mut out = std::io::Cursor::new(Vec::new());
    small.write_to(&mut out, ImageFormat::Jpeg).map_err(|_| "settings-error-photo-broken")?;
    Ok(out.into_inner())
}
