//! State of each screen and how its keys change it. The question screen turns keys into answers
//! through the domain's checks; nothing here draws.

use super::app::{Listing, Overlay, Session};
use super::editor::{Edit, LineInput, TextEditor};
use super::key::Key;
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

    /// Stores the typed text or number of the current field.
    pub fn commit(
        &mut self,
        q: &Questionnaire,
        a: &mut Assessment,
        now: &str,
    ) -> Result<(), crate::assessment::AnswerError> {
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
                parse_number(&text).ok_or(crate::assessment::AnswerError::NotFinite(f64::NAN))?,
            ),
            _ => ProfileValue::Text(text),
        };
        a.set_profile(q, &f.id, value, now)?;
        self.dirty = false;
        Ok(())
    }
}

/// Numbers as Vietnamese users type them: "12,5" or "12.5", "1.000" is not guessed at.
pub fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim().trim_end_matches('%').trim().replace(',', ".");
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[derive(Debug, Default)]
pub struct ReviewState {
    pub cursor: usize,
}

#[derive(Debug, Default)]
pub struct DashboardState {
    pub cursor: usize,
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

    /// Puts the cursor and inputs on the stored answer.
    fn sync(&mut self, s: &Session) {
        self.editor = None;
        self.number = LineInput::default();
        self.cursor = 0;
        let Some(q) = s.questionnaire.question(&self.current) else {
            return;
        };
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
            _ => {}
        }
        if q.kind == QuestionKind::Scale && !s.assessment.answers.contains_key(&self.current) {
            self.cursor = 0;
        }
    }

    /// Letters typed are text, not commands, only while the free-text editor is open (number
    /// input takes digits only, so letters stay commands there).
    pub fn is_typing(&self, _s: Option<&Session>) -> bool {
        self.editor.is_some()
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

    pub fn handle_key(
        &mut self,
        key: Key,
        s: &mut Session,
        now: &str,
        lang: Lang,
    ) -> QuestionOutcome {
        let Some(q) = s.questionnaire.question(&self.current).cloned() else {
            return match key {
                Key::Esc => QuestionOutcome::Home,
                _ => QuestionOutcome::None,
            };
        };
        // Free-text editing: Esc stores and leaves.
        if let Some(ed) = &mut self.editor {
            if key == Key::Esc {
                let text = ed.value();
                self.editor = None;
                if text.is_empty() {
                    if s.assessment.answers.remove(&self.current).is_some() {
                        s.assessment.updated_at = now.to_string();
                        return QuestionOutcome::Changed;
                    }
                    return QuestionOutcome::None;
                }
                return self.set(s, Response::Text { text }, now, lang);
            }
            ed.handle(key);
            return QuestionOutcome::None;
        }
        // A number being typed.
        if q.kind == QuestionKind::Number {
            match key {
                Key::Char(c) if c.is_ascii_digit() || matches!(c, '.' | ',' | '-') => {
                    self.number.handle(key);
                    return QuestionOutcome::None;
                }
                Key::Backspace | Key::Delete if !self.number.text.is_empty() => {
                    self.number.handle(key);
                    return QuestionOutcome::None;
                }
                Key::Enter => {
                    if self.number.text.trim().is_empty() {
                        return self.go(s, 1);
                    }
                    return match parse_number(&self.number.value()) {
                        Some(v) => {
                            let out = self.set(s, Response::Number { value: v }, now, lang);
                            if matches!(out, QuestionOutcome::Changed) {
                                self.number = LineInput::new(&crate::assessment::format_number(v));
                            }
                            out
                        }
                        None => QuestionOutcome::Refused(format!(
                            "\"{}\" {}",
                            self.number.value(),
                            tr(lang, "không phải là số", "is not a number")
                        )),
                    };
                }
                Key::Esc if !self.number.text.is_empty() => {
                    self.sync(s);
                    return QuestionOutcome::None;
                }
                _ => {}
            }
        }
        let options = option_count(&q);
        match key {
            Key::Right | Key::PageDown | Key::Tab => self.go(s, 1),
            Key::Left | Key::PageUp | Key::BackTab => self.go(s, -1),
            Key::Up | Key::Char('k') if options > 0 => {
                self.cursor = self.cursor.saturating_sub(1);
                QuestionOutcome::None
            }
            Key::Down | Key::Char('j') if options > 0 => {
                self.cursor = (self.cursor + 1).min(options - 1);
                QuestionOutcome::None
            }
            Key::Enter | Key::Char(' ') => match q.kind {
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
                QuestionKind::Number => QuestionOutcome::None,
            },
            Key::Char(c @ '0'..='4') if q.kind == QuestionKind::Scale => {
                self.cursor = c as usize - '0' as usize;
                self.set(
                    s,
                    Response::Scale {
                        level: self.cursor as u8,
                    },
                    now,
                    lang,
                )
            }
            Key::Char(c @ '1'..='9') if q.kind == QuestionKind::Checklist => {
                let i = c as usize - '1' as usize;
                if i < q.options.len() {
                    self.cursor = i;
                    self.toggle(s, &q, i, now, lang)
                } else {
                    QuestionOutcome::None
                }
            }
            Key::Char(c @ ('y' | 'p' | 'n' | 'c' | 'm')) if q.kind == QuestionKind::Ynp => {
                // y/p/n, and Vietnamese c(ó) / m(ột phần) / n(…không) mnemonics; k is "don't know".
                let (i, choice) = match c {
                    'y' | 'c' => (0, Ynp::Yes),
                    'p' | 'm' => (1, Ynp::Partly),
                    _ => (2, Ynp::No),
                };
                self.cursor = i;
                self.set(s, Response::Ynp { choice }, now, lang)
            }
            Key::Char('a') => self.set(s, Response::NotApplicable, now, lang),
            Key::Char('?') => QuestionOutcome::Overlay(Overlay::Help),
            Key::Char('b') => self.set(s, Response::DontKnow, now, lang),
            Key::Char('x') => {
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
            Key::Char('g') => {
                let current = s
                    .assessment
                    .answers
                    .get(&self.current)
                    .map(|a| a.comment.clone())
                    .unwrap_or_default();
                QuestionOutcome::Overlay(Overlay::Comment(TextEditor::new(&current)))
            }
            Key::Char('e') => {
                let existing = s
                    .assessment
                    .answers
                    .get(&self.current)
                    .and_then(|a| a.evidence.first());
                QuestionOutcome::Overlay(Overlay::Evidence(EvidenceForm::from(existing)))
            }
            Key::Char('f') => match s.assessment.answers.get_mut(&self.current) {
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
            Key::Delete | Key::Backspace => {
                if s.assessment.answers.remove(&self.current).is_some() {
                    s.assessment.updated_at = now.to_string();
                    self.sync(s);
                    QuestionOutcome::Changed
                } else {
                    QuestionOutcome::None
                }
            }
            Key::Char('u') => {
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
            Key::Char('v') => {
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
            Key::Char('s') => {
                let cursor = s
                    .questionnaire
                    .sections
                    .iter()
                    .position(|sec| sec.questions.iter().any(|x| x.id == self.current))
                    .unwrap_or(0);
                QuestionOutcome::Overlay(Overlay::Sections { cursor })
            }
            Key::Home => {
                let first = s.visible().into_iter().next().unwrap_or_default();
                self.current = first;
                self.sync(s);
                QuestionOutcome::None
            }
            Key::Char('r') => QuestionOutcome::Review,
            Key::Char('d') => QuestionOutcome::Dashboard,
            Key::Char('h') => QuestionOutcome::Profile,
            Key::Esc | Key::Char('q') => QuestionOutcome::Home,
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

    pub fn handle(&mut self, key: Key) -> FormOutcome {
        let rows = self.rows();
        match key {
            Key::Esc => return FormOutcome::Cancel,
            Key::Up | Key::BackTab => self.field = self.field.saturating_sub(1),
            Key::Down | Key::Tab => self.field = (self.field + 1).min(rows.len() - 1),
            Key::Enter if self.row() == 9 => return FormOutcome::Submit,
            Key::Enter => self.field = (self.field + 1).min(rows.len() - 1),
            Key::Left | Key::Right | Key::Char(' ') if self.row() == 0 => {
                self.is_document = !self.is_document
            }
            Key::Left | Key::Right | Key::Char(' ') if self.row() == 1 => {
                let all = [
                    EvidenceGrade::Stated,
                    EvidenceGrade::DocumentSeen,
                    EvidenceGrade::Verified,
                ];
                let i = all.iter().position(|g| *g == self.grade).unwrap_or(0);
                self.grade = all[if key == Key::Left {
                    (i + 2) % 3
                } else {
                    (i + 1) % 3
                }];
            }
            k => {
                let r = self.row();
                let idx = match r {
                    2..=6 => Some(r - 2),
                    7 => Some(5),
                    8 => Some(6),
                    _ => None,
                };
                if let Some(i) = idx {
                    // The link shares the slot of "summary" only when not a document.
                    let i = if r == 7 { 5 } else { i };
                    let _: Edit = self.inputs[i].handle(k);
                }
            }
        }
        FormOutcome::Continue
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
    fn numbers_with_a_decimal_comma() {
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number(" 80 % "), Some(80.0));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("inf"), None);
    }
}
