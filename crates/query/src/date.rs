//! Date terms: `2020`, `2020/03`, `2020/03/15`, ranges `2015:2020`, and `"last 5 years"`.
//! Dates become inclusive day numbers `YYYYMMDD`, so ranges compare as integers.

/// An inclusive range of days as `YYYYMMDD` integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// The first day, `YYYYMMDD`.
    pub from: u32,
    /// The last day, `YYYYMMDD`.
    pub to: u32,
}

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    /// `2026`.
    pub year: u32,
    /// 1 to 12.
    pub month: u32,
    /// 1 to 31.
    pub day: u32,
}

impl Day {
    /// The day as `YYYYMMDD`.
    pub fn number(self) -> u32 {
        self.year * 10_000 + self.month * 100 + self.day
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// One date as typed, widened to the range of days it names: `2020` is all of 2020.
fn partial(text: &str) -> Option<DateRange> {
    let parts: Vec<&str> = text.trim().split(['/', '-']).collect();
    let num = |s: &str| s.trim().parse::<u32>().ok();
    let year = num(parts.first()?)?;
    if !(1000..=9999).contains(&year) {
        return None;
    }
    Some(match parts.len() {
        1 => DateRange { from: year * 10_000 + 101, to: year * 10_000 + 1231 },
        2 => {
            let month = num(parts[1]).filter(|m| (1..=12).contains(m))?;
            let base = year * 10_000 + month * 100;
            DateRange { from: base + 1, to: base + days_in_month(year, month) }
        }
        3 => {
            let month = num(parts[1]).filter(|m| (1..=12).contains(m))?;
            let day = num(parts[2]).filter(|d| (1..=days_in_month(year, month)).contains(d))?;
            let n = year * 10_000 + month * 100 + day;
            DateRange { from: n, to: n }
        }
        _ => return None,
    })
}

/// Parses a date term. `today` anchors `last N days/months/years`.
pub fn parse_date_term(text: &str, today: Day) -> Option<DateRange> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("last ") {
        let mut words = rest.split_whitespace();
        let n: u32 = words.next()?.parse().ok()?;
        let unit = words.next()?;
        let back = match unit.trim_end_matches('s') {
            "day" => shift_days(today, n),
            "month" => {
                let months = today.year * 12 + (today.month - 1);
                let m = months.checked_sub(n)?;
                let (year, month) = (m / 12, m % 12 + 1);
                Day { year, month, day: today.day.min(days_in_month(year, month)) }
            }
            "year" => Day { year: today.year.checked_sub(n)?, ..today },
            _ => return None,
        };
        return Some(DateRange { from: back.number(), to: today.number() });
    }
    match text.split_once(':') {
        Some((a, b)) => {
            let (a, b) = (partial(a)?, partial(b)?);
            (a.from <= b.to).then_some(DateRange { from: a.from, to: b.to })
        }
        None => partial(text),
    }
}

fn shift_days(day: Day, n: u32) -> Day {
    let mut d = day;
    for _ in 0..n.min(100_000) {
        if d.day > 1 {
            d.day -= 1;
        } else if d.month > 1 {
            d.month -= 1;
            d.day = days_in_month(d.year, d.month);
        } else {
            d.year -= 1;
            d.month = 12;
            d.day = 31;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Day = Day { year: 2026, month: 11, day: 25 };

    #[test]
    fn dates_and_ranges() {
        let r = |s| parse_date_term(s, TODAY).map(|r| (r.from, r.to));
        assert_eq!(r("2020"), Some((20200101, 20201231)));
        assert_eq!(r("2020/02"), Some((20200201, 20200229)));
        assert_eq!(r("2021/02"), Some((20210201, 20210228)));
        assert_eq!(r("2020/03/15"), Some((20200315, 20200315)));
        assert_eq!(r("2015:2020"), Some((20150101, 20201231)));
        assert_eq!(r("2015/06:2016/01/10"), Some((20150601, 20160110)));
        assert_eq!(r("2015:3000"), Some((20150101, 30001231)));
        assert_eq!(r("last 5 years"), Some((20211125, 20261125)));
        assert_eq!(r("last 2 months"), Some((20260925, 20261125)));
        assert_eq!(r("Last 30 days"), Some((20261026, 20261125)));
        assert_eq!(r("2020:2015"), None);
        assert_eq!(r("cancer"), None);
        assert_eq!(r("2020/13"), None);
        assert_eq!(r("2019/02/29"), None);
    }
}
