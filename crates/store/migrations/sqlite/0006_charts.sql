-- Progress notes (clinical free text, sealed) and break-glass emergency access.

CREATE TABLE notes (
    id           BLOB    PRIMARY KEY NOT NULL,
    practice_id  BLOB    NOT NULL REFERENCES practices (id),
    patient_id   BLOB    NOT NULL REFERENCES users (id),
    author_id    BLOB    NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    -- Sealed with the vault, associated data "notes.body:<id>".
    body         BLOB    NOT NULL
) STRICT;
CREATE INDEX notes_patient ON notes (patient_id, created_at);

-- The people a practice's admins allow to use emergency access.
CREATE TABLE break_glass_designees (
    practice_id  BLOB    NOT NULL REFERENCES practices (id),
    user_id      BLOB    NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (practice_id, user_id)
) STRICT;

CREATE TABLE break_glass_grants (
    id           BLOB    PRIMARY KEY NOT NULL,
    practice_id  BLOB    NOT NULL REFERENCES practices (id),
    user_id      BLOB    NOT NULL REFERENCES users (id),
    patient_id   BLOB    NOT NULL REFERENCES users (id),
    -- Sealed, associated data "break_glass_grants.reason:<id>": reasons may hold clinical detail.
    reason       BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX break_glass_live ON break_glass_grants (user_id, patient_id, expires_at);
