-- Data keys for encryption at rest (wrapped by the key file's key), and second factors.

CREATE TABLE data_keys (
    generation       BIGINT  PRIMARY KEY,
    id               BYTEA   NOT NULL UNIQUE,
    wrapped          BYTEA   NOT NULL,
    kek_fingerprint  TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL
);

-- Sealed with the vault (associated data "users.totp_secret:<user id>").
ALTER TABLE users ADD COLUMN totp_secret BYTEA;
-- The last time step whose code was accepted: a code is never accepted twice.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

CREATE TABLE mfa_recovery_codes (
    user_id    UUID    NOT NULL REFERENCES users (id),
    code_hash  TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    used_at    BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- Between a correct password and the second factor: no session exists yet.
CREATE TABLE mfa_challenges (
    token_hash      TEXT    PRIMARY KEY,
    user_id         UUID    NOT NULL REFERENCES users (id),
    -- A secret being set up (sealed, associated data "mfa_challenges.pending_secret:<user id>").
    pending_secret  BYTEA,
    created_at      BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL
);
