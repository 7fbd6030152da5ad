//! The assessment reader on any bytes, against the built-in questionnaires: an error or a loaded
//! assessment whose scores are finite and whose saved text reads back to the same assessment.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sansang::assessment::store;
use std::path::Path;
use std::sync::OnceLock;

fn catalog() -> &'static sansang::questionnaire::Catalog {
    static C: OnceLock<sansang::questionnaire::Catalog> = OnceLock::new();
    C.get_or_init(sansang::questionnaire::Catalog::builtin)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match store::parse(text, Path::new("fuzz.json"), catalog()) {
        Err(e) => {
            let _ = e.render(sansang::i18n::Lang::En);
        }
        Ok(l) => {
            let r = sansang::scoring::score(&l.questionnaire, &l.assessment);
            for d in &r.dimensions {
                assert!(d.claimed.is_none_or(|s| s.is_finite()));
            }
            let saved = store::to_json(&l.assessment, &l.questionnaire);
            let again = store::parse(&saved, Path::new("fuzz.json"), catalog())
                .expect("a saved assessment reads back");
            assert_eq!(again.assessment.answers, l.assessment.answers);
            assert_eq!(
                again.assessment.orphaned.len(),
                l.assessment.orphaned.len(),
                "nothing kept aside is lost"
            );
        }
    }
});
