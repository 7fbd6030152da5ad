//! The reconcile screen: snapshots (vi and en, 80×24), the keys through `App`, reaching it from
//! home, and the real binary in tmux (`sansang reconcile … --wizard`).

mod common;
use common::reconcile::three_workshop_files;
use common::tmux::Tmux;
use common::tui::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sansang::i18n::Lang;
use sansang::tui::app::Screen;
use sansang::tui::view::view;
use sansang::tui::{App, Effect, Key::*};
use std::path::{Path, PathBuf};

fn render(a: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view(a, f)).unwrap();
    t.backend().to_string()
}

/// The app on the reconcile screen for the three workshop respondents (notice dismissed).
fn reconciling(data: &Path, files: Vec<PathBuf>, lang: Lang) -> App {
    let mut a = app(data, lang);
    if let Some(m) = a.perform(Effect::Reconcile(files)) {
        a.dispatch(m);
    }
    assert!(matches!(a.screen, Screen::Reconcile(_)), "{:?}", a.screen);
    press(&mut a, &[Enter]);
    a
}

/// The one file in the assessments folder.
fn reconciled_file(data: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(data.join("assessments"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[test]
fn reconcile_screen_snapshots() {
    for lang in [Lang::Vi, Lang::En] {
        let src = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let files = three_workshop_files(src.path());
        let mut a = reconciling(data.path(), files, lang);
        let first = render(&a, 80, 24);
        // ws.1: each respondent's answer (0, 2, 4) above the question's own levels.
        assert!(first.contains("[3]  chi.json: 4"), "{first}");
        // Agree at 2 with a note, then the next diverging question, taking respondent 1's answer.
        press(&mut a, &[Char('2'), Char('g')]);
        typed(&mut a, "Đã xem kế hoạch");
        press(&mut a, &[Esc]);
        let agreed = render(&a, 80, 24);
        press(&mut a, &[Right, Char('t')]);
        let taken = render(&a, 80, 24);
        for (name, out, what) in [
            (
                "reconcile_first",
                first,
                "three respondents, ws.1 at 0, 2, 4: the first diverging question",
            ),
            (
                "reconcile_agreed",
                agreed,
                "2, g, a note, Esc: ws.1 agreed at 2 with a note",
            ),
            (
                "reconcile_taken",
                taken,
                "→, t: ws.11 takes respondent 1's answer",
            ),
        ] {
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_suffix(format!("{}_80x24", lang.code()));
            settings.set_description(what);
            settings.bind(|| insta::assert_snapshot!(name, out));
        }
    }
}

#[test]
fn keys_agree_note_and_take_and_the_inputs_stay_untouched() {
    let src = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let files = three_workshop_files(src.path());
    let before: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let mut a = reconciling(data.path(), files.clone(), Lang::En);
    press(&mut a, &[Char('2'), Char('g')]);
    typed(&mut a, "Plan seen");
    press(&mut a, &[Esc, Right, Char('t'), Char('t')]);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reconciled_file(data.path())).unwrap())
            .unwrap();
    assert_eq!(saved["answers"]["ws.1"]["response"]["level"], 2);
    let d = &saved["reconciliation"]["decisions"];
    assert_eq!(d["ws.1"]["rule"], "consultant");
    assert_eq!(d["ws.1"]["note"], "Plan seen");
    // The respondents' comments went onto the agreed answer, each with its respondent.
    assert_eq!(
        saved["answers"]["ws.1"]["comment"],
        "an.json: Giám đốc nói chưa có kế hoạch"
    );
    // t, t: respondent 1 (yes), then respondent 2 (no).
    assert_eq!(saved["answers"]["ws.11"]["response"]["choice"], "no");
    assert_eq!(d["ws.11"]["rule"], "consultant");
    assert_eq!(d["ws.2"]["rule"], "median");
    assert_eq!(
        saved["reconciliation"]["sources"].as_array().unwrap().len(),
        3
    );
    assert!(saved["scores"]["overall"].is_number());
    for (f, b) in files.iter().zip(before) {
        assert_eq!(std::fs::read(f).unwrap(), b, "{} changed", f.display());
    }
    // Past the last diverging question: the results.
    press(&mut a, &[Right]);
    assert!(matches!(a.screen, Screen::Dashboard(_)));
}

#[test]
fn from_home_mark_several_then_c() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("assessments");
    std::fs::create_dir_all(&dir).unwrap();
    three_workshop_files(&dir);
    let mut a = app(data.path(), Lang::En);
    // One marked is not enough: the status line says what to do.
    press(&mut a, &[Char(' '), Char('c')]);
    assert!(matches!(a.screen, Screen::Home(_)));
    let out = render(&a, 80, 24);
    assert!(out.contains("at least two"), "{out}");
    assert!(out.contains("[x]"), "{out}");
    press(&mut a, &[Char(' '), Char('c')]);
    assert!(matches!(a.screen, Screen::Reconcile(_)), "{:?}", a.screen);
    // Files of another questionnaire: refused on the status line, naming them.
    let mut b = app(data.path(), Lang::En);
    let e = sansang::questionnaire::Catalog::builtin();
    let e = e.find("sme", None).unwrap();
    let other = sansang::assessment::Assessment::new(&e.questionnaire, &e.hash, NOW);
    sansang::assessment::store::write(&dir.join("zz-sme.json"), &other, &e.questionnaire).unwrap();
    if let Some(m) = b.perform(Effect::Reconcile(vec![
        dir.join("an.json"),
        dir.join("zz-sme.json"),
    ])) {
        b.dispatch(m);
    }
    assert!(matches!(b.screen, Screen::Home(_)));
    let out = render(&b, 120, 24);
    assert!(
        out.contains("different questionnaires") && out.contains("zz-sme.json: sme"),
        "{out}"
    );
    // Two respondents (an, binh): ws.1 at 0 and 2 diverges, ws.11 yes / no too.
    let Screen::Reconcile(r) = &a.screen else {
        unreachable!()
    };
    assert_eq!(r.items, vec!["ws.1", "ws.11"]);
}

#[test]
fn reconciling_in_a_real_terminal_writes_a_new_file_that_scores() {
    let src = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let files = three_workshop_files(src.path());
    let t = Tmux::new("reconcile");
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let mut args = vec!["reconcile"];
    args.extend(names.iter().map(String::as_str));
    args.push("--wizard");
    t.start_app((80, 24), data.path(), &[], &args);
    t.wait_for("Bản đánh giá đối chiếu mới");
    t.send(&["Enter"]);
    t.wait_for("t→[1]  an.json: 0");
    t.send(&["2"]);
    t.wait_until("ws.1 agreed and saved", |s| {
        s.contains("Thống nhất: 2") && s.contains("✓ Đã lưu lúc")
    });
    t.send(&["Right", "n"]);
    t.wait_until("ws.11 agreed", |s| {
        s.contains("ws.11 · đã thống nhất 2/2") && s.contains("Thống nhất: Không")
    });
    t.send(&["Escape"]);
    t.wait_for("Các bản đánh giá");
    t.send(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    let out = reconciled_file(data.path());
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_sansang"))
        .args(["score", out.to_str().unwrap(), "--lang", "en"])
        .env("SANSANG_DATA_DIR", data.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Readiness"));
}

#[test]
fn a_reconciled_file_with_questions_to_agree_reopens_on_the_reconcile_screen() {
    let src = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let files = three_workshop_files(src.path());
    let mut a = reconciling(data.path(), files, Lang::En);
    press(&mut a, &[Char('3'), Esc]);
    assert!(matches!(a.screen, Screen::Home(_)));
    press(&mut a, &[Enter]);
    let Screen::Reconcile(r) = &a.screen else {
        panic!("{:?}", a.screen)
    };
    // ws.1 is agreed: it opens on the one still to agree.
    assert_eq!(r.current(), "ws.11");
    let out = render(&a, 80, 24);
    assert!(out.contains("agreed 1/2"), "{out}");
}

#[test]
fn a_diverging_number_takes_t_and_typed_numbers() {
    use sansang::assessment::{Assessment, ProfileValue, Response, store};
    use sansang::questionnaire::Catalog;
    let src = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let c = Catalog::builtin();
    let e = c.find("sme", None).unwrap();
    let q = e.questionnaire.clone();
    let mut files = vec![];
    for (name, v) in [("owner.json", 50.0), ("it.json", 100.0)] {
        let mut a = Assessment::new(&q, &e.hash, NOW);
        for f in q.profile.iter().filter(|f| f.required) {
            let v = match f.options.first() {
                Some(o) => o.id.clone(),
                None => "Công ty Mây Xanh".into(),
            };
            a.set_profile(&q, &f.id, ProfileValue::Text(v), NOW)
                .unwrap();
        }
        a.set_response(&q, "sme.f1.7", Response::Number { value: v }, NOW)
            .unwrap();
        let p = src.path().join(name);
        store::write(&p, &a, &q).unwrap();
        files.push(p);
    }
    let mut a = reconciling(data.path(), files, Lang::En);
    // The number field does not take t: it takes the owner's answer.
    press(&mut a, &[Char('t')]);
    let saved = || -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(reconciled_file(data.path())).unwrap())
            .unwrap()
    };
    assert_eq!(saved()["answers"]["sme.f1.7"]["response"]["value"], 50.0);
    // A digit starts typing; Enter saves the agreed number.
    typed(&mut a, "75");
    press(&mut a, &[Enter]);
    assert_eq!(saved()["answers"]["sme.f1.7"]["response"]["value"], 75.0);
    assert_eq!(
        saved()["reconciliation"]["decisions"]["sme.f1.7"]["rule"],
        "consultant"
    );
}
