//! What a runner needs from a screenful program, so one runner drives the wizard or the
//! trainer dashboard, and the local terminal and an SSH channel drive either.

use super::app::{App, Effect, Msg};
use super::jobs::Jobs;
use super::key::Key;
use ratatui::Frame;
use std::time::Duration;

pub trait Program {
    /// First size, then the start-up work (open the first file, list, …).
    fn start(&mut self, width: u16, height: u16);
    fn key(&mut self, key: Key);
    /// A bracketed paste, whole; programs without text fields ignore it.
    fn paste(&mut self, _text: String) {}
    fn resize(&mut self, width: u16, height: u16);
    /// How often `tick` wants to run while idle (`None`: never; the program only reacts).
    fn tick_every(&self) -> Option<Duration> {
        None
    }
    /// Periodic work (e.g. re-reading a room); true when the screen must be redrawn.
    fn tick(&mut self) -> bool {
        false
    }
    fn draw(&self, f: &mut Frame);
    fn done(&self) -> bool;
    /// Before `start`: the runner's way to run effects off its thread. Their results come back
    /// through `deliver`, and the runner draws a frame after each.
    fn attach(&mut self, _jobs: Jobs) {}
    /// The result of work that ran off the runner's thread.
    fn deliver(&mut self, _msg: Msg) {}
    /// Before the runner returns (the user quit, a signal, the connection went): waits, within
    /// reason, for work that must not be cut short (the last save).
    fn settle(&mut self) {}
}

/// How long `settle` waits for the last save before the runner gives up on it (a disk that
/// hangs must not hang the exit forever).
pub const SETTLE_LIMIT: Duration = Duration::from_secs(30);

impl Program for App {
    fn start(&mut self, width: u16, height: u16) {
        self.dispatch(Msg::Resize(width, height));
        for e in self.init() {
            // Reading the data folder (the local questionnaires, the list) waits until the
            // first frame is drawn (`tick`).
            if matches!(
                e,
                Effect::ListAssessments | Effect::LoadLocalQuestionnaires(_)
            ) {
                self.deferred.push(e);
            } else if let Some(m) = self.perform(e) {
                self.dispatch(m);
            }
        }
    }

    fn key(&mut self, key: Key) {
        self.run_deferred();
        self.dispatch(Msg::Key(key));
    }

    fn paste(&mut self, text: String) {
        self.run_deferred();
        self.dispatch(Msg::Paste(text));
    }

    /// At once, while effects wait for the first frame to be drawn.
    fn tick_every(&self) -> Option<Duration> {
        (!self.deferred.is_empty()).then_some(Duration::ZERO)
    }

    fn tick(&mut self) -> bool {
        self.run_deferred()
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.dispatch(Msg::Resize(width, height));
    }

    fn draw(&self, f: &mut Frame) {
        super::view::view(self, f)
    }

    fn done(&self) -> bool {
        self.quit
    }

    fn attach(&mut self, jobs: Jobs) {
        self.jobs = Some(jobs);
    }

    fn deliver(&mut self, msg: Msg) {
        self.dispatch(msg);
    }

    fn settle(&mut self) {
        if let Some(jobs) = &self.jobs {
            jobs.settle(SETTLE_LIMIT);
        }
    }
}
