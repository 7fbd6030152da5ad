//! JSON Schemas generated from the Rust types, published under `schemas/` for editors and other
//! tools (`sansang schema questionnaire|assessment` prints them; a test keeps the files current).

use crate::assessment::store::AssessmentFile;
use crate::questionnaire::Questionnaire;

pub fn questionnaire() -> String {
    pretty(schemars::schema_for!(Questionnaire))
}

pub fn assessment() -> String {
    pretty(schemars::schema_for!(AssessmentFile))
}

pub fn report() -> String {
    pretty(schemars::schema_for!(crate::report::ReportDoc))
}

pub fn aggregate() -> String {
    crate::aggregate::schema()
}

fn pretty(s: schemars::Schema) -> String {
    let mut out = serde_json::to_string_pretty(&s).unwrap_or_default();
    out.push('\n');
    out
}
