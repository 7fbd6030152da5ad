//! `sansang aggregate` end to end: a folder of assessments (one broken) in every format.

mod common;
use common::*;
use std::process::Command;

#[test]
fn aggregate_a_folder_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("questionnaires")).unwrap();
    std::fs::write(dir.path().join("questionnaires/mini.json"), MINI).unwrap();
    let room = dir.path().join("room");
    // Three respondents: the worked example (F1 65), and two variations of m.f1.1.
    for (i, level) in [3u8, 1, 4].iter().enumerate() {
        let (q, mut a) = worked_example();
        answer(&mut a, &q, "m.f1.1", scale(*level));
        a.set_profile(
            &q,
            "org_name",
            sansang::assessment::ProfileValue::Text(format!("Xã <{i}>")),
            NOW,
        )
        .unwrap();
        if i == 2 {
            a.set_profile(
                &q,
                "level",
                sansang::assessment::ProfileValue::Text("commune".into()),
                NOW,
            )
            .unwrap();
        }
        sansang::assessment::store::write(&room.join(format!("p{i}.json")), &a, &q).unwrap();
    }
    std::fs::write(room.join("broken.json"), "{").unwrap();
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_sansang"))
            .arg("aggregate")
            .arg(&room)
            .args(args)
            .env("SANSANG_DATA_DIR", dir.path())
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    // F1 for levels 1 and 3 (provinces, 45% of the 90% target → 0.5): (2×v + 0.5 + 0.75 + 0.5)/5
    // with v = .25, .75 → 45, 65. The third is a commune: 45% of its 60% target → 0.75, so
    // (2×1 + 0.5 + 0.75 + 0.75)/5 → 80.
    let json: serde_json::Value =
        serde_json::from_str(&run(&["--format", "json", "--lang", "en"])).unwrap();
    assert_eq!(json["respondents"], 3);
    assert_eq!(json["skipped"].as_array().unwrap().len(), 1);
    let q = &json["questionnaires"][0];
    let f1 = q["all"]["dimension_groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["dimensions"].as_array().unwrap().clone())
        .find(|d| d["id"] == "F1")
        .unwrap();
    assert_eq!(f1["claimed"]["min"], 45.0);
    assert_eq!(f1["claimed"]["median"], 65.0);
    assert_eq!(f1["claimed"]["max"], 80.0);

    let html = run(&["--format", "html", "--by", "type", "--lang", "vi"]);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"vi\""));
    assert!(
        html.contains("Xã &lt;0&gt;") && !html.contains("Xã <0>"),
        "escaped"
    );
    assert!(html.contains("<svg") && html.contains("boxplot") && !html.contains("<script"));
    assert!(html.contains("broken.json"), "skipped files listed");
    assert!(
        html.contains("65.0 (n=3)"),
        "median written next to the box"
    );

    let md = run(&["--format", "md", "--lang", "en"]);
    assert!(md.contains("broken.json"));
    let csv = run(&["--format", "csv", "--bom"]);
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(
        csv.lines().count(),
        4,
        "a header and one row per respondent:\n{csv}"
    );
}

#[test]
fn aggregate_of_nothing_readable_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.json"), "not json").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_sansang"))
        .args(["aggregate", dir.path().to_str().unwrap(), "--lang", "en"])
        .env("SANSANG_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no readable assessment"));
}
