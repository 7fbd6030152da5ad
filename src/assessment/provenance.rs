//! Where an assessment came from when it is not one respondent's own answers: reconciled from
//! several respondents' files (`sansang reconcile … --wizard`). Optional in the file: an ordinary
//! assessment has none of it.

use super::model::Response;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a reconciled assessment was made from several respondents of one organisation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reconciliation {
    /// The respondents' files, in the order they were given.
    pub sources: Vec<ReconcileSource>,
    /// By question id: how each question the respondents did not all answer alike was decided,
    /// with what each respondent answered (in the order of `sources`) and the consultant's note.
    /// Questions every respondent answered alike are not listed: their answer was carried over.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub decisions: BTreeMap<String, Decision>,
}

/// One respondent's file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReconcileSource {
    /// The file as it was given (path).
    pub file: String,
    /// How the respondent is shown: the file name, with the respondent's role when known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
}

/// How one question's answer was decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub rule: DecisionRule,
    /// What each respondent answered, in the order of `sources` (`null`: no answer).
    pub responses: Vec<Option<Response>>,
    /// The consultant's note on the agreement.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// While the answers diverge: each respondent's comment, in the order of `sources` (empty:
    /// none); put on the agreed answer, with each respondent's label, when the consultant
    /// records it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<String>,
}

/// The rule that gave a question's answer (see `crate::reconcile` for the exact definitions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionRule {
    /// Answers close together (scale levels one apart, yes/partly or partly/no, numbers within
    /// 25 %): the lower middle answer, always one a respondent gave.
    Median,
    /// Checklists sharing most ticks: the options more than half of the respondents ticked.
    Majority,
    /// Only some respondents answered, or the others said "don't know": their common answer.
    Known,
    /// The answers diverged: the consultant recorded the agreed answer.
    Consultant,
    /// The answers diverged and no agreed answer is recorded yet (the question is unanswered).
    Pending,
}
