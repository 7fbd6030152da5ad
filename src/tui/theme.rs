//! Styles. Only the 16 basic colours (readable on light and dark backgrounds, present in every
//! terminal); with colours off (NO_COLOR) the same information shows through bold, reverse and
//! markers, and selection never relies on colour alone.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// The highlighted row: reverse video plus a "▶" marker drawn by the caller.
    /// A list row: the selection style when `selected`, plain otherwise.
    pub fn row(&self, selected: bool) -> Style {
        if selected {
            self.selected()
        } else {
            Style::default()
        }
    }

    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }

    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// Colour of a score bar by band position (0 lowest).
    pub fn band(&self, index: usize) -> Style {
        self.fg(match index {
            0 => Color::Red,
            1 => Color::Yellow,
            2 => Color::Blue,
            _ => Color::Green,
        })
    }
}
