//! Comparing two assessments of one questionnaire (the same organisation over time, usually):
//! score deltas per dimension, answers that improved or regressed, and numeric answers against
//! their Decision 749 targets then and now.

use super::{QuestionnaireInfo, profile_display};
use crate::assessment::{Assessment, Response};
use crate::export::answer_text;
use crate::i18n::{Lang, tr};
use crate::questionnaire::{Group, Questionnaire};
use crate::scoring::{self, Report};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub const COMPARE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CompareDoc {
    pub compare_version: u32,
    pub lang: Lang,
    pub questionnaire: QuestionnaireInfo,
    pub old: Side,
    pub new: Side,
    /// Overall first, then every dimension (pillars, tasks, layers).
    pub scores: Vec<Delta>,
    /// Answers whose value rose (or that are newly answered with a value above 0).
    pub improved: Vec<Change>,
    /// Answers whose value fell, or that are no longer answered.
    pub regressed: Vec<Change>,
    /// Numeric answers tied to a target, then and now.
    pub targets: Vec<TargetChange>,
    /// Questions in only one of the two, and other things worth knowing.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Side {
    pub label: String,
    pub organisation: String,
    pub questionnaire_version: String,
    pub updated_at: String,
    pub headline: Option<f64>,
    pub band: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Delta {
    /// "overall" or a dimension id.
    pub id: String,
    pub label: String,
    pub group: Option<Group>,
    pub old: Option<f64>,
    pub new: Option<f64>,
    /// new − old, when both exist.
    pub delta: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    pub question_id: String,
    pub question: String,
    pub old_answer: String,
    pub new_answer: String,
    pub old_value: Option<f64>,
    pub new_value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TargetChange {
    pub question_id: String,
    pub question: String,
    pub year: String,
    pub target: f64,
    pub old: Option<f64>,
    pub new: Option<f64>,
    pub unit: String,
    /// Whether the new value meets the target.
    pub met: bool,
}

fn band_label(q: &Questionnaire, id: Option<&String>, lang: Lang) -> Option<String> {
    id.and_then(|b| q.band(b))
        .map(|b| b.label.get(lang).to_string())
}

fn side(q: &Questionnaire, a: &Assessment, r: &Report, label: &str, lang: Lang) -> Side {
    Side {
        label: label.to_string(),
        organisation: profile_display(q, a, "org_name", lang).unwrap_or_default(),
        questionnaire_version: a.questionnaire.version.clone(),
        updated_at: a.updated_at.clone(),
        headline: r.headline.map(scoring::round2),
        band: band_label(q, r.headline_band.as_ref(), lang),
    }
}

/// The change between two scores as shown (one decimal each), so `56.2 → 47.7` is `−8.5`.
fn delta(old: Option<f64>, new: Option<f64>) -> Option<f64> {
    use crate::locale::round1;
    Some(round1(round1(new?) - round1(old?)))
}

/// Compares `old` (scored on `old_q`) with `new` (scored on `new_q`); both must be of the same
/// questionnaire id. Questions are matched by id, so versions may differ.
pub fn compare(
    (old_q, old, old_label): (&Questionnaire, &Assessment, &str),
    (new_q, new, new_label): (&Questionnaire, &Assessment, &str),
    lang: Lang,
) -> Result<CompareDoc, String> {
    if old_q.id != new_q.id {
        return Err(format!(
            "{} ({} ≠ {})",
            tr(
                lang,
                "hai bản đánh giá thuộc hai bộ câu hỏi khác nhau",
                "the two assessments are of different questionnaires"
            ),
            old_q.id,
            new_q.id
        ));
    }
    let (ro, rn) = (scoring::score(old_q, old), scoring::score(new_q, new));
    let mut scores = vec![Delta {
        id: "overall".into(),
        label: tr(lang, "Tổng (trước giới hạn)", "Overall (before caps)").into(),
        group: None,
        old: ro.overall.map(scoring::round2),
        new: rn.overall.map(scoring::round2),
        delta: delta(ro.overall, rn.overall),
    }];
    for d in &new_q.dimensions {
        let o = ro.dimension(&d.id).and_then(|x| x.claimed);
        let n = rn.dimension(&d.id).and_then(|x| x.claimed);
        scores.push(Delta {
            id: d.id.clone(),
            label: d.label.get(lang).to_string(),
            group: Some(d.group),
            old: o.map(scoring::round2),
            new: n.map(scoring::round2),
            delta: delta(o, n),
        });
    }

    let mut improved = Vec::new();
    let mut regressed = Vec::new();
    let mut targets = Vec::new();
    let mut notes = Vec::new();
    let unanswered = tr(lang, "chưa trả lời", "unanswered").to_string();
    for (_, qq) in new_q.questions() {
        let Some(old_question) = old_q.question(&qq.id) else {
            notes.push(format!(
                "{}: {}",
                qq.id,
                tr(
                    lang,
                    "chỉ có trong bản mới",
                    "only in the newer questionnaire"
                )
            ));
            continue;
        };
        let ov = ro.question(&qq.id).and_then(|s| s.value);
        let nv = rn.question(&qq.id).and_then(|s| s.value);
        let oa = old
            .answers
            .get(&qq.id)
            .map(|x| answer_text(old_question, &x.response, lang));
        let na = new
            .answers
            .get(&qq.id)
            .map(|x| answer_text(qq, &x.response, lang));
        let change = Change {
            question_id: qq.id.clone(),
            question: qq.text.get(lang).to_string(),
            old_answer: oa.clone().unwrap_or_else(|| unanswered.clone()),
            new_answer: na.clone().unwrap_or_else(|| unanswered.clone()),
            old_value: ov.map(scoring::round2),
            new_value: nv.map(scoring::round2),
        };
        match (ov, nv) {
            (Some(o), Some(n)) if n > o + 1e-9 => improved.push(change),
            (Some(o), Some(n)) if n < o - 1e-9 => regressed.push(change),
            (None, Some(n)) if n > 0.0 && oa.is_none() => improved.push(change),
            (Some(_), None) if na.is_none() => regressed.push(change),
            _ => {}
        }
        // Numbers tied to a target: where the organisation stands, then and now.
        if let Some(t) = scoring::target_for(new_q, new, qq) {
            let num = |a: &Assessment| match a.answers.get(&qq.id).map(|x| &x.response) {
                Some(Response::Number { value }) => Some(*value),
                _ => None,
            };
            let (o, n) = (num(old), num(new));
            if o.is_some() || n.is_some() {
                targets.push(TargetChange {
                    question_id: qq.id.clone(),
                    question: qq.text.get(lang).to_string(),
                    year: t.year,
                    target: t.value,
                    old: o,
                    new: n,
                    unit: qq
                        .unit
                        .as_ref()
                        .map(|u| u.get(lang).to_string())
                        .unwrap_or_default(),
                    met: n.is_some_and(|v| v >= t.value),
                });
            }
        }
    }
    for (_, qq) in old_q.questions() {
        if new_q.question(&qq.id).is_none() && old.answers.contains_key(&qq.id) {
            notes.push(format!(
                "{}: {}",
                qq.id,
                tr(
                    lang,
                    "không còn trong bộ câu hỏi mới; câu trả lời cũ không được so sánh",
                    "no longer in the questionnaire; its old answer is not compared"
                )
            ));
        }
    }
    if old_q.version != new_q.version {
        notes.insert(
            0,
            format!(
                "{} {} → {}",
                tr(lang, "phiên bản bộ câu hỏi", "questionnaire version"),
                old_q.version,
                new_q.version
            ),
        );
    }
    // Biggest moves first.
    let gap = |c: &Change| (c.new_value.unwrap_or(0.0) - c.old_value.unwrap_or(0.0)).abs();
    improved.sort_by(|a, b| gap(b).total_cmp(&gap(a)));
    regressed.sort_by(|a, b| gap(b).total_cmp(&gap(a)));
    Ok(CompareDoc {
        compare_version: COMPARE_VERSION,
        lang,
        questionnaire: QuestionnaireInfo {
            id: new_q.id.clone(),
            version: new_q.version.clone(),
            title: new_q.title.get(lang).to_string(),
            description: new_q.description.get(lang).to_string(),
        },
        old: side(old_q, old, &ro, old_label, lang),
        new: side(new_q, new, &rn, new_label, lang),
        scores,
        improved,
        regressed,
        targets,
        notes,
    })
}

fn fmt(x: Option<f64>, lang: Lang) -> String {
    crate::locale::score_opt(x, lang)
}

fn signed(x: Option<f64>, lang: Lang) -> String {
    x.map_or_else(|| "—".into(), |v| crate::locale::signed(v, lang))
}

/// Plain text for the terminal, aligned by display width.
pub fn to_text(d: &CompareDoc) -> String {
    use crate::text::pad;
    use std::fmt::Write;
    let lang = d.lang;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} — {} {}",
        d.questionnaire.title, d.questionnaire.id, d.questionnaire.version
    );
    for (tag, s) in [
        (tr(lang, "Trước", "Before"), &d.old),
        (tr(lang, "Sau", "After"), &d.new),
    ] {
        let _ = writeln!(
            o,
            "{}: {} · {} · {} {} ({})",
            tag,
            s.label,
            s.organisation,
            fmt(s.headline, d.lang),
            s.band.as_deref().unwrap_or("—"),
            crate::locale::datetime(&s.updated_at, d.lang)
        );
    }
    let _ = writeln!(
        o,
        "\n  {} {:>6} {:>6} {:>6}",
        pad("", 44),
        tr(lang, "Trước", "Before"),
        tr(lang, "Sau", "After"),
        "Δ"
    );
    let mut group = None;
    for s in &d.scores {
        if s.group != group {
            group = s.group;
            if let Some(g) = s.group {
                let _ = writeln!(o, "{}", g.label(lang));
            }
        }
        let _ = writeln!(
            o,
            "  {} {:>6} {:>6} {:>6}",
            pad(
                format!("{} {}", if s.id == "overall" { "" } else { &s.id }, s.label).trim(),
                44
            ),
            fmt(s.old, d.lang),
            fmt(s.new, d.lang),
            signed(s.delta, d.lang)
        );
    }
    for (title, list) in [
        (tr(lang, "Tiến bộ", "Improved"), &d.improved),
        (tr(lang, "Giảm sút", "Regressed"), &d.regressed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(o, "\n{title} ({})", list.len());
        for c in list {
            let _ = writeln!(
                o,
                "  {} {}",
                pad(&c.question_id, 10),
                crate::text::truncate(&c.question, 64)
            );
            let _ = writeln!(o, "  {} {} → {}", pad("", 10), c.old_answer, c.new_answer);
        }
    }
    if !d.targets.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            tr(lang, "So với chỉ tiêu", "Against the targets")
        );
        for t in &d.targets {
            let mark = if t.met { "✓" } else { "✗" };
            let _ = writeln!(
                o,
                "  {mark} {} {}: {} → {} / {} {} {}",
                pad(&t.question_id, 10),
                crate::text::truncate(&t.question, 40),
                t.old
                    .map_or("—".into(), |v| crate::locale::number(v, d.lang)),
                t.new
                    .map_or("—".into(), |v| crate::locale::number(v, d.lang)),
                crate::locale::number(t.target, d.lang),
                t.unit,
                t.year
            );
        }
    }
    for n in &d.notes {
        let _ = writeln!(o, "* {n}");
    }
    o
}

/// Markdown for a forge or a terminal.
pub fn to_markdown(d: &CompareDoc) -> String {
    use std::fmt::Write;
    let lang = d.lang;
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# {}: {}\n",
        tr(lang, "So sánh", "Comparison"),
        cell(&d.questionnaire.title)
    );
    let _ = writeln!(
        o,
        "| | {} | {} |\n|---|---|---|",
        tr(lang, "Trước", "Before"),
        tr(lang, "Sau", "After")
    );
    let _ = writeln!(
        o,
        "| {} | {} | {} |",
        tr(lang, "Tệp", "File"),
        cell(&d.old.label),
        cell(&d.new.label)
    );
    let _ = writeln!(
        o,
        "| {} | {} | {} |",
        tr(lang, "Tổ chức", "Organisation"),
        cell(&d.old.organisation),
        cell(&d.new.organisation)
    );
    let _ = writeln!(
        o,
        "| {} | {} | {} |",
        tr(lang, "Cập nhật", "Updated"),
        crate::locale::datetime(&d.old.updated_at, d.lang),
        crate::locale::datetime(&d.new.updated_at, d.lang)
    );
    let _ = writeln!(
        o,
        "| {} | {} {} | {} {} |\n",
        tr(lang, "Mức sẵn sàng", "Readiness"),
        fmt(d.old.headline, d.lang),
        d.old.band.as_deref().unwrap_or(""),
        fmt(d.new.headline, d.lang),
        d.new.band.as_deref().unwrap_or("")
    );
    let _ = writeln!(
        o,
        "## {}\n\n| | {} | {} | Δ |\n|---|---:|---:|---:|",
        tr(lang, "Điểm", "Scores"),
        tr(lang, "Trước", "Before"),
        tr(lang, "Sau", "After")
    );
    for s in &d.scores {
        let _ = writeln!(
            o,
            "| {} {} | {} | {} | {} |",
            if s.id == "overall" { "" } else { &s.id },
            cell(&s.label),
            fmt(s.old, d.lang),
            fmt(s.new, d.lang),
            signed(s.delta, d.lang)
        );
    }
    for (title, list) in [
        (tr(lang, "Tiến bộ", "Improved"), &d.improved),
        (tr(lang, "Giảm sút", "Regressed"), &d.regressed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            o,
            "\n## {title}\n\n| | {} | {} | {} |\n|---|---|---|---|",
            tr(lang, "Câu hỏi", "Question"),
            tr(lang, "Trước", "Before"),
            tr(lang, "Sau", "After")
        );
        for c in list {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                c.question_id,
                cell(&c.question),
                cell(&c.old_answer),
                cell(&c.new_answer)
            );
        }
    }
    if !d.targets.is_empty() {
        let _ = writeln!(
            o,
            "\n## {}\n\n| | {} | {} | {} | {} |\n|---|---|---:|---:|---:|",
            tr(lang, "So với chỉ tiêu", "Against the targets"),
            tr(lang, "Câu hỏi", "Question"),
            tr(lang, "Trước", "Before"),
            tr(lang, "Sau", "After"),
            tr(lang, "Chỉ tiêu", "Target")
        );
        for t in &d.targets {
            let n = |x: Option<f64>| x.map_or("—".into(), crate::assessment::format_number);
            let _ = writeln!(
                o,
                "| {} {} | {} | {} | {} | {} {} ({}) |",
                if t.met { "✓" } else { "✗" },
                t.question_id,
                cell(&t.question),
                n(t.old),
                n(t.new),
                crate::assessment::format_number(t.target),
                t.unit,
                t.year
            );
        }
    }
    if !d.notes.is_empty() {
        let _ = writeln!(o);
        for n in &d.notes {
            let _ = writeln!(o, "- {}", cell(n));
        }
    }
    o
}

pub fn to_json(d: &CompareDoc) -> String {
    let mut s = serde_json::to_string_pretty(d).unwrap_or_default();
    s.push('\n');
    s
}
