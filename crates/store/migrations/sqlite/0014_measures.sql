-- Measurement-based care: instruments assigned on a schedule, each occurrence to answer,
-- the answers (sealed) with their score, and the risk signals answers raise.

-- A practice may want check-in links to ask for sign-in rather than open by themselves.
ALTER TABLE practices ADD COLUMN checkin_links_sign_in INTEGER NOT NULL DEFAULT 0 CHECK (checkin_links_sign_in IN (0, 1));
-- Patients see their own trends (on by default), and the PHQ-9 reliable-change threshold
-- the practice uses (6, NHS Talking Therapies; some use 5).
ALTER TABLE practices ADD COLUMN measures_show_patients INTEGER NOT NULL DEFAULT 1 CHECK (measures_show_patients IN (0, 1));
ALTER TABLE practices ADD COLUMN phq9_reliable_change INTEGER NOT NULL DEFAULT 6 CHECK (phq9_reliable_change BETWEEN 5 AND 6);

-- A clinician's standing request that a patient answer an instrument.
CREATE TABLE measure_assignments (
    id           BLOB    PRIMARY KEY NOT NULL,
    practice_id  BLOB    NOT NULL REFERENCES practices (id),
    patient_id   BLOB    NOT NULL REFERENCES users (id),
    -- An instrument's key: "phq9", "gad7", "cssrs", "pcl5", "who5".
    instrument   TEXT    NOT NULL,
    assigned_by  BLOB    NOT NULL REFERENCES users (id),
    -- The domain's Schedule as JSON (cadence, start, end).
    schedule     TEXT    NOT NULL,
    -- The next time-based occurrence not yet issued; NULL when none is coming.
    next_due_at  INTEGER,
    issued       INTEGER NOT NULL DEFAULT 0,
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX measure_assignments_patient ON measure_assignments (patient_id);
CREATE INDEX measure_assignments_due ON measure_assignments (next_due_at) WHERE active = 1 AND next_due_at IS NOT NULL;

-- One occurrence to answer (or answered, declined, expired).
CREATE TABLE measure_requests (
    id             BLOB    PRIMARY KEY NOT NULL,
    assignment_id  BLOB    REFERENCES measure_assignments (id),
    practice_id    BLOB    NOT NULL REFERENCES practices (id),
    patient_id     BLOB    NOT NULL REFERENCES users (id),
    instrument     TEXT    NOT NULL,
    requested_by   BLOB    NOT NULL REFERENCES users (id),
    -- Sent during this visit: the answers go to the clinician's side of the call at once.
    visit_id       BLOB    REFERENCES appointments (id),
    due_at         INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'declined', 'expired')),
    -- Answers saved so far, sealed, associated data "measure_requests.draft:<id>".
    draft          BLOB,
    -- The emailed link: its token's SHA-256 (to look it up) and the token sealed (so a
    -- reminder sends the same link), associated data "measure_requests.link:<id>".
    link_hash      TEXT    UNIQUE,
    link_sealed    BLOB,
    created_at     INTEGER NOT NULL,
    closed_at      INTEGER,
    UNIQUE (assignment_id, due_at)
) STRICT;
CREATE INDEX measure_requests_patient ON measure_requests (patient_id, status, due_at);

CREATE TABLE measure_responses (
    id            BLOB    PRIMARY KEY NOT NULL,
    request_id    BLOB    UNIQUE REFERENCES measure_requests (id),
    practice_id   BLOB    NOT NULL REFERENCES practices (id),
    patient_id    BLOB    NOT NULL REFERENCES users (id),
    instrument    TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    -- The patient, or the clinician who entered answers given in a session.
    answered_by   BLOB    NOT NULL REFERENCES users (id),
    in_session    INTEGER NOT NULL DEFAULT 0 CHECK (in_session IN (0, 1)),
    total         INTEGER,
    band          TEXT,
    risk          TEXT,
    -- Item answers as JSON, sealed, associated data "measure_responses.answers:<id>".
    answers       BLOB    NOT NULL,
    completed_at  INTEGER NOT NULL,
    -- A clinician looked at it (the start page's "to review" list), and who.
    reviewed_at   INTEGER,
    reviewed_by   BLOB    REFERENCES users (id)
) STRICT;
CREATE INDEX measure_responses_patient ON measure_responses (patient_id, instrument, completed_at);

-- Answers that need a clinician today. The risk issue turns these into alerts that escalate.
CREATE TABLE risk_signals (
    id           BLOB    PRIMARY KEY NOT NULL,
    practice_id  BLOB    NOT NULL REFERENCES practices (id),
    patient_id   BLOB    NOT NULL REFERENCES users (id),
    response_id  BLOB    NOT NULL REFERENCES measure_responses (id),
    level        TEXT    NOT NULL CHECK (level IN ('low', 'moderate', 'high')),
    instrument   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    reviewed_at  INTEGER,
    reviewed_by  BLOB    REFERENCES users (id)
) STRICT;
CREATE INDEX risk_signals_patient ON risk_signals (patient_id, reviewed_at);
