-- Progress notes (clinical free text, sealed) and break-glass emergency access.

CREATE TABLE notes (
    id           UUID    PRIMARY KEY,
    practice_id  UUID    NOT NULL REFERENCES practices (id),
    patient_id   UUID    NOT NULL REFERENCES users (id),
    author_id    UUID    NOT NULL REFERENCES users (id),
    created_at   BIGINT  NOT NULL,
    -- Sealed with the vault, associated data "notes.body:<id>".
    body         BYTEA   NOT NULL
);
CREATE INDEX notes_patient ON notes (patient_id, created_at);

-- The people a practice's admins allow to use emergency access.
CREATE TABLE break_glass_designees (
    practice_id  UUID    NOT NULL REFERENCES practices (id),
    user_id      UUID    NOT NULL REFERENCES users (id),
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (practice_id, user_id)
);

CREATE TABLE break_glass_grants (
    id           UUID    PRIMARY KEY,
    practice_id  UUID    NOT NULL REFERENCES practices (id),
    user_id      UUID    NOT NULL REFERENCES users (id),
    patient_id   UUID    NOT NULL REFERENCES users (id),
    -- Sealed, associated data "break_glass_grants.reason:<id>": reasons may hold clinical detail.
    reason       BYTEA   NOT NULL,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);
CREATE INDEX break_glass_live ON break_glass_grants (user_id, patient_id, expires_at);
