//! Anonymised copies, to share results with a ministry or a research team without names or
//! comments (`sansang export FILE|DIR --anonymise`, `aggregate --anonymise`, the room report).
//!
//! A copy is built as a **whitelist**: it starts from an empty assessment and copies in only
//! what is known to be safe, so any field added to the format later (interview names,
//! reconciliation notes, …) is dropped unless it is added here on purpose.
//!
//! Kept:
//! - the questionnaire (id, version, hash);
//! - profile fields that are a choice from the questionnaire's fixed list (administrative level,
//!   organisation type, size, sector, role, security level, target year…);
//! - the province, only as the name of a unit in force (an old or misspelt name is resolved;
//!   anything else, which may be a name or an address, is dropped);
//! - number fields of the profile that a condition of the questionnaire reads (the number of
//!   information systems decides which questions are shown, so scores stay the same); other
//!   numbers (staff) are dropped;
//! - every answer's response (levels, yes/partly/no, ticks, numbers, not applicable, don't know),
//!   and the grade of each evidence item;
//! - dates as year and month (`2026-12`).
//!
//! Dropped: organisation and person names, every free-text profile field, comments, evidence
//! documents (type, number, date, issuer, summary), links and paths, evidence notes, free-text
//! answers, the wording of alternate measures (the answer stays "alternate measure", so it still
//! counts as met), review marks, answers set aside from other versions, the reconciliation
//! record (source paths and notes). The copy says `"anonymised": true`.

use crate::aggregate::AggregateDoc;
use crate::assessment::{
    Answer, Assessment, Evidence, EvidenceSource, ProfileValue, QuestionnaireRef, Response,
};
use crate::i18n::{Lang, tr};
use crate::questionnaire::{ProfileKind, Questionnaire};
use std::collections::BTreeSet;

/// Profile fields holding a province (free text, resolved to a unit in force).
const PROVINCE_FIELDS: &[&str] = &["province", "province_name"];

/// What an alternate measure's justification becomes.
pub const WITHHELD: &str = "(ẩn danh / anonymised)";

/// The year and month of a timestamp or date (`2026-12-06T03:30:00Z` → `2026-12`); empty when
/// it does not start with one.
pub fn year_month(ts: &str) -> String {
    let head: String = ts.chars().take(7).collect();
    let b = head.as_bytes();
    let ok = b.len() == 7
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..].iter().all(u8::is_ascii_digit);
    if ok { head } else { String::new() }
}

/// Every field id a condition of the questionnaire reads (skip logic, red flags), wherever the
/// condition sits: found in the questionnaire's JSON form, so conditions added later count too.
fn condition_fields(q: &Questionnaire) -> BTreeSet<String> {
    fn walk(v: &serde_json::Value, out: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(f)) = m.get("field") {
                    out.insert(f.clone());
                }
                m.values().for_each(|x| walk(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    if let Ok(v) = serde_json::to_value(q) {
        walk(&v, &mut out);
    }
    out
}

/// The anonymised copy of an assessment (see the module's description of what is kept).
pub fn assessment(q: &Questionnaire, a: &Assessment) -> Assessment {
    let month = year_month(&a.updated_at);
    let mut out = Assessment::new(q, &a.questionnaire.hash, &month);
    out.questionnaire = QuestionnaireRef {
        id: a.questionnaire.id.clone(),
        version: a.questionnaire.version.clone(),
        hash: a.questionnaire.hash.clone(),
    };
    out.created_at = year_month(&a.created_at);
    out.updated_at = month;
    let read_by_conditions = condition_fields(q);
    for f in &q.profile {
        let Some(v) = a.profile.get(&f.id) else {
            continue;
        };
        let kept = match (f.kind, v) {
            (ProfileKind::Choice, ProfileValue::Text(id))
                if f.options.iter().any(|o| &o.id == id) =>
            {
                Some(v.clone())
            }
            (ProfileKind::Text, ProfileValue::Text(t))
                if PROVINCE_FIELDS.contains(&f.id.as_str()) =>
            {
                crate::provinces::resolve(t).map(|p| ProfileValue::Text(p.name.to_string()))
            }
            (ProfileKind::Number, ProfileValue::Number(n))
                if read_by_conditions.contains(&f.id) =>
            {
                Some(ProfileValue::Number(*n))
            }
            _ => None,
        };
        if let Some(v) = kept {
            out.profile.insert(f.id.clone(), v);
        }
    }
    for (id, ans) in &a.answers {
        let response = match &ans.response {
            Response::Text { .. } => continue,
            Response::Alternate { .. } => Response::Alternate {
                justification: WITHHELD.to_string(),
            },
            r @ (Response::Scale { .. }
            | Response::Ynp { .. }
            | Response::Checklist { .. }
            | Response::Number { .. }
            | Response::NotApplicable
            | Response::DontKnow) => r.clone(),
        };
        let mut copy = Answer::new(response, &year_month(&ans.answered_at));
        copy.evidence = ans
            .evidence
            .iter()
            .map(|e| Evidence {
                grade: e.grade,
                source: EvidenceSource::Link {
                    target: String::new(),
                },
                note: String::new(),
            })
            .collect();
        out.answers.insert(id.clone(), copy);
    }
    out.anonymised = true;
    out
}

/// Anonymises an aggregate (the room report, `aggregate --anonymise`): respondents become
/// "respondent 1…n" with no organisation, file names are taken out of the skipped files and
/// notes (and out of their messages), and the method line says so. The distributions, bands
/// and weak items are kept.
pub fn aggregate(doc: &mut AggregateDoc) {
    let lang = doc.lang;
    let mut names: Vec<(String, String)> = Vec::new();
    let mut n = 0;
    for q in &mut doc.questionnaires {
        for r in &mut q.respondents {
            n += 1;
            let label = format!("{} {n}", tr(lang, "Người trả lời", "Respondent"));
            names.push((std::mem::take(&mut r.file), label.clone()));
            r.file = label;
            r.organisation = String::new();
        }
    }
    let scrub = |text: &str, names: &[(String, String)]| {
        let mut t = text.to_string();
        for (file, label) in names {
            if !file.is_empty() {
                t = t.replace(file.as_str(), label);
            }
        }
        t
    };
    for note in &mut doc.notes {
        let label = names
            .iter()
            .find(|(f, _)| *f == note.file)
            .map(|(_, l)| l.clone())
            .unwrap_or_default();
        note.notes = note.notes.iter().map(|x| scrub(x, &names)).collect();
        note.file = label;
    }
    for (i, s) in doc.skipped.iter_mut().enumerate() {
        let label = format!("{} {}", tr(lang, "Tệp bị bỏ qua", "Skipped file"), i + 1);
        let mut all = names.clone();
        all.push((s.file.clone(), label.clone()));
        s.error = scrub(&s.error, &all);
        s.file = label;
    }
    doc.method = format!("{} {}", doc.method, anonymised_line(lang));
}

/// The line an anonymised output carries.
pub fn anonymised_line(lang: Lang) -> &'static str {
    tr(
        lang,
        "Bản ẩn danh: không có tên tổ chức, tên người, tên tệp, ghi chú hay minh chứng chi tiết.",
        "Anonymised: no organisation or person names, file names, comments or evidence details.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_and_month_only() {
        assert_eq!(year_month("2026-12-06T03:30:00Z"), "2026-12");
        assert_eq!(year_month("2024-03-01"), "2024-03");
        assert_eq!(year_month("2026-12"), "2026-12");
        assert_eq!(year_month("hôm qua"), "");
        assert_eq!(year_month(""), "");
    }
}
