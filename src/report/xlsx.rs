//! Excel workbooks (rust_xlsxwriter) of a report, an export and an aggregate: one sheet per part,
//! headers in the document's language, real numbers and dates, a frozen header row, filters and
//! column widths that fit. Text is always written as text, so a name starting with `=` is never
//! a formula.

use super::ReportDoc;
use crate::aggregate::{AggregateDoc, Stats};
use crate::i18n::{Lang, tr};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// Empty when `None`.
    Number(Option<f64>),
    /// An RFC 3339 timestamp, written as an Excel date and time in the local zone (text when it
    /// is not one).
    DateTime(String),
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn n(v: Option<f64>) -> Cell {
    Cell::Number(v)
}

fn c(v: usize) -> Cell {
    Cell::Number(Some(v as f64))
}

/// One worksheet: a name (at most 31 characters, Excel's limit), a header row and rows.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    fn new(name: &str, head: &[&str]) -> Sheet {
        Sheet {
            name: name.chars().take(31).collect(),
            head: head.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }
}

/// Widest a column gets when fitted, in pixels; longer text wraps.
const MAX_WIDTH: u32 = 420;

fn excel_datetime(rfc3339: &str) -> Option<ExcelDateTime> {
    let ts: jiff::Timestamp = rfc3339.parse().ok()?;
    let z = ts.to_zoned_datetime(crate::locale::local_zone());
    ExcelDateTime::from_ymd(z.year() as u16, z.month() as u8, z.day() as u8)
        .ok()?
        .and_hms(z.hour() as u16, z.minute() as u8, z.second() as u8)
        .ok()
}

/// Writes the sheets as one workbook.
pub fn workbook(sheets: &[Sheet], lang: Lang, title: &str) -> Result<Vec<u8>, String> {
    build(sheets, lang, title).map_err(|e| format!("Excel: {e}"))
}

fn build(sheets: &[Sheet], lang: Lang, title: &str) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_author(crate::output::XLSX_AUTHOR)
            .set_title(title),
    );
    let head = Format::new().set_bold().set_background_color("#EDF2F7");
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let number = Format::new()
        .set_num_format("0.0#")
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let date = Format::new()
        .set_num_format(match lang {
            Lang::Vi => "dd/mm/yyyy hh:mm",
            Lang::En => "d mmm yyyy hh:mm",
        })
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name)?;
        for (col, h) in s.head.iter().enumerate() {
            ws.write_string_with_format(0, col as u16, h, &head)?;
        }
        for (i, r) in s.rows.iter().enumerate() {
            let row = i as u32 + 1;
            for (col, cell) in r.iter().enumerate() {
                let col = col as u16;
                match cell {
                    Cell::Text(x) if x.is_empty() => {}
                    Cell::Text(x) => {
                        ws.write_string_with_format(row, col, x, &wrap)?;
                    }
                    Cell::Number(None) => {}
                    Cell::Number(Some(v)) => {
                        ws.write_number_with_format(row, col, *v, &number)?;
                    }
                    Cell::DateTime(x) => match excel_datetime(x) {
                        Some(d) => {
                            ws.write_datetime_with_format(row, col, &d, &date)?;
                        }
                        None if x.is_empty() => {}
                        None => {
                            ws.write_string_with_format(row, col, x, &wrap)?;
                        }
                    },
                }
            }
        }
        let last_col = s.head.len().saturating_sub(1) as u16;
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, s.rows.len() as u32, last_col)?;
        ws.set_autofit_max_width(MAX_WIDTH);
        ws.autofit();
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_repeat_rows(0, 0)?;
    }
    wb.save_to_buffer()
}

/// The report's sheets: summary (headline and every score), answers, weak items, targets.
pub fn report_sheets(doc: &ReportDoc) -> Vec<Sheet> {
    let l = doc.lang;
    let mut summary = Sheet::new(
        tr(l, "Tóm tắt", "Summary"),
        &[
            tr(l, "Mục", "Item"),
            tr(l, "Mã", "ID"),
            tr(l, "Điểm", "Score"),
            tr(l, "Có minh chứng", "Evidenced"),
            tr(l, "Mức", "Band"),
            tr(l, "Đã trả lời", "Answered"),
            tr(l, "Áp dụng", "Applicable"),
        ],
    );
    let band =
        |b: &Option<super::BandRef>| t(b.as_ref().map_or(String::new(), |b| b.label.clone()));
    summary.rows.push(vec![
        t(tr(l, "Tổ chức", "Organisation")),
        t(""),
        t(&doc.title),
    ]);
    for (k, v) in doc.meta_rows() {
        summary.rows.push(vec![t(k), t(""), t(v)]);
    }
    summary.rows.push(vec![
        t(tr(l, "Ngày lập (ngày giờ)", "Generated (date and time)")),
        t(""),
        Cell::DateTime(doc.generated_at.clone()),
    ]);
    let hd = &doc.headline;
    summary.rows.push(vec![
        t(tr(l, "Điểm chung", "Overall score")),
        t("overall"),
        n(hd.score),
        n(hd.evidenced),
        band(&hd.band),
        c(doc.coverage.answered),
        c(doc.coverage.applicable),
    ]);
    if let Some(cap) = &hd.cap {
        summary.rows.push(vec![
            t(tr(l, "Trước khi giới hạn", "Before the cap")),
            t("raw"),
            n(hd.raw_score),
            t(""),
            band(&hd.raw_band),
        ]);
        for r in &cap.reasons {
            summary
                .rows
                .push(vec![t(tr(l, "Cờ đỏ", "Red flag")), t(""), t(r)]);
        }
        summary
            .rows
            .push(vec![t(tr(l, "Quy tắc", "Rule")), t(""), t(&cap.rule)]);
    }
    for g in &doc.groups {
        for d in &g.dimensions {
            summary.rows.push(vec![
                t(format!("{}: {}", g.label, d.label)),
                t(&d.id),
                n(d.claimed),
                n(d.evidenced),
                band(&d.band),
                c(d.coverage.answered),
                c(d.coverage.applicable),
            ]);
        }
    }

    let mut answers = Sheet::new(
        tr(l, "Câu trả lời", "Answers"),
        &[
            tr(l, "Phần", "Section"),
            tr(l, "Mã", "ID"),
            tr(l, "Câu hỏi", "Question"),
            tr(l, "Trạng thái", "Status"),
            tr(l, "Trả lời", "Answer"),
            tr(l, "Điểm (0–1)", "Value (0–1)"),
            tr(l, "Ghi chú", "Comment"),
            tr(l, "Minh chứng", "Evidence"),
            tr(l, "Mức minh chứng", "Evidence grade"),
            tr(l, "Cần xem lại", "Marked for review"),
            tr(l, "Căn cứ", "Source"),
        ],
    );
    for s in &doc.sections {
        for a in &s.answers {
            answers.rows.push(vec![
                t(&s.title),
                t(&a.question_id),
                t(&a.question),
                t(&a.status),
                t(&a.answer),
                n(a.value),
                t(&a.comment),
                t(&a.evidence),
                t(&a.evidence_grade),
                t(if a.marked_for_review {
                    tr(l, "có", "yes")
                } else {
                    ""
                }),
                t(&a.source),
            ]);
        }
    }

    let mut weak = Sheet::new(
        tr(l, "Mục yếu", "Weak items"),
        &[
            tr(l, "Thứ tự", "Rank"),
            tr(l, "Mã", "ID"),
            tr(l, "Câu hỏi", "Question"),
            tr(l, "Trả lời", "Answer"),
            tr(l, "Điểm chung tăng thêm", "Overall gain"),
            tr(l, "Khuyến nghị", "Recommendation"),
            tr(l, "Căn cứ", "Source"),
        ],
    );
    for (i, w) in doc.weakest.iter().enumerate() {
        weak.rows.push(vec![
            c(i + 1),
            t(&w.question_id),
            t(&w.question),
            t(&w.answer),
            n(Some(w.gain)),
            t(&w.recommendation),
            t(&w.source),
        ]);
    }

    let mut targets = Sheet::new(
        tr(l, "Chỉ tiêu", "Targets"),
        &[
            tr(l, "Chỉ tiêu", "Target"),
            tr(l, "Mã câu hỏi", "Question ID"),
            tr(l, "Năm", "Year"),
            tr(l, "Áp dụng cho", "Applies to"),
            tr(l, "Thực tế", "Value"),
            tr(l, "Chỉ tiêu", "Target value"),
            tr(l, "Tỉ lệ đạt", "Ratio"),
            tr(l, "Đơn vị", "Unit"),
        ],
    );
    for x in &doc.targets {
        targets.rows.push(vec![
            t(&x.target_label),
            t(&x.question_id),
            t(&x.year),
            t(&x.applies_to),
            n(Some(x.value)),
            n(Some(x.target)),
            n(Some(x.ratio)),
            t(&x.unit),
        ]);
    }
    vec![summary, answers, weak, targets]
}

/// The report as a workbook.
pub fn report(doc: &ReportDoc) -> Result<Vec<u8>, String> {
    workbook(&report_sheets(doc), doc.lang, &doc.title)
}

/// The export rows as a one-sheet workbook (the CSV's columns).
pub fn export(rows: &[crate::export::Row], lang: Lang) -> Result<Vec<u8>, String> {
    let head = crate::export::csv_head(lang);
    let mut s = Sheet::new(tr(lang, "Câu trả lời", "Answers"), &head);
    for r in rows {
        s.rows.push(vec![
            t(&r.questionnaire),
            t(&r.section),
            t(&r.question_id),
            t(&r.kind),
            t(&r.question),
            t(&r.status),
            t(&r.answer),
            n(r.value),
            n(r.target),
            t(&r.contributes),
            t(&r.comment),
            t(&r.evidence),
            t(&r.evidence_grade),
            t(crate::export::yes(r.marked_for_review, lang)),
            Cell::DateTime(r.answered_at.clone()),
            t(&r.respondent),
            t(&r.basis),
            t(crate::export::yes(r.carried, lang)),
            t(&r.source),
        ]);
    }
    workbook(&[s], lang, "sansang export")
}

fn stats_cells(s: &Option<Stats>) -> Vec<Cell> {
    match s {
        None => vec![c(0)],
        Some(s) => vec![
            c(s.count),
            n(Some(s.mean)),
            n(Some(s.min)),
            n(Some(s.q1)),
            n(Some(s.median)),
            n(Some(s.q3)),
            n(Some(s.max)),
        ],
    }
}

/// The aggregate's sheets: respondents, distributions, weak items, skipped files.
pub fn aggregate_sheets(doc: &AggregateDoc) -> Vec<Sheet> {
    let l = doc.lang;
    let dim_ids = crate::aggregate::dimension_ids(doc);
    let mut head: Vec<&str> = crate::aggregate::csv_head(l);
    head.extend(dim_ids.iter().copied());
    let mut respondents = Sheet::new(tr(l, "Người trả lời", "Respondents"), &head);
    for qa in &doc.questionnaires {
        for r in &qa.respondents {
            let mut row = vec![
                t(&r.file),
                t(&qa.id),
                t(&r.organisation),
                t(&r.group),
                n(r.headline),
                t(r.band.as_ref().map(|b| b.label.clone()).unwrap_or_default()),
                n(r.evidenced),
                n(Some(crate::scoring::round2(r.coverage_percent))),
                c(r.coverage.answered),
                c(r.coverage.applicable),
                c(r.coverage.dont_know),
            ];
            for id in &dim_ids {
                row.push(n(qa
                    .dimensions
                    .iter()
                    .position(|d| d.id == *id)
                    .and_then(|i| r.dimensions.get(i).copied().flatten())));
            }
            respondents.rows.push(row);
        }
    }
    let mut dist = Sheet::new(
        tr(l, "Phân bố", "Distributions"),
        &[
            tr(l, "Bộ câu hỏi", "Questionnaire"),
            tr(l, "Nhóm", "Group"),
            tr(l, "Chỉ số", "Measure"),
            tr(l, "Mã", "ID"),
            "n",
            tr(l, "Trung bình", "Mean"),
            "Min",
            "Q1",
            tr(l, "Trung vị", "Median"),
            "Q3",
            "Max",
        ],
    );
    let mut weak = Sheet::new(
        tr(l, "Mục yếu", "Weak items"),
        &[
            tr(l, "Bộ câu hỏi", "Questionnaire"),
            tr(l, "Nhóm", "Group"),
            tr(l, "Mã", "ID"),
            tr(l, "Câu hỏi", "Question"),
            tr(l, "Số người yếu", "Weak for"),
            tr(l, "Trong đó không biết", "Of which don't know"),
            tr(l, "Số người trả lời", "Answered"),
            tr(l, "Khuyến nghị", "Recommendation"),
        ],
    );
    for qa in &doc.questionnaires {
        for g in std::iter::once(&qa.all).chain(qa.groups.iter()) {
            let mut push = |measure: String, id: &str, s: &Option<Stats>| {
                let mut row = vec![t(&qa.id), t(&g.label), t(measure), t(id)];
                row.extend(stats_cells(s));
                dist.rows.push(row);
            };
            push(
                tr(l, "Điểm chung", "Headline").to_string(),
                "overall",
                &g.headline,
            );
            push(
                tr(l, "Điểm chung có minh chứng", "Headline, evidenced").to_string(),
                "overall",
                &g.evidenced,
            );
            for dg in &g.dimension_groups {
                for d in &dg.dimensions {
                    push(format!("{}: {}", dg.label, d.label), &d.id, &d.claimed);
                }
            }
            for w in &g.weak {
                weak.rows.push(vec![
                    t(&qa.id),
                    t(&g.label),
                    t(&w.question_id),
                    t(&w.question),
                    c(w.weak),
                    c(w.dont_know),
                    c(w.answered),
                    t(&w.recommendation),
                ]);
            }
        }
    }
    let mut skipped = Sheet::new(
        tr(l, "Tệp bị bỏ qua", "Skipped files"),
        &[tr(l, "Tệp", "File"), tr(l, "Lỗi", "Error")],
    );
    for s in &doc.skipped {
        skipped.rows.push(vec![t(&s.file), t(&s.error)]);
    }
    vec![respondents, dist, weak, skipped]
}

/// The aggregate as a workbook.
pub fn aggregate(doc: &AggregateDoc) -> Result<Vec<u8>, String> {
    workbook(
        &aggregate_sheets(doc),
        doc.lang,
        tr(
            doc.lang,
            "Tổng hợp mức độ sẵn sàng chuyển đổi số",
            "Digital-transformation readiness: aggregate",
        ),
    )
}
