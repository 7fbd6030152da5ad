//! The help screen: every binding of the keymap, by context, scrolled.

use super::OverlayFrame;
use crate::i18n::{Lang, tr};
use crate::text::pad;
use crate::tui::app::{App, Effect};
use crate::tui::keymap::{Action, Ctx};
use crate::tui::model::*;
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

impl App {
    /// What an action does while this overlay is up.
    pub(in crate::tui) fn help_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Help { scroll, .. }) = self.overlay.as_mut() else {
            return vec![];
        };
        match action {
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::Down => *scroll += 1,
            Action::PageUp => *scroll = scroll.saturating_sub(10),
            Action::PageDown => *scroll += 10,
            Action::Back | Action::Help => self.overlay = None,
            _ => {}
        }
        vec![]
    }
}

/// The window's title, lines and size.
pub fn frame<'a>(app: &'a App, o: &'a Overlay, body: Rect, t: &Theme) -> Option<OverlayFrame<'a>> {
    let lang = app.lang();
    let Overlay::Help { scroll, from } = o else {
        return None;
    };
    Some({
        let lines = help_lines(lang, t, *from);
        let max = lines
            .len()
            .saturating_sub(body.height.saturating_sub(2) as usize);
        (
            tr(lang, "Phím tắt", "Keys").into(),
            lines.into_iter().skip((*scroll).min(max)).collect(),
            86,
            body.height,
        )
    })
}

/// The help screen: every binding of the keymap, by context. The keys of `here`, the place help
/// was asked from, come first, so that a long list does not hide them several pages down; then
/// the keys that work everywhere, then every other place.
pub fn help_lines(lang: Lang, t: &Theme, here: Ctx) -> Vec<Line<'static>> {
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
    let mut sections = crate::tui::keymap::help(lang);
    // A stable sort: here, then everywhere, then the keymap's order.
    sections.sort_by_key(|(ctx, _)| match *ctx {
        c if c == here => 0,
        Ctx::Global => 1,
        _ => 2,
    });
    for (ctx, rows) in sections {
        let title = ctx.title(lang);
        let title = if ctx == here {
            format!("{} {title}", tr(lang, "Ở đây:", "Here:"))
        } else {
            title.to_string()
        };
        out.push(Line::styled(title, t.title()));
        for (k, d) in rows {
            out.push(Line::from(vec![
                Span::styled(format!("  {}", pad(k, 12)), t.key()),
                Span::raw(d.to_string()),
            ]));
        }
    }
    out
}
