//! The demo's scheduling: two clinicians with profiles, weekly hours and kinds of visit, an
//! office, patients in other time zones, and a few visits already booked, so a newcomer
//! can book at once and see a filled calendar.

use haven_domain::scheduling::{Jurisdiction, Modality};
use haven_domain::{AppointmentId, Email, LocationId, PracticeId, UserId, VisitTypeId};
use haven_store::{ClinicianProfile, Effects, Location, NewAppointment, PracticeSettings, Store, VisitType};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp};

struct Clinician {
    email: &'static str,
    credentials: &'static str,
    /// English and Spanish: the practice words its own data in both.
    bio: (&'static str, &'static str),
    languages: &'static [&'static str],
    specialties: &'static [&'static str],
    licenses: &'static str,
    zone: &'static str,
    /// ISO weekdays and local hours.
    days: &'static [i64],
    hours: (i64, i64),
    /// Name (English, Spanish), minutes, modalities.
    visits: &'static [((&'static str, &'static str), i64, &'static [Modality])],
}

const CLINICIANS: &[Clinician] = &[
    Clinician {
        email: "maya.lee@riverbend.example",
        credentials: "PhD, Licensed Psychologist",
        bio: (
            "I help adults with anxiety, depression and the after-effects of trauma, using CBT and ACT.",
            "Ayudo a adultos con ansiedad, depresión y las secuelas de un trauma, con terapia cognitivo-conductual y terapia de aceptación y compromiso.",
        ),
        languages: &["en"],
        specialties: &["Anxiety", "Depression", "Trauma"],
        licenses: "US-CA,US-OR,US-IL",
        zone: "America/Los_Angeles",
        days: &[1, 2, 3, 4, 5],
        hours: (9 * 60, 17 * 60),
        visits: &[
            (("Therapy", "Terapia"), 53, &[Modality::Video, Modality::Phone, Modality::InPerson]),
            (("Intake", "Primera consulta"), 60, &[Modality::Video, Modality::InPerson]),
        ],
    },
    Clinician {
        email: "samuel.ortiz@riverbend.example",
        credentials: "MD, Psychiatrist",
        bio: (
            "Psychiatrist. Medication management for depression, anxiety and bipolar disorder, in English and Spanish.",
            "Psiquiatra. Manejo de medicamentos para la depresión, la ansiedad y el trastorno bipolar, en inglés y en español.",
        ),
        languages: &["es", "en"],
        specialties: &["Medication management", "Depression", "Bipolar disorder"],
        licenses: "US-NY,US-NJ,US-FL",
        zone: "America/New_York",
        days: &[1, 2, 3, 4],
        hours: (8 * 60, 16 * 60),
        visits: &[
            (("Medication management", "Manejo de medicamentos"), 30, &[Modality::Video, Modality::Phone]),
            (("Psychiatric intake", "Primera consulta psiquiátrica"), 60, &[Modality::Video]),
        ],
    },
];

/// Patients' own time zones: each lives somewhere other than their clinician.
const PATIENT_ZONES: &[(&str, &str)] =
    &[("jordan@patients.example", "America/Chicago"), ("casey@patients.example", "America/Chicago"), ("ana@patients.example", "America/New_York")];

async fn user(store: &Store, email: &str) -> anyhow::Result<UserId> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(store.user_by_email(&email).await?.ok_or_else(|| anyhow::anyhow!("the demo person {email} is missing"))?.id)
}

/// The next weekday (Monday–Thursday) at least two days away, at `hour` local time.
fn next_working_day(now: Timestamp, zone: &TimeZone, offset_days: i64, hour: i8) -> anyhow::Result<Timestamp> {
    let mut date: Date = now.to_zoned(zone.clone()).date().checked_add(Span::new().days(offset_days))?;
    while date.weekday().to_monday_one_offset() > 4 {
        date = date.tomorrow()?;
    }
    Ok(date.to_datetime(Time::new(hour, 0, 0, 0)?).to_zoned(zone.clone())?.timestamp())
}

pub async fn seed(store: &Store, practice: PracticeId) -> anyhow::Result<()> {
    let now = Timestamp::now();
    let settings = store.practice_settings(practice).await?;
    store.save_practice_settings(practice, &PracticeSettings { time_zone: "America/Los_Angeles".into(), late_cancel_hours: 24, ..settings }).await?;
    let office = Location {
        id: LocationId::new(),
        practice,
        name: "Riverbend main office".into(),
        address: "120 River Street, Suite 4, Portland, OR 97201".into(),
        accessibility: "Step-free entrance, lift to all floors, accessible restroom, two accessible parking spaces.".into(),
    };
    store.add_location(&office, now).await?;
    let mut first_visit: Vec<(UserId, VisitTypeId, ClinicianProfile)> = Vec::new();
    for c in CLINICIANS {
        let id = user(store, c.email).await?;
        let profile = ClinicianProfile {
            user: id,
            practice,
            name: String::new(),
            credentials: c.credentials.into(),
            bio: haven_domain::Bilingual::new(c.bio.0, c.bio.1),
            languages: c.languages.iter().map(|s| (*s).to_owned()).collect(),
            specialties: c.specialties.iter().map(|s| (*s).to_owned()).collect(),
            licenses: Jurisdiction::parse_list(c.licenses),
            time_zone: c.zone.into(),
            buffer_minutes: 7,
            min_notice_minutes: 12 * 60,
            max_ahead_days: 60,
            accepting: true,
        };
        store.save_clinician_profile(&profile, now).await?;
        let weekly: Vec<(i64, i64, i64)> = c.days.iter().map(|d| (*d, c.hours.0, c.hours.1)).collect();
        store.set_weekly_hours(id, &weekly).await?;
        for (i, ((name, name_es), minutes, modalities)) in c.visits.iter().enumerate() {
            let location = modalities.contains(&Modality::InPerson).then_some(office.id);
            let visit = VisitType {
                id: VisitTypeId::new(),
                clinician: id,
                name: haven_domain::Bilingual::new(*name, *name_es),
                minutes: *minutes,
                modalities: modalities.to_vec(),
                location,
                active: true,
            };
            store.add_visit_type(&visit, now).await?;
            if i == 0 {
                first_visit.push((id, visit.id, profile.clone()));
            }
        }
    }
    for (email, zone) in PATIENT_ZONES {
        store.set_user_time_zone(user(store, email).await?, Some(zone)).await?;
    }
    // A few visits already booked, so calendars aren't empty.
    let booked = [
        (0, "jordan@patients.example", Modality::Video, Some("US-IL"), 2, 10),
        (0, "casey@patients.example", Modality::InPerson, None, 3, 14),
        (1, "ana@patients.example", Modality::Phone, Some("US-NY"), 2, 9),
    ];
    for (which, patient, modality, place, days, hour) in booked {
        let (clinician, visit_type, profile) = &first_visit[which];
        let zone = TimeZone::get(&profile.time_zone)?;
        let start = next_working_day(now, &zone, days, hour)?;
        let minutes = CLINICIANS[which].visits[0].1;
        let end = start.checked_add(SignedDuration::from_mins(minutes))?;
        let patient = user(store, patient).await?;
        let visit = NewAppointment {
            id: AppointmentId::new(),
            practice,
            clinician: *clinician,
            patient,
            visit_type: *visit_type,
            modality,
            location: (modality == Modality::InPerson).then_some(office.id),
            jurisdiction: place.map(str::to_owned),
            starts_at: start,
            ends_at: end,
            blocked_until: end.checked_add(SignedDuration::from_mins(profile.buffer_minutes))?,
            series: None,
            booked_by: *clinician,
        };
        // Seeded like the demo's care teams: set-up, not anyone's action, so the audit
        // trail starts with what people do in the demo.
        store.book_appointments(&[visit], &Effects::default(), now).await?;
    }
    // A video visit about to start, so a newcomer can hold one at once between two
    // browser windows (Jordan the patient, Dr. Lee the clinician).
    let (clinician, visit_type, profile) = &first_visit[0];
    let start = Timestamp::from_second((now.as_second() / 300 + 2) * 300)?;
    let end = start.checked_add(SignedDuration::from_mins(CLINICIANS[0].visits[0].1))?;
    let soon = NewAppointment {
        id: AppointmentId::new(),
        practice,
        clinician: *clinician,
        patient: user(store, "jordan@patients.example").await?,
        visit_type: *visit_type,
        modality: Modality::Video,
        location: None,
        jurisdiction: Some("US-IL".into()),
        starts_at: start,
        ends_at: end,
        blocked_until: end.checked_add(SignedDuration::from_mins(profile.buffer_minutes))?,
        series: None,
        booked_by: *clinician,
    };
    store.book_appointments(&[soon], &Effects::default(), now).await?;
    Ok(())
}
