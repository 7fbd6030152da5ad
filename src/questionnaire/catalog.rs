//! The questionnaires available to a user: the built-in ones embedded in the binary, plus local
//! files in `<data dir>/questionnaires/`, plus any loaded by path.

use super::load::{LoadError, content_hash, load_file, load_str};
use super::model::Questionnaire;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Built-in questionnaires: (file name, contents).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "agency.json",
        include_str!("../../questionnaires/agency.json"),
    ),
    ("sme.json", include_str!("../../questionnaires/sme.json")),
    (
        "workshop.json",
        include_str!("../../questionnaires/workshop.json"),
    ),
];

#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Builtin,
    File(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub questionnaire: Arc<Questionnaire>,
    pub origin: Origin,
    pub hash: String,
}

impl Entry {
    fn new(q: Questionnaire, origin: Origin) -> Entry {
        let hash = content_hash(&q);
        Entry {
            questionnaire: Arc::new(q),
            origin,
            hash,
        }
    }
}

#[derive(Debug, Default)]
pub struct Catalog {
    pub entries: Vec<Entry>,
    /// Local files that failed to load: reported, never fatal.
    pub errors: Vec<LoadError>,
}

impl Catalog {
    /// The built-in questionnaires only.
    pub fn builtin() -> Catalog {
        let mut c = Catalog::default();
        for (name, text) in BUILTIN {
            match load_str(text, &format!("<built-in>/{name}")) {
                Ok(q) => c.entries.push(Entry::new(q, Origin::Builtin)),
                Err(e) => c.errors.push(e),
            }
        }
        c
    }

    /// Built-in questionnaires plus every `*.json` in `dir` (if it exists), sorted by name.
    pub fn with_local_dir(dir: &Path) -> Catalog {
        let mut c = Catalog::builtin();
        let Ok(read) = std::fs::read_dir(dir) else {
            return c;
        };
        let mut paths: Vec<PathBuf> = read
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        for p in paths {
            c.add_file(&p);
        }
        c
    }

    /// Loads a questionnaire from a path and adds it; on failure the error is kept in `errors`.
    pub fn add_file(&mut self, path: &Path) -> Option<Arc<Questionnaire>> {
        self.add_loaded(path, load_file(path))
    }

    /// Adds a questionnaire read from `path` (e.g. on another thread), or keeps its error.
    pub fn add_loaded(
        &mut self,
        path: &Path,
        loaded: Result<Questionnaire, LoadError>,
    ) -> Option<Arc<Questionnaire>> {
        match loaded {
            Ok(q) => {
                let e = Entry::new(q, Origin::File(path.to_path_buf()));
                let q = e.questionnaire.clone();
                self.entries.push(e);
                Some(q)
            }
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    /// The load error of a local file that declares this id (or, unreadable, is named after it).
    pub fn rejected(&self, id: &str) -> Option<&LoadError> {
        if id.is_empty() {
            return None;
        }
        self.errors
            .iter()
            .find(|e| e.questionnaire_id() == Some(id))
            .or_else(|| {
                self.errors.iter().find(|e| {
                    e.questionnaire_id().is_none()
                        && Path::new(e.source_name())
                            .file_stem()
                            .is_some_and(|s| s == id)
                })
            })
    }

    /// The questionnaire with this id, preferring the exact version, then a local file over the
    /// built-in one.
    pub fn find(&self, id: &str, version: Option<&str>) -> Option<&Entry> {
        let same_id = || {
            self.entries
                .iter()
                .filter(move |e| e.questionnaire.id == id)
        };
        version
            .and_then(|v| same_id().find(|e| e.questionnaire.version == v))
            .or_else(|| same_id().rfind(|e| e.origin != Origin::Builtin))
            .or_else(|| same_id().next())
    }
}
