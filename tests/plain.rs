//! Plain line mode end to end: the real binary fed lines on standard input (as a script or a
//! consultant typing from a paper form would), and in tmux with `TERM=dumb` (as a screen-reader
//! user would). The saved file and the printed results are compared with the full-screen
//! wizard's (the same `App` driven by keys) and with `sansang score`.

mod common;

use common::tmux::Tmux;
use sansang::i18n::Lang;
use sansang::tui::{App, Key, Msg, Settings};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A whole workshop assessment as typed lines (a province, health sector).
const WORKSHOP_LINES: &str = "\
Sở Nội vụ tỉnh X
2
1
3
2
4
1
back
comment Có kế hoạch năm 2025 nhưng chưa có ngân sách
next
2
3
2
alt
Sở Thông tin và Truyền thông cũ đã phê duyệt cấp độ cho chúng tôi.
.
p
y
dk
n
y
2
1
1 3 4
3
2
Chúng tôi cần đào tạo thêm.
Và cần ngân sách riêng.
.
why F5
quit
";

/// Runs `sansang` with `args` on a fresh data folder, `input` on standard input.
fn sansang(data: &Path, args: &[&str], input: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sansang"));
    cmd.arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("SANSANG_DATA_DIR")
        .env("TZ", "UTC");
    for (k, v) in env {
        cmd.env(k, v);
    }
    common::output_with_input(&mut cmd, input)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// The only assessment file in the data folder.
fn the_file(data: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(data.join("assessments"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

/// The file without the times (which differ between two runs), including the time spent per
/// section.
fn content(path: &Path) -> Value {
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let o = v.as_object_mut().unwrap();
    o.remove("created_at");
    o.remove("updated_at");
    o.remove("section_seconds");
    for a in o["answers"].as_object_mut().unwrap().values_mut() {
        a.as_object_mut().unwrap().remove("answered_at");
    }
    v
}

/// No escape character, and no control character but the line feed.
fn assert_plain_bytes(bytes: &[u8]) {
    for (i, b) in bytes.iter().enumerate() {
        assert!(
            *b >= 0x20 || *b == b'\n',
            "control byte {b:#04x} at {i}: {:?}",
            String::from_utf8_lossy(&bytes[i.saturating_sub(40)..(i + 10).min(bytes.len())])
        );
    }
}

/// The same assessment through the full-screen wizard's keys (its `App`, in process).
fn full_screen_path(data: &Path) -> PathBuf {
    let settings = Settings {
        lang: Lang::En,
        color: false,
    };
    let mut app = App::new(data.to_path_buf(), settings);
    app.dispatch(Msg::Resize(120, 40));
    if let Some(m) = app.perform(sansang::tui::Effect::Create("workshop".into())) {
        app.dispatch(m);
    }
    let key = |app: &mut App, k: Key| app.dispatch(Msg::Key(k));
    let keys = |app: &mut App, ks: &[Key]| ks.iter().for_each(|k| app.dispatch(Msg::Key(*k)));
    let ch = |c: char| Key::Char(c);
    // Profile: the name, Enter; the type: two steps right (province), Enter; the sector: one
    // step (health), Enter; start.
    app.dispatch(Msg::Paste("Sở Nội vụ tỉnh X".into()));
    keys(&mut app, &[Key::Enter, Key::Right, Key::Right, Key::Enter]);
    keys(&mut app, &[Key::Right, Key::Enter, Key::Enter]);
    let level = |app: &mut App, c: char| {
        key(app, ch(c));
        key(app, Key::Right);
    };
    level(&mut app, '3'); // ws.1
    level(&mut app, '2'); // ws.2
    level(&mut app, '4'); // ws.3
    key(&mut app, ch('1')); // ws.4, with a comment
    key(&mut app, ch('g'));
    app.dispatch(Msg::Paste(
        "Có kế hoạch năm 2025 nhưng chưa có ngân sách".into(),
    ));
    keys(&mut app, &[Key::Esc, Key::Right]);
    level(&mut app, '2'); // ws.5
    level(&mut app, '3'); // ws.6
    level(&mut app, '2'); // ws.8
    key(&mut app, ch('x')); // ws.9: an alternate measure
    app.dispatch(Msg::Paste(
        "Sở Thông tin và Truyền thông cũ đã phê duyệt cấp độ cho chúng tôi.".into(),
    ));
    keys(&mut app, &[Key::Esc, Key::Right]);
    level(&mut app, 'p'); // ws.10
    level(&mut app, 'y'); // ws.11
    level(&mut app, 'b'); // ws.12: don't know
    level(&mut app, 'n'); // ws.13
    level(&mut app, 'y'); // ws.14
    level(&mut app, '2'); // ws.15
    level(&mut app, '1'); // ws.16
    keys(&mut app, &[ch('1'), ch('3'), ch('4'), Key::Right]); // ws.17
    level(&mut app, '3'); // ws.18
    level(&mut app, '2'); // ws.19
    key(&mut app, Key::Enter); // ws.20: the text
    app.dispatch(Msg::Paste(
        "Chúng tôi cần đào tạo thêm.\nVà cần ngân sách riêng.".into(),
    ));
    key(&mut app, Key::Esc);
    assert!(app.unsaved.is_none());
    app.session.as_ref().unwrap().path.clone()
}

#[test]
fn a_workshop_piped_through_plain_mode_saves_and_scores_as_the_full_screen_wizard() {
    let dir = tempfile::tempdir().unwrap();
    let plain_data = dir.path().join("plain");
    let o = sansang(
        &plain_data,
        &["--lang", "en", "--plain", "new", "workshop"],
        WORKSHOP_LINES,
        &[],
    );
    let out = stdout(&o);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_plain_bytes(&o.stdout);
    assert!(out.contains("Question 1/19, ws.1."), "{out}");
    assert!(
        out.contains("0: Not yet. Nobody has been put in charge"),
        "{out}"
    );
    assert!(out.contains("9: None of these"), "{out}");

    let plain_file = the_file(&plain_data);
    let full_file = full_screen_path(&dir.path().join("full"));
    assert_eq!(content(&plain_file), content(&full_file));
    let v = content(&plain_file);
    assert_eq!(v["answers"].as_object().unwrap().len(), 19);
    assert_eq!(
        v["answers"]["ws.17"]["response"]["selected"],
        serde_json::json!(["no_paper", "no_contact", "no_cash"])
    );

    // The printed results carry the numbers of `sansang score` (and of the dashboard).
    let loaded =
        sansang::assessment::store::read(&plain_file, &sansang::questionnaire::Catalog::builtin())
            .unwrap();
    let report = sansang::scoring::score(&loaded.questionnaire, &loaded.assessment);
    let score_cmd = Command::new(env!("CARGO_BIN_EXE_sansang"))
        .args(["--lang", "en", "score"])
        .arg(&plain_file)
        .output()
        .unwrap();
    let score_out = String::from_utf8_lossy(&score_cmd.stdout).to_string();
    let headline = sansang::locale::score(report.headline.unwrap(), Lang::En);
    assert!(out.contains(&format!("Readiness: {headline}, ")), "{out}");
    assert!(
        score_out.contains(&format!("Readiness: {headline} ")),
        "{score_out}"
    );
    for d in &report.dimensions {
        let s = sansang::locale::score_opt(d.claimed, Lang::En);
        let label = loaded
            .questionnaire
            .dimension(&d.id)
            .unwrap()
            .label
            .get(Lang::En);
        assert!(
            out.contains(&format!("{} {label}: {s}, ", d.id)),
            "{}: {out}",
            d.id
        );
        let row = score_out
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{} ", d.id)))
            .unwrap();
        assert!(row.contains(&format!(" {s} ")), "{row}");
    }
    // `why F5` printed the formula with the same numbers.
    let f5 = report.dimension("F5").unwrap();
    assert!(
        out.contains(&sansang::scoring::explain::formula(f5, Lang::En)),
        "{out}"
    );
}

#[test]
fn bad_lines_say_what_was_expected_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let o = sansang(
        &data,
        &["--lang", "en", "--plain", "new", "workshop"],
        "UBND xã A\n3\n\n",
        &[],
    );
    assert_eq!(o.status.code(), Some(0));
    let file = the_file(&data);
    let before = std::fs::read(&file).unwrap();
    // A commune: ws.1 is a scale; then bad lines on it, on a yes/partly/no and a checklist.
    let bad = "7\nabc\n1 2\nna\n\ngo ws.10\nmaybe\n4\ngo ws.99\ngo 16\n1 99\n3 9\n";
    let o = sansang(
        &data,
        &["--lang", "en", "--plain", "open", file.to_str().unwrap()],
        bad,
        &[],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_plain_bytes(&o.stdout);
    for (typed, expected) in [
        ("“7”", "expected one level 0 to 4"),
        ("“abc”", "expected one level 0 to 4"),
        ("“1 2”", "expected one level 0 to 4"),
        ("An empty line", "expected one level 0 to 4"),
        ("“maybe”", "expected y (yes), p (partly), n (no)"),
        ("“4”", "expected y (yes), p (partly), n (no)"),
        ("“1 99”", "expected numbers 1 to 9"),
        ("“3 9”", "expected 9 is only on its own"),
    ] {
        let line = format!("{typed}: {expected}");
        assert!(out.contains(&line), "no {line:?} in:\n{out}");
    }
    // "not applicable" is refused by the wizard itself, with the question again.
    assert!(out.contains("\"not applicable\" is not allowed"), "{out}");
    assert!(out.contains("Nothing was changed.\nQuestion 1/"), "{out}");
    assert!(out.contains("ws.99: no such question"), "{out}");
    assert_eq!(std::fs::read(&file).unwrap(), before, "the file changed");
}

#[test]
fn vietnamese_words_with_or_without_diacritics_and_end_of_input_in_a_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    // Vietnamese words: không biết, bỏ qua (skip), quay lại, a comment, có, một phần; then the last question's text, cut by the end of input.
    let lines = "UBND xã B\n3\n\nkhông biết\nbỏ qua\n2\nquay lại\nghi chu Chưa có quy chế\nđến ws.10\ncó\nmot phan\nden ws.20\nDòng một\nDòng hai\n";
    let o = sansang(
        &data,
        &["--lang", "vi", "--plain", "new", "workshop"],
        lines,
        &[],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_plain_bytes(&o.stdout);
    assert!(out.contains("Câu 1/"), "{out}");
    let v = content(&the_file(&data));
    let a = &v["answers"];
    assert_eq!(a["ws.1"]["response"]["kind"], "dont_know");
    assert!(a.get("ws.2").is_none(), "skipped: {a}");
    assert_eq!(a["ws.3"]["response"]["level"], 2);
    assert_eq!(a["ws.3"]["comment"], "Chưa có quy chế");
    assert_eq!(a["ws.10"]["response"]["choice"], "yes");
    assert_eq!(a["ws.11"]["response"]["choice"], "partly");
    // The end of input ends the text and saves it.
    assert_eq!(a["ws.20"]["response"]["text"], "Dòng một\nDòng hai");
    // kết quả prints the same list in Vietnamese.
    let o = sansang(
        &data,
        &[
            "--lang",
            "vi",
            "--plain",
            "open",
            the_file(&data).to_str().unwrap(),
        ],
        "kết quả\nvì sao\ntro giup\nthoát\n",
        &[],
    );
    let out = stdout(&o);
    assert!(out.contains("Mức sẵn sàng: "), "{out}");
    assert!(out.contains("Vì sao: điểm tổng"), "{out}");
    // Help names every command in both languages.
    assert!(out.contains("na / không áp dụng: "), "{out}");
    assert!(out.contains("results / kết quả: "), "{out}");
    assert!(out.contains("quit / thoát: lưu và thoát"), "{out}");
}

#[test]
fn plain_mode_is_chosen_by_itself_without_a_terminal_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let o = sansang(
        &data,
        &["--lang", "en", "new", "workshop"],
        "Org\n1\n\nquit\n",
        &[],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_plain_bytes(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("plain line mode because input or output is not a terminal")
            && err.contains("--full-screen")
            && err.contains("--plain"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(stdout(&o).contains("Question 1/19"));
    // What cannot start is refused before anything runs (exit 1).
    let o = sansang(&data, &["--lang", "en", "--plain", "new", "nope"], "", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("There is no questionnaire “nope”"));
    let o = sansang(&data, &["--lang", "en", "open", "/no/such.json"], "", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no such file"));
    // Asked for, it says nothing about it.
    let o = sansang(&data, &["--lang", "en", "--plain"], "quit\n", &[]);
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout(&o).contains("1: Org"), "{}", stdout(&o));
}

#[test]
fn a_screen_reader_user_in_a_dumb_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let t = Tmux::new("plain-dumb");
    let bin = env!("CARGO_BIN_EXE_sansang");
    let data_arg = data.display().to_string();
    t.start_command(
        (80, 24),
        &[
            "env",
            "TERM=dumb",
            "TZ=UTC",
            bin,
            "--lang",
            "en",
            "--data-dir",
            &data_arg,
            "new",
            "workshop",
        ],
    );
    t.wait_for("plain line mode because TERM=dumb");
    t.wait_for("Organisation name (or participant's name):");
    t.send_literal("Lan");
    t.send(&["Enter"]);
    t.wait_for("Number of the choice:");
    t.send_literal("1");
    t.send(&["Enter"]);
    t.wait_until("the sector field", |s| {
        s.matches("Number of the choice").count() == 2
    });
    t.send(&["Enter"]);
    t.wait_for("Level 0 to 4:");
    t.send_literal("3");
    t.send(&["Enter"]);
    t.wait_for("Saved ws.1. Answer now: 3 – In place and used.");
    t.send_literal("why F1");
    t.send(&["Enter"]);
    t.wait_for("F1 = 100 × Σ(w·v) / Σ(w)");
    t.send(&["C-d"]);
    assert_eq!(t.wait_exit(), 0);
    let v = content(&the_file(&data));
    assert_eq!(v["answers"]["ws.1"]["response"]["level"], 3);
}
