//! "Why this score": the formula with the actual numbers, and what each question contributes.

use super::{DimensionScore, Report, Status};
use crate::i18n::{Lang, tr};

/// `100 × Σ(w·v) / Σ(w) = 100 × 7.5 / 12 = 62.5`, in the user's language.
pub fn formula(ds: &DimensionScore, lang: Lang) -> String {
    match ds.claimed {
        Some(s) => format!(
            "{} = 100 × Σ(w·v) / Σ(w) = 100 × {:.2} / {:.2} = {:.1}",
            ds.id, ds.numerator, ds.denominator, s
        ),
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
    let num: Vec<String> = parts.iter().map(|(w, s)| format!("{w}×{s:.1}")).collect();
    let den: f64 = parts.iter().map(|(w, _)| w).sum();
    format!(
        "{} = ({}) / {den} = {:.1}",
        tr(lang, "Tổng", "Overall"),
        num.join(" + "),
        r.overall.unwrap_or(0.0)
    )
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
