//! Home: the assessments in the data folder; open, start, delete, open a questionnaire file.

use crate::i18n::{Lang, tr};
use crate::scoring::{self};
use crate::text::{pad, truncate};
use crate::tui::app::{App, Effect};
use crate::tui::editor::LineInput;
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::screens::choose::ChooseState;
use crate::tui::theme::Theme;
use crate::tui::widgets::*;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

#[derive(Debug, Default)]
pub struct HomeState {
    pub items: Vec<Listing>,
    pub selected: usize,
    /// Assessments marked (Space) to reconcile together (r).
    pub marked: Vec<std::path::PathBuf>,
}

impl App {
    pub(in crate::tui) fn home_action(&mut self, action: Action) -> Vec<Effect> {
        let Screen::Home(h) = &mut self.screen else {
            return vec![];
        };
        if self.confined.is_some() {
            // Only reached when the participant's file could not be opened.
            return match action {
                Action::Quit | Action::Back => vec![Effect::Quit],
                _ => vec![],
            };
        }
        match action {
            Action::Up => h.selected = h.selected.saturating_sub(1),
            Action::Down => h.selected = (h.selected + 1).min(h.items.len().saturating_sub(1)),
            Action::Choose => {
                if let Some(item) = h.items.get(h.selected) {
                    return vec![Effect::Open(item.path.clone())];
                }
                self.screen = Screen::Choose(ChooseState::default());
            }
            Action::New => self.screen = Screen::Choose(ChooseState::default()),
            Action::Delete => {
                if let Some(item) = h.items.get(h.selected) {
                    let label = item.describe(self.settings.lang);
                    self.overlay = Some(Overlay::Confirm(Confirm::DeleteFile {
                        path: item.path.clone(),
                        label,
                    }));
                }
            }
            Action::OpenFile => self.overlay = Some(Overlay::OpenPath(LineInput::default())),
            Action::Mark => {
                if let Some(item) = h.items.get(h.selected) {
                    match h.marked.iter().position(|p| *p == item.path) {
                        Some(i) => {
                            h.marked.remove(i);
                        }
                        None => h.marked.push(item.path.clone()),
                    }
                    h.selected = (h.selected + 1).min(h.items.len().saturating_sub(1));
                }
            }
            Action::Reconcile => {
                if h.marked.len() >= 2 {
                    return vec![Effect::Reconcile(h.marked.clone())];
                }
                self.status = Some(Status::Info(
                    tr(
                        self.settings.lang,
                        "Đánh dấu (phím cách) ít nhất hai bản của cùng một bộ câu hỏi, rồi nhấn c để đối chiếu",
                        "Mark (Space) at least two assessments of the same questionnaire, then press c to reconcile",
                    )
                    .into(),
                ));
            }
            Action::Reassess => {
                if let Some(item) = h.items.get(h.selected).filter(|i| i.error.is_none()) {
                    return vec![Effect::Reassess(item.path.clone())];
                }
            }
            _ => {}
        }
        vec![]
    }
}

pub fn draw_home(app: &App, h: &HomeState, f: &mut Frame, area: Rect, t: &Theme) {
    let lang = app.lang();
    let mut lines = vec![
        Line::styled(tr(lang, " Các bản đánh giá", " Assessments"), t.title()),
        Line::from(""),
    ];
    if h.items.is_empty() {
        lines.push(Line::from(tr(
            lang,
            "  Chưa có bản đánh giá nào. Nhấn n để bắt đầu một bản mới.",
            "  No assessments yet. Press n to start one.",
        )));
        lines.push(Line::from(format!(
            "  {}: {}",
            tr(lang, "Thư mục dữ liệu", "Data folder"),
            app.data_dir.display()
        )));
    }
    if !h.items.is_empty() && app.confined.is_none() {
        // Re-assessment is found here, not only in the help (the footer is full at 80 columns).
        lines[1] = Line::styled(
            tr(
                lang,
                " r: đánh giá lại bản đang chọn (câu trả lời được mang sang một bản mới)",
                " r: re-assess the selected one (its answers carried over to a new assessment)",
            ),
            t.dim(),
        );
    }
    // Two lines an item: who and what, then when, how far, which band and the file, so two
    // assessments of one organisation are told apart.
    let rows = (area.height as usize).saturating_sub(2) / 2;
    let first = scroll(h.selected, rows.max(1));
    let w = area.width as usize;
    for (i, it) in h.items.iter().enumerate().skip(first).take(rows.max(1)) {
        let sel = i == h.selected;
        let file = it
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (one, two) = match &it.error {
            Some(e) => (format!("{}{file}", marker(sel)), format!("    {e}")),
            None => {
                let org = it.org_label(lang);
                let band = it
                    .band
                    .as_ref()
                    .map(|b| b.get(lang).to_string())
                    .unwrap_or_else(|| "—".into());
                let mark = if h.marked.contains(&it.path) {
                    "[x] "
                } else {
                    ""
                };
                (
                    format!("{}{mark}{org} · {}", marker(sel), it.title.get(lang)),
                    format!(
                        "    {} · {} {}/{} · {band} · {file}",
                        crate::locale::datetime(&it.updated_at, lang),
                        tr(lang, "đã trả lời", "answered"),
                        it.answered,
                        it.shown,
                    ),
                )
            }
        };
        let style = if sel {
            t.selected()
        } else if it.error.is_some() {
            t.error()
        } else {
            Default::default()
        };
        lines.push(Line::styled(pad(&truncate(&one, w), w), style));
        lines.push(Line::styled(
            pad(&truncate(&two, w), w),
            if sel { t.selected() } else { t.dim() },
        ));
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// Every assessment in the folder, newest first; damaged ones are listed with their error.
pub fn list_assessments(
    dir: &std::path::Path,
    catalog: &crate::questionnaire::Catalog,
) -> Vec<Listing> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut out: Vec<Listing> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(
            |path| match crate::assessment::store::read(&path, catalog) {
                Ok(l) => {
                    let r = scoring::score(&l.questionnaire, &l.assessment);
                    let band = r
                        .headline_band
                        .as_ref()
                        .and_then(|b| l.questionnaire.band(b))
                        .map(|b| b.label.clone());
                    let (answered, shown) = progress_of(&l.questionnaire, &l.assessment);
                    Listing {
                        organisation: l.assessment.profile_text("org_name").unwrap_or_default(),
                        questionnaire: l.questionnaire.id.clone(),
                        title: l.questionnaire.title.clone(),
                        progress: r.coverage.percent(),
                        answered,
                        shown,
                        updated_at: l.assessment.updated_at.clone(),
                        band,
                        error: None,
                        path,
                    }
                }
                Err(e) => Listing {
                    organisation: String::new(),
                    questionnaire: String::new(),
                    title: Default::default(),
                    progress: 0.0,
                    answered: 0,
                    shown: 0,
                    updated_at: String::new(),
                    band: None,
                    error: Some(
                        e.render(Lang::En)
                            .lines()
                            .next()
                            .unwrap_or_default()
                            .to_string(),
                    ),
                    path,
                },
            },
        )
        .collect();
    out.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(a.path.cmp(&b.path)));
    out
}
