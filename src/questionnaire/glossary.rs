//! The bilingual glossary of domain terms (`questionnaires/glossary.json`).

use super::model::SeedRef;
use crate::i18n::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub const BUILTIN_GLOSSARY: &str = include_str!("../../questionnaires/glossary.json");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    pub format: u32,
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub id: String,
    pub vi: String,
    pub en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seed: Vec<SeedRef>,
}

impl Glossary {
    pub fn builtin() -> Result<Glossary, serde_json::Error> {
        serde_json::from_str(BUILTIN_GLOSSARY)
    }

    /// Problems with the glossary: duplicate ids, empty terms or definitions (English).
    pub fn problems(&self) -> Vec<String> {
        self.problems_in(crate::i18n::Lang::En)
    }

    /// The same problems, in the user's language.
    pub fn problems_in(&self, lang: crate::i18n::Lang) -> Vec<String> {
        use crate::i18n::tr;
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        if self.format != 1 {
            out.push(format!(
                "format: {} {}",
                self.format,
                tr(
                    lang,
                    "không được hỗ trợ (chỉ 1)",
                    "is not supported (only 1)"
                )
            ));
        }
        for (i, t) in self.terms.iter().enumerate() {
            if !seen.insert(t.id.as_str()) {
                out.push(format!(
                    "terms[{i}]: id \"{}\" {}",
                    t.id,
                    tr(lang, "bị dùng hai lần", "is used twice")
                ));
            }
            if t.vi.trim().is_empty() || t.en.trim().is_empty() {
                out.push(format!(
                    "terms[{i}] ({}): {}",
                    t.id,
                    tr(lang, "phải có cả vi và en", "vi and en must both be set")
                ));
            }
            if let Some(d) = &t.definition
                && (d.vi.trim().is_empty() || d.en.trim().is_empty())
            {
                out.push(format!(
                    "terms[{i}] ({}): {}",
                    t.id,
                    tr(
                        lang,
                        "định nghĩa cần cả hai ngôn ngữ",
                        "the definition needs both languages"
                    )
                ));
            }
        }
        out
    }

    /// Reads a glossary file: a regular file under its cap, parsed with the place of any error.
    pub fn load_file(path: &std::path::Path) -> Result<Glossary, super::LoadError> {
        let name = path.display().to_string();
        let text = crate::fsutil::read_text(path, crate::fsutil::Kind::Glossary.cap()).map_err(
            |error| super::LoadError::Io {
                source_name: name.clone(),
                error,
            },
        )?;
        Glossary::parse(&text, &name)
    }

    /// Parses glossary text (named `source_name` in messages).
    pub fn parse(text: &str, source_name: &str) -> Result<Glossary, super::LoadError> {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            super::LoadError::Parse {
                source_name: source_name.to_string(),
                id: None,
                path,
                line: inner.line(),
                column: inner.column(),
                message: inner.to_string(),
            }
        })
    }

    /// Does this JSON look like a glossary (rather than a questionnaire)?
    pub fn looks_like(v: &serde_json::Value) -> bool {
        v.get("terms").is_some() && v.get("sections").is_none()
    }
}
