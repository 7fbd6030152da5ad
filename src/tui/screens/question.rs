//! One question a screen: how each kind of answer is chosen, typed and drawn.

use crate::assessment::{EvidenceGrade, Response, Ynp};
use crate::export::answer_text;
use crate::i18n::{Lang, tr};
use crate::questionnaire::{Question, QuestionKind};
use crate::text::{pad, truncate};
use crate::tui::app::save_effect;
use crate::tui::app::{App, Effect};
use crate::tui::editor::{LineInput, TextEditor};
use crate::tui::key::Key;
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::overlays::evidence::EvidenceForm;
use crate::tui::screens::{
    dashboard::DashboardState,
    profile::ProfileState,
    review::{Filter, ReviewState},
};
use crate::tui::theme::Theme;
use crate::tui::widgets::*;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What a key on the question screen led to.
#[derive(Debug)]
pub enum QuestionOutcome {
    None,
    /// The answer changed: save.
    Changed,
    Refused(String),
    Info(String),
    Overlay(Overlay),
    Review,
    Dashboard,
    Profile,
    Home,
}

#[derive(Debug)]
pub struct QuestionState {
    /// Id of the question shown.
    pub current: String,
    /// Highlighted option (scale level, yes/partly/no, checklist option).
    pub cursor: usize,
    /// Number being typed.
    pub number: LineInput,
    /// Free text being edited (`Some` while editing).
    pub editor: Option<TextEditor>,
    /// The number field has focus: printable keys are the number, not commands.
    pub number_focus: bool,
}

impl QuestionState {
    pub fn at(s: &Session, id: &str) -> QuestionState {
        let visible = s.visible();
        let current = if visible.iter().any(|v| v == id) {
            id.to_string()
        } else {
            visible.first().cloned().unwrap_or_default()
        };
        let mut q = QuestionState {
            current,
            cursor: 0,
            number: LineInput::default(),
            editor: None,
            number_focus: false,
        };
        q.sync(s);
        q
    }

    pub fn at_first_unanswered(s: &Session) -> QuestionState {
        let visible = s.visible();
        let id = visible
            .iter()
            .find(|id| !s.assessment.answers.contains_key(*id))
            .or(visible.first())
            .cloned()
            .unwrap_or_default();
        QuestionState::at(s, &id)
    }

    pub fn or_at(self, s: &Session, id: &str) -> QuestionState {
        if self.current.is_empty() {
            QuestionState::at(s, id)
        } else {
            self
        }
    }

    /// Puts the cursor and inputs on the stored answer (after a change made elsewhere).
    pub fn resync(&mut self, s: &Session) {
        self.sync(s);
    }

    /// Puts the cursor and inputs on the stored answer; a number question's field takes focus.
    fn sync(&mut self, s: &Session) {
        self.editor = None;
        self.number = LineInput::default();
        self.cursor = 0;
        let Some(q) = s.questionnaire.question(&self.current) else {
            self.number_focus = false;
            return;
        };
        // A carried answer waits for `o` (or a digit, which starts typing a new number).
        let carried = s
            .assessment
            .answers
            .get(&self.current)
            .is_some_and(|a| a.carried);
        self.number_focus = q.kind == QuestionKind::Number && !carried;
        match s.assessment.answers.get(&self.current).map(|a| &a.response) {
            Some(Response::Scale { level }) => self.cursor = *level as usize,
            Some(Response::Ynp { choice }) => {
                self.cursor = match choice {
                    Ynp::Yes => 0,
                    Ynp::Partly => 1,
                    Ynp::No => 2,
                }
            }
            Some(Response::Number { value }) => {
                self.number = LineInput::new(&crate::assessment::format_number(*value))
            }
            Some(Response::NotApplicable | Response::DontKnow | Response::Alternate { .. })
                if q.kind == QuestionKind::Number =>
            {
                // A special answer is shown as such; typing a number replaces it.
                self.number_focus = false;
            }
            // The cursor of a checklist stays on the first option; text opens with Enter.
            Some(
                Response::Checklist { .. }
                | Response::Text { .. }
                | Response::NotApplicable
                | Response::DontKnow
                | Response::Alternate { .. },
            )
            | None => {}
        }
        if q.kind == QuestionKind::Scale && !s.assessment.answers.contains_key(&self.current) {
            self.cursor = 0;
        }
    }

    fn go(&mut self, s: &Session, delta: isize) -> QuestionOutcome {
        let visible = s.visible();
        let i = visible.iter().position(|v| *v == self.current).unwrap_or(0) as isize;
        let j = (i + delta).clamp(0, visible.len().saturating_sub(1) as isize) as usize;
        if j as isize == i && delta > 0 {
            return QuestionOutcome::Dashboard;
        }
        self.current = visible.get(j).cloned().unwrap_or_default();
        self.sync(s);
        QuestionOutcome::None
    }

    fn jump_to(
        &mut self,
        s: &Session,
        pred: impl Fn(&str) -> bool,
        none: String,
    ) -> QuestionOutcome {
        let visible = s.visible();
        let i = visible.iter().position(|v| *v == self.current).unwrap_or(0);
        let n = visible.len();
        match (1..=n).map(|k| &visible[(i + k) % n]).find(|id| pred(id)) {
            Some(id) => {
                self.current = id.clone();
                self.sync(s);
                QuestionOutcome::None
            }
            None => QuestionOutcome::Info(none),
        }
    }

    fn set(&mut self, s: &mut Session, r: Response, now: &str, lang: Lang) -> QuestionOutcome {
        match s
            .assessment
            .set_response(&s.questionnaire, &self.current, r, now)
        {
            Ok(()) => QuestionOutcome::Changed,
            Err(e) => QuestionOutcome::Refused(e.message(lang)),
        }
    }

    /// What an action does on the question screen.
    pub fn handle(
        &mut self,
        action: Action,
        s: &mut Session,
        now: &str,
        lang: Lang,
    ) -> QuestionOutcome {
        let Some(q) = s.questionnaire.question(&self.current).cloned() else {
            return match action {
                Action::Leave | Action::Back => QuestionOutcome::Home,
                _ => QuestionOutcome::None,
            };
        };
        // Free-text editing: Esc stores and leaves.
        if let Some(ed) = &mut self.editor {
            match action {
                Action::Submit | Action::Back => {
                    let text = ed.value();
                    self.editor = None;
                    if text.is_empty() {
                        let had = s
                            .assessment
                            .answers
                            .get(&self.current)
                            .map(|a| crate::export::answer_text(&q, &a.response, lang));
                        return match had {
                            // Emptying a saved text asks first, like any clearing.
                            Some(answer) => QuestionOutcome::Overlay(Overlay::Confirm(
                                crate::tui::model::Confirm::ClearAnswer {
                                    question: self.current.clone(),
                                    answer,
                                },
                            )),
                            None => QuestionOutcome::None,
                        };
                    }
                    return self.set(s, Response::Text { text }, now, lang);
                }
                Action::Edit(k) => {
                    ed.handle(k);
                }
                Action::Paste(t) => {
                    ed.paste(&t);
                }
                _ => {}
            }
            return QuestionOutcome::None;
        }
        // The focused number field.
        if q.kind == QuestionKind::Number && self.number_focus {
            match action {
                Action::Edit(k) => {
                    self.number.handle(k);
                    return QuestionOutcome::None;
                }
                Action::Paste(t) => {
                    self.number.paste(&t);
                    return QuestionOutcome::None;
                }
                Action::NextQuestion | Action::PrevQuestion => {
                    // Moving on saves what was typed; a refused number keeps you here.
                    let saved = match s.assessment.answers.get(&self.current).map(|a| &a.response) {
                        Some(Response::Number { value }) => {
                            crate::assessment::format_number(*value)
                        }
                        _ => String::new(),
                    };
                    if self.number.value().trim() != saved {
                        let out = self.handle(Action::Submit, s, now, lang);
                        if !matches!(out, QuestionOutcome::Changed | QuestionOutcome::None) {
                            return out;
                        }
                        let step = if action == Action::NextQuestion {
                            1
                        } else {
                            -1
                        };
                        if matches!(out, QuestionOutcome::Changed) {
                            // Save, then move: the caller saves on Changed.
                            let moved = self.go(s, step);
                            return match moved {
                                QuestionOutcome::None => QuestionOutcome::Changed,
                                other => other,
                            };
                        }
                        return self.go(s, step);
                    }
                }
                Action::Submit => {
                    let typed = self.number.value();
                    if typed.trim().is_empty() {
                        return if s.assessment.answers.contains_key(&self.current) {
                            QuestionOutcome::Refused(
                                tr(
                                    lang,
                                    "Ô trống: câu trả lời đã lưu được giữ nguyên (Esc rồi Del để xóa)",
                                    "Empty field: the saved answer is kept (Esc, then Del to clear it)",
                                )
                                .into(),
                            )
                        } else {
                            self.go(s, 1)
                        };
                    }
                    return match crate::locale::parse_number(&typed, lang) {
                        Ok(v) => {
                            let out = self.set(s, Response::Number { value: v }, now, lang);
                            if matches!(out, QuestionOutcome::Changed) {
                                self.number = LineInput::new(&crate::assessment::format_number(v));
                                // Saved: the command keys work again (Enter or a digit edits).
                                self.number_focus = false;
                            }
                            out
                        }
                        Err(e) => QuestionOutcome::Refused(e.message(lang)),
                    };
                }
                Action::Back => {
                    // Leave the field; what was typed and not saved is dropped.
                    let keep = self.current.clone();
                    self.sync(s);
                    self.current = keep;
                    self.number_focus = false;
                    return QuestionOutcome::None;
                }
                _ => {}
            }
        }
        let options = option_count(&q);
        match action {
            Action::NextQuestion => self.go(s, 1),
            Action::PrevQuestion => self.go(s, -1),
            Action::Up if options > 0 => {
                self.cursor = self.cursor.saturating_sub(1);
                QuestionOutcome::None
            }
            Action::Down if options > 0 => {
                self.cursor = (self.cursor + 1).min(options - 1);
                QuestionOutcome::None
            }
            Action::Choose => match q.kind {
                QuestionKind::Scale => self.set(
                    s,
                    Response::Scale {
                        level: self.cursor as u8,
                    },
                    now,
                    lang,
                ),
                QuestionKind::Ynp => self.set(
                    s,
                    Response::Ynp {
                        choice: [Ynp::Yes, Ynp::Partly, Ynp::No][self.cursor.min(2)],
                    },
                    now,
                    lang,
                ),
                QuestionKind::Checklist => self.toggle(s, &q, self.cursor, now, lang),
                QuestionKind::Text => {
                    let current = match s.assessment.answers.get(&self.current).map(|a| &a.response)
                    {
                        Some(Response::Text { text }) => text.clone(),
                        _ => String::new(),
                    };
                    self.editor = Some(TextEditor::new(&current));
                    QuestionOutcome::None
                }
                QuestionKind::Number => {
                    self.number_focus = true;
                    QuestionOutcome::None
                }
            },
            // Digits on an unfocused number question start typing the number.
            Action::Level(d) if q.kind == QuestionKind::Number => {
                self.number_focus = true;
                self.number = LineInput::default();
                self.number.handle(Key::Char((b'0' + d) as char));
                QuestionOutcome::None
            }
            Action::Toggle(i) if q.kind == QuestionKind::Number => {
                self.number_focus = true;
                self.number = LineInput::default();
                self.number.handle(Key::Char((b'1' + i as u8) as char));
                QuestionOutcome::None
            }
            Action::Level(l) if q.kind == QuestionKind::Scale => {
                self.cursor = l as usize;
                self.set(s, Response::Scale { level: l }, now, lang)
            }
            Action::Toggle(i) if q.kind == QuestionKind::Scale && i < 4 => {
                self.cursor = i + 1;
                self.set(
                    s,
                    Response::Scale {
                        level: (i + 1) as u8,
                    },
                    now,
                    lang,
                )
            }
            Action::Toggle(i) if q.kind == QuestionKind::Checklist => {
                if i < q.options.len() {
                    self.cursor = i;
                    self.toggle(s, &q, i, now, lang)
                } else {
                    QuestionOutcome::None
                }
            }
            Action::Yes | Action::Partly | Action::No if q.kind == QuestionKind::Ynp => {
                let (i, choice) = match action {
                    Action::Yes => (0, Ynp::Yes),
                    Action::Partly => (1, Ynp::Partly),
                    _ => (2, Ynp::No),
                };
                self.cursor = i;
                self.set(s, Response::Ynp { choice }, now, lang)
            }
            Action::NotApplicable => self.set(s, Response::NotApplicable, now, lang),
            Action::DontKnow => self.set(s, Response::DontKnow, now, lang),
            Action::Alternate => {
                if !q.allow_alternate {
                    return QuestionOutcome::Refused(
                        crate::assessment::AnswerError::AlternateNotAllowed.message(lang),
                    );
                }
                let current = match s.assessment.answers.get(&self.current).map(|a| &a.response) {
                    Some(Response::Alternate { justification }) => justification.clone(),
                    _ => String::new(),
                };
                QuestionOutcome::Overlay(Overlay::Alternate(TextEditor::new(&current)))
            }
            Action::Comment => {
                let current = s
                    .assessment
                    .answers
                    .get(&self.current)
                    .map(|a| a.comment.clone())
                    .unwrap_or_default();
                QuestionOutcome::Overlay(Overlay::Comment(TextEditor::new(&current)))
            }
            Action::Evidence => {
                let existing = s
                    .assessment
                    .answers
                    .get(&self.current)
                    .and_then(|a| a.evidence.first());
                QuestionOutcome::Overlay(Overlay::Evidence(EvidenceForm::from(existing)))
            }
            Action::ToggleMark => match s.assessment.answers.get_mut(&self.current) {
                Some(a) => {
                    a.marked_for_review = !a.marked_for_review;
                    s.assessment.updated_at = now.to_string();
                    QuestionOutcome::Changed
                }
                None => QuestionOutcome::Refused(
                    tr(
                        lang,
                        "Hãy trả lời trước khi đánh dấu xem lại",
                        "Answer first, then mark it for review",
                    )
                    .into(),
                ),
            },
            Action::ClearAnswer => match s.assessment.answers.get(&self.current) {
                Some(a) => QuestionOutcome::Overlay(Overlay::Confirm(
                    crate::tui::model::Confirm::ClearAnswer {
                        question: self.current.clone(),
                        answer: crate::export::answer_text(&q, &a.response, lang),
                    },
                )),
                None => QuestionOutcome::None,
            },
            Action::NextUnanswered => {
                let answers = &s.assessment.answers;
                self.jump_to(
                    s,
                    |id| !answers.contains_key(id),
                    tr(
                        lang,
                        "Đã trả lời hết các câu hỏi",
                        "Every question is answered",
                    )
                    .into(),
                )
            }
            Action::NextMarked => {
                let answers = &s.assessment.answers;
                self.jump_to(
                    s,
                    |id| answers.get(id).is_some_and(|a| a.marked_for_review),
                    tr(
                        lang,
                        "Không có câu nào được đánh dấu xem lại",
                        "No question is marked for review",
                    )
                    .into(),
                )
            }
            Action::Sections => {
                let cursor = s
                    .questionnaire
                    .sections
                    .iter()
                    .position(|sec| sec.questions.iter().any(|x| x.id == self.current))
                    .unwrap_or(0);
                QuestionOutcome::Overlay(Overlay::Sections { cursor })
            }
            Action::Search => QuestionOutcome::Overlay(Overlay::Search(Default::default())),
            Action::ShowSources => QuestionOutcome::Overlay(Overlay::Sources {
                question: self.current.clone(),
                scroll: 0,
                auditor: false,
            }),
            Action::First => {
                self.current = s.visible().first().cloned().unwrap_or_default();
                self.sync(s);
                QuestionOutcome::None
            }
            Action::Last => {
                self.current = s.visible().last().cloned().unwrap_or_default();
                self.sync(s);
                QuestionOutcome::None
            }
            Action::Review => QuestionOutcome::Review,
            Action::Results => QuestionOutcome::Dashboard,
            Action::Profile => QuestionOutcome::Profile,
            Action::Leave | Action::Back => QuestionOutcome::Home,
            _ => QuestionOutcome::None,
        }
    }

    fn toggle(
        &mut self,
        s: &mut Session,
        q: &Question,
        i: usize,
        now: &str,
        lang: Lang,
    ) -> QuestionOutcome {
        let Some(opt) = q.options.get(i) else {
            return QuestionOutcome::None;
        };
        let mut selected = match s.assessment.answers.get(&q.id).map(|a| &a.response) {
            Some(Response::Checklist { selected }) => selected.clone(),
            _ => vec![],
        };
        if let Some(p) = selected.iter().position(|x| *x == opt.id) {
            selected.remove(p);
        } else if opt.exclusive {
            selected = vec![opt.id.clone()];
        } else {
            selected.retain(|x| !q.options.iter().any(|o| o.exclusive && o.id == *x));
            selected.push(opt.id.clone());
        }
        // Keep the questionnaire's order so files diff cleanly.
        selected.sort_by_key(|x| q.options.iter().position(|o| o.id == *x));
        self.set(s, Response::Checklist { selected }, now, lang)
    }
}

/// How many choosable rows a question shows.
pub fn option_count(q: &Question) -> usize {
    match q.kind {
        QuestionKind::Scale => 5,
        QuestionKind::Ynp => 3,
        QuestionKind::Checklist => q.options.len(),
        QuestionKind::Number | QuestionKind::Text => 0,
    }
}

impl App {
    pub(in crate::tui) fn question_action(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang();
        let now = (self.now)();
        if let Some(effects) = self.interview_action(&action) {
            return effects;
        }
        let (Screen::Question(qs), Some(s)) = (&mut self.screen, &mut self.session) else {
            return vec![];
        };
        let before = s.assessment.clone();
        let asked = qs.current.clone();
        let outcome = qs.handle(action, s, &now, lang);
        if s.assessment != before {
            crate::tui::interview::after_answer(s, &asked);
        }
        // Whatever the outcome, a changed assessment is saved (moving on from a number saves it).
        let mut effects = vec![];
        // Choosing the saved value again is saved (and acknowledged) too.
        if s.assessment != before || matches!(outcome, QuestionOutcome::Changed) {
            s.rescore();
            if self.unsaved.is_none() {
                self.status = None;
            }
            effects.push(save_effect(s));
        }
        let mut more = self.question_outcome(outcome);
        effects.append(&mut more);
        effects
    }

    pub(in crate::tui) fn question_outcome(&mut self, outcome: QuestionOutcome) -> Vec<Effect> {
        let (Screen::Question(qs), Some(s)) = (&mut self.screen, &mut self.session) else {
            return vec![];
        };
        match outcome {
            QuestionOutcome::None | QuestionOutcome::Changed => vec![],
            QuestionOutcome::Refused(msg) => {
                self.status = Some(Status::Error(msg));
                vec![]
            }
            QuestionOutcome::Overlay(o) => {
                self.overlay = Some(o);
                vec![]
            }
            QuestionOutcome::Review => {
                let cursor = s
                    .visible()
                    .iter()
                    .position(|id| *id == qs.current)
                    .unwrap_or(0);
                self.screen = Screen::Review(ReviewState {
                    cursor,
                    filter: Filter::All,
                });
                vec![]
            }
            QuestionOutcome::Dashboard => {
                self.screen = Screen::Dashboard(DashboardState {
                    cursor: 0,
                    from: Some(qs.current.clone()),
                });
                vec![]
            }
            QuestionOutcome::Profile => {
                let mut p = ProfileState::default();
                p.load_field(&s.questionnaire, &s.assessment);
                self.screen = Screen::Profile(p);
                vec![]
            }
            QuestionOutcome::Home => self.leave_checked(Action::Leave),
            QuestionOutcome::Info(m) => {
                self.status = Some(Status::Info(m));
                vec![]
            }
        }
    }
}

/// Position of the current question: (section index, section count, question number, total).
pub fn position(s: &Session, id: &str) -> (usize, usize, usize, usize) {
    position_in(s, s.shown(), id)
}

/// [`position`] with the shown questions already worked out.
fn position_in(s: &Session, shown: &Shown, id: &str) -> (usize, usize, usize, usize) {
    let n = shown.position(id).map_or(0, |i| i + 1);
    let sec = s
        .questionnaire
        .sections
        .iter()
        .position(|sec| sec.questions.iter().any(|q| q.id == id))
        .unwrap_or(0);
    (sec + 1, s.questionnaire.sections.len(), n, shown.len())
}

fn draw_sections_panel(
    s: &Session,
    shown_all: &Shown,
    current: &str,
    f: &mut Frame,
    area: Rect,
    t: &Theme,
    lang: Lang,
) {
    let mut lines = vec![Line::styled(tr(lang, "Các phần", "Sections"), t.title())];
    for sec in &s.questionnaire.sections {
        let (done, shown) = shown_all.section_progress(s, sec);
        let here = sec.questions.iter().any(|q| q.id == current);
        let mark = if shown == 0 {
            "–"
        } else if done == shown {
            "✓"
        } else {
            " "
        };
        let counts = format!("{done}/{shown}");
        // The title wraps (never cut); the count ends the first line.
        let text = format!(
            "{}{mark} {} {counts}",
            if here { "▶" } else { " " },
            sec.title.get(lang)
        );
        push_wrapped(
            &mut lines,
            &text,
            "   ",
            (area.width as usize).saturating_sub(1),
            if here {
                t.selected()
            } else if shown == 0 {
                t.dim()
            } else {
                Default::default()
            },
            false,
        );
    }
    let (done, shown) = shown_all.progress(&s.assessment);
    lines.push(Line::from(""));
    lines.push(Line::from(format!(
        "{} {done}/{shown}",
        tr(lang, "Đã trả lời", "Answered"),
    )));
    if let (Some(h), band) = s.headline {
        let band = band
            .and_then(|i| s.questionnaire.band_sorted(i))
            .map(|b| b.label.get(lang))
            .unwrap_or("");
        lines.push(Line::from(format!(
            "{} {} · {band}",
            tr(lang, "Điểm", "Score"),
            crate::locale::score(h, lang)
        )));
    }
    let inner = right_rule(f.buffer_mut(), area);
    f.render_widget(Lines(&lines), inner);
}

pub fn draw_question(
    s: &Session,
    qs: &QuestionState,
    f: &mut Frame,
    area: Rect,
    t: &Theme,
    lang: Lang,
) {
    let shown = s.shown();
    let main = if area.width >= 100 {
        let [left, right] =
            Layout::horizontal([Constraint::Length(32), Constraint::Min(40)]).areas(area);
        draw_sections_panel(s, shown, &qs.current, f, left, t, lang);
        right
    } else {
        area
    };
    let inner = Rect {
        x: main.x + 1,
        width: main.width.saturating_sub(2),
        ..main
    };
    let q = &s.questionnaire;
    let Some(question) = q.question(&qs.current) else {
        f.render_widget(
            Paragraph::new(tr(
                lang,
                "Không có câu hỏi nào được hiển thị.",
                "No questions to show.",
            )),
            inner,
        );
        return;
    };
    let (sec, secs, n, total) = position_in(s, shown, &qs.current);
    let section = q
        .sections
        .get(sec - 1)
        .map(|x| x.title.get(lang))
        .unwrap_or("");
    let answer = s.assessment.answers.get(&question.id);
    let w = inner.width as usize;
    // Without the side panel, the section line carries the section's progress.
    let progress = if area.width < 100 {
        let (done, n) = shown.section_progress(s, &q.sections[sec - 1]);
        format!(" ({done}/{n} {})", tr(lang, "đã trả lời", "answered"))
    } else {
        String::new()
    };
    let mut lines: Vec<Line> = vec![];
    let mut focus: Option<usize> = None;
    let mut focus_end: Option<usize> = None;
    push_wrapped(
        &mut lines,
        &format!(
            "{} {sec}/{secs}: {section}{progress}",
            tr(lang, "Phần", "Section")
        ),
        "  ",
        w,
        t.dim(),
        false,
    );
    let (done, _) = shown.progress(&s.assessment);
    let all = q.questions().count();
    let hidden = if all > total {
        format!(
            " ({} {all}, {} {})",
            tr(lang, "bộ có", "of"),
            all - total,
            tr(lang, "câu ẩn theo hồ sơ", "hidden by the profile")
        )
    } else {
        String::new()
    };
    push_wrapped(
        &mut lines,
        &format!(
            "{} {n}/{total} · {} · {} {done}/{total}{hidden}",
            tr(lang, "Câu", "Question"),
            question.id,
            tr(lang, "đã trả lời", "answered"),
        ),
        "  ",
        w,
        t.dim(),
        false,
    );
    push_wrapped(&mut lines, question.text.get(lang), "", w, t.title(), false);
    // A re-assessment's carried answer, not yet confirmed: said before the options.
    if let Some(c) = crate::tui::interview::carried_line(&s.assessment, &question.id, lang) {
        push_wrapped(&mut lines, &c, "  ", w, t.warn(), false);
    }
    lines.push(Line::from(""));
    let chosen = |i: usize| -> bool {
        match answer.map(|a| &a.response) {
            Some(Response::Scale { level }) => *level as usize == i,
            Some(Response::Ynp { choice }) => {
                [
                    crate::assessment::Ynp::Yes,
                    crate::assessment::Ynp::Partly,
                    crate::assessment::Ynp::No,
                ][i] == *choice
            }
            Some(Response::Checklist { selected }) => question
                .options
                .get(i)
                .is_some_and(|o| selected.contains(&o.id)),
            Some(
                Response::Number { .. }
                | Response::Text { .. }
                | Response::NotApplicable
                | Response::DontKnow
                | Response::Alternate { .. },
            )
            | None => false,
        }
    };
    match question.kind {
        QuestionKind::Scale => {
            // Every level with its whole descriptor, wrapped; the selected one highlighted.
            for (i, level) in question.levels.iter().enumerate() {
                let sel = i == qs.cursor;
                if sel {
                    focus = Some(lines.len());
                }
                let radio = if chosen(i) { "(●)" } else { "( )" };
                let head = format!("{}{radio} {i} {}", marker(sel), level.label.get(lang));
                let style = t.row(sel);
                push_wrapped(&mut lines, &head, "       ", w, style, sel);
                for l in crate::text::wrap(level.descriptor.get(lang), w.saturating_sub(7)) {
                    lines.push(Line::styled(
                        format!("       {l}"),
                        if sel { Default::default() } else { t.dim() },
                    ));
                }
                if sel {
                    focus_end = Some(lines.len());
                }
            }
        }
        QuestionKind::Ynp => {
            let labels = [
                tr(lang, "Có", "Yes"),
                tr(lang, "Một phần", "Partly"),
                tr(lang, "Không", "No"),
            ];
            for (i, l) in labels.iter().enumerate() {
                let sel = i == qs.cursor;
                if sel {
                    focus = Some(lines.len());
                    focus_end = Some(lines.len() + 1);
                }
                let text = format!(
                    "{}{} {l}",
                    marker(sel),
                    if chosen(i) { "(●)" } else { "( )" }
                );
                lines.push(Line::styled(pad(&text, w), t.row(sel)));
            }
        }
        QuestionKind::Checklist => {
            // Options wrap: the words at the end are often the criterion.
            for (i, o) in question.options.iter().enumerate() {
                let sel = i == qs.cursor;
                if sel {
                    focus = Some(lines.len());
                }
                let text = format!(
                    "{}[{}] {}. {}",
                    marker(sel),
                    if chosen(i) { "x" } else { " " },
                    i + 1,
                    o.label.get(lang)
                );
                let style = t.row(sel);
                push_wrapped(&mut lines, &text, "         ", w, style, sel);
                if sel {
                    focus_end = Some(lines.len());
                }
            }
        }
        QuestionKind::Number => {
            let unit = question.unit.as_ref().map(|u| u.get(lang)).unwrap_or("");
            lines.push(Line::from(vec![
                Span::raw(format!("  {}: ", tr(lang, "Giá trị", "Value"))),
                Span::styled(
                    match (qs.number_focus, answer.map(|a| &a.response)) {
                        (true, _) => {
                            format!("[ {} ]", with_cursor(&qs.number.text, qs.number.cursor))
                        }
                        // The saved number as the language writes it ("72,5", "1.200").
                        (false, Some(Response::Number { value })) => {
                            format!("[ {} ]", crate::locale::number(*value, lang))
                        }
                        (false, _) => format!("[ {} ]", qs.number.text),
                    },
                    if qs.number_focus {
                        t.selected()
                    } else {
                        t.dim()
                    },
                ),
                Span::raw(format!(" {unit}  ")),
                Span::styled(
                    if qs.number_focus {
                        tr(
                            lang,
                            "(gõ số, ví dụ 72,5 hoặc 1.200, rồi Enter)",
                            "(type a number, e.g. 72.5 or 1,200, then Enter)",
                        )
                    } else {
                        tr(
                            lang,
                            "(Enter hoặc một chữ số để nhập)",
                            "(Enter or a digit to type)",
                        )
                    },
                    t.dim(),
                ),
            ]));
            let target = crate::scoring::target_for(q, &s.assessment, question);
            match target {
                Some(tu) => lines.push(Line::styled(
                    format!("  {} {}: {}{unit}", tr(lang, "Chỉ tiêu năm", "Target for"), tu.year, crate::locale::number(tu.value, lang)),
                    t.key(),
                )),
                None if question.target.is_some() => lines.push(Line::styled(
                    tr(lang, "  Chọn cấp hành chính và năm chỉ tiêu trong hồ sơ để so với chỉ tiêu", "  Set the administrative level and target year in the profile to compare with the target"),
                    t.dim(),
                )),
                None => {}
            }
        }
        QuestionKind::Text => match &qs.editor {
            Some(ed) => {
                lines.push(Line::styled(
                    tr(
                        lang,
                        "  Đang soạn (Esc để lưu):",
                        "  Editing (Esc to save):",
                    ),
                    t.key(),
                ));
                lines.extend(editor_lines(ed, "  │ "));
            }
            None => {
                let text = match answer.map(|a| &a.response) {
                    Some(Response::Text { text }) => text.clone(),
                    _ => tr(
                        lang,
                        "(chưa có; nhấn Enter để viết)",
                        "(empty; press Enter to write)",
                    )
                    .to_string(),
                };
                for l in text.lines() {
                    lines.push(Line::from(format!("  │ {l}")));
                }
            }
        },
    }
    // The answer's state: special answers, review mark, comment, evidence.
    if let Some(a) = answer {
        let mut flags = vec![];
        // Answers the options above do not show are spelled out under them.
        match &a.response {
            Response::NotApplicable
            | Response::DontKnow
            | Response::Alternate { .. }
            | Response::Number { .. } => {
                flags.push(format!("→ {}", answer_text(question, &a.response, lang)))
            }
            Response::Scale { .. }
            | Response::Ynp { .. }
            | Response::Checklist { .. }
            | Response::Text { .. } => {}
        }
        if a.marked_for_review {
            flags.push(format!(
                "★ {}",
                tr(lang, "cần xem lại", "marked for review")
            ));
        }
        if !a.comment.is_empty() {
            flags.push(format!("✎ {}", truncate(&a.comment, 30)));
        }
        if let Some(e) = a.evidence.first() {
            flags.push(format!("📎 {}", crate::export::grade_label(e.grade, lang)));
        }
        if !flags.is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::styled(format!("  {}", flags.join("  ")), t.key()));
        }
        if a.evidence
            .iter()
            .all(|e| e.grade < EvidenceGrade::DocumentSeen)
            && !a.evidence.is_empty()
        {
            // Stated evidence does not count towards the evidenced score; say so once.
            lines.push(Line::styled(
                tr(
                    lang,
                    "  (minh chứng tự khai chưa được tính vào điểm có minh chứng)",
                    "  (stated evidence does not count towards the evidenced score)",
                ),
                t.dim(),
            ));
        }
    }
    // Interview mode: who answered, how it is known.
    if let Some(i) = crate::tui::interview::answer_line(&s.assessment, &question.id, lang) {
        lines.push(Line::from(""));
        push_wrapped(&mut lines, &format!("  {i}"), "    ", w, t.key(), false);
    }
    lines.push(Line::from(""));
    if let Some(h) = &question.help {
        push_wrapped(&mut lines, h.get(lang), "", w, t.dim(), false);
    }
    push_wrapped(
        &mut lines,
        &format!(
            "{}: {}",
            tr(lang, "Nguồn", "Source"),
            q.cite_all(&question.seed, lang)
        ),
        "  ",
        w,
        t.dim(),
        false,
    );
    draw_scrolled(f, inner, lines, focus, focus_end, "↑↓", t, lang);
}
