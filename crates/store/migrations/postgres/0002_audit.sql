-- The audit trail: append-only and hash-chained. seq is gapless, assigned under an
-- advisory lock; hash = SHA-256 over the entry's fields and prev_hash (haven_domain::audit).

CREATE TABLE audit_log (
    seq        BIGINT  PRIMARY KEY,
    at         BIGINT  NOT NULL,
    actor      UUID,
    practice   UUID,
    patient    UUID,
    action     TEXT    NOT NULL,
    category   TEXT    NOT NULL,
    source     TEXT,
    outcome    TEXT    NOT NULL,
    prev_hash  TEXT    NOT NULL,
    hash       TEXT    NOT NULL
);
CREATE INDEX audit_log_patient ON audit_log (patient, at);
CREATE INDEX audit_log_actor ON audit_log (actor, at);
CREATE INDEX audit_log_at ON audit_log (at);

-- The database itself refuses to change or remove an entry, even for its owner.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
