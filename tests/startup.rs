//! Start-up does the least before the first frame: no assessment file is read and no
//! questionnaire parsed until the first frame is drawn; the home list follows as a second frame,
//! and then only the questionnaires the listed files use are parsed.
//!
//! One test in this file: which built-in questionnaires are parsed is per process (the SSH
//! server's room catalog is checked in it too).

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sansang::i18n::Lang;
use sansang::questionnaire::catalog::BUILTIN_FACTS;
use sansang::tui::{App, Program, Settings};
use std::time::{Duration, SystemTime};

fn screen(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    let buf = t.backend().buffer();
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// A saved workshop assessment, written by hand (the built-in's facts give its hash without
/// parsing it).
fn workshop_file(org: &str) -> String {
    let (id, version, hash) = BUILTIN_FACTS
        .iter()
        .find(|(id, _, _)| *id == "workshop")
        .unwrap();
    serde_json::json!({
        "format_version": 2,
        "questionnaire": {"id": id, "version": version, "hash": hash},
        "profile": {"org_name": org},
        "answers": {},
        "created_at": "2026-11-20T08:00:00Z",
        "updated_at": "2026-11-20T08:00:00Z",
    })
    .to_string()
}

#[test]
fn the_first_frame_reads_no_assessment_and_the_list_follows() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("assessments");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("so-thu.json");
    std::fs::write(&file, workshop_file("Sở Thử Nghiệm")).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    // A FIFO would block a reader that opened it: listed as not a file, and never waited on.
    #[cfg(unix)]
    assert!(
        std::process::Command::new("mkfifo")
            .arg(dir.join("pipe.json"))
            .status()
            .unwrap()
            .success()
    );

    let mut app = App::new(
        data.path().to_path_buf(),
        Settings {
            lang: Lang::En,
            color: false,
        },
    );
    app.start(100, 30);
    let first = screen(&app);
    assert!(first.contains("Reading the list…"), "{first}");
    assert!(!first.contains("Sở Thử Nghiệm"), "{first}");
    assert!(!first.contains("No assessments yet"), "{first}");
    for e in &app.catalog.entries {
        assert!(
            !e.questionnaire.is_parsed(),
            "{} was parsed before the first frame",
            e.questionnaire.id()
        );
    }

    // The runner asks at once for the held-back work, then draws again.
    assert_eq!(app.tick_every(), Some(Duration::ZERO));
    assert!(app.tick());
    assert_eq!(app.tick_every(), None);
    let second = screen(&app);
    assert!(second.contains("Sở Thử Nghiệm · "), "{second}");
    assert!(second.contains("so-thu.json"), "{second}");
    #[cfg(unix)]
    assert!(second.contains("pipe.json"), "{second}");
    // Only the questionnaire the listed file uses was parsed.
    for e in &app.catalog.entries {
        assert_eq!(
            e.questionnaire.is_parsed(),
            e.questionnaire.id() == "workshop",
            "{}",
            e.questionnaire.id()
        );
    }

    // The SSH server's room catalog (`serve`) holds only the room's questionnaire and parses
    // no other built-in one to find it.
    let room = sansang::ssh::serve::room_catalog(&app.catalog, "sme");
    assert_eq!(room.entries.len(), 1);
    assert_eq!(room.entries[0].questionnaire.id(), "sme");
    for e in &app.catalog.entries {
        assert_eq!(
            e.questionnaire.is_parsed(),
            e.questionnaire.id() == "workshop",
            "{} was parsed for the room catalog",
            e.questionnaire.id()
        );
    }
}
