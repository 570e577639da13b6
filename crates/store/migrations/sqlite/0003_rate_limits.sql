-- Fixed-window counters for rate limits, shared by every instance. bucket names a
-- purpose and a subject digest (never an address or email in clear).
CREATE TABLE rate_limits (
    bucket        TEXT    PRIMARY KEY NOT NULL,
    window_start  INTEGER NOT NULL,
    count         INTEGER NOT NULL
) STRICT;
CREATE INDEX rate_limits_window ON rate_limits (window_start);
