//! What a line does on a question: an answer (a level, ticks, y/p/n, a number, text), a
//! special answer, a comment, a mark, moving, and the lists printed on request (why, review).

use super::print;
use super::runner::{LineSource, Plain};
use super::words::{Word, is_end_of_text, parse_numbers};
use crate::assessment::Response;
use crate::i18n::tr;
use crate::questionnaire::QuestionKind;
use crate::tui::editor::TextEditor;
use crate::tui::key::Key;
use crate::tui::keymap::Action;
use crate::tui::model::{Overlay, Screen, Status};
use crate::tui::screens::question::QuestionState;

impl Plain<'_> {
    pub(super) fn why(&mut self, dimension: Option<String>) -> std::io::Result<()> {
        let lang = self.lang();
        let Some(s) = &self.app.session else {
            return Ok(());
        };
        match print::why(s, dimension.as_deref(), lang) {
            Ok(text) | Err(text) => self.say(&text),
        }
    }

    pub(super) fn review(&mut self) -> std::io::Result<()> {
        let lang = self.lang();
        let Some(s) = &self.app.session else {
            return Ok(());
        };
        let text = print::review(s, lang);
        self.say(&text)
    }

    /// `go ws.5` (an id) or `go 5` (the question's number).
    pub(super) fn go(&mut self, to: &str) -> std::io::Result<()> {
        let lang = self.lang();
        let Some(s) = &self.app.session else {
            return Ok(());
        };
        let visible = s.visible();
        let to = to.trim();
        let id = match to.parse::<usize>() {
            Ok(n) if (1..=visible.len()).contains(&n) => Some(visible[n - 1].clone()),
            _ => visible.iter().find(|v| v.eq_ignore_ascii_case(to)).cloned(),
        };
        match id {
            Some(id) => {
                self.app.overlay = None;
                self.app.status = None;
                self.app.screen = Screen::Question(QuestionState::at(s, &id));
                Ok(())
            }
            None => {
                let hidden = s.questionnaire.question(to).is_some()
                    || s.questionnaire
                        .questions()
                        .any(|(_, q)| q.id.eq_ignore_ascii_case(to));
                let msg = if hidden {
                    format!(
                        "{to}: {}",
                        tr(
                            lang,
                            "câu này đang ẩn theo hồ sơ hoặc câu trả lời khác",
                            "this question is hidden by the profile or another answer"
                        )
                    )
                } else {
                    format!(
                        "{to}: {} {} {}",
                        tr(
                            lang,
                            "không có câu này; dùng số",
                            "no such question; use a number"
                        ),
                        print::range(1, visible.len(), lang),
                        tr(lang, "hoặc mã như", "or an id such as"),
                    ) + visible.first().map(String::as_str).unwrap_or("")
                };
                self.say(&msg)
            }
        }
    }

    /// Reads lines up to a lone `.` (or the end of input); `first` starts the text.
    pub(super) fn collect_text(
        &mut self,
        first: Option<&str>,
        input: &mut dyn LineSource,
    ) -> std::io::Result<String> {
        let mut lines: Vec<String> = first.map(str::to_string).into_iter().collect();
        if first.is_none() {
            let intro = print::editor_intro(self.app);
            self.say(&intro)?;
        }
        let mut bytes: usize = lines.iter().map(String::len).sum();
        while let Some(l) = input.read_line() {
            if is_end_of_text(&l) {
                break;
            }
            bytes += l.len() + 1;
            if bytes <= crate::tui::editor::MAX_TEXT {
                lines.push(l);
            }
        }
        Ok(lines.join("\n"))
    }

    /// Puts `text` into the open editor (comment, justification or text answer) and submits it.
    pub(super) fn submit_text(&mut self, text: String) {
        match &mut self.app.overlay {
            Some(Overlay::Comment(ed) | Overlay::Alternate(ed)) => *ed = TextEditor::default(),
            _ => {
                if let Screen::Question(q) = &mut self.app.screen
                    && q.editor.is_some()
                {
                    q.editor = Some(TextEditor::default());
                }
            }
        }
        if !text.is_empty() {
            self.act(Action::Paste(text));
        }
        self.act(Action::Submit);
    }

    /// After an answer: on to the next question when it was saved; when it was refused (the
    /// status says why), the question again.
    pub(super) fn answered(&mut self) -> std::io::Result<()> {
        if self.refused()? {
            return Ok(());
        }
        if matches!(self.app.status, Some(Status::Saved(_))) && self.app.overlay.is_none() {
            // Print the acknowledgement here, before moving (the next question is printed
            // after it).
            self.flush_status()?;
            self.act(Action::NextQuestion);
        }
        Ok(())
    }

    pub(super) fn on_question(
        &mut self,
        line: &str,
        word: Option<Word>,
        input: &mut dyn LineSource,
    ) -> std::io::Result<()> {
        let lang = self.lang();
        let (Screen::Question(qs), Some(s)) = (&self.app.screen, &self.app.session) else {
            return Ok(());
        };
        let id = qs.current.clone();
        let Some(q) = s.questionnaire.question(&id).cloned() else {
            if word == Some(Word::Back) {
                self.act(Action::Leave);
            }
            return Ok(());
        };
        let answered = s.assessment.answers.contains_key(&id);
        match word {
            Some(Word::NotApplicable) => {
                self.act(Action::NotApplicable);
                self.answered()?;
            }
            Some(Word::DontKnow) => {
                self.act(Action::DontKnow);
                self.answered()?;
            }
            Some(Word::Alternate(text)) => {
                self.act(Action::Alternate);
                if let Some(Overlay::Alternate(_)) = &self.app.overlay {
                    let text = if text.is_empty() {
                        self.collect_text(None, input)?
                    } else {
                        text
                    };
                    self.submit_text(text);
                }
                // Saved: on to the next question; refused (not allowed here): the question again.
                self.answered()?;
            }
            Some(Word::Comment(text)) => {
                if !answered {
                    self.say(tr(
                        lang,
                        "Hãy trả lời câu hỏi trước khi ghi chú",
                        "Answer the question before adding a comment",
                    ))?;
                    return Ok(());
                }
                self.act(Action::Comment);
                let text = if text.is_empty() {
                    self.collect_text(None, input)?
                } else {
                    text
                };
                self.submit_text(text);
            }
            Some(Word::Evidence) => {
                if !answered {
                    self.say(tr(
                        lang,
                        "Hãy trả lời câu hỏi trước khi thêm minh chứng",
                        "Answer the question before adding evidence",
                    ))?;
                    return Ok(());
                }
                self.act(Action::Evidence);
            }
            Some(Word::Mark) => {
                self.act(Action::ToggleMark);
                self.refused()?;
            }
            Some(Word::Clear) => {
                self.act(Action::ClearAnswer);
                if self.app.overlay.is_none() {
                    self.say(tr(
                        lang,
                        "Câu này chưa có câu trả lời.",
                        "This question has no answer.",
                    ))?;
                }
            }
            Some(Word::Back) => {
                self.act(Action::PrevQuestion);
            }
            Some(Word::Next) => {
                self.act(Action::NextQuestion);
            }
            Some(Word::Go(to)) => return self.go(&to),
            Some(Word::Sections) => {
                self.act(Action::Sections);
            }
            Some(Word::Results) => {
                self.act(Action::Results);
            }
            Some(Word::Review) => return self.review(),
            Some(Word::Why(d)) => return self.why(d),
            Some(Word::Profile) => {
                self.act(Action::Profile);
            }
            Some(Word::Unanswered) => {
                self.act(Action::NextUnanswered);
            }
            Some(Word::Write(first)) if q.kind == QuestionKind::Text => {
                let first = (!first.is_empty()).then_some(first);
                self.text_answer(first.as_deref(), input)?;
            }
            Some(Word::Yes | Word::Partly | Word::No) if q.kind == QuestionKind::Ynp => {
                self.act(match word {
                    Some(Word::Yes) => Action::Yes,
                    Some(Word::Partly) => Action::Partly,
                    _ => Action::No,
                });
                self.answered()?;
            }
            // Anything else is the answer itself.
            _ => match q.kind {
                QuestionKind::Text if !line.trim().is_empty() => {
                    self.text_answer(Some(line), input)?;
                }
                QuestionKind::Number if !line.trim().is_empty() => {
                    self.act(Action::Choose);
                    self.act(Action::Edit(Key::End));
                    self.act(Action::Edit(Key::Ctrl('u')));
                    self.act(Action::Paste(line.trim().to_string()));
                    self.act(Action::Submit);
                    if matches!(self.app.status, Some(Status::Error(_))) {
                        // Refused: the typed text is dropped, the saved answer stays.
                        self.flush_status()?;
                        self.act(Action::Back);
                        self.question_again()?;
                    } else {
                        self.answered()?;
                    }
                }
                QuestionKind::Scale => {
                    let top = q.levels.len().saturating_sub(1);
                    match Self::one_number(line, 0..=top) {
                        Some(l) => {
                            self.act(Action::Level(l as u8));
                            self.answered()?;
                        }
                        None => {
                            let what = format!(
                                "{} {} {}",
                                tr(lang, "một mức", "one level"),
                                print::range(0, top, lang),
                                tr(lang, "hoặc một lệnh (help)", "or a command (help)")
                            );
                            return self.expected(line, &what);
                        }
                    }
                }
                QuestionKind::Ynp => match Self::one_number(line, 1..=3) {
                    Some(k) => {
                        self.act([Action::Yes, Action::Partly, Action::No][k - 1].clone());
                        self.answered()?;
                    }
                    None => {
                        let what = tr(
                            lang,
                            "y (có), p (một phần), n (không) hoặc một lệnh (help)",
                            "y (yes), p (partly), n (no) or a command (help)",
                        );
                        return self.expected(line, what);
                    }
                },
                QuestionKind::Checklist => return self.checklist(line, &q),
                QuestionKind::Text | QuestionKind::Number => {
                    let what = format!(
                        "{} {}",
                        print::question_prompt(self.app, &id).to_lowercase(),
                        tr(lang, "hoặc một lệnh (help)", "or a command (help)")
                    );
                    return self.expected(line, &what);
                }
            },
        }
        Ok(())
    }

    /// When the wizard refused the last action (the status says why, not a failed save): that
    /// reason, then the question again.
    pub(super) fn refused(&mut self) -> std::io::Result<bool> {
        if matches!(self.app.status, Some(Status::Error(_))) && self.app.unsaved.is_none() {
            self.flush_status()?;
            self.question_again()?;
            return Ok(true);
        }
        Ok(false)
    }

    pub(super) fn text_answer(
        &mut self,
        first: Option<&str>,
        input: &mut dyn LineSource,
    ) -> std::io::Result<()> {
        let text = self.collect_text(first, input)?;
        self.act(Action::Choose);
        self.submit_text(text);
        self.answered()?;
        Ok(())
    }

    /// `1 3 4`: exactly these options ticked, by the wizard's own toggles.
    pub(super) fn checklist(
        &mut self,
        line: &str,
        q: &crate::questionnaire::Question,
    ) -> std::io::Result<()> {
        let lang = self.lang();
        let n = q.options.len();
        let what = format!(
            "{} {}, {}",
            tr(lang, "các số", "numbers"),
            print::range(1, n, lang),
            tr(
                lang,
                "ví dụ 1 3 4, hoặc một lệnh (help)",
                "e.g. 1 3 4, or a command (help)"
            )
        );
        let Some(mut want) = parse_numbers(line).filter(|v| v.iter().all(|k| (1..=n).contains(k)))
        else {
            return self.expected(line, &what);
        };
        want.sort_unstable();
        want.dedup();
        if want.len() > 1
            && let Some(k) = want.iter().find(|k| q.options[**k - 1].exclusive)
        {
            let what = format!(
                "{k} {}",
                tr(
                    lang,
                    "chỉ được chọn riêng; bỏ số đó hoặc các số khác",
                    "is only on its own; leave out it or the others"
                )
            );
            return self.expected(line, &what);
        }
        let ticked: Vec<usize> = match self
            .app
            .session
            .as_ref()
            .and_then(|s| s.assessment.answers.get(&q.id))
            .map(|a| &a.response)
        {
            Some(Response::Checklist { selected }) => q
                .options
                .iter()
                .enumerate()
                .filter(|(_, o)| selected.contains(&o.id))
                .map(|(i, _)| i + 1)
                .collect(),
            _ => vec![],
        };
        let mut toggles: Vec<usize> = ticked
            .iter()
            .filter(|k| !want.contains(k))
            .copied()
            .collect();
        toggles.extend(want.iter().filter(|k| !ticked.contains(k)));
        if toggles.is_empty() {
            // The same ticks again: choosing the saved value is saved and acknowledged.
            toggles = vec![want[0], want[0]];
        }
        for k in toggles {
            self.act(Action::Toggle(k - 1));
            if matches!(self.app.status, Some(Status::Error(_))) {
                break;
            }
        }
        self.answered()?;
        Ok(())
    }
}
