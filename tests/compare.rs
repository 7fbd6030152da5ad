//! Comparing two assessments: deltas, improved and regressed answers, targets, version notes.

mod common;
use common::*;
use sansang::assessment::Response;
use sansang::i18n::Lang;
use sansang::report::compare::{compare, to_markdown, to_text};

/// The worked example a year later: m.f1.4 rose from 45% to 90% (meets the province target),
/// m.f5.2 went from don't know to yes, m.f1.2 fell from partly to no.
fn later() -> (
    sansang::questionnaire::Questionnaire,
    sansang::assessment::Assessment,
) {
    let (q, mut a) = worked_example();
    answer(&mut a, &q, "m.f1.4", number(90.0));
    answer(&mut a, &q, "m.f5.2", yes());
    answer(&mut a, &q, "m.f1.2", no());
    (q, a)
}

#[test]
fn deltas_are_hand_computed() {
    let (q, old) = worked_example();
    let (_, new) = later();
    let d = compare((&q, &old, "2025.json"), (&q, &new, "2026.json"), Lang::En).unwrap();
    let get = |id: &str| d.scores.iter().find(|s| s.id == id).unwrap();
    // F1: (1.5 + 0 + 0.75 + 1) / 5 = 65.0 → unchanged; F5: (2 + 1 + 0.5) / 4 = 87.5 (+25).
    assert_eq!(
        (get("F1").old, get("F1").new, get("F1").delta),
        (Some(65.0), Some(65.0), Some(0.0))
    );
    assert_eq!(
        (get("F5").old, get("F5").new, get("F5").delta),
        (Some(62.5), Some(87.5), Some(25.0))
    );
    // CPS: (0.75 + 1) / 2 = 87.5 (+25); overall (65 + 87.5) / 2 = 76.25 (+12.5).
    assert_eq!(get("CPS").delta, Some(25.0));
    assert_eq!(
        (get("overall").new, get("overall").delta),
        (Some(76.25), Some(12.5))
    );
}

#[test]
fn improved_and_regressed_answers() {
    let (q, old) = worked_example();
    let (_, new) = later();
    let d = compare((&q, &old, "a"), (&q, &new, "b"), Lang::Vi).unwrap();
    let ids = |v: &[sansang::report::compare::Change]| {
        v.iter().map(|c| c.question_id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&d.improved),
        vec!["m.f5.2", "m.f1.4"],
        "biggest move first"
    );
    assert_eq!(ids(&d.regressed), vec!["m.f1.2"]);
    let c = &d.improved[0];
    assert_eq!(
        (c.old_answer.as_str(), c.new_answer.as_str()),
        ("Không biết", "Có")
    );
    assert_eq!(d.regressed[0].new_answer, "Không");
}

#[test]
fn targets_then_and_now() {
    let (q, old) = worked_example();
    let (_, new) = later();
    let d = compare((&q, &old, "a"), (&q, &new, "b"), Lang::En).unwrap();
    assert_eq!(d.targets.len(), 1);
    let t = &d.targets[0];
    assert_eq!(
        (t.question_id.as_str(), t.old, t.new, t.target, t.met),
        ("m.f1.4", Some(45.0), Some(90.0), 90.0, true)
    );
    let text = to_text(&d);
    assert!(
        text.contains("✓ m.f1.4") && text.contains("45 → 90 / 90 % 2025"),
        "{text}"
    );
}

#[test]
fn unanswered_to_answered_and_back() {
    let (q, old) = worked_example();
    let mut new = old.clone();
    new.answers.remove("m.f1.3");
    let d = compare((&q, &old, "a"), (&q, &new, "b"), Lang::En).unwrap();
    assert_eq!(d.regressed[0].question_id, "m.f1.3");
    assert_eq!(d.regressed[0].new_answer, "unanswered");
    let back = compare((&q, &new, "b"), (&q, &old, "a"), Lang::En).unwrap();
    assert_eq!(back.improved[0].question_id, "m.f1.3");
}

#[test]
fn different_versions_are_matched_by_question_id() {
    let (q, old) = worked_example();
    let mut v: serde_json::Value = serde_json::from_str(MINI).unwrap();
    v["version"] = serde_json::json!("2.0.0");
    v["sections"][0]["questions"]
        .as_array_mut()
        .unwrap()
        .remove(1); // drop m.f1.2
    let q2 = sansang::questionnaire::load_str(&v.to_string(), "mini2").unwrap();
    let mut new = old.clone();
    new.answers.remove("m.f1.2");
    new.set_response(
        &q2,
        "m.f5.2",
        Response::Ynp {
            choice: sansang::assessment::Ynp::Yes,
        },
        NOW,
    )
    .unwrap();
    let d = compare((&q, &old, "a"), (&q2, &new, "b"), Lang::En).unwrap();
    assert!(
        d.notes[0].contains("questionnaire version 1.0.0 → 2.0.0"),
        "{:?}",
        d.notes
    );
    assert!(
        d.notes
            .iter()
            .any(|n| n.starts_with("m.f1.2: no longer in the questionnaire")),
        "{:?}",
        d.notes
    );
    assert!(d.improved.iter().any(|c| c.question_id == "m.f5.2"));
}

#[test]
fn different_questionnaires_are_refused() {
    let (q, a) = worked_example();
    let mut v: serde_json::Value = serde_json::from_str(MINI).unwrap();
    v["id"] = serde_json::json!("other");
    let q2 = sansang::questionnaire::load_str(&v.to_string(), "other").unwrap();
    let err = compare((&q, &a, "a"), (&q2, &a, "b"), Lang::En).unwrap_err();
    assert!(err.contains("different questionnaires") && err.contains("mini ≠ other"));
}

#[test]
fn markdown_escapes_table_cells() {
    let (q, old) = worked_example();
    let (_, mut new) = later();
    new.set_profile(
        &q,
        "org_name",
        sansang::assessment::ProfileValue::Text("Sở A | B".into()),
        NOW,
    )
    .unwrap();
    let md = to_markdown(&compare((&q, &old, "a"), (&q, &new, "b"), Lang::Vi).unwrap());
    assert!(md.contains("Sở A \\| B"), "{md}");
    assert!(
        md.contains("| F5 An toàn, an ninh mạng | 62,5 | 87,5 | +25,0 |"),
        "{md}"
    );
}

#[test]
fn cli_compare_runs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("questionnaires")).unwrap();
    std::fs::write(dir.path().join("questionnaires/mini.json"), MINI).unwrap();
    let (q, old) = worked_example();
    let (_, new) = later();
    let (po, pn) = (dir.path().join("2025.json"), dir.path().join("2026.json"));
    sansang::assessment::store::write(&po, &old, &q).unwrap();
    sansang::assessment::store::write(&pn, &new, &q).unwrap();
    let run = |fmt: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_sansang"))
            .args([
                "compare",
                po.to_str().unwrap(),
                pn.to_str().unwrap(),
                "--format",
                fmt,
                "--lang",
                "en",
            ])
            .env("SANSANG_DATA_DIR", dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let text = run("text");
    assert!(text.lines().any(|l| l.contains("F5 Cybersecurity") && l.trim_end().ends_with("62.5   87.5  +25.0")), "{text}");
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["compare_version"], 1);
    assert_eq!(json["improved"][0]["question_id"], "m.f5.2");
    assert!(run("md").starts_with("# Comparison: Test questionnaire"));
}
