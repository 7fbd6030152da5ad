//! Driving the wizard in tests: an App on a temporary data folder with a fixed clock.

use sansang::i18n::Lang;
use sansang::tui::{App, Key, Msg, Settings};
use std::path::Path;

pub const NOW: &str = "2026-11-24T10:00:00Z";

pub fn app(dir: &Path, lang: Lang) -> App {
    let mut a = App::new(dir.to_path_buf(), Settings { lang, color: false });
    a.now = || NOW.to_string();
    for e in a.init() {
        if let Some(m) = a.perform(e) {
            a.dispatch(m);
        }
    }
    a
}

/// A data folder with the test questionnaire installed as a local file (listed 4th).
pub fn data_dir_with_mini() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("questionnaires")).unwrap();
    std::fs::write(dir.path().join("questionnaires/mini.json"), super::MINI).unwrap();
    dir
}

pub fn press(a: &mut App, keys: &[Key]) {
    for k in keys {
        a.dispatch(Msg::Key(*k));
    }
}

pub fn typed(a: &mut App, s: &str) {
    for c in s.chars() {
        a.dispatch(Msg::Key(Key::Char(c)));
    }
}

/// From the home screen: `n`, then the questionnaire with this id (found by id, not by its place
/// in the list), then Enter.
pub fn choose(a: &mut App, id: &str) {
    use Key::*;
    press(a, &[Char('n')]);
    let index = a
        .catalog
        .entries
        .iter()
        .position(|e| e.questionnaire.id == id)
        .unwrap_or_else(|| panic!("no questionnaire {id} in the catalog"));
    press(a, &vec![Down; index]);
    press(a, &[Enter]);
}

/// New assessment of the test questionnaire (chosen by id), profile filled for the mini questionnaire
/// (name, province, 2025), standing on its first question.
pub fn start_mini(a: &mut App) {
    use Key::*;
    choose(a, "mini");
    typed(a, "Sở Ví Dụ");
    // name → level (choice: Right picks the first option, "province") → year → staff → start
    press(a, &[Enter, Right, Down, Right, Down, Down, Enter]);
}

/// The only saved assessment file's JSON.
pub fn saved(dir: &Path) -> serde_json::Value {
    let files: Vec<_> = std::fs::read_dir(dir.join("assessments"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap()
}

/// From the first question of the mini questionnaire: answers m.f1.1 (level 3), m.f1.2 (partly),
/// m.f1.3 (options 1 and 3) and m.f1.4 (45, saved with Enter), the worked example's answers.
pub fn answer_first_four(a: &mut App) {
    use Key::*;
    press(
        a,
        &[
            Char('3'),
            Right,
            Char('p'),
            Right,
            Char('1'),
            Char('3'),
            Right,
        ],
    );
    typed(a, "45");
    press(a, &[Enter]);
}

/// From the first question of the mini questionnaire: every question answered, "no" to the
/// incident-response plan (a red flag that caps the headline), then the results (`d`).
pub fn capped_dashboard(a: &mut App) {
    use Key::*;
    answer_first_four(a);
    press(
        a,
        &[
            Right,
            Right,
            Char('y'),
            Right,
            Char('n'),
            Right,
            Char('2'),
            Char('d'),
        ],
    );
}

/// The screen as text, drawn at `w`×`h`.
pub fn render(a: &App, w: u16, h: u16) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| sansang::tui::view::view(a, f)).unwrap();
    t.backend().to_string()
}

/// On the mini questionnaire's first question: a save that fails is kept in memory, shown reason
/// first (visible at 80 columns), retried when leaving, which asks when it fails again; staying
/// and changing something once the problem is gone saves everything. `settle` hands the app the
/// results of saves in flight (nothing to do when saves run in place).
pub fn failed_save_drill(a: &mut App, settle: &mut dyn FnMut(&mut App)) {
    use sansang::tui::Key::*;
    use sansang::tui::app::{Overlay, Screen, Status};
    use serde_json::json;
    let path = a.session.as_ref().unwrap().path.clone();
    // Make the save fail: a folder where the file should be replaced.
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    press(a, &[Char('3')]);
    settle(a);
    assert!(a.unsaved.is_some(), "{:?}", a.status);
    // The status line says why first, the path after; at 80 columns the reason is visible.
    assert!(
        matches!(&a.status, Some(Status::Error(m)) if m.starts_with("Not saved")),
        "{:?}",
        a.status
    );
    let screen = render(a, 80, 24);
    assert!(
        screen.lines().nth(1).unwrap().contains("✗ Not saved"),
        "{screen}"
    );
    // Leaving tries again; still failing, it asks.
    press(a, &[Esc]);
    settle(a);
    assert!(
        matches!(&a.overlay, Some(Overlay::Confirm(_))),
        "leaving with unsaved changes asks"
    );
    press(a, &[Char('n')]);
    assert!(matches!(a.screen, Screen::Question(_)), "stays");
    // The problem goes away: the next change saves everything, the earlier answer too.
    std::fs::remove_dir(&path).unwrap();
    press(a, &[Right, Char('y')]);
    settle(a);
    assert!(a.unsaved.is_none());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["answers"]["m.f1.1"]["response"]["level"], json!(3));
    assert_eq!(v["answers"]["m.f1.2"]["response"]["choice"], json!("yes"));

    // Failing again, leaving offers "save again": while the problem lasts it asks once more;
    // once it is gone, the save lands and the wizard leaves.
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    press(a, &[Char('n')]);
    settle(a);
    assert!(a.unsaved.is_some(), "{:?}", a.status);
    press(a, &[Esc]);
    settle(a);
    assert!(matches!(&a.overlay, Some(Overlay::Confirm(_))));
    assert!(render(a, 80, 24).contains("s: save again"));
    press(a, &[Char('s')]);
    settle(a);
    assert!(
        matches!(&a.overlay, Some(Overlay::Confirm(_))),
        "still failing: it asks again"
    );
    assert!(matches!(a.screen, Screen::Question(_)));
    std::fs::remove_dir(&path).unwrap();
    press(a, &[Char('s')]);
    settle(a);
    assert!(a.overlay.is_none(), "{:?}", a.overlay);
    assert!(a.unsaved.is_none());
    assert!(matches!(a.screen, Screen::Home(_)), "left once saved");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["answers"]["m.f1.2"]["response"]["choice"], json!("no"));
}
