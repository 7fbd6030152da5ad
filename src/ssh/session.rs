//! One terminal session over SSH: a thread that owns its program (the wizard or the trainer
//! dashboard), its input decoder and its screen buffer. Blocking on the client's channel
//! only ever stalls this thread: while a frame is being written, new input waits in the
//! queue and is applied all at once, then one frame shows the latest state (stale frames are
//! never drawn, so a slow client gets fewer frames, not a growing queue).

use super::input::{Decoder, ESC_DELAY};
use crate::tui::Program;
use crate::tui::painter::Painter;
use ratatui::layout::Rect;
use russh::ChannelId;
use russh::server::Handle;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Sizes a client may announce are clamped to this (a 65535×65535 window would make a
/// multi-gigabyte screen buffer).
pub const MIN_COLS: u16 = 20;
pub const MAX_COLS: u16 = 300;
pub const MIN_ROWS: u16 = 8;
pub const MAX_ROWS: u16 = 120;

/// A window size as the client sent it, made safe; 0 (unknown) becomes 80×24.
pub fn clamp_size(cols: u32, rows: u32) -> (u16, u16) {
    let c = if cols == 0 { 80 } else { cols };
    let r = if rows == 0 { 24 } else { rows };
    (
        c.clamp(MIN_COLS as u32, MAX_COLS as u32) as u16,
        r.clamp(MIN_ROWS as u32, MAX_ROWS as u32) as u16,
    )
}

/// The latest window size, shared between the SSH handler and the session (only the last
/// one matters, so it is a cell, not a queue).
#[derive(Debug, Clone)]
pub struct SizeCell(Arc<AtomicU32>);

impl SizeCell {
    pub fn new(size: (u16, u16)) -> Self {
        SizeCell(Arc::new(AtomicU32::new(pack(size))))
    }
    pub fn set(&self, size: (u16, u16)) {
        self.0.store(pack(size), Ordering::Relaxed);
    }
    pub fn get(&self) -> (u16, u16) {
        let v = self.0.load(Ordering::Relaxed);
        ((v >> 16) as u16, v as u16)
    }
}

fn pack((w, h): (u16, u16)) -> u32 {
    ((w as u32) << 16) | h as u32
}

/// What the SSH handler tells a session.
#[derive(Debug)]
pub enum SessionIn {
    Bytes(Vec<u8>),
    /// The window size changed (read it from the `SizeCell`).
    Resized,
    /// Look at the session's control and the room's broadcast line again.
    Wake,
}

/// What the server wants of a session (a `watch` channel, so a session blocked on a slow
/// client's write sees it too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctl {
    Run,
    /// The same participant connected again elsewhere.
    Replaced,
    /// The server is stopping.
    Stopped,
    /// The trainer removed this participant from the room.
    Removed,
}

/// Writes to the client's channel from the session thread.
pub struct Output {
    pub rt: tokio::runtime::Handle,
    pub handle: Handle,
    pub channel: ChannelId,
    pub ctl: tokio::sync::watch::Receiver<Ctl>,
}

/// How long the last line and the close may take (a dead link never takes them).
pub const FINISH_LIMIT: Duration = Duration::from_secs(2);

impl Output {
    /// Sends bytes and waits until russh has taken them (its queue is bounded, so a stalled
    /// client blocks here, on this session's thread only). False once the client is gone, or
    /// when the server asks the session to end meanwhile.
    pub fn write(&self, bytes: Vec<u8>) -> bool {
        if bytes.is_empty() {
            return true;
        }
        let mut ctl = self.ctl.clone();
        self.rt.block_on(async {
            tokio::select! {
                r = self.handle.data(self.channel, bytes) => r.is_ok(),
                _ = ctl.wait_for(|c| *c != Ctl::Run) => false,
            }
        })
    }

    /// What the server asks of this session now.
    pub fn ctl(&self) -> Ctl {
        *self.ctl.borrow()
    }

    /// Writes the last bytes and ends the channel with an exit status, as a finished program
    /// would; gives up after `FINISH_LIMIT`.
    pub fn last(&self, bytes: Vec<u8>, status: u32) {
        let h = &self.handle;
        let ch = self.channel;
        self.rt.block_on(async {
            let _ = tokio::time::timeout(FINISH_LIMIT, async {
                let _ = h.data(ch, bytes).await;
                let _ = h.exit_status_request(ch, status).await;
                let _ = h.eof(ch).await;
                let _ = h.close(ch).await;
            })
            .await;
        });
    }
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The user quit.
    Quit,
    /// The connection dropped.
    Gone,
    /// No input for the idle limit.
    Idle,
    /// The same participant connected again elsewhere.
    Replaced,
    /// The server is stopping.
    Stopped,
    /// The trainer removed this participant.
    Removed,
    /// The name's previous session did not let go of the file in time.
    Busy,
}

impl End {
    fn of(ctl: Ctl) -> Option<End> {
        match ctl {
            Ctl::Run => None,
            Ctl::Replaced => Some(End::Replaced),
            Ctl::Stopped => Some(End::Stopped),
            Ctl::Removed => Some(End::Removed),
        }
    }
}

pub struct Io {
    pub input: Receiver<SessionIn>,
    /// The sending end of `input`, to wake the session when work done elsewhere is ready.
    pub wake: SyncSender<SessionIn>,
    pub size: SizeCell,
    pub out: Output,
    /// Close after this long without a key (`None`: never).
    pub idle: Option<Duration>,
    /// The trainer's line to everyone, shown on the top row while set.
    pub banner: Arc<Mutex<Option<String>>>,
}

const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l\x1b[?2004h\x1b[2J";
const LEAVE: &[u8] = b"\x1b[?2004l\x1b[?25h\x1b[?1049l";

/// Runs `program` until it quits or the client goes; `after_input` runs after each batch of
/// keys, and after work done off this thread (to tell the room something may have changed).
/// Slow effects (saves) run on workers; their results wake the session through `io.wake`.
/// Whatever ends the session, its last save lands before this returns (and before the file's
/// lock is let go).
pub fn run<P: Program>(program: &mut P, io: &Io, after_input: &dyn Fn()) -> End {
    let (done_tx, done) = std::sync::mpsc::channel();
    let wake = io.wake.clone();
    let jobs = crate::tui::jobs::Jobs::deferred(move |m| {
        // The result never waits on the bounded input queue; a full queue wakes the session
        // anyway.
        let _ = done_tx.send(m);
        let _ = wake.try_send(SessionIn::Wake);
    });
    program.attach(jobs.clone());
    let end = run_loop(program, io, &done, &jobs, after_input);
    program.settle();
    end
}

fn run_loop<P: Program>(
    program: &mut P,
    io: &Io,
    done: &Receiver<crate::tui::Msg>,
    jobs: &crate::tui::jobs::Jobs,
    after_input: &dyn Fn(),
) -> End {
    let (w, h) = io.size.get();
    let Ok(mut painter) = Painter::new(w, h) else {
        return End::Gone;
    };
    let gone = || End::of(io.out.ctl()).unwrap_or(End::Gone);
    if !io.out.write(ENTER.to_vec()) {
        return gone();
    }
    program.start(w, h);
    let mut size = (w, h);
    let mut decoder = Decoder::default();
    let mut last_input = Instant::now();
    let mut dirty = true;
    loop {
        if let Some(end) = End::of(io.out.ctl()) {
            return end;
        }
        if program.done() {
            return End::Quit;
        }
        if dirty {
            let now = io.size.get();
            if now != size {
                size = now;
                painter.resize(size.0, size.1);
                program.resize(size.0, size.1);
            }
            let banner = io.banner.lock().unwrap_or_else(|e| e.into_inner()).clone();
            let drawn = painter.paint(
                |f| {
                    program.draw(f);
                    if let Some(b) = &banner {
                        draw_banner(f, b);
                    }
                },
                // The one write in flight: input arriving meanwhile queues up and is applied
                // before the next frame.
                |frame| match io.out.write(frame) {
                    true => Ok(()),
                    false => Err(std::io::ErrorKind::BrokenPipe.into()),
                },
            );
            if drawn.is_err() {
                return gone();
            }
            // The frame showing the change is out: now the save may run.
            jobs.release();
            dirty = false;
        }
        // Sleep until input, the Esc delay, the program's tick or the idle limit.
        let mut wait = Duration::from_secs(3600);
        if decoder.waiting() {
            wait = wait.min(ESC_DELAY);
        }
        if let Some(t) = program.tick_every() {
            wait = wait.min(t);
        }
        if let Some(idle) = io.idle {
            let left = idle.saturating_sub(last_input.elapsed());
            if left.is_zero() {
                return End::Idle;
            }
            wait = wait.min(left);
        }
        let first = match io.input.recv_timeout(wait) {
            Ok(m) => Some(m),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return End::Gone,
        };
        let mut keys = Vec::new();
        let mut resized = false;
        match &first {
            None => {
                if decoder.waiting() {
                    keys.extend(decoder.timeout());
                }
                if program.tick() {
                    dirty = true;
                }
            }
            Some(_) => {
                for m in first
                    .into_iter()
                    .chain(std::iter::from_fn(|| io.input.try_recv().ok()))
                {
                    match m {
                        SessionIn::Bytes(b) => keys.extend(decoder.feed(&b)),
                        SessionIn::Resized | SessionIn::Wake => resized = true,
                    }
                }
            }
        }
        if resized {
            dirty = true;
        }
        // Work done off this thread (a save landed).
        let mut delivered = false;
        for m in done.try_iter() {
            program.deliver(m);
            delivered = true;
        }
        if delivered {
            after_input();
            dirty = true;
        }
        if !keys.is_empty() {
            last_input = Instant::now();
            for k in keys {
                match k {
                    crate::tui::key::Input::Key(k) => program.key(k),
                    crate::tui::key::Input::Paste(t) => program.paste(t),
                }
                if program.done() {
                    break;
                }
            }
            after_input();
            dirty = true;
        }
    }
}

/// The trainer's broadcast line over the top row, in reverse video (visible without colour).
fn draw_banner(f: &mut ratatui::Frame, text: &str) {
    let area = f.area();
    let row = Rect::new(area.x, area.y, area.width, 1.min(area.height));
    let w = area.width as usize;
    let line = crate::text::pad(&crate::text::truncate(&format!(" » {text}"), w), w);
    f.render_widget(ratatui::widgets::Clear, row);
    f.render_widget(
        ratatui::widgets::Paragraph::new(line).style(
            ratatui::style::Style::default().add_modifier(ratatui::style::Modifier::REVERSED),
        ),
        row,
    );
}

/// Leaves the client's terminal as it was (bracketed paste off, cursor shown, main screen),
/// with a last line of explanation, and closes the channel.
pub fn finish(out: &Output, message: &str, status: u32) {
    out.last(goodbye_bytes(message), status);
}

/// `LEAVE`, then the message with CR LF line ends.
pub fn goodbye_bytes(message: &str) -> Vec<u8> {
    let mut bytes = LEAVE.to_vec();
    bytes.extend_from_slice(message.replace('\n', "\r\n").as_bytes());
    bytes.extend_from_slice(b"\r\n");
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_sizes_are_clamped() {
        assert_eq!(clamp_size(65535, 65535), (MAX_COLS, MAX_ROWS));
        assert_eq!(clamp_size(0, 0), (80, 24));
        assert_eq!(clamp_size(1, 1), (MIN_COLS, MIN_ROWS));
        assert_eq!(clamp_size(120, 40), (120, 40));
        let bytes = goodbye_bytes("a\nb");
        let text = String::from_utf8(bytes).unwrap();
        // Cursor shown and the alternate screen left before the message.
        assert!(
            text.starts_with("\x1b[?2004l\x1b[?25h\x1b[?1049l"),
            "{text:?}"
        );
        assert!(text.ends_with("a\r\nb\r\n"), "{text:?}");
        let c = SizeCell::new((100, 30));
        c.set((300, 120));
        assert_eq!(c.get(), (300, 120));
    }
}
