//! The trainer's live view of a workshop room: who is connected, how far each participant
//! got, and the room's score distribution per pillar, task or security layer (the same
//! numbers as `sansang aggregate`). It re-reads the room when a participant saves, at most
//! every `TICK`, and exports the room report on request.

use super::key::Key;
use super::program::Program;
use super::theme::Theme;
use super::view::too_small;
use crate::aggregate::{GroupAggregate, Stats};
use crate::assessment::store;
use crate::i18n::{Lang, tr};
use crate::locale;
use crate::questionnaire::{Catalog, Group};
use crate::room::{Control, Participant, Room, Snapshot};
use crate::text::{pad, truncate, width};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How often the dashboard checks the room for changes.
pub const TICK: Duration = Duration::from_millis(500);
/// Longest broadcast line or typed name.
const MAX_INPUT: usize = 200;

/// What the dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// Participants and distributions (the trainer's own screen).
    Room,
    /// For the projector: no names, only the distributions, bands, weak items and progress.
    Projector,
    /// The free-text (discussion) answers, grouped by question.
    Discussion,
    /// One participant.
    Detail(String),
    /// Every key.
    Help,
}

/// Order of the participant list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Name,
    /// Least progress first: who is stuck.
    Progress,
    /// Highest score first.
    Score,
}

/// A yes/no question before something that cannot be undone from the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Stop the server (the local dashboard).
    Quit,
    Remove(String),
    Merge {
        from: String,
        into: String,
    },
    ArchiveRoom,
}

/// Text being typed at the bottom line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    Broadcast(String),
    Rename { name: String, text: String },
    Merge { name: String, text: String },
}

impl Prompt {
    fn text_mut(&mut self) -> &mut String {
        match self {
            Prompt::Broadcast(t)
            | Prompt::Rename { text: t, .. }
            | Prompt::Merge { text: t, .. } => t,
        }
    }
}

pub struct TrainerApp {
    pub room: Arc<Room>,
    pub catalog: Arc<Catalog>,
    /// Where room reports are written (`<dir>/room-<name>-<time>.<lang>.html`).
    pub reports_dir: PathBuf,
    pub lang: Lang,
    pub color: bool,
    pub snapshot: Option<Snapshot>,
    seen: u64,
    pub group: Group,
    pub cursor: usize,
    pub status: Option<String>,
    /// How to join, shown under the header in the server's own terminal (where the printed
    /// instructions are hidden behind the dashboard).
    pub join: Option<String>,
    pub size: (u16, u16),
    pub quit: bool,
    pub now: fn() -> String,
    pub view: View,
    pub sort: Sort,
    /// Only participants who have not finished.
    pub unfinished_only: bool,
    pub confirm: Option<Confirm>,
    pub prompt: Option<Prompt>,
    /// The server running the room (to end a session, broadcast, count connections).
    pub control: Option<Arc<dyn Control>>,
    /// Leaving this dashboard stops the server (the local `--dashboard`): it asks first.
    pub stops_server: bool,
    /// The line currently broadcast.
    pub broadcast: Option<String>,
    /// First line of the discussion / detail view.
    pub scroll: usize,
}

impl TrainerApp {
    pub fn new(room: Arc<Room>, catalog: Arc<Catalog>, reports_dir: PathBuf, lang: Lang) -> Self {
        TrainerApp {
            room,
            catalog,
            reports_dir,
            lang,
            color: true,
            snapshot: None,
            seen: 0,
            group: Group::Pillar,
            cursor: 0,
            status: None,
            join: None,
            size: (80, 24),
            quit: false,
            now: store::now,
            view: View::Room,
            sort: Sort::Name,
            unfinished_only: false,
            confirm: None,
            prompt: None,
            control: None,
            stops_server: false,
            broadcast: None,
            scroll: 0,
        }
    }

    /// Re-reads the room now, changed or not.
    fn reload(&mut self) {
        self.seen = 0;
        self.refresh();
    }

    /// Re-reads the room if anything changed since the last look.
    pub fn refresh(&mut self) -> bool {
        let g = self.room.generation();
        if g == self.seen && self.snapshot.is_some() {
            return false;
        }
        self.seen = g;
        let snap = self.room.snapshot(&self.catalog, self.lang);
        self.snapshot = Some(snap);
        let n = self.listed().len();
        self.cursor = self.cursor.min(n.saturating_sub(1));
        true
    }

    /// Writes the room report (HTML, and CSV for spreadsheets); returns the HTML path.
    pub fn export(&mut self) -> Result<PathBuf, String> {
        self.export_report(false)
    }

    /// Writes the room report, anonymised or not (`-anon` in the file names): see
    /// `crate::anonymise::aggregate`.
    pub fn export_report(&mut self, anonymise: bool) -> Result<PathBuf, String> {
        self.reload();
        let mut doc = self
            .snapshot
            .as_ref()
            .ok_or("no snapshot")?
            .aggregate
            .clone();
        if anonymise {
            crate::anonymise::aggregate(&mut doc);
        }
        let doc = &doc;
        let stamp: String = (self.now)()
            .chars()
            .filter(|c| c.is_ascii_digit())
            .take(14)
            .collect();
        let anon = if anonymise { "-anon" } else { "" };
        let stem = format!("room-{}-{stamp}{anon}.{}", self.room.name, self.lang.code());
        let html = self.reports_dir.join(format!("{stem}.html"));
        let csv = self.reports_dir.join(format!("{stem}.csv"));
        store::write_text(&html, &crate::report::aggregate_html::render(doc))
            .and_then(|()| store::write_text(&csv, &crate::aggregate::to_csv(doc, true)))
            .map_err(|e| e.render(self.lang))?;
        Ok(html)
    }

    /// The next (or previous) dimension group the room's questionnaire has.
    fn step_group(&self, forward: bool) -> Group {
        let present: Vec<Group> = self
            .snapshot
            .as_ref()
            .and_then(|s| s.aggregate.questionnaires.first())
            .map(|q| q.all.dimension_groups.iter().map(|g| g.group).collect())
            .filter(|v: &Vec<Group>| !v.is_empty())
            .unwrap_or_else(|| Group::ALL.to_vec());
        let n = present.len();
        let i = present.iter().position(|g| *g == self.group).unwrap_or(0);
        present[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }

    /// The participants as listed: filtered and sorted.
    pub fn listed(&self) -> Vec<&Participant> {
        let Some(s) = &self.snapshot else {
            return vec![];
        };
        let mut v: Vec<&Participant> = s
            .participants
            .iter()
            .filter(|p| !self.unfinished_only || p.applicable == 0 || p.answered < p.applicable)
            .collect();
        match self.sort {
            Sort::Name => {}
            Sort::Progress => v.sort_by_key(|p| (p.progress(), !p.online, p.name.clone())),
            Sort::Score => v.sort_by(|a, b| {
                b.headline
                    .unwrap_or(-1.0)
                    .total_cmp(&a.headline.unwrap_or(-1.0))
                    .then_with(|| a.name.cmp(&b.name))
            }),
        }
        v
    }

    fn selected(&self) -> Option<String> {
        self.listed().get(self.cursor).map(|p| p.name.clone())
    }

    fn connected(&self) -> usize {
        match &self.control {
            Some(c) => c.connected(),
            None => self
                .snapshot
                .as_ref()
                .map_or(0, |s| s.participants.iter().filter(|p| p.online).count()),
        }
    }

    fn say(&mut self, msg: String) {
        self.status = Some(msg);
    }

    /// Ends the participant's session (if any) so their file is free; false (and says so)
    /// if it is still held.
    fn free(&mut self, name: &str) -> bool {
        let ok = match &self.control {
            Some(c) => c.end_participant(name),
            None => !self.room.is_online(name),
        };
        if !ok {
            let msg = crate::room::RoomError::Busy(name.to_string()).message(self.lang);
            self.say(msg);
        }
        ok
    }

    fn run_confirmed(&mut self, c: Confirm) {
        let lang = self.lang;
        let now = (self.now)();
        match c {
            Confirm::Quit => self.quit = true,
            Confirm::Remove(name) => {
                if self.free(&name) {
                    let msg = match self.room.archive(&name, &now) {
                        Ok(p) => format!(
                            "{} \"{name}\" → {}",
                            tr(lang, "Đã chuyển vào lưu trữ", "Archived"),
                            p.display()
                        ),
                        Err(e) => e.message(lang),
                    };
                    self.say(msg);
                }
            }
            Confirm::Merge { from, into } => {
                if self.free(&from) && self.free(&into) {
                    let msg = match self.room.merge(&from, &into, &self.catalog, &now) {
                        Ok(()) => format!(
                            "{} \"{from}\" → \"{into}\"",
                            tr(
                                lang,
                                "Đã gộp (bản cũ được lưu trữ)",
                                "Merged (the old file is archived)"
                            )
                        ),
                        Err(e) => e.message(lang),
                    };
                    self.say(msg);
                }
            }
            Confirm::ArchiveRoom => {
                let names: Vec<String> = self
                    .snapshot
                    .as_ref()
                    .map(|s| {
                        s.participants
                            .iter()
                            .filter(|p| p.online)
                            .map(|p| p.name.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                if names.iter().all(|n| self.free(n)) {
                    let msg = match self.room.archive_all(&now) {
                        Ok((p, n)) => format!(
                            "{} {n} {} → {}",
                            tr(lang, "Đã lưu trữ", "Archived"),
                            tr(lang, "tệp; phòng trống", "files; the room is empty"),
                            p.display()
                        ),
                        Err(e) => e.message(lang),
                    };
                    self.say(msg);
                }
            }
        }
        self.reload();
    }

    fn submit(&mut self, p: Prompt) {
        let lang = self.lang;
        match p {
            Prompt::Broadcast(t) => {
                let line = Some(t.trim().to_string()).filter(|t| !t.is_empty());
                if let Some(c) = &self.control {
                    c.broadcast(line.clone());
                }
                self.say(match &line {
                    Some(l) => format!(
                        "{}: {l}",
                        tr(lang, "Đã gửi cho mọi người", "Shown to everyone")
                    ),
                    None => tr(lang, "Đã gỡ dòng thông báo", "Broadcast line removed").to_string(),
                });
                self.broadcast = line;
            }
            Prompt::Rename { name, text } => {
                if self.free(&name) {
                    let msg = match self.room.rename(&name, text.trim()) {
                        Ok(new) => format!(
                            "\"{name}\" → \"{new}\" ({})",
                            tr(lang, "đã đổi tên", "renamed")
                        ),
                        Err(e) => e.message(lang),
                    };
                    self.say(msg);
                }
                self.reload();
            }
            Prompt::Merge { name, text } => match crate::room::participant_name(text.trim()) {
                Ok(into) => self.confirm = Some(Confirm::Merge { from: name, into }),
                Err(e) => {
                    let msg = e.message(lang, text.trim());
                    self.say(msg);
                }
            },
        }
    }

    fn prompt_key(&mut self, key: Key) {
        let Some(mut p) = self.prompt.take() else {
            return;
        };
        match key {
            Key::Esc | Key::Ctrl('c') => {}
            Key::Enter => self.submit(p),
            Key::Backspace => {
                p.text_mut().pop();
                self.prompt = Some(p);
            }
            Key::Char(c) if !c.is_control() => {
                let t = p.text_mut();
                if t.len() + c.len_utf8() <= MAX_INPUT {
                    t.push(c);
                }
                self.prompt = Some(p);
            }
            _ => self.prompt = Some(p),
        }
    }
}

impl Program for TrainerApp {
    fn start(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        self.refresh();
    }

    fn key(&mut self, key: Key) {
        if self.prompt.is_some() {
            return self.prompt_key(key);
        }
        if let Some(c) = self.confirm.take() {
            if matches!(
                key,
                Key::Char('y') | Key::Char('Y') | Key::Char('c') | Key::Char('C')
            ) {
                self.run_confirmed(c);
            } else {
                self.say(tr(self.lang, "Đã hủy", "Cancelled").to_string());
            }
            return;
        }
        let n = self.listed().len();
        if !matches!(key, Key::Char('p' | 'P')) {
            self.status = None;
        }
        match key {
            Key::Char('q') | Key::Ctrl('c') => self.leave(),
            Key::Esc => {
                if self.view == View::Room {
                    self.leave();
                } else {
                    self.view = View::Room;
                    self.scroll = 0;
                }
            }
            Key::Tab | Key::Right => {
                self.group = self.step_group(true);
            }
            Key::BackTab | Key::Left => {
                self.group = self.step_group(false);
            }
            Key::Up | Key::Char('k') => {
                if matches!(self.view, View::Room) {
                    self.cursor = self.cursor.saturating_sub(1)
                } else {
                    self.scroll = self.scroll.saturating_sub(1)
                }
            }
            Key::Down | Key::Char('j') => {
                if matches!(self.view, View::Room) {
                    self.cursor = (self.cursor + 1).min(n.saturating_sub(1))
                } else {
                    self.scroll += 1
                }
            }
            Key::Enter => {
                if let Some(name) = self.selected() {
                    self.view = View::Detail(name);
                    self.scroll = 0;
                }
            }
            Key::Char('?') => {
                self.view = if self.view == View::Help {
                    View::Room
                } else {
                    View::Help
                };
            }
            Key::Char('v') => {
                self.view = if self.view == View::Projector {
                    View::Room
                } else {
                    View::Projector
                };
            }
            Key::Char('d') => {
                self.scroll = 0;
                self.view = if self.view == View::Discussion {
                    View::Room
                } else {
                    View::Discussion
                };
            }
            Key::Char('s') => {
                self.sort = match self.sort {
                    Sort::Name => Sort::Progress,
                    Sort::Progress => Sort::Score,
                    Sort::Score => Sort::Name,
                };
                self.cursor = 0;
            }
            Key::Char('f') => {
                self.unfinished_only = !self.unfinished_only;
                self.cursor = 0;
            }
            Key::Char('x') | Key::Delete => {
                if let Some(name) = self.selected() {
                    self.confirm = Some(Confirm::Remove(name));
                }
            }
            Key::Char('n') => {
                if let Some(name) = self.selected() {
                    self.prompt = Some(Prompt::Rename {
                        name,
                        text: String::new(),
                    });
                }
            }
            Key::Char('m') => {
                if let Some(name) = self.selected() {
                    self.prompt = Some(Prompt::Merge {
                        name,
                        text: String::new(),
                    });
                }
            }
            Key::Char('b') => {
                self.prompt = Some(Prompt::Broadcast(
                    self.broadcast.clone().unwrap_or_default(),
                ))
            }
            Key::Char('o') => {
                let locked = !self.room.is_locked();
                self.room.set_locked(locked);
                self.say(
                    tr(
                        self.lang,
                        if locked {
                            "Phòng đã khóa với tên mới (người đã có tệp vẫn vào lại được)"
                        } else {
                            "Phòng đã mở cho tên mới"
                        },
                        if locked {
                            "The room is closed to new names (those with a file can come back)"
                        } else {
                            "The room is open to new names"
                        },
                    )
                    .to_string(),
                );
            }
            Key::Char('A') => self.confirm = Some(Confirm::ArchiveRoom),
            Key::Char('l') | Key::Char('L') => {
                self.lang = match self.lang {
                    Lang::Vi => Lang::En,
                    Lang::En => Lang::Vi,
                };
                self.reload();
            }
            Key::Char('r') => self.reload(),
            Key::Char(c @ ('p' | 'P')) => {
                self.status = Some(match self.export_report(c == 'P') {
                    Ok(p) => format!(
                        "{}: {}",
                        tr(self.lang, "Đã ghi báo cáo phòng", "Room report written"),
                        p.display()
                    ),
                    Err(e) => e,
                })
            }
            _ => {}
        }
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
    }

    fn tick_every(&self) -> Option<Duration> {
        Some(TICK)
    }

    fn tick(&mut self) -> bool {
        // Redraw a pending quit question too: the number connected may have changed.
        self.refresh() || self.confirm == Some(Confirm::Quit)
    }

    fn draw(&self, f: &mut Frame) {
        view(self, f)
    }

    fn done(&self) -> bool {
        self.quit
    }
}

impl TrainerApp {
    /// `q`: a trainer over SSH just leaves; the local dashboard would stop the server, so it
    /// asks first.
    fn leave(&mut self) {
        if self.stops_server {
            self.confirm = Some(Confirm::Quit);
        } else {
            self.quit = true;
        }
    }

    /// The question shown for a pending confirmation.
    fn question(&self, c: &Confirm) -> String {
        let lang = self.lang;
        let yn = tr(
            lang,
            "(c = có, phím khác = không)",
            "(y = yes, any other key = no)",
        );
        match c {
            Confirm::Quit => format!(
                "{} {} {}. {yn}",
                tr(
                    lang,
                    "Dừng máy chủ cho cả phòng?",
                    "Stop the server for the whole room?"
                ),
                self.connected(),
                tr(
                    lang,
                    "người đang kết nối (câu trả lời đã lưu)",
                    "participants connected (their answers are saved)"
                ),
            ),
            Confirm::Remove(n) => format!(
                "{} \"{n}\" {}? {yn}",
                tr(lang, "Đưa", "Remove"),
                tr(
                    lang,
                    "ra khỏi phòng (tệp được lưu trữ, không xóa)",
                    "from the room (the file is archived, not deleted)"
                ),
            ),
            Confirm::Merge { from, into } => format!(
                "{} \"{from}\" {} \"{into}\"? {yn}",
                tr(lang, "Gộp", "Merge"),
                tr(lang, "vào", "into"),
            ),
            Confirm::ArchiveRoom => format!(
                "{} {yn}",
                tr(
                    lang,
                    "Lưu trữ cả phòng và bắt đầu lại (mọi tệp vào archive/, đóng mọi phiên)?",
                    "Archive the whole room and start again (every file to archive/, every session closed)?"
                ),
            ),
        }
    }
}

/// The room view's keys, most used first (the footer shows those that fit; `?` all).
fn room_keys(lang: Lang) -> Vec<(&'static str, &'static str)> {
    vec![
        ("?", tr(lang, "mọi phím", "all keys")),
        ("Tab", tr(lang, "trụ cột/nhiệm vụ/lớp", "pillar/task/layer")),
        ("Enter", tr(lang, "chi tiết", "detail")),
        ("p", tr(lang, "xuất báo cáo", "export report")),
        ("s", tr(lang, "sắp xếp", "sort")),
        ("f", tr(lang, "chưa xong", "unfinished")),
        ("v", tr(lang, "màn chiếu", "projector")),
        ("d", tr(lang, "thảo luận", "discussion")),
        ("x", tr(lang, "đưa ra", "remove")),
        ("n", tr(lang, "đổi tên", "rename")),
        ("m", tr(lang, "gộp", "merge")),
        ("o", tr(lang, "khóa/mở", "lock/open")),
        ("b", tr(lang, "thông báo", "broadcast")),
        ("A", tr(lang, "lưu trữ phòng", "archive room")),
        ("P", tr(lang, "báo cáo ẩn danh", "anonymised report")),
        ("l", tr(lang, "English", "Tiếng Việt")),
    ]
}

fn draw_help(app: &TrainerApp, f: &mut Frame, area: Rect, t: &Theme) {
    let lang = app.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", tr(lang, "Phím", "Keys")));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{:>6}  ", "↑↓"), t.key()),
        Span::raw(tr(lang, "chọn người tham gia", "select a participant")),
    ])];
    for (k, label) in room_keys(lang)
        .into_iter()
        .chain([("q", tr(lang, "thoát", "quit"))])
    {
        lines.push(Line::from(vec![
            Span::styled(format!("{k:>6}  "), t.key()),
            Span::raw(label),
        ]));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// Draws the dashboard; pure, like the wizard's view.
pub fn view(app: &TrainerApp, f: &mut Frame) {
    let area = f.area();
    let t = Theme { color: app.color };
    let lang = app.lang;
    if too_small(f, lang, &t) {
        return;
    }
    let join_rows = u16::from(app.join.is_some());
    let [header, join, status, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(join_rows),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let w = area.width as usize;
    if let Some(j) = &app.join {
        f.render_widget(
            Paragraph::new(Line::styled(truncate(&format!(" {j}"), w), t.key())),
            join,
        );
    }
    let snap = app.snapshot.as_ref();
    let qa = snap.and_then(|s| s.aggregate.questionnaires.first());
    let title = qa.map(|q| q.title.clone()).unwrap_or_default();
    let lock = if app.room.is_locked() {
        format!(" · 🔒 {}", tr(lang, "đã khóa", "locked"))
    } else {
        String::new()
    };
    let left = format!(
        " sansang · {} {}{lock} · {title}",
        tr(lang, "Phòng", "Room"),
        app.room.name
    );
    let right = format!(" {} ", lang.code().to_uppercase());
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(pad(&left, w.saturating_sub(width(&right))), t.title()),
            Span::styled(right, t.key()),
        ])),
        header,
    );
    let parts = snap.map_or(&[][..], |s| &s.participants[..]);
    let online = parts.iter().filter(|p| p.online).count();
    let blank = parts.iter().filter(|p| p.blank).count();
    let counted = parts.len() - blank;
    let scored = parts.iter().filter(|p| p.headline.is_some()).count();
    let line = match (&app.confirm, &app.status) {
        (Some(c), _) => format!(" {}", app.question(c)),
        (None, Some(s)) => format!(" {s}"),
        (None, None) => format!(
            " {}: {counted} ({} {}; {blank} {}) · {}: {scored}",
            tr(lang, "Người tham gia", "Participants"),
            online,
            tr(lang, "đang kết nối", "connected"),
            tr(lang, "trống, không tính", "blank, not counted"),
            tr(lang, "có điểm", "with a score"),
        ),
    };
    let style = if app.confirm.is_some() {
        t.warn()
    } else {
        ratatui::style::Style::default()
    };
    f.render_widget(
        Paragraph::new(Line::styled(truncate(&line, w), style)),
        status,
    );

    let all = qa.map(|q| &q.all);
    match &app.view {
        View::Room => {
            let left_w = (body.width / 2).clamp(30, 44);
            let [list_area, dist_area] =
                Layout::horizontal([Constraint::Length(left_w), Constraint::Min(20)]).areas(body);
            draw_participants(app, f, list_area, &t);
            draw_distribution(app, all, f, dist_area, &t);
        }
        View::Projector => {
            let [prog_area, dist_area] =
                Layout::horizontal([Constraint::Percentage(40), Constraint::Min(20)]).areas(body);
            draw_projector(app, parts, all, f, prog_area, &t);
            draw_distribution(app, all, f, dist_area, &t);
        }
        View::Discussion => draw_discussion(app, f, body, &t),
        View::Detail(name) => draw_detail(app, name, f, body, &t),
        View::Help => draw_help(app, f, body, &t),
    }

    if let Some(p) = &app.prompt {
        let (label, text) = match p {
            Prompt::Broadcast(t) => (
                tr(
                    lang,
                    "Dòng gửi mọi người (trống = gỡ)",
                    "Line for everyone (empty = remove)",
                )
                .to_string(),
                t,
            ),
            Prompt::Rename { name, text } => (
                format!(
                    "{} \"{name}\" {}",
                    tr(lang, "Đổi tên", "Rename"),
                    tr(lang, "thành", "to")
                ),
                text,
            ),
            Prompt::Merge { name, text } => (
                format!(
                    "{} \"{name}\" {}",
                    tr(lang, "Gộp", "Merge"),
                    tr(lang, "vào tên", "into the name")
                ),
                text,
            ),
        };
        let line = format!(" {label}: {text}▏ (Enter · Esc)");
        f.render_widget(
            Paragraph::new(Line::styled(truncate(&line, w), t.key())),
            footer,
        );
        return;
    }
    let keys: Vec<(&str, &str)> = match app.view {
        View::Room => room_keys(lang),
        _ => vec![
            ("Esc", tr(lang, "quay lại", "back")),
            ("↑↓", tr(lang, "cuộn", "scroll")),
            ("Tab", tr(lang, "trụ cột/nhiệm vụ/lớp", "pillar/task/layer")),
            ("l", tr(lang, "English", "Tiếng Việt")),
        ],
    };
    // As many keys as fit, most used first; how to leave always shows, last.
    let quit = ("q", tr(lang, "thoát", "quit"));
    let piece = |(k, label): (&str, &str)| width(k) + width(label) + 3;
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1 + piece(quit);
    for (k, label) in keys.into_iter().chain([quit]) {
        if (k, label) != quit {
            if used + piece((k, label)) > w {
                continue;
            }
            used += piece((k, label));
        }
        spans.push(Span::styled(k, t.key()));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), footer);
}

fn sort_label(s: Sort, lang: Lang) -> &'static str {
    match s {
        Sort::Name => tr(lang, "A–Z", "A–Z"),
        Sort::Progress => tr(lang, "chậm nhất trước", "stuck first"),
        Sort::Score => tr(lang, "điểm cao trước", "top score first"),
    }
}

fn draw_participants(app: &TrainerApp, f: &mut Frame, area: Rect, t: &Theme) {
    let lang = app.lang;
    let parts = app.listed();
    let filter = if app.unfinished_only {
        format!(" · {}", tr(lang, "chưa xong", "unfinished"))
    } else {
        String::new()
    };
    let block = Block::default().borders(Borders::ALL).title(format!(
        " {} · {}{filter} ",
        tr(lang, "Người tham gia", "Participants"),
        sort_label(app.sort, lang)
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let rows = inner.height as usize;
    if parts.is_empty() {
        let msg = if app
            .snapshot
            .as_ref()
            .is_some_and(|s| !s.participants.is_empty())
        {
            tr(
                lang,
                "Mọi người đã xong (f: hiện tất cả).",
                "Everyone has finished (f: show all).",
            )
        } else {
            tr(
                lang,
                "Chưa có ai vào phòng. Người tham gia chạy lệnh ssh in ở màn hình máy chủ.",
                "Nobody has joined yet. Participants run the ssh command printed by the server.",
            )
        };
        f.render_widget(
            Paragraph::new(msg).style(t.dim()).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    // Keep the cursor in view.
    let first = app.cursor.saturating_sub(rows.saturating_sub(1));
    let mut lines = Vec::new();
    for (i, p) in parts.iter().enumerate().skip(first).take(rows) {
        let sel = i == app.cursor;
        // Online state is a symbol, not only a colour.
        let dot = if p.online { "●" } else { "○" };
        let progress = if p.error.is_some() {
            tr(lang, "lỗi tệp", "file error").to_string()
        } else if p.blank {
            tr(lang, "trống", "blank").to_string()
        } else {
            let score = locale::score_opt(p.headline, lang);
            format!(
                "{:>3}/{:<3}{:>4}% {score:>5}",
                p.answered,
                p.applicable,
                p.progress()
            )
        };
        let name_w = w.saturating_sub(width(&progress) + 5);
        let text = format!(
            "{}{dot} {} {progress}",
            if sel { "▶" } else { " " },
            pad(&truncate(&p.name, name_w), name_w)
        );
        let style = if sel {
            t.selected()
        } else if p.error.is_some() {
            t.error()
        } else if p.online && !p.blank {
            ratatui::style::Style::default()
        } else {
            t.dim()
        };
        lines.push(Line::styled(truncate(&text, w), style));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// The projector's left column: progress in bands of a quarter, and the weakest items. No
/// names anywhere.
fn draw_projector(
    app: &TrainerApp,
    parts: &[Participant],
    all: Option<&GroupAggregate>,
    f: &mut Frame,
    area: Rect,
    t: &Theme,
) {
    let lang = app.lang;
    let block = Block::default().borders(Borders::ALL).title(format!(
        " {} ",
        tr(lang, "Tiến độ của phòng", "The room's progress")
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let counted: Vec<&Participant> = parts
        .iter()
        .filter(|p| !p.blank && p.error.is_none())
        .collect();
    let mut buckets = [0usize; 5];
    for p in &counted {
        let pct = p.progress();
        let i = if pct >= 100 { 4 } else { pct / 25 };
        buckets[i] += 1;
    }
    let labels = [
        "0–24%",
        "25–49%",
        "50–74%",
        "75–99%",
        tr(lang, "xong", "done"),
    ];
    let most = buckets.iter().copied().max().unwrap_or(0).max(1);
    let mut lines = vec![Line::raw(format!(
        "{}: {} · {} {}",
        tr(lang, "Người tham gia", "Participants"),
        counted.len(),
        parts.iter().filter(|p| p.online).count(),
        tr(lang, "đang kết nối", "connected")
    ))];
    let bar_w = w.saturating_sub(16).max(1);
    for (label, n) in labels.iter().zip(buckets) {
        let bar = "█".repeat(n * bar_w / most);
        lines.push(Line::from(vec![
            Span::raw(format!("{:>7} {:>3} ", label, n)),
            Span::styled(bar, t.title()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        tr(lang, "Điểm yếu phổ biến nhất", "Most common weak items").to_string(),
        t.title(),
    ));
    match all.map(|a| &a.weak[..]).filter(|w| !w.is_empty()) {
        None => lines.push(Line::styled(
            tr(lang, "Chưa có.", "None yet.").to_string(),
            t.dim(),
        )),
        Some(weak) => {
            for item in weak.iter().take(5) {
                lines.push(Line::raw(truncate(
                    &format!("{:>3}× {}", item.weak + item.dont_know, item.question),
                    w,
                )));
            }
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_discussion(app: &TrainerApp, f: &mut Frame, area: Rect, t: &Theme) {
    let lang = app.lang;
    let block = Block::default().borders(Borders::ALL).title(format!(
        " {} ",
        tr(lang, "Câu trả lời thảo luận", "Discussion answers")
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = (inner.width as usize).max(10);
    let mut lines = Vec::new();
    let discussion = app.snapshot.as_ref().map_or(&[][..], |s| &s.discussion[..]);
    if discussion.is_empty() {
        lines.push(Line::styled(
            tr(
                lang,
                "Chưa có câu trả lời thảo luận nào.",
                "No discussion answers yet.",
            )
            .to_string(),
            t.dim(),
        ));
    }
    for d in discussion {
        for l in crate::text::wrap(&format!("{} ({})", d.question, d.answers.len()), w) {
            lines.push(Line::styled(l, t.title()));
        }
        for (name, text) in &d.answers {
            let mut first = true;
            for l in crate::text::wrap(&format!("{name}: {text}"), w.saturating_sub(4)) {
                lines.push(Line::raw(format!(
                    "{}{l}",
                    if first { "  • " } else { "    " }
                )));
                first = false;
            }
        }
        lines.push(Line::raw(""));
    }
    let skip = app.scroll.min(lines.len().saturating_sub(1));
    f.render_widget(Paragraph::new(lines.split_off(skip)), inner);
}

fn draw_detail(app: &TrainerApp, name: &str, f: &mut Frame, area: Rect, t: &Theme) {
    let lang = app.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {name} "));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = (inner.width as usize).max(10);
    let snap = app.snapshot.as_ref();
    let p = snap.and_then(|s| s.participants.iter().find(|p| p.name == name));
    let mut lines = Vec::new();
    let Some(p) = p else {
        lines.push(Line::styled(
            tr(lang, "Không còn trong phòng.", "No longer in the room.").to_string(),
            t.dim(),
        ));
        f.render_widget(Paragraph::new(lines), inner);
        return;
    };
    let state = if p.online {
        tr(lang, "● đang kết nối", "● connected")
    } else {
        tr(lang, "○ không kết nối", "○ not connected")
    };
    lines.push(Line::raw(state.to_string()));
    if let Some(e) = &p.error {
        for l in crate::text::wrap(e, w) {
            lines.push(Line::styled(l, t.error()));
        }
    } else if p.blank {
        lines.push(Line::styled(
            tr(
                lang,
                "Chưa trả lời câu nào (không tính vào thống kê).",
                "No answer yet (not counted in any statistic).",
            )
            .to_string(),
            t.dim(),
        ));
    } else {
        lines.push(Line::raw(format!(
            "{}: {}/{} ({}%) · {}: {} {}",
            tr(lang, "Đã trả lời", "Answered"),
            p.answered,
            p.applicable,
            p.progress(),
            tr(lang, "điểm", "score"),
            locale::score_opt(p.headline, lang),
            p.band.clone().unwrap_or_default()
        )));
    }
    if let Some(qa) = snap.and_then(|s| s.aggregate.questionnaires.first()) {
        let r = qa.respondents.iter().find(|r| {
            std::path::Path::new(&r.file)
                .file_stem()
                .is_some_and(|s| s.to_string_lossy() == name)
        });
        if let Some(r) = r {
            if !r.organisation.is_empty() {
                lines.push(Line::raw(format!(
                    "{}: {}",
                    tr(lang, "Tổ chức", "Organisation"),
                    r.organisation
                )));
            }
            lines.push(Line::raw(""));
            for (d, v) in qa.dimensions.iter().zip(&r.dimensions) {
                if d.group != app.group {
                    continue;
                }
                let score = locale::score_opt(*v, lang);
                let label_w = w.saturating_sub(width(&score) + 1);
                lines.push(Line::from(vec![
                    Span::raw(pad(&truncate(&d.label, label_w), label_w)),
                    Span::raw(" "),
                    Span::styled(score, t.title()),
                ]));
            }
        }
    }
    let mine: Vec<(&str, &str)> = snap
        .map(|s| {
            s.discussion
                .iter()
                .flat_map(|d| {
                    d.answers
                        .iter()
                        .filter(|(n, _)| n == name)
                        .map(move |(_, a)| (d.question.as_str(), a.as_str()))
                })
                .collect()
        })
        .unwrap_or_default();
    if !mine.is_empty() {
        lines.push(Line::raw(""));
        for (q, a) in mine {
            for l in crate::text::wrap(q, w) {
                lines.push(Line::styled(l, t.dim()));
            }
            for l in crate::text::wrap(a, w.saturating_sub(2)) {
                lines.push(Line::raw(format!("  {l}")));
            }
        }
    }
    let skip = app.scroll.min(lines.len().saturating_sub(1));
    f.render_widget(Paragraph::new(lines.split_off(skip)), inner);
}

fn draw_distribution(
    app: &TrainerApp,
    all: Option<&GroupAggregate>,
    f: &mut Frame,
    area: Rect,
    t: &Theme,
) {
    let lang = app.lang;
    let n = all.map_or(0, |a| a.count);
    let block = Block::default().borders(Borders::ALL).title(format!(
        " {} {} (n={n}) ",
        tr(lang, "Phân bố theo", "Distribution by"),
        app.group.label(lang).to_lowercase()
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    let Some(all) = all else {
        f.render_widget(
            Paragraph::new(tr(lang, "Chưa có câu trả lời.", "No answers yet.")).style(t.dim()),
            inner,
        );
        return;
    };
    if let Some(dg) = all.dimension_groups.iter().find(|g| g.group == app.group) {
        for d in &dg.dimensions {
            let stats = d.claimed.as_ref();
            let summary = stats.map_or(
                tr(lang, "chưa có điểm", "no score yet").to_string(),
                |s| {
                    format!(
                        "n={} {} {:.0} [{:.0}–{:.0}]",
                        s.count,
                        tr(lang, "trung vị", "median"),
                        s.median,
                        s.q1,
                        s.q3
                    )
                },
            );
            let label_w = w.saturating_sub(width(&summary) + 1);
            lines.push(Line::from(vec![
                Span::styled(pad(&truncate(&d.label, label_w), label_w), t.title()),
                Span::raw(" "),
                Span::raw(summary),
            ]));
            lines.push(Line::from(box_plot(stats, w)));
        }
    }
    lines.push(Line::styled(
        format!(
            "├ min  ▒ Q1–Q3  ┃ {}  ┤ max  (0–100)",
            tr(lang, "trung vị", "median")
        ),
        t.dim(),
    ));
    // Bands: how many participants sit in each.
    let bands: Vec<String> = all
        .bands
        .iter()
        .filter(|b| b.id.is_some())
        .map(|b| format!("{} {}", b.label, b.count))
        .collect();
    if !bands.is_empty() {
        lines.push(Line::styled(
            format!("{}: {}", tr(lang, "Mức", "Bands"), bands.join(" · ")),
            t.dim(),
        ));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// A one-line box plot on a 0–100 scale: `├──▒▒▒┃▒▒──┤` from min to max, the box from Q1 to
/// Q3 and the median as a heavy bar. Characters, not colours, carry the meaning.
pub fn box_plot(stats: Option<&Stats>, cols: usize) -> String {
    let cols = cols.max(10);
    let Some(s) = stats else {
        return "·".repeat(cols);
    };
    let at = |v: f64| (((v.clamp(0.0, 100.0)) / 100.0) * (cols - 1) as f64).round() as usize;
    let (lo, q1, med, q3, hi) = (at(s.min), at(s.q1), at(s.median), at(s.q3), at(s.max));
    (0..cols)
        .map(|i| {
            if i == med {
                '┃'
            } else if i == lo && i == hi {
                '│'
            } else if i == lo {
                '├'
            } else if i == hi {
                '┤'
            } else if i > q1.max(lo) && i < q3.min(hi) || i == q1 || i == q3 {
                '▒'
            } else if i > lo && i < hi {
                '─'
            } else {
                '·'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_plot_places_quartiles_on_the_scale() {
        let s = Stats {
            count: 5,
            mean: 50.0,
            min: 0.0,
            q1: 25.0,
            median: 50.0,
            q3: 75.0,
            max: 100.0,
        };
        assert_eq!(box_plot(Some(&s), 21), "├────▒▒▒▒▒┃▒▒▒▒▒────┤");
        assert_eq!(box_plot(None, 10), "··········");
        let one = Stats {
            count: 1,
            mean: 40.0,
            min: 40.0,
            q1: 40.0,
            median: 40.0,
            q3: 40.0,
            max: 40.0,
        };
        assert_eq!(box_plot(Some(&one), 11), "····┃······");
    }
}

#[cfg(test)]
mod room_tests {
    use super::*;
    use crate::assessment::{Assessment, ProfileValue, Response};
    use crate::questionnaire::content_hash;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use std::sync::Mutex;

    const NOW: &str = "2026-12-01T20:00:00Z";

    /// A room with: "an" (2 answers + a discussion answer), "binh" (every scored question),
    /// "chi" and "dung" (blank: opened the wizard, answered nothing).
    fn room() -> (tempfile::TempDir, TrainerApp) {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Arc::new(Catalog::builtin());
        let q = catalog
            .find("workshop", None)
            .unwrap()
            .questionnaire
            .clone();
        let write = |name: &str, n: usize, text: Option<&str>| {
            let mut a = Assessment::new(&q, &content_hash(&q), NOW);
            a.set_profile(
                &q,
                "org_name",
                ProfileValue::Text(format!("Org {name}")),
                NOW,
            )
            .unwrap();
            let scales: Vec<String> = q
                .questions()
                .filter(|(_, x)| x.kind == crate::questionnaire::QuestionKind::Scale)
                .map(|(_, x)| x.id.clone())
                .take(n)
                .collect();
            for id in scales {
                a.set_response(&q, &id, Response::Scale { level: 2 }, NOW)
                    .unwrap();
            }
            if n == usize::MAX {
                // Everything else too ("don't know" where the question allows it).
                for (_, x) in q.questions() {
                    if !a.answers.contains_key(&x.id)
                        && x.kind != crate::questionnaire::QuestionKind::Text
                    {
                        let _ = a.set_response(&q, &x.id, Response::DontKnow, NOW);
                    }
                }
            }
            if let Some(t) = text {
                a.set_response(&q, "ws.20", Response::Text { text: t.into() }, NOW)
                    .unwrap();
            }
            store::write(&dir.path().join(format!("{name}.json")), &a, &q).unwrap();
        };
        write("an", 2, Some("Thiếu kinh phí"));
        write("binh", usize::MAX, None);
        write("chi", 0, None);
        write("dung", 0, None);
        let r = Arc::new(Room::new(
            "lop".into(),
            dir.path().to_path_buf(),
            "workshop".into(),
        ));
        let mut app = TrainerApp::new(r, catalog, dir.path().join("reports"), Lang::En);
        app.now = || NOW.to_string();
        app.start(120, 40);
        (dir, app)
    }

    fn screen(app: &TrainerApp) -> String {
        let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
        term.draw(|f| view(app, f)).unwrap();
        let buf = term.backend().buffer().clone();
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn blank_entries_are_listed_but_never_counted() {
        let (_d, app) = room();
        let snap = app.snapshot.as_ref().unwrap();
        assert_eq!(snap.participants.len(), 4);
        assert_eq!(snap.participants.iter().filter(|p| p.blank).count(), 2);
        // The aggregate has the two who answered, as `aggregate` would on those files.
        assert_eq!(snap.aggregate.respondents, 2);
        assert_eq!(snap.aggregate.questionnaires[0].all.count, 2);
        let s = screen(&app);
        assert!(
            s.contains("Participants: 2 (0 connected; 2 blank, not counted)"),
            "{s}"
        );
    }

    #[test]
    fn who_is_stuck_sorts_least_progress_first_and_hides_the_finished() {
        let (_d, mut app) = room();
        app.key(Key::Char('s'));
        assert_eq!(app.sort, Sort::Progress);
        let names: Vec<&str> = app.listed().iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["chi", "dung", "an", "binh"]);
        // Counted as binh's wizard counts: every question shown, the discussion one included.
        let binh = app.listed().into_iter().find(|p| p.name == "binh").unwrap();
        assert_eq!((binh.answered, binh.applicable), (18, 19));
        app.key(Key::Char('f'));
        assert!(app.listed().iter().any(|p| p.name == "binh"));
        app.key(Key::Char('f'));
        // binh answers the discussion question too: finished.
        let path = app.room.participant_path("binh");
        let catalog = Catalog::builtin();
        let mut l = store::read(&path, &catalog).unwrap();
        l.assessment
            .set_response(
                &l.questionnaire,
                "ws.20",
                Response::Text {
                    text: "Ít người".into(),
                },
                NOW,
            )
            .unwrap();
        store::write(&path, &l.assessment, &l.questionnaire).unwrap();
        app.reload();
        let binh = app.listed().into_iter().find(|p| p.name == "binh").unwrap();
        assert_eq!((binh.answered, binh.applicable), (19, 19));
        app.key(Key::Char('f'));
        let names: Vec<&str> = app.listed().iter().map(|p| p.name.as_str()).collect();
        assert!(!names.contains(&"binh"), "binh finished: {names:?}");
        let s = screen(&app);
        assert!(s.contains("stuck first · unfinished"), "{s}");
    }

    #[test]
    fn the_projector_view_shows_no_names() {
        let (_d, mut app) = room();
        assert!(screen(&app).contains("binh"));
        app.key(Key::Char('v'));
        let s = screen(&app);
        for name in ["an", "binh", "chi", "dung", "Org "] {
            let shown = s.lines().any(|l| {
                l.split(|c: char| !c.is_alphanumeric() && c != ' ')
                    .any(|w| w.split_whitespace().any(|x| x == name.trim()))
            });
            assert!(!shown, "{name} on the projector:\n{s}");
        }
        assert!(
            s.contains("The room's progress") && s.contains("done"),
            "{s}"
        );
        assert!(s.contains("Most common weak items"), "{s}");
    }

    #[test]
    fn discussion_answers_are_grouped_by_question() {
        let (_d, mut app) = room();
        let d = &app.snapshot.as_ref().unwrap().discussion;
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].question_id, "ws.20");
        assert_eq!(d[0].answers, vec![("an".into(), "Thiếu kinh phí".into())]);
        app.key(Key::Char('d'));
        let s = screen(&app);
        assert!(
            s.contains("three biggest obstacles") && s.contains("an: Thiếu kinh phí"),
            "{s}"
        );
        // The detail view of one participant shows it too.
        app.key(Key::Esc);
        app.cursor = 0;
        app.key(Key::Enter);
        assert_eq!(app.view, View::Detail("an".into()));
        let s = screen(&app);
        assert!(s.contains("Org an") && s.contains("Thiếu kinh phí"), "{s}");
    }

    #[derive(Default)]
    struct Fake {
        ended: Mutex<Vec<String>>,
        lines: Mutex<Vec<Option<String>>>,
    }

    impl Control for Fake {
        fn connected(&self) -> usize {
            7
        }
        fn end_participant(&self, name: &str) -> bool {
            self.ended.lock().unwrap().push(name.into());
            true
        }
        fn broadcast(&self, line: Option<String>) {
            self.lines.lock().unwrap().push(line);
        }
    }

    #[test]
    fn remove_asks_ends_the_session_and_archives_never_deletes() {
        let (d, mut app) = room();
        let fake = Arc::new(Fake::default());
        app.control = Some(fake.clone());
        app.cursor = 0;
        app.key(Key::Char('x'));
        assert!(screen(&app).contains("Remove \"an\" from the room"));
        app.key(Key::Char('n'));
        assert!(d.path().join("an.json").exists(), "cancelled");
        app.key(Key::Char('x'));
        app.key(Key::Char('y'));
        assert_eq!(*fake.ended.lock().unwrap(), vec!["an".to_string()]);
        assert!(!d.path().join("an.json").exists());
        assert!(d.path().join("archive/an-20261201-200000.json").exists());
        assert!(app.listed().iter().all(|p| p.name != "an"));
    }

    #[test]
    fn rename_merge_lock_and_broadcast() {
        let (d, mut app) = room();
        let fake = Arc::new(Fake::default());
        app.control = Some(fake.clone());
        // Rename "chi" (third by name) to "Chi.Le".
        app.cursor = 2;
        app.key(Key::Char('n'));
        for c in "Chi.Le".chars() {
            app.key(Key::Char(c));
        }
        app.key(Key::Enter);
        assert!(d.path().join("chi.le.json").exists() && !d.path().join("chi.json").exists());
        // Merge "an" into "binh": binh keeps its answers, gains an's discussion answer.
        app.cursor = 0;
        app.key(Key::Char('m'));
        for c in "binh".chars() {
            app.key(Key::Char(c));
        }
        app.key(Key::Enter);
        assert_eq!(
            app.confirm,
            Some(Confirm::Merge {
                from: "an".into(),
                into: "binh".into()
            })
        );
        app.key(Key::Char('y'));
        let binh: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d.path().join("binh.json")).unwrap())
                .unwrap();
        assert_eq!(
            binh["answers"]["ws.20"]["response"]["text"],
            "Thiếu kinh phí"
        );
        assert!(!d.path().join("an.json").exists());
        assert!(d.path().join("archive").read_dir().unwrap().count() == 1);
        // Lock to new names.
        app.key(Key::Char('o'));
        assert!(app.room.is_locked() && !app.room.admits("moi") && app.room.admits("binh"));
        assert!(screen(&app).contains("locked"));
        // Broadcast, then take it away.
        app.key(Key::Char('b'));
        for c in "Còn 5 phút".chars() {
            app.key(Key::Char(c));
        }
        app.key(Key::Enter);
        app.key(Key::Char('b'));
        for _ in 0.."Còn 5 phút".chars().count() {
            app.key(Key::Backspace);
        }
        app.key(Key::Enter);
        assert_eq!(
            *fake.lines.lock().unwrap(),
            vec![Some("Còn 5 phút".to_string()), None]
        );
    }

    #[test]
    fn quitting_the_local_dashboard_asks_and_counts_the_connected() {
        let (_d, mut app) = room();
        app.control = Some(Arc::new(Fake::default()));
        app.stops_server = true;
        app.key(Key::Char('q'));
        assert!(!app.done());
        let s = screen(&app);
        assert!(
            s.contains("Stop the server for the whole room? 7 participants connected"),
            "{s}"
        );
        app.key(Key::Esc);
        assert!(!app.done());
        app.key(Key::Esc);
        app.key(Key::Char('y'));
        assert!(app.done());
        // A trainer over SSH only leaves their own session.
        let (_d, mut remote) = room();
        remote.key(Key::Char('q'));
        assert!(remote.done());
    }

    #[test]
    fn help_lists_every_key_even_those_the_footer_has_no_room_for() {
        let (_d, mut app) = room();
        app.key(Key::Char('?'));
        let s = screen(&app);
        for k in [
            "x  remove",
            "b  broadcast",
            "o  lock/open",
            "A  archive room",
            "q  quit",
        ] {
            assert!(s.contains(k), "{k}:\n{s}");
        }
        app.key(Key::Esc);
        assert_eq!(app.view, View::Room);
    }

    #[test]
    fn archiving_the_room_moves_every_file() {
        let (d, mut app) = room();
        app.key(Key::Char('A'));
        app.key(Key::Char('y'));
        assert!(app.room.files().is_empty());
        assert_eq!(
            std::fs::read_dir(d.path().join("archive/room-20261201-200000"))
                .unwrap()
                .count(),
            4
        );
        assert!(app.snapshot.as_ref().unwrap().participants.is_empty());
    }
}
