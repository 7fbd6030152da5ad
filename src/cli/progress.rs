//! A progress bar on standard error for commands over many files: files done out of all, files
//! per second, time left and files skipped so far. Drawn only when standard error is a terminal;
//! piped or redirected, nothing extra is printed.

use crate::i18n::{Lang, tr};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Runs shorter than this draw nothing.
const QUIET_FOR: Duration = Duration::from_millis(300);

pub struct Progress {
    bar: Option<ProgressBar>,
    lang: Lang,
    started: Instant,
}

impl Progress {
    /// A bar when standard error is a terminal, nothing otherwise.
    pub fn new(lang: Lang) -> Progress {
        Progress::with_terminal(std::io::stderr().is_terminal(), lang)
    }

    fn with_terminal(terminal: bool, lang: Lang) -> Progress {
        Progress::with_target(
            terminal.then(|| ProgressDrawTarget::stderr_with_hz(10)),
            lang,
        )
    }

    /// A bar drawn to `target` (none: no bar).
    fn with_target(target: Option<ProgressDrawTarget>, lang: Lang) -> Progress {
        let bar = target.map(|target| {
            let bar = ProgressBar::with_draw_target(None, target);
            let template = format!(
                "{{wide_bar}} {{pos}}/{{len}} {} · {{msg}}",
                tr(lang, "tệp", "files")
            );
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            lang,
            started: Instant::now(),
        }
    }

    /// Files done, skipped so far, and in all.
    pub fn update(&mut self, done: usize, skipped: usize, total: usize) {
        let Some(bar) = &self.bar else { return };
        let elapsed = self.started.elapsed();
        if elapsed < QUIET_FOR && done < total {
            return;
        }
        let l = self.lang;
        let rate = done as f64 / elapsed.as_secs_f64().max(1e-3);
        let left = if rate > 0.0 {
            ((total - done.min(total)) as f64 / rate).ceil() as u64
        } else {
            0
        };
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        let left = match l {
            Lang::Vi => format!("còn {}", clock(left)),
            Lang::En => format!("{} left", clock(left)),
        };
        bar.set_message(format!(
            "{} {} · {left} · {} {}",
            crate::locale::number(rate.round(), l),
            tr(l, "tệp/giây", "files/s"),
            crate::locale::number(skipped as f64, l),
            tr(l, "bỏ qua", "skipped"),
        ));
    }

    /// A line on standard error above the bar (a skipped file), without tearing the bar.
    pub fn line(&self, text: &str) {
        use std::io::Write;
        let write = || {
            let _ = writeln!(std::io::stderr().lock(), "{text}");
        };
        match &self.bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }

    /// Removes the bar (the output and the summary of skipped files follow).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Seconds as m:ss or h:mm:ss.
fn clock(s: u64) -> String {
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_bar_without_a_terminal() {
        let mut p = Progress::with_terminal(false, Lang::En);
        p.update(10, 1, 100);
        assert!(p.bar.is_none());
    }

    /// A terminal that keeps what is written to it.
    #[derive(Debug, Default, Clone)]
    struct Screen(std::sync::Arc<std::sync::Mutex<String>>);

    impl indicatif::TermLike for Screen {
        fn width(&self) -> u16 {
            100
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.write_str(&format!("{s}\n"))
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            self.0.lock().unwrap().push_str(s);
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_bar_says_files_done_rate_time_left_and_skipped() {
        for (lang, want) in [
            (Lang::En, ["40/100 files", "files/s", "left", "3 skipped"]),
            (Lang::Vi, ["40/100 tệp", "tệp/giây", "còn", "3 bỏ qua"]),
        ] {
            let screen = Screen::default();
            let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
            let mut p = Progress::with_target(Some(target), lang);
            // Past the quiet start.
            p.started = Instant::now() - Duration::from_secs(2);
            p.update(40, 3, 100);
            p.bar.as_ref().unwrap().tick();
            let shown = screen.0.lock().unwrap().clone();
            for w in want {
                assert!(shown.contains(w), "{w:?} not in {shown:?}");
            }
        }
    }

    #[test]
    fn clock_reads_as_minutes_or_hours() {
        assert_eq!(clock(5), "0:05");
        assert_eq!(clock(125), "2:05");
        assert_eq!(clock(3725), "1:02:05");
    }
}
