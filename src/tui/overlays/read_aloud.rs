//! The read-aloud view: the current question and all its levels or options, over the whole
//! width, wrapped and spaced, no side panel, to read out or to turn the laptop towards the
//! interviewee. The answer can be given from here (levels, options, yes / partly / no, not
//! applicable, don't know) and ←→ move between questions without closing it.

use super::OverlayFrame;
use crate::assessment::{Response, Ynp};
use crate::i18n::{Lang, tr};
use crate::questionnaire::QuestionKind;
use crate::tui::app::{App, Effect};
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::theme::Theme;
use crate::tui::widgets::{push_wrapped, window};
use ratatui::layout::Rect;
use ratatui::text::Line;

impl App {
    /// What an action does while this overlay is up.
    pub(in crate::tui) fn read_aloud_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::ReadAloud { scroll }) = self.overlay.as_mut() else {
            return vec![];
        };
        let page = (self.size.1 as usize).saturating_sub(7).max(1);
        let before = *scroll;
        let mut move_by = |d: isize| {
            *scroll = (before as isize + d).max(0) as usize;
        };
        match action {
            Action::Back => {
                self.overlay = None;
                return vec![];
            }
            Action::Up => move_by(-1),
            Action::Down => move_by(1),
            Action::PageUp => move_by(-(page as isize)),
            Action::PageDown => move_by(page as isize),
            // Answering and moving act on the question screen underneath; the view stays up.
            Action::NextQuestion
            | Action::PrevQuestion
            | Action::Level(_)
            | Action::Toggle(_)
            | Action::Yes
            | Action::Partly
            | Action::No
            | Action::NotApplicable
            | Action::DontKnow
            | Action::ToggleMark
            | Action::ConfirmCarried
            | Action::CycleRespondent
            | Action::CycleBasis => {
                let current = |app: &App| match &app.screen {
                    Screen::Question(qs) => Some(qs.current.clone()),
                    _ => None,
                };
                let was = current(self);
                self.overlay = None;
                let effects = self.question_action(action);
                let now = current(self);
                if self.overlay.is_none() && now.is_some() {
                    let scroll = if now == was { before } else { 0 };
                    self.overlay = Some(Overlay::ReadAloud { scroll });
                }
                return effects;
            }
            _ => {}
        }
        // Never scrolled past the end.
        let (w, h) = (self.size.0, self.size.1);
        let body = Rect::new(0, 0, w, h.saturating_sub(3));
        let len = self.read_aloud_rows(body, &Theme { color: false }).len();
        let room = body.height.saturating_sub(2) as usize;
        if let Some(Overlay::ReadAloud { scroll }) = self.overlay.as_mut() {
            *scroll = (*scroll).min(last_top(len, room));
        }
        vec![]
    }

    /// Every line of the view for a body of this size (before scrolling).
    fn read_aloud_rows(&self, body: Rect, t: &Theme) -> Vec<Line<'static>> {
        let lang = self.lang();
        let (Screen::Question(qs), Some(s)) = (&self.screen, &self.session) else {
            return vec![];
        };
        let Some(question) = s.questionnaire.question(&qs.current) else {
            return vec![];
        };
        // Inside the border, with a margin of two columns each side.
        let w = (body.width as usize).saturating_sub(6).max(10);
        let answer = s.assessment.answers.get(&question.id).map(|a| &a.response);
        let mut rows: Vec<Line<'static>> = vec![Line::from("")];
        push_wrapped(&mut rows, question.text.get(lang), "", w, t.title(), false);
        rows.push(Line::from(""));
        let option = |rows: &mut Vec<Line<'static>>, head: String, detail: Option<&str>| {
            push_wrapped(rows, &head, "      ", w, t.title(), false);
            if let Some(d) = detail.filter(|d| !d.is_empty()) {
                push_wrapped(
                    rows,
                    &format!("      {d}"),
                    "      ",
                    w,
                    Default::default(),
                    false,
                );
            }
            rows.push(Line::from(""));
        };
        match question.kind {
            QuestionKind::Scale => {
                for (i, level) in question.levels.iter().enumerate() {
                    let on =
                        matches!(answer, Some(Response::Scale { level }) if *level as usize == i);
                    option(
                        &mut rows,
                        format!("{} {i} · {}", radio(on), level.label.get(lang)),
                        Some(level.descriptor.get(lang)),
                    );
                }
            }
            QuestionKind::Ynp => {
                for (choice, label) in [
                    (Ynp::Yes, tr(lang, "Có", "Yes")),
                    (Ynp::Partly, tr(lang, "Một phần", "Partly")),
                    (Ynp::No, tr(lang, "Không", "No")),
                ] {
                    let on = matches!(answer, Some(Response::Ynp { choice: c }) if *c == choice);
                    option(&mut rows, format!("{} {label}", radio(on)), None);
                }
            }
            QuestionKind::Checklist => {
                for (i, o) in question.options.iter().enumerate() {
                    let on = matches!(answer, Some(Response::Checklist { selected }) if selected.contains(&o.id));
                    option(
                        &mut rows,
                        format!(
                            "[{}] {}. {}",
                            if on { "x" } else { " " },
                            i + 1,
                            o.label.get(lang)
                        ),
                        None,
                    );
                }
            }
            QuestionKind::Number => {
                let unit = question.unit.as_ref().map(|u| u.get(lang)).unwrap_or("");
                let value = match answer {
                    Some(Response::Number { value }) => crate::locale::number(*value, lang),
                    _ => "____".into(),
                };
                option(
                    &mut rows,
                    format!("{}: {value} {unit}", tr(lang, "Con số", "Figure")),
                    None,
                );
            }
            QuestionKind::Text => {
                let text = match answer {
                    Some(Response::Text { text }) => text.clone(),
                    _ => tr(lang, "(trả lời tự do)", "(free answer)").into(),
                };
                option(&mut rows, text, None);
            }
        }
        let mut also = vec![];
        if question.allow_na {
            also.push(tr(lang, "không áp dụng", "not applicable"));
        }
        if question.allow_dont_know {
            also.push(tr(lang, "không biết", "don't know"));
        }
        if !also.is_empty() {
            let chosen = match answer {
                Some(Response::NotApplicable) => tr(
                    lang,
                    " — đã chọn: không áp dụng",
                    " — chosen: not applicable",
                ),
                Some(Response::DontKnow) => {
                    tr(lang, " — đã chọn: không biết", " — chosen: don't know")
                }
                _ => "",
            };
            push_wrapped(
                &mut rows,
                &format!(
                    "{}: {}{chosen}",
                    tr(lang, "Cũng có thể trả lời", "Also possible"),
                    also.join(" · ")
                ),
                "  ",
                w,
                t.dim(),
                false,
            );
        }
        let marked = s
            .assessment
            .answers
            .get(&question.id)
            .is_some_and(|a| a.marked_for_review)
            .then(|| {
                format!(
                    "★ {}",
                    tr(lang, "cần quay lại câu này (f)", "to come back to (f)")
                )
            });
        for line in [
            marked,
            crate::tui::interview::carried_line(&s.assessment, &question.id, lang),
            crate::tui::interview::answer_line(&s.assessment, &question.id, lang),
        ]
        .into_iter()
        .flatten()
        {
            push_wrapped(&mut rows, &line, "  ", w, t.key(), false);
        }
        // The margin.
        rows.into_iter()
            .map(|l| {
                let mut spans = vec![ratatui::text::Span::raw("  ")];
                spans.extend(l.spans);
                Line::from(spans).style(l.style)
            })
            .collect()
    }
}

/// The first row shown when scrolled to the end (the "above" cue takes a line).
fn last_top(len: usize, room: usize) -> usize {
    if len > room { len + 2 - room } else { 0 }
}

fn radio(on: bool) -> &'static str {
    if on { "(●)" } else { "( )" }
}

/// The window: the whole body, titled with the question's place.
pub fn frame<'a>(app: &'a App, o: &'a Overlay, body: Rect, t: &Theme) -> Option<OverlayFrame<'a>> {
    let lang: Lang = app.lang();
    let Overlay::ReadAloud { scroll } = o else {
        return None;
    };
    let (Screen::Question(qs), Some(s)) = (&app.screen, &app.session) else {
        return None;
    };
    let rows = app.read_aloud_rows(body, t);
    let room = body.height.saturating_sub(2) as usize;
    let top = (*scroll).min(last_top(rows.len(), room));
    // The window keeps rows top.. in view, with a cue for what is above and below.
    let lines = window(rows, top, top + room.saturating_sub(1), room, "↑↓", t, lang);
    let (_, _, n, total) = crate::tui::screens::question::position(s, &qs.current);
    Some((
        format!(
            "{} {n}/{total} · {} · Esc {}",
            tr(lang, "Câu", "Question"),
            qs.current,
            tr(lang, "đóng", "closes")
        ),
        lines,
        body.width,
        body.height,
    ))
}
