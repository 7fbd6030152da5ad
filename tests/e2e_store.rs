//! End to end, the store under the real wizard: 200 `kill -9` during saves leave no temporary
//! file and lose no acknowledged answer; closing the terminal window ends the wizard quietly.

mod common;

use common::tmux::Tmux;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const SAVED: &str = "✓ Đã lưu lúc";
const HOME_VI: &str = "Các bản đánh giá";

fn start(t: &Tmux, data: &Path) {
    t.start_app((100, 30), data, &[], &[]);
}

fn wait_saved(t: &Tmux, text: &str) -> String {
    t.wait_until(&format!("{text:?} and {SAVED:?}"), |s| {
        s.contains(text) && s.contains(SAVED) && !s.contains(" ✗ ")
    })
}

fn on_question(t: &Tmux, n: usize, id: &str) {
    let want = format!("{n}/");
    let tail = format!(" · {id}");
    t.wait_until(&format!("question {n} ({id})"), |s| {
        s.lines()
            .any(|l| l.contains(&format!("Câu {want}")) && l.contains(&tail))
    });
}

fn signal(pid: &str, flag: &str) -> bool {
    Command::new("sh")
        .args(["-c", r#"kill "$0" "$1" 2>/dev/null"#, flag, pid])
        .status()
        .is_ok_and(|s| s.success())
}

/// Waits until the process is gone (the exit line on screen may wrap, so it is not read).
fn wait_dead(pid: &str) {
    let start = Instant::now();
    while signal(pid, "-0") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "pid {pid} still alive"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn no_temp_files(data: &Path, trial: usize) {
    let files = assessment_files(data);
    let leftovers: Vec<&PathBuf> = files
        .iter()
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with('.') && !n.ends_with(".lock")
        })
        .collect();
    assert!(leftovers.is_empty(), "trial {trial}: {leftovers:?}");
}

fn assessment_files(data: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(data.join("assessments"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

/// The first two questions a ministry sees in the workshop questionnaire.
fn first_two_ids() -> (String, String) {
    let c = sansang::questionnaire::Catalog::builtin();
    let q = &c.find("workshop", None).unwrap().questionnaire;
    let mut ids = q.questions().map(|(_, qq)| qq.id.clone());
    (ids.next().unwrap(), ids.next().unwrap())
}

/// Home → new → workshop → profile (a ministry) → question 1.
fn new_ministry(t: &Tmux) {
    t.wait_for(HOME_VI);
    t.send(&["n"]);
    t.wait_for("Chọn bộ câu hỏi");
    t.send(&["Down", "Down"]);
    t.wait_for("▶ workshop");
    t.send(&["Enter"]);
    t.wait_for("Thông tin tổ chức");
    t.send_literal("Bộ Thử Nghiệm");
    t.wait_for("[Bộ Thử Nghiệm▏]");
    t.send(&["Enter"]);
    wait_saved(t, "▶ Loại hình đơn vị");
    t.send(&["Right"]);
    wait_saved(t, "◀ ");
    t.send(&["Down", "Down", "Enter"]);
}

/// 200 times: open the assessment, change the first answer and wait for "saved" (acknowledged),
/// type more changes, and `kill -9` the wizard at a random moment among those saves. After each
/// kill the file is complete and holds the acknowledged answer or a later one; once the file is
/// open again, no temporary file is left in the folder (a kill between the temporary file's link
/// and its rename leaves one for that moment; the next editor sweeps it).
#[test]
fn two_hundred_kills_during_saves_leave_no_temp_file_and_lose_no_acknowledged_answer() {
    let data = tempfile::tempdir().unwrap();
    let t = Tmux::new("kill200");
    let (q1, q2) = first_two_ids();
    start(&t, data.path());
    new_ministry(&t);
    on_question(&t, 1, &q1);
    t.send(&["1"]);
    wait_saved(&t, "(●) 1 ");
    let pid = t.pid();
    assert!(signal(&pid, "-9"));
    wait_dead(&pid);

    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let started = Instant::now();
    for trial in 0..200 {
        start(&t, data.path());
        t.wait_for(HOME_VI);
        t.send(&["Enter"]);
        // Resumed at the first unanswered question; back to the first one.
        on_question(&t, 2, &q2);
        // Opened for editing: a temporary file the last kill left (killed between its link and
        // its rename) has been swept.
        no_temp_files(data.path(), trial);
        t.send(&["Left"]);
        on_question(&t, 1, &q1);
        let acked = (rand() % 5) as u8;
        t.send(&[&acked.to_string()]);
        wait_saved(&t, &format!("(●) {acked} "));
        // Unacknowledged changes, each a save, and the kill somewhere among them.
        let later: Vec<String> = (0..4).map(|_| (rand() % 5).to_string()).collect();
        let keys: Vec<&str> = later.iter().map(String::as_str).collect();
        let pid = t.pid();
        t.send(&keys);
        std::thread::sleep(Duration::from_micros(rand() % 15_000));
        assert!(signal(&pid, "-9"), "trial {trial}: kill -9 {pid}");
        wait_dead(&pid);

        let files = assessment_files(data.path());
        let json: Vec<&PathBuf> = files
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        assert_eq!(json.len(), 1, "trial {trial}: {files:?}");
        let text = std::fs::read_to_string(json[0]).unwrap();
        let v: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("trial {trial}: {e}\n{text}"));
        assert_eq!(v["profile"]["org_name"], "Bộ Thử Nghiệm", "trial {trial}");
        let level = v["answers"][&q1]["response"]["level"]
            .as_u64()
            .unwrap_or_else(|| panic!("trial {trial}: no answer to {q1}\n{text}"));
        let allowed: Vec<u64> = std::iter::once(acked as u64)
            .chain(later.iter().map(|l| l.parse().unwrap()))
            .collect();
        assert!(
            allowed.contains(&level),
            "trial {trial}: {q1} is {level}, acknowledged {acked}, then {later:?}"
        );
    }
    start(&t, data.path());
    t.wait_for(HOME_VI);
    t.send(&["Enter"]);
    on_question(&t, 2, &q2);
    no_temp_files(data.path(), 200);
    t.send(&["q"]);
    eprintln!("200 kills in {:?}", started.elapsed());
}

/// Closing the terminal window (the pseudo-terminal goes away, SIGHUP arrives and every write
/// fails): the wizard ends quietly with status 0 or 1, no abort, and no panic in the log.
#[test]
fn closing_the_terminal_window_ends_the_wizard_quietly() {
    let data = tempfile::tempdir().unwrap();
    let status = data.path().join("status");
    let t = Tmux::new("hangup");
    let data_env = format!("SANSANG_DATA_DIR={}", data.path().display());
    // The inner shell survives the hang-up to write down how the wizard ended.
    let script = format!(
        r#"trap '' HUP; env {data_env} LANG=C.UTF-8 TERM=xterm-256color "$0"; echo $? > {}"#,
        status.display()
    );
    t.start_command(
        (100, 30),
        &["sh", "-c", &script, env!("CARGO_BIN_EXE_sansang")],
    );
    t.wait_for(HOME_VI);
    t.tmux(&["kill-server"]);
    let start = Instant::now();
    let code = loop {
        if let Ok(s) = std::fs::read_to_string(&status)
            && s.ends_with('\n')
        {
            break s.trim().parse::<i32>().unwrap();
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the wizard did not end after its terminal closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        code == 0 || code == 1,
        "exit status {code} (134 is an abort)"
    );
    let log = std::fs::read_to_string(data.path().join("sansang.log")).unwrap_or_default();
    assert!(!log.contains("panic"), "{log}");
}

/// The save runs off the frame path: an answer followed at once by Ctrl-C (in one go, before
/// any frame) is in the file when the wizard has ended (quitting waits for the last save).
#[test]
fn an_answer_then_quitting_at_once_is_in_the_file() {
    let data = tempfile::tempdir().unwrap();
    let t = Tmux::new("answerquit");
    let (q1, _) = first_two_ids();
    start(&t, data.path());
    new_ministry(&t);
    on_question(&t, 1, &q1);
    t.send(&["3", "C-c"]);
    assert_eq!(t.wait_exit(), 0);
    let json = assessment_files(data.path())
        .into_iter()
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .expect("the assessment");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    assert_eq!(v["answers"][&q1]["response"]["level"], 3, "{v}");
}
