//! The plain runner: the third runner beside the local terminal and the SSH channel. It reads
//! typed lines, turns each into the wizard's own `Action`s (the same `update` and effects, the
//! same store and locks), and prints what changed as plain lines (`print`).
//!
//! Each line is handled where the wizard stands: a question, a profile field, the results, a
//! confirmation, the evidence form, the list of sections, the home list. A line that means
//! nothing there gets one line saying what was expected, and the question again; nothing is
//! changed. End of input saves (every change is saved as it is made) and leaves cleanly.

use super::print;
use super::words::{Word, is_end_of_text, parse_numbers, parse_word};
use crate::assessment::{EvidenceGrade, Response};
use crate::i18n::{Lang, tr};
use crate::questionnaire::{ProfileKind, QuestionKind};
use crate::tui::app::{App, Effect, Msg};
use crate::tui::editor::TextEditor;
use crate::tui::key::Key;
use crate::tui::keymap::Action;
use crate::tui::model::{Overlay, Screen, Status};
use crate::tui::screens::question::QuestionState;
use std::io::Write;

/// Where lines come from: standard input, an SSH channel, a test.
pub trait LineSource {
    /// The next line without its line end; `None` at the end of input.
    fn read_line(&mut self) -> Option<String>;
}

/// Lines of a reader (standard input, a file), each at most `MAX_LINE` bytes (the rest of a
/// longer line is dropped), invalid UTF-8 replaced.
pub struct ReaderLines<R: std::io::BufRead>(pub R);

/// The longest line kept (bytes); longer input is cut here.
pub const MAX_LINE: u64 = 64 * 1024;

impl<R: std::io::BufRead> LineSource for ReaderLines<R> {
    fn read_line(&mut self) -> Option<String> {
        use std::io::{BufRead, Read};
        let mut buf = Vec::new();
        let n = (&mut self.0)
            .take(MAX_LINE)
            .read_until(b'\n', &mut buf)
            .ok()?;
        if n == 0 {
            return None;
        }
        if !buf.ends_with(b"\n") && n as u64 == MAX_LINE {
            // Drop the rest of an over-long line.
            let mut skip = Vec::new();
            let _ = self.0.read_until(b'\n', &mut skip);
        }
        Some(clean_line(&String::from_utf8_lossy(&buf)))
    }
}

/// A typed line without its line end and without control characters (tabs become spaces).
pub fn clean_line(s: &str) -> String {
    s.trim_end_matches(['\n', '\r'])
        .chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Where the plain session starts.
#[derive(Debug, Clone, PartialEq)]
pub enum Start {
    /// The list of assessments (or, for a workshop participant, their own file).
    Home,
    /// A new assessment of this questionnaire.
    New(String),
    /// This assessment file.
    Open(std::path::PathBuf),
}

/// How the session ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Ended {
    /// Quit, or end of input, with every answer saved.
    Saved,
    /// The last save failed: this is why (the answers since are not on disk).
    NotSaved(String),
}

/// The plain session over one `App`.
pub struct Plain<'a> {
    pub app: &'a mut App,
    out: &'a mut dyn Write,
    /// End the prompt with a line break (for output read as a file); else the answer is typed
    /// on the prompt's line.
    prompt_newline: bool,
    /// What was last printed in full (a question, a field, the results, an overlay, …).
    shown: Option<String>,
    /// The last screen (not overlay) printed in full.
    base_shown: Option<String>,
    /// The one-time hint that `help` lists the commands was given.
    hinted: bool,
    /// The section of the question last printed (said again only when it changes).
    section: Option<usize>,
    /// The assessment file last said to be open.
    file: Option<std::path::PathBuf>,
}

/// Runs a plain session until quit or end of input.
pub fn run(
    app: &mut App,
    start: Start,
    input: &mut dyn LineSource,
    out: &mut dyn Write,
    prompt_newline: bool,
) -> std::io::Result<Ended> {
    let mut p = Plain {
        app,
        out,
        prompt_newline,
        shown: None,
        base_shown: None,
        hinted: false,
        section: None,
        file: None,
    };
    p.start(start)?;
    loop {
        p.show()?;
        if p.app.quit {
            break;
        }
        match input.read_line() {
            Some(line) => p.handle(&line, input)?,
            None => {
                p.leave(true)?;
                break;
            }
        }
    }
    Ok(match &p.app.unsaved {
        Some(reason) => Ended::NotSaved(reason.clone()),
        None => Ended::Saved,
    })
}

impl Plain<'_> {
    fn lang(&self) -> Lang {
        self.app.lang()
    }

    /// Prints `text` as lines: control characters (an escape typed into a comment, a tab in
    /// a questionnaire) never reach the output.
    fn say(&mut self, text: &str) -> std::io::Result<()> {
        let mut clean = String::with_capacity(text.len() + 1);
        for c in text.chars() {
            match c {
                '\n' => clean.push('\n'),
                '\t' => clean.push(' '),
                c if c.is_control() => {}
                c => clean.push(c),
            }
        }
        if !clean.ends_with('\n') {
            clean.push('\n');
        }
        self.out.write_all(clean.as_bytes())?;
        self.out.flush()
    }

    fn act(&mut self, action: Action) {
        self.app.act(action);
    }

    fn perform(&mut self, effect: Effect) {
        if let Some(m) = self.app.perform(effect) {
            self.app.dispatch(m);
        }
    }

    fn start(&mut self, start: Start) -> std::io::Result<()> {
        let lang = self.lang();
        self.app.dispatch(Msg::Resize(200, 60));
        for e in self.app.init() {
            self.perform(e);
        }
        match start {
            Start::Home => {}
            Start::New(id) if self.app.catalog.find(&id, None).is_none() => {
                let ids: Vec<String> = self
                    .app
                    .catalog
                    .entries
                    .iter()
                    .map(|e| e.questionnaire.id.clone())
                    .collect();
                self.say(&format!(
                    "{} “{id}”; {}: {}.",
                    tr(lang, "Không có bộ câu hỏi", "There is no questionnaire"),
                    tr(lang, "hãy dùng một trong", "use one of"),
                    ids.join(", ")
                ))?;
            }
            Start::New(id) => self.perform(Effect::Create(id)),
            Start::Open(path) => self.perform(Effect::Open(path)),
        }
        Ok(())
    }

    /// What the user is at now, as a key: when it changes, it is printed in full (an overlay's
    /// key starts with `~`; closing it back to the place printed before prints nothing).
    fn place(&self) -> String {
        if let Some(o) = &self.app.overlay {
            return match o {
                Overlay::Confirm(_) => "~confirm".into(),
                Overlay::Evidence(f) => format!("~evidence:{}", f.row()),
                Overlay::Sections { .. } => "~sections".into(),
                _ => "~overlay".into(),
            };
        }
        match &self.app.screen {
            Screen::Home(_) => "home".into(),
            Screen::Choose(_) => "choose".into(),
            Screen::Profile(p) => format!("profile:{}", p.field),
            Screen::Question(q) => format!("question:{}", q.current),
            Screen::Review(_) => "review".into(),
            Screen::Dashboard(_) => "results".into(),
        }
    }

    /// Prints the status (what just happened), then what is new on the screen, then the
    /// prompt.
    fn show(&mut self) -> std::io::Result<()> {
        let lang = self.lang();
        // Which file is open, when it changes (a participant hears only its name).
        let path = self.app.session.as_ref().map(|s| s.path.clone());
        if path != self.file {
            if let Some(p) = &path {
                let created = matches!(self.app.status, Some(Status::Saved(_)))
                    && matches!(self.app.screen, Screen::Profile(_));
                if created {
                    self.app.status = None;
                }
                let shown = match &self.app.confined {
                    Some(_) => p.file_name().map(|n| n.to_string_lossy().into_owned()),
                    None => Some(p.display().to_string()),
                }
                .unwrap_or_default();
                let label = if created {
                    tr(lang, "Bản đánh giá mới", "New assessment")
                } else {
                    tr(lang, "Đã mở", "Opened")
                };
                self.say(&format!("{label}: {shown}"))?;
            }
            self.file = path;
        }
        // States a line interface passes through on its own: notices are printed, the profile's
        // "start" row and the evidence form's "save" row are pressed, windows without a plain
        // form are closed.
        for _ in 0..8 {
            self.flush_status()?;
            if self.app.quit {
                return Ok(());
            }
            match &self.app.overlay {
                Some(Overlay::Notice(lines)) => {
                    let text = lines.join("\n");
                    self.say(&text)?;
                    self.act(Action::Back);
                    continue;
                }
                Some(Overlay::Evidence(f)) if f.row() == 9 => {
                    self.act(Action::Submit);
                    if let Some(Overlay::Evidence(_)) = &self.app.overlay {
                        // Refused (the status says why): start the form again, values kept.
                        self.flush_status()?;
                        for _ in 0..12 {
                            self.act(Action::Up);
                        }
                        self.forget_shown();
                    }
                    continue;
                }
                Some(
                    Overlay::Help { .. }
                    | Overlay::Why { .. }
                    | Overlay::Search(_)
                    | Overlay::Sources { .. }
                    | Overlay::Compare { .. }
                    | Overlay::ComparePick { .. }
                    | Overlay::OpenPath(_),
                ) => {
                    self.act(Action::Back);
                    continue;
                }
                _ => {}
            }
            match &self.app.screen {
                Screen::Profile(p)
                    if self.app.overlay.is_none()
                        && self
                            .app
                            .session
                            .as_ref()
                            .is_some_and(|s| p.field == s.questionnaire.profile.len()) =>
                {
                    self.act(Action::Submit);
                    if let (Screen::Profile(_), Some(s)) = (&self.app.screen, &self.app.session) {
                        // A required field is empty (the status names it): go back to it.
                        let missing = s
                            .questionnaire
                            .profile
                            .iter()
                            .position(|f| f.required && !s.assessment.profile.contains_key(&f.id))
                            .unwrap_or(0);
                        self.flush_status()?;
                        while let Screen::Profile(p) = &self.app.screen {
                            if p.field <= missing {
                                break;
                            }
                            self.act(Action::Up);
                        }
                    }
                    continue;
                }
                Screen::Review(_) => {
                    self.act(Action::Back);
                    continue;
                }
                _ => {}
            }
            break;
        }
        let place = self.place();
        if self.shown.as_deref() != Some(&place) {
            let back = self.app.overlay.is_none()
                && self.shown.as_deref().is_some_and(|s| s.starts_with('~'))
                && self.base_shown.as_deref() == Some(&place);
            let text = if back { String::new() } else { self.view() };
            if !text.is_empty() {
                self.say(&text)?;
            }
            if self.app.overlay.is_none() {
                self.base_shown = Some(place.clone());
            }
            if let (Screen::Question(q), Some(s)) = (&self.app.screen, &self.app.session) {
                self.section = Some(crate::tui::screens::question::position(s, &q.current).0);
            }
            self.shown = Some(place);
            if !self.hinted && self.app.session.is_some() {
                self.hinted = true;
                self.say(tr(
                    lang,
                    "(Gõ help để xem các lệnh; dk: không biết, next: bỏ qua, quit: lưu và thoát.)",
                    "(Type help for the commands; dk: don't know, next: skip, quit: save and quit.)",
                ))?;
            }
        }
        let prompt = self.prompt();
        let end = if self.prompt_newline { "\n" } else { " " };
        self.out.write_all(format!("{prompt}:{end}").as_bytes())?;
        self.out.flush()
    }

    /// Prints the current place in full again (`repeat`, a new language).
    fn forget_shown(&mut self) {
        self.shown = None;
        self.base_shown = None;
    }

    /// The status line's message, once.
    fn flush_status(&mut self) -> std::io::Result<()> {
        let lang = self.lang();
        match self.app.status.take() {
            Some(Status::Error(e)) => self.say(&e),
            Some(Status::Info(m)) => self.say(&m),
            Some(Status::Saved(_)) => {
                let line = match (&self.app.screen, &self.app.session) {
                    (Screen::Question(q), Some(s)) => format!(
                        "{} {}. {}",
                        tr(lang, "Đã lưu", "Saved"),
                        q.current,
                        print::answer_line(s, &q.current, lang)
                    ),
                    _ => tr(lang, "Đã lưu.", "Saved.").to_string(),
                };
                self.say(&line)
            }
            None => Ok(()),
        }
    }

    /// The full text of where the user is.
    fn view(&mut self) -> String {
        let lang = self.lang();
        if let Some(o) = &self.app.overlay {
            return match o {
                Overlay::Confirm(c) => print::confirm(c, lang),
                Overlay::Evidence(f) => {
                    if f.row() == 0 {
                        format!(
                            "{}. {}",
                            tr(lang, "Minh chứng", "Evidence"),
                            tr(
                                lang,
                                "back để hủy. Để trống mọi trường để bỏ minh chứng.",
                                "back cancels. Leave every field empty to remove the evidence."
                            )
                        )
                    } else {
                        String::new()
                    }
                }
                Overlay::Sections { .. } => self
                    .app
                    .session
                    .as_ref()
                    .map(|s| print::sections(s, lang))
                    .unwrap_or_default(),
                _ => String::new(),
            };
        }
        match &self.app.screen {
            Screen::Home(_) => print::home(self.app),
            Screen::Choose(_) => print::choose(self.app),
            Screen::Profile(p) => print::profile_field(self.app, p.field),
            Screen::Question(q) => {
                let sec = self
                    .app
                    .session
                    .as_ref()
                    .map(|s| crate::tui::screens::question::position(s, &q.current).0);
                print::question(
                    self.app,
                    &q.current,
                    sec != self.section || self.shown.is_none(),
                )
            }
            Screen::Dashboard(_) => self
                .app
                .session
                .as_ref()
                .map(|s| print::results(s, lang))
                .unwrap_or_default(),
            Screen::Review(_) => String::new(),
        }
    }

    fn prompt(&self) -> String {
        let lang = self.lang();
        if let Some(o) = &self.app.overlay {
            return match o {
                Overlay::Confirm(_) => {
                    tr(lang, "y (đồng ý) hoặc n (không)", "y (yes) or n (no)").to_string()
                }
                Overlay::Evidence(f) => print::evidence_row(f, lang),
                Overlay::Sections { .. } => {
                    tr(lang, "Số của phần, hoặc back", "Section number, or back").to_string()
                }
                _ => tr(lang, "Lệnh", "Command").to_string(),
            };
        }
        match &self.app.screen {
            Screen::Home(h) if h.items.is_empty() => tr(
                lang,
                "new (bản mới), open TỆP, hoặc quit",
                "new, open FILE, or quit",
            )
            .to_string(),
            Screen::Home(_) => tr(
                lang,
                "Số của bản đánh giá để mở, new (bản mới), open TỆP, hoặc quit",
                "Number of the assessment to open, new, open FILE, or quit",
            )
            .to_string(),
            Screen::Choose(_) => tr(
                lang,
                "Số của bộ câu hỏi, hoặc back",
                "Number of the questionnaire, or back",
            )
            .to_string(),
            Screen::Profile(p) => print::profile_prompt(self.app, p.field),
            Screen::Question(q) => print::question_prompt(self.app, &q.current),
            Screen::Dashboard(_) => print::results_prompt(lang, self.app.confined.is_some()),
            Screen::Review(_) => String::new(),
        }
    }

    /// "“abc”: expected …", then the question's number and text again.
    fn expected(&mut self, line: &str, what: &str) -> std::io::Result<()> {
        let lang = self.lang();
        let shown = if line.trim().is_empty() {
            tr(lang, "Dòng trống", "An empty line").to_string()
        } else {
            format!("“{}”", crate::text::truncate(line.trim(), 60))
        };
        self.say(&format!(
            "{shown}: {} {what}. {}",
            tr(lang, "cần", "expected"),
            tr(lang, "Chưa có gì thay đổi.", "Nothing was changed.")
        ))?;
        self.question_again()
    }

    /// The question's number and text, after a refusal.
    fn question_again(&mut self) -> std::io::Result<()> {
        let lang = self.lang();
        if let (Screen::Question(q), Some(s), None) =
            (&self.app.screen, &self.app.session, &self.app.overlay)
            && let Some(question) = s.questionnaire.question(&q.current)
        {
            let (_, _, n, total) = crate::tui::screens::question::position(s, &q.current);
            let text = format!(
                "{} {n}/{total}, {}: {}",
                tr(lang, "Câu", "Question"),
                question.id,
                question.text.get(lang)
            );
            self.say(&text)?;
        }
        Ok(())
    }

    /// Handles one typed line where the user is.
    fn handle(&mut self, line: &str, input: &mut dyn LineSource) -> std::io::Result<()> {
        let word = parse_word(line);
        // Words that mean the same everywhere.
        match &word {
            Some(Word::Help) => return self.say(&print::help(self.lang())),
            Some(Word::Repeat) => {
                self.forget_shown();
                return Ok(());
            }
            Some(Word::Lang(l)) => {
                let want = l.unwrap_or(match self.lang() {
                    Lang::Vi => Lang::En,
                    Lang::En => Lang::Vi,
                });
                if want != self.lang() && self.app.overlay.is_none() {
                    self.act(Action::ToggleLang);
                }
                self.forget_shown();
                return Ok(());
            }
            Some(Word::Quit) => {
                self.leave(false)?;
                return Ok(());
            }
            _ => {}
        }
        if let Some(o) = &self.app.overlay {
            return match o {
                Overlay::Confirm(_) => self.on_confirm(line, word),
                Overlay::Evidence(_) => self.on_evidence(line, word),
                Overlay::Sections { .. } => self.on_sections(line, word),
                _ => {
                    self.act(Action::Back);
                    Ok(())
                }
            };
        }
        match &self.app.screen {
            Screen::Home(_) => self.on_home(line, word),
            Screen::Choose(_) => self.on_choose(line, word),
            Screen::Profile(_) => self.on_profile(line, word),
            Screen::Question(_) => self.on_question(line, word, input),
            Screen::Dashboard(_) => self.on_results(line, word),
            Screen::Review(_) => Ok(()),
        }
    }

    /// Quit: the wizard's own leaving (a failed save is tried again first).
    /// Typed (`quit`), a failed save asks first, as in the wizard; at the end of input there is
    /// nobody to ask.
    fn leave(&mut self, at_end: bool) -> std::io::Result<()> {
        self.act(Action::Quit);
        if !at_end {
            return Ok(());
        }
        if let Some(Overlay::Confirm(c)) = &self.app.overlay {
            let text = print::confirm(c, self.lang());
            self.say(&text)?;
            // Nobody to answer at the end of input: leave, and say it was not saved.
            self.act(Action::ConfirmYes);
        }
        self.flush_status()
    }

    /// Moves a list's cursor to `index` with the wizard's own Up / Down.
    fn select(&mut self, index: usize, len: usize) {
        for _ in 0..len {
            self.act(Action::Up);
        }
        for _ in 0..index {
            self.act(Action::Down);
        }
    }

    fn one_number(line: &str, range: std::ops::RangeInclusive<usize>) -> Option<usize> {
        match parse_numbers(line).as_deref() {
            Some([n]) if range.contains(n) => Some(*n),
            _ => None,
        }
    }

    fn on_home(&mut self, line: &str, word: Option<Word>) -> std::io::Result<()> {
        let lang = self.lang();
        let Screen::Home(h) = &self.app.screen else {
            return Ok(());
        };
        let n = h.items.len();
        match word {
            Some(Word::New) => self.act(Action::New),
            Some(Word::Open(path)) => self.perform(Effect::Open(path.into())),
            _ => match Self::one_number(line, 1..=n) {
                Some(k) => {
                    self.select(k - 1, n);
                    self.act(Action::Choose);
                }
                None => {
                    let what = format!(
                        "{} {}, new, open {}, quit",
                        tr(lang, "một số", "a number"),
                        print::range(1, n, lang),
                        tr(lang, "TỆP", "FILE")
                    );
                    return self.expected(line, &what);
                }
            },
        }
        Ok(())
    }

    fn on_choose(&mut self, line: &str, word: Option<Word>) -> std::io::Result<()> {
        let n = self.app.catalog.entries.len();
        self.pick(line, word, n)
    }

    /// A numbered list (questionnaires, sections): a number picks with the wizard's own
    /// Up / Down / Enter, `back` closes it.
    fn pick(&mut self, line: &str, word: Option<Word>, n: usize) -> std::io::Result<()> {
        let lang = self.lang();
        if word == Some(Word::Back) {
            self.act(Action::Back);
            return Ok(());
        }
        match Self::one_number(line, 1..=n) {
            Some(k) => {
                self.select(k - 1, n);
                self.act(Action::Choose);
                Ok(())
            }
            None => self.expected(
                line,
                &format!(
                    "{} {}, back",
                    tr(lang, "một số", "a number"),
                    print::range(1, n, lang)
                ),
            ),
        }
    }

    fn on_profile(&mut self, line: &str, word: Option<Word>) -> std::io::Result<()> {
        let lang = self.lang();
        let (Screen::Profile(p), Some(s)) = (&self.app.screen, &self.app.session) else {
            return Ok(());
        };
        let q = s.questionnaire.clone();
        let i = p.field;
        let Some(f) = q.profile.get(i) else {
            return Ok(());
        };
        let current = s.assessment.profile_text(&f.id);
        // In a field, only these words are commands; anything else is the value.
        match word {
            Some(Word::Back) => {
                self.act(Action::Up);
                self.forget_shown();
                return Ok(());
            }
            Some(Word::Next) => {
                self.act(Action::Down);
                return Ok(());
            }
            _ => {}
        }
        if line.trim().is_empty() {
            if f.required && current.is_none() {
                return self.expected(line, &print::profile_prompt(self.app, i).to_lowercase());
            }
            self.act(Action::Down);
            return Ok(());
        }
        if f.kind == ProfileKind::Choice {
            let offered: Vec<String> = f
                .offered_options(current.as_deref())
                .iter()
                .map(|o| o.id.clone())
                .collect();
            let Some(k) = Self::one_number(line, 1..=offered.len()) else {
                let what = format!(
                    "{} {}",
                    tr(lang, "một số", "a number"),
                    print::range(1, offered.len(), lang)
                );
                return self.expected(line, &what);
            };
            for _ in 0..=offered.len() {
                let now = self
                    .app
                    .session
                    .as_ref()
                    .and_then(|s| s.assessment.profile_text(&f.id));
                if now.as_deref() == Some(offered[k - 1].as_str()) {
                    break;
                }
                self.act(Action::ChoiceNext);
            }
            self.saved_field(i);
            self.act(Action::Down);
            return Ok(());
        }
        self.act(Action::Edit(Key::End));
        self.act(Action::Edit(Key::Ctrl('u')));
        self.act(Action::Paste(line.trim().to_string()));
        self.act(Action::Submit);
        self.saved_field(i);
        if let Screen::Profile(p) = &mut self.app.screen
            && p.field == i
        {
            // Refused (the status says why): the field shows its saved value again.
            if let Some(s) = &self.app.session {
                p.load_field(&s.questionnaire, &s.assessment);
            }
        }
        Ok(())
    }

    /// "Saved: Type of organisation: Province", instead of a bare "Saved".
    fn saved_field(&mut self, i: usize) {
        let lang = self.lang();
        if let (Some(Status::Saved(_)), Some(s)) = (&self.app.status, &self.app.session)
            && let Some(f) = s.questionnaire.profile.get(i)
        {
            let value = print::profile_value(s, i, lang).unwrap_or_default();
            self.app.status = Some(Status::Info(format!(
                "{}: {}: {value}",
                tr(lang, "Đã lưu", "Saved"),
                f.label.get(lang)
            )));
        }
    }

    fn on_confirm(&mut self, line: &str, word: Option<Word>) -> std::io::Result<()> {
        match word {
            Some(Word::Yes) => self.act(Action::ConfirmYes),
            Some(Word::No | Word::Back) => self.act(Action::ConfirmNo),
            _ => {
                let what = tr(self.lang(), "y hoặc n", "y or n").to_string();
                return self.expected(line, &what);
            }
        }
        Ok(())
    }

    fn on_sections(&mut self, line: &str, word: Option<Word>) -> std::io::Result<()> {
        let n = self
            .app
            .session
            .as_ref()
            .map_or(0, |s| s.questionnaire.sections.len());
        self.pick(line, word, n)
    }

    fn on_evidence(&mut self, line: &str, word: Option<Word>) -> std::io::Result<()> {
        let lang = self.lang();
        let Some(Overlay::Evidence(form)) = &self.app.overlay else {
            return Ok(());
        };
        if word == Some(Word::Back) {
            self.act(Action::Back);
            self.say(tr(lang, "Đã hủy minh chứng.", "Evidence cancelled."))?;
            return Ok(());
        }
        let row = form.row();
        let text = line.trim();
        match row {
            0 | 1 if text.is_empty() => self.act(Action::Submit),
            0 => {
                let Some(k) = Self::one_number(line, 1..=2) else {
                    return self.expected(line, "1, 2");
                };
                if form.is_document != (k == 1) {
                    self.act(Action::ChoiceNext);
                }
                self.act(Action::Submit);
            }
            1 => {
                let Some(k) = Self::one_number(line, 1..=3) else {
                    return self.expected(line, "1, 2, 3");
                };
                let want = [
                    EvidenceGrade::Stated,
                    EvidenceGrade::DocumentSeen,
                    EvidenceGrade::Verified,
                ][k - 1];
                for _ in 0..3 {
                    match &self.app.overlay {
                        Some(Overlay::Evidence(f)) if f.grade != want => {
                            self.act(Action::ChoiceNext)
                        }
                        _ => break,
                    }
                }
                self.act(Action::Submit);
            }
            // The date is checked as it is typed, with the wizard's own reading of dates.
            4 if !text.is_empty()
                && text != "-"
                && crate::tui::overlays::evidence::normalise_date(text).is_none() =>
            {
                return self.expected(line, tr(lang, "một ngày dd/mm/yyyy", "a date dd/mm/yyyy"));
            }
            _ => {
                if !text.is_empty() {
                    self.act(Action::Edit(Key::End));
                    self.act(Action::Edit(Key::Ctrl('u')));
                    if text != "-" {
                        self.act(Action::Paste(text.to_string()));
                    }
                }
                self.act(Action::Submit);
            }
        }
        Ok(())
    }

    fn on_results(&mut self, line: &str, word: Option<Word>) -> std::io::Result<()> {
        let lang = self.lang();
        match word {
            Some(Word::Back) => self.act(Action::Back),
            Some(Word::Why(d)) => return self.why(d),
            Some(Word::Review) => return self.review(),
            Some(Word::Report) => self.act(Action::Report),
            Some(Word::Go(to)) => return self.go(&to),
            Some(Word::Sections) => {
                self.act(Action::Back);
                self.act(Action::Sections);
            }
            Some(Word::Profile) => {
                self.act(Action::Back);
                self.act(Action::Profile);
            }
            Some(Word::Results) => self.forget_shown(),
            _ => {
                let what = print::results_prompt(lang, self.app.confined.is_some());
                return self.expected(line, &what);
            }
        }
        Ok(())
    }

    fn why(&mut self, dimension: Option<String>) -> std::io::Result<()> {
        let lang = self.lang();
        let Some(s) = &self.app.session else {
            return Ok(());
        };
        match print::why(s, dimension.as_deref(), lang) {
            Ok(text) | Err(text) => self.say(&text),
        }
    }

    fn review(&mut self) -> std::io::Result<()> {
        let lang = self.lang();
        let Some(s) = &self.app.session else {
            return Ok(());
        };
        let text = print::review(s, lang);
        self.say(&text)
    }

    /// `go ws.5` (an id) or `go 5` (the question's number).
    fn go(&mut self, to: &str) -> std::io::Result<()> {
        let lang = self.lang();
        let Some(s) = &self.app.session else {
            return Ok(());
        };
        let visible = s.visible();
        let to = to.trim();
        let id = match to.parse::<usize>() {
            Ok(n) if (1..=visible.len()).contains(&n) => Some(visible[n - 1].clone()),
            _ => visible.iter().find(|v| v.eq_ignore_ascii_case(to)).cloned(),
        };
        match id {
            Some(id) => {
                self.app.overlay = None;
                self.app.status = None;
                self.app.screen = Screen::Question(QuestionState::at(s, &id));
                Ok(())
            }
            None => {
                let hidden = s.questionnaire.question(to).is_some()
                    || s.questionnaire
                        .questions()
                        .any(|(_, q)| q.id.eq_ignore_ascii_case(to));
                let msg = if hidden {
                    format!(
                        "{to}: {}",
                        tr(
                            lang,
                            "câu này đang ẩn theo hồ sơ hoặc câu trả lời khác",
                            "this question is hidden by the profile or another answer"
                        )
                    )
                } else {
                    format!(
                        "{to}: {} {} {}",
                        tr(
                            lang,
                            "không có câu này; dùng số",
                            "no such question; use a number"
                        ),
                        print::range(1, visible.len(), lang),
                        tr(lang, "hoặc mã như", "or an id such as"),
                    ) + visible.first().map(String::as_str).unwrap_or("")
                };
                self.say(&msg)
            }
        }
    }

    /// Reads lines up to a lone `.` (or the end of input); `first` starts the text.
    fn collect_text(
        &mut self,
        first: Option<&str>,
        input: &mut dyn LineSource,
    ) -> std::io::Result<String> {
        let mut lines: Vec<String> = first.map(str::to_string).into_iter().collect();
        if first.is_none() {
            let intro = print::editor_intro(self.app);
            self.say(&intro)?;
        }
        let mut bytes: usize = lines.iter().map(String::len).sum();
        while let Some(l) = input.read_line() {
            if is_end_of_text(&l) {
                break;
            }
            bytes += l.len() + 1;
            if bytes <= crate::tui::editor::MAX_TEXT {
                lines.push(l);
            }
        }
        Ok(lines.join("\n"))
    }

    /// Puts `text` into the open editor (comment, justification or text answer) and submits it.
    fn submit_text(&mut self, text: String) {
        match &mut self.app.overlay {
            Some(Overlay::Comment(ed) | Overlay::Alternate(ed)) => *ed = TextEditor::default(),
            _ => {
                if let Screen::Question(q) = &mut self.app.screen
                    && q.editor.is_some()
                {
                    q.editor = Some(TextEditor::default());
                }
            }
        }
        if !text.is_empty() {
            self.act(Action::Paste(text));
        }
        self.act(Action::Submit);
    }

    /// After an answer: on to the next question when it was saved; when it was refused (the
    /// status says why), the question again.
    fn answered(&mut self) -> std::io::Result<()> {
        if self.refused()? {
            return Ok(());
        }
        if matches!(self.app.status, Some(Status::Saved(_))) && self.app.overlay.is_none() {
            // Print the acknowledgement here, before moving (the next question is printed
            // after it).
            self.flush_status()?;
            self.act(Action::NextQuestion);
        }
        Ok(())
    }

    fn on_question(
        &mut self,
        line: &str,
        word: Option<Word>,
        input: &mut dyn LineSource,
    ) -> std::io::Result<()> {
        let lang = self.lang();
        let (Screen::Question(qs), Some(s)) = (&self.app.screen, &self.app.session) else {
            return Ok(());
        };
        let id = qs.current.clone();
        let Some(q) = s.questionnaire.question(&id).cloned() else {
            if word == Some(Word::Back) {
                self.act(Action::Leave);
            }
            return Ok(());
        };
        let answered = s.assessment.answers.contains_key(&id);
        match word {
            Some(Word::NotApplicable) => {
                self.act(Action::NotApplicable);
                self.answered()?;
            }
            Some(Word::DontKnow) => {
                self.act(Action::DontKnow);
                self.answered()?;
            }
            Some(Word::Alternate(text)) => {
                self.act(Action::Alternate);
                if let Some(Overlay::Alternate(_)) = &self.app.overlay {
                    let text = if text.is_empty() {
                        self.collect_text(None, input)?
                    } else {
                        text
                    };
                    self.submit_text(text);
                }
                // Saved: on to the next question; refused (not allowed here): the question again.
                self.answered()?;
            }
            Some(Word::Comment(text)) => {
                if !answered {
                    self.say(tr(
                        lang,
                        "Hãy trả lời câu hỏi trước khi ghi chú",
                        "Answer the question before adding a comment",
                    ))?;
                    return Ok(());
                }
                self.act(Action::Comment);
                let text = if text.is_empty() {
                    self.collect_text(None, input)?
                } else {
                    text
                };
                self.submit_text(text);
            }
            Some(Word::Evidence) => {
                if !answered {
                    self.say(tr(
                        lang,
                        "Hãy trả lời câu hỏi trước khi thêm minh chứng",
                        "Answer the question before adding evidence",
                    ))?;
                    return Ok(());
                }
                self.act(Action::Evidence);
            }
            Some(Word::Mark) => {
                self.act(Action::ToggleMark);
                self.refused()?;
            }
            Some(Word::Clear) => {
                self.act(Action::ClearAnswer);
                if self.app.overlay.is_none() {
                    self.say(tr(
                        lang,
                        "Câu này chưa có câu trả lời.",
                        "This question has no answer.",
                    ))?;
                }
            }
            Some(Word::Back) => {
                self.act(Action::PrevQuestion);
            }
            Some(Word::Next) => {
                self.act(Action::NextQuestion);
            }
            Some(Word::Go(to)) => return self.go(&to),
            Some(Word::Sections) => {
                self.act(Action::Sections);
            }
            Some(Word::Results) => {
                self.act(Action::Results);
            }
            Some(Word::Review) => return self.review(),
            Some(Word::Why(d)) => return self.why(d),
            Some(Word::Profile) => {
                self.act(Action::Profile);
            }
            Some(Word::Unanswered) => {
                self.act(Action::NextUnanswered);
            }
            Some(Word::Write(first)) if q.kind == QuestionKind::Text => {
                let first = (!first.is_empty()).then_some(first);
                self.text_answer(first.as_deref(), input)?;
            }
            Some(Word::Yes | Word::Partly | Word::No) if q.kind == QuestionKind::Ynp => {
                self.act(match word {
                    Some(Word::Yes) => Action::Yes,
                    Some(Word::Partly) => Action::Partly,
                    _ => Action::No,
                });
                self.answered()?;
            }
            // Anything else is the answer itself.
            _ => match q.kind {
                QuestionKind::Text if !line.trim().is_empty() => {
                    self.text_answer(Some(line), input)?;
                }
                QuestionKind::Number if !line.trim().is_empty() => {
                    self.act(Action::Choose);
                    self.act(Action::Edit(Key::End));
                    self.act(Action::Edit(Key::Ctrl('u')));
                    self.act(Action::Paste(line.trim().to_string()));
                    self.act(Action::Submit);
                    if matches!(self.app.status, Some(Status::Error(_))) {
                        // Refused: the typed text is dropped, the saved answer stays.
                        self.flush_status()?;
                        self.act(Action::Back);
                        self.question_again()?;
                    } else {
                        self.answered()?;
                    }
                }
                QuestionKind::Scale => {
                    let top = q.levels.len().saturating_sub(1);
                    match Self::one_number(line, 0..=top) {
                        Some(l) => {
                            self.act(Action::Level(l as u8));
                            self.answered()?;
                        }
                        None => {
                            let what = format!(
                                "{} {} {}",
                                tr(lang, "một mức", "one level"),
                                print::range(0, top, lang),
                                tr(lang, "hoặc một lệnh (help)", "or a command (help)")
                            );
                            return self.expected(line, &what);
                        }
                    }
                }
                QuestionKind::Ynp => match Self::one_number(line, 1..=3) {
                    Some(k) => {
                        self.act([Action::Yes, Action::Partly, Action::No][k - 1].clone());
                        self.answered()?;
                    }
                    None => {
                        let what = tr(
                            lang,
                            "y (có), p (một phần), n (không) hoặc một lệnh (help)",
                            "y (yes), p (partly), n (no) or a command (help)",
                        );
                        return self.expected(line, what);
                    }
                },
                QuestionKind::Checklist => return self.checklist(line, &q),
                QuestionKind::Text | QuestionKind::Number => {
                    let what = format!(
                        "{} {}",
                        print::question_prompt(self.app, &id).to_lowercase(),
                        tr(lang, "hoặc một lệnh (help)", "or a command (help)")
                    );
                    return self.expected(line, &what);
                }
            },
        }
        Ok(())
    }

    /// When the wizard refused the last action (the status says why, not a failed save): that
    /// reason, then the question again.
    fn refused(&mut self) -> std::io::Result<bool> {
        if matches!(self.app.status, Some(Status::Error(_))) && self.app.unsaved.is_none() {
            self.flush_status()?;
            self.question_again()?;
            return Ok(true);
        }
        Ok(false)
    }

    fn text_answer(
        &mut self,
        first: Option<&str>,
        input: &mut dyn LineSource,
    ) -> std::io::Result<()> {
        let text = self.collect_text(first, input)?;
        self.act(Action::Choose);
        self.submit_text(text);
        self.answered()?;
        Ok(())
    }

    /// `1 3 4`: exactly these options ticked, by the wizard's own toggles.
    fn checklist(&mut self, line: &str, q: &crate::questionnaire::Question) -> std::io::Result<()> {
        let lang = self.lang();
        let n = q.options.len();
        let what = format!(
            "{} {}, {}",
            tr(lang, "các số", "numbers"),
            print::range(1, n, lang),
            tr(
                lang,
                "ví dụ 1 3 4, hoặc một lệnh (help)",
                "e.g. 1 3 4, or a command (help)"
            )
        );
        let Some(mut want) = parse_numbers(line).filter(|v| v.iter().all(|k| (1..=n).contains(k)))
        else {
            return self.expected(line, &what);
        };
        want.sort_unstable();
        want.dedup();
        if want.len() > 1
            && let Some(k) = want.iter().find(|k| q.options[**k - 1].exclusive)
        {
            let what = format!(
                "{k} {}",
                tr(
                    lang,
                    "chỉ được chọn riêng; bỏ số đó hoặc các số khác",
                    "is only on its own; leave out it or the others"
                )
            );
            return self.expected(line, &what);
        }
        let ticked: Vec<usize> = match self
            .app
            .session
            .as_ref()
            .and_then(|s| s.assessment.answers.get(&q.id))
            .map(|a| &a.response)
        {
            Some(Response::Checklist { selected }) => q
                .options
                .iter()
                .enumerate()
                .filter(|(_, o)| selected.contains(&o.id))
                .map(|(i, _)| i + 1)
                .collect(),
            _ => vec![],
        };
        let mut toggles: Vec<usize> = ticked
            .iter()
            .filter(|k| !want.contains(k))
            .copied()
            .collect();
        toggles.extend(want.iter().filter(|k| !ticked.contains(k)));
        if toggles.is_empty() {
            // The same ticks again: choosing the saved value is saved and acknowledged.
            toggles = vec![want[0], want[0]];
        }
        for k in toggles {
            self.act(Action::Toggle(k - 1));
            if matches!(self.app.status, Some(Status::Error(_))) {
                break;
            }
        }
        self.answered()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::{EvidenceSource, ProfileValue};
    use crate::tui::Settings;

    struct Lines(std::collections::VecDeque<String>);

    impl LineSource for Lines {
        fn read_line(&mut self) -> Option<String> {
            self.0.pop_front()
        }
    }

    /// Runs `lines` through a plain session on a fresh data folder; the app and the output.
    fn session(start: Start, lang: Lang, lines: &str) -> (App, String, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(dir.path().to_path_buf(), Settings { lang, color: false });
        let mut input = Lines(lines.lines().map(str::to_string).collect());
        let mut out = Vec::new();
        let ended = run(&mut app, start, &mut input, &mut out, true).unwrap();
        assert_eq!(ended, Ended::Saved);
        (app, String::from_utf8(out).unwrap(), dir)
    }

    fn response(app: &App, id: &str) -> Option<Response> {
        let s = app.session.as_ref()?;
        s.assessment.answers.get(id).map(|a| a.response.clone())
    }

    /// An agency (province, leader) with 1.200 staff, on its first question.
    const AGENCY: &str = "Sở Nội vụ\n2\n\n1\n\n\n1\n1.200\n\n";

    #[test]
    fn numbers_are_read_as_the_language_writes_them() {
        let lines = format!("{AGENCY}go ag.f1.9\nkhoảng 70\n72,5\n");
        let (app, out, _d) = session(Start::New("agency".into()), Lang::Vi, &lines);
        let s = app.session.as_ref().unwrap();
        assert_eq!(
            s.assessment.profile.get("staff"),
            Some(&ProfileValue::Number(1200.0))
        );
        assert!(out.contains("“khoảng 70” không phải là một số"), "{out}");
        assert_eq!(
            response(&app, "ag.f1.9"),
            Some(Response::Number { value: 72.5 })
        );
        // In English, 1,200 is twelve hundred and 72.5 a decimal.
        let lines = AGENCY.replace("1.200", "1,200") + "go ag.f1.9\n72.5\n";
        let (app, _, _d) = session(Start::New("agency".into()), Lang::En, &lines);
        let s = app.session.as_ref().unwrap();
        assert_eq!(
            s.assessment.profile.get("staff"),
            Some(&ProfileValue::Number(1200.0))
        );
        assert_eq!(
            response(&app, "ag.f1.9"),
            Some(Response::Number { value: 72.5 })
        );
    }

    #[test]
    fn checklist_numbers_set_exactly_those_ticks() {
        let ws = "Org\n2\n\ngo ws.17\n";
        let ticks = |app: &App| match response(app, "ws.17") {
            Some(Response::Checklist { selected }) => selected,
            other => panic!("{other:?}"),
        };
        let (app, _, _d) = session(
            Start::New("workshop".into()),
            Lang::En,
            &format!("{ws}1 3 4\nback\n4 2\n"),
        );
        assert_eq!(ticks(&app), vec!["no_meeting", "no_cash"]);
        let (app, out, _d) = session(
            Start::New("workshop".into()),
            Lang::En,
            &format!("{ws}1 3\nback\n9\nback\n3 9\n"),
        );
        assert_eq!(ticks(&app), vec!["none"]);
        assert!(out.contains("expected 9 is only on its own"), "{out}");
    }

    #[test]
    fn evidence_comment_alternate_and_a_text_that_starts_like_a_command() {
        let lines = "Org\n2\n\n3\nback\nevidence\n1\n2\nQuyết định\n12/QĐ-UBND\n3/6/2024\nUBND tỉnh\n\n\nalt\n\ngo ws.20\nwrite next steps\nand more\n.\n";
        let (app, out, _d) = session(Start::New("workshop".into()), Lang::En, lines);
        let s = app.session.as_ref().unwrap();
        let a = &s.assessment.answers["ws.1"];
        let e = &a.evidence[0];
        assert_eq!(e.grade, EvidenceGrade::DocumentSeen);
        assert!(matches!(&e.source, EvidenceSource::Document { date, .. } if date == "2024-06-03"));
        // ws.1 allows no alternate measure: refused, the answer stays.
        assert!(
            out.contains(
                "an alternate measure is not allowed for this question\nQuestion 1/19, ws.1: "
            ),
            "{out}"
        );
        assert_eq!(a.response, Response::Scale { level: 3 });
        assert_eq!(
            response(&app, "ws.20"),
            Some(Response::Text {
                text: "next steps\nand more".into()
            })
        );
    }
}
