//! The fast reader: a current-format file saved against the current questionnaire, read straight
//! into the lean scorer's slots ([`LeanAnswers`]: each answer in its question's slot, the profile
//! by field), with no map, no answer and no id string built.
//!
//! It takes the same fields with the same types as `store::AssessmentFileIn` (what the full
//! reader accepts). Comments, review marks, times and evidence details are checked for their type
//! and not kept; the stored scores are ignored by both readers. It never takes a file the full
//! reader refuses or would read differently (a parity test over a mutation corpus checks it): a
//! file that is unusual in any way (another format or version of the questionnaire, answers set
//! aside, an answer that does not fit its question, a key with an escape, fields out of the
//! saved order, an odd but valid form) is an error here, and goes the full way (`store::parse`),
//! which gives the real answer or the located error.

use super::{QCtx, StrCheck};
use crate::assessment::{EvidenceGrade, FORMAT_VERSION, QuestionnaireRef, Response, Ynp};
use crate::questionnaire::{CheckOption, Question, QuestionKind};
use crate::scoring::lean::{Given, LeanAnswers, LeanScorer, ProfileSlot, Slot};
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

/// Reads `text` into `out[i]`, `i` being the index in `ctxs` of the file's questionnaire, and
/// returns `i`; `None` when the file must go the full way (`out[i]` is then left half filled).
pub(super) fn read(ctxs: &[QCtx], text: &str, out: &mut Vec<LeanAnswers>) -> Option<usize> {
    out.resize_with(ctxs.len(), LeanAnswers::default);
    let mut de = serde_json::Deserializer::from_str(text);
    let ci = FileSeed { ctxs, out }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(ci)
}

/// A seed that is its own visitor: read with `Deserializer::$method(self)`.
macro_rules! seed_by_itself {
    ($ty:ty, $method:ident, $value:ty) => {
        impl<'de> DeserializeSeed<'de> for $ty {
            type Value = $value;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<$value, D::Error> {
                d.$method(self)
            }
        }
    };
}

/// Marks a field as seen; a field given twice is refused, as the full reader refuses it.
fn once<E: Error>(seen: &mut u32, bit: u32) -> Result<(), E> {
    if *seen & bit != 0 {
        return Err(E::custom("duplicate field"));
    }
    *seen |= bit;
    Ok(())
}

fn missing<E: Error>() -> E {
    E::custom("missing field")
}

struct FileSeed<'a, 'q> {
    ctxs: &'a [QCtx<'q>],
    out: &'a mut [LeanAnswers],
}

seed_by_itself!(FileSeed<'_, '_>, deserialize_map, usize);

impl<'de> Visitor<'de> for FileSeed<'_, '_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an assessment file")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<usize, A::Error> {
        const REQUIRED: u32 = 0b11_1111;
        let mut seen = 0;
        let mut ci: Option<usize> = None;
        // The questionnaire comes before the profile and the answers, as files are saved; a file
        // in another order goes the full way.
        let scorer = |ci: Option<usize>| -> Result<(usize, &LeanScorer), A::Error> {
            let ci = ci.ok_or_else(|| A::Error::custom("questionnaire not yet known"))?;
            Ok((ci, &self.ctxs[ci].scorer))
        };
        while let Some(k) = m.next_key::<&'de str>()? {
            match k {
                "format_version" => {
                    once(&mut seen, 1)?;
                    if m.next_value::<u32>()? != FORMAT_VERSION {
                        return Err(A::Error::custom("another format"));
                    }
                }
                "questionnaire" => {
                    once(&mut seen, 2)?;
                    let r: QuestionnaireRef = m.next_value()?;
                    let i = self
                        .ctxs
                        .iter()
                        .position(|c| c.q.id == r.id)
                        .ok_or_else(|| A::Error::custom("unknown questionnaire"))?;
                    // Answers to another version are matched by `store::parse`.
                    if r.hash != self.ctxs[i].entry.hash {
                        return Err(A::Error::custom("another version"));
                    }
                    self.out[i].reset(&self.ctxs[i].scorer);
                    ci = Some(i);
                }
                "profile" => {
                    once(&mut seen, 4)?;
                    let (i, scorer) = scorer(ci)?;
                    m.next_value_seed(ProfileSeed {
                        scorer,
                        out: &mut self.out[i],
                    })?;
                }
                "answers" => {
                    once(&mut seen, 8)?;
                    let (i, scorer) = scorer(ci)?;
                    m.next_value_seed(AnswersSeed {
                        scorer,
                        out: &mut self.out[i],
                    })?;
                }
                "created_at" => {
                    once(&mut seen, 16)?;
                    m.next_value::<StrCheck>()?;
                }
                "updated_at" => {
                    once(&mut seen, 32)?;
                    m.next_value::<StrCheck>()?;
                }
                "orphaned" => {
                    once(&mut seen, 64)?;
                    // Answers set aside earlier may come back: `store::parse` decides.
                    if !m.next_value::<BTreeMap<String, IgnoredAny>>()?.is_empty() {
                        return Err(A::Error::custom("answers set aside"));
                    }
                }
                "interview" => {
                    once(&mut seen, 128)?;
                    m.next_value::<Option<crate::assessment::Interview>>()?;
                }
                "section_seconds" => {
                    once(&mut seen, 256)?;
                    m.next_value::<BTreeMap<String, u64>>()?;
                }
                "seeded_from" => {
                    once(&mut seen, 512)?;
                    m.next_value::<Option<crate::assessment::SeededFrom>>()?;
                }
                "scores" => {
                    once(&mut seen, 1024)?;
                    m.next_value::<IgnoredAny>()?;
                }
                _ => return Err(A::Error::custom("unknown field")),
            }
        }
        if seen & REQUIRED != REQUIRED {
            return Err(missing());
        }
        ci.ok_or_else(missing)
    }
}

/// The profile: fields of the questionnaire into their slots, others kept aside by id (as the
/// full reader keeps them).
struct ProfileSeed<'a, 'q> {
    scorer: &'a LeanScorer<'q>,
    out: &'a mut LeanAnswers,
}

seed_by_itself!(ProfileSeed<'_, '_>, deserialize_map, ());

impl<'de> Visitor<'de> for ProfileSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of profile values")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<(), A::Error> {
        while let Some(k) = m.next_key::<&'de str>()? {
            match self.scorer.profile_index(k) {
                Some(i) => m.next_value_seed(ProfileValueSeed(&mut self.out.profile[i]))?,
                None => {
                    let mut slot = ProfileSlot::default();
                    m.next_value_seed(ProfileValueSeed(&mut slot))?;
                    let v = match slot.value {
                        Some(Some(n)) => crate::assessment::ProfileValue::Number(n),
                        _ => crate::assessment::ProfileValue::Text(slot.text),
                    };
                    // A key given twice keeps its last value, as in a map.
                    self.out.extra.insert(k.to_string(), v);
                }
            }
        }
        Ok(())
    }
}

/// `ProfileValue` (a number or a string) into a reused slot.
struct ProfileValueSeed<'a>(&'a mut ProfileSlot);

seed_by_itself!(ProfileValueSeed<'_>, deserialize_any, ());

impl Visitor<'_> for ProfileValueSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a string")
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.0.set_number(v);
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.0.set_number(v as f64);
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.0.set_number(v as f64);
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.set_text(v);
        Ok(())
    }
}

/// The answers: each into its question's slot; an answer to a question the questionnaire does
/// not have is set aside by the full reader, so the file goes that way.
struct AnswersSeed<'a, 'q> {
    scorer: &'a LeanScorer<'q>,
    out: &'a mut LeanAnswers,
}

seed_by_itself!(AnswersSeed<'_, '_>, deserialize_map, ());

impl<'de> Visitor<'de> for AnswersSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of answers")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<(), A::Error> {
        let mut at = 0;
        while let Some(k) = m.next_key::<&'de str>()? {
            let i = self
                .scorer
                .question_index_after(k, &mut at)
                .ok_or_else(|| A::Error::custom("no such question"))?;
            // A key given twice keeps its last answer, as in a map (the slot is refilled).
            m.next_value_seed(AnswerSeed {
                question: self.scorer.question_at(i),
                slot: &mut self.out.slots[i],
            })?;
        }
        Ok(())
    }
}

/// One answer (`Answer`'s fields and types, unknown fields refused), into its slot, checked
/// against its question as `store::parse` checks it.
struct AnswerSeed<'a> {
    question: &'a Question,
    slot: &'a mut Slot,
}

seed_by_itself!(AnswerSeed<'_>, deserialize_map, ());

impl<'de> Visitor<'de> for AnswerSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an answer")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<(), A::Error> {
        let slot = self.slot;
        slot.given = None;
        slot.text.clear();
        slot.ticked.clear();
        let mut seen = 0;
        let mut evidence: Option<EvidenceGrade> = None;
        let mut basis: Option<EvidenceGrade> = None;
        let mut given = None;
        while let Some(k) = m.next_key::<&'de str>()? {
            match k {
                "response" => {
                    once(&mut seen, 1)?;
                    given = Some(m.next_value_seed(ResponseSeed {
                        question: self.question,
                        slot: &mut *slot,
                    })?);
                }
                "answered_at" => {
                    once(&mut seen, 2)?;
                    m.next_value::<StrCheck>()?;
                }
                "comment" => {
                    once(&mut seen, 4)?;
                    m.next_value::<StrCheck>()?;
                }
                "evidence" => {
                    once(&mut seen, 8)?;
                    evidence = m.next_value::<BestGrade>()?.0;
                }
                "marked_for_review" => {
                    once(&mut seen, 16)?;
                    m.next_value::<bool>()?;
                }
                "respondent" => {
                    once(&mut seen, 32)?;
                    m.next_value::<Option<StrCheck>>()?;
                }
                // Interview mode's basis: counts as evidence of its grade.
                "basis" => {
                    once(&mut seen, 64)?;
                    basis = m.next_value()?;
                }
                "carried" => {
                    once(&mut seen, 128)?;
                    m.next_value::<bool>()?;
                }
                _ => return Err(A::Error::custom("unknown field")),
            }
        }
        if seen & 3 != 3 {
            return Err(missing());
        }
        slot.given = given;
        slot.grade = evidence.max(basis);
        Ok(())
    }
}

/// The best grade of a list of evidence items (`Vec<Evidence>`'s form, nothing kept but the
/// grade).
struct BestGrade(Option<EvidenceGrade>);

impl<'de> Deserialize<'de> for BestGrade {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BestGrade;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of evidence")
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<BestGrade, S::Error> {
                let mut best = None;
                while let Some(e) = s.next_element::<super::FastEvidence>()? {
                    best = best.max(Some(e.grade));
                }
                Ok(BestGrade(best))
            }
        }
        d.deserialize_seq(V)
    }
}

/// `Response` read field by field into the slot (its strings into [`Slot::text`], ticked options
/// into [`Slot::ticked`]) and checked against the question (`Response::check`). Unknown fields
/// are ignored, as the full reader ignores them; a field given twice is refused.
struct ResponseSeed<'a> {
    question: &'a Question,
    slot: &'a mut Slot,
}

seed_by_itself!(ResponseSeed<'_>, deserialize_map, Given);

impl<'de> Visitor<'de> for ResponseSeed<'_> {
    type Value = Given;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a response object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Given, A::Error> {
        let (question, slot) = (self.question, self.slot);
        let mut seen = 0;
        let mut kind: Option<&'de str> = None;
        let mut level: Option<u8> = None;
        let mut choice: Option<Ynp> = None;
        let mut value: Option<f64> = None;
        let mut ticked: Option<Ticked> = None;
        // Which of the string fields fills `slot.text` (one only: a response with two of them
        // goes the full way).
        let mut text_of: Option<&str> = None;
        let mut text_into = |of: &'static str| match text_of.replace(of) {
            None => Ok(()),
            Some(_) => Err(A::Error::custom("two string fields")),
        };
        while let Some(k) = m.next_key::<&'de str>()? {
            match k {
                "kind" => {
                    once(&mut seen, 1)?;
                    kind = Some(m.next_value()?);
                }
                "level" => {
                    once(&mut seen, 2)?;
                    level = Some(m.next_value()?);
                }
                "choice" => {
                    once(&mut seen, 4)?;
                    choice = Some(m.next_value()?);
                }
                "value" => {
                    once(&mut seen, 8)?;
                    value = Some(m.next_value()?);
                }
                "selected" => {
                    once(&mut seen, 16)?;
                    text_into("selected")?;
                    ticked = Some(m.next_value_seed(TickedSeed {
                        options: &question.options,
                        slot: &mut *slot,
                    })?);
                }
                "text" => {
                    once(&mut seen, 32)?;
                    text_into("text")?;
                    m.next_value_seed(TextSeed(&mut slot.text))?;
                }
                "justification" => {
                    once(&mut seen, 64)?;
                    text_into("justification")?;
                    m.next_value_seed(TextSeed(&mut slot.text))?;
                }
                _ => {
                    m.next_value::<IgnoredAny>()?;
                }
            }
        }
        let text_is = |of: &str| {
            (text_of == Some(of))
                .then_some(())
                .ok_or_else(missing::<A::Error>)
        };
        let given = match kind.ok_or_else(missing)? {
            "scale" => Given::Scale(level.ok_or_else(missing)?),
            "ynp" => Given::Ynp(choice.ok_or_else(missing)?),
            "checklist" => {
                let t = ticked.ok_or_else(missing)?;
                // `Response::check` of a checklist: every id an option, an exclusive one alone.
                if question.kind != QuestionKind::Checklist || t.unknown || (t.exclusive && t.n > 1)
                {
                    return Err(A::Error::custom("does not fit the question"));
                }
                Given::Checklist
            }
            "number" => Given::Number(value.ok_or_else(missing)?),
            "text" => {
                text_is("text")?;
                Given::Text
            }
            "not_applicable" => Given::NotApplicable,
            "dont_know" => Given::DontKnow,
            "alternate" => {
                text_is("justification")?;
                Given::Alternate
            }
            _ => return Err(A::Error::custom("unknown kind")),
        };
        // Every other kind is checked by `Response::check` itself (a string lent to it).
        let fits = match given {
            Given::Checklist => true,
            Given::Text | Given::Alternate => {
                let lent = std::mem::take(&mut slot.text);
                let r = match given {
                    Given::Text => Response::Text { text: lent },
                    _ => Response::Alternate {
                        justification: lent,
                    },
                };
                let fits = r.check(question).is_ok();
                if let Response::Text { text: back }
                | Response::Alternate {
                    justification: back,
                } = r
                {
                    slot.text = back;
                }
                fits
            }
            Given::Scale(level) => Response::Scale { level }.check(question).is_ok(),
            Given::Ynp(choice) => Response::Ynp { choice }.check(question).is_ok(),
            Given::Number(value) => Response::Number { value }.check(question).is_ok(),
            Given::NotApplicable => Response::NotApplicable.check(question).is_ok(),
            Given::DontKnow => Response::DontKnow.check(question).is_ok(),
        };
        if !fits {
            return Err(A::Error::custom("does not fit the question"));
        }
        Ok(given)
    }
}

/// What a checklist's `selected` held.
struct Ticked {
    /// Ids given (duplicates included, as `Response::check` counts them).
    n: usize,
    /// An id that is not one of the options.
    unknown: bool,
    /// An exclusive option was ticked.
    exclusive: bool,
}

/// `selected` (a list of strings) into the slot: ids joined by `;` into `text`, options into
/// `ticked`.
struct TickedSeed<'a> {
    options: &'a [CheckOption],
    slot: &'a mut Slot,
}

seed_by_itself!(TickedSeed<'_>, deserialize_seq, Ticked);

impl<'de> Visitor<'de> for TickedSeed<'_> {
    type Value = Ticked;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of option ids")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<Ticked, S::Error> {
        let mut t = Ticked {
            n: 0,
            unknown: false,
            exclusive: false,
        };
        let options = self.options;
        let slot = self.slot;
        slot.ticked.clear();
        while s
            .next_element_seed(OneId {
                options,
                slot: &mut *slot,
                t: &mut t,
            })?
            .is_some()
        {}
        Ok(t)
    }
}

struct OneId<'a> {
    options: &'a [CheckOption],
    slot: &'a mut Slot,
    t: &'a mut Ticked,
}

seed_by_itself!(OneId<'_>, deserialize_str, ());

impl Visitor<'_> for OneId<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an option id")
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        if self.t.n > 0 {
            self.slot.text.push(';');
        }
        self.slot.text.push_str(v);
        self.t.n += 1;
        match self.options.iter().position(|o| o.id == v) {
            Some(i) => {
                self.slot.tick(i, self.options.len());
                self.t.exclusive |= self.options[i].exclusive;
            }
            None => self.t.unknown = true,
        }
        Ok(())
    }
}

/// A string into a reused one.
struct TextSeed<'a>(&'a mut String);

seed_by_itself!(TextSeed<'_>, deserialize_str, ());

impl Visitor<'_> for TextSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.clear();
        self.0.push_str(v);
        Ok(())
    }
}
