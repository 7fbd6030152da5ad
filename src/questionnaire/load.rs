//! Reading questionnaire files: parse errors carry the JSON path and line, then the validator
//! runs, so a file either loads valid or yields every problem at once.

use super::model::Questionnaire;
use super::validate::{Issue, validate};
use crate::i18n::{Lang, tr};
use sha2::{Digest, Sha256};
use std::path::Path;

#[derive(Debug)]
pub enum LoadError {
    Io {
        source_name: String,
        error: crate::fsutil::ReadError,
    },
    Parse {
        source_name: String,
        /// The questionnaire's `id`, when the text has a readable one.
        id: Option<String>,
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    Invalid {
        source_name: String,
        id: Option<String>,
        issues: Vec<Issue>,
    },
}

impl LoadError {
    pub fn render(&self, lang: Lang) -> String {
        match self {
            LoadError::Io { source_name, error } => {
                let (reason, fix) = error.reason(crate::fsutil::Kind::Questionnaire, lang);
                format!(
                    "{source_name}: {}: {reason}\n    {}: {fix}",
                    tr(lang, "không đọc được tệp", "cannot read the file"),
                    tr(lang, "Cách sửa", "Fix"),
                )
            }
            LoadError::Parse {
                source_name,
                path,
                line,
                column,
                message,
                ..
            } => {
                let hint = if message.contains(crate::questionnaire::model::CONDITION_SHAPE) {
                    tr(
                        lang,
                        "điều kiện phải có dạng {\"field\": ..., \"eq\": ...} hoặc {\"all\"|\"any\": [...]} hoặc {\"not\": ...}",
                        "a condition is {\"field\": ..., \"eq\": ...} or {\"all\"|\"any\": [...]} or {\"not\": ...}",
                    )
                } else {
                    tr(
                        lang,
                        "sửa JSON tại vị trí này theo docs/questionnaire-format.md",
                        "fix the JSON at this place as docs/questionnaire-format.md describes",
                    )
                };
                format!(
                    "{source_name}:{line}:{column}: {}: {path}: {}\n    {}: {hint}",
                    tr(
                        lang,
                        "lỗi cú pháp hoặc cấu trúc",
                        "syntax or structure error"
                    ),
                    crate::fsutil::json_message(message, lang),
                    tr(lang, "Cách sửa", "Fix"),
                )
            }
            LoadError::Invalid {
                source_name,
                issues,
                ..
            } => {
                let mut out = format!(
                    "{source_name}: {} {}\n",
                    issues.len(),
                    tr(lang, "lỗi", "problem(s)")
                );
                for i in issues {
                    out.push_str("  ");
                    out.push_str(&i.render(lang));
                    out.push('\n');
                }
                out
            }
        }
    }
}

impl LoadError {
    /// The questionnaire id the rejected file declares, when it could be read.
    pub fn questionnaire_id(&self) -> Option<&str> {
        match self {
            LoadError::Io { .. } => None,
            LoadError::Parse { id, .. } | LoadError::Invalid { id, .. } => id.as_deref(),
        }
    }

    /// The file's name as given (a path, or `<built-in>/NAME`).
    pub fn source_name(&self) -> &str {
        match self {
            LoadError::Io { source_name, .. }
            | LoadError::Parse { source_name, .. }
            | LoadError::Invalid { source_name, .. } => source_name,
        }
    }
}

/// Parses JSON text into a questionnaire, without validating it. The plain parser runs first;
/// only when it fails does the path-aware one run again, to say where (it costs twice as much).
pub fn parse(text: &str, source_name: &str) -> Result<Questionnaire, LoadError> {
    use serde::Deserialize;
    let mut de = serde_json::Deserializer::from_str(text);
    if let Ok(q) = Questionnaire::deserialize(&mut de) {
        return Ok(q);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        // The id, if the text is JSON with one, so a rejected file can be named by its id.
        let id = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string));
        LoadError::Parse {
            source_name: source_name.to_string(),
            id,
            path,
            line: inner.line(),
            column: inner.column(),
            message: inner.to_string(),
        }
    })
}

/// Parses and validates.
pub fn load_str(text: &str, source_name: &str) -> Result<Questionnaire, LoadError> {
    let q = parse(text, source_name)?;
    let issues = validate(&q);
    if issues.is_empty() {
        Ok(q)
    } else {
        Err(LoadError::Invalid {
            source_name: source_name.to_string(),
            id: Some(q.id.clone()),
            issues,
        })
    }
}

pub fn load_file(path: &Path) -> Result<Questionnaire, LoadError> {
    let name = path.display().to_string();
    // A regular file under the cap only: a FIFO or a device would block or never end.
    let text = crate::fsutil::read_text(path, crate::fsutil::Kind::Questionnaire.cap()).map_err(
        |error| LoadError::Io {
            source_name: name.clone(),
            error,
        },
    )?;
    load_str(&text, &name)
}

/// A stable fingerprint of the questionnaire's content (not of its file's whitespace), stored in
/// each assessment so a changed questionnaire is noticed on load.
pub fn content_hash(q: &Questionnaire) -> String {
    let bytes = serde_json::to_vec(q).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}
