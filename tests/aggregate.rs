//! Aggregation of many assessments: hand-computed distributions on the `mini` fixture, grouping,
//! bad files listed and skipped, other questionnaire versions matched by question id, the CSV /
//! JSON / Markdown outputs in both languages, and the published JSON Schema.
//!
//! The respondents (mini questionnaire, README "Scoring" for the formula):
//! - A, the worked example (province): F1 65, F5 62.5, CPS 62.5, L1 100, headline 63.75 advanced;
//!   weak: m.f5.2 (don't know).
//! - B (commune, 2025): m.f1.1 level 1 (v .25, w 2), m.f1.2 no, m.f1.3 nothing ticked, m.f1.4
//!   30 of the commune target 60 (v .5), m.f1.5 yes (shown to communes); m.f5.1 no (w 2), m.f5.2
//!   yes, m.f5.3 hidden. F1 = 100 × (0.5 + 0 + 0 + 0.5 + 1) / 6 = 33.33; F5 = 100 × 1 / 3 = 33.33;
//!   CPS = 100 × (.25 + .5) / 2 = 37.5; L1 = 0; headline 33.33 developing; weak: m.f1.1, m.f1.2,
//!   m.f1.3, m.f5.1.
//! - C (province, 2025): m.f1.1 level 4, m.f5.1 yes, m.f5.2 don't know, m.f5.3 unanswered.
//!   F1 = 100; F5 = 100 × 2 / 3 = 66.67; CPS = 100; L1 = 100; headline (100 + 66.67) / 2 = 83.33
//!   leading (F5 "advanced" is one band below: allowed); coverage 3 / 7; weak: m.f5.2.
//! - D (no profile): m.f1.1 level 2 only. F1 = 50, no F5 / L1 score, headline 50 established;
//!   nothing weak (0.5 is not below 0.5).

mod common;
use common::*;
use sansang::aggregate::{self, AggregateDoc, GroupBy, Stats};
use sansang::assessment::{Assessment, Response, store};
use sansang::i18n::Lang;
use sansang::questionnaire::{Catalog, Questionnaire};
use std::path::{Path, PathBuf};

fn b(q: &Questionnaire) -> Assessment {
    let mut a = new_assessment(q);
    profile(&mut a, q, "org_name", "UBND xã Một");
    profile(&mut a, q, "level", "commune");
    profile(&mut a, q, "target_year", "2025");
    answer(&mut a, q, "m.f1.1", scale(1));
    answer(&mut a, q, "m.f1.2", no());
    answer(&mut a, q, "m.f1.3", ticks(&[]));
    answer(&mut a, q, "m.f1.4", number(30.0));
    answer(&mut a, q, "m.f1.5", yes());
    answer(&mut a, q, "m.f5.1", no());
    answer(&mut a, q, "m.f5.2", yes());
    a
}

fn c(q: &Questionnaire) -> Assessment {
    let mut a = new_assessment(q);
    profile(&mut a, q, "org_name", "Sở Hai");
    profile(&mut a, q, "level", "province");
    profile(&mut a, q, "target_year", "2025");
    answer(&mut a, q, "m.f1.1", scale(4));
    answer(&mut a, q, "m.f5.1", yes());
    answer(&mut a, q, "m.f5.2", Response::DontKnow);
    a
}

fn d(q: &Questionnaire) -> Assessment {
    let mut a = new_assessment(q);
    answer(&mut a, q, "m.f1.1", scale(2));
    a
}

/// A folder with a.json … d.json, plus a lock file and a text file that must be ignored.
fn four(dir: &Path) -> Questionnaire {
    let (q, a) = worked_example();
    for (name, x) in [("a", a), ("b", b(&q)), ("c", c(&q)), ("d", d(&q))] {
        store::write(&dir.join(format!("{name}.json")), &x, &q).unwrap();
    }
    std::fs::write(dir.join(".a.json.lock"), "pid 1\n").unwrap();
    std::fs::write(dir.join("notes.txt"), "not an assessment").unwrap();
    q
}

fn run(inputs: &[PathBuf], q: &Questionnaire, by: GroupBy, lang: Lang) -> AggregateDoc {
    aggregate::aggregate(inputs, &catalog_with(q.clone()), by, lang)
}

fn stats_eq(s: Option<Stats>, count: usize, [mean, min, q1, median, q3, max]: [f64; 6]) {
    let s = s.unwrap_or_else(|| panic!("expected statistics, got none"));
    assert_eq!(s.count, count, "{s:?}");
    let got = [s.mean, s.min, s.q1, s.median, s.q3, s.max];
    for (g, e) in got.iter().zip([mean, min, q1, median, q3, max]) {
        assert!((g - e).abs() < 1e-9, "expected {e}, got {g} in {s:?}");
    }
}

fn dim<'a>(g: &'a aggregate::GroupAggregate, id: &str) -> &'a aggregate::DimensionStats {
    g.dimension_groups
        .iter()
        .flat_map(|x| &x.dimensions)
        .find(|x| x.id == id)
        .unwrap_or_else(|| panic!("no dimension {id}"))
}

#[test]
fn distributions_are_hand_computed() {
    let dir = tempfile::tempdir().unwrap();
    let q = four(dir.path());
    let doc = run(
        &[dir.path().to_path_buf()],
        &q,
        GroupBy::Questionnaire,
        Lang::En,
    );
    assert_eq!(doc.aggregate_version, 1);
    assert_eq!((doc.files, doc.respondents), (4, 4), "{:?}", doc.skipped);
    assert!(doc.skipped.is_empty() && doc.notes.is_empty());
    assert_eq!(doc.questionnaires.len(), 1);
    let qa = &doc.questionnaires[0];
    assert!(qa.groups.is_empty() && qa.group_field.is_none());
    let all = &qa.all;
    assert_eq!(all.count, 4);
    // Headlines 33.33, 50, 63.75, 83.33 (n 4, h = 3p): Q1 h .75 → 33.33 + .75 × 16.67 = 45.83;
    // median h 1.5 → 56.875; Q3 h 2.25 → 63.75 + .25 × 19.58 = 68.65; mean 230.42 / 4 = 57.6.
    stats_eq(all.headline, 4, [57.6, 33.33, 45.83, 56.88, 68.65, 83.33]);
    // F1: 33.33, 50, 65, 100: Q1 45.83; median 57.5; Q3 65 + .25 × 35 = 73.75; mean 62.08.
    stats_eq(
        dim(all, "F1").claimed,
        4,
        [62.08, 33.33, 45.83, 57.5, 73.75, 100.0],
    );
    // F5 (D has none): 33.33, 62.5, 66.67 (h = 2p): Q1 47.92, median 62.5, Q3 64.58, mean 54.17.
    stats_eq(
        dim(all, "F5").claimed,
        3,
        [54.17, 33.33, 47.92, 62.5, 64.58, 66.67],
    );
    // Evidenced F5: only A's "yes" has a document: A 50, B 0, C 0.
    stats_eq(
        dim(all, "F5").evidenced,
        3,
        [16.67, 0.0, 0.0, 0.0, 25.0, 50.0],
    );
    // L1: 100, 0, 100 → sorted 0 100 100.
    stats_eq(
        dim(all, "L1").claimed,
        3,
        [66.67, 0.0, 50.0, 100.0, 100.0, 100.0],
    );
    // Bands: developing B, established D, advanced A, leading C.
    let bands: Vec<(Option<&str>, usize)> = all
        .bands
        .iter()
        .map(|b| (b.id.as_deref(), b.count))
        .collect();
    assert_eq!(
        bands,
        vec![
            (Some("beginning"), 0),
            (Some("developing"), 1),
            (Some("established"), 1),
            (Some("advanced"), 1),
            (Some("leading"), 1)
        ]
    );
    // Weak items: m.f5.2 for A and C (both "don't know"), then questionnaire order.
    let weak: Vec<(&str, usize, usize, usize)> = all
        .weak
        .iter()
        .map(|w| (w.question_id.as_str(), w.weak, w.dont_know, w.answered))
        .collect();
    assert_eq!(
        weak,
        vec![
            ("m.f5.2", 2, 2, 3),
            ("m.f1.1", 1, 0, 4),
            ("m.f1.2", 1, 0, 2),
            ("m.f1.3", 1, 0, 2),
            ("m.f5.1", 1, 0, 3),
        ]
    );
    assert!(!all.weak[0].question.is_empty() && !all.weak[0].recommendation.is_empty());
    // Respondents in file order, with organisation, headline, band and coverage.
    type Row<'a> = (&'a str, &'a str, Option<f64>, Option<&'a str>, usize, usize);
    let rows: Vec<Row> = qa
        .respondents
        .iter()
        .map(|r| {
            (
                Path::new(&r.file).file_name().unwrap().to_str().unwrap(),
                r.organisation.as_str(),
                r.headline,
                r.band.as_ref().map(|b| b.id.as_str()),
                r.coverage.answered,
                r.coverage.applicable,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("a.json", "Sở Ví Dụ", Some(63.75), Some("advanced"), 7, 7),
            (
                "b.json",
                "UBND xã Một",
                Some(33.33),
                Some("developing"),
                7,
                7
            ),
            ("c.json", "Sở Hai", Some(83.33), Some("leading"), 3, 7),
            ("d.json", "", Some(50.0), Some("established"), 1, 6),
        ]
    );
    assert_eq!(qa.respondents[2].coverage_percent, 42.86);
    // Dimension columns follow the questionnaire: CPS, F1, F5, L1.
    let ids: Vec<&str> = qa.dimensions.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, vec!["CPS", "F1", "F5", "L1"]);
    assert_eq!(
        qa.respondents[1].dimensions,
        vec![Some(37.5), Some(33.33), Some(33.33), Some(0.0)]
    );
    assert_eq!(
        qa.respondents[3].dimensions,
        vec![Some(50.0), Some(50.0), None, None]
    );
}

#[test]
fn groups_by_level_with_not_given_last_and_no_stats_for_empty_dimensions() {
    let dir = tempfile::tempdir().unwrap();
    let q = four(dir.path());
    let doc = run(&[dir.path().to_path_buf()], &q, GroupBy::Type, Lang::En);
    let qa = &doc.questionnaires[0];
    assert_eq!(
        qa.group_field.as_ref().map(|f| f.id.as_str()),
        Some("level")
    );
    let groups: Vec<(Option<&str>, &str, usize)> = qa
        .groups
        .iter()
        .map(|g| (g.key.as_deref(), g.label.as_str(), g.count))
        .collect();
    // Option order of the field (province, commune), then "(not given)".
    assert_eq!(
        groups,
        vec![
            (Some("province"), "Province", 2),
            (Some("commune"), "Commune", 1),
            (None, "(not given)", 1)
        ]
    );
    // Province: A 63.75 and C 83.33: Q1 63.75 + .25 × 19.58 = 68.65, median 73.54, Q3 78.44.
    stats_eq(
        qa.groups[0].headline,
        2,
        [73.54, 63.75, 68.65, 73.54, 78.44, 83.33],
    );
    stats_eq(
        qa.groups[1].headline,
        1,
        [33.33, 33.33, 33.33, 33.33, 33.33, 33.33],
    );
    // D answered nothing of F5 or L1: no statistics, not zeros.
    let ng = &qa.groups[2];
    assert_eq!(dim(ng, "F5").claimed, None);
    assert_eq!(dim(ng, "L1").claimed, None);
    stats_eq(dim(ng, "F1").claimed, 1, [50.0; 6]);
    assert!(ng.weak.is_empty());
    // Each group has its own weak items.
    let weak: Vec<&str> = qa.groups[0]
        .weak
        .iter()
        .map(|w| w.question_id.as_str())
        .collect();
    assert_eq!(weak, vec!["m.f5.2"]);
    assert_eq!(qa.groups[0].weak[0].weak, 2);
    let groups: Vec<&str> = qa.respondents.iter().map(|r| r.group.as_str()).collect();
    assert_eq!(
        groups,
        vec!["Province", "Commune", "Province", "(not given)"]
    );
    // In Vietnamese the labels are the Vietnamese ones.
    let vi = run(&[dir.path().to_path_buf()], &q, GroupBy::Type, Lang::Vi);
    let labels: Vec<&str> = vi.questionnaires[0]
        .groups
        .iter()
        .map(|g| g.label.as_str())
        .collect();
    assert_eq!(labels.last(), Some(&"(chưa khai)"));
    assert_eq!(vi.questionnaires[0].all.label, "Tất cả");
}

#[test]
fn a_grouping_field_the_questionnaire_lacks_puts_everyone_in_not_given() {
    let dir = tempfile::tempdir().unwrap();
    let q = four(dir.path());
    let doc = run(&[dir.path().to_path_buf()], &q, GroupBy::Province, Lang::En);
    let qa = &doc.questionnaires[0];
    assert!(qa.group_field.is_none());
    assert_eq!(qa.groups.len(), 1);
    assert_eq!(qa.groups[0].label, "(not given)");
    assert_eq!(qa.groups[0].count, 4);
    assert!(aggregate::to_markdown(&doc).contains("no field for the chosen grouping"));
}

#[test]
fn free_text_provinces_group_regardless_of_case_and_spacing() {
    // The built-in agency questionnaire asks the province as free text.
    let cat = Catalog::builtin();
    let entry = cat.find("agency", None).unwrap();
    let q = entry.questionnaire.clone();
    let dir = tempfile::tempdir().unwrap();
    for (i, p) in ["Hà Nội", "  hà   nội ", "Đà Nẵng", ""].iter().enumerate() {
        let mut a = Assessment::new(&q, &entry.hash, NOW);
        profile(&mut a, &q, "org_name", &format!("Cơ quan {i}"));
        profile(&mut a, &q, "level", "province");
        if !p.is_empty() {
            profile(&mut a, &q, "province_name", p);
        }
        answer(&mut a, &q, "ag.f1.1", scale(i as u8));
        store::write(&dir.path().join(format!("{i}.json")), &a, &q).unwrap();
    }
    let doc = aggregate::aggregate(
        &[dir.path().to_path_buf()],
        &cat,
        GroupBy::Province,
        Lang::Vi,
    );
    let qa = &doc.questionnaires[0];
    assert_eq!(
        qa.group_field.as_ref().map(|f| f.id.as_str()),
        Some("province_name")
    );
    let groups: Vec<(&str, usize)> = qa
        .groups
        .iter()
        .map(|g| (g.label.as_str(), g.count))
        .collect();
    assert_eq!(
        groups,
        vec![("Hà Nội", 2), ("Đà Nẵng", 1), ("(chưa khai)", 1)]
    );
}

#[test]
fn bad_files_are_listed_with_their_error_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let q = four(dir.path());
    let (_, a) = worked_example();
    let good = store::to_json(&a, &q);
    std::fs::write(dir.path().join("e-broken.json"), "{ \"format_version\": 2,").unwrap();
    std::fs::write(
        dir.path().join("f-other.json"),
        good.replace("\"id\": \"mini\"", "\"id\": \"other\""),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("g-newer.json"),
        good.replace("\"format_version\": 2", "\"format_version\": 9"),
    )
    .unwrap();
    let missing = dir.path().join("missing.json");
    for lang in [Lang::En, Lang::Vi] {
        let doc = run(
            &[dir.path().to_path_buf(), missing.clone()],
            &q,
            GroupBy::Questionnaire,
            lang,
        );
        assert_eq!(doc.respondents, 4);
        assert_eq!(doc.files, 8);
        let skipped: Vec<&str> = doc
            .skipped
            .iter()
            .map(|s| Path::new(&s.file).file_name().unwrap().to_str().unwrap())
            .collect();
        assert_eq!(
            skipped,
            vec![
                "e-broken.json",
                "f-other.json",
                "g-newer.json",
                "missing.json"
            ]
        );
        for s in &doc.skipped {
            assert!(s.error.contains(&s.file), "the error names the file: {s:?}");
        }
        let (fix, other, newer) = match lang {
            Lang::En => (
                "Fix",
                "no questionnaire with id \"other\"",
                "update sansang",
            ),
            Lang::Vi => (
                "Cách sửa",
                "không tìm thấy bộ câu hỏi \"other\"",
                "cập nhật sansang",
            ),
        };
        assert!(doc.skipped.iter().all(|s| s.error.contains(fix)));
        assert!(
            doc.skipped[1].error.contains(other),
            "{}",
            doc.skipped[1].error
        );
        assert!(
            doc.skipped[2].error.contains(newer),
            "{}",
            doc.skipped[2].error
        );
        // The statistics are those of the four good files.
        assert_eq!(doc.questionnaires[0].all.headline.unwrap().count, 4);
        let md = aggregate::to_markdown(&doc);
        assert!(md.contains("e-broken.json") && md.contains(fix));
    }
}

#[test]
fn another_questionnaire_version_is_matched_by_question_id() {
    let dir = tempfile::tempdir().unwrap();
    let (q, a) = worked_example();
    store::write(&dir.path().join("a.json"), &a, &q).unwrap();
    // Saved against an older version that had a question since removed.
    let mut v: serde_json::Value = serde_json::from_str(&store::to_json(&a, &q)).unwrap();
    v["questionnaire"]["version"] = serde_json::json!("0.9.0");
    v["questionnaire"]["hash"] = serde_json::json!("sha256:older");
    v["answers"]["m.old.1"] = serde_json::json!({
        "response": {"kind": "ynp", "choice": "yes"},
        "answered_at": NOW
    });
    std::fs::write(
        dir.path().join("old.json"),
        serde_json::to_string_pretty(&v).unwrap(),
    )
    .unwrap();
    let doc = run(
        &[dir.path().to_path_buf()],
        &q,
        GroupBy::Questionnaire,
        Lang::En,
    );
    assert_eq!(doc.respondents, 2);
    assert!(doc.skipped.is_empty());
    let qa = &doc.questionnaires[0];
    assert_eq!(qa.version, "1.0.0");
    // The answers that still exist count exactly as before.
    assert_eq!(qa.respondents[0].headline, qa.respondents[1].headline);
    assert_eq!(qa.respondents[1].headline, Some(63.75));
    assert_eq!(doc.notes.len(), 1);
    let n = &doc.notes[0];
    assert!(n.file.ends_with("old.json"));
    assert_eq!(n.saved_version.as_deref(), Some("0.9.0"));
    assert_eq!(n.unmatched, vec!["m.old.1".to_string()]);
    assert!(n.notes.iter().any(|t| t.contains("0.9.0 → 1.0.0")));
    let md = aggregate::to_markdown(&doc);
    assert!(
        md.contains("Notes per file") && md.contains("m.old.1"),
        "{md}"
    );
}

#[test]
fn files_and_folders_mix_and_duplicates_count_once() {
    let dir = tempfile::tempdir().unwrap();
    let q = four(dir.path());
    let doc = run(
        &[
            dir.path().join("b.json"),
            dir.path().to_path_buf(),
            dir.path().join("b.json"),
        ],
        &q,
        GroupBy::Questionnaire,
        Lang::En,
    );
    assert_eq!(doc.respondents, 4);
    let files: Vec<&str> = doc.questionnaires[0]
        .respondents
        .iter()
        .map(|r| Path::new(&r.file).file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(files, vec!["b.json", "a.json", "c.json", "d.json"]);
    // Nothing to read is not an error either.
    let empty = tempfile::tempdir().unwrap();
    let doc = run(
        &[empty.path().to_path_buf()],
        &q,
        GroupBy::Questionnaire,
        Lang::En,
    );
    assert_eq!((doc.files, doc.respondents), (0, 0));
    assert!(aggregate::to_markdown(&doc).contains("No assessment could be read"));
}

#[test]
fn many_files_give_the_same_result_as_few() {
    // Enough files for several workers: the result must not depend on how they share the work.
    let dir = tempfile::tempdir().unwrap();
    let (q, a) = worked_example();
    let others = [b(&q), c(&q), d(&q)];
    for i in 0..200 {
        let x = if i % 4 == 0 { &a } else { &others[i % 4 - 1] };
        store::write(&dir.path().join(format!("{i:03}.json")), x, &q).unwrap();
    }
    let doc = run(&[dir.path().to_path_buf()], &q, GroupBy::Type, Lang::En);
    assert_eq!(doc.respondents, 200);
    let qa = &doc.questionnaires[0];
    let order: Vec<String> = qa.respondents.iter().map(|r| r.file.clone()).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "input order kept");
    // 50 copies each of 33.33, 50, 63.75, 83.33: n 200, h = 199p; median between ranks 99 and
    // 100 → (50 + 63.75) / 2.
    let h = qa.all.headline.unwrap();
    assert_eq!(
        (h.count, h.median, h.min, h.max),
        (200, 56.88, 33.33, 83.33)
    );
    assert_eq!(qa.all.weak[0].weak, 100);
}

#[test]
fn csv_has_one_row_per_respondent_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let q = four(dir.path());
    let en = aggregate::to_csv(
        &run(&[dir.path().to_path_buf()], &q, GroupBy::Type, Lang::En),
        false,
    );
    let mut r = csv::Reader::from_reader(en.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        head,
        vec![
            "file",
            "questionnaire",
            "organisation",
            "group",
            "score",
            "band",
            "evidenced score",
            "coverage (%)",
            "answered",
            "applicable",
            "don't know",
            "CPS",
            "F1",
            "F5",
            "L1"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 4);
    let b = &rows[1];
    assert!(b[0].ends_with("b.json"));
    assert_eq!(
        b.iter().skip(1).collect::<Vec<_>>(),
        vec![
            "mini",
            "UBND xã Một",
            "Commune",
            "33.33",
            "Developing",
            "0",
            "100",
            "7",
            "7",
            "0",
            "37.5",
            "33.33",
            "33.33",
            "0"
        ]
    );
    // D has no F5 / L1 score: empty cells, not zeros.
    assert_eq!(&rows[3][13], "");
    assert_eq!(&rows[3][3], "(not given)");

    let vi = aggregate::to_csv(
        &run(&[dir.path().to_path_buf()], &q, GroupBy::Type, Lang::Vi),
        true,
    );
    assert!(vi.starts_with("\u{feff}tệp,bộ câu hỏi,tổ chức,nhóm,điểm,mức"));
    assert!(vi.contains("Xã") || vi.contains("xã"));
    assert!(vi.contains("Đang hình thành"));
}

#[test]
fn markdown_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let q = four(dir.path());
    let en = aggregate::to_markdown(&run(
        &[dir.path().to_path_buf()],
        &q,
        GroupBy::Type,
        Lang::En,
    ));
    for s in [
        "# Aggregated assessments",
        "Most common weak items",
        "Median",
        "linear interpolation",
        "Respondents",
        "(not given)",
        "Province (n = 2)",
        "UBND xã Một",
        "Advanced",
    ] {
        assert!(en.contains(s), "missing {s:?} in\n{en}");
    }
    let vi = aggregate::to_markdown(&run(
        &[dir.path().to_path_buf()],
        &q,
        GroupBy::Type,
        Lang::Vi,
    ));
    for s in [
        "# Tổng hợp đánh giá",
        "Các điểm yếu phổ biến nhất",
        "Trung vị",
        "nội suy tuyến tính",
        "Người trả lời",
        "(chưa khai)",
        "Nâng cao",
    ] {
        assert!(vi.contains(s), "missing {s:?} in\n{vi}");
    }
    // The question text and recommendation come in the reader's language.
    let weak = q.question("m.f5.2").unwrap();
    assert!(en.contains(&weak.text.en.replace('_', "\\_")));
    assert!(vi.contains(&weak.text.vi.replace('_', "\\_")));
    // Every table row has the same number of cells as its header.
    for block in en.split("\n\n").filter(|b| b.starts_with('|')) {
        let cells: Vec<usize> = block
            .lines()
            .map(|l| l.replace("\\|", "").matches('|').count())
            .collect();
        assert!(cells.iter().all(|c| *c == cells[0]), "{block}");
    }
}

#[test]
fn json_matches_the_published_schema() {
    let generated = aggregate::schema();
    if std::env::var_os("SANSANG_UPDATE_SCHEMAS").is_some() {
        std::fs::write("schemas/aggregate.schema.json", &generated).unwrap();
    }
    let committed = std::fs::read_to_string("schemas/aggregate.schema.json").unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/aggregate.schema.json is out of date: run \
         `SANSANG_UPDATE_SCHEMAS=1 cargo test --test aggregate json_matches`"
    );
    let schema: serde_json::Value = serde_json::from_str(&generated).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let q = four(dir.path());
    std::fs::write(dir.path().join("z-broken.json"), "nope").unwrap();
    for by in GroupBy::ALL {
        for lang in [Lang::En, Lang::Vi] {
            let doc = run(&[dir.path().to_path_buf()], &q, by, lang);
            let text = aggregate::to_json(&doc);
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{by:?} {lang:?}: {errors:#?}");
            assert_eq!(value["aggregate_version"], 1);
            assert_eq!(value["lang"], lang.code());
            assert_eq!(value["group_by"], by.code());
            // And it reads back as the same document.
            let back: AggregateDoc = serde_json::from_value(value).unwrap();
            assert_eq!(back, doc);
        }
    }
}
