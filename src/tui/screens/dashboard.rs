//! Results: the headline and why it is capped, scores per pillar, task and layer, priorities.

use crate::i18n::{Lang, tr};
use crate::questionnaire::{Group, Questionnaire};
use crate::scoring::{Report, explain};
use crate::text::{pad, truncate};
use crate::tui::app::{App, Effect};
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::screens::{question::QuestionState, review::ReviewState};
use crate::tui::theme::Theme;
use crate::tui::widgets::*;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

#[derive(Debug, Default)]
pub struct DashboardState {
    pub cursor: usize,
    /// The question the user came from (Esc goes back there).
    pub from: Option<String>,
}

impl App {
    pub(in crate::tui) fn dashboard_action(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang();
        let (Screen::Dashboard(d), Some(s)) = (&mut self.screen, &self.session) else {
            return vec![];
        };
        let rows = dashboard_rows(&s.questionnaire);
        match action {
            Action::Up => d.cursor = d.cursor.saturating_sub(1),
            Action::Down => d.cursor = (d.cursor + 1).min(rows.len().saturating_sub(1)),
            Action::Why => {
                let dimension = rows.get(d.cursor).cloned().flatten();
                self.overlay = Some(Overlay::Why {
                    dimension,
                    cursor: 0,
                });
            }
            Action::Back => {
                // Back to the question the user came from, else the first unanswered.
                let state = match &d.from {
                    Some(id) if s.visible().contains(id) => QuestionState::at(s, id),
                    _ => QuestionState::at_first_unanswered(s),
                };
                self.screen = Screen::Question(state);
            }
            Action::Review => {
                self.screen = Screen::Review(ReviewState::default());
            }
            Action::Leave if self.confined.is_some() => return self.leave_checked(Action::Quit),
            Action::Leave => return self.leave_checked(Action::Leave),
            Action::Report | Action::Compare if self.confined.is_some() => {
                self.status = Some(Status::Info(
                    tr(
                        lang,
                        "Trong phòng hội thảo, người hướng dẫn xuất báo cáo chung của cả phòng",
                        "In a workshop room, the trainer exports the report for the whole room",
                    )
                    .into(),
                ));
            }
            Action::Report => return vec![Effect::WriteReport],
            // A re-assessment compares with the assessment it was seeded from.
            Action::Compare => {
                return vec![match &s.interview.earlier {
                    Some(e) => Effect::Compare(e.path.clone()),
                    None => Effect::ListForCompare,
                }];
            }
            _ => {}
        }
        vec![]
    }
}

/// Rows of the dashboard's score list: `None` is the overall score, then each dimension.
pub fn dashboard_rows(q: &Questionnaire) -> Vec<Option<String>> {
    let mut rows = vec![None];
    for g in crate::questionnaire::Group::ALL {
        rows.extend(
            q.dimensions
                .iter()
                .filter(|d| d.group == g)
                .map(|d| Some(d.id.clone())),
        );
    }
    rows
}

pub fn band_index(q: &Questionnaire, id: Option<&String>) -> usize {
    let bands = q.bands_sorted();
    id.and_then(|b| bands.iter().position(|x| &x.id == b))
        .unwrap_or(0)
}

pub fn bar(score: Option<f64>, cells: usize) -> String {
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

pub fn draw_dashboard(
    s: &Session,
    cursor: usize,
    f: &mut Frame,
    area: Rect,
    t: &Theme,
    lang: Lang,
) {
    let q = &s.questionnaire;
    let r = s.report();
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
    for l in crate::tui::interview::dashboard_lines(s, lang) {
        lines.push(Line::styled(
            truncate(&format!(" {l}"), left.width as usize),
            t.key(),
        ));
    }
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
        let style = if sel {
            t.selected()
        } else {
            t.band(band_index(q, band.as_ref()))
        };
        // A label wider than its column is written whole, its last line beside the numbers.
        let mut label_lines = if crate::text::width(&label) > label_w {
            crate::text::wrap(&label, label_w)
        } else {
            vec![label]
        };
        let last = label_lines.pop().unwrap_or_default();
        for (k, part) in label_lines.iter().enumerate() {
            let m = if k == 0 { marker(sel) } else { "  " };
            row_lines.push(Line::styled(
                pad(&format!("{m}{part}"), left.width as usize),
                style,
            ));
        }
        let m = if label_lines.is_empty() {
            marker(sel)
        } else {
            "  "
        };
        let text = format!(
            "{m}{} {} {} {ev} {}/{}",
            pad(&last, label_w),
            num,
            bar(score, 10),
            cov.answered,
            cov.applicable
        );
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
        .rposition(|l| l.style == t.selected())
        .unwrap_or(0);
    lines.extend(row_lines.into_iter().skip(scroll(sel_line, avail)));
    let used = lines.len() as u16;
    f.render_widget(Lines(&lines), left);

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
