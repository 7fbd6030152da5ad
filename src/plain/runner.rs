//! The plain runner: the third runner beside the local terminal and the SSH channel. It reads
//! typed lines, turns each into the wizard's own `Action`s (the same `update` and effects, the
//! same store and locks), and prints what changed as plain lines (`print`).
//!
//! Each line is handled where the wizard stands: a question (`answer.rs`), or a profile field,
//! the results, a confirmation, the evidence form, the list of sections, the home list
//! (`forms.rs`). A line that means
//! nothing there gets one line saying what was expected, and the question again; nothing is
//! changed. End of input saves (every change is saved as it is made) and leaves cleanly.

use super::print;
use super::words::{Word, parse_word};
use crate::i18n::{Lang, tr};
use crate::tui::app::{App, Effect, Msg};
use crate::tui::keymap::Action;
use crate::tui::model::{Confirm, Overlay, Screen, Status};
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
    pub(super) out: &'a mut dyn Write,
    /// End the prompt with a line break (for output read as a file); else the answer is typed
    /// on the prompt's line.
    pub(super) prompt_newline: bool,
    /// What was last printed in full (a question, a field, the results, an overlay, …).
    pub(super) shown: Option<String>,
    /// The last screen (not overlay) printed in full.
    pub(super) base_shown: Option<String>,
    /// The one-time hint that `help` lists the commands was given.
    pub(super) hinted: bool,
    /// The section of the question last printed (said again only when it changes).
    pub(super) section: Option<usize>,
    /// The assessment file last said to be open.
    pub(super) file: Option<std::path::PathBuf>,
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
    pub(super) fn lang(&self) -> Lang {
        self.app.lang()
    }

    /// Prints `text` as lines: control characters (an escape typed into a comment, a tab in
    /// a questionnaire) never reach the output.
    pub(super) fn say(&mut self, text: &str) -> std::io::Result<()> {
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

    pub(super) fn act(&mut self, action: Action) {
        self.app.act(action);
    }

    pub(super) fn perform(&mut self, effect: Effect) {
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
            Screen::Reconcile(_) => "reconcile".into(),
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
    pub(super) fn forget_shown(&mut self) {
        self.shown = None;
        self.base_shown = None;
    }

    /// The status line's message, once.
    pub(super) fn flush_status(&mut self) -> std::io::Result<()> {
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
            // Plain mode saves in place (no worker is attached): "saved" follows at once, and
            // only what is durable is said.
            Some(Status::Saving) | None => Ok(()),
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
            // Agreeing answers between respondents needs the answers side by side: the
            // full-screen wizard does it; plain mode shows the results meanwhile.
            Screen::Reconcile(_) => tr(
                lang,
                "Bản đánh giá này còn câu chưa thống nhất giữa những người trả lời. Việc thống nhất làm trong giao diện toàn màn hình: sansang --full-screen open TỆP.",
                "This assessment still has questions its respondents have not agreed on. Agreeing is done in the full-screen wizard: sansang --full-screen open FILE.",
            )
            .to_string(),
        }
    }

    fn prompt(&self) -> String {
        let lang = self.lang();
        if let Some(o) = &self.app.overlay {
            return match o {
                Overlay::Confirm(Confirm::QuitUnsaved { .. }) => tr(
                    lang,
                    "s (lưu lại rồi rời đi), y (vẫn rời đi) hoặc n (ở lại)",
                    "s (save again, then leave), y (leave anyway) or n (stay)",
                )
                .to_string(),
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
            // A participant whose file could not be opened (the notice said why) can only leave.
            Screen::Home(_) if self.app.confined.is_some() => "quit".to_string(),
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
            Screen::Dashboard(_) | Screen::Reconcile(_) => {
                print::results_prompt(lang, self.app.confined.is_some())
            }
            Screen::Review(_) => String::new(),
        }
    }

    /// "“abc”: expected …", then the question's number and text again.
    pub(super) fn expected(&mut self, line: &str, what: &str) -> std::io::Result<()> {
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
    pub(super) fn question_again(&mut self) -> std::io::Result<()> {
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
            Screen::Reconcile(_) => match word {
                Some(Word::Results) => {
                    self.act(Action::Results);
                    Ok(())
                }
                _ => {
                    let what = print::results_prompt(self.lang(), self.app.confined.is_some());
                    self.expected(line, &what)
                }
            },
            Screen::Review(_) => Ok(()),
        }
    }

    /// Quit: the wizard's own leaving (a failed save is tried again first).
    /// Typed (`quit`), a failed save asks first, as in the wizard; at the end of input there is
    /// nobody to ask.
    pub(super) fn leave(&mut self, at_end: bool) -> std::io::Result<()> {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::{EvidenceGrade, EvidenceSource, ProfileValue, Response};
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

    /// Lines with two markers: `!break` makes the next save fail (a folder where the file is
    /// replaced), `!fix` takes that away.
    struct Breaking {
        lines: std::collections::VecDeque<String>,
        dir: std::path::PathBuf,
    }

    impl LineSource for Breaking {
        fn read_line(&mut self) -> Option<String> {
            loop {
                let line = self.lines.pop_front()?;
                let file = || assessment_file(&self.dir);
                match line.as_str() {
                    "!break" => {
                        let f = file();
                        std::fs::remove_file(&f).unwrap();
                        std::fs::create_dir(&f).unwrap();
                    }
                    "!fix" => std::fs::remove_dir(file()).unwrap(),
                    _ => return Some(line),
                }
            }
        }
    }

    /// The one assessment file in the data folder `dir`.
    fn assessment_file(dir: &std::path::Path) -> std::path::PathBuf {
        std::fs::read_dir(dir.join("assessments"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "json"))
            .unwrap()
    }

    #[test]
    fn leaving_after_a_failed_save_offers_to_save_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(
            dir.path().to_path_buf(),
            Settings {
                lang: Lang::En,
                color: false,
            },
        );
        let lines = "Org\n2\n\n!break\n3\nquit\ns\n!fix\ns\n";
        let mut input = Breaking {
            lines: lines.lines().map(str::to_string).collect(),
            dir: dir.path().to_path_buf(),
        };
        let mut out = Vec::new();
        let ended = run(
            &mut app,
            Start::New("workshop".into()),
            &mut input,
            &mut out,
            true,
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(ended, Ended::Saved, "{out}");
        assert!(
            out.contains("s (save again, then leave), y (leave anyway) or n (stay)"),
            "{out}"
        );
        // The reason is the real one (a folder is in the way), not a count of links.
        assert!(out.contains("Not saved: is a folder"), "{out}");
        assert!(!out.contains("hard links"), "{out}");
        // The first "s" still failed and asked again; the second saved and left.
        assert_eq!(
            out.matches("s (save again, then leave)").count(),
            2,
            "{out}"
        );
        let file = assessment_file(dir.path());
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        assert_eq!(v["answers"]["ws.1"]["response"]["level"], 3);
    }

    #[test]
    fn a_former_province_typed_says_what_it_became() {
        let lines = AGENCY.replacen("2\n\n", "2\nbinh duong\n", 1);
        let (app, out, _d) = session(Start::New("agency".into()), Lang::Vi, &lines);
        let s = app.session.as_ref().unwrap();
        assert_eq!(
            s.assessment.profile_text("province_name").as_deref(),
            Some("TP. Hồ Chí Minh")
        );
        assert!(
            out.contains("Đã lưu: Tỉnh, thành phố: Bình Dương → TP. Hồ Chí Minh"),
            "{out}"
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
