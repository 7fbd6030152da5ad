//! Interview mode and re-assessment in the wizard: who gave the answer (`w`), how it is known
//! (`t`), confirming carried answers (`o`), the clock of the time spent per section, and the
//! interview rows of the profile (interviewer, date, place, interviewees with their role).

use crate::assessment::interview::{IDLE_CAP_SECS, basis_label, next_basis, parse_date};
use crate::assessment::{Assessment, Interview, Interviewee};
use crate::i18n::{Lang, tr};
use crate::tui::app::{App, Effect, save_effect};
use crate::tui::keymap::Action;
use crate::tui::model::*;
use crate::tui::screens::{dashboard::DashboardState, question::QuestionState};

/// The wizard's interview state of one open assessment (not saved).
#[derive(Debug, Default)]
pub struct InterviewUi {
    /// The interviewee chosen last: new answers are theirs.
    pub respondent: Option<String>,
    /// The section whose question is on screen, and since when (seconds since the epoch).
    pub on_screen: Option<(String, i64)>,
    /// Time was added since the last save.
    pub unsaved: bool,
    /// The assessment a re-assessment was seeded from, as read when it opened.
    pub earlier: Option<Earlier>,
}

/// Seconds since the epoch of an RFC 3339 time (the app's clock), if it parses.
fn secs(now: &str) -> Option<i64> {
    time::OffsetDateTime::parse(now, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

/// The id of the section holding question `id`.
fn section_of(s: &Session, id: &str) -> Option<String> {
    s.questionnaire
        .sections
        .iter()
        .find(|sec| sec.questions.iter().any(|q| q.id == id))
        .map(|sec| sec.id.clone())
}

impl App {
    /// Before a key: the stretch since the last key counts for the section that was on screen
    /// (at most [`IDLE_CAP_SECS`]).
    pub(in crate::tui) fn clock_tick(&mut self) {
        let Some(now) = secs(&(self.now)()) else {
            return;
        };
        let Some(s) = self.session.as_mut() else {
            return;
        };
        if let Some((sec, since)) = s.interview.on_screen.as_mut() {
            let d = (now - *since).clamp(0, IDLE_CAP_SECS as i64) as u64;
            if d > 0 {
                s.assessment.add_section_time(sec, d);
                s.interview.unsaved = true;
            }
            *since = now;
        }
    }

    /// After a key: which section is on screen now. Time not yet saved is saved when the
    /// section changes, when the question screen is left and before quitting; `pending` is the
    /// session as it was before the key (saved when the key closed it).
    pub(in crate::tui) fn clock_follow(
        &mut self,
        pending: Option<Effect>,
        effects: &mut Vec<Effect>,
    ) {
        let saving = effects
            .iter()
            .any(|e| matches!(e, Effect::Save(_) | Effect::SaveThenLeave(..)));
        let Some(s) = self.session.as_mut() else {
            // The session was closed by this key: save the time it had.
            if let Some(p) = pending.filter(|_| !saving) {
                effects.insert(0, p);
            }
            return;
        };
        let now = secs(&(self.now)()).unwrap_or(0);
        let here = match &self.screen {
            Screen::Question(qs) => section_of(s, &qs.current),
            _ => None,
        };
        let moved = s.interview.on_screen.as_ref().map(|(sec, _)| sec) != here.as_ref();
        if moved {
            s.interview.on_screen = here.map(|sec| (sec, now));
        }
        let quitting = effects.iter().any(|e| matches!(e, Effect::Quit));
        if saving {
            s.interview.unsaved = false;
        } else if s.interview.unsaved && (moved || quitting) {
            s.interview.unsaved = false;
            effects.insert(0, save_effect(s));
        }
    }

    /// The interview and re-assessment keys of the question screen; `None` for other actions.
    pub(in crate::tui) fn interview_action(&mut self, action: &Action) -> Option<Vec<Effect>> {
        let lang = self.lang();
        let now = (self.now)();
        let (Screen::Question(qs), Some(s)) = (&mut self.screen, &mut self.session) else {
            return None;
        };
        let id = qs.current.clone();
        let say = |app: &mut App, m: String, err: bool| {
            app.status = Some(if err {
                Status::Error(m)
            } else {
                Status::Info(m)
            });
        };
        match action {
            Action::ReadAloud => {
                self.overlay = Some(Overlay::ReadAloud { scroll: 0 });
                Some(vec![])
            }
            Action::ConfirmCarried => {
                let confirmed = s.assessment.confirm(&id, &now);
                if confirmed {
                    s.rescore();
                }
                // On to the next carried answer not yet confirmed, in question order.
                let visible = s.visible();
                let i = visible.iter().position(|v| *v == id).unwrap_or(0);
                let n = visible.len();
                let next = (1..=n)
                    .map(|k| &visible[(i + k) % n])
                    .find(|v| s.assessment.answers.get(*v).is_some_and(|a| a.carried))
                    .cloned();
                let left = s.assessment.unconfirmed();
                let effects = if confirmed {
                    vec![save_effect(s)]
                } else {
                    vec![]
                };
                match next {
                    Some(next) => {
                        *qs = QuestionState::at(s, &next);
                        let m = format!(
                            "{} {left} {}",
                            tr(lang, "Còn", "Still"),
                            tr(
                                lang,
                                "câu mang sang chưa xác nhận (o xác nhận, hoặc sửa câu trả lời)",
                                "carried answers to confirm (o confirms, or change the answer)"
                            )
                        );
                        say(self, m, false);
                    }
                    // The last one confirmed: the walk ends on the results, compared with the
                    // earlier assessment.
                    None if confirmed => {
                        self.screen = Screen::Dashboard(DashboardState {
                            cursor: 0,
                            from: Some(id),
                        });
                    }
                    None => say(
                        self,
                        tr(
                            lang,
                            "Mọi câu trả lời mang sang đã được xác nhận",
                            "Every carried answer is confirmed",
                        )
                        .into(),
                        false,
                    ),
                }
                Some(effects)
            }
            Action::CycleRespondent | Action::CycleBasis if !s.assessment.interviewing() => {
                say(
                    self,
                    tr(
                        lang,
                        "Chế độ phỏng vấn đang tắt: bật trong hồ sơ (h)",
                        "Interview mode is off: turn it on in the profile (h)",
                    )
                    .into(),
                    true,
                );
                Some(vec![])
            }
            Action::CycleRespondent => {
                let people: Vec<Interviewee> = s
                    .assessment
                    .interview
                    .as_ref()
                    .map(|i| i.named().cloned().collect())
                    .unwrap_or_default();
                if people.is_empty() {
                    say(
                        self,
                        tr(
                            lang,
                            "Chưa có người được phỏng vấn: thêm tên và vai trò trong hồ sơ (h)",
                            "No interviewee yet: add their names and roles in the profile (h)",
                        )
                        .into(),
                        true,
                    );
                    return Some(vec![]);
                }
                let current = s
                    .assessment
                    .answers
                    .get(&id)
                    .and_then(|a| a.respondent.clone())
                    .or_else(|| s.interview.respondent.clone());
                let i = current.and_then(|c| people.iter().position(|p| p.id == c));
                let next = &people[i.map_or(0, |i| (i + 1) % people.len())];
                s.interview.respondent = Some(next.id.clone());
                let mut effects = vec![];
                if let Some(a) = s.assessment.answers.get_mut(&id) {
                    a.respondent = Some(next.id.clone());
                    s.assessment.updated_at = now;
                    effects.push(save_effect(s));
                }
                say(
                    self,
                    format!(
                        "{}: {}",
                        tr(lang, "Người trả lời", "Answered by"),
                        next.label()
                    ),
                    false,
                );
                Some(effects)
            }
            Action::CycleBasis => match s.assessment.answers.get_mut(&id) {
                Some(a) => {
                    let g = next_basis(a.basis);
                    a.basis = Some(g);
                    s.assessment.updated_at = now;
                    s.rescore();
                    let effects = vec![save_effect(s)];
                    say(
                        self,
                        format!(
                            "{}: {}",
                            tr(lang, "Cách biết", "Known as"),
                            basis_label(g, lang)
                        ),
                        false,
                    );
                    Some(effects)
                }
                None => {
                    say(
                        self,
                        tr(lang, "Hãy trả lời trước", "Answer first").into(),
                        true,
                    );
                    Some(vec![])
                }
            },
            _ => None,
        }
    }
}

/// After an answer changed in interview mode: a new answer is the current respondent's, stated
/// unless said otherwise.
pub fn after_answer(s: &mut Session, id: &str) {
    if !s.assessment.interviewing() {
        return;
    }
    // The one chosen last in this session, else who gave the latest answer, else the first.
    let latest = s
        .assessment
        .answers
        .values()
        .filter(|a| a.respondent.is_some())
        .max_by(|x, y| x.answered_at.cmp(&y.answered_at))
        .and_then(|a| a.respondent.clone());
    let default = s.interview.respondent.clone().or(latest).or_else(|| {
        s.assessment
            .interview
            .as_ref()
            .and_then(|i| i.named().next().map(|p| p.id.clone()))
    });
    if let Some(a) = s.assessment.answers.get_mut(id) {
        if a.respondent.is_none() {
            a.respondent = default;
        }
        if a.basis.is_none() {
            a.basis = Some(crate::assessment::EvidenceGrade::Stated);
        }
    }
}

/// One interview row of the profile (after the questionnaire's own fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Mode,
    Interviewer,
    Date,
    Place,
    /// Interviewee `i`'s name; one past the last adds a person.
    Name(usize),
    Role(usize),
}

/// The interview rows shown for this assessment.
pub fn rows(a: &Assessment) -> Vec<Row> {
    let mut r = vec![Row::Mode];
    if let Some(i) = a.interview.as_ref().filter(|i| i.enabled) {
        r.extend([Row::Interviewer, Row::Date, Row::Place]);
        for k in 0..i.interviewees.len() {
            r.extend([Row::Name(k), Row::Role(k)]);
        }
        r.push(Row::Name(i.interviewees.len()));
    }
    r
}

impl Row {
    pub fn label(self, lang: Lang) -> String {
        match self {
            Row::Mode => tr(lang, "Chế độ phỏng vấn", "Interview mode").into(),
            Row::Interviewer => tr(lang, "Người phỏng vấn", "Interviewer").into(),
            Row::Date => tr(lang, "Ngày phỏng vấn", "Interview date").into(),
            Row::Place => tr(lang, "Địa điểm", "Place").into(),
            Row::Name(k) => format!(
                "{} {}",
                tr(lang, "Người được phỏng vấn", "Interviewee"),
                k + 1
            ),
            Row::Role(_) => format!("  {}", tr(lang, "vai trò", "role")),
        }
    }

    /// A choice (the mode), not typed text.
    pub fn is_choice(self) -> bool {
        self == Row::Mode
    }

    /// The value as shown / edited.
    pub fn text(self, a: &Assessment, lang: Lang) -> String {
        let i = a.interview.clone().unwrap_or_default();
        let person = |k: usize| i.interviewees.get(k).cloned().unwrap_or_default();
        match self {
            Row::Mode => if i.enabled {
                tr(lang, "bật", "on")
            } else {
                tr(lang, "tắt", "off")
            }
            .into(),
            Row::Interviewer => i.interviewer,
            Row::Date => i.date,
            Row::Place => i.place,
            Row::Name(k) => person(k).name,
            Row::Role(k) => person(k).role,
        }
    }

    /// The value as shown when not being edited (a date as the language writes it).
    pub fn shown(self, a: &Assessment, lang: Lang) -> String {
        match self {
            Row::Date => crate::locale::civil_date(&self.text(a, lang), lang),
            _ => self.text(a, lang),
        }
    }

    /// A hint under the profile when the row is selected.
    pub fn help(self, lang: Lang) -> &'static str {
        match self {
            Row::Mode => tr(
                lang,
                "Bật để ghi ai trả lời từng câu (w) và cách biết (t: được nói ra / đã xem giấy tờ / đã quan sát); z đọc to câu hỏi. ←→ hoặc Ctrl-N đổi.",
                "On: record who gave each answer (w) and how it is known (t: stated / document seen / observed); z reads a question aloud. ←→ or Ctrl-N changes it.",
            ),
            Row::Date => tr(
                lang,
                "Ví dụ 1/12/2026 hoặc 2026-12-01.",
                "E.g. 1/12/2026 (day first) or 2026-12-01.",
            ),
            Row::Name(_) | Row::Role(_) => tr(
                lang,
                "Tên và vai trò (chủ doanh nghiệp, kế toán, người phụ trách CNTT). Xóa trống tên và vai trò để bỏ người này.",
                "Name and role (owner, accountant, who runs IT). Empty both name and role to remove this person.",
            ),
            Row::Interviewer | Row::Place => "",
        }
    }

    /// Flips the mode.
    pub fn toggle(self, a: &mut Assessment, now: &str) {
        if self == Row::Mode {
            let i = a.interview.get_or_insert_with(Interview::default);
            i.enabled = !i.enabled;
            if i.enabled && i.date.is_empty() {
                i.date = crate::assessment::interview::local_date(now);
            }
            a.updated_at = now.to_string();
        }
    }

    /// Stores typed text; a date that is not one is refused with why.
    pub fn commit(
        self,
        a: &mut Assessment,
        text: &str,
        now: &str,
        lang: Lang,
    ) -> Result<(), String> {
        let text = text.trim().to_string();
        let i = a.interview.get_or_insert_with(Interview::default);
        match self {
            Row::Mode => return Ok(()),
            Row::Interviewer => i.interviewer = text,
            Row::Place => i.place = text,
            Row::Date if text.is_empty() => i.date.clear(),
            Row::Date => {
                i.date = parse_date(&text).ok_or_else(|| {
                    format!(
                        "\"{text}\" {}",
                        tr(
                            lang,
                            "không phải một ngày: gõ ví dụ 1/12/2026 hoặc 2026-12-01",
                            "is not a date: type e.g. 1/12/2026 or 2026-12-01"
                        )
                    )
                })?
            }
            Row::Name(k) | Row::Role(k) => {
                if k == i.interviewees.len() {
                    if text.is_empty() {
                        return Ok(());
                    }
                    let id = i.next_id();
                    i.interviewees.push(Interviewee {
                        id,
                        ..Default::default()
                    });
                }
                let p = &mut i.interviewees[k];
                if matches!(self, Row::Name(_)) {
                    p.name = text;
                } else {
                    p.role = text;
                }
                if p.name.is_empty() && p.role.is_empty() {
                    // Removed: its answers keep their answer, no longer attributed.
                    let gone = i.interviewees.remove(k).id;
                    for ans in a.answers.values_mut() {
                        if ans.respondent.as_deref() == Some(gone.as_str()) {
                            ans.respondent = None;
                        }
                    }
                }
            }
        }
        a.updated_at = now.to_string();
        Ok(())
    }
}

/// The interview line under a question: who answered, how it is known, and the keys.
pub fn answer_line(a: &Assessment, id: &str, lang: Lang) -> Option<String> {
    if !a.interviewing() {
        return None;
    }
    let i = a.interview.as_ref()?;
    let ans = a.answers.get(id);
    let who = ans
        .and_then(|x| x.respondent.as_deref())
        .map(|r| i.label_of(r))
        .unwrap_or_else(|| "—".into());
    let how = ans
        .and_then(|x| x.known_as())
        .map(|g| basis_label(g, lang))
        .unwrap_or("—");
    Some(format!(
        "{}: {who} (w) · {}: {how} (t) · z {} · f {}",
        tr(lang, "Người trả lời", "Answered by"),
        tr(lang, "cách biết", "known as"),
        tr(lang, "đọc to", "read aloud"),
        tr(lang, "quay lại câu này sau", "come back to this later"),
    ))
}

/// The carried-answer line under a question, if it waits for confirmation.
pub fn carried_line(a: &Assessment, id: &str, lang: Lang) -> Option<String> {
    a.answers.get(id).filter(|x| x.carried)?;
    let when = a
        .seeded_from
        .as_ref()
        .map(|f| crate::locale::date(&f.date, lang))
        .unwrap_or_default();
    Some(format!(
        "↻ {} {when} ({} {}) — {}",
        tr(
            lang,
            "Mang sang từ lần đánh giá",
            "Carried over from the assessment of"
        ),
        a.unconfirmed(),
        tr(lang, "câu chờ xác nhận", "waiting"),
        tr(
            lang,
            "chưa xác nhận: o xác nhận, hoặc chọn câu trả lời khác",
            "not yet confirmed: o confirms it, or choose another answer"
        )
    ))
}

/// The notice when a re-assessment opens: what was carried and how to confirm.
pub fn reassess_note(a: &Assessment, old: &std::path::Path, lang: Lang) -> String {
    format!(
        "{} {} ({}): {} {}. {}",
        tr(lang, "Đánh giá lại từ", "Re-assessment of"),
        old.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        a.seeded_from
            .as_ref()
            .map(|f| crate::locale::date(&f.date, lang))
            .unwrap_or_default(),
        a.unconfirmed(),
        tr(
            lang,
            "câu trả lời được mang sang, chưa xác nhận; vẫn được tính điểm",
            "answers carried over, not yet confirmed; they count in the scores"
        ),
        tr(
            lang,
            "Ở mỗi câu: o xác nhận (sang câu sau), hoặc chọn câu trả lời khác. Tệp cũ không bị thay đổi; kết quả so sánh với bản cũ (c).",
            "On each question: o confirms it (and moves on), or choose another answer. The earlier file is not changed; the results compare with it (c).",
        )
    )
}

/// " · 12 min" when time was spent on the section, else nothing.
pub fn section_time(a: &Assessment, section: &str, lang: Lang) -> String {
    match a.section_seconds.get(section) {
        Some(&secs) if secs > 0 => format!(
            " · {}",
            crate::assessment::interview::duration_text(secs, lang)
        ),
        _ => String::new(),
    }
}

/// The earlier assessment's headline, read when a re-assessment opens (for the results).
#[derive(Debug, Clone, PartialEq)]
pub struct Earlier {
    pub path: std::path::PathBuf,
    pub headline: Option<f64>,
}

/// Reads the assessment `s` was seeded from, if any and readable, and keeps its headline.
pub fn load_earlier(s: &mut Session, catalog: &crate::questionnaire::Catalog) {
    let Some(from) = &s.assessment.seeded_from else {
        return;
    };
    let path = std::path::PathBuf::from(&from.path);
    s.interview.earlier = crate::assessment::store::read(&path, catalog)
        .ok()
        .map(|old| Earlier {
            headline: crate::scoring::score(&old.questionnaire, &old.assessment).headline,
            path,
        });
}

/// The results' lines about a re-assessment and an interview: the earlier score and the change,
/// the carried answers not yet confirmed, the time spent.
pub fn dashboard_lines(s: &Session, lang: Lang) -> Vec<String> {
    let a = &s.assessment;
    let mut out = vec![];
    if let Some(from) = &a.seeded_from {
        let when = crate::locale::date(&from.date, lang);
        out.push(match (&s.interview.earlier, s.headline.0) {
            (
                Some(Earlier {
                    headline: Some(old),
                    ..
                }),
                Some(new),
            ) => format!(
                "{} ({when}): {} → {} ({}) · c {}",
                tr(lang, "Lần trước", "Earlier"),
                crate::locale::score(*old, lang),
                crate::locale::score(new, lang),
                crate::locale::delta(*old, new, lang),
                tr(lang, "so sánh đầy đủ", "full comparison"),
            ),
            (Some(_), _) => format!(
                "{} ({when}) · c {}",
                tr(lang, "Đánh giá lại từ bản", "Re-assessment of"),
                tr(lang, "so sánh", "compares")
            ),
            (None, _) => match lang {
                Lang::Vi => format!("Không đọc được bản đánh giá trước ({when}): {}", from.path),
                Lang::En => format!(
                    "The earlier assessment ({when}) cannot be read: {}",
                    from.path
                ),
            },
        });
    }
    let n = a.unconfirmed();
    if n > 0 {
        out.push(format!(
            "↻ {n} {}",
            tr(
                lang,
                "câu mang sang chưa xác nhận (vẫn tính điểm; r, t: lọc)",
                "carried answers not yet confirmed (they count; r, then t filters)"
            )
        ));
    }
    let total = a.total_seconds();
    if total > 0 {
        out.push(format!(
            "{}: {}",
            if a.interviewing() {
                tr(lang, "Thời gian phỏng vấn", "Time spent")
            } else {
                tr(lang, "Thời gian trả lời", "Time spent")
            },
            crate::assessment::interview::duration_text(total, lang)
        ));
    }
    out
}
