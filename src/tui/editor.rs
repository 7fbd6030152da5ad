//! Text editing by grapheme cluster: a single-line input and a multi-line editor. The cursor
//! never stands inside a cluster (decomposed Vietnamese "ệ" is one step), vertical movement keeps
//! the display column, and committed text is NFC so precomposed and decomposed input compare
//! equal.

use super::key::Key;
use crate::text::width;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// What a key did to the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Changed,
    Moved,
    Ignored,
}

/// Byte offset of the grapheme boundary before / after `at`.
fn prev_boundary(s: &str, at: usize) -> usize {
    s[..at]
        .grapheme_indices(true)
        .next_back()
        .map_or(0, |(i, _)| i)
}

fn next_boundary(s: &str, at: usize) -> usize {
    s[at..].graphemes(true).next().map_or(at, |g| at + g.len())
}

/// Byte offset of the grapheme at display column `col` (or the end).
fn offset_at_column(s: &str, col: usize) -> usize {
    let mut w = 0;
    for (i, g) in s.grapheme_indices(true) {
        let gw = width(g);
        if w + gw > col {
            return i;
        }
        w += gw;
    }
    s.len()
}

/// Longest single-line input, in bytes (a name, a number, a link).
pub const MAX_LINE: usize = 1_000;
/// Longest multi-line text (a comment, a justification), in bytes: about two pages of
/// Vietnamese. Bounds what a participant can make the server store.
pub const MAX_TEXT: usize = 8_000;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineInput {
    pub text: String,
    /// Byte offset, always on a grapheme boundary.
    pub cursor: usize,
}

impl LineInput {
    pub fn new(text: &str) -> LineInput {
        LineInput {
            text: text.to_string(),
            cursor: text.len(),
        }
    }

    pub fn value(&self) -> String {
        self.text.nfc().collect()
    }

    /// Display column of the cursor.
    pub fn cursor_column(&self) -> usize {
        width(&self.text[..self.cursor])
    }

    pub fn handle(&mut self, key: Key) -> Edit {
        match key {
            Key::Char(c) if !c.is_control() && self.text.len() + c.len_utf8() <= MAX_LINE => {
                self.text.insert(self.cursor, c);
                // A combining mark joins the previous cluster; the cursor stays after it.
                self.cursor += c.len_utf8();
                Edit::Changed
            }
            Key::Backspace if self.cursor > 0 => {
                let p = prev_boundary(&self.text, self.cursor);
                self.text.replace_range(p..self.cursor, "");
                self.cursor = p;
                Edit::Changed
            }
            Key::Delete if self.cursor < self.text.len() => {
                let n = next_boundary(&self.text, self.cursor);
                self.text.replace_range(self.cursor..n, "");
                Edit::Changed
            }
            Key::Left if self.cursor > 0 => {
                self.cursor = prev_boundary(&self.text, self.cursor);
                Edit::Moved
            }
            Key::Right if self.cursor < self.text.len() => {
                self.cursor = next_boundary(&self.text, self.cursor);
                Edit::Moved
            }
            Key::Home | Key::Ctrl('a') => {
                self.cursor = 0;
                Edit::Moved
            }
            Key::End | Key::Ctrl('e') => {
                self.cursor = self.text.len();
                Edit::Moved
            }
            Key::Ctrl('u') => {
                self.text.replace_range(..self.cursor, "");
                self.cursor = 0;
                Edit::Changed
            }
            _ => Edit::Ignored,
        }
    }

    /// Pasted text: line breaks and tabs become spaces (a single line has none).
    pub fn paste(&mut self, text: &str) -> Edit {
        let mut out = Edit::Ignored;
        for c in text.chars() {
            let c = if c.is_control() { ' ' } else { c };
            if self.handle(Key::Char(c)) == Edit::Changed {
                out = Edit::Changed;
            }
        }
        out
    }
}

/// A multi-line editor: Enter breaks the line, arrows move by grapheme and by line.
#[derive(Debug, Clone, PartialEq)]
pub struct TextEditor {
    pub lines: Vec<String>,
    pub row: usize,
    /// Byte offset in `lines[row]`.
    pub col: usize,
}

impl Default for TextEditor {
    fn default() -> Self {
        TextEditor {
            lines: vec![String::new()],
            row: 0,
            col: 0,
        }
    }
}

impl TextEditor {
    pub fn new(text: &str) -> TextEditor {
        let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        let row = lines.len() - 1;
        let col = lines[row].len();
        TextEditor { lines, row, col }
    }

    pub fn value(&self) -> String {
        self.lines
            .join("\n")
            .nfc()
            .collect::<String>()
            .trim_end()
            .to_string()
    }

    /// Pasted text: CR, LF and CRLF are line breaks (terminals send CR for Enter in pastes);
    /// tabs become spaces; other control characters are dropped.
    pub fn paste(&mut self, text: &str) -> Edit {
        let mut out = Edit::Ignored;
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        for c in text.chars() {
            let key = match c {
                '\n' => Key::Enter,
                '\t' => Key::Char(' '),
                c if c.is_control() => continue,
                c => Key::Char(c),
            };
            if self.handle(key) == Edit::Changed {
                out = Edit::Changed;
            }
        }
        out
    }

    /// How many lines are being edited (trailing empty lines included, which `value` trims).
    pub fn rows(&self) -> usize {
        self.lines.len()
    }

    /// (row, display column) of the cursor.
    pub fn cursor_position(&self) -> (usize, usize) {
        (self.row, width(&self.lines[self.row][..self.col]))
    }

    fn len(&self) -> usize {
        self.lines.iter().map(|l| l.len() + 1).sum()
    }

    pub fn handle(&mut self, key: Key) -> Edit {
        let full = |extra: usize| self.len() + extra > MAX_TEXT;
        if matches!(key, Key::Enter) && full(1) {
            return Edit::Ignored;
        }
        if let Key::Char(c) = key
            && full(c.len_utf8())
        {
            return Edit::Ignored;
        }
        let line = &mut self.lines[self.row];
        match key {
            Key::Enter => {
                let rest = line.split_off(self.col);
                self.lines.insert(self.row + 1, rest);
                self.row += 1;
                self.col = 0;
                Edit::Changed
            }
            Key::Char(c) if !c.is_control() => {
                line.insert(self.col, c);
                self.col += c.len_utf8();
                Edit::Changed
            }
            Key::Backspace => {
                if self.col > 0 {
                    let p = prev_boundary(line, self.col);
                    line.replace_range(p..self.col, "");
                    self.col = p;
                    Edit::Changed
                } else if self.row > 0 {
                    let cur = self.lines.remove(self.row);
                    self.row -= 1;
                    self.col = self.lines[self.row].len();
                    self.lines[self.row].push_str(&cur);
                    Edit::Changed
                } else {
                    Edit::Ignored
                }
            }
            Key::Delete => {
                if self.col < line.len() {
                    let n = next_boundary(line, self.col);
                    line.replace_range(self.col..n, "");
                    Edit::Changed
                } else if self.row + 1 < self.lines.len() {
                    let next = self.lines.remove(self.row + 1);
                    self.lines[self.row].push_str(&next);
                    Edit::Changed
                } else {
                    Edit::Ignored
                }
            }
            Key::Left => {
                if self.col > 0 {
                    self.col = prev_boundary(line, self.col);
                } else if self.row > 0 {
                    self.row -= 1;
                    self.col = self.lines[self.row].len();
                } else {
                    return Edit::Ignored;
                }
                Edit::Moved
            }
            Key::Right => {
                if self.col < line.len() {
                    self.col = next_boundary(line, self.col);
                } else if self.row + 1 < self.lines.len() {
                    self.row += 1;
                    self.col = 0;
                } else {
                    return Edit::Ignored;
                }
                Edit::Moved
            }
            Key::Up | Key::Down => {
                let target = match key {
                    Key::Up if self.row > 0 => self.row - 1,
                    Key::Down if self.row + 1 < self.lines.len() => self.row + 1,
                    _ => return Edit::Ignored,
                };
                let col = width(&self.lines[self.row][..self.col]);
                self.row = target;
                self.col = offset_at_column(&self.lines[target], col);
                Edit::Moved
            }
            Key::Home => {
                self.col = 0;
                Edit::Moved
            }
            Key::End => {
                self.col = line.len();
                Edit::Moved
            }
            _ => Edit::Ignored,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_length_is_bounded() {
        let mut e = TextEditor::default();
        for _ in 0..MAX_TEXT + 50 {
            e.handle(Key::Char('ệ'));
        }
        assert!(e.value().len() <= MAX_TEXT);
        assert_eq!(e.handle(Key::Char('ệ')), Edit::Ignored);
        // Enter fills the last byte; nothing fits after it.
        e.handle(Key::Enter);
        assert_eq!(e.handle(Key::Enter), Edit::Ignored);
        let mut l = LineInput::default();
        for _ in 0..MAX_LINE + 5 {
            l.handle(Key::Char('a'));
        }
        assert_eq!(l.text.len(), MAX_LINE);
    }

    fn typed(s: &str) -> TextEditor {
        let mut e = TextEditor::default();
        for c in s.chars() {
            e.handle(if c == '\n' { Key::Enter } else { Key::Char(c) });
        }
        e
    }

    #[test]
    fn decomposed_vietnamese_moves_and_deletes_by_grapheme() {
        // "Việt" typed with combining marks: V i e ̣ ̂ t
        let mut e = typed("Vie\u{0323}\u{0302}t");
        assert_eq!(e.value(), "Việt", "committed as NFC");
        assert_eq!(e.cursor_position(), (0, 4));
        e.handle(Key::Left);
        e.handle(Key::Left);
        assert_eq!(e.cursor_position(), (0, 2), "one step over the whole ệ");
        e.handle(Key::Delete);
        assert_eq!(e.value(), "Vit");
        e.handle(Key::Backspace);
        assert_eq!(e.value(), "Vt");
    }

    #[test]
    fn multi_line_editing() {
        let mut e = typed("Thiếu người\nThiếu kinh phí");
        assert_eq!(e.lines.len(), 2);
        e.handle(Key::Up);
        assert_eq!(e.cursor_position(), (0, 11));
        e.handle(Key::Home);
        e.handle(Key::Backspace);
        assert_eq!(e.lines.len(), 2, "nothing before the first line");
        e.handle(Key::Down);
        e.handle(Key::Home);
        e.handle(Key::Backspace);
        assert_eq!(e.value(), "Thiếu ngườiThiếu kinh phí");
        e.handle(Key::Enter);
        assert_eq!(e.value(), "Thiếu người\nThiếu kinh phí");
    }

    #[test]
    fn vertical_moves_keep_the_display_column_with_wide_characters() {
        let mut e = typed("数字化\nabcdef");
        e.handle(Key::Left); // after "abcde" → column 5
        e.handle(Key::Up);
        assert_eq!(e.cursor_position(), (0, 4), "never inside a wide character");
    }

    #[test]
    fn pasted_line_breaks_in_every_convention() {
        for sep in ["\r", "\n", "\r\n"] {
            let mut e = TextEditor::default();
            e.paste(&format!("dòng một{sep}dòng hai"));
            assert_eq!(e.value(), "dòng một\ndòng hai", "{sep:?}");
        }
        let mut l = LineInput::default();
        l.paste("a\r\nb");
        assert_eq!(l.value(), "a  b");
    }

    #[test]
    fn line_input() {
        let mut i = LineInput::new("12");
        i.handle(Key::Char('.'));
        i.handle(Key::Char('5'));
        assert_eq!(i.value(), "12.5");
        i.handle(Key::Home);
        i.handle(Key::Delete);
        assert_eq!(i.value(), "2.5");
        assert_eq!(i.handle(Key::Up), Edit::Ignored);
        i.handle(Key::Ctrl('u'));
        assert_eq!(i.cursor, 0);
    }
}
