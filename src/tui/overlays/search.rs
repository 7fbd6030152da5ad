//! Find a question by text or id (diacritics optional) with a filter.

use super::OverlayFrame;
use crate::i18n::{Lang, tr};
use crate::text::truncate;
use crate::tui::app::{App, Effect};
use crate::tui::editor::{Edit, LineInput};
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::screens::{question::QuestionState, review::Filter};
use crate::tui::theme::Theme;
use crate::tui::widgets::*;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

impl App {
    /// What an action does while this overlay is up.
    pub(in crate::tui) fn search_action(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang();
        let Some(Overlay::Search(st)) = self.overlay.as_mut() else {
            return vec![];
        };
        let Some(s) = &self.session else {
            self.overlay = None;
            return vec![];
        };
        let hits = st.results(s, lang);
        match action {
            Action::Up => st.cursor = st.cursor.saturating_sub(1),
            Action::Down => st.cursor = (st.cursor + 1).min(hits.len().saturating_sub(1)),
            Action::Filter => {
                st.filter = st.filter.next();
                st.cursor = 0;
            }
            Action::Edit(k) => {
                let changed = st.input.handle(k) == Edit::Changed;
                if changed {
                    st.cursor = 0;
                }
            }
            Action::Paste(t) => {
                st.input.paste(&t);
                st.cursor = 0;
            }
            Action::Choose => {
                if let Some(id) = hits.get(st.cursor) {
                    self.screen = Screen::Question(QuestionState::at(s, id));
                    self.overlay = None;
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
    let Overlay::Search(st) = o else {
        return None;
    };
    Some({
        let Some(s) = &app.session else { return None };
        let hits = st.results(s, lang);
        let mut lines = vec![
            Line::from(vec![
                Span::raw(tr(lang, "Tìm: ", "Find: ")),
                Span::styled(with_cursor(&st.input.text, st.input.cursor), t.selected()),
            ]),
            Line::styled(
                format!(
                    "{}: {} · {} {}",
                    tr(lang, "Lọc (Tab)", "Filter (Tab)"),
                    st.filter.label(lang),
                    hits.len(),
                    tr(lang, "câu", "questions")
                ),
                t.dim(),
            ),
        ];
        let room = body.height.saturating_sub(5) as usize;
        let first = scroll(st.cursor, room);
        for (i, id) in hits.iter().enumerate().skip(first).take(room) {
            let text = s
                .questionnaire
                .question(id)
                .map_or("", |q| q.text.get(lang));
            let mark = if s.assessment.answers.contains_key(id) {
                "✓"
            } else {
                "·"
            };
            lines.push(Line::styled(
                truncate(
                    &format!("{}{mark} {id}  {text}", marker(i == st.cursor)),
                    (100.min(body.width) as usize).saturating_sub(2),
                ),
                t.row(i == st.cursor),
            ));
        }
        if hits.is_empty() {
            lines.push(Line::from(tr(
                lang,
                "Không có câu nào khớp (bỏ dấu cũng được: \"ung cuu\")",
                "No question matches (diacritics optional: \"ung cuu\")",
            )));
        }
        (
            tr(lang, "Tìm câu hỏi", "Find a question").into(),
            lines,
            100,
            body.height,
        )
    })
}

/// The find window: a query over question text, id and help in both languages, and a filter.
#[derive(Debug, Default)]
pub struct SearchState {
    pub input: LineInput,
    pub filter: Filter,
    pub cursor: usize,
}

impl SearchState {
    /// Ids of the shown questions that match: every typed word starts a word of the question's
    /// id, text or help (either language, diacritics optional: "ung cuu" finds "ứng cứu", "ty le"
    /// finds "tỷ lệ" but not "tuyên"); questions holding the whole phrase come first, then
    /// questionnaire order.
    pub fn results(&self, s: &Session, _lang: Lang) -> Vec<String> {
        let query = crate::text::fold_diacritics(&self.input.value());
        let words: Vec<&str> = query.split_whitespace().collect();
        let phrase = words.join(" ");
        let mut hits: Vec<(bool, String)> = self
            .filter
            .apply(s)
            .into_iter()
            .filter_map(|id| {
                let q = s.questionnaire.question(&id)?;
                let hay = crate::text::fold_diacritics(&format!(
                    "{} {} {} {} {}",
                    q.id,
                    q.text.vi,
                    q.text.en,
                    q.help.as_ref().map_or("", |h| h.vi.as_str()),
                    q.help.as_ref().map_or("", |h| h.en.as_str()),
                ));
                let hay_words: Vec<&str> = hay
                    .split(|c: char| !(c.is_alphanumeric() || c == '.'))
                    .filter(|w| !w.is_empty())
                    .collect();
                let all = words.iter().all(|w| {
                    hay_words
                        .iter()
                        .any(|h| h.starts_with(w) || h.split('.').any(|p| p.starts_with(w)))
                });
                let joined = hay_words.join(" ");
                all.then(|| (!phrase.is_empty() && joined.contains(&phrase), id))
            })
            .collect();
        // Stable: phrase matches first, each group in questionnaire order.
        hits.sort_by_key(|(phrase, _)| !phrase);
        hits.into_iter().map(|(_, id)| id).collect()
    }
}
