//! A message to acknowledge: errors on load, notes after migration.

use super::OverlayFrame;
use crate::i18n::tr;
use crate::tui::app::{App, Effect};
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::Line;

impl App {
    /// What an action does while this overlay is up.
    pub(in crate::tui) fn notice_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Notice(_)) = self.overlay.as_mut() else {
            return vec![];
        };
        if matches!(action, Action::Back | Action::Choose) {
            self.overlay = None;
        }
        vec![]
    }
}

/// The window's title, lines and size.
pub fn frame<'a>(
    app: &'a App,
    o: &'a Overlay,
    _body: Rect,
    _t: &Theme,
) -> Option<OverlayFrame<'a>> {
    let lang = app.lang();
    let Overlay::Notice(msgs) = o else {
        return None;
    };
    Some((
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
    ))
}
