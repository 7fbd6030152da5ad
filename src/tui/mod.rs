//! The interactive wizard: a state machine (`app`), pure drawing (`view`), and a runner that owns
//! a local terminal (`runner`). The app itself never touches the terminal, so the same `App`
//! runs inside an SSH channel (`crate::ssh`). `trainer` is the workshop room's live dashboard;
//! `program` is what a runner needs from either.

pub mod app;
pub mod editor;
pub mod interview;
pub mod jobs;
pub mod key;
pub mod keymap;
pub mod model;
pub mod overlays;
pub mod painter;
pub mod program;
pub mod runner;
pub mod saving;
pub mod screens;
pub mod theme;
pub mod trainer;
pub mod view;
pub mod widgets;

pub use app::{App, Effect, Msg, Settings};
pub use key::Key;
pub use program::Program;
