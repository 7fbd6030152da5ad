//! Home: the assessments in the data folder; open, start, delete, open a questionnaire file.

use crate::assessment::summary::{self, Listed, Summary};
use crate::i18n::{Lang, tr};
use crate::scoring;
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

#[derive(Debug, Default)]
pub struct HomeState {
    pub items: Vec<Listing>,
    pub selected: usize,
    /// Assessments marked (Space) to reconcile together (c).
    pub marked: Vec<std::path::PathBuf>,
    /// The list has arrived (at start it is read after the first frame is drawn).
    pub loaded: bool,
}

impl App {
    /// Runs the effects held back until the first frame was drawn (the home list): the runner
    /// calls this through `Program::tick`, and before the first key, so keys act on the list.
    /// True when something ran.
    /// They run here, on the UI thread, even with a worker: the first key must find them done.
    pub fn run_deferred(&mut self) -> bool {
        let effects = std::mem::take(&mut self.deferred);
        let ran = !effects.is_empty();
        for e in effects {
            let jobs = self.jobs.take();
            let msg = self.perform(e);
            self.jobs = jobs;
            if let Some(m) = msg {
                self.dispatch(m);
            }
        }
        ran
    }
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
            // While the list is being read again (after closing an assessment), Enter waits
            // for it rather than starting a new assessment.
            Action::Choose if !h.loaded => {}
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
    if !h.loaded && app.confined.is_none() {
        lines.push(Line::from(tr(
            lang,
            "  Đang đọc danh sách…",
            "  Reading the list…",
        )));
    } else if h.items.is_empty() {
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
    f.render_widget(Lines(&lines), area);
}

/// Every assessment in the folder, newest first; damaged ones are listed with their error. The
/// summaries come from the folder's cache where it is current (see `assessment::summary`).
pub fn list_assessments(
    dir: &std::path::Path,
    catalog: &crate::questionnaire::Catalog,
) -> Vec<Listing> {
    let key = summary::key(catalog);
    let (listed, _) = summary::list(dir, &summary::cache_path(dir), &key, |path| {
        summarise(path, catalog).map_err(|e| {
            e.render(Lang::En)
                .lines()
                .next()
                .unwrap_or_default()
                .to_string()
        })
    });
    let mut out: Vec<Listing> = listed.into_iter().map(listing).collect();
    out.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(a.path.cmp(&b.path)));
    out
}

/// What the home list shows of one file, read and scored in full.
pub fn summarise(
    path: &std::path::Path,
    catalog: &crate::questionnaire::Catalog,
) -> Result<Summary, crate::assessment::store::StoreError> {
    let l = crate::assessment::store::read(path, catalog)?;
    let r = scoring::score(&l.questionnaire, &l.assessment);
    let band = r
        .headline_band
        .as_ref()
        .and_then(|b| l.questionnaire.band(b))
        .map(|b| b.label.clone());
    let (answered, shown) = progress_of(&l.questionnaire, &l.assessment);
    Ok(Summary {
        organisation: l.assessment.profile_text("org_name").unwrap_or_default(),
        questionnaire: l.questionnaire.id.clone(),
        title: l.questionnaire.title.clone(),
        progress: r.coverage.percent(),
        answered,
        shown,
        updated_at: l.assessment.updated_at.clone(),
        band,
    })
}

fn listing(l: Listed) -> Listing {
    match l.summary {
        Ok(s) => Listing {
            organisation: s.organisation,
            questionnaire: s.questionnaire,
            title: s.title,
            progress: s.progress,
            answered: s.answered,
            shown: s.shown,
            updated_at: s.updated_at,
            band: s.band,
            error: None,
            path: l.path,
        },
        Err(error) => Listing {
            organisation: String::new(),
            questionnaire: String::new(),
            title: Default::default(),
            progress: 0.0,
            answered: 0,
            shown: 0,
            updated_at: String::new(),
            band: None,
            error: Some(error),
            path: l.path,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::{Assessment, ProfileValue, Response, store};
    use crate::questionnaire::{Catalog, QuestionKind};
    use std::path::Path;
    use std::time::{Duration, SystemTime};

    fn age(p: &Path) {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(SystemTime::now() - Duration::from_secs(3600))
            .unwrap();
    }

    /// A folder of assessments: complete, partial, empty, of each built-in questionnaire, plus
    /// a damaged file and one of an unknown questionnaire.
    fn folder(c: &Catalog) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("assessments");
        std::fs::create_dir_all(&dir).unwrap();
        for (i, (id, level, org)) in [
            ("workshop", Some(3), "Sở Hoàn Thành"),
            ("sme", Some(1), "Công ty Một Nửa"),
            ("agency", None, ""),
        ]
        .into_iter()
        .enumerate()
        {
            let e = c.find(id, None).unwrap();
            let q = &e.questionnaire;
            let now = format!("2026-11-2{i}T08:00:00Z");
            let mut a = Assessment::new(q, &e.hash, &now);
            if !org.is_empty() {
                a.set_profile(q, "org_name", ProfileValue::Text(org.into()), &now)
                    .unwrap();
            }
            if let Some(level) = level {
                let ids: Vec<String> = q
                    .questions()
                    .filter(|(_, x)| x.kind == QuestionKind::Scale)
                    .map(|(_, x)| x.id.clone())
                    .collect();
                let n = if id == "sme" {
                    ids.len() / 2
                } else {
                    ids.len()
                };
                for qid in &ids[..n] {
                    a.set_response(q, qid, Response::Scale { level }, &now)
                        .unwrap();
                }
            }
            let p = dir.join(format!("{id}-{i}.json"));
            store::write(&p, &a, q).unwrap();
            age(&p);
        }
        std::fs::write(dir.join("damaged.json"), "{\"format_version\": 2,").unwrap();
        std::fs::write(
            dir.join("unknown.json"),
            "{\"format_version\": 2, \"questionnaire\": {\"id\": \"nope\", \"version\": \"1\", \"hash\": \"x\"}}",
        )
        .unwrap();
        d
    }

    #[test]
    fn the_home_list_is_the_same_with_and_without_the_cache() {
        let c = Catalog::builtin();
        let d = folder(&c);
        let dir = d.path().join("assessments");
        let cache = summary::cache_path(&dir);
        // Read in full: no cache yet.
        let fresh = list_assessments(&dir, &c);
        assert_eq!(fresh.len(), 5);
        assert!(cache.is_file(), "the listing left a cache");
        // The same files again: the good ones come from the cache (only the two bad ones are
        // read), and the list is identical.
        let key = summary::key(&c);
        let mut read = vec![];
        let (_, stats) = summary::list(&dir, &cache, &key, |p| {
            read.push(p.file_name().unwrap().to_string_lossy().into_owned());
            Err("not cached".into())
        });
        read.sort();
        assert_eq!(read, ["damaged.json", "unknown.json"]);
        assert_eq!(stats.hits, 3);
        let cached = list_assessments(&dir, &c);
        assert_eq!(fresh, cached);
        // Without the cache, once more.
        std::fs::remove_file(&cache).unwrap();
        assert_eq!(list_assessments(&dir, &c), fresh);
        // What the list shows: newest first, names, counts, bands, errors.
        let orgs: Vec<String> = fresh.iter().map(|l| l.org_label(Lang::En)).collect();
        assert_eq!(
            orgs[..3],
            ["(no name yet)", "Công ty Một Nửa", "Sở Hoàn Thành"]
        );
        assert!(fresh[2].band.is_some() && fresh[2].answered > fresh[1].answered);
        assert!(fresh[1].answered > 0 && fresh[1].answered < fresh[1].shown);
        assert!(fresh[3].error.is_some() && fresh[4].error.is_some());
    }

    #[test]
    fn a_changed_questionnaire_or_a_saved_file_is_summarised_again() {
        let c = Catalog::builtin();
        let d = folder(&c);
        let dir = d.path().join("assessments");
        let before = list_assessments(&dir, &c);
        // The user answers more in the half-done file: a new save, a new summary.
        let path = before[1].path.clone();
        let mut l = store::read(&path, &c).unwrap();
        l.assessment
            .set_profile(
                &l.questionnaire,
                "org_name",
                ProfileValue::Text("Công ty Đổi Tên".into()),
                "2026-11-23T08:00:00Z",
            )
            .unwrap();
        store::write(&path, &l.assessment, &l.questionnaire).unwrap();
        let after = list_assessments(&dir, &c);
        assert_eq!(after[0].organisation, "Công ty Đổi Tên");
        // Another catalog (a local questionnaire added) gives another key: nothing is reused.
        let mut other = Catalog::builtin();
        other.entries.pop();
        assert_ne!(summary::key(&c), summary::key(&other));
    }
}
