-- Mail waiting to be sent (the durable outbox), invitations, password resets, care teams.

CREATE TABLE outgoing_mail (
    id               BLOB    PRIMARY KEY NOT NULL,
    to_addr          TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    -- Cleared once sent: links in it are secrets.
    body             TEXT,
    created_at       INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    claimed_until    INTEGER,
    sent_at          INTEGER,
    last_error       TEXT
) STRICT;
CREATE INDEX outgoing_mail_due ON outgoing_mail (sent_at, next_attempt_at);

ALTER TABLE practices ADD COLUMN allow_self_registration INTEGER NOT NULL DEFAULT 0 CHECK (allow_self_registration IN (0, 1));

CREATE TABLE invitations (
    id            BLOB    PRIMARY KEY NOT NULL,
    token_hash    TEXT    NOT NULL UNIQUE,
    practice_id   BLOB    NOT NULL REFERENCES practices (id),
    email         TEXT    NOT NULL,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'clinician', 'patient')),
    language      TEXT    NOT NULL CHECK (language IN ('en', 'es')),
    invited_by    BLOB    REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    accepted_at   INTEGER
) STRICT;

CREATE TABLE password_resets (
    token_hash  TEXT    PRIMARY KEY NOT NULL,
    user_id     BLOB    NOT NULL REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
) STRICT;

CREATE TABLE care_team (
    practice_id   BLOB    NOT NULL REFERENCES practices (id),
    patient_id    BLOB    NOT NULL REFERENCES users (id),
    clinician_id  BLOB    NOT NULL REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (practice_id, patient_id, clinician_id)
) STRICT;
CREATE INDEX care_team_clinician ON care_team (clinician_id);
