//! Times are stored as BIGINT microseconds since the Unix epoch (UTC): the same type and
//! ordering on both backends, and directly usable in PostgreSQL `int8range` constraints.

use jiff::Timestamp;

pub(crate) fn to_db(ts: Timestamp) -> i64 {
    ts.as_microsecond()
}

pub(crate) fn from_db(micros: i64) -> Timestamp {
    // Every value was written by `to_db`, so it is in range; clamp rather than panic if a
    // hand-edited row says otherwise.
    Timestamp::from_microsecond(micros).unwrap_or(Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_to_the_microsecond() {
        let ts: Timestamp = "2026-11-01T06:30:00.123456Z".parse().unwrap();
        assert_eq!(from_db(to_db(ts)), ts);
    }
}
