//! The help screen: every binding of the keymap, by context, scrolled.

use super::OverlayFrame;
use crate::i18n::{Lang, tr};
use crate::text::pad;
use crate::tui::app::{App, Effect};
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

impl App {
    /// What an action does while this overlay is up.
    pub(in crate::tui) fn help_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Help { scroll }) = self.overlay.as_mut() else {
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
    let Overlay::Help { scroll } = o else {
        return None;
    };
    Some({
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
    })
}

/// The help screen: every binding of the keymap, by context.
pub fn help_lines(lang: Lang, t: &Theme) -> Vec<Line<'static>> {
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
    for (ctx, rows) in crate::tui::keymap::help(lang) {
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
