//! Choosing the questionnaire for a new assessment.

use crate::i18n::tr;
use crate::text::pad;
use crate::tui::app::{App, Effect};
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::screens::home::HomeState;
use crate::tui::theme::Theme;
use crate::tui::widgets::*;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

#[derive(Debug, Default)]
pub struct ChooseState {
    pub selected: usize,
}

impl App {
    pub(in crate::tui) fn choose_action(&mut self, action: Action) -> Vec<Effect> {
        let Screen::Choose(c) = &mut self.screen else {
            return vec![];
        };
        let n = self.catalog.entries.len();
        match action {
            Action::Up => c.selected = c.selected.saturating_sub(1),
            Action::Down => c.selected = (c.selected + 1).min(n.saturating_sub(1)),
            Action::Choose => {
                if let Some(e) = self.catalog.entries.get(c.selected) {
                    return vec![Effect::Create(e.questionnaire.id.clone())];
                }
            }
            Action::Back => {
                self.screen = Screen::Home(HomeState::default());
                return vec![Effect::ListAssessments];
            }
            _ => {}
        }
        vec![]
    }
}

pub fn draw_choose(app: &App, selected: usize, f: &mut Frame, area: Rect, t: &Theme) {
    let lang = app.lang();
    let mut lines = vec![
        Line::styled(
            tr(lang, " Chọn bộ câu hỏi", " Choose a questionnaire"),
            t.title(),
        ),
        Line::from(""),
    ];
    for (i, e) in app.catalog.entries.iter().enumerate() {
        let q = &e.questionnaire;
        let mins = q
            .estimated_minutes
            .map(|m| format!("~{m} {}", tr(lang, "phút", "min")))
            .unwrap_or_default();
        let text = format!(
            "{}{} {}  ({} {}, {mins})",
            marker(i == selected),
            pad(&q.id, 9),
            q.title.get(lang),
            q.questions().count(),
            tr(lang, "câu tối đa", "questions at most")
        );
        let style = t.row(i == selected);
        push_wrapped(
            &mut lines,
            &text,
            "            ",
            area.width as usize,
            style,
            i == selected,
        );
    }
    if let Some(e) = app.catalog.entries.get(selected) {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!(" {}", e.questionnaire.description.get(lang)),
            t.dim(),
        ));
        if let crate::questionnaire::Origin::File(p) = &e.origin {
            lines.push(Line::styled(format!(" {}", p.display()), t.dim()));
        }
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
