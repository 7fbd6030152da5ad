//! One file per screen: its state, what actions do to it (an `impl App` block) and how it
//! draws. `crate::tui::app` dispatches to them; `crate::tui::view` draws the frame around them.

pub mod choose;
pub mod dashboard;
pub mod home;
pub mod profile;
pub mod question;
pub mod reconcile;
pub mod review;
