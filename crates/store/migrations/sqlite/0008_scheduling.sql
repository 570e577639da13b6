-- Scheduling: clinicians' profiles and hours, the visits they offer, appointments, the
-- waitlist, and the durable job queue that sends reminders.

-- The zone pages show times in; NULL means the practice's.
ALTER TABLE users ADD COLUMN time_zone TEXT;

ALTER TABLE practices ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'America/New_York';
-- Cancelling within this many hours of the start is late; the practice words its policy.
ALTER TABLE practices ADD COLUMN late_cancel_hours INTEGER NOT NULL DEFAULT 24;
ALTER TABLE practices ADD COLUMN late_cancel_policy TEXT NOT NULL DEFAULT '';
-- Minutes before a visit that reminders go out, comma-separated.
ALTER TABLE practices ADD COLUMN reminder_minutes TEXT NOT NULL DEFAULT '1440,60';

-- An .ics file sent with the message; erased with the body once sent.
ALTER TABLE outgoing_mail ADD COLUMN calendar TEXT;

CREATE TABLE locations (
    id             BLOB    PRIMARY KEY NOT NULL,
    practice_id    BLOB    NOT NULL REFERENCES practices (id),
    name           TEXT    NOT NULL,
    address        TEXT    NOT NULL,
    accessibility  TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL
) STRICT;

-- Lists are comma-separated codes (languages "en,es", jurisdictions "US-CA,US-NY"): a
-- practice has a handful of clinicians, so filtering happens after loading them.
CREATE TABLE clinician_profiles (
    user_id             BLOB    PRIMARY KEY NOT NULL REFERENCES users (id),
    practice_id         BLOB    NOT NULL REFERENCES practices (id),
    credentials         TEXT    NOT NULL DEFAULT '',
    bio                 TEXT    NOT NULL DEFAULT '',
    languages           TEXT    NOT NULL DEFAULT 'en',
    specialties         TEXT    NOT NULL DEFAULT '',
    licenses            TEXT    NOT NULL DEFAULT '',
    time_zone           TEXT    NOT NULL,
    buffer_minutes      INTEGER NOT NULL DEFAULT 0 CHECK (buffer_minutes BETWEEN 0 AND 120),
    min_notice_minutes  INTEGER NOT NULL DEFAULT 720 CHECK (min_notice_minutes >= 0),
    max_ahead_days      INTEGER NOT NULL DEFAULT 60 CHECK (max_ahead_days BETWEEN 1 AND 366),
    accepting           INTEGER NOT NULL DEFAULT 1 CHECK (accepting IN (0, 1)),
    -- SHA-256 of the private calendar-feed token; NULL when no feed is enabled.
    feed_token_hash     TEXT    UNIQUE,
    updated_at          INTEGER NOT NULL
) STRICT;

CREATE TABLE visit_types (
    id            BLOB    PRIMARY KEY NOT NULL,
    clinician_id  BLOB    NOT NULL REFERENCES users (id),
    name          TEXT    NOT NULL,
    minutes       INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 480),
    modalities    TEXT    NOT NULL,
    location_id   BLOB    REFERENCES locations (id),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX visit_types_clinician ON visit_types (clinician_id);

-- Weekday is ISO (Monday 1); minutes from local midnight.
CREATE TABLE weekly_hours (
    clinician_id  BLOB    NOT NULL REFERENCES users (id),
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute  INTEGER NOT NULL,
    end_minute    INTEGER NOT NULL,
    CHECK (0 <= start_minute AND start_minute < end_minute AND end_minute <= 1440),
    PRIMARY KEY (clinician_id, weekday, start_minute)
) STRICT;

-- Hours for one local date instead of the weekly ones; 0–0 marks the day off.
CREATE TABLE date_hours (
    clinician_id  BLOB    NOT NULL REFERENCES users (id),
    day           TEXT    NOT NULL,
    start_minute  INTEGER NOT NULL,
    end_minute    INTEGER NOT NULL,
    CHECK ((0 <= start_minute AND start_minute < end_minute AND end_minute <= 1440) OR (start_minute = 0 AND end_minute = 0)),
    PRIMARY KEY (clinician_id, day, start_minute)
) STRICT;

CREATE TABLE time_off (
    id            BLOB    PRIMARY KEY NOT NULL,
    clinician_id  BLOB    NOT NULL REFERENCES users (id),
    starts_at     INTEGER NOT NULL,
    ends_at       INTEGER NOT NULL,
    label         TEXT    NOT NULL DEFAULT '',
    created_by    BLOB    NOT NULL REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    CHECK (starts_at < ends_at)
) STRICT;
CREATE INDEX time_off_clinician ON time_off (clinician_id, ends_at);

-- blocked_until = ends_at + the clinician's buffer at booking time: the span no other
-- booked visit of the same clinician may touch.
CREATE TABLE appointments (
    id             BLOB    PRIMARY KEY NOT NULL,
    practice_id    BLOB    NOT NULL REFERENCES practices (id),
    clinician_id   BLOB    NOT NULL REFERENCES users (id),
    patient_id     BLOB    NOT NULL REFERENCES users (id),
    visit_type_id  BLOB    NOT NULL REFERENCES visit_types (id),
    modality       TEXT    NOT NULL CHECK (modality IN ('video', 'phone', 'in_person')),
    location_id    BLOB    REFERENCES locations (id),
    jurisdiction   TEXT,
    starts_at      INTEGER NOT NULL,
    ends_at        INTEGER NOT NULL,
    blocked_until  INTEGER NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled', 'late_cancelled', 'no_show')),
    series_id      BLOB,
    sequence       INTEGER NOT NULL DEFAULT 0,
    booked_by      BLOB    NOT NULL REFERENCES users (id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    CHECK (starts_at < ends_at AND ends_at <= blocked_until)
) STRICT;
CREATE INDEX appointments_clinician ON appointments (clinician_id, starts_at);
CREATE INDEX appointments_patient ON appointments (patient_id, starts_at);

-- No double booking, enforced by the database. Writes on SQLite are serialized (one
-- writer), so this check and the insert it guards can't interleave with another booking.
CREATE TRIGGER appointments_no_overlap_insert BEFORE INSERT ON appointments
WHEN NEW.status = 'booked' AND EXISTS (
    SELECT 1 FROM appointments a
    WHERE a.clinician_id = NEW.clinician_id AND a.status = 'booked'
      AND a.starts_at < NEW.blocked_until AND NEW.starts_at < a.blocked_until)
BEGIN
    SELECT RAISE(ABORT, 'appointments_no_overlap');
END;

CREATE TRIGGER appointments_no_overlap_update BEFORE UPDATE OF clinician_id, starts_at, blocked_until, status ON appointments
WHEN NEW.status = 'booked' AND EXISTS (
    SELECT 1 FROM appointments a
    WHERE a.id <> NEW.id AND a.clinician_id = NEW.clinician_id AND a.status = 'booked'
      AND a.starts_at < NEW.blocked_until AND NEW.starts_at < a.blocked_until)
BEGIN
    SELECT RAISE(ABORT, 'appointments_no_overlap');
END;

-- "Tell me if an earlier time opens": one wish per patient and clinician.
CREATE TABLE waitlist (
    id             BLOB    PRIMARY KEY NOT NULL,
    patient_id     BLOB    NOT NULL REFERENCES users (id),
    clinician_id   BLOB    NOT NULL REFERENCES users (id),
    visit_type_id  BLOB    NOT NULL REFERENCES visit_types (id),
    before_at      INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    notified_at    INTEGER,
    UNIQUE (patient_id, clinician_id)
) STRICT;

-- Work due at a time (reminders). unique_key makes scheduling idempotent; a claim is a
-- lease, so several instances share the queue and a crashed claimer's work is retaken.
CREATE TABLE jobs (
    id             BLOB    PRIMARY KEY NOT NULL,
    kind           TEXT    NOT NULL,
    unique_key     TEXT    NOT NULL UNIQUE,
    subject_id     BLOB,
    -- Sealed with the vault, associated data "jobs.payload:<id>": reminders name people.
    payload        BLOB,
    run_at         INTEGER NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    claimed_until  INTEGER,
    done_at        INTEGER,
    last_error     TEXT,
    created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX jobs_due ON jobs (done_at, run_at);
CREATE INDEX jobs_subject ON jobs (subject_id);
