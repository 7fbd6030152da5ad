//! A workshop room: a folder with one assessment file per participant, the rules for
//! participant and room names, and the live view of who is connected. No terminal or network
//! code: the SSH server and the trainer dashboard both build on this.

use crate::aggregate::{self, AggregateDoc, GroupBy};
use crate::i18n::{Lang, tr};
use crate::questionnaire::Catalog;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
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
    pub answered: usize,
    pub applicable: usize,
    pub headline: Option<f64>,
    pub band: Option<String>,
    /// The file could not be read (shown, never hidden).
    pub error: Option<String>,
}

/// The room at one moment: participants and the aggregate of their answers.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub participants: Vec<Participant>,
    pub aggregate: AggregateDoc,
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
}

impl Room {
    pub fn new(name: String, dir: PathBuf, questionnaire: String) -> Room {
        Room {
            name,
            dir,
            questionnaire,
            generation: AtomicU64::new(1),
            online: Mutex::new(BTreeMap::new()),
        }
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

    /// Reads every participant file and aggregates them (the same numbers as
    /// `sansang aggregate <room folder>`).
    pub fn snapshot(&self, catalog: &Catalog, lang: Lang) -> Snapshot {
        let doc = aggregate::aggregate(
            std::slice::from_ref(&self.dir),
            catalog,
            GroupBy::Questionnaire,
            lang,
        );
        let stem = |f: &str| {
            Path::new(f)
                .file_stem()
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
        };
        let mut participants: BTreeMap<String, Participant> = BTreeMap::new();
        for qa in &doc.questionnaires {
            for r in &qa.respondents {
                let name = stem(&r.file);
                participants.insert(
                    name.clone(),
                    Participant {
                        answered: r.coverage.answered,
                        applicable: r.coverage.applicable,
                        headline: r.headline,
                        band: r.band.as_ref().map(|b| b.label.clone()),
                        ..blank(name)
                    },
                );
            }
        }
        for s in &doc.skipped {
            let name = stem(&s.file);
            participants.insert(
                name.clone(),
                Participant {
                    error: Some(s.error.clone()),
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
        Snapshot {
            participants: participants.into_values().collect(),
            aggregate: doc,
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
