//! The wizard's answering core, defect by defect: input modes (letters in a field are text, never
//! commands), pastes, numbers as people type them, asking before clearing, readable criteria,
//! the capped headline explained at 80×24, one count, and where screens lead.

mod common;
use common::tui::*;
use sansang::i18n::Lang;
use sansang::tui::app::{Overlay, Screen, Status};
use sansang::tui::keymap::Action;
use sansang::tui::{App, Key::*, Msg};
use serde_json::json;

/// The screen's text with the frame quotes, box lines and side panel removed and whitespace
/// collapsed, so wrapped text reads as one string.
fn flat(screen: &str) -> String {
    screen
        .lines()
        .map(|l| {
            let l = l.trim_matches('"').trim_end().trim_end_matches('│');
            // Right of the side panel or inside a window's border.
            l.rsplit_once('│').map_or(l, |(_, r)| r).to_string()
        })
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn current(a: &App) -> String {
    match &a.screen {
        Screen::Question(q) => q.current.clone(),
        _ => String::new(),
    }
}

/// Standing on the mini questionnaire's number question m.f1.4.
fn on_number(lang: Lang) -> (tempfile::TempDir, App) {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), lang);
    start_mini(&mut a);
    press(&mut a, &[Right, Right, Right]);
    assert_eq!(current(&a), "m.f1.4");
    (dir, a)
}

#[test]
fn letters_typed_into_a_number_answer_are_text_not_commands() {
    let (dir, mut a) = on_number(Lang::Vi);
    let before = saved(dir.path());
    // h would open the profile, b save "don't know", e open the evidence form, q leave.
    typed(&mut a, "khoảng 70");
    assert_eq!(current(&a), "m.f1.4", "still on the question");
    assert!(a.overlay.is_none());
    press(&mut a, &[Enter]);
    assert!(
        matches!(&a.status, Some(Status::Error(m)) if m.contains("“khoảng 70”")),
        "the refusal names what was typed: {:?}",
        a.status
    );
    for s in ["abc", "1e2"] {
        press(&mut a, &[Esc, Enter]);
        typed(&mut a, s);
        press(&mut a, &[Enter]);
        assert!(a.overlay.is_none(), "{s}: no evidence form");
        assert!(
            matches!(&a.status, Some(Status::Error(m)) if m.contains(s)),
            "{s}"
        );
    }
    assert_eq!(
        saved(dir.path()),
        before,
        "a refused input changes nothing saved"
    );
}

#[test]
fn backspace_in_an_empty_number_field_keeps_the_saved_answer() {
    let (dir, mut a) = on_number(Lang::En);
    typed(&mut a, "45");
    press(&mut a, &[Enter]);
    press(&mut a, &[Enter]); // edit again
    press(&mut a, &[End, Backspace, Backspace, Backspace, Backspace]);
    press(&mut a, &[Enter]);
    assert_eq!(
        saved(dir.path())["answers"]["m.f1.4"]["response"]["value"],
        json!(45.0)
    );
    assert!(matches!(&a.status, Some(Status::Error(m)) if m.contains("kept")));
}

#[test]
fn numbers_as_vietnamese_and_english_users_type_them() {
    let (dir, mut a) = on_number(Lang::Vi);
    typed(&mut a, "72,5");
    press(&mut a, &[Enter]);
    assert_eq!(
        saved(dir.path())["answers"]["m.f1.4"]["response"]["value"],
        json!(72.5)
    );
    // Profile: staff "1.200" is twelve hundred in Vietnamese.
    press(&mut a, &[Char('h'), Down, Down, Down]);
    typed(&mut a, "1.200");
    press(&mut a, &[Down]);
    assert_eq!(saved(dir.path())["profile"]["staff"], json!(1200.0));
}

#[test]
fn pasted_text_keeps_its_line_breaks_and_never_acts_as_keys() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    start_mini(&mut a);
    let before = saved(dir.path());
    // Outside a field: ignored (it would have answered "3", skipped on, opened the profile…).
    a.dispatch(Msg::Paste("3 h d q\r".into()));
    assert_eq!(current(&a), "m.f1.1");
    assert_eq!(saved(dir.path()), before);
    assert!(matches!(&a.status, Some(Status::Info(m)) if m.contains("dán")));
    // Into the text answer m.f1.6: CR (xterm, GNOME Terminal, tmux), LF and CRLF are breaks.
    press(&mut a, &[Right, Right, Right, Esc, Right, Enter]);
    assert_eq!(current(&a), "m.f1.6");
    a.dispatch(Msg::Paste("dòng một\rdòng hai\r\ndòng ba\nq".into()));
    press(&mut a, &[Esc]);
    assert_eq!(
        saved(dir.path())["answers"]["m.f1.6"]["response"]["text"],
        json!("dòng một\ndòng hai\ndòng ba\nq")
    );
}

#[test]
fn clearing_an_answer_asks_and_names_it() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    press(&mut a, &[Char('3'), Delete]);
    let screen = render(&a, 80, 24);
    assert!(screen.contains("Clear the answer?"), "{screen}");
    assert!(screen.contains("m.f1.1"), "{screen}");
    press(&mut a, &[Char('n')]);
    assert!(saved(dir.path())["answers"].get("m.f1.1").is_some());
    press(&mut a, &[Delete, Char('y')]);
    assert!(saved(dir.path())["answers"].get("m.f1.1").is_none());
}

#[test]
fn the_delete_confirmation_names_the_assessment() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    press(&mut a, &[Char('1'), Esc, Char('d')]);
    let screen = flat(&render(&a, 80, 24));
    assert!(screen.contains("Sở Ví Dụ · Test questionnaire"), "{screen}");
    assert!(screen.contains("y: delete"), "{screen}");
}

#[test]
fn every_level_and_option_of_the_agency_questionnaire_is_readable_at_120x40() {
    use sansang::assessment::Assessment;
    use sansang::questionnaire::{Catalog, QuestionKind};
    use sansang::tui::app::Session;
    use sansang::tui::screens::question::QuestionState;
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::builtin();
    let entry = catalog.find("agency", None).unwrap();
    let q = entry.questionnaire.clone();
    let mut a = app(dir.path(), Lang::Vi);
    let s = Session::new(
        dir.path().join("a.json"),
        None,
        q.clone(),
        Assessment::new(&q, &entry.hash, NOW),
        vec![],
    );
    let visible = s.visible().to_vec();
    a.session = Some(s);
    let mut checked = 0;
    for (_, question) in q.questions() {
        if !visible.contains(&question.id) {
            continue;
        }
        let texts: Vec<String> = match question.kind {
            QuestionKind::Scale => question
                .levels
                .iter()
                .map(|l| format!("{} {}", l.label.vi, l.descriptor.vi))
                .collect(),
            QuestionKind::Checklist => question
                .options
                .iter()
                .map(|o| o.label.vi.clone())
                .collect(),
            _ => continue,
        };
        a.screen = Screen::Question(QuestionState::at(a.session.as_ref().unwrap(), &question.id));
        for (i, text) in texts.iter().enumerate() {
            let screen = flat(&render(&a, 120, 40));
            let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                screen.contains(&want),
                "{} option {i} not readable whole at 120×40:\n{want}\n---\n{}",
                question.id,
                render(&a, 120, 40)
            );
            a.act(Action::Down);
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn a_capped_headline_says_why_on_the_first_screen_at_80x24() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    // Everything answered; "no" to the incident-response plan (a red flag).
    capped_dashboard(&mut a);
    let screen = render(&a, 80, 24);
    let flat_screen = flat(&screen);
    assert!(
        flat_screen.contains("Readiness: 39.9 Developing"),
        "{screen}"
    );
    assert!(
        flat_screen.contains("No incident-response plan"),
        "{screen}"
    );
    assert!(
        flat_screen.contains("no security, no digital transformation"),
        "{screen}"
    );
    // w on the headline explains the cap, with the priorities' recommendations.
    press(&mut a, &[Char('w')]);
    let why = flat(&render(&a, 80, 24));
    assert!(
        why.contains("The headline shows 39.9 (Developing) instead of the overall 63.8"),
        "{why}"
    );
    assert!(why.contains("→ Write the plan."), "{why}");
}

#[test]
fn one_count_everywhere() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    press(&mut a, &[Char('3')]);
    let s = a.session.as_ref().unwrap();
    let (done, shown) = s.progress();
    assert_eq!(
        (done, shown),
        (1, 7),
        "9 questions, 2 hidden for a province"
    );
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&a, w, h);
        assert!(screen.contains("Question 1/7"), "{screen}");
        assert!(
            screen.contains("answered 1/7 (of 9, 2 hidden by the profile)"),
            "{screen}"
        );
    }
    // The side panel's sections add up to the same total.
    let screen = render(&a, 120, 40);
    assert!(screen.contains("Answered 1/7"), "{screen}");
    let sections: Vec<(usize, usize)> = screen
        .lines()
        .filter_map(|l| l.split('│').next())
        .filter_map(|l| {
            let w = l.split_whitespace().last()?;
            let (d, n) = w.split_once('/')?;
            Some((d.parse().ok()?, n.parse().ok()?))
        })
        .collect();
    let sum = sections
        .iter()
        .take(2)
        .fold((0, 0), |acc, x| (acc.0 + x.0, acc.1 + x.1));
    assert_eq!(sum, (1, 7), "{sections:?}");
    // Home says the same.
    press(&mut a, &[Esc]);
    assert!(render(&a, 80, 24).contains("answered 1/7"));
}

#[test]
fn results_come_and_go_where_the_user_expects() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    press(&mut a, &[Right, Char('y'), Char('d')]);
    assert!(matches!(a.screen, Screen::Dashboard(_)));
    // Esc goes back to the question the user came from, not to question 1.
    press(&mut a, &[Esc]);
    assert_eq!(current(&a), "m.f1.2");
    // q on the results leaves (home).
    press(&mut a, &[Char('d'), Char('q')]);
    assert!(matches!(a.screen, Screen::Home(_)));
}

#[test]
fn a_complete_assessment_opens_on_its_results() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    press(
        &mut a,
        &[Char('3'), Right, Char('p'), Right, Char('1'), Right],
    );
    typed(&mut a, "45");
    press(&mut a, &[Enter, Right, Enter]);
    typed(&mut a, "x");
    press(
        &mut a,
        &[
            Esc,
            Right,
            Char('y'),
            Right,
            Char('y'),
            Right,
            Char('2'),
            Char('q'),
        ],
    );
    assert!(matches!(a.screen, Screen::Home(_)));
    press(&mut a, &[Enter]);
    assert!(matches!(a.screen, Screen::Dashboard(_)), "opens on results");
}

#[test]
fn keys_behind_a_too_small_window_do_nothing() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    a.dispatch(Msg::Resize(40, 10));
    press(&mut a, &[Char('3'), Char('q'), Char('h')]);
    assert_eq!(current(&a), "m.f1.1");
    assert!(saved(dir.path())["answers"].get("m.f1.1").is_none());
    press(&mut a, &[Ctrl('c')]);
    assert!(a.quit, "Ctrl-C still quits");
}

#[test]
fn the_text_cursor_is_drawn_where_it_is() {
    let (_dir, mut a) = on_number(Lang::En);
    typed(&mut a, "4500");
    press(&mut a, &[Home, Delete]);
    let screen = render(&a, 80, 24);
    assert!(screen.contains("[ ▏500 ]"), "{screen}");
}

#[test]
fn the_footer_spells_actions_out() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    start_mini(&mut a);
    let screen = render(&a, 120, 40);
    assert!(!screen.contains("KAD"), "{screen}");
    assert!(screen.contains("a không áp dụng"), "{screen}");
}

#[test]
fn find_questions_without_diacritics_and_filter_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(dir.path(), Lang::Vi);
    choose(&mut a, "workshop");
    typed(&mut a, "Xã Ví Dụ");
    press(&mut a, &[Enter, Right, Enter]);
    while matches!(a.screen, Screen::Profile(_)) {
        press(&mut a, &[Down, Right]);
        press(&mut a, &[Enter]);
        if let Screen::Profile(p) = &a.screen
            && p.field > 10
        {
            break;
        }
    }
    press(&mut a, &[Char('/')]);
    typed(&mut a, "ung cuu");
    let Some(Overlay::Search(st)) = &a.overlay else {
        panic!("no search window")
    };
    let hits = st.results(a.session.as_ref().unwrap(), Lang::Vi);
    assert!(!hits.is_empty());
    for id in &hits {
        let q = a
            .session
            .as_ref()
            .unwrap()
            .questionnaire
            .question(id)
            .unwrap();
        let text = format!(
            "{} {}",
            q.text.vi,
            q.help.as_ref().map_or("", |h| h.vi.as_str())
        );
        assert!(text.to_lowercase().contains("ứng cứu"), "{id}: {text}");
    }
    // Tab: only unanswered (all of them here); Enter goes to the first hit.
    press(&mut a, &[Tab, Enter]);
    assert_eq!(current(&a), hits[0]);
}

#[test]
fn a_failed_save_is_kept_retried_and_leaving_asks() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    // Saves run in place here: nothing to wait for.
    failed_save_drill(&mut a, &mut |_| {});
}

#[test]
fn i_opens_the_questions_sources_as_people_find_them() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    start_mini(&mut a);
    press(&mut a, &[Char('i')]);
    assert!(matches!(a.overlay, Some(Overlay::Sources { .. })));
    let screen = flat(&render(&a, 120, 40));
    assert!(screen.contains("Quyết định 749/QĐ-TTg, mục"), "{screen}");
    assert!(
        screen.contains("phê duyệt Chương trình Chuyển đổi số quốc gia"),
        "{screen}"
    );
    assert!(screen.contains("Thủ tướng Chính phủ"), "{screen}");
    assert!(
        !screen.contains("[004:"),
        "no line numbers by default: {screen}"
    );
    // a: the line numbers, for an auditor.
    press(&mut a, &[Char('a')]);
    let screen = flat(&render(&a, 120, 40));
    assert!(screen.contains("Dòng trong tài liệu gốc 004"), "{screen}");
    press(&mut a, &[Esc]);
    assert!(a.overlay.is_none());
}

#[test]
fn districts_are_not_offered_to_new_assessments() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(dir.path(), Lang::Vi);
    choose(&mut a, "agency");
    typed(&mut a, "UBND xã Ví Dụ");
    press(&mut a, &[Enter]);
    let mut seen = vec![];
    for _ in 0..6 {
        press(&mut a, &[Right]);
        seen.push(saved(dir.path())["profile"]["level"].clone());
    }
    assert!(seen.contains(&json!("commune")), "{seen:?}");
    assert!(!seen.contains(&json!("district")), "{seen:?}");
}

#[test]
fn a_refusal_is_cleared_when_the_user_moves_on() {
    let (_dir, mut a) = on_number(Lang::En);
    typed(&mut a, "abc");
    press(&mut a, &[Enter]);
    assert!(matches!(&a.status, Some(Status::Error(m)) if m.contains("abc")));
    // Still on the question: the refusal stays.
    press(&mut a, &[Esc]);
    assert!(matches!(&a.status, Some(Status::Error(_))));
    // On another question it would be about the wrong answer: gone.
    press(&mut a, &[Right]);
    assert_eq!(current(&a), "m.f1.6");
    assert!(a.status.is_none(), "{:?}", a.status);
}
