//! Format 1 → 2 migration on any JSON: never a panic, and every answer entry of the old file ends
//! up either answered or kept under `orphaned` (nothing is dropped).
#![no_main]
use libfuzzer_sys::fuzz_target;
use sansang::assessment::migrate;
use serde_json::Value;
use std::sync::OnceLock;

fn catalog() -> &'static sansang::questionnaire::Catalog {
    static C: OnceLock<sansang::questionnaire::Catalog> = OnceLock::new();
    C.get_or_init(sansang::questionnaire::Catalog::builtin)
}

fuzz_target!(|data: &[u8]| {
    let Ok(mut v) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if let Value::Object(m) = &mut v {
        m.insert("version".into(), 1.into());
        m.insert("questionnaire_id".into(), "workshop".into());
    } else {
        v = serde_json::json!({"version": 1, "questionnaire_id": "workshop", "answers": v});
    }
    let c = catalog();
    let q = &c.find("workshop", None).unwrap().questionnaire;
    let (out, _notes) = migrate::v1_to_v2(&v, q);
    let given = match v.get("answers") {
        Some(Value::Array(a)) => a.len(),
        Some(Value::Object(m)) => m.len(),
        None | Some(Value::Null) => 0,
        Some(_) => 1,
    };
    let kept = out["answers"].as_object().map_or(0, |m| m.len())
        + out["orphaned"].as_object().map_or(0, |m| m.len());
    assert_eq!(given, kept, "every format 1 entry is kept");
    let text = v.to_string();
    let _ = sansang::assessment::store::parse(&text, std::path::Path::new("old.json"), c);
});
