//! The aggregate (a portfolio, a province's communes, a workshop room) as one self-contained HTML
//! page: distributions as box plots per pillar, task and security layer, band counts, the most
//! common weak items, the respondents, and the files that were skipped.

use super::html::CSS;
use super::svg::{self, Spread, escape as e};
use crate::aggregate::{
    AggregateDoc, GroupAggregate, InDoc, QuestionnaireAggregate, Respondent, Respondents, Stats,
};
use crate::i18n::tr;
use std::io::{self, Write};

fn stats_cells(s: &Option<Stats>) -> String {
    match s {
        Some(s) => format!(
            "<td class=\"num\">{}</td><td class=\"num\">{:.1}</td><td class=\"num\">{:.1}</td><td class=\"num\">{:.1}</td><td class=\"num\">{:.1}</td><td class=\"num\">{:.1}</td><td class=\"num\">{:.1}</td>",
            s.count, s.mean, s.min, s.q1, s.median, s.q3, s.max
        ),
        None => "<td class=\"num\">0</td><td colspan=\"6\">—</td>".into(),
    }
}

fn group(doc: &AggregateDoc, g: &GroupAggregate, h: &mut String) {
    let l = doc.lang;
    h.push_str(&format!(
        "<section class=\"group\"><h3>{} <span class=\"muted\">(n = {})</span></h3>\n",
        e(&g.label),
        g.count
    ));
    h.push_str(&format!(
        "<table><thead><tr><th></th><th class=\"num\">n</th><th class=\"num\">{}</th><th class=\"num\">min</th><th class=\"num\">Q1</th><th class=\"num\">{}</th><th class=\"num\">Q3</th><th class=\"num\">max</th></tr></thead><tbody>",
        e(tr(l, "Trung bình", "Mean")),
        e(tr(l, "Trung vị", "Median"))
    ));
    h.push_str(&format!(
        "<tr><th>{}</th>{}</tr>",
        e(tr(l, "Mức sẵn sàng", "Readiness")),
        stats_cells(&g.headline)
    ));
    h.push_str(&format!(
        "<tr><th>{}</th>{}</tr>",
        e(tr(l, "Có minh chứng", "Evidenced")),
        stats_cells(&g.evidenced)
    ));
    for dg in &g.dimension_groups {
        for d in &dg.dimensions {
            h.push_str(&format!(
                "<tr><td>{} {}</td>{}</tr>",
                e(&d.id),
                e(&d.label),
                stats_cells(&d.claimed)
            ));
        }
    }
    h.push_str("</tbody></table>\n");
    for dg in &g.dimension_groups {
        let rows: Vec<Spread> = dg
            .dimensions
            .iter()
            .map(|d| Spread {
                label: format!("{} {}", d.id, d.label),
                five: d
                    .claimed
                    .as_ref()
                    .map(|s| (s.min, s.q1, s.median, s.q3, s.max)),
                count: d.claimed.as_ref().map_or(0, |s| s.count),
            })
            .collect();
        h.push_str(&format!(
            "<h4>{}</h4>{}\n",
            e(&dg.label),
            svg::box_plot(&dg.label, &rows)
        ));
    }
    if !g.bands.is_empty() {
        h.push_str(&format!("<table class=\"band-scale\"><thead><tr><th>{}</th><th class=\"num\">n</th></tr></thead><tbody>", e(tr(l, "Mức", "Band"))));
        for b in &g.bands {
            h.push_str(&format!(
                "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
                e(&b.label),
                b.count
            ));
        }
        h.push_str("</tbody></table>\n");
    }
    if !g.weak.is_empty() {
        h.push_str(&format!(
            "<h4>{}</h4><table><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead><tbody>",
            e(tr(l, "Điểm yếu phổ biến nhất", "Most common weak items")),
            e(tr(l, "Câu hỏi", "Question")),
            e(tr(l, "Yếu", "Weak")),
            e(tr(l, "Không biết", "Don't know")),
            e(tr(l, "Khuyến nghị", "Recommendation"))
        ));
        for w in g.weak.iter().take(10) {
            h.push_str(&format!(
                "<tr><td><b>{}</b> {}</td><td class=\"num\">{}/{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                e(&w.question_id),
                e(&w.question),
                w.weak,
                w.answered,
                w.dont_know,
                e(&w.recommendation)
            ));
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");
}

/// One respondent's row.
fn respondent(r: &Respondent) -> String {
    format!(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}/{}</td></tr>",
        e(&r.file),
        e(&r.organisation),
        e(&r.group),
        r.headline.map_or("—".into(), |v| format!("{v:.1}")),
        e(r.band.as_ref().map_or("—", |b| b.label.as_str())),
        r.evidenced.map_or("—".into(), |v| format!("{v:.1}")),
        r.coverage.answered,
        r.coverage.applicable
    )
}

/// A questionnaire's part; what is made so far goes out before its respondents, which are
/// written as they come.
fn questionnaire(
    doc: &AggregateDoc,
    (qi, q): (usize, &QuestionnaireAggregate),
    rows: &mut dyn Respondents,
    h: &mut String,
    w: &mut dyn Write,
) -> io::Result<()> {
    let l = doc.lang;
    h.push_str(&format!(
        "<h2>{} <span class=\"muted\">({} {})</span></h2>\n",
        e(&q.title),
        e(&q.id),
        e(&q.version)
    ));
    group(doc, &q.all, h);
    for g in &q.groups {
        group(doc, g, h);
    }
    h.push_str(&format!(
        "<h3 class=\"page-break\">{}</h3><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        e(tr(l, "Người trả lời", "Respondents")),
        e(tr(l, "Tệp", "File")),
        e(tr(l, "Tổ chức", "Organisation")),
        e(&doc.group_by_label),
        e(tr(l, "Điểm", "Score")),
        e(tr(l, "Mức", "Band")),
        e(tr(l, "MC", "Evid.")),
        e(tr(l, "Đã trả lời", "Answered"))
    ));
    w.write_all(h.as_bytes())?;
    h.clear();
    rows.each(qi, &mut |r| w.write_all(respondent(r).as_bytes()))?;
    h.push_str("</tbody></table>\n");
    Ok(())
}

/// Renders the aggregate as one self-contained HTML5 document (no script, no external resource).
pub fn render(doc: &AggregateDoc) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and every piece written is UTF-8.
    let _ = write(doc, &mut InDoc(doc), &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`render`]'s bytes, written as they are made, the respondents from `rows` (never all held).
pub fn write(doc: &AggregateDoc, rows: &mut dyn Respondents, w: &mut dyn Write) -> io::Result<()> {
    let l = doc.lang;
    let title = tr(
        l,
        "Tổng hợp mức độ sẵn sàng chuyển đổi số",
        "Digital-transformation readiness: aggregate",
    );
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n{}\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}\nh4 {{ font-size: 14px; margin: 12px 0 4px; }}</style>\n</head>\n<body>\n<main>\n<header><p class=\"kicker\">{}</p><h1>{}</h1>\n",
        l.code(),
        crate::output::HTML_GENERATOR,
        e(title),
        e(tr(l, "Quyết định 749/QĐ-TTg", "Decision 749/QĐ-TTg")),
        e(title)
    );
    h.push_str(&format!(
        "<dl class=\"meta\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>\n<p class=\"muted\">{}</p></header>\n",
        e(tr(l, "Thời điểm lập", "Generated")),
        e(&doc.generated_at),
        e(tr(l, "Số tệp", "Files")),
        doc.files,
        e(tr(l, "Số người trả lời", "Respondents")),
        doc.respondents,
        e(tr(l, "Bỏ qua", "Skipped")),
        doc.skipped.len(),
        e(tr(l, "Nhóm theo", "Grouped by")),
        e(&doc.group_by_label),
        e(&doc.method)
    ));
    for q in doc.questionnaires.iter().enumerate() {
        questionnaire(doc, q, rows, &mut h, w)?;
    }
    if !doc.skipped.is_empty() {
        h.push_str(&format!(
            "<h2>{}</h2><ul>",
            e(tr(l, "Tệp bị bỏ qua", "Skipped files"))
        ));
        for s in &doc.skipped {
            h.push_str(&format!(
                "<li><b>{}</b>: <span class=\"pre\">{}</span></li>",
                e(&s.file),
                e(&s.error)
            ));
        }
        h.push_str("</ul>\n");
    }
    let noted: Vec<_> = doc.notes.iter().filter(|n| !n.notes.is_empty()).collect();
    if !noted.is_empty() {
        h.push_str(&format!(
            "<h2>{}</h2><ul>",
            e(tr(l, "Ghi chú theo tệp", "Notes per file"))
        ));
        for n in noted {
            h.push_str(&format!(
                "<li><b>{}</b>: {}</li>",
                e(&n.file),
                e(&n.notes.join("; "))
            ));
        }
        h.push_str("</ul>\n");
    }
    h.push_str(&format!(
        "<footer>sansang · {}</footer>\n</main>\n</body>\n</html>\n",
        e(&doc.generated_at)
    ));
    w.write_all(h.as_bytes())
}
