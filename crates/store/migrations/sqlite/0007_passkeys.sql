-- Passkeys (WebAuthn credentials: public keys only) and ceremonies in progress.

CREATE TABLE passkeys (
    id            BLOB    PRIMARY KEY NOT NULL,
    user_id       BLOB    NOT NULL REFERENCES users (id),
    -- base64url credential id, unique across everyone.
    credential_id TEXT    NOT NULL UNIQUE,
    -- The credential as webauthn-rs serialises it (public key, counter).
    credential    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER
) STRICT;
CREATE INDEX passkeys_user ON passkeys (user_id);

-- A registration or sign-in ceremony between its two requests (any instance may get the second).
CREATE TABLE webauthn_ceremonies (
    token_hash  TEXT    PRIMARY KEY NOT NULL,
    user_id     BLOB    REFERENCES users (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('register', 'authenticate')),
    state       TEXT    NOT NULL,
    expires_at  INTEGER NOT NULL
) STRICT;
