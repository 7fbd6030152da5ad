//! Plain line mode over an SSH channel: for a participant whose terminal sends `TERM=dumb`, or
//! who asks for it (`ssh -t host plain`, or `ssh host plain` without a terminal). The wizard
//! runs through `crate::plain`; this file turns the channel into lines and back.
//!
//! With a terminal (a PTY was requested) the client sends each key as it is typed, so this side
//! echoes and edits the line as a terminal's line discipline would (Backspace erases, Ctrl-U
//! clears, Ctrl-D on an empty line or Ctrl-C ends); arrow keys and other escape sequences are
//! dropped. Without one, the client's own terminal edits and echoes, and whole lines arrive.
//! Nothing written is an escape sequence: line ends are CR LF.

use super::session::{End, Io, SessionIn};
use crate::plain::{Ended, LineSource, Start};
use crate::tui::app::App;
use std::collections::VecDeque;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};
use unicode_segmentation::UnicodeSegmentation;

/// The longest line kept from a participant (bytes); typing beyond it is dropped.
pub const MAX_LINE: usize = 8 * 1024;

/// How a plain session over SSH is set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mode {
    /// The client has a terminal in raw mode: echo and edit here.
    pub echo: bool,
    /// Chosen because of `TERM=dumb` (say so, and how to get the full screen).
    pub dumb: bool,
}

/// The channel's output: `\n` becomes CR LF; a write fails once the client is gone.
struct ChannelOut<'a> {
    io: &'a Io,
}

impl std::io::Write for ChannelOut<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut bytes = Vec::with_capacity(buf.len() + 8);
        for &b in buf {
            if b == b'\n' {
                bytes.push(b'\r');
            }
            bytes.push(b);
        }
        if self.io.out.write(bytes) {
            Ok(buf.len())
        } else {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What a byte does to the line being typed.
#[derive(Debug, Default)]
struct LineEditor {
    line: String,
    /// Bytes of an incomplete UTF-8 character.
    partial: Vec<u8>,
    /// Inside an escape sequence (arrow keys and the like), dropped.
    escape: Escape,
    /// The last line ended with CR: a following LF is the same line end.
    after_cr: bool,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Escape {
    #[default]
    None,
    Started,
    Csi,
}

/// What the editor made of some bytes.
#[derive(Debug, Default, PartialEq)]
struct Edited {
    lines: Vec<String>,
    /// What to echo (only used with a terminal).
    echo: Vec<u8>,
    /// Ctrl-C, or Ctrl-D on an empty line: the end of input.
    end: bool,
}

impl LineEditor {
    fn feed(&mut self, bytes: &[u8]) -> Edited {
        let mut out = Edited::default();
        for &b in bytes {
            if out.end {
                break;
            }
            match self.escape {
                Escape::Started => {
                    self.escape = if b == b'[' || b == b'O' {
                        Escape::Csi
                    } else {
                        Escape::None
                    };
                    continue;
                }
                Escape::Csi => {
                    if (0x40..=0x7e).contains(&b) {
                        self.escape = Escape::None;
                    }
                    continue;
                }
                Escape::None => {}
            }
            let after_cr = std::mem::take(&mut self.after_cr);
            match b {
                b'\r' | b'\n' => {
                    if b == b'\n' && after_cr {
                        continue;
                    }
                    self.after_cr = b == b'\r';
                    self.partial.clear();
                    out.lines.push(std::mem::take(&mut self.line));
                    out.echo.extend_from_slice(b"\r\n");
                }
                0x7f | 0x08 => {
                    if let Some((i, g)) = self.line.grapheme_indices(true).next_back() {
                        let w = crate::text::width(g).max(1);
                        self.line.truncate(i);
                        for _ in 0..w {
                            out.echo.extend_from_slice(b"\x08 \x08");
                        }
                    }
                }
                0x15 => {
                    let w = crate::text::width(&self.line);
                    self.line.clear();
                    for _ in 0..w {
                        out.echo.extend_from_slice(b"\x08 \x08");
                    }
                }
                0x03 => out.end = true,
                // Ctrl-D: the end on an empty line; else the line as it is (as a terminal).
                0x04 if self.line.is_empty() => out.end = true,
                0x04 => {
                    out.lines.push(std::mem::take(&mut self.line));
                    out.echo.extend_from_slice(b"\r\n");
                }
                0x1b => self.escape = Escape::Started,
                b'\t' => self.push(" ", &mut out),
                b if b < 0x20 => {}
                b => {
                    self.partial.push(b);
                    match std::str::from_utf8(&self.partial) {
                        Ok(s) => {
                            let s = s.to_string();
                            self.partial.clear();
                            if !s.chars().any(char::is_control) {
                                self.push(&s, &mut out);
                            }
                        }
                        Err(e) if e.error_len().is_some() || self.partial.len() >= 4 => {
                            self.partial.clear();
                        }
                        Err(_) => {}
                    }
                }
            }
        }
        out
    }

    fn push(&mut self, s: &str, out: &mut Edited) {
        if self.line.len() + s.len() <= MAX_LINE {
            self.line.push_str(s);
            out.echo.extend_from_slice(s.as_bytes());
        }
    }
}

/// The channel's input as lines.
struct ChannelLines<'a> {
    io: &'a Io,
    mode: Mode,
    editor: LineEditor,
    ready: VecDeque<String>,
    /// Why input ended, once it has.
    end: Option<End>,
    last_input: Instant,
    after_input: &'a dyn Fn(),
    /// The trainer's line last printed.
    banner: Option<String>,
}

impl ChannelLines<'_> {
    fn say(&self, text: &str) {
        let _ = self.io.out.write(format!("\r\n{text}\r\n").into_bytes());
    }

    /// The trainer's line to everyone, printed when it changes.
    fn check_banner(&mut self) {
        let now = self
            .io
            .banner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if now != self.banner {
            if let Some(b) = &now {
                let clean: String = b.chars().filter(|c| !c.is_control()).collect();
                self.say(&format!("Người hướng dẫn / trainer: {clean}"));
            }
            self.banner = now;
        }
    }
}

impl LineSource for ChannelLines<'_> {
    fn read_line(&mut self) -> Option<String> {
        loop {
            if let Some(l) = self.ready.pop_front() {
                return Some(l);
            }
            if self.end.is_some() {
                return None;
            }
            if let Some(end) = end_of(self.io.out.ctl()) {
                self.end = Some(end);
                return None;
            }
            let mut wait = Duration::from_secs(3600);
            if let Some(idle) = self.io.idle {
                let left = idle.saturating_sub(self.last_input.elapsed());
                if left.is_zero() {
                    self.end = Some(End::Idle);
                    return None;
                }
                wait = wait.min(left);
            }
            match self.io.input.recv_timeout(wait) {
                Ok(SessionIn::Bytes(b)) => {
                    self.last_input = Instant::now();
                    let edited = self.editor.feed(&b);
                    if self.mode.echo && !edited.echo.is_empty() {
                        let _ = self.io.out.write(edited.echo);
                    }
                    if !edited.lines.is_empty() {
                        (self.after_input)();
                    }
                    self.ready.extend(edited.lines);
                    if edited.end {
                        self.end = Some(End::Quit);
                    }
                }
                Ok(SessionIn::Resized | SessionIn::Wake) => self.check_banner(),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    self.end = Some(End::Gone);
                }
            }
        }
    }
}

fn end_of(ctl: super::session::Ctl) -> Option<End> {
    use super::session::Ctl;
    match ctl {
        Ctl::Run => None,
        Ctl::Replaced => Some(End::Replaced),
        Ctl::Stopped => Some(End::Stopped),
        Ctl::Removed => Some(End::Removed),
    }
}

/// Runs the wizard of `app` in plain lines over the channel until the participant quits, the
/// input ends, or the server ends the session.
pub fn run(app: &mut App, io: &Io, mode: Mode, after_input: &dyn Fn()) -> End {
    let lang = app.lang();
    let mut out = ChannelOut { io };
    if mode.dumb {
        let note = crate::i18n::tr(
            lang,
            "sansang: chế độ dòng lệnh đơn giản vì TERM=dumb; để dùng giao diện toàn màn hình, hãy kết nối từ một terminal khác (TERM không phải dumb).",
            "sansang: plain line mode because TERM=dumb; for the full-screen wizard, connect from a terminal whose TERM is not dumb.",
        );
        if std::io::Write::write_all(&mut out, format!("{note}\n").as_bytes()).is_err() {
            return end_of(io.out.ctl()).unwrap_or(End::Gone);
        }
    }
    let mut lines = ChannelLines {
        io,
        mode,
        editor: LineEditor::default(),
        ready: VecDeque::new(),
        end: None,
        last_input: Instant::now(),
        after_input,
        banner: None,
    };
    lines.check_banner();
    let result = crate::plain::run(app, Start::Home, &mut lines, &mut out, !mode.echo);
    match (lines.end, result) {
        (_, Err(_)) => end_of(io.out.ctl()).unwrap_or(End::Gone),
        (Some(end), Ok(_)) => end,
        (None, Ok(Ended::Saved | Ended::NotSaved(_))) => End::Quit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_keys_become_lines_with_a_terminals_editing() {
        let mut e = LineEditor::default();
        let out = e.feed(b"ab\x7fc\r");
        assert_eq!(out.lines, vec!["ac".to_string()]);
        assert_eq!(out.echo, b"ab\x08 \x08c\r\n".to_vec());
        // CR LF is one line end; arrows are dropped; Vietnamese arrives in pieces.
        let s = "Sở Nội vụ".as_bytes();
        let mut out = e.feed(b"\n\x1b[A");
        assert!(out.lines.is_empty());
        out = e.feed(&s[..2]);
        out.lines.extend(e.feed(&s[2..]).lines);
        assert!(out.lines.is_empty());
        assert_eq!(e.feed(b"\n").lines, vec!["Sở Nội vụ".to_string()]);
        // Backspace takes a whole grapheme.
        e.feed("ệ".as_bytes());
        e.feed(b"\x7f");
        assert_eq!(e.feed(b"\r").lines, vec![String::new()]);
        // Ctrl-D on an empty line ends the input, else sends the line; Ctrl-U clears.
        assert_eq!(e.feed(b"x\x04").lines, vec!["x".to_string()]);
        let out = e.feed(b"z\x15y\r");
        assert_eq!(out.lines, vec!["y".to_string()]);
        let out = e.feed(b"last\x04\x04");
        assert_eq!((out.lines, out.end), (vec!["last".to_string()], true));
        // Nothing echoed is an escape character.
        assert!(
            !LineEditor::default()
                .feed(b"\x1b[1;5Dq\x1bOA\r")
                .echo
                .contains(&0x1b)
        );
    }
}
