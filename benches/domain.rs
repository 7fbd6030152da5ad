//! Domain benchmarks: load + validate each built-in questionnaire and a generated 5,000-question
//! file, score one assessment, save one assessment, and load assessments holding 3,000 and
//! 300,000 orphaned answers (the ratio of the two shows loading is linear: ~100×, not ~10,000×),
//! each beside the same text parsed as a plain `serde_json::Value` (the floor).
//! Run with `cargo bench --bench domain`.

use criterion::{Criterion, criterion_group, criterion_main};
use sansang::assessment::{Assessment, Response, Ynp, store};
use sansang::questionnaire::{
    QuestionKind, Questionnaire, catalog::BUILTIN, content_hash, load_str,
};
use serde_json::{Value, json};
use std::hint::black_box;

/// A valid questionnaire with `n` questions (a mix of kinds, every tenth conditional).
fn generated(n: usize) -> String {
    let t = |s: &str| json!({"vi": format!("{s} (vi)"), "en": s});
    let levels: Vec<Value> = (0..5).map(|l| json!({"label": t(&format!("L{l}")), "descriptor": t(&format!("Level {l} descriptor"))})).collect();
    let per_section = 100;
    let sections: Vec<Value> = (0..n.div_ceil(per_section))
        .map(|s| {
            let qs: Vec<Value> = (0..per_section.min(n - s * per_section))
                .map(|i| {
                    let id = format!("g.{s}.{i}");
                    let mut q = json!({
                        "id": id, "text": t(&format!("Question {s}.{i}")), "help": t("Help"),
                        "seed": [{"doc": "004", "item": "IV.1.a", "lines": "151-153"}],
                        "contributes": [{"to": if i % 2 == 0 { "F1" } else { "F5" }, "weight": 1 + (i % 3)}, {"to": "CPS", "weight": 1}],
                        "recommendation": t("Do better"),
                    });
                    match i % 4 {
                        0 => { q["kind"] = json!("scale"); q["levels"] = json!(levels); }
                        1 => q["kind"] = json!("ynp"),
                        2 => {
                            q["kind"] = json!("checklist");
                            q["options"] = json!([{"id": "a", "label": t("A"), "points": 1}, {"id": "b", "label": t("B"), "points": 2}]);
                        }
                        _ => {
                            q["kind"] = json!("number");
                            q["thresholds"] = json!([{"at_least": 0, "score": 0}, {"at_least": 50, "score": 1}]);
                        }
                    }
                    if i % 10 == 9 {
                        q["show_if"] = json!({"field": format!("g.{s}.{}", i - 8), "eq": "yes"});
                    }
                    q
                })
                .collect();
            json!({"id": format!("s{s}"), "title": t("Section"), "questions": qs})
        })
        .collect();
    json!({
        "format": 1, "id": "generated", "version": "1", "title": t("Generated"), "description": t("Bench"),
        "dimensions": [
            {"id": "CPS", "group": "pillar", "label": t("CPS")},
            {"id": "F1", "group": "task", "label": t("F1")},
            {"id": "F5", "group": "task", "label": t("F5")}
        ],
        "overall": {"group": "task"},
        "bands": [
            {"id": "low", "min": 0, "max": 50, "label": t("Low")},
            {"id": "high", "min": 50, "max": 100, "label": t("High")}
        ],
        "profile": [{"id": "org_name", "kind": "text", "label": t("Name")}],
        "sections": sections,
        "sources": [{"id": "004", "short": t("Decision 749/QĐ-TTg"), "name": t("Decision 749/QĐ-TTg"),
            "issuer": t("Prime Minister"), "date": "2020-06-03", "kind": "decision", "status": "in_force"}]
    })
    .to_string()
}

/// Every question answered with something valid.
fn answered(q: &Questionnaire) -> Assessment {
    let now = "2026-11-24T10:00:00Z";
    let mut a = Assessment::new(q, &content_hash(q), now);
    for (i, (_, question)) in q.questions().enumerate() {
        let r = match question.kind {
            QuestionKind::Scale => Response::Scale {
                level: (i % 5) as u8,
            },
            QuestionKind::Ynp => Response::Ynp {
                choice: [Ynp::Yes, Ynp::Partly, Ynp::No][i % 3],
            },
            QuestionKind::Checklist => Response::Checklist {
                selected: vec![question.options[0].id.clone()],
            },
            QuestionKind::Number => Response::Number {
                value: question
                    .min
                    .unwrap_or(0.0)
                    .max(question.max.unwrap_or(100.0) / 2.0),
            },
            QuestionKind::Text => Response::Text {
                text: "Thiếu nhân lực chuyên trách".into(),
            },
        };
        a.set_response(q, &question.id, r, now)
            .expect("valid answer");
    }
    a
}

fn benches(c: &mut Criterion) {
    for (name, text) in BUILTIN {
        c.bench_function(&format!("load+validate {name}"), |b| {
            b.iter(|| load_str(black_box(text), name).unwrap())
        });
    }
    let big = generated(5000);
    c.bench_function("load+validate generated 5000 questions", |b| {
        b.iter(|| load_str(black_box(&big), "gen").unwrap())
    });

    let (_, agency_text) = BUILTIN[0];
    let agency = load_str(agency_text, "agency").unwrap();
    let a = answered(&agency);
    c.bench_function("score agency (all answered)", |b| {
        b.iter(|| sansang::scoring::score(black_box(&agency), black_box(&a)))
    });

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.json");
    c.bench_function("save agency assessment (atomic, fsync)", |b| {
        b.iter(|| store::write(&path, black_box(&a), &agency).unwrap())
    });
}

/// The text of an agency assessment with `n` orphaned answers (to questions that no longer
/// exist), half of them also in `answers` under ids the questionnaire does not have.
fn with_orphans(agency: &Questionnaire, a: &Assessment, n: usize) -> String {
    let mut v: Value = serde_json::from_str(&store::to_json(a, agency)).unwrap();
    let one =
        json!({"response": {"kind": "scale", "level": 2}, "answered_at": "2026-01-01T00:00:00Z"});
    let mut orphaned = serde_json::Map::new();
    for i in 0..n {
        orphaned.insert(format!("gone.{i}"), one.clone());
    }
    for i in 0..n / 2 {
        v["answers"][format!("removed.{i}")] = one.clone();
    }
    v["orphaned"] = Value::Object(orphaned);
    serde_json::to_string(&v).unwrap()
}

fn orphan_loads(c: &mut Criterion) {
    let (_, agency_text) = BUILTIN[0];
    let agency = load_str(agency_text, "agency").unwrap();
    let a = answered(&agency);
    let catalog = sansang::questionnaire::Catalog::builtin();
    let mut g = c.benchmark_group("load assessment with orphaned answers");
    g.sample_size(10);
    for n in [3_000, 300_000] {
        let text = with_orphans(&agency, &a, n);
        g.bench_function(format!("{n} orphaned"), |b| {
            b.iter(|| {
                store::parse(black_box(&text), std::path::Path::new("x.json"), &catalog).unwrap()
            })
        });
        // The floor: the same text parsed as untyped JSON, nothing checked.
        g.bench_function(format!("{n} orphaned, serde_json::Value only"), |b| {
            b.iter(|| serde_json::from_str::<Value>(black_box(&text)).unwrap())
        });
    }
    g.finish();
}

criterion_group! {
    name = domain;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = benches, orphan_loads
}
criterion_main!(domain);
