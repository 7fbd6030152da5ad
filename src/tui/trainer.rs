//! The trainer's live view of a workshop room: who is connected, how far each participant
//! got, and the room's score distribution per pillar, task or security layer (the same
//! numbers as `sansang aggregate`). It re-reads the room when a participant saves, at most
//! every `TICK`, and exports the room report on request.

use super::key::Key;
use super::program::Program;
use super::theme::Theme;
use super::view::too_small;
use crate::aggregate::{GroupAggregate, Stats};
use crate::assessment::store;
use crate::i18n::{Lang, tr};
use crate::questionnaire::{Catalog, Group};
use crate::room::{Room, Snapshot};
use crate::text::{pad, truncate, width};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How often the dashboard checks the room for changes.
pub const TICK: Duration = Duration::from_millis(500);

pub struct TrainerApp {
    pub room: Arc<Room>,
    pub catalog: Arc<Catalog>,
    /// Where room reports are written (`<dir>/room-<name>-<time>.<lang>.html`).
    pub reports_dir: PathBuf,
    pub lang: Lang,
    pub color: bool,
    pub snapshot: Option<Snapshot>,
    seen: u64,
    pub group: Group,
    pub cursor: usize,
    pub status: Option<String>,
    /// How to join, shown under the header in the server's own terminal (where the printed
    /// instructions are hidden behind the dashboard).
    pub join: Option<String>,
    pub size: (u16, u16),
    pub quit: bool,
    pub now: fn() -> String,
}

impl TrainerApp {
    pub fn new(room: Arc<Room>, catalog: Arc<Catalog>, reports_dir: PathBuf, lang: Lang) -> Self {
        TrainerApp {
            room,
            catalog,
            reports_dir,
            lang,
            color: true,
            snapshot: None,
            seen: 0,
            group: Group::Pillar,
            cursor: 0,
            status: None,
            join: None,
            size: (80, 24),
            quit: false,
            now: store::now,
        }
    }

    /// Re-reads the room now, changed or not.
    fn reload(&mut self) {
        self.seen = 0;
        self.refresh();
    }

    /// Re-reads the room if anything changed since the last look.
    pub fn refresh(&mut self) -> bool {
        let g = self.room.generation();
        if g == self.seen && self.snapshot.is_some() {
            return false;
        }
        self.seen = g;
        let snap = self.room.snapshot(&self.catalog, self.lang);
        let n = snap.participants.len();
        self.cursor = self.cursor.min(n.saturating_sub(1));
        self.snapshot = Some(snap);
        true
    }

    /// Writes the room report (HTML, and CSV for spreadsheets); returns the HTML path.
    pub fn export(&mut self) -> Result<PathBuf, String> {
        self.reload();
        let doc = &self.snapshot.as_ref().ok_or("no snapshot")?.aggregate;
        let stamp: String = (self.now)()
            .chars()
            .filter(|c| c.is_ascii_digit())
            .take(14)
            .collect();
        let stem = format!("room-{}-{stamp}.{}", self.room.name, self.lang.code());
        let html = self.reports_dir.join(format!("{stem}.html"));
        let csv = self.reports_dir.join(format!("{stem}.csv"));
        store::write_text(&html, &crate::report::aggregate_html::render(doc))
            .and_then(|()| store::write_text(&csv, &crate::aggregate::to_csv(doc, true)))
            .map_err(|e| e.render(self.lang))?;
        Ok(html)
    }

    /// The next (or previous) dimension group the room's questionnaire has.
    fn step_group(&self, forward: bool) -> Group {
        let present: Vec<Group> = self
            .snapshot
            .as_ref()
            .and_then(|s| s.aggregate.questionnaires.first())
            .map(|q| q.all.dimension_groups.iter().map(|g| g.group).collect())
            .filter(|v: &Vec<Group>| !v.is_empty())
            .unwrap_or_else(|| Group::ALL.to_vec());
        let n = present.len();
        let i = present.iter().position(|g| *g == self.group).unwrap_or(0);
        present[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }

    fn participants(&self) -> usize {
        self.snapshot.as_ref().map_or(0, |s| s.participants.len())
    }
}

impl Program for TrainerApp {
    fn start(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        self.refresh();
    }

    fn key(&mut self, key: Key) {
        let n = self.participants();
        match key {
            Key::Char('q') | Key::Esc | Key::Ctrl('c') => self.quit = true,
            Key::Tab | Key::Right => {
                self.group = self.step_group(true);
            }
            Key::BackTab | Key::Left => {
                self.group = self.step_group(false);
            }
            Key::Up | Key::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            Key::Down | Key::Char('j') => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            Key::Char('l') | Key::Char('L') => {
                self.lang = match self.lang {
                    Lang::Vi => Lang::En,
                    Lang::En => Lang::Vi,
                };
                self.reload();
            }
            Key::Char('r') => self.reload(),
            Key::Char('p') => {
                self.status = Some(match self.export() {
                    Ok(p) => format!(
                        "{}: {}",
                        tr(self.lang, "Đã ghi báo cáo phòng", "Room report written"),
                        p.display()
                    ),
                    Err(e) => e,
                })
            }
            _ => {}
        }
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
    }

    fn tick_every(&self) -> Option<Duration> {
        Some(TICK)
    }

    fn tick(&mut self) -> bool {
        self.refresh()
    }

    fn draw(&self, f: &mut Frame) {
        view(self, f)
    }

    fn done(&self) -> bool {
        self.quit
    }
}

/// Draws the dashboard; pure, like the wizard's view.
pub fn view(app: &TrainerApp, f: &mut Frame) {
    let area = f.area();
    let t = Theme { color: app.color };
    let lang = app.lang;
    if too_small(f, lang, &t) {
        return;
    }
    let join_rows = u16::from(app.join.is_some());
    let [header, join, status, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(join_rows),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let w = area.width as usize;
    if let Some(j) = &app.join {
        f.render_widget(
            Paragraph::new(Line::styled(truncate(&format!(" {j}"), w), t.key())),
            join,
        );
    }
    let snap = app.snapshot.as_ref();
    let qa = snap.and_then(|s| s.aggregate.questionnaires.first());
    let title = qa.map(|q| q.title.clone()).unwrap_or_default();
    let left = format!(
        " sansang · {} {} · {title}",
        tr(lang, "Phòng", "Room"),
        app.room.name
    );
    let right = format!(" {} ", lang.code().to_uppercase());
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(pad(&left, w.saturating_sub(width(&right))), t.title()),
            Span::styled(right, t.key()),
        ])),
        header,
    );
    let parts = snap.map_or(&[][..], |s| &s.participants[..]);
    let online = parts.iter().filter(|p| p.online).count();
    let scored = parts.iter().filter(|p| p.headline.is_some()).count();
    let line = match &app.status {
        Some(s) => format!(" {s}"),
        None => format!(
            " {}: {} ({} {}) · {}: {scored}",
            tr(lang, "Người tham gia", "Participants"),
            parts.len(),
            online,
            tr(lang, "đang kết nối", "connected"),
            tr(lang, "có điểm", "with a score"),
        ),
    };
    f.render_widget(Paragraph::new(truncate(&line, w)), status);

    let left_w = (body.width / 2).clamp(30, 44);
    let [list_area, dist_area] =
        Layout::horizontal([Constraint::Length(left_w), Constraint::Min(20)]).areas(body);
    draw_participants(app, parts, f, list_area, &t);
    let all = qa.map(|q| &q.all);
    draw_distribution(app, all, f, dist_area, &t);

    let keys = [
        ("Tab", tr(lang, "trụ cột/nhiệm vụ/lớp", "pillar/task/layer")),
        ("↑↓", tr(lang, "chọn", "select")),
        ("p", tr(lang, "xuất báo cáo phòng", "export room report")),
        ("l", tr(lang, "English", "Tiếng Việt")),
        ("q", tr(lang, "thoát", "quit")),
    ];
    let mut spans = vec![Span::raw(" ")];
    for (k, label) in keys {
        spans.push(Span::styled(k, t.key()));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), footer);
}

fn draw_participants(
    app: &TrainerApp,
    parts: &[crate::room::Participant],
    f: &mut Frame,
    area: Rect,
    t: &Theme,
) {
    let lang = app.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", tr(lang, "Người tham gia", "Participants")));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let rows = inner.height as usize;
    if parts.is_empty() {
        let msg = tr(
            lang,
            "Chưa có ai vào phòng. Người tham gia chạy lệnh ssh in ở màn hình máy chủ.",
            "Nobody has joined yet. Participants run the ssh command printed by the server.",
        );
        f.render_widget(
            Paragraph::new(msg).style(t.dim()).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    // Keep the cursor in view.
    let first = app.cursor.saturating_sub(rows.saturating_sub(1));
    let mut lines = Vec::new();
    for (i, p) in parts.iter().enumerate().skip(first).take(rows) {
        let sel = i == app.cursor;
        // Online state is a symbol, not only a colour.
        let dot = if p.online { "●" } else { "○" };
        let progress = if p.error.is_some() {
            tr(lang, "lỗi tệp", "file error").to_string()
        } else {
            let pct = (p.answered * 100).checked_div(p.applicable).unwrap_or(0);
            let score = crate::locale::score_opt(p.headline, lang);
            format!("{:>3}/{:<3}{pct:>4}% {score:>5}", p.answered, p.applicable)
        };
        let name_w = w.saturating_sub(width(&progress) + 5);
        let text = format!(
            "{}{dot} {} {progress}",
            if sel { "▶" } else { " " },
            pad(&truncate(&p.name, name_w), name_w)
        );
        let style = if sel {
            t.selected()
        } else if p.error.is_some() {
            t.error()
        } else if p.online {
            ratatui::style::Style::default()
        } else {
            t.dim()
        };
        lines.push(Line::styled(truncate(&text, w), style));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_distribution(
    app: &TrainerApp,
    all: Option<&GroupAggregate>,
    f: &mut Frame,
    area: Rect,
    t: &Theme,
) {
    let lang = app.lang;
    let n = all.map_or(0, |a| a.count);
    let block = Block::default().borders(Borders::ALL).title(format!(
        " {} {} (n={n}) ",
        tr(lang, "Phân bố theo", "Distribution by"),
        app.group.label(lang).to_lowercase()
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    let Some(all) = all else {
        f.render_widget(
            Paragraph::new(tr(lang, "Chưa có câu trả lời.", "No answers yet.")).style(t.dim()),
            inner,
        );
        return;
    };
    if let Some(dg) = all.dimension_groups.iter().find(|g| g.group == app.group) {
        for d in &dg.dimensions {
            let stats = d.claimed.as_ref();
            let summary = stats.map_or(
                tr(lang, "chưa có điểm", "no score yet").to_string(),
                |s| {
                    format!(
                        "n={} {} {:.0} [{:.0}–{:.0}]",
                        s.count,
                        tr(lang, "trung vị", "median"),
                        s.median,
                        s.q1,
                        s.q3
                    )
                },
            );
            let label_w = w.saturating_sub(width(&summary) + 1);
            lines.push(Line::from(vec![
                Span::styled(pad(&truncate(&d.label, label_w), label_w), t.title()),
                Span::raw(" "),
                Span::raw(summary),
            ]));
            lines.push(Line::from(box_plot(stats, w)));
        }
    }
    lines.push(Line::styled(
        format!(
            "├ min  ▒ Q1–Q3  ┃ {}  ┤ max  (0–100)",
            tr(lang, "trung vị", "median")
        ),
        t.dim(),
    ));
    // Bands: how many participants sit in each.
    let bands: Vec<String> = all
        .bands
        .iter()
        .filter(|b| b.id.is_some())
        .map(|b| format!("{} {}", b.label, b.count))
        .collect();
    if !bands.is_empty() {
        lines.push(Line::styled(
            format!("{}: {}", tr(lang, "Mức", "Bands"), bands.join(" · ")),
            t.dim(),
        ));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// A one-line box plot on a 0–100 scale: `├──▒▒▒┃▒▒──┤` from min to max, the box from Q1 to
/// Q3 and the median as a heavy bar. Characters, not colours, carry the meaning.
pub fn box_plot(stats: Option<&Stats>, cols: usize) -> String {
    let cols = cols.max(10);
    let Some(s) = stats else {
        return "·".repeat(cols);
    };
    let at = |v: f64| (((v.clamp(0.0, 100.0)) / 100.0) * (cols - 1) as f64).round() as usize;
    let (lo, q1, med, q3, hi) = (at(s.min), at(s.q1), at(s.median), at(s.q3), at(s.max));
    (0..cols)
        .map(|i| {
            if i == med {
                '┃'
            } else if i == lo && i == hi {
                '│'
            } else if i == lo {
                '├'
            } else if i == hi {
                '┤'
            } else if i > q1.max(lo) && i < q3.min(hi) || i == q1 || i == q3 {
                '▒'
            } else if i > lo && i < hi {
                '─'
            } else {
                '·'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_plot_places_quartiles_on_the_scale() {
        let s = Stats {
            count: 5,
            mean: 50.0,
            min: 0.0,
            q1: 25.0,
            median: 50.0,
            q3: 75.0,
            max: 100.0,
        };
        assert_eq!(box_plot(Some(&s), 21), "├────▒▒▒▒▒┃▒▒▒▒▒────┤");
        assert_eq!(box_plot(None, 10), "··········");
        let one = Stats {
            count: 1,
            mean: 40.0,
            min: 40.0,
            q1: 40.0,
            median: 40.0,
            q3: 40.0,
            max: 40.0,
        };
        assert_eq!(box_plot(Some(&one), 11), "····┃······");
    }
}
