//! Saving the open assessment without holding up the screen. A change shows at once with
//! "saving…" in the status line; the save (scores, a ~19 KB write, two fsyncs) runs on the
//! serial worker (`Jobs::serial`), so saves land in the order they were made and a newer
//! snapshot is never overwritten by an older one; "✓ saved" appears only when the newest save is
//! on disk. A failed save keeps the answers in memory and shows `Not saved: <reason>` until a
//! later save works (every change saves the whole assessment again). Leaving waits for the
//! pending save, then leaves, or asks (save again / leave anyway / stay) when it failed.
//! Without a worker (tests, `App::dispatch` alone) the save runs in place, through the same
//! messages.

use super::app::{App, Effect, Msg};
use super::keymap::Action;
use super::model::*;
use crate::assessment::store;
use crate::i18n::{Lang, tr};

/// The saves of the open assessment: how many were queued, whether the newest is still on its
/// way, and what to do once it lands (leave, when the user asked to leave meanwhile).
#[derive(Debug, Default)]
pub struct Saves {
    queued: u64,
    pending: bool,
    leave: Option<Action>,
}

impl App {
    /// Starts a save of `job` (on the serial worker when there is one); `leave`: leave once it
    /// is on disk, or ask if it failed.
    pub(in crate::tui) fn start_save(
        &mut self,
        job: Box<SaveJob>,
        leave: Option<Action>,
    ) -> Option<Msg> {
        self.saves.queued += 1;
        self.saves.pending = true;
        if leave.is_some() {
            self.saves.leave = leave;
        }
        // A failed save stays on the status line until a save works.
        if self.unsaved.is_none() {
            self.status = Some(Status::Saving);
        }
        let (seq, lang, now) = (self.saves.queued, self.lang(), self.now);
        let key = job.path.to_string_lossy().into_owned();
        let work = move || {
            Msg::SaveDone(
                seq,
                store::write(&job.path, &job.assessment, &job.questionnaire)
                    .map(|()| now())
                    .map_err(|e| save_failure(&e, &job.path, lang)),
            )
        };
        match &self.jobs {
            Some(jobs) => {
                jobs.serial(&key, work);
                None
            }
            None => Some(work()),
        }
    }

    /// A save landed (or failed). Only the newest counts: an older one is followed by a newer
    /// snapshot that holds every change.
    pub(in crate::tui) fn save_done(
        &mut self,
        seq: u64,
        result: Result<String, String>,
    ) -> Vec<Effect> {
        if seq != self.saves.queued {
            return vec![];
        }
        self.saves.pending = false;
        match (result, self.saves.leave.take()) {
            (Ok(at), leave) => {
                self.unsaved = None;
                self.status = Some(Status::Saved(at));
                leave.map(|then| self.leave_now(then)).unwrap_or_default()
            }
            (Err(reason), None) => {
                self.unsaved = Some(reason.clone());
                self.status = Some(Status::Error(reason));
                vec![]
            }
            (Err(reason), Some(then)) => {
                self.unsaved = Some(reason.clone());
                self.status = Some(Status::Error(reason.clone()));
                self.overlay = Some(Overlay::Confirm(Confirm::QuitUnsaved {
                    reason,
                    then: Box::new(then),
                }));
                vec![]
            }
        }
    }

    /// Is a save on its way to the disk?
    pub fn saving(&self) -> bool {
        self.saves.pending
    }

    /// Leaving while a save is on its way: leave when it lands (or ask, if it fails). False when
    /// nothing is pending.
    pub(in crate::tui) fn leave_after_save(&mut self, then: &Action) -> bool {
        if !self.saves.pending {
            return false;
        }
        self.saves.leave = Some(then.clone());
        true
    }
}

/// A failed save as the status line says it: the reason first ("Not saved: no space left on
/// device"), the path after, so a narrow window still shows why.
pub(in crate::tui) fn save_failure(
    e: &store::StoreError,
    path: &std::path::Path,
    lang: Lang,
) -> String {
    let msg = e.headline(lang);
    let not_saved = tr(lang, "Chưa lưu được:", "Not saved:");
    if msg.starts_with(not_saved) {
        return msg;
    }
    let p = path.display().to_string();
    match msg.strip_prefix(&format!("{p}: ")) {
        Some(reason) => format!("{not_saved} {reason} — {p}"),
        None => format!("{not_saved} {msg}"),
    }
}
