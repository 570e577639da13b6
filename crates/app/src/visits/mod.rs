//! Video and phone visits: the device check's connection settings, the patient's safety
//! check-in and consent, the room (see [`live`]: waiting room, admission, signaling), and
//! the visit's record.
//!
//! Media flows peer to peer (DTLS-SRTP between the two browsers); Haven only relays the
//! signaling between the appointment's two parties, hands out short-lived TURN
//! credentials, and records times, modes and a quality summary — never audio, video or
//! chat content. The relaying works across instances sharing PostgreSQL, so the two
//! parties may reach different instances.

pub mod live;

use haven_crypto::turn::turn_credential;
use haven_domain::audit::{AuditAction, DataCategory};
use haven_domain::scheduling::{AppointmentStatus, Modality};
use haven_domain::visits::VisitState;
use haven_domain::visits::consent::{CONSENT_VERSION, check_signature, consent_due};
use haven_domain::visits::safety::{self as rules, SafetyDetails};
use haven_domain::{AppointmentId, UserId};
use haven_store::{Appointment, CheckIn, NewConsent, Visit};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::actor::Actor;
use crate::audit::Entry;
use crate::config::TurnConfig;
use crate::context::Ctx;
use crate::error::{Error, Result};

/// Which side of the visit the person is on. Nobody else may join its room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Patient,
    Clinician,
}

impl Party {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Patient => "patient",
            Party::Clinician => "clinician",
        }
    }
}

/// How early a patient may come into the waiting room, and how long after the booked end
/// the room stays open (visits run over).
const OPENS_BEFORE: SignedDuration = SignedDuration::from_mins(60);
const CLOSES_AFTER: SignedDuration = SignedDuration::from_mins(120);

#[must_use]
pub fn party_of(user: UserId, appointment: &Appointment) -> Option<Party> {
    if appointment.patient == user {
        Some(Party::Patient)
    } else if appointment.clinician == user {
        Some(Party::Clinician)
    } else {
        None
    }
}

/// Whether the visit's room is open now: a remote visit, booked, within its window.
#[must_use]
pub fn room_open(appointment: &Appointment, now: Timestamp) -> bool {
    appointment.modality.is_remote()
        && appointment.status == AppointmentStatus::Booked
        && appointment.starts_at.checked_sub(OPENS_BEFORE).is_ok_and(|opens| now >= opens)
        && appointment.ends_at.checked_add(CLOSES_AFTER).is_ok_and(|closes| now <= closes)
}

#[must_use]
pub fn is_phone(appointment: &Appointment) -> bool {
    appointment.modality == Modality::Phone
}

#[must_use]
pub fn entry(actor: &Actor, appointment: &Appointment, action: AuditAction) -> Entry {
    Entry::about(actor, Some(appointment.practice), appointment.patient, DataCategory::Visits, action)
}

fn safety_aad(appointment: AppointmentId) -> String {
    format!("visits.safety:{appointment}")
}

/// What the clinician sees of the patient's check-in: the emergency panel and the phone
/// visit's call-back number.
pub struct Emergency {
    pub details: SafetyDetails,
    /// The emergency number where the patient is.
    pub emergency_number: String,
}

/// What a check-in came to.
pub enum CheckedIn {
    Done,
    /// Problems by field: (field, message key).
    Problems(Vec<(&'static str, &'static str)>),
}

pub struct Visits {
    cx: Ctx,
    turn: Option<TurnConfig>,
}

/// A visit whose room is open now, for the start page.
/// Visits as a start page shows them.
pub struct StartVisits {
    pub open: Vec<OpenVisit>,
    /// A patient's next booked visit that isn't open yet.
    pub next: Option<Appointment>,
}

pub struct OpenVisit {
    pub appointment: Appointment,
    pub party: Party,
    /// For the clinician: since when the patient has been in the waiting room.
    pub waiting_since: Option<Timestamp>,
}

impl Visits {
    #[must_use]
    pub fn new(cx: Ctx, turn: Option<TurnConfig>) -> Self {
        Self { cx, turn }
    }

    /// Loads a visit for one of its two parties; anyone else gets "not found" and the
    /// attempt is audited.
    pub async fn load(&self, actor: &Actor, id: AppointmentId) -> Result<(Appointment, Party)> {
        let appointment = self.cx.store.appointment(id).await?.ok_or(Error::NotFound)?;
        match party_of(actor.id(), &appointment) {
            Some(party) => Ok((appointment, party)),
            None => {
                self.cx.record(actor, entry(actor, &appointment, AuditAction::AccessDenied)).await?;
                Err(Error::NotFound)
            }
        }
    }

    pub async fn record(&self, actor: &Actor, a: &Appointment, action: AuditAction) -> Result<()> {
        self.cx.record(actor, entry(actor, a, action)).await
    }

    pub async fn visit(&self, a: &Appointment) -> Result<Option<Visit>> {
        Ok(self.cx.store.visit(a.id).await?)
    }

    /// The ICE servers a visit page gets: the practice's coturn with a credential minted
    /// for this person (TURN REST API). Without TURN, browsers use direct paths only.
    #[must_use]
    pub fn rtc_configuration(&self, user: UserId) -> Value {
        let Some(turn) = &self.turn else {
            return json!({ "iceServers": [] });
        };
        let expires = self.cx.now().as_second() + i64::try_from(turn.ttl.as_secs()).unwrap_or(3600);
        let c = turn_credential(&turn.secret, &user.to_string(), expires);
        json!({ "iceServers": [{ "urls": turn.urls, "username": c.username, "credential": c.credential }] })
    }

    /// Whether the patient must (re)sign the telehealth consent before this visit.
    pub async fn consent_due(&self, a: &Appointment) -> Result<bool> {
        let latest = self.cx.store.latest_consent(a.practice, a.patient).await?;
        Ok(consent_due(latest.as_ref().map(|(at, v)| (*at, v.as_str())), self.cx.now()))
    }

    /// What the patient gave last time (to prefill the check-in): reading it is reading
    /// their record, so it is audited.
    pub async fn last_details(&self, actor: &Actor, a: &Appointment) -> Result<SafetyDetails> {
        self.record(actor, a, AuditAction::Read).await?;
        let mut details = match self.cx.store.last_safety(a.patient).await? {
            Some((appointment, sealed)) => self.open_details(appointment, &sealed)?,
            None => SafetyDetails::default(),
        };
        if details.region.is_empty() {
            details.region = a.jurisdiction.clone().unwrap_or_default();
        }
        Ok(details)
    }

    fn open_details(&self, appointment: AppointmentId, sealed: &[u8]) -> Result<SafetyDetails> {
        let plain = self.cx.open(&safety_aad(appointment), sealed)?;
        serde_json::from_slice(&plain).map_err(|e| Error::internal("a check-in could not be read", e))
    }

    /// The patient's check-in before a visit: where they are, a call-back number and an
    /// emergency contact; and consent when it is due (first visit, then yearly).
    pub async fn check_in(&self, actor: &Actor, a: &Appointment, details: SafetyDetails, consented: bool, signature: &str) -> Result<CheckedIn> {
        let cx = &self.cx;
        let mut problems: Vec<(&'static str, &'static str)> = Vec::new();
        let clean = match rules::check(&details) {
            Ok(clean) => Some(clean),
            Err(found) => {
                problems.extend(found.into_iter().map(|p| (p.field(), p.message_key())));
                None
            }
        };
        let signature = if self.consent_due(a).await? {
            if !consented {
                problems.push(("consent", "visit-error-consent"));
            }
            let s = check_signature(signature);
            if s.is_none() {
                problems.push(("signature", "visit-error-signature"));
            }
            s
        } else {
            None
        };
        let now = cx.now();
        let (Some(clean), true) = (clean, problems.is_empty()) else {
            self.record(actor, a, AuditAction::Read).await?;
            return Ok(CheckedIn::Problems(problems));
        };
        if !room_open(a, now) {
            self.record(actor, a, AuditAction::Read).await?;
            return Ok(CheckedIn::Problems(vec![("address", "visit-error-closed")]));
        }
        let licences = cx.store.clinician_profile(a.clinician).await?.map(|p| p.licenses).unwrap_or_default();
        let json = serde_json::to_vec(&clean).map_err(|e| Error::internal("a check-in could not be written down", e))?;
        let check_in = CheckIn {
            appointment: a.id,
            practice: a.practice,
            patient: a.patient,
            clinician: a.clinician,
            sealed_safety: cx.seal(&safety_aad(a.id), &json),
            outside_licence: !rules::licensed_for(&licences, &clean.region),
        };
        let consent = signature.map(|name| {
            let id = uuid::Uuid::now_v7();
            NewConsent {
                id,
                practice: a.practice,
                patient: a.patient,
                version: CONSENT_VERSION.to_owned(),
                sealed_signature: cx.seal(&format!("telehealth_consents.signature:{id}"), name.as_bytes()),
            }
        });
        cx.store.check_in(&check_in, consent.as_ref(), &cx.event(actor, entry(actor, a, AuditAction::Update)), now).await?;
        Ok(CheckedIn::Done)
    }

    /// The patient's details for the clinician's emergency panel (an audited read by the
    /// caller's page).
    pub fn emergency(&self, visit: &Visit, fallback_number: &str) -> Result<Emergency> {
        let details = self.open_details(visit.appointment, &visit.sealed_safety)?;
        Ok(Emergency { emergency_number: rules::emergency_number(&details.region, fallback_number), details })
    }

    /// Whether the patient may go straight back into the call (admitted earlier).
    pub async fn admitted(&self, a: &Appointment) -> Result<bool> {
        Ok(self.cx.store.visit(a.id).await?.is_some_and(|v| v.state() == VisitState::Admitted))
    }

    /// Visits whose room is open now: a patient's own; a clinician's, with who is already in
    /// the waiting room (each patient named is an audited read).
    pub async fn open_now(&self, actor: &Actor) -> Result<Vec<OpenVisit>> {
        Ok(self.start_page(actor).await?.open)
    }

    /// What a start page shows of visits: those open now and, for a patient, the next booked
    /// one after them (within three months). A patient's are one read: the start page is
    /// the most visited page.
    pub async fn start_page(&self, actor: &Actor) -> Result<StartVisits> {
        let store = &self.cx.store;
        let now = self.cx.now();
        let day = SignedDuration::from_hours(24);
        let mut found = Vec::new();
        let mut next = None;
        if actor.has_role(haven_domain::Role::Patient) {
            let (from, until) = (now.checked_sub(day).unwrap_or(now), now.checked_add(SignedDuration::from_hours(24 * 90)).unwrap_or(now));
            let mine = store.appointments_of_patient_between(actor.id(), from, until).await?;
            next = mine
                .iter()
                .filter(|a| a.status == AppointmentStatus::Booked && a.ends_at > now && !room_open(a, now))
                .min_by_key(|a| a.starts_at)
                .cloned();
            for a in mine.into_iter().filter(|a| room_open(a, now)) {
                found.push(OpenVisit { appointment: a, party: Party::Patient, waiting_since: None });
            }
        }
        for (practice, role) in &actor.user.memberships {
            if *role != haven_domain::Role::Clinician {
                continue;
            }
            let around = store
                .appointments_between(*practice, Some(actor.id()), now.checked_sub(day).unwrap_or(now), now.checked_add(day).unwrap_or(now))
                .await?;
            for a in around.into_iter().filter(|a| room_open(a, now)) {
                let waiting_since = store.visit(a.id).await?.filter(|v| v.state() == VisitState::Waiting).and_then(|v| v.arrived_at);
                found.push(OpenVisit { appointment: a, party: Party::Clinician, waiting_since });
            }
        }
        let entries = found.iter().filter(|v| v.party == Party::Clinician).map(|v| entry(actor, &v.appointment, AuditAction::Read)).collect();
        self.cx.record_all(actor, entries).await?;
        Ok(StartVisits { open: found, next })
    }

    /// The patient's rating of the visit's quality (1–5), once.
    pub async fn rate(&self, actor: &Actor, a: &Appointment, rating: i64) -> Result<()> {
        self.cx.store.rate_visit(a.id, a.patient, rating).await?;
        self.record(actor, a, AuditAction::Update).await
    }
}
