//! TUI benchmarks. Run with `cargo bench --bench tui`.
//!
//! 1. Drawing one frame of the question screen and of the results at 200×60 (ratatui's
//!    TestBackend, criterion), and the update of a key on the question screen (criterion).
//! 2. Key to frame, the whole process: the real `sansang` binary runs in a pseudo-terminal of
//!    200×60 (its controlling terminal, as in a terminal window); the driver writes a key and
//!    times until the frame showing its effect has come out (the change on screen, read through
//!    vt100, and the frame's end: the cursor command ratatui ends every frame with). Two cases on
//!    an agency assessment: moving between two scale questions (→ / ←), and answering one
//!    (1 / 2 alternately, each a save). Reports p50 / p99 and the bytes written per key
//!    (everything the key caused, "saving…" and "✓ saved" frames included).
//!
//! `SANSANG_BASE_BIN=/path/to/older/sansang` measures that binary too, interleaved round by
//! round with this one, and prints the ratios (e.g. against the build before the save left the
//! frame path). Every round starts from its own copy of the same data folder, and the two
//! binaries take turns at going first, so neither inherits the other's saves or its place in
//! the round (`SANSANG_BASE_BIN` set to this build's own binary shows what is left: an A/A run). `SANSANG_KEYS=N` keys per case per round (default 200), `SANSANG_ROUNDS=N`
//! rounds (default 4). `SANSANG_THIS_BIN` measures another binary in this build's place. `cargo bench --bench tui -- key` runs only the key-to-frame part.

use criterion::Criterion;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sansang::i18n::Lang;
use sansang::questionnaire::QuestionKind;
use sansang::tui::app::Screen;
use sansang::tui::view::view;
use sansang::tui::{App, Key, Msg, Settings};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn press(a: &mut App, keys: &[Key]) {
    for k in keys {
        a.dispatch(Msg::Key(*k));
    }
}

/// A new agency assessment with its profile filled: the app is on question 1.
fn agency_profiled(dir: &Path) -> App {
    use Key::*;
    let mut a = App::new(
        dir.to_path_buf(),
        Settings {
            lang: Lang::Vi,
            color: true,
        },
    );
    press(&mut a, &[Char('n'), Enter]);
    for c in "UBND tỉnh Ví Dụ".chars() {
        press(&mut a, &[Char(c)]);
    }
    // level, role, target year are the required choices; then the start button. The province
    // is a pick-list, where ↓ moves in the list: Tab leaves it empty.
    press(
        &mut a,
        &[
            Enter, Right, Right, Down, Tab, Right, Down, Down, Down, Right, Down, Down, Down, Enter,
        ],
    );
    a
}

/// The kind of the question on screen.
fn current_kind(a: &App) -> Option<QuestionKind> {
    let Screen::Question(qs) = &a.screen else {
        return None;
    };
    let s = a.session.as_ref()?;
    s.questionnaire.question(&qs.current).map(|q| q.kind)
}

/// An agency assessment, profile filled, every shown question answered through the keys.
fn answered_agency(dir: &Path) -> App {
    use Key::*;
    let mut a = agency_profiled(dir);
    for _ in 0..200 {
        if !matches!(a.screen, Screen::Question(_)) {
            break;
        }
        match current_kind(&a) {
            Some(QuestionKind::Scale) => press(&mut a, &[Char('2')]),
            Some(QuestionKind::Ynp) => press(&mut a, &[Char('p')]),
            Some(QuestionKind::Checklist) => press(&mut a, &[Char('1')]),
            Some(QuestionKind::Number) => press(&mut a, &[Char('5'), Char('0'), Enter]),
            _ => {}
        }
        press(&mut a, &[Right]);
    }
    a
}

fn draw_benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut a = answered_agency(dir.path());
    assert!(
        matches!(a.screen, Screen::Dashboard(_)),
        "reached the results"
    );
    let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap();
    c.bench_function("draw dashboard 200x60", |b| {
        b.iter(|| {
            term.draw(|f| view(&a, f)).unwrap();
        })
    });
    press(&mut a, &[Key::Esc]);
    assert!(matches!(a.screen, Screen::Question(_)));
    c.bench_function("draw question 200x60", |b| {
        b.iter(|| {
            term.draw(|f| view(&a, f)).unwrap();
        })
    });
}

/// The update of one key on the question screen (no drawing, no save: saves wait in a queue
/// that is never released, as they wait for the frame in the runner): moving between two scale
/// questions (→ then ←) and answering one (1 then 2), two keys an iteration.
fn update_benches(c: &mut Criterion) {
    use sansang::tui::Program;
    use sansang::tui::jobs::Jobs;
    let dir = tempfile::tempdir().unwrap();
    let mut a = agency_profiled(dir.path());
    a.attach(Jobs::deferred(|_| {}));
    // To a scale question followed by another.
    for _ in 0..200 {
        if current_kind(&a) == Some(QuestionKind::Scale) {
            press(&mut a, &[Key::Right]);
            if current_kind(&a) == Some(QuestionKind::Scale) {
                press(&mut a, &[Key::Left]);
                break;
            }
        } else {
            press(&mut a, &[Key::Right]);
        }
    }
    assert_eq!(current_kind(&a), Some(QuestionKind::Scale));
    c.bench_function("update moving (→ ←)", |b| {
        b.iter(|| press(&mut a, &[Key::Right, Key::Left]))
    });
    c.bench_function("update answering (1 2)", |b| {
        b.iter(|| press(&mut a, &[Key::Char('1'), Key::Char('2')]))
    });
}

/// A data folder holding one agency assessment whose first unanswered question is a scale
/// question followed by another: the wizard resumes there. Returns (folder, its question
/// number).
fn key_bench_data() -> (tempfile::TempDir, usize) {
    use sansang::assessment::{Response, Ynp, store};
    let dir = tempfile::tempdir().unwrap();
    let a = agency_profiled(dir.path());
    let s = a.session.as_ref().expect("a session");
    let q = s.questionnaire.clone();
    let mut assessment = s.assessment.clone();
    let path = s.path.clone();
    drop(a);
    let kind = |id: &String| q.question(id).map(|x| x.kind);
    let visible = sansang::tui::model::visible_questions(&q, &assessment);
    let i = (0..visible.len() - 1)
        .find(|&i| {
            kind(&visible[i]) == Some(QuestionKind::Scale)
                && kind(&visible[i + 1]) == Some(QuestionKind::Scale)
        })
        .expect("two scale questions in a row");
    let now = "2026-11-24T10:00:00Z";
    for id in &visible[..i] {
        let question = q.question(id).unwrap();
        let r = match question.kind {
            QuestionKind::Scale => Response::Scale { level: 2 },
            QuestionKind::Ynp => Response::Ynp { choice: Ynp::Yes },
            QuestionKind::Checklist => Response::Checklist {
                selected: vec![question.options[0].id.clone()],
            },
            QuestionKind::Number => Response::Number {
                value: question.min.unwrap_or(0.0).max(1.0),
            },
            QuestionKind::Text => Response::Text { text: "—".into() },
        };
        assessment
            .set_response(&q, id, r, now)
            .expect("a valid answer");
    }
    let after = sansang::tui::model::visible_questions(&q, &assessment);
    assert_eq!(after[i], visible[i], "answering changed what is shown");
    store::write(&path, &assessment, &q).unwrap();
    (dir, i + 1)
}

mod pty {
    //! A child process in a pseudo-terminal that is its controlling terminal.
    use std::fs::File;
    use std::io::{Read, Write};
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::os::unix::process::CommandExt;
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    pub struct Pty {
        pub master: File,
        pub child: Child,
        buf: Vec<u8>,
    }

    impl Pty {
        pub fn spawn(cmd: &mut Command, cols: u16, rows: u16) -> Pty {
            let (mut master, mut slave) = (0, 0);
            let ws = libc::winsize {
                ws_row: rows,
                ws_col: cols,
                ws_xpixel: 0,
                ws_ypixel: 0,
            };
            let r = unsafe {
                libc::openpty(
                    &mut master,
                    &mut slave,
                    std::ptr::null_mut(),
                    std::ptr::null(),
                    &ws,
                )
            };
            assert_eq!(r, 0, "openpty");
            let slave = unsafe { OwnedFd::from_raw_fd(slave) };
            let io = |fd: &OwnedFd| Stdio::from(fd.try_clone().unwrap());
            cmd.stdin(io(&slave)).stdout(io(&slave)).stderr(io(&slave));
            unsafe {
                cmd.pre_exec(|| {
                    if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
            let child = cmd.spawn().expect("spawn in the pty");
            drop(slave);
            Pty {
                master: unsafe { File::from_raw_fd(master) },
                child,
                buf: vec![0; 1 << 16],
            }
        }

        pub fn write(&mut self, bytes: &[u8]) {
            self.master.write_all(bytes).unwrap();
        }

        /// Bytes that arrive within `wait` (empty on timeout).
        pub fn read(&mut self, wait: Duration) -> Vec<u8> {
            let mut out = vec![];
            self.read_into(wait, &mut out);
            out
        }

        /// Appends the bytes that arrive within `wait` to `out` (none on timeout); how many.
        /// Reads into a buffer kept from call to call: nothing is allocated or zeroed while a
        /// key is being timed.
        pub fn read_into(&mut self, wait: Duration, out: &mut Vec<u8>) -> usize {
            let mut p = libc::pollfd {
                fd: self.master.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            let ms = wait.as_millis().min(i32::MAX as u128) as i32;
            if unsafe { libc::poll(&mut p, 1, ms) } <= 0 {
                return 0;
            }
            match self.master.read(&mut self.buf) {
                Ok(n) => {
                    out.extend_from_slice(&self.buf[..n]);
                    n
                }
                Err(_) => 0,
            }
        }

        /// Reads until `done` holds on the screen, or panics after `limit`.
        pub fn until(
            &mut self,
            screen: &mut vt100::Parser,
            limit: Duration,
            what: &str,
            mut done: impl FnMut(&vt100::Parser) -> bool,
        ) -> usize {
            let start = Instant::now();
            let mut bytes = 0;
            while !done(screen) {
                assert!(
                    start.elapsed() < limit,
                    "waited {limit:?} for {what}:\n{}",
                    screen.screen().contents()
                );
                let b = self.read(Duration::from_millis(50));
                bytes += b.len();
                screen.process(&b);
            }
            bytes
        }
    }

    impl Drop for Pty {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Key-to-frame times of one case, and the bytes each key caused.
#[derive(Default)]
struct Samples {
    times: Vec<Duration>,
    bytes: Vec<usize>,
}

impl Samples {
    fn quantile(&self, q: f64) -> Duration {
        let mut t = self.times.clone();
        t.sort();
        t[((t.len() - 1) as f64 * q).round() as usize]
    }
    fn bytes_median(&self) -> usize {
        let mut b = self.bytes.clone();
        b.sort();
        b[b.len() / 2]
    }
}

/// Did this output end a frame? ratatui ends each one by hiding or showing the cursor.
fn ends_frame(b: &[u8]) -> bool {
    b.windows(6).any(|w| w == b"\x1b[?25l" || w == b"\x1b[?25h")
}

/// One key: write it, read until its frame is out and shows `shown`, then until the output has
/// been quiet for a while and shows `settled` (the save acknowledged). Returns the time to the
/// frame and every byte the key caused.
///
/// The clock stops at the read that brought a frame's end (the screen showing the change);
/// what came before it is parsed only then, so the driver's own parsing of a frame that arrives
/// in several reads is not counted as the app's time.
fn one_key(
    p: &mut pty::Pty,
    screen: &mut vt100::Parser,
    key: &[u8],
    shown: &dyn Fn(&str) -> bool,
    settled: &dyn Fn(&str) -> bool,
) -> (Duration, usize) {
    let mut pending = Vec::with_capacity(1 << 16);
    let mut bytes = 0;
    let mut frame_at = None;
    let t0 = Instant::now();
    p.write(key);
    while frame_at.is_none() {
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "no frame for {key:?}"
        );
        // A frame's end split between two reads is found too.
        let from = pending.len().saturating_sub(5);
        if p.read_into(Duration::from_millis(100), &mut pending) == 0 {
            continue;
        }
        let now = Instant::now();
        if !ends_frame(&pending[from..]) {
            continue;
        }
        bytes += pending.len();
        screen.process(&pending);
        pending.clear();
        if shown(&screen.screen().contents()) {
            frame_at = Some(now - t0);
        }
    }
    // The rest: the "✓ saved" frame, and nothing more for 30 ms.
    let mut quiet_since = Instant::now();
    loop {
        let b = p.read(Duration::from_millis(10));
        if b.is_empty() {
            if settled(&screen.screen().contents())
                && quiet_since.elapsed() > Duration::from_millis(30)
            {
                break;
            }
            assert!(t0.elapsed() < Duration::from_secs(10), "never settled");
            continue;
        }
        bytes += b.len();
        screen.process(&b);
        quiet_since = Instant::now();
    }
    (frame_at.unwrap(), bytes)
}

const COLS: u16 = 200;
const ROWS: u16 = 60;

/// One round on `bin`: start it, open the assessment, then `keys` moves and `keys` answers.
fn round(
    bin: &Path,
    template: &Path,
    n: usize,
    keys: usize,
    moving: &mut Samples,
    answering: &mut Samples,
) {
    // A fresh copy: the last round's answers and saves are not this round's starting point.
    let fresh = tempfile::tempdir().unwrap();
    copy_dir(template, fresh.path());
    let data = fresh.path();
    let mut cmd = std::process::Command::new(bin);
    cmd.env("SANSANG_DATA_DIR", data)
        .env("LANG", "C.UTF-8")
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR");
    let mut p = pty::Pty::spawn(&mut cmd, COLS, ROWS);
    let mut screen = vt100::Parser::new(ROWS, COLS, 0);
    let limit = Duration::from_secs(20);
    p.until(&mut screen, limit, "the home list", |s| {
        s.screen().contents().contains("Các bản đánh giá")
    });
    p.write(b"\r");
    let at = |k: usize| format!("Câu {k}/");
    p.until(&mut screen, limit, "a question", |s| {
        s.screen().contents().contains("Câu ")
    });
    std::thread::sleep(Duration::from_millis(200));
    screen.process(&p.read(Duration::from_millis(50)));
    // A build with an older questionnaire says the file's questionnaire changed: close that.
    if screen.screen().contents().contains("Thông báo") {
        p.write(b"\r");
        p.until(&mut screen, limit, "the notice closed", |s| {
            !s.screen().contents().contains("Thông báo")
        });
    }
    if !screen.screen().contents().contains(&at(n)) {
        // Resumed elsewhere (an older build may differ): go to the first question.
        for _ in 0..5 {
            p.write(b"\x1b[D");
            std::thread::sleep(Duration::from_millis(50));
            screen.process(&p.read(Duration::from_millis(50)));
        }
    }
    p.until(&mut screen, limit, "the question", |s| {
        s.screen().contents().contains(&at(n))
    });
    std::thread::sleep(Duration::from_millis(100));
    screen.process(&p.read(Duration::from_millis(50)));
    let any = |_: &str| true;
    for i in 0..keys {
        let (key, to) = if i % 2 == 0 {
            (&b"\x1b[C"[..], n + 1)
        } else {
            (&b"\x1b[D"[..], n)
        };
        let want = at(to);
        let (t, b) = one_key(&mut p, &mut screen, key, &|s| s.contains(&want), &any);
        moving.times.push(t);
        moving.bytes.push(b);
    }
    for i in 0..keys {
        let level = 1 + i % 2;
        let want = format!("(●) {level} ");
        let (t, b) = one_key(
            &mut p,
            &mut screen,
            level.to_string().as_bytes(),
            &|s| s.contains(&want),
            &|s| s.contains(&want) && s.contains("✓ Đã lưu lúc"),
        );
        answering.times.push(t);
        answering.bytes.push(b);
    }
    p.write(b"q");
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(_)) = p.child.try_wait() {
            break;
        }
        p.read(Duration::from_millis(10));
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn key_to_frame() {
    let this = std::env::var_os("SANSANG_THIS_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_sansang")));
    let base = std::env::var_os("SANSANG_BASE_BIN").map(PathBuf::from);
    let num = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let (keys, rounds) = (num("SANSANG_KEYS", 200), num("SANSANG_ROUNDS", 4));
    let (data, n) = key_bench_data();
    let mut bins = vec![("this build", this)];
    if let Some(b) = base {
        bins.insert(0, ("base", b));
    }
    // Each binary runs from a copy made here, the same way: a binary as the linker wrote it
    // (target/release) ran 7–8 % slower than a copy of the very same file in an A/A run.
    let copies = tempfile::tempdir().unwrap();
    for (i, (_, bin)) in bins.iter_mut().enumerate() {
        let to = copies.path().join(format!("sansang-{i}"));
        std::fs::copy(&*bin, &to).unwrap();
        *bin = to;
    }
    let mut results: Vec<(Samples, Samples)> = bins.iter().map(|_| Default::default()).collect();
    for r in 0..rounds {
        // Going first or second is not the same (the other's exit, its writes still being
        // flushed): the binaries take turns at it.
        let mut order: Vec<usize> = (0..bins.len()).collect();
        if r % 2 == 1 {
            order.reverse();
        }
        for i in order {
            let (m, a) = &mut results[i];
            round(&bins[i].1, data.path(), n, keys, m, a);
        }
    }
    println!(
        "\nkey to frame, whole process, {COLS}x{ROWS}, {} keys per case ({rounds} rounds × {keys}):",
        rounds * keys
    );
    println!(
        "{:<12} {:<10} {:>9} {:>9} {:>12}",
        "binary", "case", "p50 ms", "p99 ms", "bytes/key"
    );
    for ((name, _), (m, a)) in bins.iter().zip(&results) {
        for (case, s) in [("moving", m), ("answering", a)] {
            println!(
                "{:<12} {:<10} {:>9.3} {:>9.3} {:>12}",
                name,
                case,
                ms(s.quantile(0.5)),
                ms(s.quantile(0.99)),
                s.bytes_median()
            );
        }
    }
    if results.len() == 2 {
        let (bm, ba) = &results[0];
        let (tm, ta) = &results[1];
        for (case, b, t) in [("moving", bm, tm), ("answering", ba, ta)] {
            println!(
                "ratio this/base {case}: p50 ×{:.2}, p99 ×{:.2}, bytes ×{:.2}",
                ms(t.quantile(0.5)) / ms(b.quantile(0.5)),
                ms(t.quantile(0.99)) / ms(b.quantile(0.99)),
                t.bytes_median() as f64 / b.bytes_median() as f64
            );
        }
    }
}

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    // "draw" runs both draws, "draw question" (criterion's filter too) only that one.
    let wants = |name: &str| {
        filters.is_empty()
            || filters
                .iter()
                .any(|f| name.contains(f.as_str()) || f.starts_with(name))
    };
    let criterion = || {
        Criterion::default()
            .sample_size(50)
            .measurement_time(Duration::from_secs(3))
            .configure_from_args()
    };
    if wants("draw") {
        let mut c = criterion();
        draw_benches(&mut c);
        c.final_summary();
    }
    if wants("update") {
        let mut c = criterion();
        update_benches(&mut c);
        c.final_summary();
    }
    if wants("key to frame") {
        key_to_frame();
    }
}
