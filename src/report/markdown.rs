//! The Markdown report: GitHub-flavoured Markdown that also reads well as plain text in a
//! terminal (table columns padded to the same display width, text bars for scores). Text from
//! the questionnaire or the answers is escaped so it cannot break a table or inject markup.

use super::svg::score_text;
use super::{AnswerRow, BandRef, ReportDoc};
use crate::i18n::tr;
use crate::questionnaire::Group;
use crate::text;

/// Cells of a text bar.
pub const BAR_CELLS: usize = 10;

/// A text bar for a score 0..100 with its value, e.g. `██████░░░░ 62.5`; `░░░░░░░░░░ —` when
/// there is no score.
pub fn text_bar(score: Option<f64>) -> String {
    let full = score.map_or(0, |s| {
        (s.clamp(0.0, 100.0) * BAR_CELLS as f64 / 100.0).round() as usize
    });
    format!(
        "{}{} {}",
        "█".repeat(full),
        "░".repeat(BAR_CELLS - full),
        score_text(score)
    )
}

/// Escapes inline Markdown: a backslash before punctuation that would format, link or start
/// markup, and line breaks folded into " / " (table cells are one line).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut lines = s
        .lines()
        .map(str::trim_end)
        .filter(|x| !x.is_empty())
        .peekable();
    while let Some(line) = lines.next() {
        for c in line.chars() {
            match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' => {
                    out.push('\\');
                    out.push(c);
                }
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
        if lines.peek().is_some() {
            out.push_str(" / ");
        }
    }
    out
}

/// A table: cells already escaped; columns padded to the same display width.
pub(crate) fn table(out: &mut String, head: &[&str], rows: &[Vec<String>], right: &[bool]) {
    let mut t = Table::new(head, right);
    for r in rows {
        t.fit(r);
    }
    out.push_str(&t.head());
    for r in rows {
        out.push_str(&t.row(r));
    }
    out.push('\n');
}

/// A [`table`] laid out as its rows come: every row is given to [`Table::fit`] first (the widths
/// are known only then), then the head and each row are written on their own, so the rows need
/// not all be held at once. The bytes are those of [`table`] (followed by one blank line).
pub(crate) struct Table<'a> {
    head: Vec<String>,
    widths: Vec<usize>,
    right: &'a [bool],
}

impl<'a> Table<'a> {
    pub(crate) fn new(head: &[&str], right: &'a [bool]) -> Table<'a> {
        let head: Vec<String> = head.iter().map(|h| escape(h)).collect();
        let widths = head.iter().map(|h| text::width(h).max(3)).collect();
        Table {
            head,
            widths,
            right,
        }
    }

    /// Widens the columns to hold this row.
    pub(crate) fn fit(&mut self, row: &[String]) {
        for (i, c) in row.iter().enumerate().take(self.widths.len()) {
            self.widths[i] = self.widths[i].max(text::width(c));
        }
    }

    fn is_right(&self, i: usize) -> bool {
        self.right.get(i).copied().unwrap_or(false)
    }

    fn cell(&self, s: &str, i: usize) -> String {
        let pad = " ".repeat(self.widths[i].saturating_sub(text::width(s)));
        if self.is_right(i) {
            format!("{pad}{s}")
        } else {
            format!("{s}{pad}")
        }
    }

    fn line(cells: Vec<String>) -> String {
        format!("| {} |\n", cells.join(" | "))
    }

    /// The head line and the line under it.
    pub(crate) fn head(&self) -> String {
        let mut out = Table::line(
            self.head
                .iter()
                .enumerate()
                .map(|(i, h)| self.cell(h, i))
                .collect(),
        );
        out.push_str(&Table::line(
            self.widths
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if self.is_right(i) {
                        format!("{}:", "-".repeat(w - 1))
                    } else {
                        "-".repeat(*w)
                    }
                })
                .collect(),
        ));
        out
    }

    /// One row's line.
    pub(crate) fn row(&self, row: &[String]) -> String {
        Table::line(
            row.iter()
                .enumerate()
                .take(self.widths.len())
                .map(|(i, c)| self.cell(c, i))
                .collect(),
        )
    }
}

fn band_label(b: &Option<BandRef>) -> String {
    b.as_ref().map_or(svg_missing(), |b| escape(&b.label))
}

fn svg_missing() -> String {
    super::svg::MISSING.to_string()
}

/// A text bar whose value is written as the report's language writes scores.
fn bar(score: Option<f64>, l: crate::i18n::Lang) -> String {
    let b = text_bar(score);
    let cells: String = b.chars().take(BAR_CELLS).collect();
    format!("{cells} {}", crate::locale::score_opt(score, l))
}

fn sc(score: Option<f64>, l: crate::i18n::Lang) -> String {
    crate::locale::score_opt(score, l)
}

/// Renders the full report (summary, then the annex of every answer) as Markdown.
pub fn render(doc: &ReportDoc) -> String {
    render_part(doc, super::html::Part::Full)
}

/// Renders the executive summary alone.
pub fn render_summary(doc: &ReportDoc) -> String {
    render_part(doc, super::html::Part::Summary)
}

pub fn render_part(doc: &ReportDoc, part: super::html::Part) -> String {
    let l = doc.lang;
    let mut m = String::with_capacity(16 * 1024);
    m.push_str(&format!("# {}\n\n", escape(&doc.title)));
    m.push_str(&format!(
        "*{}*\n\n",
        escape(tr(
            l,
            "Báo cáo mức độ sẵn sàng chuyển đổi số · Quyết định 749/QĐ-TTg",
            "Digital-transformation readiness report · Decision 749/QĐ-TTg"
        ))
    ));
    if !doc.subtitle().is_empty() {
        m.push_str(&format!("**{}**\n\n", escape(&doc.subtitle())));
    }
    let meta = doc.meta_rows();
    for (k, v) in meta {
        m.push_str(&format!("- **{}:** {}\n", escape(k), escape(&v)));
    }
    m.push('\n');

    // Organisation.
    m.push_str(&format!(
        "## {}\n\n",
        escape(tr(l, "Thông tin tổ chức", "Organisation"))
    ));
    if doc.organisation.is_empty() {
        m.push_str(&format!(
            "{}\n\n",
            escape(tr(l, "Chưa nhập thông tin.", "No details entered."))
        ));
    } else {
        let rows: Vec<Vec<String>> = doc
            .organisation
            .iter()
            .map(|f| vec![escape(&f.label), escape(&f.value)])
            .collect();
        table(
            &mut m,
            &[tr(l, "Mục", "Field"), tr(l, "Giá trị", "Value")],
            &rows,
            &[],
        );
    }

    // Summary.
    let hd = &doc.headline;
    m.push_str(&format!(
        "## {}\n\n",
        escape(tr(l, "Kết quả chung", "Overall result"))
    ));
    m.push_str(&format!(
        "**{} {}** · {} **{}**\n\n",
        escape(tr(l, "Điểm chung:", "Overall score:")),
        sc(hd.score, l),
        escape(tr(l, "Mức:", "Band:")),
        band_label(&hd.band)
    ));
    m.push_str(&format!("`{}`\n\n", bar(hd.score, l)));
    if let Some(cap) = &hd.cap {
        m.push_str(&format!(
            "> ⚠ **{}**\n",
            escape(tr(
                l,
                "Điểm chung bị giới hạn theo quy tắc an toàn thông tin.",
                "The overall score is capped by the security rule."
            ))
        ));
        for r in &cap.reasons {
            m.push_str(&format!(
                ">\n> **{}** {}\n",
                escape(tr(l, "Cờ đỏ:", "Red flag:")),
                escape(r)
            ));
        }
        m.push_str(&format!(
            ">\n> {}\n>\n> {}\n\n",
            escape(&cap.rule),
            escape(&cap.effect)
        ));
    }
    m.push_str(&format!("{}\n\n", escape(&doc.evidence_sentence())));
    let c = &doc.coverage;
    m.push_str(&format!(
        "- **{}** {}\n- **{}** {}/{} ({}%) · {} {} · {} {}\n",
        escape(tr(l, "Điểm có minh chứng:", "Evidenced score:")),
        sc(hd.evidenced, l),
        escape(tr(l, "Mức độ trả lời:", "Coverage:")),
        c.answered,
        c.applicable,
        crate::locale::number(crate::locale::round1(c.percent()), l),
        escape(tr(l, "không biết:", "don't know:")),
        c.dont_know,
        escape(tr(l, "không áp dụng:", "not applicable:")),
        c.not_applicable
    ));
    if !hd.formula.is_empty() {
        m.push_str(&format!(
            "- **{}** {}\n",
            escape(tr(l, "Cách tính:", "Formula:")),
            escape(&hd.formula)
        ));
    }
    m.push('\n');
    if !doc.bands.is_empty() {
        let current = hd.band.as_ref().map(|b| b.id.as_str());
        let described = doc.bands.iter().any(|b| !b.description.is_empty());
        let rows: Vec<Vec<String>> = doc
            .bands
            .iter()
            .map(|b| {
                let mark = if current == Some(b.id.as_str()) {
                    format!(" ◀ {}", escape(tr(l, "hiện tại", "current")))
                } else {
                    String::new()
                };
                let mut row = vec![
                    format!("{}{mark}", escape(&b.label)),
                    format!(
                        "{}–{}",
                        crate::locale::number(b.min, l),
                        crate::locale::number(b.max, l)
                    ),
                ];
                if described {
                    row.push(escape(&b.description));
                }
                row
            })
            .collect();
        let head = [
            tr(l, "Mức", "Band"),
            tr(l, "Khoảng điểm", "Range"),
            tr(l, "Mô tả", "Description"),
        ];
        table(
            &mut m,
            &head[..if described { 3 } else { 2 }],
            &rows,
            &[false, true, false],
        );
    }

    // Scores.
    m.push_str(&format!(
        "## {}\n\n",
        escape(tr(l, "Điểm theo từng nội dung", "Scores by area"))
    ));
    for g in &doc.groups {
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
        m.push_str(&format!("### {}\n\n", escape(heading)));
        let rows: Vec<Vec<String>> = g
            .dimensions
            .iter()
            .map(|d| {
                vec![
                    escape(&d.label),
                    bar(d.claimed, l),
                    sc(d.evidenced, l),
                    band_label(&d.band),
                    format!("{}/{}", d.coverage.answered, d.coverage.applicable),
                ]
            })
            .collect();
        table(
            &mut m,
            &[
                g.label.as_str(),
                tr(l, "Điểm", "Score"),
                tr(l, "Có minh chứng", "Evidenced"),
                tr(l, "Mức", "Band"),
                tr(l, "Đã trả lời", "Answered"),
            ],
            &rows,
            &[false, false, true, false, true],
        );
    }

    // Targets.
    m.push_str(&format!(
        "## {}\n\n",
        escape(tr(
            l,
            "So với chỉ tiêu Quyết định 749",
            "Against the Decision 749 targets"
        ))
    ));
    if doc.targets.is_empty() {
        m.push_str(&format!(
            "{}\n\n",
            escape(tr(
                l,
                "Không có chỉ tiêu nào áp dụng cho các câu trả lời.",
                "No target applies to the answers."
            ))
        ));
    } else {
        let rows: Vec<Vec<String>> = doc
            .targets
            .iter()
            .map(|t| {
                let unit = if t.unit.is_empty() {
                    String::new()
                } else {
                    format!(" {}", escape(&t.unit))
                };
                let met = if t.ratio >= 1.0 {
                    tr(l, "đạt", "met")
                } else {
                    tr(l, "chưa đạt", "not met")
                };
                vec![
                    format!(
                        "{} ({} {})",
                        escape(&t.target_label),
                        escape(tr(l, "năm", "year")),
                        escape(&t.year)
                    ),
                    escape(&t.question),
                    escape(super::applies_to(&t.applies_to, l)),
                    format!("{}{unit}", crate::locale::number(t.value, l)),
                    format!("{}{unit}", crate::locale::number(t.target, l)),
                    format!(
                        "{} · {}",
                        crate::locale::percent(t.ratio * 100.0, l),
                        escape(met)
                    ),
                    t.other_years
                        .iter()
                        .map(|y| {
                            let met = if y.met {
                                tr(l, "đạt", "met")
                            } else {
                                tr(l, "chưa đạt", "not met")
                            };
                            format!(
                                "{}: {}{unit} · {}",
                                escape(&y.year),
                                crate::locale::number(y.target, l),
                                escape(met)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                ]
            })
            .collect();
        table(
            &mut m,
            &[
                tr(l, "Chỉ tiêu", "Target"),
                tr(l, "Câu hỏi", "Question"),
                tr(l, "Áp dụng cho", "Applies to"),
                tr(l, "Thực tế", "Value"),
                tr(l, "Chỉ tiêu", "Target"),
                tr(l, "Đạt", "Met"),
                tr(l, "Năm khác", "Other years"),
            ],
            &rows,
            &[false, false, false, true, true, true, false],
        );
    }

    // Weakest.
    m.push_str(&format!(
        "## {}\n\n",
        escape(tr(l, "Năm việc cần làm trước", "Five things to do first"))
    ));
    if doc.weakest.is_empty() {
        m.push_str(&format!(
            "{}\n\n",
            escape(tr(
                l,
                "Không có mục nào cần cải thiện.",
                "Nothing to improve."
            ))
        ));
    } else {
        m.push_str(&format!(
            "{}\n\n",
            escape(tr(
                l,
                "Xếp theo số điểm chung tăng thêm nếu đáp ứng đầy đủ.",
                "Ranked by the overall points gained if fully met."
            ))
        ));
        for (i, w) in doc.weakest.iter().take(super::html::PRIORITIES).enumerate() {
            m.push_str(&format!(
                "{}. **{}** ({})  \n   {} {} · {} +{}\n",
                i + 1,
                escape(&w.question),
                escape(&w.question_id),
                escape(tr(l, "Hiện trạng:", "Now:")),
                escape(&w.answer),
                escape(tr(l, "điểm chung tăng thêm", "overall gain")),
                sc(Some(w.gain), l)
            ));
            if !w.recommendation.is_empty() {
                m.push_str(&format!(
                    "   - {} {}\n",
                    escape(tr(l, "Khuyến nghị:", "Recommendation:")),
                    escape(&w.recommendation)
                ));
            }
            if !w.source.is_empty() {
                m.push_str(&format!(
                    "   - {} {}\n",
                    escape(tr(l, "Căn cứ:", "Source:")),
                    escape(&w.source)
                ));
            }
        }
        m.push('\n');
    }

    super::interview::changes_markdown(doc, &mut m);
    signoff(doc, &mut m);
    if part == super::html::Part::Full {
        m.push_str(&format!(
            "## {}\n\n",
            escape(tr(l, "Phụ lục: toàn bộ câu trả lời", "Annex: every answer"))
        ));
        super::interview::interview_markdown(doc, &mut m);
        for s in &doc.sections {
            m.push_str(&format!("### {}\n\n", escape(&s.title)));
            let rows: Vec<Vec<String>> = s.answers.iter().map(|a| answer_row(a, doc)).collect();
            table(
                &mut m,
                &[
                    tr(l, "Mã", "ID"),
                    tr(l, "Câu hỏi", "Question"),
                    tr(l, "Trạng thái", "Status"),
                    tr(l, "Trả lời", "Answer"),
                    tr(l, "Điểm (0–1)", "Value (0–1)"),
                    tr(l, "Ghi chú", "Comment"),
                    tr(l, "Minh chứng", "Evidence"),
                    tr(l, "Xem lại", "Review"),
                    tr(l, "Căn cứ", "Source"),
                ],
                &rows,
                &[false, false, false, false, true, false, false, false, false],
            );
        }
        if !doc.sources.is_empty() {
            m.push_str(&format!(
                "## {}\n\n",
                escape(tr(
                    l,
                    "Phụ lục: các văn bản được trích dẫn",
                    "Annex: the documents cited"
                ))
            ));
            let rows: Vec<Vec<String>> = doc
                .sources
                .iter()
                .map(|c| {
                    let mut doc_cell = format!("{} — {}", c.citation, c.name);
                    if c.outside_seeds {
                        doc_cell.push_str(tr(
                            l,
                            " (ngoài bộ tài liệu gốc, cần kiểm chứng)",
                            " (outside the source documents, to verify)",
                        ));
                    }
                    if doc.auditor && !c.lines.is_empty() {
                        doc_cell.push_str(&format!(" [{} {}]", tr(l, "dòng", "lines"), c.lines));
                    }
                    vec![
                        escape(&doc_cell),
                        escape(&format!("{}, {}", c.issuer, c.date)),
                        escape(&c.status),
                        escape(&c.questions.join(", ")),
                    ]
                })
                .collect();
            table(
                &mut m,
                &[
                    tr(l, "Văn bản, mục", "Document, item"),
                    tr(l, "Ban hành", "Issued"),
                    tr(l, "Hiệu lực", "Status"),
                    tr(l, "Câu hỏi", "Questions"),
                ],
                &rows,
                &[false, false, false, false],
            );
        }
    }
    m.push_str(&format!(
        "---\n\n{} · {} {} · {}\n",
        escape(tr(l, "Lập bằng sansang", "Made with sansang")),
        escape(tr(l, "định dạng báo cáo", "report format")),
        doc.report_version,
        escape(&crate::locale::datetime(&doc.generated_at, l))
    ));
    m
}

/// The sign-off block: prepared by, approved by, date, signatures and seal.
fn signoff(doc: &ReportDoc, m: &mut String) {
    let l = doc.lang;
    m.push_str(&format!("## {}\n\n", escape(tr(l, "Xác nhận", "Sign-off"))));
    m.push_str(&format!(
        "{}\n\n",
        escape(tr(
            l,
            "…………, ngày …… tháng …… năm 20……",
            "…………, date: …… / …… / 20……"
        ))
    ));
    table(
        m,
        &[
            tr(l, "Người lập", "Prepared by"),
            tr(l, "Người duyệt", "Approved by"),
        ],
        &[
            vec![
                escape(tr(l, "(Ký, ghi rõ họ tên)", "(signature and full name)")),
                escape(tr(
                    l,
                    "(Ký, ghi rõ họ tên, đóng dấu)",
                    "(signature, full name and official seal)",
                )),
            ],
            vec![String::new(), String::new()],
            vec![
                escape(tr(l, "Họ và tên: ……………………", "Name: ……………………")),
                escape(tr(l, "Họ và tên: ……………………", "Name: ……………………")),
            ],
        ],
        &[],
    );
}

fn answer_row(a: &AnswerRow, doc: &ReportDoc) -> Vec<String> {
    let l = doc.lang;
    vec![
        escape(&a.question_id),
        escape(&a.question),
        escape(&a.status),
        escape(&a.answer),
        a.value
            .map_or(String::new(), |v| crate::locale::number(v, l)),
        escape(&a.comment),
        // The evidence text already names each item's grade.
        escape(&a.evidence),
        [
            if a.marked_for_review {
                format!("⚑ {}", escape(tr(l, "Cần xem lại", "Review")))
            } else {
                String::new()
            },
            escape(&super::interview::answer_note(a, l)),
        ]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join("; "),
        escape(&a.source),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_bars() {
        assert_eq!(text_bar(Some(62.5)), "██████░░░░ 62.5");
        assert_eq!(text_bar(Some(100.0)), "██████████ 100.0");
        assert_eq!(text_bar(None), "░░░░░░░░░░ —");
    }

    #[test]
    fn escape_keeps_tables_whole() {
        assert_eq!(escape("a|b\nc"), "a\\|b / c");
        assert_eq!(escape("<script>"), "\\<script\\>");
        assert_eq!(escape("Sở Ví Dụ"), "Sở Ví Dụ");
    }
}
