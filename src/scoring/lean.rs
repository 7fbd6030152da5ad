//! The lean scorer: what an aggregation needs of [`super::score`] and nothing more.
//!
//! The full scorer builds a report to explain one assessment: every dimension's items, what-if
//! gains, the weakest answers, id strings for everything, and it looks dimensions up by id for
//! every question. Aggregating thousands of files needs only the numbers: each question's status
//! and value, the claimed and evidenced score of each dimension, the overall and headline scores,
//! bands and coverage. [`LeanScorer`] prepares the questionnaire once (dimensions, profile fields
//! and the fields of every condition by index, bands sorted once, red-flag caps and targets
//! resolved) and then scores [`LeanAnswers`] — each answer in its question's slot, read straight
//! from the file by the aggregation or taken from an [`Assessment`] — into a reused
//! [`LeanScore`] without building a map or a string.
//!
//! The numbers are the full scorer's, bit for bit: the same sums are taken in the same order
//! (`tests/aggregate_stream.rs` compares both over many generated assessments and every fixture).

use super::{Coverage, Status, threshold_value, ynp_value};
use crate::assessment::{Assessment, EvidenceGrade, ProfileValue, Response, Ynp, format_number};
use crate::questionnaire::condition::{FactRef, SetRef};
use crate::questionnaire::{Band, Comparison, Condition, Question, Questionnaire, Target};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// An answer as the lean scorer sees it (what `Response` says, without its strings: they are in
/// [`Slot::text`], ticked options in [`Slot::ticked`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Given {
    Scale(u8),
    Ynp(Ynp),
    Checklist,
    Number(f64),
    Text,
    NotApplicable,
    DontKnow,
    Alternate,
}

impl Given {
    /// `Response::kind_code`.
    pub fn kind_code(self) -> &'static str {
        match self {
            Given::Scale(_) => "scale",
            Given::Ynp(_) => "ynp",
            Given::Checklist => "checklist",
            Given::Number(_) => "number",
            Given::Text => "text",
            Given::NotApplicable => "not_applicable",
            Given::DontKnow => "dont_know",
            Given::Alternate => "alternate",
        }
    }
}

/// One question's answer, kept between assessments so its space is reused.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Slot {
    /// `None`: not answered.
    pub given: Option<Given>,
    /// The best grade of the answer's evidence and of the interview's basis (`Answer::known_as`).
    pub grade: Option<EvidenceGrade>,
    /// A text answer's text, an alternate measure's justification, or a checklist's ticked
    /// option ids as given, joined by `;`.
    pub text: String,
    /// A checklist's ticked options: bit `i % 64` of word `i / 64` for option `i`.
    pub ticked: Vec<u64>,
}

impl Slot {
    /// Backed by a document seen or verified (`Answer::is_evidenced`).
    pub fn is_evidenced(&self) -> bool {
        self.grade.is_some_and(|g| g >= EvidenceGrade::DocumentSeen)
    }

    /// Sets a checklist answer's option `i` (of `n`) as ticked.
    pub fn tick(&mut self, i: usize, n: usize) {
        self.ticked.resize(n.div_ceil(64), 0);
        self.ticked[i / 64] |= 1 << (i % 64);
    }

    fn is_ticked(&self, i: usize) -> bool {
        crate::questionnaire::condition::is_ticked(&self.ticked, i)
    }
}

/// A profile value kept between assessments so its text's space is reused.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileSlot {
    /// `None`: not given; `Some(None)`: text (in `text`); `Some(Some(n))`: a number.
    pub value: Option<Option<f64>>,
    pub text: String,
}

impl ProfileSlot {
    pub fn set_text(&mut self, t: &str) {
        self.text.clear();
        self.text.push_str(t);
        self.value = Some(None);
    }

    pub fn set_number(&mut self, n: f64) {
        self.value = Some(Some(n));
    }

    fn get(&self) -> Option<Plain<'_>> {
        Some(match self.value? {
            None => Plain::Text(&self.text),
            Some(n) => Plain::Number(n),
        })
    }
}

/// A profile value, borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Plain<'a> {
    Number(f64),
    Text(&'a str),
}

impl<'a> Plain<'a> {
    fn of(v: &'a ProfileValue) -> Plain<'a> {
        match v {
            ProfileValue::Number(n) => Plain::Number(*n),
            ProfileValue::Text(s) => Plain::Text(s),
        }
    }

    /// `Assessment::profile_text`: a choice's option id, or a number as written.
    pub fn text(self) -> Cow<'a, str> {
        match self {
            Plain::Text(s) => Cow::Borrowed(s),
            Plain::Number(n) => Cow::Owned(format_number(n)),
        }
    }
}

/// An assessment's answers and profile by index into its questionnaire: what the lean scorer
/// reads. Filled by [`LeanScorer::fill`] from an [`Assessment`], or by the aggregation's reader
/// straight from a file; kept between assessments so its space is reused.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeanAnswers {
    /// One per question of the questionnaire, in questionnaire order (text questions too).
    pub slots: Vec<Slot>,
    /// One per profile field of the questionnaire, in order.
    pub profile: Vec<ProfileSlot>,
    /// Profile values under ids the questionnaire does not have (kept, as the readers keep
    /// them: a condition may name one).
    pub extra: BTreeMap<String, ProfileValue>,
}

impl LeanAnswers {
    /// Clears every answer and profile value, keeping the space, sized for `scorer`.
    pub fn reset(&mut self, scorer: &LeanScorer) {
        self.slots.resize_with(scorer.all.len(), Slot::default);
        for s in &mut self.slots {
            s.given = None;
            s.grade = None;
        }
        self.profile
            .resize_with(scorer.q.profile.len(), ProfileSlot::default);
        for p in &mut self.profile {
            p.value = None;
        }
        self.extra.clear();
    }
}

/// A profile field a rule names, resolved once.
#[derive(Debug, Clone, Copy)]
struct FieldAt<'q> {
    name: &'q str,
    /// Its index among the questionnaire's profile fields.
    profile: Option<usize>,
    /// Its index among the questionnaire's questions.
    question: Option<usize>,
}

/// A condition with its fields resolved (the same tree as [`Condition`]).
enum LeanCondition<'q> {
    All(Vec<LeanCondition<'q>>),
    Any(Vec<LeanCondition<'q>>),
    Not(Box<LeanCondition<'q>>),
    Compare(&'q Comparison, FieldAt<'q>),
}

/// A section's condition, and its questions' slots and conditions.
type LeanSection<'q> = (
    Option<LeanCondition<'q>>,
    Vec<(usize, Option<LeanCondition<'q>>)>,
);

/// A number question's target, resolved once (`scoring::target_for`).
struct TargetAt<'q> {
    target: &'q Target,
    year: FieldAt<'q>,
    field: FieldAt<'q>,
}

/// The scorer of a built-in questionnaire, prepared once per process (the wizard scores after
/// every answer); `None` for any other questionnaire, which is prepared each time.
pub fn prepared(q: &Arc<Questionnaire>) -> Option<&'static LeanScorer<'static>> {
    use crate::questionnaire::catalog::{BUILTIN, as_builtin};
    static PREPARED: [OnceLock<LeanScorer<'static>>; BUILTIN.len()] =
        [const { OnceLock::new() }; BUILTIN.len()];
    let (i, q) = as_builtin(q)?;
    Some(PREPARED[i].get_or_init(|| LeanScorer::new(q)))
}

/// A questionnaire prepared for scoring many assessments.
pub struct LeanScorer<'q> {
    q: &'q Questionnaire,
    /// Every question, in questionnaire order: what each of [`LeanAnswers::slots`] answers.
    all: Vec<&'q Question>,
    /// Scored (non-text) questions in questionnaire order.
    questions: Vec<LeanQuestion<'q>>,
    /// Every question's index, by id.
    by_id: Vec<(&'q str, usize)>,
    /// Per section: its condition, and its questions' indexes and conditions.
    sections: Vec<LeanSection<'q>>,
    /// Per dimension: whether it counts toward the overall score, and its weight by a profile
    /// choice (`Dimension::weight_for`).
    in_overall: Vec<bool>,
    weight_by: Vec<Option<(FieldAt<'q>, &'q BTreeMap<String, f64>)>>,
    /// Bands lowest first.
    bands: Vec<&'q Band>,
    /// The security rule's dimension, by index.
    security: Option<usize>,
    /// Red flags with the index of the band they cap to.
    red_flags: Vec<(LeanCondition<'q>, usize)>,
}

struct LeanQuestion<'q> {
    question: &'q Question,
    /// Its slot.
    slot: usize,
    /// (dimension index, weight): the first contribution to each known dimension, as the full
    /// scorer takes it.
    contributes: Vec<(usize, f64)>,
    target: Option<TargetAt<'q>>,
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
    /// Per question (every slot): not shown (working space).
    hidden: Vec<bool>,
}

impl LeanScore {
    /// The progress count a person answering sees (the wizard's): (questions shown with an
    /// answer of any kind, questions shown), every kind of question counted, discussion (text)
    /// questions too, where [`LeanScore::coverage`] counts scored questions only. "Shown" is what
    /// the profile and skip logic leave visible (`Assessment::hidden_questions`). For the answers
    /// `a` this score was made from.
    pub fn shown(&self, a: &LeanAnswers) -> (usize, usize) {
        let shown = || {
            self.hidden
                .iter()
                .zip(&a.slots)
                .filter(|(hidden, _)| !**hidden)
        };
        (
            shown().filter(|(_, s)| s.given.is_some()).count(),
            shown().count(),
        )
    }

    /// Whether the question of this slot (its place among all the questionnaire's questions) is
    /// shown: `Assessment::hidden_questions` by index.
    pub fn is_shown(&self, slot: usize) -> bool {
        !self.hidden[slot]
    }
}

impl<'q> LeanScorer<'q> {
    pub fn new(q: &'q Questionnaire) -> LeanScorer<'q> {
        let dim_index = |id: &str| q.dimensions.iter().position(|d| d.id == id);
        let mut by_id: Vec<(&str, usize)> = q
            .questions()
            .enumerate()
            .map(|(i, (_, x))| (x.id.as_str(), i))
            .collect();
        by_id.sort_by_key(|(id, _)| *id);
        let field = |name: &'q str| FieldAt {
            name,
            profile: q.profile.iter().position(|f| f.id == name),
            question: by_id
                .binary_search_by_key(&name, |(id, _)| id)
                .ok()
                .map(|i| by_id[i].1),
        };
        let compile = |c: &'q Condition| LeanCondition::new(c, &field);
        let questions: Vec<LeanQuestion> = q
            .questions()
            .map(|(_, question)| question)
            .enumerate()
            .filter(|(_, question)| question.kind.is_scored())
            .map(|(slot, question)| {
                let mut contributes: Vec<(usize, f64)> = Vec::new();
                for c in &question.contributes {
                    if let Some(i) = dim_index(&c.to)
                        && !contributes.iter().any(|(j, _)| *j == i)
                    {
                        contributes.push((i, c.weight));
                    }
                }
                let target = question.target.as_ref().and_then(|tid| {
                    let targets = q.targets.as_ref()?;
                    Some(TargetAt {
                        target: q.target(tid)?,
                        year: field(&targets.year_field),
                        field: field(&q.target(tid)?.field),
                    })
                });
                LeanQuestion {
                    question,
                    slot,
                    contributes,
                    target,
                }
            })
            .collect();
        let mut at = 0;
        let sections = q
            .sections
            .iter()
            .map(|s| {
                let qs = s
                    .questions
                    .iter()
                    .map(|x| {
                        at += 1;
                        (at - 1, x.show_if.as_ref().map(compile))
                    })
                    .collect();
                (s.show_if.as_ref().map(compile), qs)
            })
            .collect();
        let bands = q.bands_sorted();
        let rule = q.security_rule.as_ref();
        LeanScorer {
            q,
            all: q.questions().map(|(_, x)| x).collect(),
            questions,
            in_overall: q
                .dimensions
                .iter()
                .map(|d| d.group == q.overall.group)
                .collect(),
            weight_by: q
                .dimensions
                .iter()
                .map(|d| d.weight_by.as_ref().map(|b| (field(&b.field), &b.values)))
                .collect(),
            security: rule.and_then(|r| dim_index(&r.dimension)),
            red_flags: rule
                .map(|r| {
                    r.red_flags
                        .iter()
                        .map(|f| {
                            let cap = bands.iter().position(|b| b.id == f.cap_band).unwrap_or(0);
                            (compile(&f.when), cap)
                        })
                        .collect()
                })
                .unwrap_or_default(),
            sections,
            by_id,
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

    /// The index (in questionnaire order, the slot of [`LeanAnswers`]) of the question `id`.
    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.question_index_after(id, &mut 0)
    }

    /// [`Self::question_index`] for ids that come in order, as a saved file's answers do: the
    /// question after the one found last (`at`, updated) is tried first, then a search.
    pub fn question_index_after(&self, id: &str, at: &mut usize) -> Option<usize> {
        let i = match self.by_id.get(*at) {
            Some((k, _)) if *k == id => *at,
            _ => self.by_id.binary_search_by_key(&id, |(k, _)| k).ok()?,
        };
        *at = i + 1;
        Some(self.by_id[i].1)
    }

    /// The question of slot `i` (questionnaire order).
    pub fn question_at(&self, i: usize) -> &'q Question {
        self.all[i]
    }

    /// The index of the profile field `id`.
    pub fn profile_index(&self, id: &str) -> Option<usize> {
        self.q.profile.iter().position(|f| f.id == id)
    }

    /// The profile value `id` of `a` (`Assessment::profile`).
    pub fn profile<'a>(&self, a: &'a LeanAnswers, id: &str) -> Option<Plain<'a>> {
        let field = FieldAt {
            name: id,
            profile: self.profile_index(id),
            question: None,
        };
        self.profile_at(a, &field)
    }

    /// `Questionnaire::band_index` over the bands sorted once.
    pub fn band_index(&self, score: f64) -> Option<usize> {
        let last = self.bands.len().checked_sub(1)?;
        self.bands
            .iter()
            .position(|b| score >= b.min && (score < b.max || (score <= b.max && b.max >= 100.0)))
            .or(Some(if score < self.bands[0].min { 0 } else { last }))
    }

    /// Puts `a`'s answers and profile into `out`'s slots (answers to questions the questionnaire
    /// does not have are left out, as scoring leaves them out).
    pub fn fill(&self, a: &Assessment, out: &mut LeanAnswers) {
        out.reset(self);
        for (id, v) in &a.profile {
            match self.profile_index(id) {
                Some(i) => match v {
                    ProfileValue::Text(t) => out.profile[i].set_text(t),
                    ProfileValue::Number(n) => out.profile[i].set_number(*n),
                },
                None => {
                    out.extra.insert(id.clone(), v.clone());
                }
            }
        }
        for (id, answer) in &a.answers {
            let Some(i) = self.question_index(id) else {
                continue;
            };
            let slot = &mut out.slots[i];
            slot.grade = answer.known_as();
            slot.text.clear();
            slot.given = Some(match &answer.response {
                Response::Scale { level } => Given::Scale(*level),
                Response::Ynp { choice } => Given::Ynp(*choice),
                Response::Checklist { selected } => {
                    slot.ticked.clear();
                    let options = &self.all[i].options;
                    for (o, opt) in options.iter().enumerate() {
                        if selected.contains(&opt.id) {
                            slot.tick(o, options.len());
                        }
                    }
                    slot.text.push_str(&selected.join(";"));
                    Given::Checklist
                }
                Response::Number { value } => Given::Number(*value),
                Response::Text { text } => {
                    slot.text.push_str(text);
                    Given::Text
                }
                Response::NotApplicable => Given::NotApplicable,
                Response::DontKnow => Given::DontKnow,
                Response::Alternate { justification } => {
                    slot.text.push_str(justification);
                    Given::Alternate
                }
            });
        }
    }

    /// Scores `a`, reusing `out`'s space.
    pub fn score_into(&self, a: &LeanAnswers, out: &mut LeanScore) {
        self.hidden_into(a, &mut out.hidden);
        let n = self.in_overall.len();
        out.questions.clear();
        out.sums.clear();
        out.sums.resize(n, (0.0, 0.0, 0.0));
        out.coverage = Coverage::default();
        for lq in &self.questions {
            let (status, value, evidenced) = if out.hidden[lq.slot] {
                (Status::Hidden, None, false)
            } else {
                self.answer_value(a, lq)
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
                .zip(&self.weight_by)
                .zip(out.claimed.iter().zip(&out.evidenced))
                .filter(|(((in_overall, _), _), (c, _))| **in_overall && c.is_some())
                .map(|(((_, d), by), (c, e))| {
                    let w = by
                        .and_then(|(f, values)| values.get(&*self.profile_at(a, &f)?.text()))
                        .copied()
                        .unwrap_or(d.weight);
                    (w, c, e)
                })
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
        self.security_rule(a, out);
    }

    /// Scores `a` into a new [`LeanScore`].
    pub fn score(&self, a: &Assessment) -> LeanScore {
        let mut answers = LeanAnswers::default();
        self.fill(a, &mut answers);
        self.score_answers(&answers)
    }

    /// Scores `a` into a new [`LeanScore`].
    pub fn score_answers(&self, a: &LeanAnswers) -> LeanScore {
        let mut out = LeanScore::default();
        self.score_into(a, &mut out);
        out
    }

    /// `scoring::answer_value` over a slot.
    fn answer_value(&self, a: &LeanAnswers, lq: &LeanQuestion) -> (Status, Option<f64>, bool) {
        let slot = &a.slots[lq.slot];
        let Some(given) = slot.given else {
            return (Status::Unanswered, None, false);
        };
        let evidenced = slot.is_evidenced();
        let question = lq.question;
        let value = match given {
            Given::NotApplicable => return (Status::NotApplicable, None, evidenced),
            Given::DontKnow => return (Status::DontKnow, Some(0.0), evidenced),
            Given::Alternate => 1.0,
            Given::Scale(level) => f64::from(level).min(4.0) / 4.0,
            Given::Ynp(choice) => ynp_value(choice),
            Given::Checklist => {
                let total: f64 = question.options.iter().map(|o| o.points).sum();
                let got: f64 = question
                    .options
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| slot.is_ticked(*i))
                    .map(|(_, o)| o.points)
                    .sum();
                if total > 0.0 { got / total } else { 0.0 }
            }
            Given::Number(value) => {
                if let Some(t) = lq.target.as_ref().and_then(|t| self.target_value(a, t)) {
                    (value / t).clamp(0.0, 1.0)
                } else if let Some(v) = threshold_value(question, value) {
                    v
                } else {
                    return (Status::NoTarget, None, evidenced);
                }
            }
            Given::Text => return (Status::NotApplicable, None, evidenced),
        };
        (Status::Answered, Some(value), evidenced)
    }

    /// `scoring::target_for`'s value.
    fn target_value(&self, a: &LeanAnswers, t: &TargetAt) -> Option<f64> {
        let year = self.profile_at(a, &t.year)?.text();
        let by = t.target.values.get(&*year)?;
        self.profile_at(a, &t.field)
            .and_then(|k| by.get(&*k.text()))
            .or_else(|| by.get("*"))
            .copied()
    }

    /// The profile value a rule names (`Assessment::profile`).
    fn profile_at<'a>(&self, a: &'a LeanAnswers, f: &FieldAt) -> Option<Plain<'a>> {
        match f.profile {
            Some(i) => a.profile.get(i)?.get(),
            None if a.extra.is_empty() => None,
            None => a.extra.get(f.name).map(Plain::of),
        }
    }

    /// `AssessmentFacts::fact`: the profile value, else the answer unless its question is hidden.
    fn fact<'a>(&'a self, a: &'a LeanAnswers, hidden: &[bool], f: &FieldAt) -> FactRef<'a> {
        if let Some(v) = self.profile_at(a, f) {
            return match v {
                Plain::Text(s) => FactRef::Text(s),
                Plain::Number(n) => FactRef::Number(n),
            };
        }
        let Some(i) = f.question else {
            return FactRef::Unanswered;
        };
        if hidden[i] {
            return FactRef::Unanswered;
        }
        let slot = &a.slots[i];
        match slot.given {
            None => FactRef::Unanswered,
            Some(Given::Scale(level)) => FactRef::Number(level as f64),
            Some(Given::Ynp(choice)) => FactRef::Text(choice.code()),
            Some(Given::Checklist) => FactRef::Set(SetRef::Ticked {
                bits: &slot.ticked,
                options: &self.all[i].options,
            }),
            Some(Given::Number(value)) => FactRef::Number(value),
            Some(Given::Text) => FactRef::Text(&slot.text),
            Some(Given::DontKnow) => FactRef::DontKnow,
            Some(Given::NotApplicable | Given::Alternate) => FactRef::NoValue,
        }
    }

    fn holds(&self, c: &LeanCondition, a: &LeanAnswers, hidden: &[bool]) -> bool {
        match c {
            LeanCondition::All(all) => all.iter().all(|c| self.holds(c, a, hidden)),
            LeanCondition::Any(any) => any.iter().any(|c| self.holds(c, a, hidden)),
            LeanCondition::Not(c) => !self.holds(c, a, hidden),
            LeanCondition::Compare(cmp, f) => cmp.holds_ref(self.fact(a, hidden, f)),
        }
    }

    /// `Assessment::hidden_questions`, by slot: decided in questionnaire order, so a hidden
    /// question's stored answer does not open later questions.
    fn hidden_into(&self, a: &LeanAnswers, hidden: &mut Vec<bool>) {
        hidden.clear();
        hidden.resize(self.all.len(), false);
        for (show_if, questions) in &self.sections {
            let section_shown = show_if.as_ref().is_none_or(|c| self.holds(c, a, hidden));
            for (i, show_if) in questions {
                let shown =
                    section_shown && show_if.as_ref().is_none_or(|c| self.holds(c, a, hidden));
                if !shown {
                    hidden[*i] = true;
                }
            }
        }
    }

    /// The full scorer's security rule, with bands by index.
    fn security_rule(&self, a: &LeanAnswers, out: &mut LeanScore) {
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
            for (when, cap) in &self.red_flags {
                if self.holds(when, a, &out.hidden) {
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

impl<'q> LeanCondition<'q> {
    fn new(c: &'q Condition, field: &impl Fn(&'q str) -> FieldAt<'q>) -> LeanCondition<'q> {
        match c {
            Condition::All(a) => {
                LeanCondition::All(a.all.iter().map(|c| LeanCondition::new(c, field)).collect())
            }
            Condition::Any(a) => {
                LeanCondition::Any(a.any.iter().map(|c| LeanCondition::new(c, field)).collect())
            }
            Condition::Not(n) => LeanCondition::Not(Box::new(LeanCondition::new(&n.not, field))),
            Condition::Compare(cmp) => LeanCondition::Compare(cmp, field(&cmp.field)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::{Answer, Response};
    use crate::i18n::Text;
    use crate::questionnaire::{Catalog, RedFlag};

    /// The wizard's prepared scorer is the one of the process-wide built-in parse, and scores
    /// as a scorer prepared afresh; another parse of the same file gets none.
    #[test]
    fn a_builtin_questionnaire_is_prepared_once_and_scores_alike() {
        use crate::questionnaire::catalog::BUILTIN;
        let c = Catalog::builtin();
        for (name, text) in BUILTIN {
            let id = name.trim_end_matches(".json");
            let q = c.find(id, None).unwrap().questionnaire.clone();
            let kept = prepared(&q).expect("a built-in questionnaire");
            assert!(std::ptr::eq(kept, prepared(&q).unwrap()), "prepared once");
            let mut a = Assessment::new(&q, "sha256:x", "2026-01-01T00:00:00Z");
            for (k, (_, question)) in q.questions().enumerate().filter(|(k, _)| k % 3 == 0) {
                let r = match question.kind {
                    crate::questionnaire::QuestionKind::Scale => Response::Scale { level: 2 },
                    crate::questionnaire::QuestionKind::Ynp => Response::Ynp {
                        choice: Ynp::Partly,
                    },
                    _ => continue,
                };
                let _ = a.set_response(&q, &question.id, r, &format!("t{k}"));
            }
            let (x, y) = (kept.score(&a), LeanScorer::new(&q).score(&a));
            assert_eq!((x.headline, x.headline_band), (y.headline, y.headline_band));
            let other = Arc::new(crate::questionnaire::load::parse(text, name).unwrap());
            assert!(prepared(&other).is_none(), "not the built-in parse");
        }
    }

    /// The workshop questionnaire with conditions of every kind the built-in ones lack: a
    /// checklist's ticked option, a text answer, a scale answer decided after its own question,
    /// "answered", and a profile value the questionnaire does not define; and a red flag on a
    /// ticked option.
    fn conditioned() -> Questionnaire {
        let catalog = Catalog::builtin();
        let mut q = Questionnaire::clone(&catalog.find("workshop", None).unwrap().questionnaire);
        let cond = |j: &str| Some(serde_json::from_str::<Condition>(j).unwrap());
        for (id, c) in [
            ("ws.1", r#"{"field":"ws.17","includes":"no_paper"}"#),
            ("ws.2", r#"{"field":"ws.20","eq":"yes"}"#),
            ("ws.3", r#"{"field":"ws.1","gte":2}"#),
            ("ws.4", r#"{"not":{"field":"extra","eq":"1"}}"#),
            ("ws.8", r#"{"field":"ws.10","in":["no","dont_know"]}"#),
            ("ws.9", r#"{"field":"ws.17","answered":true}"#),
        ] {
            let s = q.sections.iter_mut().flat_map(|s| &mut s.questions);
            s.into_iter().find(|x| x.id == id).unwrap().show_if = cond(c);
        }
        let lowest = q.bands_sorted()[0].id.clone();
        q.security_rule.as_mut().unwrap().red_flags.push(RedFlag {
            id: "none_ticked".into(),
            when: cond(r#"{"field":"ws.17","includes":"none"}"#).unwrap(),
            cap_band: lowest,
            message: Text::new("x", "x"),
        });
        q
    }

    /// Conditions over slots decide as the full scorer's facts decide, for every kind of fact.
    #[test]
    fn conditions_over_slots_decide_as_the_full_scorer() {
        let q = conditioned();
        let scorer = LeanScorer::new(&q);
        let now = "2026-11-24T10:00:00Z";
        let mut compared = 0;
        let mut hidden_seen = [0; 2];
        for ticked in [
            vec![],
            vec!["no_paper"],
            vec!["none"],
            vec!["no_cash", "no_paper"],
        ] {
            for text in [None, Some("yes"), Some("no")] {
                for (level, extra, choice) in [
                    (1, None, Ynp::No),
                    (3, Some("1"), Ynp::Yes),
                    (4, Some("0"), Ynp::Partly),
                ] {
                    let mut a = Assessment::new(&q, "sha256:x", now);
                    a.set_profile(&q, "org_type", ProfileValue::Text("province".into()), now)
                        .unwrap();
                    if let Some(e) = extra {
                        a.profile
                            .insert("extra".into(), ProfileValue::Text(e.into()));
                    }
                    for (_, x) in q.questions() {
                        let r = match x.kind {
                            crate::questionnaire::QuestionKind::Scale => Response::Scale { level },
                            crate::questionnaire::QuestionKind::Ynp => Response::Ynp { choice },
                            _ => continue,
                        };
                        a.set_response(&q, &x.id, r, now).unwrap();
                    }
                    if !ticked.is_empty() {
                        let selected = ticked.iter().map(|s| s.to_string()).collect();
                        let r = Response::Checklist { selected };
                        a.set_response(&q, "ws.17", r, now).unwrap();
                    }
                    if let Some(t) = text {
                        let r = Response::Text { text: t.into() };
                        a.answers.insert("ws.20".into(), Answer::new(r, now));
                    }
                    let lean = scorer.score(&a);
                    let full = super::super::score(&q, &a);
                    let statuses: Vec<Status> = full.questions.iter().map(|s| s.status).collect();
                    let lean_statuses: Vec<Status> =
                        lean.questions.iter().map(|s| s.status).collect();
                    assert_eq!(
                        lean_statuses, statuses,
                        "{ticked:?} {text:?} {level} {extra:?}"
                    );
                    assert_eq!(lean.overall, full.overall);
                    assert_eq!(lean.headline, full.headline);
                    assert_eq!(
                        lean.headline_band.map(|i| scorer.bands()[i].id.clone()),
                        full.headline_band
                    );
                    for s in &lean_statuses[..4] {
                        hidden_seen[usize::from(*s == Status::Hidden)] += 1;
                    }
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, 36);
        assert!(
            hidden_seen[0] > 20 && hidden_seen[1] > 20,
            "{hidden_seen:?}"
        );
    }
}
