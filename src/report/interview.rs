//! The report's parts for a consultant's interview and a re-assessment: who was interviewed, by
//! whom, when and where, the time spent per section, who gave each answer and how it is known;
//! and, for a re-assessment, what changed since the earlier assessment (from `compare`) and how
//! many carried answers are not yet confirmed.

use super::compare::{self, CompareDoc};
use super::svg::escape as e;
use super::{AnswerRow, ReportDoc};
use crate::assessment::Assessment;
use crate::assessment::interview::{basis_label, duration_text};
use crate::i18n::{Lang, tr};
use crate::questionnaire::{Catalog, Questionnaire};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The interview and the time spent, as the report shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InterviewReport {
    pub interviewer: String,
    /// "Lan (owner)", one a person.
    pub interviewees: Vec<String>,
    /// As the report's language writes dates; empty when not given.
    pub date: String,
    pub place: String,
    /// Time with each section's questions on screen, in questionnaire order (sections with time).
    pub sections: Vec<SectionTime>,
    pub total_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SectionTime {
    pub id: String,
    pub title: String,
    pub seconds: u64,
    /// "12 min".
    pub text: String,
}

/// A re-assessment: where it was seeded from and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Changes {
    /// The earlier file's name (a report for a director names no folder of the consultant's
    /// machine; the assessment file keeps the whole path).
    pub path: String,
    /// The earlier assessment's last change, as the report's language writes dates.
    pub date: String,
    /// Carried answers not yet confirmed (they count in the scores).
    pub unconfirmed: usize,
    /// The comparison with the earlier assessment; `None` when it could not be read.
    pub compare: Option<CompareDoc>,
}

/// The interview part of a report: when interview mode is on or time was measured.
pub fn interview_report(q: &Questionnaire, a: &Assessment, lang: Lang) -> Option<InterviewReport> {
    // Interview mode with nothing recorded yet (only the default date) adds nothing.
    let i = a.interview.clone().filter(|i| {
        i.enabled && (!i.interviewer.is_empty() || !i.place.is_empty() || i.named().count() > 0)
    });
    if i.is_none() && a.section_seconds.is_empty() {
        return None;
    }
    let i = i.unwrap_or_default();
    let sections = q
        .sections
        .iter()
        .filter_map(|s| {
            let secs = *a.section_seconds.get(&s.id)?;
            Some(SectionTime {
                id: s.id.clone(),
                title: s.title.get(lang).to_string(),
                seconds: secs,
                text: duration_text(secs, lang),
            })
        })
        .collect();
    Some(InterviewReport {
        interviewer: i.interviewer.clone(),
        interviewees: i.named().map(|p| p.label()).collect(),
        date: if i.date.is_empty() {
            String::new()
        } else {
            crate::locale::civil_date(&i.date, lang)
        },
        place: i.place.clone(),
        sections,
        total_seconds: a.total_seconds(),
    })
}

/// Who gave an answer and how it is known ("Lan (owner) · stated"); empty outside an interview.
pub fn attribution(a: &Assessment, id: &str, lang: Lang) -> String {
    let (Some(i), Some(ans)) = (&a.interview, a.answers.get(id)) else {
        return String::new();
    };
    let who = ans.respondent.as_deref().map(|r| i.label_of(r));
    let how = ans.basis.map(|g| basis_label(g, lang).to_string());
    who.into_iter().chain(how).collect::<Vec<_>>().join(" · ")
}

/// The changes since the assessment `a` was seeded from (reading that file), if it was seeded.
pub fn changes(
    q: &Questionnaire,
    a: &Assessment,
    file_label: &str,
    catalog: &Catalog,
    lang: Lang,
) -> Option<Changes> {
    let from = a.seeded_from.as_ref()?;
    let path = std::path::Path::new(&from.path);
    let compare = crate::assessment::store::read(path, catalog)
        .ok()
        .and_then(|old| {
            let label = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            compare::compare(
                (&old.questionnaire, &old.assessment, &label),
                (q, a, file_label),
                lang,
            )
            .ok()
        });
    Some(Changes {
        path: path
            .file_name()
            .map_or_else(|| from.path.clone(), |n| n.to_string_lossy().into_owned()),
        date: crate::locale::date(&from.date, lang),
        unconfirmed: a.unconfirmed(),
        compare,
    })
}

fn changes_title(l: Lang) -> &'static str {
    tr(
        l,
        "Thay đổi so với lần trước",
        "What changed since the earlier assessment",
    )
}

fn unreadable(l: Lang) -> &'static str {
    tr(
        l,
        "Không đọc được bản đánh giá trước để so sánh.",
        "The earlier assessment could not be read to compare.",
    )
}

fn since(c: &Changes, l: Lang) -> String {
    format!(
        "{} {} ({})",
        tr(
            l,
            "So với lần đánh giá ngày",
            "Compared with the assessment of"
        ),
        c.date,
        c.path
    )
}

fn unconfirmed_text(c: &Changes, l: Lang) -> Option<String> {
    (c.unconfirmed > 0).then(|| {
        format!(
            "{}: {} {}",
            tr(
                l,
                "Câu trả lời mang sang từ lần trước, chưa được xác nhận lại",
                "Answers carried over from the earlier assessment, not yet confirmed"
            ),
            c.unconfirmed,
            tr(
                l,
                "(vẫn được tính điểm; đánh dấu ↻ trong phụ lục).",
                "(they count in the scores; marked ↻ in the annex).",
            )
        )
    })
}

/// The score rows that changed or exist on both sides: (label, before, after, change).
fn delta_rows(d: &CompareDoc) -> Vec<[String; 4]> {
    let l = d.lang;
    d.scores
        .iter()
        .filter(|x| x.old.is_some() || x.new.is_some())
        .map(|x| {
            let name = if x.id == "overall" {
                x.label.clone()
            } else {
                format!("{} {}", x.id, x.label)
            };
            [
                name,
                crate::locale::score_opt(x.old, l),
                crate::locale::score_opt(x.new, l),
                x.delta.map_or("—".into(), |v| crate::locale::signed(v, l)),
            ]
        })
        .collect()
}

fn change_items(d: &CompareDoc) -> Vec<(String, &[compare::Change])> {
    let l = d.lang;
    vec![
        (
            tr(l, "Tiến bộ", "Improved").to_string(),
            d.improved.as_slice(),
        ),
        (
            tr(l, "Giảm", "Regressed").to_string(),
            d.regressed.as_slice(),
        ),
    ]
}

/// "What changed" in HTML (in the summary, before the sign-off).
pub fn changes_html(doc: &ReportDoc, h: &mut String) {
    let Some(c) = &doc.changes else {
        return;
    };
    let l = doc.lang;
    h.push_str(&format!(
        "<section id=\"changes\">\n<h2>{}</h2>\n<p class=\"muted\">{}</p>\n",
        e(changes_title(l)),
        e(&since(c, l))
    ));
    if let Some(u) = unconfirmed_text(c, l) {
        h.push_str(&format!("<p><strong>↻</strong> {}</p>\n", e(&u)));
    }
    match &c.compare {
        None => h.push_str(&format!("<p>{}</p>\n", e(unreadable(l)))),
        Some(d) => {
            h.push_str(&format!(
                "<table>\n<thead><tr><th></th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">Δ</th></tr></thead>\n<tbody>\n",
                e(tr(l, "Trước", "Before")),
                e(tr(l, "Nay", "Now"))
            ));
            for [name, old, new, delta] in delta_rows(d) {
                h.push_str(&format!(
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                    e(&name),
                    e(&old),
                    e(&new),
                    e(&delta)
                ));
            }
            h.push_str("</tbody>\n</table>\n");
            for (title, items) in change_items(d) {
                if items.is_empty() {
                    continue;
                }
                h.push_str(&format!("<h3>{} ({})</h3>\n<ul>\n", e(&title), items.len()));
                for x in items {
                    h.push_str(&format!(
                        "<li><span class=\"id\">{}</span> {}: {} → {}</li>\n",
                        e(&x.question_id),
                        e(&x.question),
                        e(&x.old_answer),
                        e(&x.new_answer)
                    ));
                }
                h.push_str("</ul>\n");
            }
        }
    }
    h.push_str("</section>\n");
}

/// The interview and time per section in HTML (at the start of the annex).
pub fn interview_html(doc: &ReportDoc, h: &mut String) {
    let Some(i) = &doc.interview else {
        return;
    };
    let l = doc.lang;
    h.push_str(&format!(
        "<h3>{}</h3>\n<table class=\"profile\">\n<tbody>\n",
        e(heading(i, l))
    ));
    for (k, v) in meta(i, l) {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n",
            e(k),
            e(&v)
        ));
    }
    for s in &i.sections {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n",
            e(&s.title),
            e(&s.text)
        ));
    }
    h.push_str("</tbody>\n</table>\n");
}

/// "Interview", or for a self-assessment (no interview recorded, only the time measured)
/// "Time spent answering".
fn heading(i: &InterviewReport, l: Lang) -> &'static str {
    let interview = !i.interviewer.is_empty()
        || !i.interviewees.is_empty()
        || !i.date.is_empty()
        || !i.place.is_empty();
    if interview {
        tr(l, "Phỏng vấn", "Interview")
    } else {
        tr(l, "Thời gian trả lời", "Time spent answering")
    }
}

/// The interview's facts as (label, value), the empty ones left out.
fn meta(i: &InterviewReport, l: Lang) -> Vec<(&'static str, String)> {
    [
        (
            tr(l, "Người phỏng vấn", "Interviewer"),
            i.interviewer.clone(),
        ),
        (
            tr(l, "Người được phỏng vấn", "Interviewees"),
            i.interviewees.join("; "),
        ),
        (tr(l, "Ngày", "Date"), i.date.clone()),
        (tr(l, "Địa điểm", "Place"), i.place.clone()),
        (
            tr(l, "Tổng thời gian", "Time spent in all"),
            if i.total_seconds > 0 {
                duration_text(i.total_seconds, l)
            } else {
                String::new()
            },
        ),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect()
}

/// "What changed" in Markdown.
pub fn changes_markdown(doc: &ReportDoc, m: &mut String) {
    use super::markdown::{escape, table};
    let Some(c) = &doc.changes else {
        return;
    };
    let l = doc.lang;
    m.push_str(&format!(
        "## {}\n\n*{}*\n\n",
        escape(changes_title(l)),
        escape(&since(c, l))
    ));
    if let Some(u) = unconfirmed_text(c, l) {
        m.push_str(&format!("↻ {}\n\n", escape(&u)));
    }
    let Some(d) = &c.compare else {
        m.push_str(&format!("{}\n\n", escape(unreadable(l))));
        return;
    };
    let rows: Vec<Vec<String>> = delta_rows(d)
        .into_iter()
        .map(|r| r.iter().map(|x| escape(x)).collect())
        .collect();
    table(
        m,
        &["", tr(l, "Trước", "Before"), tr(l, "Nay", "Now"), "Δ"],
        &rows,
        &[false, true, true, true],
    );
    for (title, items) in change_items(d) {
        if items.is_empty() {
            continue;
        }
        m.push_str(&format!("### {} ({})\n\n", escape(&title), items.len()));
        for x in items {
            m.push_str(&format!(
                "- **{}** {}: {} → {}\n",
                escape(&x.question_id),
                escape(&x.question),
                escape(&x.old_answer),
                escape(&x.new_answer)
            ));
        }
        m.push('\n');
    }
}

/// The interview and time per section in Markdown (at the start of the annex).
pub fn interview_markdown(doc: &ReportDoc, m: &mut String) {
    use super::markdown::{escape, table};
    let Some(i) = &doc.interview else {
        return;
    };
    let l = doc.lang;
    m.push_str(&format!("### {}\n\n", escape(heading(i, l))));
    for (k, v) in meta(i, l) {
        m.push_str(&format!("- **{}:** {}\n", escape(k), escape(&v)));
    }
    m.push('\n');
    if !i.sections.is_empty() {
        let rows: Vec<Vec<String>> = i
            .sections
            .iter()
            .map(|s| vec![escape(&s.title), escape(&s.text)])
            .collect();
        table(
            m,
            &[tr(l, "Phần", "Section"), tr(l, "Thời gian", "Time")],
            &rows,
            &[false, true],
        );
    }
}

/// An answer's interview and re-assessment notes for the annex: who and how, carried.
pub fn answer_note(a: &AnswerRow, l: Lang) -> String {
    let mut parts = vec![];
    if !a.interview.is_empty() {
        parts.push(a.interview.clone());
    }
    if a.carried {
        parts.push(format!(
            "↻ {}",
            tr(l, "mang sang, chưa xác nhận", "carried, not confirmed")
        ));
    }
    parts.join(" · ")
}
