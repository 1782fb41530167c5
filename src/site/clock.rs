//! When a page was generated, in UTC, for people and for `<time datetime>`. The calendar
//! arithmetic is [`crate::calendar`]'s.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::calendar::CivilDate;

/// A UTC instant to the minute, as pages print it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    year: i32,
    month: u8,
    day: u8,
    hour: u64,
    minute: u64,
    second: u64,
}

impl Stamp {
    /// The UTC calendar time of `time` (times before 1970 read as 1970).
    pub fn from_system(time: SystemTime) -> Stamp {
        let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let date = CivilDate::from_days((secs / 86_400) as i64);
        let of_day = secs % 86_400;
        Stamp {
            year: date.year(),
            month: date.month(),
            day: date.day(),
            hour: of_day / 3600,
            minute: of_day % 3600 / 60,
            second: of_day % 60,
        }
    }

    /// RFC 3339, for `<time datetime>`: `2026-12-01T23:08:18Z`.
    pub fn to_rfc3339(self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// For people: `1 Dec 2026, 23:08 UTC`.
    pub fn to_words(self) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let month = MONTHS[(self.month as usize).clamp(1, 12) - 1];
        format!(
            "{} {month} {}, {:02}:{:02} UTC",
            self.day, self.year, self.hour, self.minute
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Known instants print as their calendar dates, leap days included.
    #[test]
    fn known_instants() {
        let at = |secs| Stamp::from_system(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0).to_rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400).to_rfc3339(), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_798_758_498).to_rfc3339(), "2026-12-31T23:08:18Z");
        assert_eq!(at(1_798_758_498).to_words(), "31 Dec 2026, 23:08 UTC");
    }
}
