//! A practice ready for booking: one clinician (Chicago time, licensed in Illinois, open
//! every day around the clock so any test date works) offering 30-minute visits by video
//! or phone, and as many patients as a test needs.

use haven_crypto::{HashCost, PasswordHasher};
use haven_domain::scheduling::{Jurisdiction, Modality};
use haven_domain::{Language, PracticeId, Role, UserId, VisitTypeId};
use haven_store::{ClinicianProfile, Store, VisitType};
use jiff::Timestamp;

pub struct Person {
    pub id: UserId,
    pub email: String,
    pub password: String,
}

pub struct Clinic {
    pub practice: PracticeId,
    pub clinician: Person,
    pub visit: VisitTypeId,
    pub patients: Vec<Person>,
}

pub const ZONE: &str = "America/Chicago";

async fn person(store: &Store, hasher: &PasswordHasher, slug: &str, email: String, role: Role) -> Person {
    let account = haven::admin::NewAccount {
        email: email.clone(),
        name: email.split('@').next().unwrap().replace('.', " "),
        practice: slug.to_owned(),
        roles: vec![role],
        language: Language::En,
        password: None,
    };
    let (id, password) = haven::admin::create_user(store, hasher, account).await.unwrap();
    Person { id, email, password }
}

pub async fn open(store: &Store, patients: usize) -> Clinic {
    let hasher = PasswordHasher::new(HashCost::MINIMUM).unwrap();
    let slug = format!("clinic-{}", uuid::Uuid::new_v4().simple());
    let practice = haven::admin::create_practice(store, &slug, "Lakeside Therapy").await.unwrap().id;
    let clinician = person(store, &hasher, &slug, format!("dr.lake@{slug}.example"), Role::Clinician).await;
    let now = Timestamp::now();
    let profile = ClinicianProfile {
        user: clinician.id,
        practice,
        name: String::new(),
        credentials: "LCSW".into(),
        bio: haven_domain::Bilingual::default(),
        languages: vec!["en".into()],
        specialties: vec!["Anxiety".into()],
        licenses: Jurisdiction::parse_list("US-IL"),
        time_zone: ZONE.into(),
        buffer_minutes: 0,
        min_notice_minutes: 0,
        max_ahead_days: 366,
        accepting: true,
    };
    store.save_clinician_profile(&profile, now).await.unwrap();
    store.set_weekly_hours(clinician.id, &(1..=7).map(|d| (d, 0, 24 * 60)).collect::<Vec<_>>()).await.unwrap();
    let visit = VisitType {
        id: VisitTypeId::new(),
        clinician: clinician.id,
        name: haven_domain::Bilingual::new("Therapy", "Terapia"),
        minutes: 30,
        modalities: vec![Modality::Video, Modality::Phone],
        location: None,
        active: true,
    };
    store.add_visit_type(&visit, now).await.unwrap();
    let mut list = Vec::new();
    for i in 0..patients {
        list.push(person(store, &hasher, &slug, format!("patient{i}@{slug}.example"), Role::Patient).await);
    }
    Clinic { practice, clinician, visit: visit.id, patients: list }
}

/// The JSON body that books `start` by video from Illinois.
pub fn booking(clinic: &Clinic, start: Timestamp) -> serde_json::Value {
    serde_json::json!({
        "clinician": clinic.clinician.id,
        "visit_type": clinic.visit,
        "modality": "video",
        "where": "US-IL",
        "starts_at": start,
    })
}
