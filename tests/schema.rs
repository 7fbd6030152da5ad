//! Published JSON Schemas: generated from the Rust types, kept current, and every shipped file
//! conforms.

mod common;
use sansang::assessment::store;

fn check(schema_file: &str, generated: String) -> serde_json::Value {
    let committed = std::fs::read_to_string(schema_file).unwrap_or_default();
    assert!(
        committed == generated,
        "{schema_file} is out of date: run `cargo run -q -- schema {} > {schema_file}`",
        if schema_file.contains("questionnaire") {
            "questionnaire"
        } else {
            "assessment"
        }
    );
    serde_json::from_str(&generated).unwrap()
}

fn conforms(schema: &serde_json::Value, doc: &serde_json::Value, name: &str) {
    let v = jsonschema::validator_for(schema).unwrap();
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}");
}

#[test]
fn questionnaire_schema_is_current_and_shipped_files_conform() {
    let schema = check(
        "schemas/questionnaire.schema.json",
        sansang::schema::questionnaire(),
    );
    for name in ["agency", "sme", "workshop"] {
        let path = format!("questionnaires/{name}.json");
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        conforms(&schema, &doc, &path);
    }
    conforms(
        &schema,
        &serde_json::from_str(common::MINI).unwrap(),
        "mini.json",
    );
}

#[test]
fn assessment_schema_is_current_and_saved_files_conform() {
    let schema = check(
        "schemas/assessment.schema.json",
        sansang::schema::assessment(),
    );
    let (q, a) = common::worked_example();
    let doc: serde_json::Value = serde_json::from_str(&store::to_json(&a, &q)).unwrap();
    conforms(&schema, &doc, "worked example");
}

#[test]
fn the_schema_rejects_a_broken_questionnaire() {
    let schema: serde_json::Value =
        serde_json::from_str(&sansang::schema::questionnaire()).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(common::MINI).unwrap();
    doc["sections"][0]["questions"][0]["kind"] = serde_json::json!("slider");
    assert!(!jsonschema::validator_for(&schema).unwrap().is_valid(&doc));
}
