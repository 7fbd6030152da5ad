//! Excel workbooks (rust_xlsxwriter) of a report, an export and an aggregate: one sheet per part,
//! headers in the document's language, real numbers and dates, a frozen header row, filters and
//! column widths that fit. Text is always written as text, so a name starting with `=` is never
//! a formula.

use super::ReportDoc;
use crate::aggregate::{AggregateDoc, QuestionnaireAggregate, Respondent, Respondents, Stats};
use crate::i18n::{Lang, tr};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

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

/// The cell formats of a workbook.
struct Formats {
    head: Format,
    wrap: Format,
    number: Format,
    date: Format,
}

fn new_workbook(lang: Lang, title: &str) -> (Workbook, Formats) {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_author(crate::output::XLSX_AUTHOR)
            .set_title(title),
    );
    let formats = Formats {
        head: Format::new().set_bold().set_background_color("#EDF2F7"),
        wrap: Format::new()
            .set_text_wrap()
            .set_align(rust_xlsxwriter::FormatAlign::Top),
        number: Format::new()
            .set_num_format("0.0#")
            .set_align(rust_xlsxwriter::FormatAlign::Top),
        date: Format::new()
            .set_num_format(match lang {
                Lang::Vi => "dd/mm/yyyy hh:mm",
                Lang::En => "d mmm yyyy hh:mm",
            })
            .set_align(rust_xlsxwriter::FormatAlign::Top),
    };
    (wb, formats)
}

fn write_head(ws: &mut Worksheet, head: &[String], f: &Formats) -> Result<(), XlsxError> {
    for (col, h) in head.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, h, &f.head)?;
    }
    Ok(())
}

fn write_row(ws: &mut Worksheet, row: u32, r: &[Cell], f: &Formats) -> Result<(), XlsxError> {
    for (col, cell) in r.iter().enumerate() {
        let col = col as u16;
        match cell {
            Cell::Text(x) if x.is_empty() => {}
            Cell::Text(x) => {
                ws.write_string_with_format(row, col, x, &f.wrap)?;
            }
            Cell::Number(None) => {}
            Cell::Number(Some(v)) => {
                ws.write_number_with_format(row, col, *v, &f.number)?;
            }
            Cell::DateTime(x) => match excel_datetime(x) {
                Some(d) => {
                    ws.write_datetime_with_format(row, col, &d, &f.date)?;
                }
                None if x.is_empty() => {}
                None => {
                    ws.write_string_with_format(row, col, x, &f.wrap)?;
                }
            },
        }
    }
    Ok(())
}

/// Frozen head row, filters over `rows` rows, printed landscape on A4 with the head on every
/// page.
fn lay_out(ws: &mut Worksheet, columns: usize, rows: u32) -> Result<(), XlsxError> {
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows, columns.saturating_sub(1) as u16)?;
    Ok(())
}

fn print_setup(ws: &mut Worksheet) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

fn add_sheet(wb: &mut Workbook, s: &Sheet, f: &Formats) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(&s.name)?;
    write_head(ws, &s.head, f)?;
    for (i, r) in s.rows.iter().enumerate() {
        write_row(ws, i as u32 + 1, r, f)?;
    }
    lay_out(ws, s.head.len(), s.rows.len() as u32)?;
    ws.set_autofit_max_width(MAX_WIDTH);
    ws.autofit();
    print_setup(ws)
}

fn build(sheets: &[Sheet], lang: Lang, title: &str) -> Result<Vec<u8>, XlsxError> {
    let (mut wb, f) = new_workbook(lang, title);
    for s in sheets {
        add_sheet(&mut wb, s, &f)?;
    }
    wb.save_to_buffer()
}

/// The width `Worksheet::autofit` gives a column for one cell (0: the cell adds nothing), with
/// the widest fitted column at [`MAX_WIDTH`]: for a sheet written row by row, whose cells are
/// gone from memory when it could fit them.
fn fitted_width(cell: &Cell, in_head: bool) -> u32 {
    let text = |x: &str| {
        x.lines()
            .map(|line| rust_xlsxwriter::utility::cell_autofit_width(line) - 7)
            .max()
            .unwrap_or(0)
    };
    let mut px = match cell {
        Cell::Text(x) => text(x),
        Cell::Number(None) => 0,
        Cell::Number(Some(v)) => 7 * v.to_string().len() as u32,
        Cell::DateTime(x) if excel_datetime(x).is_some() => 68,
        Cell::DateTime(x) => text(x),
    };
    // The head row carries the filter buttons; every cell has padding.
    if px > 0 && in_head {
        px += 16;
    }
    if px > 0 {
        px += 7;
    }
    px.min(MAX_WIDTH)
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

/// The respondents' sheet, without its rows.
fn respondents_sheet(doc: &AggregateDoc, dim_ids: &[&str]) -> Sheet {
    let l = doc.lang;
    let mut head: Vec<&str> = crate::aggregate::csv_head(l);
    head.extend(dim_ids.iter().copied());
    Sheet::new(tr(l, "Người trả lời", "Respondents"), &head)
}

/// A respondent's row: the CSV's columns.
fn respondent_row(qa: &QuestionnaireAggregate, r: &Respondent, dim_ids: &[&str]) -> Vec<Cell> {
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
    for id in dim_ids {
        row.push(n(qa
            .dimensions
            .iter()
            .position(|d| d.id == *id)
            .and_then(|i| r.dimensions.get(i).copied().flatten())));
    }
    row
}

/// The aggregate's sheets: respondents, distributions, weak items, skipped files.
pub fn aggregate_sheets(doc: &AggregateDoc) -> Vec<Sheet> {
    let dim_ids = crate::aggregate::dimension_ids(doc);
    let mut respondents = respondents_sheet(doc, &dim_ids);
    for qa in &doc.questionnaires {
        for r in &qa.respondents {
            respondents.rows.push(respondent_row(qa, r, &dim_ids));
        }
    }
    let mut sheets = vec![respondents];
    sheets.extend(summary_sheets(doc));
    sheets
}

/// The aggregate's sheets but the respondents: distributions, weak items, skipped files.
fn summary_sheets(doc: &AggregateDoc) -> Vec<Sheet> {
    let l = doc.lang;
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
    vec![dist, weak, skipped]
}

fn aggregate_title(doc: &AggregateDoc) -> &'static str {
    tr(
        doc.lang,
        "Tổng hợp mức độ sẵn sàng chuyển đổi số",
        "Digital-transformation readiness: aggregate",
    )
}

/// The aggregate as a workbook.
pub fn aggregate(doc: &AggregateDoc) -> Result<Vec<u8>, String> {
    workbook(&aggregate_sheets(doc), doc.lang, aggregate_title(doc))
}

/// The aggregate's workbook ([`aggregate`]'s sheets and cells), the respondents read from `rows`
/// and written row by row in a sheet that keeps only its current row in memory
/// (rust_xlsxwriter's constant memory mode: its strings are stored in the cells rather than in
/// the shared table, the rest is the same); the column widths are those `autofit` gives, fitted
/// on a first reading of the rows. The workbook is made in a temporary file, then copied to `w`.
pub fn write_aggregate(
    doc: &AggregateDoc,
    rows: &mut dyn Respondents,
    w: &mut dyn std::io::Write,
) -> Result<(), String> {
    let excel = |e: XlsxError| format!("Excel: {e}");
    let io = |e: std::io::Error| format!("Excel: {e}");
    let dim_ids = crate::aggregate::dimension_ids(doc);
    let sheet = respondents_sheet(doc, &dim_ids);
    let (mut wb, f) = new_workbook(doc.lang, aggregate_title(doc));
    let mut widths: Vec<u32> = sheet
        .head
        .iter()
        .map(|h| fitted_width(&Cell::Text(h.clone()), true))
        .collect();
    let mut count: u32 = 0;
    for (qi, qa) in doc.questionnaires.iter().enumerate() {
        rows.each(qi, &mut |r| {
            count += 1;
            for (col, cell) in respondent_row(qa, r, &dim_ids).iter().enumerate() {
                if let Some(w) = widths.get_mut(col) {
                    *w = (*w).max(fitted_width(cell, false));
                }
            }
            Ok(())
        })
        .map_err(io)?;
    }
    {
        let ws = wb.add_worksheet_with_constant_memory().map_err(excel)?;
        ws.set_name(&sheet.name).map_err(excel)?;
        lay_out(ws, sheet.head.len(), count).map_err(excel)?;
        for (col, width) in widths.iter().enumerate() {
            if *width > 0 {
                ws.set_column_autofit_width(col as u16, *width)
                    .map_err(excel)?;
            }
        }
        write_head(ws, &sheet.head, &f).map_err(excel)?;
        let mut row = 0;
        let mut failed = None;
        for (qi, qa) in doc.questionnaires.iter().enumerate() {
            rows.each(qi, &mut |r| {
                row += 1;
                write_row(ws, row, &respondent_row(qa, r, &dim_ids), &f).map_err(|e| {
                    let text = e.to_string();
                    failed = Some(e);
                    std::io::Error::other(text)
                })
            })
            .map_err(io)?;
        }
        if let Some(e) = failed {
            return Err(excel(e));
        }
        print_setup(ws).map_err(excel)?;
    }
    for s in summary_sheets(doc) {
        add_sheet(&mut wb, &s, &f).map_err(excel)?;
    }
    let mut file = tempfile::tempfile().map_err(io)?;
    wb.save_to_writer(&mut file).map_err(excel)?;
    use std::io::Seek;
    file.rewind().map_err(io)?;
    std::io::copy(&mut file, w).map_err(io)?;
    Ok(())
}
