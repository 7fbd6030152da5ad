//! The consultant's toolkit (issue 13, items 1 and 3): interview mode (who was interviewed, who
//! gave each answer and how it is known, the read-aloud view, time per section) and the
//! re-assessment seeded from an earlier one (`reassess`, `r` on home: every answer carried and
//! marked, confirmed with `o` or by changing it, compared with the earlier one, shown in reports).

mod common;

use common::tmux::Tmux;
use common::tui::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sansang::assessment::store;
use sansang::i18n::Lang;
use sansang::tui::app::{Overlay, Screen};
use sansang::tui::view::view;
use sansang::tui::{App, Key::*};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn render(a: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view(a, f)).unwrap();
    t.backend().to_string()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The assessment files of the data folder, sorted by name.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join("assessments"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    v
}

/// The worked example (seven answers of the mini questionnaire) saved in `dir/assessments`.
fn earlier_file(dir: &Path) -> PathBuf {
    let (q, a) = common::worked_example();
    let path = dir.join("assessments/mini-earlier.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, store::to_json(&a, &q)).unwrap();
    path
}

/// `doc` is valid under the JSON Schema `schema`.
fn conforms(schema: &str, doc: &Value) {
    let schema: Value = serde_json::from_str(schema).unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = v.iter_errors(doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// A data folder with the mini questionnaire and an earlier assessment; its path and bytes.
fn with_earlier() -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let dir = data_dir_with_mini();
    let old = earlier_file(dir.path());
    let before = std::fs::read(&old).unwrap();
    (dir, old, before)
}

/// The Markdown report of `file` through the command line.
fn markdown_report(data: &Path, file: &Path) -> String {
    let (md, err, code) = sansang(data, &["report", file.to_str().unwrap(), "--format", "md"]);
    assert_eq!(code, 0, "{err}");
    md
}

fn sansang(data: &Path, args: &[&str]) -> (String, String, i32) {
    let o = Command::new(env!("CARGO_BIN_EXE_sansang"))
        .args(["--lang", "en"])
        .args(args)
        .env("SANSANG_DATA_DIR", data)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
    )
}

#[test]
fn reassess_carries_every_answer_marks_it_and_never_touches_the_old_file() {
    let (dir, old, before) = with_earlier();
    let new = dir.path().join("out/2027.json");
    let (out, err, code) = sansang(
        dir.path(),
        &[
            "reassess",
            old.to_str().unwrap(),
            "-o",
            new.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("7 answers carried over, not yet confirmed"),
        "{out}"
    );
    let (o, n) = (json(&old), json(&new));
    let old_answers = o["answers"].as_object().unwrap();
    let new_answers = n["answers"].as_object().unwrap();
    assert_eq!(old_answers.len(), 7);
    assert_eq!(
        old_answers.keys().collect::<Vec<_>>(),
        new_answers.keys().collect::<Vec<_>>()
    );
    for (id, a) in old_answers {
        let b = &new_answers[id];
        assert_eq!(a["response"], b["response"], "{id}");
        assert_eq!(a["evidence"], b["evidence"], "{id}");
        assert_eq!(b["carried"], true, "{id} is not marked carried");
        assert!(a.get("carried").is_none());
    }
    assert_eq!(n["profile"], o["profile"]);
    let from = &n["seeded_from"];
    assert_eq!(
        from["path"],
        std::fs::canonicalize(&old).unwrap().display().to_string()
    );
    assert_eq!(from["date"], o["updated_at"]);
    assert!(from["id"].as_str().unwrap().starts_with("sha256:"));
    assert_ne!(n["created_at"], o["created_at"]);
    assert_eq!(std::fs::read(&old).unwrap(), before, "the old file changed");
    // The carried answers count: the same scores as the earlier assessment.
    assert_eq!(n["scores"]["overall"], o["scores"]["overall"]);
    // The export says which answers are carried and not yet confirmed.
    let (csv_text, err, code) = sansang(
        dir.path(),
        &["export", new.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let e: Value = serde_json::from_str(&csv_text).unwrap();
    let rows = e["rows"].as_array().unwrap();
    let carried = rows.iter().filter(|r| r["carried"] == true).count();
    assert_eq!(carried, 7, "{e}");

    // Outputs never overwrite: not the input, not an existing file.
    for (out, why) in [
        (&old, "one of the command's inputs"),
        (&new, "the file exists"),
    ] {
        let args = [
            "reassess",
            old.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ];
        let (_, err, code) = sansang(dir.path(), &args);
        assert_eq!(code, 1);
        assert!(err.contains(why), "{err}");
    }
    assert_eq!(std::fs::read(&old).unwrap(), before);

    // Without -o: a new file in the data folder, where the wizard lists it.
    let (out, err, code) = sansang(dir.path(), &["reassess", old.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let made = files(dir.path());
    assert_eq!(made.len(), 2, "{made:?}");
    assert!(out.contains("/assessments/mini-"), "{out}");
}

#[test]
fn reassess_from_home_walks_confirms_changes_compares_and_reports_what_changed() {
    let (dir, old, before) = with_earlier();
    let mut a = app(dir.path(), Lang::En);
    press(&mut a, &[Char('r')]);
    // A notice says what happened; the new assessment opens on its profile.
    let shown = render(&a, 80, 24);
    assert!(
        shown.contains("Re-assessment of mini-earlier.json"),
        "{shown}"
    );
    assert!(shown.contains("7 answers carried over"), "{shown}");
    // The profile is filled: the cursor waits on "start".
    press(&mut a, &[Enter, Enter]);
    // The wizard walks through the carried answers, first one first.
    let Screen::Question(qs) = &a.screen else {
        panic!("not on a question: {}", render(&a, 80, 24));
    };
    assert_eq!(qs.current, "m.f1.1");
    let shown = render(&a, 100, 40);
    assert!(
        shown.contains("↻ Carried over from the assessment of"),
        "{shown}"
    );
    assert!(shown.contains("o confirms it"), "{shown}");
    let new = files(dir.path())
        .into_iter()
        .find(|p| *p != old)
        .expect("a new file");
    assert_eq!(json(&new)["answers"]["m.f1.1"]["carried"], true);

    // o confirms and moves to the next carried answer.
    press(&mut a, &[Char('o')]);
    let v = json(&new);
    assert!(v["answers"]["m.f1.1"].get("carried").is_none(), "{v}");
    assert_eq!(v["answers"]["m.f1.1"]["answered_at"], NOW);
    assert_eq!(v["answers"]["m.f1.2"]["carried"], true);
    let Screen::Question(qs) = &a.screen else {
        panic!()
    };
    assert_eq!(qs.current, "m.f1.2");
    // Changing an answer confirms it (partly → yes).
    press(&mut a, &[Char('y')]);
    let v = json(&new);
    assert_eq!(v["answers"]["m.f1.2"]["response"]["choice"], "yes");
    assert!(v["answers"]["m.f1.2"].get("carried").is_none(), "{v}");
    assert_eq!(
        v["answers"]
            .as_object()
            .unwrap()
            .values()
            .filter(|x| x["carried"] == true)
            .count(),
        5
    );

    // The review list filters the carried answers still to confirm.
    press(&mut a, &[Char('r')]);
    for _ in 0..5 {
        press(&mut a, &[Char('t')]);
    }
    let shown = render(&a, 100, 30);
    assert!(
        shown.contains("Filter: carried, not confirmed (5 questions)"),
        "{shown}"
    );
    assert!(shown.contains("↻ m.f1.3"), "{shown}");
    assert!(!shown.contains("m.f1.1 "), "{shown}");

    // The results say how many wait and compare with the earlier one, at once with c.
    press(&mut a, &[Char('d')]);
    let shown = render(&a, 100, 30);
    assert!(
        shown.contains("↻ 5 carried answers not yet confirmed"),
        "{shown}"
    );
    assert!(shown.contains("Earlier ("), "{shown}");
    press(&mut a, &[Char('c')]);
    let Some(Overlay::Compare { lines, .. }) = &a.overlay else {
        panic!("no comparison: {}", render(&a, 100, 30));
    };
    let text = lines.join("\n");
    assert!(text.contains("mini-earlier.json"), "{text}");
    assert!(
        text.contains("m.f1.2"),
        "the improved answer is listed: {text}"
    );
    press(&mut a, &[Esc]);

    // The report says what changed and marks what is still carried.
    press(&mut a, &[Char('p')]);
    let report = std::fs::read_dir(dir.path().join("reports"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let html = std::fs::read_to_string(report).unwrap();
    assert!(
        html.contains("What changed since the earlier assessment"),
        "{html}"
    );
    assert!(html.contains("Partly → Yes"), "the change is listed");
    assert!(html.contains("↻ carried, not confirmed"));
    assert_eq!(std::fs::read(&old).unwrap(), before, "the old file changed");

    // The Markdown report through the command line too.
    let md = markdown_report(dir.path(), &new);
    assert!(
        md.contains("## What changed since the earlier assessment"),
        "{md}"
    );
    assert!(md.contains("Answers carried over from the earlier assessment, not yet confirmed: 5"));
    // The earlier file by its name: no folder of the consultant's machine in a report.
    let old_name = old.file_name().unwrap().to_str().unwrap();
    let old_dir = old.parent().unwrap().to_str().unwrap();
    assert!(md.contains(old_name), "{md}");
    assert!(!md.contains(old_dir), "{md}");

    // The saved file and the JSON report, with every new field, conform to their schemas.
    let (report, err, code) = sansang(
        dir.path(),
        &["report", new.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["changes"]["unconfirmed"], 5);
    assert!(report["changes"]["compare"]["improved"].is_array());
    conforms(&sansang::schema::report(), &report);
    conforms(&sansang::schema::assessment(), &json(&new));

    // Confirming the last carried answer ends the walk on the results.
    press(&mut a, &[Esc]);
    for _ in 0..6 {
        press(&mut a, &[Char('o')]);
    }
    assert!(
        matches!(a.screen, Screen::Dashboard(_)),
        "{}",
        render(&a, 100, 30)
    );
    assert_eq!(a.session.as_ref().unwrap().assessment.unconfirmed(), 0);
    let v = json(&new);
    assert!(
        v["answers"]
            .as_object()
            .unwrap()
            .values()
            .all(|x| x.get("carried").is_none())
    );
}

/// From the home screen of a fresh data folder: the mini questionnaire with its profile filled,
/// standing on "start".
fn to_start(a: &mut App) {
    choose(a, "mini");
    typed(a, "Sở Ví Dụ");
    press(a, &[Enter, Right, Down, Right, Down, Down]);
}

#[test]
fn interview_fields_are_saved_and_each_answer_says_who_and_how() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    to_start(&mut a);
    // Below "start": interview mode (off for this questionnaire), turned on.
    press(&mut a, &[Down, Right, Down]);
    typed(&mut a, "Minh");
    press(&mut a, &[Enter]);
    typed(&mut a, "32/13/2026");
    press(&mut a, &[Enter]);
    assert!(
        render(&a, 100, 30).contains("is not a date"),
        "{}",
        render(&a, 100, 30)
    );
    press(&mut a, &[Ctrl('u')]);
    typed(&mut a, "1/12/2026");
    press(&mut a, &[Enter]);
    typed(&mut a, "Hà Nội");
    press(&mut a, &[Enter]);
    for (name, role) in [("Lan", "chủ doanh nghiệp"), ("Hùng", "kế toán")] {
        typed(&mut a, name);
        press(&mut a, &[Enter]);
        typed(&mut a, role);
        press(&mut a, &[Enter]);
    }
    let v = saved(dir.path());
    let i = &v["interview"];
    assert_eq!(i["enabled"], true);
    assert_eq!(i["interviewer"], "Minh");
    assert_eq!(i["date"], "2026-12-01");
    assert_eq!(i["place"], "Hà Nội");
    assert_eq!(i["interviewees"][1]["name"], "Hùng");
    assert_eq!(i["interviewees"][1]["role"], "kế toán");
    assert_eq!(i["interviewees"][1]["id"], "p2");
    conforms(&sansang::schema::assessment(), &v);
    let shown = render(&a, 100, 30);
    assert!(
        shown
            .lines()
            .any(|l| l.contains("Interviewee 2") && l.contains("Hùng")),
        "{shown}"
    );
    // The empty "interviewee 3" row, then Enter goes back to start, and Enter starts.
    press(&mut a, &[Enter, Enter]);
    assert!(matches!(a.screen, Screen::Question(_)));
    // An answer is the first interviewee's, stated; w and t change both.
    press(&mut a, &[Char('3')]);
    let v = saved(dir.path());
    assert_eq!(v["answers"]["m.f1.1"]["respondent"], "p1");
    assert_eq!(v["answers"]["m.f1.1"]["basis"], "stated");
    press(&mut a, &[Char('w'), Char('t')]);
    let v = saved(dir.path());
    assert_eq!(v["answers"]["m.f1.1"]["respondent"], "p2");
    assert_eq!(v["answers"]["m.f1.1"]["basis"], "document_seen");
    let shown = render(&a, 100, 40);
    assert!(
        shown.contains("Answered by: Hùng (kế toán) (w) · known as: document seen (t)"),
        "{shown}"
    );
    // The next answer defaults to the one chosen last.
    press(&mut a, &[Right, Char('y')]);
    assert_eq!(saved(dir.path())["answers"]["m.f1.2"]["respondent"], "p2");
    // A document seen counts as evidenced, like evidence of that grade.
    press(&mut a, &[Char('d')]);
    let s = a.session.as_ref().unwrap();
    assert!(s.report().overall_evidenced.unwrap_or(0.0) > 0.0);
    // The review mark ("come back to this") is shown in the read-aloud view too.
    press(&mut a, &[Esc, Char('f'), Char('z')]);
    assert!(matches!(a.overlay, Some(Overlay::ReadAloud { .. })));
    let shown = render(&a, 100, 40);
    assert!(shown.contains("★ to come back to (f)"), "{shown}");
    // The report's annex lists the interview and who gave each answer.
    press(&mut a, &[Esc, Char('d'), Char('p')]);
    let report = std::fs::read_dir(dir.path().join("reports"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let html = std::fs::read_to_string(report).unwrap();
    assert!(html.contains("<h3>Interview</h3>"), "{html}");
    assert!(html.contains("Lan (chủ doanh nghiệp); Hùng (kế toán)"));
    assert!(html.contains("Hùng (kế toán) · document seen"));
    // The export carries who and how too (CSV here; JSON and Excel have the same columns).
    let file = a.session.as_ref().unwrap().path.clone();
    let (out, err, code) = sansang(
        dir.path(),
        &["export", file.to_str().unwrap(), "--format", "csv"],
    );
    assert_eq!(code, 0, "{err}");
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let head = r.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).expect(name);
    let (by, how) = (col("answered by"), col("known by"));
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let f11 = rows.iter().find(|x| &x[2] == "m.f1.1").unwrap();
    assert_eq!((&f11[by], &f11[how]), ("Hùng (kế toán)", "document seen"));
}

#[test]
fn interview_mode_is_on_by_default_for_sme_only() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    choose(&mut a, "sme");
    assert!(a.session.as_ref().unwrap().assessment.interviewing());
    let shown = render(&a, 80, 40);
    assert!(
        shown
            .lines()
            .any(|l| l.contains("Chế độ phỏng vấn") && l.contains("bật")),
        "{shown}"
    );
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    choose(&mut a, "agency");
    assert!(!a.session.as_ref().unwrap().assessment.interviewing());
}

#[test]
fn read_aloud_view_in_both_languages_and_two_sizes() {
    for lang in [Lang::Vi, Lang::En] {
        for (w, h) in [(80, 24), (120, 40)] {
            let dir = data_dir_with_mini();
            let mut a = app(dir.path(), lang);
            a.size = (w, h);
            start_mini(&mut a);
            press(&mut a, &[Char('3'), Char('z')]);
            let out = render(&a, w, h);
            // Full width: no side panel even where the question screen has one.
            assert!(
                !out.contains("Các phần") && !out.contains("Sections"),
                "{out}"
            );
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_suffix(format!("{}_{w}x{h}", lang.code()));
            settings.set_description("start mini, 3, z: the read-aloud view of a scale");
            settings.bind(|| insta::assert_snapshot!("read_aloud", out));
            // Scrolled to the end, the last level is there; answering keeps the view up.
            press(&mut a, &[PageDown, PageDown, PageDown]);
            let out = render(&a, w, h);
            assert!(out.contains("( ) 4 ·"), "{out}");
            press(&mut a, &[Char('4')]);
            assert!(matches!(a.overlay, Some(Overlay::ReadAloud { .. })));
            assert_eq!(
                saved(dir.path())["answers"]["m.f1.1"]["response"]["level"],
                4
            );
            press(&mut a, &[Right]);
            let Screen::Question(qs) = &a.screen else {
                panic!()
            };
            assert_eq!(qs.current, "m.f1.2");
            assert!(matches!(a.overlay, Some(Overlay::ReadAloud { scroll: 0 })));
        }
    }
}

thread_local! {
    static CLOCK: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
}

/// The app's clock in tests: `CLOCK` seconds after NOW.
fn fake_now() -> String {
    let base =
        time::OffsetDateTime::parse(NOW, &time::format_description::well_known::Rfc3339).unwrap();
    (base + time::Duration::seconds(CLOCK.with(|c| c.get())))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

fn advance(secs: i64) {
    CLOCK.with(|c| c.set(c.get() + secs));
}

#[test]
fn time_per_section_accumulates_with_idle_stretches_capped() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    a.now = fake_now;
    start_mini(&mut a);
    // 30 s on m.f1.1, then an hour without a key (counts 5 minutes), then 5 s.
    advance(30);
    press(&mut a, &[Right]);
    advance(3600);
    press(&mut a, &[Right]);
    advance(5);
    press(&mut a, &[Char('s')]);
    // To section f5 (time on the profile or home never counts).
    press(&mut a, &[Down, Enter]);
    assert_eq!(saved(dir.path())["section_seconds"]["f1"], 335);
    advance(20);
    press(&mut a, &[Char('y')]);
    advance(40);
    // Leaving saves the time not yet saved.
    press(&mut a, &[Esc]);
    let v = saved(dir.path());
    assert_eq!(v["section_seconds"]["f1"], 335);
    assert_eq!(v["section_seconds"]["f5"], 60);
    // Shown to the consultant: the sections window and the results.
    press(&mut a, &[Enter]);
    advance(600);
    press(&mut a, &[Char('s')]);
    let shown = render(&a, 100, 30);
    assert!(shown.contains("10 min"), "{shown}");
    assert!(shown.contains("1 min"), "{shown}");
    press(&mut a, &[Esc, Char('d')]);
    let shown = render(&a, 100, 30);
    assert!(shown.contains("Time spent: 11 min"), "{shown}");
    // In Vietnamese too, it is the time spent answering: there was no interview.
    press(&mut a, &[Char('l')]);
    let shown = render(&a, 100, 30);
    assert!(shown.contains("Thời gian trả lời: 11 phút"), "{shown}");
    assert!(!shown.contains("phỏng vấn"), "{shown}");
    press(&mut a, &[Char('l')]);
    // And in the report.
    let file = files(dir.path()).remove(0);
    let md = markdown_report(dir.path(), &file);
    // A self-assessment: the block is the time spent, not an interview that never happened.
    assert!(md.contains("### Time spent answering"), "{md}");
    assert!(!md.contains("Interview"), "{md}");
    assert!(md.contains("- **Time spent in all:** 11 min"), "{md}");
}

#[test]
fn reassess_from_home_in_a_terminal() {
    let (dir, old, before) = with_earlier();
    let t = Tmux::new("reassess");
    t.start_app((80, 24), dir.path(), &[], &[]);
    t.wait_for("Sở Ví Dụ");
    t.send(&["r"]);
    t.wait_for("Đánh giá lại từ mini-earlier.json");
    t.send(&["Enter"]);
    t.wait_for("Bắt đầu trả lời câu hỏi");
    t.send(&["Enter"]);
    t.wait_for("Mang sang từ lần đánh giá");
    t.send(&["o"]);
    // Saves run after the frame that shows the change: the next question, then saved.
    t.wait_until("the next question, saved", |s| {
        s.contains("· m.f1.2 ·") && s.contains("✓ Đã lưu lúc")
    });
    let new = files(dir.path())
        .into_iter()
        .find(|p| *p != old)
        .expect("a new file");
    let v = json(&new);
    assert!(v["answers"]["m.f1.1"].get("carried").is_none(), "{v}");
    assert_eq!(v["answers"]["m.f1.2"]["carried"], true);
    t.send(&["d"]);
    t.wait_for("Lần trước (");
    t.send(&["C-c"]);
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(std::fs::read(&old).unwrap(), before);
}
