-- Data keys for encryption at rest (wrapped by the key file's key), and second factors.

CREATE TABLE data_keys (
    generation       INTEGER PRIMARY KEY NOT NULL,
    id               BLOB    NOT NULL UNIQUE,
    wrapped          BLOB    NOT NULL,
    kek_fingerprint  TEXT    NOT NULL,
    created_at       INTEGER NOT NULL
) STRICT;

-- Sealed with the vault (associated data "users.totp_secret:<user id>").
ALTER TABLE users ADD COLUMN totp_secret BLOB;
-- The last time step whose code was accepted: a code is never accepted twice.
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;

CREATE TABLE mfa_recovery_codes (
    user_id    BLOB    NOT NULL REFERENCES users (id),
    code_hash  TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    used_at    INTEGER,
    PRIMARY KEY (user_id, code_hash)
) STRICT;

-- Between a correct password and the second factor: no session exists yet.
CREATE TABLE mfa_challenges (
    token_hash      TEXT    PRIMARY KEY NOT NULL,
    user_id         BLOB    NOT NULL REFERENCES users (id),
    -- A secret being set up (sealed, associated data "mfa_challenges.pending_secret:<user id>").
    pending_secret  BLOB,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
) STRICT;
