//! The evidence form: a Vietnamese official document citation or a link, with its grade.

use super::OverlayFrame;
use crate::assessment::{Evidence, EvidenceGrade, EvidenceSource};
use crate::i18n::{Lang, tr};
use crate::text::pad;
use crate::tui::app::save_effect;
use crate::tui::app::{App, Effect};
use crate::tui::editor::{Edit, LineInput};
use crate::tui::key::Key;
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::theme::Theme;
use crate::tui::widgets::*;
use ratatui::layout::Rect;
use ratatui::text::Line;

impl App {
    /// What an action does while this overlay is up.
    pub(in crate::tui) fn evidence_action(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang();
        let now = (self.now)();
        let Some(Overlay::Evidence(form)) = self.overlay.as_mut() else {
            return vec![];
        };
        match form.handle(&action) {
            FormOutcome::Continue => vec![],
            FormOutcome::Cancel => {
                self.overlay = None;
                vec![]
            }
            FormOutcome::Submit => {
                let result = form.build(lang);
                let (Screen::Question(qs), Some(s)) = (&self.screen, &mut self.session) else {
                    return vec![];
                };
                match (result, s.assessment.answers.get_mut(&qs.current)) {
                    (Err(msg), _) => {
                        self.status = Some(Status::Error(msg));
                        vec![]
                    }
                    (Ok(_), None) => {
                        self.status = Some(Status::Error(
                            tr(
                                lang,
                                "Hãy trả lời câu hỏi trước khi thêm minh chứng",
                                "Answer the question before adding evidence",
                            )
                            .into(),
                        ));
                        vec![]
                    }
                    (Ok(ev), Some(a)) => {
                        match ev {
                            Some(ev) => {
                                if a.evidence.is_empty() {
                                    a.evidence.push(ev)
                                } else {
                                    a.evidence[0] = ev
                                }
                            }
                            None => {
                                a.evidence.clear();
                            }
                        }
                        s.assessment.updated_at = now;
                        s.rescore();
                        self.overlay = None;
                        vec![save_effect(s)]
                    }
                }
            }
        }
    }
}

/// The window's title, lines and size.
pub fn frame<'a>(app: &'a App, o: &'a Overlay, _body: Rect, t: &Theme) -> Option<OverlayFrame<'a>> {
    let lang = app.lang();
    let Overlay::Evidence(form) = o else {
        return None;
    };
    Some((
        tr(lang, "Minh chứng", "Evidence").into(),
        evidence_lines(form, lang, t),
        76,
        14,
    ))
}

/// The evidence form: a Vietnamese official document citation or a link, with its grade.
#[derive(Debug, Clone)]
pub struct EvidenceForm {
    pub is_document: bool,
    pub grade: EvidenceGrade,
    /// doc_type, number, date, issuer, summary, link, note
    pub inputs: Vec<LineInput>,
    pub field: usize,
}

pub enum FormOutcome {
    Continue,
    Cancel,
    Submit,
}

impl EvidenceForm {
    /// Rows: 0 kind, 1 grade, 2..=6 document fields or 2 link, then note; last is "save".
    pub fn rows(&self) -> Vec<usize> {
        let mut r = vec![0, 1];
        if self.is_document {
            r.extend(2..=6);
        } else {
            r.push(7);
        }
        r.push(8);
        r.push(9);
        r
    }

    pub fn from(e: Option<&Evidence>) -> EvidenceForm {
        let mut f = EvidenceForm {
            is_document: true,
            grade: EvidenceGrade::Stated,
            inputs: vec![LineInput::default(); 7],
            field: 0,
        };
        if let Some(e) = e {
            f.grade = e.grade;
            match &e.source {
                EvidenceSource::Document {
                    doc_type,
                    number,
                    date,
                    issuer,
                    summary,
                } => {
                    for (i, v) in [doc_type, number, date, issuer, summary].iter().enumerate() {
                        f.inputs[i] = LineInput::new(v);
                    }
                }
                EvidenceSource::Link { target } => {
                    f.is_document = false;
                    f.inputs[5] = LineInput::new(target);
                }
            }
            f.inputs[6] = LineInput::new(&e.note);
        }
        f
    }

    /// The row the cursor is on.
    pub fn row(&self) -> usize {
        let rows = self.rows();
        rows[self.field.min(rows.len() - 1)]
    }

    pub fn handle(&mut self, action: &Action) -> FormOutcome {
        let rows = self.rows();
        let choice_row = matches!(self.row(), 0 | 1);
        let cycle = |f: &mut EvidenceForm, back: bool| match f.row() {
            0 => f.is_document = !f.is_document,
            1 => {
                let all = [
                    EvidenceGrade::Stated,
                    EvidenceGrade::DocumentSeen,
                    EvidenceGrade::Verified,
                ];
                let i = all.iter().position(|g| *g == f.grade).unwrap_or(0);
                f.grade = all[if back { (i + 2) % 3 } else { (i + 1) % 3 }];
            }
            _ => {}
        };
        match action {
            Action::Back => return FormOutcome::Cancel,
            Action::Up => self.field = self.field.saturating_sub(1),
            Action::Down => self.field = (self.field + 1).min(rows.len() - 1),
            Action::Submit if self.row() == 9 => return FormOutcome::Submit,
            Action::Submit => self.field = (self.field + 1).min(rows.len() - 1),
            Action::ChoiceNext => cycle(self, false),
            Action::ChoicePrev => cycle(self, true),
            Action::Edit(Key::Left) if choice_row => cycle(self, true),
            Action::Edit(Key::Right | Key::Char(' ')) if choice_row => cycle(self, false),
            Action::Edit(k) => {
                if let Some(i) = self.input_index() {
                    let _: Edit = self.inputs[i].handle(*k);
                }
            }
            Action::Paste(t) => {
                if let Some(i) = self.input_index() {
                    self.inputs[i].paste(t);
                }
            }
            _ => {}
        }
        FormOutcome::Continue
    }

    /// The text input under the cursor (the link shares the slot of "summary").
    fn input_index(&self) -> Option<usize> {
        match self.row() {
            r @ 2..=6 => Some(r - 2),
            7 => Some(5),
            8 => Some(6),
            _ => None,
        }
    }

    /// The evidence to store (`None`: all fields empty, remove it), or what is missing.
    pub fn build(&self, lang: Lang) -> Result<Option<Evidence>, String> {
        let v: Vec<String> = self
            .inputs
            .iter()
            .map(|i| i.value().trim().to_string())
            .collect();
        let note = v[6].clone();
        if self.is_document {
            if v[..5].iter().all(String::is_empty) && note.is_empty() {
                return Ok(None);
            }
            let date = normalise_date(&v[2]).ok_or_else(|| {
                format!(
                    "\"{}\": {}",
                    v[2],
                    tr(
                        lang,
                        "ngày ban hành phải có dạng dd/mm/yyyy hoặc yyyy-mm-dd",
                        "the date must be dd/mm/yyyy or yyyy-mm-dd"
                    )
                )
            })?;
            if v[0].is_empty() || v[1].is_empty() {
                return Err(tr(
                    lang,
                    "Cần ghi loại văn bản và số hiệu",
                    "The document type and number are required",
                )
                .into());
            }
            Ok(Some(Evidence {
                grade: self.grade,
                source: EvidenceSource::Document {
                    doc_type: v[0].clone(),
                    number: v[1].clone(),
                    date,
                    issuer: v[3].clone(),
                    summary: v[4].clone(),
                },
                note,
            }))
        } else {
            if v[5].is_empty() && note.is_empty() {
                return Ok(None);
            }
            if v[5].is_empty() {
                return Err(tr(
                    lang,
                    "Cần ghi đường dẫn hoặc đường dẫn tệp",
                    "A link or file path is required",
                )
                .into());
            }
            Ok(Some(Evidence {
                grade: self.grade,
                source: EvidenceSource::Link {
                    target: v[5].clone(),
                },
                note,
            }))
        }
    }
}

/// `dd/mm/yyyy`, `d/m/yyyy` or `yyyy-mm-dd` → `yyyy-mm-dd`, checking the date exists.
pub fn normalise_date(s: &str) -> Option<String> {
    let (y, m, d) = if let Some((a, rest)) = s.split_once('/') {
        let (b, c) = rest.split_once('/')?;
        (
            c.parse::<i32>().ok()?,
            b.parse::<u8>().ok()?,
            a.parse::<u8>().ok()?,
        )
    } else {
        let mut it = s.split('-');
        (
            it.next()?.parse().ok()?,
            it.next()?.parse().ok()?,
            it.next()?.parse().ok()?,
        )
    };
    let month = time::Month::try_from(m).ok()?;
    let date = time::Date::from_calendar_date(y, month, d).ok()?;
    Some(format!("{:04}-{:02}-{:02}", date.year(), m, date.day()))
}

pub fn evidence_lines(form: &EvidenceForm, lang: Lang, t: &Theme) -> Vec<Line<'static>> {
    let labels = [
        tr(lang, "Loại", "Kind"),
        tr(lang, "Mức minh chứng", "Grade"),
        tr(lang, "Loại văn bản", "Document type"),
        tr(lang, "Số hiệu", "Number"),
        tr(lang, "Ngày ban hành", "Date"),
        tr(lang, "Cơ quan ban hành", "Issued by"),
        tr(lang, "Trích yếu", "Summary"),
        tr(lang, "Đường dẫn / tệp", "Link / file"),
        tr(lang, "Ghi chú", "Note"),
    ];
    let mut out = vec![];
    for (i, row) in form.rows().iter().enumerate() {
        let sel = i == form.field;
        let value = match row {
            0 => format!(
                "◀ {} ▶",
                if form.is_document {
                    tr(lang, "Văn bản", "Document")
                } else {
                    tr(lang, "Đường dẫn", "Link")
                }
            ),
            1 => format!("◀ {} ▶", crate::export::grade_label(form.grade, lang)),
            2..=6 => format!(
                "{}{}",
                form.inputs[row - 2].text,
                if sel { "▏" } else { "" }
            ),
            7 => format!("{}{}", form.inputs[5].text, if sel { "▏" } else { "" }),
            8 => format!("{}{}", form.inputs[6].text, if sel { "▏" } else { "" }),
            _ => String::new(),
        };
        let text = if *row == 9 {
            format!(
                "{}[ {} ]",
                marker(sel),
                tr(lang, "Lưu minh chứng", "Save evidence")
            )
        } else {
            format!("{}{} {value}", marker(sel), pad(labels[*row], 18))
        };
        out.push(Line::styled(text, t.row(sel)));
    }
    out.push(Line::styled(
        tr(
            lang,
            "Ngày: dd/mm/yyyy. Để trống mọi trường rồi Lưu để bỏ minh chứng.",
            "Date: dd/mm/yyyy. Clear every field and Save to remove the evidence.",
        ),
        t.dim(),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_vietnamese_order() {
        assert_eq!(normalise_date("03/06/2020").as_deref(), Some("2020-06-03"));
        assert_eq!(normalise_date("2020-06-03").as_deref(), Some("2020-06-03"));
        assert_eq!(normalise_date("31/02/2024"), None);
        assert_eq!(normalise_date("hôm qua"), None);
    }
}
