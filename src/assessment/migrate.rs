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

/// Something format 1 held that could not be mapped: kept under `orphaned` (key), with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Unmapped {
    pub key: String,
    pub reason: crate::i18n::Text,
}

/// Format 1 → 2. Nothing is dropped: answers whose value cannot be typed, whose question is gone,
/// or whose entry has no usable id are kept under `orphaned` (the value as JSON text in the
/// response, the comment kept), and each is listed in the returned notes. Answers may be a list
/// of `{id, value, ...}` entries or a map from id to a value or to such an entry.
pub fn v1_to_v2(old: &Value, q: &Questionnaire) -> (Value, Vec<Unmapped>) {
    use crate::i18n::Text;
    let get_str = |k: &str| {
        old.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let updated = get_str("updated");
    let mut answers = Map::new();
    let mut orphaned = Map::new();
    let mut unmapped = Vec::new();
    // (key to file it under, the entry's parts, whether the key is a usable question id)
    let mut entries: Vec<(String, Value, bool)> = Vec::new();
    match old.get("answers") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) => {
            for (i, a) in list.iter().enumerate() {
                match a.get("id").and_then(Value::as_str) {
                    Some(id) => entries.push((id.to_string(), a.clone(), true)),
                    None => entries.push((format!("answers[{i}]"), a.clone(), false)),
                }
            }
        }
        Some(Value::Object(map)) => {
            for (id, a) in map {
                let entry = if a.is_object() && a.get("value").is_some() {
                    a.clone()
                } else {
                    json!({ "value": a })
                };
                entries.push((id.clone(), entry, true));
            }
        }
        Some(other) => entries.push(("answers".into(), json!({ "value": other }), false)),
    }
    for (key, a, usable) in entries {
        let whole = !usable || !a.is_object();
        let value = if whole {
            a.clone()
        } else {
            a.get("value").cloned().unwrap_or(Value::Null)
        };
        let at = a
            .get("answered_at")
            .filter(|v| v.is_string())
            .cloned()
            .unwrap_or_else(|| json!(updated));
        let comment = a
            .get("comment")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let question = usable.then(|| q.question(&key)).flatten();
        let response = question.and_then(|qq| type_v1_value(qq.kind, &value));
        let mut entry = Map::new();
        let taken = answers.contains_key(&key) || orphaned.contains_key(&key);
        match response {
            Some(r) if !taken => {
                entry.insert("response".into(), r);
                if !comment.is_empty() {
                    entry.insert("comment".into(), json!(comment));
                }
                entry.insert("answered_at".into(), at);
                answers.insert(key, Value::Object(entry));
            }
            _ => {
                let reason = if !usable {
                    Text::new(
                        "mục trả lời định dạng 1 không có mã câu hỏi hợp lệ",
                        "a format 1 answer entry without a usable question id",
                    )
                } else if taken {
                    Text::new(
                        "câu hỏi này được trả lời hai lần trong tệp định dạng 1",
                        "this question is answered twice in the format 1 file",
                    )
                } else if question.is_none() {
                    Text::new(
                        "câu hỏi không còn trong bộ câu hỏi",
                        "the question no longer exists",
                    )
                } else {
                    Text::new(
                        "giá trị định dạng 1 không chuyển được sang câu hỏi này",
                        "the format 1 value does not fit this question",
                    )
                };
                let mut k = key.clone();
                let mut n = 2;
                while answers.contains_key(&k) || orphaned.contains_key(&k) {
                    k = format!("{key} ({n})");
                    n += 1;
                }
                entry.insert(
                    "response".into(),
                    json!({"kind": "text", "text": value.to_string()}),
                );
                if !comment.is_empty() {
                    entry.insert("comment".into(), json!(comment));
                }
                entry.insert("answered_at".into(), at);
                orphaned.insert(k.clone(), Value::Object(entry));
                unmapped.push(Unmapped { key: k, reason });
            }
        }
    }
    let v = json!({
        "format_version": 2,
        // Format 1 named its questionnaire flat; a file marked 1 may hold the newer nested
        // reference: either is kept (an empty id would make the saved file unreadable).
        "questionnaire": {
            "id": questionnaire_id(old).unwrap_or_default(),
            "version": old
                .pointer("/questionnaire/version")
                .or_else(|| old.get("questionnaire_version"))
                .and_then(Value::as_str)
                .unwrap_or_default(),
            "hash": "",
        },
        "profile": old.get("profile").cloned().unwrap_or_else(|| json!({})),
        "answers": answers,
        "orphaned": orphaned,
        "created_at": get_str("created"),
        "updated_at": updated,
    });
    (v, unmapped)
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
