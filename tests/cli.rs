//! The command line, run as a real process.

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Output};

fn sansang(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sansang"))
        .args(args)
        .env("SANSANG_DATA_DIR", data)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String, i32) {
    (
        String::from_utf8_lossy(&o.stdout).into(),
        String::from_utf8_lossy(&o.stderr).into(),
        o.status.code().unwrap_or(-1),
    )
}

/// A data folder with the mini questionnaire installed locally and the worked example saved.
fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("questionnaires")).unwrap();
    std::fs::write(dir.path().join("questionnaires/mini.json"), MINI).unwrap();
    let (q, a) = worked_example();
    let path = dir.path().join("sample.json");
    sansang::assessment::store::write(&path, &a, &q).unwrap();
    (dir, path)
}

#[test]
fn lists_built_in_and_local_questionnaires() {
    let (dir, _) = setup();
    let (out, err, code) = text(&sansang(dir.path(), &["questionnaires", "--lang", "en"]));
    assert_eq!(code, 0, "{err}");
    for id in ["agency", "sme", "workshop", "mini"] {
        assert!(
            out.lines().any(|l| l.starts_with(id)),
            "{id} missing in\n{out}"
        );
    }
    assert!(out.contains("built-in") && out.contains("mini.json"));
}

#[test]
fn a_broken_local_questionnaire_is_reported_not_fatal_to_the_list() {
    let (dir, _) = setup();
    std::fs::write(dir.path().join("questionnaires/broken.json"), "{ nope").unwrap();
    let (out, err, code) = text(&sansang(dir.path(), &["questionnaires", "--lang", "en"]));
    assert_eq!(code, 1);
    assert!(out.contains("agency"));
    assert!(err.contains("broken.json:1:3"), "{err}");
}

#[test]
fn validate_reports_ok_and_problems_with_exit_codes() {
    let (dir, _) = setup();
    let good = dir.path().join("questionnaires/mini.json");
    let (out, _, code) = text(&sansang(
        dir.path(),
        &["validate", good.to_str().unwrap(), "--lang", "en"],
    ));
    assert_eq!(code, 0);
    assert!(out.contains("OK (mini 9 questions)"), "{out}");

    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        MINI.replace("\"max\": 100, \"label\"", "\"max\": 90, \"label\""),
    )
    .unwrap();
    let (_, err, code) = text(&sansang(
        dir.path(),
        &[
            "validate",
            good.to_str().unwrap(),
            bad.to_str().unwrap(),
            "--lang",
            "en",
        ],
    ));
    assert_eq!(code, 1);
    assert!(
        err.contains("bad.json: 1 problem(s)")
            && err.contains("ends at 90")
            && err.contains("Fix:"),
        "{err}"
    );
}

#[test]
fn score_shows_the_hand_computed_table() {
    let (dir, path) = setup();
    let (out, err, code) = text(&sansang(
        dir.path(),
        &["score", path.to_str().unwrap(), "--lang", "en"],
    ));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Readiness: 63.8 — Advanced"), "{out}");
    assert!(out.contains("Evidenced: 25.0"));
    assert!(out.contains("Answered: 7/7 (100%)"));
    assert!(
        out.lines()
            .any(|l| l.contains("F1 Shift in awareness") && l.contains(" 65.0")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.contains("F5 Cybersecurity") && l.contains(" 62.5") && l.contains(" 50.0")),
        "{out}"
    );
    assert!(out.contains("1. m.f5.2 (+12.5)"), "{out}");
    assert!(out.contains("→ Write the plan."), "{out}");
}

#[test]
fn score_is_vietnamese_by_default() {
    let (dir, path) = setup();
    let o = Command::new(env!("CARGO_BIN_EXE_sansang"))
        .args(["score", path.to_str().unwrap()])
        .env("SANSANG_DATA_DIR", dir.path())
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .output()
        .unwrap();
    let (out, _, code) = text(&o);
    assert_eq!(code, 0);
    assert!(out.contains("Điểm sẵn sàng: 63.8 — Nâng cao"), "{out}");
    let o = Command::new(env!("CARGO_BIN_EXE_sansang"))
        .args(["score", path.to_str().unwrap()])
        .env("SANSANG_DATA_DIR", dir.path())
        .env("LANG", "en_GB.UTF-8")
        .env_remove("LC_ALL")
        .output()
        .unwrap();
    assert!(
        text(&o).0.contains("Readiness: 63.8"),
        "LANG=en selects English"
    );
}

#[test]
fn explain_shows_formula_items_and_what_if() {
    let (dir, path) = setup();
    let (out, err, code) = text(&sansang(
        dir.path(),
        &[
            "score",
            path.to_str().unwrap(),
            "--explain",
            "F1",
            "--lang",
            "en",
        ],
    ));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("F1 = 100 × Σ(w·v) / Σ(w) = 100 × 3.25 / 5.00 = 65.0"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.contains("m.f1.4") && l.contains("0.50") && l.contains("45 %")),
        "{out}"
    );
    assert!(out.contains("+10.0  m.f1.1"), "{out}");
    let (out, _, _) = text(&sansang(
        dir.path(),
        &[
            "score",
            path.to_str().unwrap(),
            "--explain",
            "overall",
            "--lang",
            "en",
        ],
    ));
    assert!(
        out.contains("Overall = (1×65.0 + 1×62.5) / 2 = 63.8"),
        "{out}"
    );
    let (_, err, code) = text(&sansang(
        dir.path(),
        &[
            "score",
            path.to_str().unwrap(),
            "--explain",
            "Z9",
            "--lang",
            "en",
        ],
    ));
    assert_eq!(code, 1);
    assert!(
        err.contains("there is no score \"Z9\"") && err.contains("F5"),
        "{err}"
    );
}

#[test]
fn export_csv_has_one_row_per_shown_question() {
    let (dir, path) = setup();
    let (out, err, code) = text(&sansang(
        dir.path(),
        &[
            "export",
            path.to_str().unwrap(),
            "--format",
            "csv",
            "--lang",
            "en",
        ],
    ));
    assert_eq!(code, 0, "{err}");
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[2], "question id");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    // 9 questions, m.f1.5 hidden for a province.
    assert_eq!(rows.len(), 8);
    let f51 = rows.iter().find(|x| &x[2] == "m.f5.1").unwrap();
    assert_eq!(&f51[6], "Yes");
    assert!(
        f51[11].contains("Quyết định 12/QĐ-SVD of 1 Mar 2026 by Sở Ví Dụ"),
        "{:?}",
        f51
    );
    assert_eq!(&f51[12], "document seen");
}

#[test]
fn export_writes_files_and_csv_bom() {
    let (dir, path) = setup();
    let out = dir.path().join("out/a.csv");
    let (msg, _, code) = text(&sansang(
        dir.path(),
        &[
            "export",
            path.to_str().unwrap(),
            "--format",
            "csv",
            "--bom",
            "-o",
            out.to_str().unwrap(),
        ],
    ));
    assert_eq!(code, 0);
    assert!(msg.contains("Đã ghi"));
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let json_out = dir.path().join("a.json");
    sansang(
        dir.path(),
        &[
            "export",
            path.to_str().unwrap(),
            "--format",
            "json",
            "-o",
            json_out.to_str().unwrap(),
        ],
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_out).unwrap()).unwrap();
    assert_eq!(v["scores"]["overall"], 63.75);
    assert_eq!(v["rows"].as_array().unwrap().len(), 8);
}

#[test]
fn user_errors_exit_1_with_a_message() {
    let (dir, _) = setup();
    let (_, err, code) = text(&sansang(
        dir.path(),
        &["score", "/nonexistent/x.json", "--lang", "en"],
    ));
    assert_eq!(code, 1);
    assert!(
        err.contains("/nonexistent/x.json") && err.contains("Cannot read"),
        "{err}"
    );
    let (_, err, code) = text(&sansang(
        dir.path(),
        &["export", "x.json", "--format", "pdf"],
    ));
    assert_eq!(code, 1);
    assert!(err.contains("pdf"), "{err}");
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "[1, 2").unwrap();
    let (_, err, code) = text(&sansang(
        dir.path(),
        &["score", garbage.to_str().unwrap(), "--lang", "en"],
    ));
    assert_eq!(code, 1);
    assert!(err.contains("garbage.json:1:5"), "{err}");
}

#[test]
fn help_is_complete_and_bilingual() {
    let (dir, _) = setup();
    let (out, _, code) = text(&sansang(dir.path(), &["--help"]));
    assert_eq!(code, 0);
    for cmd in [
        "questionnaires",
        "validate",
        "score",
        "export",
        "schema",
        "--lang",
        "--data-dir",
        "SANSANG_DATA_DIR",
    ] {
        assert!(out.contains(cmd), "{cmd} missing from --help");
    }
    assert!(out.contains("Đánh giá mức độ sẵn sàng") && out.contains("readiness assessment"));
    let (out, _, _) = text(&sansang(dir.path(), &["export", "--help"]));
    assert!(out.contains("--bom") && out.contains("--format"));
}

#[test]
fn report_in_every_format() {
    let (dir, path) = setup();
    let p = path.to_str().unwrap();
    let run = |args: &[&str]| {
        let (out, err, code) = text(&sansang(dir.path(), args));
        assert_eq!(code, 0, "{args:?}: {err}");
        out
    };
    let html = run(&["report", p, "--lang", "en"]);
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"en\""),
        "HTML by default"
    );
    let md = run(&["report", p, "--format", "md"]);
    assert!(md.contains("Sở Ví Dụ") && md.contains("Nâng cao"), "{md}");
    let json: serde_json::Value =
        serde_json::from_str(&run(&["report", p, "--format", "json"])).unwrap();
    assert_eq!(json["report_version"], 2);
    assert_eq!(json["headline"]["score"], 63.75);
    assert_eq!(json["headline"]["band"]["id"], "advanced");
    let csv = run(&["report", p, "--format", "csv", "--bom"]);
    assert!(csv.starts_with('\u{feff}') && csv.contains("m.f5.1"));
    let out = dir.path().join("r/report.html");
    let msg = run(&["report", p, "-o", out.to_str().unwrap(), "--lang", "en"]);
    assert!(msg.contains("Wrote") && std::fs::read_to_string(&out).unwrap().contains("</html>"));
}
