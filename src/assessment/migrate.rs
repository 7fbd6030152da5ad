//! Upgrading older assessment files to the current format, on the raw JSON before typing.
//!
//! Format 1 was the pre-release draft layout: `"version": 1`, flat `questionnaire_id` /
//! `questionnaire_version`, answers as a list of `{id, value, comment, answered_at}` with untyped
//! values (a number for scale/number, "yes"/"partly"/"no", a list for a checklist, a string for
//! text, "na"/"dont_know"), and `created` / `updated`. Its values are typed here by looking up
//! each question's kind.

use crate::questionnaire::{QuestionKind, Questionnaire};
use serde_json::{Map, Value, json};

/// The file's format version (`format_version`, or `version` in format 1).
pub fn detect_version(v: &Value) -> Option<u64> {
    v.get("format_version")
        .or_else(|| v.get("version"))
        .and_then(Value::as_u64)
}

/// The questionnaire id a file refers to, whatever its format.
pub fn questionnaire_id(v: &Value) -> Option<&str> {
    v.pointer("/questionnaire/id")
        .or_else(|| v.get("questionnaire_id"))
        .and_then(Value::as_str)
}

/// Format 1 → 2. Answers whose value cannot be typed are kept as text in `orphaned`'s comment so
/// nothing is lost.
pub fn v1_to_v2(old: &Value, q: &Questionnaire) -> Value {
    let get_str = |k: &str| {
        old.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let mut answers = Map::new();
    let mut orphaned = Map::new();
    for a in old
        .get("answers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(id) = a.get("id").and_then(Value::as_str) else {
            continue;
        };
        let value = a.get("value").cloned().unwrap_or(Value::Null);
        let at = a
            .get("answered_at")
            .cloned()
            .unwrap_or_else(|| json!(get_str("updated")));
        let comment = a.get("comment").cloned().unwrap_or(json!(""));
        let response = q.question(id).and_then(|qq| type_v1_value(qq.kind, &value));
        let mut entry = Map::new();
        match response {
            Some(r) => {
                entry.insert("response".into(), r);
                if comment.as_str().is_some_and(|c| !c.is_empty()) {
                    entry.insert("comment".into(), comment);
                }
                entry.insert("answered_at".into(), at);
                answers.insert(id.to_string(), Value::Object(entry));
            }
            None => {
                entry.insert(
                    "response".into(),
                    json!({"kind": "text", "text": value.to_string()}),
                );
                entry.insert("comment".into(), comment);
                entry.insert("answered_at".into(), at);
                orphaned.insert(id.to_string(), Value::Object(entry));
            }
        }
    }
    json!({
        "format_version": 2,
        "questionnaire": {
            "id": get_str("questionnaire_id"),
            "version": get_str("questionnaire_version"),
            "hash": "",
        },
        "profile": old.get("profile").cloned().unwrap_or_else(|| json!({})),
        "answers": answers,
        "orphaned": orphaned,
        "created_at": get_str("created"),
        "updated_at": get_str("updated"),
    })
}

fn type_v1_value(kind: QuestionKind, v: &Value) -> Option<Value> {
    match v.as_str() {
        Some("na") => return Some(json!({"kind": "not_applicable"})),
        Some("dont_know") => return Some(json!({"kind": "dont_know"})),
        _ => {}
    }
    Some(match kind {
        QuestionKind::Scale => json!({"kind": "scale", "level": v.as_u64().filter(|l| *l <= 4)?}),
        QuestionKind::Ynp => {
            let c = v
                .as_str()
                .filter(|c| matches!(*c, "yes" | "partly" | "no"))?;
            json!({"kind": "ynp", "choice": c})
        }
        QuestionKind::Checklist => {
            let ids: Vec<&str> = v.as_array()?.iter().filter_map(Value::as_str).collect();
            json!({"kind": "checklist", "selected": ids})
        }
        QuestionKind::Number => json!({"kind": "number", "value": v.as_f64()?}),
        QuestionKind::Text => json!({"kind": "text", "text": v.as_str()?}),
    })
}
