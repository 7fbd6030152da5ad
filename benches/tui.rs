//! Time to draw one frame of the question screen and of the results dashboard at 200×60 with
//! ratatui's TestBackend, on the agency questionnaire with every question answered.
//! Run with `cargo bench --bench tui`.

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sansang::i18n::Lang;
use sansang::questionnaire::QuestionKind;
use sansang::tui::app::Screen;
use sansang::tui::view::view;
use sansang::tui::{App, Key, Msg, Settings};

fn press(a: &mut App, keys: &[Key]) {
    for k in keys {
        a.dispatch(Msg::Key(*k));
    }
}

/// An agency assessment, profile filled, every shown question answered through the keys.
fn answered_agency(dir: &std::path::Path) -> App {
    use Key::*;
    let mut a = App::new(
        dir.to_path_buf(),
        Settings {
            lang: Lang::Vi,
            color: true,
        },
    );
    press(&mut a, &[Char('n'), Enter]);
    for c in "UBND tỉnh Ví Dụ".chars() {
        press(&mut a, &[Char(c)]);
    }
    // level, role, target year are the required choices; then the start button.
    press(
        &mut a,
        &[
            Enter, Right, Right, Down, Down, Right, Down, Down, Down, Right, Down, Down, Down,
            Enter,
        ],
    );
    for _ in 0..200 {
        let Screen::Question(qs) = &a.screen else {
            break;
        };
        let s = a.session.as_ref().unwrap();
        let kind = s.questionnaire.question(&qs.current).map(|q| q.kind);
        match kind {
            Some(QuestionKind::Scale) => press(&mut a, &[Char('2')]),
            Some(QuestionKind::Ynp) => press(&mut a, &[Char('p')]),
            Some(QuestionKind::Checklist) => press(&mut a, &[Char('1')]),
            Some(QuestionKind::Number) => press(&mut a, &[Char('5'), Char('0'), Enter]),
            _ => {}
        }
        press(&mut a, &[Right]);
    }
    a
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut a = answered_agency(dir.path());
    assert!(
        matches!(a.screen, Screen::Dashboard(_)),
        "reached the results"
    );
    let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap();
    c.bench_function("draw dashboard 200x60", |b| {
        b.iter(|| {
            term.draw(|f| view(&a, f)).unwrap();
        })
    });
    press(&mut a, &[Key::Esc]);
    assert!(matches!(a.screen, Screen::Question(_)));
    c.bench_function("draw question 200x60", |b| {
        b.iter(|| {
            term.draw(|f| view(&a, f)).unwrap();
        })
    });
}

criterion_group! {
    name = tui;
    config = Criterion::default().sample_size(50).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(tui);
