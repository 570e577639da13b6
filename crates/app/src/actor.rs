//! Who is acting, as the services see it: a signed-in person with their session and the
//! address they act from (audit entries name it), or Haven itself (a job).

use std::net::IpAddr;

use haven_domain::{PracticeId, Role, SessionId, UserId};
use haven_store::{SessionRecord, User};

#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    pub session: SessionRecord,
    /// The client's address, for audit entries.
    pub source: IpAddr,
}

impl Actor {
    #[must_use]
    pub fn id(&self) -> UserId {
        self.user.id
    }

    #[must_use]
    pub fn session_id(&self) -> SessionId {
        self.session.id
    }

    #[must_use]
    pub fn is_staff(&self) -> bool {
        self.user.memberships.iter().any(|(_, role)| role.is_staff())
    }

    #[must_use]
    pub fn has_role(&self, role: Role) -> bool {
        self.user.has_role(role)
    }

    /// Holds `role` in `practice`.
    #[must_use]
    pub fn is(&self, practice: PracticeId, role: Role) -> bool {
        self.user.memberships.contains(&(practice, role))
    }

    /// A clinician or admin of `practice`.
    #[must_use]
    pub fn is_staff_of(&self, practice: PracticeId) -> bool {
        self.user.memberships.iter().any(|(p, r)| *p == practice && r.is_staff())
    }

    /// The practices where the person is a patient.
    #[must_use]
    pub fn patient_practices(&self) -> Vec<PracticeId> {
        self.user.memberships.iter().filter(|(_, r)| *r == Role::Patient).map(|(p, _)| *p).collect()
    }

    /// The practices whose clinicians this person may browse: where they are a patient,
    /// else where they work.
    #[must_use]
    pub fn browsable_practices(&self) -> Vec<PracticeId> {
        let mine = self.patient_practices();
        if !mine.is_empty() {
            return mine;
        }
        let mut all: Vec<_> = self.user.memberships.iter().map(|(p, _)| *p).collect();
        all.dedup();
        all
    }
}
