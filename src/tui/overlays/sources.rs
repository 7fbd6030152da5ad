//! A question's sources as an auditor would look them up: each document's full name, issuer,
//! date, kind and status (in force, draft, replaced), the item cited, whether it is outside the
//! seed documents, and the note; `a` adds the line numbers in the seed texts.

use super::OverlayFrame;
use crate::i18n::tr;
use crate::questionnaire::SourceStatus;
use crate::tui::app::{App, Effect};
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::theme::Theme;
use crate::tui::widgets::{push_wrapped, window};
use ratatui::layout::Rect;
use ratatui::text::Line;

impl App {
    /// What an action does while this overlay is up.
    pub(in crate::tui) fn sources_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Sources {
            scroll, auditor, ..
        }) = self.overlay.as_mut()
        else {
            return vec![];
        };
        match action {
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::Down => *scroll += 1,
            Action::ToggleDetail => *auditor = !*auditor,
            Action::Back => self.overlay = None,
            _ => {}
        }
        vec![]
    }
}

/// The window's title, lines and size.
pub fn frame<'a>(app: &'a App, o: &'a Overlay, body: Rect, t: &Theme) -> Option<OverlayFrame<'a>> {
    let lang = app.lang();
    let Overlay::Sources {
        question,
        scroll,
        auditor,
    } = o
    else {
        return None;
    };
    let s = app.session.as_ref()?;
    let w = (96.min(body.width) as usize).saturating_sub(2);
    let mut rows: Vec<Line<'static>> = vec![];
    let sources = s.questionnaire.question_sources(question, lang);
    if sources.is_empty() {
        rows.push(Line::from(tr(
            lang,
            "Câu hỏi này không ghi nguồn.",
            "This question cites no source.",
        )));
    }
    for (i, info) in sources.iter().enumerate() {
        if i > 0 {
            rows.push(Line::from(""));
        }
        push_wrapped(&mut rows, &info.citation, "  ", w, t.title(), false);
        push_wrapped(&mut rows, &info.name, "  ", w, Default::default(), false);
        let status_style = match info.status {
            SourceStatus::InForce => t.ok(),
            _ => t.warn(),
        };
        push_wrapped(
            &mut rows,
            &format!(
                "{} · {} · {} · {}",
                info.issuer, info.date, info.kind, info.status_label
            ),
            "  ",
            w,
            status_style,
            false,
        );
        if info.outside_seeds {
            push_wrapped(
                &mut rows,
                tr(
                    lang,
                    "Ngoài bộ tài liệu gốc của công cụ (cần kiểm chứng)",
                    "Outside the tool's source documents (to verify)",
                ),
                "  ",
                w,
                t.warn(),
                false,
            );
        }
        if let Some(note) = &info.note {
            push_wrapped(&mut rows, note, "  ", w, t.dim(), false);
        }
        if *auditor && !info.lines.is_empty() {
            push_wrapped(
                &mut rows,
                &format!(
                    "{} {}: {}",
                    tr(lang, "Dòng trong tài liệu gốc", "Lines in the seed text"),
                    info.doc,
                    info.lines
                ),
                "  ",
                w,
                t.dim(),
                false,
            );
        }
    }
    rows.push(Line::from(""));
    rows.push(Line::styled(
        tr(
            lang,
            "a: hiện / ẩn số dòng cho người kiểm tra · ↑↓ cuộn · Esc đóng",
            "a: show / hide line numbers for auditors · ↑↓ scroll · Esc close",
        ),
        t.dim(),
    ));
    let room = body.height.saturating_sub(2) as usize;
    let start = (*scroll).min(rows.len().saturating_sub(1));
    let lines = window(rows, start, start + 1, room, "↑↓", t, lang);
    let h = lines.len() as u16 + 2;
    Some((
        format!("{} · {question}", tr(lang, "Nguồn", "Sources")),
        lines,
        96,
        h,
    ))
}
