//! Frames from a program to a terminal, each as one write: what both runners (this process's
//! terminal, an SSH channel) draw with.
//!
//! ratatui's `Terminal::draw` renders into one of two buffers, writes the cells that differ
//! from the other (the last frame), and clears that other buffer for the next frame. On the way
//! from a key to the screen, two of its costs are avoidable, and at 200×60 (12,000 cells)
//! they were a third of a frame's time:
//! - it clears the spare buffer before the frame goes out; here that waits until after;
//! - its diff looks up the display width of every cell's text, to step over the hidden halves
//!   of wide characters. A frame whose cells are all one column wide (the usual one: Vietnamese
//!   text and the symbols the screens use, see `text::simple_width`), after a frame of the same
//!   kind, is compared cell by cell instead, which gives the same cells (a test compares the two
//!   on random frames). Any other frame takes ratatui's diff.

use ratatui::Frame;
use ratatui::backend::{Backend, ClearType, CrosstermBackend};
use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::layout::Rect;
use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

/// Where the backend writes a frame: kept until the frame is complete, then taken out whole
/// (ratatui and crossterm flush after single commands, which would otherwise each be a write of
/// its own).
#[derive(Clone, Default)]
struct FrameBuf(Rc<RefCell<Vec<u8>>>);

/// A synchronized update: the terminal shows the frame whole, never half drawn.
const SYNC_BEGIN: &[u8] = b"\x1b[?2026h";
const SYNC_END: &[u8] = b"\x1b[?2026l";

impl FrameBuf {
    /// What was written since the last call, in a synchronized-update bracket (nothing when
    /// nothing was written).
    fn take(&self) -> Vec<u8> {
        let mut buf = self.0.borrow_mut();
        if buf.is_empty() {
            return vec![];
        }
        let mut frame = Vec::with_capacity(buf.len() + SYNC_BEGIN.len() + SYNC_END.len());
        frame.extend_from_slice(SYNC_BEGIN);
        frame.append(&mut buf);
        frame.extend_from_slice(SYNC_END);
        frame
    }
}

impl Write for FrameBuf {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    /// Nothing goes out before the frame is complete (see `take`).
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

type Term = ratatui::Terminal<CrosstermBackend<FrameBuf>>;

/// A terminal of a known size that frames are drawn for.
pub struct Painter {
    term: Term,
    out: FrameBuf,
    /// The frame on the screen, and whether all its cells are one column wide (`plain`).
    last: Buffer,
    last_plain: bool,
    /// The buffer swapped out of the terminal while its frame is compared and written.
    spare: Buffer,
}

impl Painter {
    /// A terminal of `width` × `height` cells, with nothing drawn on it yet.
    pub fn new(width: u16, height: u16) -> std::io::Result<Painter> {
        let out = FrameBuf::default();
        let area = Rect::new(0, 0, width, height);
        let term = ratatui::Terminal::with_options(
            CrosstermBackend::new(out.clone()),
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(area),
            },
        )?;
        Ok(Painter {
            term,
            out,
            last: Buffer::empty(area),
            last_plain: true,
            spare: Buffer::empty(area),
        })
    }

    pub fn area(&self) -> Rect {
        self.last.area
    }

    /// The terminal's new size: the next frame is drawn whole on a cleared screen.
    pub fn resize(&mut self, width: u16, height: u16) {
        let area = Rect::new(0, 0, width, height);
        // ratatui clears a fixed viewport after asking this process's terminal for its size,
        // which is not an SSH client's terminal (and may not exist): its error is of no
        // consequence, since the clear that counts is written here.
        let _ = self.term.resize(area);
        let _ = self.term.backend_mut().clear_region(ClearType::All);
        self.last = Buffer::empty(area);
        self.last_plain = true;
    }

    /// Draws a frame with `render` and hands its bytes to `send` (one write), then readies the
    /// buffer for the next frame. The terminal's own cursor stays hidden, as with
    /// `Terminal::draw` when nothing sets it: the programs draw their cursors as styled cells.
    pub fn paint(
        &mut self,
        render: impl FnOnce(&mut Frame),
        send: impl FnOnce(Vec<u8>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut frame = self.term.get_frame();
        render(&mut frame);
        // The drawn buffer comes out of the terminal, so that its cells can be written through
        // the terminal's backend.
        std::mem::swap(self.term.current_buffer_mut(), &mut self.spare);
        let next = &self.spare;
        if self.last.area != next.area {
            self.last = Buffer::empty(next.area);
            self.last_plain = true;
        }
        let (updates, plain) = changes(&self.last, self.last_plain, next);
        let written = self
            .term
            .backend_mut()
            .draw(updates.into_iter())
            .and_then(|()| self.term.hide_cursor())
            .and_then(|()| send(self.out.take()));
        // After the frame is out: it is now the last one, and the one before, cleared, is the
        // next to draw into.
        std::mem::swap(&mut self.last, &mut self.spare);
        self.last_plain = plain;
        self.spare.resize(self.last.area);
        self.spare.reset();
        std::mem::swap(self.term.current_buffer_mut(), &mut self.spare);
        written
    }
}

/// The cells of `next` to write over `last` (`last_plain`: whether all of `last`'s cells are
/// [`plain`]), as `Buffer::diff` gives them; and whether all of `next`'s cells are plain.
/// Both buffers have the same area.
fn changes<'a>(
    last: &Buffer,
    last_plain: bool,
    next: &'a Buffer,
) -> (Vec<(u16, u16, &'a Cell)>, bool) {
    if last_plain && let Some(updates) = plain_changes(last, next) {
        return (updates, true);
    }
    (last.diff(next), next.content.iter().all(plain))
}

/// `Buffer::diff` of two frames made of [`plain`] cells (`last`'s are): every cell that
/// differs (no cell is wide, so none hides another). `None` as soon as a cell of `next` is not
/// plain. A cell equal to its predecessor is plain like it, so only the changed cells (a few
/// hundred of the 12,000) are looked at more closely.
fn plain_changes<'a>(last: &Buffer, next: &'a Buffer) -> Option<Vec<(u16, u16, &'a Cell)>> {
    let width = usize::from(next.area.width.max(1));
    let mut updates = Vec::new();
    for (i, (cell, before)) in next.content.iter().zip(&last.content).enumerate() {
        if same(cell, before) {
            continue;
        }
        if !plain(cell) {
            return None;
        }
        let x = next.area.x + (i % width) as u16;
        let y = next.area.y + (i / width) as u16;
        updates.push((x, y, cell));
    }
    Some(updates)
}

/// `Cell::eq` where `b` is plain (its symbol at most four bytes): the symbol compared without a
/// call to `memcmp`, which made `Cell::eq` most of a frame's diff.
#[allow(deprecated)] // `skip`, which `Cell::eq` compares.
fn same(a: &Cell, b: &Cell) -> bool {
    let (x, y) = (a.symbol().as_bytes(), b.symbol().as_bytes());
    x.len() == y.len()
        && x.iter().zip(y).all(|(p, q)| p == q)
        && a.fg == b.fg
        && a.bg == b.bg
        && a.modifier == b.modifier
        && a.underline_color == b.underline_color
        && a.diff_option == b.diff_option
        && a.skip == b.skip
}

/// A cell `Buffer::diff` treats as one column wide and compares like any other: one byte (the
/// width ratatui gives any single byte), or one of `text::simple_width`'s characters, and
/// nothing asking the diff to skip it or to force a width.
#[allow(deprecated)] // `skip`, which the diff still honours.
fn plain(cell: &Cell) -> bool {
    if cell.skip || cell.diff_option != CellDiffOption::None {
        return false;
    }
    let s = cell.symbol();
    s.len() == 1 || (s.chars().nth(1).is_none() && crate::text::simple_width(s) == Some(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier, Style};
    use ratatui::text::Line;
    use ratatui::widgets::{Paragraph, Widget};

    /// Seeded, so a failure can be replayed.
    fn rng(seed: u64) -> fastrand::Rng {
        fastrand::Rng::with_seed(seed)
    }

    fn pick<T: Copy>(rng: &mut fastrand::Rng, from: &[T]) -> T {
        from[rng.usize(..from.len())]
    }

    const PLAIN: &[&str] = &["a", " ", "ệ", "Đ", "─", "▶", "●", "…", "✓", "~", "·"];
    /// Not an emoji with U+FE0F: on random frames ratatui's own diff can index past the end
    /// with one (its trailing-cell workaround); such a frame takes that diff here too.
    const OTHER: &[&str] = &["数", "🔒", "e\u{302}", "", "\u{200b}"];
    const STYLES: &[Style] = &[
        Style::new(),
        Style::new().fg(Color::Red),
        Style::new().bg(Color::Blue),
        Style::new().add_modifier(Modifier::REVERSED),
        Style::new()
            .bg(Color::Rgb(1, 2, 3))
            .add_modifier(Modifier::BOLD),
    ];

    /// A buffer of random cells, some taken from `like` (a frame is mostly its predecessor),
    /// with symbols from `symbols`; the last column one wide, as drawing leaves it (ratatui's
    /// diff panics on a wide character there).
    fn random(
        rng: &mut fastrand::Rng,
        area: Rect,
        like: Option<&Buffer>,
        symbols: &[&str],
    ) -> Buffer {
        let mut b = Buffer::empty(area);
        let w = usize::from(area.width);
        for (i, cell) in b.content.iter_mut().enumerate() {
            let symbols = if i % w == w - 1 { PLAIN } else { symbols };
            if let Some(like) = like
                && rng.usize(..4) != 0
                && (i % w != w - 1 || plain(&like.content[i]))
            {
                *cell = like.content[i].clone();
                continue;
            }
            cell.set_symbol(pick(rng, symbols));
            cell.set_style(pick(rng, STYLES));
            match rng.usize(..400) {
                0 => cell.set_diff_option(CellDiffOption::Skip),
                1 => cell.set_diff_option(CellDiffOption::AlwaysUpdate),
                _ => cell,
            };
        }
        b
    }

    fn owned(u: Vec<(u16, u16, &Cell)>) -> Vec<(u16, u16, Cell)> {
        u.into_iter().map(|(x, y, c)| (x, y, c.clone())).collect()
    }

    #[test]
    fn the_diff_is_ratatuis_for_any_two_frames() {
        let mut rng = rng(0x5EED_1234_ABCD_0001);
        let mut plain_frames = 0;
        for round in 0..3000 {
            let area = Rect::new(round % 3, round % 2, 1 + (round % 17), 1 + (round % 5));
            let mixed: Vec<&str> = PLAIN.iter().chain(OTHER).copied().collect();
            let symbols = if round % 3 == 0 { &mixed[..] } else { PLAIN };
            let last = random(&mut rng, area, None, symbols);
            let next = random(&mut rng, area, Some(&last), symbols);
            let last_plain = last.content.iter().all(plain);
            if std::panic::catch_unwind(|| last.diff(&next)).is_err() {
                eprintln!("{last:?}\n{next:?}");
                panic!();
            }
            let (got, next_plain) = changes(&last, last_plain, &next);
            assert_eq!(owned(got), owned(last.diff(&next)), "round {round}");
            assert_eq!(next_plain, next.content.iter().all(plain), "round {round}");
            if last_plain && next_plain {
                plain_frames += 1;
                assert!(plain_changes(&last, &next).is_some());
            }
        }
        // The fast path was taken, and not only for trivial frames.
        assert!(plain_frames > 1000, "{plain_frames}");
    }

    #[test]
    fn only_one_column_cells_are_plain() {
        for s in PLAIN {
            assert!(plain(&Cell::new(s)), "{s:?}");
        }
        for s in OTHER {
            assert!(!plain(&Cell::new(s)), "{s:?}");
        }
        assert!(plain(&Cell::default()));
        assert!(!plain(Cell::new("a").set_diff_option(CellDiffOption::Skip)));
    }

    /// Paints `lines` and returns the screen as a terminal shows it after every frame so far.
    fn paint(p: &mut Painter, screen: &mut vt100::Parser, lines: &[String]) -> String {
        let text: Vec<Line> = lines.iter().map(|l| Line::from(l.as_str())).collect();
        p.paint(
            |f| Paragraph::new(text).render(f.area(), f.buffer_mut()),
            |bytes| {
                screen.process(&bytes);
                Ok(())
            },
        )
        .unwrap();
        screen.screen().contents()
    }

    /// The graphemes of `l` that fit in `w` columns, as a paragraph draws a line too long.
    fn cut(l: &str, w: usize) -> String {
        use unicode_segmentation::UnicodeSegmentation;
        let (mut out, mut n) = (String::new(), 0);
        for g in l.graphemes(true) {
            n += crate::text::width(g);
            if n > w {
                break;
            }
            out.push_str(g);
        }
        out
    }

    /// What the screen should show: the lines, cut to the width, trailing blanks dropped.
    fn shown(lines: &[String], w: usize, h: usize) -> String {
        let rows: Vec<String> = (0..h)
            .map(|i| {
                let l = lines.get(i).map_or("", String::as_str);
                cut(l, w).trim_end().to_string()
            })
            .collect();
        rows.join("\n").trim_end().to_string()
    }

    #[test]
    fn a_terminal_shows_every_frame_after_any_sequence_of_frames_and_resizes() {
        let mut rng = rng(0xFACE_0000_0000_0042);
        let words = [
            "Chuyển",
            "đổi",
            "số",
            "─────",
            "▶ (●)",
            "数字",
            "🔒",
            "…",
            "a",
        ];
        let (mut w, mut h) = (30u16, 6u16);
        let mut p = Painter::new(w, h).unwrap();
        let mut screen = vt100::Parser::new(h, w, 0);
        for round in 0..300 {
            if round % 37 == 36 {
                w = rng.u16(10..40);
                h = rng.u16(2..10);
                p.resize(w, h);
                screen.screen_mut().set_size(h, w);
            }
            let lines: Vec<String> = (0..h)
                .map(|_| {
                    (0..rng.usize(..6))
                        .map(|_| pick(&mut rng, &words))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            let got = paint(&mut p, &mut screen, &lines);
            let got: Vec<&str> = got.lines().map(str::trim_end).collect();
            let got = got.join("\n").trim_end().to_string();
            assert_eq!(got, shown(&lines, w.into(), h.into()), "round {round}");
        }
    }
}
