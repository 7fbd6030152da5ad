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

/// What a terminal sends the app: a key, or a bracketed paste delivered whole (so pasted text
/// never acts as keystrokes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(Key),
    Paste(String),
}

impl From<Key> for Input {
    fn from(k: Key) -> Input {
        Input::Key(k)
    }
}

impl Input {
    /// The one decoder of terminal events for every runner: the SSH channel parses bytes into
    /// terminput events, the local terminal's crossterm events are converted to the same
    /// (terminput-crossterm), and both come through here.
    pub fn from_terminput(ev: terminput::Event) -> Option<Input> {
        use terminput::{Event, KeyCode, KeyEventKind, KeyModifiers};
        match ev {
            Event::Key(k) => {
                if k.kind == KeyEventKind::Release {
                    return None;
                }
                let ctrl = k.modifiers.contains(KeyModifiers::CTRL);
                let alt = k.modifiers.contains(KeyModifiers::ALT);
                Some(Input::Key(match k.code {
                    // ^H is Backspace for PuTTY-style and Windows clients (pty mode VERASE=8).
                    KeyCode::Char('h') if ctrl => Key::Backspace,
                    // ^J: a bare line feed, sent by some clients for Enter.
                    KeyCode::Char('j') if ctrl => Key::Enter,
                    KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
                    // Alt+letter arrives as ESC + letter; the app has no Alt bindings.
                    KeyCode::Char(_) if alt => return None,
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
                    KeyCode::Tab if k.modifiers.contains(KeyModifiers::SHIFT) => Key::BackTab,
                    KeyCode::Tab => Key::Tab,
                    _ => return None,
                }))
            }
            Event::Paste(s) => Some(Input::Paste(s)),
            _ => None,
        }
    }

    /// A local terminal's event, through the same decoder as SSH.
    pub fn from_crossterm(ev: crossterm::event::Event) -> Option<Input> {
        terminput_crossterm::to_terminput(ev)
            .ok()
            .and_then(Input::from_terminput)
    }
}
