//! The SSH side of workshop mode (russh): who may log in, what a connection may ask for, and
//! the hand-over of each terminal session to its own thread (`session`).
//!
//! Participants log in with the room password (or a key from the authorized-keys file) under
//! any user name; that name, checked by `room::participant_name`, picks their one assessment
//! file in the room folder. The user `trainer` with the trainer secret gets the dashboard.
//! Only a shell with a PTY is served, or plain line mode (`TERM=dumb`, or exec `plain`, with
//! or without a PTY); other exec commands than `report` and `plain`, subsystems (sftp), agent,
//! X11 and port forwarding are all refused.

use super::limits::{AuthLimiter, Connections, Kill, PreAuth, Slot, Ticket};
use super::session::{self, Ctl, End, Io, Output, SessionIn, SizeCell, clamp_size};
use crate::i18n::Lang;
use crate::questionnaire::Catalog;
use crate::room::{self, JoinCodes, Room};
use crate::tui::app::{App, Confine, Settings};
use crate::tui::trainer::TrainerApp;
use russh::keys::PublicKey;
use russh::server::{Auth, ChannelOpenHandle, Handler, Msg, Session};
use russh::{Channel, ChannelId, ChannelOpenFailure, MethodKind, MethodSet};
use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Input messages queued per session before further input is dropped (a flood, not typing).
const INPUT_QUEUE: usize = 256;
/// A connection must log in within this time of its TCP accept (banner and key exchange
/// included).
pub const LOGIN_GRACE: Duration = Duration::from_secs(60);
/// Trainer sessions allowed beside the participants' cap (a full room never locks the
/// trainer out).
pub const TRAINER_SLOTS: usize = 4;
/// Connections not logged in yet, in all and per address (apart from the session caps).
/// Generous: a waiting connection costs a task and a socket (a few KiB), and a whole room
/// behind one NAT address may connect at the same moment.
pub const MAX_PREAUTH: usize = 1024;
pub const MAX_PREAUTH_PER_ADDRESS: usize = 512;
/// How long a reconnect waits for the old session to let go of the file.
const TAKEOVER_WAIT: Duration = Duration::from_secs(5);

/// One running session, as the server can reach it.
struct Live {
    name: String,
    role: Role,
    ctl: tokio::sync::watch::Sender<Ctl>,
    wake: SyncSender<SessionIn>,
}

/// Everything a running server shares between connections.
pub struct Shared {
    pub room: Arc<Room>,
    pub catalog: Arc<Catalog>,
    /// Room password (`None`: keys only).
    pub password: Option<String>,
    pub authorized_keys: Vec<PublicKey>,
    pub trainer_secret: String,
    pub lang: Lang,
    pub reports_dir: PathBuf,
    pub log: PathBuf,
    pub idle: Option<Duration>,
    /// Participants' sessions (`--max-sessions`).
    pub sessions: Connections,
    /// The trainer's, apart.
    pub trainer_sessions: Connections,
    pub preauth: Arc<PreAuth>,
    pub limiter: AuthLimiter,
    /// Per-person join codes (`--codes`): then a participant's password is their code.
    pub codes: Option<JoinCodes>,
    pub rt: tokio::runtime::Handle,
    /// Every running session, so a reconnect can take over and a stop can say goodbye.
    live: Mutex<HashMap<u64, Live>>,
    next_id: AtomicU64,
    /// The trainer's line to every participant.
    banner: Arc<Mutex<Option<String>>>,
    stopping: AtomicBool,
    /// `ssh -p P {name}@host`, for the line telling a participant how to fetch their report.
    pub ssh_command: Option<String>,
}

impl Shared {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        room: Arc<Room>,
        catalog: Arc<Catalog>,
        password: Option<String>,
        authorized_keys: Vec<PublicKey>,
        trainer_secret: String,
        lang: Lang,
        reports_dir: PathBuf,
        log: PathBuf,
        idle: Option<Duration>,
        max_sessions: usize,
        rt: tokio::runtime::Handle,
    ) -> Shared {
        Shared {
            room,
            catalog,
            password,
            authorized_keys,
            trainer_secret,
            lang,
            reports_dir,
            log,
            idle,
            sessions: Connections::new(max_sessions),
            trainer_sessions: Connections::new(TRAINER_SLOTS),
            preauth: PreAuth::new(MAX_PREAUTH, MAX_PREAUTH_PER_ADDRESS),
            limiter: AuthLimiter::default(),
            codes: None,
            rt,
            live: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            banner: Arc::new(Mutex::new(None)),
            stopping: AtomicBool::new(false),
            ssh_command: None,
        }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Live>> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Asks the sessions `pick` selects to end with `why`; returns how many were asked.
    fn end_where(&self, why: Ctl, pick: impl Fn(&Live) -> bool) -> usize {
        let live = self.live();
        let mut n = 0;
        for l in live.values().filter(|l| pick(l)) {
            l.ctl.send_replace(why);
            // Wakes a session waiting for input; a full queue means it is awake already.
            let _ = l.wake.try_send(SessionIn::Wake);
            n += 1;
        }
        n
    }

    /// Sessions running now (participants and trainers).
    pub fn running(&self) -> usize {
        self.live().len()
    }

    /// Ends every session with a goodbye (their answers are saved as they are made), and
    /// waits up to `limit` for them to close.
    pub fn stop_all(&self, limit: Duration) {
        self.stopping.store(true, Ordering::SeqCst);
        self.end_where(Ctl::Stopped, |_| true);
        let start = Instant::now();
        while self.running() > 0 && start.elapsed() < limit {
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until nobody holds `name`'s file (the old session let go).
    fn wait_for_file(&self, name: &str, limit: Duration) -> bool {
        let path = self.room.participant_path(name);
        let start = Instant::now();
        loop {
            if crate::assessment::store::lock(&path).is_ok() {
                return true;
            }
            if start.elapsed() >= limit {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl room::Control for Shared {
    fn connected(&self) -> usize {
        self.live()
            .values()
            .filter(|l| l.role == Role::Participant)
            .count()
    }

    fn end_participant(&self, name: &str) -> bool {
        self.end_where(Ctl::Removed, |l| {
            l.role == Role::Participant && l.name == name
        });
        self.wait_for_file(name, TAKEOVER_WAIT)
    }

    fn broadcast(&self, line: Option<String>) {
        *self.banner.lock().unwrap_or_else(|e| e.into_inner()) = line;
        for l in self.live().values() {
            let _ = l.wake.try_send(SessionIn::Wake);
        }
    }
}

impl Shared {
    /// Appends a line to the server log (panics, refusals worth keeping).
    pub fn log(&self, line: &str) {
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
        {
            let _ = writeln!(f, "{} {line}", crate::assessment::store::now());
        }
    }

    fn methods(&self) -> MethodSet {
        let mut m = MethodSet::empty();
        m.push(MethodKind::Password);
        if !self.authorized_keys.is_empty() {
            m.push(MethodKind::PublicKey);
        }
        m
    }
}

/// Compares secrets in time independent of where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Participant,
    Trainer,
}

struct Pty {
    term: String,
    size: SizeCell,
    no_color: bool,
}

/// One SSH connection.
pub struct Conn {
    shared: Arc<Shared>,
    peer: Option<SocketAddr>,
    user: String,
    role: Option<Role>,
    /// Set once logged in (the login deadline checks it).
    pub authed: Arc<AtomicBool>,
    /// Ends this connection from outside (eviction before login, takeover, stop).
    pub kill: Arc<Kill>,
    /// Its place among the connections waiting to log in.
    ticket: Option<Ticket>,
    channel: Option<ChannelId>,
    pty: Option<Pty>,
    input: Option<SyncSender<SessionIn>>,
    /// Input packets dropped because the session's queue (`INPUT_QUEUE`) was full: a flood,
    /// not typing. Logged when the connection ends.
    dropped: u64,
    /// The participant asked for plain line mode (`ssh -t host plain`).
    asked_plain: bool,
    /// The session runs in plain line mode (the end of the client's input ends it).
    plain: bool,
}

impl Conn {
    pub fn new(shared: Arc<Shared>, peer: Option<SocketAddr>) -> Conn {
        Conn {
            shared,
            peer,
            user: String::new(),
            role: None,
            authed: Arc::new(AtomicBool::new(false)),
            kill: Arc::new(Kill::default()),
            ticket: None,
            channel: None,
            pty: None,
            input: None,
            dropped: 0,
            asked_plain: false,
            plain: false,
        }
    }

    /// Takes a place among the connections waiting to log in (evicting the stalest if full).
    pub fn admit(&mut self) {
        if let Some(p) = self.peer {
            self.ticket = Some(self.shared.preauth.admit(p.ip(), self.kill.clone()));
        }
    }

    fn started(&self) {
        if let Some(t) = &self.ticket {
            t.progress
                .fetch_max(super::limits::AUTHENTICATING, Ordering::Relaxed);
        }
    }

    /// Where the socket reports that the key exchange is under way (`None` before `admit`).
    pub fn progress(&self) -> Option<Arc<std::sync::atomic::AtomicU8>> {
        self.ticket.as_ref().map(|t| t.progress.clone())
    }

    fn reject(&self) -> Auth {
        Auth::Reject {
            proceed_with_methods: Some(self.shared.methods()),
            partial_success: false,
        }
    }

    /// A failed login: answered after the limiter's delay (a correct secret never waits).
    async fn failed(&self, user: &str) -> Auth {
        if let Some(p) = self.peer {
            let delay = self.shared.limiter.failed(p.ip(), user);
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
        }
        self.reject()
    }

    fn accept(&mut self, user: &str, role: Role) -> Auth {
        if let Some(p) = self.peer {
            self.shared.limiter.succeeded(p.ip(), user);
        }
        self.user = user.to_string();
        self.role = Some(role);
        self.authed.store(true, Ordering::SeqCst);
        // No longer waiting to log in.
        self.ticket = None;
        Auth::Accept
    }

    fn key_allowed(&self, key: &PublicKey) -> bool {
        self.shared
            .authorized_keys
            .iter()
            .any(|k| k.key_data() == key.key_data())
    }

    /// The client is done with the terminal: dropping the sender ends the session thread.
    fn end_input(&mut self, channel: ChannelId) {
        if Some(channel) == self.channel {
            self.input = None;
        }
    }

    /// Writes one line and ends the channel (for sessions that cannot start).
    fn refuse_session(&self, channel: ChannelId, session: &mut Session, message: &str) {
        let _ = session.data(channel, format!("{message}\r\n").into_bytes());
        let _ = session.exit_status_request(channel, 1);
        let _ = session.eof(channel);
        let _ = session.close(channel);
    }

    /// The participant name this login stands for, or the message refusing it.
    fn participant_name(&self) -> Result<String, String> {
        let name = room::participant_name(&self.user).map_err(|e| {
            format!(
                "{}\r\n{}",
                e.message(Lang::Vi, &self.user),
                e.message(Lang::En, &self.user)
            )
        })?;
        if !self.shared.room.admits(&name) {
            return Err(
                "Phòng đã khóa với tên mới; hãy dùng tên bạn đã dùng trước đó, hoặc hỏi người hướng dẫn.\r\n\
                 The room is closed to new names; use the name you used before, or ask the trainer."
                    .into(),
            );
        }
        Ok(name)
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if self.dropped > 0 {
            self.shared.log(&format!(
                "{} input packets from {:?} ({}) dropped: the session's queue was full",
                self.dropped, self.peer, self.user
            ));
        }
    }
}

/// The one command a connection may run instead of a shell: `report [--format F]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Html,
    Md,
    Csv,
    Json,
    Xlsx,
}

/// Parses an exec request: exactly `report`, `report --format F` or `report --format=F`, with
/// the formats the role may ask for (the trainer: html, md, csv, json, xlsx; a participant:
/// html, md). Anything else is refused.
pub fn parse_exec(command: &[u8], trainer: bool) -> Option<ReportFormat> {
    let text = std::str::from_utf8(command).ok()?;
    // `--anonymise` may come anywhere after `report` (see `exec_anonymised`).
    let words: Vec<&str> = text
        .split_ascii_whitespace()
        .enumerate()
        .filter(|(i, w)| *i == 0 || !is_anonymise(w))
        .map(|(_, w)| w)
        .collect();
    let format = match words[..] {
        ["report"] => "html",
        ["report", "--format", f] => f,
        ["report", one] => one.strip_prefix("--format=")?,
        _ => return None,
    };
    match (format, trainer) {
        ("html", _) => Some(ReportFormat::Html),
        ("md", _) => Some(ReportFormat::Md),
        ("csv", true) => Some(ReportFormat::Csv),
        ("json", true) => Some(ReportFormat::Json),
        ("xlsx", true) => Some(ReportFormat::Xlsx),
        _ => None,
    }
}

fn is_anonymise(word: &str) -> bool {
    matches!(word, "--anonymise" | "--anonymize")
}

/// Whether an exec request asks for the report anonymised (`report --anonymise`): for the
/// trainer, respondents numbered with no names or file names; a participant's own report has
/// no one else's names anyway and is never changed.
pub fn exec_anonymised(command: &[u8]) -> bool {
    std::str::from_utf8(command).is_ok_and(|t| t.split_ascii_whitespace().skip(1).any(is_anonymise))
}

/// The report an exec request asked for: the room's (trainer) or the participant's own.
fn render_exec(
    shared: &Shared,
    role: Role,
    name: &str,
    format: ReportFormat,
    anonymise: bool,
) -> Result<Vec<u8>, String> {
    let lang = shared.lang;
    match role {
        Role::Trainer => {
            let mut snap = shared.room.snapshot(&shared.catalog, lang);
            if anonymise {
                crate::anonymise::aggregate(&mut snap.aggregate);
            }
            let doc = &snap.aggregate;
            Ok(match format {
                ReportFormat::Html => crate::report::aggregate_html::render(doc).into_bytes(),
                ReportFormat::Md => crate::aggregate::to_markdown(doc).into_bytes(),
                ReportFormat::Csv => crate::aggregate::to_csv(doc, false).into_bytes(),
                ReportFormat::Json => crate::aggregate::to_json(doc).into_bytes(),
                ReportFormat::Xlsx => crate::report::xlsx::aggregate(doc)?,
            })
        }
        Role::Participant => {
            let path = shared.room.participant_path(name);
            if !path.exists() {
                return Err(format!(
                    "{}\n{}",
                    "Chưa có câu trả lời nào để báo cáo; hãy vào phòng bằng lệnh ssh (không kèm lệnh) trước.",
                    "No answers to report yet; join the room with the ssh command (without a command) first."
                ));
            }
            let loaded = crate::assessment::store::read(&path, &shared.catalog)
                .map_err(|e| e.render(lang))?;
            let (q, a) = (&loaded.questionnaire, &loaded.assessment);
            let r = crate::scoring::score(q, a);
            let doc = crate::report::build(q, a, &r, lang, &crate::assessment::store::now());
            Ok(match format {
                ReportFormat::Md => crate::report::markdown::render(&doc),
                _ => crate::report::html::render(&doc),
            }
            .into_bytes())
        }
    }
}

impl Handler for Conn {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        self.started();
        Ok(self.reject())
    }

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        self.started();
        if user == room::TRAINER {
            if same_secret(password, &self.shared.trainer_secret) {
                return Ok(self.accept(user, Role::Trainer));
            }
            return Ok(self.failed(user).await);
        }
        if let Some(codes) = &self.shared.codes {
            // With join codes, a participant's password is their own code.
            let ok = room::participant_name(user)
                .is_ok_and(|name| codes.check(password, &name, &crate::assessment::store::now()));
            if ok {
                return Ok(self.accept(user, Role::Participant));
            }
            return Ok(self.failed(user).await);
        }
        match &self.shared.password {
            Some(p) if same_secret(password, p) => Ok(self.accept(user, Role::Participant)),
            _ => Ok(self.failed(user).await),
        }
    }

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        key: russh::server::PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        self.started();
        if user != room::TRAINER && self.key_allowed(key.public_key) {
            Ok(Auth::Accept)
        } else {
            Ok(self.reject())
        }
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: russh::server::VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        if user != room::TRAINER && self.key_allowed(key.public_key) {
            Ok(self.accept(user, Role::Participant))
        } else {
            Ok(self.failed(user).await)
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // One terminal per connection. The `Channel` itself is dropped: everything arrives
        // through these callbacks, so nothing can fill its undrained queue.
        if self.channel.is_some() {
            reply
                .reject(ChannelOpenFailure::AdministrativelyProhibited)
                .await;
        } else {
            self.channel = Some(channel.id());
            reply.accept().await;
        }
        Ok(())
    }

    async fn channel_open_direct_tcpip(
        &mut self,
        _channel: Channel<Msg>,
        _host: &str,
        _port: u32,
        _orig: &str,
        _orig_port: u32,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        reply
            .reject(ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        cols: u32,
        rows: u32,
        _pw: u32,
        _ph: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel || self.input.is_some() {
            session.channel_failure(channel)?;
            return Ok(());
        }
        self.pty = Some(Pty {
            term: term.chars().take(64).collect(),
            size: SizeCell::new(clamp_size(cols, rows)),
            no_color: false,
        });
        session.channel_success(channel)?;
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Only NO_COLOR means anything here; the language is the room's (participants
        // switch with `l`), whatever LANG the laptop sends.
        match (&mut self.pty, name) {
            (Some(p), "NO_COLOR") if !value.is_empty() => {
                p.no_color = true;
                session.channel_success(channel)?;
            }
            _ => session.channel_failure(channel)?,
        }
        Ok(())
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single: bool,
        _proto: &str,
        _cookie: &str,
        _screen: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let role = self.role.unwrap_or(Role::Participant);
        // `ssh -t host plain` (or without -t): the wizard in plain lines, for participants.
        if role == Role::Participant && std::str::from_utf8(data).is_ok_and(|d| d.trim() == "plain")
        {
            self.asked_plain = true;
            return self.shell_request(channel, session).await;
        }
        let format = (Some(channel) == self.channel && self.input.is_none())
            .then(|| parse_exec(data, role == Role::Trainer))
            .flatten();
        let Some(format) = format else {
            self.shared.log(&format!(
                "refused exec {:?} from {:?}",
                String::from_utf8_lossy(data)
                    .chars()
                    .take(64)
                    .collect::<String>(),
                self.peer
            ));
            session.channel_failure(channel)?;
            let _ = session.close(channel);
            return Ok(());
        };
        let name = match role {
            Role::Trainer => room::TRAINER.to_string(),
            Role::Participant => match room::participant_name(&self.user) {
                Ok(n) => n,
                Err(e) => {
                    session.channel_success(channel)?;
                    let msg = format!(
                        "{}\r\n{}",
                        e.message(Lang::Vi, &self.user),
                        e.message(Lang::En, &self.user)
                    );
                    self.refuse_session(channel, session, &msg);
                    return Ok(());
                }
            },
        };
        session.channel_success(channel)?;
        // No more requests on this channel: it carries the report and closes.
        self.channel = None;
        let shared = self.shared.clone();
        let handle = session.handle();
        let anonymise = exec_anonymised(data);
        self.shared.rt.spawn(async move {
            let s = shared.clone();
            let result = tokio::task::spawn_blocking(move || {
                render_exec(&s, role, &name, format, anonymise)
            })
            .await
            .unwrap_or_else(|_| Err("sansang: internal error".into()));
            let (bytes, status) = match result {
                Ok(bytes) => (bytes, 0),
                Err(e) => (format!("{e}\n").into_bytes(), 1),
            };
            if status == 0 {
                let _ = handle.data(channel, bytes).await;
            } else {
                let _ = handle.extended_data(channel, 1, bytes).await;
            }
            let _ = handle.exit_status_request(channel, status).await;
            let _ = handle.eof(channel).await;
            let _ = handle.close(channel).await;
        });
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.shared.log(&format!(
            "refused subsystem {:?} from {:?}",
            name.chars().take(32).collect::<String>(),
            self.peer
        ));
        session.channel_failure(channel)?;
        let _ = session.close(channel);
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel || self.input.is_some() {
            session.channel_failure(channel)?;
            return Ok(());
        }
        session.channel_success(channel)?;
        let lang = self.shared.lang;
        if self.shared.stopping.load(Ordering::SeqCst) {
            self.refuse_session(
                channel,
                session,
                "Máy chủ đang dừng. / The server is stopping.",
            );
            return Ok(());
        }
        // Plain line mode for a participant whose terminal is `dumb` or who asked for it; it
        // works without a PTY too (the client's terminal then edits and echoes the lines).
        let role = self.role.unwrap_or(Role::Participant);
        let dumb = self.pty.as_ref().is_some_and(|p| p.term == "dumb");
        let plain = (role == Role::Participant && (self.asked_plain || dumb)).then_some(
            super::plain::Mode {
                echo: self.pty.is_some(),
                dumb: dumb && !self.asked_plain,
            },
        );
        self.plain = plain.is_some();
        let no_pty = Pty {
            term: String::new(),
            size: SizeCell::new((80, 24)),
            no_color: true,
        };
        let Some(pty) = self.pty.as_ref().or(plain.map(|_| &no_pty)) else {
            self.refuse_session(
                channel,
                session,
                "sansang cần một terminal (PTY): hãy chạy lại lệnh ssh với -t\r\n\
                 sansang needs a terminal (PTY): run the ssh command again with -t",
            );
            return Ok(());
        };
        let name = match role {
            Role::Trainer => room::TRAINER.to_string(),
            Role::Participant => match self.participant_name() {
                Ok(n) => n,
                Err(msg) => {
                    self.refuse_session(channel, session, &msg);
                    return Ok(());
                }
            },
        };
        let slots = match role {
            Role::Trainer => &self.shared.trainer_sessions,
            Role::Participant => &self.shared.sessions,
        };
        let Some(slot) = slots.try_take() else {
            self.refuse_session(
                channel,
                session,
                &format!(
                    "Phòng đã đủ người ({max}); hãy thử lại sau.\r\n\
                     The room is full ({max}); try again later.",
                    max = slots.max
                ),
            );
            return Ok(());
        };
        let (tx, rx) = sync_channel(INPUT_QUEUE);
        let (ctl_tx, ctl_rx) = tokio::sync::watch::channel(Ctl::Run);
        let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
        // A reconnect takes over at once: the old session of this name is told to end now
        // (not at its next key), and lets go of the file within milliseconds.
        if role == Role::Participant {
            self.shared.end_where(Ctl::Replaced, |l| {
                l.role == Role::Participant && l.name == name
            });
        }
        self.shared.live().insert(
            id,
            Live {
                name: name.clone(),
                role,
                ctl: ctl_tx,
                wake: tx.clone(),
            },
        );
        let io = Io {
            input: rx,
            wake: tx.clone(),
            size: pty.size.clone(),
            out: Output {
                rt: self.shared.rt.clone(),
                handle: session.handle(),
                channel,
                ctl: ctl_rx,
            },
            idle: match role {
                Role::Participant => self.shared.idle,
                Role::Trainer => None,
            },
            banner: match role {
                Role::Participant => self.shared.banner.clone(),
                Role::Trainer => Arc::new(Mutex::new(None)),
            },
        };
        self.input = Some(tx);
        let color = !pty.no_color && pty.term != "dumb";
        let shared = self.shared.clone();
        let kill = self.kill.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("ssh-session-{name}"))
            .spawn(move || {
                let s = shared.clone();
                run_session(shared, role, name, color, plain, io, slot, lang, kill);
                s.live().remove(&id);
            });
        if spawned.is_err() {
            self.input = None;
            self.shared.live().remove(&id);
        }
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel {
            return Ok(());
        }
        if let Some(tx) = &self.input {
            // Never wait here: this callback runs on the connection's own loop, which also
            // carries the session's output.
            match tx.try_send(SessionIn::Bytes(data.to_vec())) {
                Ok(()) => {}
                Err(TrySendError::Full(_)) => self.dropped += 1,
                Err(TrySendError::Disconnected(_)) => self.input = None,
            }
        }
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        cols: u32,
        rows: u32,
        _pw: u32,
        _ph: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel {
            return Ok(());
        }
        if let Some(p) = &self.pty {
            p.size.set(clamp_size(cols, rows));
        }
        if let Some(tx) = &self.input {
            // Full means input is queued: the session reads the size cell anyway.
            let _ = tx.try_send(SessionIn::Resized);
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // A plain session reads the end of input as a terminal does two Ctrl-D: the last
        // line without its line end, then the end (it saves and leaves).
        if let (true, Some(tx)) = (self.plain && Some(channel) == self.channel, &self.input) {
            let _ = tx.try_send(SessionIn::Bytes(vec![0x04, 0x04]));
        }
        self.end_input(channel);
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.end_input(channel);
        Ok(())
    }
}

/// The session thread: sets up the program for the role, runs it, and ends the channel with
/// a last line. A panic ends this session only; it is logged, and every answer was saved
/// when it was made.
#[allow(clippy::too_many_arguments)]
fn run_session(
    shared: Arc<Shared>,
    role: Role,
    name: String,
    color: bool,
    plain: Option<super::plain::Mode>,
    io: Io,
    _slot: Slot,
    lang: Lang,
    kill: Arc<Kill>,
) {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match role {
        Role::Trainer => {
            let mut app = TrainerApp::new(
                shared.room.clone(),
                shared.catalog.clone(),
                shared.reports_dir.clone(),
                lang,
            );
            app.color = color;
            app.control = Some(shared.clone());
            session::run(&mut app, &io, &|| {})
        }
        Role::Participant => participant(&shared, &name, color, plain, &io, lang),
    }));
    let bye = |vi: &str, en: &str| format!("{vi}\n{en}");
    let ended_by_server = matches!(result, Ok(End::Replaced) | Ok(End::Removed));
    let (msg, status) = match result {
        Ok(End::Quit) | Ok(End::Gone) => {
            let mut msg = bye(
                "Đã lưu mọi câu trả lời. Chạy lại cùng lệnh ssh để tiếp tục.",
                "Every answer is saved. Run the same ssh command to continue.",
            );
            if let (Role::Participant, Some(cmd)) = (role, &shared.ssh_command) {
                let cmd = cmd.replace("{name}", &name);
                msg.push_str(&format!(
                    "\nBáo cáo của bạn / your report:  {cmd} report > {name}.html"
                ));
            }
            (msg, 0)
        }
        Ok(End::Idle) => (
            bye(
                "Đã ngắt kết nối vì lâu không thao tác; mọi câu trả lời đã được lưu. Chạy lại cùng lệnh ssh để tiếp tục.",
                "Disconnected after a long idle time; every answer is saved. Run the same ssh command to continue.",
            ),
            0,
        ),
        Ok(End::Replaced) => (
            bye(
                "Tên này vừa kết nối từ nơi khác; phiên này đã đóng (câu trả lời đã lưu).",
                "This name just connected from elsewhere; this session is closed (answers are saved).",
            ),
            0,
        ),
        Ok(End::Stopped) => (
            bye(
                "Người hướng dẫn đã dừng máy chủ. Mọi câu trả lời đã được lưu. Cảm ơn bạn!",
                "The trainer stopped the server. Every answer is saved. Thank you!",
            ),
            0,
        ),
        Ok(End::Removed) => (
            bye(
                "Người hướng dẫn đã đưa tên này ra khỏi phòng; câu trả lời được lưu trữ, không bị xóa.",
                "The trainer removed this name from the room; its answers are archived, not deleted.",
            ),
            0,
        ),
        Ok(End::Busy) => (
            bye(
                "Phiên trước của tên này vẫn đang đóng; hãy chạy lại lệnh ssh sau vài giây.",
                "This name's previous session is still closing; run the ssh command again in a few seconds.",
            ),
            1,
        ),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            shared.log(&format!("panic in session of {name}: {what}"));
            (
                bye(
                    "sansang: lỗi nội bộ; phiên này đã đóng. Mọi câu trả lời đã báo \"đã lưu\" vẫn còn. Chạy lại lệnh ssh để tiếp tục.",
                    "sansang: internal error; this session is closed. Every answer shown as saved is kept. Run the ssh command again to continue.",
                ),
                2,
            )
        }
    };
    match plain {
        // No escape sequences for a plain session: the last lines, then the close.
        Some(_) => io.out.last(
            format!("\r\n{}\r\n", msg.replace('\n', "\r\n")).into_bytes(),
            status,
        ),
        None => session::finish(&io.out, &msg, status),
    }
    if ended_by_server {
        // The old link may be dead (that is why its owner reconnected): once the goodbye
        // had its chance to go out, drop the connection too (a live client has closed it
        // by then, and this does nothing).
        shared.rt.spawn(async move {
            tokio::time::sleep(session::FINISH_LIMIT).await;
            kill.kill();
        });
    }
}

fn participant(
    shared: &Arc<Shared>,
    name: &str,
    color: bool,
    plain: Option<super::plain::Mode>,
    io: &Io,
    lang: Lang,
) -> End {
    let room = &shared.room;
    let path = room.participant_path(name);
    // A reconnect (closed laptop, dropped Wi-Fi): the old session was told to end when this
    // one was registered; it lets go of the file as soon as it sees that.
    if !shared.wait_for_file(name, TAKEOVER_WAIT) {
        return End::Busy;
    }
    if std::env::var("SANSANG_TEST_SESSION_PANIC").is_ok_and(|n| n == name) {
        panic!("SANSANG_TEST_SESSION_PANIC: crash drill for {name}");
    }
    let settings = Settings { lang, color };
    let catalog = Catalog {
        entries: shared.catalog.entries.clone(),
        errors: vec![],
    };
    let mut app = App::with_catalog(room.dir.clone(), settings, catalog);
    app.confined = Some(Confine {
        path,
        questionnaire: room.questionnaire.clone(),
    });
    room.join(name);
    let end = match plain {
        Some(mode) => super::plain::run(&mut app, io, mode, &|| room.touch()),
        None => session::run(&mut app, io, &|| room.touch()),
    };
    // The file lock goes with the app: released before the goodbye is written.
    drop(app);
    room.leave(name);
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
        assert!(!same_secret("", "a"));
    }

    #[test]
    fn only_the_report_command_is_accepted() {
        assert_eq!(parse_exec(b"report", true), Some(ReportFormat::Html));
        assert_eq!(
            parse_exec(b"report --anonymise --format md", true),
            Some(ReportFormat::Md)
        );
        assert!(exec_anonymised(b"report --format csv --anonymise"));
        assert!(!exec_anonymised(b"report --format csv"));
        assert_eq!(parse_exec(b"--anonymise", true), None);
        assert_eq!(
            parse_exec(b"report --format csv", true),
            Some(ReportFormat::Csv)
        );
        assert_eq!(
            parse_exec(b"report --format=json", true),
            Some(ReportFormat::Json)
        );
        assert_eq!(
            parse_exec(b"report --format md", false),
            Some(ReportFormat::Md)
        );
        // A participant gets only their own report, as HTML or Markdown.
        assert_eq!(parse_exec(b"report --format csv", false), None);
        assert_eq!(
            parse_exec(b"report --format xlsx", true),
            Some(ReportFormat::Xlsx)
        );
        assert_eq!(parse_exec(b"report --format xlsx", false), None);
        for bad in [
            &b"cat /etc/passwd"[..],
            b"report --format html extra",
            b"report /etc/passwd",
            b"report --format ../x",
            b"report; ls",
            b"",
            b"\xff",
        ] {
            assert_eq!(
                parse_exec(bad, true),
                None,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
