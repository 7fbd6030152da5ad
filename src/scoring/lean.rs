//! The lean scorer: what an aggregation needs of [`super::score`] and nothing more.
//!
//! The full scorer builds a report to explain one assessment: every dimension's items, what-if
//! gains, the weakest answers, id strings for everything, and it looks dimensions up by id for
//! every question. Aggregating thousands of files needs only the numbers: each question's status
//! and value, the claimed and evidenced score of each dimension, the overall and headline scores,
//! bands and coverage. [`LeanScorer`] prepares the questionnaire once (dimensions by index, bands
//! sorted once, red-flag caps resolved) and then scores each assessment into a reused
//! [`LeanScore`] without building any string.
//!
//! The numbers are the full scorer's, bit for bit: the same sums are taken in the same order
//! (`tests/aggregate_stream.rs` compares both over many generated assessments and every fixture).

use super::{Coverage, Status, answer_value};
use crate::assessment::{Answer, Assessment, AssessmentFacts};
use crate::questionnaire::{Band, Question, Questionnaire, RedFlag};

/// A questionnaire prepared for scoring many assessments.
pub struct LeanScorer<'q> {
    q: &'q Questionnaire,
    /// Scored (non-text) questions in questionnaire order.
    questions: Vec<LeanQuestion<'q>>,
    /// Indexes into `questions`, by question id in the order of `Assessment::answers`' keys, so
    /// the answers are found in one pass over both (ids are unique: validated).
    by_id: Vec<usize>,
    /// Per dimension: whether it counts toward the overall score (its weight depends on the
    /// organisation: `Dimension::weight_for`).
    in_overall: Vec<bool>,
    /// Bands lowest first.
    bands: Vec<&'q Band>,
    /// The security rule's dimension, by index.
    security: Option<usize>,
    /// Red flags with the index of the band they cap to.
    red_flags: Vec<(&'q RedFlag, usize)>,
}

struct LeanQuestion<'q> {
    question: &'q Question,
    /// (dimension index, weight): the first contribution to each known dimension, as the full
    /// scorer takes it.
    contributes: Vec<(usize, f64)>,
}

/// One question's part in the scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeanQuestionScore {
    pub status: Status,
    /// 0..1 for answered and don't-know questions.
    pub value: Option<f64>,
    pub evidenced: bool,
}

/// The scores of one assessment. Bands are indexes into the questionnaire's bands sorted lowest
/// first (`Questionnaire::bands_sorted`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeanScore {
    /// Scored questions, in questionnaire order (the order of `Report::questions`).
    pub questions: Vec<LeanQuestionScore>,
    /// Claimed score per dimension, in questionnaire order.
    pub claimed: Vec<Option<f64>>,
    /// Evidenced score per dimension.
    pub evidenced: Vec<Option<f64>>,
    pub overall: Option<f64>,
    pub overall_evidenced: Option<f64>,
    pub overall_band: Option<usize>,
    /// After the security rule.
    pub headline: Option<f64>,
    pub headline_band: Option<usize>,
    pub coverage: Coverage,
    /// Σ(w·v), Σ(w·v) over evidenced answers, and Σ(w) per dimension (working space).
    sums: Vec<(f64, f64, f64)>,
}

impl<'q> LeanScorer<'q> {
    pub fn new(q: &'q Questionnaire) -> LeanScorer<'q> {
        let dim_index = |id: &str| q.dimensions.iter().position(|d| d.id == id);
        let questions: Vec<LeanQuestion> = q
            .questions()
            .map(|(_, question)| question)
            .filter(|question| question.kind.is_scored())
            .map(|question| {
                let mut contributes: Vec<(usize, f64)> = Vec::new();
                for c in &question.contributes {
                    if let Some(i) = dim_index(&c.to)
                        && !contributes.iter().any(|(j, _)| *j == i)
                    {
                        contributes.push((i, c.weight));
                    }
                }
                LeanQuestion {
                    question,
                    contributes,
                }
            })
            .collect();
        let mut by_id: Vec<usize> = (0..questions.len()).collect();
        by_id.sort_by_key(|&i| questions[i].question.id.as_str());
        let bands = q.bands_sorted();
        let rule = q.security_rule.as_ref();
        LeanScorer {
            q,
            by_id,
            questions,
            in_overall: q
                .dimensions
                .iter()
                .map(|d| d.group == q.overall.group)
                .collect(),
            security: rule.and_then(|r| dim_index(&r.dimension)),
            red_flags: rule
                .map(|r| {
                    r.red_flags
                        .iter()
                        .map(|f| {
                            let cap = bands.iter().position(|b| b.id == f.cap_band).unwrap_or(0);
                            (f, cap)
                        })
                        .collect()
                })
                .unwrap_or_default(),
            bands,
        }
    }

    pub fn questionnaire(&self) -> &'q Questionnaire {
        self.q
    }

    /// Bands lowest first.
    pub fn bands(&self) -> &[&'q Band] {
        &self.bands
    }

    /// The scored questions, in the order of [`LeanScore::questions`].
    pub fn scored_questions(&self) -> impl Iterator<Item = &'q Question> + '_ {
        self.questions.iter().map(|lq| lq.question)
    }

    /// The dimensions (by index) and weights the `i`-th scored question counts toward.
    pub fn contributions(&self, i: usize) -> &[(usize, f64)] {
        self.questions.get(i).map_or(&[], |lq| &lq.contributes)
    }

    /// `Questionnaire::band_index` over the bands sorted once.
    pub fn band_index(&self, score: f64) -> Option<usize> {
        let last = self.bands.len().checked_sub(1)?;
        self.bands
            .iter()
            .position(|b| score >= b.min && (score < b.max || (score <= b.max && b.max >= 100.0)))
            .or(Some(if score < self.bands[0].min { 0 } else { last }))
    }

    /// Scores `a`, reusing `out`'s space.
    pub fn score_into(&self, a: &Assessment, out: &mut LeanScore) {
        let q = self.q;
        let hidden = a.hidden_questions(q);
        let n = self.in_overall.len();
        out.questions.clear();
        out.sums.clear();
        out.sums.resize(n, (0.0, 0.0, 0.0));
        out.coverage = Coverage::default();
        let answers = self.answers_of(a);
        for (lq, answer) in self.questions.iter().zip(answers) {
            let (status, value, evidenced, _) = if hidden.contains(&lq.question.id) {
                (Status::Hidden, None, false, None)
            } else {
                answer_value(q, a, lq.question, answer)
            };
            out.coverage.add(status);
            out.questions.push(LeanQuestionScore {
                status,
                value,
                evidenced,
            });
            if let Some(v) = value {
                for &(d, w) in &lq.contributes {
                    let s = &mut out.sums[d];
                    s.0 += w * v;
                    s.2 += w;
                    if evidenced {
                        s.1 += w * v;
                    }
                }
            }
        }
        out.claimed.clear();
        out.evidenced.clear();
        for &(num, ev, den) in &out.sums {
            let scored = den > 0.0;
            out.claimed.push(scored.then(|| 100.0 * num / den));
            out.evidenced.push(scored.then(|| 100.0 * ev / den));
        }
        // The overall: the full scorer's sums, in the same order, with each dimension's weight
        // for this organisation (a level may weigh a task less: `weight_by`).
        let overall_dims = || {
            self.in_overall
                .iter()
                .zip(&self.q.dimensions)
                .zip(out.claimed.iter().zip(&out.evidenced))
                .filter(|((in_overall, _), (c, _))| **in_overall && c.is_some())
                .map(|((_, d), (c, e))| (d.weight_for(|f| a.profile_text(f)), c, e))
        };
        let wsum: f64 = overall_dims().map(|(w, _, _)| w).sum();
        (out.overall, out.overall_evidenced) = if wsum > 0.0 {
            (
                Some(
                    overall_dims()
                        .map(|(w, c, _)| w * c.unwrap_or(0.0))
                        .sum::<f64>()
                        / wsum,
                ),
                Some(
                    overall_dims()
                        .map(|(w, _, e)| w * e.unwrap_or(0.0))
                        .sum::<f64>()
                        / wsum,
                ),
            )
        } else {
            (None, None)
        };
        out.headline = out.overall;
        out.overall_band = None;
        out.headline_band = None;
        self.security_rule(a, &hidden, out);
    }

    /// The answer to each scored question (in the order of `questions`), found in one pass over
    /// the answers and the ids, both sorted, instead of a search of the answers per question.
    fn answers_of<'a>(&self, a: &'a Assessment) -> Vec<Option<&'a Answer>> {
        let mut found = vec![None; self.questions.len()];
        let mut answers = a.answers.iter().peekable();
        for &i in &self.by_id {
            let id = self.questions[i].question.id.as_str();
            while answers.next_if(|(k, _)| k.as_str() < id).is_some() {}
            if let Some((k, answer)) = answers.peek()
                && k.as_str() == id
            {
                found[i] = Some(*answer);
            }
        }
        found
    }

    /// Scores `a` into a new [`LeanScore`].
    pub fn score(&self, a: &Assessment) -> LeanScore {
        let mut out = LeanScore::default();
        self.score_into(a, &mut out);
        out
    }

    /// The full scorer's security rule, with bands by index.
    fn security_rule(
        &self,
        a: &Assessment,
        hidden: &std::collections::HashSet<String>,
        out: &mut LeanScore,
    ) {
        let Some(overall) = out.overall else { return };
        let Some(raw_idx) = self.band_index(overall) else {
            return;
        };
        out.overall_band = Some(raw_idx);
        let mut idx = raw_idx;
        if let Some(rule) = &self.q.security_rule {
            let sec = self.security.and_then(|i| out.claimed[i]);
            if let Some(sec_idx) = sec.and_then(|s| self.band_index(s)) {
                idx = idx.min(sec_idx + rule.max_band_gap as usize);
            }
            let facts = AssessmentFacts {
                questionnaire: self.q,
                assessment: a,
                hidden,
            };
            for (f, cap) in &self.red_flags {
                if f.when.holds(&facts) {
                    idx = idx.min(*cap);
                }
            }
        }
        if idx < raw_idx {
            out.headline = Some(overall.min(self.bands[idx].max - 0.1));
        }
        out.headline_band = Some(idx);
    }
}
