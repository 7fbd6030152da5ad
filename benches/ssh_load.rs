//! SSH workshop load benchmark: N participants (default 1,000) on 127.0.0.1, each typing one
//! key every 300 ms into the first field of the profile form (alternately `a` and Backspace, so
//! every key changes the screen and nothing is saved). Reports the time from a key sent to the
//! first screen update received (p50 / p99 / max, timeouts = no update within 2 s) and the
//! server's memory per session (VmRSS idle vs. mid-run). Three runs, each against its own fresh
//! server: a 1-client baseline; the quiet run (N participants); and the same N participants
//! during a pre-login flood of F connections (default 1,000) that send an SSH banner and then
//! nothing, and reconnect a second after the server drops them — while 10 more participants
//! log in, timed. Medians and ratios against the quiet run are printed.
//!
//! `cargo bench --bench ssh_load` builds the `sansang` binary (release) and runs everything
//! in temporary folders (about 2–3 minutes on 2 cores). Environment:
//! - `SANSANG_BENCH_CLIENTS` — participants in the quiet and flood runs (default 1000);
//! - `SANSANG_BENCH_FLOOD` — pre-login connections in the flood run (default 1000; 0: no
//!   flood run);
//! - `SANSANG_BENCH_SECS` — length of the quiet and flood runs in seconds (default 30);
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
/// Connect + log in + first screen, per client (1,000 handshakes at once on 2 cores).
const SETUP_TIMEOUT: Duration = Duration::from_secs(120);
/// Logins in flight at once while the room fills.
const JOIN_WAVE: usize = 200;
/// Participants who log in while the flood runs (timed).
const LATE_JOINERS: usize = 10;
/// A flood connection the server dropped reconnects after this.
const FLOOD_RECONNECT: Duration = Duration::from_secs(1);
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
    flood: Option<FloodResult>,
}

#[derive(Default)]
struct FloodResult {
    /// Flood connections opened in all (first ones and reconnects).
    opened: usize,
    /// Of those, dropped by the server (evicted, or at the login deadline).
    dropped: usize,
    /// Time for each late joiner to connect, log in and get the first screen.
    late_joins: Vec<Duration>,
    late_failed: usize,
}

/// One flood connection: sends an SSH banner, then nothing; when the server drops it, waits
/// `FLOOD_RECONNECT` and comes back, until `end`.
async fn flood_one(port: u16, end: Instant, opened: Arc<AtomicUsize>, dropped: Arc<AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    while Instant::now() < end {
        let Ok(mut s) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else {
            sleep_until((Instant::now() + FLOOD_RECONNECT).into()).await;
            continue;
        };
        opened.fetch_add(1, Ordering::Relaxed);
        let _ = s.write_all(b"SSH-2.0-flood\r\n").await;
        let mut buf = [0u8; 2048];
        loop {
            match timeout_at(end.into(), s.read(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) => {
                    dropped.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                Ok(Ok(_)) => {}
                Err(_) => return,
            }
        }
        sleep_until((Instant::now() + FLOOD_RECONNECT).into()).await;
    }
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

fn run(
    rt: &tokio::runtime::Runtime,
    clients: usize,
    secs: u64,
    flood: usize,
) -> Result<RunResult, Error> {
    let server = Server::start(clients + LATE_JOINERS + 10)?;
    let pid = server.pid().to_string();
    let port = server.port;
    // Idle figure once start-up allocations have settled.
    std::thread::sleep(Duration::from_millis(500));
    let rss_idle_kib = status_kib(&pid, "VmRSS:").ok_or("no VmRSS for the server")?;

    rt.block_on(async {
        let t = Instant::now();
        // At most `JOIN_WAVE` logins in flight at once (a room does not press Enter in the
        // same millisecond; 1,000 at once would only measure the bench's own burst).
        let wave = Arc::new(tokio::sync::Semaphore::new(JOIN_WAVE));
        let joins: Vec<_> = (0..clients)
            .map(|i| {
                let wave = wave.clone();
                tokio::spawn(timeout_at((t + SETUP_TIMEOUT).into(), async move {
                    let _permit = wave.acquire().await.map_err(|e| e.to_string())?;
                    join(port, format!("p{i:03}")).await
                }))
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

        // The flood starts with the typing and lasts as long; a quarter in, the late joiners
        // log in through it.
        let flooding = (flood > 0).then(|| {
            let opened = Arc::new(AtomicUsize::new(0));
            let dropped = Arc::new(AtomicUsize::new(0));
            let tasks: Vec<_> = (0..flood)
                .map(|_| tokio::spawn(flood_one(port, end, opened.clone(), dropped.clone())))
                .collect();
            (opened, dropped, tasks)
        });
        let mut late = None;
        if flooding.is_some() {
            sleep_until((start + Duration::from_secs(secs) / 4).into()).await;
            late = Some(
                (0..LATE_JOINERS)
                    .map(|i| {
                        tokio::spawn(async move {
                            let t = Instant::now();
                            let p = timeout_at(
                                (t + SETUP_TIMEOUT).into(),
                                join(port, format!("late{i:02}")),
                            )
                            .await;
                            match p {
                                Ok(Ok(p)) => {
                                    let took = t.elapsed();
                                    let _ = p
                                        .handle
                                        .disconnect(russh::Disconnect::ByApplication, "", "en")
                                        .await;
                                    Some(took)
                                }
                                _ => None,
                            }
                        })
                    })
                    .collect::<Vec<_>>(),
            );
        }

        sleep_until((start + Duration::from_secs(secs) / 2).into()).await;
        let rss_loaded_kib = status_kib(&pid, "VmRSS:").ok_or("no VmRSS for the server")?;
        let active_mid = active.load(Ordering::SeqCst);
        let mut flood_result = None;
        if let Some((opened, dropped, tasks)) = flooding {
            let mut f = FloodResult::default();
            for j in late.unwrap_or_default() {
                match j.await.ok().flatten() {
                    Some(d) => f.late_joins.push(d),
                    None => f.late_failed += 1,
                }
            }
            f.late_joins.sort();
            for t in tasks {
                let _ = t.await;
            }
            f.opened = opened.load(Ordering::Relaxed);
            f.dropped = dropped.load(Ordering::Relaxed);
            flood_result = Some(f);
        }

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
            flood: flood_result,
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
    let clients = env_num("SANSANG_BENCH_CLIENTS", 1000).max(1) as usize;
    let flood = env_num("SANSANG_BENCH_FLOOD", 1000) as usize;
    let secs = env_num("SANSANG_BENCH_SECS", 30).max(1);
    let baseline_secs = env_num("SANSANG_BENCH_BASELINE_SECS", 10).max(1);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // One worker per core: the clients are all async, more threads would only fight the
    // server for the same cores.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.max(2))
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;

    let base = run(&rt, 1, baseline_secs, 0)?;
    let quiet = run(&rt, clients, secs, 0)?;
    let flooded = if flood > 0 {
        Some(run(&rt, clients, secs, flood)?)
    } else {
        None
    };

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
    row("quiet", &quiet);
    if let Some(f) = &flooded {
        row("flood", f);
    }
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    let ratios = |label: &str, r: &RunResult, against: &RunResult, name: &str| {
        println!(
            "ratio {label}/{name}: p50 ×{:.2}, p99 ×{:.2}, max ×{:.2}, RSS per session ×{:.2}",
            ratio(ms(r.pct(0.50)), ms(against.pct(0.50))),
            ratio(ms(r.pct(0.99)), ms(against.pct(0.99))),
            ratio(ms(r.max()), ms(against.max())),
            ratio(r.per_session_mib(), against.per_session_mib()),
        );
    };
    ratios("quiet", &quiet, &base, "baseline");
    if let Some(f) = &flooded {
        ratios("flood", f, &quiet, "quiet");
    }
    let mut runs = vec![("baseline", &base), ("quiet", &quiet)];
    if let Some(f) = &flooded {
        runs.push(("flood", f));
    }
    for (label, r) in runs {
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
    if let Some(f) = flooded.as_ref().and_then(|r| r.flood.as_ref()) {
        let median = f
            .late_joins
            .get(f.late_joins.len() / 2)
            .map_or(f64::NAN, |d| d.as_secs_f64());
        let max = f.late_joins.last().map_or(f64::NAN, |d| d.as_secs_f64());
        println!(
            "flood: {flood} banner-only connections, {} opened in all, {} dropped by the server; \
             {} of {LATE_JOINERS} participants joined through it (median {median:.2} s, max {max:.2} s){}",
            f.opened,
            f.dropped,
            f.late_joins.len(),
            if f.late_failed > 0 {
                format!(", {} could not", f.late_failed)
            } else {
                String::new()
            }
        );
    }
    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    for (label, r) in [("quiet", Some(&quiet)), ("flood", flooded.as_ref())] {
        let Some(r) = r else { continue };
        println!(
            "targets {label} (2 cores): p99 < 50 ms {}; < 4 MiB per session {}{}",
            verdict(ms(r.pct(0.99)) < 50.0),
            verdict(r.per_session_mib() < 4.0),
            if r.timeouts > 0 {
                format!("; {} keys got no update within 2 s", r.timeouts)
            } else {
                String::new()
            }
        );
    }
    Ok(())
}
