//! Reports a director signs, printed for real: every built-in questionnaire fully answered (with
//! comments and evidence on many answers), rendered by the binary, printed to A4 PDF by headless
//! Chromium, pages counted with `pdfinfo` and the first page read with `pdftotext`. PDFs and PNGs
//! of the pages stay under `target/report-screenshots/` for a person to look at. Also the blank
//! form, the Excel round trip (read back with calamine), CSV safety and the `-o` guard.

mod common;
use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;
use sansang::assessment::{
    Assessment, Evidence, EvidenceGrade, EvidenceSource, ProfileValue, Response, Ynp,
};
use sansang::i18n::Lang;
use sansang::questionnaire::{Catalog, QuestionKind, Questionnaire, content_hash};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const ORG: &str = "Sở Thông tin và Truyền thông tỉnh Ví Dụ";

fn builtin(id: &str) -> Questionnaire {
    let c = Catalog::builtin();
    (**c.find(id, None).unwrap().questionnaire).clone()
}

/// Every question of `q` answered, a comment on every other answer and evidence on every third;
/// `i` varies the levels so scores spread. The organisation's name is `org`.
fn full(q: &Questionnaire, org: &str) -> Assessment {
    let mut a = Assessment::new(q, &content_hash(q), NOW);
    let _ = a.set_profile(q, "org_name", ProfileValue::Text(org.into()), NOW);
    for f in &q.profile {
        if f.id == "org_name" {
            continue;
        }
        let v = if let Some(o) = f.options.get(1).or(f.options.first()) {
            ProfileValue::Text(o.id.clone())
        } else if f.kind == sansang::questionnaire::ProfileKind::Number {
            ProfileValue::Number(12.0)
        } else {
            ProfileValue::Text("Ví Dụ".into())
        };
        let _ = a.set_profile(q, &f.id, v, NOW);
    }
    for (i, (_, x)) in q.questions().enumerate() {
        let r = match x.kind {
            QuestionKind::Scale => Response::Scale {
                level: (i % 5) as u8,
            },
            QuestionKind::Ynp => Response::Ynp {
                choice: [Ynp::Yes, Ynp::Partly, Ynp::No][i % 3],
            },
            QuestionKind::Checklist => Response::Checklist {
                selected: x
                    .options
                    .iter()
                    .filter(|o| !o.exclusive)
                    .step_by(2)
                    .map(|o| o.id.clone())
                    .collect(),
            },
            QuestionKind::Number => Response::Number {
                value: x.max.unwrap_or(100.0).min(100.0) * 0.6,
            },
            QuestionKind::Text => Response::Text {
                text: "Đang triển khai theo kế hoạch năm của đơn vị.".into(),
            },
        };
        if a.set_response(q, &x.id, r, NOW).is_err() {
            continue;
        }
        let an = a.answers.get_mut(&x.id).unwrap();
        if i % 2 == 0 {
            an.comment = "Đã giao phòng chuyên môn rà soát; cần bổ sung kinh phí năm sau và cử cán bộ tham gia tập huấn.".into();
        }
        if i % 3 == 0 {
            an.evidence.push(Evidence {
                grade: EvidenceGrade::DocumentSeen,
                source: EvidenceSource::Document {
                    doc_type: "Quyết định".into(),
                    number: format!("{}/QĐ-STTTT", 100 + i),
                    date: "2026-03-01".into(),
                    issuer: "Sở Thông tin và Truyền thông".into(),
                    summary: "Ban hành kế hoạch chuyển đổi số năm 2026".into(),
                },
                note: String::new(),
            });
        }
        if i % 7 == 0 {
            an.marked_for_review = true;
        }
    }
    a
}

fn screenshot_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn tool(name: &str) -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(name))
                .find(|c| c.is_file())
        })
        .unwrap_or_else(|| {
            panic!(
                "{name} is not installed: run scripts/test (it installs chromium and poppler-utils)"
            )
        })
}

fn sansang(args: &[&str], data: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sansang"))
        .args(args)
        .env("SANSANG_DATA_DIR", data)
        .env("TZ", "Asia/Ho_Chi_Minh")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Prints `page` to `pdf` with headless Chromium (A4 from the page's CSS, no header or footer).
fn print_pdf(page: &Path, pdf: &Path) {
    let profile = tempfile::tempdir().unwrap();
    let _ = std::fs::remove_file(pdf);
    let mut child = Command::new(tool("chromium"))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium failed: {status}");
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not print {} in 120 s", page.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(pdf.is_file(), "no PDF {}", pdf.display());
}

fn pdf_pages(pdf: &Path) -> (usize, String) {
    let o = Command::new(tool("pdfinfo")).arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&o.stdout).into_owned();
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in pdfinfo output:\n{info}"));
    let size = info
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap_or_default()
        .to_string();
    (pages, size)
}

fn first_page_text(pdf: &Path) -> String {
    let o = Command::new(tool("pdftotext"))
        .args(["-f", "1", "-l", "1", "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// PNGs of the pages, for a person to look at (pdftoppm comes with pdfinfo).
fn pngs(pdf: &Path) {
    let prefix = pdf.with_extension("");
    let _ = Command::new(tool("pdftoppm"))
        .args(["-png", "-r", "60"])
        .arg(pdf)
        .arg(&prefix)
        .status();
}

/// Writes the assessment of `id` and returns (data dir, assessment path).
fn saved(id: &str, dir: &Path) -> PathBuf {
    let q = builtin(id);
    let a = full(&q, ORG);
    let path = dir.join(format!("{id}.json"));
    sansang::assessment::store::write(&path, &a, &q).unwrap();
    path
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn reports_print_within_their_page_budgets() {
    let out = screenshot_dir();
    let tmp = tempfile::tempdir().unwrap();
    for (id, lang) in [
        ("agency", "vi"),
        ("agency", "en"),
        ("sme", "vi"),
        ("workshop", "vi"),
    ] {
        let file = saved(id, tmp.path());
        let (date, words, annex) = if lang == "vi" {
            (
                "24/11/2026",
                [
                    "người lập",
                    "người duyệt",
                    "đóng dấu",
                    "năm việc cần làm trước",
                ],
                "Phụ lục",
            )
        } else {
            (
                "24 Nov 2026",
                [
                    "prepared by",
                    "approved by",
                    "official seal",
                    "five things to do first",
                ],
                "Annex",
            )
        };
        for (summary, budget) in [(true, 4), (false, 20)] {
            let name = format!(
                "print-{id}-{lang}-{}",
                if summary { "summary" } else { "full" }
            );
            let html = out.join(format!("{name}.html"));
            let mut args = vec![
                "--lang",
                lang,
                "report",
                file.to_str().unwrap(),
                "-o",
                html.to_str().unwrap(),
                "--force",
            ];
            if summary {
                args.push("--summary");
            }
            ok(&sansang(&args, tmp.path()));
            let pdf = out.join(format!("{name}.pdf"));
            print_pdf(&html, &pdf);
            let (pages, size) = pdf_pages(&pdf);
            assert!(size.contains("(A4)"), "A4: {size}");
            assert!(
                pages <= budget,
                "{name}: {pages} pages, at most {budget} allowed"
            );
            let first = norm(&first_page_text(&pdf));
            assert!(
                first.contains(ORG),
                "{name}: first page names the organisation:\n{first}"
            );
            assert!(
                first.contains(date),
                "{name}: the date as the language writes it:\n{first}"
            );
            assert!(!first.contains("2026-11-24T"), "{name}: no raw timestamp");
            let text = norm(&String::from_utf8_lossy(
                &Command::new(tool("pdftotext"))
                    .arg(&pdf)
                    .arg("-")
                    .output()
                    .unwrap()
                    .stdout,
            ));
            let lower = text.to_lowercase();
            for t in words {
                assert!(lower.contains(t), "{name}: {t:?} missing");
            }
            eprintln!("{name}: {pages} pages");
            assert!(
                !text.contains("[0"),
                "{name}: no file code with line numbers"
            );
            if !summary {
                assert!(text.contains(annex), "{name}: annex");
                assert!(pages > 1);
            }
            pngs(&pdf);
        }
    }
}

/// A capped headline: the red flag and the rule in plain words, still within four pages.
#[test]
fn a_capped_summary_explains_the_red_flag_within_four_pages() {
    let out = screenshot_dir();
    let tmp = tempfile::tempdir().unwrap();
    let q = builtin("agency");
    let mut a = full(&q, ORG);
    a.set_response(&q, "ag.f5.5", Response::Ynp { choice: Ynp::No }, NOW)
        .unwrap();
    let file = tmp.path().join("capped.json");
    sansang::assessment::store::write(&file, &a, &q).unwrap();
    let html = out.join("print-agency-capped-summary.html");
    ok(&sansang(
        &[
            "--lang",
            "vi",
            "report",
            file.to_str().unwrap(),
            "--summary",
            "-o",
            html.to_str().unwrap(),
            "--force",
        ],
        tmp.path(),
    ));
    let pdf = out.join("print-agency-capped-summary.pdf");
    print_pdf(&html, &pdf);
    let (pages, _) = pdf_pages(&pdf);
    assert!(pages <= 4, "{pages} pages");
    let first = norm(&first_page_text(&pdf));
    for t in [
        "Cờ đỏ:",
        "Không an toàn thì không chuyển đổi số",
        "được hạ xuống 39,9 (Đang phát triển)",
    ] {
        assert!(first.contains(t), "{t:?} not on the first page:\n{first}");
    }
    pngs(&pdf);
}

#[test]
fn the_blank_form_prints_on_a4_with_every_level() {
    let out = screenshot_dir();
    let tmp = tempfile::tempdir().unwrap();
    for (id, lang) in [("agency", "vi"), ("sme", "en"), ("workshop", "vi")] {
        let html = out.join(format!("form-{id}-{lang}.html"));
        ok(&sansang(
            &[
                "--lang",
                lang,
                "print",
                id,
                "-o",
                html.to_str().unwrap(),
                "--force",
            ],
            tmp.path(),
        ));
        let q = builtin(id);
        let l = if lang == "vi" { Lang::Vi } else { Lang::En };
        let text = std::fs::read_to_string(&html).unwrap();
        // Every question, every level descriptor and every option, escaped as HTML.
        for (_, x) in q.questions() {
            assert!(text.contains(&format!("id=\"q-{}\"", x.id)), "{}", x.id);
            for lv in &x.levels {
                assert!(
                    text.contains(&sansang::report::svg::escape(lv.descriptor.get(l))),
                    "{}: level descriptor",
                    x.id
                );
            }
            for o in &x.options {
                assert!(text.contains(&sansang::report::svg::escape(o.label.get(l))));
            }
        }
        for f in &q.profile {
            assert!(text.contains(&sansang::report::svg::escape(f.label.get(l))));
        }
        let pdf = out.join(format!("form-{id}-{lang}.pdf"));
        print_pdf(&html, &pdf);
        let (pages, size) = pdf_pages(&pdf);
        assert!(size.contains("(A4)"), "A4: {size}");
        assert!(pages >= 1);
        let first = norm(&first_page_text(&pdf));
        assert!(first.contains(q.title.get(l)), "{first}");
        pngs(&pdf);
    }
    // A questionnaire file prints too, and is never overwritten by its own form.
    let mini = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini.json");
    let form = tmp.path().join("mini.html");
    ok(&sansang(
        &[
            "print",
            mini.to_str().unwrap(),
            "-o",
            form.to_str().unwrap(),
        ],
        tmp.path(),
    ));
    assert!(
        std::fs::read_to_string(&form)
            .unwrap()
            .contains("id=\"q-m.f5.2\"")
    );
    let o = sansang(
        &[
            "print",
            mini.to_str().unwrap(),
            "-o",
            mini.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    // An unknown id says which exist.
    let o = sansang(&["--lang", "en", "print", "nope"], tmp.path());
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("nope") && err.contains("agency"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Excel

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[test]
fn report_xlsx_round_trips_the_json_report() {
    let tmp = tempfile::tempdir().unwrap();
    let file = saved("agency", tmp.path());
    for lang in ["vi", "en"] {
        let x = tmp.path().join(format!("r-{lang}.xlsx"));
        let j = tmp.path().join(format!("r-{lang}.json"));
        let f = file.to_str().unwrap();
        ok(&sansang(
            &[
                "--lang",
                lang,
                "report",
                f,
                "--format",
                "xlsx",
                "-o",
                x.to_str().unwrap(),
            ],
            tmp.path(),
        ));
        ok(&sansang(
            &[
                "--lang",
                lang,
                "report",
                f,
                "--format",
                "json",
                "-o",
                j.to_str().unwrap(),
            ],
            tmp.path(),
        ));
        let doc: sansang::report::ReportDoc =
            serde_json::from_str(&std::fs::read_to_string(&j).unwrap()).unwrap();
        let mut wb: Xlsx<_> = open_workbook(&x).unwrap();
        let names = wb.sheet_names();
        let expect: Vec<&str> = if lang == "vi" {
            vec!["Tóm tắt", "Câu trả lời", "Mục yếu", "Chỉ tiêu"]
        } else {
            vec!["Summary", "Answers", "Weak items", "Targets"]
        };
        assert_eq!(names, expect);
        // Summary: the headline is a real number equal to the JSON's.
        let s = wb.worksheet_range(expect[0]).unwrap();
        let overall = s
            .rows()
            .find(|r| cell_text(&r[1]) == "overall")
            .expect("overall row");
        assert_eq!(overall[2], Data::Float(doc.headline.score.unwrap()));
        // Every dimension score as a number.
        for g in &doc.groups {
            for d in &g.dimensions {
                let row = s.rows().find(|r| cell_text(&r[1]) == d.id).unwrap();
                match d.claimed {
                    Some(v) => assert_eq!(row[2], Data::Float(v), "{}", d.id),
                    None => assert_eq!(row[2], Data::Empty),
                }
            }
        }
        // The report date is a real date.
        assert!(
            s.rows().any(|r| matches!(r[2], Data::DateTime(_))),
            "a date cell"
        );
        // Answers: one row per answer, headers in the language, values equal.
        let a = wb.worksheet_range(expect[1]).unwrap();
        let head: Vec<String> = a.rows().next().unwrap().iter().map(cell_text).collect();
        assert_eq!(
            head[2],
            if lang == "vi" {
                "Câu hỏi"
            } else {
                "Question"
            }
        );
        let rows: Vec<_> = a.rows().skip(1).collect();
        let answers: Vec<_> = doc.sections.iter().flat_map(|s| &s.answers).collect();
        assert_eq!(rows.len(), answers.len());
        for (r, an) in rows.iter().zip(&answers) {
            assert_eq!(cell_text(&r[1]), an.question_id);
            assert_eq!(cell_text(&r[4]), an.answer);
            match an.value {
                Some(v) => assert_eq!(r[5], Data::Float(v)),
                None => assert_eq!(r[5], Data::Empty),
            }
            assert_eq!(cell_text(&r[6]), an.comment);
            assert_eq!(cell_text(&r[10]), an.source);
        }
        let w = wb.worksheet_range(expect[2]).unwrap();
        assert_eq!(w.rows().count() - 1, doc.weakest.len());
        let first = w.rows().nth(1).unwrap();
        assert_eq!(cell_text(&first[1]), doc.weakest[0].question_id);
        assert_eq!(first[4], Data::Float(doc.weakest[0].gain));
    }
}

#[test]
fn export_and_aggregate_xlsx_have_their_sheets() {
    let tmp = tempfile::tempdir().unwrap();
    let room = tmp.path().join("room");
    std::fs::create_dir_all(&room).unwrap();
    let q = builtin("workshop");
    for (i, name) in ["=cmd|' /C calc'!A0", "An", "Bình"].iter().enumerate() {
        let mut a = full(&q, name);
        a.answers
            .values_mut()
            .for_each(|x| x.comment = format!("c{i}"));
        sansang::assessment::store::write(&room.join(format!("p{i}.json")), &a, &q).unwrap();
    }
    std::fs::write(room.join("broken.json"), "{ not json").unwrap();

    let x = tmp.path().join("agg.xlsx");
    let o = sansang(
        &[
            "--lang",
            "vi",
            "aggregate",
            room.to_str().unwrap(),
            "--format",
            "xlsx",
            "-o",
            x.to_str().unwrap(),
        ],
        tmp.path(),
    );
    ok(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broken.json"), "skipped file named: {err}");
    assert!(err.contains("1 tệp bị bỏ qua"), "one-line count: {err}");
    let mut wb: Xlsx<_> = open_workbook(&x).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["Người trả lời", "Phân bố", "Mục yếu", "Tệp bị bỏ qua"]
    );
    let r = wb.worksheet_range("Người trả lời").unwrap();
    let orgs: Vec<String> = r.rows().skip(1).map(|r| cell_text(&r[2])).collect();
    assert!(
        orgs.contains(&"=cmd|' /C calc'!A0".to_string()),
        "kept as text: {orgs:?}"
    );
    assert!(
        r.rows().skip(1).all(|r| matches!(r[4], Data::Float(_))),
        "scores are numbers"
    );
    let s = wb.worksheet_range("Tệp bị bỏ qua").unwrap();
    assert!(cell_text(&s.rows().nth(1).unwrap()[0]).contains("broken.json"));

    let e = tmp.path().join("export.xlsx");
    ok(&sansang(
        &[
            "--lang",
            "en",
            "export",
            room.join("p1.json").to_str().unwrap(),
            "--format",
            "xlsx",
            "-o",
            e.to_str().unwrap(),
        ],
        tmp.path(),
    ));
    let mut wb: Xlsx<_> = open_workbook(&e).unwrap();
    let r = wb.worksheet_range("Answers").unwrap();
    assert_eq!(cell_text(&r.rows().next().unwrap()[2]), "question id");
    let json = sansang(
        &[
            "export",
            room.join("p1.json").to_str().unwrap(),
            "--format",
            "json",
        ],
        tmp.path(),
    );
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(r.rows().count() - 1, json["rows"].as_array().unwrap().len());
    assert!(
        r.rows().skip(1).any(|r| matches!(r[14], Data::DateTime(_))),
        "answered at is a date"
    );
    // Excel needs a file.
    let o = sansang(
        &[
            "export",
            room.join("p1.json").to_str().unwrap(),
            "--format",
            "xlsx",
        ],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(1));
}

// ---------------------------------------------------------------------------------------------
// CSV

#[test]
fn csv_neutralises_formulas_and_follows_the_language() {
    let tmp = tempfile::tempdir().unwrap();
    let q = builtin("workshop");
    let mut a = full(&q, "=HYPERLINK(\"http://x\",\"y\")");
    let first = q.questions().next().unwrap().1.id.clone();
    a.answers.get_mut(&first).unwrap().comment = "+1 cộng thêm".into();
    let file = tmp.path().join("a.json");
    sansang::assessment::store::write(&file, &a, &q).unwrap();
    let f = file.to_str().unwrap();

    let vi = sansang(
        &["--lang", "vi", "export", f, "--format", "csv"],
        tmp.path(),
    );
    ok(&vi);
    let vi = String::from_utf8(vi.stdout).unwrap();
    assert!(
        vi.starts_with("bộ câu hỏi,phần,mã câu hỏi,"),
        "{}",
        &vi[..80]
    );
    assert!(vi.contains("'+1 cộng thêm"), "comment neutralised");
    let en = String::from_utf8(
        sansang(
            &[
                "--lang",
                "en",
                "report",
                f,
                "--format",
                "csv",
                "--bom",
                "--delimiter",
                ";",
            ],
            tmp.path(),
        )
        .stdout,
    )
    .unwrap();
    assert!(
        en.starts_with("\u{feff}questionnaire;section;question id;"),
        "{}",
        &en[..60]
    );
    // Numbers with a decimal comma for ';'.
    assert!(
        en.lines()
            .skip(1)
            .any(|l| l.contains(";0,5;") || l.contains(";0,75;") || l.contains(";0,25;")),
        "{en}"
    );

    // Aggregate: the organisation name a participant chose is neutralised, headers follow --lang.
    let agg = String::from_utf8(
        sansang(
            &["--lang", "en", "aggregate", f, "--format", "csv"],
            tmp.path(),
        )
        .stdout,
    )
    .unwrap();
    assert!(agg.starts_with("file,questionnaire,organisation,"));
    assert!(
        agg.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        "{agg}"
    );
    for line in agg.lines().chain(vi.lines()) {
        for cell in line.split(',') {
            let c = cell.trim_start_matches('"');
            assert!(
                !c.starts_with('=') && !c.starts_with('@'),
                "raw formula in {line}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// -o never destroys inputs

#[test]
fn output_refuses_inputs_assessments_locked_and_foreign_files() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let file = saved("workshop", tmp.path());
    let f = file.to_str().unwrap();
    let before = std::fs::read(&file).unwrap();
    let refused = |args: &[&str], what: &str| {
        let o = sansang(args, &data);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{what}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(!err.is_empty(), "{what}: a message");
        err
    };
    // The input itself, in every format, also through another spelling of the path.
    for fmt in ["md", "html", "json", "csv", "xlsx"] {
        let err = refused(
            &["--lang", "en", "report", f, "--format", fmt, "-o", f],
            fmt,
        );
        assert!(err.contains("inputs"), "{err}");
    }
    let dotted = format!("{}/./workshop.json", tmp.path().display());
    refused(&["report", f, "-o", &dotted], "same file, other spelling");
    refused(&["export", f, "--format", "csv", "-o", f], "export");
    refused(&["compare", f, f, "-o", f], "compare");
    refused(
        &[
            "aggregate",
            tmp.path().to_str().unwrap(),
            "-o",
            tmp.path().join("x.html").to_str().unwrap(),
        ],
        "inside an input folder",
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the assessment is untouched"
    );

    // A file in the assessments folder.
    let assessments = data.join("assessments");
    std::fs::create_dir_all(&assessments).unwrap();
    let err = refused(
        &[
            "--lang",
            "en",
            "report",
            f,
            "-o",
            assessments.join("r.html").to_str().unwrap(),
        ],
        "assessments folder",
    );
    assert!(err.contains("assessments folder"), "{err}");

    // A file open in the wizard (the store's edit lock).
    let other = tmp.path().join("open.json");
    std::fs::write(&other, "{}").unwrap();
    let lock = sansang::assessment::store::lock(&other).unwrap();
    let err = refused(
        &[
            "--lang",
            "en",
            "report",
            f,
            "-o",
            other.to_str().unwrap(),
            "--force",
        ],
        "locked",
    );
    assert!(err.contains("open for editing"), "{err}");
    drop(lock);

    // An existing file not written by us: refused, then replaced with --force.
    let notes = tmp.path().join("notes.md");
    std::fs::write(&notes, "# My notes\n").unwrap();
    let err = refused(
        &[
            "--lang",
            "en",
            "report",
            f,
            "--format",
            "md",
            "-o",
            notes.to_str().unwrap(),
        ],
        "foreign",
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "# My notes\n");
    ok(&sansang(
        &[
            "report",
            f,
            "--format",
            "md",
            "-o",
            notes.to_str().unwrap(),
            "--force",
        ],
        &data,
    ));

    // Our own outputs are replaced without --force, in every format.
    for fmt in ["md", "html", "json", "csv", "xlsx"] {
        let out = tmp.path().join(format!("r.{fmt}"));
        let o = out.to_str().unwrap();
        ok(&sansang(&["report", f, "--format", fmt, "-o", o], &data));
        ok(&sansang(&["report", f, "--format", fmt, "-o", o], &data));
    }
    for (cmd, fmt) in [
        ("export", "csv"),
        ("export", "json"),
        ("aggregate", "csv"),
        ("aggregate", "md"),
    ] {
        let out = tmp.path().join(format!("{cmd}-out.{fmt}"));
        let o = out.to_str().unwrap();
        ok(&sansang(&[cmd, f, "--format", fmt, "-o", o], &data));
        ok(&sansang(&[cmd, f, "--format", fmt, "-o", o], &data));
    }
    for fmt in ["text", "md", "json"] {
        let out = tmp.path().join(format!("compare.{fmt}"));
        let o = out.to_str().unwrap();
        ok(&sansang(
            &["compare", f, f, "--format", fmt, "-o", o],
            &data,
        ));
        ok(&sansang(
            &["compare", f, f, "--format", fmt, "-o", o],
            &data,
        ));
    }
    // A symbolic link to the input is the input.
    #[cfg(unix)]
    {
        let link = tmp.path().join("link.html");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        refused(
            &["report", f, "-o", link.to_str().unwrap(), "--force"],
            "symlink to the input",
        );
        assert_eq!(std::fs::read(&file).unwrap(), before);
    }
    // A folder is not a file.
    refused(&["report", f, "-o", data.to_str().unwrap()], "folder");
}

#[test]
fn aggregate_names_skipped_files_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let room = tmp.path().join("room");
    std::fs::create_dir_all(&room).unwrap();
    let q = builtin("workshop");
    sansang::assessment::store::write(&room.join("ok.json"), &full(&q, "An"), &q).unwrap();
    std::fs::write(room.join("bad.json"), "[1,").unwrap();
    for fmt in ["md", "html", "csv", "json"] {
        let out = tmp.path().join(format!("a.{fmt}"));
        let o = sansang(
            &[
                "--lang",
                "en",
                "aggregate",
                room.to_str().unwrap(),
                "--format",
                fmt,
                "-o",
                out.to_str().unwrap(),
            ],
            tmp.path(),
        );
        ok(&o);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("skipped:") && err.contains("bad.json"),
            "{fmt}: {err}"
        );
        assert_eq!(
            err.lines().last().unwrap(),
            "1 file(s) skipped / 2 file(s) (1 readable assessment(s))",
            "{fmt}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Markdown through pandoc

#[test]
fn markdown_converts_to_word_with_pandoc() {
    let Some(pandoc) = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("pandoc"))
            .find(|c| c.is_file())
    }) else {
        eprintln!("pandoc is not installed: Markdown-to-Word check not run");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let file = saved("agency", tmp.path());
    let md = tmp.path().join("r.md");
    ok(&sansang(
        &[
            "--lang",
            "vi",
            "report",
            file.to_str().unwrap(),
            "--format",
            "md",
            "-o",
            md.to_str().unwrap(),
        ],
        tmp.path(),
    ));
    let docx = tmp.path().join("r.docx");
    let o = Command::new(&pandoc)
        .arg(&md)
        .args(["-f", "gfm", "-o"])
        .arg(&docx)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Back to plain text: the organisation, the tables' cells and the sign-off survive.
    let o = Command::new(&pandoc)
        .arg(&docx)
        .args(["-t", "plain", "--wrap=none"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    for t in [
        ORG,
        "Người lập",
        "Người duyệt",
        "Phụ lục",
        "Năm việc cần làm trước",
    ] {
        assert!(text.contains(t), "{t:?} lost in Word:\n{text}");
    }
    assert!(!text.contains("\\|"), "no escaped pipes left");
}

/// The annex lists every cited document item once, by its real name, with the questions citing
/// it; line numbers in the seed texts appear only with `--sources` (for auditors).
#[test]
fn the_annex_lists_every_cited_item_and_sources_adds_line_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let file = saved("agency", tmp.path());
    let q = builtin("agency");
    let annex = q.annex(Lang::Vi);
    assert!(annex.len() > 20, "{}", annex.len());
    for (args, with_lines) in [(vec![], false), (vec!["--sources"], true)] {
        let out = tmp.path().join(format!("r{with_lines}.md"));
        let mut argv = vec![
            "--lang",
            "vi",
            "report",
            file.to_str().unwrap(),
            "--format",
            "md",
        ];
        argv.extend(args.iter().copied());
        argv.extend(["-o", out.to_str().unwrap()]);
        ok(&sansang(&argv, tmp.path()));
        let md = std::fs::read_to_string(&out).unwrap();
        let part = md
            .split("## Phụ lục: các văn bản được trích dẫn")
            .nth(1)
            .expect("no sources annex");
        for c in &annex {
            let cite = sansang::report::markdown::escape(&c.info.citation);
            assert!(part.contains(&cite), "{cite} missing");
        }
        assert!(part.contains("Quyết định 749/QĐ-TTg phê duyệt Chương trình"));
        assert_eq!(
            part.contains("[dòng "),
            with_lines,
            "line numbers only with --sources"
        );
    }
    // HTML too, and its full report still prints within the annex budget.
    let html = tmp.path().join("r.html");
    ok(&sansang(
        &[
            "--lang",
            "vi",
            "report",
            file.to_str().unwrap(),
            "-o",
            html.to_str().unwrap(),
        ],
        tmp.path(),
    ));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("id=\"sources\""),
        "no sources annex in the HTML"
    );
    assert!(
        !page.contains("Dòng trong tài liệu gốc"),
        "no line numbers by default"
    );
}
