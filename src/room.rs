//! A workshop room: a folder with one assessment file per participant, the rules for
//! participant and room names, and the live view of who is connected. No terminal or network
//! code: the SSH server and the trainer dashboard both build on this.

use crate::aggregate::{self, AggregateDoc, GroupBy};
use crate::i18n::{Lang, tr};
use crate::questionnaire::Catalog;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use unicode_normalization::UnicodeNormalization;

/// Longest participant or room name, in characters.
pub const MAX_NAME: usize = 40;

/// Why a name was refused; the message says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    Empty,
    TooLong,
    /// A character that is not a letter, digit, `.`, `-` or `_` (slashes, spaces, control
    /// characters…).
    Char(char),
    /// Starts with a dot (hidden files, `..`).
    LeadingDot,
    /// A name kept for the trainer.
    Reserved,
}

impl NameError {
    pub fn message(&self, lang: Lang, name: &str) -> String {
        let shown: String = name
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .take(60)
            .collect();
        let why = match self {
            NameError::Empty => tr(lang, "tên trống", "the name is empty").to_string(),
            NameError::TooLong => format!(
                "{} {MAX_NAME} {}",
                tr(lang, "dài quá", "longer than"),
                tr(lang, "ký tự", "characters")
            ),
            NameError::Char(c) => format!(
                "{} {:?}",
                tr(
                    lang,
                    "có ký tự không được phép",
                    "has a character that is not allowed:"
                ),
                c
            ),
            NameError::LeadingDot => {
                tr(lang, "bắt đầu bằng dấu chấm", "starts with a dot").to_string()
            }
            NameError::Reserved => tr(lang, "tên dành riêng", "the name is reserved").to_string(),
        };
        format!(
            "{} \"{shown}\": {why}. {}",
            tr(lang, "Tên không hợp lệ", "Invalid name"),
            tr(
                lang,
                "Dùng chữ cái, chữ số, dấu . - _ (ví dụ: ssh an.nguyen@…)",
                "Use letters, digits and . - _ (for example: ssh an.nguyen@…)"
            )
        )
    }
}

/// Checks a participant (or room) name and returns its canonical form: NFC, and the file
/// stem in lower case so "An" and "an" resume the same file. Letters of any script are
/// allowed (Vietnamese names), but no separators, spaces, control characters or leading dot,
/// so a name can never leave the room folder.
pub fn canonical_name(raw: &str) -> Result<String, NameError> {
    let name: String = raw.nfc().collect();
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.chars().count() > MAX_NAME {
        return Err(NameError::TooLong);
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_')))
    {
        return Err(NameError::Char(c));
    }
    if name.starts_with('.') {
        return Err(NameError::LeadingDot);
    }
    Ok(name.to_lowercase())
}

/// The user name that logs in as the trainer (never a participant).
pub const TRAINER: &str = "trainer";

/// A participant name: canonical, and not the trainer's.
pub fn participant_name(raw: &str) -> Result<String, NameError> {
    let n = canonical_name(raw)?;
    if n == TRAINER {
        return Err(NameError::Reserved);
    }
    Ok(n)
}

/// One participant as the trainer sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub name: String,
    pub online: bool,
    /// Questions shown with an answer of any kind, and questions shown: the count the
    /// participant's own wizard shows (`tui::model::progress_of`), discussion questions
    /// included (not the aggregate's coverage, which counts scored questions only).
    pub answered: usize,
    pub applicable: usize,
    pub headline: Option<f64>,
    pub band: Option<String>,
    /// The file could not be read (shown, never hidden).
    pub error: Option<String>,
    /// No answer yet (a test login, someone still on the profile): listed, but left out of
    /// every statistic.
    pub blank: bool,
}

impl Participant {
    /// Answered share in percent (0 when nothing applies yet).
    pub fn progress(&self) -> usize {
        (self.answered * 100)
            .checked_div(self.applicable)
            .unwrap_or(0)
    }
}

/// Free-text (discussion) answers to one question, for the trainer.
#[derive(Debug, Clone, PartialEq)]
pub struct Discussion {
    pub question_id: String,
    pub question: String,
    /// (participant, answer), by participant name.
    pub answers: Vec<(String, String)>,
}

/// The room at one moment: participants and the aggregate of their answers.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub participants: Vec<Participant>,
    /// The aggregate of the non-blank files (the same numbers as `sansang aggregate` on
    /// them).
    pub aggregate: AggregateDoc,
    /// The non-blank files that were aggregated.
    pub files: Vec<PathBuf>,
    pub discussion: Vec<Discussion>,
}

/// What the trainer's tools ask of the server that runs the room (implemented by the SSH
/// server; the room itself has no network code).
pub trait Control: Send + Sync {
    /// Participants connected now.
    fn connected(&self) -> usize;
    /// Ends a participant's session, if connected, with a line saying why, and waits until
    /// their file is free. False if it is still held.
    fn end_participant(&self, name: &str) -> bool;
    /// Shows a line on every participant's screen (`None`: takes it away).
    fn broadcast(&self, line: Option<String>);
}

/// Per-person join codes (`serve --codes N`): each code opens the room for the first name
/// that uses it, and from then on only for that name. Kept in `<room>/.codes.json` (a
/// dot-file: never read as an assessment), written atomically.
#[derive(Debug)]
pub struct JoinCodes {
    path: PathBuf,
    /// code → the name it is bound to.
    codes: Mutex<BTreeMap<String, Option<String>>>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct CodesFile {
    codes: BTreeMap<String, Option<String>>,
}

impl JoinCodes {
    pub fn path(room_dir: &Path) -> PathBuf {
        room_dir.join(".codes.json")
    }

    /// Loads the room's codes and makes new ones until there are at least `n`
    /// (`fresh` makes one code). Codes already bound keep their names.
    pub fn open(
        room_dir: &Path,
        n: usize,
        fresh: &mut dyn FnMut() -> String,
    ) -> Result<JoinCodes, String> {
        let path = Self::path(room_dir);
        let mut codes = match std::fs::read_to_string(&path) {
            Ok(text) => {
                serde_json::from_str::<CodesFile>(&text)
                    .map_err(|e| {
                        format!(
                            "{}: {e}. Tệp mã tham gia hỏng; xóa nó để tạo mã mới / the join-code file is damaged; delete it to make new codes",
                            path.display()
                        )
                    })?
                    .codes
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let mut tries = 0;
        while codes.len() < n && tries < n * 100 {
            codes.entry(fresh()).or_insert(None);
            tries += 1;
        }
        let jc = JoinCodes {
            path,
            codes: Mutex::new(codes),
        };
        jc.save()?;
        Ok(jc)
    }

    fn save(&self) -> Result<(), String> {
        let codes = self.codes.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let text = serde_json::to_string_pretty(&CodesFile { codes }).unwrap_or_default();
        crate::assessment::store::write_text(&self.path, &text).map_err(|e| e.render(Lang::En))
    }

    /// Every code with the name it is bound to.
    pub fn list(&self) -> Vec<(String, Option<String>)> {
        self.codes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(c, n)| (c.clone(), n.clone()))
            .collect()
    }

    /// True when `code` opens the room for `name` (canonical): bound to it, or free, in
    /// which case it is bound now and saved. A name holding a code cannot use another.
    pub fn check(&self, code: &str, name: &str, _now: &str) -> bool {
        let code = code.trim().to_lowercase();
        let mut codes = self.codes.lock().unwrap_or_else(|e| e.into_inner());
        let holds_other = codes
            .iter()
            .any(|(c, n)| n.as_deref() == Some(name) && *c != code);
        match codes.get_mut(&code) {
            Some(Some(bound)) => bound == name,
            Some(slot @ None) if !holds_other => {
                *slot = Some(name.to_string());
                drop(codes);
                // Bound in memory even if the disk refuses; the next save retries.
                let _ = self.save();
                true
            }
            _ => false,
        }
    }
}

/// One assessment file as far as the room needs it: answered or not, and its text answers.
fn peek(path: &Path) -> (bool, Vec<(String, String)>) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return (false, vec![]);
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
        // Not blank: the aggregate reports what is wrong with it.
        return (false, vec![]);
    };
    let Some(answers) = v.get("answers").and_then(|a| a.as_object()) else {
        return (true, vec![]);
    };
    let texts = answers
        .iter()
        .filter_map(|(id, a)| {
            let r = a.get("response")?;
            (r.get("kind")?.as_str()? == "text")
                .then(|| r.get("text")?.as_str())
                .flatten()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| (id.clone(), t.to_string()))
        })
        .collect();
    (answers.is_empty(), texts)
}

/// Why a trainer's change to the room's files could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomError {
    NoSuchParticipant(String),
    Exists(String),
    Name(NameError, String),
    /// Connected, or their file is being edited.
    Busy(String),
    Io(String),
}

impl RoomError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            RoomError::NoSuchParticipant(n) => format!(
                "{} \"{n}\"",
                tr(lang, "Không có người tham gia", "No such participant")
            ),
            RoomError::Exists(n) => format!(
                "\"{n}\": {}",
                tr(
                    lang,
                    "tên này đã có trong phòng; chọn tên khác, hoặc gộp",
                    "that name is already in the room; choose another, or merge"
                )
            ),
            RoomError::Name(e, n) => e.message(lang, n),
            RoomError::Busy(n) => format!(
                "\"{n}\": {}",
                tr(
                    lang,
                    "đang kết nối hoặc đang sửa tệp; thử lại sau khi phiên đóng",
                    "connected or editing the file; try again once the session is closed"
                )
            ),
            RoomError::Io(e) => e.clone(),
        }
    }
}

fn io_err(path: &Path, e: std::io::Error) -> RoomError {
    RoomError::Io(format!("{}: {e}", path.display()))
}

/// `2026-12-01T20:15:00Z` → `20261201-201500`, for archive names.
fn stamp(now: &str) -> String {
    let digits: String = now
        .chars()
        .filter(|c| c.is_ascii_digit())
        .take(14)
        .collect();
    if digits.len() == 14 {
        format!("{}-{}", &digits[..8], &digits[8..])
    } else {
        digits
    }
}

/// A room: its folder and questionnaire, who is connected, and a change counter that
/// participants' sessions bump after each answer so the trainer view knows to refresh.
#[derive(Debug)]
pub struct Room {
    pub name: String,
    pub dir: PathBuf,
    pub questionnaire: String,
    generation: AtomicU64,
    online: Mutex<BTreeMap<String, u64>>,
    /// Only names that already have a file may join.
    locked: AtomicBool,
}

impl Room {
    pub fn new(name: String, dir: PathBuf, questionnaire: String) -> Room {
        Room {
            name,
            dir,
            questionnaire,
            generation: AtomicU64::new(1),
            online: Mutex::new(BTreeMap::new()),
            locked: AtomicBool::new(false),
        }
    }

    /// Locks the room to new names (those with a file can still come back), or opens it.
    pub fn set_locked(&self, locked: bool) {
        self.locked.store(locked, Ordering::SeqCst);
        self.touch();
    }

    pub fn is_locked(&self) -> bool {
        self.locked.load(Ordering::SeqCst)
    }

    /// May this (canonical) name join now?
    pub fn admits(&self, name: &str) -> bool {
        !self.is_locked() || self.participant_path(name).exists() || self.is_online(name)
    }

    /// `<room>/archive`: where removed files go (never deleted; not read by the room).
    pub fn archive_dir(&self) -> PathBuf {
        self.dir.join("archive")
    }

    /// Moves a participant's file to the archive folder (as `<name>-<time>.json`), holding
    /// its edit lock so no session writes it meanwhile. The caller ends their session first.
    pub fn archive(&self, name: &str, now: &str) -> Result<PathBuf, RoomError> {
        let path = self.participant_path(name);
        if !path.exists() {
            return Err(RoomError::NoSuchParticipant(name.to_string()));
        }
        let _lock =
            crate::assessment::store::lock(&path).map_err(|_| RoomError::Busy(name.to_string()))?;
        let dir = self.archive_dir();
        std::fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
        let mut to = dir.join(format!("{name}-{}.json", stamp(now)));
        let mut n = 1;
        while to.exists() {
            n += 1;
            to = dir.join(format!("{name}-{}-{n}.json", stamp(now)));
        }
        std::fs::rename(&path, &to).map_err(|e| io_err(&path, e))?;
        self.touch();
        Ok(to)
    }

    /// Gives a participant's file another name (both must be free: not connected).
    pub fn rename(&self, old: &str, new_raw: &str) -> Result<String, RoomError> {
        let new = participant_name(new_raw).map_err(|e| RoomError::Name(e, new_raw.into()))?;
        let from = self.participant_path(old);
        let to = self.participant_path(&new);
        if !from.exists() {
            return Err(RoomError::NoSuchParticipant(old.to_string()));
        }
        if to.exists() || self.is_online(&new) {
            return Err(RoomError::Exists(new));
        }
        let _a =
            crate::assessment::store::lock(&from).map_err(|_| RoomError::Busy(old.to_string()))?;
        let _b = crate::assessment::store::lock(&to).map_err(|_| RoomError::Busy(new.clone()))?;
        std::fs::rename(&from, &to).map_err(|e| io_err(&from, e))?;
        self.touch();
        Ok(new)
    }

    /// Merges `from` into `into`: answers and profile fields `into` lacks are taken from
    /// `from`, nothing of `into` is overwritten; `from`'s file is then archived.
    pub fn merge(
        &self,
        from: &str,
        into: &str,
        catalog: &Catalog,
        now: &str,
    ) -> Result<(), RoomError> {
        use crate::assessment::store;
        let (pf, pi) = (self.participant_path(from), self.participant_path(into));
        for (n, p) in [(from, &pf), (into, &pi)] {
            if !p.exists() {
                return Err(RoomError::NoSuchParticipant(n.to_string()));
            }
        }
        if from == into {
            return Err(RoomError::Exists(into.to_string()));
        }
        {
            let _a = store::lock(&pf).map_err(|_| RoomError::Busy(from.to_string()))?;
            let _b = store::lock(&pi).map_err(|_| RoomError::Busy(into.to_string()))?;
            let lang = Lang::En;
            let src = store::read(&pf, catalog).map_err(|e| RoomError::Io(e.render(lang)))?;
            let mut dst = store::read(&pi, catalog).map_err(|e| RoomError::Io(e.render(lang)))?;
            for (id, a) in &src.assessment.answers {
                dst.assessment
                    .answers
                    .entry(id.clone())
                    .or_insert_with(|| a.clone());
            }
            for (id, v) in &src.assessment.profile {
                dst.assessment
                    .profile
                    .entry(id.clone())
                    .or_insert_with(|| v.clone());
            }
            dst.assessment.updated_at = now.to_string();
            store::write(&pi, &dst.assessment, &dst.questionnaire)
                .map_err(|e| RoomError::Io(e.render(lang)))?;
        }
        self.archive(from, now)?;
        Ok(())
    }

    /// Moves every participant file to `archive/room-<time>/`, leaving an empty room. The
    /// caller ends every session first.
    pub fn archive_all(&self, now: &str) -> Result<(PathBuf, usize), RoomError> {
        let to = self.archive_dir().join(format!("room-{}", stamp(now)));
        let mut moved = 0;
        let entries = std::fs::read_dir(&self.dir).map_err(|e| io_err(&self.dir, e))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && p.extension().is_some_and(|x| x == "json")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        files.sort();
        for p in files {
            let _lock = crate::assessment::store::lock(&p).map_err(|_| {
                RoomError::Busy(
                    p.file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                )
            })?;
            std::fs::create_dir_all(&to).map_err(|e| io_err(&to, e))?;
            let name = p.file_name().unwrap_or_default();
            std::fs::rename(&p, to.join(name)).map_err(|e| io_err(&p, e))?;
            moved += 1;
        }
        self.touch();
        Ok((to, moved))
    }

    /// The assessment file of a participant (the name must be canonical).
    pub fn participant_path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.json"))
    }

    /// Something changed (an answer saved, someone joined or left).
    pub fn touch(&self) {
        self.generation.fetch_add(1, Ordering::Relaxed);
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Relaxed)
    }

    /// Marks a participant connected. Connections are counted per name, so a reconnect that
    /// overlaps the old link's last moments still leaves them "online".
    pub fn join(&self, name: &str) {
        let mut on = self.online.lock().unwrap_or_else(|e| e.into_inner());
        *on.entry(name.to_string()).or_insert(0) += 1;
        drop(on);
        self.touch();
    }

    pub fn leave(&self, name: &str) {
        let mut on = self.online.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = on.get_mut(name) {
            *n -= 1;
            if *n == 0 {
                on.remove(name);
            }
        }
        drop(on);
        self.touch();
    }

    pub fn is_online(&self, name: &str) -> bool {
        self.online
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(name)
    }

    /// The participant files in the room folder (`*.json`, not dot-files), sorted.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        let name = p
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        !name.starts_with('.') && name.ends_with(".json") && p.is_file()
                    })
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    }

    /// Reads every participant file and aggregates the non-blank ones (the same numbers as
    /// `sansang aggregate` on those files); blank ones are listed, not counted.
    pub fn snapshot(&self, catalog: &Catalog, lang: Lang) -> Snapshot {
        let stem = |f: &Path| {
            f.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let online: BTreeSet<String> = self
            .online
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned()
            .collect();
        let blank = |name: String| Participant {
            online: online.contains(&name),
            name,
            answered: 0,
            applicable: 0,
            headline: None,
            band: None,
            error: None,
            blank: true,
        };
        let mut participants: BTreeMap<String, Participant> = BTreeMap::new();
        let mut counted = Vec::new();
        let mut texts: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for f in self.files() {
            let name = stem(&f);
            let (is_blank, t) = peek(&f);
            if is_blank {
                participants.insert(name.clone(), blank(name));
            } else {
                for (q, text) in t {
                    texts.entry(q).or_default().push((name.clone(), text));
                }
                counted.push(f);
            }
        }
        // Each one's progress as their wizard counts it (every question shown, discussion
        // included), beside the aggregate's coverage of scored questions.
        let mut shown: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut each = |file: &str, answered, of| {
            shown.insert(file.to_string(), (answered, of));
        };
        let opts = aggregate::RunOptions {
            shown: Some(&mut each),
            ..Default::default()
        };
        let doc = aggregate::run(&counted, catalog, GroupBy::Questionnaire, lang, opts).into_doc();
        for qa in &doc.questionnaires {
            for r in &qa.respondents {
                let name = stem(Path::new(&r.file));
                let (answered, applicable) = shown.get(&r.file).copied().unwrap_or_default();
                participants.insert(
                    name.clone(),
                    Participant {
                        answered,
                        applicable,
                        headline: r.headline,
                        band: r.band.as_ref().map(|b| b.label.clone()),
                        blank: false,
                        ..blank(name)
                    },
                );
            }
        }
        for s in &doc.skipped {
            let name = stem(Path::new(&s.file));
            participants.insert(
                name.clone(),
                Participant {
                    error: Some(s.error.clone()),
                    blank: false,
                    ..blank(name)
                },
            );
        }
        // Connected but no file yet (still on the first screen).
        for name in &online {
            participants
                .entry(name.clone())
                .or_insert_with(|| blank(name.clone()));
        }
        // Discussion answers, in questionnaire order.
        let mut discussion = Vec::new();
        if let Some(e) = catalog.find(&self.questionnaire, None) {
            for (_, q) in e.questionnaire.questions() {
                if let Some(answers) = texts.remove(&q.id) {
                    discussion.push(Discussion {
                        question_id: q.id.clone(),
                        question: q.text.get(lang).to_string(),
                        answers,
                    });
                }
            }
        }
        for (id, answers) in texts {
            discussion.push(Discussion {
                question: id.clone(),
                question_id: id,
                answers,
            });
        }
        Snapshot {
            participants: participants.into_values().collect(),
            aggregate: doc,
            files: counted,
            discussion,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_vietnamese_letters_and_refuse_escapes() {
        assert_eq!(canonical_name("An.Nguyen").unwrap(), "an.nguyen");
        assert_eq!(canonical_name("Nguyễn_Văn-An").unwrap(), "nguyễn_văn-an");
        // NFD input is stored as NFC.
        assert_eq!(
            canonical_name("Nguye\u{302}\u{303}n").unwrap(),
            "nguy\u{1ec5}n"
        );
        assert_eq!(canonical_name("../evil"), Err(NameError::Char('/')));
        assert_eq!(canonical_name(".."), Err(NameError::LeadingDot));
        assert_eq!(canonical_name("a\\b"), Err(NameError::Char('\\')));
        assert_eq!(canonical_name("a\u{1b}[2J"), Err(NameError::Char('\u{1b}')));
        assert_eq!(canonical_name("a b"), Err(NameError::Char(' ')));
        assert_eq!(canonical_name(""), Err(NameError::Empty));
        assert_eq!(canonical_name(&"a".repeat(41)), Err(NameError::TooLong));
        assert_eq!(participant_name("Trainer"), Err(NameError::Reserved));
        let msg = NameError::Char('/').message(Lang::En, "../evil");
        assert!(
            msg.contains("\"../evil\"") && msg.contains("letters, digits"),
            "{msg}"
        );
    }

    #[test]
    fn a_join_code_binds_to_the_first_name_and_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let mut n = 0;
        let mut fresh = || {
            n += 1;
            format!("code{n}")
        };
        let codes = JoinCodes::open(dir.path(), 2, &mut fresh).unwrap();
        assert_eq!(codes.list().len(), 2);
        assert!(codes.check("code1", "an", ""));
        assert!(
            codes.check("CODE1 ", "an", ""),
            "case and spaces do not matter"
        );
        assert!(!codes.check("code1", "binh", ""), "bound to an");
        assert!(!codes.check("code2", "an", ""), "an already holds a code");
        assert!(!codes.check("nope", "binh", ""));
        assert!(codes.check("code2", "binh", ""));
        drop(codes);
        let mut none = || "code1".to_string();
        let again = JoinCodes::open(dir.path(), 2, &mut none).unwrap();
        assert!(again.check("code1", "an", "") && !again.check("code1", "binh", ""));
        assert_eq!(
            again.list(),
            vec![
                ("code1".to_string(), Some("an".to_string())),
                ("code2".to_string(), Some("binh".to_string()))
            ]
        );
    }

    fn write_file(dir: &Path, name: &str, answers: serde_json::Value) {
        let v = serde_json::json!({"answers": answers});
        std::fs::write(dir.join(format!("{name}.json")), v.to_string()).unwrap();
    }

    #[test]
    fn archive_rename_and_archive_all_move_files_never_delete() {
        let dir = tempfile::tempdir().unwrap();
        let r = Room::new("r".into(), dir.path().to_path_buf(), "workshop".into());
        write_file(dir.path(), "an", serde_json::json!({}));
        write_file(dir.path(), "binh", serde_json::json!({}));
        let now = "2026-12-01T20:15:00Z";
        let to = r.archive("an", now).unwrap();
        assert_eq!(
            to,
            dir.path().join("archive").join("an-20261201-201500.json")
        );
        assert!(to.exists() && !r.participant_path("an").exists());
        assert_eq!(
            r.archive("an", now),
            Err(RoomError::NoSuchParticipant("an".into()))
        );
        assert_eq!(r.rename("binh", "Chi").unwrap(), "chi");
        assert!(r.participant_path("chi").exists());
        write_file(dir.path(), "dung", serde_json::json!({}));
        assert_eq!(
            r.rename("chi", "dung"),
            Err(RoomError::Exists("dung".into()))
        );
        assert!(matches!(r.rename("chi", "../x"), Err(RoomError::Name(..))));
        let (to, n) = r.archive_all(now).unwrap();
        assert_eq!(n, 2);
        assert!(to.join("chi.json").exists() && to.join("dung.json").exists());
        assert!(r.files().is_empty());
        // Archived files are not part of the room any more.
        assert!(
            r.snapshot(&Catalog::builtin(), Lang::En)
                .participants
                .is_empty()
        );
    }

    #[test]
    fn a_locked_room_admits_only_names_it_knows() {
        let dir = tempfile::tempdir().unwrap();
        let r = Room::new("r".into(), dir.path().to_path_buf(), "workshop".into());
        write_file(dir.path(), "an", serde_json::json!({}));
        assert!(r.admits("moi"));
        r.set_locked(true);
        assert!(r.admits("an") && !r.admits("moi"));
        r.set_locked(false);
        assert!(r.admits("moi"));
    }

    #[test]
    fn online_counts_overlapping_connections() {
        let r = Room::new("r".into(), PathBuf::from("/nonexistent"), "workshop".into());
        let g = r.generation();
        r.join("an");
        r.join("an");
        r.leave("an");
        assert!(r.is_online("an"));
        r.leave("an");
        assert!(!r.is_online("an"));
        assert!(r.generation() > g);
    }
}
