//! The questionnaire loader (parse + validate) on any bytes: an error, never a panic; a file that
//! loads must score an empty assessment without NaN.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(q) = sansang::questionnaire::load_str(text, "fuzz.json") {
        let hash = sansang::questionnaire::content_hash(&q);
        let a = sansang::assessment::Assessment::new(&q, &hash, "2026-01-01T00:00:00Z");
        let r = sansang::scoring::score(&q, &a);
        assert!(r.overall.is_none_or(|s| s.is_finite()));
    } else if let Err(e) = sansang::questionnaire::load_str(text, "fuzz.json") {
        let _ = e.render(sansang::i18n::Lang::Vi);
    }
});
