//! Respondents' files for the reconcile and anonymise tests.

use super::*;
use sansang::assessment::{Assessment, ProfileValue, Response, store};
use sansang::questionnaire::Catalog;
use std::path::{Path, PathBuf};

/// Three workshop respondents of one organisation: ws.1 at 0, 2 and 4 (diverges), ws.2 at 2, 3
/// and 3 (close: lower median 3), ws.3 alike, ws.10 yes / partly / yes, ws.11 yes / no / yes
/// (diverges), ws.20 a comment-like text only the first wrote.
pub fn three_workshop_files(dir: &Path) -> Vec<PathBuf> {
    let c = Catalog::builtin();
    let e = c.find("workshop", None).unwrap();
    let q = e.questionnaire.clone();
    let levels = [(0u8, 2u8), (2, 3), (4, 3)];
    let ynp = [(yes(), yes()), (partly(), no()), (yes(), yes())];
    let mut out = vec![];
    for (i, name) in ["an.json", "binh.json", "chi.json"].iter().enumerate() {
        let mut a = Assessment::new(&q, &e.hash, NOW);
        a.set_profile(
            &q,
            "org_name",
            ProfileValue::Text("Công ty Mây Xanh".into()),
            NOW,
        )
        .unwrap();
        a.set_profile(&q, "org_type", ProfileValue::Text("business".into()), NOW)
            .unwrap();
        answer(&mut a, &q, "ws.1", scale(levels[i].0));
        answer(&mut a, &q, "ws.2", scale(levels[i].1));
        answer(&mut a, &q, "ws.3", scale(2));
        answer(&mut a, &q, "ws.10", ynp[i].0.clone());
        answer(&mut a, &q, "ws.11", ynp[i].1.clone());
        if i == 0 {
            answer(
                &mut a,
                &q,
                "ws.20",
                Response::Text {
                    text: "Bí mật riêng".into(),
                },
            );
            a.answers.get_mut("ws.1").unwrap().comment = "Giám đốc nói chưa có kế hoạch".into();
        }
        let p = dir.join(name);
        store::write(&p, &a, &q).unwrap();
        out.push(p);
    }
    out
}

/// The binary with this data folder.
pub fn sansang(data: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sansang"))
        .args(args)
        .env("SANSANG_DATA_DIR", data)
        .output()
        .unwrap()
}
