//! Measures between visits: a clinician assigns an instrument on a schedule, the scan
//! (`due`) issues each occurrence, the patient answers (partial answers kept sealed), and
//! the answers are scored by the domain's rules. A response that shows risk stores its
//! risk signal in the same transaction as the answers and the audit entry; the care team's
//! start pages list open signals first.

pub mod due;
pub mod live;
pub mod notice;
pub mod outcomes;
pub mod review;

use haven_domain::access::ChartAccess;
use haven_domain::audit::AuditEvent;
use haven_domain::audit::{AuditAction, DataCategory};
use haven_domain::measures::{self, Answers, Cadence, Instrument, Problem, Schedule, Scored};
use haven_domain::{PracticeId, Role, UserId};
use haven_store::{
    Appointment, Effects, MeasureSettings, NewAssignment, NewRequest, NewResponse, NewSignal, RequestRecord, ResponseRecord, SignalRecord, StoreError,
};
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use crate::actor::Actor;
use crate::audit::Entry;
use crate::charts::Chart;
use crate::context::Ctx;
use crate::error::{Error, Result};

/// How long a request stays open after it is due (the practice setting comes later).
pub const OPEN_FOR: SignedDuration = SignedDuration::from_hours(4 * 24);

/// A request the patient can answer, with its instrument and what they saved so far.
pub struct Form {
    pub request: RequestRecord,
    pub instrument: &'static Instrument,
    pub draft: Answers,
}

/// What submitting answers came to.
pub enum Submitted {
    /// Partial answers kept; nothing scored.
    Saved,
    /// Items to fix, named; the answers given stay in the form.
    Problems(Vec<Problem>),
    /// Stored and scored; `signal` when the care team is being told today.
    Done { scored: Scored, signal: bool },
}

/// The reliable-change threshold the practice uses for `instrument`: its own for PHQ-9
/// (5 or 6), the instrument's otherwise.
#[must_use]
pub fn reliable_change(instrument: &Instrument, settings: &MeasureSettings) -> i64 {
    match (&instrument.change, instrument.key.as_str()) {
        (Some(_), "phq9") => settings.phq9_reliable,
        (Some(rules), _) => rules.reliable,
        (None, _) => 0,
    }
}

/// Who asks whom: the clinician, the practice and the patient of an assignment.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub by: UserId,
    pub practice: PracticeId,
    pub patient: UserId,
}

/// Answers to store: the request they close (if any), whose, who gave them, when.
struct Keep<'a> {
    request: Option<Uuid>,
    practice: PracticeId,
    patient: UserId,
    by: UserId,
    at: Timestamp,
    instrument: &'a Instrument,
}

/// One occurrence of `assignment`, due at `due`, open for [`OPEN_FOR`].
fn request_for(t: &Target, assignment: Uuid, instrument: &Instrument, due: Timestamp, visit: Option<haven_domain::AppointmentId>) -> NewRequest {
    NewRequest {
        id: Uuid::now_v7(),
        assignment: Some(assignment),
        practice: t.practice,
        patient: t.patient,
        instrument: instrument.key.clone(),
        requested_by: t.by,
        due_at: due,
        expires_at: due.checked_add(OPEN_FOR).unwrap_or(due),
        visit: visit.map(|v| v.0),
    }
}

fn assignment_for(t: &Target, id: Uuid, instrument: &Instrument, schedule: &Schedule, next_due_at: Option<Timestamp>) -> Result<NewAssignment> {
    Ok(NewAssignment {
        id,
        practice: t.practice,
        patient: t.patient,
        instrument: instrument.key.clone(),
        assigned_by: t.by,
        schedule: serde_json::to_string(schedule).map_err(|e| Error::internal("a schedule could not be written", e))?,
        next_due_at,
    })
}

/// Who is sending answers: a signed-in person, or whoever holds the emailed link (from
/// this address).
#[derive(Clone, Copy)]
pub enum By<'a> {
    Person(&'a Actor),
    Link(std::net::IpAddr),
}

/// A clinician's assignment as the chart form gives it.
#[derive(Debug, Default, Clone)]
pub struct AssignInput {
    pub instrument: String,
    /// "once" or "weekly".
    pub cadence: String,
    pub weeks: String,
    pub weekday: String,
    pub hour: String,
}

/// Who gave answers earlier, when, and where they come from (for the audit entry).
#[derive(Debug, Clone, Copy)]
pub struct Past<'a> {
    pub practice: PracticeId,
    pub patient: UserId,
    /// The patient, or whoever entered the answers.
    pub by: UserId,
    pub at: Timestamp,
    pub source: &'a str,
}

/// One instrument's responses for the chart, oldest first.
pub struct Series {
    pub instrument: &'static Instrument,
    pub responses: Vec<ResponseRecord>,
}

pub struct Measures {
    cx: Ctx,
}

fn entry(actor: &Actor, practice: PracticeId, patient: UserId, action: AuditAction) -> Entry {
    Entry::about(actor, Some(practice), patient, DataCategory::Clinical, action)
}

fn draft_aad(id: Uuid) -> String {
    format!("measure_requests.draft:{id}")
}

impl Measures {
    #[must_use]
    pub fn new(cx: Ctx) -> Self {
        Self { cx }
    }

    /// Assigns an instrument to the chart's patient; a due-now occurrence is issued at once.
    pub async fn assign(&self, actor: &Actor, chart: &Chart, input: &AssignInput) -> Result<Result<(), &'static str>> {
        if chart.access == ChartAccess::Denied {
            return Err(Error::Forbidden);
        }
        let Some(instrument) = measures::builtin(input.instrument.trim()) else { return Ok(Err("measures-error-instrument")) };
        let now = self.cx.now();
        let cadence = match input.cadence.trim() {
            "once" => Cadence::Once,
            "weekly" => {
                let n = |s: &str| s.trim().parse::<i64>().ok();
                let (Some(weeks), Some(weekday), Some(hour)) = (n(&input.weeks), n(&input.weekday), n(&input.hour)) else {
                    return Ok(Err("measures-error-schedule"));
                };
                let (Ok(weekday), Ok(hour)) = (i8::try_from(weekday), i8::try_from(hour)) else { return Ok(Err("measures-error-schedule")) };
                Cadence::EveryWeeks { weeks, weekday, hour }
            }
            _ => return Ok(Err("measures-error-schedule")),
        };
        let schedule = Schedule { cadence, starts: now, until: None, count: None };
        if schedule.check().is_err() {
            return Ok(Err("measures-error-schedule"));
        }
        let audit = self.cx.event(actor, entry(actor, chart.practice, chart.patient.id, AuditAction::Create));
        let target = Target { by: actor.id(), practice: chart.practice, patient: chart.patient.id };
        self.store_assignment(&target, instrument, &schedule, audit).await?;
        Ok(Ok(()))
    }

    /// Stores an assignment and issues an occurrence due now at once (later ones come from
    /// the scan). Also how the demo sets its schedules.
    pub async fn store_assignment(&self, t: &Target, instrument: &Instrument, schedule: &Schedule, audit: AuditEvent) -> Result<()> {
        let now = self.cx.now();
        let tz = self.zone_of(t.practice, t.patient).await?;
        let first = schedule.next_after(&tz, None).map(|(_, at)| at);
        let id = Uuid::now_v7();
        // An occurrence due now is issued with the assignment; later ones by the scan.
        let (issue_now, next_due_at) = match first {
            Some(at) if at <= now => (Some(at), schedule.next_after(&tz, Some(at)).map(|(_, n)| n)),
            other => (None, other),
        };
        let request = issue_now.map(|due| request_for(t, id, instrument, due, None));
        let assignment = assignment_for(t, id, instrument, schedule, next_due_at)?;
        let mut effects = Effects::audit(audit);
        if let Some(r) = &request {
            effects.jobs.extend(notice::jobs(&self.cx, r.id, r.due_at, r.expires_at)?);
        }
        self.cx.store.add_assignment(&assignment, request.as_ref(), &effects, now).await?;
        self.cx.queue.kick();
        Ok(())
    }

    /// The clinician sends a questionnaire to the patient's screen during their visit: a
    /// one-off request tied to the visit (no mail: they are in the call), announced to the
    /// patient's side of the room. Their answers come back to the clinician's side at once.
    pub async fn send_in_visit(&self, actor: &Actor, visit: &Appointment, key: &str) -> Result<Result<Uuid, &'static str>> {
        if visit.clinician != actor.id() {
            self.cx.record(actor, entry(actor, visit.practice, visit.patient, AuditAction::AccessDenied)).await?;
            return Err(Error::Forbidden);
        }
        let Some(instrument) = measures::builtin(key.trim()) else { return Ok(Err("measures-error-instrument")) };
        let now = self.cx.now();
        let target = Target { by: actor.id(), practice: visit.practice, patient: visit.patient };
        let schedule = Schedule { cadence: Cadence::Once, starts: now, until: None, count: None };
        let id = Uuid::now_v7();
        // Answered in the call, or later from the start page; it closes like any other.
        let request = request_for(&target, id, instrument, now, Some(visit.id));
        let assignment = assignment_for(&target, id, instrument, &schedule, None)?;
        let effects = Effects::audit(self.cx.event(actor, entry(actor, visit.practice, visit.patient, AuditAction::Create)));
        self.cx.store.add_assignment(&assignment, Some(&request), &effects, now).await?;
        let frame = serde_json::json!({ "type": "visit-measure", "visit": visit.id.to_string(), "request": request.id.to_string() });
        let event = crate::live::Event::Frame { from: Some(actor.id()), to: Some(visit.patient), frame };
        self.cx.hub.publish(crate::visits::live::topic(visit.id), event).await;
        Ok(Ok(request.id))
    }

    /// Tells the clinician's side of the call the score of answers given during the visit,
    /// worded in the clinician's language.
    async fn tell_visit(&self, r: &RequestRecord, instrument: &Instrument, scored: &Scored, signal: bool) -> Result<()> {
        let Some(visit) = r.visit else { return Ok(()) };
        let lang = self.cx.store.user(r.requested_by).await?.map(|u| u.language).unwrap_or_default();
        let band = scored.band.as_deref().and_then(|k| instrument.bands.iter().find(|b| b.key == k)).map(|b| b.label.get(lang).to_owned());
        let risk = scored.risk.map(|l| crate::i18n::translate(lang, &format!("measures-risk-{}", l.as_str()), &[]));
        let score = match (scored.total, band, risk) {
            (Some(total), Some(band), _) => format!("{total} ({band})"),
            (Some(total), None, _) => total.to_string(),
            (None, _, Some(risk)) => risk,
            (None, _, None) => crate::i18n::translate(lang, "measures-risk-none", &[]),
        };
        let mut summary = crate::i18n::translate(lang, "visit-measure-result", &[("name", &instrument.short), ("score", &score)]);
        if signal {
            summary = format!("{summary} {}", crate::i18n::translate(lang, "visit-measure-signal", &[]));
        }
        let frame =
            serde_json::json!({ "type": "visit-measure-result", "visit": visit.to_string(), "request": r.id.to_string(), "summary": summary });
        let event = crate::live::Event::Frame { from: Some(r.patient), to: Some(r.requested_by), frame };
        self.cx.hub.publish(crate::visits::live::topic(haven_domain::AppointmentId(visit)), event).await;
        Ok(())
    }

    /// The zone a patient's schedules run on: theirs, else the practice's.
    async fn zone_of(&self, practice: PracticeId, patient: UserId) -> Result<jiff::tz::TimeZone> {
        let saved = self.cx.store.user_time_zone(patient).await?;
        let settings = self.cx.practice_settings(practice).await?;
        Ok(crate::when::viewer_zone(None, saved.as_deref(), &settings.time_zone).1)
    }

    /// Stores answers given earlier (on paper, in another system, or the demo's history),
    /// scored by the same rules, with a risk signal if they show one, audited as `source`.
    pub async fn import(&self, past: &Past<'_>, instrument: &Instrument, answers: &Answers) -> Result<Result<Scored, Vec<Problem>>> {
        let scored = match measures::score(instrument, answers) {
            Ok(s) => s,
            Err(p) => return Ok(Err(p)),
        };
        let audit = Entry::about_patient(past.practice, past.patient, DataCategory::Clinical, AuditAction::Create)
            .at(self.cx.now(), Some(past.source.to_owned()));
        let keep = Keep { request: None, practice: past.practice, patient: past.patient, by: past.by, at: past.at, instrument };
        self.keep(&keep, &scored, audit).await?;
        Ok(Ok(scored))
    }

    /// Stores scored answers (sealed) with their risk signal and audit entry in one
    /// transaction, then tells the care team of a signal. Returns whether there was one.
    /// Answers to a request answered meanwhile (another tab) are "not found": those stand.
    async fn keep(&self, k: &Keep<'_>, scored: &Scored, audit: AuditEvent) -> Result<bool> {
        let cx = &self.cx;
        let id = Uuid::now_v7();
        let json = serde_json::to_string(&scored.answers).map_err(|e| Error::internal("answers could not be written", e))?;
        let response = NewResponse {
            id,
            request: k.request,
            practice: k.practice,
            patient: k.patient,
            instrument: k.instrument.key.clone(),
            version: k.instrument.version,
            answered_by: k.by,
            in_session: false,
            total: scored.total,
            band: scored.band.clone(),
            risk: scored.risk.map(|l| l.as_str().to_owned()),
            sealed_answers: cx.seal(&format!("measure_responses.answers:{id}"), json.as_bytes()),
            completed_at: k.at,
        };
        let signal = scored.signal.map(|level| NewSignal { id: Uuid::now_v7(), level: level.as_str().to_owned() });
        match cx.store.save_response(&response, signal.as_ref(), &Effects::audit(audit), k.at).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => return Err(Error::NotFound),
            Err(e) => return Err(e.into()),
        }
        if signal.is_some() {
            // Which patient and how grave stay out of the log; the care team reads them signed in.
            tracing::warn!("a questionnaire answer raised a risk signal");
            live::tell_care_team(cx, k.patient).await?;
        }
        Ok(signal.is_some())
    }

    /// The patient's open check-ins (for their start page). Listing them reads no answers.
    pub async fn open_for(&self, actor: &Actor) -> Result<Vec<(RequestRecord, &'static Instrument)>> {
        if !actor.has_role(Role::Patient) {
            return Ok(Vec::new());
        }
        let open = self.cx.store.open_requests_of(actor.id(), self.cx.now()).await?;
        Ok(open.into_iter().filter_map(|r| measures::builtin(&r.instrument).map(|i| (r, i))).collect())
    }

    /// The patient's own open request, to answer. Anyone else's, or one closed, is not
    /// found, and the attempt on someone else's is audited.
    pub async fn form(&self, actor: &Actor, id: Uuid) -> Result<Form> {
        let request = self.cx.store.measure_request(id).await?.ok_or(Error::NotFound)?;
        if request.patient != actor.id() {
            self.cx.record(actor, entry(actor, request.practice, request.patient, AuditAction::AccessDenied)).await?;
            return Err(Error::NotFound);
        }
        self.open_form(request)
    }

    /// The request an emailed link opens, without sign-in. An unknown, answered or closed
    /// link is not found. Opening it is audited as the patient's record read from `source`.
    pub async fn form_by_link(&self, token: &str, source: std::net::IpAddr) -> Result<Form> {
        let token = haven_crypto::token::SecretToken::from_client(token).ok_or(Error::NotFound)?;
        let request = self.cx.store.measure_request_by_link(&token.digest()).await?.ok_or(Error::NotFound)?;
        let form = self.open_form(request)?;
        let read = Entry::about_patient(form.request.practice, form.request.patient, DataCategory::Clinical, AuditAction::Read);
        self.cx.record_from(source, read).await?;
        Ok(form)
    }

    /// Whether the practice has its check-in links ask for sign-in.
    pub async fn links_need_sign_in(&self, form: &Form) -> Result<bool> {
        Ok(self.cx.store.measure_settings(form.request.practice).await?.links_sign_in)
    }

    pub async fn settings(&self, practice: PracticeId) -> Result<MeasureSettings> {
        Ok(self.cx.store.measure_settings(practice).await?)
    }

    /// An admin sets how the practice runs measures; `Err(key)` for a value out of range.
    pub async fn save_settings(&self, actor: &Actor, settings: MeasureSettings) -> Result<Result<(), &'static str>> {
        let practice = actor.user.memberships.iter().find(|(_, r)| *r == Role::Admin).map(|(p, _)| *p).ok_or(Error::Forbidden)?;
        if !(5..=6).contains(&settings.phq9_reliable) {
            return Ok(Err("measures-error-reliable"));
        }
        self.cx.store.set_measure_settings(practice, &settings).await?;
        Ok(Ok(()))
    }

    fn open_form(&self, request: RequestRecord) -> Result<Form> {
        let now = self.cx.now();
        if request.status != "open" || request.expires_at <= now || request.due_at > now {
            return Err(Error::NotFound);
        }
        let instrument = measures::builtin(&request.instrument).ok_or(Error::NotFound)?;
        let draft = match &request.sealed_draft {
            Some(sealed) => serde_json::from_str(&self.cx.open_text(&draft_aad(request.id), sealed)?).unwrap_or_default(),
            None => Answers::new(),
        };
        Ok(Form { request, instrument, draft })
    }

    /// Saves partial answers (`save_only`), or scores and stores complete ones.
    pub async fn submit(&self, by: By<'_>, form: &Form, answers: &Answers, save_only: bool) -> Result<Submitted> {
        let cx = &self.cx;
        let r = &form.request;
        if save_only {
            let json = serde_json::to_string(answers).map_err(|e| Error::internal("answers could not be written", e))?;
            cx.store.save_draft(r.id, &cx.seal(&draft_aad(r.id), json.as_bytes())).await?;
            return Ok(Submitted::Saved);
        }
        let scored = match measures::score(form.instrument, answers) {
            Ok(s) => s,
            Err(problems) => return Ok(Submitted::Problems(problems)),
        };
        let audit = match by {
            By::Person(actor) => cx.event(actor, entry(actor, r.practice, r.patient, AuditAction::Create)),
            By::Link(source) => cx.event_from(source, Entry::about_patient(r.practice, r.patient, DataCategory::Clinical, AuditAction::Create)),
        };
        let answered_by = match by {
            By::Person(actor) => actor.id(),
            By::Link(_) => r.patient,
        };
        let keep = Keep { request: Some(r.id), practice: r.practice, patient: r.patient, by: answered_by, at: cx.now(), instrument: form.instrument };
        let signal = self.keep(&keep, &scored, audit).await?;
        self.tell_visit(r, form.instrument, &scored, signal).await?;
        Ok(Submitted::Done { signal, scored })
    }

    /// The chart's measures, per instrument, oldest response first. A read of the record.
    pub async fn series(&self, chart: &Chart) -> Result<Vec<Series>> {
        self.series_of(chart.patient.id).await
    }

    /// A patient's own results, with the practice's settings; `None` when the practice
    /// shares results in visits only. The C-SSRS screener is never among them: a suicide
    /// screen is talked through, not scored at a patient. Audited as a read of their record.
    pub async fn own_series(&self, actor: &Actor) -> Result<Option<(Vec<Series>, MeasureSettings)>> {
        let Some(practice) = actor.user.memberships.iter().find(|(_, r)| *r == Role::Patient).map(|(p, _)| *p) else {
            return Err(Error::Forbidden);
        };
        let settings = self.cx.store.measure_settings(practice).await?;
        if !settings.show_patients {
            return Ok(None);
        }
        self.cx.record(actor, entry(actor, practice, actor.id(), AuditAction::Read)).await?;
        let series = self.series_of(actor.id()).await?.into_iter().filter(|s| s.instrument.max_total().is_some()).collect();
        Ok(Some((series, settings)))
    }

    async fn series_of(&self, patient: UserId) -> Result<Vec<Series>> {
        let responses = self.cx.store.responses_of(patient).await?;
        let mut out: Vec<Series> = Vec::new();
        for instrument in measures::builtins() {
            let mine: Vec<ResponseRecord> = responses.iter().filter(|r| r.instrument == instrument.key).cloned().collect();
            if !mine.is_empty() {
                out.push(Series { instrument, responses: mine });
            }
        }
        Ok(out)
    }

    /// One response's item answers, opened.
    pub fn answers_of(&self, response: &ResponseRecord) -> Result<Answers> {
        let text = self.cx.open_text(&format!("measure_responses.answers:{}", response.id), &response.sealed_answers)?;
        serde_json::from_str(&text).map_err(|e| Error::internal("stored answers could not be read", e))
    }

    /// Open risk signals for the clinician's care-team patients, gravest first. Seeing one
    /// names a patient: each is audited, together.
    pub async fn signals_for(&self, actor: &Actor) -> Result<Vec<SignalRecord>> {
        if !actor.has_role(Role::Clinician) {
            return Ok(Vec::new());
        }
        let signals = self.cx.store.open_signals_for(actor.id()).await?;
        let entries = signals.iter().map(|s| Entry::about(actor, None, s.patient, DataCategory::Clinical, AuditAction::Read)).collect();
        self.cx.record_all(actor, entries).await?;
        Ok(signals)
    }

    /// Marks a signal reviewed; only a clinician on the patient's care team may.
    pub async fn review(&self, actor: &Actor, signal: Uuid) -> Result<()> {
        let (practice, patient) = self.cx.store.signal_patient(signal).await?.ok_or(Error::NotFound)?;
        let allowed = actor.is(practice, Role::Clinician) && self.cx.store.is_on_care_team(patient, actor.id()).await?;
        if !allowed {
            self.cx.record(actor, entry(actor, practice, patient, AuditAction::AccessDenied)).await?;
            return Err(Error::NotFound);
        }
        let effects = Effects::audit(self.cx.event(actor, entry(actor, practice, patient, AuditAction::Update)));
        self.cx.store.review_signal(signal, actor.id(), &effects, self.cx.now()).await?;
        Ok(())
    }
}
