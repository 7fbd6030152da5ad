//! A consultant's interview: who interviewed whom, when and where; who gave each answer and how it
//! is known; the time spent per section; and where a re-assessment was seeded from. All of it is
//! optional in the file (older files have none of it).

use super::model::{Answer, Assessment, EvidenceGrade};
use crate::i18n::{Lang, tr};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The interview, recorded in the profile (interview mode).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Interview {
    /// Interview mode is on: the wizard asks who gave each answer and how it is known.
    #[serde(default)]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub interviewer: String,
    /// The people interviewed; answers name them by `id`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interviewees: Vec<Interviewee>,
    /// The interview's date, YYYY-MM-DD.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub date: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub place: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Interviewee {
    /// Stable within the file ("p1", "p2", …): answers' `respondent` refers to it.
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Their role ("owner", "accountant", "runs IT").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
}

/// The earlier assessment a re-assessment was seeded from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SeededFrom {
    /// SHA-256 of the earlier file's bytes, as it was when seeded: identifies it even if moved.
    pub id: String,
    /// The earlier file's path (absolute when it could be resolved).
    pub path: String,
    /// The earlier assessment's last change (RFC 3339, UTC).
    pub date: String,
    /// The questionnaire version the earlier answers were given to.
    pub questionnaire_version: String,
}

/// A single stretch without keys counts at most this long towards a section's time (the laptop
/// left open over lunch does not count as an hour on one question).
pub const IDLE_CAP_SECS: u64 = 300;

impl Interview {
    /// The display name of an interviewee ("Lan (kế toán)"), or the id if unknown.
    pub fn label_of(&self, id: &str) -> String {
        match self.interviewees.iter().find(|p| p.id == id) {
            Some(p) => p.label(),
            None => id.to_string(),
        }
    }

    /// A fresh id for a new interviewee.
    pub fn next_id(&self) -> String {
        (1..)
            .map(|n| format!("p{n}"))
            .find(|id| !self.interviewees.iter().any(|p| &p.id == id))
            .unwrap_or_default()
    }

    /// The interviewees with a name or role (the ones answers can be attributed to).
    pub fn named(&self) -> impl Iterator<Item = &Interviewee> {
        self.interviewees
            .iter()
            .filter(|p| !p.name.trim().is_empty() || !p.role.trim().is_empty())
    }
}

impl Interviewee {
    pub fn label(&self) -> String {
        match (self.name.trim(), self.role.trim()) {
            ("", "") => self.id.clone(),
            (n, "") => n.to_string(),
            ("", r) => r.to_string(),
            (n, r) => format!("{n} ({r})"),
        }
    }
}

/// How an answer is known, in interview words: the evidence grade without a source.
pub fn basis_label(g: EvidenceGrade, lang: Lang) -> &'static str {
    match g {
        EvidenceGrade::Stated => tr(lang, "được nói ra", "stated"),
        EvidenceGrade::DocumentSeen => tr(lang, "đã xem giấy tờ", "document seen"),
        EvidenceGrade::Verified => tr(lang, "đã quan sát tận nơi", "observed"),
    }
}

/// The next grade in the interview's cycle: stated → document seen → observed → stated.
pub fn next_basis(g: Option<EvidenceGrade>) -> EvidenceGrade {
    match g {
        None | Some(EvidenceGrade::Verified) => EvidenceGrade::Stated,
        Some(EvidenceGrade::Stated) => EvidenceGrade::DocumentSeen,
        Some(EvidenceGrade::DocumentSeen) => EvidenceGrade::Verified,
    }
}

/// "1 h 05 min", "12 min", "40 s".
pub fn duration_text(secs: u64, lang: Lang) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let (hu, mu, su) = (tr(lang, "giờ", "h"), tr(lang, "phút", "min"), "s");
    if h > 0 {
        format!("{h} {hu} {m:02} {mu}")
    } else if m > 0 {
        format!("{m} {mu}")
    } else {
        format!("{s} {su}")
    }
}

/// The local calendar date (YYYY-MM-DD) of an RFC 3339 time: an interview's date by default.
pub fn local_date(now: &str) -> String {
    now.trim()
        .parse::<jiff::Timestamp>()
        .map(|ts| {
            ts.to_zoned_datetime(crate::locale::local_zone())
                .date()
                .to_string()
        })
        .unwrap_or_default()
}

/// A date as typed: `2026-12-01`, `1/12/2026` or `01-12-2026` (day first, as Vietnamese write
/// it); the ISO form, or `None` if it is not a real date.
pub fn parse_date(text: &str) -> Option<String> {
    let t = text.trim();
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let num = |s: &str| s.parse::<u32>().ok();
    let (y, m, d) = if a.len() == 4 {
        (num(a)?, num(b)?, num(c)?)
    } else if c.len() == 4 {
        (num(c)?, num(b)?, num(a)?)
    } else {
        return None;
    };
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    let date = time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?)
        .ok()?;
    Some(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        date.month() as u8,
        date.day()
    ))
}

impl Answer {
    /// How the answer is known: its basis when set, else the best grade of its evidence.
    pub fn known_as(&self) -> Option<EvidenceGrade> {
        self.evidence
            .iter()
            .map(|e| e.grade)
            .chain(self.basis)
            .max()
    }
}

impl Assessment {
    /// Interview mode is on.
    pub fn interviewing(&self) -> bool {
        self.interview.as_ref().is_some_and(|i| i.enabled)
    }

    /// How many answers are carried over from an earlier assessment and not confirmed yet.
    pub fn unconfirmed(&self) -> usize {
        self.answers.values().filter(|a| a.carried).count()
    }

    /// Confirms a carried answer as still true now. False when it was not carried.
    pub fn confirm(&mut self, id: &str, now: &str) -> bool {
        match self.answers.get_mut(id) {
            Some(a) if a.carried => {
                a.carried = false;
                a.answered_at = now.to_string();
                self.updated_at = now.to_string();
                true
            }
            _ => false,
        }
    }

    /// Adds `secs` to a section's time (capped per stretch by the caller).
    pub fn add_section_time(&mut self, section: &str, secs: u64) {
        if secs > 0 {
            *self.section_seconds.entry(section.to_string()).or_default() += secs;
        }
    }

    /// Total interview time recorded, seconds.
    pub fn total_seconds(&self) -> u64 {
        self.section_seconds.values().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_people_type_them() {
        assert_eq!(parse_date("2026-12-01").as_deref(), Some("2026-12-01"));
        assert_eq!(parse_date("1/12/2026").as_deref(), Some("2026-12-01"));
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("hôm nay"), None);
    }

    #[test]
    fn the_default_date_is_the_local_calendar_day() {
        let d = local_date("2026-12-01T10:00:00Z");
        assert!(
            ["2026-12-01", "2026-12-02", "2026-11-30"].contains(&d.as_str()),
            "{d}"
        );
        assert_eq!(local_date("never"), "");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(40, Lang::En), "40 s");
        assert_eq!(duration_text(12 * 60 + 5, Lang::En), "12 min");
        assert_eq!(duration_text(3900, Lang::Vi), "1 giờ 05 phút");
    }

    #[test]
    fn basis_cycles_through_the_three_grades() {
        let mut g = None;
        let mut seen = vec![];
        for _ in 0..4 {
            let n = next_basis(g);
            seen.push(n);
            g = Some(n);
        }
        assert_eq!(
            seen,
            [
                EvidenceGrade::Stated,
                EvidenceGrade::DocumentSeen,
                EvidenceGrade::Verified,
                EvidenceGrade::Stated
            ]
        );
    }
}
