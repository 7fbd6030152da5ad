//! What a line does outside the questions: the home list, the questionnaires, the profile,
//! a confirmation, the sections, the evidence form, the results. Each turns the line into the
//! wizard's own actions.

use super::print;
use super::runner::Plain;
use super::words::{Word, parse_numbers};
use crate::assessment::EvidenceGrade;
use crate::i18n::tr;
use crate::questionnaire::ProfileKind;
use crate::tui::app::Effect;
use crate::tui::key::Key;
use crate::tui::keymap::Action;
use crate::tui::model::{Confirm, Overlay, Screen, Status};

impl Plain<'_> {
    /// Moves a list's cursor to `index` with the wizard's own Up / Down.
    pub(super) fn select(&mut self, index: usize, len: usize) {
        for _ in 0..len {
            self.act(Action::Up);
        }
        for _ in 0..index {
            self.act(Action::Down);
        }
    }

    pub(super) fn one_number(line: &str, range: std::ops::RangeInclusive<usize>) -> Option<usize> {
        match parse_numbers(line).as_deref() {
            Some([n]) if range.contains(n) => Some(*n),
            _ => None,
        }
    }

    pub(super) fn on_home(&mut self, line: &str, word: Option<Word>) -> std::io::Result<()> {
        let lang = self.lang();
        let Screen::Home(h) = &self.app.screen else {
            return Ok(());
        };
        let n = h.items.len();
        if self.app.confined.is_some() {
            return self.expected(line, "quit");
        }
        match word {
            Some(Word::New) => self.act(Action::New),
            Some(Word::Open(path)) => self.perform(Effect::Open(path.into())),
            _ => match Self::one_number(line, 1..=n) {
                Some(k) => {
                    self.select(k - 1, n);
                    self.act(Action::Choose);
                }
                None => {
                    let what = format!(
                        "{} {}, new, open {}, quit",
                        tr(lang, "một số", "a number"),
                        print::range(1, n, lang),
                        tr(lang, "TỆP", "FILE")
                    );
                    return self.expected(line, &what);
                }
            },
        }
        Ok(())
    }

    pub(super) fn on_choose(&mut self, line: &str, word: Option<Word>) -> std::io::Result<()> {
        let n = self.app.catalog.entries.len();
        self.pick(line, word, n)
    }

    /// A numbered list (questionnaires, sections): a number picks with the wizard's own
    /// Up / Down / Enter, `back` closes it.
    pub(super) fn pick(&mut self, line: &str, word: Option<Word>, n: usize) -> std::io::Result<()> {
        let lang = self.lang();
        if word == Some(Word::Back) {
            self.act(Action::Back);
            return Ok(());
        }
        match Self::one_number(line, 1..=n) {
            Some(k) => {
                self.select(k - 1, n);
                self.act(Action::Choose);
                Ok(())
            }
            None => self.expected(
                line,
                &format!(
                    "{} {}, back",
                    tr(lang, "một số", "a number"),
                    print::range(1, n, lang)
                ),
            ),
        }
    }

    pub(super) fn on_profile(&mut self, line: &str, word: Option<Word>) -> std::io::Result<()> {
        let lang = self.lang();
        let (Screen::Profile(p), Some(s)) = (&self.app.screen, &self.app.session) else {
            return Ok(());
        };
        let q = s.questionnaire.clone();
        let i = p.field;
        let Some(f) = q.profile.get(i) else {
            return Ok(());
        };
        let current = s.assessment.profile_text(&f.id);
        // On a pick-list (the province) ↑↓ move in the list: fields change with Tab / Shift-Tab.
        let (prev, next) = if p.picking {
            (Action::PrevField, Action::NextField)
        } else {
            (Action::Up, Action::Down)
        };
        // In a field, only these words are commands; anything else is the value.
        match word {
            Some(Word::Back) => {
                self.act(prev);
                self.forget_shown();
                return Ok(());
            }
            Some(Word::Next) => {
                self.act(next);
                return Ok(());
            }
            _ => {}
        }
        if line.trim().is_empty() {
            if f.required && current.is_none() {
                return self.expected(line, &print::profile_prompt(self.app, i).to_lowercase());
            }
            self.act(next);
            return Ok(());
        }
        if f.kind == ProfileKind::Choice {
            let offered: Vec<String> = f
                .offered_options(current.as_deref())
                .iter()
                .map(|o| o.id.clone())
                .collect();
            let Some(k) = Self::one_number(line, 1..=offered.len()) else {
                let what = format!(
                    "{} {}",
                    tr(lang, "một số", "a number"),
                    print::range(1, offered.len(), lang)
                );
                return self.expected(line, &what);
            };
            for _ in 0..=offered.len() {
                let now = self
                    .app
                    .session
                    .as_ref()
                    .and_then(|s| s.assessment.profile_text(&f.id));
                if now.as_deref() == Some(offered[k - 1].as_str()) {
                    break;
                }
                self.act(Action::ChoiceNext);
            }
            self.saved_field(i);
            self.act(Action::Down);
            return Ok(());
        }
        self.act(Action::Edit(Key::End));
        self.act(Action::Edit(Key::Ctrl('u')));
        self.act(Action::Paste(line.trim().to_string()));
        self.act(Action::Submit);
        self.saved_field(i);
        if let Screen::Profile(p) = &mut self.app.screen
            && p.field == i
        {
            // Refused (the status says why): the field shows its saved value again.
            if let Some(s) = &self.app.session {
                p.load_field(&s.questionnaire, &s.assessment);
            }
        }
        Ok(())
    }

    /// "Saved: Type of organisation: Province", instead of a bare "Saved".
    pub(super) fn saved_field(&mut self, i: usize) {
        let lang = self.lang();
        if let (Some(Status::Saved(_)), Some(s)) = (&self.app.status, &self.app.session)
            && let Some(f) = s.questionnaire.profile.get(i)
        {
            // A former province's name says what it became, as the full-screen field does.
            let former = match &self.app.screen {
                Screen::Profile(p) => p
                    .former
                    .filter(|fm| s.assessment.profile_text(&f.id).as_deref() == Some(fm.unit.name)),
                _ => None,
            };
            let value = match former {
                Some(fm) => fm.label(lang),
                None => print::profile_value(s, i, lang).unwrap_or_default(),
            };
            self.app.status = Some(Status::Info(format!(
                "{}: {}: {value}",
                tr(lang, "Đã lưu", "Saved"),
                f.label.get(lang)
            )));
        }
    }

    pub(super) fn on_confirm(&mut self, line: &str, word: Option<Word>) -> std::io::Result<()> {
        let unsaved = matches!(
            self.app.overlay,
            Some(Overlay::Confirm(Confirm::QuitUnsaved { .. }))
        );
        match word {
            Some(Word::Yes) => self.act(Action::ConfirmYes),
            Some(Word::No | Word::Back) => self.act(Action::ConfirmNo),
            _ if unsaved && is_save_again(line) => self.act(Action::SaveAgain),
            _ => {
                let what = if unsaved {
                    tr(self.lang(), "s, y hoặc n", "s, y or n")
                } else {
                    tr(self.lang(), "y hoặc n", "y or n")
                };
                return self.expected(line, what);
            }
        }
        Ok(())
    }

    pub(super) fn on_sections(&mut self, line: &str, word: Option<Word>) -> std::io::Result<()> {
        let n = self
            .app
            .session
            .as_ref()
            .map_or(0, |s| s.questionnaire.sections.len());
        self.pick(line, word, n)
    }

    pub(super) fn on_evidence(&mut self, line: &str, word: Option<Word>) -> std::io::Result<()> {
        let lang = self.lang();
        let Some(Overlay::Evidence(form)) = &self.app.overlay else {
            return Ok(());
        };
        if word == Some(Word::Back) {
            self.act(Action::Back);
            self.say(tr(lang, "Đã hủy minh chứng.", "Evidence cancelled."))?;
            return Ok(());
        }
        let row = form.row();
        let text = line.trim();
        match row {
            0 | 1 if text.is_empty() => self.act(Action::Submit),
            0 => {
                let Some(k) = Self::one_number(line, 1..=2) else {
                    return self.expected(line, "1, 2");
                };
                if form.is_document != (k == 1) {
                    self.act(Action::ChoiceNext);
                }
                self.act(Action::Submit);
            }
            1 => {
                let Some(k) = Self::one_number(line, 1..=3) else {
                    return self.expected(line, "1, 2, 3");
                };
                let want = [
                    EvidenceGrade::Stated,
                    EvidenceGrade::DocumentSeen,
                    EvidenceGrade::Verified,
                ][k - 1];
                for _ in 0..3 {
                    match &self.app.overlay {
                        Some(Overlay::Evidence(f)) if f.grade != want => {
                            self.act(Action::ChoiceNext)
                        }
                        _ => break,
                    }
                }
                self.act(Action::Submit);
            }
            // The date is checked as it is typed, with the wizard's own reading of dates.
            4 if !text.is_empty()
                && text != "-"
                && crate::tui::overlays::evidence::normalise_date(text).is_none() =>
            {
                return self.expected(line, tr(lang, "một ngày dd/mm/yyyy", "a date dd/mm/yyyy"));
            }
            _ => {
                if !text.is_empty() {
                    self.act(Action::Edit(Key::End));
                    self.act(Action::Edit(Key::Ctrl('u')));
                    if text != "-" {
                        self.act(Action::Paste(text.to_string()));
                    }
                }
                self.act(Action::Submit);
            }
        }
        Ok(())
    }

    pub(super) fn on_results(&mut self, line: &str, word: Option<Word>) -> std::io::Result<()> {
        let lang = self.lang();
        match word {
            Some(Word::Back) => self.act(Action::Back),
            Some(Word::Why(d)) => return self.why(d),
            Some(Word::Review) => return self.review(),
            Some(Word::Report) => self.act(Action::Report),
            Some(Word::Go(to)) => return self.go(&to),
            Some(Word::Sections) => {
                self.act(Action::Back);
                self.act(Action::Sections);
            }
            Some(Word::Profile) => {
                self.act(Action::Back);
                self.act(Action::Profile);
            }
            Some(Word::Results) => self.forget_shown(),
            _ => {
                let what = print::results_prompt(lang, self.app.confined.is_some());
                return self.expected(line, &what);
            }
        }
        Ok(())
    }
}

/// "Save again" after a failed save, as typed: `s`, `save`, `lưu`, `lưu lại` (folded as the
/// command words are: any case, diacritics optional).
fn is_save_again(line: &str) -> bool {
    let w = crate::text::fold_diacritics(line.trim());
    matches!(w.as_str(), "s" | "save" | "luu" | "luu lai")
}
