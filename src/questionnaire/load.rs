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
        error: std::io::Error,
    },
    Parse {
        source_name: String,
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    Invalid {
        source_name: String,
        issues: Vec<Issue>,
    },
}

impl LoadError {
    pub fn render(&self, lang: Lang) -> String {
        match self {
            LoadError::Io { source_name, error } => format!(
                "{source_name}: {} ({error})\n    {}",
                tr(lang, "không đọc được tệp", "cannot read the file"),
                tr(
                    lang,
                    "kiểm tra đường dẫn và quyền đọc",
                    "check the path and read permission"
                )
            ),
            LoadError::Parse {
                source_name,
                path,
                line,
                column,
                message,
            } => {
                let hint = if message.contains("untagged enum Condition") {
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
                    "{source_name}:{line}:{column}: {}: {path}: {message}\n    {}: {hint}",
                    tr(
                        lang,
                        "lỗi cú pháp hoặc cấu trúc",
                        "syntax or structure error"
                    ),
                    tr(lang, "Cách sửa", "Fix"),
                )
            }
            LoadError::Invalid {
                source_name,
                issues,
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

/// Parses JSON text into a questionnaire, without validating it.
pub fn parse(text: &str, source_name: &str) -> Result<Questionnaire, LoadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        LoadError::Parse {
            source_name: source_name.to_string(),
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
            issues,
        })
    }
}

pub fn load_file(path: &Path) -> Result<Questionnaire, LoadError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|error| LoadError::Io {
        source_name: name.clone(),
        error,
    })?;
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
