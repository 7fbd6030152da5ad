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
    /// `bands` lowest first, by index: sorted on first use, not on every call.
    #[serde(skip)]
    #[schemars(skip)]
    band_order: BandOrder,
}

/// The order of a questionnaire's bands, kept once computed. Derived from `bands`, so it plays no
/// part in comparing questionnaires.
#[derive(Debug, Clone, Default)]
struct BandOrder(std::sync::OnceLock<Vec<usize>>);

impl PartialEq for BandOrder {
    fn eq(&self, _: &BandOrder) -> bool {
        true
    }
}

/// One item of a report's annex of sources: the citation and the questions that cite it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CitedItem {
    pub info: SourceInfo,
    pub questions: Vec<String>,
}

/// A cited document as people know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceDoc {
    /// The id questions use in `seed[].doc` (the seed's number, e.g. "004", or a short code for a
    /// document outside the seeds, e.g. "nq202").
    pub id: String,
    /// Short name used in citations: "Quyết định 749/QĐ-TTg".
    pub short: Text,
    /// Full name: "Quyết định 749/QĐ-TTg phê duyệt Chương trình Chuyển đổi số quốc gia…".
    pub name: Text,
    pub issuer: Text,
    /// yyyy-mm-dd, or yyyy when only the year is known.
    pub date: String,
    pub kind: SourceKind,
    pub status: SourceStatus,
    /// True for a document that is not one of the seed documents the content was written from:
    /// facts resting on it are marked so wherever they are shown.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub outside_seeds: bool,
    /// What a reader should know about it (why it is cited, what replaced it, what to verify).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// What sort of document a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Law,
    Resolution,
    Decision,
    Directive,
    /// A draft proposal (đề án) or draft text.
    Draft,
    /// Slides or guidance material of a ministry.
    Slides,
    /// A public notice of a local authority.
    Notice,
    /// A press article.
    Article,
}

impl SourceKind {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::tr;
        match self {
            SourceKind::Law => tr(lang, "luật", "law"),
            SourceKind::Resolution => tr(lang, "nghị quyết", "resolution"),
            SourceKind::Decision => tr(lang, "quyết định", "decision"),
            SourceKind::Directive => tr(lang, "chỉ thị", "directive"),
            SourceKind::Draft => tr(lang, "dự thảo", "draft"),
            SourceKind::Slides => tr(lang, "tài liệu trình bày", "slide deck"),
            SourceKind::Notice => tr(lang, "thông báo", "public notice"),
            SourceKind::Article => tr(lang, "bài báo", "press article"),
        }
    }
}

/// Whether a source is the law today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceStatus {
    /// In force.
    InForce,
    /// A draft: for reference only, never an authority.
    Draft,
    /// Replaced or superseded (see the note for what replaced it).
    Replaced,
    /// Not a legal text: explanation, guidance or news, cited for reference.
    Reference,
}

impl SourceStatus {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::tr;
        match self {
            SourceStatus::InForce => tr(lang, "đang có hiệu lực", "in force"),
            SourceStatus::Draft => tr(lang, "dự thảo – tham khảo", "draft – for reference"),
            SourceStatus::Replaced => tr(lang, "đã được thay thế", "replaced"),
            SourceStatus::Reference => tr(lang, "tài liệu tham khảo", "reference material"),
        }
    }
}

/// Everything to show about one citation: the document as people know it and the place in it.
/// Line numbers are for auditors only (`lines`); never show `doc` to users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SourceInfo {
    pub doc: String,
    /// "Quyết định 749/QĐ-TTg, mục IV.5.e": the citation as `cite` writes it.
    pub citation: String,
    pub short: String,
    pub name: String,
    pub issuer: String,
    /// The date as people write it in `lang` ("03/06/2020", "3 Jun 2020"; a bare year stays).
    pub date: String,
    pub kind: String,
    pub status: SourceStatus,
    pub status_label: String,
    pub outside_seeds: bool,
    /// The place inside the document ("mục IV.5.e"), empty when none.
    pub item: String,
    pub note: Option<String>,
    /// Line numbers in the seed text, for auditors.
    pub lines: String,
}

/// The group a dimension belongs to: the three pillars, the six foundational tasks, the four
/// layers of the security model, the security core that the "no security, no DX" rule reads, or
/// the six pillars of the enterprise DX index (DBI).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Pillar,
    Task,
    Layer,
    /// Security proper (no trust or insurance items): the dimension the security rule reads.
    Security,
    /// The six pillars of Vietnam's enterprise DX index (DBI).
    Dbi,
}

impl Group {
    pub const ALL: [Group; 5] = [
        Group::Pillar,
        Group::Task,
        Group::Layer,
        Group::Security,
        Group::Dbi,
    ];

    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::tr;
        match self {
            Group::Pillar => tr(lang, "Trụ cột", "Pillar"),
            Group::Task => tr(lang, "Nhiệm vụ nền móng", "Foundational task"),
            Group::Layer => tr(lang, "Lớp bảo vệ", "Security layer"),
            Group::Security => tr(lang, "An toàn thông tin cốt lõi", "Security core"),
            Group::Dbi => tr(lang, "Trụ cột DBI", "DBI pillar"),
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
    /// A weight that depends on a profile choice (e.g. the administrative level), replacing
    /// `weight` for the options it names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_by: Option<WeightBy>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seed: Vec<SeedRef>,
}

/// A dimension's weight by a profile choice: for a commune, a task of which Decision 749 gives
/// communes only a few items weighs less than for a ministry or province.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WeightBy {
    /// A choice profile field (e.g. "level").
    pub field: String,
    /// Option id → weight; options not named keep the dimension's `weight`.
    pub values: std::collections::BTreeMap<String, f64>,
    /// Why the weight differs, shown with the overall score's explanation.
    pub note: Text,
}

impl Dimension {
    /// The weight for an organisation whose profile gives `value(field)`.
    pub fn weight_for(&self, value: impl Fn(&str) -> Option<String>) -> f64 {
        self.weight_by
            .as_ref()
            .and_then(|b| value(&b.field).and_then(|v| b.values.get(&v).copied()))
            .unwrap_or(self.weight)
    }
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
    /// A text field filled by choosing from a built-in list (typed letters filter it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<PickList>,
}

/// A built-in list a text profile field is chosen from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PickList {
    /// The 34 provincial-level units since 1 July 2025 (a former province's name, typed, is
    /// resolved to its new unit; a back-dated file keeps the former name it holds).
    Provinces,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileOption {
    pub id: String,
    pub label: Text,
    /// Kept so that older or back-dated assessments still load and score (e.g. the district level,
    /// abolished on 1 July 2025), but not offered for new assessments.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub legacy: bool,
}

impl ProfileField {
    /// The options to offer for a new answer: all but the legacy ones, plus `current` (the value
    /// already saved) so an old file can still show and keep its value.
    pub fn offered_options<'a>(&'a self, current: Option<&str>) -> Vec<&'a ProfileOption> {
        self.options
            .iter()
            .filter(|o| !o.legacy || current == Some(o.id.as_str()))
            .collect()
    }

    /// The label of the option saved as `id` (a choice field), if it has one.
    pub fn option_label(&self, id: &str) -> Option<&Text> {
        self.options.iter().find(|o| o.id == id).map(|o| &o.label)
    }
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
    /// A source id from the questionnaire's `sources` registry.
    pub doc: String,
    /// The place inside the document as people cite it, in Vietnamese: "IV.5.e",
    /// "Điều 2, khoản 1", "Phần thứ hai, III.3, nhóm nhiệm vụ 9".
    pub item: String,
    /// The same place in English when it differs ("Article 2(1)"); else `item` is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_en: Option<String>,
    /// Line numbers in the seed text (auditors only; empty for a document outside the seeds).
    #[serde(default, skip_serializing_if = "String::is_empty")]
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

// Read by its key (`all`, `any`, `not`, else a comparison: see the `Deserialize` below) rather
// than through serde's untagged enum, which tried every shape at every level: a file of twenty
// nested brackets took exponential time and gigabytes before failing (found by `cargo fuzz`).
/// Skip logic: when a question, section or red flag applies.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Condition {
    All(AllOf),
    Any(AnyOf),
    Not(NotOf),
    Compare(Box<Comparison>),
}

/// What a condition looks like, for error messages (`load` adds the fix).
pub const CONDITION_SHAPE: &str =
    "a condition: {\"field\": …, \"eq\": …}, {\"all\": […]}, {\"any\": […]} or {\"not\": …}";

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, IgnoredAny, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Condition;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(CONDITION_SHAPE)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Condition, A::Error> {
                let Some(key) = m.next_key::<String>()? else {
                    return Err(A::Error::custom(format!(
                        "empty object; expected {CONDITION_SHAPE}"
                    )));
                };
                // all / any / not stand alone in their object.
                fn alone<'de, A: MapAccess<'de>>(m: &mut A, key: &str) -> Result<(), A::Error> {
                    match m.next_key::<String>()? {
                        None => Ok(()),
                        Some(other) => {
                            m.next_value::<IgnoredAny>()?;
                            Err(A::Error::custom(format!(
                                "\"{key}\" cannot be combined with \"{other}\" in one object; expected {CONDITION_SHAPE}"
                            )))
                        }
                    }
                }
                let c = match key.as_str() {
                    "all" => Condition::All(AllOf {
                        all: m.next_value()?,
                    }),
                    "any" => Condition::Any(AnyOf {
                        any: m.next_value()?,
                    }),
                    "not" => Condition::Not(NotOf {
                        not: m.next_value()?,
                    }),
                    _ => {
                        let mut fields = serde_json::Map::new();
                        fields.insert(key, m.next_value()?);
                        while let Some(k) = m.next_key::<String>()? {
                            if fields.contains_key(&k) {
                                return Err(A::Error::duplicate_field(static_field_name(&k)));
                            }
                            fields.insert(k, m.next_value()?);
                        }
                        let c: Comparison = serde_json::from_value(fields.into()).map_err(|e| {
                            A::Error::custom(format!("{e}; expected {CONDITION_SHAPE}"))
                        })?;
                        return Ok(Condition::Compare(Box::new(c)));
                    }
                };
                alone(&mut m, &key)?;
                Ok(c)
            }
        }
        d.deserialize_map(V)
    }
}

/// A duplicated key's name for serde's `duplicate_field`, which wants a `'static` str: the
/// known field names are returned as themselves, anything else as "a field".
fn static_field_name(k: &str) -> &'static str {
    const KNOWN: [&str; 8] = [
        "field", "eq", "ne", "in", "gte", "lte", "includes", "answered",
    ];
    KNOWN.into_iter().find(|x| *x == k).unwrap_or("a field")
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

/// The item of a citation as shown: a structural number gets "mục" / "item" in front ("mục IV.5.e");
/// a named place ("Điều 2, khoản 1", "Phần thứ hai, …") is shown as written, in English from
/// `item_en` when given.
fn item_text(seed: &SeedRef, lang: crate::i18n::Lang) -> String {
    let item = match lang {
        crate::i18n::Lang::En => seed.item_en.as_deref().unwrap_or(&seed.item),
        crate::i18n::Lang::Vi => &seed.item,
    }
    .trim();
    if item.is_empty() {
        return String::new();
    }
    let structural = item
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || "IVXL".contains(c))
        && item
            .split(['.', ' '])
            .next()
            .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit() || "IVXL".contains(c)));
    if structural {
        format!("{} {item}", crate::i18n::tr(lang, "mục", "item"))
    } else {
        item.to_string()
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
        let item = item_text(seed, lang);
        if item.is_empty() {
            name.to_string()
        } else {
            format!("{name}, {item}")
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

    /// Everything the "sources" view and a report's annex show about one citation: full name,
    /// issuer, date, kind, status (in force, draft, replaced), item, note and, for auditors, the
    /// seed lines. `None` when the document is not in the registry (the validator forbids that
    /// in a valid questionnaire).
    pub fn source_info(&self, seed: &SeedRef, lang: crate::i18n::Lang) -> Option<SourceInfo> {
        let s = self.source(&seed.doc)?;
        let date = if s.date.len() == 10 {
            crate::locale::civil_date(&s.date, lang)
        } else {
            s.date.clone()
        };
        Some(SourceInfo {
            doc: s.id.clone(),
            citation: self.cite(seed, lang),
            short: s.short.get(lang).to_string(),
            name: s.name.get(lang).to_string(),
            issuer: s.issuer.get(lang).to_string(),
            date,
            kind: s.kind.label(lang).to_string(),
            status: s.status,
            status_label: s.status.label(lang).to_string(),
            outside_seeds: s.outside_seeds,
            item: item_text(seed, lang),
            note: s.note.as_ref().map(|n| n.get(lang).to_string()),
            lines: seed.lines.clone(),
        })
    }

    /// Every item the questions cite, once each, for a report's annex of sources: documents in
    /// registry order, items in order of first citation, each with the questions citing it (so an
    /// auditor can find each one in the official text).
    pub fn annex(&self, lang: crate::i18n::Lang) -> Vec<CitedItem> {
        let mut out: Vec<CitedItem> = Vec::new();
        for (_, q) in self.questions() {
            for s in &q.seed {
                let Some(info) = self.source_info(s, lang) else {
                    continue;
                };
                match out
                    .iter_mut()
                    .find(|c| c.info.doc == info.doc && c.info.item == info.item)
                {
                    Some(c) => {
                        // The same item cited at other lines: keep every range for auditors.
                        if !s.lines.is_empty() && !c.info.lines.split(", ").any(|l| l == s.lines) {
                            if !c.info.lines.is_empty() {
                                c.info.lines.push_str(", ");
                            }
                            c.info.lines.push_str(&s.lines);
                        }
                        if !c.questions.contains(&q.id) {
                            c.questions.push(q.id.clone());
                        }
                    }
                    None => out.push(CitedItem {
                        info,
                        questions: vec![q.id.clone()],
                    }),
                }
            }
        }
        let rank = |doc: &str| self.sources.iter().position(|d| d.id == doc);
        out.sort_by_key(|c| rank(&c.info.doc));
        out
    }

    /// `source_info` for every citation of a question (its sources view), in order.
    pub fn question_sources(&self, id: &str, lang: crate::i18n::Lang) -> Vec<SourceInfo> {
        self.question(id)
            .map(|q| {
                q.seed
                    .iter()
                    .filter_map(|s| self.source_info(s, lang))
                    .collect()
            })
            .unwrap_or_default()
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

    /// Indexes of `bands` from lowest to highest (a stable sort by `min`), sorted on the first
    /// call and kept. Should `bands` have changed since (they are public), the kept order is
    /// checked in one pass and the bands sorted afresh when it no longer holds.
    fn band_order(&self) -> std::borrow::Cow<'_, [usize]> {
        let sort = || {
            let mut order: Vec<usize> = (0..self.bands.len()).collect();
            order.sort_by(|&x, &y| self.bands[x].min.total_cmp(&self.bands[y].min));
            order
        };
        let kept = self.band_order.0.get_or_init(sort);
        // A permutation is the stable sort exactly when (min, index) rises strictly along it.
        let holds = kept.len() == self.bands.len()
            && kept.windows(2).all(|w| {
                self.bands[w[0]]
                    .min
                    .total_cmp(&self.bands[w[1]].min)
                    .then(w[0].cmp(&w[1]))
                    .is_lt()
            });
        if holds {
            std::borrow::Cow::Borrowed(kept)
        } else {
            std::borrow::Cow::Owned(sort())
        }
    }

    /// Bands ordered from lowest to highest.
    pub fn bands_sorted(&self) -> Vec<&Band> {
        self.band_order().iter().map(|&i| &self.bands[i]).collect()
    }

    /// The `i`-th band from the lowest (in `bands_sorted` order).
    pub fn band_sorted(&self, i: usize) -> Option<&Band> {
        self.band_order().get(i).map(|&b| &self.bands[b])
    }

    /// Index (in `bands_sorted` order) of the band holding `score`.
    pub fn band_index(&self, score: f64) -> Option<usize> {
        let order = self.band_order();
        let bands = order.iter().map(|&i| &self.bands[i]);
        let last = order.len().checked_sub(1)?;
        bands
            .clone()
            .position(|b| score >= b.min && (score < b.max || (score <= b.max && b.max >= 100.0)))
            .or(Some(if score < self.bands[order[0]].min {
                0
            } else {
                last
            }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(id: &str, min: f64, max: f64) -> Band {
        Band {
            id: id.into(),
            min,
            max,
            label: Text::new(id, id),
            description: None,
        }
    }

    /// Bands are sorted once and the order kept (it was sorted again on every call, and the
    /// full scorer asks for it several times per assessment); the kept order still follows the
    /// bands if they change, and equal minimums keep the file's order, as a stable sort does.
    #[test]
    fn bands_are_sorted_once_and_follow_changes() {
        let mut q = crate::questionnaire::Catalog::builtin()
            .find("sme", None)
            .unwrap()
            .questionnaire
            .as_ref()
            .clone();
        q.bands = vec![
            band("c", 50.0, 100.0),
            band("a", 0.0, 25.0),
            band("b", 25.0, 50.0),
        ];
        assert!(q.band_order.0.get().is_none());
        let ids = |q: &Questionnaire| -> Vec<String> {
            q.bands_sorted().iter().map(|b| b.id.clone()).collect()
        };
        assert_eq!(ids(&q), ["a", "b", "c"]);
        assert_eq!(
            q.band_order.0.get().map(Vec::as_slice),
            Some(&[1, 2, 0][..])
        );
        assert_eq!(q.band_index(30.0), Some(1));
        assert_eq!(q.band_sorted(2).map(|b| b.id.as_str()), Some("c"));
        assert!(matches!(q.band_order(), std::borrow::Cow::Borrowed(_)));
        // Changed after the first call: the kept order no longer holds and is not used.
        q.bands[0].min = 10.0;
        q.bands[1].max = 10.0;
        assert_eq!(ids(&q), ["a", "c", "b"]);
        assert_eq!(q.band_index(30.0), Some(1));
        // Equal minimums: the file's order.
        q.bands = vec![
            band("x", 0.0, 50.0),
            band("y", 0.0, 50.0),
            band("z", 50.0, 100.0),
        ];
        assert_eq!(ids(&q), ["x", "y", "z"]);
        q.bands.swap(0, 1);
        assert_eq!(ids(&q), ["y", "x", "z"]);
        // A clone keeps the order; comparing ignores it.
        let c = q.clone();
        assert_eq!(c, q);
        assert_eq!(ids(&c), ["y", "x", "z"]);
    }
}
