//! An assessment: the organisation profile and the answers to one questionnaire.

use crate::questionnaire::condition::{Fact, Facts};
use crate::questionnaire::{ProfileKind, Question, QuestionKind, Questionnaire};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Current assessment file format. Older ones are migrated on load (see `migrate`).
pub const FORMAT_VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuestionnaireRef {
    pub id: String,
    pub version: String,
    /// `content_hash` of the questionnaire the answers were given to.
    pub hash: String,
}

/// A profile value: text or a choice's option id, or a number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ProfileValue {
    Number(f64),
    Text(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ynp {
    Yes,
    Partly,
    No,
}

impl Ynp {
    pub fn code(self) -> &'static str {
        match self {
            Ynp::Yes => "yes",
            Ynp::Partly => "partly",
            Ynp::No => "no",
        }
    }
}

/// What the respondent answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Response {
    Scale {
        level: u8,
    },
    Ynp {
        choice: Ynp,
    },
    Checklist {
        selected: Vec<String>,
    },
    Number {
        value: f64,
    },
    Text {
        text: String,
    },
    NotApplicable,
    DontKnow,
    /// A compensating measure that meets the intent another way; counts as fully met.
    Alternate {
        justification: String,
    },
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceGrade {
    /// The respondent says so.
    Stated,
    /// The assessor has seen a document.
    DocumentSeen,
    /// The assessor has checked it in the system itself.
    Verified,
}

/// Where the evidence is: a Vietnamese official document, or a link / file path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EvidenceSource {
    Document {
        /// Loại văn bản (e.g. Quyết định, Kế hoạch).
        doc_type: String,
        /// Số hiệu (e.g. 123/QĐ-UBND).
        number: String,
        /// Ngày ban hành, YYYY-MM-DD.
        date: String,
        /// Cơ quan ban hành.
        issuer: String,
        /// Trích yếu.
        summary: String,
    },
    Link {
        target: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    pub grade: EvidenceGrade,
    pub source: EvidenceSource,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Answer {
    pub response: Response,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub marked_for_review: bool,
    /// RFC 3339, UTC.
    pub answered_at: String,
    /// Interview mode: who gave the answer (an interviewee's `id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondent: Option<String>,
    /// Interview mode: how the answer is known (stated / document seen / observed), the evidence
    /// grade without a source; document seen or observed counts as evidenced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<EvidenceGrade>,
    /// Carried over from an earlier assessment (`reassess`) and not yet confirmed; it counts in
    /// the scores. Confirming or changing the answer clears it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub carried: bool,
}

impl Answer {
    pub fn new(response: Response, now: &str) -> Answer {
        Answer {
            response,
            comment: String::new(),
            evidence: Vec::new(),
            marked_for_review: false,
            answered_at: now.to_string(),
            respondent: None,
            basis: None,
            carried: false,
        }
    }

    /// Backed by a document seen or verified in the system (as evidence, or as the interview's
    /// basis).
    pub fn is_evidenced(&self) -> bool {
        self.known_as()
            .is_some_and(|g| g >= EvidenceGrade::DocumentSeen)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub questionnaire: QuestionnaireRef,
    pub profile: BTreeMap<String, ProfileValue>,
    pub answers: BTreeMap<String, Answer>,
    /// Answers to questions the questionnaire no longer has (or no longer fit it): kept so that
    /// nothing is lost, never scored.
    pub orphaned: BTreeMap<String, Answer>,
    pub created_at: String,
    pub updated_at: String,
    /// Reconciled from several respondents' files: the sources and how each answer was decided.
    pub reconciliation: Option<super::provenance::Reconciliation>,
    /// An anonymised copy (`sansang export --anonymise`): names, comments, evidence details,
    /// free text and exact dates removed.
    pub anonymised: bool,
    /// Interview mode: interviewer, interviewees, date and place.
    pub interview: Option<super::Interview>,
    /// Seconds the wizard showed each section's questions (by section id).
    pub section_seconds: BTreeMap<String, u64>,
    /// The earlier assessment this one was seeded from (`reassess`).
    pub seeded_from: Option<super::SeededFrom>,
}

/// Why an answer or profile value was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnswerError {
    #[error("no question or profile field \"{0}\"")]
    UnknownField(String),
    #[error("a {expected} question cannot take a {got} answer")]
    WrongKind {
        expected: &'static str,
        got: &'static str,
    },
    #[error("level {0} is outside 0..4")]
    LevelOutOfRange(u8),
    #[error("\"{0}\" is not one of the options")]
    UnknownOption(String),
    #[error("\"{0}\" must be ticked alone")]
    ExclusiveWithOthers(String),
    #[error("{value} is below the minimum {min}")]
    BelowMin { value: f64, min: f64 },
    #[error("{value} is above the maximum {max}")]
    AboveMax { value: f64, max: f64 },
    #[error("{0} is not a whole number")]
    NotInteger(f64),
    #[error("{0} is not a finite number")]
    NotFinite(f64),
    #[error("\"not applicable\" is not allowed for this question")]
    NaNotAllowed,
    #[error("\"don't know\" is not allowed for this question")]
    DontKnowNotAllowed,
    #[error("an alternate measure is not allowed for this question")]
    AlternateNotAllowed,
    #[error("an alternate measure needs a justification")]
    MissingJustification,
}

impl AnswerError {
    /// The message in the user's language.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang::*;
        if lang == En {
            return self.to_string();
        }
        match self {
            AnswerError::UnknownField(f) => format!("không có câu hỏi hay trường hồ sơ \"{f}\""),
            AnswerError::WrongKind { expected, got } => {
                format!("câu hỏi dạng {expected} không nhận câu trả lời dạng {got}")
            }
            AnswerError::LevelOutOfRange(l) => format!("mức {l} nằm ngoài 0..4"),
            AnswerError::UnknownOption(o) => format!("\"{o}\" không phải một phương án"),
            AnswerError::ExclusiveWithOthers(o) => format!("\"{o}\" phải được chọn riêng"),
            AnswerError::BelowMin { value, min } => {
                format!(
                    "{} nhỏ hơn mức tối thiểu {}",
                    crate::locale::exact(*value, Vi),
                    crate::locale::exact(*min, Vi)
                )
            }
            AnswerError::AboveMax { value, max } => {
                format!(
                    "{} lớn hơn mức tối đa {}",
                    crate::locale::exact(*value, Vi),
                    crate::locale::exact(*max, Vi)
                )
            }
            AnswerError::NotInteger(v) => {
                format!("{} không phải số nguyên", crate::locale::exact(*v, Vi))
            }
            AnswerError::NotFinite(v) => {
                format!("{} không phải một số hợp lệ", crate::locale::exact(*v, Vi))
            }
            AnswerError::NaNotAllowed => "câu hỏi này không cho chọn \"không áp dụng\"".into(),
            AnswerError::DontKnowNotAllowed => "câu hỏi này không cho chọn \"không biết\"".into(),
            AnswerError::AlternateNotAllowed => {
                "câu hỏi này không cho khai biện pháp thay thế".into()
            }
            AnswerError::MissingJustification => "biện pháp thay thế cần có giải trình".into(),
        }
    }
}

impl Response {
    pub fn kind_code(&self) -> &'static str {
        match self {
            Response::Scale { .. } => "scale",
            Response::Ynp { .. } => "ynp",
            Response::Checklist { .. } => "checklist",
            Response::Number { .. } => "number",
            Response::Text { .. } => "text",
            Response::NotApplicable => "not_applicable",
            Response::DontKnow => "dont_know",
            Response::Alternate { .. } => "alternate",
        }
    }

    /// Checks that this response fits the question.
    pub fn check(&self, q: &Question) -> Result<(), AnswerError> {
        let wrong = || AnswerError::WrongKind {
            expected: q.kind.code(),
            got: self.kind_code(),
        };
        match self {
            Response::NotApplicable => (q.allow_na).then_some(()).ok_or(AnswerError::NaNotAllowed),
            Response::DontKnow => (q.allow_dont_know)
                .then_some(())
                .ok_or(AnswerError::DontKnowNotAllowed),
            Response::Alternate { justification } => {
                if !q.allow_alternate {
                    Err(AnswerError::AlternateNotAllowed)
                } else if justification.trim().is_empty() {
                    Err(AnswerError::MissingJustification)
                } else {
                    Ok(())
                }
            }
            Response::Scale { level } => {
                if q.kind != QuestionKind::Scale {
                    Err(wrong())
                } else if *level > 4 {
                    Err(AnswerError::LevelOutOfRange(*level))
                } else {
                    Ok(())
                }
            }
            Response::Ynp { .. } => (q.kind == QuestionKind::Ynp)
                .then_some(())
                .ok_or_else(wrong),
            Response::Text { .. } => (q.kind == QuestionKind::Text)
                .then_some(())
                .ok_or_else(wrong),
            Response::Checklist { selected } => {
                if q.kind != QuestionKind::Checklist {
                    return Err(wrong());
                }
                for s in selected {
                    let Some(opt) = q.options.iter().find(|o| &o.id == s) else {
                        return Err(AnswerError::UnknownOption(s.clone()));
                    };
                    if opt.exclusive && selected.len() > 1 {
                        return Err(AnswerError::ExclusiveWithOthers(s.clone()));
                    }
                }
                Ok(())
            }
            Response::Number { value } => {
                if q.kind != QuestionKind::Number {
                    return Err(wrong());
                }
                check_number(*value, q.min, q.max, q.integer)
            }
        }
    }
}

pub fn check_number(
    v: f64,
    min: Option<f64>,
    max: Option<f64>,
    integer: bool,
) -> Result<(), AnswerError> {
    if !v.is_finite() {
        return Err(AnswerError::NotFinite(v));
    }
    if let Some(min) = min
        && v < min
    {
        return Err(AnswerError::BelowMin { value: v, min });
    }
    if let Some(max) = max
        && v > max
    {
        return Err(AnswerError::AboveMax { value: v, max });
    }
    if integer && v.fract() != 0.0 {
        return Err(AnswerError::NotInteger(v));
    }
    Ok(())
}

impl Assessment {
    pub fn new(q: &Questionnaire, hash: &str, now: &str) -> Assessment {
        Assessment {
            questionnaire: QuestionnaireRef {
                id: q.id.clone(),
                version: q.version.clone(),
                hash: hash.to_string(),
            },
            profile: BTreeMap::new(),
            answers: BTreeMap::new(),
            orphaned: BTreeMap::new(),
            created_at: now.to_string(),
            updated_at: now.to_string(),
            reconciliation: None,
            anonymised: false,
            // Interview mode is on by default for a consultant's interview of a business.
            interview: (q.id == "sme").then(|| super::Interview {
                enabled: true,
                date: super::interview::local_date(now),
                ..Default::default()
            }),
            section_seconds: BTreeMap::new(),
            seeded_from: None,
        }
    }

    /// Sets (or replaces) an answer after checking it fits the question. Comment, evidence and the
    /// review mark of an earlier answer are kept.
    pub fn set_response(
        &mut self,
        q: &Questionnaire,
        id: &str,
        response: Response,
        now: &str,
    ) -> Result<(), AnswerError> {
        let question = q
            .question(id)
            .ok_or_else(|| AnswerError::UnknownField(id.to_string()))?;
        response.check(question)?;
        match self.answers.get_mut(id) {
            Some(a) => {
                a.response = response;
                a.answered_at = now.to_string();
                // Changing (or re-choosing) a carried answer confirms it.
                a.carried = false;
            }
            None => {
                self.answers
                    .insert(id.to_string(), Answer::new(response, now));
            }
        }
        self.updated_at = now.to_string();
        Ok(())
    }

    /// Sets a profile value after checking it fits the field.
    pub fn set_profile(
        &mut self,
        q: &Questionnaire,
        id: &str,
        value: ProfileValue,
        now: &str,
    ) -> Result<(), AnswerError> {
        check_profile_value(q, id, &value)?;
        self.profile.insert(id.to_string(), value);
        self.updated_at = now.to_string();
        Ok(())
    }

    /// The profile value of a field as text (a choice's option id, or a number as written).
    pub fn profile_text(&self, id: &str) -> Option<String> {
        match self.profile.get(id)? {
            ProfileValue::Text(s) => Some(s.clone()),
            ProfileValue::Number(n) => Some(format_number(*n)),
        }
    }
}

pub fn check_profile_value(
    q: &Questionnaire,
    id: &str,
    value: &ProfileValue,
) -> Result<(), AnswerError> {
    let f = q
        .profile_field(id)
        .ok_or_else(|| AnswerError::UnknownField(id.to_string()))?;
    match (f.kind, value) {
        (ProfileKind::Text, ProfileValue::Text(_)) => Ok(()),
        (ProfileKind::Choice, ProfileValue::Text(s)) => {
            if f.options.iter().any(|o| &o.id == s) {
                Ok(())
            } else {
                Err(AnswerError::UnknownOption(s.clone()))
            }
        }
        (ProfileKind::Number, ProfileValue::Number(n)) => check_number(*n, f.min, f.max, f.integer),
        (kind, v) => Err(AnswerError::WrongKind {
            expected: match kind {
                ProfileKind::Text => "text",
                ProfileKind::Choice => "choice",
                ProfileKind::Number => "number",
            },
            got: match v {
                ProfileValue::Text(_) => "text",
                ProfileValue::Number(_) => "number",
            },
        }),
    }
}

/// Numbers as people write them: no trailing ".0".
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Facts for conditions: profile values and answers, with questions that are not shown (as
/// decided so far) seen as unanswered.
pub struct AssessmentFacts<'a> {
    pub questionnaire: &'a Questionnaire,
    pub assessment: &'a Assessment,
    pub hidden: &'a std::collections::HashSet<String>,
}

impl Facts for AssessmentFacts<'_> {
    fn fact(&self, field: &str) -> Fact {
        if let Some(v) = self.assessment.profile.get(field) {
            return match v {
                ProfileValue::Text(s) => Fact::Text(s.clone()),
                ProfileValue::Number(n) => Fact::Number(*n),
            };
        }
        if self.hidden.contains(field) {
            return Fact::Unanswered;
        }
        match self.assessment.answers.get(field).map(|a| &a.response) {
            None => Fact::Unanswered,
            Some(Response::Scale { level }) => Fact::Number(*level as f64),
            Some(Response::Ynp { choice }) => Fact::Text(choice.code().to_string()),
            Some(Response::Checklist { selected }) => Fact::Set(selected.clone()),
            Some(Response::Number { value }) => Fact::Number(*value),
            Some(Response::Text { text }) => Fact::Text(text.clone()),
            Some(Response::DontKnow) => Fact::DontKnow,
            Some(Response::NotApplicable | Response::Alternate { .. }) => Fact::NoValue,
        }
    }
}

impl Assessment {
    /// Ids of the questions not shown with the current answers: a section's or question's
    /// `show_if` does not hold. Decided in file order, so a hidden question's stored answer does
    /// not open later questions.
    pub fn hidden_questions(&self, q: &Questionnaire) -> std::collections::HashSet<String> {
        let mut hidden = std::collections::HashSet::new();
        for s in &q.sections {
            let section_shown = s.show_if.as_ref().is_none_or(|c| {
                c.holds(&AssessmentFacts {
                    questionnaire: q,
                    assessment: self,
                    hidden: &hidden,
                })
            });
            for question in &s.questions {
                let shown = section_shown
                    && question.show_if.as_ref().is_none_or(|c| {
                        c.holds(&AssessmentFacts {
                            questionnaire: q,
                            assessment: self,
                            hidden: &hidden,
                        })
                    });
                if !shown {
                    hidden.insert(question.id.clone());
                }
            }
        }
        hidden
    }
}
