-- Telehealth visits. One row per appointment, written when the patient checks in (where they
-- are, a call-back number, an emergency contact: sealed) and updated through the waiting room,
-- the call and its end. The record holds times, who joined, the modes used and a quality
-- summary; never audio, video or chat content.

CREATE TABLE visits (
    appointment_id   UUID    PRIMARY KEY REFERENCES appointments (id),
    practice_id      UUID    NOT NULL REFERENCES practices (id),
    patient_id       UUID    NOT NULL REFERENCES users (id),
    clinician_id     UUID    NOT NULL REFERENCES users (id),
    -- Sealed with the vault, associated data "visits.safety:<appointment id>" (JSON).
    safety           BYTEA   NOT NULL,
    -- The patient's location is outside the clinician's licences (warned before admitting).
    outside_licence  BOOLEAN NOT NULL DEFAULT FALSE,
    checked_in_at    BIGINT NOT NULL,
    arrived_at       BIGINT,
    admitted_at      BIGINT,
    connected_at     BIGINT,
    ended_at         BIGINT,
    patient_joined   BOOLEAN NOT NULL DEFAULT FALSE,
    clinician_joined BOOLEAN NOT NULL DEFAULT FALSE,
    -- The clinician's note to the waiting room ("running 5 minutes late").
    waiting_note     TEXT,
    -- Bits of the media modes seen: 1 video, 2 audio only.
    modes            BIGINT NOT NULL DEFAULT 0,
    stats_samples    BIGINT NOT NULL DEFAULT 0,
    rtt_total        DOUBLE PRECISION NOT NULL DEFAULT 0,
    loss_total       DOUBLE PRECISION NOT NULL DEFAULT 0,
    kbps_total       DOUBLE PRECISION NOT NULL DEFAULT 0,
    worst_loss       DOUBLE PRECISION NOT NULL DEFAULT 0,
    -- The patient's one-question rating of the visit's quality, 1–5.
    rating           BIGINT CHECK (rating BETWEEN 1 AND 5)
);
CREATE INDEX visits_patient ON visits (patient_id, checked_in_at);
CREATE INDEX visits_clinician ON visits (clinician_id, arrived_at);

-- Telehealth informed consent, signed on the first visit and yearly.
CREATE TABLE telehealth_consents (
    id           UUID    PRIMARY KEY,
    practice_id  UUID    NOT NULL REFERENCES practices (id),
    patient_id   UUID    NOT NULL REFERENCES users (id),
    version      TEXT    NOT NULL,
    -- The typed signature, sealed ("telehealth_consents.signature:<id>").
    signature    BYTEA   NOT NULL,
    signed_at    BIGINT NOT NULL
);
CREATE INDEX telehealth_consents_patient ON telehealth_consents (patient_id, practice_id, signed_at);
