//! The answers CSV (`aggregate --format answers-csv`): one row per assessment and question, the
//! long layout DuckDB, pandas, R and Spark read directly, written as files are read.
//!
//! Columns: `file`, `questionnaire`, `version` (the version scored against), one column per
//! profile field of the questionnaires in the catalog (empty where a questionnaire has no such
//! field), then `question`, `kind` (scale, ynp, checklist, number, text), `response` (the kind of
//! answer given: scale, ynp, checklist, number, text, alternate, not_applicable, dont_know; empty
//! when unanswered), `status` (as the scorer sees it: answered, dont_know, unanswered,
//! not_applicable, hidden, no_target; `not_scored` for text questions), `value` (the answer as
//! given: a level, yes/partly/no, the ticked option ids joined by `;`, a number, a text), `v` (the
//! 0..1 value the scorer uses, full precision), `evidenced` (true when the answer is backed by a
//! document seen or verified) and `dimensions` (`ID:weight` for each dimension the question
//! counts toward, joined by `;`).
//!
//! Column names and codes are identifiers, the same in every language, so that queries keep
//! working; numbers use a decimal point; text cells are neutralised against formula injection as
//! in the other CSV files.

use crate::output::neutralise;
use crate::questionnaire::Questionnaire;
use crate::scoring::Status;
use crate::scoring::lean::{Given, LeanAnswers, LeanScore, LeanScorer, Plain, Slot};
use std::io::{self, Write};

/// The columns, fixed for a run: the profile fields of every questionnaire in the catalog.
pub(super) struct Layout {
    profile: Vec<String>,
}

impl Layout {
    pub(super) fn new<'a>(qs: impl Iterator<Item = &'a Questionnaire>) -> Layout {
        let mut profile: Vec<String> = Vec::new();
        for q in qs {
            for f in &q.profile {
                if !profile.contains(&f.id) {
                    profile.push(f.id.clone());
                }
            }
        }
        Layout { profile }
    }

    pub(super) fn head(&self, w: &mut dyn Write) -> io::Result<()> {
        let mut line = Vec::new();
        let mut cells: Vec<&str> = vec!["file", "questionnaire", "version"];
        cells.extend(self.profile.iter().map(String::as_str));
        cells.extend([
            "question",
            "kind",
            "response",
            "status",
            "value",
            "v",
            "evidenced",
            "dimensions",
        ]);
        row(&mut line, cells.iter().copied());
        w.write_all(&line)
    }

    /// Appends one assessment's rows, every question of the questionnaire in its order.
    pub(super) fn rows(
        &self,
        out: &mut Vec<u8>,
        file: &str,
        q: &Questionnaire,
        a: &LeanAnswers,
        scorer: &LeanScorer,
        s: &LeanScore,
    ) {
        let mut lead: Vec<String> = vec![neutralise(file), q.id.clone(), q.version.clone()];
        lead.extend(self.profile.iter().map(|id| match scorer.profile(a, id) {
            None => String::new(),
            Some(n @ Plain::Number(_)) => n.text().into_owned(),
            Some(Plain::Text(t)) => neutralise(t),
        }));
        let dim_ids: Vec<&str> = q.dimensions.iter().map(|d| d.id.as_str()).collect();
        let mut scored = 0;
        for ((_, question), slot) in q.questions().zip(&a.slots) {
            let answer = slot.given.map(|g| (g, slot));
            let (response, value) = match answer {
                None => ("", String::new()),
                Some((g, slot)) => (g.kind_code(), response_value(g, slot)),
            };
            let (status, v, evidenced, dims) = if question.kind.is_scored() {
                let qs = s.questions.get(scored).copied();
                let dims = scorer
                    .contributions(scored)
                    .iter()
                    .map(|(d, w)| format!("{}:{w}", dim_ids[*d]))
                    .collect::<Vec<_>>()
                    .join(";");
                scored += 1;
                match qs {
                    Some(qs) => (
                        status_code(qs.status),
                        qs.value.map(|v| v.to_string()).unwrap_or_default(),
                        if qs.evidenced { "true" } else { "false" },
                        dims,
                    ),
                    None => ("", String::new(), "", dims),
                }
            } else {
                (
                    "not_scored",
                    String::new(),
                    if answer.is_some_and(|(_, x)| x.is_evidenced()) {
                        "true"
                    } else {
                        "false"
                    },
                    String::new(),
                )
            };
            let tail = [
                question.id.as_str(),
                question.kind.code(),
                response,
                status,
                &value,
                &v,
                evidenced,
                &dims,
            ];
            row(out, lead.iter().map(String::as_str).chain(tail));
        }
    }
}

fn status_code(s: Status) -> &'static str {
    match s {
        Status::Answered => "answered",
        Status::DontKnow => "dont_know",
        Status::Unanswered => "unanswered",
        Status::NotApplicable => "not_applicable",
        Status::Hidden => "hidden",
        Status::NoTarget => "no_target",
    }
}

/// The answer as given, in one cell (a checklist's ids as given, joined by `;`).
fn response_value(g: Given, slot: &Slot) -> String {
    match g {
        Given::Scale(level) => level.to_string(),
        Given::Ynp(choice) => choice.code().to_string(),
        Given::Number(value) => value.to_string(),
        Given::Checklist | Given::Text | Given::Alternate => neutralise(&slot.text),
        Given::NotApplicable | Given::DontKnow => String::new(),
    }
}

/// One CSV line (RFC 4180: a cell holding a comma, a quote or a line break is quoted).
fn row<'a>(out: &mut Vec<u8>, cells: impl Iterator<Item = &'a str>) {
    for (i, c) in cells.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if c.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
            out.push(b'"');
            out.extend_from_slice(c.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(c.as_bytes());
        }
    }
    out.push(b'\n');
}
