//! Reports people can hand over. `build` gathers everything a report shows, already in the
//! reader's language, into one `ReportDoc`; that document is also the JSON report format
//! (versioned, JSON Schema in `schemas/report.schema.json`), and the Markdown and HTML renderers
//! only lay it out.

pub mod aggregate_html;
pub mod compare;
pub mod form;
pub mod html;
pub mod interview;
pub mod markdown;
pub mod reconcile;
pub mod svg;
pub mod xlsx;

use crate::assessment::{Assessment, ProfileValue, Response, format_number};
use crate::export::{answer_text, evidence_text, grade_label};
use crate::i18n::{Lang, tr};
use crate::questionnaire::{Group, ProfileKind, Questionnaire};
use crate::scoring::{self, Coverage, Report, explain};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// 2: `title`, `subject`, `headline.cap`, and `source` (citations as people read them) on weak
/// items and answers.
pub const REPORT_VERSION: u32 = 2;

/// Everything a report shows, in one language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReportDoc {
    pub report_version: u32,
    pub lang: Lang,
    /// RFC 3339 time the report was made.
    pub generated_at: String,
    pub questionnaire: QuestionnaireInfo,
    /// The report's title, naming the organisation.
    pub title: String,
    /// Who was assessed and for what.
    pub subject: Subject,
    /// The organisation profile as shown: label and value.
    pub organisation: Vec<Field>,
    pub created_at: String,
    pub updated_at: String,
    pub headline: Headline,
    pub coverage: Coverage,
    /// Score groups in order: pillars, foundational tasks, security layers.
    pub groups: Vec<GroupScores>,
    pub warnings: Vec<String>,
    /// Weak answers first (most gain first), with recommendations and seed references.
    pub weakest: Vec<Weak>,
    /// Numeric answers compared with the Decision 749 targets for the respondent's level.
    pub targets: Vec<TargetRow>,
    pub sections: Vec<SectionAnswers>,
    pub bands: Vec<BandInfo>,
    /// Every document and item the questions cite, once, as an auditor finds them in the
    /// official text (the annex lists them; line numbers in the seed texts stay here).
    #[serde(default)]
    pub sources: Vec<CitedSource>,
    /// Interview mode and the time spent per section (when on or measured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interview: Option<interview::InterviewReport>,
    /// A re-assessment: what changed since the assessment it was seeded from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<interview::Changes>,
    /// Show the seed line numbers in HTML and Markdown (`report --sources`, for auditors).
    #[serde(skip)]
    #[schemars(skip)]
    pub auditor: bool,
}

/// One cited item of one document, with the questions that cite it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CitedSource {
    /// "Quyết định 749/QĐ-TTg, mục IV.5.e".
    pub citation: String,
    /// The document's short name ("Quyết định 749/QĐ-TTg") and the item ("mục IV.5.e").
    pub short: String,
    pub item: String,
    /// The document's full name.
    pub name: String,
    pub issuer: String,
    pub date: String,
    pub kind: String,
    /// In force, draft, replaced, reference (in the report's language).
    pub status: String,
    /// Outside the tool's seed documents (to verify).
    pub outside_seeds: bool,
    pub note: Option<String>,
    /// Ids of the questions citing it.
    pub questions: Vec<String>,
    /// Line numbers in the seed text, for auditors.
    pub lines: String,
}

/// The organisation, as the report's first page names it. Empty strings when not given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Subject {
    pub organisation: String,
    /// Administrative level, size or type of organisation.
    pub level: String,
    pub province: String,
    /// The respondent's role ("who answered").
    pub respondent: String,
    /// The year of the Decision 749 targets the answers are measured against.
    pub target_year: String,
}

/// Why the headline was lowered, in plain words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Cap {
    /// The rule, e.g. "Không an toàn thì không chuyển đổi số: …".
    pub rule: String,
    /// One sentence per red flag or gap that holds.
    pub reasons: Vec<String>,
    /// What happened to the score, e.g. "63,8 (Nâng cao) → 39,9 (Đang hình thành)".
    pub effect: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuestionnaireInfo {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Field {
    pub id: String,
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Headline {
    /// After the security rule.
    pub score: Option<f64>,
    pub band: Option<BandRef>,
    /// Before the security rule.
    pub raw_score: Option<f64>,
    pub raw_band: Option<BandRef>,
    pub evidenced: Option<f64>,
    /// The formula with its numbers, e.g. "Overall = (1×65.0 + 1×62.5) / 2 = 63.8".
    pub formula: String,
    /// Set when the security rule lowered the headline.
    pub cap: Option<Cap>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BandRef {
    pub id: String,
    pub label: String,
    /// 0 for the lowest band.
    pub index: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BandInfo {
    pub id: String,
    pub label: String,
    pub min: f64,
    pub max: f64,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GroupScores {
    pub group: Group,
    pub label: String,
    pub dimensions: Vec<DimensionRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DimensionRow {
    pub id: String,
    pub label: String,
    /// 0..100, `None` when nothing is answered.
    pub claimed: Option<f64>,
    pub evidenced: Option<f64>,
    pub band: Option<BandRef>,
    pub coverage: Coverage,
    pub formula: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Weak {
    pub question_id: String,
    pub question: String,
    /// The answer as given ("Don't know", "1 – Planned", …).
    pub answer: String,
    /// Overall points gained if fully met.
    pub gain: f64,
    pub recommendation: String,
    /// Seed references as stored (file code, item, lines), for auditors.
    pub seed: Vec<String>,
    /// The sources as people read them (document name and item), joined by "; ".
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TargetRow {
    pub question_id: String,
    pub question: String,
    pub target_id: String,
    pub target_label: String,
    pub year: String,
    /// The respondent's value of the target's key field (e.g. administrative level), or "*".
    pub applies_to: String,
    pub value: f64,
    pub target: f64,
    /// value / target (1 = met).
    pub ratio: f64,
    pub unit: String,
    /// The same target in the other years (e.g. 2030 when 2025 is chosen), for the same level.
    pub other_years: Vec<YearTarget>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct YearTarget {
    pub year: String,
    pub target: f64,
    pub met: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SectionAnswers {
    pub id: String,
    pub title: String,
    pub answers: Vec<AnswerRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AnswerRow {
    pub question_id: String,
    pub question: String,
    pub kind: String,
    /// answered, don't know, unanswered, not applicable (in the report's language).
    pub status: String,
    pub answer: String,
    /// 0..1 when scored.
    pub value: Option<f64>,
    pub comment: String,
    pub evidence: String,
    pub evidence_grade: String,
    pub marked_for_review: bool,
    /// Seed references as stored, for auditors.
    pub seed: Vec<String>,
    /// The sources as people read them (document name and item), joined by "; ".
    pub source: String,
    /// Interview mode: who gave the answer and how it is known ("Lan (owner) · stated").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub interview: String,
    /// Carried over from an earlier assessment and not yet confirmed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub carried: bool,
}

fn band_ref(q: &Questionnaire, id: Option<&String>, lang: Lang) -> Option<BandRef> {
    let bands = q.bands_sorted();
    let id = id?;
    let index = bands.iter().position(|b| &b.id == id)?;
    Some(BandRef {
        id: id.clone(),
        label: bands[index].label.get(lang).to_string(),
        index,
    })
}

/// The profile value as a person reads it.
pub fn profile_display(q: &Questionnaire, a: &Assessment, id: &str, lang: Lang) -> Option<String> {
    let f = q.profile_field(id)?;
    let v = a.profile.get(id)?;
    Some(match (f.kind, v) {
        (ProfileKind::Choice, ProfileValue::Text(s)) => f
            .options
            .iter()
            .find(|o| &o.id == s)
            .map(|o| o.label.get(lang).to_string())
            .unwrap_or_else(|| s.clone()),
        (_, ProfileValue::Text(s)) => s.clone(),
        (_, ProfileValue::Number(n)) => {
            let unit = f
                .unit
                .as_ref()
                .map(|u| format!(" {}", u.get(lang)))
                .unwrap_or_default();
            format!("{}{unit}", format_number(*n))
        }
    })
}

/// Builds the report of one assessment.
pub fn build(q: &Questionnaire, a: &Assessment, r: &Report, lang: Lang, now: &str) -> ReportDoc {
    let hidden = a.hidden_questions(q);
    let organisation = q
        .profile
        .iter()
        .filter_map(|f| {
            profile_display(q, a, &f.id, lang).map(|value| Field {
                id: f.id.clone(),
                label: f.label.get(lang).to_string(),
                value,
            })
        })
        .collect();
    let groups = Group::ALL
        .iter()
        .filter(|g| q.dimensions.iter().any(|d| d.group == **g))
        .map(|g| GroupScores {
            group: *g,
            label: g.label(lang).to_string(),
            dimensions: r
                .dimensions
                .iter()
                .filter(|d| d.group == *g)
                .map(|d| DimensionRow {
                    id: d.id.clone(),
                    label: q
                        .dimension(&d.id)
                        .map(|x| x.label.get(lang).to_string())
                        .unwrap_or_default(),
                    claimed: d.claimed.map(scoring::round2),
                    evidenced: d.evidenced.map(scoring::round2),
                    band: band_ref(q, d.band.as_ref(), lang),
                    coverage: d.coverage,
                    formula: explain::formula(d, lang),
                })
                .collect(),
        })
        .collect();
    let seeds = |id: &str| {
        q.question(id)
            .map(|x| x.seed.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default()
    };
    let answer_of = |id: &str| {
        q.question(id)
            .zip(a.answers.get(id))
            .map(|(qq, an)| answer_text(qq, &an.response, lang))
            .unwrap_or_else(|| tr(lang, "chưa trả lời", "unanswered").to_string())
    };
    let weakest = r
        .weakest
        .iter()
        .filter_map(|imp| {
            let qq = q.question(&imp.question)?;
            Some(Weak {
                question_id: imp.question.clone(),
                question: qq.text.get(lang).to_string(),
                answer: answer_of(&imp.question),
                gain: scoring::round2(imp.gain),
                recommendation: qq
                    .recommendation
                    .as_ref()
                    .map(|x| x.get(lang).to_string())
                    .unwrap_or_default(),
                seed: seeds(&imp.question),
                source: q.cite_all(&qq.seed, lang),
            })
        })
        .collect();
    let targets = q
        .questions()
        .filter(|(_, qq)| !hidden.contains(&qq.id))
        .filter_map(|(_, qq)| {
            let Some(Response::Number { value }) = a.answers.get(&qq.id).map(|x| &x.response)
            else {
                return None;
            };
            let t = scoring::target_for(q, a, qq)?;
            let target = q.target(&t.target)?;
            let other_years = target
                .values
                .iter()
                .filter(|(year, _)| **year != t.year)
                .filter_map(|(year, by)| {
                    let v = by.get(&t.key).or_else(|| by.get("*"))?;
                    Some(YearTarget {
                        year: year.clone(),
                        target: *v,
                        met: *value >= *v,
                    })
                })
                .collect();
            Some(TargetRow {
                question_id: qq.id.clone(),
                question: qq.text.get(lang).to_string(),
                target_id: t.target.clone(),
                target_label: target.label.get(lang).to_string(),
                year: t.year.clone(),
                applies_to: if t.key == "*" {
                    t.key.clone()
                } else {
                    profile_display(q, a, &target.field, lang).unwrap_or(t.key.clone())
                },
                value: *value,
                target: t.value,
                ratio: scoring::round2(value / t.value),
                unit: qq
                    .unit
                    .as_ref()
                    .map(|u| u.get(lang).to_string())
                    .unwrap_or_default(),
                other_years,
            })
        })
        .collect();
    let sections = q
        .sections
        .iter()
        .map(|s| SectionAnswers {
            id: s.id.clone(),
            title: s.title.get(lang).to_string(),
            answers: s
                .questions
                .iter()
                .filter(|qq| !hidden.contains(&qq.id))
                .map(|qq| {
                    let an = a.answers.get(&qq.id);
                    let qs = r.question(&qq.id);
                    AnswerRow {
                        question_id: qq.id.clone(),
                        question: qq.text.get(lang).to_string(),
                        kind: qq.kind.code().to_string(),
                        status: match (qs, an) {
                            (Some(x), _) => explain::status_label(x.status, lang).to_string(),
                            (None, Some(_)) => tr(lang, "đã trả lời", "answered").to_string(),
                            (None, None) => tr(lang, "chưa trả lời", "unanswered").to_string(),
                        },
                        answer: an
                            .map(|x| answer_text(qq, &x.response, lang))
                            .unwrap_or_default(),
                        value: qs.and_then(|x| x.value).map(scoring::round2),
                        comment: an.map(|x| x.comment.clone()).unwrap_or_default(),
                        evidence: an.map(|x| evidence_text(x, lang)).unwrap_or_default(),
                        evidence_grade: an
                            .and_then(|x| x.evidence.iter().map(|e| e.grade).max())
                            .map(|g| grade_label(g, lang).to_string())
                            .unwrap_or_default(),
                        marked_for_review: an.is_some_and(|x| x.marked_for_review),
                        seed: qq.seed.iter().map(|x| x.to_string()).collect(),
                        source: q.cite_all(&qq.seed, lang),
                        interview: interview::attribution(a, &qq.id, lang),
                        carried: an.is_some_and(|x| x.carried),
                    }
                })
                .collect(),
        })
        .filter(|s| !s.answers.is_empty())
        .collect();
    let subject = subject(q, a, lang);
    let title = if subject.organisation.is_empty() {
        q.title.get(lang).to_string()
    } else {
        subject.organisation.clone()
    };
    let headline_band = band_ref(q, r.headline_band.as_ref(), lang);
    let raw_band = band_ref(q, r.overall_band.as_ref(), lang);
    let capped = r.headline != r.overall || headline_band != raw_band;
    let cap = capped.then(|| cap(q, r, &raw_band, &headline_band, lang));
    ReportDoc {
        report_version: REPORT_VERSION,
        title,
        subject,
        lang,
        generated_at: now.to_string(),
        questionnaire: QuestionnaireInfo {
            id: q.id.clone(),
            version: q.version.clone(),
            title: q.title.get(lang).to_string(),
            description: q.description.get(lang).to_string(),
        },
        organisation,
        created_at: a.created_at.clone(),
        updated_at: a.updated_at.clone(),
        headline: Headline {
            score: r.headline.map(scoring::round2),
            band: headline_band,
            raw_score: r.overall.map(scoring::round2),
            raw_band,
            evidenced: r.overall_evidenced.map(scoring::round2),
            formula: explain::overall_formula(r, q.overall.group, lang),
            cap,
        },
        coverage: r.coverage,
        groups,
        warnings: r
            .warnings
            .iter()
            .map(|w| explain::warning_text(q, w, lang))
            .collect(),
        weakest,
        targets,
        sections,
        sources: q
            .annex(lang)
            .into_iter()
            .map(|c| CitedSource {
                citation: c.info.citation,
                short: c.info.short,
                item: c.info.item,
                name: c.info.name,
                issuer: c.info.issuer,
                date: c.info.date,
                kind: c.info.kind,
                status: c.info.status_label,
                outside_seeds: c.info.outside_seeds,
                note: c.info.note,
                questions: c.questions,
                lines: c.info.lines,
            })
            .collect(),
        interview: interview::interview_report(q, a, lang),
        changes: None,
        auditor: false,
        bands: q
            .bands_sorted()
            .iter()
            .map(|b| BandInfo {
                id: b.id.clone(),
                label: b.label.get(lang).to_string(),
                min: b.min,
                max: b.max,
                description: b
                    .description
                    .as_ref()
                    .map(|d| d.get(lang).to_string())
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

/// The first profile field among `ids` that has a value, as shown.
fn first_field(q: &Questionnaire, a: &Assessment, ids: &[&str], lang: Lang) -> String {
    ids.iter()
        .find_map(|id| profile_display(q, a, id, lang))
        .unwrap_or_default()
}

fn subject(q: &Questionnaire, a: &Assessment, lang: Lang) -> Subject {
    Subject {
        organisation: first_field(q, a, &["org_name"], lang),
        level: first_field(q, a, &["level", "size", "org_type"], lang),
        province: first_field(q, a, &["province_name", "province"], lang),
        respondent: first_field(q, a, &["role"], lang),
        target_year: first_field(q, a, &["target_year"], lang),
    }
}

fn cap(
    q: &Questionnaire,
    r: &Report,
    raw_band: &Option<BandRef>,
    band: &Option<BandRef>,
    lang: Lang,
) -> Cap {
    let security = q
        .security_rule
        .as_ref()
        .and_then(|s| q.dimension(&s.dimension))
        .map(|d| d.label.get(lang).to_string())
        .unwrap_or_else(|| tr(lang, "an toàn thông tin", "security").to_string());
    let gap = q.security_rule.as_ref().map_or(1, |s| s.max_band_gap);
    let rule = match lang {
        Lang::Vi => format!(
            "Quy tắc \"Không an toàn thì không chuyển đổi số\": mức chung không được cao hơn mức của {security} quá {gap} bậc, và mỗi cờ đỏ về an toàn thông tin giới hạn mức chung ở một mức tối đa."
        ),
        Lang::En => format!(
            "The rule \"no digital transformation without security\": the overall band may not be more than {gap} level(s) above the band of {security}, and each security red flag caps the overall band."
        ),
    };
    let shown = |s: Option<f64>, b: &Option<BandRef>| {
        format!(
            "{} ({})",
            crate::locale::score_opt(s, lang),
            b.as_ref().map_or("—", |b| b.label.as_str())
        )
    };
    let effect = match lang {
        Lang::Vi => format!(
            "Điểm tính được {} được hạ xuống {}.",
            shown(r.overall, raw_band),
            shown(r.headline, band)
        ),
        Lang::En => format!(
            "The computed score {} is lowered to {}.",
            shown(r.overall, raw_band),
            shown(r.headline, band)
        ),
    };
    Cap {
        rule,
        reasons: r
            .warnings
            .iter()
            .map(|w| explain::warning_text(q, w, lang))
            .collect(),
        effect,
    }
}

impl ReportDoc {
    /// The line under the title: level and province, e.g. "Cấp tỉnh · Hà Nội".
    pub fn subtitle(&self) -> String {
        [self.subject.level.as_str(), self.subject.province.as_str()]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The report's metadata as (label, value) rows, dates in the report's language, the same in
    /// every format.
    pub fn meta_rows(&self) -> Vec<(&'static str, String)> {
        let l = self.lang;
        let mut rows = Vec::new();
        let s = &self.subject;
        if !s.respondent.is_empty() {
            rows.push((tr(l, "Người trả lời", "Answered by"), s.respondent.clone()));
        }
        if !s.target_year.is_empty() {
            rows.push((
                tr(l, "Chỉ tiêu năm", "Targets of year"),
                s.target_year.clone(),
            ));
        }
        rows.push((
            tr(l, "Bộ câu hỏi", "Questionnaire"),
            format!(
                "{} ({} {})",
                self.questionnaire.title,
                tr(l, "phiên bản", "version"),
                self.questionnaire.version
            ),
        ));
        rows.push((
            tr(l, "Ngày lập báo cáo", "Report date"),
            crate::locale::date(&self.generated_at, l),
        ));
        rows.push((
            tr(l, "Cập nhật câu trả lời", "Answers last updated"),
            crate::locale::date(&self.updated_at, l),
        ));
        rows
    }

    /// The one sentence that explains claimed and evidenced scores.
    pub fn evidence_sentence(&self) -> String {
        let l = self.lang;
        let (c, e) = (
            crate::locale::score_opt(self.headline.raw_score, l),
            crate::locale::score_opt(self.headline.evidenced, l),
        );
        match l {
            Lang::Vi => format!(
                "Điểm tự đánh giá ({c}) tính mọi câu trả lời; điểm có minh chứng ({e}) chỉ tính những câu trả lời có văn bản đã xem hoặc đã kiểm tra trên hệ thống — khoảng cách giữa hai điểm là phần chưa được chứng minh."
            ),
            Lang::En => format!(
                "The claimed score ({c}) counts every answer; the evidenced score ({e}) counts only answers backed by a document seen or verified in the system — the gap between them is what is not yet proven."
            ),
        }
    }
}

/// Who a target applies to as shown: "*" (every level) in words.
pub fn applies_to(s: &str, lang: Lang) -> &str {
    if s == "*" {
        tr(lang, "mọi cấp", "every level")
    } else {
        s
    }
}

/// The JSON report: the document itself, pretty-printed.
pub fn to_json(doc: &ReportDoc) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_default();
    s.push('\n');
    s
}
