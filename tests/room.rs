//! The room's dashboard counts each participant's progress as their own wizard does.

mod common;
use common::generated::generate;
use common::*;
use sansang::assessment::{Assessment, Response, store};
use sansang::i18n::Lang;
use sansang::questionnaire::Catalog;
use sansang::room::Room;

/// A participant with a discussion (text) answer shows the same n/m to the trainer as in their
/// own wizard (`progress_of`: questions shown with an answer, questions shown), where the trainer
/// showed the aggregate's coverage of scored questions (2/18 beside the wizard's 3/19). Checked
/// for a file the aggregation's fast reader takes, one saved with an older questionnaire version
/// (the full reader), and generated assessments with questions hidden by the profile and by
/// skip logic.
#[test]
fn the_trainer_sees_the_count_each_participant_sees() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::builtin();
    let e = catalog.find("workshop", None).unwrap();
    let q = &e.questionnaire;
    let mut a = Assessment::new(q, &e.hash, NOW);
    answer(&mut a, q, "ws.1", scale(2));
    answer(&mut a, q, "ws.2", scale(3));
    answer(
        &mut a,
        q,
        "ws.20",
        Response::Text {
            text: "Thiếu kinh phí".into(),
        },
    );
    store::write(&dir.path().join("an.json"), &a, q).unwrap();
    // Saved against another version: read the full way, with a note.
    let mut v: serde_json::Value = serde_json::from_str(&store::to_json(&a, q)).unwrap();
    v["questionnaire"]["version"] = serde_json::json!("0.9.0");
    v["questionnaire"]["hash"] = serde_json::json!("sha256:older");
    std::fs::write(dir.path().join("binh.json"), v.to_string()).unwrap();
    let mut generated = Vec::new();
    for (id, seed) in [("workshop", 3), ("agency", 5), ("agency", 8), ("sme", 2)] {
        let e = catalog.find(id, None).unwrap();
        let mut g = generate(&e.questionnaire, seed);
        g.questionnaire.hash = e.hash.clone();
        let name = format!("{id}-{seed}");
        store::write(
            &dir.path().join(format!("{name}.json")),
            &g,
            &e.questionnaire,
        )
        .unwrap();
        generated.push(name);
    }
    let room = Room::new("lop".into(), dir.path().to_path_buf(), "workshop".into());
    let snap = room.snapshot(&catalog, Lang::En);
    let mut hidden = 0;
    for p in &snap.participants {
        let l = store::read(&dir.path().join(format!("{}.json", p.name)), &catalog).unwrap();
        let wizard = sansang::tui::model::progress_of(&l.questionnaire, &l.assessment);
        assert_eq!((p.answered, p.applicable), wizard, "{}", p.name);
        hidden += l.questionnaire.questions().count() - wizard.1;
    }
    assert_eq!(snap.participants.len(), 2 + generated.len());
    let an = snap.participants.iter().find(|p| p.name == "an").unwrap();
    assert_eq!((an.answered, an.applicable), (3, 19));
    // Not the scored coverage, which leaves the discussion question out.
    let r = snap
        .aggregate
        .questionnaires
        .iter()
        .flat_map(|qa| &qa.respondents)
        .find(|r| r.file.ends_with("an.json"))
        .unwrap();
    assert_eq!((r.coverage.answered, r.coverage.applicable), (2, 18));
    assert!(hidden > 0, "some questions are hidden");
}
