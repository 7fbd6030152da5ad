//! Open a questionnaire file by its path.

use super::OverlayFrame;
use crate::i18n::tr;
use crate::tui::app::{App, Effect};
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::theme::Theme;
use crate::tui::widgets::*;
use ratatui::layout::Rect;
use ratatui::text::Line;
use std::path::PathBuf;

impl App {
    /// What an action does while this overlay is up.
    pub(in crate::tui) fn open_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::OpenPath(input)) = self.overlay.as_mut() else {
            return vec![];
        };
        match action {
            Action::Back => {
                self.overlay = None;
                vec![]
            }
            Action::Submit => {
                let p = PathBuf::from(input.value().trim());
                self.overlay = None;
                vec![Effect::LoadQuestionnaire(p)]
            }
            Action::Edit(k) => {
                input.handle(k);
                vec![]
            }
            Action::Paste(t) => {
                input.paste(&t);
                vec![]
            }
            _ => vec![],
        }
    }
}

/// The window's title, lines and size.
pub fn frame<'a>(app: &'a App, o: &'a Overlay, _body: Rect, t: &Theme) -> Option<OverlayFrame<'a>> {
    let lang = app.lang();
    let Overlay::OpenPath(input) = o else {
        return None;
    };
    Some((
        tr(lang, "Mở bộ câu hỏi từ tệp", "Open a questionnaire file").into(),
        vec![
            Line::from(tr(lang, "Đường dẫn tệp JSON:", "Path to the JSON file:")),
            Line::styled(with_cursor(&input.text, input.cursor), t.selected()),
        ],
        70,
        6,
    ))
}
