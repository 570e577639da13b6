//! FHIR R4 for measures: the instruments as Questionnaires, a patient's answers as
//! QuestionnaireResponses and their scores as Observations, under the chart's access rules
//! and audit (the patient, their care team, break-glass); and a patient posting the answers
//! to a questionnaire that is due for them, validated and scored like the form.

pub mod resources;

use haven_domain::access::ChartAccess;
use haven_domain::audit::{AuditAction, DataCategory};
use haven_domain::measures::{self, Answers};
use haven_domain::{Language, Role, UserId};
use serde_json::Value;

use crate::actor::Actor;
use crate::audit::Entry;
use crate::charts::Charts;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::measures::{By, Measures, Submitted};
use resources::Answered;

/// Why a posted response was refused, for the OperationOutcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a QuestionnaireResponse Haven can read (`structure`).
    Malformed,
    /// About someone else (`forbidden`).
    NotYours,
    /// Nothing of that questionnaire is due for this patient (`not-found`).
    NothingDue,
    /// Answers that don't match the questionnaire, or required ones missing (`invalid`).
    Invalid,
}

pub struct Fhir {
    cx: Ctx,
    charts: Charts,
    measures: Measures,
}

impl Fhir {
    #[must_use]
    pub fn new(cx: Ctx) -> Self {
        Self { charts: Charts::new(cx.clone()), measures: Measures::new(cx.clone()), cx }
    }

    fn base(&self) -> String {
        self.cx.links.to("")
    }

    #[must_use]
    pub fn questionnaires(&self, lang: Language) -> Value {
        let base = self.base();
        resources::bundle(&base, measures::builtins().iter().map(|i| resources::questionnaire(&base, i, lang)).collect())
    }

    #[must_use]
    pub fn questionnaire(&self, key: &str, lang: Language) -> Option<Value> {
        measures::builtin(key).map(|i| resources::questionnaire(&self.base(), i, lang))
    }

    /// Whether `actor` may read `patient`'s measures, audited as the chart is: the patient
    /// themself, their care team, or break-glass. Anyone else is refused (and that is
    /// recorded too), as if the patient didn't exist.
    async fn open(&self, actor: &Actor, patient: UserId) -> Result<()> {
        if actor.id() == patient && actor.has_role(Role::Patient) {
            let practice = actor.user.memberships.iter().find(|(_, r)| *r == Role::Patient).map(|(p, _)| *p);
            return self.cx.record(actor, Entry::about(actor, practice, patient, DataCategory::Clinical, AuditAction::Read)).await;
        }
        let chart = self.charts.open(actor, patient).await?;
        self.charts.record_open(actor, &chart).await?;
        if chart.access == ChartAccess::Denied {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    async fn answered(&self, patient: UserId) -> Result<Vec<(haven_store::ResponseRecord, Answers)>> {
        let mut out = Vec::new();
        for r in self.cx.store.responses_of(patient).await? {
            let answers = self.measures.answers_of(&r)?;
            out.push((r, answers));
        }
        Ok(out)
    }

    pub async fn responses(&self, actor: &Actor, patient: UserId, lang: Language) -> Result<Value> {
        self.open(actor, patient).await?;
        let base = self.base();
        let list = self.answered(patient).await?;
        let resources = list
            .iter()
            .filter_map(|(r, answers)| {
                let instrument = measures::builtin(&r.instrument)?;
                let a = Answered { id: r.id, patient, instrument, answers, at: r.completed_at, total: r.total, band: r.band.as_deref() };
                Some(resources::questionnaire_response(&base, &a, lang))
            })
            .collect();
        Ok(resources::bundle(&base, resources))
    }

    pub async fn observations(&self, actor: &Actor, patient: UserId, lang: Language) -> Result<Value> {
        self.open(actor, patient).await?;
        let base = self.base();
        let empty = Answers::new();
        let resources = self
            .cx
            .store
            .responses_of(patient)
            .await?
            .iter()
            .filter_map(|r| {
                let instrument = measures::builtin(&r.instrument)?;
                let a = Answered { id: r.id, patient, instrument, answers: &empty, at: r.completed_at, total: r.total, band: r.band.as_deref() };
                let risk = r.risk.as_deref().map(|l| crate::i18n::translate(lang, &format!("measures-risk-{l}"), &[]));
                resources::observation(&a, lang, risk)
            })
            .collect();
        Ok(resources::bundle(&base, resources))
    }

    /// A patient posts their answers to a questionnaire due for them. Refusals are audited.
    pub async fn post_response(&self, actor: &Actor, body: &Value, lang: Language) -> Result<Result<Value, Refusal>> {
        let key = body["questionnaire"].as_str().and_then(|q| q.rsplit_once("Questionnaire/")).map(|(_, k)| k.to_owned());
        let subject = body["subject"]["reference"].as_str().and_then(|r| r.strip_prefix("Patient/")).and_then(|id| id.parse::<UserId>().ok());
        let (Some(key), Some(subject), true) = (key, subject, body["resourceType"] == "QuestionnaireResponse") else {
            return Ok(Err(Refusal::Malformed));
        };
        let practice = actor.user.memberships.iter().find(|(_, r)| *r == Role::Patient).map(|(p, _)| *p);
        let refuse = |patient: UserId| Entry::about(actor, practice, patient, DataCategory::Clinical, AuditAction::AccessDenied);
        if subject != actor.id() || practice.is_none() {
            self.cx.record(actor, refuse(subject)).await?;
            return Ok(Err(Refusal::NotYours));
        }
        let due = self.cx.store.open_requests_of(actor.id(), self.cx.now()).await?.into_iter().find(|r| r.instrument == key);
        let Some(due) = due else {
            self.cx.record(actor, refuse(subject)).await?;
            return Ok(Err(Refusal::NothingDue));
        };
        let form = self.measures.form(actor, due.id).await?;
        let items = body["item"].as_array().cloned().unwrap_or_default();
        let Ok(answers) = resources::read_answers(form.instrument, &items) else { return Ok(Err(Refusal::Invalid)) };
        match self.measures.submit(By::Person(actor), &form, &answers, false).await? {
            Submitted::Done { .. } => {}
            Submitted::Problems(_) | Submitted::Saved => return Ok(Err(Refusal::Invalid)),
        }
        let stored = self.cx.store.responses_of(actor.id()).await?.into_iter().rev().find(|r| r.instrument == key).ok_or(Error::NotFound)?;
        let answers = self.measures.answers_of(&stored)?;
        let a = Answered {
            id: stored.id,
            patient: actor.id(),
            instrument: form.instrument,
            answers: &answers,
            at: stored.completed_at,
            total: stored.total,
            band: stored.band.as_deref(),
        };
        Ok(Ok(resources::questionnaire_response(&self.base(), &a, lang)))
    }
}
