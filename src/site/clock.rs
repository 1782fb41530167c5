//! When a page was generated, in UTC, for people and for `<time datetime>`. A dozen lines of
//! calendar arithmetic rather than a date crate: nothing else in the bot needs one.

use std::time::{SystemTime, UNIX_EPOCH};

/// A UTC instant to the minute, as pages print it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    year: i64,
    month: u32,
    day: u32,
    hour: u64,
    minute: u64,
    second: u64,
}

impl Stamp {
    /// The UTC calendar time of `time` (times before 1970 read as 1970).
    pub fn from_system(time: SystemTime) -> Stamp {
        let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let (year, month, day) = civil_from_days((secs / 86_400) as i64);
        let of_day = secs % 86_400;
        Stamp {
            year,
            month,
            day,
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

/// Year, month and day of the `days`th day after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
