//! The assessment store: deterministic files, atomic saves, the edit lock, damaged and old files.

mod common;
use common::*;
use sansang::assessment::store::{self, LoadNote, StoreError};
use sansang::i18n::Lang;
use sansang::questionnaire::{content_hash, load_str};

#[test]
fn save_then_load_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    let (q, a) = worked_example();
    store::write(&path, &a, &q).unwrap();
    let loaded = store::read(&path, &catalog_with(q)).unwrap();
    assert_eq!(loaded.assessment, a);
    assert!(loaded.notes.is_empty(), "{:?}", loaded.notes);
}

#[test]
fn files_are_deterministic_and_diff_friendly() {
    let (q, a) = worked_example();
    let one = store::to_json(&a, &q);
    let two = store::to_json(&a.clone(), &q);
    assert_eq!(one, two, "byte-identical for identical content");
    assert!(one.ends_with("}\n"));
    assert!(
        one.contains("\n  \"answers\": {\n    \"m.f1.1\": {"),
        "pretty, sorted keys:\n{one}"
    );
    // Key order follows the answer ids, not insertion order.
    let mut b = sansang::assessment::Assessment {
        answers: Default::default(),
        ..a.clone()
    };
    for (k, v) in a.answers.iter().rev() {
        b.answers.insert(k.clone(), v.clone());
    }
    assert_eq!(store::to_json(&b, &q), one);
}

#[test]
fn stored_scores_are_never_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    let (q, a) = worked_example();
    let text = store::to_json(&a, &q).replace("\"overall\": 63.75", "\"overall\": 99.0");
    assert!(text.contains("99.0"));
    std::fs::write(&path, text).unwrap();
    let loaded = store::read(&path, &catalog_with(q.clone())).unwrap();
    close(
        sansang::scoring::score(&q, &loaded.assessment).overall,
        63.75,
    );
}

#[test]
fn save_is_atomic_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    let (q, mut a) = worked_example();
    for i in 0..20u8 {
        answer(&mut a, &q, "m.f1.1", scale(i % 5));
        store::write(&path, &a, &q).unwrap();
        // At every point the file on disk is a complete, loadable assessment.
        let loaded = store::read(&path, &catalog_with(q.clone())).unwrap();
        assert_eq!(loaded.assessment.answers["m.f1.1"].response, scale(i % 5));
    }
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["a.json".to_string()]);
}

#[test]
fn a_failed_save_keeps_the_previous_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    let (q, a) = worked_example();
    store::write(&path, &a, &q).unwrap();
    let before = std::fs::read(&path).unwrap();
    // Make the folder read-only so the temporary file cannot be created (root ignores modes,
    // so only check when the restriction really holds).
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
    let probe = std::fs::File::create(dir.path().join("probe"));
    if probe.is_err() {
        let err = store::write(&path, &a, &q).unwrap_err();
        assert!(matches!(err, StoreError::Io { .. }));
        assert!(err.render(Lang::En).contains("the previous save is intact"));
    }
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn the_edit_lock_keeps_a_second_writer_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    let first = store::lock(&path).unwrap();
    let err = store::lock(&path).unwrap_err();
    let msg = err.render(Lang::En);
    assert!(matches!(err, StoreError::Locked { .. }));
    assert!(
        msg.contains("is open for editing") && msg.contains(&format!("pid {}", std::process::id())),
        "{msg}"
    );
    assert!(err.render(Lang::Vi).contains("đang được mở để sửa"));
    drop(first);
    store::lock(&path).expect("free again once released");
}

#[test]
fn truncated_file_is_reported_with_its_place_and_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    let (q, a) = worked_example();
    let text = store::to_json(&a, &q);
    let cut = &text[..text.len() / 2];
    std::fs::write(&path, cut).unwrap();
    let err = store::read(&path, &catalog_with(q)).unwrap_err();
    let msg = err.render(Lang::En);
    assert!(msg.starts_with(&format!("{}:", path.display())), "{msg}");
    assert!(
        msg.contains("EOF") && msg.contains("will not overwrite"),
        "{msg}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), cut);
}

#[test]
fn wrong_types_name_the_json_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    let (q, a) = worked_example();
    let text = store::to_json(&a, &q).replace("\"level\": 3", "\"level\": \"three\"");
    std::fs::write(&path, text).unwrap();
    let msg = store::read(&path, &catalog_with(q))
        .unwrap_err()
        .render(Lang::En);
    assert!(msg.contains("answers.m.f1.1.response"), "{msg}");
}

#[test]
fn newer_format_is_refused() {
    let (q, a) = worked_example();
    let text = store::to_json(&a, &q).replace("\"format_version\": 2", "\"format_version\": 9");
    let err = store::parse(&text, std::path::Path::new("new.json"), &catalog_with(q)).unwrap_err();
    assert!(matches!(err, StoreError::NewerFormat { found: 9, .. }));
    assert!(err.render(Lang::En).contains("update sansang"));
}

#[test]
fn unknown_questionnaire_is_named() {
    let (q, a) = worked_example();
    let text = store::to_json(&a, &q).replace("\"id\": \"mini\"", "\"id\": \"other\"");
    let err = store::parse(&text, std::path::Path::new("x.json"), &catalog_with(q)).unwrap_err();
    assert!(err.render(Lang::En).contains("\"other\""));
}

#[test]
fn a_changed_questionnaire_keeps_answers_that_still_fit() {
    let (q, a) = worked_example();
    let text = store::to_json(&a, &q);
    // Version 2 of the questionnaire drops m.f1.2 and turns m.f1.3 into a yes/partly/no question.
    let mut v: serde_json::Value = serde_json::from_str(MINI).unwrap();
    v["version"] = serde_json::json!("2.0.0");
    let qs = v["sections"][0]["questions"].as_array_mut().unwrap();
    qs.remove(1);
    let c = &mut qs[1];
    c.as_object_mut().unwrap().remove("options");
    c["kind"] = serde_json::json!("ynp");
    let q2 = load_str(&v.to_string(), "mini-v2.json").unwrap();
    let loaded = store::parse(
        &text,
        std::path::Path::new("a.json"),
        &catalog_with(q2.clone()),
    )
    .unwrap();
    let a2 = &loaded.assessment;
    assert_eq!(a2.answers.len(), a.answers.len() - 2);
    assert!(a2.orphaned.contains_key("m.f1.2") && a2.orphaned.contains_key("m.f1.3"));
    assert_eq!(a2.questionnaire.version, "2.0.0");
    assert!(loaded.notes.contains(&LoadNote::QuestionnaireChanged {
        saved_version: "1.0.0".into(),
        current_version: "2.0.0".into()
    }));
    let orphan_ids: Vec<&str> = loaded
        .notes
        .iter()
        .filter_map(|n| match n {
            LoadNote::Orphaned { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(orphan_ids, vec!["m.f1.2", "m.f1.3"]);
    // Saved again, the orphans stay in the file: nothing is lost.
    let resaved = store::to_json(a2, &q2);
    assert!(resaved.contains("\"orphaned\"") && resaved.contains("\"m.f1.2\""));
    // And back on the old questionnaire they return to the answers.
    let back = store::parse(
        &resaved,
        std::path::Path::new("a.json"),
        &catalog_with(q.clone()),
    )
    .unwrap();
    assert_eq!(back.assessment.answers.len(), a.answers.len());
    assert!(back.assessment.orphaned.is_empty());
}

#[test]
fn format_1_files_are_migrated() {
    let q = mini();
    let v1 = r#"{
      "version": 1,
      "questionnaire_id": "mini",
      "questionnaire_version": "1.0.0",
      "profile": {"org_name": "Xã Cũ", "level": "commune", "target_year": "2025"},
      "answers": [
        {"id": "m.f1.1", "value": 2, "answered_at": "2025-01-02T03:04:05Z"},
        {"id": "m.f1.2", "value": "na", "comment": "không áp dụng cho xã"},
        {"id": "m.f1.3", "value": ["a", "b"]},
        {"id": "m.f1.4", "value": 30},
        {"id": "m.f1.6", "value": "Thiếu người"},
        {"id": "m.f5.1", "value": "yes"},
        {"id": "m.f5.2", "value": "dont_know"},
        {"id": "m.f5.3", "value": 9},
        {"id": "gone", "value": "yes"}
      ],
      "created": "2025-01-01T00:00:00Z",
      "updated": "2025-01-02T03:04:05Z"
    }"#;
    let loaded = store::parse(
        v1,
        std::path::Path::new("old.json"),
        &catalog_with(q.clone()),
    )
    .unwrap();
    let a = &loaded.assessment;
    assert_eq!(loaded.notes[0], LoadNote::Migrated { from: 1 });
    assert_eq!(a.answers["m.f1.1"].response, scale(2));
    assert_eq!(a.answers["m.f1.1"].answered_at, "2025-01-02T03:04:05Z");
    assert_eq!(
        a.answers["m.f1.2"].response,
        sansang::assessment::Response::NotApplicable
    );
    assert_eq!(a.answers["m.f1.2"].comment, "không áp dụng cho xã");
    assert_eq!(a.answers["m.f1.3"].response, ticks(&["a", "b"]));
    assert_eq!(a.answers["m.f1.4"].response, number(30.0));
    assert_eq!(
        a.answers["m.f5.2"].response,
        sansang::assessment::Response::DontKnow
    );
    // Values that cannot be typed are kept aside, not dropped.
    assert!(a.orphaned.contains_key("m.f5.3") && a.orphaned.contains_key("gone"));
    assert_eq!(a.created_at, "2025-01-01T00:00:00Z");
    assert_eq!(a.questionnaire.hash, content_hash(&q));
    // Saved in the current format.
    assert!(store::to_json(a, &q).contains("\"format_version\": 2"));
}
