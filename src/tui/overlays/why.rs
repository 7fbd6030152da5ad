//! "Why": the formula behind a score, its questions, what would raise it; for the headline,
//! why it is capped.

use super::OverlayFrame;
use crate::export::answer_text;
use crate::i18n::{Lang, tr};
use crate::scoring::{self, Report, explain};
use crate::text::{pad, truncate};
use crate::tui::app::{App, Effect};
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::screens::question::QuestionState;
use crate::tui::theme::Theme;
use crate::tui::widgets::*;
use ratatui::layout::Rect;
use ratatui::text::Line;

impl App {
    /// What an action does while this overlay is up.
    pub(in crate::tui) fn why_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Why { dimension, cursor }) = self.overlay.as_mut() else {
            return vec![];
        };
        let Some(s) = &self.session else {
            return vec![];
        };
        let items: Vec<String> = why_questions(s.report(), dimension.as_deref());
        match action {
            Action::Up => *cursor = cursor.saturating_sub(1),
            Action::Down => *cursor = (*cursor + 1).min(items.len().saturating_sub(1)),
            Action::Choose => {
                if let Some(id) = items.get(*cursor) {
                    if s.visible().contains(id) {
                        self.screen = Screen::Question(QuestionState::at(s, id));
                    }
                    self.overlay = None;
                }
            }
            Action::Back => self.overlay = None,
            _ => {}
        }
        vec![]
    }
}

/// The window's title, lines and size.
pub fn frame<'a>(app: &'a App, o: &'a Overlay, body: Rect, t: &Theme) -> Option<OverlayFrame<'a>> {
    let lang = app.lang();
    let Overlay::Why { dimension, cursor } = o else {
        return None;
    };
    Some({
        let Some(s) = &app.session else { return None };
        // Pre-wrapped to the window's inner width, so the window does not wrap them again.
        let inner = (96.min(body.width) as usize).saturating_sub(2);
        let (title, lines) = why_lines(s, dimension.as_deref(), *cursor, lang, t, inner);
        (title, lines, 96, body.height.min(30))
    })
}

pub fn why_lines(
    s: &Session,
    dimension: Option<&str>,
    cursor: usize,
    lang: Lang,
    t: &Theme,
    inner: usize,
) -> (String, Vec<Line<'static>>) {
    let q = &s.questionnaire;
    let r: &Report = s.report();
    let ids = why_questions(r, dimension);
    let mut lines = vec![];
    let title = match dimension.and_then(|d| r.dimension(d)) {
        Some(d) => {
            lines.push(Line::styled(explain::formula(d, lang), t.key()));
            lines.push(Line::from(format!(
                "{} {}/{} · {} {}",
                tr(lang, "Đã trả lời", "Answered"),
                d.coverage.answered,
                d.coverage.applicable,
                tr(lang, "có minh chứng", "evidenced"),
                crate::locale::score_opt(d.evidenced, lang)
            )));
            lines.push(Line::styled(
                format!(
                    "  {} {:>3} {:>5}  {}",
                    pad(tr(lang, "Câu", "Question"), 10),
                    "w",
                    "v",
                    tr(lang, "Trạng thái · câu trả lời", "Status · answer")
                ),
                t.dim(),
            ));
            for (i, id) in ids.iter().enumerate() {
                let Some(it) = d.items.iter().find(|x| &x.question == id) else {
                    continue;
                };
                let ans = q
                    .question(id)
                    .zip(s.assessment.answers.get(id))
                    .map(|(qq, a)| answer_text(qq, &a.response, lang))
                    .unwrap_or_default();
                let v = it.value.map_or("  —".into(), |v| format!("{v:.2}"));
                let gain = d
                    .what_if
                    .iter()
                    .find(|x| &x.question == id)
                    .map(|x| format!(" {}", crate::locale::signed(x.gain, lang)))
                    .unwrap_or_default();
                let text = format!(
                    "{}{} {:>3} {v:>5}  {} · {}{gain}",
                    marker(i == cursor),
                    pad(id, 10),
                    it.weight,
                    explain::status_label(it.status, lang),
                    ans
                );
                lines.push(Line::styled(truncate(&text, inner), t.row(i == cursor)));
            }
            format!(
                "{} {} {}",
                tr(lang, "Vì sao:", "Why:"),
                d.id,
                q.dimension(&d.id).map(|x| x.label.get(lang)).unwrap_or("")
            )
        }
        None => {
            for l in crate::tui::screens::dashboard::cap_lines(q, r, lang) {
                for w in crate::text::wrap(&l, inner) {
                    lines.push(Line::styled(w, t.warn()));
                }
            }
            lines.push(Line::styled(
                explain::overall_formula(r, q.overall.group, lang),
                t.key(),
            ));
            for note in explain::weight_notes(q, r, lang) {
                for w in crate::text::wrap(&note, inner) {
                    lines.push(Line::styled(w, t.dim()));
                }
            }
            lines.push(Line::styled(
                tr(
                    lang,
                    "Những câu nâng điểm tổng nhiều nhất nếu đạt đầy đủ:",
                    "Answers that would raise the overall most if fully met:",
                ),
                t.dim(),
            ));
            for (i, id) in ids.iter().enumerate() {
                let imp = r
                    .weakest
                    .iter()
                    .chain(r.next_unanswered.iter())
                    .find(|x| &x.question == id);
                let text = format!(
                    "{}{} {} {}",
                    marker(i == cursor),
                    crate::locale::signed(imp.map_or(0.0, |x| x.gain), lang),
                    pad(id, 10),
                    q.question(id).map(|x| x.text.get(lang)).unwrap_or("")
                );
                lines.push(Line::styled(truncate(&text, inner), t.row(i == cursor)));
                // The selected item's recommendation, whole.
                if i == cursor
                    && let Some(rec) = q.question(id).and_then(|x| x.recommendation.as_ref())
                {
                    for w in
                        crate::text::wrap(&format!("→ {}", rec.get(lang)), inner.saturating_sub(4))
                    {
                        lines.push(Line::styled(format!("    {w}"), t.dim()));
                    }
                }
            }
            tr(lang, "Vì sao: điểm tổng", "Why: the overall score").to_string()
        }
    };
    lines.push(Line::styled(
        tr(
            lang,
            "Enter: đến câu hỏi · Esc: đóng",
            "Enter: go to the question · Esc: close",
        ),
        t.dim(),
    ));
    (title, lines)
}

/// Question ids listed in a "why" window: the dimension's items, or the overall weakest and
/// most valuable unanswered.
pub fn why_questions(r: &Report, dimension: Option<&str>) -> Vec<String> {
    match dimension.and_then(|d| r.dimension(d)) {
        Some(d) => d
            .items
            .iter()
            .filter(|i| i.status.is_applicable() || i.status == scoring::Status::NotApplicable)
            .map(|i| i.question.clone())
            .collect(),
        None => r
            .weakest
            .iter()
            .chain(r.next_unanswered.iter())
            .take(12)
            .map(|i| i.question.clone())
            .collect(),
    }
}
