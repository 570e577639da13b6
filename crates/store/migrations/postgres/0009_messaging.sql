-- Secure messaging: one thread per patient and practice, between the patient and their
-- care team. Messages are numbered per thread (seq) so a client can resume exactly where
-- it left off; (thread, sender, client_id) makes a resend idempotent.

CREATE TABLE threads (
    id           UUID    PRIMARY KEY,
    practice_id  UUID    NOT NULL REFERENCES practices (id),
    patient_id   UUID    NOT NULL REFERENCES users (id),
    last_seq     BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    UNIQUE (practice_id, patient_id)
);

CREATE TABLE messages (
    id             UUID    PRIMARY KEY,
    thread_id      UUID    NOT NULL REFERENCES threads (id),
    seq            BIGINT NOT NULL,
    sender_id      UUID    NOT NULL REFERENCES users (id),
    client_id      TEXT    NOT NULL,
    -- Sealed with the vault, associated data "messages.body:<id>".
    body           BYTEA    NOT NULL,
    -- An automatic reply (outside office hours) rather than something a person wrote.
    automatic      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     BIGINT NOT NULL,
    UNIQUE (thread_id, seq),
    UNIQUE (thread_id, sender_id, client_id)
);

CREATE TABLE attachments (
    id            UUID    PRIMARY KEY,
    message_id    UUID    NOT NULL REFERENCES messages (id),
    name          TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    size          BIGINT NOT NULL,
    -- Sealed with the vault, associated data "attachments.data:<id>".
    data          BYTEA    NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id);

-- How far each member has read: read receipts and unread counts.
CREATE TABLE thread_reads (
    thread_id      UUID    NOT NULL REFERENCES threads (id),
    user_id        UUID    NOT NULL REFERENCES users (id),
    last_read_seq  BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);

-- The clinician's words for messages arriving outside their office hours (their weekly
-- hours); empty means no automatic reply.
ALTER TABLE clinician_profiles ADD COLUMN away_reply TEXT NOT NULL DEFAULT '';
-- What the compose box promises: "we usually reply within N hours".
ALTER TABLE practices ADD COLUMN reply_within_hours BIGINT NOT NULL DEFAULT 48;
-- Whether the practice's admins (front desk) take part in patients' threads.
ALTER TABLE practices ADD COLUMN front_desk_messaging BOOLEAN NOT NULL DEFAULT FALSE;
