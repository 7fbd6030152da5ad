//! Review: every shown question with its answer, filtered.

use crate::assessment::Response;
use crate::export::answer_text;
use crate::i18n::{Lang, tr};
use crate::text::{pad, truncate};
use crate::tui::app::{App, Effect};
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::overlays::search::SearchState;
use crate::tui::screens::{dashboard::DashboardState, question::QuestionState};
use crate::tui::theme::Theme;
use crate::tui::widgets::*;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

#[derive(Debug, Default)]
pub struct ReviewState {
    pub cursor: usize,
    pub filter: Filter,
}

/// Which questions a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    All,
    Unanswered,
    Marked,
    DontKnow,
    NotApplicable,
    /// Carried over from an earlier assessment, not yet confirmed.
    Carried,
}

impl Filter {
    pub fn next(self) -> Filter {
        match self {
            Filter::All => Filter::Unanswered,
            Filter::Unanswered => Filter::Marked,
            Filter::Marked => Filter::DontKnow,
            Filter::DontKnow => Filter::NotApplicable,
            Filter::NotApplicable => Filter::Carried,
            Filter::Carried => Filter::All,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Filter::All => tr(lang, "tất cả", "all"),
            Filter::Unanswered => tr(lang, "chưa trả lời", "unanswered"),
            Filter::Marked => tr(lang, "cần xem lại", "marked for review"),
            Filter::DontKnow => tr(lang, "không biết", "don't know"),
            Filter::NotApplicable => tr(lang, "không áp dụng", "not applicable"),
            Filter::Carried => tr(lang, "mang sang, chưa xác nhận", "carried, not confirmed"),
        }
    }

    pub fn keeps(self, a: Option<&crate::assessment::Answer>) -> bool {
        match self {
            Filter::All => true,
            Filter::Unanswered => a.is_none(),
            Filter::Marked => a.is_some_and(|a| a.marked_for_review),
            Filter::DontKnow => a.is_some_and(|a| a.response == Response::DontKnow),
            Filter::NotApplicable => a.is_some_and(|a| a.response == Response::NotApplicable),
            Filter::Carried => a.is_some_and(|a| a.carried),
        }
    }

    /// The shown questions this filter keeps, in order.
    pub fn apply(self, s: &Session) -> Vec<String> {
        s.visible()
            .iter()
            .filter(|id| self.keeps(s.assessment.answers.get(*id)))
            .cloned()
            .collect()
    }
}

impl App {
    pub(in crate::tui) fn review_action(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang();
        let (Screen::Review(r), Some(s)) = (&mut self.screen, &self.session) else {
            return vec![];
        };
        let rows = r.filter.apply(s);
        let last = rows.len().saturating_sub(1);
        match action {
            Action::Up => r.cursor = r.cursor.saturating_sub(1),
            Action::Down => r.cursor = (r.cursor + 1).min(last),
            Action::PageUp => r.cursor = r.cursor.saturating_sub(10),
            Action::PageDown => r.cursor = (r.cursor + 10).min(last),
            Action::Filter => {
                r.filter = r.filter.next();
                r.cursor = 0;
                let n = r.filter.apply(s).len();
                self.status = Some(Status::Info(format!(
                    "{}: {} ({n})",
                    tr(lang, "Lọc", "Filter"),
                    r.filter.label(lang)
                )));
            }
            Action::Choose => {
                if let Some(id) = rows.get(r.cursor) {
                    self.screen = Screen::Question(QuestionState::at(s, id));
                }
            }
            Action::Search => {
                self.overlay = Some(Overlay::Search(SearchState::default()));
            }
            Action::Back => {
                self.screen =
                    Screen::Question(QuestionState::at(s, rows.get(r.cursor).map_or("", |x| x)))
            }
            Action::Results => {
                self.screen = Screen::Dashboard(DashboardState {
                    cursor: 0,
                    from: rows.get(r.cursor).cloned(),
                })
            }
            _ => {}
        }
        vec![]
    }
}

pub fn draw_review(s: &Session, r: &ReviewState, f: &mut Frame, area: Rect, t: &Theme, lang: Lang) {
    let cursor = r.cursor;
    // Only the questions the filter keeps; the cursor counts those.
    let visible = r.filter.apply(s);
    let w = area.width as usize;
    // Rows: section headers and questions; the cursor counts questions only.
    let mut rows: Vec<(Option<usize>, Line)> = vec![Line::styled(
        format!(
            " {}: {} ({} {}) · t {}",
            tr(lang, "Lọc", "Filter"),
            r.filter.label(lang),
            visible.len(),
            tr(lang, "câu", "questions"),
            tr(lang, "đổi bộ lọc", "changes the filter")
        ),
        t.dim(),
    )]
    .into_iter()
    .map(|l| (None, l))
    .collect();
    let mut qi = 0;
    for sec in &s.questionnaire.sections {
        let shown: Vec<_> = sec
            .questions
            .iter()
            .filter(|q| visible.contains(&q.id))
            .collect();
        if shown.is_empty() {
            continue;
        }
        rows.push((
            None,
            Line::styled(format!(" {}", sec.title.get(lang)), t.title()),
        ));
        for q in shown {
            let a = s.assessment.answers.get(&q.id);
            let (mark, ans) = match a {
                Some(a) => (
                    if a.marked_for_review {
                        "★"
                    } else if a.carried {
                        "↻"
                    } else {
                        "✓"
                    },
                    answer_text(q, &a.response, lang),
                ),
                None => ("·", tr(lang, "chưa trả lời", "unanswered").to_string()),
            };
            let text = format!(
                "{}{mark} {} {} → {}",
                marker(qi == cursor),
                pad(&q.id, 10),
                truncate(q.text.get(lang), w / 2),
                ans
            );
            let style = if qi == cursor {
                t.selected()
            } else if a.is_none() {
                t.warn()
            } else if a.is_some_and(|a| a.marked_for_review) {
                t.key()
            } else {
                Default::default()
            };
            rows.push((Some(qi), Line::styled(truncate(&text, w), style)));
            qi += 1;
        }
    }
    let height = area.height as usize;
    let cursor_row = rows
        .iter()
        .position(|(i, _)| *i == Some(cursor))
        .unwrap_or(0);
    let first = scroll(cursor_row, height);
    let lines: Vec<Line> = rows
        .into_iter()
        .skip(first)
        .take(height)
        .map(|(_, l)| l)
        .collect();
    f.render_widget(Lines(&lines), area);
}
