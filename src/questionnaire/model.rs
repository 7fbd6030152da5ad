//! The questionnaire data model, as read from JSON (see docs/questionnaire-format.md).
//!
//! Kind-specific fields live flat on `Question` rather than in a tagged enum: serde then rejects
//! unknown fields everywhere, and the validator can say in plain words which field a kind is
//! missing ("a scale question needs five levels") instead of serde's "no variant matched".

use crate::i18n::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// Format version of this file (currently 1).
    pub format: u32,
    pub id: String,
    pub version: String,
    pub title: Text,
    pub description: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_minutes: Option<u32>,
    pub dimensions: Vec<Dimension>,
    pub overall: Overall,
    pub bands: Vec<Band>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Targets>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_rule: Option<SecurityRule>,
    pub profile: Vec<ProfileField>,
    pub sections: Vec<Section>,
    /// The documents questions cite, by the id used in `seed[].doc`: their real names, so users
    /// see "Quyết định 749/QĐ-TTg, mục IV.5.e" and never a file code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceDoc>,
}

/// A cited document as people know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceDoc {
    /// The id questions use in `seed[].doc`.
    pub id: String,
    /// Short name used in citations: "Quyết định 749/QĐ-TTg".
    pub short: Text,
    /// Full name: "Quyết định 749/QĐ-TTg phê duyệt Chương trình Chuyển đổi số quốc gia…".
    pub name: Text,
    pub issuer: Text,
    /// yyyy-mm-dd, or yyyy when only the year is known.
    pub date: String,
    /// in_force, draft, replaced, reference.
    pub status: String,
}

/// The group a dimension belongs to: the three pillars, the six foundational tasks, or the four
/// layers of the security model.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Pillar,
    Task,
    Layer,
}

impl Group {
    pub const ALL: [Group; 3] = [Group::Pillar, Group::Task, Group::Layer];

    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::tr;
        match self {
            Group::Pillar => tr(lang, "Trụ cột", "Pillar"),
            Group::Task => tr(lang, "Nhiệm vụ nền móng", "Foundational task"),
            Group::Layer => tr(lang, "Lớp bảo vệ", "Security layer"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub id: String,
    pub group: Group,
    pub label: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// Weight in the overall score when this dimension's group is the overall group.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seed: Vec<SeedRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Overall {
    /// The overall score is the weighted mean of this group's dimension scores.
    pub group: Group,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub id: String,
    pub min: f64,
    pub max: f64,
    pub label: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// A choice profile field whose option ids are the target years.
    pub year_field: String,
    pub items: Vec<Target>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub id: String,
    pub label: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seed: Vec<SeedRef>,
    /// A choice profile field (e.g. administrative level) whose option ids key `values`.
    pub field: String,
    /// year → (option id or "*") → target value.
    pub values: std::collections::BTreeMap<String, std::collections::BTreeMap<String, f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityRule {
    /// The security dimension whose band bounds the headline.
    pub dimension: String,
    /// The headline band may exceed the security band by at most this many levels.
    pub max_band_gap: u32,
    #[serde(default)]
    pub red_flags: Vec<RedFlag>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RedFlag {
    pub id: String,
    pub when: Condition,
    /// The headline band is capped at this band while the flag holds.
    pub cap_band: String,
    pub message: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProfileKind {
    Text,
    Choice,
    Number,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileField {
    pub id: String,
    pub kind: ProfileKind,
    pub label: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ProfileOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub integer: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileOption {
    pub id: String,
    pub label: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Maturity 0..4 with a descriptor per level.
    Scale,
    /// Yes / partly / no.
    Ynp,
    /// Several options, each worth points.
    Checklist,
    /// A number, scored by thresholds or against a target.
    Number,
    /// Free text, not scored.
    Text,
}

impl QuestionKind {
    pub fn is_scored(self) -> bool {
        self != QuestionKind::Text
    }

    pub fn code(self) -> &'static str {
        match self {
            QuestionKind::Scale => "scale",
            QuestionKind::Ynp => "ynp",
            QuestionKind::Checklist => "checklist",
            QuestionKind::Number => "number",
            QuestionKind::Text => "text",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    pub text: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    pub seed: Vec<SeedRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributes: Vec<Contribution>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_na: bool,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub allow_dont_know: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_alternate: bool,
    /// `scale`: exactly five levels, for 0..4.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<Level>,
    /// `checklist`: the options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<CheckOption>,
    /// `number`: unit shown next to the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub integer: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thresholds: Vec<Threshold>,
    /// `number`: id of a target in `targets.items`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    /// A dimension id.
    pub to: String,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub label: Text,
    pub descriptor: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckOption {
    pub id: String,
    pub label: Text,
    #[serde(default)]
    pub points: f64,
    /// Ticking this option clears the others (e.g. "none of these").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exclusive: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub at_least: f64,
    pub score: f64,
}

/// Where a question comes from: seed document, item inside it, raw line numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeedRef {
    pub doc: String,
    pub item: String,
    pub lines: String,
}

impl std::fmt::Display for SeedRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} [{}:{}]",
            self.doc, self.item, self.doc, self.lines
        )
    }
}

/// Skip logic: when a question, section or red flag applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Condition {
    All(AllOf),
    Any(AnyOf),
    Not(NotOf),
    Compare(Box<Comparison>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllOf {
    pub all: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnyOf {
    pub any: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotOf {
    pub not: Box<Condition>,
}

/// Compares one earlier field with exactly one operator.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Comparison {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eq: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ne: Option<serde_json::Value>,
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub in_: Option<Vec<serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gte: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lte: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub includes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<bool>,
}

impl Comparison {
    /// How many operators are set (a valid comparison has exactly one).
    pub fn operator_count(&self) -> usize {
        [
            self.eq.is_some(),
            self.ne.is_some(),
            self.in_.is_some(),
            self.gte.is_some(),
            self.lte.is_some(),
            self.includes.is_some(),
            self.answered.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count()
    }
}

impl Condition {
    /// Every field id this condition reads.
    pub fn fields(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_fields(&mut out);
        out
    }

    fn collect_fields<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Condition::All(a) => a.all.iter().for_each(|c| c.collect_fields(out)),
            Condition::Any(a) => a.any.iter().for_each(|c| c.collect_fields(out)),
            Condition::Not(n) => n.not.collect_fields(out),
            Condition::Compare(c) => out.push(&c.field),
        }
    }
}

fn one() -> f64 {
    1.0
}

fn is_one(w: &f64) -> bool {
    *w == 1.0
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

impl Questionnaire {
    pub fn questions(&self) -> impl Iterator<Item = (&Section, &Question)> {
        self.sections
            .iter()
            .flat_map(|s| s.questions.iter().map(move |q| (s, q)))
    }

    pub fn source(&self, id: &str) -> Option<&SourceDoc> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// A citation as users see it: the document's short name and the item, e.g.
    /// "Quyết định 749/QĐ-TTg, mục IV.5.e" (never the file code or the line numbers, which stay in
    /// the JSON for auditors).
    pub fn cite(&self, seed: &SeedRef, lang: crate::i18n::Lang) -> String {
        let name = self
            .source(&seed.doc)
            .map_or(seed.doc.as_str(), |s| s.short.get(lang));
        if seed.item.trim().is_empty() {
            name.to_string()
        } else {
            let item = crate::i18n::tr(lang, "mục", "item");
            format!("{name}, {item} {}", seed.item)
        }
    }

    /// All citations of a list of seed references, joined by "; ".
    pub fn cite_all(&self, seeds: &[SeedRef], lang: crate::i18n::Lang) -> String {
        seeds
            .iter()
            .map(|s| self.cite(s, lang))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.id == id)
    }

    pub fn profile_field(&self, id: &str) -> Option<&ProfileField> {
        self.profile.iter().find(|f| f.id == id)
    }

    pub fn dimension(&self, id: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.id == id)
    }

    pub fn band(&self, id: &str) -> Option<&Band> {
        self.bands.iter().find(|b| b.id == id)
    }

    pub fn target(&self, id: &str) -> Option<&Target> {
        self.targets.as_ref()?.items.iter().find(|t| t.id == id)
    }

    /// Bands ordered from lowest to highest.
    pub fn bands_sorted(&self) -> Vec<&Band> {
        let mut b: Vec<&Band> = self.bands.iter().collect();
        b.sort_by(|x, y| x.min.total_cmp(&y.min));
        b
    }

    /// Index (in `bands_sorted` order) of the band holding `score`.
    pub fn band_index(&self, score: f64) -> Option<usize> {
        let bands = self.bands_sorted();
        let last = bands.len().checked_sub(1)?;
        bands
            .iter()
            .position(|b| score >= b.min && (score < b.max || (score <= b.max && b.max >= 100.0)))
            .or(Some(if score < bands[0].min { 0 } else { last }))
    }
}
