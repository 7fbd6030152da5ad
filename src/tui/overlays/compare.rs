//! Pick an earlier assessment, then read the comparison.

use super::OverlayFrame;
use crate::i18n::tr;
use crate::tui::app::{App, Effect};
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::theme::Theme;
use crate::tui::widgets::*;
use ratatui::layout::Rect;
use ratatui::text::Line;

impl App {
    /// What an action does while this overlay is up.
    pub(in crate::tui) fn compare_pick_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::ComparePick { items, cursor }) = self.overlay.as_mut() else {
            return vec![];
        };
        match action {
            Action::Up => {
                *cursor = cursor.saturating_sub(1);
                vec![]
            }
            Action::Down => {
                *cursor = (*cursor + 1).min(items.len().saturating_sub(1));
                vec![]
            }
            Action::Choose => {
                let path = items.get(*cursor).map(|l| l.path.clone());
                self.overlay = None;
                path.map(Effect::Compare).into_iter().collect()
            }
            Action::Back => {
                self.overlay = None;
                vec![]
            }
            _ => vec![],
        }
    }
}

impl App {
    /// What an action does while this overlay is up.
    pub(in crate::tui) fn compare_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Compare { lines, scroll }) = self.overlay.as_mut() else {
            return vec![];
        };
        let max = lines.len().saturating_sub(1);
        match action {
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::Down => *scroll = (*scroll + 1).min(max),
            Action::PageUp => *scroll = scroll.saturating_sub(10),
            Action::PageDown => *scroll = (*scroll + 10).min(max),
            Action::Back => self.overlay = None,
            _ => {}
        }
        vec![]
    }
}

/// The window's title, lines and size.
pub fn pick_frame<'a>(
    app: &'a App,
    o: &'a Overlay,
    _body: Rect,
    t: &Theme,
) -> Option<OverlayFrame<'a>> {
    let lang = app.lang();
    let Overlay::ComparePick { items, cursor } = o else {
        return None;
    };
    Some({
        let lines = items
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let date = crate::locale::datetime(&l.updated_at, lang);
                let org = if l.organisation.is_empty() {
                    "—"
                } else {
                    &l.organisation
                };
                let text = format!(
                    "{}{} · {date} · {}/{}",
                    marker(i == *cursor),
                    org,
                    l.answered,
                    l.shown
                );
                Line::styled(text, t.row(i == *cursor))
            })
            .collect::<Vec<_>>();
        let h = lines.len() as u16 + 2;
        (
            tr(
                lang,
                "So sánh với bản đánh giá",
                "Compare with the assessment",
            )
            .into(),
            lines,
            76,
            h,
        )
    })
}

/// The window's title, lines and size.
pub fn frame<'a>(app: &'a App, o: &'a Overlay, body: Rect, _t: &Theme) -> Option<OverlayFrame<'a>> {
    let lang = app.lang();
    let Overlay::Compare { lines, scroll } = o else {
        return None;
    };
    Some({
        let lines = lines
            .iter()
            .skip(*scroll)
            .map(|l| Line::from(l.clone()))
            .collect();
        (
            tr(
                lang,
                "So sánh (bản trước → bản này)",
                "Comparison (earlier → this one)",
            )
            .into(),
            lines,
            100,
            body.height,
        )
    })
}
