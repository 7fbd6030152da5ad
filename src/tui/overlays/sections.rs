//! Go to a section.

use super::OverlayFrame;
use crate::i18n::tr;
use crate::tui::app::{App, Effect};
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::screens::question::QuestionState;
use crate::tui::theme::Theme;
use crate::tui::widgets::*;
use ratatui::layout::Rect;
use ratatui::text::Line;

impl App {
    /// What an action does while this overlay is up.
    pub(in crate::tui) fn sections_action(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang();
        let Some(Overlay::Sections { cursor }) = self.overlay.as_mut() else {
            return vec![];
        };
        let Some(s) = &self.session else {
            return vec![];
        };
        let n = s.questionnaire.sections.len();
        match action {
            Action::Up => *cursor = cursor.saturating_sub(1),
            Action::Down => *cursor = (*cursor + 1).min(n.saturating_sub(1)),
            Action::Choose => {
                let visible = s.visible();
                let section = &s.questionnaire.sections[*cursor];
                match section.questions.iter().find(|q| visible.contains(&q.id)) {
                    Some(q) => {
                        self.screen = Screen::Question(QuestionState::at(s, &q.id));
                        self.overlay = None;
                    }
                    None => {
                        self.status = Some(Status::Info(
                            tr(
                                lang,
                                "Phần này không áp dụng cho hồ sơ của bạn",
                                "This section does not apply to your profile",
                            )
                            .into(),
                        ))
                    }
                }
            }
            Action::Back => self.overlay = None,
            _ => {}
        }
        vec![]
    }
}

/// The window's title, lines and size.
pub fn frame<'a>(app: &'a App, o: &'a Overlay, body: Rect, t: &Theme) -> Option<OverlayFrame<'a>> {
    let lang = app.lang();
    let Overlay::Sections { cursor } = o else {
        return None;
    };
    let s = app.session.as_ref()?;
    // Titles wrap (never cut); the window scrolls with the cursor, with cues.
    let inner_w = 66usize.min(body.width.saturating_sub(4) as usize);
    let mut rows: Vec<Line<'static>> = vec![];
    let (mut focus, mut focus_end) = (0, 1);
    for (i, sec) in s.questionnaire.sections.iter().enumerate() {
        let sel = i == *cursor;
        if sel {
            focus = rows.len();
        }
        let (done, shown) = s.section_progress(sec);
        push_wrapped(
            &mut rows,
            &format!(
                "{}{} {done}/{shown}{}",
                marker(sel),
                sec.title.get(lang),
                crate::tui::interview::section_time(&s.assessment, &sec.id, lang)
            ),
            "  ",
            inner_w,
            t.row(sel),
            false,
        );
        if sel {
            focus_end = rows.len();
        }
    }
    let room = body.height.saturating_sub(2) as usize;
    let lines = window(rows, focus, focus_end, room, "↑↓", t, lang);
    let h = lines.len() as u16 + 2;
    Some((tr(lang, "Đến phần", "Go to section").into(), lines, 70, h))
}
