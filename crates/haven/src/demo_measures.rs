//! The demo's measures: Jordan with twelve weekly PHQ-9 and GAD-7 answers (getting better,
//! with one reliable worsening on the way) and a check-in open now; Casey with a PHQ-9 last
//! week whose question 9 was not "not at all", so Dr. Lee's start page has a risk signal;
//! and Dr. Priya Shah's caseload of 36 earlier patients (who can't sign in) seen by video,
//! by phone or in person, each with a first and a latest PHQ-9, so the outcomes page has
//! groups large enough to show.

use haven_app::App;
use haven_app::measures::{Past, Target};
use haven_domain::audit::{AuditAction, DataCategory};
use haven_domain::measures::{Answers, Cadence, Instrument, Schedule, builtin};
use haven_domain::{Email, PracticeId, UserId};
use jiff::{SignedDuration, Timestamp};

const PHQ9: [i64; 12] = [12, 13, 11, 19, 14, 12, 10, 9, 7, 6, 5, 4];
const GAD7: [i64; 12] = [11, 12, 10, 15, 11, 9, 8, 7, 6, 5, 4, 4];

/// Item answers adding up to `total`, filled from the first item, item 9 (self-harm) left at 0.
fn answers_for(instrument: &Instrument, total: i64, item9: i64) -> Answers {
    let mut left = total - item9;
    let mut out = Answers::new();
    for item in instrument.items.iter().filter(|i| i.scored) {
        let v = if instrument.key == "phq9" && item.id == "9" {
            item9
        } else {
            let v = left.min(3);
            left -= v;
            v
        };
        out.insert(item.id.clone(), v);
    }
    if instrument.key == "phq9" && total > 0 {
        out.insert("10".into(), 1);
    }
    out
}

async fn id(app: &App, email: &str) -> anyhow::Result<UserId> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(app.cx.store.user_by_email(&email).await?.ok_or_else(|| anyhow::anyhow!("the demo person {email} is missing"))?.id)
}

fn instrument(key: &str) -> anyhow::Result<&'static Instrument> {
    builtin(key).ok_or_else(|| anyhow::anyhow!("the built-in {key} is missing"))
}

/// (baseline, latest) PHQ-9 totals for a caseload: mostly better, some the same, a few worse.
const CASELOAD: [(i64, i64); 12] = [(18, 6), (15, 4), (20, 9), (12, 11), (16, 7), (11, 3), (14, 15), (19, 10), (13, 20), (17, 5), (10, 8), (22, 12)];

async fn caseload(app: &App, practice: PracticeId) -> anyhow::Result<()> {
    use haven_domain::scheduling::Modality;
    use haven_domain::{AppointmentId, Bilingual, Language, Role, VisitTypeId};
    use haven_store::{Effects, NewAppointment, NewUser, VisitType};
    let store = &app.cx.store;
    let now = Timestamp::now();
    // Nobody signs in as these people: no password is set.
    let user = |email: String, name: String, role| -> anyhow::Result<NewUser> {
        Ok(NewUser {
            email: Email::parse(&email).map_err(|e| anyhow::anyhow!("{e}"))?,
            display_name: name,
            password_hash: None,
            language: Language::En,
            practice,
            roles: vec![role],
        })
    };
    let shah = store.create_user(&user("priya.shah@riverbend.example".into(), "Dr. Priya Shah".into(), Role::Clinician)?, now).await?;
    let office = store.locations_of(practice).await?.first().map(|l| l.id);
    let visit_type = VisitType {
        id: VisitTypeId::new(),
        clinician: shah,
        name: Bilingual::new("Therapy", "Terapia"),
        minutes: 50,
        modalities: vec![Modality::Video, Modality::Phone, Modality::InPerson],
        location: office,
        active: true,
    };
    store.add_visit_type(&visit_type, now).await?;
    let phq9 = instrument("phq9")?;
    let modes = [Modality::Video, Modality::Phone, Modality::InPerson];
    let mut day = 0;
    for (m, mode) in modes.iter().enumerate() {
        for (i, (baseline, latest)) in CASELOAD.iter().enumerate() {
            let n = m * CASELOAD.len() + i;
            let patient =
                store.create_user(&user(format!("caseload{n}@patients.example"), format!("Caseload patient {}", n + 1), Role::Patient)?, now).await?;
            store.assign_care_team(practice, patient, shah, now).await?;
            let first = now.checked_sub(SignedDuration::from_hours(24 * (90 - i64::try_from(n % 30)?)))?;
            let last = now.checked_sub(SignedDuration::from_hours(24 * (14 + i64::try_from(n % 10)?)))?;
            for at in [first, last] {
                // One visit an hour apart on the clinician's calendar, so none overlap.
                day += 1;
                let starts_at = now.checked_sub(SignedDuration::from_hours(24 * 120 - day))?;
                let ends_at = starts_at.checked_add(SignedDuration::from_mins(50))?;
                let visit = NewAppointment {
                    id: AppointmentId::new(),
                    practice,
                    clinician: shah,
                    patient,
                    visit_type: visit_type.id,
                    modality: *mode,
                    location: (*mode == Modality::InPerson).then_some(office).flatten(),
                    jurisdiction: (*mode != Modality::InPerson).then(|| "US-OR".to_owned()),
                    starts_at,
                    ends_at,
                    blocked_until: ends_at,
                    series: None,
                    booked_by: shah,
                };
                store.book_appointments(&[visit], &Effects::default(), now).await?;
                let total = if at == first { *baseline } else { *latest };
                let past = Past { practice, patient, by: patient, at, source: "demo" };
                app.measures.import(&past, phq9, &answers_for(phq9, total, 0)).await?.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            }
        }
    }
    Ok(())
}

pub async fn seed(app: &App, practice: PracticeId) -> anyhow::Result<()> {
    caseload(app, practice).await?;
    let lee = id(app, "maya.lee@riverbend.example").await?;
    let jordan = id(app, "jordan@patients.example").await?;
    let casey = id(app, "casey@patients.example").await?;
    let now = Timestamp::now();
    let week = SignedDuration::from_hours(24 * 7);
    let (phq9, gad7) = (instrument("phq9")?, instrument("gad7")?);
    for (weeks_ago, (p, g)) in (1..=12).rev().zip(PHQ9.iter().zip(GAD7.iter())) {
        let at = now.checked_sub(week * weeks_ago)?;
        for (i, total) in [(phq9, *p), (gad7, *g)] {
            app.measures
                .import(&Past { practice, patient: jordan, by: jordan, at, source: "demo" }, i, &answers_for(i, total, 0))
                .await?
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        }
    }
    let last_week = now.checked_sub(week)?;
    let earlier = now.checked_sub(week * 3)?;
    app.measures
        .import(&Past { practice, patient: casey, by: casey, at: earlier, source: "demo" }, phq9, &answers_for(phq9, 11, 0))
        .await?
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    app.measures
        .import(&Past { practice, patient: casey, by: casey, at: last_week, source: "demo" }, phq9, &answers_for(phq9, 14, 1))
        .await?
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;

    let audit = |patient| {
        haven_app::audit::Entry {
            actor: Some(lee),
            practice: Some(practice),
            patient: Some(patient),
            action: AuditAction::Create,
            category: DataCategory::Clinical,
            outcome: haven_domain::audit::Outcome::Success,
        }
        .at(now, Some("demo".into()))
    };
    // Weekly PHQ-9 and GAD-7 for Jordan on Mondays at 9, and a GAD-7 to answer now.
    for i in [phq9, gad7] {
        let schedule = Schedule { cadence: Cadence::EveryWeeks { weeks: 1, weekday: 1, hour: 9 }, starts: now, until: None, count: None };
        app.measures.store_assignment(&Target { by: lee, practice, patient: jordan }, i, &schedule, audit(jordan)).await?;
    }
    let now_once = Schedule { cadence: Cadence::Once, starts: now, until: None, count: None };
    app.measures.store_assignment(&Target { by: lee, practice, patient: jordan }, gad7, &now_once, audit(jordan)).await?;
    let fortnightly = Schedule { cadence: Cadence::EveryWeeks { weeks: 2, weekday: 3, hour: 10 }, starts: now, until: None, count: None };
    app.measures.store_assignment(&Target { by: lee, practice, patient: casey }, phq9, &fortnightly, audit(casey)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_answers_add_up_and_jordan_worsens_once_then_improves() {
        let phq9 = builtin("phq9").unwrap();
        for total in PHQ9 {
            let s = haven_domain::measures::score(phq9, &answers_for(phq9, total, 0)).unwrap();
            assert_eq!((s.total, s.signal), (Some(total), None));
        }
        let s = haven_domain::measures::score(phq9, &answers_for(phq9, 14, 1)).unwrap();
        assert_eq!(s.total, Some(14));
        assert!(s.signal.is_some());
        let rules = phq9.change.clone().unwrap();
        let marks: Vec<_> = PHQ9.iter().map(|t| haven_domain::measures::compare(&rules, rules.reliable, PHQ9[0], *t)).collect();
        assert_eq!(marks.iter().filter(|p| p.reliably_deteriorated).count(), 1);
        assert!(marks.last().unwrap().reliably_improved);
    }
}
