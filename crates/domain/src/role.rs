//! What a person may be within one practice.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages accounts, settings and the audit trail; reads no clinical content by default.
    Admin,
    /// Therapist, psychiatrist or other provider who treats patients.
    Clinician,
    Patient,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Clinician, Role::Patient];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Clinician => "clinician",
            Role::Patient => "patient",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    #[must_use]
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Patient)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RoleConflict {
    #[error("a patient can't also hold a staff role in the same practice")]
    PatientAndStaff,
}

/// A clinician may also be an admin, but a patient holds no staff role in the same
/// practice: otherwise they could read other patients' records, or their own clinical notes.
pub fn check_roles(roles: &[Role]) -> Result<(), RoleConflict> {
    let patient = roles.contains(&Role::Patient);
    let staff = roles.iter().any(|r| r.is_staff());
    if patient && staff { Err(RoleConflict::PatientAndStaff) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patient_cannot_be_staff_in_same_practice() {
        assert!(check_roles(&[Role::Clinician, Role::Admin]).is_ok());
        assert!(check_roles(&[Role::Patient]).is_ok());
        assert_eq!(check_roles(&[Role::Patient, Role::Clinician]), Err(RoleConflict::PatientAndStaff));
    }

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }
}
