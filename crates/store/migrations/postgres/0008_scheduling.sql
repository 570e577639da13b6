-- Scheduling: clinicians' profiles and hours, the visits they offer, appointments, the
-- waitlist, and the durable job queue that sends reminders.

-- The zone pages show times in; NULL means the practice's.
ALTER TABLE users ADD COLUMN time_zone TEXT;

ALTER TABLE practices ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'America/New_York';
-- Cancelling within this many hours of the start is late; the practice words its policy.
ALTER TABLE practices ADD COLUMN late_cancel_hours BIGINT NOT NULL DEFAULT 24;
ALTER TABLE practices ADD COLUMN late_cancel_policy TEXT NOT NULL DEFAULT '';
-- Minutes before a visit that reminders go out, comma-separated.
ALTER TABLE practices ADD COLUMN reminder_minutes TEXT NOT NULL DEFAULT '1440,60';

-- An .ics file sent with the message; erased with the body once sent.
ALTER TABLE outgoing_mail ADD COLUMN calendar TEXT;

CREATE TABLE locations (
    id             UUID    PRIMARY KEY,
    practice_id    UUID    NOT NULL REFERENCES practices (id),
    name           TEXT    NOT NULL,
    address        TEXT    NOT NULL,
    accessibility  TEXT    NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL
);

-- Lists are comma-separated codes (languages "en,es", jurisdictions "US-CA,US-NY"): a
-- practice has a handful of clinicians, so filtering happens after loading them.
CREATE TABLE clinician_profiles (
    user_id             UUID    PRIMARY KEY REFERENCES users (id),
    practice_id         UUID    NOT NULL REFERENCES practices (id),
    credentials         TEXT    NOT NULL DEFAULT '',
    bio                 TEXT    NOT NULL DEFAULT '',
    languages           TEXT    NOT NULL DEFAULT 'en',
    specialties         TEXT    NOT NULL DEFAULT '',
    licenses            TEXT    NOT NULL DEFAULT '',
    time_zone           TEXT    NOT NULL,
    buffer_minutes      BIGINT NOT NULL DEFAULT 0 CHECK (buffer_minutes BETWEEN 0 AND 120),
    min_notice_minutes  BIGINT NOT NULL DEFAULT 720 CHECK (min_notice_minutes >= 0),
    max_ahead_days      BIGINT NOT NULL DEFAULT 60 CHECK (max_ahead_days BETWEEN 1 AND 366),
    accepting           BOOLEAN NOT NULL DEFAULT TRUE,
    -- SHA-256 of the private calendar-feed token; NULL when no feed is enabled.
    feed_token_hash     TEXT    UNIQUE,
    updated_at          BIGINT NOT NULL
);

CREATE TABLE visit_types (
    id            UUID    PRIMARY KEY,
    clinician_id  UUID    NOT NULL REFERENCES users (id),
    name          TEXT    NOT NULL,
    minutes       BIGINT NOT NULL CHECK (minutes BETWEEN 5 AND 480),
    modalities    TEXT    NOT NULL,
    location_id   UUID    REFERENCES locations (id),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    BIGINT NOT NULL
);
CREATE INDEX visit_types_clinician ON visit_types (clinician_id);

-- Weekday is ISO (Monday 1); minutes from local midnight.
CREATE TABLE weekly_hours (
    clinician_id  UUID    NOT NULL REFERENCES users (id),
    weekday       BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute  BIGINT NOT NULL,
    end_minute    BIGINT NOT NULL,
    CHECK (0 <= start_minute AND start_minute < end_minute AND end_minute <= 1440),
    PRIMARY KEY (clinician_id, weekday, start_minute)
);

-- Hours for one local date instead of the weekly ones; 0–0 marks the day off.
CREATE TABLE date_hours (
    clinician_id  UUID    NOT NULL REFERENCES users (id),
    day           TEXT    NOT NULL,
    start_minute  BIGINT NOT NULL,
    end_minute    BIGINT NOT NULL,
    CHECK ((0 <= start_minute AND start_minute < end_minute AND end_minute <= 1440) OR (start_minute = 0 AND end_minute = 0)),
    PRIMARY KEY (clinician_id, day, start_minute)
);

CREATE TABLE time_off (
    id            UUID    PRIMARY KEY,
    clinician_id  UUID    NOT NULL REFERENCES users (id),
    starts_at     BIGINT NOT NULL,
    ends_at       BIGINT NOT NULL,
    label         TEXT    NOT NULL DEFAULT '',
    created_by    UUID    NOT NULL REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    CHECK (starts_at < ends_at)
);
CREATE INDEX time_off_clinician ON time_off (clinician_id, ends_at);

-- blocked_until = ends_at + the clinician's buffer at booking time: the span no other
-- booked visit of the same clinician may touch.
CREATE TABLE appointments (
    id             UUID    PRIMARY KEY,
    practice_id    UUID    NOT NULL REFERENCES practices (id),
    clinician_id   UUID    NOT NULL REFERENCES users (id),
    patient_id     UUID    NOT NULL REFERENCES users (id),
    visit_type_id  UUID    NOT NULL REFERENCES visit_types (id),
    modality       TEXT    NOT NULL CHECK (modality IN ('video', 'phone', 'in_person')),
    location_id    UUID    REFERENCES locations (id),
    jurisdiction   TEXT,
    starts_at      BIGINT NOT NULL,
    ends_at        BIGINT NOT NULL,
    blocked_until  BIGINT NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled', 'late_cancelled', 'no_show')),
    series_id      UUID,
    sequence       BIGINT NOT NULL DEFAULT 0,
    booked_by      UUID    NOT NULL REFERENCES users (id),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    CHECK (starts_at < ends_at AND ends_at <= blocked_until)
);
CREATE INDEX appointments_clinician ON appointments (clinician_id, starts_at);
CREATE INDEX appointments_patient ON appointments (patient_id, starts_at);

-- No double booking, enforced by the database: no two booked visits of one clinician
-- may have overlapping [starts_at, blocked_until) spans.
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE appointments ADD CONSTRAINT appointments_no_overlap
    EXCLUDE USING gist (clinician_id WITH =, int8range(starts_at, blocked_until) WITH &&)
    WHERE (status = 'booked');

-- "Tell me if an earlier time opens": one wish per patient and clinician.
CREATE TABLE waitlist (
    id             UUID    PRIMARY KEY,
    patient_id     UUID    NOT NULL REFERENCES users (id),
    clinician_id   UUID    NOT NULL REFERENCES users (id),
    visit_type_id  UUID    NOT NULL REFERENCES visit_types (id),
    before_at      BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    notified_at    BIGINT,
    UNIQUE (patient_id, clinician_id)
);

-- Work due at a time (reminders). unique_key makes scheduling idempotent; a claim is a
-- lease, so several instances share the queue and a crashed claimer's work is retaken.
CREATE TABLE jobs (
    id             UUID    PRIMARY KEY,
    kind           TEXT    NOT NULL,
    unique_key     TEXT    NOT NULL UNIQUE,
    subject_id     UUID,
    -- Sealed with the vault, associated data "jobs.payload:<id>": reminders name people.
    payload        BYTEA,
    run_at         BIGINT NOT NULL,
    attempts       BIGINT NOT NULL DEFAULT 0,
    claimed_until  BIGINT,
    done_at        BIGINT,
    last_error     TEXT,
    created_at     BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (done_at, run_at);
CREATE INDEX jobs_subject ON jobs (subject_id);
