//! Plain-text score tables for the `score` command, aligned by display width.

use crate::assessment::Assessment;
use crate::assessment::store::LoadNote;
use crate::i18n::{Lang, tr};
use crate::questionnaire::{Group, ProfileKind, Questionnaire};
use crate::scoring::{Improvement, Report, explain};
use crate::text::{pad, truncate, width, wrap};
use std::fmt::Write;

const LABEL: usize = 44;

fn band_label(q: &Questionnaire, id: &Option<String>, lang: Lang) -> String {
    id.as_ref()
        .and_then(|b| q.band(b))
        .map(|b| b.label.get(lang).to_string())
        .unwrap_or_else(|| "—".into())
}

fn num(x: Option<f64>) -> String {
    x.map(|v| format!("{v:5.1}"))
        .unwrap_or_else(|| "    —".into())
}

fn bar(x: Option<f64>) -> String {
    let filled = x.map(|v| (v / 10.0).round() as usize).unwrap_or(0).min(10);
    format!("{}{}", "█".repeat(filled), "░".repeat(10 - filled))
}

/// The profile value as shown: a choice's label, or the text / number.
fn profile_display(q: &Questionnaire, a: &Assessment, id: &str, lang: Lang) -> Option<String> {
    let v = a.profile_text(id)?;
    let f = q.profile_field(id)?;
    if f.kind == ProfileKind::Choice {
        return f.option_label(&v).map(|l| l.get(lang).to_string());
    }
    Some(v)
}

fn question_text(q: &Questionnaire, id: &str, lang: Lang) -> String {
    q.question(id)
        .map(|x| x.text.get(lang).to_string())
        .unwrap_or_default()
}

pub fn table(
    q: &Questionnaire,
    a: &Assessment,
    r: &Report,
    notes: &[LoadNote],
    top: usize,
    lang: Lang,
) -> String {
    let mut o = String::new();
    for n in notes {
        let _ = writeln!(o, "* {}", n.render(lang));
    }
    let _ = writeln!(
        o,
        "{}: {} {} — {}",
        tr(lang, "Bộ câu hỏi", "Questionnaire"),
        q.id,
        q.version,
        q.title.get(lang)
    );
    let org = profile_display(q, a, "org_name", lang).unwrap_or_else(|| "—".into());
    let level = q
        .profile
        .iter()
        .filter(|f| f.kind == ProfileKind::Choice)
        .find_map(|f| profile_display(q, a, &f.id, lang));
    let _ = writeln!(
        o,
        "{}: {org}{}",
        tr(lang, "Tổ chức", "Organisation"),
        level.map(|l| format!(" ({l})")).unwrap_or_default()
    );
    let capped = r.headline_band != r.overall_band;
    let _ = writeln!(
        o,
        "{}: {} — {}{}",
        tr(lang, "Điểm sẵn sàng", "Readiness"),
        num(r.headline).trim(),
        band_label(q, &r.headline_band, lang),
        if capped {
            format!(
                " ({} {} — {})",
                tr(lang, "bị giới hạn; điểm gốc", "capped; raw score"),
                num(r.overall).trim(),
                band_label(q, &r.overall_band, lang)
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        o,
        "{}: {}",
        tr(lang, "Có minh chứng", "Evidenced"),
        num(r.overall_evidenced).trim()
    );
    let c = r.coverage;
    let _ = writeln!(
        o,
        "{}: {}/{} ({:.0}%) · {}: {} · {}: {}",
        tr(lang, "Đã trả lời", "Answered"),
        c.answered,
        c.applicable,
        c.percent(),
        tr(lang, "không biết", "don't know"),
        c.dont_know,
        tr(lang, "không áp dụng", "not applicable"),
        c.not_applicable
    );
    for g in Group::ALL {
        let dims: Vec<_> = r.dimensions.iter().filter(|d| d.group == g).collect();
        if dims.is_empty() {
            continue;
        }
        let _ = writeln!(o, "\n{}", g.label(lang));
        let _ = writeln!(
            o,
            "  {} {:>5}  {:10}  {:>5}  {}",
            pad("", LABEL),
            tr(lang, "Điểm", "Score"),
            "",
            tr(lang, "MC", "Evid"),
            tr(lang, "Đã trả lời · Mức", "Answered · Band")
        );
        for d in dims {
            let label = q.dimension(&d.id).map(|x| x.label.get(lang)).unwrap_or("");
            let _ = writeln!(
                o,
                "  {} {}  {}  {}  {}/{} · {}",
                pad(&format!("{} {label}", d.id), LABEL),
                num(d.claimed),
                bar(d.claimed),
                num(d.evidenced),
                d.coverage.answered,
                d.coverage.applicable,
                band_label(q, &d.band, lang)
            );
        }
    }
    if !r.warnings.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            tr(
                lang,
                "Cảnh báo (không an toàn không chuyển đổi số)",
                "Warnings (no security, no digital transformation)"
            )
        );
        for wn in &r.warnings {
            let line = explain::warning_text(q, wn, lang);
            for (i, l) in wrap(&line, 76).iter().enumerate() {
                let _ = writeln!(o, "  {} {l}", if i == 0 { "!" } else { " " });
            }
        }
    }
    both_improvements(&mut o, q, r, top, lang);
    o
}

/// The weakest answers (with recommendations), then the unanswered questions that matter most.
fn both_improvements(o: &mut String, q: &Questionnaire, r: &Report, top: usize, lang: Lang) {
    let weak = tr(
        lang,
        "Điểm yếu nhất, nên cải thiện trước",
        "Weakest items, improve these first",
    );
    improvements(o, q, &r.weakest, top, weak, lang, true);
    let next = tr(
        lang,
        "Câu chưa trả lời có ảnh hưởng lớn nhất",
        "Unanswered questions that matter most",
    );
    improvements(o, q, &r.next_unanswered, top, next, lang, false);
}

fn improvements(
    o: &mut String,
    q: &Questionnaire,
    list: &[Improvement],
    top: usize,
    title: &str,
    lang: Lang,
    with_rec: bool,
) {
    if list.is_empty() || top == 0 {
        return;
    }
    let _ = writeln!(o, "\n{title}");
    for (i, imp) in list.iter().take(top).enumerate() {
        let head = format!("{}. {} (+{:.1}) ", i + 1, imp.question, imp.gain);
        let text = question_text(q, &imp.question, lang);
        let _ = writeln!(
            o,
            "  {head}{}",
            truncate(&text, 78usize.saturating_sub(width(&head)))
        );
        if with_rec
            && let Some(rec) = q
                .question(&imp.question)
                .and_then(|x| x.recommendation.as_ref())
        {
            for (j, l) in wrap(rec.get(lang), 72).iter().enumerate() {
                let _ = writeln!(o, "     {} {l}", if j == 0 { "→" } else { " " });
            }
        }
    }
}

/// The "why" of one score: formula with numbers, each question's part, and what would raise it.
pub fn explain(
    q: &Questionnaire,
    a: &Assessment,
    r: &Report,
    id: &str,
    lang: Lang,
) -> Option<String> {
    let mut o = String::new();
    if id.eq_ignore_ascii_case("overall") {
        let _ = writeln!(o, "{}", explain::overall_formula(r, q.overall.group, lang));
        for note in explain::weight_notes(q, r, lang) {
            let _ = writeln!(o, "{note}");
        }
        both_improvements(&mut o, q, r, 10, lang);
        return Some(o);
    }
    let d = r.dimension(id)?;
    let label = q.dimension(id).map(|x| x.label.get(lang)).unwrap_or("");
    let _ = writeln!(o, "{id} {label}");
    let _ = writeln!(o, "{}", explain::formula(d, lang));
    let _ = writeln!(
        o,
        "{}: {}/{} · {}: {}",
        tr(lang, "Đã trả lời", "Answered"),
        d.coverage.answered,
        d.coverage.applicable,
        tr(lang, "Có minh chứng", "Evidenced"),
        num(d.evidenced).trim()
    );
    let _ = writeln!(
        o,
        "\n  {} {:>4} {:>5} {:>6}  {}",
        pad(tr(lang, "Câu hỏi", "Question"), 12),
        "w",
        "v",
        "w·v",
        tr(lang, "Trạng thái · câu trả lời", "Status · answer")
    );
    for it in &d.items {
        let ans = q
            .question(&it.question)
            .zip(a.answers.get(&it.question))
            .map(|(qq, an)| crate::export::answer_text(qq, &an.response, lang))
            .unwrap_or_default();
        let wv = it
            .value
            .map(|v| format!("{:6.2}", v * it.weight))
            .unwrap_or_else(|| "     —".into());
        let v = it
            .value
            .map(|v| format!("{v:5.2}"))
            .unwrap_or_else(|| "    —".into());
        let status = explain::status_label(it.status, lang);
        let ev = if it.evidenced { " ✓" } else { "" };
        let _ = writeln!(
            o,
            "  {} {:>4} {v} {wv}  {}",
            pad(&it.question, 12),
            it.weight,
            truncate(&format!("{status}{ev} · {ans}"), 44)
        );
    }
    if !d.what_if.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            tr(
                lang,
                "Nếu đạt đầy đủ, điểm tăng thêm",
                "If fully met, the score would rise by"
            )
        );
        for imp in d.what_if.iter().take(5) {
            let _ = writeln!(
                o,
                "  +{:4.1}  {} {}",
                imp.gain,
                pad(&imp.question, 12),
                truncate(&question_text(q, &imp.question, lang), 56)
            );
        }
    }
    Some(o)
}
