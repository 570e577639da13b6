-- Mail waiting to be sent (the durable outbox), invitations, password resets, care teams.

CREATE TABLE outgoing_mail (
    id               UUID    PRIMARY KEY,
    to_addr          TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    -- Cleared once sent: links in it are secrets.
    body             TEXT,
    created_at       BIGINT  NOT NULL,
    attempts         BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT  NOT NULL,
    claimed_until    BIGINT,
    sent_at          BIGINT,
    last_error       TEXT
);
CREATE INDEX outgoing_mail_due ON outgoing_mail (sent_at, next_attempt_at);

ALTER TABLE practices ADD COLUMN allow_self_registration BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE invitations (
    id            UUID    PRIMARY KEY,
    token_hash    TEXT    NOT NULL UNIQUE,
    practice_id   UUID    NOT NULL REFERENCES practices (id),
    email         TEXT    NOT NULL,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'clinician', 'patient')),
    language      TEXT    NOT NULL CHECK (language IN ('en', 'es')),
    invited_by    UUID    REFERENCES users (id),
    created_at    BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL,
    accepted_at   BIGINT
);

CREATE TABLE password_resets (
    token_hash  TEXT    PRIMARY KEY,
    user_id     UUID    NOT NULL REFERENCES users (id),
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);

CREATE TABLE care_team (
    practice_id   UUID    NOT NULL REFERENCES practices (id),
    patient_id    UUID    NOT NULL REFERENCES users (id),
    clinician_id  UUID    NOT NULL REFERENCES users (id),
    created_at    BIGINT  NOT NULL,
    PRIMARY KEY (practice_id, patient_id, clinician_id)
);
CREATE INDEX care_team_clinician ON care_team (clinician_id);
