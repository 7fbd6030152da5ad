#![allow(dead_code)]
//! Helpers shared by the integration tests.

pub mod generated;
pub mod reconcile;
pub mod tmux;
pub mod tui;

use sansang::assessment::{Assessment, ProfileValue, Response, Ynp};
use sansang::questionnaire::{Questionnaire, content_hash, load_str};

pub const MINI: &str = include_str!("../fixtures/mini.json");
pub const NOW: &str = "2026-11-24T10:00:00Z";

pub fn mini() -> Questionnaire {
    load_str(MINI, "mini.json").unwrap_or_else(|e| panic!("{}", e.render(sansang::i18n::Lang::En)))
}

pub fn new_assessment(q: &Questionnaire) -> Assessment {
    Assessment::new(q, &content_hash(q), NOW)
}

pub fn profile(a: &mut Assessment, q: &Questionnaire, id: &str, v: &str) {
    a.set_profile(q, id, ProfileValue::Text(v.into()), NOW)
        .unwrap();
}

pub fn answer(a: &mut Assessment, q: &Questionnaire, id: &str, r: Response) {
    a.set_response(q, id, r, NOW)
        .unwrap_or_else(|e| panic!("{id}: {e}"));
}

pub fn scale(l: u8) -> Response {
    Response::Scale { level: l }
}
pub fn yes() -> Response {
    Response::Ynp { choice: Ynp::Yes }
}
pub fn partly() -> Response {
    Response::Ynp {
        choice: Ynp::Partly,
    }
}
pub fn no() -> Response {
    Response::Ynp { choice: Ynp::No }
}
pub fn ticks(ids: &[&str]) -> Response {
    Response::Checklist {
        selected: ids.iter().map(|s| s.to_string()).collect(),
    }
}
pub fn number(v: f64) -> Response {
    Response::Number { value: v }
}

/// The worked example of README "Scoring": a province, target year 2025.
pub fn worked_example() -> (Questionnaire, Assessment) {
    let q = mini();
    let mut a = new_assessment(&q);
    profile(&mut a, &q, "org_name", "Sở Ví Dụ");
    profile(&mut a, &q, "level", "province");
    profile(&mut a, &q, "target_year", "2025");
    answer(&mut a, &q, "m.f1.1", scale(3));
    answer(&mut a, &q, "m.f1.2", partly());
    answer(&mut a, &q, "m.f1.3", ticks(&["a", "c"]));
    answer(&mut a, &q, "m.f1.4", number(45.0));
    answer(&mut a, &q, "m.f5.1", yes());
    answer(&mut a, &q, "m.f5.2", Response::DontKnow);
    answer(&mut a, &q, "m.f5.3", scale(2));
    a.answers
        .get_mut("m.f5.1")
        .unwrap()
        .evidence
        .push(sansang::assessment::Evidence {
            grade: sansang::assessment::EvidenceGrade::DocumentSeen,
            source: sansang::assessment::EvidenceSource::Document {
                doc_type: "Quyết định".into(),
                number: "12/QĐ-SVD".into(),
                date: "2026-03-01".into(),
                issuer: "Sở Ví Dụ".into(),
                summary: "Phân công cán bộ chuyên trách an toàn thông tin".into(),
            },
            note: String::new(),
        });
    (q, a)
}

pub fn close(a: Option<f64>, b: f64) {
    let a = a.unwrap_or_else(|| panic!("expected {b}, got no score"));
    assert!((a - b).abs() < 1e-9, "expected {b}, got {a}");
}

/// A catalog holding just this questionnaire (as if built in).
pub fn catalog_with(q: Questionnaire) -> sansang::questionnaire::Catalog {
    use sansang::questionnaire::{Catalog, Entry, Origin};
    let hash = content_hash(&q);
    Catalog {
        entries: vec![Entry {
            questionnaire: std::sync::Arc::new(q).into(),
            origin: Origin::Builtin,
            hash,
        }],
        errors: vec![],
    }
}

/// Runs `cmd` with `input` on its standard input; what it printed and how it ended.
pub fn output_with_input(cmd: &mut std::process::Command, input: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
