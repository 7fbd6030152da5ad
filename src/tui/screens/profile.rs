//! The organisation profile: text, number and choice fields, then "start".

use crate::assessment::{Assessment, ProfileValue};
use crate::i18n::{Lang, tr};
use crate::questionnaire::{ProfileKind, Questionnaire};
use crate::text::{pad, width};
use crate::tui::app::{App, Effect};
use crate::tui::app::{resume_screen, save_effect};
use crate::tui::editor::{Edit, LineInput};
use crate::tui::interview;
use crate::tui::key::Key;
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::theme::Theme;
use crate::tui::widgets::*;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

#[derive(Debug, Default)]
pub struct ProfileState {
    /// Index into the profile fields; one past the end is the "start" button.
    pub field: usize,
    pub input: LineInput,
    pub dirty: bool,
}

impl ProfileState {
    pub fn load_field(&mut self, q: &Questionnaire, a: &Assessment) {
        let text = match self.interview_row(q, a) {
            Some(row) => row.text(a, Lang::En),
            None => q
                .profile
                .get(self.field)
                .and_then(|f| a.profile_text(&f.id))
                .unwrap_or_default(),
        };
        self.input = LineInput::new(&text);
        self.dirty = false;
    }

    /// Typing goes into the field (so letters are text, not commands).
    pub fn editing_text(&self, s: Option<&Session>) -> bool {
        if let Some(row) = s.and_then(|s| self.interview_row(&s.questionnaire, &s.assessment)) {
            return !row.is_choice();
        }
        s.and_then(|s| s.questionnaire.profile.get(self.field))
            .is_some_and(|f| f.kind != ProfileKind::Choice)
    }

    /// The interview row under the cursor (they follow the "start" button).
    pub fn interview_row(&self, q: &Questionnaire, a: &Assessment) -> Option<interview::Row> {
        let i = self.field.checked_sub(q.profile.len() + 1)?;
        interview::rows(a).get(i).copied()
    }

    /// The last row: the questionnaire's fields, "start", then the interview rows.
    pub fn last_row(q: &Questionnaire, a: &Assessment) -> usize {
        q.profile.len() + interview::rows(a).len()
    }

    /// Stores the typed text or number of the current field; a refused value changes nothing
    /// and says why.
    pub fn commit(
        &mut self,
        q: &Questionnaire,
        a: &mut Assessment,
        now: &str,
        lang: Lang,
    ) -> Result<(), String> {
        if let Some(row) = self.interview_row(q, a) {
            row.commit(a, &self.input.value(), now, lang)?;
            self.dirty = false;
            return Ok(());
        }
        let Some(f) = q.profile.get(self.field) else {
            return Ok(());
        };
        let text = self.input.value().trim().to_string();
        if text.is_empty() {
            a.profile.remove(&f.id);
            a.updated_at = now.to_string();
            self.dirty = false;
            return Ok(());
        }
        let value = match f.kind {
            ProfileKind::Number => ProfileValue::Number(
                crate::locale::parse_number(&text, lang).map_err(|e| e.message(lang))?,
            ),
            _ => ProfileValue::Text(text),
        };
        a.set_profile(q, &f.id, value, now)
            .map_err(|e| e.message(lang))?;
        self.dirty = false;
        Ok(())
    }
}

impl App {
    // Not collapsed into match guards: `commit` saves, and a failed guard would fall through to
    // the typing arm below.
    #[allow(clippy::collapsible_match)]
    pub(in crate::tui) fn profile_action(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang();
        let now = (self.now)();
        let (Screen::Profile(p), Some(s)) = (&mut self.screen, &mut self.session) else {
            return vec![];
        };
        let q = s.questionnaire.clone();
        let fields = &q.profile;
        let on_start = p.field == fields.len();
        let field = fields.get(p.field);
        let row = p.interview_row(&q, &s.assessment);
        let is_choice = field.is_some_and(|f| f.kind == crate::questionnaire::ProfileKind::Choice);
        let mut changed = false;
        // Moving off a field commits what was typed; a refused value keeps the cursor there.
        let mut commit = |p: &mut ProfileState, s: &mut Session, status: &mut Option<Status>| {
            let typed = match p.interview_row(&q, &s.assessment) {
                Some(row) => !row.is_choice(),
                None => q
                    .profile
                    .get(p.field)
                    .is_some_and(|f| f.kind != crate::questionnaire::ProfileKind::Choice),
            };
            if typed && p.dirty {
                match p.commit(&q, &mut s.assessment, &now, lang) {
                    Ok(()) => {
                        s.rescore();
                        changed = true;
                    }
                    Err(e) => {
                        *status = Some(Status::Error(e));
                        return false;
                    }
                }
            }
            true
        };
        let mut leave = false;
        match action {
            Action::Up => {
                if commit(p, s, &mut self.status) && p.field > 0 {
                    p.field -= 1;
                    p.load_field(&q, &s.assessment);
                }
            }
            Action::Down => {
                if commit(p, s, &mut self.status)
                    && p.field < ProfileState::last_row(&q, &s.assessment)
                {
                    p.field += 1;
                    p.load_field(&q, &s.assessment);
                }
            }
            Action::Submit if on_start => {
                let missing: Vec<&str> = fields
                    .iter()
                    .filter(|f| f.required && !s.assessment.profile.contains_key(&f.id))
                    .map(|f| f.label.get(lang))
                    .collect();
                if missing.is_empty() {
                    self.screen = resume_screen(s);
                } else {
                    self.status = Some(Status::Error(format!(
                        "{}: {}",
                        tr(lang, "Cần điền", "Please fill in"),
                        missing.join(", ")
                    )));
                }
            }
            Action::Submit => {
                if commit(p, s, &mut self.status) {
                    // After the last interview row, back to "start".
                    p.field = if p.field >= ProfileState::last_row(&q, &s.assessment) {
                        fields.len()
                    } else {
                        p.field + 1
                    };
                    p.load_field(&q, &s.assessment);
                }
            }
            Action::Leave => {
                if commit(p, s, &mut self.status) {
                    leave = true;
                }
            }
            Action::ChoiceNext
            | Action::ChoicePrev
            | Action::Edit(Key::Left | Key::Right | Key::Char(' '))
                if row.is_some_and(|r| r.is_choice()) =>
            {
                if let Some(r) = row {
                    r.toggle(&mut s.assessment, &now);
                    changed = true;
                }
            }
            Action::ChoiceNext | Action::ChoicePrev | Action::Edit(_) if is_choice => {
                let f = field.unwrap_or(&fields[0]);
                let back = matches!(action, Action::ChoicePrev | Action::Edit(Key::Left));
                let forward = matches!(
                    action,
                    Action::ChoiceNext | Action::Edit(Key::Right) | Action::Edit(Key::Char(' '))
                );
                let cur = s.assessment.profile_text(&f.id);
                // Legacy options (districts, before 1 July 2025) only while a file holds one.
                let offered = f.offered_options(cur.as_deref());
                let idx = cur.and_then(|c| offered.iter().position(|o| o.id == c));
                let n = offered.len().max(1);
                let next = match (back, forward, idx) {
                    (true, _, Some(i)) => Some((i + n - 1) % n),
                    (true, _, None) => Some(n - 1),
                    (_, true, Some(i)) => Some((i + 1) % n),
                    (_, true, None) => Some(0),
                    _ => None,
                };
                if let Some(o) = next.and_then(|i| offered.get(i)) {
                    let v = ProfileValue::Text(o.id.clone());
                    if s.assessment.set_profile(&q, &f.id, v, &now).is_ok() {
                        s.rescore();
                        changed = true;
                    }
                }
            }
            Action::Edit(k) if field.is_some() || row.is_some_and(|r| !r.is_choice()) => {
                if p.input.handle(k) == Edit::Changed {
                    p.dirty = true;
                }
            }
            Action::Paste(text)
                if (field.is_some() && !is_choice) || row.is_some_and(|r| !r.is_choice()) =>
            {
                if p.input.paste(&text) == Edit::Changed {
                    p.dirty = true;
                }
            }
            _ => {}
        }
        let mut effects: Vec<Effect> = vec![];
        if changed {
            effects.push(save_effect(s));
        }
        if leave {
            effects.extend(self.leave_checked(Action::Leave));
        }
        effects
    }
}

pub fn draw_profile(
    s: &Session,
    p: &ProfileState,
    f: &mut Frame,
    area: Rect,
    t: &Theme,
    lang: Lang,
) {
    let q = &s.questionnaire;
    let mut lines = vec![
        Line::styled(
            tr(lang, " Thông tin tổ chức", " About the organisation"),
            t.title(),
        ),
        Line::from(""),
    ];
    let irows = interview::rows(&s.assessment);
    let label_w = q
        .profile
        .iter()
        .map(|f| width(f.label.get(lang)))
        .max()
        .unwrap_or(10)
        .min(40)
        + 3;
    let (mut focus, mut focus_end) = (0usize, 1usize);
    for (i, field) in q.profile.iter().enumerate() {
        let sel = i == p.field;
        let star = if field.required { "*" } else { " " };
        let value = if sel && field.kind != ProfileKind::Choice {
            format!("[{}]", with_cursor(&p.input.text, p.input.cursor))
        } else {
            let v = s.assessment.profile_text(&field.id).unwrap_or_default();
            match field.kind {
                ProfileKind::Choice => {
                    let label = field
                        .options
                        .iter()
                        .find(|o| o.id == v)
                        .map(|o| o.label.get(lang).to_string())
                        .unwrap_or_else(|| "—".into());
                    if sel {
                        format!("◀ {label} ▶")
                    } else {
                        label
                    }
                }
                _ => v,
            }
        };
        let unit = field
            .unit
            .as_ref()
            .map(|u| format!(" {}", u.get(lang)))
            .unwrap_or_default();
        // A label too long for the column is written whole (wrapped), never cut.
        let label = field.label.get(lang);
        let label = if width(label) <= label_w - 3 {
            pad(label, label_w - 3)
        } else {
            label.to_string()
        };
        let text = format!("{}{label}{star} {value}{unit}", marker(sel));
        push_row(
            &mut lines,
            &text,
            label_w,
            area,
            t,
            sel,
            (&mut focus, &mut focus_end),
        );
    }
    lines.push(Line::from(""));
    let start = p.field == q.profile.len();
    if start {
        focus = lines.len();
        focus_end = focus + 1;
    }
    let start_text = format!(
        "{}[ {} ]",
        marker(start),
        tr(lang, "Bắt đầu trả lời câu hỏi →", "Start answering →")
    );
    lines.push(Line::styled(
        start_text,
        if start { t.selected() } else { t.key() },
    ));
    // Interview mode and, when on, the interview's rows: after "start", which stays where it was.
    let irow_w = irows
        .iter()
        .map(|r| width(&r.label(lang)))
        .max()
        .unwrap_or(10)
        + 3;
    for (k, row) in irows.iter().enumerate() {
        let sel = q.profile.len() + 1 + k == p.field;
        if *row == interview::Row::Mode {
            lines.push(Line::from(""));
        }
        let value = if sel && !row.is_choice() {
            format!("[{}]", with_cursor(&p.input.text, p.input.cursor))
        } else if sel {
            format!("◀ {} ▶", row.text(&s.assessment, lang))
        } else {
            row.shown(&s.assessment, lang)
        };
        let label = pad(&row.label(lang), irow_w - 3);
        let text = format!("{}{label} {value}", marker(sel));
        push_row(
            &mut lines,
            &text,
            irow_w,
            area,
            t,
            sel,
            (&mut focus, &mut focus_end),
        );
    }
    lines.push(Line::from(""));
    let help = match p.interview_row(q, &s.assessment) {
        Some(row) => Some(row.help(lang)).filter(|h| !h.is_empty()),
        None => q
            .profile
            .get(p.field)
            .and_then(|f| f.help.as_ref())
            .map(|h| h.get(lang)),
    };
    if let Some(help) = help {
        push_wrapped(
            &mut lines,
            &format!(" {help}"),
            " ",
            area.width as usize,
            t.dim(),
            false,
        );
    }
    lines.push(Line::styled(
        tr(lang, " * bắt buộc", " * required"),
        t.dim(),
    ));
    draw_scrolled(f, area, lines, Some(focus), Some(focus_end), t, lang);
}

/// One row of the profile, wrapped under its value column; the selected one sets the focus.
fn push_row(
    lines: &mut Vec<Line<'static>>,
    text: &str,
    label_w: usize,
    area: Rect,
    t: &Theme,
    sel: bool,
    (focus, focus_end): (&mut usize, &mut usize),
) {
    if sel {
        *focus = lines.len();
    }
    let indent = " ".repeat(label_w.min(area.width as usize / 2));
    push_wrapped(lines, text, &indent, area.width as usize, t.row(sel), false);
    if sel {
        *focus_end = lines.len();
    }
}
