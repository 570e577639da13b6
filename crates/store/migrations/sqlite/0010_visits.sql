-- Telehealth visits. One row per appointment, written when the patient checks in (where they
-- are, a call-back number, an emergency contact: sealed) and updated through the waiting room,
-- the call and its end. The record holds times, who joined, the modes used and a quality
-- summary; never audio, video or chat content.

CREATE TABLE visits (
    appointment_id   BLOB    PRIMARY KEY NOT NULL REFERENCES appointments (id),
    practice_id      BLOB    NOT NULL REFERENCES practices (id),
    patient_id       BLOB    NOT NULL REFERENCES users (id),
    clinician_id     BLOB    NOT NULL REFERENCES users (id),
    -- Sealed with the vault, associated data "visits.safety:<appointment id>" (JSON).
    safety           BLOB    NOT NULL,
    -- The patient's location is outside the clinician's licences (warned before admitting).
    outside_licence  INTEGER NOT NULL DEFAULT 0 CHECK (outside_licence IN (0, 1)),
    checked_in_at    INTEGER NOT NULL,
    arrived_at       INTEGER,
    admitted_at      INTEGER,
    connected_at     INTEGER,
    ended_at         INTEGER,
    patient_joined   INTEGER NOT NULL DEFAULT 0 CHECK (patient_joined IN (0, 1)),
    clinician_joined INTEGER NOT NULL DEFAULT 0 CHECK (clinician_joined IN (0, 1)),
    -- The clinician's note to the waiting room ("running 5 minutes late").
    waiting_note     TEXT,
    -- Bits of the media modes seen: 1 video, 2 audio only.
    modes            INTEGER NOT NULL DEFAULT 0,
    stats_samples    INTEGER NOT NULL DEFAULT 0,
    rtt_total        REAL    NOT NULL DEFAULT 0,
    loss_total       REAL    NOT NULL DEFAULT 0,
    kbps_total       REAL    NOT NULL DEFAULT 0,
    worst_loss       REAL    NOT NULL DEFAULT 0,
    -- The patient's one-question rating of the visit's quality, 1–5.
    rating           INTEGER CHECK (rating BETWEEN 1 AND 5)
) STRICT;
CREATE INDEX visits_patient ON visits (patient_id, checked_in_at);
CREATE INDEX visits_clinician ON visits (clinician_id, arrived_at);

-- Telehealth informed consent, signed on the first visit and yearly.
CREATE TABLE telehealth_consents (
    id           BLOB    PRIMARY KEY NOT NULL,
    practice_id  BLOB    NOT NULL REFERENCES practices (id),
    patient_id   BLOB    NOT NULL REFERENCES users (id),
    version      TEXT    NOT NULL,
    -- The typed signature, sealed ("telehealth_consents.signature:<id>").
    signature    BLOB    NOT NULL,
    signed_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX telehealth_consents_patient ON telehealth_consents (patient_id, practice_id, signed_at);
