//! Plain line mode: the same wizard (the same `App`, actions, saves and locks) for screen
//! readers, dumb terminals, slow links and scripts, drawn as plain lines: no escape sequences,
//! no cursor movement, no colour, no box drawing.
//!
//! - `words`: what a typed line means (command words in English and Vietnamese, numbers).
//! - `print`: the wizard's state as lines (questions, profile fields, results, "why").
//! - `runner`: the loop: a line in, the wizard's actions, what changed out.
//! - `answer`: what a line does on a question; `forms`: everywhere else (lists, profile,
//!   confirmation, sections, evidence, results).
//!
//! `sansang --plain` runs it on standard input and output; it is chosen by itself when
//! `TERM=dumb` or either is not a terminal. The SSH room serves it too (`crate::ssh::plain`).

mod answer;
mod forms;
pub mod print;
pub mod runner;
pub mod words;

pub use runner::{Ended, LineSource, ReaderLines, Start, run};

use crate::i18n::{Lang, tr};
use crate::tui::app::App;
use std::path::PathBuf;

/// Why plain mode was chosen without being asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auto {
    /// `TERM=dumb` (or no `TERM` at all): the terminal cannot draw a screen.
    DumbTerminal,
    /// Standard input or output is a pipe or a file.
    NotTerminal,
}

/// Plain mode is chosen when the terminal cannot draw a screen or there is no terminal.
pub fn auto(term: Option<&str>, stdin_tty: bool, stdout_tty: bool) -> Option<Auto> {
    if !stdin_tty || !stdout_tty {
        return Some(Auto::NotTerminal);
    }
    match term {
        Some("dumb") => Some(Auto::DumbTerminal),
        _ => None,
    }
}

/// The one line saying why plain mode was chosen and how to force either mode.
pub fn note(why: Auto, lang: Lang) -> String {
    match why {
        Auto::DumbTerminal => tr(
            lang,
            "sansang: chế độ dòng lệnh đơn giản vì TERM=dumb (--full-screen để dùng giao diện toàn màn hình, --plain để luôn dùng chế độ này).",
            "sansang: plain line mode because TERM=dumb (--full-screen for the full-screen wizard, --plain to always use this mode).",
        ),
        Auto::NotTerminal => tr(
            lang,
            "sansang: chế độ dòng lệnh đơn giản vì đầu vào hoặc đầu ra không phải terminal (--full-screen để dùng giao diện toàn màn hình, --plain để luôn dùng chế độ này).",
            "sansang: plain line mode because input or output is not a terminal (--full-screen for the full-screen wizard, --plain to always use this mode).",
        ),
    }
    .to_string()
}

/// Runs plain mode on this process's standard input and output.
pub fn run_local(data_dir: PathBuf, lang: Option<Lang>, start: Start) -> std::io::Result<Ended> {
    use std::io::IsTerminal;
    let mut settings = App::start_settings(&data_dir, lang, Some(Lang::from_env()));
    settings.color = false;
    let mut app = App::new(data_dir, settings);
    let stdin = std::io::stdin();
    let mut input = ReaderLines(stdin.lock());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // Typed at a terminal, the answer follows the prompt on its line; read by a program, each
    // prompt is a line of its own.
    let newline = !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal();
    match run(&mut app, start, &mut input, &mut out, newline) {
        // The output went away (a closed pipe, a closed window): every change was saved as it
        // was made, unless the last save failed.
        Err(e) if crate::tui::runner::terminal_gone(&e) => Ok(match app.unsaved {
            Some(reason) => Ended::NotSaved(reason),
            None => Ended::Saved,
        }),
        r => r,
    }
}
