//! The shipped content: every questionnaire validates, cites real seed lines, covers Decision
//! 749 section IV, and is written in NFC Unicode; the glossary is well formed.

use sansang::i18n::Lang;
use sansang::questionnaire::glossary::Glossary;
use sansang::questionnaire::{Catalog, Group, Questionnaire, load_file};
use std::path::{Path, PathBuf};
use unicode_normalization::is_nfc;

fn shipped() -> Vec<(PathBuf, Questionnaire)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("questionnaires")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json") && p.file_name().unwrap() != "glossary.json"
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let q = load_file(&p).unwrap_or_else(|e| panic!("{}", e.render(Lang::En)));
            (p, q)
        })
        .collect()
}

#[test]
fn every_questionnaire_file_validates() {
    let all = shipped();
    let ids: Vec<&str> = all.iter().map(|(_, q)| q.id.as_str()).collect();
    assert_eq!(ids, vec!["agency", "sme", "workshop"]);
}

#[test]
fn built_in_catalog_loads_without_errors() {
    let c = Catalog::builtin();
    let errors: Vec<String> = c.errors.iter().map(|e| e.render(Lang::En)).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(c.entries.len(), 3);
}

#[test]
fn sizes_fit_the_intended_durations() {
    for (_, q) in shipped() {
        let n = q.questions().count();
        match q.id.as_str() {
            "workshop" => assert!((15..=20).contains(&n), "workshop has {n} questions"),
            "sme" => assert!(n >= 35, "sme has {n} questions"),
            "agency" => assert!(n >= 60, "agency has {n} questions"),
            _ => {}
        }
    }
}

#[test]
fn agency_covers_every_sub_item_of_749_section_iv() {
    let (_, q) = shipped()
        .into_iter()
        .find(|(_, q)| q.id == "agency")
        .unwrap();
    let tasks: [(u8, &[&str]); 6] = [
        (1, &["a", "b", "c", "d"]),
        (2, &["a", "b", "c", "d", "đ", "e"]),
        (3, &["a", "b", "c", "d"]),
        (4, &["a", "b", "c", "d"]),
        (5, &["a", "b", "c", "d", "đ", "e"]),
        (6, &["a", "b", "c", "d"]),
    ];
    let cited: Vec<String> = q
        .questions()
        .flat_map(|(_, x)| x.seed.iter())
        .filter(|s| s.doc == "004")
        .map(|s| s.item.clone())
        .collect();
    let mut missing = Vec::new();
    let mut count = 0;
    for (t, letters) in tasks {
        for l in letters {
            count += 1;
            let item = format!("IV.{t}.{l}");
            if !cited.contains(&item) {
                missing.push(item);
            }
        }
    }
    assert_eq!(count, 28);
    assert!(missing.is_empty(), "not covered: {missing:?}");
}

#[test]
fn every_questionnaire_asks_about_all_four_security_layers() {
    for (_, q) in shipped() {
        for layer in q.dimensions.iter().filter(|d| d.group == Group::Layer) {
            let n = q
                .questions()
                .filter(|(_, x)| x.contributes.iter().any(|c| c.to == layer.id))
                .count();
            assert!(n >= 1, "{}: no question for {}", q.id, layer.id);
        }
        let layers = q
            .dimensions
            .iter()
            .filter(|d| d.group == Group::Layer)
            .count();
        assert_eq!(layers, 4, "{}: the 4-layer model has four layers", q.id);
        assert!(
            q.security_rule
                .as_ref()
                .is_some_and(|r| !r.red_flags.is_empty()),
            "{}: security rule with red flags",
            q.id
        );
    }
}

/// Seed line references must lie inside the seed files (checked when ../shared/seeds is present,
/// as it is on developer machines and in CI).
#[test]
fn seed_references_point_at_real_lines() {
    let seeds = Path::new("../shared/seeds");
    if !seeds.is_dir() {
        eprintln!("../shared/seeds not found: line ranges not checked");
        return;
    }
    let mut lengths = std::collections::HashMap::new();
    for e in std::fs::read_dir(seeds).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if let Some(doc) = name
            .get(..3)
            .filter(|d| d.chars().all(|c| c.is_ascii_digit()))
        {
            lengths.insert(
                doc.to_string(),
                std::fs::read_to_string(&p).unwrap().lines().count(),
            );
        }
    }
    let mut bad = Vec::new();
    for (_, q) in shipped() {
        let refs = q
            .questions()
            .flat_map(|(_, x)| x.seed.iter().map(move |s| (x.id.clone(), s)))
            .chain(
                q.dimensions
                    .iter()
                    .flat_map(|d| d.seed.iter().map(move |s| (d.id.clone(), s))),
            );
        for (owner, s) in refs {
            if q.source(&s.doc).is_some_and(|d| d.outside_seeds) {
                continue;
            }
            let Some(len) = lengths.get(&s.doc) else {
                bad.push(format!("{}/{owner}: no seed {}", q.id, s.doc));
                continue;
            };
            for part in s.lines.split(',') {
                let last: usize = part.trim().rsplit('-').next().unwrap().parse().unwrap();
                if last > *len {
                    bad.push(format!(
                        "{}/{owner}: {}:{} beyond line {len}",
                        q.id, s.doc, s.lines
                    ));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn all_text_is_nfc() {
    for (p, _) in shipped() {
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(is_nfc(&text), "{} is not NFC-normalised", p.display());
    }
    assert!(is_nfc(
        &std::fs::read_to_string("questionnaires/glossary.json").unwrap()
    ));
}

#[test]
fn glossary_is_well_formed() {
    let g = Glossary::builtin().expect("glossary.json parses");
    assert_eq!(g.problems(), Vec::<String>::new());
    assert!(g.terms.len() >= 40, "{} terms", g.terms.len());
    for must in ["4 lớp", "cấp độ", "toàn trình"] {
        assert!(
            g.terms.iter().any(|t| t.vi.to_lowercase().contains(must)),
            "glossary lacks {must}"
        );
    }
}

/// Since 2025 the Ministry of Information and Communications is part of the Ministry of Science
/// and Technology: questions must not send people to it as a current body.
#[test]
fn no_question_names_the_former_ministry_as_current() {
    for (_, q) in shipped() {
        for (_, x) in q.questions() {
            for t in [Some(&x.text), x.help.as_ref(), x.recommendation.as_ref()]
                .into_iter()
                .flatten()
            {
                for former in [
                    "Bộ TT&TT",
                    "Sở TT&TT",
                    "Bộ Thông tin và Truyền thông",
                    "Sở Thông tin và Truyền thông",
                ] {
                    let ok = !t.vi.contains(former)
                        || t.vi.contains("trước đây")
                        || t.vi.contains("nay là");
                    assert!(ok, "{}: {} names {former}", q.id, x.id);
                }
            }
        }
    }
}

/// The SME questionnaire is an interview: every help text speaks to the consultant interviewing
/// the owner. It opens with what to ask, count, open or record ("Hỏi chủ doanh nghiệp…",
/// "Ask the owner…"), in both languages, and never talks to the questionnaire's author
/// (authoring notes, "the seeds") or to the owner as if the owner were reading ("your business").
#[test]
fn every_sme_help_is_written_to_the_interviewer() {
    let (_, q) = shipped().into_iter().find(|(_, q)| q.id == "sme").unwrap();
    // How an instruction to the interviewer starts.
    const VI_LEADS: [&str; 6] = ["Hỏi ", "Xin xem ", "Cùng chủ ", "Mở ", "Ghi lại ", "Đi "];
    const EN_LEADS: [&str; 6] = ["Ask ", "Go through ", "Count ", "Open ", "Record ", "Look "];
    // Words that talk to the author or about the authoring, or to the owner as the reader.
    const VI_BANNED: [&str; 7] = [
        "tài liệu gốc",
        "người soạn",
        "ghi chú soạn",
        "doanh nghiệp của bạn",
        "bạn ",
        "Bạn ",
        "TODO",
    ];
    const EN_BANNED: [&str; 8] = [
        "seed",
        "the author",
        "note to",
        "your business",
        "your company",
        "you ",
        "You ",
        "TODO",
    ];
    let mut wrong: Vec<String> = vec![];
    let mut n = 0;
    for (_, x) in q.questions() {
        n += 1;
        let Some(help) = &x.help else {
            wrong.push(format!("{}: no help", x.id));
            continue;
        };
        let (vi, en) = (help.vi.trim(), help.en.trim());
        if vi.is_empty() || en.is_empty() || vi == en {
            wrong.push(format!("{}: help missing in a language", x.id));
            continue;
        }
        if !VI_LEADS.iter().any(|l| vi.starts_with(l)) {
            wrong.push(format!(
                "{} (vi) does not open with an instruction: {vi}",
                x.id
            ));
        }
        if !EN_LEADS.iter().any(|l| en.starts_with(l)) {
            wrong.push(format!(
                "{} (en) does not open with an instruction: {en}",
                x.id
            ));
        }
        for b in VI_BANNED {
            if vi.contains(b) {
                wrong.push(format!("{} (vi) has {b:?}: {vi}", x.id));
            }
        }
        for b in EN_BANNED {
            if en.contains(b) {
                wrong.push(format!("{} (en) has {b:?}: {en}", x.id));
            }
        }
        // Something to look at or to check, not only a question: a document, a screen, a count
        // or the owner's own words.
        let looks = ["xem", "đếm", "Ghi lại", "ước lượng"]
            .iter()
            .any(|w| vi.contains(w));
        if !looks {
            wrong.push(format!("{} (vi) says nothing to see or check: {vi}", x.id));
        }
    }
    assert!(n >= 60, "{n} SME questions");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
