//! The command line on odd inputs: devices, FIFOs, assessments and the glossary given to
//! `validate`, and a local questionnaire that is there but invalid.

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs the binary; fails the test (and kills it) if it takes over 10 s.
fn sansang(data: &Path, args: &[&str]) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sansang"))
        .args(args)
        .env("SANSANG_DATA_DIR", data)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("sansang {args:?} did not finish within 10 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let o: Output = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&o.stdout).into(),
        String::from_utf8_lossy(&o.stderr).into(),
        o.status.code().unwrap_or(-1),
    )
}

#[test]
fn score_refuses_dev_zero_and_a_fifo_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (_, err, code) = sansang(dir.path(), &["--lang", "en", "score", "/dev/zero"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("/dev/zero") && err.contains("a device"),
        "{err}"
    );
    let fifo = dir.path().join("x.json");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (_, err, code) = sansang(
        dir.path(),
        &["--lang", "en", "report", fifo.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("a pipe (FIFO)"), "{err}");
    let (_, err, code) = sansang(dir.path(), &["--lang", "en", "validate", "/dev/zero"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("a device"), "{err}");
}

#[test]
fn validate_recognises_an_assessment_and_the_glossary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("questionnaires")).unwrap();
    std::fs::write(dir.path().join("questionnaires/mini.json"), MINI).unwrap();
    let (q, a) = worked_example();
    let path = dir.path().join("a.json");
    sansang::assessment::store::write(&path, &a, &q).unwrap();
    let (out, err, code) = sansang(
        dir.path(),
        &["--lang", "en", "validate", path.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("an assessment file, not a questionnaire") && !out.contains("unknown field"),
        "{out}"
    );
    let glossary = concat!(env!("CARGO_MANIFEST_DIR"), "/questionnaires/glossary.json");
    let (out, err, code) = sansang(dir.path(), &["--lang", "en", "validate", glossary]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("a glossary file") && out.contains("terms"),
        "{out}"
    );
    // A glossary with a problem is validated as a glossary.
    let mut g: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(glossary).unwrap()).unwrap();
    let first = g["terms"][0].clone();
    g["terms"].as_array_mut().unwrap().push(first);
    let bad = dir.path().join("glossary.json");
    std::fs::write(&bad, g.to_string()).unwrap();
    let (_, err, code) = sansang(
        dir.path(),
        &["--lang", "vi", "validate", bad.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("tệp thuật ngữ") && err.contains("bị dùng hai lần"),
        "{err}"
    );
}

#[test]
fn score_names_the_real_reason_a_local_questionnaire_was_rejected() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("questionnaires")).unwrap();
    let mut q: serde_json::Value = serde_json::from_str(MINI).unwrap();
    q["id"] = "mine".into();
    q["dimensions"][0]["weight"] = (-1).into();
    std::fs::write(dir.path().join("questionnaires/mine.json"), q.to_string()).unwrap();
    let (_, a) = worked_example();
    let mut v: serde_json::Value =
        serde_json::from_str(&sansang::assessment::store::to_json(&a, &mini())).unwrap();
    v["questionnaire"]["id"] = "mine".into();
    let path = dir.path().join("a.json");
    std::fs::write(&path, v.to_string()).unwrap();
    let (_, err, code) = sansang(
        dir.path(),
        &["--lang", "en", "score", path.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("is in the folder but is not valid") && err.contains("must be greater than 0"),
        "{err}"
    );
    let (_, err, _) = sansang(
        dir.path(),
        &["--lang", "vi", "score", path.to_str().unwrap()],
    );
    assert!(err.contains("có trong thư mục nhưng không hợp lệ"), "{err}");
}
