//! The local runner: owns this process's terminal (raw mode, alternate screen), turns terminal
//! events and signals into messages, draws only when a message arrived, and always restores the
//! terminal: on quit, on SIGTERM / SIGHUP / SIGINT, and on a panic (which also writes a log).

use super::app::{App, Msg};
use super::key::Key;
use super::view::view;
use crate::i18n::Lang;
use crossterm::event::{self, Event};
use crossterm::{execute, terminal};
use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc;

fn restore() {
    let _ = terminal::disable_raw_mode();
    let _ = execute!(
        std::io::stdout(),
        event::DisableBracketedPaste,
        terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Runs the wizard in this terminal until the user quits or a signal arrives.
pub fn run(data_dir: PathBuf, lang: Option<Lang>) -> std::io::Result<()> {
    let env_lang = ["LC_ALL", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find_map(|v| Lang::parse(&v));
    let mut settings = App::start_settings(&data_dir, lang, env_lang);
    settings.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let log = data_dir.join("sansang.log");
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        let _ = std::fs::create_dir_all(log.parent().unwrap_or(std::path::Path::new(".")));
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
        {
            let _ = writeln!(
                f,
                "{} panic: {info}\n{}",
                crate::assessment::store::now(),
                std::backtrace::Backtrace::force_capture()
            );
        }
        eprintln!(
            "sansang: lỗi nội bộ / internal error. Mọi câu trả lời đã báo \"đã lưu\" vẫn còn / every answer shown as saved is on disk.\nChi tiết / details: {}",
            log.display()
        );
        let _ = &prev;
    }));

    let mut app = App::new(data_dir, settings);
    terminal::enable_raw_mode()?;
    let mut out = std::io::stdout();
    execute!(
        out,
        terminal::EnterAlternateScreen,
        event::EnableBracketedPaste
    )?;
    let backend = ratatui::backend::CrosstermBackend::new(out);
    let mut term = ratatui::Terminal::new(backend)?;
    let result = event_loop(&mut app, &mut term);
    restore();
    result
}

fn event_loop<B: ratatui::backend::Backend>(
    app: &mut App,
    term: &mut ratatui::Terminal<B>,
) -> std::io::Result<()>
where
    std::io::Error: From<B::Error>,
{
    let (tx, rx) = mpsc::channel::<Msg>();
    // Terminal input: blocking reads on their own thread, so the loop sleeps until something
    // happens (no polling tick: an idle session costs nothing).
    let input = tx.clone();
    std::thread::spawn(move || {
        loop {
            let msgs: Vec<Msg> = match event::read() {
                Ok(Event::Key(k)) => Key::from_crossterm(&k).map(Msg::Key).into_iter().collect(),
                Ok(Event::Resize(w, h)) => vec![Msg::Resize(w, h)],
                Ok(Event::Paste(s)) => s
                    .chars()
                    .filter(|c| *c != '\r')
                    .map(|c| Msg::Key(if c == '\n' { Key::Enter } else { Key::Char(c) }))
                    .collect(),
                Ok(_) => vec![],
                Err(_) => vec![Msg::Quit],
            };
            for m in msgs {
                if input.send(m).is_err() {
                    return;
                }
            }
        }
    });
    // SIGTERM / SIGHUP (a dropped SSH link) / SIGINT: leave cleanly. Answers are saved already.
    if let Ok(mut signals) = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ]) {
        let tx = tx.clone();
        std::thread::spawn(move || {
            if signals.forever().next().is_some() {
                let _ = tx.send(Msg::Quit);
            }
        });
    }
    let size = term.size()?;
    app.dispatch(Msg::Resize(size.width, size.height));
    for e in app.init() {
        if let Some(m) = app.perform(e) {
            app.dispatch(m);
        }
    }
    let exit_after_first = std::env::var_os("SANSANG_EXIT_AFTER_FIRST_FRAME").is_some();
    // Crash drill for the tests: proves a panic restores the terminal and names the log.
    let panic_after_first = std::env::var_os("SANSANG_TEST_PANIC").is_some();
    loop {
        term.draw(|f| view(app, f))?;
        if panic_after_first {
            panic!("SANSANG_TEST_PANIC is set: crash drill");
        }
        if exit_after_first || app.quit {
            return Ok(());
        }
        let Ok(msg) = rx.recv() else { return Ok(()) };
        app.dispatch(msg);
        // Coalesce what arrived meanwhile (a paste, key repeat) into one frame.
        while let Ok(m) = rx.try_recv() {
            app.dispatch(m);
            if app.quit {
                break;
            }
        }
    }
}
