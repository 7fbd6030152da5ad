//! The HTML report: one self-contained HTML5 file (inline CSS and SVG, no script, no external
//! font, image or style), laid out for the screen and for printing on A4. The executive summary
//! (title naming the organisation, headline, charts, targets, five priorities, sign-off block)
//! fits in four A4 pages; the annex, after a page break, lists every answer at full page width.
//! Every piece of text from the questionnaire or the answers is escaped, so an answer cannot
//! inject markup.

use super::svg::{self, Datum, escape as e};
use super::{AnswerRow, ReportDoc};
use crate::i18n::{Lang, tr};
use crate::locale;
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
.subtitle { font-size: 17px; margin: 0 0 6px; }
.muted { color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 10px 0 0; font-size: 14px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #edf2f7; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.pre { white-space: pre-wrap; }
td { overflow-wrap: break-word; }
.id { white-space: nowrap; font-variant-numeric: tabular-nums; color: var(--muted); font-size: 12px; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
table.annex tbody { break-inside: avoid; page-break-inside: avoid; }
table.annex td.q { width: 46%; }
table.annex td.note { border-top: none; font-size: 13px; padding-top: 0; }
table.annex tr.main td { border-bottom: none; }
table.annex tr.section th { background: #e2e8f0; font-size: 14px; }
table.annex td.state { white-space: nowrap; }
table.sources { font-size: 12px; margin: 4px 0 10px; }
table.sources th { font-size: 13px; }
table.sources td { padding: 2px 8px; }
table.sources td.about { font-size: 12px; background: #f7fafc; }
table.sources td.items { line-height: 1.5; }
table.sources .qs { color: var(--muted); font-size: 11px; }
table.sources tr { break-inside: auto; page-break-inside: auto; }
.headline { display: flex; flex-wrap: wrap; gap: 12px 32px; align-items: baseline; margin: 8px 0; }
.score { font-size: 44px; font-weight: 700; line-height: 1; }
.band { font-size: 22px; font-weight: 600; color: var(--accent); }
.band-scale { font-size: 13px; }
.band-scale td.current { font-weight: 700; background: #ebf4ff; }
.warning { border-left: 4px solid var(--warn); background: var(--warn-bg); color: var(--warn); padding: 6px 10px; margin: 6px 0; break-inside: avoid; }
.cap { border: 2px solid var(--warn); background: var(--warn-bg); padding: 8px 12px; margin: 8px 0; break-inside: avoid; }
.cap .flag { color: var(--warn); font-weight: 700; }
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
#group-layer .chart { max-width: 70%; margin: 0 auto; }
.chart.bars { max-width: 82%; }
.group { break-inside: avoid; }
ol.weakest { padding-left: 22px; }
ol.weakest li { margin: 0 0 8px; break-inside: avoid; }
.seed { font-size: 12px; color: var(--muted); }
.review { font-weight: 600; color: var(--warn); white-space: nowrap; }
table.signoff { margin-top: 14px; break-inside: avoid; }
table.signoff td { border: none; text-align: center; width: 50%; padding: 2px 8px; }
table.signoff .role { font-weight: 700; text-transform: uppercase; }
table.signoff .hint { font-style: italic; font-size: 12px; color: var(--muted); }
table.signoff .space td { height: 72px; }
.signoff-block { break-inside: avoid; page-break-inside: avoid; }
footer { margin-top: 32px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--line); padding-top: 6px; }
@page { size: A4; margin: 15mm; }
@media print {
  body { font-size: 9.5pt; line-height: 1.32; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 20pt; }
  h2 { font-size: 13pt; margin: 14px 0 6px; break-after: avoid; page-break-after: avoid; }
  h3 { font-size: 11pt; margin: 10px 0 4px; break-after: avoid; page-break-after: avoid; }
  table { font-size: 9pt; }
  th, td { padding: 3px 6px; }
  .score { font-size: 30pt; }
  .band { font-size: 15pt; }
  .chart text { font-size: 12px; }
  .page-break { break-before: page; page-break-before: always; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Which parts a report has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Part {
    /// The executive summary (at most four A4 pages).
    Summary,
    /// The summary, then the annex with every answer.
    Full,
}

/// Renders the full report (summary and annex) as one self-contained HTML5 document.
pub fn render(doc: &ReportDoc) -> String {
    render_part(doc, Part::Full)
}

/// Renders the executive summary alone.
pub fn render_summary(doc: &ReportDoc) -> String {
    render_part(doc, Part::Summary)
}

fn score(v: Option<f64>, l: Lang) -> String {
    locale::score_opt(v, l)
}

pub fn render_part(doc: &ReportDoc, part: Part) -> String {
    let l = doc.lang;
    let mut h = String::with_capacity(48 * 1024);
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n{}\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} – {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        l.code(),
        crate::output::HTML_GENERATOR,
        e(tr(l, "Báo cáo mức độ sẵn sàng chuyển đổi số", "Digital-transformation readiness report")),
        e(&doc.title)
    ));
    header(doc, &mut h);
    summary(doc, &mut h);
    scores(doc, &mut h);
    targets(doc, &mut h);
    priorities(doc, &mut h);
    super::interview::changes_html(doc, &mut h);
    signoff(doc, &mut h);
    if part == Part::Full {
        annex(doc, &mut h);
    }
    h.push_str(&format!(
        "<footer>{} · {} {} · {}</footer>\n</main>\n</body>\n</html>\n",
        e(tr(l, "Lập bằng sansang", "Made with sansang")),
        e(tr(l, "định dạng báo cáo", "report format")),
        doc.report_version,
        e(&locale::datetime(&doc.generated_at, l))
    ));
    h
}

fn header(doc: &ReportDoc, h: &mut String) {
    let l = doc.lang;
    h.push_str(&format!(
        "<header>\n<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n",
        e(tr(
            l,
            "Báo cáo mức độ sẵn sàng chuyển đổi số · Quyết định 749/QĐ-TTg",
            "Digital-transformation readiness report · Decision 749/QĐ-TTg"
        )),
        e(&doc.title)
    ));
    let sub = doc.subtitle();
    if !sub.is_empty() {
        h.push_str(&format!("<p class=\"subtitle\">{}</p>\n", e(&sub)));
    }
    h.push_str("<dl class=\"meta\">\n");
    for (k, v) in doc.meta_rows() {
        h.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", e(k), e(&v)));
    }
    h.push_str("</dl>\n</header>\n");
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
        e(&score(hd.score, l)),
        e(tr(l, "Mức", "Band")),
        e(&band_label(&hd.band)),
        e(tr(l, "Điểm có minh chứng", "Evidenced score")),
        e(&score(hd.evidenced, l)),
    ));
    if let Some(cap) = &hd.cap {
        h.push_str(&format!(
            "<div class=\"cap\" role=\"note\">\n<p class=\"flag\">⚠ {}</p>\n",
            e(tr(
                l,
                "Điểm chung bị giới hạn theo quy tắc an toàn thông tin.",
                "The overall score is capped by the security rule."
            ))
        ));
        for r in &cap.reasons {
            h.push_str(&format!(
                "<p><strong>{}</strong> {}</p>\n",
                e(tr(l, "Cờ đỏ:", "Red flag:")),
                e(r)
            ));
        }
        h.push_str(&format!(
            "<p>{}</p>\n<p>{}</p>\n</div>\n",
            e(&cap.rule),
            e(&cap.effect)
        ));
    }
    h.push_str(&format!("<p>{}</p>\n", e(&doc.evidence_sentence())));
    let c = &doc.coverage;
    h.push_str(&format!(
        "<p class=\"muted\">{} {}/{} ({}) · {} {} · {} {}</p>\n",
        e(tr(l, "Đã trả lời:", "Answered:")),
        c.answered,
        c.applicable,
        e(&locale::percent(c.percent(), l)),
        e(tr(l, "không biết:", "don't know:")),
        c.dont_know,
        e(tr(l, "không áp dụng:", "not applicable:")),
        c.not_applicable
    ));
    if !doc.bands.is_empty() {
        let current = hd.band.as_ref().map(|b| b.id.as_str());
        h.push_str(&format!(
            "<table class=\"band-scale\">\n<thead><tr><th>{}</th>",
            e(tr(l, "Mức", "Band"))
        ));
        for b in &doc.bands {
            let cur = current == Some(b.id.as_str());
            h.push_str(&format!(
                "<th{}>{}{}</th>",
                if cur { " class=\"current\"" } else { "" },
                e(&b.label),
                if cur { " ◀" } else { "" }
            ));
        }
        h.push_str(&format!(
            "</tr></thead>\n<tbody><tr><td>{}</td>",
            e(tr(l, "Khoảng điểm", "Range"))
        ));
        for b in &doc.bands {
            let cur = current == Some(b.id.as_str());
            h.push_str(&format!(
                "<td class=\"num{}\">{}–{}</td>",
                if cur { " current" } else { "" },
                e(&locale::number(b.min, l)),
                e(&locale::number(b.max, l))
            ));
        }
        h.push_str("</tr>\n</tbody>\n</table>\n");
        // What the current band means, in the questionnaire's words.
        if let Some(b) = doc
            .bands
            .iter()
            .find(|b| Some(b.id.as_str()) == current && !b.description.is_empty())
        {
            h.push_str(&format!(
                "<p class=\"band-descr\"><strong>{}:</strong> {}</p>\n",
                e(&b.label),
                e(&b.description)
            ));
        }
    }
    h.push_str("</section>\n");
}

fn group_heading(g: Group, l: Lang) -> &'static str {
    match g {
        Group::Pillar => tr(l, "Các trụ cột", "Pillars"),
        Group::Task => tr(l, "Các nhiệm vụ nền móng", "Foundational tasks"),
        Group::Layer => tr(l, "Mô hình bảo vệ 4 lớp", "The four security layers"),
        Group::Security => tr(l, "An toàn thông tin cốt lõi", "Security core"),
        Group::Dbi => tr(
            l,
            "Chỉ số chuyển đổi số doanh nghiệp (DBI)",
            "Enterprise DX index (DBI)",
        ),
    }
}

fn scores(doc: &ReportDoc, h: &mut String) {
    let l = doc.lang;
    h.push_str(&format!(
        "<section id=\"scores\">\n<h2>{}</h2>\n<div class=\"charts\">\n",
        e(tr(l, "Điểm theo từng nội dung", "Scores by area"))
    ));
    for g in &doc.groups {
        let data: Vec<Datum> = g
            .dimensions
            .iter()
            .map(|d| Datum::in_lang(&d.label, d.claimed, l))
            .collect();
        let title = format!("{} – {}", g.label, tr(l, "điểm 0–100", "scores 0–100"));
        let chart = if g.group == Group::Layer {
            svg::radar_chart(&title, &data)
        } else {
            svg::bar_chart(&title, &data)
        };
        h.push_str(&format!(
            "<div class=\"group\" id=\"group-{}\">\n<h3>{}</h3>\n{chart}\n</div>\n",
            e(&format!("{:?}", g.group).to_lowercase()),
            e(group_heading(g.group, l))
        ));
    }
    h.push_str("</div>\n");
    // One compact table of every score.
    h.push_str(&format!(
        "<table class=\"scores\">\n<thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        e(tr(l, "Nội dung", "Area")),
        e(tr(l, "Tự đánh giá", "Claimed")),
        e(tr(l, "Có minh chứng", "Evidenced")),
        e(tr(l, "Mức", "Band")),
        e(tr(l, "Đã trả lời", "Answered"))
    ));
    for g in &doc.groups {
        h.push_str(&format!(
            "<tr><th colspan=\"5\">{}</th></tr>\n",
            e(group_heading(g.group, l))
        ));
        for d in &g.dimensions {
            h.push_str(&format!(
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}/{}</td></tr>\n",
                e(&d.label),
                e(&score(d.claimed, l)),
                e(&score(d.evidenced, l)),
                e(&band_label(&d.band)),
                d.coverage.answered,
                d.coverage.applicable
            ));
        }
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
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
        "<table>\n<thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        e(tr(l, "Chỉ tiêu", "Target")),
        e(tr(l, "Áp dụng cho", "Applies to")),
        e(tr(l, "Thực tế", "Value")),
        e(tr(l, "Mức chỉ tiêu", "Target value")),
        e(tr(l, "Đạt", "Met"))
    ));
    for t in &doc.targets {
        let unit = if t.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", t.unit)
        };
        let met = |m: bool| {
            if m {
                tr(l, "đạt", "met")
            } else {
                tr(l, "chưa đạt", "not met")
            }
        };
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}{}</td><td class=\"num\">{} {}: {}{}{}</td><td class=\"num\">{} · {}</td></tr>\n",
            e(&t.target_label),
            e(super::applies_to(&t.applies_to, l)),
            e(&locale::number(t.value, l)),
            e(&unit),
            e(tr(l, "năm", "year")),
            e(&t.year),
            e(&locale::number(t.target, l)),
            e(&unit),
            t.other_years
                .iter()
                .map(|y| format!(
                    "<br><span class=\"muted\">{} {}: {}{} · {}</span>",
                    e(tr(l, "năm", "year")),
                    e(&y.year),
                    e(&locale::number(y.target, l)),
                    e(&unit),
                    e(met(y.met))
                ))
                .collect::<String>(),
            e(&locale::percent(t.ratio * 100.0, l)),
            e(met(t.ratio >= 1.0))
        ));
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

/// How many weak items the summary lists.
pub const PRIORITIES: usize = 5;

fn priorities(doc: &ReportDoc, h: &mut String) {
    let l = doc.lang;
    h.push_str(&format!(
        "<section id=\"weakest\">\n<h2>{}</h2>\n",
        e(tr(l, "Năm việc cần làm trước", "Five things to do first"))
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
    for w in doc.weakest.iter().take(PRIORITIES) {
        h.push_str(&format!(
            "<li><strong>{}</strong> <span class=\"id\">{}</span><br>{} {} · {} +{}",
            e(&w.question),
            e(&w.question_id),
            e(tr(l, "Hiện trạng:", "Now:")),
            e(&w.answer),
            e(tr(l, "điểm chung tăng thêm", "overall gain")),
            e(&score(Some(w.gain), l))
        ));
        if !w.recommendation.is_empty() {
            h.push_str(&format!(
                "<br>{} {}",
                e(tr(l, "Khuyến nghị:", "Recommendation:")),
                e(&w.recommendation)
            ));
        }
        if !w.source.is_empty() {
            h.push_str(&format!(
                "<br><span class=\"seed\">{} {}</span>",
                e(tr(l, "Căn cứ:", "Source:")),
                e(&w.source)
            ));
        }
        h.push_str("</li>\n");
    }
    h.push_str("</ol>\n</section>\n");
}

/// The sign-off block of a Vietnamese administrative document: prepared by, approved by, the
/// date line, signatures and the seal.
fn signoff(doc: &ReportDoc, h: &mut String) {
    let l = doc.lang;
    h.push_str(&format!(
        "<section id=\"signoff\" class=\"signoff-block\">\n<h2>{}</h2>\n<table class=\"signoff\">\n<tbody>\n<tr><td></td><td class=\"hint\">{}</td></tr>\n<tr><td class=\"role\">{}</td><td class=\"role\">{}</td></tr>\n<tr><td class=\"hint\">{}</td><td class=\"hint\">{}</td></tr>\n<tr class=\"space\"><td></td><td></td></tr>\n<tr><td>{}</td><td>{}</td></tr>\n</tbody>\n</table>\n</section>\n",
        e(tr(l, "Xác nhận", "Sign-off")),
        e(tr(
            l,
            "…………, ngày …… tháng …… năm 20……",
            "…………, date: …… / …… / 20……"
        )),
        e(tr(l, "Người lập", "Prepared by")),
        e(tr(l, "Người duyệt", "Approved by")),
        e(tr(l, "(Ký, ghi rõ họ tên)", "(signature and full name)")),
        e(tr(
            l,
            "(Ký, ghi rõ họ tên, đóng dấu)",
            "(signature, full name and official seal)"
        )),
        e(tr(l, "Họ và tên: ……………………………", "Name: ……………………………")),
        e(tr(l, "Họ và tên: ……………………………", "Name: ……………………………")),
    ));
}

/// One answer as a `tbody` (kept on one page); `section` is the section's title row when this is
/// the section's first answer, so a title never ends a page alone.
fn answer_rows(a: &AnswerRow, doc: &ReportDoc, section: Option<&str>) -> String {
    let l = doc.lang;
    let review = if a.marked_for_review {
        format!(
            "<br><span class=\"review\">⚑ {}</span>",
            e(tr(l, "Cần xem lại", "Review"))
        )
    } else {
        String::new()
    };
    let source = if a.source.is_empty() {
        String::new()
    } else {
        format!(
            "<br><span class=\"seed\">{} {}</span>",
            e(tr(l, "Căn cứ:", "Source:")),
            e(&a.source)
        )
    };
    let mut notes = Vec::new();
    let interview = super::interview::answer_note(a, l);
    if !interview.is_empty() {
        notes.push(e(&interview));
    }
    if !a.comment.is_empty() {
        notes.push(format!(
            "<strong>{}</strong> {}",
            e(tr(l, "Ghi chú:", "Comment:")),
            e(&a.comment)
        ));
    }
    if !a.evidence.is_empty() {
        notes.push(format!(
            "<strong>{}</strong> {}",
            e(tr(l, "Minh chứng:", "Evidence:")),
            e(&a.evidence)
        ));
    }
    let main = format!(
        "<tr class=\"main\"><td class=\"q\"><span class=\"id\">{}</span> {}{source}</td><td class=\"pre\">{}</td><td class=\"num\">{}</td><td class=\"state\">{}{review}</td></tr>\n",
        e(&a.question_id),
        e(&a.question),
        e(&a.answer),
        a.value.map_or(String::new(), |v| e(&locale::number(v, l))),
        e(&a.status),
    );
    let title = section.map_or(String::new(), |t| {
        format!(
            "<tr class=\"section\"><th colspan=\"4\">{}</th></tr>\n",
            e(t)
        )
    });
    if notes.is_empty() {
        format!("<tbody>\n{title}{main}</tbody>\n")
    } else {
        format!(
            "<tbody>\n{title}{main}<tr><td class=\"note pre\" colspan=\"4\">{}</td></tr>\n</tbody>\n",
            notes.join("<br>")
        )
    }
}

fn annex(doc: &ReportDoc, h: &mut String) {
    let l = doc.lang;
    h.push_str(&format!(
        "<section id=\"answers\" class=\"page-break\">\n<h2>{}</h2>\n<p class=\"muted\">{}</p>\n",
        e(tr(l, "Phụ lục: toàn bộ câu trả lời", "Annex: every answer")),
        e(&doc.title)
    ));
    if !doc.organisation.is_empty() {
        h.push_str(&format!(
            "<h3>{}</h3>\n<table class=\"profile\">\n<tbody>\n",
            e(tr(l, "Thông tin tổ chức", "Organisation"))
        ));
        for f in &doc.organisation {
            h.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n",
                e(&f.label),
                e(&f.value)
            ));
        }
        h.push_str("</tbody>\n</table>\n");
    }
    super::interview::interview_html(doc, h);
    h.push_str(&format!(
        "<table class=\"annex\">\n<thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead>\n",
        e(tr(l, "Câu hỏi", "Question")),
        e(tr(l, "Trả lời", "Answer")),
        e(tr(l, "Điểm (0–1)", "Value (0–1)")),
        e(tr(l, "Trạng thái", "Status")),
    ));
    for s in &doc.sections {
        for (i, a) in s.answers.iter().enumerate() {
            h.push_str(&answer_rows(a, doc, (i == 0).then_some(s.title.as_str())));
        }
    }
    h.push_str("</table>\n</section>\n");
    sources_annex(doc, h);
}

/// Every cited item, once, grouped by document (full name, issuer, date, status, note), with
/// the questions citing it, so an auditor can find each in the official text.
fn sources_annex(doc: &ReportDoc, h: &mut String) {
    if doc.sources.is_empty() {
        return;
    }
    let l = doc.lang;
    h.push_str(&format!(
        "<section id=\"sources\">\n<h2>{}</h2>\n",
        e(tr(
            l,
            "Phụ lục: các văn bản được trích dẫn",
            "Annex: the documents cited"
        )),
    ));
    let mut docs: Vec<&str> = vec![];
    for c in &doc.sources {
        if !docs.contains(&c.short.as_str()) {
            docs.push(&c.short);
        }
    }
    for d in docs {
        let items: Vec<&super::CitedSource> = doc.sources.iter().filter(|c| c.short == d).collect();
        let first = items[0];
        let mut about = format!(
            "{} · {} · {}",
            e(&first.issuer),
            e(&first.date),
            e(&first.status)
        );
        if first.outside_seeds {
            about.push_str(&format!(
                " · <em>{}</em>",
                e(tr(
                    l,
                    "ngoài bộ tài liệu gốc của công cụ (cần kiểm chứng)",
                    "outside the tool's source documents (to verify)"
                ))
            ));
        }
        if let Some(n) = &first.note {
            about.push_str(&format!("<br><span class=\"muted\">{}</span>", e(n)));
        }
        h.push_str(&format!(
            "<table class=\"sources\">\n<thead><tr><th colspan=\"2\">{} — {}</th></tr>\n<tr><td colspan=\"2\" class=\"about\">{about}</td></tr></thead>\n<tbody>\n",
            e(&first.short),
            e(&first.name),
        ));
        // The items flow as one paragraph (item, then the questions citing it), so a document
        // cited in fifty places takes a few lines, not a page.
        let cells: Vec<String> = items
            .iter()
            .map(|c| {
                let mut item = if c.item.is_empty() {
                    e(tr(l, "(cả văn bản)", "(the whole document)"))
                } else {
                    e(&c.item)
                };
                if doc.auditor && !c.lines.is_empty() {
                    item.push_str(&format!(
                        " [{} {}]",
                        e(tr(l, "dòng", "lines")),
                        e(&c.lines)
                    ));
                }
                format!(
                    "<span class=\"item\"><strong>{item}</strong> <span class=\"qs\">{}</span></span>",
                    e(&c.questions.join(", "))
                )
            })
            .collect();
        h.push_str(&format!(
            "<tr><td colspan=\"2\" class=\"items\">{}</td></tr>\n",
            cells.join(" · ")
        ));
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");
}
