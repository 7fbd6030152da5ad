//! Aggregation: many assessments of the same questionnaire (a consultant's portfolio, a
//! province's communes, a workshop room) summarised as distributions per dimension, the most
//! common weak items, and a table of respondents, optionally per group of respondents
//! (administrative level / organisation type / size, sector, province).
//!
//! `aggregate` streams: files are read and scored on the available cores (at most
//! [`MAX_WORKERS`] scoped threads, a few chunks ahead of the consumer) with the lean scorer
//! (`scoring::lean`: the full scorer's numbers without its explanations), and handed over in input
//! order, whatever the number of workers. Each respondent is counted as it comes (bands, weak
//! items), its scores go to per-column files with its group (`aggregate/sample.rs`) and its row to
//! the respondent rows kept aside (`aggregate/spill.rs`); the file list itself is compact
//! (`aggregate/listing.rs`). Nothing kept in memory grows with the number of files but the names
//! of the files listed (about 25 bytes each) and the files skipped or noted. The statistics are
//! made at the end, one column in memory at a time; then [`Aggregation::write_json`],
//! [`Aggregation::write_csv`], [`Aggregation::write_markdown`], [`Aggregation::write_html`] and
//! [`Aggregation::write_xlsx`] stream the document with its rows read back, and `--format
//! answers-csv` writes its rows as files are read (`aggregate/answers.rs`).
//!
//! Every assessment is scored against the catalog's *current* questionnaire of its id (a local
//! file over the built-in one): answers from another version are matched by question id, and the
//! ones that no longer fit are set aside by `store::parse` and reported per file. Bad files
//! (malformed, unknown questionnaire, newer format, unreadable) are listed with their error and
//! skipped; they never stop the run.
//!
//! Statistics: the median and quartiles use linear interpolation between closest ranks (the
//! method of Excel's `QUARTILE.INC`, R's type 7 and NumPy's default): for the sorted values
//! `x[0..n]` and a fraction `p`, `h = (n − 1)·p`, and the quantile is
//! `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`. A dimension that no respondent of a group has a score
//! for has no statistics (never zeros).

use crate::assessment::store::{self, LoadNote, StoreError};
use crate::assessment::{Assessment, EvidenceGrade};
use crate::i18n::{Lang, tr};
use crate::questionnaire::{Catalog, Entry, Group, ProfileField, ProfileKind, Questionnaire};
use crate::report::BandRef;
use crate::report::markdown::{escape as esc, table};
use crate::scoring::lean::{LeanAnswers, LeanScore, LeanScorer};
use crate::scoring::{self, Coverage, Status};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

mod answers;
mod fast;
mod listing;
mod sample;
mod spill;
mod write;

use listing::Listing;
use sample::Column;
use spill::Spill;

pub const AGGREGATE_VERSION: u32 = 1;

/// Most threads used to read and score files.
pub const MAX_WORKERS: usize = 8;

/// A value below this (0..1) makes an answer weak; "don't know" (0) always is.
pub const WEAK_BELOW: f64 = 0.5;

/// Known profile field ids per grouping, first match wins (a choice field is preferred over a
/// text one). Agency: `level`; SME: `size`; workshop: `org_type`.
const TYPE_FIELDS: &[&str] = &["level", "org_type", "size", "type"];
const SECTOR_FIELDS: &[&str] = &["sector"];
const PROVINCE_FIELDS: &[&str] = &["province_name", "province"];
const ORG_FIELDS: &[&str] = &["org_name", "name", "organisation"];

/// How respondents are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One group per questionnaire (no sub-groups).
    #[default]
    Questionnaire,
    /// Administrative level (agency), organisation type (workshop) or size (SME).
    Type,
    /// Sector.
    Sector,
    /// Province (`province_name` for agencies, `province` for SMEs).
    Province,
}

impl GroupBy {
    pub const ALL: [GroupBy; 4] = [
        GroupBy::Questionnaire,
        GroupBy::Type,
        GroupBy::Sector,
        GroupBy::Province,
    ];

    pub fn code(self) -> &'static str {
        match self {
            GroupBy::Questionnaire => "questionnaire",
            GroupBy::Type => "type",
            GroupBy::Sector => "sector",
            GroupBy::Province => "province",
        }
    }

    pub fn parse(s: &str) -> Option<GroupBy> {
        let s = s.trim().to_ascii_lowercase();
        GroupBy::ALL.into_iter().find(|g| g.code() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            GroupBy::Questionnaire => tr(lang, "bộ câu hỏi", "questionnaire"),
            GroupBy::Type => tr(
                lang,
                "cấp hành chính / loại hình / quy mô",
                "administrative level / organisation type / size",
            ),
            GroupBy::Sector => tr(lang, "lĩnh vực", "sector"),
            GroupBy::Province => tr(lang, "tỉnh, thành phố", "province"),
        }
    }

    /// Candidate profile field ids, in order of preference.
    fn fields(self) -> &'static [&'static str] {
        match self {
            GroupBy::Questionnaire => &[],
            GroupBy::Type => TYPE_FIELDS,
            GroupBy::Sector => SECTOR_FIELDS,
            GroupBy::Province => PROVINCE_FIELDS,
        }
    }

    /// The profile field of `q` this grouping uses: the first choice field among the known ids,
    /// else the first field of any kind among them.
    pub fn field(self, q: &Questionnaire) -> Option<&ProfileField> {
        let fields: Vec<&ProfileField> = self
            .fields()
            .iter()
            .filter_map(|id| q.profile_field(id))
            .collect();
        fields
            .iter()
            .find(|f| f.kind == ProfileKind::Choice)
            .or_else(|| fields.first())
            .copied()
    }
}

impl std::str::FromStr for GroupBy {
    type Err = String;
    fn from_str(s: &str) -> Result<GroupBy, String> {
        GroupBy::parse(s).ok_or_else(|| {
            format!(
                "\"{s}\": expected one of questionnaire, type, sector, province / cần một trong: questionnaire, type, sector, province"
            )
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The document.

/// Everything an aggregate report shows, in one language. Also the JSON format (versioned, JSON
/// Schema in `schemas/aggregate.schema.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AggregateDoc {
    pub aggregate_version: u32,
    pub lang: Lang,
    /// RFC 3339 time the aggregate was made.
    pub generated_at: String,
    pub group_by: GroupBy,
    /// How respondents are grouped, in words.
    pub group_by_label: String,
    /// Files considered (after expanding folders), including skipped ones.
    pub files: usize,
    /// Assessments read and scored.
    pub respondents: usize,
    /// "Median and quartiles: …", the statistics method in words.
    pub method: String,
    /// One part per questionnaire found, in catalog order.
    pub questionnaires: Vec<QuestionnaireAggregate>,
    /// Files that could not be used, with the reason and the fix.
    pub skipped: Vec<Skipped>,
    /// Files used with something to say: another questionnaire version, answers set aside,
    /// an older file format.
    pub notes: Vec<FileNotes>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuestionnaireAggregate {
    pub id: String,
    /// The version everything was scored against (the current one in the catalog).
    pub version: String,
    pub title: String,
    /// The profile field respondents are grouped by; absent when grouping by questionnaire or
    /// when this questionnaire has no such field (everyone is then "not given").
    pub group_field: Option<FieldRef>,
    /// Dimensions in questionnaire order (the columns of `Respondent::dimensions`).
    pub dimensions: Vec<DimensionInfo>,
    pub bands: Vec<BandInfo>,
    /// Everyone who answered this questionnaire.
    pub all: GroupAggregate,
    /// One per value of the grouping field ("not given" last); empty when grouping by
    /// questionnaire.
    pub groups: Vec<GroupAggregate>,
    /// In input order.
    pub respondents: Vec<Respondent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FieldRef {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DimensionInfo {
    pub id: String,
    pub group: Group,
    pub group_label: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BandInfo {
    pub id: String,
    pub label: String,
    pub min: f64,
    pub max: f64,
}

/// Distribution of a score over respondents (0..100, two decimals).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Stats {
    /// Respondents with a score.
    pub count: usize,
    pub mean: f64,
    pub min: f64,
    /// First quartile (25th percentile).
    pub q1: f64,
    pub median: f64,
    /// Third quartile (75th percentile).
    pub q3: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GroupAggregate {
    /// The field's value (a choice's option id, or the normalised text); `None` for
    /// respondents who did not give it, and for the whole-questionnaire group.
    pub key: Option<String>,
    /// As shown: the option label, the text as first written, "(not given)", or "All".
    pub label: String,
    pub count: usize,
    /// Headline scores (after the security rule). `None` when nobody has one.
    pub headline: Option<Stats>,
    /// Overall evidenced scores.
    pub evidenced: Option<Stats>,
    /// Respondents per headline band, lowest band first; the last entry counts respondents with
    /// no headline yet when there are any.
    pub bands: Vec<BandCount>,
    /// Pillars, foundational tasks, security layers.
    pub dimension_groups: Vec<DimensionGroupStats>,
    /// Questions weak for at least one respondent, most respondents first.
    pub weak: Vec<WeakItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BandCount {
    /// Band id; `None` for "no score".
    pub id: Option<String>,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DimensionGroupStats {
    pub group: Group,
    pub label: String,
    pub dimensions: Vec<DimensionStats>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DimensionStats {
    pub id: String,
    pub label: String,
    pub claimed: Option<Stats>,
    pub evidenced: Option<Stats>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WeakItem {
    pub question_id: String,
    pub question: String,
    /// Respondents with this question weak (value below 0.5, or "don't know").
    pub weak: usize,
    /// Of those, "don't know".
    pub dont_know: usize,
    /// Respondents who answered it (including "don't know").
    pub answered: usize,
    pub recommendation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Respondent {
    pub file: String,
    pub organisation: String,
    /// The grouping field's value as shown ("(not given)" when missing); empty when grouping by
    /// questionnaire.
    pub group: String,
    pub headline: Option<f64>,
    pub band: Option<BandRef>,
    pub evidenced: Option<f64>,
    pub coverage: Coverage,
    /// Answered / applicable, in percent.
    pub coverage_percent: f64,
    /// Claimed score per dimension, in the order of `QuestionnaireAggregate::dimensions`.
    pub dimensions: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Skipped {
    pub file: String,
    /// What is wrong and how to fix it, in the document's language.
    pub error: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FileNotes {
    pub file: String,
    /// The questionnaire version the file was saved with, when it differs from the current one.
    pub saved_version: Option<String>,
    /// Answers that could not be matched to a current question (set aside, not scored).
    pub unmatched: Vec<String>,
    /// Every note, in words.
    pub notes: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// Statistics.

/// The `p` quantile (0..1) of sorted values by linear interpolation between closest ranks;
/// `None` for no values.
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// Count, mean, min, quartiles and max of the values (unrounded); `None` for no values.
/// Non-finite values are ignored.
pub fn stats(values: &[f64]) -> Option<Stats> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(Stats {
        count: n,
        mean: v.iter().sum::<f64>() / n as f64,
        min: v[0],
        q1: quantile(&v, 0.25)?,
        median: quantile(&v, 0.5)?,
        q3: quantile(&v, 0.75)?,
        max: v[n - 1],
    })
}

impl Stats {
    fn rounded(self) -> Stats {
        let r = scoring::round2;
        Stats {
            count: self.count,
            mean: r(self.mean),
            min: r(self.min),
            q1: r(self.q1),
            median: r(self.median),
            q3: r(self.q3),
            max: r(self.max),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading: one small record per respondent.

/// A questionnaire as the aggregation uses it, prepared once before the workers start.
struct QCtx<'a> {
    entry: &'a Entry,
    q: &'a Questionnaire,
    /// The lean scorer: scored questions in the order of `scoring::Report::questions`, bands
    /// lowest first.
    scorer: LeanScorer<'a>,
    group_field: Option<&'a ProfileField>,
    org_field: Option<&'a str>,
}

impl<'a> QCtx<'a> {
    fn new(entry: &'a Entry, by: GroupBy) -> QCtx<'a> {
        let q: &Questionnaire = &entry.questionnaire;
        QCtx {
            entry,
            q,
            scorer: LeanScorer::new(q),
            group_field: by.field(q),
            org_field: ORG_FIELDS
                .iter()
                .copied()
                .find(|id| q.profile_field(id).is_some())
                .or_else(|| {
                    q.profile
                        .iter()
                        .find(|f| f.kind == ProfileKind::Text)
                        .map(|f| f.id.as_str())
                }),
        }
    }
}

/// Per scored question of a record: answered (including "don't know").
const ANSWERED: u8 = 1;
/// "Don't know".
const DONT_KNOW: u8 = 2;
/// Weak: a value below [`WEAK_BELOW`], or "don't know".
const WEAK: u8 = 4;

/// What is kept of one respondent until it is counted and its row written.
#[derive(Debug, Clone)]
struct Record {
    file: String,
    ctx: usize,
    organisation: String,
    /// The group's key and label (`None`: not given, or grouping by questionnaire).
    keyed: Option<(String, String)>,
    headline: Option<f64>,
    band: Option<usize>,
    evidenced: Option<f64>,
    coverage: Coverage,
    /// The wizard's progress count: (questions shown with an answer, questions shown).
    shown: (usize, usize),
    /// (claimed, evidenced) per dimension, in questionnaire order.
    dims: Vec<(Option<f64>, Option<f64>)>,
    /// [`ANSWERED`], [`DONT_KNOW`], [`WEAK`] per scored question.
    flags: Vec<u8>,
    notes: Vec<LoadNote>,
    /// The file's rows of the answers CSV, when that is the output.
    answers: Vec<u8>,
}

enum Outcome {
    Used(Box<Record>),
    Skipped { file: String, error: String },
}

/// An evidence item as the fast reader takes it: its grade kept, the rest checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FastEvidence {
    grade: EvidenceGrade,
    #[allow(dead_code)]
    source: SourceCheck,
    #[serde(default)]
    #[allow(dead_code)]
    note: StrCheck,
}

/// `EvidenceSource` checked and not kept, without serde's buffering of internally tagged enums
/// (every field copied aside until the tag is found): an object with `type` (`document` or
/// `link`) anywhere among its fields, the variant's fields strings, unknown fields ignored, as
/// `EvidenceSource` takes them. It never takes what `EvidenceSource` refuses, and refuses its rarer
/// forms (a list, the variant's index as the tag, a field of the other variant that is not a
/// string or given twice), which then go the full way
/// (`source_check_accepts_what_the_source_does` compares them).
struct SourceCheck;

impl<'de> Deserialize<'de> for SourceCheck {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = SourceCheck;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an evidence source")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<SourceCheck, A::Error> {
                use serde::de::Error;
                const FIELDS: [&str; 7] = [
                    "type", "doc_type", "number", "date", "issuer", "summary", "target",
                ];
                const DOCUMENT: u32 = 0b11_1110;
                const LINK: u32 = 0b100_0000;
                let mut seen = 0u32;
                let mut document = None;
                while let Some(k) = m.next_key::<&'de str>()? {
                    let Some(i) = FIELDS.iter().position(|f| *f == k) else {
                        m.next_value::<serde::de::IgnoredAny>()?;
                        continue;
                    };
                    if seen & (1 << i) != 0 {
                        return Err(A::Error::custom("duplicate field"));
                    }
                    seen |= 1 << i;
                    if i == 0 {
                        document = Some(match m.next_value::<&'de str>()? {
                            "document" => true,
                            "link" => false,
                            _ => return Err(A::Error::custom("unknown type")),
                        });
                    } else {
                        m.next_value::<StrCheck>()?;
                    }
                }
                let want = match document {
                    Some(true) => DOCUMENT,
                    Some(false) => LINK,
                    None => return Err(A::Error::custom("missing type")),
                };
                if seen & want != want {
                    return Err(A::Error::custom("missing field"));
                }
                Ok(SourceCheck)
            }
        }
        d.deserialize_map(V)
    }
}

/// A JSON string, checked and not kept: accepts what `String` accepts.
#[derive(Default)]
struct StrCheck;

impl<'de> Deserialize<'de> for StrCheck {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = StrCheck;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E>(self, _: &str) -> Result<StrCheck, E> {
                Ok(StrCheck)
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<StrCheck, E> {
                // As `String` takes bytes: only valid UTF-8.
                match std::str::from_utf8(v) {
                    Ok(_) => Ok(StrCheck),
                    Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(v), &self)),
                }
            }
        }
        d.deserialize_string(V)
    }
}

/// Shared, read-only state of a run.
struct Run<'a> {
    ctxs: Vec<QCtx<'a>>,
    /// The catalog reduced to the current entry of each questionnaire id, so `store::parse`
    /// scores every file against the same version.
    current: Catalog,
    lang: Lang,
    by: GroupBy,
    /// Rows of the answers CSV are made for each file.
    answers: Option<answers::Layout>,
}

/// A worker's reused space.
#[derive(Default)]
struct Scratch {
    buf: Vec<u8>,
    /// The file's answers, per questionnaire of the run.
    answers: Vec<LeanAnswers>,
    score: LeanScore,
}

impl Run<'_> {
    fn ctx_of(&self, id: &str) -> Option<usize> {
        self.ctxs.iter().position(|c| c.q.id == id)
    }

    /// The fast path (see `fast`): a current-format file saved against the current
    /// questionnaire, every answer fitting it and nothing set aside, read into `out[i]`; `i` is
    /// returned. Its scores are those of what `store::parse` gives for such a file (with no
    /// notes); anything else returns `None` and goes the full way.
    fn fast(&self, text: &str, out: &mut Vec<LeanAnswers>) -> Option<usize> {
        fast::read(&self.ctxs, text, out)
    }

    /// Reads the file at `path` into `scratch.answers[i]` and returns `i` (its questionnaire)
    /// and the notes of its reading.
    fn load(
        &self,
        path: &Path,
        scratch: &mut Scratch,
    ) -> Result<(usize, Vec<LoadNote>), StoreError> {
        let Scratch { buf, answers, .. } = scratch;
        // A regular file under the assessment cap only (a FIFO or a device is refused at once).
        store::read_bytes_into(path, buf)?;
        // The whole file is checked for UTF-8 once, as the full reader requires, and then parsed
        // as text (serde_json checks no string again). Parsed from bytes, strings that are only
        // skipped (the stored scores, unknown response fields) were never checked, so a file
        // the full reader refuses could be taken.
        let text = std::str::from_utf8(buf).map_err(|e| StoreError::Unreadable {
            path: path.to_path_buf(),
            error: crate::fsutil::ReadError::NotUtf8 {
                offset: e.valid_up_to(),
            },
        })?;
        if let Some(ci) = self.fast(text, answers) {
            return Ok((ci, Vec::new()));
        }
        let l = store::parse(text, path, &self.current)?;
        let (ci, a, notes) = self.placed(l)?;
        answers.resize_with(self.ctxs.len(), LeanAnswers::default);
        self.ctxs[ci].scorer.fill(&a, &mut answers[ci]);
        Ok((ci, notes))
    }

    fn placed(&self, l: store::Loaded) -> Result<(usize, Assessment, Vec<LoadNote>), StoreError> {
        let ci = self
            .ctxs
            .iter()
            .position(|c| std::sync::Arc::ptr_eq(&c.entry.questionnaire, &l.questionnaire))
            .or_else(|| self.ctx_of(&l.questionnaire.id))
            .ok_or_else(|| StoreError::UnknownQuestionnaire {
                path: PathBuf::new(),
                id: l.questionnaire.id.clone(),
            })?;
        Ok((ci, l.assessment, l.notes))
    }

    fn process(&self, path: &Path, scratch: &mut Scratch) -> Outcome {
        let file = path.display().to_string();
        match self.load(path, scratch) {
            Err(e) => Outcome::Skipped {
                file,
                error: e.render(self.lang),
            },
            Ok((ci, notes)) => Outcome::Used(Box::new(self.record(
                file,
                ci,
                &scratch.answers[ci],
                notes,
                &mut scratch.score,
            ))),
        }
    }

    fn record(
        &self,
        file: String,
        ci: usize,
        a: &LeanAnswers,
        notes: Vec<LoadNote>,
        s: &mut LeanScore,
    ) -> Record {
        let ctx = &self.ctxs[ci];
        ctx.scorer.score_into(a, s);
        let flags = s
            .questions
            .iter()
            .map(|qs| match qs.status {
                Status::DontKnow => ANSWERED | DONT_KNOW | WEAK,
                Status::Answered if qs.value.is_some_and(|v| v < WEAK_BELOW) => ANSWERED | WEAK,
                Status::Answered => ANSWERED,
                _ => 0,
            })
            .collect();
        let mut answers = Vec::new();
        if let Some(layout) = &self.answers {
            layout.rows(&mut answers, &file, ctx.q, a, &ctx.scorer, s);
        }
        Record {
            organisation: ctx
                .org_field
                .and_then(|f| ctx.scorer.profile(a, f))
                .map(|v| v.text().into_owned())
                .unwrap_or_default(),
            keyed: self.keyed(ctx, a),
            headline: s.headline,
            band: s.headline_band,
            evidenced: s.overall_evidenced,
            coverage: s.coverage,
            shown: s.shown(a),
            dims: s
                .claimed
                .iter()
                .copied()
                .zip(s.evidenced.iter().copied())
                .collect(),
            flags,
            notes,
            answers,
            file,
            ctx: ci,
        }
    }

    /// The group key and label of an assessment: a choice's option id and label, free text
    /// normalised (key) and tidied (label); provinces, old or new name, as the unit in force
    /// since 1 July 2025. `None` when not given, or when grouping by questionnaire.
    fn keyed(&self, ctx: &QCtx, a: &LeanAnswers) -> Option<(String, String)> {
        if self.by == GroupBy::Questionnaire {
            return None;
        }
        let f = ctx.group_field?;
        let raw = ctx
            .scorer
            .profile(a, &f.id)
            .map(|v| v.text())
            .filter(|s| !s.trim().is_empty())?;
        if self.by == GroupBy::Province
            && let Some(p) = crate::provinces::resolve(&raw)
        {
            return Some((p.id.to_string(), p.label(self.lang).to_string()));
        }
        let label = match f.kind {
            ProfileKind::Choice => f
                .option_label(&raw)
                .map(|l| l.get(self.lang).to_string())
                .unwrap_or_else(|| raw.to_string()),
            _ => tidy(&raw),
        };
        Some((group_key(f, &raw), label))
    }
}

/// The files the inputs stand for, in order (see `listing`), as paths; folders that cannot be
/// listed are returned as skipped.
pub(crate) fn expand(inputs: &[PathBuf], lang: Lang) -> (Vec<PathBuf>, Vec<Skipped>) {
    let (l, skipped) = listing::expand(inputs, lang);
    ((0..l.len()).map(|i| l.path(i)).collect(), skipped)
}

/// Chunks of files a worker takes at a time.
const CHUNK: usize = 16;

/// Reads and scores every file on up to [`MAX_WORKERS`] threads and hands the outcomes to
/// `consume` in input order, as they come. Workers stay at most a few chunks ahead of the
/// consumer, so memory does not grow with the number of files.
fn read_streaming(run: &Run, files: &Listing, consume: &mut dyn FnMut(Outcome)) {
    use std::sync::{Condvar, Mutex, mpsc};
    let chunks = files.len().div_ceil(CHUNK);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_WORKERS)
        .min(chunks)
        .max(1);
    let window = 4 * workers;
    let next = AtomicUsize::new(0);
    // Chunks handed over so far; `usize::MAX` once the consumer has stopped.
    let consumed = Mutex::new(0usize);
    let advanced = Condvar::new();
    let internal_error = |p: &Path| Outcome::Skipped {
        file: p.display().to_string(),
        error: format!(
            "{}: {}",
            p.display(),
            tr(
                run.lang,
                "lỗi nội bộ khi đọc tệp này; hãy báo lỗi kèm tệp",
                "internal error while reading this file; please report it with the file"
            )
        ),
    };
    let work = |tx: mpsc::Sender<(usize, Vec<Outcome>)>| {
        let mut scratch = Scratch::default();
        loop {
            let c = next.fetch_add(1, Ordering::Relaxed);
            if c >= chunks {
                break;
            }
            {
                let mut done = consumed.lock().unwrap_or_else(|e| e.into_inner());
                while c >= done.saturating_add(window) {
                    done = advanced.wait(done).unwrap_or_else(|e| e.into_inner());
                }
            }
            let out = (c * CHUNK..files.len().min((c + 1) * CHUNK))
                .map(|i| {
                    let p = files.path(i);
                    // A bug met on one file costs that file (reported as skipped), not the run.
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        run.process(&p, &mut scratch)
                    }))
                    .unwrap_or_else(|_| {
                        scratch = Scratch::default();
                        internal_error(&p)
                    })
                })
                .collect();
            if tx.send((c, out)).is_err() {
                break;
            }
        }
    };
    /// Lets waiting workers go when the consumer stops, even by a panic.
    struct Release<'a>(&'a Mutex<usize>, &'a Condvar);
    impl Drop for Release<'_> {
        fn drop(&mut self) {
            *self.0.lock().unwrap_or_else(|e| e.into_inner()) = usize::MAX;
            self.1.notify_all();
        }
    }
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::channel();
        let mut spawned = 0;
        for _ in 0..workers {
            let tx = tx.clone();
            if std::thread::Builder::new()
                .spawn_scoped(s, || work(tx))
                .is_ok()
            {
                spawned += 1;
            }
        }
        if spawned == 0 {
            // No thread to spare: this one reads.
            work(tx);
        } else {
            drop(tx);
        }
        let _release = Release(&consumed, &advanced);
        let mut pending: BTreeMap<usize, Vec<Outcome>> = BTreeMap::new();
        let mut want = 0;
        for (c, out) in rx {
            pending.insert(c, out);
            while let Some(out) = pending.remove(&want) {
                for o in out {
                    consume(o);
                }
                want += 1;
                *consumed.lock().unwrap_or_else(|e| e.into_inner()) = want;
                advanced.notify_all();
            }
        }
    });
}

/// What is counted of a group of respondents as they come (their scores go to the columns of
/// [`QAcc`], under the group's slot).
#[derive(Debug, Clone, Default)]
struct GroupAcc {
    /// The label of the first respondent seen in the group.
    label: String,
    /// The group's index in the columns (0: "not given").
    slot: u32,
    count: usize,
    /// Respondents per band, lowest first; then those with no headline.
    bands: Vec<usize>,
    unscored: usize,
    /// Per scored question: respondents with it weak, "don't know", answered.
    weak: Vec<[u32; 3]>,
}

impl GroupAcc {
    fn new(ctx: &QCtx, label: String, slot: u32) -> GroupAcc {
        GroupAcc {
            label,
            slot,
            bands: vec![0; ctx.scorer.bands().len()],
            weak: vec![[0; 3]; ctx.scorer.scored_questions().count()],
            ..Default::default()
        }
    }

    fn add(&mut self, r: &Record) {
        self.count += 1;
        match r.band.and_then(|b| self.bands.get_mut(b)) {
            Some(n) => *n += 1,
            None => self.unscored += 1,
        }
        for (w, f) in self.weak.iter_mut().zip(&r.flags) {
            for (i, bit) in [WEAK, DONT_KNOW, ANSWERED].into_iter().enumerate() {
                w[i] += u32::from(f & bit != 0);
            }
        }
    }
}

/// One questionnaire's counts.
struct QAcc {
    all: GroupAcc,
    /// By group key.
    groups: BTreeMap<String, GroupAcc>,
    /// Respondents who did not give the grouping field.
    missing: GroupAcc,
    /// Headline, evidenced overall, then claimed and evidenced of each dimension.
    columns: Vec<Column>,
    rows: Spill,
}

impl QAcc {
    fn new(ctx: &QCtx, lang: Lang) -> QAcc {
        QAcc {
            all: GroupAcc::new(ctx, tr(lang, "Tất cả", "All").to_string(), 0),
            groups: BTreeMap::new(),
            missing: GroupAcc::new(ctx, not_given(lang).to_string(), 0),
            columns: (0..2 + 2 * ctx.q.dimensions.len())
                .map(|_| Column::default())
                .collect(),
            rows: Spill::default(),
        }
    }

    /// Counts a record; its scores go to the columns.
    fn add(&mut self, ctx: &QCtx, rec: &Record) -> std::io::Result<()> {
        self.all.add(rec);
        let slot = match &rec.keyed {
            Some((k, l)) => {
                let next = self.groups.len() as u32 + 1;
                let g = self
                    .groups
                    .entry(k.clone())
                    .or_insert_with(|| GroupAcc::new(ctx, l.clone(), next));
                g.add(rec);
                g.slot
            }
            None => {
                self.missing.add(rec);
                0
            }
        };
        let mut values = [rec.headline, rec.evidenced]
            .into_iter()
            .chain(rec.dims.iter().flat_map(|(c, e)| [*c, *e]));
        for col in &mut self.columns {
            col.push(slot, values.next().flatten())?;
        }
        Ok(())
    }
}

/// Options of a run beyond what is aggregated.
#[derive(Default)]
pub struct RunOptions<'a> {
    /// Called in input order as files are done: (files done, files skipped so far, files in all).
    pub progress: Option<&'a mut dyn FnMut(usize, usize, usize)>,
    /// Write the answers CSV (one row per assessment and question) here as files are read,
    /// instead of keeping respondent rows.
    pub answers: Option<&'a mut dyn std::io::Write>,
    /// Anonymised (as `anonymise::aggregate` makes a whole document): the rows are kept without
    /// file or organisation and written as "respondent 1…n" in the order they are written; the
    /// notes and skipped files are anonymised as the run ends. Not with `answers`.
    pub anonymise: bool,
    /// Called in input order with each respondent's file and the progress count its wizard
    /// shows: (questions shown with an answer of any kind, questions shown), discussion
    /// questions included (the room's dashboard shows it).
    pub shown: Option<&'a mut Shown<'a>>,
}

/// [`RunOptions::shown`]: called with a respondent's file, the questions shown with an answer
/// and the questions shown.
pub type Shown<'a> = dyn FnMut(&str, usize, usize) + 'a;

/// An aggregation done: the document without its respondents, and the respondents' rows, kept
/// out of memory until they are written ([`Aggregation::write_json`], [`Aggregation::write_csv`])
/// or put into the document ([`Aggregation::into_doc`]).
pub struct Aggregation {
    /// `questionnaires[i].respondents` are empty: they are in `rows[i]`.
    pub doc: AggregateDoc,
    rows: Vec<Spill>,
    /// Bands of each questionnaire of the document, lowest first: (id, label).
    bands: Vec<Vec<(String, String)>>,
    /// When anonymised, the respondents of the document before each of its questionnaires: its
    /// rows are written as "respondent n" from there.
    labels: Option<Vec<usize>>,
    /// The first error met while keeping rows or writing the answers CSV.
    error: Option<std::io::Error>,
}

/// Aggregates the assessments in `inputs` (files, or folders of `*.json` files).
pub fn aggregate(inputs: &[PathBuf], catalog: &Catalog, by: GroupBy, lang: Lang) -> AggregateDoc {
    // Rows kept in memory or a temporary file come back whole; a temporary file that cannot be
    // read back leaves its questionnaire's respondents out rather than stopping the caller.
    run(inputs, catalog, by, lang, RunOptions::default()).into_doc()
}

/// Aggregates as [`aggregate`] does, streaming: files are read, scored and counted as they come,
/// and respondent rows are kept aside (or answer rows written to `opts.answers`).
pub fn run(
    inputs: &[PathBuf],
    catalog: &Catalog,
    by: GroupBy,
    lang: Lang,
    mut opts: RunOptions,
) -> Aggregation {
    // The current entry of each questionnaire id, in catalog order.
    let mut ids: Vec<&str> = Vec::new();
    for e in &catalog.entries {
        if !ids.contains(&e.questionnaire.id.as_str()) {
            ids.push(&e.questionnaire.id);
        }
    }
    let entries: Vec<&Entry> = ids.iter().filter_map(|id| catalog.find(id, None)).collect();
    let layout = opts
        .answers
        .is_some()
        .then(|| answers::Layout::new(entries.iter().map(|e| &**e.questionnaire)));
    let run = Run {
        ctxs: entries.iter().map(|e| QCtx::new(e, by)).collect(),
        current: Catalog {
            entries: entries.iter().map(|e| (*e).clone()).collect(),
            errors: Vec::new(),
        },
        lang,
        by,
        answers: layout,
    };
    let (files, mut skipped) = listing::expand(inputs, lang);
    let unlisted = skipped.len();
    let mut error: Option<std::io::Error> = None;
    if let (Some(w), Some(layout)) = (opts.answers.as_mut(), &run.answers)
        && let Err(e) = layout.head(w)
    {
        error.get_or_insert(e);
    }
    let mut accs: Vec<Option<QAcc>> = run.ctxs.iter().map(|_| None).collect();
    let mut notes = Vec::new();
    // When anonymising, each note's respondent: (questionnaire of the run, row in it).
    let mut noted = Vec::new();
    let mut respondents = 0;
    let mut done = 0;
    let total = files.len();
    let keep_rows = opts.answers.is_none();
    let anonymise = opts.anonymise && keep_rows;
    read_streaming(&run, &files, &mut |o| {
        done += 1;
        match o {
            Outcome::Skipped { file, error } => skipped.push(Skipped { file, error }),
            Outcome::Used(rec) => {
                respondents += 1;
                if let Some(f) = opts.shown.as_mut() {
                    f(&rec.file, rec.shown.0, rec.shown.1);
                }
                let ctx = &run.ctxs[rec.ctx];
                let acc = accs[rec.ctx].get_or_insert_with(|| QAcc::new(ctx, lang));
                if !rec.notes.is_empty() {
                    notes.push(file_notes(&rec, lang));
                    if anonymise {
                        noted.push((rec.ctx, acc.rows.rows));
                    }
                }
                if let Err(e) = acc.add(ctx, &rec) {
                    error.get_or_insert(e);
                }
                let written = if keep_rows {
                    let dims: Vec<Option<f64>> =
                        rec.dims.iter().map(|d| d.0.map(scoring::round2)).collect();
                    let (file, organisation) = match anonymise {
                        true => ("", ""),
                        false => (rec.file.as_str(), rec.organisation.as_str()),
                    };
                    acc.rows.push(&spill::Row {
                        file,
                        organisation,
                        group: match (&ctx.group_field, &rec.keyed) {
                            _ if by == GroupBy::Questionnaire => "",
                            (None, _) => "",
                            (Some(_), Some((_, l))) => l,
                            (Some(_), None) => not_given(lang),
                        },
                        headline: rec.headline.map(scoring::round2),
                        band: rec.band,
                        evidenced: rec.evidenced.map(scoring::round2),
                        coverage: rec.coverage,
                        coverage_percent: scoring::round2(rec.coverage.percent()),
                        dimensions: &dims,
                    })
                } else {
                    match opts.answers.as_mut() {
                        Some(w) => w.write_all(&rec.answers),
                        None => Ok(()),
                    }
                };
                if let Err(e) = written {
                    error.get_or_insert(e);
                }
            }
        }
        if let Some(p) = opts.progress.as_mut()
            && (done % CHUNK == 0 || done == total)
        {
            p(done, skipped.len() - unlisted, total);
        }
    });
    // The respondents before each questionnaire of the run, in the document's order.
    let mut before = 0;
    let firsts: Vec<usize> = accs
        .iter()
        .map(|acc| {
            let first = before;
            before += acc.as_ref().map_or(0, |a| a.rows.rows);
            first
        })
        .collect();
    let mut method = tr(
        lang,
        "Trung vị và tứ phân vị: nội suy tuyến tính giữa các hạng gần nhất (như QUARTILE.INC của Excel). Câu trả lời yếu: giá trị dưới 0,5 hoặc \"không biết\".",
        "Median and quartiles: linear interpolation between closest ranks (as Excel's QUARTILE.INC). Weak answer: value below 0.5, or \"don't know\".",
    )
    .to_string();
    let labels = anonymise.then(|| {
        for (n, (ci, row)) in notes.iter_mut().zip(noted) {
            crate::anonymise::note(
                n,
                crate::anonymise::respondent_label(lang, firsts[ci] + row + 1),
            );
        }
        for (i, s) in skipped.iter_mut().enumerate() {
            crate::anonymise::skipped(s, lang, i + 1);
        }
        method = crate::anonymise::method(lang, &method);
        (0..accs.len())
            .filter(|ci| accs[*ci].is_some())
            .map(|ci| firsts[ci])
            .collect()
    });
    let mut rows = Vec::new();
    let mut bands = Vec::new();
    let questionnaires = run
        .ctxs
        .iter()
        .zip(accs)
        .filter_map(|(ctx, acc)| Some((ctx, acc?)))
        .map(|(ctx, acc)| {
            bands.push(
                ctx.scorer
                    .bands()
                    .iter()
                    .map(|b| (b.id.clone(), b.label.get(lang).to_string()))
                    .collect(),
            );
            let (qa, spill, failed) = questionnaire_aggregate(ctx, acc, by, lang);
            if let Some(e) = failed {
                error.get_or_insert(e);
            }
            rows.push(spill);
            qa
        })
        .collect();
    Aggregation {
        doc: AggregateDoc {
            aggregate_version: AGGREGATE_VERSION,
            lang,
            generated_at: store::now(),
            group_by: by,
            group_by_label: by.label(lang).to_string(),
            files: files.len() + unlisted,
            respondents,
            method,
            questionnaires,
            skipped,
            notes,
        },
        rows,
        bands,
        labels,
        error,
    }
}

impl Aggregation {
    /// The first error met while reading (writing the answers CSV, or keeping rows aside).
    pub fn take_error(&mut self) -> Option<std::io::Error> {
        self.error.take()
    }

    /// The whole document, respondents included (for the formats made in memory).
    pub fn into_doc(mut self) -> AggregateDoc {
        for qi in 0..self.rows.len() {
            let mut respondents = Vec::with_capacity(self.rows[qi].rows);
            let _ = self.for_each_respondent(qi, &mut |r| {
                respondents.push(r);
                Ok(())
            });
            self.doc.questionnaires[qi].respondents = respondents;
        }
        self.doc
    }
}

fn file_notes(rec: &Record, lang: Lang) -> FileNotes {
    FileNotes {
        file: rec.file.clone(),
        saved_version: rec.notes.iter().find_map(|n| match n {
            LoadNote::QuestionnaireChanged { saved_version, .. } => Some(saved_version.clone()),
            _ => None,
        }),
        unmatched: rec
            .notes
            .iter()
            .filter_map(|n| match n {
                LoadNote::Orphaned { id, .. } => Some(id.clone()),
                _ => None,
            })
            .collect(),
        notes: rec.notes.iter().map(|n| n.render(lang)).collect(),
    }
}

/// The key a group value is compared by: option ids as they are; free text in NFC, trimmed, inner
/// white space collapsed, lower case (so "Hà Nội", " hà  nội" and a decomposed "Hà Nội" group
/// together).
fn group_key(field: &ProfileField, raw: &str) -> String {
    if field.kind == ProfileKind::Choice {
        return raw.to_string();
    }
    use unicode_normalization::UnicodeNormalization;
    tidy(raw).nfc().collect::<String>().to_lowercase()
}

fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn not_given(lang: Lang) -> &'static str {
    tr(lang, "(chưa khai)", "(not given)")
}

fn questionnaire_aggregate(
    ctx: &QCtx,
    acc: QAcc,
    by: GroupBy,
    lang: Lang,
) -> (QuestionnaireAggregate, Spill, Option<std::io::Error>) {
    let q = ctx.q;
    let field = if by == GroupBy::Questionnaire {
        None
    } else {
        ctx.group_field
    };
    let QAcc {
        all,
        mut groups,
        missing,
        mut columns,
        rows,
    } = acc;
    // Each column's statistics for everyone and per group slot, one column in memory at a time.
    let slots = groups.len() + 1;
    let mut failed = None;
    let col_stats: Vec<(Option<Stats>, Vec<Option<Stats>>)> = columns
        .iter_mut()
        .map(|c| {
            c.stats(slots).unwrap_or_else(|e| {
                failed.get_or_insert(e);
                (None, vec![None; slots])
            })
        })
        .collect();
    drop(columns);
    let stats_of = |slot: Option<u32>, col: usize| {
        let (everyone, per) = &col_stats[col];
        match slot {
            None => *everyone,
            Some(s) => per.get(s as usize).copied().flatten(),
        }
        .map(Stats::rounded)
    };
    let mut out = Vec::new();
    if by != GroupBy::Questionnaire {
        // Keys in order: a choice field's options first, then other values sorted, "not given"
        // last.
        let mut order: Vec<String> = Vec::new();
        if let Some(f) = field.filter(|f| f.kind == ProfileKind::Choice) {
            order.extend(
                f.options
                    .iter()
                    .filter(|o| groups.contains_key(&o.id))
                    .map(|o| o.id.clone()),
            );
        }
        for k in groups.keys() {
            if !order.contains(k) {
                order.push(k.clone());
            }
        }
        if by == GroupBy::Province {
            // Provinces in their official order (cities first), then any other text.
            order.sort_by_key(|k| {
                crate::provinces::PROVINCES
                    .iter()
                    .position(|p| p.id == k)
                    .unwrap_or(usize::MAX)
            });
        }
        for k in order {
            if let Some(g) = groups.remove(&k) {
                let slot = Some(g.slot);
                out.push(group_aggregate(ctx, g, Some(k), lang, &|c| {
                    stats_of(slot, c)
                }));
            }
        }
        if missing.count > 0 {
            out.push(group_aggregate(ctx, missing, None, lang, &|c| {
                stats_of(Some(0), c)
            }));
        }
    }
    let bands = ctx.scorer.bands();
    let qa = QuestionnaireAggregate {
        id: q.id.clone(),
        version: q.version.clone(),
        title: q.title.get(lang).to_string(),
        group_field: field.map(|f| FieldRef {
            id: f.id.clone(),
            label: f.label.get(lang).to_string(),
        }),
        dimensions: q
            .dimensions
            .iter()
            .map(|d| DimensionInfo {
                id: d.id.clone(),
                group: d.group,
                group_label: d.group.label(lang).to_string(),
                label: d.label.get(lang).to_string(),
            })
            .collect(),
        bands: bands
            .iter()
            .map(|b| BandInfo {
                id: b.id.clone(),
                label: b.label.get(lang).to_string(),
                min: b.min,
                max: b.max,
            })
            .collect(),
        all: group_aggregate(ctx, all, None, lang, &|c| stats_of(None, c)),
        groups: out,
        respondents: Vec::new(),
    };
    (qa, rows, failed)
}

/// A group's part of the document; `stats` gives the group's rounded statistics of a column
/// (headline, evidenced, then claimed and evidenced of each dimension).
fn group_aggregate(
    ctx: &QCtx,
    g: GroupAcc,
    key: Option<String>,
    lang: Lang,
    stats: &dyn Fn(usize) -> Option<Stats>,
) -> GroupAggregate {
    let q = ctx.q;
    let mut band_counts: Vec<BandCount> = ctx
        .scorer
        .bands()
        .iter()
        .zip(&g.bands)
        .map(|(b, n)| BandCount {
            id: Some(b.id.clone()),
            label: b.label.get(lang).to_string(),
            count: *n,
        })
        .collect();
    if g.unscored > 0 {
        band_counts.push(BandCount {
            id: None,
            label: tr(lang, "chưa có điểm", "no score yet").to_string(),
            count: g.unscored,
        });
    }
    let dimension_groups = Group::ALL
        .iter()
        .filter(|grp| q.dimensions.iter().any(|d| d.group == **grp))
        .map(|grp| DimensionGroupStats {
            group: *grp,
            label: grp.label(lang).to_string(),
            dimensions: q
                .dimensions
                .iter()
                .enumerate()
                .filter(|(_, d)| d.group == *grp)
                .map(|(i, d)| DimensionStats {
                    id: d.id.clone(),
                    label: d.label.get(lang).to_string(),
                    claimed: stats(2 + 2 * i),
                    evidenced: stats(3 + 2 * i),
                })
                .collect(),
        })
        .collect();
    let mut weak: Vec<(usize, WeakItem)> = ctx
        .scorer
        .scored_questions()
        .zip(&g.weak)
        .enumerate()
        .filter(|(_, (_, w))| w[0] > 0)
        .map(|(i, (question, w))| {
            (
                i,
                WeakItem {
                    question_id: question.id.clone(),
                    question: question.text.get(lang).to_string(),
                    weak: w[0] as usize,
                    dont_know: w[1] as usize,
                    answered: w[2] as usize,
                    recommendation: question
                        .recommendation
                        .as_ref()
                        .map(|t| t.get(lang).to_string())
                        .unwrap_or_default(),
                },
            )
        })
        .collect();
    weak.sort_by(|a, b| b.1.weak.cmp(&a.1.weak).then(a.0.cmp(&b.0)));
    GroupAggregate {
        key,
        label: g.label.clone(),
        count: g.count,
        headline: stats(0),
        evidenced: stats(1),
        bands: band_counts,
        dimension_groups,
        weak: weak.into_iter().map(|(_, w)| w).collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// Output.

/// The JSON aggregate: the document itself, pretty-printed.
pub fn to_json(doc: &AggregateDoc) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON Schema of [`AggregateDoc`] (published as `schemas/aggregate.schema.json`).
pub fn schema() -> String {
    let mut s =
        serde_json::to_string_pretty(&schemars::schema_for!(AggregateDoc)).unwrap_or_default();
    s.push('\n');
    s
}

fn num(x: Option<f64>) -> String {
    x.map(|v| {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    })
    .unwrap_or_default()
}

/// One row per respondent (all questionnaires): file, questionnaire, organisation, group,
/// headline, band, evidenced, coverage, then the claimed score of every dimension (the union of
/// the questionnaires' dimension ids, in order of first appearance). UTF-8, with a byte-order mark
/// when `bom` (for Excel).
pub fn to_csv(doc: &AggregateDoc, bom: bool) -> String {
    to_csv_with(
        doc,
        &crate::output::CsvOptions {
            bom,
            ..Default::default()
        },
    )
}

/// The fixed columns of the respondents' CSV, in the reader's language.
pub fn csv_head(l: Lang) -> Vec<&'static str> {
    vec![
        tr(l, "tệp", "file"),
        tr(l, "bộ câu hỏi", "questionnaire"),
        tr(l, "tổ chức", "organisation"),
        tr(l, "nhóm", "group"),
        tr(l, "điểm", "score"),
        tr(l, "mức", "band"),
        tr(l, "điểm có minh chứng", "evidenced score"),
        tr(l, "độ bao phủ (%)", "coverage (%)"),
        tr(l, "đã trả lời", "answered"),
        tr(l, "áp dụng", "applicable"),
        tr(l, "không biết", "don't know"),
    ]
}

/// The dimension ids of every questionnaire, in order of first appearance.
pub fn dimension_ids(doc: &AggregateDoc) -> Vec<&str> {
    let mut dim_ids: Vec<&str> = Vec::new();
    for qa in &doc.questionnaires {
        for d in &qa.dimensions {
            if !dim_ids.contains(&d.id.as_str()) {
                dim_ids.push(&d.id);
            }
        }
    }
    dim_ids
}

/// The respondents' CSV with a chosen delimiter; text cells (file names, organisations, which
/// participants choose themselves in a workshop room) are neutralised against formula injection.
pub fn to_csv_with(doc: &AggregateDoc, opts: &crate::output::CsvOptions) -> String {
    let dim_ids = dimension_ids(doc);
    let mut rows = vec![csv_header(doc.lang, &dim_ids)];
    for qa in &doc.questionnaires {
        for r in &qa.respondents {
            rows.push(csv_row(qa, r, &dim_ids, opts));
        }
    }
    crate::output::write_csv(&rows, opts)
}

/// The respondents' CSV header: the fixed columns, then the dimension ids.
fn csv_header(l: Lang, dim_ids: &[&str]) -> Vec<String> {
    use crate::output::neutralise as n;
    let mut head: Vec<String> = csv_head(l).iter().map(|s| s.to_string()).collect();
    head.extend(dim_ids.iter().map(|s| n(s)));
    head
}

/// One respondent's row of the CSV.
fn csv_row(
    qa: &QuestionnaireAggregate,
    r: &Respondent,
    dim_ids: &[&str],
    opts: &crate::output::CsvOptions,
) -> Vec<String> {
    use crate::output::neutralise as n;
    let mut row = vec![
        n(&r.file),
        n(&qa.id),
        n(&r.organisation),
        n(&r.group),
        opts.number(r.headline),
        n(&r.band.as_ref().map(|b| b.label.clone()).unwrap_or_default()),
        opts.number(r.evidenced),
        opts.number(Some(r.coverage_percent)),
        r.coverage.answered.to_string(),
        r.coverage.applicable.to_string(),
        r.coverage.dont_know.to_string(),
    ];
    for id in dim_ids {
        let v = qa
            .dimensions
            .iter()
            .position(|d| d.id == *id)
            .and_then(|i| r.dimensions.get(i).copied().flatten());
        row.push(opts.number(v));
    }
    row
}

/// Weak items shown per group in Markdown (the JSON has them all).
pub const MARKDOWN_WEAK_ITEMS: usize = 10;

fn stats_cells(s: &Option<Stats>) -> Vec<String> {
    match s {
        None => {
            let mut v = vec!["0".to_string()];
            v.extend(std::iter::repeat_n("—".to_string(), 6));
            v
        }
        Some(s) => vec![
            s.count.to_string(),
            num(Some(s.mean)),
            num(Some(s.min)),
            num(Some(s.q1)),
            num(Some(s.median)),
            num(Some(s.q3)),
            num(Some(s.max)),
        ],
    }
}

fn markdown_group(m: &mut String, g: &GroupAggregate, l: Lang, level: &str) {
    m.push_str(&format!("{level} {} (n = {})\n\n", esc(&g.label), g.count));
    let head = [
        tr(l, "Chỉ số", "Measure"),
        "n",
        tr(l, "TB", "Mean"),
        "Min",
        "Q1",
        tr(l, "Trung vị", "Median"),
        "Q3",
        "Max",
    ];
    let right = [false, true, true, true, true, true, true, true];
    let mut rows = Vec::new();
    let mut row = |name: String, s: &Option<Stats>| {
        let mut r = vec![name];
        r.extend(stats_cells(s));
        rows.push(r);
    };
    row(
        format!("**{}**", esc(tr(l, "Điểm chung", "Headline"))),
        &g.headline,
    );
    row(
        esc(tr(l, "Điểm chung có minh chứng", "Headline, evidenced")),
        &g.evidenced,
    );
    for dg in &g.dimension_groups {
        for d in &dg.dimensions {
            row(
                format!("{} · {} {}", esc(&dg.label), esc(&d.id), esc(&d.label)),
                &d.claimed,
            );
        }
    }
    table(m, &head, &rows, &right);
    let bands: Vec<String> = g
        .bands
        .iter()
        .map(|b| format!("{} {}", esc(&b.label), b.count))
        .collect();
    m.push_str(&format!(
        "{}: {}\n\n",
        esc(tr(l, "Theo mức", "By band")),
        bands.join(" · ")
    ));
    if g.weak.is_empty() {
        m.push_str(&format!(
            "{}\n\n",
            esc(tr(l, "Không có câu trả lời yếu.", "No weak answers."))
        ));
        return;
    }
    m.push_str(&format!(
        "**{}**\n\n",
        esc(tr(
            l,
            "Các điểm yếu phổ biến nhất",
            "Most common weak items"
        ))
    ));
    let rows: Vec<Vec<String>> = g
        .weak
        .iter()
        .take(MARKDOWN_WEAK_ITEMS)
        .map(|w| {
            vec![
                format!("{} {}", esc(&w.question_id), esc(&w.question)),
                format!("{}/{}", w.weak, w.answered),
                w.dont_know.to_string(),
                esc(&w.recommendation),
            ]
        })
        .collect();
    table(
        m,
        &[
            tr(l, "Câu hỏi", "Question"),
            tr(l, "Yếu/đã trả lời", "Weak/answered"),
            tr(l, "Không biết", "Don't know"),
            tr(l, "Khuyến nghị", "Recommendation"),
        ],
        &rows,
        &[false, true, true, false],
    );
}

/// The respondents of each questionnaire of a document (by its index in
/// `AggregateDoc::questionnaires`), given one at a time, in input order, as often as asked: from
/// the document itself ([`InDoc`]), or read back from where a run kept them
/// ([`Aggregation::write_markdown`] and the other writers).
pub trait Respondents {
    fn each(
        &mut self,
        qi: usize,
        f: &mut dyn FnMut(&Respondent) -> std::io::Result<()>,
    ) -> std::io::Result<()>;
}

/// The respondents a whole document holds.
pub struct InDoc<'a>(pub &'a AggregateDoc);

impl Respondents for InDoc<'_> {
    fn each(
        &mut self,
        qi: usize,
        f: &mut dyn FnMut(&Respondent) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        self.0
            .questionnaires
            .get(qi)
            .map_or(&[][..], |qa| &qa.respondents)
            .iter()
            .try_for_each(f)
    }
}

/// The aggregate as Markdown (GitHub-flavoured, padded so it also reads as plain text).
pub fn to_markdown(doc: &AggregateDoc) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and every piece written is UTF-8.
    let _ = write_markdown(doc, &mut InDoc(doc), &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// One respondent's cells in the Markdown table.
fn markdown_row(qa: &QuestionnaireAggregate, r: &Respondent) -> Vec<String> {
    let mut row = vec![esc(&r.file), esc(&r.organisation)];
    if qa.group_field.is_some() {
        row.push(esc(&r.group));
    }
    row.extend([
        r.headline.map_or("—".to_string(), |v| num(Some(v))),
        r.band.as_ref().map_or("—".to_string(), |b| esc(&b.label)),
        format!(
            "{}/{} ({}%)",
            r.coverage.answered,
            r.coverage.applicable,
            num(Some(r.coverage_percent))
        ),
    ]);
    row
}

/// The aggregate as Markdown ([`to_markdown`]'s bytes), written as it is made: the respondents
/// come from `rows`, read twice (the table's widths, then its lines), never all held.
pub fn write_markdown(
    doc: &AggregateDoc,
    rows: &mut dyn Respondents,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let l = doc.lang;
    let mut m = String::with_capacity(16 * 1024);
    m.push_str(&format!(
        "# {}\n\n",
        esc(tr(l, "Tổng hợp đánh giá", "Aggregated assessments"))
    ));
    for (k, v) in [
        (tr(l, "Ngày lập", "Generated"), doc.generated_at.clone()),
        (tr(l, "Số tệp", "Files"), doc.files.to_string()),
        (
            tr(l, "Số người trả lời", "Respondents"),
            doc.respondents.to_string(),
        ),
        (
            tr(l, "Tệp bị bỏ qua", "Files skipped"),
            doc.skipped.len().to_string(),
        ),
        (tr(l, "Nhóm theo", "Grouped by"), doc.group_by_label.clone()),
    ] {
        m.push_str(&format!("- **{}:** {}\n", esc(k), esc(&v)));
    }
    m.push_str(&format!("\n*{}*\n\n", esc(&doc.method)));
    if doc.questionnaires.is_empty() {
        m.push_str(&format!(
            "{}\n\n",
            esc(tr(
                l,
                "Không có đánh giá nào đọc được.",
                "No assessment could be read."
            ))
        ));
    }
    for (qi, qa) in doc.questionnaires.iter().enumerate() {
        m.push_str(&format!(
            "## {} ({} {} {})\n\n",
            esc(&qa.title),
            esc(&qa.id),
            tr(l, "phiên bản", "version"),
            esc(&qa.version)
        ));
        if let Some(f) = &qa.group_field {
            m.push_str(&format!(
                "{}: {}\n\n",
                esc(tr(l, "Nhóm theo trường", "Grouped by the field")),
                esc(&f.label)
            ));
        } else if doc.group_by != GroupBy::Questionnaire {
            m.push_str(&format!(
                "{}\n\n",
                esc(tr(
                    l,
                    "Bộ câu hỏi này không có trường để nhóm theo tiêu chí đã chọn.",
                    "This questionnaire has no field for the chosen grouping."
                ))
            ));
        }
        markdown_group(&mut m, &qa.all, l, "###");
        for g in &qa.groups {
            markdown_group(&mut m, g, l, "###");
        }
        m.push_str(&format!(
            "### {}\n\n",
            esc(tr(l, "Người trả lời", "Respondents"))
        ));
        let mut head = vec![tr(l, "Tệp", "File"), tr(l, "Tổ chức", "Organisation")];
        if qa.group_field.is_some() {
            head.push(tr(l, "Nhóm", "Group"));
        }
        head.extend([
            tr(l, "Điểm", "Score"),
            tr(l, "Mức", "Band"),
            tr(l, "Độ bao phủ", "Coverage"),
        ]);
        let mut right = vec![false, false];
        if qa.group_field.is_some() {
            right.push(false);
        }
        right.extend([true, false, true]);
        let mut t = crate::report::markdown::Table::new(&head, &right);
        rows.each(qi, &mut |r| {
            t.fit(&markdown_row(qa, r));
            Ok(())
        })?;
        m.push_str(&t.head());
        w.write_all(m.as_bytes())?;
        m.clear();
        rows.each(qi, &mut |r| {
            w.write_all(t.row(&markdown_row(qa, r)).as_bytes())
        })?;
        m.push('\n');
    }
    if !doc.notes.is_empty() {
        m.push_str(&format!(
            "## {}\n\n",
            esc(tr(l, "Ghi chú theo tệp", "Notes per file"))
        ));
        for n in &doc.notes {
            m.push_str(&format!("- `{}`\n", n.file.replace('`', "'")));
            for t in &n.notes {
                m.push_str(&format!("  - {}\n", esc(t)));
            }
        }
        m.push('\n');
    }
    if !doc.skipped.is_empty() {
        m.push_str(&format!(
            "## {}\n\n",
            esc(tr(l, "Tệp bị bỏ qua", "Files skipped"))
        ));
        for s in &doc.skipped {
            m.push_str(&format!("- `{}`\n", s.file.replace('`', "'")));
            for line in s.error.lines() {
                m.push_str(&format!("  - {}\n", esc(line.trim())));
            }
        }
        m.push('\n');
    }
    m.push_str(&format!(
        "---\n\n{}\n",
        esc(tr(l, "Lập bằng sansang", "Made with sansang"))
    ));
    w.write_all(m.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "expected {b}, got {a}");
    }

    #[test]
    fn quantiles_interpolate_between_closest_ranks() {
        // 1 2 3 4: h = 3p. Q1: h 0.75 → 1 + 0.75·1 = 1.75; median h 1.5 → 2.5; Q3 h 2.25 → 3.25.
        let v = [1.0, 2.0, 3.0, 4.0];
        close(quantile(&v, 0.25).unwrap(), 1.75);
        close(quantile(&v, 0.5).unwrap(), 2.5);
        close(quantile(&v, 0.75).unwrap(), 3.25);
        close(quantile(&v, 0.0).unwrap(), 1.0);
        close(quantile(&v, 1.0).unwrap(), 4.0);
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn stats_of_unsorted_values() {
        // Sorted: 10 20 40 50 80 (n 5, h = 4p): Q1 h1 → 20, median h2 → 40, Q3 h3 → 50;
        // mean 200/5 = 40.
        let s = stats(&[50.0, 10.0, 80.0, 20.0, 40.0]).unwrap();
        assert_eq!(s.count, 5);
        close(s.mean, 40.0);
        close(s.min, 10.0);
        close(s.q1, 20.0);
        close(s.median, 40.0);
        close(s.q3, 50.0);
        close(s.max, 80.0);
        // Sorted: 0 25 62.5 65 90 100 (n 6, h = 5p): Q1 h 1.25 → 25 + 0.25·37.5 = 34.375;
        // median h 2.5 → 63.75; Q3 h 3.75 → 65 + 0.75·25 = 83.75; mean 342.5/6 = 57.0833…
        let s = stats(&[100.0, 62.5, 0.0, 90.0, 25.0, 65.0]).unwrap();
        close(s.q1, 34.375);
        close(s.median, 63.75);
        close(s.q3, 83.75);
        close(s.mean, 342.5 / 6.0);
        let r = s.rounded();
        close(r.q1, 34.38);
        close(r.mean, 57.08);
    }

    #[test]
    fn one_value_and_no_values() {
        let s = stats(&[42.5]).unwrap();
        assert_eq!(s.count, 1);
        for x in [s.mean, s.min, s.q1, s.median, s.q3, s.max] {
            close(x, 42.5);
        }
        assert_eq!(stats(&[]), None);
        assert_eq!(stats(&[f64::NAN]), None);
        // Two values: median halfway, quartiles a quarter of the way in.
        let s = stats(&[60.0, 20.0]).unwrap();
        close(s.median, 40.0);
        close(s.q1, 30.0);
        close(s.q3, 50.0);
    }

    #[test]
    fn group_by_parses_and_finds_fields() {
        assert_eq!(GroupBy::parse("Province"), Some(GroupBy::Province));
        assert_eq!(GroupBy::parse("x"), None);
        assert!("x".parse::<GroupBy>().unwrap_err().contains("province"));
        let c = Catalog::builtin();
        let field = |qid: &str, by: GroupBy| {
            let e = c.find(qid, None).unwrap();
            by.field(&e.questionnaire).map(|f| f.id.clone())
        };
        assert_eq!(field("agency", GroupBy::Type).as_deref(), Some("level"));
        assert_eq!(field("sme", GroupBy::Type).as_deref(), Some("size"));
        assert_eq!(
            field("workshop", GroupBy::Type).as_deref(),
            Some("org_type")
        );
        assert_eq!(
            field("agency", GroupBy::Province).as_deref(),
            Some("province_name")
        );
        assert_eq!(field("sme", GroupBy::Province).as_deref(), Some("province"));
        assert_eq!(field("workshop", GroupBy::Province), None);
        assert_eq!(field("sme", GroupBy::Sector).as_deref(), Some("sector"));
        assert_eq!(field("agency", GroupBy::Questionnaire), None);
    }

    #[test]
    fn text_group_keys_ignore_case_spacing_and_normal_form() {
        let f = ProfileField {
            id: "province".into(),
            kind: ProfileKind::Text,
            label: crate::i18n::Text::new("Tỉnh", "Province"),
            help: None,
            required: false,
            options: vec![],
            unit: None,
            min: None,
            max: None,
            integer: false,
            show_if: None,
            list: None,
        };
        let decomposed = "Ha\u{300} No\u{323}\u{302}i";
        assert_eq!(group_key(&f, " Hà  Nội "), group_key(&f, "hà nội"));
        assert_eq!(group_key(&f, decomposed), group_key(&f, "Hà Nội"));
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;
    use crate::assessment::{Evidence, EvidenceSource, ProfileValue, Response, Ynp};
    use crate::scoring::lean::Given;

    /// The fast path must give the scores `store::parse` gives, evidence and comments included.
    #[test]
    fn fast_path_scores_like_the_store() {
        let catalog = Catalog::builtin();
        let entry = catalog.find("agency", None).unwrap();
        let q = &entry.questionnaire;
        let now = "2026-11-24T10:00:00Z";
        let mut a = Assessment::new(q, &entry.hash, now);
        for (id, v) in [
            ("org_name", ProfileValue::Text("Sở A".into())),
            ("level", ProfileValue::Text("province".into())),
            ("target_year", ProfileValue::Text("2025".into())),
            ("systems", ProfileValue::Number(3.0)),
        ] {
            a.set_profile(q, id, v, now).unwrap();
        }
        for (i, (_, question)) in q.questions().enumerate() {
            let r = match question.kind {
                crate::questionnaire::QuestionKind::Scale => Response::Scale {
                    level: (i % 5) as u8,
                },
                crate::questionnaire::QuestionKind::Ynp => Response::Ynp {
                    choice: [Ynp::Yes, Ynp::Partly, Ynp::No][i % 3],
                },
                crate::questionnaire::QuestionKind::Checklist => {
                    let n = question.options.len();
                    let ticked = [i % n, (i + 1) % n].into_iter();
                    let ticked = ticked.filter(|o| !question.options[*o].exclusive);
                    Response::Checklist {
                        selected: ticked.map(|o| question.options[o].id.clone()).collect(),
                    }
                }
                crate::questionnaire::QuestionKind::Number => Response::Number {
                    value: (i % 90) as f64,
                },
                crate::questionnaire::QuestionKind::Text => Response::Text {
                    text: "ghi chú \"trích dẫn\"".into(),
                },
            };
            let r = match i % 11 {
                0 => Response::DontKnow,
                5 if question.allow_na => Response::NotApplicable,
                7 if question.allow_alternate => Response::Alternate {
                    justification: "dùng hệ thống của tỉnh; \"=x\"".into(),
                },
                _ => r,
            };
            let _ = a.set_response(q, &question.id, r, now);
            if let Some(ans) = a.answers.get_mut(&question.id) {
                ans.comment = "bình luận".into();
                ans.marked_for_review = i % 2 == 0;
                // Interview mode and re-assessment: the basis counts as evidence of its grade.
                if i % 4 == 1 {
                    ans.basis = Some(EvidenceGrade::DocumentSeen);
                    ans.respondent = Some("p1".into());
                    ans.carried = true;
                }
                if i % 3 == 0 {
                    ans.evidence.push(Evidence {
                        grade: [
                            EvidenceGrade::Stated,
                            EvidenceGrade::DocumentSeen,
                            EvidenceGrade::Verified,
                        ][i % 3],
                        source: EvidenceSource::Link {
                            target: "https://example.vn/qd".into(),
                        },
                        note: "ghi chú".into(),
                    });
                }
            }
        }
        a.interview = Some(crate::assessment::Interview {
            enabled: true,
            interviewer: "Minh".into(),
            ..Default::default()
        });
        a.section_seconds.insert("f1".into(), 90);
        for kind in [
            "not_applicable",
            "alternate",
            "dont_know",
            "checklist",
            "text",
        ] {
            let given = a
                .answers
                .values()
                .filter(|x| x.response.kind_code() == kind);
            assert!(given.count() > 0, "no {kind} answer");
        }
        let text = store::to_json(&a, q);
        let run = run_of(entry);
        let fast = fast_view(&run, &text).expect("a current file takes the fast path");
        let slow = store::parse(&text, Path::new("x.json"), &catalog).unwrap();
        assert!(slow.notes.is_empty());
        assert_eq!(fast, full_view(&run, &slow.assessment));
        // The lean scores are the full scorer's (`tests/aggregate_stream.rs` checks every number).
        let full = scoring::score(q, &slow.assessment);
        assert_eq!(fast.0.overall, full.overall);
        assert_eq!(fast.0.headline, full.headline);
        assert_eq!(fast.0.coverage, full.coverage);
        assert!(
            fast.0.overall_evidenced.unwrap() > 0.0,
            "evidence is counted"
        );
        // Anything unusual goes the full way.
        for changed in [
            text.replace("\"format_version\": 2", "\"format_version\": 1"),
            text.replace(&entry.hash, "sha256:other"),
            text.replace("\"kind\": \"scale\"", "\"kind\": \"slider\""),
        ] {
            assert!(run.fast(&changed, &mut Vec::new()).is_none());
        }
    }

    /// What the aggregation takes of a file read by the fast reader: its scores, its rows of the
    /// answers CSV (every answer and profile value as given) and its profile, by field.
    type View = (LeanScore, String, Vec<(String, Option<String>)>);

    fn view(run: &Run, ci: usize, a: &LeanAnswers) -> View {
        let ctx = &run.ctxs[ci];
        let score = ctx.scorer.score_answers(a);
        let layout = answers::Layout::new([ctx.q].into_iter());
        let mut rows = Vec::new();
        layout.rows(&mut rows, "x.json", ctx.q, a, &ctx.scorer, &score);
        let profile = ctx
            .q
            .profile
            .iter()
            .map(|f| f.id.clone())
            .chain(a.extra.keys().cloned())
            .map(|id| {
                let v = ctx.scorer.profile(a, &id).map(|v| format!("{v:?}"));
                (id, v)
            })
            .collect();
        (score, String::from_utf8(rows).unwrap(), profile)
    }

    fn fast_view(run: &Run, text: &str) -> Option<View> {
        let mut out = Vec::new();
        let ci = run.fast(text, &mut out)?;
        Some(view(run, ci, &out[ci]))
    }

    fn full_view(run: &Run, a: &Assessment) -> View {
        let mut out = LeanAnswers::default();
        run.ctxs[0].scorer.fill(a, &mut out);
        view(run, 0, &out)
    }

    /// A new assessment of `entry` with only the organisation's name.
    fn named(entry: &Entry, now: &str) -> Assessment {
        let q = &entry.questionnaire;
        let mut a = Assessment::new(q, &entry.hash, now);
        a.set_profile(q, "org_name", ProfileValue::Text("Sở A".into()), now)
            .unwrap();
        a
    }

    fn run_of(entry: &Entry) -> Run<'_> {
        Run {
            ctxs: vec![QCtx::new(entry, GroupBy::Type)],
            current: Catalog {
                entries: vec![entry.clone()],
                errors: vec![],
            },
            lang: Lang::En,
            by: GroupBy::Type,
            answers: None,
        }
    }

    /// A byte that is not UTF-8 inside a string the fast reader only skips (the stored scores):
    /// the full reader refuses the file, so the fast one must not take it either.
    #[test]
    fn a_file_not_in_utf8_is_refused_even_where_the_fast_reader_skips() {
        let catalog = Catalog::builtin();
        let entry = catalog.find("workshop", None).unwrap();
        let q = &entry.questionnaire;
        let now = "2026-11-24T10:00:00Z";
        let a = named(entry, now);
        let text = store::to_json(&a, q);
        assert!(text.contains("\"scores\": {"));
        let dir = tempfile::tempdir().unwrap();
        let run = run_of(entry);
        let mut scratch = Scratch::default();
        let good = dir.path().join("good.json");
        std::fs::write(&good, &text).unwrap();
        assert!(run.load(&good, &mut scratch).is_ok());
        let bad = dir.path().join("bad.json");
        let mut bytes = text
            .replacen("\"scores\": {", "\"scores\": {\"x\": \"\u{1}\",", 1)
            .into_bytes();
        let at = bytes.iter().position(|b| *b == 1).unwrap();
        bytes[at] = 0xff;
        std::fs::write(&bad, &bytes).unwrap();
        assert!(std::str::from_utf8(&bytes).is_err());
        match run.load(&bad, &mut scratch) {
            Err(StoreError::Unreadable {
                error: crate::fsutil::ReadError::NotUtf8 { offset },
                ..
            }) => assert_eq!(offset, at),
            Err(e) => panic!("{}", e.render(Lang::En)),
            Ok(_) => panic!("a file that is not UTF-8 was taken"),
        }
    }

    /// The evidence source checked without being built never accepts what `EvidenceSource`
    /// refuses, and accepts what it accepts in the form files hold, odd cases included (fields
    /// twice, unknown fields, the tag anywhere); serde's rarer forms of internally tagged enums
    /// (a sequence, a variant index as the tag) are refused.
    #[test]
    fn source_check_accepts_what_the_source_does() {
        let doc =
            r#""doc_type":"QĐ","number":"1/QĐ","date":"2025-01-01","issuer":"UBND","summary":"s""#;
        let cases = [
            r#"{"type":"link","target":"https://x.vn"}"#.to_string(),
            r#"{"target":"x","type":"link"}"#.into(),
            r#"{"type":"link","target":"x","zz":[1,{"a":null}]}"#.into(),
            r#"{"type":"link","target":"x","target":"y"}"#.into(),
            r#"{"type":"link","type":"link","target":"x"}"#.into(),
            r#"{"type":"link"}"#.into(),
            r#"{"type":"link","target":null}"#.into(),
            r#"{"type":"link","target":5}"#.into(),
            r#"{"type":"link","target":"\u00e9\n\"q\""}"#.into(),
            r#"{"type":"link","target":"\ud800"}"#.into(),
            r#"{"type":"Link","target":"x"}"#.into(),
            r#"{"type":"other","target":"x"}"#.into(),
            r#"{"type":1,"target":"x"}"#.into(),
            r#"{"type":7,"target":"x"}"#.into(),
            r#"{"type":null,"target":"x"}"#.into(),
            r#"{"target":"x"}"#.into(),
            r#"["link","x"]"#.into(),
            r#"["link"]"#.into(),
            r#"["link","x","y"]"#.into(),
            r#"[1,"x"]"#.into(),
            r#"{}"#.into(),
            r#"[]"#.into(),
            r#""link""#.into(),
            "null".into(),
            "7".into(),
            format!(r#"{{"type":"document",{doc}}}"#),
            format!(r#"{{{doc},"type":"document"}}"#),
            format!(r#"{{"type":0,{doc}}}"#),
            format!(r#"{{"type":"document",{doc},"target":"x"}}"#),
            format!(
                r#"{{"type":"document",{}}}"#,
                doc.replace(r#","summary":"s""#, "")
            ),
            format!(r#"{{"type":"document",{}}}"#, doc.replace(r#""s""#, "[]")),
            r#"["document","a","b","c","d","e"]"#.into(),
            r#"["document","a","b","c","d"]"#.into(),
        ];
        let mut accepted = 0;
        for c in &cases {
            let full = serde_json::from_str::<EvidenceSource>(c).is_ok();
            let check = serde_json::from_str::<SourceCheck>(c).is_ok();
            assert!(
                full || !check,
                "the check took what the source refuses: {c}"
            );
            // Objects with the variant named: what files hold. A list, or the variant's index as
            // the tag, is refused and goes the full way.
            let saved_form =
                c.starts_with('{') && !c.contains(r#""type":0"#) && !c.contains(r#""type":1"#);
            if saved_form {
                assert_eq!(check, full, "{c}");
            }
            accepted += usize::from(check);
        }
        assert!(accepted >= 5 && accepted < cases.len() - 5, "{accepted}");
    }

    /// Every value of `v` replaced in turn by each of `odd`, every object member removed and an
    /// unknown member added to each object: the mutation corpus of the parity test.
    fn mutations(v: &serde_json::Value) -> Vec<serde_json::Value> {
        use serde_json::{Value, json};
        let odd = [
            json!(5),
            json!(-1),
            json!(1e300),
            json!("yes"),
            json!(""),
            json!(null),
            json!(true),
            json!([]),
            json!({}),
            json!([1]),
        ];
        let mut pointers = Vec::new();
        fn walk(v: &Value, at: String, out: &mut Vec<String>) {
            out.push(at.clone());
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        walk(
                            x,
                            format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                            out,
                        )
                    }
                }
                Value::Array(a) => {
                    for (i, x) in a.iter().enumerate() {
                        walk(x, format!("{at}/{i}"), out)
                    }
                }
                _ => {}
            }
        }
        walk(v, String::new(), &mut pointers);
        let mut out = Vec::new();
        for p in pointers.iter().filter(|p| !p.is_empty()) {
            for o in &odd {
                let mut m = v.clone();
                *m.pointer_mut(p).unwrap() = o.clone();
                out.push(m);
            }
            let (parent, key) = p.rsplit_once('/').unwrap();
            let mut m = v.clone();
            if let Some(Value::Object(obj)) = m.pointer_mut(parent) {
                obj.remove(&key.replace("~1", "/").replace("~0", "~"));
                out.push(m);
            }
        }
        for p in &pointers {
            let mut m = v.clone();
            if let Some(Value::Object(obj)) = m.pointer_mut(p) {
                obj.insert("zz".into(), json!(1));
                out.push(m);
            }
        }
        out
    }

    /// One definition of a valid assessment: whatever the fast reader accepts, the full reader
    /// accepts too, with the same scores (over a corpus of mutated files, the issue's cases
    /// included).
    #[test]
    fn fast_and_full_readers_agree_on_a_mutation_corpus() {
        let catalog = Catalog::builtin();
        let entry = catalog.find("workshop", None).unwrap();
        let q = &entry.questionnaire;
        let now = "2026-11-24T10:00:00Z";
        let mut a = named(entry, now);
        for (i, (_, question)) in q.questions().enumerate().take(8) {
            let r = match question.kind {
                crate::questionnaire::QuestionKind::Scale => Response::Scale { level: 2 },
                crate::questionnaire::QuestionKind::Ynp => Response::Ynp { choice: Ynp::Yes },
                crate::questionnaire::QuestionKind::Checklist => Response::Checklist {
                    selected: vec![question.options[0].id.clone()],
                },
                crate::questionnaire::QuestionKind::Number => Response::Number { value: 5.0 },
                crate::questionnaire::QuestionKind::Text => Response::Text { text: "t".into() },
            };
            let _ = a.set_response(q, &question.id, r, now);
            if let Some(ans) = a.answers.get_mut(&question.id) {
                ans.comment = "c".into();
                ans.marked_for_review = i % 2 == 0;
                if i < 2 {
                    ans.evidence.push(Evidence {
                        grade: EvidenceGrade::Verified,
                        source: EvidenceSource::Document {
                            doc_type: "Quyết định".into(),
                            number: "1/QĐ".into(),
                            date: "2025-01-01".into(),
                            issuer: "UBND".into(),
                            summary: "s".into(),
                        },
                        note: "n".into(),
                    });
                }
            }
        }
        assert!(a.answers.len() >= 6);
        let text = store::to_json(&a, q);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let run = run_of(entry);
        let mut corpus: Vec<String> = mutations(&v)
            .iter()
            .map(|m| serde_json::to_string_pretty(m).unwrap())
            .collect();
        // The cases the issue found: the fast reader took files `score` refused.
        let first = a.answers.keys().next().unwrap().clone();
        let mut issue = Vec::new();
        let mut m = v.clone();
        m.as_object_mut().unwrap().remove("created_at");
        issue.push(m);
        for (field, odd) in [
            ("comment", serde_json::json!(5)),
            ("marked_for_review", serde_json::json!("yes")),
        ] {
            let mut m = v.clone();
            m["answers"][&first][field] = odd;
            issue.push(m);
        }
        let mut m = v.clone();
        m["answers"][&first]["evidence"][0]["source"] = serde_json::json!(7);
        issue.push(m);
        let mut issue: Vec<String> = issue.iter().map(|m| m.to_string()).collect();
        // A key given twice inside a response: the full reader refuses it.
        let twice = v
            .to_string()
            .replacen("\"level\":2}", "\"level\":2,\"level\":3}", 1);
        assert_ne!(twice, v.to_string());
        issue.push(twice);
        for t in &issue {
            assert!(fast_view(&run, t).is_none(), "fast took {t}");
            assert!(store::parse(t, Path::new("x.json"), &catalog).is_err());
        }
        corpus.extend(issue);
        corpus.push(text.clone());
        // An answer given twice: both readers keep the last one.
        let twice = {
            let mut m = v.clone();
            let answers = m.as_object_mut().unwrap().remove("answers").unwrap();
            let mut entries: Vec<String> = answers
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, x)| format!("{}:{x}", serde_json::Value::from(k.as_str())))
                .collect();
            entries.push(format!(
                r#""{first}":{{"response":{{"kind":"dont_know"}},"answered_at":"{now}"}}"#
            ));
            let head = m.to_string();
            format!(
                "{},\"answers\":{{{}}}}}",
                &head[..head.len() - 1],
                entries.join(",")
            )
        };
        let mut out = Vec::new();
        let ci = run
            .fast(&twice, &mut out)
            .expect("the fast reader takes an answer given twice");
        let i = run.ctxs[ci].scorer.question_index(&first).unwrap();
        assert_eq!(out[ci].slots[i].given, Some(Given::DontKnow));
        corpus.push(twice);
        let mut fast_taken = 0;
        for t in &corpus {
            let full = store::parse(t, Path::new("x.json"), &run.current);
            if let Some(fast) = fast_view(&run, t) {
                fast_taken += 1;
                let full = full.unwrap_or_else(|e| {
                    panic!("fast accepted, full refused ({}):\n{t}", e.render(Lang::En))
                });
                assert!(full.notes.is_empty(), "{:?}\n{t}", full.notes);
                assert_eq!(fast, full_view(&run, &full.assessment), "{t}");
            }
        }
        assert!(corpus.len() > 1000, "{}", corpus.len());
        assert!(fast_taken > 10, "the corpus exercises the fast path");
    }
}
