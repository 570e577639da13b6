-- Practices, people, their roles, and server-side sessions.
-- Ids are 16-byte UUIDs; times are unix microseconds (UTC); booleans are 0/1.

CREATE TABLE practices (
    id          BLOB    PRIMARY KEY NOT NULL,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
    id             BLOB    PRIMARY KEY NOT NULL,
    email          TEXT    NOT NULL UNIQUE,
    display_name   TEXT    NOT NULL,
    password_hash  TEXT,
    language       TEXT    NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es')),
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     INTEGER NOT NULL
) STRICT;

CREATE TABLE memberships (
    practice_id  BLOB    NOT NULL REFERENCES practices (id),
    user_id      BLOB    NOT NULL REFERENCES users (id),
    role         TEXT    NOT NULL CHECK (role IN ('admin', 'clinician', 'patient')),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (practice_id, user_id, role)
) STRICT;
CREATE INDEX memberships_user ON memberships (user_id);

-- token_hash is SHA-256 of the cookie's secret: a copy of the database opens no session.
CREATE TABLE sessions (
    id            BLOB    PRIMARY KEY NOT NULL,
    token_hash    TEXT    NOT NULL UNIQUE,
    user_id       BLOB    NOT NULL REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
