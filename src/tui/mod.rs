//! The interactive wizard: a state machine (`app`), pure drawing (`view`), and a runner that owns
//! a local terminal (`runner`). The app itself never touches the terminal, so the same `App` can
//! later run inside an SSH channel.

pub mod app;
pub mod editor;
pub mod key;
pub mod runner;
pub mod screens;
pub mod theme;
pub mod view;

pub use app::{App, Effect, Msg, Settings};
pub use key::Key;
