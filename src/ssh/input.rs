//! Turns the raw bytes a client types into `Key`s. crossterm can only read its own process's
//! terminal, so SSH input goes through terminput's parser (crossterm's parser, reusable on a
//! byte slice). SSH packets cut input anywhere: an escape sequence or a Vietnamese letter
//! (2–3 UTF-8 bytes) can be split across packets, so an incomplete tail is kept for the next
//! packet. A lone Esc is ambiguous (it also starts every arrow key), so it counts only after
//! `ESC_DELAY` with nothing more.

use crate::tui::key::{Input, Key};
use std::time::Duration;
use terminput::Event;

/// How long a lone Esc waits for the rest of a sequence. Arrow keys arrive in one write, so
/// this only has to cover network jitter inside one key press.
pub const ESC_DELAY: Duration = Duration::from_millis(40);

/// Longest incomplete input kept (a bracketed paste in progress); beyond it the bytes are
/// dropped, so a client cannot grow the buffer without bound.
pub const MAX_PENDING: usize = 16 * 1024;

#[derive(Debug, Default)]
pub struct Decoder {
    pending: Vec<u8>,
}

impl Decoder {
    /// Feeds bytes from the client; returns the keys they complete, in order.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Input> {
        let mut out = Vec::new();
        for &b in bytes {
            // A new sequence starting inside an unfinished one (outside a paste): the unfinished
            // one is dropped, as an unknown sequence is (terminput would read across both).
            if b == 0x1b && self.pending.starts_with(b"\x1b[") && !self.in_paste() {
                self.pending.clear();
            }
            self.pending.push(b);
            // ESC alone: the parser would call it Esc at once; wait for the next byte or the
            // timeout instead.
            if self.pending == [0x1b] {
                continue;
            }
            self.parse(&mut out);
        }
        out
    }

    fn in_paste(&self) -> bool {
        self.pending.starts_with(b"\x1b[200~")
    }

    fn parse(&mut self, out: &mut Vec<Input>) {
        match mouse_report(&self.pending) {
            Mouse::Not => {}
            Mouse::Unfinished => return,
            Mouse::Whole => {
                self.pending.clear();
                return;
            }
        }
        match Event::parse_from(&self.pending) {
            Ok(Some(ev)) => {
                self.pending.clear();
                out.extend(Input::from_terminput(ev));
            }
            Ok(None) => {
                if self.pending.len() > MAX_PENDING {
                    self.pending.clear();
                }
            }
            // Not a sequence we know (or invalid UTF-8): drop it, as crossterm does.
            Err(_) => self.pending.clear(),
        }
    }

    /// True when input is incomplete and the caller should call `timeout` after
    /// `ESC_DELAY` unless more bytes arrive.
    pub fn waiting(&self) -> bool {
        !self.pending.is_empty()
    }

    /// No more bytes came: a pending Esc is a real Esc key (what followed it, if anything,
    /// is parsed again); an unfinished paste keeps waiting; a cut UTF-8 tail is dropped.
    pub fn timeout(&mut self) -> Vec<Input> {
        let mut out = Vec::new();
        if self.pending.first() != Some(&0x1b) {
            self.pending.clear();
            return out;
        }
        if self.pending.starts_with(b"\x1b[200~") {
            return out;
        }
        let rest: Vec<u8> = self.pending.drain(..).skip(1).collect();
        out.push(Input::Key(Key::Esc));
        out.extend(self.feed(&rest));
        out
    }
}

/// What the pending bytes are as a mouse report.
#[derive(Debug, PartialEq)]
enum Mouse {
    Not,
    /// An SGR report still arriving: wait for more.
    Unfinished,
    /// A whole report, or bytes that started one and went wrong: consumed.
    Whole,
}

/// Mouse reports with parameters (SGR `ESC [ < b ; x ; y M`/`m`, rxvt `ESC [ b ; x ; y M`).
/// The wizard has no use for the mouse, and terminput's parser subtracts 1 from each coordinate
/// unchecked (a panic on a zero coordinate where overflow is checked, found by `cargo fuzz`), so
/// such reports are consumed here and never reach it. terminput reads anything after `ESC [ <`
/// up to an `M` or `m` as an SGR report, so those bytes are all handled here.
fn mouse_report(p: &[u8]) -> Mouse {
    let param = |b: &u8| (0x30..=0x3f).contains(b);
    if let Some(rest) = p.strip_prefix(b"\x1b[<") {
        return match rest.split_last() {
            None => Mouse::Unfinished,
            Some((last, before)) if before.iter().all(param) => {
                if param(last) && rest.len() <= 32 {
                    Mouse::Unfinished
                } else {
                    // The final M / m, or anything else (garbage, or far too long).
                    Mouse::Whole
                }
            }
            Some(_) => Mouse::Whole,
        };
    }
    match p.strip_prefix(b"\x1b[").and_then(|r| r.split_last()) {
        Some((b'M' | b'm', params)) if !params.is_empty() && params.iter().all(param) => {
            Mouse::Whole
        }
        _ => Mouse::Not,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(chunks: &[&[u8]]) -> Vec<Key> {
        let mut d = Decoder::default();
        let mut out = Vec::new();
        for c in chunks {
            out.extend(d.feed(c));
        }
        out.extend(d.timeout());
        keys(out)
    }

    fn keys(v: Vec<Input>) -> Vec<Key> {
        v.into_iter()
            .map(|i| match i {
                Input::Key(k) => k,
                Input::Paste(_) => panic!("a paste where keys were expected"),
            })
            .collect()
    }

    /// What `cargo fuzz` found: mouse reports with a zero coordinate made terminput's parser
    /// subtract past zero. They are consumed, and the keys after them still arrive.
    #[test]
    fn mouse_reports_are_consumed_even_with_zero_coordinates() {
        for report in [
            &b"\x1b[<0;0\x1b[<0;0m"[..],
            b"\x1b[<0;0;0M",
            b"\x1b[<0;0;0m",
            b"\x1b[0;0;0M",
            b"\x1b[<35;10;5M",
        ] {
            let mut input = report.to_vec();
            input.extend_from_slice(b"a\x1b[A");
            assert_eq!(all(&[&input]), vec![Key::Char('a'), Key::Up], "{report:?}");
            // Byte by byte, as a slow link delivers it.
            let bytes: Vec<&[u8]> = input.chunks(1).collect();
            assert_eq!(all(&bytes), vec![Key::Char('a'), Key::Up], "{report:?}");
        }
        // A report gone wrong (a second find of the fuzzer): no panic; what follows the broken
        // part is read as typed, and later keys still arrive.
        let keys = all(&[b"\x1b[<5;0;[0ma\x1b[A"]);
        assert!(keys.ends_with(&[Key::Char('a'), Key::Up]), "{keys:?}");
    }

    #[test]
    fn arrows_in_both_cursor_modes_and_split_across_packets() {
        assert_eq!(all(&[b"\x1b[A\x1bOB"]), vec![Key::Up, Key::Down]);
        assert_eq!(all(&[b"\x1b", b"[", b"C"]), vec![Key::Right]);
        let mut d = Decoder::default();
        assert_eq!(d.feed(b"\x1b["), vec![]);
        assert!(d.waiting());
        assert_eq!(keys(d.feed(b"D")), vec![Key::Left]);
        assert!(!d.waiting());
    }

    #[test]
    fn lone_esc_counts_only_after_the_timeout() {
        let mut d = Decoder::default();
        assert_eq!(d.feed(b"\x1b"), vec![]);
        assert!(d.waiting());
        assert_eq!(keys(d.timeout()), vec![Key::Esc]);
        // Esc then a letter typed after the delay: two keys.
        assert_eq!(all(&[b"\x1b"]), vec![Key::Esc]);
    }

    #[test]
    fn vietnamese_letters_split_inside_a_code_point() {
        let s = "Việt Nam".as_bytes();
        // 'ệ' is 3 bytes: cut after its first byte, then after its second.
        let keys = all(&[&s[..2], &s[2..3], &s[3..]]);
        let text: String = keys
            .iter()
            .map(|k| match k {
                Key::Char(c) => *c,
                _ => '?',
            })
            .collect();
        assert_eq!(text, "Việt Nam");
    }

    #[test]
    fn backspace_and_delete_as_clients_send_them() {
        assert_eq!(
            all(&[b"\x7f\x08\x1b[3~\r\n\t\x1b[Z\x03"]),
            vec![
                Key::Backspace,
                Key::Backspace,
                Key::Delete,
                Key::Enter,
                Key::Enter,
                Key::Tab,
                Key::BackTab,
                Key::Ctrl('c')
            ]
        );
        // PuTTY's Home / End.
        assert_eq!(all(&[b"\x1b[1~\x1b[4~"]), vec![Key::Home, Key::End]);
    }

    #[test]
    fn bracketed_paste_split_and_bounded() {
        // A paste arrives whole, line breaks as the client sent them (never typed as keys).
        let mut d = Decoder::default();
        let mut out = Vec::new();
        for c in [&b"\x1b[200~ab"[..], "ờ\r\nc".as_bytes(), b"\x1b[201~"] {
            out.extend(d.feed(c));
        }
        assert_eq!(out, vec![Input::Paste("abờ\r\nc".into())]);
        // An endless paste is dropped, not buffered forever.
        let mut d = Decoder::default();
        d.feed(b"\x1b[200~");
        d.feed(&vec![b'x'; MAX_PENDING + 10]);
        assert!(d.pending.len() <= MAX_PENDING);
        // A paste in progress survives a pause.
        let mut d = Decoder::default();
        d.feed(b"\x1b[200~ab");
        assert_eq!(d.timeout(), vec![]);
        assert_eq!(d.feed(b"\x1b[201~"), vec![Input::Paste("ab".into())]);
    }

    #[test]
    fn garbage_is_dropped_and_input_goes_on() {
        // Invalid UTF-8 then a key.
        assert_eq!(all(&[b"\xff", b"x"]), vec![Key::Char('x')]);
        // Mouse reports and focus events are ignored.
        assert_eq!(
            all(&[b"\x1b[<0;3;4M", b"\x1b[I", b"y"]),
            vec![Key::Char('y')]
        );
    }
}
