//! Pages that belong to no single feature: the landing page, the crisis page, the
//! dashboard and the language switch.

pub mod crisis;
pub mod dashboard;
pub mod home;
pub mod language;
