//! The objects a route's scope names, loaded for the person asking and checked against who
//! may see them. The web layer's route table names a scope per route; its guard calls these
//! before the handler runs, so handlers don't re-check membership by hand. A refusal looks
//! like any object that doesn't exist and is audited by the service that refused it.

use haven_domain::{AppointmentId, ThreadId, UserId};
use haven_store::{Appointment, Thread, User};

use crate::App;
use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::visits::Party;

/// An appointment the person may act on (see `booking`'s rule).
pub async fn appointment(app: &App, actor: &Actor, id: AppointmentId) -> Result<Appointment> {
    app.booking.load(actor, id).await
}

/// A visit the person is a party to.
pub async fn visit(app: &App, actor: &Actor, id: AppointmentId) -> Result<(Appointment, Party)> {
    app.visits.load(actor, id).await
}

/// A thread the person is a member of.
pub async fn thread(app: &App, actor: &Actor, id: ThreadId) -> Result<Thread> {
    app.messaging.thread_for(actor, id).await
}

/// A person in a practice the signed-in admin administers.
pub async fn practice_person(app: &App, actor: &Actor, id: UserId) -> Result<User> {
    app.people.member(actor, id).await.map(|(_, user)| user)
}

/// A clinician of a practice the person belongs to (for booking pages and photos).
pub async fn practice_clinician(app: &App, actor: &Actor, id: UserId) -> Result<haven_store::ClinicianProfile> {
    let profile = app.cx.store.clinician_profile(id).await?.ok_or(Error::NotFound)?;
    if actor.user.memberships.iter().any(|(p, _)| *p == profile.practice) { Ok(profile) } else { Err(Error::NotFound) }
}
