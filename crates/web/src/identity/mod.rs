//! Who is making a request (sessions), and the pages for signing in and out, the second
//! factor, passkeys, password resets, and the person's own profile and security settings.

pub mod account;
pub mod mfa;
pub mod passkeys;
pub mod profile;
pub mod reset;
pub mod session;
pub mod sign_in;
