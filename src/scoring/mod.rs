//! Scoring: a weighted 0..100 score per dimension (pillar, foundational task, security layer) and
//! overall, with coverage, "claimed" and "evidenced" variants, the security rule, and for every
//! score the questions behind it and the answers that would raise it most.
//!
//! Formula (documented in README.md, pinned by tests):
//! - each applicable, answered question has a value v in 0..1 (scale level/4; yes 1, partly 0.5,
//!   no 0; checklist ticked points / all points; number by target or thresholds; alternate 1;
//!   don't know 0);
//! - dimension score = 100 × Σ(w·v) / Σ(w) over its applicable answered questions; unanswered and
//!   not-applicable questions are left out of both sums, and coverage says how many were answered;
//! - evidenced score: the same with v counted only for answers backed by a document seen or
//!   verified (other answers count 0, the denominator is unchanged);
//! - overall = Σ(W·S) / Σ(W) over the dimensions of the overall group that have a score, W being
//!   the dimension's weight for the organisation (`weight_by`, e.g. by administrative level);
//! - headline band = the overall band, capped by the security rule.

pub mod explain;
pub mod lean;
pub use explain::*;

use crate::assessment::{Answer, Assessment, Response, Ynp};
use crate::questionnaire::{Group, Question, QuestionKind, Questionnaire};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How a question stands in the scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Answered,
    DontKnow,
    Unanswered,
    NotApplicable,
    /// Not shown because of skip logic.
    Hidden,
    /// A number question tied to a target that has no value for the respondent's profile, and no
    /// fallback thresholds: it cannot be scored until the profile is completed.
    NoTarget,
}

impl Status {
    /// Counts toward coverage's denominator.
    pub fn is_applicable(self) -> bool {
        matches!(
            self,
            Status::Answered | Status::DontKnow | Status::Unanswered
        )
    }
}

/// The target a number answer was compared with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TargetUsed {
    pub target: String,
    pub year: String,
    pub key: String,
    pub value: f64,
}

/// One question's part in the scores.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionScore {
    pub id: String,
    pub status: Status,
    /// 0..1 for answered and don't-know questions.
    pub value: Option<f64>,
    pub evidenced: bool,
    pub target: Option<TargetUsed>,
}

/// Coverage: how much of what applies has been answered.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Coverage {
    /// Questions that apply (shown, not "not applicable").
    pub applicable: usize,
    /// Of those, answered (including "don't know").
    pub answered: usize,
    pub dont_know: usize,
    pub not_applicable: usize,
}

impl Coverage {
    pub fn percent(&self) -> f64 {
        if self.applicable == 0 {
            0.0
        } else {
            100.0 * self.answered as f64 / self.applicable as f64
        }
    }

    fn add(&mut self, s: Status) {
        match s {
            Status::Answered => {
                self.applicable += 1;
                self.answered += 1;
            }
            Status::DontKnow => {
                self.applicable += 1;
                self.answered += 1;
                self.dont_know += 1;
            }
            Status::Unanswered => self.applicable += 1,
            Status::NotApplicable => self.not_applicable += 1,
            Status::Hidden | Status::NoTarget => {}
        }
    }
}

/// One question's line in a dimension's explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub question: String,
    pub weight: f64,
    pub status: Status,
    pub value: Option<f64>,
    pub evidenced: bool,
}

/// An answer that would raise a score: by how many points if it were fully met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Improvement {
    pub question: String,
    pub status: Status,
    pub value: Option<f64>,
    /// Score points gained if this question were fully met (and answered).
    pub gain: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DimensionScore {
    pub id: String,
    pub group: Group,
    pub weight: f64,
    pub claimed: Option<f64>,
    pub evidenced: Option<f64>,
    pub band: Option<String>,
    pub coverage: Coverage,
    /// Σ(w·v) and Σ(w) over answered questions, for the explanation.
    pub numerator: f64,
    pub denominator: f64,
    pub items: Vec<Item>,
    /// Most helpful first.
    pub what_if: Vec<Improvement>,
}

/// A reason the headline was capped, or a red flag raised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// The overall band is more than `max_gap` levels above the security band.
    SecurityGap {
        security_band: String,
        overall_band: String,
        max_gap: u32,
        capped_to: String,
    },
    RedFlag {
        id: String,
        capped_to: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub questions: Vec<QuestionScore>,
    pub dimensions: Vec<DimensionScore>,
    pub overall: Option<f64>,
    pub overall_evidenced: Option<f64>,
    pub overall_band: Option<String>,
    /// After the security rule; never above `overall`.
    pub headline: Option<f64>,
    pub headline_band: Option<String>,
    pub coverage: Coverage,
    pub warnings: Vec<Warning>,
    /// Weak answers (and don't-knows), the ones whose improvement raises the overall most first.
    pub weakest: Vec<Improvement>,
    /// Unanswered questions that would raise the overall most if fully met.
    pub next_unanswered: Vec<Improvement>,
}

fn ynp_value(c: Ynp) -> f64 {
    match c {
        Ynp::Yes => 1.0,
        Ynp::Partly => 0.5,
        Ynp::No => 0.0,
    }
}

/// The respondent's target for a number question, if one applies.
pub fn target_for(q: &Questionnaire, a: &Assessment, question: &Question) -> Option<TargetUsed> {
    let tid = question.target.as_ref()?;
    let targets = q.targets.as_ref()?;
    let t = q.target(tid)?;
    let year = a.profile_text(&targets.year_field)?;
    let by = t.values.get(&year)?;
    let key = a.profile_text(&t.field);
    let (k, v) = key
        .as_ref()
        .and_then(|k| by.get(k).map(|v| (k.clone(), *v)))
        .or_else(|| by.get("*").map(|v| ("*".to_string(), *v)))?;
    Some(TargetUsed {
        target: tid.clone(),
        year,
        key: k,
        value: v,
    })
}

fn threshold_value(question: &Question, x: f64) -> Option<f64> {
    if question.thresholds.is_empty() {
        return None;
    }
    Some(
        question
            .thresholds
            .iter()
            .rev()
            .find(|t| x >= t.at_least)
            .map_or(0.0, |t| t.score),
    )
}

/// One question's status and value.
pub fn score_question(
    q: &Questionnaire,
    a: &Assessment,
    question: &Question,
    hidden: bool,
) -> QuestionScore {
    let (status, value, evidenced, target) = question_value(q, a, question, hidden);
    QuestionScore {
        id: question.id.clone(),
        status,
        value,
        evidenced,
        target,
    }
}

/// One question's status, value (0..1), whether its answer is evidenced, and the target a number
/// was compared with: [`score_question`] without the id.
pub(crate) fn question_value(
    q: &Questionnaire,
    a: &Assessment,
    question: &Question,
    hidden: bool,
) -> (Status, Option<f64>, bool, Option<TargetUsed>) {
    if hidden {
        return (Status::Hidden, None, false, None);
    }
    answer_value(q, a, question, a.answers.get(&question.id))
}

/// [`question_value`] of a shown question whose answer in `a` (if any) is already found: the lean
/// scorer finds every answer in one pass and allocates nothing here.
pub(crate) fn answer_value(
    q: &Questionnaire,
    a: &Assessment,
    question: &Question,
    answer: Option<&Answer>,
) -> (Status, Option<f64>, bool, Option<TargetUsed>) {
    let Some(answer) = answer else {
        return (Status::Unanswered, None, false, None);
    };
    let evidenced = answer.is_evidenced();
    let mut target = None;
    let value = match &answer.response {
        Response::NotApplicable => return (Status::NotApplicable, None, evidenced, None),
        Response::DontKnow => return (Status::DontKnow, Some(0.0), evidenced, None),
        Response::Alternate { .. } => 1.0,
        Response::Scale { level } => f64::from(*level).min(4.0) / 4.0,
        Response::Ynp { choice } => ynp_value(*choice),
        Response::Checklist { selected } => {
            let total: f64 = question.options.iter().map(|o| o.points).sum();
            let got: f64 = question
                .options
                .iter()
                .filter(|o| selected.contains(&o.id))
                .map(|o| o.points)
                .sum();
            if total > 0.0 { got / total } else { 0.0 }
        }
        Response::Number { value } => {
            if let Some(t) = target_for(q, a, question) {
                let v = (value / t.value).clamp(0.0, 1.0);
                target = Some(t);
                v
            } else if let Some(v) = threshold_value(question, *value) {
                v
            } else {
                return (Status::NoTarget, None, evidenced, None);
            }
        }
        Response::Text { .. } => return (Status::NotApplicable, None, evidenced, None),
    };
    (Status::Answered, Some(value), evidenced, target)
}

/// Scores an assessment.
pub fn score(q: &Questionnaire, a: &Assessment) -> Report {
    let hidden = a.hidden_questions(q);
    let mut questions = Vec::new();
    let mut coverage = Coverage::default();
    for (_, question) in q.questions() {
        if question.kind == QuestionKind::Text {
            continue;
        }
        let qs = score_question(q, a, question, hidden.contains(&question.id));
        coverage.add(qs.status);
        questions.push(qs);
    }
    let by_id: std::collections::HashMap<&str, &QuestionScore> =
        questions.iter().map(|s| (s.id.as_str(), s)).collect();

    let mut dimensions = Vec::new();
    for d in &q.dimensions {
        let mut ds = DimensionScore {
            id: d.id.clone(),
            group: d.group,
            // The weight for this organisation (by its administrative level, where the
            // questionnaire says so).
            weight: d.weight_for(|field| a.profile_text(field)),
            claimed: None,
            evidenced: None,
            band: None,
            coverage: Coverage::default(),
            numerator: 0.0,
            denominator: 0.0,
            items: Vec::new(),
            what_if: Vec::new(),
        };
        let mut evidenced_num = 0.0;
        for (_, question) in q.questions() {
            let Some(c) = question.contributes.iter().find(|c| c.to == d.id) else {
                continue;
            };
            let Some(qs) = by_id.get(question.id.as_str()) else {
                continue;
            };
            ds.coverage.add(qs.status);
            if let Some(v) = qs.value {
                ds.numerator += c.weight * v;
                ds.denominator += c.weight;
                if qs.evidenced {
                    evidenced_num += c.weight * v;
                }
            }
            ds.items.push(Item {
                question: question.id.clone(),
                weight: c.weight,
                status: qs.status,
                value: qs.value,
                evidenced: qs.evidenced,
            });
        }
        if ds.denominator > 0.0 {
            let s = 100.0 * ds.numerator / ds.denominator;
            ds.claimed = Some(s);
            ds.evidenced = Some(100.0 * evidenced_num / ds.denominator);
            ds.band = q
                .band_index(s)
                .and_then(|i| q.band_sorted(i))
                .map(|b| b.id.clone());
        }
        ds.what_if = what_if(&ds);
        dimensions.push(ds);
    }

    let overall_dims: Vec<&DimensionScore> = dimensions
        .iter()
        .filter(|d| d.group == q.overall.group && d.claimed.is_some())
        .collect();
    let wsum: f64 = overall_dims.iter().map(|d| d.weight).sum();
    let (overall, overall_evidenced) = if wsum > 0.0 {
        (
            Some(
                overall_dims
                    .iter()
                    .map(|d| d.weight * d.claimed.unwrap_or(0.0))
                    .sum::<f64>()
                    / wsum,
            ),
            Some(
                overall_dims
                    .iter()
                    .map(|d| d.weight * d.evidenced.unwrap_or(0.0))
                    .sum::<f64>()
                    / wsum,
            ),
        )
    } else {
        (None, None)
    };

    let mut report = Report {
        questions,
        dimensions,
        overall,
        overall_evidenced,
        overall_band: None,
        headline: overall,
        headline_band: None,
        coverage,
        warnings: Vec::new(),
        weakest: Vec::new(),
        next_unanswered: Vec::new(),
    };
    apply_security_rule(q, a, &hidden, &mut report);
    let (weakest, next) = overall_improvements(q, &report);
    report.weakest = weakest;
    report.next_unanswered = next;
    report
}

fn apply_security_rule(
    q: &Questionnaire,
    a: &Assessment,
    hidden: &std::collections::HashSet<String>,
    r: &mut Report,
) {
    let bands = q.bands_sorted();
    let Some(overall) = r.overall else { return };
    let Some(raw_idx) = q.band_index(overall) else {
        return;
    };
    r.overall_band = Some(bands[raw_idx].id.clone());
    let mut idx = raw_idx;
    if let Some(rule) = &q.security_rule {
        let sec = r
            .dimensions
            .iter()
            .find(|d| d.id == rule.dimension)
            .and_then(|d| d.claimed);
        if let Some(sec_idx) = sec.and_then(|s| q.band_index(s)) {
            let limit = sec_idx + rule.max_band_gap as usize;
            if idx > limit {
                idx = limit;
                r.warnings.push(Warning::SecurityGap {
                    security_band: bands[sec_idx].id.clone(),
                    overall_band: bands[raw_idx].id.clone(),
                    max_gap: rule.max_band_gap,
                    capped_to: bands[limit].id.clone(),
                });
            }
        }
        let facts = crate::assessment::AssessmentFacts {
            questionnaire: q,
            assessment: a,
            hidden,
        };
        for f in &rule.red_flags {
            if f.when.holds(&facts) {
                let cap = bands.iter().position(|b| b.id == f.cap_band).unwrap_or(0);
                idx = idx.min(cap);
                r.warnings.push(Warning::RedFlag {
                    id: f.id.clone(),
                    capped_to: bands[cap].id.clone(),
                });
            }
        }
    }
    if idx < raw_idx {
        // Capped: the headline shows the top of the capped band (one decimal below its upper
        // bound, so number and band agree).
        r.headline = Some(overall.min(bands[idx].max - 0.1));
    }
    r.headline_band = Some(bands[idx].id.clone());
}

/// Gain in a dimension's score (points) if the item were fully met.
fn item_gain(ds: &DimensionScore, it: &Item) -> Option<f64> {
    match it.status {
        Status::Answered | Status::DontKnow => {
            let v = it.value.unwrap_or(0.0);
            (v < 1.0 && ds.denominator > 0.0)
                .then(|| 100.0 * it.weight * (1.0 - v) / ds.denominator)
        }
        Status::Unanswered => {
            let new = 100.0 * (ds.numerator + it.weight) / (ds.denominator + it.weight);
            Some(new - ds.claimed.unwrap_or(0.0))
        }
        _ => None,
    }
}

fn what_if(ds: &DimensionScore) -> Vec<Improvement> {
    let mut out: Vec<Improvement> = ds
        .items
        .iter()
        .filter_map(|it| {
            item_gain(ds, it)
                .filter(|g| *g > 0.0)
                .map(|gain| Improvement {
                    question: it.question.clone(),
                    status: it.status,
                    value: it.value,
                    gain,
                })
        })
        .collect();
    sort_improvements(&mut out);
    out
}

fn sort_improvements(v: &mut [Improvement]) {
    // Stable sort keeps questionnaire order among equal gains.
    v.sort_by(|a, b| b.gain.total_cmp(&a.gain));
}

/// Per question, the overall gain if it were fully met: its dimension gains, weighted as the
/// overall weights its dimensions. Split into weak answers and unanswered questions.
fn overall_improvements(q: &Questionnaire, r: &Report) -> (Vec<Improvement>, Vec<Improvement>) {
    let dims: Vec<&DimensionScore> = r
        .dimensions
        .iter()
        .filter(|d| d.group == q.overall.group)
        .collect();
    let scored_w: f64 = dims
        .iter()
        .filter(|d| d.claimed.is_some())
        .map(|d| d.weight)
        .sum();
    let mut weak = Vec::new();
    let mut unanswered = Vec::new();
    for qs in &r.questions {
        let mut gain = 0.0;
        for d in &dims {
            let Some(it) = d.items.iter().find(|it| it.question == qs.id) else {
                continue;
            };
            let Some(g) = item_gain(d, it) else { continue };
            // A dimension with no score yet would join the overall with this answer's value.
            let w = if d.claimed.is_some() {
                d.weight / scored_w
            } else {
                d.weight / (scored_w + d.weight)
            };
            gain += w * g;
        }
        if gain <= 0.0 {
            continue;
        }
        let imp = Improvement {
            question: qs.id.clone(),
            status: qs.status,
            value: qs.value,
            gain,
        };
        if qs.status == Status::Unanswered {
            unanswered.push(imp)
        } else {
            weak.push(imp)
        }
    }
    sort_improvements(&mut weak);
    sort_improvements(&mut unanswered);
    (weak, unanswered)
}

/// The compact scores written into assessment files and JSON exports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    pub overall: Option<f64>,
    pub overall_evidenced: Option<f64>,
    pub overall_band: Option<String>,
    pub headline: Option<f64>,
    pub headline_band: Option<String>,
    pub coverage: Coverage,
    pub dimensions: Vec<DimensionSummary>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DimensionSummary {
    pub id: String,
    pub group: Group,
    pub claimed: Option<f64>,
    pub evidenced: Option<f64>,
    pub band: Option<String>,
    pub coverage: Coverage,
}

/// Rounds to two decimals so files stay stable and readable.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl Report {
    pub fn summary(&self) -> Summary {
        let r = |x: Option<f64>| x.map(round2);
        Summary {
            overall: r(self.overall),
            overall_evidenced: r(self.overall_evidenced),
            overall_band: self.overall_band.clone(),
            headline: r(self.headline),
            headline_band: self.headline_band.clone(),
            coverage: self.coverage,
            dimensions: self
                .dimensions
                .iter()
                .map(|d| DimensionSummary {
                    id: d.id.clone(),
                    group: d.group,
                    claimed: r(d.claimed),
                    evidenced: r(d.evidenced),
                    band: d.band.clone(),
                    coverage: d.coverage,
                })
                .collect(),
            warnings: self.warnings.clone(),
        }
    }

    pub fn dimension(&self, id: &str) -> Option<&DimensionScore> {
        self.dimensions.iter().find(|d| d.id == id)
    }

    pub fn question(&self, id: &str) -> Option<&QuestionScore> {
        self.questions.iter().find(|q| q.id == id)
    }
}
