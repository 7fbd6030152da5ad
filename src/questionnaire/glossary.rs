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

    /// Problems with the glossary: duplicate ids, empty terms or definitions.
    pub fn problems(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for t in &self.terms {
            if !seen.insert(t.id.as_str()) {
                out.push(format!("terms: id \"{}\" is used twice", t.id));
            }
            if t.vi.trim().is_empty() || t.en.trim().is_empty() {
                out.push(format!("terms ({}): vi and en must both be set", t.id));
            }
            if let Some(d) = &t.definition
                && (d.vi.trim().is_empty() || d.en.trim().is_empty())
            {
                out.push(format!(
                    "terms ({}): the definition needs both languages",
                    t.id
                ));
            }
        }
        out
    }
}
