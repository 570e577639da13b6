-- Practices, people, their roles, and server-side sessions.
-- Times are unix microseconds (UTC) in BIGINT, the same representation as on SQLite.

CREATE TABLE practices (
    id          UUID    PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE users (
    id             UUID     PRIMARY KEY,
    email          TEXT     NOT NULL UNIQUE,
    display_name   TEXT     NOT NULL,
    password_hash  TEXT,
    language       TEXT     NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es')),
    active         BOOLEAN  NOT NULL DEFAULT TRUE,
    created_at     BIGINT   NOT NULL
);

CREATE TABLE memberships (
    practice_id  UUID    NOT NULL REFERENCES practices (id),
    user_id      UUID    NOT NULL REFERENCES users (id),
    role         TEXT    NOT NULL CHECK (role IN ('admin', 'clinician', 'patient')),
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (practice_id, user_id, role)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- token_hash is SHA-256 of the cookie's secret: a copy of the database opens no session.
CREATE TABLE sessions (
    id            UUID    PRIMARY KEY,
    token_hash    TEXT    NOT NULL UNIQUE,
    user_id       UUID    NOT NULL REFERENCES users (id),
    created_at    BIGINT  NOT NULL,
    last_seen_at  BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
