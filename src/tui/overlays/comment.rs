//! The multi-line editor for a comment or an alternate measure's justification.

use super::OverlayFrame;
use crate::assessment::Response;
use crate::i18n::tr;
use crate::tui::app::save_effect;
use crate::tui::app::{App, Effect};
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::Line;

impl App {
    /// What an action does while this overlay is up.
    pub(in crate::tui) fn comment_action(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang();
        let now = (self.now)();
        let Some(overlay) = self.overlay.as_mut() else {
            return vec![];
        };
        let (Overlay::Comment(ed) | Overlay::Alternate(ed)) = overlay else {
            return vec![];
        };
        match action {
            Action::Edit(k) => {
                ed.handle(k);
                return vec![];
            }
            Action::Paste(t) => {
                ed.paste(&t);
                return vec![];
            }
            Action::Submit | Action::Back => {}
            _ => return vec![],
        }
        let text = ed.value();
        let is_alt = matches!(overlay, Overlay::Alternate(_));
        self.overlay = None;
        let (Screen::Question(qs), Some(s)) = (&self.screen, &mut self.session) else {
            return vec![];
        };
        if is_alt {
            if text.trim().is_empty() {
                return vec![];
            }
            let r = Response::Alternate {
                justification: text,
            };
            match s
                .assessment
                .set_response(&s.questionnaire, &qs.current, r, &now)
            {
                Ok(()) => {
                    s.rescore();
                    vec![save_effect(s)]
                }
                Err(e) => {
                    self.status = Some(Status::Error(e.message(lang)));
                    vec![]
                }
            }
        } else {
            match s.assessment.answers.get_mut(&qs.current) {
                Some(a) => {
                    a.comment = text;
                    s.assessment.updated_at = now;
                    vec![save_effect(s)]
                }
                None if text.is_empty() => vec![],
                None => {
                    self.status = Some(Status::Error(
                        tr(
                            lang,
                            "Hãy trả lời câu hỏi trước khi ghi chú",
                            "Answer the question before adding a comment",
                        )
                        .into(),
                    ));
                    vec![]
                }
            }
        }
    }
}

/// The window's title, lines and size.
pub fn frame<'a>(app: &'a App, o: &'a Overlay, _body: Rect, t: &Theme) -> Option<OverlayFrame<'a>> {
    let lang = app.lang();
    let (Overlay::Comment(ed) | Overlay::Alternate(ed)) = o else {
        return None;
    };
    Some({
        let title = if matches!(o, Overlay::Comment(_)) {
            tr(lang, "Ghi chú cho câu trả lời", "Comment on the answer")
        } else {
            tr(
                lang,
                "Biện pháp thay thế: giải trình",
                "Alternate measure: justification",
            )
        };
        let mut lines: Vec<Line> = crate::tui::widgets::editor_lines(ed, "");
        lines.push(Line::from(""));
        lines.push(Line::styled(
            tr(lang, "Esc: lưu và đóng", "Esc: save and close"),
            t.dim(),
        ));
        (title.into(), lines, 70, 12)
    })
}
