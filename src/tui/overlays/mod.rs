//! One file per overlay (a window over the screen that gets keys first): what actions do while
//! it is up (an `impl App` block) and its frame (title, lines, size), which `view` draws.

use ratatui::text::Line;

pub mod comment;
pub mod compare;
pub mod confirm;
pub mod evidence;
pub mod help;
pub mod notice;
pub mod open;
pub mod read_aloud;
pub mod search;
pub mod sections;
pub mod sources;
pub mod why;

/// An overlay's window: title, lines, width and height (clamped to the screen by `view`).
pub type OverlayFrame<'a> = (String, Vec<Line<'a>>, u16, u16);
