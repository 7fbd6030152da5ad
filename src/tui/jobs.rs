//! Work off the UI thread. A runner gives its program a [`Jobs`] (see `Program::attach`); an
//! effect that may be slow (a save with its fsyncs, reading a file that may be huge or on a slow
//! network share) runs on a worker thread and comes back as a [`Msg`], which the runner hands to
//! the program (`Program::deliver`), waking its loop and drawing a new frame. Meanwhile the
//! screen stays responsive.
//!
//! Two kinds of work:
//! - [`Jobs::spawn`]: independent work, on a thread of its own.
//! - [`Jobs::serial`]: work that must happen in order (saves of one file: a later snapshot is
//!   never overwritten by an earlier one; the home list, read after the saves before it). One worker runs these one at a time, in the order
//!   given; it exists while there is work queued. Queued work with the same key that has not
//!   started yet is dropped when newer work of that key arrives (a newer snapshot supersedes
//!   it). [`Jobs::settle`] waits until the queue is empty (quitting waits for the last save).
//!
//! Without a `Jobs` (tests, one-shot commands) the app runs every effect in place.

use super::app::Msg;
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

type Work = Box<dyn FnOnce() -> Msg + Send>;
type Deliver = Arc<dyn Fn(Msg) + Send + Sync>;

/// How a program runs effects off the UI thread; cheap to clone.
#[derive(Clone)]
pub struct Jobs {
    deliver: Deliver,
    serial: Arc<Serial>,
}

impl std::fmt::Debug for Jobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jobs").finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Serial {
    state: Mutex<Queue>,
    idle: Condvar,
    /// Queued work waits for `release` (the runner's frame is out first).
    deferred: bool,
}

#[derive(Default)]
struct Queue {
    waiting: VecDeque<(String, Work)>,
    /// A worker is running (it takes the waiting work, one at a time, until none is left).
    running: bool,
}

impl Serial {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Jobs {
    /// `deliver` takes each result to the UI thread and wakes it (a channel send, say); it is
    /// called on the worker threads.
    pub fn new(deliver: impl Fn(Msg) + Send + Sync + 'static) -> Jobs {
        Jobs {
            deliver: Arc::new(deliver),
            serial: Arc::default(),
        }
    }

    /// Like `new`, but serial work queued while idle starts only at [`Jobs::release`]: a runner
    /// releases it once the frame showing the change is out, so the save does not compete with
    /// drawing that frame (on a busy two-core laptop it would).
    pub fn deferred(deliver: impl Fn(Msg) + Send + Sync + 'static) -> Jobs {
        Jobs {
            deliver: Arc::new(deliver),
            serial: Arc::new(Serial {
                deferred: true,
                ..Default::default()
            }),
        }
    }

    /// Starts the serial work that waits (see `deferred`); nothing when there is none.
    pub fn release(&self) {
        let start = {
            let mut q = self.serial.lock();
            !q.waiting.is_empty() && !std::mem::replace(&mut q.running, true)
        };
        if start {
            self.start_worker();
        }
    }

    /// Runs `work` on a thread of its own; its message is delivered when it is done. Should no
    /// thread be available, it runs here, so the work is never lost.
    pub fn spawn(&self, work: impl FnOnce() -> Msg + Send + 'static) {
        let slot = Arc::new(Mutex::new(Some(work)));
        let theirs = slot.clone();
        let deliver = self.deliver.clone();
        let started = std::thread::Builder::new()
            .name("sansang-job".into())
            .spawn(move || {
                let work = theirs.lock().unwrap_or_else(|e| e.into_inner()).take();
                if let Some(work) = work {
                    deliver(work());
                }
            });
        if started.is_err() {
            let work = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(work) = work {
                (self.deliver)(work());
            }
        }
    }

    /// Queues `work` behind every earlier serial work; waiting work with the same `key` is
    /// dropped (superseded: its message is never delivered).
    pub fn serial(&self, key: &str, work: impl FnOnce() -> Msg + Send + 'static) {
        let start = {
            let mut q = self.serial.lock();
            q.waiting.retain(|(k, _)| k != key);
            q.waiting.push_back((key.to_string(), Box::new(work)));
            !self.serial.deferred && !std::mem::replace(&mut q.running, true)
        };
        if start {
            self.start_worker();
        }
    }

    fn start_worker(&self) {
        let (serial, deliver) = (self.serial.clone(), self.deliver.clone());
        if std::thread::Builder::new()
            .name("sansang-save".into())
            .spawn(move || {
                behind_the_screen();
                drain(&serial, &deliver)
            })
            .is_err()
        {
            // No thread to be had: do the work here rather than lose it.
            drain(&self.serial, &self.deliver);
        }
    }

    /// Waits until no serial work is queued or running, at most `limit`; true when all is done.
    pub fn settle(&self, limit: Duration) -> bool {
        self.release();
        let deadline = Instant::now() + limit;
        let mut q = self.serial.lock();
        while q.running || !q.waiting.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            q = self
                .serial
                .idle
                .wait_timeout(q, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }

    /// Is serial work queued or running?
    pub fn busy(&self) -> bool {
        let q = self.serial.lock();
        q.running || !q.waiting.is_empty()
    }
}

/// Lowers the calling thread's priority a little (nice +10, Linux): a save's work (the JSON, the
/// scores, the fsyncs' journal) then gives way to what delivers the frame that showed the
/// change (the kernel's terminal work, the terminal reading it) instead of taking turns with
/// it on a two-core machine. An idle machine runs it at once all the same; quitting waits for
/// it. Elsewhere, and if refused, nothing changes.
fn behind_the_screen() {
    #[cfg(target_os = "linux")]
    // SAFETY: nice reads no memory; on Linux it changes the calling thread alone.
    unsafe {
        libc::nice(10);
    }
}

/// The serial worker: runs the waiting work in order until none is left.
fn drain(serial: &Serial, deliver: &Deliver) {
    loop {
        let next = {
            let mut q = serial.lock();
            match q.waiting.pop_front() {
                Some((_, w)) => w,
                None => {
                    q.running = false;
                    serial.idle.notify_all();
                    return;
                }
            }
        };
        deliver(next());
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicI32, Ordering};

    fn nice() -> i32 {
        // SAFETY: getpriority reads no memory; `who` 0 is the calling thread.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
    }

    /// A save runs behind the screen (nice +10) and leaves the UI thread's priority alone.
    #[test]
    fn serial_work_runs_at_a_lower_priority_than_the_screen() {
        let (tx, rx) = std::sync::mpsc::channel();
        let jobs = Jobs::new(move |m| {
            let _ = tx.send(m);
        });
        let seen = Arc::new(AtomicI32::new(i32::MIN));
        let at = seen.clone();
        let before = nice();
        jobs.serial("a", move || {
            at.store(nice(), Ordering::SeqCst);
            Msg::Quit
        });
        assert!(matches!(
            rx.recv_timeout(Duration::from_secs(10)),
            Ok(Msg::Quit)
        ));
        assert_eq!(seen.load(Ordering::SeqCst), (before + 10).min(19));
        assert_eq!(nice(), before, "the UI thread keeps its priority");
    }
}
