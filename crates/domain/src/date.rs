//! Calendar dates without a date library: birth dates in ID numbers and "today" for the age check.
//!
//! The app and the backend both compute today's date from a unix timestamp with
//! [`Date::from_days_since_epoch`], so the age rule gives the same answer on both sides.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A real date of the proleptic Gregorian calendar.
///
/// Fields are public for reading; build dates with [`Date::new`] so that they are always real.
/// Ordering is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// Whether `year` is a leap year of the Gregorian calendar.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days of `month` (1–12) in `year`; 0 for a month out of range.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date `year-month-day`, or `None` when no such day exists (e.g. 1999-02-30, 2023-02-29).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) {
            Some(Date { year, month, day })
        } else {
            None
        }
    }

    /// Parses exactly eight ASCII digits `YYYYMMDD`, as in a resident ID number.
    pub fn parse_yyyymmdd(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let num = |r: std::ops::Range<usize>| {
            b[r].iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
        };
        let year = i32::try_from(num(0..4)).ok()?;
        Date::new(year, num(4..6), num(6..8))
    }

    /// The date `days` days after 1970-01-01 (negative: before it).
    ///
    /// For today's date in China see [`Date::from_unix_seconds_in_china`].
    pub fn from_days_since_epoch(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097); // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
        let mp = (5 * doy + 2) / 153; // [0, 11]
        let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
        let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: year.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32,
            month: month as u32,
            day: day as u32,
        }
    }

    /// Today's date in China (UTC+8, no daylight saving) at `unix_seconds`.
    pub fn from_unix_seconds_in_china(unix_seconds: i64) -> Date {
        Date::from_days_since_epoch(unix_seconds.saturating_add(8 * 3600).div_euclid(86_400))
    }

    /// Days from 1970-01-01 to this date (1970-01-01 is 0).
    pub fn to_days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let m = i64::from(self.month);
        let d = i64::from(self.day);
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400); // [0, 399]
        let mp = (m + 9) % 12; // March = 0
        let doy = (153 * mp + 2) / 5 + d - 1; // [0, 365]
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
        era * 146_097 + doe - 719_468
    }

    /// Age in full years on `today` for someone born on `self`.
    ///
    /// The birthday counts from its day on: born 2000-03-15 is 18 on 2018-03-15, not on 2018-03-14.
    /// Someone born on 29 February has their birthday on 1 March in common years.
    /// Negative when `today` is before `self`.
    pub fn age_on(self, today: Date) -> i32 {
        let years = today.year - self.year;
        if (today.month, today.day) < (self.month, self.day) {
            years - 1
        } else {
            years
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn real_dates_only() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(1999, 2, 30).is_none());
        assert!(Date::new(2024, 4, 31).is_none());
        assert!(Date::new(2024, 13, 1).is_none());
        assert!(Date::new(2024, 0, 1).is_none());
        assert!(Date::new(2024, 1, 0).is_none());
        assert!(Date::new(2024, 12, 31).is_some());
    }

    #[test]
    fn parses_yyyymmdd() {
        assert_eq!(Date::parse_yyyymmdd("19491231"), Some(d(1949, 12, 31)));
        assert_eq!(Date::parse_yyyymmdd("19990230"), None);
        assert_eq!(Date::parse_yyyymmdd("2000022"), None);
        assert_eq!(Date::parse_yyyymmdd("2000-2-2"), None);
        assert_eq!(Date::parse_yyyymmdd("+2000101"), None);
        assert_eq!(Date::parse_yyyymmdd("２０００0101"), None);
    }

    #[test]
    fn epoch_conversions() {
        assert_eq!(Date::from_days_since_epoch(0), d(1970, 1, 1));
        assert_eq!(Date::from_days_since_epoch(-1), d(1969, 12, 31));
        assert_eq!(Date::from_days_since_epoch(19_782), d(2024, 2, 29));
        assert_eq!(d(2000, 3, 1).to_days_since_epoch(), 11_017);
        // 2024-06-01 00:30 in Beijing is still 2024-05-31 in UTC.
        let unix = 1_717_173_000_i64;
        assert_eq!(
            Date::from_days_since_epoch(unix.div_euclid(86_400)),
            d(2024, 5, 31)
        );
        assert_eq!(
            Date::from_days_since_epoch((unix + 8 * 3600).div_euclid(86_400)),
            d(2024, 6, 1)
        );
    }

    #[test]
    fn age_in_full_years() {
        let birth = d(2006, 6, 15);
        assert_eq!(birth.age_on(d(2024, 6, 14)), 17);
        assert_eq!(birth.age_on(d(2024, 6, 15)), 18);
        assert_eq!(birth.age_on(d(2024, 12, 31)), 18);
        assert_eq!(birth.age_on(d(2006, 6, 14)), -1);
        let leap = d(2004, 2, 29);
        assert_eq!(leap.age_on(d(2022, 2, 28)), 17);
        assert_eq!(leap.age_on(d(2022, 3, 1)), 18);
        assert_eq!(leap.age_on(d(2024, 2, 29)), 20);
    }

    #[test]
    fn displays_iso() {
        assert_eq!(d(987, 1, 2).to_string(), "0987-01-02");
        assert_eq!(d(2024, 11, 30).to_string(), "2024-11-30");
    }

    #[test]
    fn serde_shape() {
        let json = serde_json::to_string(&d(2024, 1, 2)).unwrap();
        assert_eq!(json, r#"{"year":2024,"month":1,"day":2}"#);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn epoch_round_trip(days in -1_000_000i64..1_000_000) {
            let date = Date::from_days_since_epoch(days);
            prop_assert!(Date::new(date.year, date.month, date.day).is_some());
            prop_assert_eq!(date.to_days_since_epoch(), days);
            let next = Date::from_days_since_epoch(days + 1);
            prop_assert!(date < next);
        }

        #[test]
        fn parse_never_panics(s in ".{0,12}") {
            let _ = Date::parse_yyyymmdd(&s);
        }
    }
}
