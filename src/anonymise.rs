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

use crate::aggregate::{AggregateDoc, FileNotes, Skipped};
use crate::assessment::{
    Answer, Assessment, Evidence, EvidenceSource, ProfileValue, QuestionnaireRef, Response,
};
use crate::i18n::{Lang, tr};
use crate::questionnaire::{ProfileKind, Questionnaire};
use std::collections::{BTreeSet, HashMap};

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

/// Anonymises an aggregate made whole (the room report): respondents become "respondent 1…n"
/// with no organisation, file names are taken out of the skipped files and notes (and out of
/// their messages), and the method line says so. The distributions, bands and weak items are
/// kept. `aggregate --anonymise` does the same as it streams (`aggregate::RunOptions`), with the
/// same pieces: [`respondent_label`], [`note`], [`skipped`].
pub fn aggregate(doc: &mut AggregateDoc) {
    let lang = doc.lang;
    // A file name to its respondent's number (the first, should a name come twice).
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut n = 0;
    for q in &mut doc.questionnaires {
        for r in &mut q.respondents {
            n += 1;
            numbers.entry(std::mem::take(&mut r.file)).or_insert(n);
            r.file = respondent_label(lang, n);
            r.organisation = String::new();
        }
    }
    for x in &mut doc.notes {
        let label = numbers
            .get(&x.file)
            .map(|n| respondent_label(lang, *n))
            .unwrap_or_default();
        note(x, label);
    }
    for (i, s) in doc.skipped.iter_mut().enumerate() {
        skipped(s, lang, i + 1);
    }
    doc.method = method(lang, &doc.method);
}

/// The `n`th respondent (from 1) of an anonymised aggregate, in the order rows are written.
pub fn respondent_label(lang: Lang, n: usize) -> String {
    format!("{} {n}", tr(lang, "Người trả lời", "Respondent"))
}

/// A file's notes, anonymised: the file becomes its respondent's `label`, in its place and in
/// the notes' words. A note names no file (the reading's notes say what changed and which answer
/// was set aside: `store::LoadNote`); only an answer id the file itself holds could read as a
/// file name, and `unmatched` lists those ids as they are.
pub fn note(n: &mut FileNotes, label: String) {
    for t in &mut n.notes {
        *t = scrub(t, &n.file, &label);
    }
    n.file = label;
}

/// The `i`th skipped file (from 1), anonymised: "skipped file i", in its place and in its error
/// (an error names its own file or folder, `store::StoreError::render`).
pub fn skipped(s: &mut Skipped, lang: Lang, i: usize) {
    let label = format!("{} {i}", tr(lang, "Tệp bị bỏ qua", "Skipped file"));
    s.error = scrub(&s.error, &s.file, &label);
    s.file = label;
}

/// An anonymised aggregate's method line.
pub fn method(lang: Lang, method: &str) -> String {
    format!("{method} {}", anonymised_line(lang))
}

/// `text` with `file` replaced by `label`.
fn scrub(text: &str, file: &str, label: &str) -> String {
    if file.is_empty() {
        text.to_string()
    } else {
        text.replace(file, label)
    }
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
