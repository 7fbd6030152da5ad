//! Re-assessment: a new assessment seeded from an earlier one. The profile and every answer are
//! carried over, each marked "carried, not yet confirmed" (it counts in the scores until it is
//! confirmed or changed); the earlier file is only read, and the new one records where it came
//! from (the earlier file's SHA-256, path and date), so results and reports compare with it.

use crate::assessment::store::{self, LoadNote, Loaded, StoreError};
use crate::assessment::{Assessment, SeededFrom};
use crate::questionnaire::Catalog;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The new assessment and its questionnaire (the catalog's current version of the earlier one's).
pub struct Seeded {
    pub loaded: Loaded,
    /// Notes from reading the earlier file (migration, answers kept aside).
    pub notes: Vec<LoadNote>,
}

/// Reads `old` (never writing it) and builds the re-assessment, stamped `now`.
pub fn seed(old: &Path, catalog: &Catalog, now: &str) -> Result<Seeded, StoreError> {
    let text =
        crate::fsutil::read_text(old, crate::fsutil::Kind::Assessment.cap()).map_err(|error| {
            match error {
                crate::fsutil::ReadError::Io(error) => StoreError::Io {
                    path: old.to_path_buf(),
                    action: store::Action::READ,
                    error,
                },
                error => StoreError::Unreadable {
                    path: old.to_path_buf(),
                    error,
                },
            }
        })?;
    let loaded = store::parse(&text, old, catalog)?;
    let digest = Sha256::digest(text.as_bytes());
    let id = format!(
        "sha256:{}",
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    // The version the earlier answers were given to (the reader moves them to the current one).
    let saved_version = loaded
        .notes
        .iter()
        .find_map(|n| match n {
            LoadNote::QuestionnaireChanged { saved_version, .. } => Some(saved_version.clone()),
            _ => None,
        })
        .unwrap_or_else(|| loaded.assessment.questionnaire.version.clone());
    let path = store::real_path(old).unwrap_or_else(|_| old.to_path_buf());
    let a = carry(
        &loaded.assessment,
        SeededFrom {
            id,
            path: path.display().to_string(),
            date: loaded.assessment.updated_at.clone(),
            questionnaire_version: saved_version,
        },
        now,
    );
    Ok(Seeded {
        notes: loaded.notes,
        loaded: Loaded {
            assessment: a,
            questionnaire: loaded.questionnaire,
            notes: vec![],
        },
    })
}

/// The earlier assessment's profile and answers, every answer marked carried; a fresh interview
/// date and section times; the answers kept aside stay aside (never dropped).
pub fn carry(old: &Assessment, from: SeededFrom, now: &str) -> Assessment {
    let mut a = old.clone();
    for ans in a.answers.values_mut() {
        ans.carried = true;
    }
    if let Some(i) = &mut a.interview {
        // The same people, most likely; a new day.
        i.date = crate::assessment::interview::local_date(now);
    }
    a.section_seconds.clear();
    a.seeded_from = Some(from);
    a.created_at = now.to_string();
    a.updated_at = now.to_string();
    a
}

/// Where the wizard and `reassess` put a new assessment of questionnaire `qid`: in `dir`, named
/// by the time (`sme-20261201093000.json`), never an existing file.
pub fn new_path(dir: &Path, qid: &str, now: &str) -> PathBuf {
    let stamp: String = now
        .chars()
        .filter(|c| c.is_ascii_digit())
        .take(14)
        .collect();
    let mut path = dir.join(format!("{qid}-{stamp}.json"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{qid}-{stamp}-{n}.json"));
        n += 1;
    }
    path
}

/// `sansang reassess OLD [-o NEW]`: writes the re-assessment to `out`, or to a new file in
/// `assessments` (where the wizard lists it). An output never replaces an input or any existing
/// file. Returns the path written and how many answers were carried.
pub fn write_new(
    old: &Path,
    out: Option<&Path>,
    assessments: &Path,
    catalog: &Catalog,
    lang: crate::i18n::Lang,
    now: &str,
) -> Result<(PathBuf, usize), String> {
    use crate::i18n::tr;
    if let Some(p) = out {
        let guard = crate::output::Guard {
            inputs: vec![old.to_path_buf()],
            protected: vec![],
            force: false,
        };
        let refused = match guard.check(p) {
            Err(crate::output::Refusal::NotOurs(_)) | Ok(()) => false,
            Err(r) => return Err(r.render(lang)),
        };
        if refused || std::fs::symlink_metadata(p).is_ok() {
            return Err(format!(
                "{}: {}\n    {}: {}",
                p.display(),
                tr(lang, "tệp đã có", "the file exists"),
                tr(lang, "Cách sửa", "Fix"),
                tr(
                    lang,
                    "chọn một tên tệp mới; bản đánh giá mới không bao giờ ghi đè tệp đã có",
                    "choose a new file name; a new assessment never replaces an existing file"
                )
            ));
        }
    }
    let seeded = seed(old, catalog, now).map_err(|e| e.render(lang))?;
    let (q, a) = (&seeded.loaded.questionnaire, &seeded.loaded.assessment);
    let path = match out {
        Some(p) => p.to_path_buf(),
        None => new_path(assessments, &q.id, now),
    };
    let _lock = store::lock(&path).map_err(|e| e.render(lang))?;
    store::write(&path, a, q).map_err(|e| e.render(lang))?;
    Ok((path, a.unconfirmed()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::{Answer, Response};

    #[test]
    fn every_answer_is_carried_and_the_source_recorded() {
        let catalog = Catalog::builtin();
        let e = catalog.find("workshop", None).unwrap();
        let mut old = Assessment::new(&e.questionnaire, &e.hash, "2025-01-01T00:00:00Z");
        for (_, q) in e.questionnaire.questions().take(3) {
            let mut a = Answer::new(Response::DontKnow, "2025-01-02T00:00:00Z");
            a.comment = "x".into();
            old.answers.insert(q.id.clone(), a);
        }
        old.section_seconds.insert("s".into(), 60);
        let from = SeededFrom {
            id: "sha256:0".into(),
            path: "/old.json".into(),
            date: old.updated_at.clone(),
            questionnaire_version: "1".into(),
        };
        let new = carry(&old, from.clone(), "2026-01-01T00:00:00Z");
        assert_eq!(new.answers.len(), 3);
        assert!(new.answers.values().all(|a| a.carried && a.comment == "x"));
        assert_eq!(new.unconfirmed(), 3);
        assert!(new.section_seconds.is_empty());
        assert_eq!(new.seeded_from, Some(from));
        assert_eq!(new.created_at, "2026-01-01T00:00:00Z");
        assert!(old.answers.values().all(|a| !a.carried));
    }
}
