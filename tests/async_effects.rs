//! Effects off the UI thread, as the runners run them: the wizard with a `Jobs` attached. A
//! change shows at once with "saving…", "✓ saved" only once the save is on disk, saves land in
//! order, quitting waits for the last save, failed saves keep working as before, and `o` reads
//! the file on a worker while the screen says "opening…".

mod common;
use common::tui::*;
use sansang::i18n::Lang;
use sansang::tui::Key::*;
use sansang::tui::app::{Overlay, Screen, Status};
use sansang::tui::jobs::Jobs;
use sansang::tui::{App, Msg, Program};
use serde_json::{Value, json};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// Attaches a worker, as a runner does; its results arrive on the returned channel.
fn with_worker(a: &mut App) -> Receiver<Msg> {
    let (tx, rx) = channel();
    a.attach(Jobs::new(move |m| {
        let _ = tx.send(m);
    }));
    rx
}

/// Hands the next result to the app, as the runner does when it wakes.
fn deliver_next(a: &mut App, rx: &Receiver<Msg>) {
    let m = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("a result from the worker");
    a.deliver(m);
}

fn file(a: &App) -> Value {
    let path = &a.session.as_ref().unwrap().path;
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn an_answer_shows_at_once_with_saving_and_saved_only_once_on_disk() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    let rx = with_worker(&mut a);
    press(&mut a, &[Char('3')]);
    // The frame after the key: the answer chosen, "Saving…", not yet "saved".
    assert_eq!(a.status, Some(Status::Saving));
    assert!(a.saving());
    let screen = render(&a, 120, 40);
    assert!(screen.contains("(●) 3 "), "{screen}");
    assert!(screen.contains("Saving…"), "{screen}");
    assert!(!screen.contains("✓"), "{screen}");
    deliver_next(&mut a, &rx);
    assert_eq!(a.status, Some(Status::Saved(NOW.into())));
    assert!(!a.saving());
    assert!(render(&a, 120, 40).contains("✓ Saved at"));
    assert_eq!(file(&a)["answers"]["m.f1.1"]["response"]["level"], json!(3));
}

#[test]
fn quitting_right_after_an_answer_waits_for_the_save() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    let rx = with_worker(&mut a);
    press(&mut a, &[Char('3'), Ctrl('c')]);
    // Not gone before the answer is on disk.
    assert!(!a.done(), "quit waits for the save");
    assert!(matches!(a.screen, Screen::Question(_)));
    deliver_next(&mut a, &rx);
    assert!(a.done(), "quits once saved");
    assert_eq!(file(&a)["answers"]["m.f1.1"]["response"]["level"], json!(3));

    // Quitting from outside (a signal): the runner settles before it returns.
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    let _rx = with_worker(&mut a);
    press(&mut a, &[Char('2')]);
    a.dispatch(Msg::Quit);
    a.settle();
    assert_eq!(file(&a)["answers"]["m.f1.1"]["response"]["level"], json!(2));
}

#[test]
fn saves_land_in_order_and_the_newest_snapshot_wins() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    let rx = with_worker(&mut a);
    // Many changes in a burst, each a save queued behind the one in flight.
    for i in 0..60 {
        let level = char::from(b'0' + (i % 5) as u8);
        press(&mut a, &[Char(level)]);
    }
    press(&mut a, &[Char('4')]);
    a.settle();
    // Superseded snapshots are dropped; whatever arrives, only the newest counts.
    while a.saving() {
        deliver_next(&mut a, &rx);
    }
    assert_eq!(a.status, Some(Status::Saved(NOW.into())));
    assert_eq!(file(&a)["answers"]["m.f1.1"]["response"]["level"], json!(4));
    assert!(rx.try_recv().is_err(), "nothing after the newest save");
}

#[test]
fn a_failed_background_save_is_kept_retried_and_leaving_asks() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    let rx = with_worker(&mut a);
    failed_save_drill(&mut a, &mut |a| deliver_next(a, &rx));
    assert_eq!(a.status, Some(Status::Saved(NOW.into())));
}

#[test]
fn while_a_retry_is_in_flight_the_failure_stays_and_leaving_waits_for_it() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    let rx = with_worker(&mut a);
    let path = a.session.as_ref().unwrap().path.clone();
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    press(&mut a, &[Char('3')]);
    deliver_next(&mut a, &rx);
    // A retry in flight keeps the failure on the status line until it works.
    press(&mut a, &[Char('2')]);
    assert!(
        matches!(&a.status, Some(Status::Error(_))),
        "{:?}",
        a.status
    );
    // Leaving while it is in flight: nothing is asked before its result.
    press(&mut a, &[Esc]);
    assert!(a.overlay.is_none(), "waits for the save before asking");
    deliver_next(&mut a, &rx);
    assert!(matches!(&a.overlay, Some(Overlay::Confirm(_))));
    // Leave anyway.
    press(&mut a, &[Char('y')]);
    assert!(matches!(a.screen, Screen::Home(_)));
}

#[test]
fn opening_a_questionnaire_file_reads_it_on_a_worker() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("elsewhere.json");
    std::fs::write(&file, common::MINI).unwrap();
    let mut a = app(dir.path(), Lang::En);
    let rx = with_worker(&mut a);
    press(&mut a, &[Char('o')]);
    typed(&mut a, &file.display().to_string());
    press(&mut a, &[Enter]);
    // Meanwhile: still responsive, and it says so.
    assert!(
        matches!(&a.status, Some(Status::Info(m)) if m.contains("Opening")),
        "{:?}",
        a.status
    );
    assert!(render(&a, 80, 24).contains("Opening the file…"));
    deliver_next(&mut a, &rx);
    let Screen::Choose(c) = &a.screen else {
        panic!("on the list of questionnaires: {:?}", a.status);
    };
    assert_eq!(a.catalog.entries[c.selected].questionnaire.id, "mini");
    assert_eq!(a.status, None);
}
