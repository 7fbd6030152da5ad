//! The HTML report: one self-contained HTML5 file (inline CSS and SVG, no script, no external
//! font, image or style), laid out for the screen and for printing on A4. Every piece of text
//! from the questionnaire or the answers is escaped, so an answer cannot inject markup.

use super::svg::{self, Datum, escape as e, score_text};
use super::{AnswerRow, GroupScores, ReportDoc};
use crate::assessment::format_number;
use crate::i18n::tr;
use crate::questionnaire::Group;

pub(crate) const CSS: &str = r#"
:root { --ink: #1a202c; --muted: #4a5568; --line: #cbd5e0; --accent: #2b6cb0; --warn: #9c4221; --warn-bg: #fffaf0; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font-family: "Noto Sans", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 15px; line-height: 1.45; }
main { max-width: 960px; margin: 0 auto; padding: 24px 28px 40px; }
h1 { font-size: 26px; margin: 4px 0 6px; line-height: 1.25; }
h2 { font-size: 20px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); }
h3 { font-size: 16px; margin: 18px 0 8px; }
p { margin: 6px 0; }
.kicker { color: var(--muted); font-size: 13px; text-transform: uppercase; letter-spacing: .04em; margin: 0; }
.muted { color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 10px 0 0; font-size: 14px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #edf2f7; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.pre { white-space: pre-wrap; }
td { overflow-wrap: anywhere; }
table.answers { table-layout: fixed; }
table.answers th.num { white-space: normal; }
table.answers th:nth-child(1) { width: 8%; }
table.answers th:nth-child(2) { width: 22%; }
table.answers th:nth-child(3) { width: 10%; }
table.answers th:nth-child(4) { width: 14%; }
table.answers th:nth-child(5) { width: 8%; }
table.answers th:nth-child(6) { width: 14%; }
table.answers th:nth-child(7) { width: 15%; }
table.answers th:nth-child(8) { width: 9%; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
.headline { display: flex; flex-wrap: wrap; gap: 12px 32px; align-items: baseline; margin: 8px 0; }
.score { font-size: 44px; font-weight: 700; line-height: 1; }
.band { font-size: 22px; font-weight: 600; color: var(--accent); }
.band-scale { font-size: 13px; width: auto; min-width: 45%; }
.band-scale td.current { font-weight: 700; background: #ebf4ff; }
.warning { border-left: 4px solid var(--warn); background: var(--warn-bg); color: var(--warn); padding: 6px 10px; margin: 6px 0; break-inside: avoid; }
.formula { font-family: "Noto Sans Mono", "DejaVu Sans Mono", Consolas, monospace; font-size: 13px; color: var(--muted); }
.chart { display: block; max-width: 100%; height: auto; margin: 4px 0 8px; break-inside: avoid; }
.chart text { font-family: "Noto Sans", "Segoe UI", Roboto, Arial, sans-serif; font-size: 13px; fill: var(--ink); }
.chart .value { font-weight: 700; }
.chart .tick { font-size: 10px; fill: var(--muted); }
.chart .grid { stroke: #e2e8f0; stroke-width: 1; }
.chart .track { fill: #edf2f7; stroke: #a0aec0; stroke-width: .5; }
.chart .bar { fill: var(--accent); }
.chart .ring { fill: none; stroke: #cbd5e0; stroke-width: 1; }
.chart .axis { stroke: #a0aec0; stroke-width: 1; }
.chart .area { fill: rgba(43, 108, 176, .25); stroke: var(--accent); stroke-width: 2; }
.chart .dot { fill: var(--accent); }
.group { break-inside: avoid; }
ol.weakest { padding-left: 22px; }
ol.weakest li { margin: 0 0 10px; break-inside: avoid; }
.seed { font-size: 12px; color: var(--muted); }
.review { font-weight: 600; color: var(--warn); overflow-wrap: normal; }
footer { margin-top: 32px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--line); padding-top: 6px; }
@page { size: A4; margin: 15mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  .page-break { break-before: page; page-break-before: always; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Renders the report as one self-contained HTML5 document.
pub fn render(doc: &ReportDoc) -> String {
    let l = doc.lang;
    let mut h = String::with_capacity(32 * 1024);
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} – {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        l.code(),
        e(tr(l, "Báo cáo mức độ sẵn sàng chuyển đổi số", "Digital-transformation readiness report")),
        e(&doc.questionnaire.title)
    ));

    // Title and dates.
    h.push_str(&format!(
        "<header>\n<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n",
        e(tr(
            l,
            "Báo cáo mức độ sẵn sàng chuyển đổi số · Quyết định 749/QĐ-TTg",
            "Digital-transformation readiness report · Decision 749/QĐ-TTg"
        )),
        e(&doc.questionnaire.title)
    ));
    if !doc.questionnaire.description.is_empty() {
        h.push_str(&format!(
            "<p class=\"muted\">{}</p>\n",
            e(&doc.questionnaire.description)
        ));
    }
    h.push_str("<dl class=\"meta\">\n");
    let meta = doc.meta_rows();
    for (k, v) in meta {
        h.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", e(k), e(&v)));
    }
    h.push_str("</dl>\n</header>\n");

    // Organisation profile.
    h.push_str(&format!(
        "<section id=\"organisation\">\n<h2>{}</h2>\n",
        e(tr(l, "Thông tin tổ chức", "Organisation"))
    ));
    if doc.organisation.is_empty() {
        h.push_str(&format!(
            "<p class=\"muted\">{}</p>\n",
            e(tr(l, "Chưa nhập thông tin.", "No details entered."))
        ));
    } else {
        h.push_str("<table class=\"profile\">\n<tbody>\n");
        for f in &doc.organisation {
            h.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n",
                e(&f.label),
                e(&f.value)
            ));
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");

    summary(doc, &mut h);
    scores(doc, &mut h);
    targets(doc, &mut h);
    weakest(doc, &mut h);
    answers(doc, &mut h);

    h.push_str(&format!(
        "<footer>{} · {} {} · {} {}</footer>\n</main>\n</body>\n</html>\n",
        e(tr(l, "Lập bằng sansang", "Made with sansang")),
        e(tr(l, "định dạng báo cáo", "report format")),
        doc.report_version,
        e(tr(l, "lúc", "at")),
        e(&doc.generated_at)
    ));
    h
}

fn band_label(b: &Option<super::BandRef>) -> String {
    b.as_ref()
        .map_or(svg::MISSING.to_string(), |b| b.label.clone())
}

fn summary(doc: &ReportDoc, h: &mut String) {
    let l = doc.lang;
    let hd = &doc.headline;
    h.push_str(&format!(
        "<section id=\"summary\">\n<h2>{}</h2>\n",
        e(tr(l, "Kết quả chung", "Overall result"))
    ));
    h.push_str(&format!(
        "<div class=\"headline\">\n<div><div class=\"muted\">{}</div><div class=\"score\">{}</div></div>\n<div><div class=\"muted\">{}</div><div class=\"band\">{}</div></div>\n<div><div class=\"muted\">{}</div><div class=\"band\">{}</div></div>\n</div>\n",
        e(tr(l, "Điểm chung (0–100)", "Overall score (0–100)")),
        e(&score_text(hd.score)),
        e(tr(l, "Mức", "Band")),
        e(&band_label(&hd.band)),
        e(tr(l, "Điểm có minh chứng", "Evidenced score")),
        e(&score_text(hd.evidenced)),
    ));
    let capped = hd.score != hd.raw_score || hd.band != hd.raw_band;
    if capped {
        h.push_str(&format!(
            "<p class=\"warning\"><strong>{}</strong> {} {} ({}).</p>\n",
            e(tr(
                l,
                "Điểm bị giới hạn theo quy tắc an toàn thông tin.",
                "Score capped by the security rule."
            )),
            e(tr(l, "Trước khi giới hạn:", "Before the cap:")),
            e(&score_text(hd.raw_score)),
            e(&band_label(&hd.raw_band))
        ));
    }
    for w in &doc.warnings {
        h.push_str(&format!(
            "<p class=\"warning\" role=\"note\"><strong>{}</strong> {}</p>\n",
            e(tr(l, "Cảnh báo:", "Warning:")),
            e(w)
        ));
    }
    if !hd.formula.is_empty() {
        h.push_str(&format!("<p class=\"formula\">{}</p>\n", e(&hd.formula)));
    }
    let c = &doc.coverage;
    h.push_str(&format!(
        "<p>{} <strong>{}/{}</strong> ({}%) · {} {} · {} {}</p>\n",
        e(tr(l, "Mức độ trả lời:", "Coverage:")),
        c.answered,
        c.applicable,
        format_number(crate::scoring::round2(c.percent())),
        e(tr(l, "không biết:", "don't know:")),
        c.dont_know,
        e(tr(l, "không áp dụng:", "not applicable:")),
        c.not_applicable
    ));
    h.push_str(&format!(
        "<p class=\"muted\">{}</p>\n",
        e(tr(
            l,
            "Điểm có minh chứng chỉ tính các câu trả lời có văn bản đã xem hoặc đã kiểm tra trên hệ thống.",
            "The evidenced score counts only answers backed by a document seen or verified in the system."
        ))
    ));
    if !doc.bands.is_empty() {
        let current = hd.band.as_ref().map(|b| b.id.as_str());
        let described = doc.bands.iter().any(|b| !b.description.is_empty());
        h.push_str(&format!(
            "<table class=\"band-scale\">\n<thead><tr><th>{}</th><th class=\"num\">{}</th>{}</tr></thead>\n<tbody>\n",
            e(tr(l, "Mức", "Band")),
            e(tr(l, "Khoảng điểm", "Range")),
            if described { format!("<th>{}</th>", e(tr(l, "Mô tả", "Description"))) } else { String::new() }
        ));
        for b in &doc.bands {
            let cur = current == Some(b.id.as_str());
            let class = if cur { " class=\"current\"" } else { "" };
            h.push_str(&format!(
                "<tr><td{class}>{}{}</td><td class=\"num\">{}–{}</td>{}</tr>\n",
                e(&b.label),
                if cur {
                    format!(" ◀ {}", e(tr(l, "hiện tại", "current")))
                } else {
                    String::new()
                },
                format_number(b.min),
                format_number(b.max),
                if described {
                    format!("<td>{}</td>", e(&b.description))
                } else {
                    String::new()
                }
            ));
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");
}

fn chart_title(g: &GroupScores, doc: &ReportDoc) -> String {
    format!(
        "{} – {}",
        g.label,
        tr(doc.lang, "điểm 0–100", "scores 0–100")
    )
}

fn scores(doc: &ReportDoc, h: &mut String) {
    let l = doc.lang;
    h.push_str(&format!(
        "<section id=\"scores\" class=\"page-break\">\n<h2>{}</h2>\n",
        e(tr(l, "Điểm theo từng nội dung", "Scores by area"))
    ));
    for g in &doc.groups {
        let data: Vec<Datum> = g
            .dimensions
            .iter()
            .map(|d| Datum::new(&d.label, d.claimed))
            .collect();
        let heading = match g.group {
            Group::Pillar => tr(l, "Các trụ cột", "Pillars"),
            Group::Task => tr(l, "Các nhiệm vụ nền móng", "Foundational tasks"),
            Group::Layer => tr(l, "Mô hình bảo vệ 4 lớp", "The four security layers"),
            Group::Security => tr(l, "An toàn thông tin cốt lõi", "Security core"),
            Group::Dbi => tr(
                l,
                "Chỉ số chuyển đổi số doanh nghiệp (DBI)",
                "Enterprise DX index (DBI)",
            ),
        };
        h.push_str(&format!(
            "<div class=\"group\" id=\"group-{}\">\n<h3>{}</h3>\n",
            e(&format!("{:?}", g.group).to_lowercase()),
            e(heading)
        ));
        let chart = if g.group == Group::Layer {
            svg::radar_chart(&chart_title(g, doc), &data)
        } else {
            svg::bar_chart(&chart_title(g, doc), &data)
        };
        h.push_str(&chart);
        h.push('\n');
        h.push_str(&format!(
            "<table>\n<thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
            e(&g.label),
            e(tr(l, "Điểm", "Score")),
            e(tr(l, "Có minh chứng", "Evidenced")),
            e(tr(l, "Mức", "Band")),
            e(tr(l, "Đã trả lời", "Answered"))
        ));
        for d in &g.dimensions {
            h.push_str(&format!(
                "<tr><td>{} <span class=\"muted\">({})</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}/{}</td></tr>\n",
                e(&d.label),
                e(&d.id),
                e(&score_text(d.claimed)),
                e(&score_text(d.evidenced)),
                e(&band_label(&d.band)),
                d.coverage.answered,
                d.coverage.applicable
            ));
        }
        h.push_str("</tbody>\n</table>\n</div>\n");
    }
    h.push_str("</section>\n");
}

fn targets(doc: &ReportDoc, h: &mut String) {
    let l = doc.lang;
    h.push_str(&format!(
        "<section id=\"targets\">\n<h2>{}</h2>\n",
        e(tr(
            l,
            "So với chỉ tiêu Quyết định 749",
            "Against the Decision 749 targets"
        ))
    ));
    if doc.targets.is_empty() {
        h.push_str(&format!(
            "<p class=\"muted\">{}</p>\n</section>\n",
            e(tr(
                l,
                "Không có chỉ tiêu nào áp dụng cho các câu trả lời.",
                "No target applies to the answers."
            ))
        ));
        return;
    }
    h.push_str(&format!(
        "<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        e(tr(l, "Chỉ tiêu", "Target")),
        e(tr(l, "Câu hỏi", "Question")),
        e(tr(l, "Áp dụng cho", "Applies to")),
        e(tr(l, "Thực tế", "Value")),
        e(tr(l, "Chỉ tiêu", "Target")),
        e(tr(l, "Đạt", "Met"))
    ));
    for t in &doc.targets {
        let unit = if t.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", t.unit)
        };
        let met = if t.ratio >= 1.0 {
            tr(l, "đạt", "met")
        } else {
            tr(l, "chưa đạt", "not met")
        };
        h.push_str(&format!(
            "<tr><td>{} <span class=\"muted\">({} {})</span></td><td>{} <span class=\"muted\">({})</span></td><td>{}</td><td class=\"num\">{}{}</td><td class=\"num\">{}{}{}</td><td class=\"num\">{}% · {}</td></tr>\n",
            e(&t.target_label),
            e(tr(l, "năm", "year")),
            e(&t.year),
            e(&t.question),
            e(&t.question_id),
            e(&t.applies_to),
            e(&format_number(t.value)),
            e(&unit),
            e(&format_number(t.target)),
            e(&unit),
            t.other_years
                .iter()
                .map(|y| format!(
                    "<br><span class=\"muted\">{} {}: {}{} · {}</span>",
                    e(tr(l, "năm", "year")),
                    e(&y.year),
                    e(&format_number(y.target)),
                    e(&unit),
                    e(if y.met { tr(l, "đạt", "met") } else { tr(l, "chưa đạt", "not met") })
                ))
                .collect::<String>(),
            e(&format_number(crate::scoring::round2(t.ratio * 100.0))),
            e(met)
        ));
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn seeds(seed: &[String]) -> String {
    seed.iter().map(|s| e(s)).collect::<Vec<_>>().join("; ")
}

fn weakest(doc: &ReportDoc, h: &mut String) {
    let l = doc.lang;
    h.push_str(&format!(
        "<section id=\"weakest\" class=\"page-break\">\n<h2>{}</h2>\n",
        e(tr(l, "Cần cải thiện trước", "Improve these first"))
    ));
    if doc.weakest.is_empty() {
        h.push_str(&format!(
            "<p class=\"muted\">{}</p>\n</section>\n",
            e(tr(
                l,
                "Không có mục nào cần cải thiện.",
                "Nothing to improve."
            ))
        ));
        return;
    }
    h.push_str(&format!(
        "<p class=\"muted\">{}</p>\n<ol class=\"weakest\">\n",
        e(tr(
            l,
            "Xếp theo số điểm chung tăng thêm nếu đáp ứng đầy đủ.",
            "Ranked by the overall points gained if fully met."
        ))
    ));
    for w in &doc.weakest {
        h.push_str(&format!(
            "<li><strong>{}</strong> <span class=\"muted\">({})</span><br>{} {} · {} +{}",
            e(&w.question),
            e(&w.question_id),
            e(tr(l, "Trả lời:", "Answer:")),
            e(&w.answer),
            e(tr(l, "điểm chung tăng thêm", "overall gain")),
            e(&score_text(Some(w.gain)))
        ));
        if !w.recommendation.is_empty() {
            h.push_str(&format!(
                "<br>{} {}",
                e(tr(l, "Khuyến nghị:", "Recommendation:")),
                e(&w.recommendation)
            ));
        }
        if !w.seed.is_empty() {
            h.push_str(&format!(
                "<br><span class=\"seed\">{} {}</span>",
                e(tr(l, "Căn cứ:", "Source:")),
                seeds(&w.seed)
            ));
        }
        h.push_str("</li>\n");
    }
    h.push_str("</ol>\n</section>\n");
}

fn answer_row(a: &AnswerRow, doc: &ReportDoc) -> String {
    let l = doc.lang;
    // The evidence text already names each item's grade.
    let evidence = e(&a.evidence);
    let seed = if a.seed.is_empty() {
        String::new()
    } else {
        format!("<br><span class=\"seed\">{}</span>", seeds(&a.seed))
    };
    format!(
        "<tr><td>{}</td><td>{}{seed}</td><td>{}</td><td class=\"pre\">{}</td><td class=\"num\">{}</td><td class=\"pre\">{}</td><td class=\"pre\">{evidence}</td><td>{}</td></tr>\n",
        e(&a.question_id),
        e(&a.question),
        e(&a.status),
        e(&a.answer),
        a.value.map_or(String::new(), |v| e(&format_number(v))),
        e(&a.comment),
        if a.marked_for_review {
            format!(
                "<span class=\"review\">⚑ {}</span>",
                e(tr(l, "Cần xem lại", "Review"))
            )
        } else {
            String::new()
        }
    )
}

fn answers(doc: &ReportDoc, h: &mut String) {
    let l = doc.lang;
    h.push_str(&format!(
        "<section id=\"answers\" class=\"page-break\">\n<h2>{}</h2>\n",
        e(tr(l, "Toàn bộ câu trả lời", "All answers"))
    ));
    for s in &doc.sections {
        h.push_str(&format!("<h3>{}</h3>\n", e(&s.title)));
        h.push_str(&format!(
            "<table class=\"answers\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
            e(tr(l, "Mã", "ID")),
            e(tr(l, "Câu hỏi", "Question")),
            e(tr(l, "Trạng thái", "Status")),
            e(tr(l, "Trả lời", "Answer")),
            e(tr(l, "Điểm (0–1)", "Value (0–1)")),
            e(tr(l, "Ghi chú", "Comment")),
            e(tr(l, "Minh chứng", "Evidence")),
            e(tr(l, "Xem lại", "Review"))
        ));
        for a in &s.answers {
            h.push_str(&answer_row(a, doc));
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");
}
