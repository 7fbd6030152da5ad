//! `sansang serve`: sets up the room, the host key and the secrets, prints how to join, and
//! runs the SSH server until Ctrl-C (or until the trainer leaves the local dashboard).

use super::hostkey;
use super::limits::{Connections, Guarded};
use super::server::{Conn, MAX_PREAUTH, Shared, TRAINER_SLOTS};
use crate::i18n::Lang;
use crate::questionnaire::Catalog;
use crate::room::{JoinCodes, Room};
use crate::tui::trainer::TrainerApp;
use russh::keys::PublicKey;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub struct ServeOptions {
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    /// Listening beyond this machine was asked for explicitly.
    pub public: bool,
    /// Questionnaire id (from the catalog) or a path to a questionnaire file.
    pub questionnaire: String,
    pub room: String,
    pub password: Option<String>,
    pub authorized_keys: Option<PathBuf>,
    pub trainer_secret: Option<String>,
    pub lang: Lang,
    pub max_sessions: usize,
    pub idle: Option<Duration>,
    /// Show the trainer dashboard in this terminal.
    pub dashboard: bool,
    /// Per-person join codes to print (0: none; the room password is used).
    pub codes: usize,
    /// From TCP accept to logged in (`LOGIN_GRACE` by default).
    pub login_timeout: Duration,
}

/// How long a stop waits for every client to get its goodbye.
const GOODBYE_WAIT: Duration = Duration::from_secs(3);

/// An error for the user: what is wrong and how to fix it.
pub type Error = String;

/// A secret that is easy to read out in a room: no 0/O or 1/l.
fn random_secret(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut bytes = vec![0u8; len];
    let ok = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .is_ok();
    if !ok {
        // No /dev/urandom: the OS hasher's random keys are the next best source.
        use std::hash::{BuildHasher, Hasher};
        for (i, b) in bytes.iter_mut().enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_usize(i);
            *b = h.finish() as u8;
        }
    }
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// Reads an OpenSSH `authorized_keys` file (options before the key type are not supported
/// and are reported).
pub fn read_authorized_keys(path: &Path) -> Result<Vec<PublicKey>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut keys = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let b64 = line.split_whitespace().nth(1).unwrap_or("");
        match russh::keys::parse_public_key_base64(b64) {
            Ok(k) => keys.push(k),
            Err(e) => {
                return Err(format!(
                    "{}:{}: {e}. Mỗi dòng phải là \"<loại> <khóa base64> [ghi chú]\" / each line must be \"<type> <base64 key> [comment]\"",
                    path.display(),
                    i + 1
                ));
            }
        }
    }
    if keys.is_empty() {
        return Err(format!(
            "{}: không có khóa nào / no keys in the file",
            path.display()
        ));
    }
    Ok(keys)
}

/// The address other machines would use for this one (for the printed join command).
fn lan_address() -> Option<IpAddr> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    // No packet is sent: connecting a UDP socket only picks the outgoing interface.
    s.connect("10.255.255.255:1").ok()?;
    s.local_addr()
        .ok()
        .map(|a| a.ip())
        .filter(|ip| !ip.is_unspecified())
}

/// A room name made safe for a folder (the same rules as participant names).
pub fn room_dir(data_dir: &Path, room: &str) -> Result<PathBuf, Error> {
    let name = crate::room::canonical_name(room).map_err(|e| {
        format!(
            "--room: {}\n--room: {}",
            e.message(Lang::Vi, room),
            e.message(Lang::En, room)
        )
    })?;
    Ok(data_dir.join("rooms").join(name))
}

/// Only the room's questionnaire (and other versions of it, for old files) is served; the other
/// built-in questionnaires are not parsed.
pub fn room_catalog(catalog: &Catalog, qid: &str) -> Catalog {
    Catalog {
        entries: catalog
            .entries
            .iter()
            .filter(|e| e.questionnaire.id() == qid)
            .cloned()
            .collect(),
        errors: vec![],
    }
}

/// Runs the server until interrupted. Prints the join instructions on stdout first.
pub fn serve(opts: ServeOptions) -> Result<(), Error> {
    if !opts.listen.ip().is_loopback() && !opts.public {
        return Err(format!(
            "--listen {}: địa chỉ này mở máy chủ ra mạng; thêm --public nếu đúng ý bạn / this address exposes the server to the network; add --public if that is what you want",
            opts.listen
        ));
    }
    // The questionnaire: an id from the catalog, or a file.
    let mut catalog = Catalog::with_local_dir(&opts.data_dir.join("questionnaires"));
    let entry = match catalog.find(&opts.questionnaire, None) {
        Some(e) => e.clone(),
        None => {
            let p = PathBuf::from(&opts.questionnaire);
            if !p.exists() {
                let ids: Vec<String> = catalog
                    .entries
                    .iter()
                    .map(|e| e.questionnaire.id().to_string())
                    .collect();
                return Err(format!(
                    "--questionnaire {}: không có bộ câu hỏi hay tệp này / no such questionnaire or file. Có / available: {}",
                    opts.questionnaire,
                    ids.join(", ")
                ));
            }
            match catalog.add_file(&p) {
                Some(_) => catalog.entries.last().cloned().ok_or("catalog")?,
                None => {
                    return Err(catalog
                        .errors
                        .pop()
                        .map(|e| e.render(opts.lang))
                        .unwrap_or_default());
                }
            }
        }
    };
    let qid = entry.questionnaire.id.clone();
    let title = entry.questionnaire.title.get(opts.lang).to_string();
    let version = entry.questionnaire.version.clone();
    let room_catalog = Arc::new(room_catalog(&catalog, &qid));
    let dir = room_dir(&opts.data_dir, &opts.room)?;
    crate::fsutil::create_private_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let room_name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let room = Arc::new(Room::new(room_name.clone(), dir.clone(), qid.clone()));

    let authorized_keys = match &opts.authorized_keys {
        Some(p) => read_authorized_keys(p)?,
        None => vec![],
    };
    // A password unless keys alone were chosen; generated when not given.
    let password = match (&opts.password, authorized_keys.is_empty()) {
        (Some(p), _) => Some(p.clone()),
        (None, true) => Some(random_secret(6)),
        (None, false) => None,
    };
    let trainer_secret = opts
        .trainer_secret
        .clone()
        .unwrap_or_else(|| random_secret(12));
    if password.as_deref() == Some(trainer_secret.as_str()) {
        return Err(
            "--trainer-secret: phải khác mật khẩu phòng / must differ from the room password"
                .into(),
        );
    }
    let (key, key_path) = hostkey::load_or_create(&opts.data_dir)?;
    let fingerprint = hostkey::fingerprint(&key);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("ssh-worker")
        .enable_all()
        .build()
        .map_err(|e| format!("tokio: {e}"))?;
    let listener = rt
        .block_on(tokio::net::TcpListener::bind(opts.listen))
        .map_err(|e| {
            format!(
                "--listen {}: {e}. Cổng đang bận? Chọn cổng khác / port in use? choose another with --listen",
                opts.listen
            )
        })?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;

    let codes = if opts.codes > 0 {
        Some(JoinCodes::open(&dir, opts.codes, &mut || random_secret(8))?)
    } else {
        None
    };
    let log = opts.data_dir.join("sansang.log");
    let mut shared = Shared::new(
        room.clone(),
        room_catalog.clone(),
        password.clone(),
        authorized_keys,
        trainer_secret.clone(),
        opts.lang,
        opts.data_dir.join("reports"),
        log.clone(),
        opts.idle,
        opts.max_sessions,
        rt.handle().clone(),
    );
    shared.codes = codes;

    // Join instructions.
    let host = if bound.ip().is_unspecified() {
        lan_address()
            .map(|ip| ip.to_string())
            .unwrap_or_else(|| "<địa-chỉ-máy-này/this-machine's-address>".into())
    } else {
        bound.ip().to_string()
    };
    let port_arg = if bound.port() == 22 {
        String::new()
    } else {
        format!("-p {} ", bound.port())
    };
    shared.ssh_command = Some(format!("ssh {port_arg}{{name}}@{host}"));
    let shared = Arc::new(shared);
    println!("sansang serve · phòng / room \"{room_name}\" · {title} ({qid} {version})");
    println!("Đang nghe / listening on {bound}");
    if !bound.ip().is_loopback() {
        println!(
            "CẢNH BÁO / WARNING: máy chủ mở cho mạng; ai có mật khẩu đều vào được / the server is open to the network; anyone with the password can join."
        );
    } else {
        println!(
            "(chỉ máy này / this machine only; --listen 0.0.0.0:{} --public cho cả phòng / for the room)",
            bound.port()
        );
    }
    println!();
    // What the trainer projects: how to join and how to check the server's identity. The
    // trainer's own secret comes after, apart, so it can stay off the projector.
    println!("Người tham gia / participants:  ssh {port_arg}<tên>@{host}");
    println!("  ví dụ / e.g.:  ssh {port_arg}an.nguyen@{host}");
    match (&shared.codes, &password) {
        (Some(_), _) => {
            println!("  mật khẩu: mã tham gia riêng của bạn / password: your own join code")
        }
        (None, Some(p)) => println!("  mật khẩu phòng / room password:  {p}"),
        (None, None) => println!(
            "  chỉ khóa trong / keys only from  {}",
            opts.authorized_keys
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        ),
    }
    println!("  vân tay khóa máy chủ / host key fingerprint:  {fingerprint}  (ED25519)");
    println!();
    if let Some(codes) = &shared.codes {
        println!(
            "Mã tham gia (mỗi mã cho một tên, tên đầu tiên dùng nó) / join codes (each for one name, the first that uses it):"
        );
        for (code, name) in codes.list() {
            match name {
                Some(n) => println!("  {code}  → {n}"),
                None => println!("  {code}"),
            }
        }
        println!();
    }
    println!("--- chỉ cho người hướng dẫn, đừng chiếu / for the trainer only, do not project ---");
    println!(
        "Người hướng dẫn / trainer:  ssh {port_arg}trainer@{host}   (mật khẩu / password: {trainer_secret})"
    );
    println!("Khóa máy chủ / host key:  {}", key_path.display());
    println!("Câu trả lời / answers:  {}", dir.display());
    println!("Dừng / stop:  Ctrl-C");
    let _ = std::io::Write::flush(&mut std::io::stdout());

    let config = Arc::new(russh::server::Config {
        // Idle participants are closed by their session after --idle-timeout, not by russh's
        // 10-minute default; keepalives find dead links instead.
        inactivity_timeout: None,
        keepalive_interval: Some(Duration::from_secs(30)),
        keepalive_max: 4,
        auth_rejection_time: Duration::from_secs(1),
        auth_rejection_time_initial: Some(Duration::ZERO),
        max_auth_attempts: 6,
        nodelay: true,
        keys: vec![key],
        ..Default::default()
    });
    // Every open socket is bounded: logged-in ones by the session caps (plus connections
    // that logged in without a terminal yet), waiting ones by the pre-login caps, which
    // evict rather than refuse, so silent sockets cannot keep anyone out.
    let connections = Connections::new(opts.max_sessions + TRAINER_SLOTS + MAX_PREAUTH + 64);
    let accept_shared = shared.clone();
    let login_timeout = opts.login_timeout;
    rt.spawn(async move {
        loop {
            let Ok((socket, peer)) = listener.accept().await else {
                // Out of file descriptors, most likely: let some close.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            };
            let Some(slot) = connections.try_take() else {
                drop(socket);
                continue;
            };
            let _ = socket.set_nodelay(true);
            let shared = accept_shared.clone();
            let config = config.clone();
            tokio::spawn(async move {
                let _slot = slot;
                let mut handler = Conn::new(shared, Some(peer));
                handler.admit();
                // The login deadline runs from now: banner and key exchange are inside it,
                // and when it passes the socket fails, which ends the connection for real.
                let mut socket = Guarded::new(
                    socket,
                    login_timeout,
                    handler.authed.clone(),
                    handler.kill.clone(),
                );
                if let Some(p) = handler.progress() {
                    socket = socket.with_progress(p);
                }
                if let Ok(running) = russh::server::run_stream(config, socket, handler).await {
                    let _ = running.await;
                }
            });
        }
    });

    if opts.dashboard {
        let mut app = TrainerApp::new(room, room_catalog, opts.data_dir.join("reports"), opts.lang);
        app.color = crate::tui::runner::no_color_unset();
        app.join = Some(match (&shared.codes, &password) {
            (Some(_), _) => {
                format!("ssh {port_arg}<tên/name>@{host} · mã tham gia / join code · {fingerprint}")
            }
            (None, Some(p)) => format!(
                "ssh {port_arg}<tên/name>@{host} · mật khẩu / password: {p} · {fingerprint}"
            ),
            (None, None) => {
                format!("ssh {port_arg}<tên/name>@{host} · khóa / keys · {fingerprint}")
            }
        });
        app.control = Some(shared.clone());
        app.stops_server = true;
        let ran = crate::tui::runner::run_program(&mut app, log).map_err(|e| e.to_string());
        shared.stop_all(GOODBYE_WAIT);
        ran?;
    } else {
        wait_for_stop()?;
        shared.stop_all(GOODBYE_WAIT);
        println!("Dừng máy chủ / stopping; mọi câu trả lời đã được lưu / every answer is saved.");
    }
    rt.shutdown_timeout(Duration::from_secs(2));
    Ok(())
}

/// Blocks until the server is asked to stop: SIGTERM, SIGINT or SIGHUP on Unix.
#[cfg(unix)]
fn wait_for_stop() -> Result<(), String> {
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGHUP,
    ])
    .map_err(|e| e.to_string())?;
    signals.forever().next();
    Ok(())
}

/// Blocks until the server is asked to stop: Ctrl-C in the console (no Unix signals here).
#[cfg(not(unix))]
fn wait_for_stop() -> Result<(), String> {
    use crossterm::event::{Event, KeyCode, KeyModifiers};
    crossterm::terminal::enable_raw_mode().map_err(|e| e.to_string())?;
    loop {
        match crossterm::event::read() {
            Ok(Event::Key(k))
                if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) =>
            {
                break;
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    let _ = crossterm::terminal::disable_raw_mode();
    Ok(())
}
