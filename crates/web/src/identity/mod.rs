//! Who is making a request: sessions and signing in and out.

pub mod account;
pub mod mfa;
pub mod passkeys;
pub mod passwords;
pub mod profile;
pub mod reset;
pub mod session;
pub mod sign_in;
pub mod throttle;

pub use session::{CurrentUser, MaybeUser};
