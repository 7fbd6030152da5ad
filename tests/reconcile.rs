//! `sansang reconcile`: several respondents of one organisation side by side, divergences
//! flagged, the spread of every dimension, and a reconciled assessment that scores.

mod common;
use common::reconcile::{sansang, three_workshop_files};
use common::*;
use sansang::assessment::{Assessment, DecisionRule, store};
use sansang::i18n::Lang;
use sansang::questionnaire::Catalog;

#[test]
fn three_workshop_files_flag_ws1_and_show_the_spread() {
    let dir = tempfile::tempdir().unwrap();
    let files = three_workshop_files(dir.path());
    let paths: Vec<&str> = files.iter().map(|p| p.to_str().unwrap()).collect();
    let mut args = vec!["reconcile"];
    args.extend(&paths);
    args.extend(["--format", "json", "--lang", "en"]);
    let o = sansang(dir.path(), &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["divergent"], serde_json::json!(["ws.1", "ws.11"]));
    let q = |id: &str| {
        doc["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(q("ws.1")["divergence"]["kind"], "levels");
    assert_eq!(q("ws.1")["answers"].as_array().unwrap().len(), 3);
    assert_eq!(q("ws.2")["divergent"], false);
    assert_eq!(q("ws.2")["rule"], "median");
    assert!(q("ws.2")["carried"].as_str().unwrap().starts_with("3 "));
    assert_eq!(q("ws.10")["rule"], "median");
    assert_eq!(q("ws.3")["reason"], "alike");
    // ws.1 counts in the dimensions it feeds: their spread is not zero.
    let dims = doc["dimensions"].as_array().unwrap();
    assert!(
        dims.iter()
            .any(|d| d["range"].as_f64().unwrap_or(0.0) > 0.0)
    );
    for d in dims {
        assert_eq!(d["scores"].as_array().unwrap().len(), 3);
    }

    // Text, Markdown and HTML say the same, in Vietnamese by default.
    let mut args = vec!["reconcile"];
    args.extend(&paths);
    let text = String::from_utf8(sansang(dir.path(), &args).stdout).unwrap();
    assert!(text.contains("⚠ ws.1"), "{text}");
    assert!(text.contains("KHÁC BIỆT LỚN"), "{text}");
    for (format, marker) in [("md", "| ⚠"), ("html", "class=\"div\"")] {
        let out = dir.path().join(format!("r.{format}"));
        let mut a = args.clone();
        a.extend(["--format", format, "-o", out.to_str().unwrap()]);
        let o = sansang(dir.path(), &a);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let s = std::fs::read_to_string(&out).unwrap();
        assert!(s.contains(marker), "{format}: {s}");
        // Ours, so it may be replaced.
        assert!(sansang(dir.path(), &a).status.success());
    }
}

#[test]
fn outputs_never_overwrite_inputs_and_other_questionnaires_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let files = three_workshop_files(dir.path());
    let before = std::fs::read(&files[0]).unwrap();
    let o = sansang(
        dir.path(),
        &[
            "reconcile",
            files[0].to_str().unwrap(),
            files[1].to_str().unwrap(),
            "-o",
            files[0].to_str().unwrap(),
            "--lang",
            "en",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("inputs"));
    assert_eq!(std::fs::read(&files[0]).unwrap(), before);

    // An SME file with two workshop files: refused, naming every file and its questionnaire.
    let c = Catalog::builtin();
    let e = c.find("sme", None).unwrap();
    let sme = dir.path().join("sme.json");
    store::write(
        &sme,
        &Assessment::new(&e.questionnaire, &e.hash, NOW),
        &e.questionnaire,
    )
    .unwrap();
    let o = sansang(
        dir.path(),
        &[
            "reconcile",
            files[0].to_str().unwrap(),
            sme.to_str().unwrap(),
            "--lang",
            "en",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("different questionnaires"), "{err}");
    assert!(
        err.contains("an.json: workshop") && err.contains("sme.json: sme"),
        "{err}"
    );
    // One file, or the same file twice, is not a reconciliation.
    let o = sansang(dir.path(), &["reconcile", files[0].to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let o = sansang(
        dir.path(),
        &[
            "reconcile",
            files[0].to_str().unwrap(),
            files[0].to_str().unwrap(),
            "--lang",
            "en",
        ],
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("given twice"));
}

#[test]
fn the_reconciled_assessment_carries_records_and_scores() {
    let dir = tempfile::tempdir().unwrap();
    let files = three_workshop_files(dir.path());
    let c = Catalog::builtin();
    let (q, sources) = sansang::reconcile::load(&files, &c, Lang::En).unwrap();
    let mut a = sansang::reconcile::merged(&q, "h", &sources, NOW);
    // Diverging: unanswered and pending; close: the lower median, recorded.
    assert!(!a.answers.contains_key("ws.1"));
    let rec = a.reconciliation.clone().unwrap();
    assert_eq!(rec.sources.len(), 3);
    assert_eq!(rec.decisions["ws.1"].rule, DecisionRule::Pending);
    assert_eq!(
        rec.decisions["ws.1"].responses,
        vec![Some(scale(0)), Some(scale(2)), Some(scale(4))]
    );
    assert_eq!(a.answers["ws.2"].response, scale(3));
    assert_eq!(rec.decisions["ws.2"].rule, DecisionRule::Median);
    assert_eq!(a.answers["ws.3"].response, scale(2));
    assert!(!rec.decisions.contains_key("ws.3"));
    // Comments carried with the respondent's label.
    assert!(a.answers.contains_key("ws.20"));
    // The consultant agrees ws.1 at 2 and ws.11 "partly".
    sansang::reconcile::agree(&q, &mut a, "ws.1", scale(2), NOW).unwrap();
    sansang::reconcile::agree(&q, &mut a, "ws.11", partly(), NOW).unwrap();
    a.reconciliation
        .as_mut()
        .unwrap()
        .decisions
        .get_mut("ws.1")
        .unwrap()
        .note = "Thống nhất mức 2 sau khi xem kế hoạch".into();
    let out = dir.path().join("agreed.json");
    store::write(&out, &a, &q).unwrap();
    // It reads back with its record, and scores like any other.
    let back = store::read(&out, &c).unwrap();
    let r = back.assessment.reconciliation.clone().unwrap();
    assert_eq!(r.decisions["ws.1"].rule, DecisionRule::Consultant);
    assert!(r.decisions["ws.1"].note.contains("mức 2"));
    let o = sansang(
        dir.path(),
        &["score", out.to_str().unwrap(), "--lang", "en"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = sansang::scoring::score(&back.questionnaire, &back.assessment);
    assert!(
        report
            .questions
            .iter()
            .any(|s| s.id == "ws.1" && s.value == Some(0.5))
    );
    let o = sansang(
        dir.path(),
        &["aggregate", out.to_str().unwrap(), "--format", "json"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
