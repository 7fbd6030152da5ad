//! The SSH side of workshop mode (russh): who may log in, what a connection may ask for, and
//! the hand-over of each terminal session to its own thread (`session`).
//!
//! Participants log in with the room password (or a key from the authorized-keys file) under
//! any user name; that name, checked by `room::participant_name`, picks their one assessment
//! file in the room folder. The user `trainer` with the trainer secret gets the dashboard.
//! Only a shell with a PTY is served; exec, subsystems (sftp), agent, X11 and port
//! forwarding are all refused.

use super::limits::{AuthLimiter, Connections, Slot};
use super::session::{self, End, Io, Output, SessionIn, SizeCell, clamp_size};
use crate::i18n::Lang;
use crate::questionnaire::Catalog;
use crate::room::{self, Room};
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
use std::time::Duration;

/// Input messages queued per session before further input is dropped (a flood, not typing).
const INPUT_QUEUE: usize = 256;
/// A connection must log in within this time.
pub const LOGIN_GRACE: Duration = Duration::from_secs(60);

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
    pub sessions: Connections,
    pub limiter: AuthLimiter,
    pub rt: tokio::runtime::Handle,
    /// The live session of each participant, so a reconnect can take over.
    live: Mutex<HashMap<String, (u64, Arc<AtomicBool>)>>,
    next_id: AtomicU64,
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
            limiter: AuthLimiter::default(),
            rt,
            live: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
        }
    }

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
    channel: Option<ChannelId>,
    pty: Option<Pty>,
    input: Option<SyncSender<SessionIn>>,
    /// Input packets dropped because the session's queue (`INPUT_QUEUE`) was full: a flood,
    /// not typing. Logged when the connection ends.
    dropped: u64,
}

impl Conn {
    pub fn new(shared: Arc<Shared>, peer: Option<SocketAddr>) -> Conn {
        Conn {
            shared,
            peer,
            user: String::new(),
            role: None,
            authed: Arc::new(AtomicBool::new(false)),
            channel: None,
            pty: None,
            input: None,
            dropped: 0,
        }
    }

    fn reject(&self) -> Auth {
        Auth::Reject {
            proceed_with_methods: Some(self.shared.methods()),
            partial_success: false,
        }
    }

    fn failed(&self) -> Auth {
        if let Some(p) = self.peer {
            self.shared.limiter.failed(p.ip());
        }
        self.reject()
    }

    fn blocked(&self) -> bool {
        self.peer
            .is_some_and(|p| self.shared.limiter.blocked(p.ip()))
    }

    fn accept(&mut self, user: &str, role: Role) -> Auth {
        self.user = user.to_string();
        self.role = Some(role);
        self.authed.store(true, Ordering::SeqCst);
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

impl Handler for Conn {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(self.reject())
    }

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        if self.blocked() {
            return Ok(self.reject());
        }
        if user == room::TRAINER {
            if same_secret(password, &self.shared.trainer_secret) {
                return Ok(self.accept(user, Role::Trainer));
            }
            return Ok(self.failed());
        }
        match &self.shared.password {
            Some(p) if same_secret(password, p) => Ok(self.accept(user, Role::Participant)),
            _ => Ok(self.failed()),
        }
    }

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        key: russh::server::PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        if user != room::TRAINER && !self.blocked() && self.key_allowed(key.public_key) {
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
        if user != room::TRAINER && !self.blocked() && self.key_allowed(key.public_key) {
            Ok(self.accept(user, Role::Participant))
        } else {
            Ok(self.failed())
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
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.shared
            .log(&format!("refused exec from {:?}", self.peer));
        session.channel_failure(channel)?;
        let _ = session.close(channel);
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
        let Some(pty) = &self.pty else {
            self.refuse_session(
                channel,
                session,
                "sansang cần một terminal (PTY): hãy chạy lại lệnh ssh với -t\r\n\
                 sansang needs a terminal (PTY): run the ssh command again with -t",
            );
            return Ok(());
        };
        let role = self.role.unwrap_or(Role::Participant);
        let name = match role {
            Role::Trainer => room::TRAINER.to_string(),
            Role::Participant => match room::participant_name(&self.user) {
                Ok(n) => n,
                Err(e) => {
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
        let Some(slot) = self.shared.sessions.try_take() else {
            self.refuse_session(
                channel,
                session,
                &format!(
                    "Phòng đã đủ người ({max}); hãy thử lại sau.\r\n\
                     The room is full ({max}); try again later.",
                    max = self.shared.sessions.max
                ),
            );
            return Ok(());
        };
        let (tx, rx) = sync_channel(INPUT_QUEUE);
        self.input = Some(tx);
        let io = Io {
            input: rx,
            size: pty.size.clone(),
            out: Output {
                rt: self.shared.rt.clone(),
                handle: session.handle(),
                channel,
            },
            kicked: Arc::new(AtomicBool::new(false)),
            idle: match role {
                Role::Participant => self.shared.idle,
                Role::Trainer => None,
            },
        };
        let color = !pty.no_color && pty.term != "dumb";
        let shared = self.shared.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("ssh-session-{name}"))
            .spawn(move || run_session(shared, role, name, color, io, slot, lang));
        if spawned.is_err() {
            self.input = None;
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
fn run_session(
    shared: Arc<Shared>,
    role: Role,
    name: String,
    color: bool,
    io: Io,
    _slot: Slot,
    lang: Lang,
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
            session::run(&mut app, &io, &|| {})
        }
        Role::Participant => participant(&shared, &name, color, &io, lang),
    }));
    let bye = |vi: &str, en: &str| format!("{vi}\n{en}");
    let (msg, status) = match result {
        Ok(End::Quit) | Ok(End::Gone) => (
            bye(
                "Đã lưu mọi câu trả lời. Chạy lại cùng lệnh ssh để tiếp tục.",
                "Every answer is saved. Run the same ssh command to continue.",
            ),
            0,
        ),
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
    session::finish(&io.out, &msg, status);
}

fn participant(shared: &Arc<Shared>, name: &str, color: bool, io: &Io, lang: Lang) -> End {
    let room = &shared.room;
    let path = room.participant_path(name);
    // A reconnect (closed laptop, dropped Wi-Fi) takes over from the old session, which may
    // not have noticed yet: ask it to end, then wait for its file lock to be released.
    let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
    {
        let mut live = shared.live.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, old)) = live.insert(name.to_string(), (id, io.kicked.clone())) {
            old.store(true, Ordering::SeqCst);
        }
    }
    for _ in 0..100 {
        match crate::assessment::store::lock(&path) {
            Ok(_) => break,
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
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
    let end = session::run(&mut app, io, &|| room.touch());
    drop(app);
    room.leave(name);
    let mut live = shared.live.lock().unwrap_or_else(|e| e.into_inner());
    if live.get(name).is_some_and(|(i, _)| *i == id) {
        live.remove(name);
    }
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
}
