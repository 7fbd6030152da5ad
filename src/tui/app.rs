//! The wizard as a state machine: `App` state, `Msg`s in, `update` returns `Effect`s (IO to do),
//! `perform` executes one effect and reports back with a `Msg`. The app never touches a terminal;
//! a runner feeds it keys and draws `view`. Settings (language, colours, data folder) live in
//! each `App`, so one process can hold many sessions.

use super::key::Key;
use super::keymap::{self, Action, Ctx};
pub use super::model::*;
use super::screens::home::list_assessments;
use super::screens::{
    choose::ChooseState, dashboard::DashboardState, home::HomeState, profile::ProfileState,
    question::QuestionState,
};
use crate::assessment::Assessment;
use crate::assessment::store;
use crate::i18n::{Lang, tr};
use crate::questionnaire::catalog::LocalFiles;
use crate::questionnaire::{Catalog, LoadError, Questionnaire};
use std::path::PathBuf;
use std::sync::Arc;

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
    /// A save other than the assessment's (the settings) failed, or worked.
    Saved(Result<String, String>),
    /// From the save worker: save number `.0` of the open assessment landed (the time), or
    /// why not (see `saving.rs`).
    SaveDone(u64, Result<String, String>),
    Opened(Box<Opened>),
    /// A questionnaire file was read (off the UI thread): add it to the catalog.
    QuestionnaireRead(PathBuf, Box<Result<Questionnaire, LoadError>>),
    /// A questionnaire file was added to the catalog (its index), or why not.
    QuestionnaireLoaded(Result<usize, String>),
    Deleted(Result<PathBuf, String>),
    ReportWritten(Result<PathBuf, String>),
    /// Opening or creating an assessment failed.
    OpenFailed(String),
    /// The local questionnaires (`<data folder>/questionnaires/*.json`), read after the first
    /// frame: added to the catalog, the rejected ones reported.
    LocalQuestionnaires(LocalFiles),
    /// The result of job `.0`, run off the UI thread (see `App::off_thread`).
    Done(u64, Box<Msg>),
    Quit,
}

/// IO for the runner to do (through `App::perform`); `update` never does IO itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    ListAssessments,
    Save(Box<SaveJob>),
    SaveSettings,
    Open(PathBuf),
    Create(String),
    /// Read the local questionnaires in this folder into the catalog.
    LoadLocalQuestionnaires(PathBuf),
    Delete(PathBuf),
    LoadQuestionnaire(PathBuf),
    /// List the other assessments of the open questionnaire (to compare with).
    ListForCompare,
    /// Compare the open assessment with this (earlier) one.
    Compare(PathBuf),
    /// Write the open assessment's HTML report into `<data folder>/reports/`.
    WriteReport,
    /// Reconcile these respondents' files into a new assessment in the assessments folder, and
    /// open it on the reconcile screen.
    Reconcile(Vec<PathBuf>),
    /// A new assessment seeded from this one (re-assessment), opened on its profile.
    Reassess(PathBuf),
    /// Save again after a failed save, then leave (quit or close) if it worked.
    SaveThenLeave(Box<SaveJob>, Action),
    Quit,
}

pub struct App {
    pub settings: Settings,
    pub confined: Option<Confine>,
    pub data_dir: PathBuf,
    /// Shared with the work running off the UI thread (cheap to clone).
    pub catalog: Arc<Catalog>,
    /// The folder of local questionnaires not read yet: `App::new` starts on the built-in
    /// catalog and reads it after the first frame (`init`).
    pub local_dir: Option<PathBuf>,
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
    /// Effects held back until the first frame is on screen (see `run_deferred`).
    pub deferred: Vec<Effect>,
    /// Where slow effects run off the UI thread (given by the runner; `None`: in place).
    pub jobs: Option<super::jobs::Jobs>,
    /// The open assessment's saves in flight.
    pub saves: super::saving::Saves,
    /// The work the user waits on, running off the UI thread (one at a time).
    pub pending: Option<Pending>,
    /// The number of the last job started off the UI thread.
    job: u64,
    /// The job reading the newest home list (an older list arriving late is dropped).
    listing: u64,
}

/// Work the user waits on (opening, comparing, deleting, …), running off the UI thread. While
/// it runs the status line says what it is, every key works, and another such effect is
/// refused (a second Enter does not open the file twice). Its result is shown only while the
/// user stays where they asked: moving to another screen or question abandons it, and a result
/// that would change the screen or open an overlay (an opened assessment, a comparison, a
/// questionnaire file) is then dropped (an opened file's lock is let go with it; a reconciled
/// assessment already written stays in the folder and is listed); a status-line result (a
/// failure, a deletion, a written report) is still shown. Quitting does not wait for it (a
/// save does): what it writes is written atomically or not at all.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub job: u64,
    /// Where it was asked for (see `App::place`).
    place: Place,
    /// What the status line says meanwhile.
    pub doing: String,
}

/// A screen, and the question on the question screen.
type Place = (std::mem::Discriminant<Screen>, Option<String>);

impl App {
    /// An app on the built-in catalog; the local questionnaires are read after the first frame
    /// (`init`), or at once by `load_local_questionnaires`.
    pub fn new(data_dir: PathBuf, settings: Settings) -> App {
        let local = data_dir.join("questionnaires");
        let mut app = Self::with_catalog(data_dir, settings, Catalog::builtin());
        app.local_dir = Some(local);
        app
    }

    /// An app over a given catalog (the SSH server shares one loaded catalog between sessions).
    pub fn with_catalog(data_dir: PathBuf, settings: Settings, catalog: Catalog) -> App {
        App {
            settings,
            confined: None,
            data_dir,
            catalog: Arc::new(catalog),
            local_dir: None,
            screen: Screen::Home(HomeState::default()),
            overlay: None,
            status: None,
            session: None,
            size: (80, 24),
            quit: false,
            unsaved: None,
            now: store::now,
            deferred: vec![],
            jobs: None,
            saves: Default::default(),
            pending: None,
            job: 0,
            listing: 0,
        }
    }

    /// Reads the local questionnaires now if they have not been (a start that needs the whole
    /// catalog at once, e.g. `sansang new <id>`).
    pub fn load_local_questionnaires(&mut self) {
        if let Some(dir) = self.local_dir.take() {
            let files = crate::questionnaire::catalog::read_local_dir(&dir);
            self.dispatch(Msg::LocalQuestionnaires(files));
        }
    }

    /// Reads `settings.json` from the data folder (defaults if absent or unreadable).
    pub fn load_settings(data_dir: &std::path::Path) -> Settings {
        Self::saved_settings(data_dir).unwrap_or_default()
    }

    /// `settings.json` from the data folder, if there is a readable one.
    pub fn saved_settings(data_dir: &std::path::Path) -> Option<Settings> {
        crate::fsutil::read_text(
            &data_dir.join("settings.json"),
            crate::fsutil::Kind::Settings.cap(),
        )
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

    /// The effects to run when the app starts: the local questionnaires (if not read yet) come
    /// before the list, whose summaries depend on them.
    pub fn init(&mut self) -> Vec<Effect> {
        let mut out: Vec<Effect> = self
            .local_dir
            .take()
            .map(Effect::LoadLocalQuestionnaires)
            .into_iter()
            .collect();
        out.push(match &self.confined {
            Some(c) if c.path.exists() => Effect::Open(c.path.clone()),
            Some(c) => Effect::Create(c.questionnaire.clone()),
            None => Effect::ListAssessments,
        });
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
                Overlay::Sources { .. } => Ctx::Sources,
                Overlay::ReadAloud { .. } => Ctx::ReadAloud,
            };
        }
        match &self.screen {
            Screen::Home(_) => Ctx::Home,
            Screen::Choose(_) => Ctx::Choose,
            Screen::Profile(p) if p.picking => Ctx::PickList,
            Screen::Profile(_) => Ctx::Profile,
            Screen::Question(q) if q.editor.is_some() => Ctx::Editor,
            Screen::Question(q) if q.number_focus => Ctx::NumberField,
            Screen::Question(_) => Ctx::Question,
            Screen::Review(_) => Ctx::Review,
            Screen::Dashboard(_) => Ctx::Results,
            Screen::Reconcile(r) => r.ctx(),
        }
    }

    /// True when the window is below the minimum size (keys other than Ctrl-C are ignored then,
    /// since the user cannot see what they would do).
    pub fn too_small(&self) -> bool {
        self.size.0 < super::view::MIN_WIDTH || self.size.1 < super::view::MIN_HEIGHT
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let effects = self.update_screens(msg);
        // A workshop participant answers for themselves: their profile offers no interview
        // mode, whichever path opened it.
        if self.confined.is_some()
            && let Screen::Profile(p) = &mut self.screen
        {
            p.confined = true;
        }
        effects
    }

    fn update_screens(&mut self, msg: Msg) -> Vec<Effect> {
        let lang = self.lang();
        match msg {
            Msg::Resize(w, h) => {
                self.size = (w, h);
                vec![]
            }
            Msg::Quit => vec![Effect::Quit],
            Msg::Done(job, msg) => self.job_done(job, *msg),
            Msg::LocalQuestionnaires(files) => {
                Arc::make_mut(&mut self.catalog).add_local(files);
                if !self.catalog.errors.is_empty() {
                    self.overlay = Some(Overlay::Notice(
                        self.catalog.errors.iter().map(|e| e.render(lang)).collect(),
                    ));
                }
                vec![]
            }
            Msg::Listed(items) => {
                if let Screen::Home(h) = &mut self.screen {
                    h.items = items;
                    h.loaded = true;
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
            Msg::SaveDone(seq, result) => self.save_done(seq, result),
            Msg::Opened(o) => {
                let Opened {
                    session,
                    notes,
                    created,
                } = *o;
                self.screen = if created {
                    let mut p = ProfileState::default();
                    if session.assessment.seeded_from.is_some() {
                        // A re-assessment's profile is filled: Enter starts the walk.
                        p.field = session.questionnaire.profile.len();
                    }
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
                let mut effects = save.into_iter().collect();
                // The time on a section counts from the moment it is shown.
                self.clock_follow(None, &mut effects);
                effects
            }
            Msg::QuestionnaireRead(path, loaded) => {
                if matches!(self.status, Some(Status::Info(_))) {
                    self.status = None;
                }
                let before = self.catalog.entries.len();
                let catalog = Arc::make_mut(&mut self.catalog);
                let loaded = match catalog.add_loaded(&path, *loaded) {
                    Some(_) => Ok(before),
                    None => Err(catalog
                        .errors
                        .pop()
                        .map(|e| e.render(lang))
                        .unwrap_or_default()),
                };
                self.update(Msg::QuestionnaireLoaded(loaded))
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
                // Gone from the list at once; the list is read again behind.
                if let Screen::Home(h) = &mut self.screen {
                    h.items.retain(|i| i.path != path);
                    h.marked.retain(|p| *p != path);
                    h.selected = h.selected.min(h.items.len().saturating_sub(1));
                }
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

    /// What an action does: the one entry point for keys, pastes and tests. The time since the
    /// last key counts for the section on screen (`interview.rs`).
    pub fn apply(&mut self, action: Action) -> Vec<Effect> {
        self.clock_tick();
        let pending = self
            .session
            .as_ref()
            .filter(|s| s.interview.unsaved)
            .map(save_effect);
        let mut effects = self.apply_action(action);
        self.clock_follow(pending, &mut effects);
        // Moving elsewhere abandons the work waited on (see `Pending`).
        if self
            .pending
            .as_ref()
            .is_some_and(|p| p.place != self.place())
        {
            self.pending = None;
        }
        effects
    }

    fn apply_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => return self.leave_checked(Action::Quit),
            Action::Help if self.overlay.is_none() => {
                let from = self.ctx();
                self.overlay = Some(Overlay::Help { scroll: 0, from });
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
            && !matches!(
                self.ctx(),
                Ctx::Editor | Ctx::NumberField | Ctx::Profile | Ctx::PickList
            )
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
        let (place, status) = (self.place(), self.status.clone());
        let effects = match &self.screen {
            Screen::Home(_) => self.home_action(action),
            Screen::Choose(_) => self.choose_action(action),
            Screen::Profile(_) => self.profile_action(action),
            Screen::Question(_) => self.question_action(action),
            Screen::Review(_) => self.review_action(action),
            Screen::Dashboard(_) => self.dashboard_action(action),
            Screen::Reconcile(_) => self.reconcile_action(action),
        };
        // A note or refusal belongs where it was said: moving to another screen or question
        // clears it (a failed save stays until a save works).
        if self.place() != place
            && self.status == status
            && self.unsaved.is_none()
            && matches!(self.status, Some(Status::Error(_) | Status::Info(_)))
        {
            self.status = None;
        }
        effects
    }

    /// Which screen, and which question on the question screen.
    fn place(&self) -> Place {
        let question = match &self.screen {
            Screen::Question(q) => Some(q.current.clone()),
            _ => None,
        };
        (std::mem::discriminant(&self.screen), question)
    }

    /// Leaving (quit, or closing the assessment): when the last save failed, save again first;
    /// if that fails too, ask before going.
    pub(in crate::tui) fn leave_checked(&mut self, then: Action) -> Vec<Effect> {
        // A save on its way: leave when it is on disk (or ask, should it fail).
        if self.session.is_some() && self.leave_after_save(&then) {
            return vec![];
        }
        if self.unsaved.is_some()
            && let Some(s) = &self.session
        {
            return vec![Effect::SaveThenLeave(save_job(s), then)];
        }
        self.leave_now(then)
    }

    pub(in crate::tui) fn leave_now(&mut self, then: Action) -> Vec<Effect> {
        match then {
            Action::Quit => vec![Effect::Quit],
            _ => self.close_session(),
        }
    }

    // ---- Home ----

    // ---- Profile ----

    pub(in crate::tui) fn close_session(&mut self) -> Vec<Effect> {
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

    // ---- Overlays: each handles its own actions (`overlays/*.rs`) ----

    fn overlay_action(&mut self, action: Action) -> Vec<Effect> {
        match &self.overlay {
            None => vec![],
            Some(Overlay::Help { .. }) => self.help_action(action),
            Some(Overlay::Notice(_)) => self.notice_action(action),
            Some(Overlay::Confirm(_)) => self.confirm_action(action),
            Some(Overlay::OpenPath(_)) => self.open_action(action),
            Some(Overlay::Search(_)) => self.search_action(action),
            Some(Overlay::Sections { .. }) => self.sections_action(action),
            Some(Overlay::ComparePick { .. }) => self.compare_pick_action(action),
            Some(Overlay::Compare { .. }) => self.compare_action(action),
            Some(Overlay::Why { .. }) => self.why_action(action),
            Some(Overlay::Comment(_) | Overlay::Alternate(_)) => self.comment_action(action),
            Some(Overlay::Evidence(_)) => self.evidence_action(action),
            Some(Overlay::Sources { .. }) => self.sources_action(action),
            Some(Overlay::ReadAloud { .. }) => self.read_aloud_action(action),
        }
    }

    // ---- Effects ----

    /// Executes one effect (the only place that does IO) and reports back with a message; it
    /// never changes the screens itself. Reading and writing files that the user waits on runs
    /// off the UI thread when a runner gave a worker (`off_thread`), else here.
    pub fn perform(&mut self, effect: Effect) -> Option<Msg> {
        let lang = self.lang();
        if let Some(c) = &self.confined
            && !confined_allows(c, &effect)
        {
            return None;
        }
        // One piece of waited-on work at a time: the status line says what is running.
        if self.pending.is_some() && waited_on(&effect) {
            return None;
        }
        let catalog = self.catalog.clone();
        match effect {
            Effect::Quit => {
                self.quit = true;
                None
            }
            Effect::ListAssessments => {
                let dir = self.assessments_dir();
                let work = move || Msg::Listed(list_assessments(&dir, &catalog));
                match self.jobs.clone() {
                    Some(jobs) => {
                        // The home screen says "Reading the list…" meanwhile. Queued behind
                        // the saves, so it shows what the user just saved (closing saves
                        // first); a newer list supersedes one not started yet.
                        self.job += 1;
                        self.listing = self.job;
                        let job = self.job;
                        jobs.serial("\0list", move || Msg::Done(job, Box::new(work())));
                        None
                    }
                    None => Some(work()),
                }
            }
            Effect::ListForCompare => {
                let s = self.session.as_ref()?;
                let (dir, qid, mine) = (
                    self.assessments_dir(),
                    s.questionnaire.id.clone(),
                    s.path.clone(),
                );
                self.off_thread(
                    tr(
                        lang,
                        "Đang tìm các bản để so sánh…",
                        "Finding assessments to compare with…",
                    ),
                    move || {
                        let items = list_assessments(&dir, &catalog)
                            .into_iter()
                            .filter(|l| {
                                l.error.is_none() && l.questionnaire == qid && l.path != mine
                            })
                            .collect();
                        Msg::CompareCandidates(items)
                    },
                )
            }
            Effect::Save(job) => self.start_save(job, None),
            Effect::SaveThenLeave(job, then) => self.start_save(job, Some(then)),
            Effect::SaveSettings => {
                let text = serde_json::to_string_pretty(&self.settings).unwrap_or_default();
                store::write_text(&self.data_dir.join("settings.json"), &text)
                    .err()
                    .map(|e| Msg::Saved(Err(e.render(lang))))
            }
            Effect::Open(path) => {
                let earlier = self.confined.is_none();
                self.off_thread(
                    tr(lang, "Đang mở bản đánh giá…", "Opening the assessment…"),
                    move || open(path, &catalog, earlier, lang),
                )
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
                self.off_thread(tr(lang, "Đang xóa…", "Deleting…"), move || {
                    // Refuse while another session edits it.
                    let result = store::lock(&path)
                        .map_err(|e| e.render(lang))
                        .and_then(|lock| {
                            std::fs::remove_file(&path)
                                .map_err(|e| format!("{}: {e}", path.display()))?;
                            std::fs::remove_file(&lock.lock_path).ok();
                            Ok(path.clone())
                        });
                    Msg::Deleted(result)
                })
            }
            Effect::Compare(path) => {
                let s = self.session.as_ref()?;
                let (q, a, mine) = (
                    s.questionnaire.clone(),
                    s.assessment.clone(),
                    s.path.clone(),
                );
                self.off_thread(tr(lang, "Đang so sánh…", "Comparing…"), move || {
                    let other = match store::read(&path, &catalog) {
                        Ok(o) => o,
                        Err(e) => return Msg::OpenFailed(e.render(lang)),
                    };
                    let name = |p: &std::path::Path| {
                        p.file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default()
                    };
                    match crate::report::compare::compare(
                        (&other.questionnaire, &other.assessment, &name(&path)),
                        (&q, &a, &name(&mine)),
                        lang,
                    ) {
                        Ok(doc) => Msg::Compared(
                            crate::report::compare::to_text(&doc)
                                .lines()
                                .map(str::to_string)
                                .collect(),
                        ),
                        Err(e) => Msg::OpenFailed(e),
                    }
                })
            }
            Effect::WriteReport => {
                let s = self.session.as_ref()?;
                let (q, a, report, file) = (
                    s.questionnaire.clone(),
                    s.assessment.clone(),
                    s.report().clone(),
                    s.path.clone(),
                );
                let (now, reports) = ((self.now)(), self.data_dir.join("reports"));
                self.off_thread(
                    tr(lang, "Đang ghi báo cáo…", "Writing the report…"),
                    move || {
                        let mut doc = crate::report::build(&q, &a, &report, lang, &now);
                        let name = file
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        doc.changes =
                            crate::report::interview::changes(&q, &a, &name, &catalog, lang);
                        let stem = file
                            .file_stem()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        let path = reports.join(format!("{stem}.{}.html", lang.code()));
                        Msg::ReportWritten(
                            store::write_text(&path, &crate::report::html::render(&doc))
                                .map(|()| path)
                                .map_err(|e| e.render(lang)),
                        )
                    },
                )
            }
            Effect::Reconcile(paths) => {
                let (dir, now) = (self.assessments_dir(), (self.now)());
                self.off_thread(
                    tr(lang, "Đang đối chiếu…", "Reconciling…"),
                    move || {
                        super::screens::reconcile::reconcile_files(
                            &paths, &catalog, &dir, &now, lang,
                        )
                    },
                )
            }
            Effect::Reassess(old) => {
                let (dir, now) = (self.assessments_dir(), (self.now)());
                self.off_thread(
                    tr(
                        lang,
                        "Đang chuẩn bị bản đánh giá lại…",
                        "Preparing the re-assessment…",
                    ),
                    move || reassess(&old, &catalog, &dir, &now, lang),
                )
            }
            Effect::LoadQuestionnaire(path) => {
                // The file may be large or on a slow share.
                self.off_thread(
                    tr(lang, "Đang mở tệp…", "Opening the file…"),
                    move || {
                        let loaded = crate::questionnaire::load_file(&path);
                        Msg::QuestionnaireRead(path, Box::new(loaded))
                    },
                )
            }
            Effect::LoadLocalQuestionnaires(dir) => Some(Msg::LocalQuestionnaires(
                crate::questionnaire::catalog::read_local_dir(&dir),
            )),
        }
    }

    /// Runs `work` on a worker when the runner gave one: the status line says `doing` until its
    /// result comes back (as `Msg::Done`, see `job_done`). Without a worker it runs here.
    fn off_thread(
        &mut self,
        doing: &str,
        work: impl FnOnce() -> Msg + Send + 'static,
    ) -> Option<Msg> {
        let Some(jobs) = self.jobs.clone() else {
            return Some(work());
        };
        self.job += 1;
        let job = self.job;
        self.pending = Some(Pending {
            job,
            place: self.place(),
            doing: doing.to_string(),
        });
        self.status = Some(Status::Info(doing.to_string()));
        jobs.spawn(move || Msg::Done(job, Box::new(work())));
        None
    }

    /// A job's result: the newest home list, or the work waited on while the user is still
    /// where they asked for it (see `Pending`).
    fn job_done(&mut self, job: u64, msg: Msg) -> Vec<Effect> {
        if let Msg::Listed(_) = msg {
            return if job == self.listing {
                self.update(msg)
            } else {
                vec![]
            };
        }
        let moves = matches!(
            msg,
            Msg::Opened(_)
                | Msg::QuestionnaireRead(..)
                | Msg::CompareCandidates(_)
                | Msg::Compared(_)
        );
        match self.pending.take_if(|p| p.job == job) {
            // Done: the "…ing" note has done its work.
            Some(p) if matches!(&self.status, Some(Status::Info(m)) if *m == p.doing) => {
                self.status = None
            }
            Some(_) => {}
            // Abandoned (the user moved on): not shown; an opened file's lock goes with it.
            None if moves => return vec![],
            None => {}
        }
        self.update(msg)
    }
}

/// Effects the user waits on, run off the UI thread one at a time (see `Pending`).
fn waited_on(effect: &Effect) -> bool {
    matches!(
        effect,
        Effect::Open(_)
            | Effect::Delete(_)
            | Effect::Compare(_)
            | Effect::ListForCompare
            | Effect::WriteReport
            | Effect::Reconcile(_)
            | Effect::Reassess(_)
            | Effect::LoadQuestionnaire(_)
    )
}

/// Opens an assessment file: its lock (taken here, it travels back with the session), the file
/// read against the catalog, and for a re-assessment the earlier one's score (`earlier`).
fn open(path: PathBuf, catalog: &Catalog, earlier: bool, lang: Lang) -> Msg {
    let lock = match store::lock(&path) {
        Ok(l) => l,
        Err(e) => return Msg::OpenFailed(e.render(lang)),
    };
    match store::read(&path, catalog) {
        Ok(loaded) => {
            let notes: Vec<String> = loaded.notes.iter().map(|n| n.render(lang)).collect();
            let mut session = Session::new(
                path,
                Some(lock),
                loaded.questionnaire,
                loaded.assessment,
                loaded.notes,
            );
            if earlier {
                crate::tui::interview::load_earlier(&mut session, catalog);
            }
            Msg::Opened(Box::new(Opened {
                session,
                notes,
                created: false,
            }))
        }
        Err(e) => Msg::OpenFailed(e.render(lang)),
    }
}

/// A new assessment seeded from `old` (re-assessment), locked in `dir`, to open on its profile.
fn reassess(
    old: &std::path::Path,
    catalog: &Catalog,
    dir: &std::path::Path,
    now: &str,
    lang: Lang,
) -> Msg {
    let seeded = match crate::reassess::seed(old, catalog, now) {
        Ok(x) => x,
        Err(e) => return Msg::OpenFailed(e.render(lang)),
    };
    let q = seeded.loaded.questionnaire;
    let path = crate::reassess::new_path(dir, &q.id, now);
    let lock = match store::lock(&path) {
        Ok(l) => l,
        Err(e) => return Msg::OpenFailed(e.render(lang)),
    };
    let a = seeded.loaded.assessment;
    let mut notes: Vec<String> = seeded.notes.iter().map(|n| n.render(lang)).collect();
    notes.insert(0, crate::tui::interview::reassess_note(&a, old, lang));
    let mut session = Session::new(path, Some(lock), q, a, vec![]);
    crate::tui::interview::load_earlier(&mut session, catalog);
    Msg::Opened(Box::new(Opened {
        session,
        notes,
        created: true,
    }))
}

/// A snapshot of the session to save.
pub(in crate::tui) fn save_job(s: &Session) -> Box<SaveJob> {
    Box::new(SaveJob {
        path: s.path.clone(),
        assessment: s.assessment.clone(),
        questionnaire: s.questionnaire.clone(),
    })
}

/// The save of the session as it is now.
pub fn save_effect(s: &Session) -> Effect {
    Effect::Save(save_job(s))
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
    // A reconciled assessment with questions still to agree opens on the reconcile screen.
    if let Some(r) = super::screens::reconcile::ReconcileState::pending(s) {
        return Screen::Reconcile(r);
    }
    let visible = s.visible();
    // A re-assessment walks through the answers it carried until each is confirmed.
    if let Some(id) = visible
        .iter()
        .find(|id| s.assessment.answers.get(*id).is_some_and(|a| a.carried))
    {
        return Screen::Question(QuestionState::at(s, id));
    }
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
        Effect::Save(job) | Effect::SaveThenLeave(job, _) => job.path == c.path,
        Effect::Quit => true,
        Effect::Open(p) => *p == c.path,
        Effect::Create(q) => *q == c.questionnaire && !c.path.exists(),
        Effect::ListAssessments
        | Effect::SaveSettings
        | Effect::Delete(_)
        | Effect::LoadQuestionnaire(_)
        | Effect::LoadLocalQuestionnaires(_)
        | Effect::Compare(_)
        | Effect::ListForCompare
        | Effect::Reconcile(_)
        | Effect::WriteReport
        | Effect::Reassess(_) => false,
    }
}
