//! Several respondents of one organisation, reconciled: per question each respondent's answer
//! and whether they diverge, the spread of every dimension's score across respondents, and the
//! reconciled assessment (a new one; the respondents' files are only read).
//!
//! The files must be of the same questionnaire. As `aggregate` does, every file is read against
//! the catalog's *current* version of that questionnaire, so files saved with another version are
//! matched by question id (answers that no longer fit are set aside and said so).
//!
//! **Divergence** (only respondents who answered count; "don't know" does not contradict an
//! answer, and a missing answer is no answer):
//! - scale: two levels at least [`LEVELS_APART`] (2) apart;
//! - yes / partly / no: one "yes" and one "no";
//! - checklist: two respondents whose ticks have a Jaccard similarity below [`JACCARD_MIN`]
//!   (0.5): shared ticks / ticks of either, i.e. fewer than half of all the options either of
//!   them ticked are ticked by both (two empty checklists are alike);
//! - number: the largest and smallest more than [`NUMBERS_APART`] (25 %) apart, relative to the
//!   larger magnitude: `(max − min) / max(|max|, |min|) > 0.25` (100 and 75 are not apart,
//!   100 and 74 are);
//! - different kinds of answer (a level and "not applicable", an alternate measure and "no");
//! - free text and alternate-measure justifications that are not the same words.
//!
//! **Answers carried without a decision.** Alike everywhere: carried as given. Close but not
//! alike: the *lower median* of the answers (of `n` sorted answers the one at `(n − 1) / 2`:
//! always an answer a respondent gave, and the more cautious middle when there are two) for
//! scale levels, yes/partly/no (no < partly < yes) and numbers; for checklists the options that
//! more than half of the respondents ticked. When some respondents gave no answer or said "don't
//! know", the others' answers decide by the same rules. Every such decision is recorded in the
//! reconciled file with each respondent's answer.

use crate::assessment::store::{self, LoadNote};
use crate::assessment::{
    Answer, Assessment, Decision, DecisionRule, ReconcileSource, Reconciliation, Response, Ynp,
};
use crate::export::answer_text;
use crate::i18n::{Lang, tr};
#[cfg(test)]
use crate::questionnaire::QuestionKind;
use crate::questionnaire::{Catalog, ProfileKind, Question, Questionnaire};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Scale levels this far apart (or more) diverge.
pub const LEVELS_APART: u8 = 2;
/// Checklists whose Jaccard similarity is below this diverge.
pub const JACCARD_MIN: f64 = 0.5;
/// Numbers more than this far apart (relative to the larger magnitude) diverge.
pub const NUMBERS_APART: f64 = 0.25;

/// Why the respondents' answers to a question diverge.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Divergence {
    Levels { min: u8, max: u8 },
    YesAndNo,
    FewSharedTicks { jaccard: f64 },
    NumbersApart { min: f64, max: f64, gap: f64 },
    KindsDiffer,
    TextsDiffer,
}

impl Divergence {
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Divergence::Levels { min, max } => format!(
                "{} {min} {} {max}",
                tr(lang, "mức từ", "levels from"),
                tr(lang, "đến", "to")
            ),
            Divergence::YesAndNo => {
                tr(lang, "có người trả lời có, có người không", "yes and no").to_string()
            }
            Divergence::FewSharedTicks { jaccard } => format!(
                "{} ({} {})",
                tr(lang, "ít lựa chọn chung", "few shared ticks"),
                tr(lang, "Jaccard", "Jaccard"),
                crate::locale::fixed(*jaccard, 2, lang)
            ),
            Divergence::NumbersApart { min, max, gap } => format!(
                "{} {} – {} ({} {})",
                tr(lang, "số chênh nhau", "numbers apart"),
                crate::locale::number(*min, lang),
                crate::locale::number(*max, lang),
                tr(lang, "chênh", "gap"),
                crate::locale::percent(gap * 100.0, lang)
            ),
            Divergence::KindsDiffer => tr(
                lang,
                "các loại câu trả lời khác nhau",
                "different kinds of answer",
            )
            .to_string(),
            Divergence::TextsDiffer => {
                tr(lang, "nội dung viết khác nhau", "different wording").to_string()
            }
        }
    }
}

/// Jaccard similarity of two sets of ticks: shared / either; two empty sets are alike (1).
pub fn jaccard(a: &[String], b: &[String]) -> f64 {
    let either = a.iter().chain(b.iter().filter(|x| !a.contains(x))).count();
    if either == 0 {
        return 1.0;
    }
    let shared = a.iter().filter(|x| b.contains(x)).count();
    shared as f64 / either as f64
}

/// How far apart two numbers are, relative to the larger magnitude (0 when both are 0).
pub fn relative_gap(a: f64, b: f64) -> f64 {
    let big = a.abs().max(b.abs());
    if big == 0.0 { 0.0 } else { (a - b).abs() / big }
}

/// The answers that count: given, and not "don't know".
fn known<'a>(responses: &[Option<&'a Response>]) -> Vec<&'a Response> {
    responses
        .iter()
        .flatten()
        .copied()
        .filter(|r| !matches!(r, Response::DontKnow))
        .collect()
}

/// Whether (and why) the respondents' answers diverge.
pub fn divergence(responses: &[Option<&Response>]) -> Option<Divergence> {
    let known = known(responses);
    let first = known.first()?;
    if known.iter().any(|r| r.kind_code() != first.kind_code()) {
        return Some(Divergence::KindsDiffer);
    }
    match first {
        Response::Scale { .. } => {
            let levels: Vec<u8> = known
                .iter()
                .filter_map(|r| match r {
                    Response::Scale { level } => Some(*level),
                    _ => None,
                })
                .collect();
            let (min, max) = (*levels.iter().min()?, *levels.iter().max()?);
            (max - min >= LEVELS_APART).then_some(Divergence::Levels { min, max })
        }
        Response::Ynp { .. } => {
            let has = |c: Ynp| {
                known
                    .iter()
                    .any(|r| matches!(r, Response::Ynp { choice } if *choice == c))
            };
            (has(Ynp::Yes) && has(Ynp::No)).then_some(Divergence::YesAndNo)
        }
        Response::Checklist { .. } => {
            let sets: Vec<&Vec<String>> = known
                .iter()
                .filter_map(|r| match r {
                    Response::Checklist { selected } => Some(selected),
                    _ => None,
                })
                .collect();
            let mut least = 1.0f64;
            for (i, a) in sets.iter().enumerate() {
                for b in &sets[i + 1..] {
                    least = least.min(jaccard(a, b));
                }
            }
            (least < JACCARD_MIN).then_some(Divergence::FewSharedTicks { jaccard: least })
        }
        Response::Number { .. } => {
            let values: Vec<f64> = known
                .iter()
                .filter_map(|r| match r {
                    Response::Number { value } => Some(*value),
                    _ => None,
                })
                .collect();
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let gap = relative_gap(min, max);
            (gap > NUMBERS_APART).then_some(Divergence::NumbersApart { min, max, gap })
        }
        Response::Text { .. } | Response::Alternate { .. } => {
            let words = |r: &Response| match r {
                Response::Text { text } => text.split_whitespace().collect::<Vec<_>>().join(" "),
                Response::Alternate { justification } => justification
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => String::new(),
            };
            let w = words(first);
            known
                .iter()
                .any(|r| words(r) != w)
                .then_some(Divergence::TextsDiffer)
        }
        Response::NotApplicable | Response::DontKnow => None,
    }
}

/// What the reconciled assessment gets for a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Nobody answered it.
    Unanswered,
    /// Every respondent gave this same answer.
    Alike(Response),
    /// Decided by a rule (median, majority, the known answers).
    Rule(Response, DecisionRule),
    /// The answers diverge: the consultant decides.
    Diverges(Divergence),
}

/// The lower median of sorted values: the one at `(n − 1) / 2`.
fn lower_median<T: Copy + PartialOrd>(mut v: Vec<T>) -> Option<T> {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v.get(v.len().checked_sub(1)? / 2).copied()
}

/// What the reconciled assessment gets for question `q` from these responses (one per
/// respondent, `None` when not answered).
pub fn outcome(q: &Question, responses: &[Option<&Response>]) -> Outcome {
    let given: Vec<&Response> = responses.iter().flatten().copied().collect();
    let Some(first) = given.first() else {
        return Outcome::Unanswered;
    };
    if given.len() == responses.len() && given.iter().all(|r| *r == *first) {
        return Outcome::Alike((*first).clone());
    }
    if let Some(d) = divergence(responses) {
        return Outcome::Diverges(d);
    }
    let known = known(responses);
    let Some(k) = known.first() else {
        // Everyone who answered said "don't know".
        return Outcome::Rule(Response::DontKnow, DecisionRule::Known);
    };
    if known.iter().all(|r| *r == *k) {
        return Outcome::Rule((*k).clone(), DecisionRule::Known);
    }
    let decided = match k {
        Response::Scale { .. } => lower_median(
            known
                .iter()
                .filter_map(|r| match r {
                    Response::Scale { level } => Some(*level),
                    _ => None,
                })
                .collect(),
        )
        .map(|level| (Response::Scale { level }, DecisionRule::Median)),
        Response::Ynp { .. } => {
            let rank = |c: Ynp| match c {
                Ynp::No => 0u8,
                Ynp::Partly => 1,
                Ynp::Yes => 2,
            };
            lower_median(
                known
                    .iter()
                    .filter_map(|r| match r {
                        Response::Ynp { choice } => Some(rank(*choice)),
                        _ => None,
                    })
                    .collect(),
            )
            .map(|m| {
                let choice = [Ynp::No, Ynp::Partly, Ynp::Yes][m as usize];
                (Response::Ynp { choice }, DecisionRule::Median)
            })
        }
        Response::Number { .. } => lower_median(
            known
                .iter()
                .filter_map(|r| match r {
                    Response::Number { value } => Some(*value),
                    _ => None,
                })
                .collect(),
        )
        .map(|value| (Response::Number { value }, DecisionRule::Median)),
        Response::Checklist { .. } => {
            let n = known.len();
            let selected: Vec<String> = q
                .options
                .iter()
                .filter(|o| {
                    let ticks = known
                        .iter()
                        .filter(|r| matches!(r, Response::Checklist { selected } if selected.contains(&o.id)))
                        .count();
                    ticks * 2 > n
                })
                .map(|o| o.id.clone())
                .collect();
            Some((Response::Checklist { selected }, DecisionRule::Majority))
        }
        // Same wording (else they diverge) and the same special answers: carried.
        Response::Text { .. }
        | Response::Alternate { .. }
        | Response::NotApplicable
        | Response::DontKnow => Some(((*k).clone(), DecisionRule::Known)),
    };
    match decided {
        Some((r, rule)) if r.check(q).is_ok() => Outcome::Rule(r, rule),
        _ => Outcome::Diverges(Divergence::KindsDiffer),
    }
}

/// One respondent's file, read against the current questionnaire.
#[derive(Debug)]
pub struct Source {
    pub path: PathBuf,
    /// The file name, with the respondent's role when the profile says it.
    pub label: String,
    pub assessment: Assessment,
    pub notes: Vec<LoadNote>,
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// How a respondent is shown: "an.json (Giám đốc)", from the profile's `role` choice if any.
pub fn label(q: &Questionnaire, a: &Assessment, path: &Path, lang: Lang) -> String {
    let name = file_name(path);
    let role = q.profile_field("role").and_then(|f| {
        let id = a.profile_text("role")?;
        f.option_label(&id).map(|l| l.get(lang).to_string())
    });
    match role {
        Some(r) => format!("{name} ({r})"),
        None => name,
    }
}

/// Reads every file against the current version of their (one) questionnaire. The error names
/// the file and says what to do.
pub fn load(
    paths: &[PathBuf],
    catalog: &Catalog,
    lang: Lang,
) -> Result<(Arc<Questionnaire>, Vec<Source>), String> {
    if paths.len() < 2 {
        return Err(tr(
            lang,
            "Cần ít nhất hai tệp đánh giá để đối chiếu.",
            "Reconciling needs at least two assessment files.",
        )
        .to_string());
    }
    for (i, p) in paths.iter().enumerate() {
        let real = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
        if paths[..i]
            .iter()
            .any(|o| std::fs::canonicalize(o).unwrap_or_else(|_| o.clone()) == real)
        {
            return Err(format!(
                "{}: {}",
                p.display(),
                tr(
                    lang,
                    "tệp này được đưa vào hai lần; mỗi người trả lời một tệp.",
                    "this file is given twice; give one file per respondent."
                )
            ));
        }
    }
    // The current entry of each questionnaire id, as `aggregate` reads files.
    let mut ids: Vec<&str> = Vec::new();
    for e in &catalog.entries {
        if !ids.contains(&e.questionnaire.id.as_str()) {
            ids.push(&e.questionnaire.id);
        }
    }
    let current = Catalog {
        entries: ids
            .iter()
            .filter_map(|id| catalog.find(id, None).cloned())
            .collect(),
        errors: Vec::new(),
    };
    let mut loaded = Vec::new();
    for p in paths {
        let l = store::read(p, &current).map_err(|e| e.render(lang))?;
        loaded.push((p.clone(), l));
    }
    let q = loaded[0].1.questionnaire.clone();
    if loaded.iter().any(|(_, l)| l.questionnaire.id != q.id) {
        let list: Vec<String> = loaded
            .iter()
            .map(|(p, l)| format!("  {}: {}", p.display(), l.questionnaire.id))
            .collect();
        return Err(format!(
            "{}\n{}\n{}",
            tr(
                lang,
                "Các tệp thuộc những bộ câu hỏi khác nhau:",
                "The files are of different questionnaires:"
            ),
            list.join("\n"),
            tr(
                lang,
                "Chỉ đối chiếu được các bản đánh giá của cùng một bộ câu hỏi; hãy bỏ các tệp khác ra.",
                "Only assessments of the same questionnaire can be reconciled; leave the others out."
            )
        ));
    }
    let sources = loaded
        .into_iter()
        .map(|(path, l)| Source {
            label: label(&q, &l.assessment, &path, lang),
            path,
            assessment: l.assessment,
            notes: l.notes,
        })
        .collect();
    Ok((q, sources))
}

/// The reconciliation of several respondents, for people (text, Markdown, HTML) and tools
/// (JSON).
#[derive(Debug, Clone, Serialize)]
pub struct ReconcileDoc {
    pub reconcile_version: u32,
    pub lang: Lang,
    pub questionnaire: QuestionnaireInfo,
    pub respondents: Vec<RespondentInfo>,
    /// The divergence rules and the rules for answers carried without a decision, in words.
    pub rules: Vec<String>,
    /// Ids of the questions whose answers diverge, in questionnaire order.
    pub divergent: Vec<String>,
    /// Every question shown to at least one respondent, in questionnaire order.
    pub questions: Vec<QuestionRow>,
    /// Claimed score per dimension and respondent, with the spread.
    pub dimensions: Vec<DimensionSpread>,
    /// Profile fields the respondents filled differently (the reconciled file takes the first
    /// respondent's value).
    pub profile_differences: Vec<ProfileDifference>,
    /// Notes from reading the files (another questionnaire version, answers set aside).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionnaireInfo {
    pub id: String,
    pub version: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RespondentInfo {
    pub file: String,
    pub label: String,
    pub organisation: String,
    pub headline: Option<f64>,
    pub answered: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionRow {
    pub id: String,
    pub section: String,
    pub question: String,
    pub kind: String,
    /// Each respondent's answer as read (`None`: no answer), in respondent order.
    pub answers: Vec<Option<String>>,
    pub divergent: bool,
    pub divergence: Option<Divergence>,
    /// The divergence, or the rule that decides, in words.
    pub reason: String,
    /// What the reconciled file gets without a decision (`None` when the consultant decides or
    /// nobody answered).
    pub carried: Option<String>,
    pub rule: Option<DecisionRule>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DimensionSpread {
    pub id: String,
    pub label: String,
    pub group: String,
    /// Per respondent, 0..100, `None` when the respondent has no score for it.
    pub scores: Vec<Option<f64>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// max − min.
    pub range: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileDifference {
    pub field: String,
    pub label: String,
    pub values: Vec<Option<String>>,
}

pub const RECONCILE_VERSION: u32 = 1;

/// The rules, in words.
pub fn rules(lang: Lang) -> Vec<String> {
    vec![
        tr(lang, "Khác biệt lớn khi: thang mức chênh từ 2 mức trở lên; có người trả lời \"có\" và có người \"không\"; danh sách lựa chọn có ít lựa chọn chung (chỉ số Jaccard = số lựa chọn chung / số lựa chọn của một trong hai người, dưới 0,5); số chênh hơn 25% so với số lớn hơn; loại câu trả lời khác nhau (ví dụ một mức và \"không áp dụng\"); nội dung viết khác nhau.",
            "Diverging: scale levels 2 or more apart; a \"yes\" and a \"no\"; checklists with few shared ticks (Jaccard index = ticks shared / ticks of either, below 0.5); numbers more than 25% apart relative to the larger; different kinds of answer (e.g. a level and \"not applicable\"); different wording.").to_string(),
        tr(lang, "\"Không biết\" không mâu thuẫn với câu trả lời của người khác; người không trả lời không được tính.",
            "\"Don't know\" does not contradict another respondent's answer; a respondent with no answer is not counted.").to_string(),
        tr(lang, "Câu trả lời gần nhau nhưng không giống hệt: lấy trung vị dưới (trong n câu trả lời đã xếp, câu thứ (n − 1)/2: luôn là câu trả lời của một người, và là câu thận trọng hơn khi có hai câu ở giữa) với thang mức, có/một phần/không và số; với danh sách lựa chọn, lấy các lựa chọn được quá nửa số người chọn.",
            "Close but not alike: the lower median (of n sorted answers, the one at (n − 1)/2: always an answer someone gave, the more cautious middle when there are two) for scale levels, yes/partly/no and numbers; for checklists, the options more than half of the respondents ticked.").to_string(),
    ]
}

/// The rule in words.
pub fn rule_label(r: DecisionRule, lang: Lang) -> &'static str {
    match r {
        DecisionRule::Median => tr(lang, "trung vị dưới", "lower median"),
        DecisionRule::Majority => tr(lang, "quá nửa số người chọn", "ticked by a majority"),
        DecisionRule::Known => tr(
            lang,
            "câu trả lời của những người biết",
            "the answer of those who know",
        ),
        DecisionRule::Consultant => tr(lang, "tư vấn viên quyết định", "the consultant's decision"),
        DecisionRule::Pending => tr(lang, "chưa thống nhất", "not agreed yet"),
    }
}

/// Responses per respondent for one question; a question hidden for a respondent is no answer.
fn responses_of<'a>(
    sources: &'a [Source],
    hidden: &[std::collections::HashSet<String>],
    id: &str,
) -> Vec<Option<&'a Response>> {
    sources
        .iter()
        .zip(hidden)
        .map(|(s, h)| {
            if h.contains(id) {
                None
            } else {
                s.assessment.answers.get(id).map(|a| &a.response)
            }
        })
        .collect()
}

/// Builds the reconciliation document.
pub fn compare(q: &Questionnaire, sources: &[Source], lang: Lang) -> ReconcileDoc {
    let hidden: Vec<_> = sources
        .iter()
        .map(|s| s.assessment.hidden_questions(q))
        .collect();
    let reports: Vec<_> = sources
        .iter()
        .map(|s| crate::scoring::score(q, &s.assessment))
        .collect();
    let respondents = sources
        .iter()
        .zip(&reports)
        .map(|(s, r)| RespondentInfo {
            file: s.path.display().to_string(),
            label: s.label.clone(),
            organisation: s.assessment.profile_text("org_name").unwrap_or_default(),
            headline: r.headline.map(crate::scoring::round2),
            answered: s.assessment.answers.len(),
        })
        .collect();
    let mut questions = Vec::new();
    let mut divergent = Vec::new();
    for (sec, question) in q.questions() {
        if hidden.iter().all(|h| h.contains(&question.id)) {
            continue;
        }
        let rs = responses_of(sources, &hidden, &question.id);
        let answers = rs
            .iter()
            .map(|r| r.map(|r| answer_text(question, r, lang)))
            .collect();
        let (div, reason, carried, rule) = match outcome(question, &rs) {
            Outcome::Unanswered => (
                None,
                tr(lang, "không ai trả lời", "nobody answered").to_string(),
                None,
                None,
            ),
            Outcome::Alike(r) => (
                None,
                tr(lang, "giống nhau", "alike").to_string(),
                Some(answer_text(question, &r, lang)),
                None,
            ),
            Outcome::Rule(r, rule) => (
                None,
                rule_label(rule, lang).to_string(),
                Some(answer_text(question, &r, lang)),
                Some(rule),
            ),
            Outcome::Diverges(d) => {
                let reason = d.describe(lang);
                (Some(d), reason, None, Some(DecisionRule::Pending))
            }
        };
        if div.is_some() {
            divergent.push(question.id.clone());
        }
        questions.push(QuestionRow {
            id: question.id.clone(),
            section: sec.title.get(lang).to_string(),
            question: question.text.get(lang).to_string(),
            kind: question.kind.code().to_string(),
            answers,
            divergent: div.is_some(),
            divergence: div,
            reason,
            carried,
            rule,
        });
    }
    let dimensions = q
        .dimensions
        .iter()
        .map(|d| {
            let scores: Vec<Option<f64>> = reports
                .iter()
                .map(|r| {
                    r.dimensions
                        .iter()
                        .find(|x| x.id == d.id)
                        .and_then(|x| x.claimed)
                        .map(crate::scoring::round2)
                })
                .collect();
            let have: Vec<f64> = scores.iter().flatten().copied().collect();
            let min = have.iter().copied().reduce(f64::min);
            let max = have.iter().copied().reduce(f64::max);
            DimensionSpread {
                id: d.id.clone(),
                label: d.label.get(lang).to_string(),
                group: d.group.label(lang).to_string(),
                scores,
                min,
                max,
                range: min.zip(max).map(|(a, b)| crate::scoring::round2(b - a)),
            }
        })
        .collect();
    let profile_differences = q
        .profile
        .iter()
        .filter_map(|f| {
            let values: Vec<Option<String>> = sources
                .iter()
                .map(|s| {
                    s.assessment.profile_text(&f.id).map(|v| match f.kind {
                        ProfileKind::Choice => f
                            .option_label(&v)
                            .map(|l| l.get(lang).to_string())
                            .unwrap_or(v),
                        ProfileKind::Text | ProfileKind::Number => v,
                    })
                })
                .collect();
            let given: Vec<&String> = values.iter().flatten().collect();
            let differ = given.windows(2).any(|w| w[0] != w[1]);
            // The respondent's own role is expected to differ.
            (differ && f.id != "role").then(|| ProfileDifference {
                field: f.id.clone(),
                label: f.label.get(lang).to_string(),
                values,
            })
        })
        .collect();
    let notes = sources
        .iter()
        .flat_map(|s| {
            s.notes
                .iter()
                .map(move |n| format!("{}: {}", s.label, n.render(lang)))
        })
        .collect();
    ReconcileDoc {
        reconcile_version: RECONCILE_VERSION,
        lang,
        questionnaire: QuestionnaireInfo {
            id: q.id.clone(),
            version: q.version.clone(),
            title: q.title.get(lang).to_string(),
        },
        respondents,
        rules: rules(lang),
        divergent,
        questions,
        dimensions,
        profile_differences,
        notes,
    }
}

/// The reconciled assessment: a new one, with the profile (each field from the first respondent
/// who filled it), the answers carried (alike, or by the rules above; comments joined with the
/// respondent's label, evidence from every respondent), the diverging questions left unanswered
/// for the consultant, and a record of the sources and of every question not answered alike.
pub fn merged(q: &Questionnaire, hash: &str, sources: &[Source], now: &str) -> Assessment {
    let mut a = Assessment::new(q, hash, now);
    for f in &q.profile {
        if let Some(v) = sources.iter().find_map(|s| s.assessment.profile.get(&f.id)) {
            a.profile.insert(f.id.clone(), v.clone());
        }
    }
    let hidden: Vec<_> = sources
        .iter()
        .map(|s| s.assessment.hidden_questions(q))
        .collect();
    let mut rec = Reconciliation {
        sources: sources
            .iter()
            .map(|s| ReconcileSource {
                file: s.path.display().to_string(),
                label: s.label.clone(),
            })
            .collect(),
        decisions: Default::default(),
    };
    for (_, question) in q.questions() {
        let rs = responses_of(sources, &hidden, &question.id);
        let response = match outcome(question, &rs) {
            Outcome::Unanswered => continue,
            Outcome::Alike(r) => Some(r),
            Outcome::Rule(r, rule) => {
                rec.decisions
                    .insert(question.id.clone(), decision(rule, &rs));
                Some(r)
            }
            Outcome::Diverges(_) => {
                let mut d = decision(DecisionRule::Pending, &rs);
                d.comments = sources
                    .iter()
                    .map(|s| {
                        s.assessment
                            .answers
                            .get(&question.id)
                            .map(|a| a.comment.trim().to_string())
                            .unwrap_or_default()
                    })
                    .collect();
                if d.comments.iter().all(String::is_empty) {
                    d.comments.clear();
                }
                rec.decisions.insert(question.id.clone(), d);
                None
            }
        };
        if let Some(r) = response {
            let mut answer = Answer::new(r, now);
            carry_context(&mut answer, sources, &question.id);
            a.answers.insert(question.id.clone(), answer);
        }
    }
    a.reconciliation = Some(rec);
    a
}

fn decision(rule: DecisionRule, rs: &[Option<&Response>]) -> Decision {
    Decision {
        rule,
        responses: rs.iter().map(|r| r.cloned()).collect(),
        note: String::new(),
        comments: Vec::new(),
    }
}

/// Comments joined one a line, each prefixed with its respondent's label; empty ones left out.
fn labelled<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .filter(|(_, c)| !c.trim().is_empty())
        .map(|(label, c)| format!("{label}: {}", c.trim()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The respondents' comments (each with its respondent's label) and evidence, on the
/// reconciled answer.
pub fn carry_context(answer: &mut Answer, sources: &[Source], id: &str) {
    for src in sources.iter().filter_map(|s| s.assessment.answers.get(id)) {
        for e in &src.evidence {
            if !answer.evidence.contains(e) {
                answer.evidence.push(e.clone());
            }
        }
    }
    answer.comment = labelled(sources.iter().filter_map(|s| {
        let a = s.assessment.answers.get(id)?;
        Some((s.label.as_str(), a.comment.as_str()))
    }));
}

/// Records the consultant's agreed answer for a diverging question (checked against the
/// question) and marks the decision as theirs.
pub fn agree(
    q: &Questionnaire,
    a: &mut Assessment,
    id: &str,
    response: Response,
    now: &str,
) -> Result<(), crate::assessment::AnswerError> {
    a.set_response(q, id, response, now)?;
    mark_agreed(a, id);
    Ok(())
}

/// Marks a diverging question's decision as the consultant's once it has an answer (and as
/// pending again without one); the respondents' comments go onto a first agreed answer.
pub fn mark_agreed(a: &mut Assessment, id: &str) {
    let Some(r) = a.reconciliation.as_mut() else {
        return;
    };
    let Some(d) = r.decisions.get_mut(id) else {
        return;
    };
    match a.answers.get_mut(id) {
        Some(answer) => {
            d.rule = DecisionRule::Consultant;
            if answer.comment.is_empty() {
                answer.comment = labelled(
                    r.sources
                        .iter()
                        .map(|s| s.label.as_str())
                        .zip(d.comments.iter().map(String::as_str)),
                );
            }
        }
        None => d.rule = DecisionRule::Pending,
    }
}

/// Whether a question of a reconciled assessment was diverging (decided by the consultant, or
/// still to decide).
pub fn is_diverging(a: &Assessment, id: &str) -> bool {
    a.reconciliation
        .as_ref()
        .and_then(|r| r.decisions.get(id))
        .is_some_and(|d| matches!(d.rule, DecisionRule::Consultant | DecisionRule::Pending))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scale(l: u8) -> Response {
        Response::Scale { level: l }
    }
    fn ynp(c: Ynp) -> Response {
        Response::Ynp { choice: c }
    }
    fn ticks(t: &[&str]) -> Response {
        Response::Checklist {
            selected: t.iter().map(|s| s.to_string()).collect(),
        }
    }
    fn num(v: f64) -> Response {
        Response::Number { value: v }
    }
    fn div(rs: &[Response]) -> Option<Divergence> {
        let v: Vec<Option<&Response>> = rs.iter().map(Some).collect();
        divergence(&v)
    }

    #[test]
    fn scale_levels_diverge_from_two_apart() {
        assert_eq!(div(&[scale(1), scale(2)]), None);
        assert_eq!(div(&[scale(1), scale(2), scale(2)]), None);
        assert_eq!(
            div(&[scale(1), scale(3)]),
            Some(Divergence::Levels { min: 1, max: 3 })
        );
        assert_eq!(
            div(&[scale(0), scale(2), scale(4)]),
            Some(Divergence::Levels { min: 0, max: 4 })
        );
    }

    #[test]
    fn yes_and_no_diverge_partly_does_not() {
        assert_eq!(div(&[ynp(Ynp::Yes), ynp(Ynp::Partly)]), None);
        assert_eq!(div(&[ynp(Ynp::No), ynp(Ynp::Partly)]), None);
        assert_eq!(
            div(&[ynp(Ynp::Yes), ynp(Ynp::Partly), ynp(Ynp::No)]),
            Some(Divergence::YesAndNo)
        );
    }

    #[test]
    fn checklists_diverge_below_half_shared() {
        // 1 shared of 2 ticked by either: 0.5, not diverging.
        assert_eq!(div(&[ticks(&["a", "b"]), ticks(&["a"])]), None);
        // 1 shared of 3: 0.33.
        assert!(matches!(
            div(&[ticks(&["a", "b"]), ticks(&["a", "c"])]),
            Some(Divergence::FewSharedTicks { jaccard }) if (jaccard - 1.0 / 3.0).abs() < 1e-9
        ));
        assert_eq!(div(&[ticks(&[]), ticks(&[])]), None);
        assert!(div(&[ticks(&[]), ticks(&["a"])]).is_some());
        // The least similar pair decides.
        assert!(div(&[ticks(&["a", "b"]), ticks(&["a", "b"]), ticks(&["c"])]).is_some());
        assert_eq!(jaccard(&["a".into()], &["a".into()]), 1.0);
    }

    #[test]
    fn numbers_diverge_above_a_quarter_apart() {
        assert_eq!(div(&[num(100.0), num(75.0)]), None);
        assert!(div(&[num(100.0), num(74.0)]).is_some());
        assert_eq!(div(&[num(0.0), num(0.0)]), None);
        assert!(div(&[num(0.0), num(1.0)]).is_some());
        assert_eq!(div(&[num(-100.0), num(-80.0)]), None);
        assert_eq!(relative_gap(80.0, 100.0), 0.2);
    }

    #[test]
    fn kinds_texts_and_dont_know() {
        assert_eq!(
            div(&[scale(2), Response::NotApplicable]),
            Some(Divergence::KindsDiffer)
        );
        // "Don't know" does not contradict an answer; a missing answer is no answer.
        assert_eq!(div(&[scale(2), Response::DontKnow]), None);
        assert_eq!(divergence(&[Some(&scale(2)), None]), None);
        let t = |s: &str| Response::Text { text: s.into() };
        assert_eq!(div(&[t("Có  ban chỉ đạo"), t("Có ban chỉ đạo")]), None);
        assert_eq!(div(&[t("a"), t("b")]), Some(Divergence::TextsDiffer));
    }

    fn question(kind: QuestionKind, options: &[&str]) -> Question {
        let mut v = serde_json::json!({
            "id": "x", "kind": kind.code(), "text": {"vi": "x", "en": "x"}, "seed": [],
            "allow_na": true,
        });
        if kind == QuestionKind::Scale {
            v["levels"] = serde_json::json!(
                (0..5).map(|i| serde_json::json!({"label": {"vi": i.to_string(), "en": i.to_string()}, "descriptor": {"vi": "", "en": ""}})).collect::<Vec<_>>()
            );
        }
        if !options.is_empty() {
            v["options"] = serde_json::json!(
                options
                    .iter()
                    .map(|o| serde_json::json!({"id": o, "label": {"vi": o, "en": o}}))
                    .collect::<Vec<_>>()
            );
        }
        serde_json::from_value(v).unwrap()
    }

    fn out(q: &Question, rs: &[Option<Response>]) -> Outcome {
        let v: Vec<Option<&Response>> = rs.iter().map(Option::as_ref).collect();
        outcome(q, &v)
    }

    #[test]
    fn close_answers_take_the_lower_median() {
        let q = question(QuestionKind::Scale, &[]);
        assert_eq!(
            out(&q, &[Some(scale(2)), Some(scale(3))]),
            Outcome::Rule(scale(2), DecisionRule::Median)
        );
        assert_eq!(
            out(&q, &[Some(scale(3)), Some(scale(2)), Some(scale(3))]),
            Outcome::Rule(scale(3), DecisionRule::Median)
        );
        assert_eq!(
            out(&q, &[Some(scale(3)), Some(scale(3))]),
            Outcome::Alike(scale(3))
        );
        assert_eq!(
            out(&q, &[Some(scale(3)), None]),
            Outcome::Rule(scale(3), DecisionRule::Known)
        );
        assert_eq!(
            out(&q, &[Some(scale(3)), Some(Response::DontKnow)]),
            Outcome::Rule(scale(3), DecisionRule::Known)
        );
        assert_eq!(
            out(&q, &[Some(Response::DontKnow), Some(Response::DontKnow)]),
            Outcome::Alike(Response::DontKnow)
        );
        assert_eq!(out(&q, &[None, None]), Outcome::Unanswered);
        assert!(matches!(
            out(&q, &[Some(scale(0)), Some(scale(2)), Some(scale(4))]),
            Outcome::Diverges(_)
        ));
        let y = question(QuestionKind::Ynp, &[]);
        assert_eq!(
            out(&y, &[Some(ynp(Ynp::Yes)), Some(ynp(Ynp::Partly))]),
            Outcome::Rule(ynp(Ynp::Partly), DecisionRule::Median)
        );
        let n = question(QuestionKind::Number, &[]);
        assert_eq!(
            out(&n, &[Some(num(90.0)), Some(num(100.0)), Some(num(95.0))]),
            Outcome::Rule(num(95.0), DecisionRule::Median)
        );
    }

    #[test]
    fn checklists_take_what_a_majority_ticked() {
        let q = question(QuestionKind::Checklist, &["a", "b", "c"]);
        assert_eq!(
            out(
                &q,
                &[
                    Some(ticks(&["a", "b"])),
                    Some(ticks(&["a", "b", "c"])),
                    Some(ticks(&["a", "b"]))
                ]
            ),
            Outcome::Rule(ticks(&["a", "b"]), DecisionRule::Majority)
        );
        // Two respondents: exactly half is not a majority.
        assert_eq!(
            out(&q, &[Some(ticks(&["a", "b"])), Some(ticks(&["a"]))]),
            Outcome::Rule(ticks(&["a"]), DecisionRule::Majority)
        );
    }
}
