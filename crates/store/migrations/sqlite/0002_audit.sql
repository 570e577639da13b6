-- The audit trail: append-only and hash-chained. seq is gapless, assigned by the single
-- writer; hash = SHA-256 over the entry's fields and prev_hash (haven_domain::audit).

CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY NOT NULL,
    at         INTEGER NOT NULL,
    actor      BLOB,
    practice   BLOB,
    patient    BLOB,
    action     TEXT    NOT NULL,
    category   TEXT    NOT NULL,
    source     TEXT,
    outcome    TEXT    NOT NULL,
    prev_hash  TEXT    NOT NULL,
    hash       TEXT    NOT NULL
) STRICT;
CREATE INDEX audit_log_patient ON audit_log (patient, at);
CREATE INDEX audit_log_actor ON audit_log (actor, at);
CREATE INDEX audit_log_at ON audit_log (at);

-- The database itself refuses to change or remove an entry.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
