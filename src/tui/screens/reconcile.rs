//! The reconcile screen: walks the questions where several respondents of one organisation
//! diverge. Each respondent's answer is shown above the question; the consultant records the
//! agreed answer with the question screen's own answer widgets and keys (or `t` takes one
//! respondent's answer), and a note (`g`). The open session is the reconciled assessment, a new
//! file in the assessments folder: every change is saved at once, the respondents' files are
//! never written.

use crate::assessment::{Response, store};
use crate::export::answer_text;
use crate::i18n::{Lang, tr};
use crate::text::truncate;
use crate::tui::app::{App, Effect, Msg, save_effect};
use crate::tui::editor::TextEditor;
use crate::tui::keymap::{Action, Ctx};
use crate::tui::model::*;
use crate::tui::screens::dashboard::DashboardState;
use crate::tui::screens::question::{QuestionOutcome, QuestionState, draw_question};
use crate::tui::theme::Theme;
use crate::tui::widgets::{editor_lines, push_wrapped};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use std::path::PathBuf;

#[derive(Debug)]
pub struct ReconcileState {
    /// The diverging questions shown (agreed or still to agree), in questionnaire order.
    pub items: Vec<String>,
    pub index: usize,
    /// The agreed answer, chosen with the question screen's state and logic.
    pub question: QuestionState,
    /// The agreement note being written (`Some` while editing).
    pub note: Option<TextEditor>,
    /// The respondent whose answer `t` takes next.
    pub take: usize,
}

/// The diverging questions of a reconciled assessment that are shown, in questionnaire order.
fn diverging(s: &Session) -> Vec<String> {
    s.visible()
        .iter()
        .filter(|id| crate::reconcile::is_diverging(&s.assessment, id))
        .cloned()
        .collect()
}

/// How many diverging questions are agreed, of how many.
pub fn agreed(s: &Session) -> (usize, usize) {
    let items = diverging(s);
    let done = items
        .iter()
        .filter(|id| s.assessment.answers.contains_key(*id))
        .count();
    (done, items.len())
}

impl ReconcileState {
    /// The screen at the first question still to agree, if the session is a reconciled
    /// assessment with one.
    pub fn pending(s: &Session) -> Option<ReconcileState> {
        let items = diverging(s);
        let index = items
            .iter()
            .position(|id| !s.assessment.answers.contains_key(id))?;
        Some(ReconcileState::at(s, items, index))
    }

    fn at(s: &Session, items: Vec<String>, index: usize) -> ReconcileState {
        let question = question_at(s, &items[index]);
        ReconcileState {
            items,
            index,
            question,
            note: None,
            take: 0,
        }
    }

    pub fn current(&self) -> &str {
        self.items
            .get(self.index)
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// The keymap context: the note or a text answer being written, the number field, or the
    /// screen.
    pub fn ctx(&self) -> Ctx {
        if self.note.is_some() || self.question.editor.is_some() {
            Ctx::Editor
        } else if self.question.number_focus {
            Ctx::NumberField
        } else {
            Ctx::Reconcile
        }
    }

    fn go(&mut self, s: &Session, index: usize) {
        self.index = index;
        self.take = 0;
        self.question = question_at(s, &self.items[index]);
    }
}

/// The question's answer widgets, without the number field taking the keys on arrival (here
/// `t` and `g` come first; Enter or a digit starts typing a number).
fn question_at(s: &Session, id: &str) -> QuestionState {
    let mut q = QuestionState::at(s, id);
    q.number_focus = false;
    q
}

/// How a question of the reconciled assessment is being decided.
fn decision<'a>(s: &'a Session, id: &str) -> Option<&'a crate::assessment::Decision> {
    s.assessment
        .reconciliation
        .as_ref()
        .and_then(|r| r.decisions.get(id))
}

fn file_stamp(now: &str) -> String {
    now.chars()
        .filter(|c| c.is_ascii_digit())
        .take(14)
        .collect()
}

/// Reads the respondents' files, writes the reconciled assessment as a new file in `dir` (the
/// assessments folder) and opens it (the effect `Reconcile`, run off the UI thread; the files
/// given are only read).
pub(in crate::tui) fn reconcile_files(
    paths: &[PathBuf],
    catalog: &crate::questionnaire::Catalog,
    dir: &std::path::Path,
    now: &str,
    lang: Lang,
) -> Msg {
    let (q, sources) = match crate::reconcile::load(paths, catalog, lang) {
        Ok(x) => x,
        // On the status line: every file and its questionnaire on one line.
        Err(e) => {
            let lines: Vec<&str> = e.lines().map(str::trim).collect();
            return Msg::OpenFailed(lines.join(" "));
        }
    };
    // Read against the current questionnaire: every source carries its hash.
    let hash = sources[0].assessment.questionnaire.hash.clone();
    let a = crate::reconcile::merged(&q, &hash, &sources, now);
    let stem = format!("{}-reconciled-{}", q.id, file_stamp(now));
    let mut path = dir.join(format!("{stem}.json"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{n}.json"));
        n += 1;
    }
    let lock = match store::lock(&path) {
        Ok(l) => l,
        Err(e) => return Msg::OpenFailed(e.render(lang)),
    };
    if let Err(e) = store::write(&path, &a, &q) {
        return Msg::OpenFailed(e.render(lang));
    }
    let session = Session::new(path.clone(), Some(lock), q, a, vec![]);
    let (_, to_agree) = agreed(&session);
    let notes = vec![
        format!(
            "{} {}",
            tr(
                lang,
                "Bản đánh giá đối chiếu mới:",
                "New reconciled assessment:"
            ),
            path.display()
        ),
        format!(
            "{} {} · {} {}",
            sources.len(),
            tr(lang, "người trả lời", "respondents"),
            to_agree,
            tr(
                lang,
                "câu khác biệt cần thống nhất; các câu khác đã được chuyển sang (giống nhau, hoặc theo trung vị dưới / quá nửa, ghi trong tệp).",
                "diverging question(s) to agree; the others are carried over (alike, or by the lower median / majority, recorded in the file)."
            )
        ),
        tr(
            lang,
            "Các tệp gốc không bị thay đổi.",
            "The respondents' files are not changed.",
        )
        .to_string(),
    ];
    Msg::Opened(Box::new(Opened {
        session,
        notes,
        created: false,
    }))
}

impl App {
    /// What an action does on the reconcile screen.
    pub(in crate::tui) fn reconcile_action(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang();
        let now = (self.now)();
        let (Screen::Reconcile(rs), Some(s)) = (&mut self.screen, &mut self.session) else {
            return vec![];
        };
        let id = rs.current().to_string();
        // The note.
        if let Some(ed) = &mut rs.note {
            match action {
                Action::Edit(k) => {
                    ed.handle(k);
                }
                Action::Paste(t) => {
                    ed.paste(&t);
                }
                Action::Submit | Action::Back => {
                    let text = ed.value();
                    rs.note = None;
                    if let Some(d) = s
                        .assessment
                        .reconciliation
                        .as_mut()
                        .and_then(|r| r.decisions.get_mut(&id))
                        && d.note != text
                    {
                        d.note = text;
                        s.assessment.updated_at = now;
                        return vec![save_effect(s)];
                    }
                }
                _ => {}
            }
            return vec![];
        }
        let before = s.assessment.clone();
        let mut effects = vec![];
        match action {
            Action::NextQuestion | Action::PrevQuestion => {
                // A number being typed is saved first; a refused one keeps you here.
                if rs.question.number_focus {
                    let typed = rs.question.number.value();
                    if !typed.trim().is_empty() {
                        match rs.question.handle(Action::Submit, s, &now, lang) {
                            QuestionOutcome::Refused(m) => {
                                self.status = Some(Status::Error(m));
                                return vec![];
                            }
                            // The next question is found among those the answer leaves shown.
                            _ => {
                                rs.question.number_focus = false;
                                s.rescore();
                            }
                        }
                    }
                }
                let next = if action == Action::NextQuestion {
                    rs.index + 1
                } else {
                    rs.index.saturating_sub(1)
                };
                if next < rs.items.len() {
                    rs.go(s, next);
                } else if action == Action::NextQuestion {
                    let (done, all) = agreed(s);
                    self.status = Some(Status::Info(format!(
                        "{} {done}/{all} {}",
                        tr(lang, "Đã thống nhất", "Agreed"),
                        tr(lang, "câu khác biệt", "diverging questions")
                    )));
                    self.screen = Screen::Dashboard(DashboardState::default());
                }
            }
            Action::Take => {
                let responses: Vec<Option<Response>> = decision(s, &id)
                    .map(|d| d.responses.clone())
                    .unwrap_or_default();
                let n = responses.len();
                // The next respondent (from `take`) who answered.
                let found = (0..n)
                    .map(|k| (rs.take + k) % n.max(1))
                    .find_map(|i| responses[i].clone().map(|r| (i, r)));
                if let Some((i, r)) = found {
                    rs.take = (i + 1) % n;
                    match crate::reconcile::agree(&s.questionnaire, &mut s.assessment, &id, r, &now)
                    {
                        Ok(()) => {
                            s.rescore();
                            let keep = rs.question.current.clone();
                            rs.question = question_at(s, &keep);
                        }
                        Err(e) => self.status = Some(Status::Error(e.message(lang))),
                    }
                }
            }
            Action::Comment => {
                let note = decision(s, &id).map(|d| d.note.clone()).unwrap_or_default();
                rs.note = Some(TextEditor::new(&note));
            }
            Action::Results => {
                self.screen = Screen::Dashboard(DashboardState::default());
            }
            Action::Leave => return self.leave_checked(Action::Leave),
            other => match rs.question.handle(other, s, &now, lang) {
                QuestionOutcome::Refused(m) => self.status = Some(Status::Error(m)),
                QuestionOutcome::Info(m) => self.status = Some(Status::Info(m)),
                // Everything else of the question screen (other screens, overlays) is not here.
                _ => {}
            },
        }
        if s.assessment != before {
            if s.assessment.answers.get(&id).map(|a| &a.response)
                != before.answers.get(&id).map(|a| &a.response)
            {
                crate::reconcile::mark_agreed(&mut s.assessment, &id);
            }
            s.rescore();
            if self.unsaved.is_none() {
                self.status = None;
            }
            effects.push(save_effect(s));
        }
        effects
    }
}

/// The respondents' answers, the agreed answer's state and the note, over the question drawn
/// as the question screen draws it.
pub fn draw_reconcile(
    s: &Session,
    rs: &ReconcileState,
    f: &mut Frame,
    area: Rect,
    t: &Theme,
    lang: Lang,
) {
    let w = area.width.saturating_sub(2) as usize;
    let id = rs.current();
    let question = s.questionnaire.question(id);
    let rec = s.assessment.reconciliation.as_ref();
    let decision = rec.and_then(|r| r.decisions.get(id));
    let (done, all) = agreed(s);
    let mut lines: Vec<Line<'static>> = vec![Line::styled(
        truncate(
            &format!(
                "{} {}/{} · {id} · {} {done}/{all}",
                tr(lang, "Câu khác biệt", "Diverging question"),
                rs.index + 1,
                rs.items.len(),
                tr(lang, "đã thống nhất", "agreed"),
            ),
            w,
        ),
        t.title(),
    )];
    if let (Some(q), Some(d), Some(r)) = (question, decision, rec) {
        for (i, (src, resp)) in r.sources.iter().zip(&d.responses).enumerate() {
            let label = if src.label.is_empty() {
                src.file.clone()
            } else {
                src.label.clone()
            };
            let mut said = resp.as_ref().map_or_else(
                || tr(lang, "(không trả lời)", "(no answer)").to_string(),
                |r| answer_text(q, r, lang),
            );
            // Their comment, when they left one.
            if let Some(c) = d.comments.get(i).filter(|c| !c.is_empty()) {
                said.push_str(&format!(" ✎ {}", c.replace('\n', " ")));
            }
            // "t→": whose answer `t` takes next; "✓": whose answer is the agreed one.
            let same = resp.is_some()
                && s.assessment.answers.get(id).map(|a| &a.response) == resp.as_ref();
            let next = if i == rs.take { "t→" } else { "  " };
            lines.push(Line::from(truncate(
                &format!(
                    "{next}[{}]{} {label}: {said}",
                    i + 1,
                    if same { "✓" } else { " " }
                ),
                w,
            )));
        }
        let agreed = match (s.assessment.answers.get(id), d.rule) {
            (Some(a), _) => format!(
                "{}: {}",
                tr(lang, "Thống nhất", "Agreed"),
                answer_text(q, &a.response, lang)
            ),
            (None, _) => tr(
                lang,
                "Chưa thống nhất: chọn câu trả lời bên dưới hoặc nhấn t",
                "Not agreed yet: choose the answer below, or press t",
            )
            .to_string(),
        };
        lines.push(Line::styled(truncate(&agreed, w), t.key()));
        match &rs.note {
            Some(ed) => {
                lines.push(Line::styled(
                    tr(
                        lang,
                        "Ghi chú thống nhất (Esc để lưu):",
                        "Agreement note (Esc to save):",
                    ),
                    t.key(),
                ));
                lines.extend(editor_lines(ed, "│ "));
            }
            None if !d.note.is_empty() => push_wrapped(
                &mut lines,
                &format!("✎ {}", d.note.replace('\n', " ")),
                "  ",
                w,
                t.dim(),
                false,
            ),
            None => lines.push(Line::styled(
                tr(lang, "(chưa có ghi chú: g)", "(no note yet: g)"),
                t.dim(),
            )),
        }
    }
    let top = (lines.len() as u16 + 1).min(area.height.saturating_sub(6));
    let [head, body] = Layout::vertical([Constraint::Length(top), Constraint::Min(1)]).areas(area);
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::BOTTOM)),
        Rect {
            x: head.x + 1,
            width: head.width.saturating_sub(2),
            ..head
        },
    );
    draw_question(s, &rs.question, f, body, t, lang);
}
