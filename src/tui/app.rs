//! The wizard as a state machine: `App` state, `Msg`s in, `update` returns `Effect`s (IO to do),
//! `perform` executes one effect and reports back with a `Msg`. The app never touches a terminal;
//! a runner feeds it keys and draws `view`. Settings (language, colours, data folder) live in
//! each `App`, so one process can hold many sessions.

use super::editor::{Edit, LineInput, TextEditor};
use super::key::Key;
use super::screens::*;
use crate::assessment::store::{self, EditLock, LoadNote};
use crate::assessment::{Assessment, ProfileValue, Response};
use crate::i18n::{Lang, tr};
use crate::questionnaire::{Catalog, Questionnaire};
use crate::scoring::{self, Report};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

/// Per-user settings, remembered in `<data folder>/settings.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub lang: Lang,
    /// Colours on (off with NO_COLOR); selection is never shown by colour alone.
    #[serde(skip, default = "yes")]
    pub color: bool,
}

fn yes() -> bool {
    true
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lang: Lang::Vi,
            color: true,
        }
    }
}

/// An open assessment: the file, its edit lock, and the scores kept current.
#[derive(Debug)]
pub struct Session {
    pub path: PathBuf,
    pub _lock: Option<EditLock>,
    pub questionnaire: Arc<Questionnaire>,
    pub assessment: Assessment,
    pub report: Report,
    pub notes: Vec<LoadNote>,
}

impl Session {
    pub fn new(
        path: PathBuf,
        lock: Option<EditLock>,
        q: Arc<Questionnaire>,
        a: Assessment,
        notes: Vec<LoadNote>,
    ) -> Session {
        let report = scoring::score(&q, &a);
        Session {
            path,
            _lock: lock,
            questionnaire: q,
            assessment: a,
            report,
            notes,
        }
    }

    /// Ids of the questions shown with the current answers, in order.
    pub fn visible(&self) -> Vec<String> {
        let hidden = self.assessment.hidden_questions(&self.questionnaire);
        self.questionnaire
            .questions()
            .map(|(_, q)| q.id.clone())
            .filter(|id| !hidden.contains(id))
            .collect()
    }

    fn rescore(&mut self) {
        self.report = scoring::score(&self.questionnaire, &self.assessment);
    }
}

/// Which screen is shown.
#[derive(Debug)]
pub enum Screen {
    Home(HomeState),
    Choose(ChooseState),
    Profile(ProfileState),
    Question(QuestionState),
    Review(ReviewState),
    Dashboard(DashboardState),
}

/// A window over the screen; it gets keys first.
#[derive(Debug)]
pub enum Overlay {
    Help,
    /// "Why": the explanation of one score; `None` is the overall score.
    Why {
        dimension: Option<String>,
        cursor: usize,
    },
    Comment(TextEditor),
    Alternate(TextEditor),
    Evidence(EvidenceForm),
    Sections {
        cursor: usize,
    },
    ConfirmDelete(PathBuf),
    OpenPath(LineInput),
    /// A message that needs acknowledging (errors on load, notes after migration).
    Notice(Vec<String>),
    /// Choose an earlier assessment of the same questionnaire to compare with.
    ComparePick {
        items: Vec<Listing>,
        cursor: usize,
    },
    /// The comparison, as text lines, scrolled.
    Compare {
        lines: Vec<String>,
        scroll: usize,
    },
}

/// The line under the header: what just happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Saved(String),
    Info(String),
    Error(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(Key),
    Resize(u16, u16),
    /// From `perform`: the list of assessments for the home screen.
    Listed(Vec<Listing>),
    Saved(Result<String, String>),
    /// Opening or creating an assessment failed.
    OpenFailed(String),
    Quit,
}

/// IO for the runner to do (through `App::perform`).
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    ListAssessments,
    Save,
    SaveSettings,
    Open(PathBuf),
    Create(String),
    Delete(PathBuf),
    LoadQuestionnaire(PathBuf),
    /// Compare the open assessment with this (earlier) one.
    Compare(PathBuf),
    /// Write the open assessment's HTML report into `<data folder>/reports/`.
    WriteReport,
    Quit,
}

/// A session held to one assessment file: a workshop participant over SSH. There is no home
/// screen and no other file can be opened, created, deleted or compared; nothing is written
/// outside that file (no settings, no reports).
#[derive(Debug, Clone, PartialEq)]
pub struct Confine {
    pub path: PathBuf,
    /// The questionnaire id used when the file does not exist yet.
    pub questionnaire: String,
}

pub struct App {
    pub settings: Settings,
    pub confined: Option<Confine>,
    pub data_dir: PathBuf,
    pub catalog: Catalog,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub status: Option<Status>,
    pub session: Option<Session>,
    pub size: (u16, u16),
    pub quit: bool,
    /// The clock, replaceable for tests.
    pub now: fn() -> String,
}

impl App {
    pub fn new(data_dir: PathBuf, settings: Settings) -> App {
        let catalog = Catalog::with_local_dir(&data_dir.join("questionnaires"));
        Self::with_catalog(data_dir, settings, catalog)
    }

    /// An app over a given catalog (the SSH server shares one loaded catalog between sessions).
    pub fn with_catalog(data_dir: PathBuf, settings: Settings, catalog: Catalog) -> App {
        App {
            settings,
            confined: None,
            data_dir,
            catalog,
            screen: Screen::Home(HomeState::default()),
            overlay: None,
            status: None,
            session: None,
            size: (80, 24),
            quit: false,
            now: store::now,
        }
    }

    /// Reads `settings.json` from the data folder (defaults if absent or unreadable).
    pub fn load_settings(data_dir: &std::path::Path) -> Settings {
        Self::saved_settings(data_dir).unwrap_or_default()
    }

    /// `settings.json` from the data folder, if there is a readable one.
    pub fn saved_settings(data_dir: &std::path::Path) -> Option<Settings> {
        std::fs::read_to_string(data_dir.join("settings.json"))
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
    }

    /// The language to start in: `--lang`, else the one the user last chose, else the
    /// environment's (`LANG`), else Vietnamese.
    pub fn start_settings(
        data_dir: &std::path::Path,
        cli: Option<Lang>,
        env: Option<Lang>,
    ) -> Settings {
        let saved = Self::saved_settings(data_dir);
        let lang = cli
            .or(saved.as_ref().map(|s| s.lang))
            .or(env)
            .unwrap_or_default();
        Settings {
            lang,
            ..saved.unwrap_or_default()
        }
    }

    pub fn lang(&self) -> Lang {
        self.settings.lang
    }

    pub fn assessments_dir(&self) -> PathBuf {
        self.data_dir.join("assessments")
    }

    /// The effects to run when the app starts.
    pub fn init(&mut self) -> Vec<Effect> {
        let mut out = match &self.confined {
            Some(c) if c.path.exists() => vec![Effect::Open(c.path.clone())],
            Some(c) => vec![Effect::Create(c.questionnaire.clone())],
            None => vec![Effect::ListAssessments],
        };
        if !self.catalog.errors.is_empty() {
            let lang = self.lang();
            self.overlay = Some(Overlay::Notice(
                self.catalog.errors.iter().map(|e| e.render(lang)).collect(),
            ));
        }
        out.dedup();
        out
    }

    /// Runs a message to completion: update, then every effect and the messages they produce.
    pub fn dispatch(&mut self, msg: Msg) {
        let mut queue = std::collections::VecDeque::from([msg]);
        while let Some(m) = queue.pop_front() {
            for e in self.update(m) {
                if let Some(next) = self.perform(e) {
                    queue.push_back(next);
                }
            }
        }
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Resize(w, h) => {
                self.size = (w, h);
                vec![]
            }
            Msg::Quit => vec![Effect::Quit],
            Msg::Listed(items) => {
                if let Screen::Home(h) = &mut self.screen {
                    h.items = items;
                    h.selected = h.selected.min(h.items.len().saturating_sub(1));
                }
                vec![]
            }
            Msg::Saved(Ok(at)) => {
                self.status = Some(Status::Saved(at));
                vec![]
            }
            Msg::OpenFailed(e) if self.confined.is_some() => {
                self.overlay = Some(Overlay::Notice(vec![e]));
                vec![]
            }
            Msg::Saved(Err(e)) | Msg::OpenFailed(e) => {
                self.status = Some(Status::Error(e));
                vec![]
            }
            Msg::Key(k) => self.on_key(k),
        }
    }

    fn on_key(&mut self, key: Key) -> Vec<Effect> {
        if key == Key::Ctrl('c') {
            return vec![Effect::Quit];
        }
        if self.overlay.is_some() {
            return self.on_overlay_key(key);
        }
        let editing = match &self.screen {
            Screen::Profile(p) => p.editing_text(self.session.as_ref()),
            Screen::Question(q) => q.is_typing(self.session.as_ref()),
            _ => false,
        };
        if !editing {
            match key {
                Key::Char('?') => {
                    self.overlay = Some(Overlay::Help);
                    return vec![];
                }
                Key::Char('l') | Key::Char('L') => {
                    self.settings.lang = match self.settings.lang {
                        Lang::Vi => Lang::En,
                        Lang::En => Lang::Vi,
                    };
                    return vec![Effect::SaveSettings];
                }
                _ => {}
            }
        }
        match &self.screen {
            Screen::Home(_) => self.home_key(key),
            Screen::Choose(_) => self.choose_key(key),
            Screen::Profile(_) => self.profile_key(key),
            Screen::Question(_) => self.question_key(key),
            Screen::Review(_) => self.review_key(key),
            Screen::Dashboard(_) => self.dashboard_key(key),
        }
    }

    // ---- Home ----

    fn home_key(&mut self, key: Key) -> Vec<Effect> {
        let Screen::Home(h) = &mut self.screen else {
            return vec![];
        };
        if self.confined.is_some() {
            // Only reached when the participant's file could not be opened.
            return match key {
                Key::Char('q') | Key::Esc => vec![Effect::Quit],
                _ => vec![],
            };
        }
        match key {
            Key::Up | Key::Char('k') => h.selected = h.selected.saturating_sub(1),
            Key::Down | Key::Char('j') => {
                h.selected = (h.selected + 1).min(h.items.len().saturating_sub(1))
            }
            Key::Enter => {
                if let Some(item) = h.items.get(h.selected) {
                    return vec![Effect::Open(item.path.clone())];
                }
                self.screen = Screen::Choose(ChooseState::default());
            }
            Key::Char('n') => self.screen = Screen::Choose(ChooseState::default()),
            Key::Char('d') | Key::Delete => {
                if let Some(item) = h.items.get(h.selected) {
                    self.overlay = Some(Overlay::ConfirmDelete(item.path.clone()));
                }
            }
            Key::Char('o') => self.overlay = Some(Overlay::OpenPath(LineInput::default())),
            Key::Char('q') | Key::Esc => return vec![Effect::Quit],
            _ => {}
        }
        vec![]
    }

    fn choose_key(&mut self, key: Key) -> Vec<Effect> {
        let Screen::Choose(c) = &mut self.screen else {
            return vec![];
        };
        let n = self.catalog.entries.len();
        match key {
            Key::Up | Key::Char('k') => c.selected = c.selected.saturating_sub(1),
            Key::Down | Key::Char('j') => c.selected = (c.selected + 1).min(n.saturating_sub(1)),
            Key::Enter => {
                if let Some(e) = self.catalog.entries.get(c.selected) {
                    return vec![Effect::Create(e.questionnaire.id.clone())];
                }
            }
            Key::Esc => {
                self.screen = Screen::Home(HomeState::default());
                return vec![Effect::ListAssessments];
            }
            _ => {}
        }
        vec![]
    }

    // ---- Profile ----

    // Not collapsed into match guards: `commit` saves, and a failed guard would fall through to
    // the typing arm below.
    #[allow(clippy::collapsible_match)]
    fn profile_key(&mut self, key: Key) -> Vec<Effect> {
        let lang = self.lang();
        let now = (self.now)();
        let (Screen::Profile(p), Some(s)) = (&mut self.screen, &mut self.session) else {
            return vec![];
        };
        let q = s.questionnaire.clone();
        let fields = &q.profile;
        let on_start = p.field == fields.len();
        let field = fields.get(p.field);
        let mut effects = vec![];
        // Moving off a field commits what was typed.
        let commit = |p: &mut ProfileState,
                      s: &mut Session,
                      effects: &mut Vec<Effect>,
                      status: &mut Option<Status>| {
            if let Some(f) = q.profile.get(p.field)
                && f.kind != crate::questionnaire::ProfileKind::Choice
                && p.dirty
            {
                match p.commit(&q, &mut s.assessment, &now) {
                    Ok(()) => {
                        s.rescore();
                        effects.push(Effect::Save);
                    }
                    Err(e) => {
                        *status = Some(Status::Error(e.message(lang)));
                        return false;
                    }
                }
            }
            true
        };
        match key {
            Key::Up | Key::BackTab => {
                if commit(p, s, &mut effects, &mut self.status) && p.field > 0 {
                    p.field -= 1;
                    p.load_field(&q, &s.assessment);
                }
            }
            Key::Down | Key::Tab => {
                if commit(p, s, &mut effects, &mut self.status) && p.field < fields.len() {
                    p.field += 1;
                    p.load_field(&q, &s.assessment);
                }
            }
            Key::Enter if on_start => {
                let missing: Vec<&str> = fields
                    .iter()
                    .filter(|f| f.required && !s.assessment.profile.contains_key(&f.id))
                    .map(|f| f.label.get(lang))
                    .collect();
                if missing.is_empty() {
                    self.screen = Screen::Question(QuestionState::at_first_unanswered(s));
                } else {
                    self.status = Some(Status::Error(format!(
                        "{}: {}",
                        tr(lang, "Cần điền", "Please fill in"),
                        missing.join(", ")
                    )));
                }
            }
            Key::Enter => {
                if commit(p, s, &mut effects, &mut self.status) {
                    p.field += 1;
                    p.load_field(&q, &s.assessment);
                }
            }
            Key::Esc => {
                if commit(p, s, &mut effects, &mut self.status) {
                    return self.close_session(effects);
                }
            }
            Key::Left | Key::Right | Key::Char(' ')
                if field.is_some_and(|f| f.kind == crate::questionnaire::ProfileKind::Choice) =>
            {
                let f = field.unwrap_or(&fields[0]);
                let cur = s.assessment.profile_text(&f.id);
                let idx = cur.and_then(|c| f.options.iter().position(|o| o.id == c));
                let n = f.options.len();
                let next = match (key, idx) {
                    (Key::Left, Some(i)) => (i + n - 1) % n,
                    (Key::Left, None) => n - 1,
                    (_, Some(i)) => (i + 1) % n,
                    (_, None) => 0,
                };
                let v = ProfileValue::Text(f.options[next].id.clone());
                if s.assessment.set_profile(&q, &f.id, v, &now).is_ok() {
                    s.rescore();
                    effects.push(Effect::Save);
                }
            }
            k if field.is_some() && !on_start => {
                if p.input.handle(k) == Edit::Changed {
                    p.dirty = true;
                }
            }
            _ => {}
        }
        effects
    }

    fn close_session(&mut self, mut effects: Vec<Effect>) -> Vec<Effect> {
        // Saves queued before closing still refer to the open session, so run them first.
        for e in effects.drain(..) {
            if let Some(m) = self.perform(e) {
                self.update(m);
            }
        }
        if self.confined.is_some() {
            // A participant's "home" is their results.
            self.screen = Screen::Dashboard(DashboardState::default());
            return vec![];
        }
        self.session = None;
        self.screen = Screen::Home(HomeState::default());
        vec![Effect::ListAssessments]
    }

    // ---- Questions ----

    fn question_key(&mut self, key: Key) -> Vec<Effect> {
        let lang = self.lang();
        let now = (self.now)();
        let (Screen::Question(qs), Some(s)) = (&mut self.screen, &mut self.session) else {
            return vec![];
        };
        let outcome = qs.handle_key(key, s, &now, lang);
        match outcome {
            QuestionOutcome::None => vec![],
            QuestionOutcome::Changed => {
                s.rescore();
                self.status = None;
                vec![Effect::Save]
            }
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
                self.screen = Screen::Review(ReviewState { cursor });
                vec![]
            }
            QuestionOutcome::Dashboard => {
                self.screen = Screen::Dashboard(DashboardState::default());
                vec![]
            }
            QuestionOutcome::Profile => {
                let mut p = ProfileState::default();
                p.load_field(&s.questionnaire, &s.assessment);
                self.screen = Screen::Profile(p);
                vec![]
            }
            QuestionOutcome::Home => self.close_session(vec![]),
            QuestionOutcome::Info(m) => {
                self.status = Some(Status::Info(m));
                vec![]
            }
        }
    }

    fn review_key(&mut self, key: Key) -> Vec<Effect> {
        let (Screen::Review(r), Some(s)) = (&mut self.screen, &self.session) else {
            return vec![];
        };
        let visible = s.visible();
        match key {
            Key::Up | Key::Char('k') => r.cursor = r.cursor.saturating_sub(1),
            Key::Down | Key::Char('j') => {
                r.cursor = (r.cursor + 1).min(visible.len().saturating_sub(1))
            }
            Key::PageUp => r.cursor = r.cursor.saturating_sub(10),
            Key::PageDown => r.cursor = (r.cursor + 10).min(visible.len().saturating_sub(1)),
            Key::Enter => {
                if let Some(id) = visible.get(r.cursor) {
                    self.screen = Screen::Question(QuestionState::at(s, id));
                }
            }
            Key::Esc | Key::Char('r') => {
                self.screen = Screen::Question(QuestionState::at(
                    s,
                    visible.get(r.cursor).map_or("", |x| x),
                ))
            }
            Key::Char('d') => self.screen = Screen::Dashboard(DashboardState::default()),
            _ => {}
        }
        vec![]
    }

    fn dashboard_key(&mut self, key: Key) -> Vec<Effect> {
        let (Screen::Dashboard(d), Some(s)) = (&mut self.screen, &self.session) else {
            return vec![];
        };
        let rows = dashboard_rows(&s.questionnaire);
        match key {
            Key::Up | Key::Char('k') => d.cursor = d.cursor.saturating_sub(1),
            Key::Down | Key::Char('j') => {
                d.cursor = (d.cursor + 1).min(rows.len().saturating_sub(1))
            }
            Key::Enter | Key::Char('w') => {
                let dimension = rows.get(d.cursor).cloned().flatten();
                self.overlay = Some(Overlay::Why {
                    dimension,
                    cursor: 0,
                });
            }
            Key::Esc | Key::Char('d') => {
                let id = s.visible().into_iter().next().unwrap_or_default();
                self.screen = Screen::Question(QuestionState::at_first_unanswered(s).or_at(s, &id));
            }
            Key::Char('r') => self.screen = Screen::Review(ReviewState::default()),
            Key::Char('q') if self.confined.is_some() => return vec![Effect::Quit],
            Key::Char('p') | Key::Char('c') if self.confined.is_some() => {
                self.status = Some(Status::Info(
                    tr(
                        self.settings.lang,
                        "Trong phòng hội thảo, người hướng dẫn xuất báo cáo chung của cả phòng",
                        "In a workshop room, the trainer exports the report for the whole room",
                    )
                    .into(),
                ));
            }
            Key::Char('p') => return vec![Effect::WriteReport],
            Key::Char('c') => {
                let items: Vec<Listing> = list_assessments(&self.assessments_dir(), &self.catalog)
                    .into_iter()
                    .filter(|l| {
                        l.error.is_none()
                            && l.questionnaire == s.questionnaire.id
                            && l.path != s.path
                    })
                    .collect();
                if items.is_empty() {
                    let lang = self.settings.lang;
                    self.status = Some(Status::Info(
                        tr(
                            lang,
                            "Chưa có bản đánh giá nào khác của bộ câu hỏi này để so sánh",
                            "No other assessment of this questionnaire to compare with",
                        )
                        .into(),
                    ));
                } else {
                    self.overlay = Some(Overlay::ComparePick { items, cursor: 0 });
                }
            }
            _ => {}
        }
        vec![]
    }

    // ---- Overlays ----

    fn on_overlay_key(&mut self, key: Key) -> Vec<Effect> {
        let lang = self.lang();
        let now = (self.now)();
        let Some(overlay) = self.overlay.as_mut() else {
            return vec![];
        };
        match overlay {
            Overlay::ComparePick { items, cursor } => match key {
                Key::Up | Key::Char('k') => {
                    *cursor = cursor.saturating_sub(1);
                    vec![]
                }
                Key::Down | Key::Char('j') => {
                    *cursor = (*cursor + 1).min(items.len().saturating_sub(1));
                    vec![]
                }
                Key::Enter => {
                    let path = items.get(*cursor).map(|l| l.path.clone());
                    self.overlay = None;
                    path.map(Effect::Compare).into_iter().collect()
                }
                Key::Esc => {
                    self.overlay = None;
                    vec![]
                }
                _ => vec![],
            },
            Overlay::Compare { lines, scroll } => {
                let max = lines.len().saturating_sub(1);
                match key {
                    Key::Up | Key::Char('k') => *scroll = scroll.saturating_sub(1),
                    Key::Down | Key::Char('j') => *scroll = (*scroll + 1).min(max),
                    Key::PageUp => *scroll = scroll.saturating_sub(10),
                    Key::PageDown | Key::Char(' ') => *scroll = (*scroll + 10).min(max),
                    Key::Esc | Key::Char('q') | Key::Char('c') => self.overlay = None,
                    _ => {}
                }
                vec![]
            }
            Overlay::Help | Overlay::Notice(_) => {
                if matches!(key, Key::Esc | Key::Enter | Key::Char('?') | Key::Char('q')) {
                    self.overlay = None;
                }
                vec![]
            }
            Overlay::ConfirmDelete(path) => {
                let path = path.clone();
                self.overlay = None;
                if matches!(key, Key::Char('y') | Key::Char('c')) {
                    vec![Effect::Delete(path)]
                } else {
                    vec![]
                }
            }
            Overlay::OpenPath(input) => match key {
                Key::Esc => {
                    self.overlay = None;
                    vec![]
                }
                Key::Enter => {
                    let p = PathBuf::from(input.value().trim());
                    self.overlay = None;
                    vec![Effect::LoadQuestionnaire(p)]
                }
                k => {
                    input.handle(k);
                    vec![]
                }
            },
            Overlay::Sections { cursor } => {
                let Some(s) = &self.session else {
                    return vec![];
                };
                let n = s.questionnaire.sections.len();
                match key {
                    Key::Up | Key::Char('k') => *cursor = cursor.saturating_sub(1),
                    Key::Down | Key::Char('j') => *cursor = (*cursor + 1).min(n.saturating_sub(1)),
                    Key::Enter => {
                        let visible = s.visible();
                        let section = &s.questionnaire.sections[*cursor];
                        match section.questions.iter().find(|q| visible.contains(&q.id)) {
                            Some(q) => {
                                self.screen = Screen::Question(QuestionState::at(s, &q.id));
                                self.overlay = None;
                            }
                            None => {
                                self.status = Some(Status::Info(
                                    tr(
                                        lang,
                                        "Phần này không áp dụng cho hồ sơ của bạn",
                                        "This section does not apply to your profile",
                                    )
                                    .into(),
                                ))
                            }
                        }
                    }
                    Key::Esc | Key::Char('s') => self.overlay = None,
                    _ => {}
                }
                vec![]
            }
            Overlay::Why { dimension, cursor } => {
                let Some(s) = &self.session else {
                    return vec![];
                };
                let items: Vec<String> = why_questions(&s.report, dimension.as_deref());
                match key {
                    Key::Up | Key::Char('k') => *cursor = cursor.saturating_sub(1),
                    Key::Down | Key::Char('j') => {
                        *cursor = (*cursor + 1).min(items.len().saturating_sub(1))
                    }
                    Key::Enter => {
                        if let Some(id) = items.get(*cursor) {
                            if s.visible().contains(id) {
                                self.screen = Screen::Question(QuestionState::at(s, id));
                            }
                            self.overlay = None;
                        }
                    }
                    Key::Esc | Key::Char('w') => self.overlay = None,
                    _ => {}
                }
                vec![]
            }
            Overlay::Comment(ed) | Overlay::Alternate(ed) => {
                if key != Key::Esc {
                    ed.handle(key);
                    return vec![];
                }
                let text = ed.value();
                let is_alt = matches!(overlay, Overlay::Alternate(_));
                self.overlay = None;
                let (Screen::Question(qs), Some(s)) = (&self.screen, &mut self.session) else {
                    return vec![];
                };
                if is_alt {
                    if text.trim().is_empty() {
                        return vec![];
                    }
                    let r = Response::Alternate {
                        justification: text,
                    };
                    match s
                        .assessment
                        .set_response(&s.questionnaire, &qs.current, r, &now)
                    {
                        Ok(()) => {
                            s.rescore();
                            vec![Effect::Save]
                        }
                        Err(e) => {
                            self.status = Some(Status::Error(e.message(lang)));
                            vec![]
                        }
                    }
                } else {
                    match s.assessment.answers.get_mut(&qs.current) {
                        Some(a) => {
                            a.comment = text;
                            s.assessment.updated_at = now;
                            vec![Effect::Save]
                        }
                        None if text.is_empty() => vec![],
                        None => {
                            self.status = Some(Status::Error(
                                tr(
                                    lang,
                                    "Hãy trả lời câu hỏi trước khi ghi chú",
                                    "Answer the question before adding a comment",
                                )
                                .into(),
                            ));
                            vec![]
                        }
                    }
                }
            }
            Overlay::Evidence(form) => match form.handle(key) {
                FormOutcome::Continue => vec![],
                FormOutcome::Cancel => {
                    self.overlay = None;
                    vec![]
                }
                FormOutcome::Submit => {
                    let result = form.build(lang);
                    let (Screen::Question(qs), Some(s)) = (&self.screen, &mut self.session) else {
                        return vec![];
                    };
                    match (result, s.assessment.answers.get_mut(&qs.current)) {
                        (Err(msg), _) => {
                            self.status = Some(Status::Error(msg));
                            vec![]
                        }
                        (Ok(_), None) => {
                            self.status = Some(Status::Error(
                                tr(
                                    lang,
                                    "Hãy trả lời câu hỏi trước khi thêm minh chứng",
                                    "Answer the question before adding evidence",
                                )
                                .into(),
                            ));
                            vec![]
                        }
                        (Ok(ev), Some(a)) => {
                            match ev {
                                Some(ev) => {
                                    if a.evidence.is_empty() {
                                        a.evidence.push(ev)
                                    } else {
                                        a.evidence[0] = ev
                                    }
                                }
                                None => {
                                    a.evidence.clear();
                                }
                            }
                            s.assessment.updated_at = now;
                            s.rescore();
                            self.overlay = None;
                            vec![Effect::Save]
                        }
                    }
                }
            },
        }
    }

    // ---- Effects ----

    /// Executes one effect (the only place that does IO) and reports back.
    pub fn perform(&mut self, effect: Effect) -> Option<Msg> {
        let lang = self.lang();
        if let Some(c) = &self.confined
            && !confined_allows(c, &effect)
        {
            return None;
        }
        match effect {
            Effect::Quit => {
                self.quit = true;
                None
            }
            Effect::ListAssessments => Some(Msg::Listed(list_assessments(
                &self.assessments_dir(),
                &self.catalog,
            ))),
            Effect::Save => {
                let s = self.session.as_ref()?;
                Some(Msg::Saved(
                    store::write(&s.path, &s.assessment, &s.questionnaire)
                        .map(|()| (self.now)())
                        .map_err(|e| e.render(lang)),
                ))
            }
            Effect::SaveSettings => {
                let text = serde_json::to_string_pretty(&self.settings).unwrap_or_default();
                store::write_text(&self.data_dir.join("settings.json"), &text)
                    .err()
                    .map(|e| Msg::Saved(Err(e.render(lang))))
            }
            Effect::Open(path) => {
                let lock = match store::lock(&path) {
                    Ok(l) => l,
                    Err(e) => return Some(Msg::OpenFailed(e.render(lang))),
                };
                match store::read(&path, &self.catalog) {
                    Ok(loaded) => {
                        let notes: Vec<String> =
                            loaded.notes.iter().map(|n| n.render(lang)).collect();
                        let s = Session::new(
                            path,
                            Some(lock),
                            loaded.questionnaire,
                            loaded.assessment,
                            loaded.notes,
                        );
                        self.screen = Screen::Question(QuestionState::at_first_unanswered(&s));
                        self.session = Some(s);
                        if !notes.is_empty() {
                            self.overlay = Some(Overlay::Notice(notes));
                        }
                        self.status = None;
                        None
                    }
                    Err(e) => Some(Msg::OpenFailed(e.render(lang))),
                }
            }
            Effect::Create(qid) => {
                let entry = self.catalog.find(&qid, None)?;
                let now = (self.now)();
                let stamp: String = now
                    .chars()
                    .filter(|c| c.is_ascii_digit())
                    .take(14)
                    .collect();
                let dir = self.assessments_dir();
                let mut path = match &self.confined {
                    Some(c) => c.path.clone(),
                    None => dir.join(format!("{qid}-{stamp}.json")),
                };
                let mut n = 2;
                while path.exists() && self.confined.is_none() {
                    path = dir.join(format!("{qid}-{stamp}-{n}.json"));
                    n += 1;
                }
                let lock = match store::lock(&path) {
                    Ok(l) => l,
                    Err(e) => return Some(Msg::OpenFailed(e.render(lang))),
                };
                let a = Assessment::new(&entry.questionnaire, &entry.hash, &now);
                let s = Session::new(path, Some(lock), entry.questionnaire.clone(), a, vec![]);
                let mut p = ProfileState::default();
                p.load_field(&s.questionnaire, &s.assessment);
                self.screen = Screen::Profile(p);
                self.session = Some(s);
                self.perform(Effect::Save)
            }
            Effect::Delete(path) => {
                // Refuse while another session edits it.
                let result = store::lock(&path)
                    .map_err(|e| e.render(lang))
                    .and_then(|lock| {
                        std::fs::remove_file(&path)
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                        std::fs::remove_file(&lock.lock_path).ok();
                        Ok(())
                    });
                match result {
                    Ok(()) => {
                        self.status = Some(Status::Info(format!(
                            "{} {}",
                            tr(lang, "Đã xóa", "Deleted"),
                            path.display()
                        )));
                        Some(Msg::Listed(list_assessments(
                            &self.assessments_dir(),
                            &self.catalog,
                        )))
                    }
                    Err(e) => Some(Msg::OpenFailed(e)),
                }
            }
            Effect::Compare(path) => {
                let s = self.session.as_ref()?;
                let other = match store::read(&path, &self.catalog) {
                    Ok(o) => o,
                    Err(e) => return Some(Msg::OpenFailed(e.render(lang))),
                };
                let name = |p: &std::path::Path| {
                    p.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                };
                match crate::report::compare::compare(
                    (&other.questionnaire, &other.assessment, &name(&path)),
                    (&s.questionnaire, &s.assessment, &name(&s.path)),
                    lang,
                ) {
                    Ok(doc) => {
                        let lines = crate::report::compare::to_text(&doc)
                            .lines()
                            .map(str::to_string)
                            .collect();
                        self.overlay = Some(Overlay::Compare { lines, scroll: 0 });
                        None
                    }
                    Err(e) => Some(Msg::OpenFailed(e)),
                }
            }
            Effect::WriteReport => {
                let s = self.session.as_ref()?;
                let doc = crate::report::build(
                    &s.questionnaire,
                    &s.assessment,
                    &s.report,
                    lang,
                    &(self.now)(),
                );
                let stem = s
                    .path
                    .file_stem()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let path = self
                    .data_dir
                    .join("reports")
                    .join(format!("{stem}.{}.html", lang.code()));
                match store::write_text(&path, &crate::report::html::render(&doc)) {
                    Ok(()) => {
                        self.status = Some(Status::Info(format!(
                            "{}: {}",
                            tr(lang, "Đã ghi báo cáo", "Report written"),
                            path.display()
                        )));
                        None
                    }
                    Err(e) => Some(Msg::OpenFailed(e.render(lang))),
                }
            }
            Effect::LoadQuestionnaire(path) => {
                let before = self.catalog.entries.len();
                match self.catalog.add_file(&path) {
                    Some(_) => {
                        self.screen = Screen::Choose(ChooseState { selected: before });
                        None
                    }
                    None => {
                        let msg = self
                            .catalog
                            .errors
                            .pop()
                            .map(|e| e.render(lang))
                            .unwrap_or_default();
                        self.overlay = Some(Overlay::Notice(vec![msg]));
                        None
                    }
                }
            }
        }
    }
}

/// The one place that enforces a participant's limits: only their own file, no other IO.
fn confined_allows(c: &Confine, effect: &Effect) -> bool {
    match effect {
        Effect::Save | Effect::Quit => true,
        Effect::Open(p) => *p == c.path,
        Effect::Create(q) => *q == c.questionnaire && !c.path.exists(),
        Effect::ListAssessments
        | Effect::SaveSettings
        | Effect::Delete(_)
        | Effect::LoadQuestionnaire(_)
        | Effect::Compare(_)
        | Effect::WriteReport => false,
    }
}

/// Question ids listed in a "why" window: the dimension's items, or the overall weakest and
/// most valuable unanswered.
pub fn why_questions(r: &Report, dimension: Option<&str>) -> Vec<String> {
    match dimension.and_then(|d| r.dimension(d)) {
        Some(d) => d
            .items
            .iter()
            .filter(|i| i.status.is_applicable() || i.status == scoring::Status::NotApplicable)
            .map(|i| i.question.clone())
            .collect(),
        None => r
            .weakest
            .iter()
            .chain(r.next_unanswered.iter())
            .take(12)
            .map(|i| i.question.clone())
            .collect(),
    }
}

/// Rows of the dashboard's score list: `None` is the overall score, then each dimension.
pub fn dashboard_rows(q: &Questionnaire) -> Vec<Option<String>> {
    let mut rows = vec![None];
    for g in crate::questionnaire::Group::ALL {
        rows.extend(
            q.dimensions
                .iter()
                .filter(|d| d.group == g)
                .map(|d| Some(d.id.clone())),
        );
    }
    rows
}

/// One line of the home screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub path: PathBuf,
    pub organisation: String,
    pub questionnaire: String,
    pub title: crate::i18n::Text,
    pub progress: f64,
    pub updated_at: String,
    pub band: Option<crate::i18n::Text>,
    /// Why it cannot be opened, if it cannot.
    pub error: Option<String>,
}

/// Every assessment in the folder, newest first; damaged ones are listed with their error.
pub fn list_assessments(dir: &std::path::Path, catalog: &Catalog) -> Vec<Listing> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut out: Vec<Listing> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|path| match store::read(&path, catalog) {
            Ok(l) => {
                let r = scoring::score(&l.questionnaire, &l.assessment);
                let band = r
                    .headline_band
                    .as_ref()
                    .and_then(|b| l.questionnaire.band(b))
                    .map(|b| b.label.clone());
                Listing {
                    organisation: l.assessment.profile_text("org_name").unwrap_or_default(),
                    questionnaire: l.questionnaire.id.clone(),
                    title: l.questionnaire.title.clone(),
                    progress: r.coverage.percent(),
                    updated_at: l.assessment.updated_at.clone(),
                    band,
                    error: None,
                    path,
                }
            }
            Err(e) => Listing {
                organisation: String::new(),
                questionnaire: String::new(),
                title: Default::default(),
                progress: 0.0,
                updated_at: String::new(),
                band: None,
                error: Some(
                    e.render(Lang::En)
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                ),
                path,
            },
        })
        .collect();
    out.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(a.path.cmp(&b.path)));
    out
}
