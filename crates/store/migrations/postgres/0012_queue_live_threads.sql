-- One durable queue for every kind of background work: mail to send is a job like a
-- reminder, claimed with a lease and a token, and a job can give up for good (counted).
ALTER TABLE jobs ADD COLUMN claim_token UUID;
ALTER TABLE jobs ADD COLUMN sealed BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE jobs ADD COLUMN failed_at BIGINT;
DROP INDEX jobs_due;
CREATE INDEX jobs_pending ON jobs (run_at) WHERE done_at IS NULL AND failed_at IS NULL;

-- Mail not yet sent moves into the queue as it was stored (its text was never sealed).
INSERT INTO jobs (id, kind, unique_key, subject_id, payload, sealed, run_at, attempts, created_at)
SELECT id, 'mail.send', 'mail:' || id::text, NULL,
       convert_to(json_build_object('to', to_addr, 'subject', subject, 'body', COALESCE(body, ''), 'calendar', calendar)::text, 'UTF8'),
       FALSE, next_attempt_at, attempts, created_at
FROM outgoing_mail WHERE sent_at IS NULL;
DROP TABLE outgoing_mail;

-- What one instance tells the others that a wake-up can't carry (a visit's signaling):
-- sealed, read by the other instances within moments of the NOTIFY naming it, then
-- deleted.
CREATE TABLE live_events (
    id          UUID    PRIMARY KEY,
    topic       TEXT    NOT NULL,
    instance    UUID    NOT NULL,
    payload     BYTEA   NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX live_events_age ON live_events (created_at);

-- Every patient has their thread with each of their practices from the start (new
-- accounts get it when they are created), so listing threads is a read, never a write.
INSERT INTO threads (id, practice_id, patient_id, last_seq, created_at)
SELECT gen_random_uuid(), m.practice_id, m.user_id, 0, m.created_at FROM memberships m
WHERE m.role = 'patient'
  AND NOT EXISTS (SELECT 1 FROM threads t WHERE t.practice_id = m.practice_id AND t.patient_id = m.user_id);
