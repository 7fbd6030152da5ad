//! The frame around every screen: header, status line, footer (from the keymap) and the
//! overlay window. A pure function of the app state onto any ratatui frame (a local terminal,
//! an SSH channel's buffer, or a test backend); each screen and overlay draws itself from its
//! own file.

use super::app::{App, Overlay, Screen, Status};
use super::overlays;
use super::screens::{choose, dashboard, home, profile, question, review};
use super::theme::Theme;
use super::widgets::{Lines, centered};
use crate::i18n::{Lang, tr};
use crate::text::{pad, width};
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
    // A long error takes two lines, so its reason (which comes first) is never cut to a path.
    let status_h = match &app.status {
        Some(Status::Error(m))
            if width(m.lines().next().unwrap_or_default()) + 3 > area.width as usize =>
        {
            2
        }
        _ => 1,
    };
    let [header, status, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(status_h),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(app, f, header, &t);
    draw_status(app, f, status, &t);
    match &app.screen {
        Screen::Home(h) => home::draw_home(app, h, f, body, &t),
        Screen::Choose(c) => choose::draw_choose(app, c.selected, f, body, &t),
        Screen::Profile(p) => {
            if let Some(s) = &app.session {
                profile::draw_profile(s, p, f, body, &t, lang)
            }
        }
        Screen::Question(q) => {
            if let Some(s) = &app.session {
                question::draw_question(s, q, f, body, &t, lang)
            }
        }
        Screen::Review(r) => {
            if let Some(s) = &app.session {
                review::draw_review(s, r, f, body, &t, lang)
            }
        }
        Screen::Dashboard(d) => {
            if let Some(s) = &app.session {
                dashboard::draw_dashboard(s, d.cursor, f, body, &t, lang)
            }
        }
        Screen::Reconcile(r) => {
            if let Some(s) = &app.session {
                super::screens::reconcile::draw_reconcile(s, r, f, body, &t, lang)
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
        Lines(&[Line::from(vec![
            Span::styled(left, t.title()),
            Span::styled(right, t.key()),
        ])]),
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
        Some(Status::Saving) => Line::from(format!(" … {}", tr(lang, "Đang lưu…", "Saving…"))),
        Some(Status::Info(m)) => Line::from(format!(" {m}")),
        // Wrapped onto the line below when long, so the reason is never cut to a path.
        Some(Status::Error(m)) => Line::styled(
            format!(" ✗ {}", m.lines().next().unwrap_or_default()),
            t.error(),
        ),
        None => Line::from(""),
    };
    f.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }), area);
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
    f.render_widget(Lines(&[Line::from(spans)]), area);
}

/// Draws the overlay's window over the body.
fn draw_overlay(app: &App, o: &Overlay, f: &mut Frame, body: Rect, t: &Theme) {
    use overlays::*;
    let frame = match o {
        Overlay::Help { .. } => help::frame(app, o, body, t),
        Overlay::Notice(_) => notice::frame(app, o, body, t),
        Overlay::Confirm(_) => confirm::frame(app, o, body, t),
        Overlay::OpenPath(_) => open::frame(app, o, body, t),
        Overlay::Search(_) => search::frame(app, o, body, t),
        Overlay::Sections { .. } => sections::frame(app, o, body, t),
        Overlay::ComparePick { .. } => compare::pick_frame(app, o, body, t),
        Overlay::Compare { .. } => compare::frame(app, o, body, t),
        Overlay::Why { .. } => why::frame(app, o, body, t),
        Overlay::Comment(_) | Overlay::Alternate(_) => comment::frame(app, o, body, t),
        Overlay::Evidence(_) => evidence::frame(app, o, body, t),
        Overlay::Sources { .. } => sources::frame(app, o, body, t),
        Overlay::ReadAloud { .. } => read_aloud::frame(app, o, body, t),
    };
    let Some((title, lines, w, h)) = frame else {
        return;
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
