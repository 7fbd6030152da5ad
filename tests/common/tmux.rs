//! A program in a real pseudo-terminal, through tmux: tmux makes its own terminal (so this
//! runs in CI with no terminal attached), takes the keys we send and shows us the screen
//! (`capture-pane -p`). Every wait polls the screen until the expected text appears, with a
//! time limit, and on time out panics showing the whole screen. Each `Tmux` is a private tmux
//! server (`-L <unique socket>`), so tests run in parallel and leave nothing behind.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long any single wait may take. Generous: on a busy two-core CI machine a debug build is
/// slow, and a wait that succeeds returns as soon as the text appears.
pub const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);
/// The one tmux session (and pane) each test uses.
const TARGET: &str = "app";
/// What the wrapper shell prints when the program has ended.
pub const EXITED: &str = "[sansang exited:";

static NEXT_SOCKET: AtomicUsize = AtomicUsize::new(0);

/// A private tmux server; dropping it kills the server and with it the program, even when the
/// test failed.
pub struct Tmux {
    socket: String,
    /// Where the program's pid is written.
    pidfile: PathBuf,
    _dir: tempfile::TempDir,
}

impl Tmux {
    pub fn new(test: &str) -> Tmux {
        let n = NEXT_SOCKET.fetch_add(1, Ordering::SeqCst);
        let dir = tempfile::tempdir().unwrap();
        Tmux {
            socket: format!("sansang-e2e-{}-{n}-{test}", std::process::id()),
            pidfile: dir.path().join("app.pid"),
            _dir: dir,
        }
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            // -u: UTF-8 even if the locale says otherwise; -f /dev/null: no user configuration.
            .args(["-u", "-f", "/dev/null", "-L", &self.socket])
            .args(args)
            .env_remove("TMUX")
            .env("LANG", "C.UTF-8")
            .output()
            .expect("cannot run tmux; scripts/test installs it")
    }

    pub fn run(&self, args: &[&str]) {
        let out = self.tmux(args);
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Starts `command` in a detached `width`×`height` terminal. Run again, it restarts in the
    /// same pane (same size, screen cleared).
    ///
    /// Two shells wrap the command. The inner one writes its pid to `pidfile` and then `exec`s
    /// it, so the pid is the program's. The outer one waits for it, prints how it ended and
    /// stays (sleeping) so that line, or a crash message, can be read from the screen. Relying
    /// on tmux instead fails here (tmux 3.3a): with `remain-on-exit` the last output before a
    /// pane dies is often lost, and `#{pane_dead_status}` sometimes never arrives.
    pub fn start_command(&self, size: (u16, u16), command: &[&str]) {
        let _ = std::fs::remove_file(&self.pidfile);
        let pidfile = self.pidfile.display().to_string();
        let wrapper = [
            "sh",
            "-c",
            r#""$@"; echo "[sansang exited: $?]"; exec sleep 600"#,
            "sh",
            "sh",
            "-c",
            r#"echo $$ > "$0"; exec "$@""#,
            &pidfile,
        ];
        let argv = [&wrapper[..], command].concat();
        if self.tmux(&["has-session", "-t", TARGET]).status.success() {
            self.run(&[&["respawn-pane", "-k", "-t", TARGET][..], &argv].concat());
            // Respawning clears the screen; make sure the last run's exit line is gone.
            self.wait_until("the previous run's screen to clear", |s| {
                !s.contains(EXITED)
            });
        } else {
            let (w, h) = (size.0.to_string(), size.1.to_string());
            let new = ["new-session", "-d", "-s", TARGET, "-x", &w, "-y", &h];
            self.run(&[&new[..], &argv].concat());
            let format = "#{window_width}x#{window_height}";
            let got = self.tmux(&["display-message", "-p", "-t", TARGET, format]);
            let got = String::from_utf8_lossy(&got.stdout);
            assert_eq!(got.trim(), format!("{w}x{h}"), "terminal size");
        }
    }

    /// Starts `sansang args…` with `data` as its data folder, in a UTF-8 256-colour terminal;
    /// `env` adds `NAME=value` entries.
    pub fn start_app(&self, size: (u16, u16), data: &Path, env: &[&str], args: &[&str]) {
        let data_env = format!("SANSANG_DATA_DIR={}", data.display());
        let base = ["env", &data_env, "LANG=C.UTF-8", "TERM=xterm-256color"];
        let argv = [&base[..], env, &[env!("CARGO_BIN_EXE_sansang")], args].concat();
        self.start_command(size, &argv);
    }

    /// Resizes the terminal (the program gets SIGWINCH, or over SSH a window-change).
    pub fn resize(&self, size: (u16, u16)) {
        let (w, h) = (size.0.to_string(), size.1.to_string());
        self.run(&["resize-window", "-t", TARGET, "-x", &w, "-y", &h]);
    }
    /// The program's process id, once the wrapper has written it.
    pub fn pid(&self) -> String {
        let start = Instant::now();
        loop {
            let pid = std::fs::read_to_string(&self.pidfile).unwrap_or_default();
            if pid.ends_with('\n') {
                return pid.trim().to_string();
            }
            assert!(start.elapsed() < TIMEOUT, "no pid in {:?}", self.pidfile);
            std::thread::sleep(POLL);
        }
    }

    /// Named keys (`Enter`, `Escape`, `Right`) or single characters, in one go.
    pub fn send(&self, keys: &[&str]) {
        self.run(&[&["send-keys", "-t", TARGET][..], keys].concat());
    }

    /// Text typed as is (UTF-8 included), not as key names.
    pub fn send_literal(&self, text: &str) {
        self.run(&["send-keys", "-t", TARGET, "-l", "--", text]);
    }

    pub fn screen(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-t", TARGET]);
        if out.status.success() {
            String::from_utf8_lossy(&out.stdout).into_owned()
        } else {
            format!(
                "<no screen: {}>",
                String::from_utf8_lossy(&out.stderr).trim()
            )
        }
    }

    /// Polls the screen until `ok` holds; returns that screen.
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out after {TIMEOUT:?} waiting for {what}; the screen:\n{screen}");
            }
            std::thread::sleep(POLL);
        }
    }

    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Waits for the home screen with its list read (at start the first frame shows
    /// "Reading the list…" and the list follows), in either language.
    pub fn wait_for_home_list(&self) -> String {
        self.wait_until("the home list", |s| {
            (s.contains("Các bản đánh giá") || s.contains(" Assessments"))
                && !s.contains("Đang đọc danh sách")
                && !s.contains("Reading the list")
        })
    }

    /// Waits for the program to end; returns its exit status (128 + n for signal n).
    pub fn wait_exit(&self) -> i32 {
        let screen = self.wait_for(EXITED);
        let rest = &screen[screen.find(EXITED).unwrap() + EXITED.len()..];
        let code = rest.split(']').next().unwrap().trim();
        code.parse()
            .unwrap_or_else(|_| panic!("bad exit line {code:?} on:\n{screen}"))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}
