//! The questionnaires available to a user: the built-in ones embedded in the binary, plus local
//! files in `<data dir>/questionnaires/`, plus any loaded by path.

use super::load::{LoadError, content_hash, load_file};
use super::model::Questionnaire;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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

/// What is known of each built-in questionnaire without parsing it, in [`BUILTIN`]'s order:
/// (id, version, content hash). Checked by `builtin_facts_are_current` (run it after editing a
/// file under `questionnaires/`; it prints the lines to paste here).
pub const BUILTIN_FACTS: &[(&str, &str, &str)] = &[
    (
        "agency",
        "1.2.0",
        "sha256:e43b2dbc708bf8a29cfd731ec5510e2da5ccb45f3a0e0ac62d61da039406bb75",
    ),
    (
        "sme",
        "1.1.1",
        "sha256:40da659a36608cd93c2ac9b2cb0d324e422e6914b3e5f6da6bbab08303d5f172",
    ),
    (
        "workshop",
        "1.1.1",
        "sha256:405f688cf5e4582aace775b587ed00a2a7d1f5bcd0896d991b221c176016ab7b",
    ),
];

#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Builtin,
    File(PathBuf),
}

/// The built-in questionnaires, each parsed the first time it is used (once per process, shared
/// by every catalog and session).
static PARSED: [OnceLock<Arc<Questionnaire>>; BUILTIN.len()] =
    [const { OnceLock::new() }; BUILTIN.len()];

/// The built-in questionnaire at this index of [`BUILTIN`], parsed now if not yet. The files are
/// validated and hashed by the tests, so the plain parser is enough here.
fn parsed_builtin(i: usize) -> &'static Arc<Questionnaire> {
    PARSED[i].get_or_init(|| {
        let (name, text) = BUILTIN[i];
        match super::load::parse(text, &format!("<built-in>/{name}")) {
            Ok(q) => Arc::new(q),
            // Only a build that skipped the tests can get here.
            Err(e) => panic!("{}", e.render(crate::i18n::Lang::En)),
        }
    })
}

/// `q` as the process-wide parse of a built-in questionnaire (the same `Arc`), if it is one:
/// what lives as long as the process, so work prepared from it can be kept (see
/// `scoring::lean::prepared`).
pub fn as_builtin(q: &Arc<Questionnaire>) -> Option<(usize, &'static Questionnaire)> {
    PARSED
        .iter()
        .enumerate()
        .find_map(|(i, p)| p.get().filter(|p| Arc::ptr_eq(p, q)).map(|p| (i, &**p)))
}

#[derive(Debug)]
enum Source {
    Builtin(usize),
    Loaded(Arc<Questionnaire>),
}

/// A catalog entry's questionnaire: a built-in one is parsed on first use, a file is parsed
/// when it is added. It derefs to `Arc<Questionnaire>`, so `entry.questionnaire.id` reads the
/// questionnaire (parsing a built-in one then) and `entry.questionnaire.clone()` is the `Arc`.
/// Its id and version are known without parsing.
#[derive(Debug)]
pub struct LazyQuestionnaire(Source);

impl LazyQuestionnaire {
    /// The questionnaire's id, without parsing a built-in one.
    pub fn id(&self) -> &str {
        match &self.0 {
            Source::Builtin(i) => BUILTIN_FACTS[*i].0,
            Source::Loaded(q) => &q.id,
        }
    }

    /// The questionnaire's version, without parsing a built-in one.
    pub fn version(&self) -> &str {
        match &self.0 {
            Source::Builtin(i) => BUILTIN_FACTS[*i].1,
            Source::Loaded(q) => &q.version,
        }
    }

    /// Has the questionnaire been parsed (always, for a file)?
    pub fn is_parsed(&self) -> bool {
        match &self.0 {
            Source::Builtin(i) => PARSED[*i].get().is_some(),
            Source::Loaded(_) => true,
        }
    }
}

impl std::ops::Deref for LazyQuestionnaire {
    type Target = Arc<Questionnaire>;

    fn deref(&self) -> &Arc<Questionnaire> {
        match &self.0 {
            Source::Builtin(i) => parsed_builtin(*i),
            Source::Loaded(q) => q,
        }
    }
}

impl From<Arc<Questionnaire>> for LazyQuestionnaire {
    fn from(q: Arc<Questionnaire>) -> LazyQuestionnaire {
        LazyQuestionnaire(Source::Loaded(q))
    }
}

#[derive(Debug)]
pub struct Entry {
    pub questionnaire: LazyQuestionnaire,
    pub origin: Origin,
    pub hash: String,
}

// Not derived: `LazyQuestionnaire` is deliberately not `Clone`, so that `.clone()` on it reaches
// the `Arc` behind it.
impl Clone for Entry {
    fn clone(&self) -> Entry {
        let source = match &self.questionnaire.0 {
            Source::Builtin(i) => Source::Builtin(*i),
            Source::Loaded(q) => Source::Loaded(q.clone()),
        };
        Entry {
            questionnaire: LazyQuestionnaire(source),
            origin: self.origin.clone(),
            hash: self.hash.clone(),
        }
    }
}

impl Entry {
    fn new(q: Questionnaire, origin: Origin) -> Entry {
        let hash = content_hash(&q);
        Entry {
            questionnaire: Arc::new(q).into(),
            origin,
            hash,
        }
    }
}

/// Cheap to clone: the questionnaires and the load errors are shared (`Arc`), so a worker thread
/// can take a copy along.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    pub entries: Vec<Entry>,
    /// Local files that failed to load: reported, never fatal.
    pub errors: Vec<Arc<LoadError>>,
}

/// The local questionnaire files of a folder, each read and checked (or why not), by name.
pub type LocalFiles = Vec<(PathBuf, Result<Questionnaire, LoadError>)>;

impl Catalog {
    /// The built-in questionnaires only; nothing is parsed until an entry's questionnaire is used.
    pub fn builtin() -> Catalog {
        Catalog {
            entries: (0..BUILTIN.len())
                .map(|i| Entry {
                    questionnaire: LazyQuestionnaire(Source::Builtin(i)),
                    origin: Origin::Builtin,
                    hash: BUILTIN_FACTS[i].2.to_string(),
                })
                .collect(),
            errors: vec![],
        }
    }

    /// Built-in questionnaires plus every `*.json` in `dir` (if it exists), sorted by name.
    pub fn with_local_dir(dir: &Path) -> Catalog {
        let mut c = Catalog::builtin();
        c.add_local(read_local_dir(dir));
        c
    }

    /// Adds the files read by [`read_local_dir`] (in their order), keeping the errors.
    pub fn add_local(&mut self, files: LocalFiles) {
        for (path, loaded) in files {
            self.add_loaded(&path, loaded);
        }
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
                self.errors.push(Arc::new(e));
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
            .map(|e| &**e)
    }

    /// The questionnaire with this id, preferring the exact version, then a local file over the
    /// built-in one.
    pub fn find(&self, id: &str, version: Option<&str>) -> Option<&Entry> {
        let same_id = || {
            self.entries
                .iter()
                .filter(move |e| e.questionnaire.id() == id)
        };
        version
            .and_then(|v| same_id().find(|e| e.questionnaire.version() == v))
            .or_else(|| same_id().rfind(|e| e.origin != Origin::Builtin))
            .or_else(|| same_id().next())
    }
}

/// Reads every `*.json` in `dir` (nothing if there is no such folder), sorted by name: the
/// questionnaire of each, or why it was rejected.
pub fn read_local_dir(dir: &Path) -> LocalFiles {
    let Ok(read) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut paths: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let loaded = load_file(&p);
            (p, loaded)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::load_str;

    /// The built-in questionnaires whose content changed (another hash than the embedded one)
    /// while their version stayed the same: reports, re-assessments and the "questionnaire
    /// changed since the last save" note tell versions apart by their number.
    fn unraised(fresh: &[(String, String, String)]) -> Vec<String> {
        fresh
            .iter()
            .filter_map(|(id, version, hash)| {
                let (_, was, was_hash) = BUILTIN_FACTS.iter().find(|(i, ..)| i == id)?;
                (was == version && was_hash != hash).then(|| {
                    format!(
                        "{id}.json changed but is still version {version}: raise its version \
                         (the last number for wording, the middle one for questions or scoring)"
                    )
                })
            })
            .collect()
    }

    #[test]
    fn a_content_change_needs_a_new_version() {
        let (id, version, hash) = BUILTIN_FACTS[0];
        let same = |v: &str, h: &str| vec![(id.to_string(), v.to_string(), h.to_string())];
        assert!(unraised(&same(version, hash)).is_empty());
        assert!(unraised(&same("99.0.0", "sha256:other")).is_empty());
        let stale = unraised(&same(version, "sha256:other"));
        assert!(stale[0].contains("raise its version"), "{stale:?}");
    }

    /// The facts the binary embeds must be those of the files it embeds: a stale hash would make
    /// every saved assessment look as if its questionnaire had changed. Each file is also fully
    /// validated here (with the path-aware parser), which the program no longer does at start.
    #[test]
    fn builtin_facts_are_current() {
        assert_eq!(BUILTIN.len(), BUILTIN_FACTS.len());
        let mut fresh = String::new();
        let mut facts = Vec::new();
        for (name, text) in BUILTIN {
            let q = load_str(text, &format!("questionnaires/{name}"))
                .unwrap_or_else(|e| panic!("{}", e.render(crate::i18n::Lang::En)));
            fresh.push_str(&format!(
                "    (\n        \"{}\",\n        \"{}\",\n        \"{}\",\n    ),\n",
                q.id,
                q.version,
                content_hash(&q)
            ));
            facts.push((q.id.clone(), q.version.clone(), content_hash(&q)));
        }
        let stale = unraised(&facts);
        assert!(stale.is_empty(), "{}", stale.join("\n"));
        let mut embedded = String::new();
        for (id, version, hash) in BUILTIN_FACTS {
            embedded.push_str(&format!(
                "    (\n        \"{id}\",\n        \"{version}\",\n        \"{hash}\",\n    ),\n"
            ));
        }
        assert!(
            fresh == embedded,
            "BUILTIN_FACTS in src/questionnaire/catalog.rs is stale; its entries must read:\n{fresh}"
        );
    }

    #[test]
    fn a_builtin_questionnaire_is_parsed_only_when_used_and_then_once() {
        let c = Catalog::builtin();
        let e = c.find("workshop", None).unwrap();
        assert_eq!(e.questionnaire.id(), "workshop");
        let q1 = e.questionnaire.clone();
        assert!(e.questionnaire.is_parsed());
        let q2 = Catalog::builtin()
            .find("workshop", None)
            .unwrap()
            .questionnaire
            .clone();
        assert!(Arc::ptr_eq(&q1, &q2), "parsed once per process");
        assert_eq!(q1.id, "workshop");
        assert_eq!(e.hash, content_hash(&q1));
    }

    #[test]
    fn find_prefers_the_saved_version_then_a_local_file() {
        let mut c = Catalog::builtin();
        let (_, text) = BUILTIN[2];
        let mut q: Questionnaire = serde_json::from_str(text).unwrap();
        q.version = "9.9.9".into();
        c.entries
            .push(Entry::new(q, Origin::File("local/workshop.json".into())));
        let b = BUILTIN_FACTS[2].1;
        assert_eq!(c.find("workshop", Some(b)).unwrap().origin, Origin::Builtin);
        assert_eq!(
            c.find("workshop", None).unwrap().questionnaire.version(),
            "9.9.9"
        );
        assert_eq!(
            c.find("workshop", Some("0.0.1"))
                .unwrap()
                .questionnaire
                .version(),
            "9.9.9"
        );
        assert!(c.find("nothing", None).is_none());
    }
}
