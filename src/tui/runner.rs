//! The local runner: owns this process's terminal (raw mode, alternate screen), turns terminal
//! events and signals into messages, draws only when a message arrived, and always restores the
//! terminal: on quit, on SIGTERM / SIGHUP / SIGINT, and on a panic (which also writes a log).
//! A terminal that went away (its window closed) ends the process quietly: nothing it can no
//! longer show is an error. Signals are Unix-only; elsewhere Ctrl-C arrives as a key in raw mode.
//!
//! Each frame goes out in one write (the backend writes into a buffer, sent whole after the
//! frame, inside a synchronized-update bracket), and the size comes from the resize events
//! rather than from asking the terminal every frame. Slow effects (saves, reading a file) run
//! on worker threads (`Jobs`); their results wake the loop like a key does. Before returning,
//! the runner waits for the last save.

use super::app::{App, Msg};
use super::jobs::Jobs;
use super::key::Key;
use super::painter::Painter;
use super::program::Program;
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
    run_at(data_dir, lang, None)
}

/// Runs the wizard starting with `start` (create or open an assessment) instead of the list.
pub fn run_at(
    data_dir: PathBuf,
    lang: Option<Lang>,
    start: Option<super::app::Effect>,
) -> std::io::Result<()> {
    let env_lang = ["LC_ALL", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find_map(|v| Lang::parse(&v));
    let mut settings = App::start_settings(&data_dir, lang, env_lang);
    settings.color = no_color_unset();
    let log = data_dir.join("sansang.log");
    let mut app = App::new(data_dir, settings);
    if start.is_some() {
        // Creating or opening at once needs the whole catalog.
        app.load_local_questionnaires();
    }
    if let Some(m) = start.and_then(|e| app.perform(e)) {
        app.dispatch(m);
    }
    run_program(&mut app, log)
}

/// Colours stay on unless `NO_COLOR` is set to something.
pub fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Runs any program (the wizard, the trainer dashboard) in this process's terminal; a panic
/// restores the terminal and is logged to `log`.
pub fn run_program<P: Program>(program: &mut P, log: PathBuf) -> std::io::Result<()> {
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // An SSH session's panic (serve --dashboard) is caught and logged by that session;
        // this terminal, and the dashboard in it, carry on.
        if crate::ssh::is_session_thread() {
            return;
        }
        restore();
        let _ = crate::fsutil::create_private_dir_all(
            log.parent().unwrap_or(std::path::Path::new(".")),
        );
        if let Ok(mut f) = crate::fsutil::private_file_options()
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
        // Not eprintln!: with the terminal gone it would panic inside this hook (an abort).
        let _ = writeln!(
            std::io::stderr(),
            "sansang: lỗi nội bộ / internal error. Mọi câu trả lời đã báo \"đã lưu\" vẫn còn / every answer shown as saved is on disk.\nChi tiết / details: {}",
            log.display()
        );
        let _ = &prev;
    }));

    terminal::enable_raw_mode()?;
    let mut out = std::io::stdout();
    execute!(
        out,
        terminal::EnterAlternateScreen,
        event::EnableBracketedPaste
    )?;
    let (w, h) = terminal::size()?;
    let mut painter = Painter::new(w, h)?;
    let result = event_loop(program, &mut painter, &mut out);
    // Whatever ended the loop (quit, a signal, a lost terminal): the last save lands first.
    program.settle();
    restore();
    match result {
        Err(e) if terminal_gone(&e) => Ok(()),
        r => r,
    }
}

/// The error of writing to (or reading from) a terminal that no longer exists.
pub fn terminal_gone(e: &std::io::Error) -> bool {
    use std::io::ErrorKind as K;
    matches!(
        e.kind(),
        K::BrokenPipe | K::UnexpectedEof | K::NotConnected | K::ConnectionReset
    ) || (cfg!(unix) && matches!(e.raw_os_error(), Some(5 | 6)))
}

/// SIGTERM / SIGHUP (a closed window, a dropped SSH link) / SIGINT: leave cleanly. Answers are
/// saved already.
#[cfg(unix)]
fn quit_on_signals(tx: mpsc::Sender<Input>) {
    if let Ok(mut signals) = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ]) {
        std::thread::spawn(move || {
            if signals.forever().next().is_some() {
                let _ = tx.send(Input::Quit);
            }
        });
    }
}

/// No Unix signals here: Ctrl-C arrives as a key (see the input thread), and closing the console
/// ends the process, whose answers are saved already.
#[cfg(not(unix))]
fn quit_on_signals(_tx: mpsc::Sender<Input>) {}

enum Input {
    Key(Key),
    Paste(String),
    Resize(u16, u16),
    /// Work that ran off this thread is done.
    Done(Msg),
    Quit,
}

/// One frame in one write.
fn send(out: &mut impl Write, frame: Vec<u8>) -> std::io::Result<()> {
    if frame.is_empty() {
        return Ok(());
    }
    out.write_all(&frame)?;
    out.flush()
}

fn event_loop<P: Program>(
    program: &mut P,
    painter: &mut Painter,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let (tx, rx) = mpsc::channel::<Input>();
    let done = tx.clone();
    let jobs = Jobs::deferred(move |m| {
        let _ = done.send(Input::Done(m));
    });
    program.attach(jobs.clone());
    // Terminal input: blocking reads on their own thread, so the loop sleeps until something
    // happens (no polling tick unless the program asks for one).
    let input = tx.clone();
    std::thread::spawn(move || {
        loop {
            let msgs: Vec<Input> = match event::read() {
                Ok(Event::Resize(w, h)) => vec![Input::Resize(w, h)],
                // Keys and pastes through the decoder the SSH runner uses too.
                Ok(ev) => match super::key::Input::from_crossterm(ev) {
                    Some(super::key::Input::Key(k)) => vec![Input::Key(k)],
                    Some(super::key::Input::Paste(s)) => vec![Input::Paste(s)],
                    None => vec![],
                },
                Err(_) => vec![Input::Quit],
            };
            for m in msgs {
                if input.send(m).is_err() {
                    return;
                }
            }
        }
    });
    quit_on_signals(tx.clone());
    let size = painter.area();
    program.start(size.width, size.height);
    let exit_after_first = std::env::var_os("SANSANG_EXIT_AFTER_FIRST_FRAME").is_some();
    // Crash drill for the tests: proves a panic restores the terminal and names the log.
    let panic_after_first = std::env::var_os("SANSANG_TEST_PANIC").is_some();
    let mut quit = false;
    loop {
        painter.paint(|f| program.draw(f), |frame| send(out, frame))?;
        // The frame showing the change is out: now the save may run.
        jobs.release();
        if panic_after_first {
            panic!("SANSANG_TEST_PANIC is set: crash drill");
        }
        if exit_after_first || quit || program.done() {
            return Ok(());
        }
        // Wait for input; a program with a tick is woken for it, and redrawn only when the
        // tick changed something.
        let first = loop {
            match program.tick_every() {
                Some(every) => match rx.recv_timeout(every) {
                    Ok(m) => break Some(m),
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if program.tick() {
                            break None;
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
                },
                None => match rx.recv() {
                    Ok(m) => break Some(m),
                    Err(_) => return Ok(()),
                },
            }
        };
        // Coalesce what arrived meanwhile (a paste, key repeat) into one frame.
        for m in first
            .into_iter()
            .chain(std::iter::from_fn(|| rx.try_recv().ok()))
        {
            match m {
                Input::Key(k) => program.key(k),
                Input::Paste(s) => program.paste(s),
                Input::Resize(w, h) => {
                    painter.resize(w, h);
                    program.resize(w, h);
                }
                Input::Done(m) => program.deliver(m),
                Input::Quit => quit = true,
            }
            if quit || program.done() {
                break;
            }
        }
    }
}
