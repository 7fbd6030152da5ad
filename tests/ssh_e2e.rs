//! Workshop mode end to end: the real `sansang serve` on 127.0.0.1 and the real OpenSSH
//! client (`ssh`, `sftp`, `ssh-keygen`; scripts/test installs openssh-client). Interactive
//! sessions run `ssh` inside tmux, which gives it a real terminal; the refusals run `ssh`
//! directly and read what it printed. Passwords reach `ssh` through SSH_ASKPASS.

mod common;

use common::tmux::{EXITED, Tmux};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "phong-hoc-42";
const TRAINER_SECRET: &str = "thay-giao-7";
const ROOM: &str = "lop-a";

/// A running `sansang serve`; dropping it stops the server.
struct Server {
    child: Child,
    port: u16,
    data: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(extra: &[&str], env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        Self::start_in(dir, data, extra, env)
    }

    fn start_in(
        dir: tempfile::TempDir,
        data: PathBuf,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sansang"));
        cmd.arg("--data-dir")
            .arg(&data)
            .args(["serve", "--listen", "127.0.0.1:0", "--room", ROOM])
            .args(["--trainer-secret", TRAINER_SECRET])
            .args(extra)
            .env_remove("SANSANG_ROOM_PASSWORD")
            .env_remove("SANSANG_TRAINER_SECRET")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        // The server prints the join instructions; the port is on the "listening on" line.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut port = None;
        let mut seen = String::new();
        for line in lines.by_ref() {
            let line = line.unwrap();
            seen.push_str(&line);
            seen.push('\n');
            if let Some(rest) = line.split("listening on 127.0.0.1:").nth(1) {
                port = rest.trim().parse().ok();
            }
            if line.starts_with("Dừng / stop") {
                break;
            }
        }
        let port = port.unwrap_or_else(|| panic!("no port in the server's output:\n{seen}"));
        assert!(seen.contains("SHA256:"), "fingerprint printed:\n{seen}");
        assert!(
            seen.contains(&format!("ssh -p {port} <tên>@127.0.0.1")),
            "join command printed:\n{seen}"
        );
        // Keep reading stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            child,
            port,
            data,
            _dir: dir,
        }
    }

    fn room(&self) -> PathBuf {
        self.data.join("rooms").join(ROOM)
    }

    fn file_of(&self, name: &str) -> Value {
        let path = self.room().join(format!("{name}.json"));
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
    }

    /// Options for a scripted `ssh`: no config, no host-key prompts, password from askpass.
    fn ssh_options(&self) -> Vec<String> {
        [
            "-F",
            "/dev/null",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "NumberOfPasswordPrompts=1",
            "-o",
            "ConnectTimeout=10",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain(["-p".to_string(), self.port.to_string()])
        .collect()
    }

    /// `ssh` (or `sftp`) run to completion with `password`, output captured.
    fn run_ssh(&self, program: &str, password: &str, args: &[&str]) -> Output {
        let askpass = askpass(&self.data, password);
        let mut opts = self.ssh_options();
        if program == "sftp" {
            // sftp spells the port option -P.
            let i = opts.iter().position(|o| o == "-p").unwrap();
            opts[i] = "-P".into();
        }
        Command::new("timeout")
            .arg("30")
            .arg(program)
            .args(&opts)
            .args(["-o", "PubkeyAuthentication=no"])
            .args(args)
            .env("SSH_ASKPASS", askpass)
            .env("SSH_ASKPASS_REQUIRE", "force")
            .stdin(Stdio::null())
            .output()
            .expect("cannot run ssh; scripts/test installs openssh-client")
    }

    /// The command that opens an interactive session as `user` (to run in tmux).
    fn ssh_command(&self, user: &str, password: &str) -> Vec<String> {
        let askpass = askpass(&self.data, password);
        let mut argv: Vec<String> = vec![
            "env".into(),
            format!("SSH_ASKPASS={}", askpass.display()),
            "SSH_ASKPASS_REQUIRE=force".into(),
            "TERM=xterm-256color".into(),
            "ssh".into(),
        ];
        argv.extend(self.ssh_options());
        argv.extend(["-o".into(), "PubkeyAuthentication=no".into()]);
        argv.push(format!("{user}@127.0.0.1"));
        argv
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A script that prints `password`, for SSH_ASKPASS.
fn askpass(dir: &Path, password: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(format!("askpass-{password}.sh"));
    std::fs::write(&path, format!("#!/bin/sh\necho '{password}'\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

fn open_session(t: &Tmux, server: &Server, user: &str, password: &str, size: (u16, u16)) {
    let argv = server.ssh_command(user, password);
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    t.start_command(size, &argv);
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Waits until `ok` holds for the value read by `read`, or panics after 10 s.
fn eventually<T: std::fmt::Debug>(what: &str, read: impl Fn() -> T, ok: impl Fn(&T) -> bool) {
    let start = Instant::now();
    loop {
        let v = read();
        if ok(&v) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}; last: {v:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Polls `t`'s screen until `ok` holds, for at most `limit` (the issue's promise, e.g. "the
/// wizard within 5 s"); panics with the screen otherwise.
fn within(t: &Tmux, limit: Duration, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let screen = t.screen();
        if ok(&screen) {
            return screen;
        }
        assert!(
            start.elapsed() < limit,
            "not within {limit:?}: {what}; the screen:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The pane has left the alternate screen and shows its cursor again.
fn assert_terminal_restored(t: &Tmux) {
    let out = t.tmux(&[
        "display-message",
        "-p",
        "-t",
        "app",
        "#{alternate_on} #{cursor_flag}",
    ]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0 1");
}

fn answers(v: &Value) -> Vec<(String, Value)> {
    v["answers"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, a)| (k.clone(), a["response"]["level"].clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// Fills the workshop profile (name, type) and reaches the first question.
fn fill_profile(t: &Tmux, org: &str) {
    t.wait_for("Thông tin tổ chức");
    t.send_literal(org);
    t.send(&["Enter"]);
    // Organisation type: the first option, then on to the start button.
    t.send(&["Right"]);
    t.wait_for("Bộ, cơ quan");
    t.send(&["Down", "Down", "Enter"]);
    t.wait_for("Câu 1/");
}

#[test]
fn participant_answers_drops_and_resumes_where_they_were() {
    let server = Server::start(&["--password", PASSWORD], &[]);
    let t = Tmux::new("ssh-resume");
    // A mixed-case name: the file name is its lower-case form.
    open_session(&t, &server, "Lan.Tran", PASSWORD, (100, 30));
    fill_profile(&t, "Sở Tư pháp");
    t.send(&["3"]);
    t.wait_for("✓ Đã lưu lúc");
    t.send(&["Right"]);
    t.wait_for("Câu 2/");
    t.send(&["2"]);
    eventually(
        "two answers on disk",
        || answers(&server.file_of("lan.tran")),
        |a| a.len() == 2,
    );
    let saved = server.file_of("lan.tran");
    assert_eq!(saved["profile"]["org_name"], "Sở Tư pháp");
    assert_eq!(answers(&saved)[0].1, 3);
    assert_eq!(answers(&saved)[1].1, 2);

    // The laptop drops off the network: the ssh process dies without a goodbye.
    let pid = t.pid();
    Command::new("kill").args(["-9", &pid]).status().unwrap();
    t.wait_for(EXITED);

    // Same name again: the same file, at the first unanswered question.
    open_session(&t, &server, "lan.tran", PASSWORD, (100, 30));
    t.wait_for("Câu 3/");
    assert_eq!(answers(&server.file_of("lan.tran")).len(), 2);

    // The window grows: the server redraws at the new size (the header now has room for
    // the organisation's whole name).
    t.resize((140, 40));
    t.wait_until("a 140-column header", |s| {
        s.lines().next().is_some_and(|l| {
            l.contains("Sở Tư pháp") && l.trim_end().ends_with("VI") && l.chars().count() > 120
        })
    });

    // Ctrl-C ends the session cleanly, with a last line, and the terminal is restored.
    t.send(&["C-c"]);
    let screen = t.wait_for(EXITED);
    assert!(screen.contains("Every answer is saved"), "{screen}");
    // And how to take their own report home (the one exec command they may run).
    assert!(
        screen.contains(&format!(
            "ssh -p {} lan.tran@127.0.0.1 report > lan.tran.html",
            server.port
        )),
        "{screen}"
    );
    assert_eq!(t.wait_exit(), 0);
    let files: Vec<_> = std::fs::read_dir(server.room())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    assert_eq!(files, vec!["lan.tran.json"]);
}

#[test]
fn trainer_sees_the_room_update_live_and_exports_it() {
    let server = Server::start(&["--password", PASSWORD], &[]);
    let trainer = Tmux::new("ssh-trainer");
    open_session(&trainer, &server, "trainer", TRAINER_SECRET, (110, 30));
    trainer.wait_for("Chưa có ai vào phòng");

    let p = Tmux::new("ssh-participant");
    open_session(&p, &server, "minh", PASSWORD, (100, 30));
    // Joining shows up (online marker) before any answer.
    trainer.wait_until("minh online", |s| s.contains("● minh"));
    fill_profile(&p, "Công ty Minh");
    p.send(&["4"]);
    p.wait_for("✓ Đã lưu lúc");
    trainer.wait_until("minh's first answer and a score", |s| {
        s.contains("có điểm: 1") && s.lines().any(|l| l.contains("minh") && l.contains(" 1/"))
    });
    p.send(&["Right"]);
    p.wait_for("Câu 2/");
    p.send(&["0"]);
    trainer.wait_until("minh's second answer", |s| {
        s.lines().any(|l| l.contains("minh") && l.contains(" 2/"))
    });
    // Switch the distribution to security layers.
    trainer.send(&["Tab", "Tab"]);
    trainer.wait_for("Phân bố theo lớp");

    // Export the room report.
    trainer.send(&["p"]);
    let screen = trainer.wait_for("Đã ghi báo cáo phòng");
    let reports: Vec<PathBuf> = std::fs::read_dir(server.data.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let html = reports
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "html"))
        .unwrap_or_else(|| panic!("no HTML report in {reports:?}; screen:\n{screen}"));
    let body = std::fs::read_to_string(html).unwrap();
    assert!(
        body.contains("Công ty Minh"),
        "room report names the participant"
    );
    assert!(
        reports
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "csv"))
    );

    // The participant leaves: the trainer sees them offline.
    p.send(&["C-c"]);
    p.wait_for(EXITED);
    trainer.wait_until("minh offline", |s| s.contains("○ minh"));
}

#[test]
fn refused_wrong_password_exec_sftp_forwarding_no_pty_and_bad_names() {
    let server = Server::start(&["--password", PASSWORD], &[]);
    let host = "an@127.0.0.1";

    let o = server.run_ssh("ssh", "sai-mat-khau", &["-tt", host]);
    assert_eq!(o.status.code(), Some(255), "{}", text(&o));
    assert!(text(&o).contains("Permission denied"), "{}", text(&o));
    // The trainer secret is not a participant password, and vice versa.
    let o = server.run_ssh("ssh", TRAINER_SECRET, &["-tt", host]);
    assert!(text(&o).contains("Permission denied"), "{}", text(&o));
    let o = server.run_ssh("ssh", PASSWORD, &["-tt", "trainer@127.0.0.1"]);
    assert!(text(&o).contains("Permission denied"), "{}", text(&o));

    let o = server.run_ssh("ssh", PASSWORD, &[host, "cat", "/etc/passwd"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(text(&o).contains("exec request failed"), "{}", text(&o));
    assert!(!text(&o).contains("root:"), "{}", text(&o));

    // Not `-b`: batch mode would turn password prompts off.
    let o = server.run_ssh("sftp", PASSWORD, &[host]);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        text(&o).contains("subsystem request failed"),
        "{}",
        text(&o)
    );

    let o = server.run_ssh("ssh", PASSWORD, &["-T", host]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("needs a terminal (PTY)"), "{}", text(&o));

    for name in ["../evil", "..", "a/b"] {
        let o = server.run_ssh("ssh", PASSWORD, &["-tt", &format!("{name}@127.0.0.1")]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", text(&o));
        assert!(text(&o).contains("Invalid name"), "{name}: {}", text(&o));
    }
    // Nothing was created for them, inside the room or next to it.
    let room_files = std::fs::read_dir(server.room()).unwrap().count();
    assert_eq!(room_files, 0);
    assert!(!server.data.join("rooms").join("evil.json").exists());
    assert!(!server.data.join("evil.json").exists());

    // Local port forwarding: the tunnel opens locally, the server refuses the channel.
    let local = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let lport = local.local_addr().unwrap().port();
    drop(local);
    let askpass = askpass(&server.data, PASSWORD);
    let mut fwd = Command::new("ssh")
        .args(server.ssh_options())
        .args(["-o", "PubkeyAuthentication=no", "-N", "-L"])
        .arg(format!("127.0.0.1:{lport}:127.0.0.1:{}", server.port))
        .arg(host)
        .env("SSH_ASKPASS", askpass)
        .env("SSH_ASKPASS_REQUIRE", "force")
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut tunnel = None;
    let start = Instant::now();
    while tunnel.is_none() && start.elapsed() < Duration::from_secs(10) {
        tunnel = std::net::TcpStream::connect(("127.0.0.1", lport)).ok();
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut tunnel = tunnel.expect("ssh -L listens locally");
    tunnel
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buf = [0u8; 64];
    // Nothing comes through: no SSH banner from the forwarded port, just the close.
    let n = std::io::Read::read(&mut tunnel, &mut buf).unwrap_or(0);
    assert_eq!(n, 0, "data through a refused tunnel: {:?}", &buf[..n]);
    let _ = fwd.kill();
    let out = fwd.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("administratively prohibited"), "{err}");
}

#[test]
fn public_key_login_from_an_authorized_keys_file() {
    let dir = tempfile::tempdir().unwrap();
    let keygen = |name: &str| {
        let path = dir.path().join(name);
        let ok = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
            .arg(&path)
            .status()
            .unwrap()
            .success();
        assert!(ok, "ssh-keygen");
        path
    };
    let good = keygen("good");
    let bad = keygen("bad");
    let keys = dir.path().join("authorized_keys");
    std::fs::copy(good.with_extension("pub"), &keys).unwrap();
    let data = dir.path().join("data");
    let server = Server::start_in(
        dir,
        data,
        &["--authorized-keys", keys.to_str().unwrap()],
        &[],
    );
    let with_key = |key: &Path, args: &[&str]| {
        Command::new("timeout")
            .arg("30")
            .arg("ssh")
            .args(server.ssh_options())
            .args([
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "PasswordAuthentication=no",
            ])
            .arg("-i")
            .arg(key)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    // The wrong key is refused; the right one gets in (here without a PTY, so it gets the
    // one-line explanation, which proves the login succeeded).
    let o = with_key(&bad, &["-T", "hoa@127.0.0.1"]);
    assert!(text(&o).contains("Permission denied"), "{}", text(&o));
    let o = with_key(&good, &["-T", "hoa@127.0.0.1"]);
    assert!(text(&o).contains("needs a terminal"), "{}", text(&o));
    // Keys only: no password was set, so none is accepted.
    let o = server.run_ssh("ssh", "anything", &["-tt", "hoa@127.0.0.1"]);
    assert!(text(&o).contains("Permission denied"), "{}", text(&o));
}

#[test]
fn a_panic_ends_one_session_only() {
    let server = Server::start(
        &["--password", PASSWORD],
        &[("SANSANG_TEST_SESSION_PANIC", "boom")],
    );
    let o = server.run_ssh("ssh", PASSWORD, &["-tt", "boom@127.0.0.1"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("internal error"), "{}", text(&o));
    let log = std::fs::read_to_string(server.data.join("sansang.log")).unwrap();
    assert!(log.contains("panic in session of boom"), "{log}");
    // The server goes on serving others.
    let t = Tmux::new("ssh-after-panic");
    open_session(&t, &server, "ok", PASSWORD, (100, 30));
    t.wait_for("Thông tin tổ chức");
}

#[test]
fn listening_beyond_loopback_needs_public() {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_sansang"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--listen", "0.0.0.0:0", "--password", "x"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("--public"), "{}", text(&o));
}

#[test]
fn local_dashboard_runs_beside_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // A free port for the server (the dashboard hides its printed output).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let bin = env!("CARGO_BIN_EXE_sansang");
    let data_arg = data.display().to_string();
    let t = Tmux::new("ssh-dashboard");
    t.start_command(
        (110, 30),
        &[
            "env",
            "LANG=C.UTF-8",
            "TERM=xterm-256color",
            bin,
            "--data-dir",
            &data_arg,
            "serve",
            "--listen",
            &listen,
            "--room",
            ROOM,
            "--password",
            PASSWORD,
            "--dashboard",
        ],
    );
    // The join command is on the dashboard itself.
    t.wait_for(&format!(
        "ssh -p {port} <tên/name>@127.0.0.1 · mật khẩu / password: {PASSWORD}"
    ));
    t.wait_for("Chưa có ai vào phòng");
    let server = Server {
        child: Command::new("true").spawn().unwrap(),
        port,
        data: data.clone(),
        _dir: tempfile::tempdir().unwrap(),
    };
    let p = Tmux::new("ssh-dashboard-participant");
    open_session(&p, &server, "thu", PASSWORD, (100, 30));
    p.wait_for("Thông tin tổ chức");
    t.wait_for("● thu");
    // Leaving the dashboard would stop the server for the room: it asks first, saying how
    // many are connected; any key but yes keeps it running.
    t.send(&["q"]);
    t.wait_for("Dừng máy chủ cho cả phòng? 1 người đang kết nối");
    t.send(&["n"]);
    t.wait_for("Đã hủy");
    t.send(&["q"]);
    t.wait_for("Dừng máy chủ cho cả phòng?");
    t.send(&["c"]);
    assert_eq!(t.wait_exit(), 0);
    // The participant gets a goodbye, on the main screen, with the cursor shown.
    let screen = p.wait_for(EXITED);
    assert!(
        screen.contains("The trainer stopped the server"),
        "{screen}"
    );
    assert_terminal_restored(&p);
}

#[test]
fn silent_and_banner_only_connections_cannot_lock_the_room_out() {
    let server = Server::start(&["--password", PASSWORD, "--login-timeout", "3"], &[]);
    // 300 sockets that never send a byte, and 20 that send only an SSH banner.
    let addr = ("127.0.0.1", server.port);
    let silent: Vec<std::net::TcpStream> = (0..300)
        .map(|_| std::net::TcpStream::connect(addr).unwrap())
        .collect();
    let banner: Vec<std::net::TcpStream> = (0..20)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(addr).unwrap();
            std::io::Write::write_all(&mut s, b"SSH-2.0-flood\r\n").unwrap();
            s
        })
        .collect();
    // A participant and the trainer still get in, and see their screens within 5 s.
    let p = Tmux::new("ssh-flood-participant");
    open_session(&p, &server, "an", PASSWORD, (100, 30));
    within(&p, Duration::from_secs(5), "the wizard", |s| {
        s.contains("Thông tin tổ chức")
    });
    let trainer = Tmux::new("ssh-flood-trainer");
    open_session(&trainer, &server, "trainer", TRAINER_SECRET, (110, 30));
    within(&trainer, Duration::from_secs(5), "the dashboard", |s| {
        s.contains("● an")
    });
    // The banner-only ones are dropped at the login deadline (counted from the accept):
    // reading them ends (EOF or reset) instead of hanging.
    for mut s in banner {
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        let mut buf = [0u8; 4096];
        let start = Instant::now();
        loop {
            match std::io::Read::read(&mut s, &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
        assert!(start.elapsed() < Duration::from_secs(15), "still open");
    }
    // Past the cap on connections waiting to log in (512 per address): the stalest silent
    // ones are dropped for newcomers, so another participant still gets in.
    let more: Vec<std::net::TcpStream> = (0..600)
        .filter_map(|_| std::net::TcpStream::connect(addr).ok())
        .collect();
    let q = Tmux::new("ssh-flood-second");
    open_session(&q, &server, "binh", PASSWORD, (100, 30));
    within(&q, Duration::from_secs(5), "the wizard past the cap", |s| {
        s.contains("Thông tin tổ chức")
    });
    drop(silent);
    drop(more);
    // The session survived the flood.
    p.send_literal("Sở Nội vụ");
    p.wait_for("Sở Nội vụ");
}

#[test]
fn a_reconnect_takes_over_at_once_from_a_live_or_frozen_session() {
    let server = Server::start(&["--password", PASSWORD], &[]);
    let old = Tmux::new("ssh-take-old");
    open_session(&old, &server, "hoa", PASSWORD, (100, 30));
    fill_profile(&old, "Sở Y tế");
    old.send(&["3"]);
    old.wait_for("✓ Đã lưu lúc");
    eventually(
        "one answer on disk",
        || answers(&server.file_of("hoa")),
        |a| a.len() == 1,
    );
    // The old session sits idle; the same name connects from elsewhere.
    let new = Tmux::new("ssh-take-new");
    open_session(&new, &server, "hoa", PASSWORD, (100, 30));
    within(&new, Duration::from_secs(2), "resumed at question 2", |s| {
        s.contains("Câu 2/")
    });
    // The old one was told and closed without waiting for a key.
    let screen = within(
        &old,
        Duration::from_secs(2),
        "the old session closed",
        |s| s.contains(EXITED),
    );
    assert!(screen.contains("connected from elsewhere"), "{screen}");
    assert_terminal_restored(&old);
    new.send(&["2"]);
    eventually(
        "the second answer saved by the new session",
        || answers(&server.file_of("hoa")),
        |a| a.len() == 2,
    );

    // A frozen link (the laptop's ssh stopped: it reads nothing, answers nothing).
    let pid = new.pid();
    Command::new("kill").args(["-STOP", &pid]).status().unwrap();
    let third = Tmux::new("ssh-take-third");
    open_session(&third, &server, "hoa", PASSWORD, (100, 30));
    within(
        &third,
        Duration::from_secs(2),
        "resumed at question 3",
        |s| s.contains("Câu 3/") && !s.contains("pid"),
    );
    third.send(&["1"]);
    eventually(
        "the third answer saved",
        || answers(&server.file_of("hoa")),
        |a| a.len() == 3,
    );
    Command::new("kill").args(["-KILL", &pid]).status().unwrap();
}

#[test]
fn seventy_wrong_passwords_then_the_right_one_gets_in() {
    let server = Server::start(&["--password", PASSWORD], &[]);
    // 35 connections × 2 wrong tries, half for the trainer, half for a participant, all
    // from the one address a room shares behind NAT.
    let wrong = askpass(&server.data, "sai-mat-khau");
    let tries: Vec<Child> = (0..35)
        .map(|i| {
            let user = if i % 2 == 0 { "trainer" } else { "an" };
            Command::new("timeout")
                .arg("60")
                .arg("ssh")
                .args([
                    "-F",
                    "/dev/null",
                    "-o",
                    "StrictHostKeyChecking=no",
                    "-o",
                    "UserKnownHostsFile=/dev/null",
                    "-o",
                    "NumberOfPasswordPrompts=2",
                    "-o",
                    "PubkeyAuthentication=no",
                    "-p",
                    &server.port.to_string(),
                    "-T",
                ])
                .arg(format!("{user}@127.0.0.1"))
                .env("SSH_ASKPASS", &wrong)
                .env("SSH_ASKPASS_REQUIRE", "force")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut denied = 0;
    for c in tries {
        let out = c.wait_with_output().unwrap();
        if String::from_utf8_lossy(&out.stderr).contains("Permission denied") {
            denied += 1;
        }
    }
    assert_eq!(denied, 35);
    // The right secrets are accepted (no terminal here: the one-line answer proves the login).
    let o = server.run_ssh("ssh", TRAINER_SECRET, &["-T", "trainer@127.0.0.1"]);
    assert!(text(&o).contains("needs a terminal"), "{}", text(&o));
    let o = server.run_ssh("ssh", PASSWORD, &["-T", "an@127.0.0.1"]);
    assert!(text(&o).contains("needs a terminal"), "{}", text(&o));
    // A participant whose name was not under attack is never slowed at all.
    let o = server.run_ssh("ssh", PASSWORD, &["-T", "binh@127.0.0.1"]);
    assert!(text(&o).contains("needs a terminal"), "{}", text(&o));
}

#[test]
fn reports_over_ssh_without_a_shell() {
    let server = Server::start(&["--password", PASSWORD], &[]);
    let p = Tmux::new("ssh-report-participant");
    open_session(&p, &server, "lan", PASSWORD, (100, 30));
    fill_profile(&p, "Sở Công Thương");
    p.send(&["3"]);
    p.wait_for("✓ Đã lưu lúc");
    eventually(
        "an answer on disk",
        || answers(&server.file_of("lan")),
        |a| a.len() == 1,
    );

    // The trainer: the room report, in each format, on stdout.
    let room = |args: &[&str]| {
        let mut a = vec!["trainer@127.0.0.1"];
        a.extend_from_slice(args);
        server.run_ssh("ssh", TRAINER_SECRET, &a)
    };
    let o = room(&["report"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let html = String::from_utf8_lossy(&o.stdout);
    assert!(
        html.contains("<html") && html.contains("Sở Công Thương"),
        "{html}"
    );
    let o = room(&["report", "--format", "json"]);
    let doc: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(doc["respondents"], 1);
    let o = room(&["report", "--format", "csv"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("Sở Công Thương"));
    let o = room(&["report", "--format=md"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Excel for the trainer: a real workbook (a zip) with the respondents sheet.
    let o = room(&["report", "--format", "xlsx"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(o.stdout.starts_with(b"PK"), "an xlsx is a zip file");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(o.stdout.clone())).unwrap();
    use calamine::Reader;
    assert!(book.sheet_names().len() >= 3, "{:?}", book.sheet_names());
    assert!(book.worksheet_range_at(0).is_some());

    // A participant: their own report, HTML or Markdown.
    let own = |user: &str, args: &[&str]| {
        let host = format!("{user}@127.0.0.1");
        let mut a = vec![host.as_str()];
        a.extend_from_slice(args);
        server.run_ssh("ssh", PASSWORD, &a)
    };
    let o = own("lan", &["report", "--format", "md"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Sở Công Thương"));
    let o = own("lan", &["report"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("<html"));
    // Someone with no answers yet is told so.
    let o = own("moi", &["report"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("No answers to report yet"),
        "{}",
        text(&o)
    );

    // Nothing else: other formats for participants, arguments, paths, other commands.
    for args in [
        &["report", "--format", "csv"][..],
        &["report", "/etc/passwd"],
        &["report", "--format", "html", "-o", "/tmp/x"],
        &["ls"],
        &["sh", "-c", "report"],
    ] {
        let o = own("lan", args);
        assert_ne!(o.status.code(), Some(0), "{args:?}: {}", text(&o));
        assert!(
            text(&o).contains("exec request failed"),
            "{args:?}: {}",
            text(&o)
        );
    }
    let o = room(&["report", "--format", "pdf"]);
    assert!(text(&o).contains("exec request failed"), "{}", text(&o));
    let o = server.run_ssh("sftp", TRAINER_SECRET, &["trainer@127.0.0.1"]);
    assert!(
        text(&o).contains("subsystem request failed"),
        "{}",
        text(&o)
    );
}

#[test]
fn sigterm_says_goodbye_to_every_client() {
    let mut server = Server::start(&["--password", PASSWORD], &[]);
    let p = Tmux::new("ssh-stop-participant");
    open_session(&p, &server, "son", PASSWORD, (100, 30));
    fill_profile(&p, "Sở Xây dựng");
    let trainer = Tmux::new("ssh-stop-trainer");
    open_session(&trainer, &server, "trainer", TRAINER_SECRET, (110, 30));
    trainer.wait_for("● son");
    Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    for t in [&p, &trainer] {
        let screen = t.wait_for(EXITED);
        assert!(screen.contains("Every answer is saved"), "{screen}");
        assert_terminal_restored(t);
    }
    assert!(server.child.wait().unwrap().success());
    assert_eq!(server.file_of("son")["profile"]["org_name"], "Sở Xây dựng");
}

#[test]
fn join_codes_bind_to_the_first_name() {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sansang"));
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // The codes are printed; read them from the instructions.
    let out = cmd
        .arg("--data-dir")
        .arg(&data)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--room",
            ROOM,
            "--codes",
            "2",
        ])
        .args(["--password", PASSWORD, "--trainer-secret", TRAINER_SECRET])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = out;
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut port = 0u16;
    let mut codes = Vec::new();
    let mut in_codes = false;
    let mut printed = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        printed.push_str(&line);
        printed.push('\n');
        if let Some(rest) = line.split("listening on 127.0.0.1:").nth(1) {
            port = rest.trim().parse().unwrap();
        }
        if line.starts_with("Mã tham gia") {
            in_codes = true;
            continue;
        }
        if in_codes {
            match line.trim() {
                "" => in_codes = false,
                c => codes.push(c.to_string()),
            }
        }
        if line.starts_with("Dừng / stop") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    assert_eq!(codes.len(), 2, "{printed}");
    // The join line carries the fingerprint; the trainer's secret comes after, apart.
    let join = printed.find("ssh -p").unwrap();
    let fp = printed.find("SHA256:").unwrap();
    let secret = printed.find(TRAINER_SECRET).unwrap();
    let apart = printed.find("do not project").unwrap();
    assert!(join < fp && fp < apart && apart < secret, "{printed}");
    let server = Server {
        child,
        port,
        data,
        _dir: dir,
    };
    let login = |user: &str, secret: &str| {
        text(&server.run_ssh("ssh", secret, &["-T", &format!("{user}@127.0.0.1")]))
    };
    // The shared room password no longer opens anyone's answers.
    assert!(login("an", PASSWORD).contains("Permission denied"));
    assert!(login("an", &codes[0]).contains("needs a terminal"));
    assert!(login("An", &codes[0]).contains("needs a terminal"));
    // Bound: not for another name; and an's name does not take a second code.
    assert!(login("binh", &codes[0]).contains("Permission denied"));
    assert!(login("an", &codes[1]).contains("Permission denied"));
    assert!(login("binh", &codes[1]).contains("needs a terminal"));
    assert!(login("trainer", TRAINER_SECRET).contains("needs a terminal"));
}

#[test]
fn trainer_broadcasts_and_removes_a_connected_participant() {
    let server = Server::start(&["--password", PASSWORD], &[]);
    let p = Tmux::new("ssh-tools-participant");
    open_session(&p, &server, "vy", PASSWORD, (100, 30));
    fill_profile(&p, "Sở Tài chính");
    let trainer = Tmux::new("ssh-tools-trainer");
    open_session(&trainer, &server, "trainer", TRAINER_SECRET, (110, 30));
    trainer.wait_for("● vy");
    // A line for everyone, on every participant's screen at once.
    trainer.send(&["b"]);
    trainer.send_literal("Còn 5 phút");
    trainer.send(&["Enter"]);
    trainer.wait_for("Đã gửi cho mọi người");
    p.wait_for("» Còn 5 phút");
    // Remove: asks, then ends the session with a line and archives the file.
    trainer.send(&["x"]);
    trainer.wait_for("Đưa \"vy\" ra khỏi phòng");
    trainer.send(&["c"]);
    trainer.wait_for("Đã chuyển vào lưu trữ");
    let screen = p.wait_for(EXITED);
    assert!(
        screen.contains("removed this name from the room"),
        "{screen}"
    );
    assert!(!server.room().join("vy.json").exists());
    let archived: Vec<_> = std::fs::read_dir(server.room().join("archive"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(archived.len(), 1, "{archived:?}");
    assert!(archived[0].starts_with("vy-"), "{archived:?}");
    // Locked to new names: a new name is refused with a line; nobody was lost.
    trainer.send(&["o"]);
    trainer.wait_for("Phòng đã khóa với tên mới");
    let o = server.run_ssh("ssh", PASSWORD, &["-tt", "moi@127.0.0.1"]);
    assert!(text(&o).contains("closed to new names"), "{}", text(&o));
}

#[test]
fn a_full_room_still_lets_the_trainer_in() {
    let server = Server::start(&["--password", PASSWORD, "--max-sessions", "1"], &[]);
    let p = Tmux::new("ssh-full-participant");
    open_session(&p, &server, "an", PASSWORD, (100, 30));
    p.wait_for("Thông tin tổ chức");
    let o = server.run_ssh("ssh", PASSWORD, &["-tt", "binh@127.0.0.1"]);
    assert!(text(&o).contains("The room is full (1)"), "{}", text(&o));
    let trainer = Tmux::new("ssh-full-trainer");
    open_session(&trainer, &server, "trainer", TRAINER_SECRET, (110, 30));
    trainer.wait_for("● an");
}

/// `ssh` with `input` on its standard input (plain line mode reads lines), output captured.
fn ssh_with_input(server: &Server, term: &str, args: &[&str], input: &str) -> Output {
    let mut cmd = Command::new("timeout");
    cmd.arg("30")
        .arg("ssh")
        .args(server.ssh_options())
        .args(["-o", "PubkeyAuthentication=no", "-o", "LogLevel=ERROR"])
        .args(args)
        .env("SSH_ASKPASS", askpass(&server.data, PASSWORD))
        .env("SSH_ASKPASS_REQUIRE", "force")
        .env("TERM", term);
    common::output_with_input(&mut cmd, input)
}

/// Plain line mode's output: no escape character, no control character but CR and LF.
fn assert_plain_output(o: &Output) {
    for b in &o.stdout {
        assert!(
            *b >= 0x20 || *b == b'\n' || *b == b'\r',
            "control byte {b:#04x} in:\n{}",
            text(o)
        );
    }
}

#[test]
fn a_dumb_terminal_gets_plain_mode_in_the_same_room_and_file() {
    let server = Server::start(&["--password", PASSWORD], &[]);
    // Lan starts in the full-screen wizard...
    let t = Tmux::new("ssh-plain-dumb");
    open_session(&t, &server, "lan", PASSWORD, (100, 30));
    fill_profile(&t, "Sở Y tế");
    t.send(&["3"]);
    eventually(
        "the first answer on disk",
        || answers(&server.file_of("lan")),
        |a| a.len() == 1,
    );
    t.send(&["C-c"]);
    t.wait_for(EXITED);
    // ...and comes back with a screen reader, in a dumb terminal: plain lines, the same file,
    // at the first unanswered question.
    let argv: Vec<String> = server
        .ssh_command("lan", PASSWORD)
        .into_iter()
        .map(|a| {
            if a.starts_with("TERM=") {
                "TERM=dumb".into()
            } else {
                a
            }
        })
        .collect();
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    t.start_command((80, 24), &argv);
    t.wait_for("chế độ dòng lệnh đơn giản vì TERM=dumb");
    t.wait_for("Câu 2/19, ws.2.");
    t.wait_for("Mức 0 đến 4:");
    t.send_literal("2");
    t.send(&["Enter"]);
    t.wait_for("Đã lưu ws.2.");
    eventually(
        "the second answer in the same file",
        || answers(&server.file_of("lan")),
        |a| a.len() == 2,
    );
    // Typing is echoed and can be corrected (Backspace), as in a shell.
    t.send_literal("kết quảx");
    t.send(&["BSpace", "Enter"]);
    t.wait_for("Mức sẵn sàng: ");
    t.send_literal("thoát");
    t.send(&["Enter"]);
    let screen = t.wait_for(EXITED);
    assert!(screen.contains("Every answer is saved"), "{screen}");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn ssh_plain_with_or_without_a_terminal_and_only_for_participants() {
    let server = Server::start(&["--password", PASSWORD], &[]);
    // `ssh -t host plain` (forced here: standard input is a pipe): the server echoes and edits.
    let o = ssh_with_input(
        &server,
        "xterm-256color",
        &["-tt", "mai@127.0.0.1", "plain"],
        "Mai\r1\r\r3\rthoát\r",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_plain_output(&o);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Câu 1/19, ws.1."), "{out}");
    assert!(!out.contains("TERM=dumb"), "asked for, not detected: {out}");
    assert_eq!(
        answers(&server.file_of("mai")),
        vec![("ws.1".into(), 3.into())]
    );
    // Without a terminal the client's own terminal echoes; the end of input saves and leaves.
    let o = ssh_with_input(
        &server,
        "xterm",
        &["-T", "minh@127.0.0.1", "plain"],
        "Minh\n2\n\n4\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_plain_output(&o);
    assert!(String::from_utf8_lossy(&o.stdout).contains("Đã lưu ws.1."));
    assert_eq!(
        answers(&server.file_of("minh")),
        vec![("ws.1".into(), 4.into())]
    );
    // The trainer's dashboard has no plain form: refused like any other command.
    let o = server.run_ssh("ssh", TRAINER_SECRET, &["trainer@127.0.0.1", "plain"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(text(&o).contains("exec request failed"), "{}", text(&o));
}

#[test]
fn a_plain_participant_hears_the_trainer_and_is_removed_cleanly() {
    let server = Server::start(&["--password", PASSWORD], &[]);
    let p = Tmux::new("ssh-plain-trainer");
    let argv = server.ssh_command("mai", PASSWORD);
    let mut argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    argv.push("plain");
    p.start_command((80, 24), &argv);
    for line in ["Mai", "1", ""] {
        p.wait_until("a prompt", |s| s.trim_end().ends_with(':'));
        p.send_literal(line);
        p.send(&["Enter"]);
    }
    p.wait_for("Câu 1/19, ws.1.");
    let trainer = Tmux::new("ssh-plain-trainer-t");
    open_session(&trainer, &server, "trainer", TRAINER_SECRET, (110, 30));
    trainer.wait_for("● mai");
    trainer.send(&["b"]);
    trainer.send_literal("Còn 5 phút");
    trainer.send(&["Enter"]);
    trainer.wait_for("Đã gửi cho mọi người");
    // The trainer's line, once, as a line of its own.
    p.wait_for("Người hướng dẫn / trainer: Còn 5 phút");
    trainer.send(&["x"]);
    trainer.wait_for("Đưa \"mai\" ra khỏi phòng");
    trainer.send(&["c"]);
    let screen = p.wait_for(EXITED);
    assert!(
        screen.contains("removed this name from the room"),
        "{screen}"
    );
}
