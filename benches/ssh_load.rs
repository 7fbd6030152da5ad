//! SSH workshop load benchmark: N participants (default 200) on 127.0.0.1, each typing one key
//! every 300 ms for 60 s into the first field of the profile form (alternately `a` and
//! Backspace, so every key changes the screen and nothing is saved). Reports the time from a
//! key sent to the first screen update received (p50 / p99 / max, timeouts = no update within
//! 2 s) and the server's memory per session (VmRSS idle vs. mid-run). A 1-client baseline runs
//! first, each run against its own fresh server, and the ratios load/baseline are printed.
//!
//! `cargo bench --bench ssh_load` builds the `sansang` binary (release) and runs everything
//! in temporary folders. Environment:
//! - `SANSANG_BENCH_CLIENTS` — participants in the load run (default 200);
//! - `SANSANG_BENCH_SECS` — length of the load run in seconds (default 60);
//! - `SANSANG_BENCH_BASELINE_SECS` — length of the 1-client baseline (default 10).
//!
//! Server and clients share the machine's cores (2 on the reference box), so the figures are
//! those of the whole system, not of the server alone. Linux only (reads /proc).

use russh::keys::PublicKeyOrCertificate;
use russh::{ChannelMsg, client};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::time::{sleep_until, timeout_at};

const PASSWORD: &str = "bench-room";
const TRAINER_SECRET: &str = "bench-trainer";
const PERIOD: Duration = Duration::from_millis(300);
const KEY_TIMEOUT: Duration = Duration::from_secs(2);
/// Connect + log in + first screen, per client (200 handshakes at once on 2 cores).
const SETUP_TIMEOUT: Duration = Duration::from_secs(60);
/// Every frame the server draws is wrapped in synchronized-output marks; the end mark tells
/// that the first screen is complete (it may come in several Data messages).
const SYNC_END: &[u8] = b"\x1b[?2026l";
/// Alternating a letter and Backspace (0x7f) keeps the field short and changes the screen on
/// every key. Never a lone ESC: the server holds it 40 ms to tell it from an escape sequence.
const KEYS: [&[u8]; 2] = [b"a", b"\x7f"];

type Error = String;

/// The server process; stopped (SIGTERM, then SIGKILL) however the run ends.
struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(max_sessions: usize) -> Result<Server, Error> {
        let dir = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
        let mut child = Command::new(env!("CARGO_BIN_EXE_sansang"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(["serve", "--listen", "127.0.0.1:0", "--password", PASSWORD])
            .args(["--trainer-secret", TRAINER_SECRET, "--room", "bench"])
            .args(["--questionnaire", "workshop"])
            .args(["--max-sessions", &max_sessions.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("spawn {}: {e}", env!("CARGO_BIN_EXE_sansang")))?;
        let stdout = child.stdout.take().expect("piped stdout");
        // Guard before anything can fail, so the process never outlives the bench.
        let mut server = Server {
            child,
            port: 0,
            _dir: dir,
        };
        let mut lines = BufReader::new(stdout).lines();
        for line in lines.by_ref() {
            let line = line.map_err(|e| format!("server stdout: {e}"))?;
            if let Some(addr) = line.split("listening on ").nth(1) {
                server.port = addr
                    .trim()
                    .rsplit(':')
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or_else(|| format!("no port in {line:?}"))?;
                break;
            }
        }
        if server.port == 0 {
            return Err("the server exited before listening".into());
        }
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Ok(server)
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM lets it stop cleanly; no libc dependency for one signal.
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `/proc/<pid>/status` field in KiB (VmRSS, VmHWM).
fn status_kib(pid: &str, field: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User + system CPU time of a process so far (clock ticks are 100 Hz on Linux).
fn cpu_time(pid: &str) -> Option<Duration> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces): utime is the 12th, stime 13th.
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

struct Accept;

impl client::Handler for Accept {
    type Error = russh::Error;

    async fn check_server_key(&mut self, _: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true) // a fresh host key per run, on loopback
    }
}

struct Participant {
    handle: client::Handle<Accept>,
    channel: russh::Channel<client::Msg>,
}

async fn join(port: u16, name: String) -> Result<Participant, Error> {
    let config = Arc::new(client::Config {
        // Nagle on the client would hold each one-byte key behind the previous ACK.
        nodelay: true,
        ..Default::default()
    });
    let mut handle = client::connect(config, ("127.0.0.1", port), Accept)
        .await
        .map_err(|e| format!("{name}: connect: {e}"))?;
    let auth = handle
        .authenticate_password(&name, PASSWORD)
        .await
        .map_err(|e| format!("{name}: auth: {e}"))?;
    if !auth.success() {
        return Err(format!("{name}: password refused"));
    }
    let mut channel = handle
        .channel_open_session()
        .await
        .map_err(|e| format!("{name}: session: {e}"))?;
    channel
        .request_pty(false, "xterm", 80, 24, 0, 0, &[])
        .await
        .map_err(|e| format!("{name}: pty: {e}"))?;
    channel
        .request_shell(false)
        .await
        .map_err(|e| format!("{name}: shell: {e}"))?;
    loop {
        match channel.wait().await {
            Some(ChannelMsg::Data { data })
                if data.windows(SYNC_END.len()).any(|w| w == SYNC_END) =>
            {
                break;
            }
            Some(_) => {}
            None => return Err(format!("{name}: closed before the first screen")),
        }
    }
    Ok(Participant { handle, channel })
}

#[derive(Default)]
struct Typed {
    latencies: Vec<Duration>,
    timeouts: usize,
}

/// Types one key per `PERIOD` from `first` until `end`, timing each key to the next Data.
async fn type_keys(mut p: Participant, first: Instant, end: Instant) -> Result<Typed, Error> {
    let mut typed = Typed::default();
    let mut next = first;
    let mut i = 0usize;
    while next < end {
        // Between keys, drain whatever is left of the previous frame (and window adjusts).
        loop {
            tokio::select! {
                _ = sleep_until(next.into()) => break,
                m = p.channel.wait() => if m.is_none() {
                    return Err("channel closed by the server".into());
                },
            }
        }
        let sent = Instant::now();
        p.channel
            .data(KEYS[i % 2])
            .await
            .map_err(|e| format!("send: {e}"))?;
        i += 1;
        let deadline = sent + KEY_TIMEOUT;
        loop {
            match timeout_at(deadline.into(), p.channel.wait()).await {
                Ok(Some(ChannelMsg::Data { .. })) => {
                    typed.latencies.push(sent.elapsed());
                    break;
                }
                Ok(Some(_)) => {}
                Ok(None) => return Err("channel closed by the server".into()),
                Err(_) => {
                    typed.timeouts += 1;
                    break;
                }
            }
        }
        // Fixed rate; a key slower than the period skips the ticks it missed.
        next += PERIOD;
        let now = Instant::now();
        while next <= now {
            next += PERIOD;
        }
    }
    let _ = p.channel.eof().await;
    let _ = p
        .handle
        .disconnect(russh::Disconnect::ByApplication, "", "en")
        .await;
    Ok(typed)
}

struct RunResult {
    clients: usize,
    latencies: Vec<Duration>,
    timeouts: usize,
    setup: Duration,
    rss_idle_kib: u64,
    rss_loaded_kib: u64,
    active_mid: usize,
    server_cpu: Duration,
    bench_cpu: Duration,
    wall: Duration,
}

impl RunResult {
    fn pct(&self, p: f64) -> Duration {
        // Nearest rank on sorted latencies.
        let n = self.latencies.len();
        if n == 0 {
            return Duration::ZERO;
        }
        self.latencies[((p * n as f64).ceil() as usize).clamp(1, n) - 1]
    }
    fn max(&self) -> Duration {
        self.latencies.last().copied().unwrap_or_default()
    }
    fn per_session_mib(&self) -> f64 {
        self.rss_loaded_kib.saturating_sub(self.rss_idle_kib) as f64 / 1024.0 / self.clients as f64
    }
}

fn run(rt: &tokio::runtime::Runtime, clients: usize, secs: u64) -> Result<RunResult, Error> {
    let server = Server::start(clients + 10)?;
    let pid = server.pid().to_string();
    let port = server.port;
    // Idle figure once start-up allocations have settled.
    std::thread::sleep(Duration::from_millis(500));
    let rss_idle_kib = status_kib(&pid, "VmRSS:").ok_or("no VmRSS for the server")?;

    rt.block_on(async {
        let t = Instant::now();
        let joins: Vec<_> = (0..clients)
            .map(|i| {
                tokio::spawn(timeout_at(
                    (t + SETUP_TIMEOUT).into(),
                    join(port, format!("p{i:03}")),
                ))
            })
            .collect();
        let mut participants = Vec::with_capacity(clients);
        for j in joins {
            let p = j
                .await
                .map_err(|e| e.to_string())?
                .map_err(|_| "a participant took too long to get the first screen".to_string())??;
            participants.push(p);
        }
        let setup = t.elapsed();

        // Keys are spread evenly over the first period so they do not all land at once.
        let start = Instant::now() + Duration::from_millis(200);
        let end = start + Duration::from_secs(secs);
        let active = Arc::new(AtomicUsize::new(0));
        let cpu0 = (cpu_time(&pid), cpu_time("self"));
        let tasks: Vec<_> = participants
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let first = start + PERIOD.mul_f64(i as f64 / clients as f64);
                let active = active.clone();
                tokio::spawn(async move {
                    active.fetch_add(1, Ordering::SeqCst);
                    let r = type_keys(p, first, end).await;
                    active.fetch_sub(1, Ordering::SeqCst);
                    r
                })
            })
            .collect();

        sleep_until((start + Duration::from_secs(secs) / 2).into()).await;
        let rss_loaded_kib = status_kib(&pid, "VmRSS:").ok_or("no VmRSS for the server")?;
        let active_mid = active.load(Ordering::SeqCst);

        let mut latencies = Vec::new();
        let mut timeouts = 0;
        for t in tasks {
            let typed = t.await.map_err(|e| e.to_string())??;
            latencies.extend(typed.latencies);
            timeouts += typed.timeouts;
        }
        let wall = start.elapsed();
        let cpu1 = (cpu_time(&pid), cpu_time("self"));
        let diff = |a: Option<Duration>, b: Option<Duration>| match (a, b) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => Duration::ZERO,
        };
        latencies.sort();
        Ok(RunResult {
            clients,
            latencies,
            timeouts,
            setup,
            rss_idle_kib,
            rss_loaded_kib,
            active_mid,
            server_cpu: diff(cpu0.0, cpu1.0),
            bench_cpu: diff(cpu0.1, cpu1.1),
            wall,
        })
    })
    // `server` drops here: stopped whether the run succeeded or not.
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn row(label: &str, r: &RunResult) {
    println!(
        "{label:<9} {:>7} {:>7} {:>7.2} {:>7.2} {:>7.2} {:>9}  {:>6.1} → {:>6.1} MiB   {:>6.2} MiB",
        r.clients,
        r.latencies.len(),
        ms(r.pct(0.50)),
        ms(r.pct(0.99)),
        ms(r.max()),
        r.timeouts,
        r.rss_idle_kib as f64 / 1024.0,
        r.rss_loaded_kib as f64 / 1024.0,
        r.per_session_mib(),
    );
}

fn main() -> Result<(), Error> {
    let clients = env_num("SANSANG_BENCH_CLIENTS", 200).max(1) as usize;
    let secs = env_num("SANSANG_BENCH_SECS", 60).max(1);
    let baseline_secs = env_num("SANSANG_BENCH_BASELINE_SECS", 10).max(1);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // One worker per core: the clients are all async, more threads would only fight the
    // server for the same cores.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.max(2))
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;

    let base = run(&rt, 1, baseline_secs)?;
    let load = run(&rt, clients, secs)?;

    println!();
    println!(
        "ssh load (loopback 127.0.0.1; {cores} cores shared by the server and the {} client \
         threads: whole-system figures)",
        cores.max(2)
    );
    println!(
        "key every {} ms per client, time from key sent to first screen update; timeout {} s",
        PERIOD.as_millis(),
        KEY_TIMEOUT.as_secs()
    );
    println!(
        "run       clients    keys  p50 ms  p99 ms  max ms  timeouts  server RSS idle → loaded   per session"
    );
    row("baseline", &base);
    row("load", &load);
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    println!(
        "ratio load/baseline: p50 ×{:.2}, p99 ×{:.2}, max ×{:.2}, RSS per session ×{:.2}",
        ratio(ms(load.pct(0.50)), ms(base.pct(0.50))),
        ratio(ms(load.pct(0.99)), ms(base.pct(0.99))),
        ratio(ms(load.max()), ms(base.max())),
        ratio(load.per_session_mib(), base.per_session_mib()),
    );
    for (label, r) in [("baseline", &base), ("load", &load)] {
        println!(
            "{label}: {} client{} joined (connect, log in, first screen) in {:.2} s; {} active at \
             mid-run; over {:.1} s the server used {:.0}% CPU, the bench clients {:.0}% (100% = one core)",
            r.clients,
            if r.clients == 1 { "" } else { "s" },
            r.setup.as_secs_f64(),
            r.active_mid,
            r.wall.as_secs_f64(),
            100.0 * r.server_cpu.as_secs_f64() / r.wall.as_secs_f64(),
            100.0 * r.bench_cpu.as_secs_f64() / r.wall.as_secs_f64(),
        );
    }
    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    println!(
        "targets (2 cores): p99 < 50 ms {}; < 4 MiB per session {}{}",
        verdict(ms(load.pct(0.99)) < 50.0),
        verdict(load.per_session_mib() < 4.0),
        if load.timeouts > 0 {
            format!("; {} keys got no update within 2 s", load.timeouts)
        } else {
            String::new()
        }
    );
    Ok(())
}
