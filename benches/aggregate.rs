//! Aggregation benchmark: generates realistic agency assessments once (every visible question
//! answered with varied values, a few "don't know" / "not applicable", some evidence and comments;
//! level, sector, province and target year varied; deterministic, each file different), then
//! times the streamed aggregation over the folder.
//!
//! `cargo bench --bench aggregate` runs everything in a temporary folder. Environment:
//! - `SANSANG_BENCH_N` — how many assessments (default 10000);
//! - `SANSANG_BENCH_DIR` — use / fill this folder instead of a temporary one (files already there
//!   are reused when their number matches);
//! - `SANSANG_BENCH_MODE` — `all` (default: generate if needed, then time `RUNS` runs),
//!   `generate` (only write the files, on every core, without a sync per file: a million files
//!   take minutes), `once` (one aggregation to JSON, for `/usr/bin/time -v`), `parse` (the
//!   yardstick: read every file and parse it with `serde_json` into a `Value`, nothing else, on
//!   one thread);
//! - `RUNS` — timed runs (default 10).
//!
//! `scripts/bench-aggregate` uses these, and the `sansang` binary, for its table.

use sansang::aggregate::{GroupBy, RunOptions, run};
use sansang::assessment::{
    Assessment, Evidence, EvidenceGrade, EvidenceSource, ProfileValue, Response, Ynp, store,
};
use sansang::i18n::Lang;
use sansang::questionnaire::{Catalog, QuestionKind, Questionnaire};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// xorshift64*: deterministic variety without a dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const PROVINCES: &[&str] = &[
    "Hà Nội",
    "TP. Hồ Chí Minh",
    "Đà Nẵng",
    "Hải Phòng",
    "Cần Thơ",
    "Quảng Ninh",
    "Thừa Thiên Huế",
    "Nghệ An",
    "Lào Cai",
    "Đắk Lắk",
    "An Giang",
    "Bình Dương",
];
const NOW: &str = "2026-11-24T10:00:00Z";

fn choice(q: &Questionnaire, field: &str, rng: &mut Rng) -> Option<String> {
    let f = q.profile_field(field)?;
    (!f.options.is_empty()).then(|| f.options[rng.below(f.options.len())].id.clone())
}

/// One agency assessment; `i` seeds the variety.
fn generate(q: &Questionnaire, hash: &str, i: usize) -> Assessment {
    let mut rng = Rng::new(i as u64 + 1);
    let mut a = Assessment::new(q, hash, NOW);
    let mut set = |id: &str, v: ProfileValue| {
        let _ = a.set_profile(q, id, v, NOW);
    };
    set(
        "org_name",
        ProfileValue::Text(format!("UBND xã Ví Dụ số {i}")),
    );
    for id in ["level", "role", "target_year"] {
        if let Some(c) = choice(q, id, &mut rng) {
            set(id, ProfileValue::Text(c));
        }
    }
    // Some leave sector, province or security level out (the "(not given)" groups).
    if rng.chance(90)
        && let Some(c) = choice(q, "sector", &mut rng)
    {
        set("sector", ProfileValue::Text(c));
    }
    if rng.chance(85) {
        set(
            "province_name",
            ProfileValue::Text(PROVINCES[rng.below(PROVINCES.len())].to_string()),
        );
    }
    if rng.chance(80)
        && let Some(c) = choice(q, "security_level", &mut rng)
    {
        set("security_level", ProfileValue::Text(c));
    }
    set("staff", ProfileValue::Number((5 + rng.below(400)) as f64));
    set("systems", ProfileValue::Number(rng.below(12) as f64));

    // A respondent-wide maturity so scores spread over every band.
    let maturity = rng.unit();
    for (_, question) in q.questions() {
        let r = if question.allow_dont_know && rng.chance(4) {
            Response::DontKnow
        } else if question.allow_na && rng.chance(3) {
            Response::NotApplicable
        } else {
            let v = (maturity * 0.7 + rng.unit() * 0.3).clamp(0.0, 1.0);
            match question.kind {
                QuestionKind::Scale => Response::Scale {
                    level: (v * 4.0).round() as u8,
                },
                QuestionKind::Ynp => Response::Ynp {
                    choice: if v > 0.66 {
                        Ynp::Yes
                    } else if v > 0.33 {
                        Ynp::Partly
                    } else {
                        Ynp::No
                    },
                },
                QuestionKind::Checklist => {
                    let plain: Vec<&String> = question
                        .options
                        .iter()
                        .filter(|o| !o.exclusive)
                        .map(|o| &o.id)
                        .collect();
                    let selected: Vec<String> = plain
                        .iter()
                        .filter(|_| rng.unit() < v)
                        .map(|s| s.to_string())
                        .collect();
                    match question.options.iter().find(|o| o.exclusive) {
                        Some(none) if selected.is_empty() => Response::Checklist {
                            selected: vec![none.id.clone()],
                        },
                        _ => Response::Checklist { selected },
                    }
                }
                QuestionKind::Number => {
                    let lo = question.min.unwrap_or(0.0);
                    let hi = question.max.unwrap_or(lo + 100.0);
                    let x = lo + v * (hi - lo);
                    Response::Number {
                        value: if question.integer {
                            x.round()
                        } else {
                            (x * 10.0).round() / 10.0
                        },
                    }
                }
                QuestionKind::Text => Response::Text {
                    text: "Thiếu nhân lực chuyên trách; kinh phí còn hạn chế".into(),
                },
            }
        };
        if a.set_response(q, &question.id, r, NOW).is_err() {
            continue;
        }
        let ans = a.answers.get_mut(&question.id);
        if let Some(ans) = ans {
            if rng.chance(15) {
                ans.evidence.push(Evidence {
                    grade: if rng.chance(50) {
                        EvidenceGrade::DocumentSeen
                    } else {
                        EvidenceGrade::Verified
                    },
                    source: EvidenceSource::Document {
                        doc_type: "Quyết định".into(),
                        number: format!("{}/QĐ-UBND", 10 + rng.below(900)),
                        date: "2025-03-01".into(),
                        issuer: "UBND tỉnh".into(),
                        summary: "Ban hành kế hoạch chuyển đổi số năm 2025".into(),
                    },
                    note: String::new(),
                });
            }
            if rng.chance(10) {
                ans.comment = "Đang triển khai, dự kiến hoàn thành trong quý IV".into();
            }
        }
    }
    // Only visible questions keep their answers (hiding one may hide others: repeat).
    loop {
        let hidden = a.hidden_questions(q);
        let before = a.answers.len();
        a.answers.retain(|id, _| !hidden.contains(id));
        if a.answers.len() == before {
            break;
        }
    }
    a
}

fn json_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| {
                    let n = e.file_name();
                    let n = n.to_string_lossy();
                    n.ends_with(".json") && !n.starts_with('.')
                })
                .count()
        })
        .unwrap_or(0)
}

fn fill(dir: &Path, n: usize, catalog: &Catalog) {
    if json_files(dir) == n {
        eprintln!("reusing {n} assessments in {}", dir.display());
        return;
    }
    let entry = catalog.find("agency", None).expect("built-in agency");
    let q = &entry.questionnaire;
    let t = Instant::now();
    let bytes = std::sync::atomic::AtomicU64::new(0);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let a = generate(q, &entry.hash, i);
                    // What `store::write` writes, without its sync per file.
                    let text = store::to_json(&a, q);
                    let path = dir.join(format!("agency-{i:07}.json"));
                    std::fs::write(&path, &text).expect("write an assessment");
                    bytes.fetch_add(text.len() as u64, std::sync::atomic::Ordering::Relaxed);
                    if i > 0 && i.is_multiple_of(100_000) {
                        eprintln!("{i} written");
                    }
                }
            });
        }
    });
    let bytes = bytes.into_inner();
    eprintln!(
        "generated {n} assessments in {:.1} s: {:.1} MB in all, {:.1} KB each on average",
        t.elapsed().as_secs_f64(),
        bytes as f64 / 1e6,
        bytes as f64 / n as f64 / 1e3
    );
}

/// The yardstick: every file read and parsed into a `serde_json::Value`, one after another.
fn parse_all(dir: &Path) {
    let t = Instant::now();
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the bench folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    let mut buf = Vec::new();
    let mut keys = 0usize;
    for p in &names {
        buf.clear();
        std::io::Read::read_to_end(&mut std::fs::File::open(p).expect("open"), &mut buf)
            .expect("read");
        let v: serde_json::Value = serde_json::from_slice(&buf).expect("valid JSON");
        keys += v.as_object().map_or(0, |o| o.len());
    }
    println!(
        "parsed {} files with serde_json ({keys} top-level keys) in {:.1} ms",
        names.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    }
}

fn main() {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    // `cargo bench` passes --bench; anything else (cargo test --benches, clippy runs) gets a
    // quick smoke run so the bench keeps compiling and working without costing minutes.
    let benching = std::env::args().any(|a| a == "--bench");
    let n: usize = env("SANSANG_BENCH_N")
        .and_then(|v| v.parse().ok())
        .unwrap_or(if benching { 10_000 } else { 20 });
    let runs: usize = env("RUNS")
        .and_then(|v| v.parse().ok())
        .unwrap_or(if benching { 10 } else { 1 });
    let mode = env("SANSANG_BENCH_MODE").unwrap_or_else(|| "all".into());
    let tmp;
    let dir: PathBuf = match env("SANSANG_BENCH_DIR") {
        Some(d) => {
            std::fs::create_dir_all(&d).expect("create the bench folder");
            PathBuf::from(d)
        }
        None => {
            tmp = tempfile::tempdir().expect("temporary folder");
            tmp.path().to_path_buf()
        }
    };
    let catalog = Catalog::builtin();
    if mode != "once" && mode != "parse" {
        fill(&dir, n, &catalog);
    }
    if mode == "generate" {
        return;
    }
    if mode == "parse" {
        parse_all(&dir);
        return;
    }
    let inputs = vec![dir.clone()];
    // What `sansang aggregate DIR --format json` does, the output thrown away.
    let one = |by: GroupBy| {
        let t = Instant::now();
        let mut agg = run(&inputs, &catalog, by, Lang::Vi, RunOptions::default());
        let mut out = Counter(0);
        agg.write_json(&mut out).expect("write the aggregate");
        (t.elapsed(), agg.doc, out.0)
    };
    if mode == "once" {
        let (t, doc, _) = one(GroupBy::Province);
        println!(
            "aggregate {} files ({} respondents, {} skipped) by province: {:.1} ms",
            doc.files,
            doc.respondents,
            doc.skipped.len(),
            t.as_secs_f64() * 1e3,
        );
        return;
    }
    let (t, doc, written) = one(GroupBy::Type); // warm-up: page cache, allocator
    assert_eq!(doc.respondents, n, "every generated file is read");
    assert!(written > n * 100, "a respondent row per file");
    assert!(doc.skipped.is_empty(), "{:?}", doc.skipped.first());
    eprintln!("warm-up: {:.1} ms", t.as_secs_f64() * 1e3);
    let times: Vec<Duration> = (0..runs).map(|_| one(GroupBy::Province).0).collect();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "aggregate {n} agency assessments by province: median {:.1} ms (min {:.1}, max {:.1}, {runs} runs, {} threads available)",
        ms(median(times.clone())),
        ms(*times.iter().min().unwrap_or(&Duration::ZERO)),
        ms(*times.iter().max().unwrap_or(&Duration::ZERO)),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
}

/// Counts the bytes written.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0 += b.len();
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
