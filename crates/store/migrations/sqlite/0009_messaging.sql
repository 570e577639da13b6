-- Secure messaging: one thread per patient and practice, between the patient and their
-- care team. Messages are numbered per thread (seq) so a client can resume exactly where
-- it left off; (thread, sender, client_id) makes a resend idempotent.

CREATE TABLE threads (
    id           BLOB    PRIMARY KEY NOT NULL,
    practice_id  BLOB    NOT NULL REFERENCES practices (id),
    patient_id   BLOB    NOT NULL REFERENCES users (id),
    last_seq     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    UNIQUE (practice_id, patient_id)
) STRICT;

CREATE TABLE messages (
    id             BLOB    PRIMARY KEY NOT NULL,
    thread_id      BLOB    NOT NULL REFERENCES threads (id),
    seq            INTEGER NOT NULL,
    sender_id      BLOB    NOT NULL REFERENCES users (id),
    client_id      TEXT    NOT NULL,
    -- Sealed with the vault, associated data "messages.body:<id>".
    body           BLOB    NOT NULL,
    -- An automatic reply (outside office hours) rather than something a person wrote.
    automatic      INTEGER NOT NULL DEFAULT 0 CHECK (automatic IN (0, 1)),
    created_at     INTEGER NOT NULL,
    UNIQUE (thread_id, seq),
    UNIQUE (thread_id, sender_id, client_id)
) STRICT;

CREATE TABLE attachments (
    id            BLOB    PRIMARY KEY NOT NULL,
    message_id    BLOB    NOT NULL REFERENCES messages (id),
    name          TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    -- Sealed with the vault, associated data "attachments.data:<id>".
    data          BLOB    NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX attachments_message ON attachments (message_id);

-- How far each member has read: read receipts and unread counts.
CREATE TABLE thread_reads (
    thread_id      BLOB    NOT NULL REFERENCES threads (id),
    user_id        BLOB    NOT NULL REFERENCES users (id),
    last_read_seq  INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (thread_id, user_id)
) STRICT;

-- The clinician's words for messages arriving outside their office hours (their weekly
-- hours); empty means no automatic reply.
ALTER TABLE clinician_profiles ADD COLUMN away_reply TEXT NOT NULL DEFAULT '';
-- What the compose box promises: "we usually reply within N hours".
ALTER TABLE practices ADD COLUMN reply_within_hours INTEGER NOT NULL DEFAULT 48;
-- Whether the practice's admins (front desk) take part in patients' threads.
ALTER TABLE practices ADD COLUMN front_desk_messaging INTEGER NOT NULL DEFAULT 0 CHECK (front_desk_messaging IN (0, 1));
