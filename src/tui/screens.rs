//! State of each screen and how its keys change it. The question screen turns keys into answers
//! through the domain's checks; nothing here draws.

use super::app::{Listing, Overlay, Session};
use super::editor::{Edit, LineInput, TextEditor};
use super::key::Key;
use super::keymap::Action;
use crate::assessment::{
    Assessment, Evidence, EvidenceGrade, EvidenceSource, ProfileValue, Response, Ynp,
};
use crate::i18n::{Lang, tr};
use crate::questionnaire::{ProfileKind, Question, QuestionKind, Questionnaire};

#[derive(Debug, Default)]
pub struct HomeState {
    pub items: Vec<Listing>,
    pub selected: usize,
}

#[derive(Debug, Default)]
pub struct ChooseState {
    pub selected: usize,
}

#[derive(Debug, Default)]
pub struct ProfileState {
    /// Index into the profile fields; one past the end is the "start" button.
    pub field: usize,
    pub input: LineInput,
    pub dirty: bool,
}

impl ProfileState {
    pub fn load_field(&mut self, q: &Questionnaire, a: &Assessment) {
        let text = q
            .profile
            .get(self.field)
            .and_then(|f| a.profile_text(&f.id))
            .unwrap_or_default();
        self.input = LineInput::new(&text);
        self.dirty = false;
    }

    /// Typing goes into the field (so letters are text, not commands).
    pub fn editing_text(&self, s: Option<&Session>) -> bool {
        s.and_then(|s| s.questionnaire.profile.get(self.field))
            .is_some_and(|f| f.kind != ProfileKind::Choice)
    }

    /// Stores the typed text or number of the current field; a refused value changes nothing
    /// and says why.
    pub fn commit(
        &mut self,
        q: &Questionnaire,
        a: &mut Assessment,
        now: &str,
        lang: Lang,
    ) -> Result<(), String> {
        let Some(f) = q.profile.get(self.field) else {
            return Ok(());
        };
        let text = self.input.value().trim().to_string();
        if text.is_empty() {
            a.profile.remove(&f.id);
            a.updated_at = now.to_string();
            self.dirty = false;
            return Ok(());
        }
        let value = match f.kind {
            ProfileKind::Number => ProfileValue::Number(
                crate::locale::parse_number(&text, lang).map_err(|e| e.message(lang))?,
            ),
            _ => ProfileValue::Text(text),
        };
        a.set_profile(q, &f.id, value, now)
            .map_err(|e| e.message(lang))?;
        self.dirty = false;
        Ok(())
    }
}

#[derive(Debug, Default)]
pub struct ReviewState {
    pub cursor: usize,
    pub filter: Filter,
}

#[derive(Debug, Default)]
pub struct DashboardState {
    pub cursor: usize,
    /// The question the user came from (Esc goes back there).
    pub from: Option<String>,
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
}

impl Filter {
    pub fn next(self) -> Filter {
        match self {
            Filter::All => Filter::Unanswered,
            Filter::Unanswered => Filter::Marked,
            Filter::Marked => Filter::DontKnow,
            Filter::DontKnow => Filter::NotApplicable,
            Filter::NotApplicable => Filter::All,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Filter::All => tr(lang, "tất cả", "all"),
            Filter::Unanswered => tr(lang, "chưa trả lời", "unanswered"),
            Filter::Marked => tr(lang, "cần xem lại", "marked for review"),
            Filter::DontKnow => tr(lang, "không biết", "don't know"),
            Filter::NotApplicable => tr(lang, "không áp dụng", "not applicable"),
        }
    }

    pub fn keeps(self, a: Option<&crate::assessment::Answer>) -> bool {
        match self {
            Filter::All => true,
            Filter::Unanswered => a.is_none(),
            Filter::Marked => a.is_some_and(|a| a.marked_for_review),
            Filter::DontKnow => a.is_some_and(|a| a.response == Response::DontKnow),
            Filter::NotApplicable => a.is_some_and(|a| a.response == Response::NotApplicable),
        }
    }

    /// The shown questions this filter keeps, in order.
    pub fn apply(self, s: &Session) -> Vec<String> {
        s.visible()
            .into_iter()
            .filter(|id| self.keeps(s.assessment.answers.get(id)))
            .collect()
    }
}

/// Lower case without diacritics, so "ung cuu" finds "ứng cứu" and "dong y" finds "đồng ý".
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The find window: a query over question text, id and help in both languages, and a filter.
#[derive(Debug, Default)]
pub struct SearchState {
    pub input: LineInput,
    pub filter: Filter,
    pub cursor: usize,
}

impl SearchState {
    /// Ids of the shown questions that match, in questionnaire order.
    pub fn results(&self, s: &Session, _lang: Lang) -> Vec<String> {
        let words: Vec<String> = fold(&self.input.value())
            .split_whitespace()
            .map(str::to_string)
            .collect();
        self.filter
            .apply(s)
            .into_iter()
            .filter(|id| {
                let Some(q) = s.questionnaire.question(id) else {
                    return false;
                };
                let hay = fold(&format!(
                    "{} {} {} {} {}",
                    q.id,
                    q.text.vi,
                    q.text.en,
                    q.help.as_ref().map_or("", |h| h.vi.as_str()),
                    q.help.as_ref().map_or("", |h| h.en.as_str()),
                ));
                words.iter().all(|w| hay.contains(w.as_str()))
            })
            .collect()
    }
}

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
        self.number_focus = q.kind == QuestionKind::Number;
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
            _ => {}
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
                                super::app::Confirm::ClearAnswer {
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
                Some(a) => {
                    QuestionOutcome::Overlay(Overlay::Confirm(super::app::Confirm::ClearAnswer {
                        question: self.current.clone(),
                        answer: crate::export::answer_text(&q, &a.response, lang),
                    }))
                }
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
            Action::First => {
                self.current = s.visible().into_iter().next().unwrap_or_default();
                self.sync(s);
                QuestionOutcome::None
            }
            Action::Last => {
                self.current = s.visible().into_iter().last().unwrap_or_default();
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
        _ => 0,
    }
}

/// The evidence form: a Vietnamese official document citation or a link, with its grade.
#[derive(Debug, Clone)]
pub struct EvidenceForm {
    pub is_document: bool,
    pub grade: EvidenceGrade,
    /// doc_type, number, date, issuer, summary, link, note
    pub inputs: Vec<LineInput>,
    pub field: usize,
}

pub enum FormOutcome {
    Continue,
    Cancel,
    Submit,
}

impl EvidenceForm {
    /// Rows: 0 kind, 1 grade, 2..=6 document fields or 2 link, then note; last is "save".
    pub fn rows(&self) -> Vec<usize> {
        let mut r = vec![0, 1];
        if self.is_document {
            r.extend(2..=6);
        } else {
            r.push(7);
        }
        r.push(8);
        r.push(9);
        r
    }

    pub fn from(e: Option<&Evidence>) -> EvidenceForm {
        let mut f = EvidenceForm {
            is_document: true,
            grade: EvidenceGrade::Stated,
            inputs: vec![LineInput::default(); 7],
            field: 0,
        };
        if let Some(e) = e {
            f.grade = e.grade;
            match &e.source {
                EvidenceSource::Document {
                    doc_type,
                    number,
                    date,
                    issuer,
                    summary,
                } => {
                    for (i, v) in [doc_type, number, date, issuer, summary].iter().enumerate() {
                        f.inputs[i] = LineInput::new(v);
                    }
                }
                EvidenceSource::Link { target } => {
                    f.is_document = false;
                    f.inputs[5] = LineInput::new(target);
                }
            }
            f.inputs[6] = LineInput::new(&e.note);
        }
        f
    }

    /// The row the cursor is on.
    pub fn row(&self) -> usize {
        let rows = self.rows();
        rows[self.field.min(rows.len() - 1)]
    }

    pub fn handle(&mut self, action: &Action) -> FormOutcome {
        let rows = self.rows();
        let choice_row = matches!(self.row(), 0 | 1);
        let cycle = |f: &mut EvidenceForm, back: bool| match f.row() {
            0 => f.is_document = !f.is_document,
            1 => {
                let all = [
                    EvidenceGrade::Stated,
                    EvidenceGrade::DocumentSeen,
                    EvidenceGrade::Verified,
                ];
                let i = all.iter().position(|g| *g == f.grade).unwrap_or(0);
                f.grade = all[if back { (i + 2) % 3 } else { (i + 1) % 3 }];
            }
            _ => {}
        };
        match action {
            Action::Back => return FormOutcome::Cancel,
            Action::Up => self.field = self.field.saturating_sub(1),
            Action::Down => self.field = (self.field + 1).min(rows.len() - 1),
            Action::Submit if self.row() == 9 => return FormOutcome::Submit,
            Action::Submit => self.field = (self.field + 1).min(rows.len() - 1),
            Action::ChoiceNext => cycle(self, false),
            Action::ChoicePrev => cycle(self, true),
            Action::Edit(Key::Left) if choice_row => cycle(self, true),
            Action::Edit(Key::Right | Key::Char(' ')) if choice_row => cycle(self, false),
            Action::Edit(k) => {
                if let Some(i) = self.input_index() {
                    let _: Edit = self.inputs[i].handle(*k);
                }
            }
            Action::Paste(t) => {
                if let Some(i) = self.input_index() {
                    self.inputs[i].paste(t);
                }
            }
            _ => {}
        }
        FormOutcome::Continue
    }

    /// The text input under the cursor (the link shares the slot of "summary").
    fn input_index(&self) -> Option<usize> {
        match self.row() {
            r @ 2..=6 => Some(r - 2),
            7 => Some(5),
            8 => Some(6),
            _ => None,
        }
    }

    /// The evidence to store (`None`: all fields empty, remove it), or what is missing.
    pub fn build(&self, lang: Lang) -> Result<Option<Evidence>, String> {
        let v: Vec<String> = self
            .inputs
            .iter()
            .map(|i| i.value().trim().to_string())
            .collect();
        let note = v[6].clone();
        if self.is_document {
            if v[..5].iter().all(String::is_empty) && note.is_empty() {
                return Ok(None);
            }
            let date = normalise_date(&v[2]).ok_or_else(|| {
                format!(
                    "\"{}\": {}",
                    v[2],
                    tr(
                        lang,
                        "ngày ban hành phải có dạng dd/mm/yyyy hoặc yyyy-mm-dd",
                        "the date must be dd/mm/yyyy or yyyy-mm-dd"
                    )
                )
            })?;
            if v[0].is_empty() || v[1].is_empty() {
                return Err(tr(
                    lang,
                    "Cần ghi loại văn bản và số hiệu",
                    "The document type and number are required",
                )
                .into());
            }
            Ok(Some(Evidence {
                grade: self.grade,
                source: EvidenceSource::Document {
                    doc_type: v[0].clone(),
                    number: v[1].clone(),
                    date,
                    issuer: v[3].clone(),
                    summary: v[4].clone(),
                },
                note,
            }))
        } else {
            if v[5].is_empty() && note.is_empty() {
                return Ok(None);
            }
            if v[5].is_empty() {
                return Err(tr(
                    lang,
                    "Cần ghi đường dẫn hoặc đường dẫn tệp",
                    "A link or file path is required",
                )
                .into());
            }
            Ok(Some(Evidence {
                grade: self.grade,
                source: EvidenceSource::Link {
                    target: v[5].clone(),
                },
                note,
            }))
        }
    }
}

/// `dd/mm/yyyy`, `d/m/yyyy` or `yyyy-mm-dd` → `yyyy-mm-dd`, checking the date exists.
pub fn normalise_date(s: &str) -> Option<String> {
    let (y, m, d) = if let Some((a, rest)) = s.split_once('/') {
        let (b, c) = rest.split_once('/')?;
        (
            c.parse::<i32>().ok()?,
            b.parse::<u8>().ok()?,
            a.parse::<u8>().ok()?,
        )
    } else {
        let mut it = s.split('-');
        (
            it.next()?.parse().ok()?,
            it.next()?.parse().ok()?,
            it.next()?.parse().ok()?,
        )
    };
    let month = time::Month::try_from(m).ok()?;
    let date = time::Date::from_calendar_date(y, month, d).ok()?;
    Some(format!("{:04}-{:02}-{:02}", date.year(), m, date.day()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_vietnamese_order() {
        assert_eq!(normalise_date("03/06/2020").as_deref(), Some("2020-06-03"));
        assert_eq!(normalise_date("2020-06-03").as_deref(), Some("2020-06-03"));
        assert_eq!(normalise_date("31/02/2024"), None);
        assert_eq!(normalise_date("hôm qua"), None);
    }

    #[test]
    fn search_ignores_case_and_diacritics() {
        assert_eq!(fold("Ứng cứu sự cố"), "ung cuu su co");
        assert_eq!(fold("ĐỒNG Ý"), "dong y");
    }
}
