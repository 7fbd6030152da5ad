//! A small summary of each saved assessment (who, which questionnaire, when, how far, which
//! band), kept in a cache file in the data folder so listing a folder of a thousand
//! assessments reads one file, not a thousand.
//!
//! An entry is used only when the file still has the name, size, modification time (and, on
//! Unix, inode) it had when it was summarised, and only under the same program and
//! questionnaires (the cache's `key`). Everything else is summarised again and the cache
//! rewritten atomically: a missing, corrupt, foreign or outdated cache is ignored and
//! rebuilt, entries of removed files are dropped, and the cache holds at most
//! [`MAX_ENTRIES`] entries. A file modified within [`RACY`] of the listing is not cached
//! (a file system with coarse times could change it again within the same time stamp).

use crate::i18n::Text;
use crate::questionnaire::Catalog;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// What the home list shows of one assessment file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub organisation: String,
    pub questionnaire: String,
    pub title: Text,
    /// Coverage of the scored questions, percent; stored as its bits so it comes back exact.
    #[serde(with = "f64_bits")]
    pub progress: f64,
    pub answered: usize,
    pub shown: usize,
    pub updated_at: String,
    pub band: Option<Text>,
}

mod f64_bits {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(v.to_bits())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        u64::deserialize(d).map(f64::from_bits)
    }
}

/// The most entries the cache keeps (about 400 bytes each).
pub const MAX_ENTRIES: usize = 20_000;
/// The largest cache file read; a bigger one is ignored.
const MAX_BYTES: u64 = 32 * 1024 * 1024;
/// Files modified this recently are summarised but not cached.
pub const RACY: Duration = Duration::from_secs(2);
const FORMAT: &str = "sansang-summary-cache";
const VERSION: u32 = 1;

/// Where the cache of a folder of assessments is kept: `<data folder>/cache/assessments.json`
/// for `<data folder>/assessments/` (beside the folder, so nothing in it is mistaken for an
/// assessment).
pub fn cache_path(dir: &Path) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "assessments".into());
    dir.parent()
        .unwrap_or(dir)
        .join("cache")
        .join(format!("{name}.json"))
}

/// What a summary depends on besides the file: this program (its version and its executable's
/// size and time, so a rebuilt or upgraded program summarises again) and the questionnaires it
/// scores against (their ids, versions and content hashes, and the local files it rejected).
/// Cheap: no questionnaire is parsed.
pub fn key(catalog: &Catalog) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION"));
    if let Some(m) = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
    {
        h.update(format!("\0exe {} {:?}", m.len(), m.modified().ok()));
    }
    for e in &catalog.entries {
        h.update(format!(
            "\0q {} {} {} {:?}",
            e.questionnaire.id(),
            e.questionnaire.version(),
            e.hash,
            e.origin
        ));
    }
    for e in &catalog.errors {
        h.update(format!(
            "\0x {} {:?}",
            e.source_name(),
            e.questionnaire_id()
        ));
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    hex
}

/// The identity of a file's content as far as the cache trusts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    size: u64,
    /// Modification time since the Unix epoch: seconds and nanoseconds.
    secs: u64,
    nanos: u32,
    /// The inode on Unix (0 elsewhere).
    ino: u64,
}

impl Stamp {
    /// The stamp of a regular file (following links), or None: not a regular file, or a time
    /// before 1970.
    fn of(path: &Path) -> Option<(Stamp, SystemTime)> {
        let m = std::fs::metadata(path).ok()?;
        if !m.is_file() {
            return None;
        }
        let modified = m.modified().ok()?;
        let t = modified.duration_since(SystemTime::UNIX_EPOCH).ok()?;
        #[cfg(unix)]
        let ino = std::os::unix::fs::MetadataExt::ino(&m);
        #[cfg(not(unix))]
        let ino = 0;
        Some((
            Stamp {
                size: m.len(),
                secs: t.as_secs(),
                nanos: t.subsec_nanos(),
                ino,
            },
            modified,
        ))
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Cached {
    stamp: Stamp,
    summary: Summary,
}

#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    format: String,
    version: u32,
    key: String,
    /// By file name.
    entries: BTreeMap<String, Cached>,
}

/// The cache's entries, if the file is a cache of this format made under this key.
fn read_cache(path: &Path, key: &str) -> BTreeMap<String, Cached> {
    crate::fsutil::read_text(path, MAX_BYTES)
        .ok()
        .and_then(|t| serde_json::from_str::<CacheFile>(&t).ok())
        .filter(|c| c.format == FORMAT && c.version == VERSION && c.key == key)
        .map(|c| c.entries)
        .unwrap_or_default()
}

/// One file of the folder and its summary, or why it has none (one line, English).
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub path: PathBuf,
    pub summary: Result<Summary, String>,
}

/// Counts of one listing, for tests and benchmarks.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Summaries taken from the cache.
    pub hits: usize,
    /// Files summarised by `summarise`.
    pub computed: usize,
    /// Whether the cache file was rewritten.
    pub written: bool,
}

/// Every `*.json` file in `dir` with its summary, in no particular order: from the cache at
/// `cache` when it is current for the file, else from `summarise`; the cache is then
/// rewritten if anything in it changed (a failed write only costs the next listing time).
pub fn list(
    dir: &Path,
    cache: &Path,
    key: &str,
    summarise: impl FnMut(&Path) -> Result<Summary, String>,
) -> (Vec<Listed>, Stats) {
    list_bounded(dir, cache, key, summarise, MAX_ENTRIES)
}

fn list_bounded(
    dir: &Path,
    cache: &Path,
    key: &str,
    mut summarise: impl FnMut(&Path) -> Result<Summary, String>,
    max: usize,
) -> (Vec<Listed>, Stats) {
    let mut stats = Stats::default();
    let Ok(read) = std::fs::read_dir(dir) else {
        return (vec![], stats);
    };
    let mut paths: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut old = read_cache(cache, key);
    let before = old.len();
    let now = SystemTime::now();
    let mut kept: BTreeMap<String, Cached> = BTreeMap::new();
    let mut changed = false;
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stamp = Stamp::of(&path);
        let hit = match (old.remove(&name), stamp) {
            (Some(c), Some((s, _))) if c.stamp == s => Some(c),
            _ => None,
        };
        let summary = match hit {
            Some(c) => {
                stats.hits += 1;
                let s = c.summary.clone();
                if kept.len() < max {
                    kept.insert(name, c);
                }
                Ok(s)
            }
            None => {
                stats.computed += 1;
                let r = summarise(&path);
                if let (Ok(summary), Some((stamp, modified))) = (&r, stamp) {
                    // Cached only when settled; the file is summarised again next time.
                    let settled = now.duration_since(modified).is_ok_and(|age| age >= RACY);
                    if settled && kept.len() < max {
                        kept.insert(
                            name,
                            Cached {
                                stamp,
                                summary: summary.clone(),
                            },
                        );
                        changed = true;
                    }
                }
                r
            }
        };
        out.push(Listed { path, summary });
    }
    // Entries not taken: removed files, or stale ones.
    if kept.len() != before || changed {
        let file = CacheFile {
            format: FORMAT.into(),
            version: VERSION,
            key: key.to_string(),
            entries: kept,
        };
        if let Ok(bytes) = serde_json::to_vec(&file) {
            stats.written = super::store::write_bytes(cache, &bytes).is_ok();
        }
    }
    (out, stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(org: &str) -> Summary {
        Summary {
            organisation: org.into(),
            questionnaire: "sme".into(),
            title: Text::new("Doanh nghiệp", "Business"),
            progress: 100.0 / 3.0,
            answered: 3,
            shown: 9,
            updated_at: "2026-01-02T03:04:05Z".into(),
            band: Some(Text::new("Khởi đầu", "Starting")),
        }
    }

    /// A folder with files a.json and b.json, both modified long enough ago to be cached.
    fn folder() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("assessments");
        std::fs::create_dir_all(&dir).unwrap();
        for n in ["a", "b"] {
            let p = dir.join(format!("{n}.json"));
            std::fs::write(&p, format!("{{\"org\": \"{n}\"}}")).unwrap();
            age(&p);
        }
        std::fs::write(dir.join("notes.txt"), "not listed").unwrap();
        let cache = cache_path(&dir);
        assert_eq!(cache, d.path().join("cache/assessments.json"));
        (d, dir, cache)
    }

    /// Sets a file's modification time a minute back.
    fn age(p: &Path) {
        let f = std::fs::File::options().write(true).open(p).unwrap();
        f.set_modified(SystemTime::now() - Duration::from_secs(60))
            .unwrap();
    }

    /// Summaries from the file's text, counting the calls.
    fn run(dir: &Path, cache: &Path, key: &str) -> (Vec<Listed>, Stats) {
        list(dir, cache, key, |p| {
            let t = std::fs::read_to_string(p).map_err(|e| e.to_string())?;
            let v: serde_json::Value = serde_json::from_str(&t).map_err(|e| e.to_string())?;
            Ok(summary(v["org"].as_str().unwrap_or("?")))
        })
    }

    fn orgs(l: &[Listed]) -> Vec<String> {
        l.iter()
            .map(|x| match &x.summary {
                Ok(s) => s.organisation.clone(),
                Err(e) => format!("error: {e}"),
            })
            .collect()
    }

    #[test]
    fn a_second_listing_reads_the_cache_and_gives_the_same_summaries() {
        let (_d, dir, cache) = folder();
        let (first, s1) = run(&dir, &cache, "k");
        assert_eq!((s1.hits, s1.computed, s1.written), (0, 2, true));
        assert_eq!(orgs(&first), ["a", "b"]);
        let (second, s2) = run(&dir, &cache, "k");
        assert_eq!((s2.hits, s2.computed, s2.written), (2, 0, false));
        assert_eq!(first, second);
        // Exactly: the fraction survives the round trip.
        assert_eq!(
            second[0].summary.as_ref().unwrap().progress.to_bits(),
            (100.0f64 / 3.0).to_bits()
        );
    }

    #[test]
    fn a_changed_size_or_time_is_summarised_again() {
        let (_d, dir, cache) = folder();
        run(&dir, &cache, "k");
        // Same size, other content, other time.
        let a = dir.join("a.json");
        std::fs::write(&a, "{\"org\": \"x\"}").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&a)
            .unwrap()
            .set_modified(SystemTime::now() - Duration::from_secs(30))
            .unwrap();
        let (l, s) = run(&dir, &cache, "k");
        assert_eq!((s.hits, s.computed), (1, 1));
        assert_eq!(orgs(&l), ["x", "b"]);
        // Other size, same time as cached now.
        let (_, s) = run(&dir, &cache, "k");
        assert_eq!((s.hits, s.computed), (2, 0));
        let t = std::fs::metadata(&a).unwrap().modified().unwrap();
        std::fs::write(&a, "{\"org\": \"longer\"}").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&a)
            .unwrap()
            .set_modified(t)
            .unwrap();
        let (l, s) = run(&dir, &cache, "k");
        assert_eq!((s.hits, s.computed), (1, 1));
        assert_eq!(orgs(&l), ["longer", "b"]);
    }

    #[test]
    fn a_file_just_written_is_not_cached() {
        let (_d, dir, cache) = folder();
        std::fs::write(dir.join("c.json"), "{\"org\": \"c\"}").unwrap();
        run(&dir, &cache, "k");
        let (l, s) = run(&dir, &cache, "k");
        assert_eq!((s.hits, s.computed), (2, 1));
        assert_eq!(orgs(&l), ["a", "b", "c"]);
    }

    #[test]
    fn a_corrupt_foreign_or_other_key_cache_is_ignored_and_rebuilt() {
        let (_d, dir, cache) = folder();
        run(&dir, &cache, "k");
        let good = std::fs::read_to_string(&cache).unwrap();
        let bad = [
            "{\"format\": \"sansang-summary-cache\", \"version\": 1, \"key\": \"k\", \"ent"
                .to_string(),
            "\u{0}\u{1}garbage".to_string(),
            "[1, 2, 3]".to_string(),
            good.replace("sansang-summary-cache", "someone-else"),
            good.replace("\"version\":1", "\"version\":99"),
            // A summary claiming another organisation under a wrong key is not believed.
            good.replace("\"key\":\"k\"", "\"key\":\"other\"")
                .replace("\"organisation\":\"a\"", "\"organisation\":\"forged\""),
        ];
        for text in bad {
            std::fs::write(&cache, &text).unwrap();
            let (l, s) = run(&dir, &cache, "k");
            assert_eq!((s.hits, s.computed, s.written), (0, 2, true), "{text}");
            assert_eq!(orgs(&l), ["a", "b"]);
            let (_, s) = run(&dir, &cache, "k");
            assert_eq!(s.hits, 2, "rebuilt after {text}");
        }
        // Another key (a changed questionnaire) is summarised again.
        let (_, s) = run(&dir, &cache, "other");
        assert_eq!((s.hits, s.computed), (0, 2));
        // A cache that is a folder, not a file: listed all the same.
        std::fs::remove_file(&cache).unwrap();
        std::fs::create_dir(&cache).unwrap();
        let (l, s) = run(&dir, &cache, "k");
        assert_eq!((s.computed, s.written), (2, false));
        assert_eq!(orgs(&l), ["a", "b"]);
    }

    #[test]
    fn a_removed_file_is_dropped_from_the_cache() {
        let (_d, dir, cache) = folder();
        run(&dir, &cache, "k");
        std::fs::remove_file(dir.join("a.json")).unwrap();
        let (l, s) = run(&dir, &cache, "k");
        assert_eq!((s.hits, s.computed, s.written), (1, 0, true));
        assert_eq!(orgs(&l), ["b"]);
        let c: CacheFile = serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
        assert_eq!(c.entries.keys().collect::<Vec<_>>(), ["b.json"]);
    }

    #[test]
    fn failures_are_listed_and_never_cached() {
        let (_d, dir, cache) = folder();
        std::fs::write(dir.join("bad.json"), "{ not json").unwrap();
        age(&dir.join("bad.json"));
        run(&dir, &cache, "k");
        let (l, s) = run(&dir, &cache, "k");
        assert_eq!((s.hits, s.computed), (2, 1));
        assert!(orgs(&l)[2].starts_with("error: "), "{:?}", orgs(&l));
    }

    #[test]
    fn the_cache_is_bounded() {
        let (_d, dir, cache) = folder();
        let summarise = |_: &Path| Ok(summary("x"));
        let (l, _) = list_bounded(&dir, &cache, "k", summarise, 1);
        assert_eq!(l.len(), 2);
        assert_eq!(read_cache(&cache, "k").len(), 1);
        // A cache file above the size cap is not read.
        let (_, s) = list_bounded(&dir, &cache, "k", summarise, 1);
        assert_eq!((s.hits, s.computed), (1, 1));
        let f = std::fs::File::options().write(true).open(&cache).unwrap();
        f.set_len(MAX_BYTES + 1).unwrap();
        assert!(read_cache(&cache, "k").is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_listed_through_summarise_without_being_opened_by_the_cache() {
        let (_d, dir, cache) = folder();
        let fifo = dir.join("pipe.json");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let (l, s) = list(&dir, &cache, "k", |p| {
            if p == fifo {
                Err("not a file".into())
            } else {
                Ok(summary("ok"))
            }
        });
        assert_eq!(s.computed, 3);
        assert_eq!(orgs(&l), ["ok", "ok", "error: not a file"]);
    }
}
