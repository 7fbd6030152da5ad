//! "Why this score": the formula with the actual numbers, and what each question contributes.

use super::{DimensionScore, Report, Status};
use crate::i18n::{Lang, tr};

/// `100 × Σ(w·v) / Σ(w) = 100 × 7.5 / 12 = 62.5`, in the user's language.
pub fn formula(ds: &DimensionScore, lang: Lang) -> String {
    match ds.claimed {
        Some(s) => {
            let two = |x: f64| crate::locale::fixed(x, 2, lang);
            format!(
                "{} = 100 × Σ(w·v) / Σ(w) = 100 × {} / {} = {}",
                ds.id,
                two(ds.numerator),
                two(ds.denominator),
                crate::locale::score(s, lang)
            )
        }
        None => format!(
            "{} = {}",
            ds.id,
            tr(
                lang,
                "chưa có câu trả lời nào để tính",
                "no answers to score yet"
            )
        ),
    }
}

/// The overall formula over the overall group's dimensions.
pub fn overall_formula(r: &Report, group: crate::questionnaire::Group, lang: Lang) -> String {
    let parts: Vec<(f64, f64)> = r
        .dimensions
        .iter()
        .filter(|d| d.group == group)
        .filter_map(|d| d.claimed.map(|s| (d.weight, s)))
        .collect();
    if parts.is_empty() {
        return tr(lang, "chưa có điểm tổng", "no overall score yet").to_string();
    }
    let n = |x: f64| crate::locale::number(x, lang);
    let num: Vec<String> = parts
        .iter()
        .map(|(w, s)| format!("{}×{}", n(*w), crate::locale::score(*s, lang)))
        .collect();
    let den: f64 = parts.iter().map(|(w, _)| w).sum();
    format!(
        "{} = ({}) / {} = {}",
        tr(lang, "Tổng", "Overall"),
        num.join(" + "),
        n(den),
        crate::locale::score(r.overall.unwrap_or(0.0), lang)
    )
}

/// Why a dimension of the overall group weighs differently for this organisation (e.g. a
/// commune, to which Decision 749 gives only part of a task): one sentence per such dimension.
pub fn weight_notes(
    q: &crate::questionnaire::Questionnaire,
    r: &Report,
    lang: Lang,
) -> Vec<String> {
    r.dimensions
        .iter()
        .filter(|d| d.group == q.overall.group)
        .filter_map(|d| {
            let dim = q.dimension(&d.id)?;
            let by = dim.weight_by.as_ref()?;
            (d.weight != dim.weight).then(|| format!("{}: {}", d.id, by.note.get(lang)))
        })
        .collect()
}

pub fn status_label(s: Status, lang: Lang) -> &'static str {
    match s {
        Status::Answered => tr(lang, "đã trả lời", "answered"),
        Status::DontKnow => tr(lang, "không biết", "don't know"),
        Status::Unanswered => tr(lang, "chưa trả lời", "unanswered"),
        Status::NotApplicable => tr(lang, "không áp dụng", "not applicable"),
        Status::Hidden => tr(lang, "không hiển thị", "not shown"),
        Status::NoTarget => tr(lang, "chưa có chỉ tiêu", "no target"),
    }
}

/// A warning as one sentence, the same in every output (CLI, wizard, reports).
pub fn warning_text(
    q: &crate::questionnaire::Questionnaire,
    w: &super::Warning,
    lang: Lang,
) -> String {
    let band = |id: &str| {
        q.band(id)
            .map(|b| b.label.get(lang).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    match w {
        super::Warning::SecurityGap {
            security_band,
            overall_band,
            max_gap,
            capped_to,
        } => format!(
            "{} \"{}\" {} \"{}\" {} {max_gap} {}; {} \"{}\"",
            tr(lang, "Mức chung", "The overall band"),
            band(overall_band),
            tr(
                lang,
                "vượt mức an toàn thông tin",
                "is above the security band"
            ),
            band(security_band),
            tr(lang, "quá", "by more than"),
            tr(lang, "bậc", "level(s)"),
            tr(lang, "giới hạn ở", "capped at"),
            band(capped_to),
        ),
        super::Warning::RedFlag { id, capped_to } => {
            let msg = q
                .security_rule
                .as_ref()
                .and_then(|s| s.red_flags.iter().find(|f| &f.id == id))
                .map(|f| f.message.get(lang).to_string())
                .unwrap_or_else(|| id.clone());
            format!(
                "{msg} ({} \"{}\")",
                tr(lang, "giới hạn ở", "capped at"),
                band(capped_to)
            )
        }
    }
}
