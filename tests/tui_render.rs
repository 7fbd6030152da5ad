//! Render snapshots of every screen in both languages at 80×24 and 120×40, the too-small screen,
//! and Vietnamese wrapping with precomposed and decomposed text.

mod common;
use common::tui::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sansang::i18n::Lang;
use sansang::tui::{App, Key::*};
use unicode_normalization::UnicodeNormalization;

/// Builds the app state for a named screen.
fn screen(name: &str, dir: &std::path::Path, lang: Lang) -> App {
    let mut a = app(dir, lang);
    match name {
        "home_empty" => {}
        "help" => press(&mut a, &[Char('?')]),
        "choose" => press(&mut a, &[Char('n'), Down]),
        "profile" => {
            choose(&mut a, "mini");
            typed(&mut a, "Sở Ví Dụ");
            press(&mut a, &[Enter, Right]);
        }
        _ => {
            start_mini(&mut a);
            match name {
                "home_list" => press(&mut a, &[Char('3'), Esc]),
                "q_scale" => press(&mut a, &[Char('3'), Down]),
                "q_ynp" => press(&mut a, &[Right, Char('p'), Char('f')]),
                "q_checklist" => press(&mut a, &[Right, Right, Char('1'), Char('3')]),
                "q_number" => {
                    press(&mut a, &[Right, Right, Right]);
                    typed(&mut a, "45");
                    press(&mut a, &[Enter]);
                }
                "q_number_refused" => {
                    press(&mut a, &[Right, Right, Right]);
                    typed(&mut a, "khoảng 70");
                    press(&mut a, &[Enter]);
                }
                "confirm_clear" => press(&mut a, &[Char('3'), Delete]),
                "search" => {
                    press(&mut a, &[Char('/')]);
                    typed(&mut a, "ky nang");
                }
                "q_text" => {
                    press(&mut a, &[Right, Right, Right, Right, Enter]);
                    typed(&mut a, "Thiếu người");
                    press(&mut a, &[Enter]);
                    typed(&mut a, "và kinh phí");
                }
                "evidence" => press(&mut a, &[Char('2'), Char('e'), Down, Right]),
                "sections" => press(&mut a, &[Char('s'), Down]),
                "comment" => {
                    press(&mut a, &[Char('2'), Char('g')]);
                    typed(&mut a, "Đã họp ngày 3/6; biên bản ở phòng Văn thư");
                }
                "confirm_delete" => press(&mut a, &[Char('1'), Esc, Char('d')]),
                "compare" => {
                    press(&mut a, &[Char('1'), Esc]);
                    start_mini(&mut a);
                    press(&mut a, &[Char('4'), Char('d'), Char('c'), Enter]);
                }
                "review" => press(
                    &mut a,
                    &[Char('3'), Right, Char('b'), Char('f'), Char('r'), Down],
                ),
                "dashboard" | "why" | "why_overall" => {
                    capped_dashboard(&mut a);
                    match name {
                        "why" => press(&mut a, &[Down, Down, Enter, Down]),
                        "why_overall" => press(&mut a, &[Enter]),
                        _ => {}
                    }
                }
                other => panic!("unknown screen {other}"),
            }
        }
    }
    a
}

/// Every screen and overlay, with the actions that produce it (the snapshot's description).
const SCREENS: &[(&str, &str)] = &[
    ("home_empty", "start with an empty data folder"),
    ("help", "? on the home screen: every binding of the keymap"),
    ("choose", "n, ↓: choosing a questionnaire"),
    ("profile", "n, choose mini, type the name, Enter, →"),
    (
        "home_list",
        "start mini, answer 3, Esc: back home with one assessment",
    ),
    (
        "q_scale",
        "start mini, 3, ↓: a scale with every level's descriptor",
    ),
    ("q_ynp", "start mini, →, p, f: partly, marked for review"),
    ("q_checklist", "start mini, →→, 1, 3: two options ticked"),
    (
        "q_number",
        "start mini, →→→, type 45, Enter: saved, focus left the field",
    ),
    (
        "q_number_refused",
        "start mini, →→→, type \"khoảng 70\", Enter: refused, nothing saved",
    ),
    (
        "q_text",
        "start mini, →→→→, Enter, type two lines: the text editor",
    ),
    (
        "evidence",
        "start mini, 2, e, ↓, →: the evidence form, grade changed",
    ),
    ("review", "start mini, 3, →, b, f, r, ↓: the review list"),
    (
        "dashboard",
        "answer everything, n on the incident plan, d: a capped headline",
    ),
    ("why", "dashboard, ↓↓, Enter, ↓: why F1"),
    (
        "why_overall",
        "dashboard, Enter: why the headline is capped",
    ),
    ("sections", "start mini, s, ↓: the sections window"),
    ("search", "start mini, /, type \"ky nang\" (no diacritics)"),
    ("comment", "start mini, 2, g, type: the comment editor"),
    (
        "confirm_delete",
        "start mini, 1, Esc, d: the delete confirmation names the assessment",
    ),
    (
        "confirm_clear",
        "start mini, 3, Delete: clearing an answer asks first",
    ),
    ("compare", "two assessments, d, c, Enter: the comparison"),
];

#[test]
fn every_screen_in_both_languages_and_two_sizes() {
    for (name, description) in SCREENS {
        for lang in [Lang::Vi, Lang::En] {
            for (w, h) in [(80, 24), (120, 40)] {
                let dir = data_dir_with_mini();
                let a = screen(name, dir.path(), lang);
                let out = render(&a, w, h);
                let mut settings = insta::Settings::clone_current();
                settings.add_filter(&regex_escape(&dir.path().display().to_string()), "[DATA]");
                settings.set_snapshot_suffix(format!("{}_{w}x{h}", lang.code()));
                settings.set_description(*description);
                settings.bind(|| insta::assert_snapshot!(*name, out));
            }
        }
    }
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_ascii_alphanumeric() || c == '/' {
                vec![c]
            } else {
                vec!['\\', c]
            }
        })
        .collect()
}

#[test]
fn too_small_screen_asks_to_enlarge() {
    let dir = data_dir_with_mini();
    for (lang, text) in [
        (Lang::Vi, "Hãy phóng to cửa sổ"),
        (Lang::En, "Please enlarge the window"),
    ] {
        let a = screen("q_scale", dir.path(), lang);
        let out = render(&a, 50, 12);
        assert!(out.contains(text), "{out}");
        insta::assert_snapshot!(format!("too_small_{}", lang.code()), out);
    }
}

#[test]
fn resizing_to_any_size_never_panics() {
    let dir = data_dir_with_mini();
    for (name, _) in SCREENS {
        let a = screen(name, dir.path(), Lang::Vi);
        for (w, h) in [
            (1, 1),
            (20, 5),
            (59, 17),
            (60, 18),
            (79, 23),
            (200, 60),
            (300, 100),
        ] {
            render(&a, w, h);
        }
    }
}

/// A questionnaire whose text is decomposed (NFD) renders exactly like the precomposed one.
#[test]
fn vietnamese_wraps_the_same_precomposed_or_decomposed() {
    let long = "Người đứng đầu cơ quan đã trực tiếp chỉ đạo, kiểm tra và sử dụng các hệ thống chuyển đổi số của đơn vị hay chưa, và đã giao nhiệm vụ bằng văn bản cho từng phòng ban?";
    let outs: Vec<String> = [
        long.nfc().collect::<String>(),
        long.nfd().collect::<String>(),
    ]
    .iter()
    .map(|text| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("questionnaires")).unwrap();
        let mini = common::MINI.replace("Người đứng đầu trực tiếp chỉ đạo?", text);
        assert_ne!(mini, common::MINI);
        std::fs::write(dir.path().join("questionnaires/mini.json"), mini).unwrap();
        let mut a = app(dir.path(), Lang::Vi);
        start_mini(&mut a);
        render(&a, 80, 24).nfc().collect()
    })
    .collect();
    assert_eq!(outs[0], outs[1]);
    assert!(
        outs[0].contains("Người đứng đầu cơ quan đã trực tiếp chỉ đạo, kiểm tra và sử dụng các hệ"),
        "{}",
        outs[0]
    );
    insta::assert_snapshot!("vietnamese_wrapping", outs[0]);
}

/// The trainer dashboard over a room of two participants: one with answers (online), one who
/// only filled the profile.
fn trainer(
    lang: Lang,
    group_tabs: usize,
) -> (sansang::tui::trainer::TrainerApp, tempfile::TempDir) {
    use sansang::questionnaire::Catalog;
    use sansang::room::Room;
    use sansang::tui::Program;
    use sansang::tui::app::{App, Confine, Settings};
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let room_dir = dir.path().join("lop-a");
    for (name, keys) in [("an", "3214"), ("binh", "")] {
        let mut a = App::new(room_dir.clone(), Settings { lang, color: false });
        a.now = || NOW.to_string();
        a.confined = Some(Confine {
            path: room_dir.join(format!("{name}.json")),
            questionnaire: "workshop".into(),
        });
        a.start(80, 24);
        typed(&mut a, &format!("Sở {name}"));
        press(&mut a, &[Enter, Right, Down, Down, Enter]);
        for k in keys.chars() {
            press(&mut a, &[Char(k), Right]);
        }
    }
    let room = Arc::new(Room::new("lop-a".into(), room_dir, "workshop".into()));
    room.join("an");
    let mut t = sansang::tui::trainer::TrainerApp::new(
        room,
        Arc::new(Catalog::builtin()),
        dir.path().join("reports"),
        lang,
    );
    t.color = false;
    t.start(80, 24);
    for _ in 0..group_tabs {
        t.key(Tab);
    }
    (t, dir)
}

#[test]
fn trainer_dashboard_snapshots() {
    use sansang::tui::Program;
    for lang in [Lang::Vi, Lang::En] {
        for (tabs, group) in [(0, "pillar"), (1, "task"), (2, "layer")] {
            let (t, _dir) = trainer(lang, tabs);
            for (w, h) in [(80, 24), (120, 40)] {
                let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
                term.draw(|f| t.draw(f)).unwrap();
                insta::assert_snapshot!(
                    format!("trainer_{group}_{}_{w}x{h}", lang.code()),
                    term.backend().to_string()
                );
            }
        }
    }
}
