//! The store at its edges: links, leftover temporary files, FIFOs, devices and huge files,
//! malformed stored scores, lossless migration, private modes, and messages in one language.

mod common;
use common::*;
use sansang::assessment::store::{self, Action, LoadNote, StoreError};
use sansang::i18n::Lang;
use sansang::questionnaire::Catalog;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Runs `f` on a thread and fails (instead of hanging the suite) if it takes over 5 s.
fn within_5s<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(5))
        .unwrap_or_else(|_| panic!("{what} did not return within 5 s (it blocks)"))
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn mkfifo(p: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(p)
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo {}", p.display());
}

#[test]
fn two_symlinks_to_one_file_share_one_lock_and_saves_reach_the_real_file() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    let (q, mut a) = worked_example();
    store::write(&real, &a, &q).unwrap();
    let one = dir.path().join("one.json");
    let two = dir.path().join("two.json");
    std::os::unix::fs::symlink(&real, &one).unwrap();
    std::os::unix::fs::symlink("real.json", &two).unwrap();

    let held = store::lock(&one).unwrap();
    let err = store::lock(&two).expect_err("the second link must find the file locked");
    assert!(matches!(err, StoreError::Locked { .. }), "{err:?}");
    assert_eq!(held.real_path, std::fs::canonicalize(&real).unwrap());

    answer(&mut a, &q, "m.f1.1", scale(4));
    store::write(&one, &a, &q).unwrap();
    assert!(
        std::fs::symlink_metadata(&one)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    let on_disk = store::read(&real, &catalog_with(q.clone())).unwrap();
    assert_eq!(on_disk.assessment.answers["m.f1.1"].response, scale(4));
}

#[test]
fn a_dangling_link_is_saved_through_to_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("target.json", &link).unwrap();
    let (q, a) = worked_example();
    store::write(&link, &a, &q).unwrap();
    assert!(dir.path().join("target.json").is_file());
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn hard_linked_files_are_refused_for_editing_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    let (q, a) = worked_example();
    store::write(&real, &a, &q).unwrap();
    let other = dir.path().join("other.json");
    std::fs::hard_link(&real, &other).unwrap();
    let err = store::lock(&other).unwrap_err();
    assert!(
        matches!(err, StoreError::HardLinked { links: 2, .. }),
        "{err:?}"
    );
    assert!(err.render(Lang::En).contains("hard links"));
    assert!(store::write(&other, &a, &q).is_err());
    // Reading stays possible.
    store::read(&other, &catalog_with(q)).unwrap();
}

#[test]
fn temp_files_left_by_a_killed_save_are_swept_when_the_file_is_next_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    let (q, a) = worked_example();
    store::write(&path, &a, &q).unwrap();
    // What a kill during fsync leaves behind, and files that only look alike.
    for n in [".a.json.Xy12Zq", ".a.json.000000"] {
        std::fs::write(dir.path().join(n), "{").unwrap();
    }
    for n in [".a.json.lock2", ".b.json.Xy12Zq", "a.json.Xy12Zq"] {
        std::fs::write(dir.path().join(n), "keep").unwrap();
    }
    std::thread::sleep(Duration::from_millis(20));
    let _lock = store::lock(&path).unwrap();
    assert_eq!(
        names(dir.path()),
        vec![
            ".a.json.lock",
            ".a.json.lock2",
            ".b.json.Xy12Zq",
            "a.json",
            "a.json.Xy12Zq"
        ]
    );
}

#[test]
fn a_failed_rename_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    // The target is a non-empty folder: the final rename fails.
    let path = dir.path().join("a.json");
    std::fs::create_dir(&path).unwrap();
    std::fs::write(path.join("inside"), "x").unwrap();
    let err = store::write_text(&path, "{}\n").unwrap_err();
    assert!(err.render(Lang::En).starts_with("Not saved: "), "{err:?}");
    assert_eq!(names(dir.path()), vec!["a.json"]);
}

#[test]
fn fifos_devices_and_huge_files_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("x.json");
    mkfifo(&fifo);
    let cat = catalog_with(mini());
    let c = Catalog { ..cat };
    let shared = std::sync::Arc::new(c);
    let s = shared.clone();
    let err = within_5s("reading a FIFO", move || {
        store::read(&fifo, &s).map(|_| ()).unwrap_err()
    });
    assert!(matches!(err, StoreError::Unreadable { .. }), "{err:?}");
    assert!(err.render(Lang::En).contains("a pipe (FIFO)"), "{err:?}");

    let s = shared.clone();
    let err = within_5s("reading /dev/zero", move || {
        store::read(Path::new("/dev/zero"), &s)
            .map(|_| ())
            .unwrap_err()
    });
    assert!(err.render(Lang::En).contains("a device"), "{err:?}");

    // Sparse: 65 MB on paper, nothing on disk.
    let big = dir.path().join("big.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(65 * 1024 * 1024)
        .unwrap();
    let s = shared.clone();
    let err = within_5s("reading a huge file", move || {
        store::read(&big, &s).map(|_| ()).unwrap_err()
    });
    let msg = err.render(Lang::En);
    assert!(msg.contains("too large") && msg.contains("64 MB"), "{msg}");
}

#[test]
fn a_fifo_among_local_questionnaires_does_not_hang_start_up() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("mine.json"));
    let d = dir.path().to_path_buf();
    let c = within_5s("loading the catalog", move || Catalog::with_local_dir(&d));
    assert_eq!(c.errors.len(), 1);
    assert!(c.errors[0].render(Lang::En).contains("a pipe (FIFO)"));
}

#[test]
fn a_fifo_in_the_aggregate_inputs_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("x.json");
    mkfifo(&fifo);
    let doc = within_5s("aggregating a FIFO", move || {
        sansang::aggregate::aggregate(
            &[fifo],
            &Catalog::builtin(),
            sansang::aggregate::GroupBy::Questionnaire,
            Lang::En,
        )
    });
    assert_eq!(doc.skipped.len(), 1);
    assert!(doc.skipped[0].error.contains("FIFO"), "{:?}", doc.skipped);
}

#[test]
fn a_malformed_stored_scores_block_is_ignored() {
    let (q, a) = worked_example();
    let mut v: serde_json::Value = serde_json::from_str(&store::to_json(&a, &q)).unwrap();
    v["scores"] = 5.into();
    let broken = serde_json::to_string_pretty(&v).unwrap();
    let loaded = store::parse(&broken, Path::new("a.json"), &catalog_with(q.clone()))
        .unwrap_or_else(|e| panic!("{}\n{broken}", e.render(Lang::En)));
    assert_eq!(loaded.assessment, a);
}

#[test]
fn structure_errors_point_at_their_line_and_column() {
    let (q, mut a) = worked_example();
    a.answers.get_mut("m.f1.1").unwrap().comment = "x".into();
    let text = store::to_json(&a, &q).replace("\"comment\": \"x\"", "\"comment\": 5");
    let err = store::parse(&text, Path::new("a.json"), &catalog_with(q)).unwrap_err();
    let StoreError::Malformed { line, column, .. } = err else {
        panic!("{err:?}")
    };
    let want = text
        .lines()
        .position(|l| l.contains("\"comment\": 5"))
        .unwrap()
        + 1;
    assert_eq!(line, want, "{text}");
    assert!(column > 0);
    let vi = err.render(Lang::Vi);
    assert!(
        !vi.contains("invalid type") && vi.contains("sai kiểu dữ liệu"),
        "{vi}"
    );
}

#[test]
fn save_errors_put_the_reason_first_in_one_language() {
    let e = StoreError::Io {
        path: PathBuf::from("/home/nguyen.van.an/.local/share/sansang/assessments/x.json"),
        action: Action::SAVE,
        error: std::io::Error::from(std::io::ErrorKind::StorageFull),
    };
    assert!(
        e.headline(Lang::En)
            .starts_with("Not saved: no space left on device — /home/"),
        "{}",
        e.headline(Lang::En)
    );
    let vi = e.render(Lang::Vi);
    assert!(
        vi.starts_with("Chưa lưu được: hết dung lượng đĩa — /home/"),
        "{vi}"
    );
    for english in ["could not", "write", "save", "space", "check"] {
        assert!(!vi.contains(english), "English {english:?} in {vi}");
    }
    // A missing folder is not answered with disk space advice.
    let e = StoreError::Io {
        path: PathBuf::from("/nope/x.json"),
        action: Action::READ,
        error: std::io::Error::from(std::io::ErrorKind::NotFound),
    };
    let en = e.render(Lang::En);
    assert!(
        en.contains("does not exist") && !en.contains("disk space"),
        "{en}"
    );
}

#[test]
fn format_1_answers_given_as_a_map_migrate_and_odd_entries_are_kept() {
    let q = mini();
    let v1 = r#"{
      "version": 1,
      "questionnaire_id": "mini",
      "questionnaire_version": "1.0.0",
      "profile": {"org_name": "Xã Cũ", "level": "commune", "target_year": "2025"},
      "answers": {"m.f1.1": 3, "m.f5.1": {"value": "yes", "comment": "có quyết định"}},
      "created": "2025-01-01T00:00:00Z",
      "updated": "2025-01-02T03:04:05Z"
    }"#;
    let loaded = store::parse(v1, Path::new("old.json"), &catalog_with(q.clone())).unwrap();
    let a = &loaded.assessment;
    assert_eq!(a.answers.len(), 2, "{:?}", a);
    assert_eq!(a.answers["m.f1.1"].response, scale(3));
    assert_eq!(a.answers["m.f5.1"].response, yes());
    assert_eq!(a.answers["m.f5.1"].comment, "có quyết định");

    let odd = r#"{
      "version": 1, "questionnaire_id": "mini", "questionnaire_version": "1.0.0",
      "profile": {},
      "answers": [{"id": 1, "value": 3}, {"value": "yes"}, {"id": "m.f1.1", "value": 2},
                  {"id": "m.f1.1", "value": 4}],
      "created": "2025-01-01T00:00:00Z", "updated": "2025-01-02T03:04:05Z"
    }"#;
    let loaded = store::parse(odd, Path::new("odd.json"), &catalog_with(q)).unwrap();
    let a = &loaded.assessment;
    assert_eq!(a.answers["m.f1.1"].response, scale(2));
    // Nothing dropped: the entry with a numeric id, the one without, the second m.f1.1.
    assert_eq!(a.orphaned.len(), 3, "{:?}", a.orphaned);
    let noted: Vec<&str> = loaded
        .notes
        .iter()
        .filter_map(|n| match n {
            LoadNote::Orphaned { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(noted.len(), 3, "{:?}", loaded.notes);
    assert!(a.orphaned.values().any(|o| matches!(
        &o.response,
        sansang::assessment::Response::Text { text } if text.contains("\"id\":1")
    )));
}

/// Found by fuzzing (assessment_read): a file marked format 1 but naming its questionnaire the
/// newer, nested way loaded, yet its save had an empty questionnaire id and could not be read
/// back. The reference is kept whichever way it is written.
#[test]
fn a_format_1_file_with_a_nested_questionnaire_reference_saves_a_readable_file() {
    let q = mini();
    let catalog = catalog_with(q.clone());
    let v1 = r#"{
      "format_version": 1,
      "questionnaire": {"id": "mini", "version": "1.0.0", "hash": "sha256:0"},
      "profile": {"org_name": "Xã Cũ"},
      "answers": {"m.f1.1": 3},
      "created": "2025-01-01T00:00:00Z",
      "updated": "2025-01-02T03:04:05Z"
    }"#;
    let loaded = store::parse(v1, Path::new("old.json"), &catalog).unwrap();
    assert_eq!(loaded.assessment.questionnaire.id, "mini");
    let saved = store::to_json(&loaded.assessment, &loaded.questionnaire);
    let again = store::parse(&saved, Path::new("old.json"), &catalog).expect("reads back");
    assert_eq!(again.assessment.answers, loaded.assessment.answers);
    assert_eq!(again.assessment.answers["m.f1.1"].response, scale(3));
}

#[test]
fn the_first_save_after_migration_keeps_the_original_as_v1_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.json");
    let v1 = r#"{"version": 1, "questionnaire_id": "mini", "questionnaire_version": "1.0.0",
      "profile": {}, "answers": {"m.f1.1": 3},
      "created": "2025-01-01T00:00:00Z", "updated": "2025-01-02T03:04:05Z"}"#;
    std::fs::write(&path, v1).unwrap();
    let q = mini();
    let mut loaded = store::read(&path, &catalog_with(q.clone())).unwrap();
    answer(&mut loaded.assessment, &q, "m.f5.1", yes());
    store::write(&path, &loaded.assessment, &q).unwrap();
    let backup = dir.path().join("old.v1.json");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), v1);
    let again = store::read(&path, &catalog_with(q.clone())).unwrap();
    assert_eq!(again.assessment.answers.len(), 2, "both answers kept");
    // Later saves leave the backup alone.
    store::write(&path, &again.assessment, &q).unwrap();
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), v1);
    // The backup is not aggregated as a second respondent.
    let doc = sansang::aggregate::aggregate(
        &[dir.path().to_path_buf()],
        &catalog_with(q),
        sansang::aggregate::GroupBy::Questionnaire,
        Lang::En,
    );
    assert_eq!(doc.files, 1);
}

#[test]
fn loading_many_orphaned_answers_keeps_each_once() {
    let (q, a) = worked_example();
    let mut v: serde_json::Value = serde_json::from_str(&store::to_json(&a, &q)).unwrap();
    let answer = v["answers"]["m.f1.1"].clone();
    let orphaned = v["orphaned"].as_object_mut().map(|_| ()).is_some();
    assert!(!orphaned);
    let mut map = serde_json::Map::new();
    for i in 0..2000 {
        map.insert(format!("gone.{i}"), answer.clone());
    }
    v["orphaned"] = serde_json::Value::Object(map);
    v["answers"]["gone.0"] = answer.clone();
    let text = serde_json::to_string(&v).unwrap();
    let loaded = store::parse(&text, Path::new("a.json"), &catalog_with(q)).unwrap();
    // gone.0 was both answered and kept aside: both stay.
    assert_eq!(loaded.assessment.orphaned.len(), 2001);
    let notes = loaded
        .notes
        .iter()
        .filter(|n| matches!(n, LoadNote::Orphaned { .. }))
        .count();
    assert_eq!(notes, 2001, "one note per answer kept aside");
}

#[test]
fn files_are_private_and_folders_too() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/assessments/a.json");
    let (q, a) = worked_example();
    let _lock = store::lock(&path).unwrap();
    store::write(&path, &a, &q).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&store::lock_path(&path)), 0o600);
    assert_eq!(mode(&dir.path().join("data")), 0o700);
    assert_eq!(mode(&dir.path().join("data/assessments")), 0o700);
    // A file made readable by others is private again after the next save.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    store::write(&path, &a, &q).unwrap();
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn an_invalid_local_questionnaire_is_named_with_its_real_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut q: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&mini()).unwrap()).unwrap();
    q["id"] = "mine".into();
    q["dimensions"][0]["weight"] = 1e308.into();
    std::fs::write(
        dir.path().join("mine.json"),
        serde_json::to_string(&q).unwrap(),
    )
    .unwrap();
    let c = Catalog::with_local_dir(dir.path());
    assert_eq!(c.errors.len(), 1);
    let (_, a) = worked_example();
    let mut text: serde_json::Value = serde_json::from_str(&store::to_json(&a, &mini())).unwrap();
    text["questionnaire"]["id"] = "mine".into();
    let err = store::parse(&text.to_string(), Path::new("a.json"), &c).unwrap_err();
    let en = err.render(Lang::En);
    assert!(
        en.contains("is in the folder but is not valid") && en.contains("above the maximum"),
        "{en}"
    );
    assert!(!en.contains("put the questionnaire file"), "{en}");
}
