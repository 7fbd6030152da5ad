//! Several respondents reconciled (`sansang reconcile`), as text for the terminal, Markdown,
//! a self-contained HTML page, or JSON. Every file ends with our name, so `-o` may replace it.

use crate::i18n::{Lang, tr};
use crate::reconcile::ReconcileDoc;
use std::fmt::Write;

fn score(v: Option<f64>, lang: Lang) -> String {
    crate::locale::score_opt(v, lang)
}

fn answer(a: &Option<String>, lang: Lang) -> String {
    a.clone()
        .unwrap_or_else(|| tr(lang, "(không trả lời)", "(no answer)").to_string())
}

fn title(lang: Lang) -> &'static str {
    tr(
        lang,
        "Đối chiếu câu trả lời của nhiều người",
        "Several respondents reconciled",
    )
}

fn summary(d: &ReconcileDoc) -> String {
    let lang = d.lang;
    if d.divergent.is_empty() {
        tr(
            lang,
            "Không có câu nào khác biệt lớn.",
            "No question diverges.",
        )
        .to_string()
    } else {
        format!(
            "{} {}: {}",
            d.divergent.len(),
            tr(lang, "câu khác biệt lớn", "diverging question(s)"),
            d.divergent.join(", ")
        )
    }
}

/// Plain text, for the terminal.
pub fn to_text(d: &ReconcileDoc) -> String {
    let lang = d.lang;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} — {} ({} {})",
        title(lang),
        d.questionnaire.title,
        d.questionnaire.id,
        d.questionnaire.version
    );
    for (i, r) in d.respondents.iter().enumerate() {
        let _ = writeln!(
            o,
            "  [{}] {} · {} · {} {}",
            i + 1,
            r.label,
            if r.organisation.is_empty() {
                "—"
            } else {
                &r.organisation
            },
            tr(lang, "điểm", "score"),
            score(r.headline, lang)
        );
    }
    let _ = writeln!(o, "\n{}\n", summary(d));
    for q in &d.questions {
        let mark = if q.divergent { "⚠" } else { " " };
        let _ = writeln!(o, "{mark} {} {}", q.id, q.question);
        for (i, a) in q.answers.iter().enumerate() {
            let _ = writeln!(o, "    [{}] {}", i + 1, answer(a, lang));
        }
        let outcome = match &q.carried {
            Some(c) => format!("{} ({})", c, q.reason),
            None if q.divergent => {
                format!("{}: {}", tr(lang, "KHÁC BIỆT LỚN", "DIVERGES"), q.reason)
            }
            None => q.reason.clone(),
        };
        let _ = writeln!(o, "    → {outcome}");
    }
    let _ = writeln!(
        o,
        "\n{}",
        tr(
            lang,
            "Độ phân tán điểm theo chiều (min – max, khoảng):",
            "Spread of the dimension scores (min – max, range):"
        )
    );
    for s in &d.dimensions {
        let scores: Vec<String> = s.scores.iter().map(|v| score(*v, lang)).collect();
        let _ = writeln!(
            o,
            "  {:<5} {}: {} · {} – {} ({})",
            s.id,
            s.label,
            scores.join(" / "),
            score(s.min, lang),
            score(s.max, lang),
            score(s.range, lang)
        );
    }
    if !d.profile_differences.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            tr(
                lang,
                "Thông tin tổ chức khác nhau (bản đối chiếu lấy của người đầu tiên):",
                "Profile fields filled differently (the reconciled file takes the first respondent's):"
            )
        );
        for p in &d.profile_differences {
            let v: Vec<String> = p.values.iter().map(|v| answer(v, lang)).collect();
            let _ = writeln!(o, "  {}: {}", p.label, v.join(" / "));
        }
    }
    for n in &d.notes {
        let _ = writeln!(o, "  ! {n}");
    }
    let _ = writeln!(o, "\n{}", tr(lang, "Quy tắc:", "Rules:"));
    for r in &d.rules {
        let _ = writeln!(o, "  - {r}");
    }
    let _ = writeln!(
        o,
        "\n— {}",
        tr(lang, "Lập bằng sansang", "Made with sansang")
    );
    o
}

/// Markdown.
pub fn to_markdown(d: &ReconcileDoc) -> String {
    use super::markdown::{escape as e, table};
    let lang = d.lang;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# {}\n\n{} ({} {})\n",
        e(title(lang)),
        e(&d.questionnaire.title),
        e(&d.questionnaire.id),
        e(&d.questionnaire.version)
    );
    let rows: Vec<Vec<String>> = d
        .respondents
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                e(&r.label),
                e(&r.organisation),
                score(r.headline, lang),
            ]
        })
        .collect();
    table(
        &mut o,
        &[
            "#",
            tr(lang, "Người trả lời", "Respondent"),
            tr(lang, "Tổ chức", "Organisation"),
            tr(lang, "Điểm", "Score"),
        ],
        &rows,
        &[false, false, false, true],
    );
    let _ = writeln!(o, "**{}**\n", e(&summary(d)));
    let _ = writeln!(o, "## {}\n", tr(lang, "Từng câu hỏi", "Per question"));
    let mut head: Vec<String> = vec![
        tr(lang, "Câu", "Question").to_string(),
        tr(lang, "Khác biệt", "Diverges").to_string(),
    ];
    head.extend((1..=d.respondents.len()).map(|i| format!("[{i}]")));
    head.push(tr(lang, "Bản đối chiếu", "Reconciled").to_string());
    let rows: Vec<Vec<String>> = d
        .questions
        .iter()
        .map(|q| {
            let mut r = vec![
                format!("{} {}", e(&q.id), e(&q.question)),
                if q.divergent {
                    format!("⚠ {}", e(&q.reason))
                } else {
                    String::new()
                },
            ];
            r.extend(q.answers.iter().map(|a| e(&answer(a, lang))));
            r.push(match &q.carried {
                Some(c) => format!("{} ({})", e(c), e(&q.reason)),
                None if q.divergent => e(tr(lang, "cần thống nhất", "to agree")),
                None => e(&q.reason),
            });
            r
        })
        .collect();
    let head_refs: Vec<&str> = head.iter().map(String::as_str).collect();
    table(&mut o, &head_refs, &rows, &[]);
    let _ = writeln!(
        o,
        "## {}\n",
        tr(
            lang,
            "Độ phân tán điểm theo chiều",
            "Spread of the dimension scores"
        )
    );
    let mut head: Vec<String> = vec![tr(lang, "Chiều", "Dimension").to_string()];
    head.extend((1..=d.respondents.len()).map(|i| format!("[{i}]")));
    head.extend([
        "min".into(),
        "max".into(),
        tr(lang, "khoảng", "range").into(),
    ]);
    let rows: Vec<Vec<String>> = d
        .dimensions
        .iter()
        .map(|s| {
            let mut r = vec![format!("{} {}", e(&s.id), e(&s.label))];
            r.extend(s.scores.iter().map(|v| score(*v, lang)));
            r.extend([score(s.min, lang), score(s.max, lang), score(s.range, lang)]);
            r
        })
        .collect();
    let head_refs: Vec<&str> = head.iter().map(String::as_str).collect();
    let right: Vec<bool> = (0..head.len()).map(|i| i > 0).collect();
    table(&mut o, &head_refs, &rows, &right);
    if !d.profile_differences.is_empty() {
        let _ = writeln!(
            o,
            "## {}\n",
            tr(
                lang,
                "Thông tin tổ chức khác nhau",
                "Profile fields filled differently"
            )
        );
        for p in &d.profile_differences {
            let v: Vec<String> = p.values.iter().map(|v| e(&answer(v, lang))).collect();
            let _ = writeln!(o, "- {}: {}", e(&p.label), v.join(" / "));
        }
        o.push('\n');
    }
    if !d.notes.is_empty() {
        for n in &d.notes {
            let _ = writeln!(o, "- {}", e(n));
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## {}\n", tr(lang, "Quy tắc", "Rules"));
    for r in &d.rules {
        let _ = writeln!(o, "- {}", e(r));
    }
    let _ = writeln!(
        o,
        "\n---\n\n{}",
        tr(lang, "Lập bằng sansang", "Made with sansang")
    );
    o
}

/// A self-contained HTML page.
pub fn to_html(d: &ReconcileDoc) -> String {
    use super::svg::escape as e;
    let lang = d.lang;
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n{}\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}\ntr.div td {{ background: #fff3e0; }}</style>\n</head>\n<body>\n<main>\n<header><h1>{}</h1><p>{} ({} {})</p></header>\n",
        lang.code(),
        crate::output::HTML_GENERATOR,
        e(title(lang)),
        super::html::CSS,
        e(title(lang)),
        e(&d.questionnaire.title),
        e(&d.questionnaire.id),
        e(&d.questionnaire.version)
    );
    h.push_str(&format!(
        "<table><thead><tr><th>#</th><th>{}</th><th>{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        e(tr(lang, "Người trả lời", "Respondent")),
        e(tr(lang, "Tổ chức", "Organisation")),
        e(tr(lang, "Điểm", "Score"))
    ));
    for (i, r) in d.respondents.iter().enumerate() {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            i + 1,
            e(&r.label),
            e(&r.organisation),
            score(r.headline, lang)
        ));
    }
    h.push_str("</tbody></table>\n");
    h.push_str(&format!("<p><strong>{}</strong></p>\n", e(&summary(d))));
    h.push_str(&format!(
        "<h2>{}</h2>\n<table><thead><tr><th>{}</th>",
        e(tr(lang, "Từng câu hỏi", "Per question")),
        e(tr(lang, "Câu", "Question"))
    ));
    for i in 1..=d.respondents.len() {
        h.push_str(&format!("<th>[{i}]</th>"));
    }
    h.push_str(&format!(
        "<th>{}</th></tr></thead><tbody>",
        e(tr(lang, "Bản đối chiếu", "Reconciled"))
    ));
    for q in &d.questions {
        h.push_str(&format!(
            "<tr{}><td>{}{} {}</td>",
            if q.divergent { " class=\"div\"" } else { "" },
            if q.divergent { "⚠ " } else { "" },
            e(&q.id),
            e(&q.question)
        ));
        for a in &q.answers {
            h.push_str(&format!("<td>{}</td>", e(&answer(a, lang))));
        }
        let outcome = match &q.carried {
            Some(c) => format!("{} ({})", c, q.reason),
            None if q.divergent => {
                format!("{}: {}", tr(lang, "cần thống nhất", "to agree"), q.reason)
            }
            None => q.reason.clone(),
        };
        h.push_str(&format!("<td>{}</td></tr>", e(&outcome)));
    }
    h.push_str("</tbody></table>\n");
    h.push_str(&format!(
        "<h2>{}</h2>\n<table><thead><tr><th>{}</th>",
        e(tr(
            lang,
            "Độ phân tán điểm theo chiều",
            "Spread of the dimension scores"
        )),
        e(tr(lang, "Chiều", "Dimension"))
    ));
    for i in 1..=d.respondents.len() {
        h.push_str(&format!("<th class=\"num\">[{i}]</th>"));
    }
    h.push_str(&format!(
        "<th class=\"num\">min</th><th class=\"num\">max</th><th class=\"num\">{}</th></tr></thead><tbody>",
        e(tr(lang, "khoảng", "range"))
    ));
    for s in &d.dimensions {
        h.push_str(&format!("<tr><td>{} {}</td>", e(&s.id), e(&s.label)));
        for v in s.scores.iter().chain([&s.min, &s.max, &s.range]) {
            h.push_str(&format!("<td class=\"num\">{}</td>", score(*v, lang)));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>\n");
    if !d.profile_differences.is_empty() || !d.notes.is_empty() {
        h.push_str(&format!(
            "<h2>{}</h2>\n<ul>",
            e(tr(lang, "Ghi chú", "Notes"))
        ));
        for p in &d.profile_differences {
            let v: Vec<String> = p.values.iter().map(|v| answer(v, lang)).collect();
            h.push_str(&format!("<li>{}: {}</li>", e(&p.label), e(&v.join(" / "))));
        }
        for n in &d.notes {
            h.push_str(&format!("<li>{}</li>", e(n)));
        }
        h.push_str("</ul>\n");
    }
    h.push_str(&format!(
        "<h2>{}</h2>\n<ul>",
        e(tr(lang, "Quy tắc", "Rules"))
    ));
    for r in &d.rules {
        h.push_str(&format!("<li>{}</li>", e(r)));
    }
    h.push_str("</ul>\n</main>\n</body>\n</html>\n");
    h
}

/// JSON for other tools.
pub fn to_json(d: &ReconcileDoc) -> String {
    let mut s = serde_json::to_string_pretty(d).unwrap_or_default();
    s.push('\n');
    s
}
