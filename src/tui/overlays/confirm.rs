//! Yes / no before anything that cannot be undone; it names what it acts on.

use super::OverlayFrame;
use crate::i18n::tr;
use crate::tui::app::{App, Effect};
use crate::tui::app::{save_effect, save_job};
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::Line;

impl App {
    /// What an action does while this overlay is up.
    pub(in crate::tui) fn confirm_action(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang();
        let now = (self.now)();
        let Some(Overlay::Confirm(c)) = self.overlay.as_mut() else {
            return vec![];
        };
        let c = c.clone();
        match action {
            Action::ConfirmYes => {
                self.overlay = None;
                match c {
                    Confirm::DeleteFile { path, .. } => vec![Effect::Delete(path)],
                    Confirm::ClearAnswer { question, .. } => {
                        let Some(s) = &mut self.session else {
                            return vec![];
                        };
                        if s.assessment.answers.remove(&question).is_some() {
                            s.assessment.updated_at = now;
                            s.rescore();
                            if let Screen::Question(qs) = &mut self.screen {
                                qs.resync(s);
                            }
                            self.status = Some(Status::Info(
                                tr(lang, "Đã xóa câu trả lời", "Answer cleared").into(),
                            ));
                            vec![save_effect(s)]
                        } else {
                            vec![]
                        }
                    }
                    Confirm::QuitUnsaved { then, .. } => {
                        self.unsaved = None;
                        self.leave_now(*then)
                    }
                }
            }
            Action::ConfirmNo => {
                self.overlay = None;
                vec![]
            }
            Action::SaveAgain => match (c, &self.session) {
                (Confirm::QuitUnsaved { then, .. }, Some(s)) => {
                    self.overlay = None;
                    vec![Effect::SaveThenLeave(save_job(s), *then)]
                }
                _ => vec![],
            },
            _ => vec![],
        }
    }
}

/// The window's title, lines and size.
pub fn frame<'a>(app: &'a App, o: &'a Overlay, _body: Rect, t: &Theme) -> Option<OverlayFrame<'a>> {
    let lang = app.lang();
    let Overlay::Confirm(c) = o else {
        return None;
    };
    Some({
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
        let mut lines = vec![Line::from(what), Line::from("")];
        if let Confirm::QuitUnsaved { .. } = c {
            lines.push(Line::from(tr(
                lang,
                "s: lưu lại, rời đi khi đã lưu xong",
                "s: save again, and leave once it is saved",
            )));
        }
        lines.push(Line::styled(yes.to_string(), t.warn()));
        lines.push(Line::from(no));
        let height = 7 + lines.len() as u16 - 2;
        (title.into(), lines, 72, height)
    })
}
