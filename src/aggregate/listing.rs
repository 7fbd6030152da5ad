//! The files of a run, in order, kept compactly: a folder's file names share one buffer (about
//! the length of the name and 4 bytes a file, instead of a path and its copy in a set), and each
//! path is made when a worker reads it.
//!
//! Folders become their `*.json` files (sorted by name, not recursive, dot-files such as the
//! `.x.json.lock` lock files left out, `NAME.vN.json` migration backups beside `NAME.json` left
//! out); files are kept as given; a path met again (the same folder twice, a file also in a folder
//! given) counts once, where it first appears. Folders that cannot be listed are returned as
//! skipped.

use super::Skipped;
use crate::assessment::store::{self, StoreError};
use crate::i18n::Lang;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// A folder's file names, sorted as paths sort, in one buffer.
#[derive(Debug, Default)]
struct Names {
    bytes: Vec<u8>,
    /// End of each name in `bytes`.
    ends: Vec<u32>,
}

impl Names {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    fn contains(&self, name: &[u8]) -> bool {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.get(mid).cmp(name) {
                std::cmp::Ordering::Equal => return true,
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
            }
        }
        false
    }

    /// The names sorted, keeping those `keep` accepts.
    fn sorted(&self, keep: impl Fn(&Names, &[u8]) -> bool) -> Names {
        let mut order: Vec<u32> = (0..self.len() as u32).collect();
        order.sort_by(|a, b| self.get(*a as usize).cmp(self.get(*b as usize)));
        let mut tmp = Names::default();
        for i in order {
            tmp.push(self.get(i as usize));
        }
        let mut out = Names::default();
        for i in 0..tmp.len() {
            if keep(&tmp, tmp.get(i)) {
                out.push(tmp.get(i));
            }
        }
        out.bytes.shrink_to_fit();
        out.ends.shrink_to_fit();
        out
    }

    fn push(&mut self, name: &[u8]) {
        self.bytes.extend_from_slice(name);
        self.ends.push(self.bytes.len() as u32);
    }
}

#[cfg(unix)]
fn bytes_of(name: &OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    name.as_bytes().to_vec()
}

#[cfg(unix)]
fn name_of(bytes: &[u8]) -> OsString {
    use std::os::unix::ffi::OsStrExt;
    OsStr::from_bytes(bytes).to_os_string()
}

#[cfg(not(unix))]
fn bytes_of(name: &OsStr) -> Vec<u8> {
    name.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn name_of(bytes: &[u8]) -> OsString {
    OsString::from(String::from_utf8_lossy(bytes).into_owned())
}

enum Part {
    Folder { dir: PathBuf, names: Names },
    File(PathBuf),
}

impl Part {
    fn len(&self) -> usize {
        match self {
            Part::Folder { names, .. } => names.len(),
            Part::File(_) => 1,
        }
    }
}

/// The files of a run, in order.
#[derive(Default)]
pub(super) struct Listing {
    parts: Vec<Part>,
    /// Index of the first file of each part.
    starts: Vec<usize>,
    /// The parts that are folders.
    folders: Vec<usize>,
    len: usize,
}

impl Listing {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The `i`-th file's path.
    pub(super) fn path(&self, i: usize) -> PathBuf {
        let p = self.starts.partition_point(|s| *s <= i).saturating_sub(1);
        match &self.parts[p] {
            Part::File(f) => f.clone(),
            Part::Folder { dir, names } => dir.join(name_of(names.get(i - self.starts[p]))),
        }
    }

    fn add(&mut self, part: Part) {
        if part.len() == 0 {
            return;
        }
        if matches!(part, Part::Folder { .. }) {
            self.folders.push(self.parts.len());
        }
        self.starts.push(self.len);
        self.len += part.len();
        self.parts.push(part);
    }

    /// Is `p` in a folder already listed?
    fn in_folder(&self, p: &Path) -> bool {
        self.folders.iter().any(|i| match &self.parts[*i] {
            Part::Folder { dir, names } => {
                p.parent() == Some(dir.as_path())
                    && p.file_name().is_some_and(|n| names.contains(&bytes_of(n)))
            }
            Part::File(_) => false,
        })
    }
}

/// Lists `inputs` (files, and folders of `*.json` files).
pub(super) fn expand(inputs: &[PathBuf], lang: Lang) -> (Listing, Vec<Skipped>) {
    let mut listing = Listing::default();
    let mut skipped = Vec::new();
    // Files given one by one: a set, so that a long list (a shell glob) is checked quickly.
    let mut given: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut folders: Vec<PathBuf> = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            if !listing.in_folder(input) && given.insert(input.clone()) {
                listing.add(Part::File(input.clone()));
            }
            continue;
        }
        if folders.contains(input) {
            continue;
        }
        folders.push(input.clone());
        let rd = match std::fs::read_dir(input) {
            Ok(rd) => rd,
            Err(error) => {
                skipped.push(Skipped {
                    file: input.display().to_string(),
                    error: StoreError::Io {
                        path: input.clone(),
                        action: store::Action::LIST_FOLDER,
                        error,
                    }
                    .render(lang),
                });
                continue;
            }
        };
        let mut found = Names::default();
        for e in rd.filter_map(|e| e.ok()) {
            let name = e.file_name();
            let text = name.to_string_lossy();
            if text.starts_with('.') || !text.ends_with(".json") {
                continue;
            }
            // The entry's type needs no extra system call; links are followed.
            let is_file = e
                .file_type()
                .is_ok_and(|t| t.is_file() || (t.is_symlink() && e.path().is_file()));
            if is_file {
                found.push(&bytes_of(&name));
            }
        }
        // Files given earlier in this folder count there, not again here.
        let earlier: Vec<Vec<u8>> = given
            .iter()
            .filter(|p| p.parent() == Some(input.as_path()))
            .filter_map(|p| p.file_name().map(bytes_of))
            .collect();
        let names = found.sorted(|all, name| {
            !is_migration_backup(name, all) && !earlier.iter().any(|e| e == name)
        });
        listing.add(Part::Folder {
            dir: input.clone(),
            names,
        });
    }
    (listing, skipped)
}

/// `NAME.vN.json` (N a number) when `NAME.json` is in the same listing: the backup kept before
/// migrating.
fn is_migration_backup(name: &[u8], names: &Names) -> bool {
    let Some(stem) = name.strip_suffix(b".json") else {
        return false;
    };
    let Some(dot) = stem.windows(2).rposition(|w| w == b".v") else {
        return false;
    };
    let (base, v) = (&stem[..dot], &stem[dot + 2..]);
    !v.is_empty() && v.iter().all(u8::is_ascii_digit) && names.contains(&[base, b".json"].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_files_duplicates_and_backups() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for n in [
            "b.json",
            "a.json",
            "a.v1.json",
            "c.v2.json",
            ".x.json.lock",
            "n.txt",
        ] {
            std::fs::write(d.join(n), "{}").unwrap();
        }
        let inputs = vec![
            d.join("b.json"),
            d.to_path_buf(),
            d.to_path_buf(),
            d.join("a.json"),
            d.join("missing.json"),
        ];
        let (l, skipped) = expand(&inputs, Lang::En);
        assert!(skipped.is_empty());
        let paths: Vec<PathBuf> = (0..l.len()).map(|i| l.path(i)).collect();
        assert_eq!(
            paths,
            vec![
                d.join("b.json"),
                d.join("a.json"),
                d.join("c.v2.json"),
                d.join("missing.json")
            ]
        );
    }
}
