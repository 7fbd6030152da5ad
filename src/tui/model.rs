//! The wizard's shared state: settings, the open session, which screen and overlay are up,
//! the status line, and the values effects carry. Screens and overlays (one file each under
//! `screens/` and `overlays/`) hold their own state types; this module ties them together.

use super::editor::{LineInput, TextEditor};
use super::keymap::Action;
use super::overlays::evidence::EvidenceForm;
use super::overlays::search::SearchState;
use super::screens::{
    choose::ChooseState, dashboard::DashboardState, home::HomeState, profile::ProfileState,
    question::QuestionState, reconcile::ReconcileState, review::ReviewState,
};
use crate::assessment::Assessment;
use crate::assessment::store::{EditLock, LoadNote};
use crate::i18n::{Lang, tr};
use crate::questionnaire::Questionnaire;
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
    /// The full report of the answers as they stand (every dimension explained: the results
    /// screen and "why" read it), worked out when first asked for after a change: see
    /// [`Session::report`]. A change on the question screen only needs the headline.
    report: std::cell::OnceCell<Report>,
    /// The headline score and its band (index in `Questionnaire::bands_sorted`), kept current
    /// by [`Session::rescore`] with the lean scorer, whose numbers are the full report's bit
    /// for bit: what the question screen shows after each answer, without the report.
    pub headline: (Option<f64>, Option<usize>),
    /// The questions the profile and skip logic show with these answers, kept current by
    /// [`Session::rescore`] like the headline: a key or a frame reads it without evaluating
    /// every condition again.
    shown: Shown,
    pub notes: Vec<LoadNote>,
    /// Interview mode: the respondent chosen last (new answers are theirs until another is
    /// chosen), and the clock of the time spent per section.
    pub interview: super::interview::InterviewUi,
}

impl Session {
    pub fn new(
        path: PathBuf,
        lock: Option<EditLock>,
        q: Arc<Questionnaire>,
        a: Assessment,
        notes: Vec<LoadNote>,
    ) -> Session {
        let (headline, shown) = headline_of(&q, &a);
        Session {
            path,
            _lock: lock,
            questionnaire: q,
            assessment: a,
            report: Default::default(),
            headline,
            shown,
            notes,
            interview: Default::default(),
        }
    }

    /// Ids of the questions shown with the current answers, in order.
    pub fn visible(&self) -> &[String] {
        &self.shown().ids
    }

    /// The one progress count of the wizard (see [`progress_of`]).
    pub fn progress(&self) -> (usize, usize) {
        self.shown().progress(&self.assessment)
    }

    /// The questions shown with the current answers, with lookups by id without a scan.
    pub fn shown(&self) -> &Shown {
        debug_assert_eq!(
            self.shown,
            Shown::new(
                &self.questionnaire,
                &self.assessment,
                visible_questions(&self.questionnaire, &self.assessment)
            ),
            "the answers changed without Session::rescore"
        );
        &self.shown
    }

    /// A section's (answered, shown) questions: the count beside each section.
    pub fn section_progress(&self, section: &crate::questionnaire::Section) -> (usize, usize) {
        self.shown().section_progress(self, section)
    }

    /// After a change to the answers or the profile: the headline and the questions shown
    /// now, the full report when next asked for.
    pub fn rescore(&mut self) {
        self.report = Default::default();
        (self.headline, self.shown) = headline_of(&self.questionnaire, &self.assessment);
    }

    /// The full report of the answers as they stand (worked out once per change; a pure
    /// function of the questionnaire and the answers, so drawing from it stays pure).
    pub fn report(&self) -> &Report {
        self.report
            .get_or_init(|| scoring::score(&self.questionnaire, &self.assessment))
    }
}

/// The headline score with its band's index among the bands sorted lowest first, and the
/// questions shown: one pass of the lean scorer, which decides the skip logic by index.
fn headline_of(q: &Arc<Questionnaire>, a: &Assessment) -> ((Option<f64>, Option<usize>), Shown) {
    let lean = match scoring::lean::prepared(q) {
        Some(scorer) => scorer.score(a),
        None => scoring::lean::LeanScorer::new(q).score(a),
    };
    let ids = q
        .questions()
        .enumerate()
        .filter(|(slot, _)| lean.is_shown(*slot))
        .map(|(_, (_, x))| x.id.clone())
        .collect();
    ((lean.headline, lean.headline_band), Shown::new(q, a, ids))
}

/// The questions shown, in order, with their positions by id.
#[derive(Debug, PartialEq)]
pub struct Shown {
    pub ids: Vec<String>,
    at: std::collections::HashMap<String, usize>,
    /// Per section of the questionnaire, in order: its (answered, shown) questions.
    sections: Vec<(usize, usize)>,
}

impl Shown {
    /// The questions `ids` of `q` shown with the answers `a`.
    pub fn new(q: &Questionnaire, a: &Assessment, ids: Vec<String>) -> Shown {
        let at: std::collections::HashMap<String, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        let sections = q
            .sections
            .iter()
            .map(|sec| {
                let shown = sec.questions.iter().filter(|x| at.contains_key(&x.id));
                shown.fold((0, 0), |(done, n), x| {
                    (done + usize::from(a.answers.contains_key(&x.id)), n + 1)
                })
            })
            .collect();
        Shown { ids, at, sections }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.at.contains_key(id)
    }

    /// Where `id` is among the shown questions (0-based).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.at.get(id).copied()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// (answered, shown) over every shown question: the wizard's one progress count.
    pub fn progress(&self, a: &Assessment) -> (usize, usize) {
        answered_of(&self.ids, a)
    }

    /// A section's (answered, shown) questions, worked out with the rest.
    pub fn section_progress(
        &self,
        s: &Session,
        section: &crate::questionnaire::Section,
    ) -> (usize, usize) {
        let at = s
            .questionnaire
            .sections
            .iter()
            .position(|x| x.id == section.id);
        at.and_then(|i| self.sections.get(i).copied())
            .unwrap_or_default()
    }
}

/// Ids of the questions shown with these answers (profile and skip logic), in order.
pub fn visible_questions(q: &Questionnaire, a: &Assessment) -> Vec<String> {
    let hidden = a.hidden_questions(q);
    q.questions()
        .map(|(_, x)| x.id.clone())
        .filter(|id| !hidden.contains(id))
        .collect()
}

/// The one progress count of the wizard: (shown questions with an answer of any kind, shown
/// questions). "Shown" is every question the profile and skip logic leave visible; the
/// questionnaire's total (all questions) is said beside it where it differs.
pub fn progress_of(q: &Questionnaire, a: &Assessment) -> (usize, usize) {
    answered_of(&visible_questions(q, a), a)
}

/// (answered, all) of these question ids.
fn answered_of(ids: &[String], a: &Assessment) -> (usize, usize) {
    let done = ids.iter().filter(|id| a.answers.contains_key(*id)).count();
    (done, ids.len())
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
    /// Agreeing the diverging answers of several respondents (a reconciled assessment).
    Reconcile(ReconcileState),
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
    /// The keys, the section of the place it was opened from first.
    Help {
        scroll: usize,
        from: crate::tui::keymap::Ctx,
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
    /// A question's sources, as people cite and find them.
    Sources {
        question: String,
        scroll: usize,
        /// Line numbers in the seed texts shown (for auditors).
        auditor: bool,
    },
    /// The current question and all its levels or options, full width, to read aloud or turn
    /// towards the interviewee (`overlays/read_aloud.rs`).
    ReadAloud {
        scroll: usize,
    },
}

/// The line under the header: what just happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// A save is on its way to the disk.
    Saving,
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

/// What to save: a snapshot taken when the change was made, so a save queued just before the
/// session closes still writes the right file.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveJob {
    pub path: PathBuf,
    pub assessment: Assessment,
    pub questionnaire: Arc<Questionnaire>,
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
    /// The organisation's name, or "(no name yet)".
    pub fn org_label(&self, lang: Lang) -> String {
        if self.organisation.is_empty() {
            tr(lang, "(chưa đặt tên)", "(no name yet)").to_string()
        } else {
            self.organisation.clone()
        }
    }

    pub fn describe(&self, lang: Lang) -> String {
        let org = self.org_label(lang);
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
