//! The province is chosen from a list in the profile (issue 10): typed letters filter the 34
//! units in force since 1 July 2025 (diacritics optional), ↑↓ select, Enter chooses; a former
//! province's name saves its new unit with a visible note; a back-dated file keeps the former
//! name it holds. Snapshots in both languages at 80×24.

mod common;
use common::tui::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sansang::assessment::ProfileValue;
use sansang::i18n::Lang;
use sansang::tui::model::{Screen, Status};
use sansang::tui::view::view;
use sansang::tui::{App, Key::*};

fn render(a: &App) -> String {
    render_at(a, 80, 24)
}

fn render_at(a: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view(a, f)).unwrap();
    t.backend().to_string()
}

/// A new agency assessment, name typed, level "ministry", standing on the province field.
fn on_province(dir: &std::path::Path, lang: Lang) -> App {
    let mut a = app(dir, lang);
    choose(&mut a, "agency");
    typed(&mut a, "UBND xã Ví Dụ");
    press(&mut a, &[Enter, Right, Down]);
    assert!(
        matches!(&a.screen, Screen::Profile(p) if p.picking),
        "{}",
        render(&a)
    );
    a
}

/// The screen as one line of words (wrapped rows joined), for phrases that may wrap.
fn flat(screen: &str) -> String {
    screen
        .replace('"', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Asserts the screen shows `phrase` (perhaps wrapped over rows).
fn assert_shows(a: &App, phrase: &str) {
    let screen = render(a);
    assert!(
        flat(&screen).contains(phrase),
        "{phrase:?} not on:\n{screen}"
    );
}

fn province(a: &App) -> Option<String> {
    a.session
        .as_ref()
        .and_then(|s| s.assessment.profile_text("province_name"))
}

fn status(a: &App) -> String {
    match &a.status {
        Some(Status::Info(m) | Status::Error(m)) => m.clone(),
        _ => String::new(),
    }
}

#[test]
fn typing_ho_chi_and_enter_chooses_ho_chi_minh_city() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = on_province(dir.path(), Lang::Vi);
    // Letters that are commands elsewhere (h, q, l, d) go into the filter.
    typed(&mut a, "ho chi");
    let screen = render(&a);
    assert!(screen.contains("[ho chi▏]"), "{screen}");
    assert!(screen.contains("▶ TP. Hồ Chí Minh"), "{screen}");
    press(&mut a, &[Enter]);
    assert_eq!(province(&a).as_deref(), Some("TP. Hồ Chí Minh"));
    // Saved in the file, and the cursor moved on to the next field (the role).
    assert_eq!(
        saved(dir.path())["profile"]["province_name"],
        "TP. Hồ Chí Minh"
    );
    assert!(matches!(&a.screen, Screen::Profile(p) if !p.picking && p.field == 3));
}

#[test]
fn arrows_select_in_the_filtered_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = on_province(dir.path(), Lang::En);
    typed(&mut a, "da");
    // Đà Nẵng, Đắk Lắk, then the former Đắk Nông.
    press(&mut a, &[Down, Enter]);
    assert_eq!(province(&a).as_deref(), Some("Đắk Lắk"));
}

#[test]
fn a_former_name_saves_its_new_unit_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = on_province(dir.path(), Lang::Vi);
    typed(&mut a, "Binh Duong");
    assert_shows(
        &a,
        "Bình Dương → TP. Hồ Chí Minh (Nghị quyết 202/2025/QH15)",
    );
    press(&mut a, &[Enter]);
    assert_eq!(province(&a).as_deref(), Some("TP. Hồ Chí Minh"));
    // The field says which former name led to the unit saved.
    assert_shows(
        &a,
        "Bình Dương → TP. Hồ Chí Minh (Nghị quyết 202/2025/QH15)",
    );
}

#[test]
fn leaving_with_an_ambiguous_or_unknown_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = on_province(dir.path(), Lang::En);
    typed(&mut a, "ha");
    press(&mut a, &[Tab]);
    assert!(status(&a).contains("matches several"), "{}", status(&a));
    assert_eq!(province(&a), None);
    assert!(matches!(&a.screen, Screen::Profile(p) if p.picking));
    // A name that stands for one unit is taken on Tab.
    press(&mut a, &[Backspace, Backspace]);
    typed(&mut a, "Hà Nội");
    press(&mut a, &[Tab]);
    assert_eq!(province(&a).as_deref(), Some("Hà Nội"));
    // Back, type something that matches nothing: Enter refuses, nothing changes.
    press(&mut a, &[BackTab]);
    assert!(matches!(&a.screen, Screen::Profile(p) if p.picking));
    typed(&mut a, "xyz");
    press(&mut a, &[Enter]);
    assert!(status(&a).contains("matches no province"), "{}", status(&a));
    assert_eq!(province(&a).as_deref(), Some("Hà Nội"));
    // Delete with nothing typed clears the saved province.
    press(&mut a, &[Backspace, Backspace, Backspace, Delete]);
    assert_eq!(province(&a), None);
}

#[test]
fn a_back_dated_file_keeps_its_former_name_until_a_unit_is_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = on_province(dir.path(), Lang::En);
    {
        let s = a.session.as_mut().unwrap();
        let q = s.questionnaire.clone();
        s.assessment
            .set_profile(
                &q,
                "province_name",
                ProfileValue::Text("Bình Dương".into()),
                NOW,
            )
            .unwrap();
    }
    // Passing through the field without typing keeps it as written.
    press(&mut a, &[BackTab, Down, Tab]);
    assert_eq!(province(&a).as_deref(), Some("Bình Dương"));
    assert_shows(
        &a,
        "Bình Dương → Ho Chi Minh City (Resolution 202/2025/QH15)",
    );
}

/// Snapshots: the filtered list after typing "ho chi", and a former name's row.
#[test]
fn the_pick_list_in_both_languages_at_80x24() {
    for lang in [Lang::Vi, Lang::En] {
        for (name, keys, description) in [
            (
                "province_pick_ho_chi",
                "ho chi",
                "agency, name, ministry, ↓ to the province, type \"ho chi\"",
            ),
            (
                "province_pick_former",
                "binh",
                "agency, name, ministry, ↓ to the province, type \"binh\": a former name's row",
            ),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let mut a = on_province(dir.path(), lang);
            typed(&mut a, keys);
            let out = render(&a);
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_suffix(format!("{}_80x24", lang.code()));
            settings.set_description(description);
            settings.bind(|| insta::assert_snapshot!(name, out));
        }
    }
}

/// The open list draws at any window size without panicking.
#[test]
fn the_pick_list_draws_at_any_size() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = on_province(dir.path(), Lang::Vi);
    for typed_now in ["", "b", "xyz"] {
        typed(&mut a, typed_now);
        for (w, h) in [(1, 1), (20, 5), (59, 17), (60, 18), (200, 60)] {
            render_at(&a, w, h);
        }
    }
}

/// While the list is open ↑↓ move in it, so the cue for the fields below names Tab.
#[test]
fn the_more_below_cue_names_tab_while_the_list_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = on_province(dir.path(), Lang::En);
    typed(&mut a, "a");
    let out = render(&a);
    assert!(out.contains("more lines below (Tab to see)"), "{out}");
    assert!(!out.contains("(↑↓ to see)"), "{out}");
}

#[test]
fn arrows_at_the_ends_of_the_list_leave_it_for_the_next_field() {
    // Moving through the form with ↑↓ ended in the province list: ↑ stayed on its first row for
    // good, and only Tab (named in the footer) got out.
    let dir = tempfile::tempdir().unwrap();
    let mut a = on_province(dir.path(), Lang::Vi);
    let field = |a: &App| match &a.screen {
        Screen::Profile(p) => (p.field, p.picking),
        _ => panic!("left the profile"),
    };
    let (at, _) = field(&a);
    press(&mut a, &[Up]);
    assert_eq!(
        field(&a),
        (at - 1, false),
        "↑ on the first row goes up a field"
    );
    assert_eq!(province(&a), None, "nothing chosen on the way");
    press(&mut a, &[Down]);
    assert_eq!(field(&a), (at, true), "back in the list");
    // To the last row of the whole list, then one more ↓ leaves downwards.
    let rows = match &a.screen {
        Screen::Profile(p) => p.picks().len(),
        _ => unreachable!(),
    };
    assert_eq!(rows, 34, "{}", render(&a));
    for _ in 0..rows - 1 {
        press(&mut a, &[Down]);
    }
    assert_eq!(field(&a), (at, true), "still in the list on its last row");
    press(&mut a, &[Down]);
    assert_eq!(field(&a).0, at + 1, "↓ on the last row goes down a field");
    assert_eq!(province(&a), None, "nothing chosen on the way");
    // With a name typed, the arrows stay in the filtered list (leaving would be refused).
    press(&mut a, &[Up]);
    typed(&mut a, "da");
    press(&mut a, &[Down, Down, Down, Down, Up, Up, Up, Up, Up]);
    assert_eq!(field(&a), (at, true), "{}", render(&a));
}

#[test]
fn a_wrapped_profile_value_continues_under_itself() {
    // "Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ" wraps at 80 columns; its second line began
    // four columns left of the value, under the label's padding.
    let dir = tempfile::tempdir().unwrap();
    let a = on_province(dir.path(), Lang::Vi);
    let screen = render_at(&a, 80, 24);
    let rows: Vec<String> = screen
        .lines()
        .map(|l| l.trim_matches('"').to_string())
        .collect();
    let at = rows
        .iter()
        .position(|r| r.contains("Cấp hành chính"))
        .unwrap_or_else(|| panic!("{screen}"));
    let column = |row: &str, text: &str| {
        let byte = row
            .find(text)
            .unwrap_or_else(|| panic!("{text:?} in {row:?}"));
        sansang::text::width(&row[..byte])
    };
    let value = column(&rows[at], "Bộ,");
    let next = &rows[at + 1];
    let first = next.trim_start();
    assert!(!first.is_empty() && !first.contains("Tỉnh"), "{screen}");
    assert_eq!(column(next, first), value, "{screen}");
}
