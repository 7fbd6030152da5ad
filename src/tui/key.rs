//! Keys as the app sees them, independent of where they come from (a local terminal through
//! crossterm, or an SSH channel through a byte parser), so one `App` serves both.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    /// Ctrl + a letter (lower case).
    Ctrl(char),
    Enter,
    Esc,
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    PageUp,
    PageDown,
    Tab,
    BackTab,
}

impl Key {
    /// A pasted text typed key by key: line breaks become Enter, carriage returns are dropped
    /// (the same for a local paste and a bracketed paste over SSH).
    pub fn from_paste(text: &str) -> impl Iterator<Item = Key> + '_ {
        text.chars()
            .filter(|c| *c != '\r')
            .map(|c| if c == '\n' { Key::Enter } else { Key::Char(c) })
    }

    /// From a crossterm key event; `None` for keys the app does not use (and key releases).
    pub fn from_crossterm(ev: &crossterm::event::KeyEvent) -> Option<Key> {
        use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        Some(match ev.code {
            KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Esc,
            KeyCode::Backspace => Key::Backspace,
            KeyCode::Delete => Key::Delete,
            KeyCode::Left => Key::Left,
            KeyCode::Right => Key::Right,
            KeyCode::Up => Key::Up,
            KeyCode::Down => Key::Down,
            KeyCode::Home => Key::Home,
            KeyCode::End => Key::End,
            KeyCode::PageUp => Key::PageUp,
            KeyCode::PageDown => Key::PageDown,
            KeyCode::Tab => Key::Tab,
            KeyCode::BackTab => Key::BackTab,
            _ => return None,
        })
    }
}
