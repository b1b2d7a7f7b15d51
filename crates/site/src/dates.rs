//! Post dates (`YYYY-MM-DDTHH:MM:SS`, no zone) in the forms feeds and sitemaps need.
//!
//! Posts carry no time zone; the sites this reads are Japanese, so dates are taken as
//! Japan time ([`ZONE`]).

use matome_model::rules;

/// Offset the dates of posts are read in.
pub const ZONE: &str = "+09:00";

/// A parsed post date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateTime {
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl DateTime {
    /// Parses `YYYY-MM-DD`, optionally followed by `THH:MM[:SS]` (anything after is
    /// ignored). A day the calendar does not have, or a time out of range, is refused by
    /// the rule the compiler checks posts with ([`rules::is_calendar_date`],
    /// [`rules::is_time_of_day`]).
    pub fn parse(s: &str) -> Option<Self> {
        let num = |range: std::ops::Range<usize>| {
            let digits = s.get(range)?;
            digits
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| digits.parse::<u32>().ok())?
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (hour, minute, second) = if s.len() >= 16 {
            (num(11..13)?, num(14..16)?, num(17..19).unwrap_or(0))
        } else {
            (0, 0, 0)
        };
        if !rules::is_calendar_date(year, month, day)
            || !rules::is_time_of_day(hour, minute, second)
        {
            return None;
        }
        Some(DateTime {
            year: year as i32,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// RFC 3339 with the site's zone, for Atom and sitemaps: `2025-04-14T18:04:41+09:00`.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{ZONE}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// RFC 822 as RSS 2.0 wants it: `Mon, 14 Apr 2025 18:04:41 +0900`.
    pub fn rfc822(&self) -> String {
        const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let weekday = DAYS[days_from_civil(self.year, self.month, self.day).rem_euclid(7) as usize];
        format!(
            "{weekday}, {:02} {} {:04} {:02}:{:02}:{:02} {}",
            self.day,
            MONTHS[self.month as usize - 1],
            self.year,
            self.hour,
            self.minute,
            self.second,
            ZONE.replace(':', "")
        )
    }
}

/// Days since 1970-01-01 (a Thursday) of a proleptic Gregorian date.
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2025-04-14 was a Monday.
    #[test]
    fn formats_rfc822_with_weekday_and_zone() {
        let d = DateTime::parse("2025-04-14T18:04:41").unwrap();
        assert_eq!(d.rfc822(), "Mon, 14 Apr 2025 18:04:41 +0900");
        assert_eq!(d.rfc3339(), "2025-04-14T18:04:41+09:00");
        assert_eq!(
            DateTime::parse("2024-02-29").unwrap().rfc822(),
            "Thu, 29 Feb 2024 00:00:00 +0900"
        );
    }

    // Garbage is refused, not formatted.
    #[test]
    fn refuses_invalid_dates() {
        assert_eq!(DateTime::parse("2025-13-01"), None);
        assert_eq!(DateTime::parse("yesterday"), None);
        assert_eq!(DateTime::parse("2025-+1-01"), None);
    }

    // The calendar rule is the compiler's: no February 31st, February 29th only in leap
    // years, hours up to 23.
    #[test]
    fn refuses_days_and_times_that_do_not_exist() {
        assert_eq!(DateTime::parse("2025-02-31"), None);
        assert_eq!(DateTime::parse("2025-02-29T10:00:00"), None);
        assert!(DateTime::parse("2024-02-29T10:00:00").is_some());
        assert_eq!(DateTime::parse("2025-01-01T24:00:00"), None);
        assert_eq!(DateTime::parse("2025-01-01T99:00:00"), None);
        assert_eq!(DateTime::parse("2025-01-01T12:60:00"), None);
        assert!(DateTime::parse("2025-01-01T23:59:59").is_some());
    }
}
