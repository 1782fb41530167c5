//! Calendar days in UTC: parsing `YYYY-MM-DD`, today's date, and the number of days between two
//! dates. A few lines of civil-date arithmetic rather than a date crate, since the bot only ever
//! needs whole days (when a link was last verified, and how long ago that was).

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A day of the Gregorian calendar, always a real one (no 30 February).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    year: i32,
    month: u8,
    day: u8,
}

impl CivilDate {
    /// The date, if `year`-`month`-`day` exists.
    pub const fn new(year: i32, month: u8, day: u8) -> Option<CivilDate> {
        if month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(CivilDate { year, month, day })
    }

    /// Reads exactly `YYYY-MM-DD` (four, two and two digits) naming a real day.
    pub fn parse(text: &str) -> Option<CivilDate> {
        let bytes = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| {
            let part = text.get(range)?;
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse::<i32>().ok())?
        };
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let month = u8::try_from(digits(5..7)?).ok()?;
        let day = u8::try_from(digits(8..10)?).ok()?;
        CivilDate::new(digits(0..4)?, month, day)
    }

    /// Today in UTC, by the system clock (a clock before 1970 reads as 1970-01-01).
    pub fn today() -> CivilDate {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        CivilDate::from_days(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    pub fn from_days(days: i64) -> CivilDate {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        CivilDate { year, month, day }
    }

    /// Days since 1970-01-01 (negative before it; Hinnant's `days_from_civil`).
    pub fn to_days(self) -> i64 {
        let month = i64::from(self.month);
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// How many days `self` is after `earlier` (negative when it is before).
    pub fn days_since(self, earlier: CivilDate) -> i64 {
        self.to_days() - earlier.to_days()
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }
}

/// `YYYY-MM-DD`, the form the data files use.
impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

const fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

const fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> CivilDate {
        CivilDate::parse(text).unwrap_or_else(|| panic!("{text} is a date"))
    }

    /// Real days parse and print back the same; impossible days and other shapes do not parse.
    #[test]
    fn parses_only_real_days() {
        for text in ["2026-11-30", "2024-02-29", "2000-02-29", "1970-01-01"] {
            assert_eq!(date(text).to_string(), text);
        }
        for text in [
            "2025-02-29",
            "1900-02-29",
            "2026-04-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "2026-1-05",
            "2026/01/05",
            "2026-01-05 ",
            "+026-01-05",
            "2026-01",
            "",
        ] {
            assert_eq!(CivilDate::parse(text), None, "{text:?}");
        }
    }

    /// Known days have their known day numbers, and every day of four centuries round-trips.
    #[test]
    fn day_numbers() {
        assert_eq!(date("1970-01-01").to_days(), 0);
        assert_eq!(date("2000-03-01").to_days(), 11_017);
        assert_eq!(date("1969-12-31").to_days(), -1);
        for days in -1000..146_097 {
            assert_eq!(CivilDate::from_days(days).to_days(), days);
        }
        assert_eq!(CivilDate::from_days(20_819).to_string(), "2027-01-01");
    }

    /// Differences count whole days across month ends, leap days and years.
    #[test]
    fn days_between() {
        assert_eq!(date("2026-03-01").days_since(date("2026-02-28")), 1);
        assert_eq!(date("2024-03-01").days_since(date("2024-02-28")), 2);
        assert_eq!(date("2027-01-01").days_since(date("2026-01-01")), 365);
        assert_eq!(date("2026-11-30").days_since(date("2026-09-01")), 90);
        assert_eq!(date("2026-01-01").days_since(date("2026-01-02")), -1);
    }
}
