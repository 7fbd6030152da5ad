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

/// Hands the app the worker's results until `done` holds (saves may come back in between).
fn deliver_until(a: &mut App, rx: &Receiver<Msg>, done: impl Fn(&App) -> bool) {
    while !done(a) {
        deliver_next(a, rx);
    }
}

/// A data folder with two finished assessments of the test questionnaire (made without a
/// worker), and the home screen of a new wizard on it with a worker attached.
fn home_with_two() -> (tempfile::TempDir, App, Receiver<Msg>) {
    let dir = data_dir_with_mini();
    for _ in 0..2 {
        let mut a = app(dir.path(), Lang::En);
        start_mini(&mut a);
        capped_dashboard(&mut a);
    }
    let mut a = app(dir.path(), Lang::En);
    assert_eq!(items(&a).len(), 2);
    let rx = with_worker(&mut a);
    (dir, a, rx)
}

fn items(a: &App) -> Vec<std::path::PathBuf> {
    match &a.screen {
        Screen::Home(h) => h.items.iter().map(|i| i.path.clone()).collect(),
        _ => panic!("not on the home screen"),
    }
}

fn selected(a: &App) -> usize {
    match &a.screen {
        Screen::Home(h) => h.selected,
        _ => panic!("not on the home screen"),
    }
}

/// Moves the home selection to this file (with the arrow keys).
fn select(a: &mut App, path: &std::path::Path) {
    let at = items(a).iter().position(|p| p == path).unwrap();
    press(a, &vec![Up; items(a).len()]);
    press(a, &vec![Down; at]);
    assert_eq!(selected(a), at);
}

/// Presses `keys`: the frame after says `doing` on the status line and the screen has not
/// changed yet; then the worker's result arrives and `done` holds.
fn runs_on_worker(
    a: &mut App,
    rx: &Receiver<Msg>,
    keys: &[sansang::tui::Key],
    doing: &str,
    done: impl Fn(&App) -> bool,
) {
    let before = std::mem::discriminant(&a.screen);
    press(a, keys);
    assert!(
        matches!(&a.status, Some(Status::Info(m)) if m == doing),
        "{doing}: {:?}",
        a.status
    );
    assert!(render(a, 100, 30).contains(doing));
    assert_eq!(std::mem::discriminant(&a.screen), before, "{doing}");
    deliver_until(a, rx, done);
    assert!(a.pending.is_none(), "{doing}");
}

#[test]
fn opening_an_assessment_reads_it_on_a_worker_and_home_still_reacts() {
    let (_dir, mut a, rx) = home_with_two();
    let first = items(&a)[0].clone();
    press(&mut a, &[Enter]);
    // The frame after Enter: still home, saying what it does.
    assert!(matches!(a.screen, Screen::Home(_)));
    assert_eq!(
        a.status,
        Some(Status::Info("Opening the assessment…".into()))
    );
    assert!(render(&a, 100, 30).contains("Opening the assessment…"));
    // Keys still work meanwhile; a second Enter does not open anything a second time.
    press(&mut a, &[Down]);
    assert_eq!(selected(&a), 1);
    press(&mut a, &[Enter]);
    deliver_next(&mut a, &rx);
    // The one asked for arrives, with its lock.
    let s = a.session.as_ref().expect("opened");
    assert_eq!(s.path, first);
    assert!(matches!(a.screen, Screen::Question(_)), "resumed");
    assert_eq!(a.status, None);
    assert!(
        sansang::assessment::store::lock(&first).is_err(),
        "the session holds the lock"
    );
    assert!(
        rx.recv_timeout(Duration::from_millis(500)).is_err(),
        "one open for two Enters"
    );
}

#[test]
fn an_open_that_arrives_after_the_user_moved_on_is_dropped() {
    let (_dir, mut a, rx) = home_with_two();
    let first = items(&a)[0].clone();
    press(&mut a, &[Enter, Char('n')]);
    assert!(matches!(a.screen, Screen::Choose(_)));
    assert!(a.pending.is_none(), "moving on abandons it");
    deliver_next(&mut a, &rx);
    // Not yanked to the assessment: still choosing a questionnaire, nothing open, the file free.
    assert!(matches!(a.screen, Screen::Choose(_)));
    assert!(a.session.is_none());
    assert!(sansang::assessment::store::lock(&first).is_ok());
    // Back home, opening works again.
    press(&mut a, &[Esc]);
    deliver_until(
        &mut a,
        &rx,
        |a| matches!(&a.screen, Screen::Home(h) if h.loaded),
    );
    press(&mut a, &[Enter]);
    deliver_next(&mut a, &rx);
    assert!(a.session.is_some());
}

#[test]
fn quitting_while_a_file_opens_quits() {
    let (_dir, mut a, _rx) = home_with_two();
    press(&mut a, &[Enter, Char('q')]);
    assert!(a.done());
}

#[test]
fn an_open_that_fails_on_the_worker_says_why_as_before() {
    let (_dir, mut a, rx) = home_with_two();
    let first = items(&a)[0].clone();
    let _held = sansang::assessment::store::lock(&first).unwrap();
    press(&mut a, &[Enter]);
    deliver_next(&mut a, &rx);
    assert!(
        matches!(&a.status, Some(Status::Error(m)) if m.contains("sansang (pid")),
        "{:?}",
        a.status
    );
    assert!(matches!(a.screen, Screen::Home(_)));
    assert!(a.session.is_none() && a.pending.is_none());
}

#[test]
fn after_closing_the_list_is_read_on_a_worker_and_enter_waits_for_it() {
    let (_dir, mut a, rx) = home_with_two();
    press(&mut a, &[Enter]);
    deliver_next(&mut a, &rx);
    assert!(matches!(a.screen, Screen::Question(_)));
    press(&mut a, &[Esc]);
    deliver_until(&mut a, &rx, |a| matches!(a.screen, Screen::Home(_)));
    let screen = render(&a, 100, 30);
    assert!(screen.contains("Reading the list…"), "{screen}");
    // Enter on the list being read neither starts a new assessment nor opens anything.
    press(&mut a, &[Enter]);
    assert!(matches!(a.screen, Screen::Home(_)));
    assert!(a.pending.is_none());
    deliver_until(
        &mut a,
        &rx,
        |a| matches!(&a.screen, Screen::Home(h) if h.loaded),
    );
    assert_eq!(items(&a).len(), 2);
}

#[test]
fn every_file_effect_the_user_waits_on_runs_on_a_worker() {
    let (dir, mut a, rx) = home_with_two();
    let [first, second] = <[_; 2]>::try_from(items(&a)).unwrap();

    // Re-assess the selected one: a new assessment on its profile, locked.
    runs_on_worker(
        &mut a,
        &rx,
        &[Char('r')],
        "Preparing the re-assessment…",
        |a| matches!(a.screen, Screen::Profile(_)),
    );
    let new = a.session.as_ref().unwrap().path.clone();
    assert!(new != first && new != second);
    assert!(sansang::assessment::store::lock(&new).is_err());
    a.overlay = None;
    press(&mut a, &[Esc]);
    deliver_until(
        &mut a,
        &rx,
        |a| matches!(&a.screen, Screen::Home(h) if h.loaded),
    );

    // Delete it: gone from the list at once, the folder read again behind.
    select(&mut a, &new);
    press(&mut a, &[Char('d')]);
    assert!(matches!(a.overlay, Some(Overlay::Confirm(_))));
    runs_on_worker(
        &mut a,
        &rx,
        &[Char('y')],
        "Deleting…",
        |a| matches!(&a.status, Some(Status::Info(m)) if m.starts_with("Deleted")),
    );
    assert!(!new.exists());
    assert!(!items(&a).contains(&new));
    deliver_next(&mut a, &rx);
    assert_eq!(items(&a), [first.clone(), second.clone()]);

    // Reconcile the two: a new reconciled assessment, opened.
    select(&mut a, &first);
    press(&mut a, &[Char(' '), Char(' ')]);
    runs_on_worker(&mut a, &rx, &[Char('c')], "Reconciling…", |a| {
        a.session.is_some()
    });
    let reconciled = a.session.as_ref().unwrap().path.clone();
    assert!(reconciled.to_string_lossy().contains("reconciled"));
    assert!(sansang::assessment::store::lock(&reconciled).is_err());
    a.overlay = None;
    a.session = None;
    a.dispatch(Msg::Quit);

    // On the results: compare with another assessment, then write the report.
    let mut a = app(dir.path(), Lang::En);
    let rx = with_worker(&mut a);
    select(&mut a, &first);
    press(&mut a, &[Enter]);
    deliver_next(&mut a, &rx);
    press(&mut a, &[Char('d')]);
    assert!(matches!(a.screen, Screen::Dashboard(_)));
    runs_on_worker(
        &mut a,
        &rx,
        &[Char('c')],
        "Finding assessments to compare with…",
        |a| matches!(a.overlay, Some(Overlay::ComparePick { .. })),
    );
    runs_on_worker(&mut a, &rx, &[Enter], "Comparing…", |a| {
        matches!(a.overlay, Some(Overlay::Compare { .. }))
    });
    press(&mut a, &[Esc]);
    assert!(a.overlay.is_none());
    runs_on_worker(
        &mut a,
        &rx,
        &[Char('p')],
        "Writing the report…",
        |a| matches!(&a.status, Some(Status::Info(m)) if m.starts_with("Report written")),
    );
    let reports: Vec<_> = std::fs::read_dir(dir.path().join("reports"))
        .unwrap()
        .collect();
    assert_eq!(reports.len(), 1);
}

#[test]
fn local_questionnaires_are_read_after_the_first_frame() {
    use sansang::tui::Program;
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("questionnaires");
    std::fs::create_dir_all(&local).unwrap();
    std::fs::write(local.join("broken.json"), "{\"id\": \"broken\",").unwrap();
    // Not a questionnaire yet: it becomes one only after the first frame, so a wizard that
    // read the folder before drawing would not have it.
    std::fs::write(local.join("mini.json"), "not yet").unwrap();
    let mut a = App::new(
        dir.path().to_path_buf(),
        sansang::tui::Settings {
            lang: Lang::En,
            color: false,
        },
    );
    let rx = with_worker(&mut a);
    a.start(100, 30);
    // The first frame: drawn on the built-in catalog, no notice about the local files yet.
    assert_eq!(a.catalog.entries.len(), 3);
    assert!(a.overlay.is_none());
    let first = render(&a, 100, 30);
    assert!(first.contains("Reading the list…"), "{first}");
    std::fs::write(local.join("mini.json"), common::MINI).unwrap();
    // Then, before any key: the folder is read (here, not on the worker), the rejected one
    // reported, the good one listed.
    assert!(a.tick());
    assert!(
        rx.try_recv().is_err(),
        "read in place, before the first key"
    );
    assert!(a.catalog.find("mini", None).is_some());
    let Some(Overlay::Notice(lines)) = &a.overlay else {
        panic!(
            "the rejected local questionnaire is reported: {:?}",
            a.overlay
        );
    };
    assert!(lines.iter().any(|l| l.contains("broken.json")), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("mini.json")), "{lines:?}");
    // Keys act on what was read: close the notice, start one of the local questionnaire.
    press(&mut a, &[Enter]);
    choose(&mut a, "mini");
    assert!(a.session.is_some());
}

#[test]
fn a_participants_own_file_opens_on_a_worker_within_their_limits() {
    use sansang::tui::Program;
    use sansang::tui::app::{Confine, Effect};
    let room = tempfile::tempdir().unwrap();
    let mine = room.path().join("lan.json");
    let other = room.path().join("other.json");
    for p in [&mine, &other] {
        let mut a = app(room.path(), Lang::En);
        a.confined = Some(Confine {
            path: p.to_path_buf(),
            questionnaire: "workshop".into(),
        });
        for e in a.init() {
            if let Some(m) = a.perform(e) {
                a.dispatch(m);
            }
        }
        typed(&mut a, "Sở");
        press(&mut a, &[Enter]);
    }
    let mut a = App::with_catalog(
        room.path().to_path_buf(),
        sansang::tui::Settings {
            lang: Lang::En,
            color: false,
        },
        sansang::questionnaire::Catalog::builtin(),
    );
    a.confined = Some(Confine {
        path: mine.clone(),
        questionnaire: "workshop".into(),
    });
    let rx = with_worker(&mut a);
    a.start(100, 30);
    // The first frame says it is opening (and lists nothing: a participant has no list).
    let first = render(&a, 100, 30);
    assert!(first.contains("Opening the assessment…"), "{first}");
    assert!(!first.contains("Reading the list"), "{first}");
    assert!(!a.tick(), "nothing held back for a participant");
    deliver_next(&mut a, &rx);
    assert_eq!(a.session.as_ref().unwrap().path, mine);
    // Still nothing else: no other file, no list, no report.
    for e in [
        Effect::Open(other.clone()),
        Effect::Delete(other.clone()),
        Effect::Compare(other.clone()),
        Effect::Reassess(other.clone()),
        Effect::Reconcile(vec![mine.clone(), other.clone()]),
        Effect::ListAssessments,
        Effect::ListForCompare,
        Effect::WriteReport,
        Effect::LoadLocalQuestionnaires(room.path().join("questionnaires")),
    ] {
        assert!(a.perform(e.clone()).is_none(), "{e:?}");
        assert!(a.pending.is_none(), "{e:?}");
    }
    assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
    assert!(other.exists());
    assert!(!room.path().join("reports").exists());
}

#[test]
fn the_list_after_closing_shows_what_was_just_saved() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    // As the runner has it: saves start once the frame is out (`release`).
    let (tx, rx) = channel();
    let jobs = Jobs::deferred(move |m| {
        let _ = tx.send(m);
    });
    a.attach(jobs.clone());
    choose(&mut a, "mini");
    typed(&mut a, "Sở Vừa Lưu");
    // Whatever was saved so far has landed; the name is saved as the profile is left.
    while a.saving() {
        jobs.release();
        deliver_next(&mut a, &rx);
    }
    press(&mut a, &[Esc]);
    // After each frame the runner lets the queued work go: the save, then the list.
    while !matches!(&a.screen, Screen::Home(h) if h.loaded) {
        jobs.release();
        deliver_next(&mut a, &rx);
    }
    let Screen::Home(h) = &a.screen else {
        unreachable!()
    };
    assert_eq!(h.items.len(), 1);
    assert_eq!(h.items[0].organisation, "Sở Vừa Lưu");
}
