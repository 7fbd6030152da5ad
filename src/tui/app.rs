//! The wizard as a state machine: `App` state, `Msg`s in, `update` returns `Effect`s (IO to do),
//! `perform` executes one effect and reports back with a `Msg`. The app never touches a terminal;
//! a runner feeds it keys and draws `view`. Settings (language, colours, data folder) live in
//! each `App`, so one process can hold many sessions.

use super::editor::{Edit, LineInput, TextEditor};
use super::key::Key;
use super::keymap::{self, Action, Ctx};
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

    /// The one progress count of the wizard: (shown questions with an answer of any kind,
    /// shown questions). "Shown" is every question the profile and skip logic leave visible;
    /// the questionnaire's total (all questions) is said beside it where it differs.
    pub fn progress(&self) -> (usize, usize) {
        let visible = self.visible();
        let done = visible
            .iter()
            .filter(|id| self.assessment.answers.contains_key(*id))
            .count();
        (done, visible.len())
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

/// What a confirmation asks about; it names what it acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    /// Delete this assessment file (its organisation and questionnaire are shown).
    DeleteFile { path: PathBuf, label: String },
    /// Clear the answer of this question (the answer is shown).
    ClearAnswer { question: String, answer: String },
    /// Leave although the last save failed (its reason is shown).
    QuitUnsaved { reason: String, then: Box<Action> },
}

/// A window over the screen; it gets keys first.
#[derive(Debug)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
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
    Confirm(Confirm),
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
    /// Find a question by text or id, with a filter.
    Search(SearchState),
}

/// The line under the header: what just happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Saved(String),
    Info(String),
    Error(String),
}

/// An opened or created assessment, from `perform` back to `update`.
#[derive(Debug)]
pub struct Opened {
    pub session: Session,
    /// Notes from loading (migration, orphaned answers), shown once.
    pub notes: Vec<String>,
    /// Created now: start on the profile.
    pub created: bool,
}

#[derive(Debug)]
pub enum Msg {
    Key(Key),
    /// Pasted text (bracketed paste), delivered whole.
    Paste(String),
    Resize(u16, u16),
    /// From `perform`: the list of assessments for the home screen.
    Listed(Vec<Listing>),
    /// From `perform`: earlier assessments of the same questionnaire, to compare with.
    CompareCandidates(Vec<Listing>),
    /// From `perform`: the comparison's lines.
    Compared(Vec<String>),
    Saved(Result<String, String>),
    Opened(Box<Opened>),
    /// A questionnaire file was added to the catalog (its index), or why not.
    QuestionnaireLoaded(Result<usize, String>),
    Deleted(Result<PathBuf, String>),
    ReportWritten(Result<PathBuf, String>),
    /// Opening or creating an assessment failed.
    OpenFailed(String),
    Quit,
}

/// What to save: a snapshot taken when the change was made, so a save queued just before the
/// session closes still writes the right file.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveJob {
    pub path: PathBuf,
    pub assessment: Assessment,
    pub questionnaire: Arc<Questionnaire>,
}

/// IO for the runner to do (through `App::perform`); `update` never does IO itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    ListAssessments,
    Save(Box<SaveJob>),
    SaveSettings,
    Open(PathBuf),
    Create(String),
    Delete(PathBuf),
    LoadQuestionnaire(PathBuf),
    /// List the other assessments of the open questionnaire (to compare with).
    ListForCompare,
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
    /// The last save failed with this reason; the answers are in memory and every later
    /// change (and leaving) saves again.
    pub unsaved: Option<String>,
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
            unsaved: None,
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

    /// Runs an action to completion (tests say `Action::Level(3)` instead of key sequences).
    pub fn act(&mut self, action: Action) {
        for e in self.apply(action) {
            if let Some(m) = self.perform(e) {
                self.dispatch(m);
            }
        }
    }

    /// The keymap context: the overlay's, else the focused field's, else the screen's.
    pub fn ctx(&self) -> Ctx {
        if let Some(o) = &self.overlay {
            return match o {
                Overlay::Help { .. } => Ctx::Help,
                Overlay::Why { .. } => Ctx::Why,
                Overlay::Comment(_) | Overlay::Alternate(_) => Ctx::Editor,
                Overlay::Evidence(_) => Ctx::Evidence,
                Overlay::Sections { .. } => Ctx::Sections,
                Overlay::Confirm(_) => Ctx::Confirm,
                Overlay::OpenPath(_) => Ctx::OpenPath,
                Overlay::Notice(_) => Ctx::Notice,
                Overlay::ComparePick { .. } => Ctx::ComparePick,
                Overlay::Compare { .. } => Ctx::Compare,
                Overlay::Search(_) => Ctx::Search,
            };
        }
        match &self.screen {
            Screen::Home(_) => Ctx::Home,
            Screen::Choose(_) => Ctx::Choose,
            Screen::Profile(_) => Ctx::Profile,
            Screen::Question(q) if q.editor.is_some() => Ctx::Editor,
            Screen::Question(q) if q.number_focus => Ctx::NumberField,
            Screen::Question(_) => Ctx::Question,
            Screen::Review(_) => Ctx::Review,
            Screen::Dashboard(_) => Ctx::Results,
        }
    }

    /// True when the window is below the minimum size (keys other than Ctrl-C are ignored then,
    /// since the user cannot see what they would do).
    pub fn too_small(&self) -> bool {
        self.size.0 < super::view::MIN_WIDTH || self.size.1 < super::view::MIN_HEIGHT
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let lang = self.lang();
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
            Msg::CompareCandidates(items) => {
                if items.is_empty() {
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
                vec![]
            }
            Msg::Compared(lines) => {
                self.overlay = Some(Overlay::Compare { lines, scroll: 0 });
                vec![]
            }
            Msg::Saved(Ok(at)) => {
                self.unsaved = None;
                self.status = Some(Status::Saved(at));
                vec![]
            }
            Msg::Saved(Err(e)) => {
                self.unsaved = Some(e.clone());
                self.status = Some(Status::Error(e));
                vec![]
            }
            Msg::Opened(o) => {
                let Opened {
                    session,
                    notes,
                    created,
                } = *o;
                self.screen = if created {
                    let mut p = ProfileState::default();
                    p.load_field(&session.questionnaire, &session.assessment);
                    Screen::Profile(p)
                } else {
                    resume_screen(&session)
                };
                let save = created.then(|| save_effect(&session));
                self.session = Some(session);
                if !notes.is_empty() {
                    self.overlay = Some(Overlay::Notice(notes));
                }
                self.status = None;
                save.into_iter().collect()
            }
            Msg::QuestionnaireLoaded(Ok(index)) => {
                self.screen = Screen::Choose(ChooseState { selected: index });
                vec![]
            }
            Msg::QuestionnaireLoaded(Err(e)) => {
                self.overlay = Some(Overlay::Notice(vec![e]));
                vec![]
            }
            Msg::Deleted(Ok(path)) => {
                self.status = Some(Status::Info(format!(
                    "{} {}",
                    tr(lang, "Đã xóa", "Deleted"),
                    path.display()
                )));
                vec![Effect::ListAssessments]
            }
            Msg::ReportWritten(Ok(path)) => {
                self.status = Some(Status::Info(format!(
                    "{}: {}",
                    tr(lang, "Đã ghi báo cáo", "Report written"),
                    path.display()
                )));
                vec![]
            }
            Msg::OpenFailed(e) if self.confined.is_some() => {
                self.overlay = Some(Overlay::Notice(vec![e]));
                vec![]
            }
            Msg::OpenFailed(e) | Msg::Deleted(Err(e)) | Msg::ReportWritten(Err(e)) => {
                self.status = Some(Status::Error(e));
                vec![]
            }
            Msg::Key(k) => {
                if self.too_small() && k != Key::Ctrl('c') {
                    return vec![];
                }
                match keymap::lookup(self.ctx(), k) {
                    Some(a) => self.apply(a),
                    None => vec![],
                }
            }
            Msg::Paste(text) => {
                if self.too_small() {
                    return vec![];
                }
                self.apply(Action::Paste(text))
            }
        }
    }

    /// What an action does: the one entry point for keys, pastes and tests.
    pub fn apply(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => return self.leave_checked(Action::Quit),
            Action::Help if self.overlay.is_none() => {
                self.overlay = Some(Overlay::Help { scroll: 0 });
                return vec![];
            }
            Action::ToggleLang if self.overlay.is_none() => {
                self.settings.lang = match self.settings.lang {
                    Lang::Vi => Lang::En,
                    Lang::En => Lang::Vi,
                };
                return if self.confined.is_some() {
                    vec![]
                } else {
                    vec![Effect::SaveSettings]
                };
            }
            _ => {}
        }
        if self.overlay.is_some() {
            return self.overlay_action(action);
        }
        if let Action::Paste(text) = &action
            && !matches!(self.ctx(), Ctx::Editor | Ctx::NumberField | Ctx::Profile)
        {
            // A paste outside a field never acts as keys.
            let _ = text;
            self.status = Some(Status::Info(
                tr(
                    self.lang(),
                    "Đã bỏ qua nội dung dán: hãy mở một ô nhập trước (Enter ở câu hỏi văn bản, g để ghi chú)",
                    "Paste ignored: open a field first (Enter on a text question, g for a comment)",
                )
                .into(),
            ));
            return vec![];
        }
        match &self.screen {
            Screen::Home(_) => self.home_action(action),
            Screen::Choose(_) => self.choose_action(action),
            Screen::Profile(_) => self.profile_action(action),
            Screen::Question(_) => self.question_action(action),
            Screen::Review(_) => self.review_action(action),
            Screen::Dashboard(_) => self.dashboard_action(action),
        }
    }

    /// Leaving (quit, or closing the assessment): when the last save failed, save again first;
    /// if that fails too, ask before going.
    fn leave_checked(&mut self, then: Action) -> Vec<Effect> {
        if self.unsaved.is_some()
            && let Some(s) = &self.session
        {
            let job = save_effect(s);
            if let Some(Msg::Saved(r)) = self.perform(job) {
                self.update(Msg::Saved(r));
            }
            if let Some(reason) = self.unsaved.clone() {
                self.overlay = Some(Overlay::Confirm(Confirm::QuitUnsaved {
                    reason,
                    then: Box::new(then),
                }));
                return vec![];
            }
        }
        match then {
            Action::Quit => vec![Effect::Quit],
            _ => self.close_session(),
        }
    }

    // ---- Home ----

    fn home_action(&mut self, action: Action) -> Vec<Effect> {
        let Screen::Home(h) = &mut self.screen else {
            return vec![];
        };
        if self.confined.is_some() {
            // Only reached when the participant's file could not be opened.
            return match action {
                Action::Quit | Action::Back => vec![Effect::Quit],
                _ => vec![],
            };
        }
        match action {
            Action::Up => h.selected = h.selected.saturating_sub(1),
            Action::Down => h.selected = (h.selected + 1).min(h.items.len().saturating_sub(1)),
            Action::Choose => {
                if let Some(item) = h.items.get(h.selected) {
                    return vec![Effect::Open(item.path.clone())];
                }
                self.screen = Screen::Choose(ChooseState::default());
            }
            Action::New => self.screen = Screen::Choose(ChooseState::default()),
            Action::Delete => {
                if let Some(item) = h.items.get(h.selected) {
                    let label = item.describe(self.settings.lang);
                    self.overlay = Some(Overlay::Confirm(Confirm::DeleteFile {
                        path: item.path.clone(),
                        label,
                    }));
                }
            }
            Action::OpenFile => self.overlay = Some(Overlay::OpenPath(LineInput::default())),
            _ => {}
        }
        vec![]
    }

    fn choose_action(&mut self, action: Action) -> Vec<Effect> {
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

    // ---- Profile ----

    // Not collapsed into match guards: `commit` saves, and a failed guard would fall through to
    // the typing arm below.
    #[allow(clippy::collapsible_match)]
    fn profile_action(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang();
        let now = (self.now)();
        let (Screen::Profile(p), Some(s)) = (&mut self.screen, &mut self.session) else {
            return vec![];
        };
        let q = s.questionnaire.clone();
        let fields = &q.profile;
        let on_start = p.field == fields.len();
        let field = fields.get(p.field);
        let is_choice = field.is_some_and(|f| f.kind == crate::questionnaire::ProfileKind::Choice);
        let mut changed = false;
        // Moving off a field commits what was typed; a refused value keeps the cursor there.
        let mut commit = |p: &mut ProfileState, s: &mut Session, status: &mut Option<Status>| {
            if let Some(f) = q.profile.get(p.field)
                && f.kind != crate::questionnaire::ProfileKind::Choice
                && p.dirty
            {
                match p.commit(&q, &mut s.assessment, &now, lang) {
                    Ok(()) => {
                        s.rescore();
                        changed = true;
                    }
                    Err(e) => {
                        *status = Some(Status::Error(e));
                        return false;
                    }
                }
            }
            true
        };
        let mut leave = false;
        match action {
            Action::Up => {
                if commit(p, s, &mut self.status) && p.field > 0 {
                    p.field -= 1;
                    p.load_field(&q, &s.assessment);
                }
            }
            Action::Down => {
                if commit(p, s, &mut self.status) && p.field < fields.len() {
                    p.field += 1;
                    p.load_field(&q, &s.assessment);
                }
            }
            Action::Submit if on_start => {
                let missing: Vec<&str> = fields
                    .iter()
                    .filter(|f| f.required && !s.assessment.profile.contains_key(&f.id))
                    .map(|f| f.label.get(lang))
                    .collect();
                if missing.is_empty() {
                    self.screen = resume_screen(s);
                } else {
                    self.status = Some(Status::Error(format!(
                        "{}: {}",
                        tr(lang, "Cần điền", "Please fill in"),
                        missing.join(", ")
                    )));
                }
            }
            Action::Submit => {
                if commit(p, s, &mut self.status) {
                    p.field += 1;
                    p.load_field(&q, &s.assessment);
                }
            }
            Action::Leave => {
                if commit(p, s, &mut self.status) {
                    leave = true;
                }
            }
            Action::ChoiceNext | Action::ChoicePrev | Action::Edit(_) if is_choice => {
                let f = field.unwrap_or(&fields[0]);
                let back = matches!(action, Action::ChoicePrev | Action::Edit(Key::Left));
                let forward = matches!(
                    action,
                    Action::ChoiceNext | Action::Edit(Key::Right) | Action::Edit(Key::Char(' '))
                );
                let cur = s.assessment.profile_text(&f.id);
                let idx = cur.and_then(|c| f.options.iter().position(|o| o.id == c));
                let n = f.options.len();
                let next = match (back, forward, idx) {
                    (true, _, Some(i)) => Some((i + n - 1) % n),
                    (true, _, None) => Some(n - 1),
                    (_, true, Some(i)) => Some((i + 1) % n),
                    (_, true, None) => Some(0),
                    _ => None,
                };
                if let Some(next) = next {
                    let v = ProfileValue::Text(f.options[next].id.clone());
                    if s.assessment.set_profile(&q, &f.id, v, &now).is_ok() {
                        s.rescore();
                        changed = true;
                    }
                }
            }
            Action::Edit(k) if field.is_some() && !on_start => {
                if p.input.handle(k) == Edit::Changed {
                    p.dirty = true;
                }
            }
            Action::Paste(text) if field.is_some() && !on_start && !is_choice => {
                if p.input.paste(&text) == Edit::Changed {
                    p.dirty = true;
                }
            }
            _ => {}
        }
        let mut effects: Vec<Effect> = vec![];
        if changed {
            effects.push(save_effect(s));
        }
        if leave {
            effects.extend(self.leave_checked(Action::Leave));
        }
        effects
    }

    fn close_session(&mut self) -> Vec<Effect> {
        if self.confined.is_some() {
            // A participant's "home" is their results.
            self.screen = Screen::Dashboard(DashboardState::default());
            return vec![];
        }
        self.session = None;
        self.unsaved = None;
        self.screen = Screen::Home(HomeState::default());
        vec![Effect::ListAssessments]
    }

    // ---- Questions ----

    fn question_action(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang();
        let now = (self.now)();
        let (Screen::Question(qs), Some(s)) = (&mut self.screen, &mut self.session) else {
            return vec![];
        };
        let before = s.assessment.clone();
        let outcome = qs.handle(action, s, &now, lang);
        // Whatever the outcome, a changed assessment is saved (moving on from a number saves it).
        let mut effects = vec![];
        if s.assessment != before {
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

    fn question_outcome(&mut self, outcome: QuestionOutcome) -> Vec<Effect> {
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

    fn review_action(&mut self, action: Action) -> Vec<Effect> {
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

    fn dashboard_action(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang();
        let (Screen::Dashboard(d), Some(s)) = (&mut self.screen, &self.session) else {
            return vec![];
        };
        let rows = dashboard_rows(&s.questionnaire);
        match action {
            Action::Up => d.cursor = d.cursor.saturating_sub(1),
            Action::Down => d.cursor = (d.cursor + 1).min(rows.len().saturating_sub(1)),
            Action::Why => {
                let dimension = rows.get(d.cursor).cloned().flatten();
                self.overlay = Some(Overlay::Why {
                    dimension,
                    cursor: 0,
                });
            }
            Action::Back => {
                // Back to the question the user came from, else the first unanswered.
                let state = match &d.from {
                    Some(id) if s.visible().contains(id) => QuestionState::at(s, id),
                    _ => QuestionState::at_first_unanswered(s),
                };
                self.screen = Screen::Question(state);
            }
            Action::Review => {
                self.screen = Screen::Review(ReviewState::default());
            }
            Action::Leave if self.confined.is_some() => return self.leave_checked(Action::Quit),
            Action::Leave => return self.leave_checked(Action::Leave),
            Action::Report | Action::Compare if self.confined.is_some() => {
                self.status = Some(Status::Info(
                    tr(
                        lang,
                        "Trong phòng hội thảo, người hướng dẫn xuất báo cáo chung của cả phòng",
                        "In a workshop room, the trainer exports the report for the whole room",
                    )
                    .into(),
                ));
            }
            Action::Report => return vec![Effect::WriteReport],
            Action::Compare => return vec![Effect::ListForCompare],
            _ => {}
        }
        vec![]
    }

    // ---- Overlays ----

    fn overlay_action(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang();
        let now = (self.now)();
        let Some(overlay) = self.overlay.as_mut() else {
            return vec![];
        };
        match overlay {
            Overlay::ComparePick { items, cursor } => match action {
                Action::Up => {
                    *cursor = cursor.saturating_sub(1);
                    vec![]
                }
                Action::Down => {
                    *cursor = (*cursor + 1).min(items.len().saturating_sub(1));
                    vec![]
                }
                Action::Choose => {
                    let path = items.get(*cursor).map(|l| l.path.clone());
                    self.overlay = None;
                    path.map(Effect::Compare).into_iter().collect()
                }
                Action::Back => {
                    self.overlay = None;
                    vec![]
                }
                _ => vec![],
            },
            Overlay::Compare { lines, scroll } => {
                let max = lines.len().saturating_sub(1);
                match action {
                    Action::Up => *scroll = scroll.saturating_sub(1),
                    Action::Down => *scroll = (*scroll + 1).min(max),
                    Action::PageUp => *scroll = scroll.saturating_sub(10),
                    Action::PageDown => *scroll = (*scroll + 10).min(max),
                    Action::Back => self.overlay = None,
                    _ => {}
                }
                vec![]
            }
            Overlay::Help { scroll } => {
                match action {
                    Action::Up => *scroll = scroll.saturating_sub(1),
                    Action::Down => *scroll += 1,
                    Action::PageUp => *scroll = scroll.saturating_sub(10),
                    Action::PageDown => *scroll += 10,
                    Action::Back | Action::Help => self.overlay = None,
                    _ => {}
                }
                vec![]
            }
            Overlay::Notice(_) => {
                if matches!(action, Action::Back | Action::Choose) {
                    self.overlay = None;
                }
                vec![]
            }
            Overlay::Confirm(c) => {
                let c = c.clone();
                match action {
                    Action::ConfirmYes => {
                        self.overlay = None;
                        match c {
                            Confirm::DeleteFile { path, .. } => vec![Effect::Delete(path)],
                            Confirm::ClearAnswer { question, .. } => {
                                let Some(s) = &mut self.session else {
                                    return vec![];
                                };
                                if s.assessment.answers.remove(&question).is_some() {
                                    s.assessment.updated_at = now;
                                    s.rescore();
                                    if let Screen::Question(qs) = &mut self.screen {
                                        qs.resync(s);
                                    }
                                    self.status = Some(Status::Info(
                                        tr(lang, "Đã xóa câu trả lời", "Answer cleared").into(),
                                    ));
                                    vec![save_effect(s)]
                                } else {
                                    vec![]
                                }
                            }
                            Confirm::QuitUnsaved { then, .. } => {
                                self.unsaved = None;
                                match *then {
                                    Action::Quit => vec![Effect::Quit],
                                    _ => self.close_session(),
                                }
                            }
                        }
                    }
                    Action::ConfirmNo => {
                        self.overlay = None;
                        vec![]
                    }
                    _ => vec![],
                }
            }
            Overlay::OpenPath(input) => match action {
                Action::Back => {
                    self.overlay = None;
                    vec![]
                }
                Action::Submit => {
                    let p = PathBuf::from(input.value().trim());
                    self.overlay = None;
                    vec![Effect::LoadQuestionnaire(p)]
                }
                Action::Edit(k) => {
                    input.handle(k);
                    vec![]
                }
                Action::Paste(t) => {
                    input.paste(&t);
                    vec![]
                }
                _ => vec![],
            },
            Overlay::Search(st) => {
                let Some(s) = &self.session else {
                    self.overlay = None;
                    return vec![];
                };
                let hits = st.results(s, lang);
                match action {
                    Action::Up => st.cursor = st.cursor.saturating_sub(1),
                    Action::Down => st.cursor = (st.cursor + 1).min(hits.len().saturating_sub(1)),
                    Action::Filter => {
                        st.filter = st.filter.next();
                        st.cursor = 0;
                    }
                    Action::Edit(k) => {
                        let changed = st.input.handle(k) == Edit::Changed;
                        if changed {
                            st.cursor = 0;
                        }
                    }
                    Action::Paste(t) => {
                        st.input.paste(&t);
                        st.cursor = 0;
                    }
                    Action::Choose => {
                        if let Some(id) = hits.get(st.cursor) {
                            self.screen = Screen::Question(QuestionState::at(s, id));
                            self.overlay = None;
                        }
                    }
                    Action::Back => self.overlay = None,
                    _ => {}
                }
                vec![]
            }
            Overlay::Sections { cursor } => {
                let Some(s) = &self.session else {
                    return vec![];
                };
                let n = s.questionnaire.sections.len();
                match action {
                    Action::Up => *cursor = cursor.saturating_sub(1),
                    Action::Down => *cursor = (*cursor + 1).min(n.saturating_sub(1)),
                    Action::Choose => {
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
                    Action::Back => self.overlay = None,
                    _ => {}
                }
                vec![]
            }
            Overlay::Why { dimension, cursor } => {
                let Some(s) = &self.session else {
                    return vec![];
                };
                let items: Vec<String> = why_questions(&s.report, dimension.as_deref());
                match action {
                    Action::Up => *cursor = cursor.saturating_sub(1),
                    Action::Down => *cursor = (*cursor + 1).min(items.len().saturating_sub(1)),
                    Action::Choose => {
                        if let Some(id) = items.get(*cursor) {
                            if s.visible().contains(id) {
                                self.screen = Screen::Question(QuestionState::at(s, id));
                            }
                            self.overlay = None;
                        }
                    }
                    Action::Back => self.overlay = None,
                    _ => {}
                }
                vec![]
            }
            Overlay::Comment(ed) | Overlay::Alternate(ed) => {
                match action {
                    Action::Edit(k) => {
                        ed.handle(k);
                        return vec![];
                    }
                    Action::Paste(t) => {
                        ed.paste(&t);
                        return vec![];
                    }
                    Action::Submit | Action::Back => {}
                    _ => return vec![],
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
                            vec![save_effect(s)]
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
                            vec![save_effect(s)]
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
            Overlay::Evidence(form) => match form.handle(&action) {
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
                            vec![save_effect(s)]
                        }
                    }
                }
            },
        }
    }

    // ---- Effects ----

    /// Executes one effect (the only place that does IO) and reports back with a message; it
    /// never changes the screens itself.
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
            Effect::ListForCompare => {
                let s = self.session.as_ref()?;
                let items = list_assessments(&self.assessments_dir(), &self.catalog)
                    .into_iter()
                    .filter(|l| {
                        l.error.is_none()
                            && l.questionnaire == s.questionnaire.id
                            && l.path != s.path
                    })
                    .collect();
                Some(Msg::CompareCandidates(items))
            }
            Effect::Save(job) => Some(Msg::Saved(
                store::write(&job.path, &job.assessment, &job.questionnaire)
                    .map(|()| (self.now)())
                    .map_err(|e| e.render(lang)),
            )),
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
                        let session = Session::new(
                            path,
                            Some(lock),
                            loaded.questionnaire,
                            loaded.assessment,
                            loaded.notes,
                        );
                        Some(Msg::Opened(Box::new(Opened {
                            session,
                            notes,
                            created: false,
                        })))
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
                let session =
                    Session::new(path, Some(lock), entry.questionnaire.clone(), a, vec![]);
                Some(Msg::Opened(Box::new(Opened {
                    session,
                    notes: vec![],
                    created: true,
                })))
            }
            Effect::Delete(path) => {
                // Refuse while another session edits it.
                let result = store::lock(&path)
                    .map_err(|e| e.render(lang))
                    .and_then(|lock| {
                        std::fs::remove_file(&path)
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                        std::fs::remove_file(&lock.lock_path).ok();
                        Ok(path.clone())
                    });
                Some(Msg::Deleted(result))
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
                    Ok(doc) => Some(Msg::Compared(
                        crate::report::compare::to_text(&doc)
                            .lines()
                            .map(str::to_string)
                            .collect(),
                    )),
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
                Some(Msg::ReportWritten(
                    store::write_text(&path, &crate::report::html::render(&doc))
                        .map(|()| path)
                        .map_err(|e| e.render(lang)),
                ))
            }
            Effect::LoadQuestionnaire(path) => {
                let before = self.catalog.entries.len();
                Some(Msg::QuestionnaireLoaded(
                    match self.catalog.add_file(&path) {
                        Some(_) => Ok(before),
                        None => Err(self
                            .catalog
                            .errors
                            .pop()
                            .map(|e| e.render(lang))
                            .unwrap_or_default()),
                    },
                ))
            }
        }
    }
}

/// The save of the session as it is now.
pub fn save_effect(s: &Session) -> Effect {
    Effect::Save(Box::new(SaveJob {
        path: s.path.clone(),
        assessment: s.assessment.clone(),
        questionnaire: s.questionnaire.clone(),
    }))
}

/// Where an opened assessment resumes: the profile while a required field is empty, the
/// results when every shown question is answered, else the first unanswered question.
pub fn resume_screen(s: &Session) -> Screen {
    let q = &s.questionnaire;
    if let Some(i) = q
        .profile
        .iter()
        .position(|f| f.required && !s.assessment.profile.contains_key(&f.id))
    {
        let mut p = ProfileState {
            field: i,
            ..Default::default()
        };
        p.load_field(q, &s.assessment);
        return Screen::Profile(p);
    }
    let visible = s.visible();
    if !visible.is_empty()
        && visible
            .iter()
            .all(|id| s.assessment.answers.contains_key(id))
    {
        return Screen::Dashboard(DashboardState::default());
    }
    Screen::Question(QuestionState::at_first_unanswered(s))
}

/// The one place that enforces a participant's limits: only their own file, no other IO.
fn confined_allows(c: &Confine, effect: &Effect) -> bool {
    match effect {
        Effect::Save(job) => job.path == c.path,
        Effect::Quit => true,
        Effect::Open(p) => *p == c.path,
        Effect::Create(q) => *q == c.questionnaire && !c.path.exists(),
        Effect::ListAssessments
        | Effect::SaveSettings
        | Effect::Delete(_)
        | Effect::LoadQuestionnaire(_)
        | Effect::Compare(_)
        | Effect::ListForCompare
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
    /// Coverage of the scored questions, percent (what the score rests on).
    pub progress: f64,
    /// Shown questions answered (any answer) and shown questions: the wizard's one count.
    pub answered: usize,
    pub shown: usize,
    pub updated_at: String,
    pub band: Option<crate::i18n::Text>,
    /// Why it cannot be opened, if it cannot.
    pub error: Option<String>,
}

impl Listing {
    /// How a confirmation names it: organisation, questionnaire, date, file.
    pub fn describe(&self, lang: Lang) -> String {
        let org = if self.organisation.is_empty() {
            tr(lang, "(chưa đặt tên)", "(no name yet)").to_string()
        } else {
            self.organisation.clone()
        };
        let file = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!(
            "{org} · {} · {} · {file}",
            self.title.get(lang),
            crate::locale::datetime(&self.updated_at, lang)
        )
    }
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
                    answered: {
                        let hidden = l.assessment.hidden_questions(&l.questionnaire);
                        l.questionnaire
                            .questions()
                            .filter(|(_, q)| {
                                !hidden.contains(&q.id) && l.assessment.answers.contains_key(&q.id)
                            })
                            .count()
                    },
                    shown: {
                        let hidden = l.assessment.hidden_questions(&l.questionnaire);
                        l.questionnaire
                            .questions()
                            .filter(|(_, q)| !hidden.contains(&q.id))
                            .count()
                    },
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
                answered: 0,
                shown: 0,
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
