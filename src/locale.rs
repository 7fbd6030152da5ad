//! Numbers, scores, dates and times as each language writes them, for every screen and report.
//!
//! - Scores have one formatter: one decimal, rounded half away from zero, `72,5` in Vietnamese
//!   and `72.5` in English. Deltas are computed from the rounded values shown, so `56.2 → 47.7`
//!   is always `Δ −8.5`, never `−8.6`.
//! - Numbers typed by users are parsed by [`parse_number`]: `72,5`, `72.5`, `1.200` or `1 200`
//!   (Vietnamese thousands), `1,200` (English thousands); anything else is refused with a
//!   message that repeats what was typed.
//! - Stored timestamps stay RFC 3339 in UTC; they are shown in the machine's local time zone
//!   (`TZ`, else the system's), `01/12/2026 01:40` in Vietnamese, `1 Dec 2026 01:40` in English.

use crate::i18n::Lang;

/// A score rounded as it is shown (one decimal).
pub fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Replaces the decimal point for Vietnamese.
fn localise_decimal(s: String, lang: Lang) -> String {
    match lang {
        Lang::Vi => s.replace('.', ","),
        Lang::En => s,
    }
}

/// `v` with exactly `decimals` decimals in the language's decimal mark: `3,25` / `3.25`.
pub fn fixed(v: f64, decimals: usize, lang: Lang) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    localise_decimal(format!("{v:.decimals$}"), lang)
}

/// A score (0..100) with one decimal: `72,5` / `72.5`.
pub fn score(v: f64, lang: Lang) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    localise_decimal(format!("{:.1}", round1(v)), lang)
}

/// A score or "—" when there is none.
pub fn score_opt(v: Option<f64>, lang: Lang) -> String {
    v.map_or_else(|| "—".into(), |v| score(v, lang))
}

/// The change between two shown scores, computed from the rounded values: `+1,2`, `−8,5`, `0,0`.
pub fn delta(old: f64, new: f64, lang: Lang) -> String {
    signed(round1(new) - round1(old), lang)
}

/// A signed value with one decimal and a real minus sign: `+3,0`, `−0,5`, `0,0`.
pub fn signed(d: f64, lang: Lang) -> String {
    let d = round1(d);
    if d.abs() < 0.05 {
        return score(0.0, lang);
    }
    let sign = if d > 0.0 { "+" } else { "−" };
    format!("{sign}{}", score(d.abs(), lang))
}

/// A share 0..100 as a percentage: Vietnamese `72,5%`, English `72.5%`; whole numbers without
/// decimals (`100%`).
pub fn percent(v: f64, lang: Lang) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let r = round1(v);
    let s = if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        localise_decimal(format!("{r:.1}"), lang)
    };
    format!("{s}%")
}

/// A number as the language writes it with every digit kept: no rounding and no grouping, so
/// what was typed reads back exactly ("72,5", "1200,25" in Vietnamese; "72.5" in English).
pub fn exact(v: f64, lang: Lang) -> String {
    match lang {
        Lang::Vi => v.to_string().replace('.', ","),
        Lang::En => v.to_string(),
    }
}

/// A number as typed back to the user: thousands grouped (`1.200` / `1,200`), up to three
/// decimals, no trailing zeros (`72,5`).
pub fn number(v: f64, lang: Lang) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let (group, dec) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let neg = v < 0.0;
    let s = format!("{:.3}", v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let frac = frac.trim_end_matches('0');
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let digits: Vec<char> = int.chars().collect();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(*c);
    }
    if !frac.is_empty() {
        out.push(dec);
        out.push_str(frac);
    }
    out
}

/// Why a typed number was refused; its message repeats what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberError {
    pub typed: String,
}

impl NumberError {
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => format!(
                "“{}” không phải là một số. Nhập chữ số, ví dụ 72,5 hoặc 1.200; chưa có gì được lưu.",
                self.typed
            ),
            Lang::En => format!(
                "“{}” is not a number. Type digits, e.g. 72.5 or 1,200; nothing was saved.",
                self.typed
            ),
        }
    }
}

/// True when `parts` are digit groups of a thousands-grouped integer: `1`, `200`, `000`.
fn thousands_groups(parts: &[&str]) -> bool {
    parts.len() >= 2
        && (1..=3).contains(&parts[0].len())
        && !(parts[0].starts_with('0'))
        && parts[1..].iter().all(|p| p.len() == 3)
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Parses a number as people type it in `lang`.
///
/// Accepted: an optional sign; digits with `,` or `.` as the decimal mark; `.` (Vietnamese) or
/// `,` (English) between groups of three digits; spaces (also no-break spaces) between groups
/// of three; a trailing `%`. In Vietnamese `1.200` is twelve hundred and `72,5` seventy-two and
/// a half; in English `1,200` is twelve hundred and `1.2` one point two. `0.125` and `72.5` are
/// decimals in both (a group of thousands never starts with 0 and always has three digits).
/// Refused: letters, several decimal marks, groups of the wrong size, an empty field.
pub fn parse_number(typed: &str, lang: Lang) -> Result<f64, NumberError> {
    let err = || NumberError {
        typed: typed.trim().to_string(),
    };
    let mut s = typed.trim();
    if let Some(rest) = s.strip_suffix('%') {
        s = rest.trim_end();
    }
    let (neg, body) = match s.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if body.is_empty() {
        return Err(err());
    }
    // Spaces separate groups of three digits only.
    let space_groups: Vec<&str> = body
        .split([' ', '\u{a0}', '\u{202f}'])
        .filter(|p| !p.is_empty())
        .collect();
    let joined: String;
    let body = if space_groups.len() > 1 {
        let last = space_groups[space_groups.len() - 1];
        let last_int = last.split([',', '.']).next().unwrap_or("");
        let mut check: Vec<&str> = space_groups[..space_groups.len() - 1].to_vec();
        check.push(last_int);
        if !thousands_groups(&check) {
            return Err(err());
        }
        joined = space_groups.concat();
        joined.as_str()
    } else {
        body
    };
    let commas = body.matches(',').count();
    let dots = body.matches('.').count();
    let plain = |int: &str, frac: Option<&str>| -> Result<f64, NumberError> {
        if !digits(int) || frac.is_some_and(|f| !digits(f)) {
            return Err(err());
        }
        let text = match frac {
            Some(f) => format!("{int}.{f}"),
            None => int.to_string(),
        };
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(err)
    };
    let v = match (commas, dots) {
        (0, 0) => plain(body, None)?,
        (1.., 1..) => {
            // Both marks: the last one is the decimal mark, the other groups thousands.
            let (dec, group) = if body.rfind(',') > body.rfind('.') {
                (',', '.')
            } else {
                ('.', ',')
            };
            let (int, frac) = body.rsplit_once(dec).ok_or_else(err)?;
            if int.contains(dec) {
                return Err(err());
            }
            let groups: Vec<&str> = int.split(group).collect();
            if !thousands_groups(&groups) {
                return Err(err());
            }
            plain(&groups.concat(), Some(frac))?
        }
        (n, 0) | (0, n) => {
            debug_assert!(n > 0);
            let mark = if commas > 0 { ',' } else { '.' };
            let parts: Vec<&str> = body.split(mark).collect();
            let grouping_mark = match lang {
                Lang::Vi => '.',
                Lang::En => ',',
            };
            if n > 1 {
                if !thousands_groups(&parts) {
                    return Err(err());
                }
                plain(&parts.concat(), None)?
            } else if mark == grouping_mark && thousands_groups(&parts) {
                plain(&parts.concat(), None)?
            } else {
                plain(parts[0], Some(parts[1]))?
            }
        }
    };
    Ok(if neg { -v } else { v })
}

/// The machine's time zone: `TZ`, else the system's; UTC when neither can be read.
pub fn local_zone() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC)
}

fn zoned(rfc3339: &str, tz: &jiff::tz::TimeZone) -> Option<jiff::ZonedDateTime> {
    let ts: jiff::Timestamp = rfc3339.trim().parse().ok()?;
    Some(ts.to_zoned_datetime(tz.clone()))
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A calendar date as the language writes it: `01/12/2026` / `1 Dec 2026`.
fn civil(d: jiff::civil::Date, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        Lang::En => format!(
            "{} {} {}",
            d.day(),
            MONTHS_EN[(d.month() as usize).saturating_sub(1) % 12],
            d.year()
        ),
    }
}

fn date_of(z: &jiff::ZonedDateTime, lang: Lang) -> String {
    civil(z.date(), lang)
}

/// A stored timestamp's date in the local zone: `01/12/2026` / `1 Dec 2026`; the text as it is
/// when it is not a timestamp.
pub fn date(rfc3339: &str, lang: Lang) -> String {
    date_in(rfc3339, lang, &local_zone())
}

/// [`date`] in a given zone (tests, or a server showing a room's zone).
pub fn date_in(rfc3339: &str, lang: Lang, tz: &jiff::tz::TimeZone) -> String {
    zoned(rfc3339, tz).map_or_else(|| rfc3339.to_string(), |z| date_of(&z, lang))
}

/// Date and time in the local zone: `01/12/2026 01:40` / `1 Dec 2026 01:40`.
pub fn datetime(rfc3339: &str, lang: Lang) -> String {
    datetime_in(rfc3339, lang, &local_zone())
}

/// [`datetime`] in a given zone.
pub fn datetime_in(rfc3339: &str, lang: Lang, tz: &jiff::tz::TimeZone) -> String {
    zoned(rfc3339, tz).map_or_else(
        || rfc3339.to_string(),
        |z| format!("{} {:02}:{:02}", date_of(&z, lang), z.hour(), z.minute()),
    )
}

/// The time of day in the local zone: `01:40`.
pub fn time_of_day(rfc3339: &str) -> String {
    time_of_day_in(rfc3339, &local_zone())
}

/// [`time_of_day`] in a given zone.
pub fn time_of_day_in(rfc3339: &str, tz: &jiff::tz::TimeZone) -> String {
    zoned(rfc3339, tz).map_or_else(
        || rfc3339.to_string(),
        |z| format!("{:02}:{:02}", z.hour(), z.minute()),
    )
}

/// A calendar date stored as `yyyy-mm-dd` (evidence dates), as the language writes it.
pub fn civil_date(ymd: &str, lang: Lang) -> String {
    match ymd.trim().parse::<jiff::civil::Date>() {
        Ok(d) => civil(d, lang),
        Err(_) => ymd.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_use_the_languages_decimal_mark() {
        assert_eq!(score(72.5, Lang::Vi), "72,5");
        assert_eq!(score(72.5, Lang::En), "72.5");
        assert_eq!(score(63.75, Lang::En), "63.8");
        assert_eq!(score_opt(None, Lang::Vi), "—");
        assert_eq!(score(f64::NAN, Lang::En), "—");
    }

    #[test]
    fn deltas_come_from_the_rounded_values_shown() {
        // 56.24 shows as 56.2 and 47.66 as 47.7: the delta shown is −8.5, not −8.6.
        assert_eq!(delta(56.24, 47.66, Lang::En), "−8.5");
        assert_eq!(delta(10.0, 13.0, Lang::Vi), "+3,0");
        assert_eq!(delta(10.01, 10.04, Lang::En), "0.0");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(72.5, Lang::Vi), "72,5%");
        assert_eq!(percent(72.5, Lang::En), "72.5%");
        assert_eq!(percent(100.0, Lang::Vi), "100%");
    }

    #[test]
    fn numbers_written_back() {
        assert_eq!(number(1200.0, Lang::Vi), "1.200");
        assert_eq!(number(1200.5, Lang::En), "1,200.5");
        assert_eq!(number(72.5, Lang::Vi), "72,5");
        assert_eq!(number(1234567.0, Lang::Vi), "1.234.567");
        assert_eq!(number(0.0, Lang::Vi), "0");
    }

    #[test]
    fn vietnamese_numbers() {
        let p = |s| parse_number(s, Lang::Vi);
        assert_eq!(p("72,5"), Ok(72.5));
        assert_eq!(p("72.5"), Ok(72.5));
        assert_eq!(p("1.200"), Ok(1200.0));
        assert_eq!(p("1 200"), Ok(1200.0));
        assert_eq!(p("1\u{a0}200,5"), Ok(1200.5));
        assert_eq!(p("1.200.000"), Ok(1_200_000.0));
        assert_eq!(p("1.200,5"), Ok(1200.5));
        assert_eq!(p("0.125"), Ok(0.125));
        assert_eq!(p("45%"), Ok(45.0));
        assert_eq!(p(" 90 "), Ok(90.0));
        assert_eq!(p("-3"), Ok(-3.0));
    }

    #[test]
    fn english_numbers() {
        let p = |s| parse_number(s, Lang::En);
        assert_eq!(p("1.200"), Ok(1.2));
        assert_eq!(p("1,200"), Ok(1200.0));
        assert_eq!(p("72,5"), Ok(72.5));
        assert_eq!(p("1,200.5"), Ok(1200.5));
        assert_eq!(p("1 200"), Ok(1200.0));
    }

    #[test]
    fn refused_inputs_name_what_was_typed() {
        for bad in [
            "khoảng 70",
            "abc",
            "1e2",
            "",
            "  ",
            "1,2,3",
            "12 00",
            "1.2.3",
            "7,5,",
            ".",
            "inf",
            "NaN",
            "1..2",
            "1.200,5,3",
            "--1",
        ] {
            let e = parse_number(bad, Lang::Vi).expect_err(bad);
            assert_eq!(e.typed, bad.trim());
            assert!(e.message(Lang::Vi).contains(bad.trim()));
        }
    }

    #[test]
    fn times_are_shown_in_the_local_zone() {
        let hn = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").unwrap();
        // 18:40 UTC on 1 Dec is 01:40 on 2 Dec in Hà Nội.
        assert_eq!(time_of_day_in("2026-12-01T18:40:00Z", &hn), "01:40");
        assert_eq!(
            datetime_in("2026-12-01T18:40:00Z", Lang::Vi, &hn),
            "02/12/2026 01:40"
        );
        assert_eq!(date_in("2026-12-01T18:40:00Z", Lang::En, &hn), "2 Dec 2026");
        assert_eq!(date_in("not a time", Lang::Vi, &hn), "not a time");
        assert_eq!(civil_date("2026-03-05", Lang::Vi), "05/03/2026");
        assert_eq!(civil_date("2026-03-05", Lang::En), "5 Mar 2026");
    }
}
