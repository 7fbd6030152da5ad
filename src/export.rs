//! One row per question of an assessment, for spreadsheets (CSV) and other tools (JSON), and the
//! human-readable rendering of answers that every output shares.

use crate::assessment::interview::basis_label;
use crate::assessment::{Answer, Assessment, EvidenceGrade, EvidenceSource, Response, Ynp};
use crate::i18n::{Lang, tr};
use crate::questionnaire::{Question, Questionnaire};
use crate::scoring::{self, Report, explain::status_label};
use serde::Serialize;

/// The answer as a person reads it, in `lang`.
pub fn answer_text(q: &Question, r: &Response, lang: Lang) -> String {
    match r {
        Response::Scale { level } => match q.levels.get(*level as usize) {
            Some(l) => format!("{level} – {}", l.label.get(lang)),
            None => level.to_string(),
        },
        Response::Ynp { choice } => match choice {
            Ynp::Yes => tr(lang, "Có", "Yes"),
            Ynp::Partly => tr(lang, "Một phần", "Partly"),
            Ynp::No => tr(lang, "Không", "No"),
        }
        .to_string(),
        Response::Checklist { selected } => {
            let labels: Vec<&str> = q
                .options
                .iter()
                .filter(|o| selected.contains(&o.id))
                .map(|o| o.label.get(lang))
                .collect();
            if labels.is_empty() {
                tr(lang, "(không chọn mục nào)", "(nothing ticked)").to_string()
            } else {
                labels.join("; ")
            }
        }
        Response::Number { value } => match &q.unit {
            Some(u) => format!("{} {}", crate::locale::number(*value, lang), u.get(lang)),
            None => crate::locale::number(*value, lang),
        },
        Response::Text { text } => text.clone(),
        Response::NotApplicable => tr(lang, "Không áp dụng", "Not applicable").to_string(),
        Response::DontKnow => tr(lang, "Không biết", "Don't know").to_string(),
        Response::Alternate { justification } => {
            format!(
                "{}: {justification}",
                tr(lang, "Biện pháp thay thế", "Alternate measure")
            )
        }
    }
}

pub fn grade_label(g: EvidenceGrade, lang: Lang) -> &'static str {
    match g {
        EvidenceGrade::Stated => tr(lang, "tự khai", "stated"),
        EvidenceGrade::DocumentSeen => tr(lang, "đã xem văn bản", "document seen"),
        EvidenceGrade::Verified => tr(lang, "đã kiểm tra trên hệ thống", "verified in the system"),
    }
}

/// Evidence items as one line: "Quyết định 12/QĐ-UBND ngày 2024-03-01 của UBND tỉnh X: … (đã xem văn bản)".
pub fn evidence_text(a: &Answer, lang: Lang) -> String {
    a.evidence
        .iter()
        .map(|e| {
            let src = match &e.source {
                EvidenceSource::Document {
                    doc_type,
                    number,
                    date,
                    issuer,
                    summary,
                } => {
                    let of = tr(lang, "ngày", "of");
                    let by = tr(lang, "của", "by");
                    let date = crate::locale::civil_date(date, lang);
                    format!("{doc_type} {number} {of} {date} {by} {issuer}: {summary}")
                }
                EvidenceSource::Link { target } => target.clone(),
            };
            let note = if e.note.is_empty() {
                String::new()
            } else {
                format!(" – {}", e.note)
            };
            format!("{src}{note} ({})", grade_label(e.grade, lang))
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub questionnaire: String,
    pub section: String,
    pub question_id: String,
    pub kind: String,
    pub question: String,
    pub status: String,
    pub answer: String,
    /// 0..1, empty when not scored.
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub contributes: String,
    pub comment: String,
    pub evidence: String,
    pub evidence_grade: String,
    pub marked_for_review: bool,
    pub answered_at: String,
    /// Interview mode: who gave the answer ("Lan (kế toán)"), and how it is known (stated,
    /// document seen, observed); empty otherwise.
    pub respondent: String,
    pub basis: String,
    /// Carried over from an earlier assessment and not yet confirmed (a re-assessment).
    pub carried: bool,
    /// Seed references as stored (file code, item, lines), for auditors.
    pub seed: String,
    /// The sources as people read them: document name and item.
    pub source: String,
}

/// Rows for every question shown to this respondent, in questionnaire order.
pub fn rows(q: &Questionnaire, a: &Assessment, report: &Report, lang: Lang) -> Vec<Row> {
    let hidden = a.hidden_questions(q);
    q.questions()
        .filter(|(_, question)| !hidden.contains(&question.id))
        .map(|(s, question)| {
            let answer = a.answers.get(&question.id);
            let qs = report.question(&question.id);
            let status = match (qs, answer) {
                (Some(qs), _) => status_label(qs.status, lang).to_string(),
                (None, Some(_)) => tr(lang, "đã trả lời", "answered").to_string(),
                (None, None) => tr(lang, "chưa trả lời", "unanswered").to_string(),
            };
            Row {
                questionnaire: q.id.clone(),
                section: s.id.clone(),
                question_id: question.id.clone(),
                kind: question.kind.code().to_string(),
                question: question.text.get(lang).to_string(),
                status,
                answer: answer
                    .map(|a| answer_text(question, &a.response, lang))
                    .unwrap_or_default(),
                value: qs.and_then(|s| s.value).map(scoring::round2),
                target: qs.and_then(|s| s.target.as_ref()).map(|t| t.value),
                contributes: question
                    .contributes
                    .iter()
                    .map(|c| format!("{}:{}", c.to, c.weight))
                    .collect::<Vec<_>>()
                    .join(";"),
                comment: answer.map(|a| a.comment.clone()).unwrap_or_default(),
                evidence: answer.map(|a| evidence_text(a, lang)).unwrap_or_default(),
                evidence_grade: answer
                    .and_then(|a| a.evidence.iter().map(|e| e.grade).max())
                    .map(|g| grade_label(g, lang).to_string())
                    .unwrap_or_default(),
                marked_for_review: answer.is_some_and(|a| a.marked_for_review),
                answered_at: answer.map(|a| a.answered_at.clone()).unwrap_or_default(),
                respondent: answer
                    .and_then(|x| x.respondent.as_deref())
                    .map(|id| match &a.interview {
                        Some(i) => i.label_of(id),
                        None => id.to_string(),
                    })
                    .unwrap_or_default(),
                basis: answer
                    .and_then(|x| x.basis)
                    .map(|g| basis_label(g, lang).to_string())
                    .unwrap_or_default(),
                carried: answer.is_some_and(|x| x.carried),
                seed: question
                    .seed
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
                source: q.cite_all(&question.seed, lang),
            }
        })
        .collect()
}

/// The CSV header of `rows`, in the reader's language.
pub fn csv_head(lang: Lang) -> Vec<&'static str> {
    vec![
        tr(lang, "bộ câu hỏi", "questionnaire"),
        tr(lang, "phần", "section"),
        tr(lang, "mã câu hỏi", "question id"),
        tr(lang, "loại", "kind"),
        tr(lang, "câu hỏi", "question"),
        tr(lang, "trạng thái", "status"),
        tr(lang, "trả lời", "answer"),
        tr(lang, "điểm (0–1)", "value (0–1)"),
        tr(lang, "chỉ tiêu", "target"),
        tr(lang, "đóng góp vào", "contributes to"),
        tr(lang, "ghi chú", "comment"),
        tr(lang, "minh chứng", "evidence"),
        tr(lang, "mức minh chứng", "evidence grade"),
        tr(lang, "cần xem lại", "marked for review"),
        tr(lang, "thời điểm trả lời", "answered at"),
        tr(lang, "người trả lời", "answered by"),
        tr(lang, "biết qua", "known by"),
        tr(lang, "mang sang, chưa xác nhận", "carried, not confirmed"),
        tr(lang, "căn cứ", "source"),
    ]
}

/// A yes/no cell: "yes" or empty.
pub fn yes(b: bool, lang: Lang) -> &'static str {
    if b { tr(lang, "có", "yes") } else { "" }
}

/// CSV text: headers in `lang`, every text cell neutralised against formula injection, numbers
/// in the form the delimiter implies.
pub fn to_csv(rows: &[Row], lang: Lang, opts: &crate::output::CsvOptions) -> String {
    use crate::output::neutralise as n;
    let mut out: Vec<Vec<String>> = vec![csv_head(lang).iter().map(|s| s.to_string()).collect()];
    for r in rows {
        out.push(vec![
            n(&r.questionnaire),
            n(&r.section),
            n(&r.question_id),
            n(&r.kind),
            n(&r.question),
            n(&r.status),
            n(&r.answer),
            opts.number(r.value),
            opts.number(r.target),
            n(&r.contributes),
            n(&r.comment),
            n(&r.evidence),
            n(&r.evidence_grade),
            yes(r.marked_for_review, lang).to_string(),
            n(&r.answered_at),
            n(&r.respondent),
            n(&r.basis),
            yes(r.carried, lang).to_string(),
            n(&r.source),
        ]);
    }
    crate::output::write_csv(&out, opts)
}

#[derive(Debug, Serialize)]
pub struct JsonExport<'a> {
    pub export_version: u32,
    pub questionnaire: &'a crate::assessment::QuestionnaireRef,
    pub profile: &'a std::collections::BTreeMap<String, crate::assessment::ProfileValue>,
    pub scores: scoring::Summary,
    pub rows: Vec<Row>,
}

pub fn to_json(q: &Questionnaire, a: &Assessment, report: &Report, lang: Lang) -> String {
    let e = JsonExport {
        export_version: 1,
        questionnaire: &a.questionnaire,
        profile: &a.profile,
        scores: report.summary(),
        rows: rows(q, a, report, lang),
    };
    let mut s = serde_json::to_string_pretty(&e).unwrap_or_default();
    s.push('\n');
    s
}
