//! End to end: the real `sansang` binary in a real pseudo-terminal (tmux, see
//! `common/tmux.rs`); the saved files are checked with serde_json. Each test has its own tmux
//! server and data folder, so the tests run in parallel and leave nothing behind.

mod common;

use common::tmux::Tmux;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

// Vietnamese screen text the tests look for (the app starts in Vietnamese).
const SAVED: &str = "✓ Đã lưu lúc";
const HOME_VI: &str = "Các bản đánh giá";
const DASHBOARD: &str = "Mức sẵn sàng:";

/// The wizard in a tmux pane.
trait AppPane {
    fn start(&self, size: (u16, u16), data: &Path);
    fn start_with(&self, size: (u16, u16), data: &Path, extra_env: &[&str]);
    fn wait_saved(&self, text: &str) -> String;
    fn wait_question(&self, n: usize, total: usize, id: &str) -> String;
}

impl AppPane for Tmux {
    /// Starts the app with `data` as its data folder.
    fn start(&self, size: (u16, u16), data: &Path) {
        self.start_with(size, data, &[]);
    }

    /// Starts the app with extra `NAME=value` environment entries.
    fn start_with(&self, size: (u16, u16), data: &Path, extra_env: &[&str]) {
        self.start_app(size, data, extra_env, &[]);
    }

    /// Waits until `text` is shown together with a fresh "saved" status. The app saves before it
    /// draws, so a frame showing the change and "✓ saved" means the change is on disk.
    fn wait_saved(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} and {SAVED:?}"), |s| {
            s.contains(text) && s.contains(SAVED) && !s.contains(" ✗ ")
        })
    }

    /// Waits until the question screen shows "Câu n/total · id".
    fn wait_question(&self, n: usize, total: usize, id: &str) -> String {
        let want = format!("{n}/{total} · {id}");
        self.wait_until(&format!("question \"Câu {want}\""), |s| {
            question_header(s).as_deref() == Some(want.as_str())
        })
    }
}

/// `kill <flag> <pid>` through the shell's builtin (no procps needed); true if it succeeded.
fn signal(pid: &str, flag: &str) -> bool {
    Command::new("sh")
        .args(["-c", r#"kill "$0" "$1" 2>/dev/null"#, flag, pid])
        .status()
        .unwrap()
        .success()
}

/// "n/total · id" from the question screen's "Câu n/total · id" line.
fn question_header(screen: &str) -> Option<String> {
    screen
        .lines()
        .filter(|l| l.contains("Câu ") && l.contains(" · "))
        .find_map(|l| {
            l.split_once("Câu ").map(|(_, r)| {
                r.trim_end()
                    .split(" · ")
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" · ")
            })
        })
}

/// The screen line containing `text`, for asserting on what else that line says.
fn line_with<'a>(screen: &'a str, text: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no line with {text:?} on the screen:\n{screen}"))
}

fn workshop() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/questionnaires/workshop.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The workshop's questions shown for this `org_type`, in order. Only the `show_if` forms the
/// workshop uses are understood; a new form fails loudly rather than guessing.
fn visible_questions(q: &Value, org_type: &str) -> Vec<Value> {
    let shown = |c: &Value| {
        assert_eq!(c["field"], "org_type", "test knows only org_type: {c}");
        match (c.get("eq"), c.get("ne")) {
            (Some(v), None) => v == org_type,
            (None, Some(v)) => v != org_type,
            _ => panic!("test does not understand show_if {c}"),
        }
    };
    q["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["questions"].as_array().unwrap().clone())
        .filter(|q| q.get("show_if").is_none_or(shown))
        .collect()
}

/// Questions that count in the coverage (those contributing to a score).
fn scored(questions: &[Value]) -> usize {
    questions
        .iter()
        .filter(|q| q["contributes"].as_array().is_some_and(|c| !c.is_empty()))
        .count()
}

/// The one assessment file in the data folder, parsed.
fn assessment_file(data: &Path) -> Value {
    let files: Vec<PathBuf> = std::fs::read_dir(data.join("assessments"))
        .expect("no assessments folder")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(files.len(), 1, "expected one assessment file: {files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", files[0].display()))
}

/// Each answer's response, by question id.
fn responses(file: &Value) -> BTreeMap<String, Value> {
    file["answers"]
        .as_object()
        .expect("no answers object")
        .iter()
        .map(|(id, a)| (id.clone(), a["response"].clone()))
        .collect()
}

/// Home → new → workshop: leaves the profile form open.
fn new_workshop(t: &Tmux) {
    t.wait_for(HOME_VI);
    t.send(&["n"]);
    t.wait_for("Chọn bộ câu hỏi");
    // The catalogue lists agency, sme, workshop.
    t.send(&["Down", "Down"]);
    t.wait_for("▶ workshop");
    t.send(&["Enter"]);
    t.wait_for("Thông tin tổ chức");
}

/// Answers the question on screen (the `n`-th shown) with a key chosen by its kind, waits until
/// the screen shows it stored and saved, and returns the response the file must hold.
fn answer(t: &Tmux, q: &Value, n: usize) -> Value {
    let id = q["id"].as_str().unwrap();
    match q["kind"].as_str().unwrap() {
        "scale" => {
            // Spread the levels so 0 and 4 are both typed.
            let level = n % 5;
            t.send(&[&level.to_string()]);
            t.wait_saved(&format!("(●) {level} "));
            json!({"kind": "scale", "level": level})
        }
        // One "don't know", to see it counted as answered.
        "ynp" if id == "ws.14" => {
            t.send(&["b"]);
            t.wait_saved("→ Không biết");
            json!({"kind": "dont_know"})
        }
        "ynp" => {
            let (key, label, choice) = [
                ("y", "Có", "yes"),
                ("p", "Một phần", "partly"),
                ("n", "Không", "no"),
            ][n % 3];
            t.send(&[key]);
            t.wait_saved(&format!("(●) {label}"));
            json!({"kind": "ynp", "choice": choice})
        }
        "checklist" => {
            let options = q["options"].as_array().unwrap();
            t.send(&["1"]);
            t.wait_saved("[x] 1.");
            t.send(&["3"]);
            t.wait_saved("[x] 3.");
            json!({"kind": "checklist", "selected": [options[0]["id"], options[2]["id"]]})
        }
        "text" => {
            let text = "Thiếu kinh phí, thiếu người, dữ liệu còn manh mún";
            t.send(&["Enter"]);
            t.wait_for("Đang soạn (Esc để lưu):");
            t.send_literal(text);
            t.wait_for(&format!("{text}▏"));
            // Esc stores the text. Nothing is sent until the editor has closed: ESC closely
            // followed by a letter would reach the app as Alt+letter.
            t.send(&["Escape"]);
            t.wait_until("the text saved and the editor closed", |s| {
                s.contains(&format!("│ {text}")) && !s.contains("Đang soạn") && s.contains(SAVED)
            });
            json!({"kind": "text", "text": text})
        }
        other => panic!("{id}: the test does not know how to answer a {other} question"),
    }
}

#[test]
fn completes_a_workshop_assessment() {
    let data = tempfile::tempdir().unwrap();
    let t = Tmux::new("complete");
    t.start((100, 30), data.path());
    new_workshop(&t);

    // Required fields are checked before the questions open.
    t.send(&["Down", "Down", "Down"]);
    t.wait_for("▶ [ Bắt đầu trả lời câu hỏi → ]");
    t.send(&["Enter"]);
    let s = t.wait_for("✗ Cần điền:");
    let err = line_with(&s, "✗ Cần điền:");
    assert!(
        err.contains("Tên cơ quan") && err.contains("Loại hình đơn vị"),
        "{s}"
    );
    t.send(&["Up", "Up", "Up"]);
    t.wait_for("▶ Tên cơ quan");

    let org = "UBND tỉnh Hòa Phong";
    t.send_literal(org);
    t.wait_for(&format!("[{org}▏]"));
    t.send(&["Enter"]);
    t.wait_saved("▶ Loại hình đơn vị");
    // ministry, province, …
    t.send(&["Right", "Right"]);
    t.wait_saved("◀ Cấp tỉnh");
    t.send(&["Down"]);
    t.wait_for("▶ Lĩnh vực chính");
    // health, education, …
    t.send(&["Right", "Right"]);
    t.wait_saved("◀ Giáo dục ▶");
    t.send(&["Down"]);
    t.wait_for("▶ [ Bắt đầu trả lời câu hỏi → ]");
    t.send(&["Enter"]);

    let questionnaire = workshop();
    let shown = visible_questions(&questionnaire, "province");
    assert!(
        shown.len() < 20,
        "a province should not see the business-only questions"
    );
    let mut expected = BTreeMap::new();
    for (i, q) in shown.iter().enumerate() {
        let id = q["id"].as_str().unwrap();
        t.wait_question(i + 1, shown.len(), id);
        if id == "ws.2" {
            // Not-applicable is refused where the questionnaire does not allow it.
            t.send(&["a"]);
            t.wait_for("✗ câu hỏi này không cho chọn \"không áp dụng\"");
        }
        expected.insert(id.to_string(), answer(&t, q, i + 1));
        if id == "ws.1" {
            t.send(&["g"]);
            t.wait_for("Ghi chú cho câu trả lời");
            t.send_literal("Có ban chỉ đạo");
            t.wait_for("Có ban chỉ đạo▏");
            t.send(&["Escape"]);
            t.wait_saved("✎ Có ban chỉ đạo");
        }
        if id == "ws.9" {
            t.send(&["f"]);
            t.wait_saved("★ cần xem lại");
        }
        // Right on the last question opens the results.
        t.send(&["Right"]);
    }
    let dashboard = t.wait_for(DASHBOARD);

    // The file: profile, every shown question answered as typed, and the scores.
    let file = assessment_file(data.path());
    assert_eq!(
        file["profile"],
        json!({"org_name": org, "org_type": "province", "sector": "education"})
    );
    assert_eq!(responses(&file), expected, "answers in the file");
    assert_eq!(file["answers"]["ws.1"]["comment"], "Có ban chỉ đạo");
    assert_eq!(file["answers"]["ws.9"]["marked_for_review"], true);
    let scores = &file["scores"];
    let coverage = &scores["coverage"];
    assert_eq!(coverage["applicable"], scored(&shown), "{scores}");
    assert_eq!(coverage["answered"], coverage["applicable"], "{scores}");
    assert_eq!(coverage["dont_know"], 1, "{scores}");
    assert_eq!(coverage["not_applicable"], 0, "{scores}");
    let band_id = scores["headline_band"].as_str().expect("no headline band");
    let band = questionnaire["bands"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == band_id)
        .unwrap_or_else(|| panic!("{band_id} is not a workshop band"));
    let headline = scores["headline"].as_f64().expect("no headline score");
    assert!((0.0..=100.0).contains(&headline), "{scores}");

    // The dashboard says the same.
    let band_label = band["label"]["vi"].as_str().unwrap();
    let top = line_with(&dashboard, DASHBOARD);
    assert!(top.trim_end().ends_with(band_label), "{dashboard}");
    let n = coverage["applicable"].as_u64().unwrap();
    assert!(
        dashboard.contains(&format!("tính điểm {n}/{n} (100%) · không biết 1")),
        "{dashboard}"
    );

    // Back to the questions, then home: the list shows the finished assessment.
    t.send(&["Escape"]);
    t.wait_until("a question", |s| {
        question_header(s).is_some() && !s.contains(DASHBOARD)
    });
    t.send(&["q"]);
    let home = t.wait_for_home_list();
    let second = home
        .lines()
        .skip_while(|l| !l.contains(org))
        .nth(1)
        .unwrap_or_default();
    assert!(
        second.contains(&format!("đã trả lời {0}/{0}", shown.len())) && second.contains(band_label),
        "{home}"
    );
    t.send(&["q"]);
    assert_eq!(t.wait_exit(), 0, "exit status");
    // Quitting changed nothing.
    assert_eq!(responses(&assessment_file(data.path())), expected);
}

#[test]
fn answers_survive_kill_9_and_the_assessment_resumes() {
    let data = tempfile::tempdir().unwrap();
    let t = Tmux::new("kill");
    t.start((80, 24), data.path());
    new_workshop(&t);

    // A business: the state-only questions are hidden, the business one is shown.
    let org = "Hợp tác xã Tân Phú";
    t.send_literal(org);
    t.wait_for(&format!("[{org}▏]"));
    t.send(&["Enter"]);
    t.wait_saved("▶ Loại hình đơn vị");
    t.send(&["Left"]);
    t.wait_saved("◀ Doanh nghiệp");
    t.send(&["Down", "Down"]);
    t.wait_for("▶ [ Bắt đầu trả lời câu hỏi → ]");
    t.send(&["Enter"]);

    let shown = visible_questions(&workshop(), "business");
    let total = shown.len();
    let mut saved = BTreeMap::new();
    for (i, q) in shown.iter().take(5).enumerate() {
        if i > 0 {
            t.send(&["Right"]);
        }
        let id = q["id"].as_str().unwrap();
        t.wait_question(i + 1, total, id);
        saved.insert(id.to_string(), answer(&t, q, i + 1));
    }
    // Killed right after the screen reported the fifth answer saved.
    // The app holds the edit lock, and the lock names it.
    let pid = t.pid();
    let lock = std::fs::read_dir(data.path().join("assessments"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".lock"))
        .expect("no lock file");
    assert_eq!(
        std::fs::read_to_string(&lock).unwrap().trim(),
        format!("pid {pid}")
    );

    assert!(signal(&pid, "-9"), "kill -9 {pid} failed");
    assert_eq!(t.wait_exit(), 128 + 9, "killed by SIGKILL");
    assert!(!signal(&pid, "-0"), "pid {pid} still alive");

    // Every answer the screen reported as saved is on disk.
    let file = assessment_file(data.path());
    assert_eq!(file["profile"]["org_name"], org);
    assert_eq!(file["profile"]["org_type"], "business");
    assert_eq!(responses(&file), saved);

    // Restart in the same folder: the home screen lists it with its progress…
    t.start((80, 24), data.path());
    let applicable = scored(&shown);
    assert_eq!(file["scores"]["coverage"]["applicable"], applicable);
    // The home list counts as the wizard does: answered of the questions shown.
    let percent = |n: usize| format!("đã trả lời {n}/{}", shown.len());
    let home = t.wait_until("the home screen listing it", |s| {
        s.contains(HOME_VI) && s.contains(org)
    });
    let row = line_with(&home, org);
    assert!(row.contains("Đánh giá nhanh"), "{row:?}");
    let second = home
        .lines()
        .skip_while(|l| !l.contains(org))
        .nth(1)
        .unwrap_or_default();
    assert!(
        second.contains(&percent(saved.len())),
        "want {} in {second:?}",
        percent(saved.len())
    );

    // …Enter resumes at the first unanswered question (the stale lock does not block it)…
    t.send(&["Enter"]);
    for (i, q) in shown.iter().enumerate().skip(5).take(2) {
        let id = q["id"].as_str().unwrap();
        t.wait_question(i + 1, total, id);
        // …and answering goes on saving.
        saved.insert(id.to_string(), answer(&t, q, i + 1));
        assert_eq!(responses(&assessment_file(data.path())), saved);
        t.send(&["Right"]);
    }
    t.wait_question(8, total, shown[7]["id"].as_str().unwrap());
    t.send(&["q"]);
    let home = t.wait_for_home_list();
    assert!(home.contains(&percent(saved.len())), "{home}");
    t.send(&["q"]);
    assert_eq!(t.wait_exit(), 0, "exit status");
}

#[test]
fn language_switch_is_remembered() {
    let data = tempfile::tempdir().unwrap();
    let settings = data.path().join("settings.json");
    let lang_saved = || -> Value {
        let text = std::fs::read_to_string(&settings).expect("no settings.json");
        serde_json::from_str::<Value>(&text).unwrap()["lang"].clone()
    };
    let t = Tmux::new("lang");
    t.start((100, 30), data.path());

    let s = t.wait_for_home_list();
    assert!(s.contains("Chưa có bản đánh giá nào"), "{s}");
    assert!(s.lines().next().unwrap().trim_end().ends_with("VI"), "{s}");
    assert!(!settings.exists());

    t.send(&["l"]);
    let s = t.wait_for("Assessments");
    assert!(
        s.contains("No assessments yet. Press n to start one."),
        "{s}"
    );
    assert!(s.contains("Data folder:"), "{s}");
    assert!(!s.contains(HOME_VI), "{s}");
    assert!(s.lines().next().unwrap().trim_end().ends_with("EN"), "{s}");
    // Saved before that frame was drawn.
    assert_eq!(lang_saved(), "en");
    t.send(&["q"]);
    assert_eq!(t.wait_exit(), 0, "exit status");

    // Restarted, it is still English, on other screens too.
    t.start((100, 30), data.path());
    let s = t.wait_for_home_list();
    assert!(s.contains("No assessments yet"), "{s}");
    assert!(!s.contains(HOME_VI), "{s}");
    t.send(&["n"]);
    t.wait_for("Choose a questionnaire");
    t.send(&["Escape"]);
    t.wait_for("No assessments yet");

    // And back.
    t.send(&["l"]);
    t.wait_for(HOME_VI);
    assert_eq!(lang_saved(), "vi");
    t.send(&["q"]);
    assert_eq!(t.wait_exit(), 0, "exit status");
}

/// A dropped SSH link sends SIGHUP, a shutdown SIGTERM: the app leaves cleanly (alternate
/// screen left, exit status 0) and every answer shown as saved is on disk.
#[test]
fn sighup_and_sigterm_leave_cleanly_and_keep_the_answers() {
    for sig in ["-HUP", "-TERM"] {
        let data = tempfile::tempdir().unwrap();
        let t = Tmux::new(&format!("signal{}", &sig[1..]));
        t.start((100, 30), data.path());
        new_workshop(&t);
        t.send_literal("Xã Tín Hiệu");
        t.wait_for("[Xã Tín Hiệu▏]");
        t.send(&["Enter"]);
        t.wait_saved("▶ Loại hình đơn vị");
        t.send(&["Right"]);
        t.wait_saved("◀ ");
        t.send(&["Down", "Down", "Enter"]);
        let q = &visible_questions(&workshop(), "ministry")[0];
        t.wait_question(
            1,
            visible_questions(&workshop(), "ministry").len(),
            q["id"].as_str().unwrap(),
        );
        let saved = answer(&t, q, 1);
        let pid = t.pid();
        assert!(signal(&pid, sig), "kill {sig} {pid} failed");
        assert_eq!(t.wait_exit(), 0, "{sig}: a clean exit, not a crash");
        let screen = t.screen();
        assert!(
            !screen.contains("Câu 1/"),
            "{sig}: the wizard's screen is gone (alternate screen left):\n{screen}"
        );
        let file = assessment_file(data.path());
        assert_eq!(
            responses(&file).get(q["id"].as_str().unwrap()),
            Some(&saved),
            "{sig}"
        );
    }
}

/// A panic restores the terminal (the wizard's screen is gone), says where the log is, exits
/// with status 2, and the log holds the panic.
#[test]
fn a_panic_restores_the_terminal_and_names_the_log() {
    let data = tempfile::tempdir().unwrap();
    let t = Tmux::new("panic");
    t.start_with((100, 30), data.path(), &["SANSANG_TEST_PANIC=1"]);
    assert_eq!(t.wait_exit(), 2, "internal error exit code");
    let screen = t.screen();
    let log = data.path().join("sansang.log");
    assert!(
        screen.contains("internal error") && screen.contains(&log.display().to_string()),
        "{screen}"
    );
    assert!(
        !screen.contains("Các bản đánh giá"),
        "the alternate screen was left:\n{screen}"
    );
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("crash drill"), "{text}");
}

/// The measured input defects, through a real terminal: letters typed into a number answer
/// never act as commands and a refused number saves nothing; a paste with CR line endings
/// (what tmux, xterm and GNOME Terminal send) keeps its line breaks; times are local.
#[test]
fn typed_words_in_a_number_and_a_pasted_text_through_a_real_terminal() {
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(data.path().join("questionnaires")).unwrap();
    std::fs::write(
        data.path().join("questionnaires/mini.json"),
        include_str!("fixtures/mini.json"),
    )
    .unwrap();
    let t = Tmux::new("input");
    t.start_with((100, 30), data.path(), &["TZ=Asia/Ho_Chi_Minh"]);
    t.wait_for(HOME_VI);
    t.send(&["n"]);
    t.wait_for("Chọn bộ câu hỏi");
    // By id: move down until the test questionnaire is selected.
    for _ in 0..10 {
        if t.screen().contains("▶ mini") {
            break;
        }
        t.send(&["Down"]);
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    t.wait_for("▶ mini");
    t.send(&["Enter"]);
    t.wait_for("Thông tin tổ chức");
    t.send_literal("Sở Thử");
    t.wait_for("[Sở Thử▏]");
    t.send(&["Enter", "Right", "Down", "Right", "Down", "Down", "Enter"]);
    t.wait_question(1, 7, "m.f1.1");
    // The status line shows the save in Hà Nội time (UTC+7), not UTC.
    let screen = t.wait_for(SAVED);
    let shown = line_with(&screen, SAVED)
        .split(SAVED)
        .nth(1)
        .unwrap()
        .trim()
        .to_string();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let hanoi = |s: u64| format!("{:02}:{:02}", (s / 3600 + 7) % 24, s / 60 % 60);
    assert!(
        shown == hanoi(now) || shown == hanoi(now - 60),
        "saved at {shown:?}, Hà Nội time is {}",
        hanoi(now)
    );
    t.send(&["Right", "Right", "Right"]);
    t.wait_question(4, 7, "m.f1.4");
    let before = std::fs::read_to_string(assessment_path(data.path())).unwrap();
    // h would open the profile, o / a / n / g are commands elsewhere.
    t.send_literal("khoảng 70");
    t.wait_for("[ khoảng 70▏ ]");
    t.send(&["Enter"]);
    t.wait_for("“khoảng 70” không phải là một số");
    assert_eq!(
        std::fs::read_to_string(assessment_path(data.path())).unwrap(),
        before,
        "the refused number changed nothing saved"
    );
    // Esc leaves the field, → to the text question m.f1.6, Enter opens the editor.
    t.send(&["Escape"]);
    t.wait_for("(Enter hoặc một chữ số để nhập)");
    t.send(&["Right"]);
    t.wait_question(5, 7, "m.f1.6");
    t.send(&["Enter"]);
    t.wait_for("Đang soạn (Esc để lưu):");
    // tmux's paste-buffer turns LF into CR (as terminals do) inside a bracketed paste.
    t.run(&["set-buffer", "dòng một\ndòng hai"]);
    t.run(&["paste-buffer", "-p", "-t", "app"]);
    t.wait_for("dòng hai▏");
    std::thread::sleep(std::time::Duration::from_millis(100));
    t.send(&["Escape"]);
    t.wait_saved("│ dòng hai");
    let v = assessment_file(data.path());
    assert_eq!(
        v["answers"]["m.f1.6"]["response"]["text"],
        json!("dòng một\ndòng hai")
    );
    assert!(v["answers"].get("m.f1.4").is_none());
    assert!(v["profile"]["org_name"] == json!("Sở Thử"));
}

fn assessment_path(data: &Path) -> PathBuf {
    std::fs::read_dir(data.join("assessments"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap()
}
