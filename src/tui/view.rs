//! Drawing: a pure function of the app state onto any ratatui frame (a local terminal, an SSH
//! channel's buffer, or a test backend). Scores and explanations come from the library.

use super::app::{App, Confirm, Overlay, Screen, Session, Status, dashboard_rows, why_questions};
use super::screens::{EvidenceForm, QuestionState, option_count};
use super::theme::Theme;
use crate::assessment::{EvidenceGrade, Response};
use crate::export::answer_text;
use crate::i18n::{Lang, tr};
use crate::questionnaire::{Group, ProfileKind, QuestionKind, Questionnaire};
use crate::scoring::{Report, explain};
use crate::text::{pad, truncate, width};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// Below this the layout cannot show a question legibly.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 18;

/// Below the minimum size, draws the "too small" message instead of a screen (true then).
pub fn too_small(f: &mut Frame, lang: Lang, t: &Theme) -> bool {
    let area = f.area();
    if area.width >= MIN_WIDTH && area.height >= MIN_HEIGHT {
        return false;
    }
    let msg = vec![
        Line::styled(tr(lang, "Cửa sổ quá nhỏ", "Window too small"), t.warn()),
        Line::from(format!(
            "{}×{} < {MIN_WIDTH}×{MIN_HEIGHT}",
            area.width, area.height
        )),
        Line::from(tr(lang, "Hãy phóng to cửa sổ", "Please enlarge the window")),
    ];
    f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
    true
}

pub fn view(app: &App, f: &mut Frame) {
    let area = f.area();
    let t = Theme {
        color: app.settings.color,
    };
    let lang = app.lang();
    if too_small(f, lang, &t) {
        return;
    }
    let [header, status, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(app, f, header, &t);
    draw_status(app, f, status, &t);
    match &app.screen {
        Screen::Home(h) => draw_home(app, h, f, body, &t),
        Screen::Choose(c) => draw_choose(app, c.selected, f, body, &t),
        Screen::Profile(p) => {
            if let Some(s) = &app.session {
                draw_profile(s, p, f, body, &t, lang)
            }
        }
        Screen::Question(q) => {
            if let Some(s) = &app.session {
                draw_question(s, q, f, body, &t, lang)
            }
        }
        Screen::Review(r) => {
            if let Some(s) = &app.session {
                draw_review(s, r.cursor, f, body, &t, lang)
            }
        }
        Screen::Dashboard(d) => {
            if let Some(s) = &app.session {
                draw_dashboard(s, d.cursor, f, body, &t, lang)
            }
        }
    }
    draw_footer(app, f, footer, &t);
    if let Some(o) = &app.overlay {
        draw_overlay(app, o, f, body, &t);
    }
}

fn draw_header(app: &App, f: &mut Frame, area: Rect, t: &Theme) {
    let lang = app.lang();
    let right = format!(" {} ", lang.code().to_uppercase());
    let mut left = String::from(" sansang");
    if let Some(s) = &app.session {
        left.push_str(" · ");
        left.push_str(s.questionnaire.title.get(lang));
        if let Some(org) = s.assessment.profile_text("org_name") {
            left.push_str(" · ");
            left.push_str(&org);
        }
    } else {
        left.push_str(" · ");
        left.push_str(tr(
            lang,
            "sẵn sàng chuyển đổi số",
            "digital-transformation readiness",
        ));
    }
    let w = area.width as usize;
    let left = pad(&left, w.saturating_sub(width(&right)));
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(left, t.title()),
            Span::styled(right, t.key()),
        ])),
        area,
    );
}

fn draw_status(app: &App, f: &mut Frame, area: Rect, t: &Theme) {
    let lang = app.lang();
    let line = match &app.status {
        Some(Status::Saved(at)) => Line::styled(
            format!(
                " ✓ {} {}",
                tr(lang, "Đã lưu lúc", "Saved at"),
                crate::locale::time_of_day(at)
            ),
            t.ok(),
        ),
        Some(Status::Info(m)) => Line::from(format!(" {m}")),
        // Wrapped onto the line below when long, so the reason is never cut to a path.
        Some(Status::Error(m)) => Line::styled(
            format!(" ✗ {}", m.lines().next().unwrap_or_default()),
            t.error(),
        ),
        None => Line::from(""),
    };
    f.render_widget(Paragraph::new(line), area);
}

/// The footer: the keymap's footer entries for the current context (and the global ones where
/// they work), without what a workshop participant cannot do.
fn hints(app: &App) -> Vec<(&'static str, &'static str)> {
    use super::keymap::{self, Action, Ctx};
    let ctx = app.ctx();
    let extra: &[Ctx] = if ctx.takes_text() || app.overlay.is_some() || ctx == Ctx::Profile {
        &[]
    } else {
        &[Ctx::Global]
    };
    let confined = app.confined.is_some();
    keymap::footer(ctx, app.lang(), extra, |a| {
        !(confined
            && matches!(
                a,
                Action::Report | Action::Compare | Action::New | Action::Delete | Action::OpenFile
            ))
    })
}

fn draw_footer(app: &App, f: &mut Frame, area: Rect, t: &Theme) {
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (k, d) in hints(app) {
        let w = width(k) + width(d) + 3;
        if used + w > area.width as usize {
            break;
        }
        spans.push(Span::styled(k, t.key()));
        spans.push(Span::raw(format!(" {d}  ")));
        used += w;
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Keeps `cursor` within a window of `height` rows: the first row to show.
fn scroll(cursor: usize, height: usize) -> usize {
    cursor.saturating_sub(height.saturating_sub(1))
}

fn marker(selected: bool) -> &'static str {
    if selected { "▶ " } else { "  " }
}

fn draw_home(app: &App, h: &super::screens::HomeState, f: &mut Frame, area: Rect, t: &Theme) {
    let lang = app.lang();
    let mut lines = vec![
        Line::styled(tr(lang, " Các bản đánh giá", " Assessments"), t.title()),
        Line::from(""),
    ];
    if h.items.is_empty() {
        lines.push(Line::from(tr(
            lang,
            "  Chưa có bản đánh giá nào. Nhấn n để bắt đầu một bản mới.",
            "  No assessments yet. Press n to start one.",
        )));
        lines.push(Line::from(format!(
            "  {}: {}",
            tr(lang, "Thư mục dữ liệu", "Data folder"),
            app.data_dir.display()
        )));
    }
    // Two lines an item: who and what, then when, how far, which band and the file, so two
    // assessments of one organisation are told apart.
    let rows = (area.height as usize).saturating_sub(2) / 2;
    let first = scroll(h.selected, rows.max(1));
    let w = area.width as usize;
    for (i, it) in h.items.iter().enumerate().skip(first).take(rows.max(1)) {
        let sel = i == h.selected;
        let file = it
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (one, two) = match &it.error {
            Some(e) => (format!("{}{file}", marker(sel)), format!("    {e}")),
            None => {
                let org = if it.organisation.is_empty() {
                    tr(lang, "(chưa đặt tên)", "(no name yet)").to_string()
                } else {
                    it.organisation.clone()
                };
                let band = it
                    .band
                    .as_ref()
                    .map(|b| b.get(lang).to_string())
                    .unwrap_or_else(|| "—".into());
                (
                    format!("{}{org} · {}", marker(sel), it.title.get(lang)),
                    format!(
                        "    {} · {} {}/{} · {band} · {file}",
                        crate::locale::datetime(&it.updated_at, lang),
                        tr(lang, "đã trả lời", "answered"),
                        it.answered,
                        it.shown,
                    ),
                )
            }
        };
        let style = if sel {
            t.selected()
        } else if it.error.is_some() {
            t.error()
        } else {
            Default::default()
        };
        lines.push(Line::styled(pad(&truncate(&one, w), w), style));
        lines.push(Line::styled(
            pad(&truncate(&two, w), w),
            if sel { t.selected() } else { t.dim() },
        ));
    }
    f.render_widget(Paragraph::new(lines), area);
}

fn draw_choose(app: &App, selected: usize, f: &mut Frame, area: Rect, t: &Theme) {
    let lang = app.lang();
    let mut lines = vec![
        Line::styled(
            tr(lang, " Chọn bộ câu hỏi", " Choose a questionnaire"),
            t.title(),
        ),
        Line::from(""),
    ];
    for (i, e) in app.catalog.entries.iter().enumerate() {
        let q = &e.questionnaire;
        let mins = q
            .estimated_minutes
            .map(|m| format!("~{m} {}", tr(lang, "phút", "min")))
            .unwrap_or_default();
        let text = format!(
            "{}{} {}  ({} {}, {mins})",
            marker(i == selected),
            pad(&q.id, 9),
            q.title.get(lang),
            q.questions().count(),
            tr(lang, "câu tối đa", "questions at most")
        );
        let style = if i == selected {
            t.selected()
        } else {
            Default::default()
        };
        lines.push(Line::styled(pad(&text, area.width as usize), style));
    }
    if let Some(e) = app.catalog.entries.get(selected) {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!(" {}", e.questionnaire.description.get(lang)),
            t.dim(),
        ));
        if let crate::questionnaire::Origin::File(p) = &e.origin {
            lines.push(Line::styled(format!(" {}", p.display()), t.dim()));
        }
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn draw_profile(
    s: &Session,
    p: &super::screens::ProfileState,
    f: &mut Frame,
    area: Rect,
    t: &Theme,
    lang: Lang,
) {
    let q = &s.questionnaire;
    let mut lines = vec![
        Line::styled(
            tr(lang, " Thông tin tổ chức", " About the organisation"),
            t.title(),
        ),
        Line::from(""),
    ];
    let label_w = q
        .profile
        .iter()
        .map(|f| width(f.label.get(lang)))
        .max()
        .unwrap_or(10)
        .min(40)
        + 3;
    for (i, field) in q.profile.iter().enumerate() {
        let sel = i == p.field;
        let star = if field.required { "*" } else { " " };
        let value = if sel && field.kind != ProfileKind::Choice {
            format!("[{}]", with_cursor(&p.input.text, p.input.cursor))
        } else {
            let v = s.assessment.profile_text(&field.id).unwrap_or_default();
            match field.kind {
                ProfileKind::Choice => {
                    let label = field
                        .options
                        .iter()
                        .find(|o| o.id == v)
                        .map(|o| o.label.get(lang).to_string())
                        .unwrap_or_else(|| "—".into());
                    if sel {
                        format!("◀ {label} ▶")
                    } else {
                        label
                    }
                }
                _ => v,
            }
        };
        let unit = field
            .unit
            .as_ref()
            .map(|u| format!(" {}", u.get(lang)))
            .unwrap_or_default();
        let text = format!(
            "{}{}{} {}{unit}",
            marker(sel),
            pad(field.label.get(lang), label_w - 3),
            star,
            value
        );
        let indent = " ".repeat(label_w.min(area.width as usize / 2));
        push_wrapped(
            &mut lines,
            &text,
            &indent,
            area.width as usize,
            if sel {
                t.selected()
            } else {
                Default::default()
            },
            false,
        );
    }
    lines.push(Line::from(""));
    let start = p.field == q.profile.len();
    let start_text = format!(
        "{}[ {} ]",
        marker(start),
        tr(lang, "Bắt đầu trả lời câu hỏi →", "Start answering →")
    );
    lines.push(Line::styled(
        start_text,
        if start { t.selected() } else { t.key() },
    ));
    lines.push(Line::from(""));
    if let Some(help) = q.profile.get(p.field).and_then(|f| f.help.as_ref()) {
        lines.push(Line::styled(format!(" {}", help.get(lang)), t.dim()));
    }
    lines.push(Line::styled(
        tr(lang, " * bắt buộc", " * required"),
        t.dim(),
    ));
    let focus = Some(p.field + 2);
    draw_scrolled(f, area, lines, focus, focus.map(|x| x + 2), t, lang);
}

/// Position of the current question: (section index, section count, question number, total).
fn position(s: &Session, id: &str) -> (usize, usize, usize, usize) {
    let visible = s.visible();
    let n = visible.iter().position(|v| v == id).map_or(0, |i| i + 1);
    let sec = s
        .questionnaire
        .sections
        .iter()
        .position(|sec| sec.questions.iter().any(|q| q.id == id))
        .unwrap_or(0);
    (sec + 1, s.questionnaire.sections.len(), n, visible.len())
}

fn draw_sections_panel(
    s: &Session,
    current: &str,
    f: &mut Frame,
    area: Rect,
    t: &Theme,
    lang: Lang,
) {
    let visible = s.visible();
    let mut lines = vec![Line::styled(tr(lang, "Các phần", "Sections"), t.title())];
    for sec in &s.questionnaire.sections {
        let shown: Vec<&str> = sec
            .questions
            .iter()
            .map(|q| q.id.as_str())
            .filter(|id| visible.iter().any(|v| v == id))
            .collect();
        let done = shown
            .iter()
            .filter(|id| s.assessment.answers.contains_key(**id))
            .count();
        let here = sec.questions.iter().any(|q| q.id == current);
        let mark = if shown.is_empty() {
            "–"
        } else if done == shown.len() {
            "✓"
        } else {
            " "
        };
        let counts = format!("{done}/{}", shown.len());
        // The title wraps (never cut); the count ends the first line.
        let text = format!(
            "{}{mark} {} {counts}",
            if here { "▶" } else { " " },
            sec.title.get(lang)
        );
        push_wrapped(
            &mut lines,
            &text,
            "   ",
            (area.width as usize).saturating_sub(1),
            if here {
                t.selected()
            } else if shown.is_empty() {
                t.dim()
            } else {
                Default::default()
            },
            false,
        );
    }
    let (done, shown) = s.progress();
    lines.push(Line::from(""));
    lines.push(Line::from(format!(
        "{} {done}/{shown}",
        tr(lang, "Đã trả lời", "Answered"),
    )));
    if let Some(h) = s.report.headline {
        let band = s
            .report
            .headline_band
            .as_ref()
            .and_then(|b| s.questionnaire.band(b))
            .map(|b| b.label.get(lang))
            .unwrap_or("");
        lines.push(Line::from(format!(
            "{} {} · {band}",
            tr(lang, "Điểm", "Score"),
            crate::locale::score(h, lang)
        )));
    }
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::RIGHT)),
        area,
    );
}

fn draw_question(
    s: &Session,
    qs: &QuestionState,
    f: &mut Frame,
    area: Rect,
    t: &Theme,
    lang: Lang,
) {
    let main = if area.width >= 100 {
        let [left, right] =
            Layout::horizontal([Constraint::Length(32), Constraint::Min(40)]).areas(area);
        draw_sections_panel(s, &qs.current, f, left, t, lang);
        right
    } else {
        area
    };
    let inner = Rect {
        x: main.x + 1,
        width: main.width.saturating_sub(2),
        ..main
    };
    let q = &s.questionnaire;
    let Some(question) = q.question(&qs.current) else {
        f.render_widget(
            Paragraph::new(tr(
                lang,
                "Không có câu hỏi nào được hiển thị.",
                "No questions to show.",
            )),
            inner,
        );
        return;
    };
    let (sec, secs, n, total) = position(s, &qs.current);
    let section = q
        .sections
        .get(sec - 1)
        .map(|x| x.title.get(lang))
        .unwrap_or("");
    let answer = s.assessment.answers.get(&question.id);
    let w = inner.width as usize;
    // Without the side panel, the section line carries the section's progress.
    let progress = if area.width < 100 {
        let visible = s.visible();
        let shown: Vec<&String> = q.sections[sec - 1]
            .questions
            .iter()
            .map(|x| &x.id)
            .filter(|id| visible.contains(id))
            .collect();
        let done = shown
            .iter()
            .filter(|id| s.assessment.answers.contains_key(**id))
            .count();
        format!(
            " ({done}/{} {})",
            shown.len(),
            tr(lang, "đã trả lời", "answered")
        )
    } else {
        String::new()
    };
    let mut lines: Vec<Line> = vec![];
    let mut focus: Option<usize> = None;
    let mut focus_end: Option<usize> = None;
    push_wrapped(
        &mut lines,
        &format!(
            "{} {sec}/{secs}: {section}{progress}",
            tr(lang, "Phần", "Section")
        ),
        "  ",
        w,
        t.dim(),
        false,
    );
    let (done, _) = s.progress();
    let all = q.questions().count();
    let hidden = if all > total {
        format!(
            " ({} {all}, {} {})",
            tr(lang, "bộ có", "of"),
            all - total,
            tr(lang, "câu ẩn theo hồ sơ", "hidden by the profile")
        )
    } else {
        String::new()
    };
    push_wrapped(
        &mut lines,
        &format!(
            "{} {n}/{total} · {} · {} {done}/{total}{hidden}",
            tr(lang, "Câu", "Question"),
            question.id,
            tr(lang, "đã trả lời", "answered"),
        ),
        "  ",
        w,
        t.dim(),
        false,
    );
    push_wrapped(&mut lines, question.text.get(lang), "", w, t.title(), false);
    lines.push(Line::from(""));
    let chosen = |i: usize| -> bool {
        match answer.map(|a| &a.response) {
            Some(Response::Scale { level }) => *level as usize == i,
            Some(Response::Ynp { choice }) => {
                [
                    crate::assessment::Ynp::Yes,
                    crate::assessment::Ynp::Partly,
                    crate::assessment::Ynp::No,
                ][i] == *choice
            }
            Some(Response::Checklist { selected }) => question
                .options
                .get(i)
                .is_some_and(|o| selected.contains(&o.id)),
            _ => false,
        }
    };
    match question.kind {
        QuestionKind::Scale => {
            // Every level with its whole descriptor, wrapped; the selected one highlighted.
            for (i, level) in question.levels.iter().enumerate() {
                let sel = i == qs.cursor;
                if sel {
                    focus = Some(lines.len());
                }
                let radio = if chosen(i) { "(●)" } else { "( )" };
                let head = format!("{}{radio} {i} {}", marker(sel), level.label.get(lang));
                let style = if sel {
                    t.selected()
                } else {
                    Default::default()
                };
                push_wrapped(&mut lines, &head, "       ", w, style, sel);
                for l in crate::text::wrap(level.descriptor.get(lang), w.saturating_sub(7)) {
                    lines.push(Line::styled(
                        format!("       {l}"),
                        if sel { Default::default() } else { t.dim() },
                    ));
                }
                if sel {
                    focus_end = Some(lines.len());
                }
            }
        }
        QuestionKind::Ynp => {
            let labels = [
                tr(lang, "Có", "Yes"),
                tr(lang, "Một phần", "Partly"),
                tr(lang, "Không", "No"),
            ];
            for (i, l) in labels.iter().enumerate() {
                let sel = i == qs.cursor;
                if sel {
                    focus = Some(lines.len());
                    focus_end = Some(lines.len() + 1);
                }
                let text = format!(
                    "{}{} {l}",
                    marker(sel),
                    if chosen(i) { "(●)" } else { "( )" }
                );
                lines.push(Line::styled(
                    pad(&text, w),
                    if sel {
                        t.selected()
                    } else {
                        Default::default()
                    },
                ));
            }
        }
        QuestionKind::Checklist => {
            // Options wrap: the words at the end are often the criterion.
            for (i, o) in question.options.iter().enumerate() {
                let sel = i == qs.cursor;
                if sel {
                    focus = Some(lines.len());
                }
                let text = format!(
                    "{}[{}] {}. {}",
                    marker(sel),
                    if chosen(i) { "x" } else { " " },
                    i + 1,
                    o.label.get(lang)
                );
                let style = if sel {
                    t.selected()
                } else {
                    Default::default()
                };
                push_wrapped(&mut lines, &text, "         ", w, style, sel);
                if sel {
                    focus_end = Some(lines.len());
                }
            }
        }
        QuestionKind::Number => {
            let unit = question.unit.as_ref().map(|u| u.get(lang)).unwrap_or("");
            lines.push(Line::from(vec![
                Span::raw(format!("  {}: ", tr(lang, "Giá trị", "Value"))),
                Span::styled(
                    if qs.number_focus {
                        format!("[ {} ]", with_cursor(&qs.number.text, qs.number.cursor))
                    } else {
                        format!("[ {} ]", qs.number.text)
                    },
                    if qs.number_focus {
                        t.selected()
                    } else {
                        t.dim()
                    },
                ),
                Span::raw(format!(" {unit}  ")),
                Span::styled(
                    if qs.number_focus {
                        tr(
                            lang,
                            "(gõ số, ví dụ 72,5 hoặc 1.200, rồi Enter)",
                            "(type a number, e.g. 72.5 or 1,200, then Enter)",
                        )
                    } else {
                        tr(
                            lang,
                            "(Enter hoặc một chữ số để nhập)",
                            "(Enter or a digit to type)",
                        )
                    },
                    t.dim(),
                ),
            ]));
            let target = crate::scoring::target_for(q, &s.assessment, question);
            match target {
                Some(tu) => lines.push(Line::styled(
                    format!("  {} {}: {}{unit}", tr(lang, "Chỉ tiêu năm", "Target for"), tu.year, crate::assessment::format_number(tu.value)),
                    t.key(),
                )),
                None if question.target.is_some() => lines.push(Line::styled(
                    tr(lang, "  Chọn cấp hành chính và năm chỉ tiêu trong hồ sơ để so với chỉ tiêu", "  Set the administrative level and target year in the profile to compare with the target"),
                    t.dim(),
                )),
                None => {}
            }
        }
        QuestionKind::Text => match &qs.editor {
            Some(ed) => {
                lines.push(Line::styled(
                    tr(
                        lang,
                        "  Đang soạn (Esc để lưu):",
                        "  Editing (Esc to save):",
                    ),
                    t.key(),
                ));
                for (r, l) in ed.lines.iter().enumerate() {
                    let mut s = l.clone();
                    if r == ed.row {
                        s.insert(ed.col, '▏');
                    }
                    lines.push(Line::from(format!("  │ {s}")));
                }
            }
            None => {
                let text = match answer.map(|a| &a.response) {
                    Some(Response::Text { text }) => text.clone(),
                    _ => tr(
                        lang,
                        "(chưa có; nhấn Enter để viết)",
                        "(empty; press Enter to write)",
                    )
                    .to_string(),
                };
                for l in text.lines() {
                    lines.push(Line::from(format!("  │ {l}")));
                }
            }
        },
    }
    // The answer's state: special answers, review mark, comment, evidence.
    if let Some(a) = answer {
        let mut flags = vec![];
        match &a.response {
            Response::NotApplicable | Response::DontKnow | Response::Alternate { .. } => {
                flags.push(format!("→ {}", answer_text(question, &a.response, lang)))
            }
            _ if option_count(question) == 0 && question.kind == QuestionKind::Number => {
                flags.push(format!("→ {}", answer_text(question, &a.response, lang)))
            }
            _ => {}
        }
        if a.marked_for_review {
            flags.push(format!(
                "★ {}",
                tr(lang, "cần xem lại", "marked for review")
            ));
        }
        if !a.comment.is_empty() {
            flags.push(format!("✎ {}", truncate(&a.comment, 30)));
        }
        if let Some(e) = a.evidence.first() {
            flags.push(format!("📎 {}", crate::export::grade_label(e.grade, lang)));
        }
        if !flags.is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::styled(format!("  {}", flags.join("  ")), t.key()));
        }
        if a.evidence
            .iter()
            .all(|e| e.grade < EvidenceGrade::DocumentSeen)
            && !a.evidence.is_empty()
        {
            // Stated evidence does not count towards the evidenced score; say so once.
            lines.push(Line::styled(
                tr(
                    lang,
                    "  (minh chứng tự khai chưa được tính vào điểm có minh chứng)",
                    "  (stated evidence does not count towards the evidenced score)",
                ),
                t.dim(),
            ));
        }
    }
    lines.push(Line::from(""));
    if let Some(h) = &question.help {
        push_wrapped(&mut lines, h.get(lang), "", w, t.dim(), false);
    }
    push_wrapped(
        &mut lines,
        &format!(
            "{}: {}",
            tr(lang, "Nguồn", "Source"),
            q.cite_all(&question.seed, lang)
        ),
        "  ",
        w,
        t.dim(),
        false,
    );
    draw_scrolled(f, inner, lines, focus, focus_end, t, lang);
}

/// Pushes `text` wrapped to `w` columns; continuation lines start with `indent`. With `fill`,
/// each line is padded to the full width (the selection bar).
fn push_wrapped(
    lines: &mut Vec<Line<'static>>,
    text: &str,
    indent: &str,
    w: usize,
    style: ratatui::style::Style,
    fill: bool,
) {
    let first_w = w.max(1);
    let rest_w = w.saturating_sub(width(indent)).max(1);
    let words = crate::text::wrap(text, first_w);
    let out: Vec<String> = if indent.is_empty() || words.len() <= 1 {
        words
    } else {
        // Re-wrap the remainder at the narrower width so the indent never overflows.
        let first = words[0].clone();
        let rest = match text.strip_prefix(first.as_str()) {
            Some(r) => r.trim_start().to_string(),
            None => words[1..].join(" "),
        };
        std::iter::once(first)
            .chain(
                crate::text::wrap(&rest, rest_w)
                    .into_iter()
                    .map(|l| format!("{indent}{l}")),
            )
            .collect()
    };
    for l in out {
        let l = if fill { pad(&l, w) } else { l };
        lines.push(Line::styled(l, style));
    }
}

/// Draws pre-wrapped lines in `area`; when they do not fit, keeps the focused rows in view
/// and shows where more is hidden ("▲ … more above", "▼ … more below").
fn draw_scrolled(
    f: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    focus: Option<usize>,
    focus_end: Option<usize>,
    t: &Theme,
    lang: Lang,
) {
    let h = area.height as usize;
    if lines.len() <= h || h < 3 {
        f.render_widget(Paragraph::new(lines), area);
        return;
    }
    let start = focus.unwrap_or(0);
    let end = focus_end.unwrap_or(start + 1).max(start + 1);
    // From the top while the focus fits (one line kept for the "more below" cue), else
    // scrolled so the focused rows end the window (one line more for the "above" cue).
    let top = if end < h {
        0
    } else {
        end.saturating_sub(h - 2).min(start).max(1)
    };
    let room = if top == 0 { h - 1 } else { h - 2 };
    let top = top.min(lines.len().saturating_sub(room));
    let below = lines.len().saturating_sub(top + room);
    let mut out: Vec<Line> = Vec::with_capacity(h);
    if top > 0 {
        out.push(Line::styled(
            format!("▲ {top} {}", tr(lang, "dòng ở trên", "more lines above")),
            t.key(),
        ));
    }
    out.extend(lines.into_iter().skip(top).take(room));
    if below > 0 {
        out.push(Line::styled(
            format!(
                "▼ {below} {}",
                tr(
                    lang,
                    "dòng ở dưới (↑↓ để xem)",
                    "more lines below (↑↓ to see)"
                )
            ),
            t.key(),
        ));
    }
    f.render_widget(Paragraph::new(out), area);
}

fn draw_review(s: &Session, cursor: usize, f: &mut Frame, area: Rect, t: &Theme, lang: Lang) {
    let visible = s.visible();
    let w = area.width as usize;
    // Rows: section headers and questions; the cursor counts questions only.
    let mut rows: Vec<(Option<usize>, Line)> = vec![];
    let mut qi = 0;
    for sec in &s.questionnaire.sections {
        let shown: Vec<_> = sec
            .questions
            .iter()
            .filter(|q| visible.contains(&q.id))
            .collect();
        if shown.is_empty() {
            continue;
        }
        rows.push((
            None,
            Line::styled(format!(" {}", sec.title.get(lang)), t.title()),
        ));
        for q in shown {
            let a = s.assessment.answers.get(&q.id);
            let (mark, ans) = match a {
                Some(a) => (
                    if a.marked_for_review { "★" } else { "✓" },
                    answer_text(q, &a.response, lang),
                ),
                None => ("·", tr(lang, "chưa trả lời", "unanswered").to_string()),
            };
            let text = format!(
                "{}{mark} {} {} → {}",
                marker(qi == cursor),
                pad(&q.id, 10),
                truncate(q.text.get(lang), w / 2),
                ans
            );
            let style = if qi == cursor {
                t.selected()
            } else if a.is_none() {
                t.warn()
            } else if a.is_some_and(|a| a.marked_for_review) {
                t.key()
            } else {
                Default::default()
            };
            rows.push((Some(qi), Line::styled(truncate(&text, w), style)));
            qi += 1;
        }
    }
    let height = area.height as usize;
    let cursor_row = rows
        .iter()
        .position(|(i, _)| *i == Some(cursor))
        .unwrap_or(0);
    let first = scroll(cursor_row, height);
    let lines: Vec<Line> = rows
        .into_iter()
        .skip(first)
        .take(height)
        .map(|(_, l)| l)
        .collect();
    f.render_widget(Paragraph::new(lines), area);
}

fn band_index(q: &Questionnaire, id: Option<&String>) -> usize {
    let bands = q.bands_sorted();
    id.and_then(|b| bands.iter().position(|x| &x.id == b))
        .unwrap_or(0)
}

fn bar(score: Option<f64>, cells: usize) -> String {
    let filled = score
        .map_or(0, |v| ((v / 100.0) * cells as f64).round() as usize)
        .min(cells);
    format!("{}{}", "█".repeat(filled), "░".repeat(cells - filled))
}

/// Why the headline is below the overall score, in plain words: the shown score, each
/// warning, and the rule. Empty when nothing capped it.
pub fn cap_lines(q: &Questionnaire, r: &Report, lang: Lang) -> Vec<String> {
    let (Some(h), Some(o)) = (r.headline, r.overall) else {
        return vec![];
    };
    if r.warnings.is_empty() && crate::locale::round1(h) >= crate::locale::round1(o) {
        return vec![];
    }
    let band = r
        .headline_band
        .as_ref()
        .and_then(|b| q.band(b))
        .map(|b| b.label.get(lang))
        .unwrap_or("—");
    let mut out = vec![format!(
        "{} {} ({band}) {} {}, {}:",
        tr(lang, "Điểm hiển thị", "The headline shows"),
        crate::locale::score(h, lang),
        tr(lang, "thay cho điểm tổng", "instead of the overall"),
        crate::locale::score(o, lang),
        tr(lang, "vì", "because")
    )];
    for w in &r.warnings {
        out.push(format!("⚠ {}", explain::warning_text(q, w, lang)));
    }
    if let Some(rule) = &q.security_rule {
        out.push(format!(
            "{} {} {}",
            tr(
                lang,
                "Quy tắc \"không an toàn thì không chuyển đổi số\": mức chung không được cao hơn mức an toàn thông tin quá",
                "The rule \"no security, no digital transformation\": the headline band may not exceed the security band by more than",
            ),
            rule.max_band_gap,
            tr(
                lang,
                "bậc, và mỗi cờ đỏ giới hạn mức chung ở mức của nó.",
                "level(s), and each red flag caps it at its own band.",
            )
        ));
    }
    out
}

fn draw_dashboard(s: &Session, cursor: usize, f: &mut Frame, area: Rect, t: &Theme, lang: Lang) {
    let q = &s.questionnaire;
    let r = &s.report;
    let wide = area.width >= 110;
    let (left, right) = if wide {
        let [l, rr] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .areas(area);
        (l, Some(rr))
    } else {
        (area, None)
    };
    let band_label = |id: &Option<String>| {
        id.as_ref()
            .and_then(|b| q.band(b))
            .map(|b| b.label.get(lang).to_string())
            .unwrap_or_else(|| "—".into())
    };
    let mut lines = vec![];
    let headline = crate::locale::score_opt(r.headline, lang);
    lines.push(Line::from(vec![
        Span::styled(
            format!(" {}: {headline} ", tr(lang, "Mức sẵn sàng", "Readiness")),
            t.title(),
        ),
        Span::styled(
            band_label(&r.headline_band),
            t.band(band_index(q, r.headline_band.as_ref()))
                .add_modifier(ratatui::style::Modifier::BOLD),
        ),
    ]));
    // When capped: why, on the first screen (the red flag and the rule).
    let caps = cap_lines(q, r, lang);
    if !caps.is_empty() {
        let text = caps[1..]
            .iter()
            .take(2)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        for (i, l) in crate::text::wrap(&text, (left.width as usize).saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            if i == 3 {
                lines.push(Line::styled(
                    tr(lang, "  … w ở dòng Tổng: vì sao", "  … w on Overall: why").to_string(),
                    t.warn(),
                ));
                break;
            }
            lines.push(Line::styled(format!(" {l}"), t.warn()));
        }
    }
    let c = r.coverage;
    let (done, shown) = s.progress();
    lines.push(Line::from(format!(
        " {} {done}/{shown} · {} {}/{} ({}) · {} {} · {} {}",
        tr(lang, "Đã trả lời", "Answered"),
        tr(lang, "tính điểm", "scored"),
        c.answered,
        c.applicable,
        crate::locale::percent(c.percent().round(), lang),
        tr(lang, "không biết", "don't know"),
        c.dont_know,
        tr(lang, "có minh chứng", "evidenced"),
        crate::locale::score_opt(r.overall_evidenced, lang)
    )));
    let label_w = (left.width as usize).saturating_sub(34).clamp(12, 40);
    let rows = dashboard_rows(q);
    let mut row_lines: Vec<Line> = vec![];
    let mut last_group: Option<Group> = None;
    for (i, row) in rows.iter().enumerate() {
        let sel = i == cursor;
        let (label, score, evid, band, cov) = match row {
            None => (
                tr(lang, "Tổng (trước giới hạn)", "Overall (before caps)").to_string(),
                r.overall,
                r.overall_evidenced,
                r.overall_band.clone(),
                c,
            ),
            Some(id) => {
                let d = r.dimension(id);
                let dim = q.dimension(id);
                if let Some(g) = dim.map(|x| x.group)
                    && last_group != Some(g)
                {
                    row_lines.push(Line::styled(format!(" {}", g.label(lang)), t.dim()));
                    last_group = Some(g);
                }
                (
                    format!("{} {}", id, dim.map(|x| x.label.get(lang)).unwrap_or("")),
                    d.and_then(|d| d.claimed),
                    d.and_then(|d| d.evidenced),
                    d.and_then(|d| d.band.clone()),
                    d.map(|d| d.coverage).unwrap_or_default(),
                )
            }
        };
        let num = format!("{:>5}", crate::locale::score_opt(score, lang));
        let ev = format!(
            "{:>5}",
            evid.map_or(String::new(), |v| crate::locale::score(v, lang))
        );
        let text = format!(
            "{}{} {} {} {ev} {}/{}",
            marker(sel),
            pad(&label, label_w),
            num,
            bar(score, 10),
            cov.answered,
            cov.applicable
        );
        let style = if sel {
            t.selected()
        } else {
            t.band(band_index(q, band.as_ref()))
        };
        row_lines.push(Line::styled(truncate(&text, left.width as usize), style));
    }
    lines.push(Line::styled(
        format!(
            " {} {:>6} {:10} {:>4}",
            pad("", label_w + 2),
            tr(lang, "Điểm", "Score"),
            "",
            tr(lang, "Có MC", "Evid.")
        ),
        t.dim(),
    ));
    // Keep the selected row visible.
    let avail = (left.height as usize).saturating_sub(lines.len());
    let sel_line = row_lines
        .iter()
        .position(|l| l.style == t.selected())
        .unwrap_or(0);
    lines.extend(row_lines.into_iter().skip(scroll(sel_line, avail)));
    let used = lines.len() as u16;
    f.render_widget(Paragraph::new(lines), left);

    let mut side: Vec<Line> = vec![];
    if right.is_some() {
        for w in &r.warnings {
            let text = explain::warning_text(q, w, lang);
            side.push(Line::styled(format!("⚠ {text}"), t.warn()));
        }
    }
    if !r.weakest.is_empty() {
        side.push(Line::styled(
            tr(lang, "Nên cải thiện trước", "Improve first"),
            t.title(),
        ));
        for imp in r.weakest.iter().take(4) {
            if let Some(qq) = q.question(&imp.question) {
                side.push(Line::from(format!(
                    "• ({}) {}",
                    crate::locale::signed(imp.gain, lang),
                    qq.text.get(lang)
                )));
                if let Some(rec) = &qq.recommendation {
                    side.push(Line::styled(format!("  → {}", rec.get(lang)), t.dim()));
                }
            }
        }
    }
    let side_area = match right {
        Some(area) => Some(area),
        // Narrow: under the scores, as much as fits.
        None if area.height > used + 1 => Some(Rect {
            y: area.y + used + 1,
            height: area.height - used - 1,
            ..area
        }),
        None => None,
    };
    if let Some(sa) = side_area {
        let block = if right.is_some() {
            Block::default().borders(Borders::LEFT)
        } else {
            Block::default()
        };
        f.render_widget(
            Paragraph::new(side).wrap(Wrap { trim: false }).block(block),
            sa,
        );
    }
}

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn draw_overlay(app: &App, o: &Overlay, f: &mut Frame, body: Rect, t: &Theme) {
    let lang = app.lang();
    let (title, lines, w, h): (String, Vec<Line>, u16, u16) = match o {
        Overlay::Help { scroll } => {
            let lines = help_lines(lang, t);
            let max = lines
                .len()
                .saturating_sub(body.height.saturating_sub(2) as usize);
            (
                tr(lang, "Phím tắt", "Keys").into(),
                lines.into_iter().skip((*scroll).min(max)).collect(),
                86,
                body.height,
            )
        }
        Overlay::Search(st) => {
            let Some(s) = &app.session else { return };
            let hits = st.results(s, lang);
            let mut lines = vec![
                Line::from(vec![
                    Span::raw(tr(lang, "Tìm: ", "Find: ")),
                    Span::styled(with_cursor(&st.input.text, st.input.cursor), t.selected()),
                ]),
                Line::styled(
                    format!(
                        "{}: {} · {} {}",
                        tr(lang, "Lọc (Tab)", "Filter (Tab)"),
                        st.filter.label(lang),
                        hits.len(),
                        tr(lang, "câu", "questions")
                    ),
                    t.dim(),
                ),
            ];
            let room = body.height.saturating_sub(5) as usize;
            let first = scroll(st.cursor, room);
            for (i, id) in hits.iter().enumerate().skip(first).take(room) {
                let text = s
                    .questionnaire
                    .question(id)
                    .map_or("", |q| q.text.get(lang));
                let mark = if s.assessment.answers.contains_key(id) {
                    "✓"
                } else {
                    "·"
                };
                lines.push(Line::styled(
                    truncate(
                        &format!("{}{mark} {id}  {text}", marker(i == st.cursor)),
                        96,
                    ),
                    if i == st.cursor {
                        t.selected()
                    } else {
                        Default::default()
                    },
                ));
            }
            if hits.is_empty() {
                lines.push(Line::from(tr(
                    lang,
                    "Không có câu nào khớp (bỏ dấu cũng được: \"ung cuu\")",
                    "No question matches (diacritics optional: \"ung cuu\")",
                )));
            }
            (
                tr(lang, "Tìm câu hỏi", "Find a question").into(),
                lines,
                100,
                body.height,
            )
        }
        Overlay::Notice(msgs) => (
            tr(lang, "Thông báo", "Notice").into(),
            msgs.iter()
                .flat_map(|m| {
                    m.lines()
                        .map(|l| Line::from(l.to_string()))
                        .collect::<Vec<_>>()
                })
                .collect(),
            76,
            16,
        ),
        Overlay::Confirm(c) => {
            let (title, what, yes) = match c {
                Confirm::DeleteFile { label, .. } => (
                    tr(lang, "Xóa bản đánh giá này?", "Delete this assessment?"),
                    label.clone(),
                    tr(lang, "y: xóa hẳn tệp", "y: delete the file for good"),
                ),
                Confirm::ClearAnswer { question, answer } => (
                    tr(lang, "Xóa câu trả lời?", "Clear the answer?"),
                    format!("{question}: {answer}"),
                    tr(lang, "y: xóa câu trả lời", "y: clear the answer"),
                ),
                Confirm::QuitUnsaved { reason, .. } => (
                    tr(
                        lang,
                        "Chưa lưu được — vẫn rời đi?",
                        "Not saved — leave anyway?",
                    ),
                    reason.clone(),
                    tr(
                        lang,
                        "y: vẫn rời đi (mất các thay đổi chưa lưu)",
                        "y: leave anyway (unsaved changes are lost)",
                    ),
                ),
            };
            let no = match c {
                Confirm::QuitUnsaved { .. } => tr(
                    lang,
                    "n hoặc Esc: ở lại (lưu lại ở lần thay đổi sau)",
                    "n or Esc: stay (saved again at the next change)",
                ),
                _ => tr(lang, "n hoặc Esc: giữ lại", "n or Esc: keep it"),
            };
            let lines = vec![
                Line::from(what),
                Line::from(""),
                Line::styled(yes.to_string(), t.warn()),
                Line::from(no),
            ];
            (title.into(), lines, 72, 9)
        }
        Overlay::OpenPath(input) => (
            tr(lang, "Mở bộ câu hỏi từ tệp", "Open a questionnaire file").into(),
            vec![
                Line::from(tr(lang, "Đường dẫn tệp JSON:", "Path to the JSON file:")),
                Line::styled(with_cursor(&input.text, input.cursor), t.selected()),
            ],
            70,
            6,
        ),
        Overlay::Comment(ed) | Overlay::Alternate(ed) => {
            let title = if matches!(o, Overlay::Comment(_)) {
                tr(lang, "Ghi chú cho câu trả lời", "Comment on the answer")
            } else {
                tr(
                    lang,
                    "Biện pháp thay thế: giải trình",
                    "Alternate measure: justification",
                )
            };
            let mut lines: Vec<Line> = ed
                .lines
                .iter()
                .enumerate()
                .map(|(r, l)| {
                    let mut s = l.clone();
                    if r == ed.row {
                        s.insert(ed.col, '▏');
                    }
                    Line::from(s)
                })
                .collect();
            lines.push(Line::from(""));
            lines.push(Line::styled(
                tr(lang, "Esc: lưu và đóng", "Esc: save and close"),
                t.dim(),
            ));
            (title.into(), lines, 70, 12)
        }
        Overlay::Evidence(form) => (
            tr(lang, "Minh chứng", "Evidence").into(),
            evidence_lines(form, lang, t),
            76,
            14,
        ),
        Overlay::Sections { cursor } => {
            let Some(s) = &app.session else { return };
            let lines = s
                .questionnaire
                .sections
                .iter()
                .enumerate()
                .map(|(i, sec)| {
                    Line::styled(
                        format!("{}{}", marker(i == *cursor), sec.title.get(lang)),
                        if i == *cursor {
                            t.selected()
                        } else {
                            Default::default()
                        },
                    )
                })
                .collect();
            (
                tr(lang, "Đến phần", "Go to section").into(),
                lines,
                70,
                s.questionnaire.sections.len() as u16 + 2,
            )
        }
        Overlay::ComparePick { items, cursor } => {
            let lines = items
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let date = crate::locale::datetime(&l.updated_at, lang);
                    let org = if l.organisation.is_empty() {
                        "—"
                    } else {
                        &l.organisation
                    };
                    let text = format!(
                        "{}{} · {date} · {}/{}",
                        marker(i == *cursor),
                        org,
                        l.answered,
                        l.shown
                    );
                    Line::styled(
                        text,
                        if i == *cursor {
                            t.selected()
                        } else {
                            Default::default()
                        },
                    )
                })
                .collect::<Vec<_>>();
            let h = lines.len() as u16 + 2;
            (
                tr(
                    lang,
                    "So sánh với bản đánh giá",
                    "Compare with the assessment",
                )
                .into(),
                lines,
                76,
                h,
            )
        }
        Overlay::Compare { lines, scroll } => {
            let lines = lines
                .iter()
                .skip(*scroll)
                .map(|l| Line::from(l.clone()))
                .collect();
            (
                tr(
                    lang,
                    "So sánh (bản trước → bản này)",
                    "Comparison (earlier → this one)",
                )
                .into(),
                lines,
                100,
                body.height,
            )
        }
        Overlay::Why { dimension, cursor } => {
            let Some(s) = &app.session else { return };
            let (title, lines) = why_lines(s, dimension.as_deref(), *cursor, lang, t);
            (title, lines, 96, 22)
        }
    };
    let area = centered(body, w, h);
    f.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), t.title()));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}

fn evidence_lines(form: &EvidenceForm, lang: Lang, t: &Theme) -> Vec<Line<'static>> {
    let labels = [
        tr(lang, "Loại", "Kind"),
        tr(lang, "Mức minh chứng", "Grade"),
        tr(lang, "Loại văn bản", "Document type"),
        tr(lang, "Số hiệu", "Number"),
        tr(lang, "Ngày ban hành", "Date"),
        tr(lang, "Cơ quan ban hành", "Issued by"),
        tr(lang, "Trích yếu", "Summary"),
        tr(lang, "Đường dẫn / tệp", "Link / file"),
        tr(lang, "Ghi chú", "Note"),
    ];
    let mut out = vec![];
    for (i, row) in form.rows().iter().enumerate() {
        let sel = i == form.field;
        let value = match row {
            0 => format!(
                "◀ {} ▶",
                if form.is_document {
                    tr(lang, "Văn bản", "Document")
                } else {
                    tr(lang, "Đường dẫn", "Link")
                }
            ),
            1 => format!("◀ {} ▶", crate::export::grade_label(form.grade, lang)),
            2..=6 => format!(
                "{}{}",
                form.inputs[row - 2].text,
                if sel { "▏" } else { "" }
            ),
            7 => format!("{}{}", form.inputs[5].text, if sel { "▏" } else { "" }),
            8 => format!("{}{}", form.inputs[6].text, if sel { "▏" } else { "" }),
            _ => String::new(),
        };
        let text = if *row == 9 {
            format!(
                "{}[ {} ]",
                marker(sel),
                tr(lang, "Lưu minh chứng", "Save evidence")
            )
        } else {
            format!("{}{} {value}", marker(sel), pad(labels[*row], 18))
        };
        out.push(Line::styled(
            text,
            if sel {
                t.selected()
            } else {
                Default::default()
            },
        ));
    }
    out.push(Line::styled(
        tr(
            lang,
            "Ngày: dd/mm/yyyy. Để trống mọi trường rồi Lưu để bỏ minh chứng.",
            "Date: dd/mm/yyyy. Clear every field and Save to remove the evidence.",
        ),
        t.dim(),
    ));
    out
}

fn why_lines(
    s: &Session,
    dimension: Option<&str>,
    cursor: usize,
    lang: Lang,
    t: &Theme,
) -> (String, Vec<Line<'static>>) {
    let q = &s.questionnaire;
    let r: &Report = &s.report;
    let ids = why_questions(r, dimension);
    let mut lines = vec![];
    let title = match dimension.and_then(|d| r.dimension(d)) {
        Some(d) => {
            lines.push(Line::styled(explain::formula(d, lang), t.key()));
            lines.push(Line::from(format!(
                "{} {}/{} · {} {}",
                tr(lang, "Đã trả lời", "Answered"),
                d.coverage.answered,
                d.coverage.applicable,
                tr(lang, "có minh chứng", "evidenced"),
                crate::locale::score_opt(d.evidenced, lang)
            )));
            lines.push(Line::styled(
                format!(
                    "  {} {:>3} {:>5}  {}",
                    pad(tr(lang, "Câu", "Question"), 10),
                    "w",
                    "v",
                    tr(lang, "Trạng thái · câu trả lời", "Status · answer")
                ),
                t.dim(),
            ));
            for (i, id) in ids.iter().enumerate() {
                let Some(it) = d.items.iter().find(|x| &x.question == id) else {
                    continue;
                };
                let ans = q
                    .question(id)
                    .zip(s.assessment.answers.get(id))
                    .map(|(qq, a)| answer_text(qq, &a.response, lang))
                    .unwrap_or_default();
                let v = it.value.map_or("  —".into(), |v| format!("{v:.2}"));
                let gain = d
                    .what_if
                    .iter()
                    .find(|x| &x.question == id)
                    .map(|x| format!(" {}", crate::locale::signed(x.gain, lang)))
                    .unwrap_or_default();
                let text = format!(
                    "{}{} {:>3} {v:>5}  {} · {}{gain}",
                    marker(i == cursor),
                    pad(id, 10),
                    it.weight,
                    explain::status_label(it.status, lang),
                    ans
                );
                lines.push(Line::styled(
                    truncate(&text, 92),
                    if i == cursor {
                        t.selected()
                    } else {
                        Default::default()
                    },
                ));
            }
            format!(
                "{} {} {}",
                tr(lang, "Vì sao:", "Why:"),
                d.id,
                q.dimension(&d.id).map(|x| x.label.get(lang)).unwrap_or("")
            )
        }
        None => {
            for l in cap_lines(q, r, lang) {
                for w in crate::text::wrap(&l, 92) {
                    lines.push(Line::styled(w, t.warn()));
                }
            }
            lines.push(Line::styled(
                explain::overall_formula(r, q.overall.group, lang),
                t.key(),
            ));
            lines.push(Line::styled(
                tr(
                    lang,
                    "Những câu nâng điểm tổng nhiều nhất nếu đạt đầy đủ:",
                    "Answers that would raise the overall most if fully met:",
                ),
                t.dim(),
            ));
            for (i, id) in ids.iter().enumerate() {
                let imp = r
                    .weakest
                    .iter()
                    .chain(r.next_unanswered.iter())
                    .find(|x| &x.question == id);
                let text = format!(
                    "{}{} {} {}",
                    marker(i == cursor),
                    crate::locale::signed(imp.map_or(0.0, |x| x.gain), lang),
                    pad(id, 10),
                    q.question(id).map(|x| x.text.get(lang)).unwrap_or("")
                );
                lines.push(Line::styled(
                    truncate(&text, 92),
                    if i == cursor {
                        t.selected()
                    } else {
                        Default::default()
                    },
                ));
                // The selected item's recommendation, whole.
                if i == cursor
                    && let Some(rec) = q.question(id).and_then(|x| x.recommendation.as_ref())
                {
                    for w in crate::text::wrap(&format!("→ {}", rec.get(lang)), 88) {
                        lines.push(Line::styled(format!("    {w}"), t.dim()));
                    }
                }
            }
            tr(lang, "Vì sao: điểm tổng", "Why: the overall score").to_string()
        }
    };
    lines.push(Line::styled(
        tr(
            lang,
            "Enter: đến câu hỏi · Esc: đóng",
            "Enter: go to the question · Esc: close",
        ),
        t.dim(),
    ));
    (title, lines)
}

/// The help screen: every binding of the keymap, by context.
fn help_lines(lang: Lang, t: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::styled(
            tr(
                lang,
                "Mọi thay đổi được lưu ngay. Khi một ô nhập đang mở, phím chữ là chữ, không phải lệnh.",
                "Every change is saved at once. While a field is open, letters are text, not commands.",
            ),
            t.ok(),
        ),
        Line::styled(
            tr(
                lang,
                "Esc hoặc ? để đóng · ↑↓ PgUp PgDn để cuộn",
                "Esc or ? to close · ↑↓ PgUp PgDn to scroll",
            ),
            t.dim(),
        ),
    ];
    for (ctx, rows) in super::keymap::help(lang) {
        out.push(Line::styled(ctx.title(lang).to_string(), t.title()));
        for (k, d) in rows {
            out.push(Line::from(vec![
                Span::styled(format!("  {}", pad(k, 12)), t.key()),
                Span::raw(d.to_string()),
            ]));
        }
    }
    out
}

/// A field's text with the cursor drawn where it is (not always at the end).
pub fn with_cursor(text: &str, cursor: usize) -> String {
    let mut s = text.to_string();
    let at = if s.is_char_boundary(cursor) {
        cursor
    } else {
        s.len()
    };
    s.insert(at, '▏');
    s
}
