//! Cryptography for Haven, kept in one place so that its choices are reviewed together.

pub mod breached;
pub mod password;
pub mod stun;
pub mod token;
pub mod totp;
pub mod turn;
pub mod vault;

pub use password::{HashCost, PasswordHasher};
pub use token::{SecretToken, readable_password, sha256_hex};
pub use vault::{DataKey, Kek, Vault, VaultError};
