//! The wizard's state machine: sequences of messages give the expected state and saved file.

mod common;
use common::tui::*;
use sansang::i18n::Lang;
use sansang::tui::Key::*;
use sansang::tui::app::{Overlay, Screen, Status};
use serde_json::json;

#[test]
fn new_assessment_profile_is_saved_field_by_field() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    start_mini(&mut a);
    assert!(matches!(a.screen, Screen::Question(_)), "on the questions");
    let v = saved(dir.path());
    assert_eq!(
        v["profile"],
        json!({"org_name": "Sở Ví Dụ", "level": "province", "target_year": "2025"})
    );
    assert_eq!(v["questionnaire"]["id"], "mini");
    assert_eq!(a.status, Some(Status::Saved(NOW.into())));
}

#[test]
fn required_fields_block_the_start() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    choose(&mut a, "mini");
    press(&mut a, &[Down, Down, Down, Down, Enter]);
    assert!(matches!(a.screen, Screen::Profile(_)));
    assert!(
        matches!(&a.status, Some(Status::Error(m)) if m.contains("Please fill in") && m.contains("Agency name") && m.contains("Level")),
        "{:?}",
        a.status
    );
}

#[test]
fn answering_every_kind_saves_each_change() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    start_mini(&mut a);
    // m.f1.1 scale: 3 · m.f1.2 ynp: partly · m.f1.3 checklist: tick 1 and 3 · m.f1.4 number 45
    answer_first_four(&mut a);
    press(&mut a, &[Right]);
    // m.f1.5 is hidden for a province: next is the text question m.f1.6.
    press(&mut a, &[Enter]);
    typed(&mut a, "Thiếu người");
    press(&mut a, &[Enter]);
    typed(&mut a, "và kinh phí");
    press(
        &mut a,
        &[Esc, Right, Char('y'), Right, Char('b'), Right, Char('2')],
    );
    let v = saved(dir.path());
    let r = |id: &str| v["answers"][id]["response"].clone();
    assert_eq!(r("m.f1.1"), json!({"kind": "scale", "level": 3}));
    assert_eq!(r("m.f1.2"), json!({"kind": "ynp", "choice": "partly"}));
    assert_eq!(
        r("m.f1.3"),
        json!({"kind": "checklist", "selected": ["a", "c"]})
    );
    assert_eq!(r("m.f1.4"), json!({"kind": "number", "value": 45.0}));
    assert_eq!(
        r("m.f1.6"),
        json!({"kind": "text", "text": "Thiếu người\nvà kinh phí"})
    );
    assert_eq!(r("m.f5.1"), json!({"kind": "ynp", "choice": "yes"}));
    assert_eq!(r("m.f5.2"), json!({"kind": "dont_know"}));
    assert_eq!(r("m.f5.3"), json!({"kind": "scale", "level": 2}));
    assert!(v["answers"].get("m.f1.5").is_none());
    // The saved scores are the worked example's (same answers, no evidence).
    assert_eq!(v["scores"]["overall"], json!(63.75));
}

#[test]
fn invalid_numbers_are_refused_and_not_saved() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    press(&mut a, &[Right, Right, Right]);
    typed(&mut a, "120");
    press(&mut a, &[Enter]);
    assert!(
        matches!(&a.status, Some(Status::Error(m)) if m.contains("above the maximum 100")),
        "{:?}",
        a.status
    );
    typed(&mut a, "-");
    press(&mut a, &[Enter]);
    assert!(
        matches!(&a.status, Some(Status::Error(m)) if m.contains("not a number")),
        "{:?}",
        a.status
    );
    assert!(saved(dir.path())["answers"].get("m.f1.4").is_none());
    // A decimal comma is accepted (Esc leaves the field, dropping what was refused).
    press(&mut a, &[Esc, Home]);
    press(&mut a, &[Right, Right, Right]);
    typed(&mut a, "62,5");
    press(&mut a, &[Enter]);
    assert_eq!(
        saved(dir.path())["answers"]["m.f1.4"]["response"]["value"],
        json!(62.5)
    );
}

#[test]
fn skip_logic_is_live_and_navigation_follows_it() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    start_mini(&mut a);
    let current = |a: &sansang::tui::App| match &a.screen {
        Screen::Question(q) => q.current.clone(),
        _ => String::new(),
    };
    press(&mut a, &[Right, Right, Right, Right, Right]);
    assert_eq!(current(&a), "m.f5.1");
    press(&mut a, &[Char('n'), Right]);
    assert_eq!(current(&a), "m.f5.2");
    press(&mut a, &[Right]);
    assert!(
        matches!(a.screen, Screen::Dashboard(_)),
        "m.f5.3 hidden after 'no': last question leads to results"
    );
    press(&mut a, &[Esc]);
    press(&mut a, &[Char('s'), Down, Enter]);
    assert_eq!(current(&a), "m.f5.1", "section jump");
    press(&mut a, &[Char('y'), Right, Right]);
    assert_eq!(current(&a), "m.f5.3", "shown after 'yes'");
}

/// The question screen shows the headline the lean scorer keeps after each answer, and the full
/// report is worked out again when asked for: after every key both equal a fresh full scoring
/// of the answers (the red flag on the incident plan caps the band on the way).
#[test]
fn headline_and_report_follow_every_answer() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    let keys = [
        Char('2'),
        Right,
        Char('y'),
        Right,
        Char('3'),
        Char('1'),
        Right,
        Char('4'),
        Char('5'),
        Enter,
        Right,
        Right,
        Char('n'),
        Char('y'),
        Right,
        Char('n'),
        Right,
        Char('2'),
        Left,
        Char('y'),
        Delete,
        Char('y'),
    ];
    let mut capped = false;
    for k in keys {
        press(&mut a, &[k]);
        let s = a.session.as_ref().unwrap();
        let fresh = sansang::scoring::score(&s.questionnaire, &s.assessment);
        let band = s.headline.1.and_then(|i| s.questionnaire.band_sorted(i));
        assert_eq!(s.headline.0, fresh.headline, "after {k:?}");
        assert_eq!(
            band.map(|b| &b.id),
            fresh.headline_band.as_ref(),
            "after {k:?}"
        );
        assert_eq!(s.report(), &fresh, "after {k:?}");
        capped |= fresh.headline_band != fresh.overall_band;
    }
    assert!(capped, "the red flag capped the headline on the way");
}

#[test]
fn not_applicable_dont_know_mark_and_clear() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    press(&mut a, &[Right, Char('a')]);
    assert_eq!(
        saved(dir.path())["answers"]["m.f1.2"]["response"],
        json!({"kind": "not_applicable"})
    );
    press(&mut a, &[Char('f')]);
    assert_eq!(
        saved(dir.path())["answers"]["m.f1.2"]["marked_for_review"],
        json!(true)
    );
    press(&mut a, &[Left, Char('a')]);
    assert!(
        matches!(&a.status, Some(Status::Error(m)) if m.contains("not applicable")),
        "m.f1.1 does not allow N/A"
    );
    press(&mut a, &[Right, Delete]);
    assert!(
        matches!(&a.overlay, Some(Overlay::Confirm(_))),
        "clearing asks first"
    );
    assert!(saved(dir.path())["answers"].get("m.f1.2").is_some());
    press(&mut a, &[Char('y')]);
    assert!(
        saved(dir.path())["answers"].get("m.f1.2").is_none(),
        "Delete, then y, clears"
    );
    press(&mut a, &[Char('v')]);
    assert!(matches!(&a.status, Some(Status::Info(m)) if m.contains("No question is marked")));
}

#[test]
fn comments_alternates_and_evidence() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    start_mini(&mut a);
    press(&mut a, &[Right, Right, Right, Right, Right]); // m.f5.1 allows alternates
    press(&mut a, &[Char('x')]);
    typed(&mut a, "Dùng đội ứng cứu sự cố của tỉnh");
    press(&mut a, &[Esc]);
    press(&mut a, &[Char('g')]);
    typed(&mut a, "Theo hợp đồng năm 2026");
    press(&mut a, &[Esc, Char('e')]);
    // kind: document; grade → document seen; type, number, date, issuer, summary; save.
    press(&mut a, &[Down, Right, Down]);
    typed(&mut a, "Quyết định");
    press(&mut a, &[Down]);
    typed(&mut a, "12/QĐ-UBND");
    press(&mut a, &[Down]);
    typed(&mut a, "3/6/2026");
    press(&mut a, &[Down]);
    typed(&mut a, "UBND tỉnh");
    press(&mut a, &[Down]);
    typed(&mut a, "Giao nhiệm vụ ứng cứu sự cố");
    press(&mut a, &[Down, Down, Enter]);
    assert!(a.overlay.is_none(), "{:?}", a.status);
    let v = saved(dir.path());
    let ans = &v["answers"]["m.f5.1"];
    assert_eq!(
        ans["response"],
        json!({"kind": "alternate", "justification": "Dùng đội ứng cứu sự cố của tỉnh"})
    );
    assert_eq!(ans["comment"], "Theo hợp đồng năm 2026");
    assert_eq!(ans["evidence"][0]["grade"], "document_seen");
    assert_eq!(ans["evidence"][0]["source"]["date"], "2026-06-03");
    assert_eq!(ans["evidence"][0]["source"]["number"], "12/QĐ-UBND");
    // Evidenced: the alternate counts (w2 × 1) in F5 = 100 × 2 / 2.
    assert_eq!(v["scores"]["dimensions"][2]["evidenced"], json!(100.0));
}

#[test]
fn evidence_with_a_bad_date_is_refused() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    press(&mut a, &[Char('2'), Char('e'), Down, Down]);
    typed(&mut a, "Plan");
    press(&mut a, &[Down]);
    typed(&mut a, "1/KH");
    press(&mut a, &[Down]);
    typed(&mut a, "31/02/2026");
    press(&mut a, &[Down, Down, Down, Down, Enter]);
    assert!(
        matches!(&a.status, Some(Status::Error(m)) if m.contains("dd/mm/yyyy")),
        "{:?}",
        a.status
    );
    assert!(
        matches!(a.overlay, Some(Overlay::Evidence(_))),
        "the form stays open"
    );
    assert!(
        saved(dir.path())["answers"]["m.f1.1"]
            .get("evidence")
            .is_none()
    );
}

#[test]
fn dashboard_why_jumps_to_the_question() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    press(&mut a, &[Char('3'), Char('d')]);
    assert!(matches!(a.screen, Screen::Dashboard(_)));
    // Rows: overall, CPS, F1, F5, L1.
    press(&mut a, &[Down, Down, Enter]);
    assert!(matches!(&a.overlay, Some(Overlay::Why { dimension: Some(d), .. }) if d == "F1"));
    press(&mut a, &[Down, Enter]);
    assert!(matches!(&a.screen, Screen::Question(q) if q.current == "m.f1.2"));
}

#[test]
fn review_lists_and_jumps() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    start_mini(&mut a);
    press(&mut a, &[Char('r'), Down, Down, Down, Enter]);
    assert!(matches!(&a.screen, Screen::Question(q) if q.current == "m.f1.4"));
    // The number field has focus: Esc gives the command keys back.
    press(&mut a, &[Esc, Char('u')]);
    assert!(
        matches!(&a.screen, Screen::Question(q) if q.current == "m.f1.6"),
        "next unanswered"
    );
}

#[test]
fn language_switch_is_live_and_remembered() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    press(&mut a, &[Char('l')]);
    assert_eq!(a.settings.lang, Lang::En);
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("settings.json")).unwrap())
            .unwrap();
    assert_eq!(s["lang"], "en");
    assert_eq!(sansang::tui::App::load_settings(dir.path()).lang, Lang::En);
}

#[test]
fn resume_after_closing_and_the_edit_lock() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    start_mini(&mut a);
    press(&mut a, &[Char('4')]);
    // A second app (another process, or another SSH session) cannot open it while it is open.
    let mut b = app(dir.path(), Lang::En);
    press(&mut b, &[Enter]);
    assert!(
        matches!(&b.status, Some(Status::Error(m)) if m.contains("is open for editing")),
        "{:?}",
        b.status
    );
    press(&mut a, &[Esc]);
    assert!(matches!(a.screen, Screen::Home(_)));
    press(&mut b, &[Enter]);
    assert!(
        matches!(&b.screen, Screen::Question(q) if q.current == "m.f1.2"),
        "resumes at the first unanswered"
    );
    drop(b);
    let Screen::Home(h) = &a.screen else { panic!() };
    assert_eq!(h.items.len(), 1);
    assert!(h.items[0].progress > 0.0);
}

#[test]
fn delete_asks_first() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    start_mini(&mut a);
    press(&mut a, &[Esc, Char('d'), Char('n')]);
    assert_eq!(
        std::fs::read_dir(dir.path().join("assessments"))
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "json"))
            .count(),
        1
    );
    press(&mut a, &[Char('d'), Char('y')]);
    let left: Vec<_> = std::fs::read_dir(dir.path().join("assessments"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "file and lock removed: {left:?}");
    let Screen::Home(h) = &a.screen else { panic!() };
    assert!(h.items.is_empty());
}

#[test]
fn damaged_files_are_listed_not_fatal() {
    let dir = data_dir_with_mini();
    std::fs::create_dir_all(dir.path().join("assessments")).unwrap();
    std::fs::write(
        dir.path().join("assessments/broken.json"),
        "{\"format_version\": 2,",
    )
    .unwrap();
    let mut a = app(dir.path(), Lang::En);
    let Screen::Home(h) = &a.screen else { panic!() };
    assert!(
        h.items[0]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("broken.json"))
    );
    press(&mut a, &[Enter]);
    assert!(matches!(&a.status, Some(Status::Error(m)) if m.contains("broken.json")));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("assessments/broken.json")).unwrap(),
        "{\"format_version\": 2,",
        "never overwritten"
    );
}

#[test]
fn global_keys_work_on_an_answered_number_question() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    start_mini(&mut a);
    press(&mut a, &[Right, Right, Right]);
    typed(&mut a, "45");
    press(&mut a, &[Enter, Char('?')]);
    assert!(
        matches!(a.overlay, Some(Overlay::Help { .. })),
        "help opens although the number input shows 45"
    );
    press(&mut a, &[Esc, Char('l')]);
    assert_eq!(a.settings.lang, Lang::En);
}

#[test]
fn dashboard_compares_with_an_earlier_assessment() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    press(&mut a, &[Char('1'), Esc]);
    // A second assessment, same questionnaire, scored higher on m.f1.1.
    start_mini(&mut a);
    press(&mut a, &[Char('4'), Char('d'), Char('c')]);
    assert!(matches!(&a.overlay, Some(Overlay::ComparePick { items, .. }) if items.len() == 1));
    press(&mut a, &[Enter]);
    let Some(Overlay::Compare { lines, .. }) = &a.overlay else {
        panic!("{:?}", a.status)
    };
    let text = lines.join("\n");
    // F1 from 25.0 (level 1 of 4) to 100.0.
    assert!(
        text.lines().any(|l| l.contains("F1 Shift in awareness")
            && l.contains("25.0")
            && l.contains("100.0")
            && l.contains("+75.0")),
        "{text}"
    );
    assert!(
        text.contains("Improved (1)") && text.contains("1 – Planned → 4 – Improving"),
        "{text}"
    );
}

#[test]
fn compare_without_another_assessment_says_so() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::En);
    start_mini(&mut a);
    press(&mut a, &[Char('d'), Char('c')]);
    assert!(a.overlay.is_none());
    assert!(matches!(&a.status, Some(Status::Info(m)) if m.contains("No other assessment")));
}

#[test]
fn dashboard_writes_the_html_report_and_says_where() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    start_mini(&mut a);
    press(&mut a, &[Char('3'), Char('d'), Char('p')]);
    let Some(Status::Info(m)) = &a.status else {
        panic!("{:?}", a.status)
    };
    let path = dir.path().join("reports/mini-20261124100000.vi.html");
    assert!(
        m.contains("Đã ghi báo cáo") && m.contains(&path.display().to_string()),
        "{m}"
    );
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.contains("<html lang=\"vi\"") && html.contains("Sở Ví Dụ"));
}

#[test]
fn start_language_cli_then_saved_then_environment() {
    use sansang::tui::App;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        App::start_settings(dir.path(), None, None).lang,
        Lang::Vi,
        "Vietnamese by default"
    );
    assert_eq!(
        App::start_settings(dir.path(), None, Some(Lang::En)).lang,
        Lang::En,
        "LANG when nothing was chosen"
    );
    std::fs::write(dir.path().join("settings.json"), r#"{"lang": "vi"}"#).unwrap();
    assert_eq!(
        App::start_settings(dir.path(), None, Some(Lang::En)).lang,
        Lang::Vi,
        "the user's choice wins over LANG"
    );
    assert_eq!(
        App::start_settings(dir.path(), Some(Lang::En), None).lang,
        Lang::En,
        "--lang wins"
    );
}

/// A workshop participant's wizard: held to one file in the room folder.
fn confined(room: &std::path::Path, name: &str) -> sansang::tui::App {
    use sansang::tui::app::{App, Confine, Settings};
    let mut a = App::new(
        room.to_path_buf(),
        Settings {
            lang: Lang::En,
            color: false,
        },
    );
    a.now = || NOW.to_string();
    a.confined = Some(Confine {
        path: room.join(format!("{name}.json")),
        questionnaire: "workshop".into(),
    });
    for e in a.init() {
        if let Some(m) = a.perform(e) {
            a.dispatch(m);
        }
    }
    a
}

/// Found trying the app: a profile label wider than its column (the agency's "Lĩnh vực
/// chính (theo …, mục VIII)") was written whole, and its value sat 30 columns to the right of
/// every other value. It now wraps inside the label column, beside its value.
#[test]
fn a_long_profile_label_wraps_in_its_column() {
    use sansang::text::width;
    for (lang, first, last) in [
        (Lang::Vi, "Lĩnh vực chính", "mục VIII)"),
        (Lang::En, "Main sector", "section VIII)"),
    ] {
        let dir = data_dir_with_mini();
        let mut a = app(dir.path(), lang);
        choose(&mut a, "agency");
        let shown = render(&a, 120, 40);
        // TestBackend quotes each line.
        let lines: Vec<&str> = shown.lines().map(|l| l.trim_matches('"')).collect();
        let at = lines.iter().position(|l| l.contains(first)).expect(first);
        // The value ("—": nothing chosen yet) starts in the value column, where the selected
        // first field's input does: the marker (2), the label column (40), the star, a space.
        let row = lines[at];
        let dash = row.find('—').unwrap_or_else(|| panic!("{shown}"));
        let input = lines
            .iter()
            .find_map(|l| l.find("[▏]").map(|i| width(&l[..i])));
        assert_eq!(input, Some(44), "{shown}");
        assert_eq!(width(&row[..dash]), 44, "{shown}");
        // The rest of the label follows in the label column, on the next line.
        let next = lines[at + 1];
        assert!(next.contains(last), "{shown}");
        let label_col = width(&row[..row.find(first).unwrap()]);
        let indent = next.len() - next.trim_start().len();
        assert_eq!(indent, label_col, "{shown}");
        assert!(width(next.trim_end()) < 44, "{shown}");
    }
}

/// Found trying the room: a participant's profile offered "Interview mode", and a local
/// workshop assessment still does (a consultant may run the workshop questions as an interview).
#[test]
fn a_participant_is_not_offered_interview_mode() {
    let room = tempfile::tempdir().unwrap();
    let mut a = confined(room.path(), "lan");
    assert!(matches!(a.screen, Screen::Profile(_)));
    let start = a.session.as_ref().unwrap().questionnaire.profile.len();
    let shown = render(&a, 100, 30);
    assert!(!shown.contains("Interview mode"), "{shown}");
    // Down through every field stops on "start", never on an interview row.
    for _ in 0..start + 3 {
        press(&mut a, &[Down]);
    }
    let Screen::Profile(p) = &a.screen else {
        panic!("still on the profile")
    };
    assert_eq!(p.field, start);

    let dir = data_dir_with_mini();
    let mut b = app(dir.path(), Lang::En);
    choose(&mut b, "workshop");
    assert!(render(&b, 100, 30).contains("Interview mode"));
}

#[test]
fn a_participant_can_only_touch_their_own_file() {
    use sansang::tui::app::Effect;
    let room = tempfile::tempdir().unwrap();
    // Someone else's file in the same room.
    let other = room.path().join("other.json");
    {
        let mut b = confined(room.path(), "other");
        typed(&mut b, "Other org");
        press(&mut b, &[Enter]);
    }
    let other_before = std::fs::read_to_string(&other).unwrap();

    let mut a = confined(room.path(), "lan");
    // Starts on the profile of a new file, not on a home screen listing the room.
    assert!(matches!(a.screen, Screen::Profile(_)));
    assert!(room.path().join("lan.json").exists());
    // Every other file operation is refused, whatever asks for it.
    for e in [
        Effect::Open(other.clone()),
        Effect::Delete(other.clone()),
        Effect::Compare(other.clone()),
        Effect::ListAssessments,
        Effect::LoadQuestionnaire(other.clone()),
        Effect::Create("workshop".into()),
        Effect::WriteReport,
        Effect::SaveSettings,
    ] {
        assert!(a.perform(e.clone()).is_none(), "{e:?}");
    }
    assert!(
        matches!(a.screen, Screen::Profile(_)),
        "still on own profile"
    );
    assert_eq!(std::fs::read_to_string(&other).unwrap(), other_before);
    assert!(!room.path().join("settings.json").exists());
    assert!(!room.path().join("reports").exists());

    // Esc leaves to the participant's results, not to a home screen; p and c explain.
    typed(&mut a, "Lan's office");
    press(&mut a, &[Esc]);
    assert!(matches!(a.screen, Screen::Dashboard(_)));
    press(&mut a, &[Char('p')]);
    assert!(matches!(&a.status, Some(Status::Info(m)) if m.contains("trainer")));
    // Its key hints offer leaving, not comparing or reports.
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    term.draw(|f| sansang::tui::view::view(&a, f)).unwrap();
    let screen = term.backend().to_string();
    let footer = screen.lines().nth(29).unwrap();
    assert!(
        footer.contains("q leave") && !footer.contains("compare"),
        "{footer}"
    );
    press(&mut a, &[Char('q')]);
    assert!(a.quit);
    // What was typed before Esc is saved.
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(room.path().join("lan.json")).unwrap())
            .unwrap();
    assert_eq!(v["profile"]["org_name"], "Lan's office");

    // While this session holds the file, a second one is refused with a notice...
    let b = confined(room.path(), "lan");
    assert!(b.session.is_none());
    assert!(matches!(b.overlay, Some(Overlay::Notice(_))));
    // ...and once it has ended, the same file resumes.
    drop(a);
    let b = confined(room.path(), "lan");
    assert_eq!(
        b.session
            .as_ref()
            .unwrap()
            .assessment
            .profile_text("org_name")
            .as_deref(),
        Some("Lan's office")
    );
}

#[test]
fn a_refused_number_is_quoted_as_vietnamese_writes_it() {
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    start_mini(&mut a);
    press(&mut a, &[Right, Right, Right]);
    typed(&mut a, "120,5");
    press(&mut a, &[Enter]);
    assert!(
        matches!(&a.status, Some(Status::Error(m)) if m.contains("120,5 lớn hơn mức tối đa 100")),
        "{:?}",
        a.status
    );
    assert!(saved(dir.path())["answers"].get("m.f1.4").is_none());
}

#[test]
fn help_opens_on_the_keys_of_the_place_it_was_asked_from() {
    // The help lists every place's keys; from a question, the question keys were four pages
    // down at 80×24, under the home screen's and the profile's.
    let dir = data_dir_with_mini();
    let mut a = app(dir.path(), Lang::Vi);
    start_mini(&mut a);
    press(&mut a, &[Char('?')]);
    let screen = render(&a, 80, 24);
    assert!(screen.contains("Ở đây: Câu hỏi"), "{screen}");
    assert!(
        screen.contains("không áp dụng"),
        "the question keys show at once:\n{screen}"
    );
    press(&mut a, &[Esc, Char('d'), Char('?')]);
    let screen = render(&a, 80, 24);
    assert!(screen.contains("Ở đây: Kết quả"), "{screen}");
    press(&mut a, &[Esc, Esc, Esc, Char('?')]);
    let screen = render(&a, 80, 24);
    assert!(screen.contains("Ở đây: Trang đầu"), "{screen}");
}
