//! The organisation profile: text, number and choice fields, a province chosen from a list,
//! then "start".
//!
//! The province is chosen from the 34 units in force since 1 July 2025: typed letters filter
//! the list (diacritics optional), ↑↓ select, Enter chooses. A former province's name typed
//! ("Bình Dương") is listed with the unit it became part of and saves that unit, with a note.
//! A back-dated file that already holds a former name keeps it as written (shown with its new
//! unit) until a unit is chosen; `aggregate --by province` counts it under the new unit.

use crate::assessment::{Assessment, ProfileValue};
use crate::i18n::{Lang, tr};
use crate::provinces::{self, Pick};
use crate::questionnaire::{PickList, ProfileField, ProfileKind, Questionnaire};
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
    /// The field is chosen from a list (the province): the input filters it.
    pub picking: bool,
    /// The selected row of the filtered list.
    pub pick: usize,
    /// A former name that led to the unit saved ("Bình Dương" → TP. Hồ Chí Minh), shown on the
    /// field while the profile is open.
    pub former: Option<Pick>,
    /// A workshop participant's profile (a confined session): no interview rows.
    pub confined: bool,
}

/// How many rows of the pick-list show at once under its field.
const PICK_ROWS: usize = 6;

fn is_pick_list(f: &ProfileField) -> bool {
    f.kind == ProfileKind::Text && f.list == Some(PickList::Provinces)
}

impl ProfileState {
    pub fn load_field(&mut self, q: &Questionnaire, a: &Assessment) {
        let field = q.profile.get(self.field);
        let row_text = self.interview_row(q, a).map(|row| row.text(a, Lang::En));
        self.picking = row_text.is_none() && field.is_some_and(is_pick_list);
        if self.picking {
            // Nothing typed yet: the whole list, with the saved unit selected.
            self.input = LineInput::new("");
            let text = field
                .and_then(|f| a.profile_text(&f.id))
                .unwrap_or_default();
            let saved = provinces::resolve(&text);
            self.pick = provinces::pick_list("")
                .iter()
                .position(|p| Some(p.unit) == saved)
                .unwrap_or(0);
        } else {
            let text = row_text.unwrap_or_else(|| {
                field
                    .and_then(|f| a.profile_text(&f.id))
                    .unwrap_or_default()
            });
            self.input = LineInput::new(&text);
        }
        self.dirty = false;
    }

    /// The rows of the pick-list for what is typed.
    pub fn picks(&self) -> Vec<Pick> {
        provinces::pick_list(&self.input.value())
    }

    /// Leaving a pick-list field: nothing typed keeps the saved value; a name that stands for one
    /// unit (or a filter with one row) chooses it; else the user must choose in the list.
    fn pick_on_leave(&self, lang: Lang) -> Result<Option<Pick>, String> {
        let typed = self.input.value();
        if typed.trim().is_empty() {
            return Ok(None);
        }
        let picks = self.picks();
        if let [one] = picks.as_slice() {
            return Ok(Some(*one));
        }
        if let Some(p) = picks
            .iter()
            .find(|p| provinces::resolve(&typed) == Some(p.unit))
        {
            return Ok(Some(*p));
        }
        Err(no_pick(&typed, picks.len(), lang))
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
        self.interview_rows(a).get(i).copied()
    }

    /// The interview rows after "start" (none for a workshop participant).
    pub fn interview_rows(&self, a: &Assessment) -> Vec<interview::Row> {
        if self.confined {
            vec![]
        } else {
            interview::rows(a)
        }
    }

    /// The last row: the questionnaire's fields, "start", then the interview rows.
    pub fn last_row(&self, q: &Questionnaire, a: &Assessment) -> usize {
        q.profile.len() + self.interview_rows(a).len()
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

/// Why a typed province name was not taken.
fn no_pick(typed: &str, n: usize, lang: Lang) -> String {
    if n == 0 {
        format!(
            "“{}” {}",
            typed.trim(),
            tr(
                lang,
                "không khớp tỉnh, thành phố nào (34 đơn vị từ ngày 01/7/2025 hoặc tên tỉnh cũ); xóa bớt chữ đã gõ",
                "matches no province or city (the 34 units since 1 July 2025 or a former province's name); delete some letters"
            )
        )
    } else {
        format!(
            "“{}” {n} {}",
            typed.trim(),
            tr(
                lang,
                "khớp nhiều tỉnh, thành phố: chọn bằng ↑↓ rồi Enter",
                "matches several provinces and cities: pick one with ↑↓ and Enter"
            )
        )
    }
}

/// Saves a unit chosen from the pick-list (its current name, whatever was typed); a former name
/// that led to it is kept to be shown on the field ("Bình Dương → TP. Hồ Chí Minh (…)").
fn save_pick(
    q: &Questionnaire,
    f: &ProfileField,
    s: &mut Session,
    p: &mut ProfileState,
    pick: Pick,
    now: &str,
    lang: Lang,
) -> Option<Status> {
    let v = ProfileValue::Text(pick.unit.name.to_string());
    match s.assessment.set_profile(q, &f.id, v, now) {
        Ok(()) => {
            p.former = pick.former.then_some(pick);
            None
        }
        Err(e) => Some(Status::Error(e.message(lang))),
    }
}

impl App {
    // Not collapsed into match guards: `commit` saves, and a failed guard would fall through to
    // the typing arm below.
    #[allow(clippy::collapsible_match)]
    pub(in crate::tui) fn profile_action(&mut self, action: Action) -> Vec<Effect> {
        if matches!(&self.screen, Screen::Profile(p) if p.picking) {
            return self.pick_action(action);
        }
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
                if commit(p, s, &mut self.status) && p.field < p.last_row(&q, &s.assessment) {
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
                    p.field = if p.field >= p.last_row(&q, &s.assessment) {
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

impl App {
    /// Keys on a field chosen from a list: letters filter, ↑↓ select, Enter chooses and moves
    /// on, Tab / Shift-Tab / Esc leave (choosing what the typed name stands for, if anything).
    // Not collapsed into match guards: the inner calls change the state (a failed guard would
    // still have typed or removed).
    #[allow(clippy::collapsible_match)]
    fn pick_action(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang();
        let now = (self.now)();
        let (Screen::Profile(p), Some(s)) = (&mut self.screen, &mut self.session) else {
            return vec![];
        };
        let q = s.questionnaire.clone();
        let Some(f) = q.profile.get(p.field) else {
            return vec![];
        };
        let picks = p.picks();
        let before = s.assessment.profile.get(&f.id).cloned();
        let mut status: Option<Status> = None;
        let mut leave = false;
        // Where to go after choosing: None stays on the field.
        let mut go: Option<usize> = None;
        // With nothing typed, ↑ on the first row and ↓ on the last leave the list for the field
        // above or below, so that moving through the form with the arrows does not end in the
        // list. (With a name typed, leaving may be refused: the arrows stay in the list.)
        let browsing = p.input.value().is_empty();
        let action = match action {
            Action::Up if browsing && p.pick == 0 => Action::PrevField,
            Action::Down if browsing && p.pick + 1 >= picks.len() => Action::NextField,
            a => a,
        };
        match action {
            Action::Up => p.pick = p.pick.saturating_sub(1),
            Action::Down => p.pick = (p.pick + 1).min(picks.len().saturating_sub(1)),
            Action::Submit => match picks.get(p.pick.min(picks.len().saturating_sub(1))) {
                Some(pick) => {
                    status = save_pick(&q, f, s, p, *pick, &now, lang);
                    go = Some(p.field + 1);
                }
                None => {
                    status = Some(Status::Error(no_pick(&p.input.value(), 0, lang)));
                }
            },
            Action::NextField | Action::PrevField | Action::Leave => match p.pick_on_leave(lang) {
                Ok(pick) => {
                    if let Some(pick) = pick {
                        status = save_pick(&q, f, s, p, pick, &now, lang);
                    }
                    match action {
                        Action::NextField => go = Some(p.field + 1),
                        Action::PrevField => go = Some(p.field.saturating_sub(1)),
                        _ => leave = true,
                    }
                }
                Err(e) => status = Some(Status::Error(e)),
            },
            // Delete with nothing typed clears the saved province.
            Action::Edit(Key::Delete) if p.input.value().is_empty() => {
                if s.assessment.profile.remove(&f.id).is_some() {
                    s.assessment.updated_at = now.clone();
                    p.former = None;
                    status = Some(Status::Info(
                        tr(lang, "Đã xóa tỉnh, thành phố", "Province cleared").into(),
                    ));
                }
            }
            Action::Edit(k) => {
                if p.input.handle(k) == Edit::Changed {
                    p.pick = 0;
                }
            }
            Action::Paste(text) => {
                if p.input.paste(&text) == Edit::Changed {
                    p.pick = 0;
                }
            }
            _ => {}
        }
        let refused = matches!(status, Some(Status::Error(_)));
        let saved = s.assessment.profile.get(&f.id) != before.as_ref();
        if let Some(st) = status {
            self.status = Some(st);
        }
        if let Some(i) = go.filter(|_| !refused) {
            p.field = i.min(q.profile.len());
            p.load_field(&q, &s.assessment);
        }
        let mut effects: Vec<Effect> = vec![];
        if saved {
            s.rescore();
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
    let irows = p.interview_rows(&s.assessment);
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
                ProfileKind::Text if is_pick_list(field) && !v.is_empty() => {
                    match p.former.filter(|f| f.unit.name == v) {
                        Some(former) => former.label(lang),
                        None => provinces::describe_saved(&v, lang),
                    }
                }
                ProfileKind::Choice => {
                    let label = field
                        .option_label(&v)
                        .map(|l| l.get(lang).to_string())
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
        // A label too long for its column wraps inside it, beside the value, never cut; in a
        // window too narrow for two columns it is written whole and the value follows.
        let label = field.label.get(lang);
        let w = area.width as usize;
        if width(label) > label_w - 3 && label_w < w * 2 / 3 {
            if sel {
                focus = lines.len();
            }
            let value = format!("{value}{unit}");
            let cells = (marker(sel), label, star, value.as_str());
            push_columns(&mut lines, cells, label_w - 3, w, t.row(sel));
        } else {
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
        if sel && p.picking {
            push_picks(&mut lines, s, p, field, area.width as usize, t, lang);
        }
        if sel {
            focus_end = lines.len();
        }
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
    // On the pick-list ↑↓ move in the list; Tab moves on through the fields.
    let keys = if p.picking { "Tab" } else { "↑↓" };
    draw_scrolled(f, area, lines, Some(focus), Some(focus_end), keys, t, lang);
}

/// The pick-list under its field: the saved value, then a window of the rows matching what is
/// typed (the selected one marked), with a count of the rows above and below.
fn push_picks(
    lines: &mut Vec<Line<'static>>,
    s: &Session,
    p: &ProfileState,
    field: &ProfileField,
    w: usize,
    t: &Theme,
    lang: Lang,
) {
    let indent = "     ";
    // The list is not in the seed documents: say so, with its basis.
    push_wrapped(
        lines,
        &format!("{indent}{}", provinces::basis_short(lang)),
        indent,
        w,
        t.dim(),
        false,
    );
    if let Some(v) = s.assessment.profile_text(&field.id) {
        push_wrapped(
            lines,
            &format!(
                "{indent}{} {}",
                tr(lang, "Đang lưu:", "Saved:"),
                provinces::describe_saved(&v, lang)
            ),
            indent,
            w,
            t.dim(),
            false,
        );
    }
    let picks = p.picks();
    if picks.is_empty() {
        lines.push(Line::styled(
            format!(
                "{indent}{}",
                tr(
                    lang,
                    "Không có tỉnh, thành phố nào khớp",
                    "No province or city matches"
                )
            ),
            t.error(),
        ));
        return;
    }
    let sel = p.pick.min(picks.len() - 1);
    let top = sel.saturating_sub(PICK_ROWS - 1);
    let end = (top + PICK_ROWS).min(picks.len());
    if top > 0 {
        lines.push(Line::styled(
            format!(
                "{indent}▲ {} {}",
                top,
                tr(lang, "dòng ở trên", "more above")
            ),
            t.dim(),
        ));
    }
    for (i, pick) in picks.iter().enumerate().take(end).skip(top) {
        push_wrapped(
            lines,
            &format!("{indent}{}{}", marker(i == sel), pick.label(lang)),
            &format!("{indent}  "),
            w,
            t.row(i == sel),
            false,
        );
    }
    if end < picks.len() {
        lines.push(Line::styled(
            format!(
                "{indent}▼ {} {}",
                picks.len() - end,
                tr(lang, "dòng ở dưới", "more below")
            ),
            t.dim(),
        ));
    }
}

/// A field whose label is wider than its column (`col`): the label wraps within the column
/// and the value beside it within its own, so the value starts where every other value does.
fn push_columns(
    lines: &mut Vec<Line<'static>>,
    (marker, label, star, value): (&str, &str, &str, &str),
    col: usize,
    w: usize,
    style: ratatui::style::Style,
) {
    let left = crate::text::wrap(label, col);
    let right = crate::text::wrap(value, w.saturating_sub(col + 4).max(1));
    for i in 0..left.len().max(right.len()) {
        let (lead, mark) = if i == 0 { (marker, star) } else { ("  ", " ") };
        let l = pad(left.get(i).map_or("", String::as_str), col);
        let r = right.get(i).map_or("", String::as_str);
        let text = format!("{lead}{l}{mark} {r}");
        lines.push(Line::styled(text.trim_end().to_string(), style));
    }
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
    // Continuation lines start under the value: the marker (2 columns), the label padded to
    // `label_w - 3`, the star and a space. A narrow window gives the value half its width.
    let under_value = label_w + 1;
    let w = area.width as usize;
    let indent = " ".repeat(if under_value <= w * 2 / 3 {
        under_value
    } else {
        w / 2
    });
    push_wrapped(lines, text, &indent, area.width as usize, t.row(sel), false);
    if sel {
        *focus_end = lines.len();
    }
}
