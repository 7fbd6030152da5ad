//! The printer: the wizard's state as plain lines, for a screen reader, a dumb terminal or a
//! script. Pure functions of the `App`; no escape sequences, no layout carrying meaning, no
//! colour. Numbers come before labels ("3: Has a plan") so a listener hears what to type
//! first; nothing is repeated on every prompt.

use crate::assessment::Response;
use crate::export::answer_text;
use crate::i18n::{Lang, tr};
use crate::questionnaire::{ProfileKind, QuestionKind};
use crate::scoring::explain;
use crate::tui::app::App;
use crate::tui::model::{Confirm, Overlay, Screen, Session};
use crate::tui::overlays::evidence::EvidenceForm;
use crate::tui::screens::question::position;
use std::fmt::Write;

/// The questionnaire's profile field `i` with its current value, help and choices.
pub fn profile_field(app: &App, i: usize) -> String {
    let lang = app.lang();
    let mut o = String::new();
    let Some(s) = &app.session else {
        return o;
    };
    let q = &s.questionnaire;
    let Some(f) = q.profile.get(i) else {
        return o;
    };
    if i == 0 {
        let _ = writeln!(
            o,
            "{} {}",
            tr(lang, "Thông tin tổ chức:", "About the organisation:"),
            q.title.get(lang)
        );
    }
    let _ = writeln!(
        o,
        "{} {}/{}: {}{}",
        tr(lang, "Trường", "Field"),
        i + 1,
        q.profile.len(),
        f.label.get(lang),
        if f.required {
            tr(lang, " (bắt buộc)", " (required)")
        } else {
            tr(lang, " (không bắt buộc)", " (optional)")
        }
    );
    if let Some(h) = &f.help {
        let _ = writeln!(o, "{}", h.get(lang));
    }
    let current = s.assessment.profile_text(&f.id);
    if f.kind == ProfileKind::Choice {
        for (n, opt) in f.offered_options(current.as_deref()).iter().enumerate() {
            let _ = writeln!(o, "{}: {}", n + 1, opt.label.get(lang));
        }
    }
    if let Some(v) = profile_value(s, i, lang) {
        let _ = writeln!(o, "{}: {v}", tr(lang, "Hiện tại", "Now"));
    }
    o
}

/// A profile field's value as shown (a choice's label, a number with its unit).
pub fn profile_value(s: &Session, i: usize, lang: Lang) -> Option<String> {
    let f = s.questionnaire.profile.get(i)?;
    let v = s.assessment.profile_text(&f.id)?;
    let unit = f
        .unit
        .as_ref()
        .map(|u| format!(" {}", u.get(lang)))
        .unwrap_or_default();
    Some(match f.kind {
        ProfileKind::Choice => f
            .option_label(&v)
            .map(|l| l.get(lang).to_string())
            .unwrap_or(v),
        _ => format!("{v}{unit}"),
    })
}

/// What to type for profile field `i`.
pub fn profile_prompt(app: &App, i: usize) -> String {
    let lang = app.lang();
    let Some(f) = app
        .session
        .as_ref()
        .and_then(|s| s.questionnaire.profile.get(i))
    else {
        return String::new();
    };
    let keep = app
        .session
        .as_ref()
        .and_then(|s| s.assessment.profile_text(&f.id))
        .is_some();
    let unit = f
        .unit
        .as_ref()
        .map(|u| format!(" ({})", u.get(lang)))
        .unwrap_or_default();
    let what = match f.kind {
        ProfileKind::Choice => tr(lang, "Số của lựa chọn", "Number of the choice").to_string(),
        ProfileKind::Number => format!("{}{unit}", tr(lang, "Một số", "A number")),
        ProfileKind::Text => f.label.get(lang).to_string(),
    };
    if keep {
        format!(
            "{what}{}",
            tr(lang, " (dòng trống: giữ nguyên)", " (empty line: keep it)")
        )
    } else {
        what.to_string()
    }
}

/// The question on the screen, whole: section, number, text, help, options with their full
/// text and descriptors, the answer so far, the source.
pub fn question(app: &App, id: &str, with_section: bool) -> String {
    let lang = app.lang();
    let mut o = String::new();
    let Some(s) = &app.session else {
        return o;
    };
    let q = &s.questionnaire;
    let Some(question) = q.question(id) else {
        let _ = writeln!(
            o,
            "{}",
            tr(
                lang,
                "Không có câu hỏi nào được hiển thị.",
                "No questions to show."
            )
        );
        return o;
    };
    let (sec, secs, n, total) = position(s, id);
    let section = q
        .sections
        .get(sec - 1)
        .map(|x| x.title.get(lang))
        .unwrap_or("");
    let (done, _) = s.progress();
    let _ = writeln!(o);
    if with_section {
        let _ = writeln!(o, "{} {sec}/{secs}: {section}", tr(lang, "Phần", "Section"));
    }
    let _ = writeln!(
        o,
        "{} {n}/{total}, {}. {} {done}/{total}.",
        tr(lang, "Câu", "Question"),
        question.id,
        tr(lang, "Đã trả lời", "Answered")
    );
    let _ = writeln!(o, "{}", question.text.get(lang));
    if let Some(h) = &question.help {
        let _ = writeln!(o, "{}", h.get(lang));
    }
    match question.kind {
        QuestionKind::Scale => {
            let _ = writeln!(o, "{}", tr(lang, "Các mức:", "Levels:"));
            for (i, l) in question.levels.iter().enumerate() {
                let _ = writeln!(
                    o,
                    "{i}: {}. {}",
                    l.label.get(lang).trim_end_matches('.'),
                    l.descriptor.get(lang)
                );
            }
        }
        QuestionKind::Ynp => {
            let _ = writeln!(
                o,
                "{}",
                tr(
                    lang,
                    "Trả lời: y (có), p (một phần) hoặc n (không).",
                    "Answer: y (yes), p (partly) or n (no)."
                )
            );
        }
        QuestionKind::Checklist => {
            let _ = writeln!(
                o,
                "{}",
                tr(
                    lang,
                    "Các lựa chọn (chọn mọi mục đúng):",
                    "Options (tick every one that holds):"
                )
            );
            for (i, opt) in question.options.iter().enumerate() {
                let _ = writeln!(
                    o,
                    "{}: {}{}",
                    i + 1,
                    opt.label.get(lang),
                    if opt.exclusive {
                        tr(lang, " (chỉ chọn riêng mục này)", " (only on its own)")
                    } else {
                        ""
                    }
                );
            }
        }
        QuestionKind::Number => {
            if let Some(u) = &question.unit {
                let _ = writeln!(o, "{}: {}", tr(lang, "Đơn vị", "Unit"), u.get(lang));
            }
            if let Some(t) = crate::scoring::target_for(q, &s.assessment, question) {
                let _ = writeln!(
                    o,
                    "{} {}: {}",
                    tr(lang, "Chỉ tiêu năm", "Target for"),
                    t.year,
                    crate::locale::number(t.value, lang)
                );
            }
        }
        QuestionKind::Text => {}
    }
    // "dk" is nearly always allowed (the first hint says so); the rarer ones are said here.
    let mut special = vec![];
    if question.allow_na {
        special.push(tr(lang, "na: không áp dụng", "na: not applicable"));
    }
    if question.allow_alternate {
        special.push(tr(
            lang,
            "alt: biện pháp thay thế",
            "alt: an alternate measure",
        ));
    }
    if !special.is_empty() {
        let _ = writeln!(
            o,
            "{}: {}.",
            tr(lang, "Cũng có thể", "Also possible"),
            special.join(", ")
        );
    }
    let _ = writeln!(o, "{}", answer_line(s, id, lang));
    let _ = writeln!(
        o,
        "{}: {}",
        tr(lang, "Nguồn", "Source"),
        q.cite_all(&question.seed, lang)
    );
    o
}

/// "Answer now: 2 – Has a plan. Marked for review. Comment: …", or "No answer yet."
pub fn answer_line(s: &Session, id: &str, lang: Lang) -> String {
    let Some(question) = s.questionnaire.question(id) else {
        return String::new();
    };
    let Some(a) = s.assessment.answers.get(id) else {
        return tr(lang, "Chưa trả lời.", "No answer yet.").to_string();
    };
    let mut out = format!(
        "{}: {}.",
        tr(lang, "Câu trả lời hiện tại", "Answer now"),
        answer_text(question, &a.response, lang).trim_end_matches('.')
    );
    if let Response::Checklist { selected } = &a.response {
        let numbers: Vec<String> = question
            .options
            .iter()
            .enumerate()
            .filter(|(_, o)| selected.contains(&o.id))
            .map(|(i, _)| (i + 1).to_string())
            .collect();
        if !numbers.is_empty() {
            out = format!(
                "{}: {} ({}).",
                tr(lang, "Câu trả lời hiện tại", "Answer now"),
                numbers.join(" "),
                answer_text(question, &a.response, lang)
            );
        }
    }
    if a.marked_for_review {
        out.push_str(tr(lang, " Đánh dấu cần xem lại.", " Marked for review."));
    }
    if !a.comment.is_empty() {
        let _ = write!(out, " {}: {}", tr(lang, "Ghi chú", "Comment"), a.comment);
    }
    if !a.evidence.is_empty() {
        let _ = write!(
            out,
            " {}: {}",
            tr(lang, "Minh chứng", "Evidence"),
            crate::export::evidence_text(a, lang)
        );
    }
    out
}

/// `0 to 4` / `0 đến 4`: a range in words, as a screen reader should say it (not "0 dash 4").
pub fn range(from: usize, to: usize, lang: Lang) -> String {
    format!("{from} {} {to}", tr(lang, "đến", "to"))
}

/// What to type on this question (short: the question itself says the rest).
pub fn question_prompt(app: &App, id: &str) -> String {
    let lang = app.lang();
    let Some(question) = app
        .session
        .as_ref()
        .and_then(|s| s.questionnaire.question(id))
    else {
        return tr(lang, "Lệnh", "Command").into();
    };
    match question.kind {
        QuestionKind::Scale => format!(
            "{} {}",
            tr(lang, "Mức", "Level"),
            range(0, question.levels.len().saturating_sub(1), lang)
        ),
        QuestionKind::Ynp => tr(lang, "y, p hoặc n", "y, p or n").into(),
        QuestionKind::Checklist => format!(
            "{} {}, {}",
            tr(lang, "Số các mục đúng", "Numbers of the options that hold"),
            range(1, question.options.len(), lang),
            tr(lang, "ví dụ 1 3 4", "e.g. 1 3 4")
        ),
        QuestionKind::Number => {
            let unit = question
                .unit
                .as_ref()
                .map(|u| format!(" ({})", u.get(lang)))
                .unwrap_or_default();
            if question.integer {
                format!(
                    "{}{unit}, {}",
                    tr(lang, "Một số nguyên", "A whole number"),
                    tr(lang, "ví dụ 70 hoặc 1.200", "e.g. 70 or 1,200")
                )
            } else {
                format!(
                    "{}{unit}, {}",
                    tr(lang, "Một số", "A number"),
                    tr(lang, "ví dụ 72,5 hoặc 1.200", "e.g. 72.5 or 1,200")
                )
            }
        }
        QuestionKind::Text => tr(
            lang,
            "Câu trả lời, kết thúc bằng một dòng chỉ có dấu chấm",
            "Your answer, ending with a line holding only a dot",
        )
        .into(),
    }
}

/// The results as a list, with the numbers of the dashboard and `sansang score`.
pub fn results(s: &Session, lang: Lang) -> String {
    let q = &s.questionnaire;
    let r = s.report();
    let band = |id: &Option<String>| {
        id.as_ref()
            .and_then(|b| q.band(b))
            .map(|b| b.label.get(lang).to_string())
            .unwrap_or_else(|| "—".into())
    };
    let score = |v: Option<f64>| crate::locale::score_opt(v, lang);
    let mut o = String::new();
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}: {}",
        tr(lang, "Kết quả", "Results"),
        q.title.get(lang)
    );
    let _ = writeln!(
        o,
        "{}: {}, {}.",
        tr(lang, "Mức sẵn sàng", "Readiness"),
        score(r.headline),
        band(&r.headline_band)
    );
    for l in crate::tui::screens::dashboard::cap_lines(q, r, lang) {
        let _ = writeln!(o, "{}", l.trim_start_matches("⚠ "));
    }
    let _ = writeln!(
        o,
        "{}: {}.",
        tr(lang, "Có minh chứng", "Evidenced"),
        score(r.overall_evidenced)
    );
    let c = r.coverage;
    let _ = writeln!(
        o,
        "{} {}/{} {} ({}); {}: {}; {}: {}.",
        tr(lang, "Đã trả lời", "Answered"),
        c.answered,
        c.applicable,
        tr(lang, "câu tính điểm", "scored questions"),
        crate::locale::percent(c.percent(), lang),
        tr(lang, "không biết", "don't know"),
        c.dont_know,
        tr(lang, "không áp dụng", "not applicable"),
        c.not_applicable
    );
    for g in crate::questionnaire::Group::ALL {
        let dims: Vec<_> = r.dimensions.iter().filter(|d| d.group == g).collect();
        if dims.is_empty() {
            continue;
        }
        let _ = writeln!(o, "{}:", g.label(lang));
        for d in dims {
            let label = q.dimension(&d.id).map(|x| x.label.get(lang)).unwrap_or("");
            let _ = writeln!(
                o,
                "{} {}: {}, {}; {} {}/{}; {} {}.",
                d.id,
                label,
                score(d.claimed),
                band(&d.band),
                tr(lang, "đã trả lời", "answered"),
                d.coverage.answered,
                d.coverage.applicable,
                tr(lang, "có minh chứng", "evidenced"),
                score(d.evidenced)
            );
        }
    }
    let weak: Vec<_> = r.weakest.iter().take(5).collect();
    if !weak.is_empty() {
        let _ = writeln!(
            o,
            "{}:",
            tr(
                lang,
                "Điểm yếu nhất, nên cải thiện trước",
                "Weakest items, improve these first"
            )
        );
        for imp in weak {
            let _ = writeln!(
                o,
                "{}, {} {}: {}",
                imp.question,
                tr(lang, "tăng", "gain"),
                crate::locale::signed(imp.gain, lang),
                q.question(&imp.question)
                    .map(|x| x.text.get(lang))
                    .unwrap_or("")
            );
        }
    }
    o
}

/// What can be typed on the results.
pub fn results_prompt(lang: Lang, confined: bool) -> String {
    format!(
        "{}{}",
        tr(
            lang,
            "why F1 (vì sao một điểm), back (về câu hỏi), review (xem lại), quit (thoát)",
            "why F1 (how a score is made), back (to the questions), review, quit"
        ),
        if confined {
            ""
        } else {
            tr(lang, ", report (báo cáo HTML)", ", report (HTML report)")
        }
    )
}

/// "Why": the formula with the numbers, each question's part, what would raise it; for the
/// overall score, why it is capped and the answers that would raise it most.
pub fn why(s: &Session, dimension: Option<&str>, lang: Lang) -> Result<String, String> {
    let q = &s.questionnaire;
    let r = s.report();
    let mut o = String::new();
    let Some(id) = dimension.filter(|d| !crate::text::fold_diacritics(d).starts_with("overall"))
    else {
        let _ = writeln!(
            o,
            "{}",
            tr(lang, "Vì sao: điểm tổng", "Why: the overall score")
        );
        for l in crate::tui::screens::dashboard::cap_lines(q, r, lang) {
            let _ = writeln!(o, "{}", l.trim_start_matches("⚠ "));
        }
        let _ = writeln!(o, "{}", explain::overall_formula(r, q.overall.group, lang));
        let _ = writeln!(
            o,
            "{}",
            tr(
                lang,
                "Những câu nâng điểm tổng nhiều nhất nếu đạt đầy đủ:",
                "Answers that would raise the overall most if fully met:"
            )
        );
        for id in crate::tui::overlays::why::why_questions(r, None) {
            let imp = r
                .weakest
                .iter()
                .chain(r.next_unanswered.iter())
                .find(|x| x.question == id);
            let _ = writeln!(
                o,
                "{}, {} {}: {}",
                id,
                tr(lang, "tăng", "gain"),
                crate::locale::signed(imp.map_or(0.0, |x| x.gain), lang),
                q.question(&id).map(|x| x.text.get(lang)).unwrap_or("")
            );
            if let Some(rec) = q.question(&id).and_then(|x| x.recommendation.as_ref()) {
                let _ = writeln!(
                    o,
                    "{}: {}",
                    tr(lang, "Khuyến nghị", "Recommendation"),
                    rec.get(lang)
                );
            }
        }
        return Ok(o);
    };
    let Some(d) = r
        .dimensions
        .iter()
        .find(|d| d.id.eq_ignore_ascii_case(id.trim()))
    else {
        let ids: Vec<&str> = r.dimensions.iter().map(|d| d.id.as_str()).collect();
        return Err(format!(
            "{} “{}”; {}: overall, {}.",
            tr(lang, "Không có điểm", "There is no score"),
            id.trim(),
            tr(lang, "hãy dùng một trong", "use one of"),
            ids.join(", ")
        ));
    };
    let _ = writeln!(
        o,
        "{} {} {}",
        tr(lang, "Vì sao:", "Why:"),
        d.id,
        q.dimension(&d.id).map(|x| x.label.get(lang)).unwrap_or("")
    );
    let _ = writeln!(o, "{}", explain::formula(d, lang));
    let _ = writeln!(
        o,
        "{} {}/{}; {} {}.",
        tr(lang, "Đã trả lời", "Answered"),
        d.coverage.answered,
        d.coverage.applicable,
        tr(lang, "có minh chứng", "evidenced"),
        crate::locale::score_opt(d.evidenced, lang)
    );
    for id in crate::tui::overlays::why::why_questions(r, Some(&d.id)) {
        let Some(it) = d.items.iter().find(|x| x.question == id) else {
            continue;
        };
        let ans = q
            .question(&id)
            .zip(s.assessment.answers.get(&id))
            .map(|(qq, a)| format!(", {}", answer_text(qq, &a.response, lang)))
            .unwrap_or_default();
        let value = it
            .value
            .map_or("—".into(), |v| crate::locale::fixed(v, 2, lang));
        let gain = d
            .what_if
            .iter()
            .find(|x| x.question == id)
            .map(|x| {
                format!(
                    "; {} {}",
                    tr(lang, "nếu đạt đầy đủ", "if fully met"),
                    crate::locale::signed(x.gain, lang)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "{id}: {} {}, {} {value}; {}{ans}{gain}",
            tr(lang, "trọng số", "weight"),
            crate::locale::number(it.weight, lang),
            tr(lang, "giá trị", "value"),
            explain::status_label(it.status, lang),
        );
    }
    Ok(o)
}

/// Every shown question with its answer, numbered as the questions are.
pub fn review(s: &Session, lang: Lang) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}:", tr(lang, "Xem lại", "Review"));
    for (i, id) in s.visible().iter().enumerate() {
        let ans = match (s.questionnaire.question(id), s.assessment.answers.get(id)) {
            (Some(q), Some(a)) => answer_text(q, &a.response, lang),
            _ => tr(lang, "chưa trả lời", "unanswered").to_string(),
        };
        let mark = if s
            .assessment
            .answers
            .get(id)
            .is_some_and(|a| a.marked_for_review)
        {
            tr(lang, " (cần xem lại)", " (marked for review)")
        } else {
            ""
        };
        let _ = writeln!(o, "{} {id}: {ans}{mark}", i + 1);
    }
    o
}

/// The sections, numbered, with how many of their shown questions are answered.
pub fn sections(s: &Session, lang: Lang) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}:", tr(lang, "Các phần", "Sections"));
    for (i, sec) in s.questionnaire.sections.iter().enumerate() {
        let (done, shown) = s.section_progress(sec);
        let _ = writeln!(
            o,
            "{}: {}, {} {done}/{shown}.",
            i + 1,
            sec.title.get(lang),
            tr(lang, "đã trả lời", "answered"),
        );
    }
    o
}

/// The assessments in the data folder, numbered.
pub fn home(app: &App) -> String {
    let lang = app.lang();
    let mut o = String::new();
    let Screen::Home(h) = &app.screen else {
        return o;
    };
    if app.confined.is_some() {
        // A participant has no list (only their own file, which the notice said about).
        return o;
    }
    let _ = writeln!(o, "{}:", tr(lang, "Các bản đánh giá", "Assessments"));
    if h.items.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            tr(lang, "Chưa có bản đánh giá nào.", "No assessments yet.")
        );
    }
    for (i, item) in h.items.iter().enumerate() {
        let state = match &item.error {
            Some(e) => format!("{}: {e}", tr(lang, "không mở được", "cannot be opened")),
            None => format!(
                "{} {}/{}",
                tr(lang, "đã trả lời", "answered"),
                item.answered,
                item.shown
            ),
        };
        let _ = writeln!(o, "{}: {}; {state}.", i + 1, item.describe(lang));
    }
    o
}

/// The questionnaires to start a new assessment with, numbered.
pub fn choose(app: &App) -> String {
    let lang = app.lang();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}:",
        tr(lang, "Chọn bộ câu hỏi", "Choose a questionnaire")
    );
    for (i, e) in app.catalog.entries.iter().enumerate() {
        let q = &e.questionnaire;
        let _ = writeln!(
            o,
            "{}: {}, {} {} ({}).",
            i + 1,
            q.title.get(lang),
            q.questions().count(),
            tr(lang, "câu hỏi", "questions"),
            q.id
        );
    }
    o
}

/// A confirmation: what it acts on and the question.
pub fn confirm(c: &Confirm, lang: Lang) -> String {
    match c {
        Confirm::DeleteFile { label, .. } => format!(
            "{} {label}",
            tr(lang, "Xóa bản đánh giá này?", "Delete this assessment?")
        ),
        Confirm::ClearAnswer { question, answer } => format!(
            "{} {question}: {answer}",
            tr(lang, "Xóa câu trả lời?", "Clear the answer?")
        ),
        Confirm::QuitUnsaved { reason, .. } => format!(
            "{} {reason}",
            tr(
                lang,
                "Chưa lưu được — vẫn rời đi (mất các thay đổi chưa lưu)?",
                "Not saved — leave anyway (unsaved changes are lost)?"
            )
        ),
    }
}

/// The evidence form's current row: its label, value and what to type.
pub fn evidence_row(form: &EvidenceForm, lang: Lang) -> String {
    let keep = tr(lang, "dòng trống: giữ nguyên", "empty line: keep it");
    let text = |label: &str, i: usize| {
        let v = form.inputs[i].value();
        if v.is_empty() {
            format!("{label} ({keep}, - {})", tr(lang, "để trống", "for none"))
        } else {
            format!(
                "{label}, {}: {v} ({keep}, - {})",
                tr(lang, "hiện tại", "now"),
                tr(lang, "để xóa", "to clear")
            )
        }
    };
    match form.row() {
        0 => format!(
            "{}: 1 {}, 2 {}; {}: {}",
            tr(lang, "Loại minh chứng", "Kind of evidence"),
            tr(lang, "văn bản", "document"),
            tr(lang, "đường dẫn hoặc tệp", "link or file"),
            tr(lang, "hiện tại", "now"),
            if form.is_document {
                tr(lang, "văn bản", "document")
            } else {
                tr(lang, "đường dẫn", "link")
            }
        ),
        1 => format!(
            "{}: 1 {}, 2 {}, 3 {}; {}: {}",
            tr(lang, "Mức minh chứng", "Grade"),
            crate::export::grade_label(crate::assessment::EvidenceGrade::Stated, lang),
            crate::export::grade_label(crate::assessment::EvidenceGrade::DocumentSeen, lang),
            crate::export::grade_label(crate::assessment::EvidenceGrade::Verified, lang),
            tr(lang, "hiện tại", "now"),
            crate::export::grade_label(form.grade, lang)
        ),
        2 => text(
            tr(
                lang,
                "Loại văn bản, ví dụ Quyết định",
                "Document type, e.g. Decision",
            ),
            0,
        ),
        3 => text(tr(lang, "Số hiệu", "Number"), 1),
        4 => text(tr(lang, "Ngày ban hành, dd/mm/yyyy", "Date, dd/mm/yyyy"), 2),
        5 => text(tr(lang, "Cơ quan ban hành", "Issued by"), 3),
        6 => text(tr(lang, "Trích yếu", "Summary"), 4),
        7 => text(tr(lang, "Đường dẫn hoặc tệp", "Link or file"), 5),
        8 => text(tr(lang, "Ghi chú", "Note"), 6),
        _ => String::new(),
    }
}

/// The text being written (comment, justification, text answer): what it is and how to end.
pub fn editor_intro(app: &App) -> String {
    let lang = app.lang();
    let what = match &app.overlay {
        Some(Overlay::Comment(_)) => tr(lang, "Ghi chú cho câu trả lời", "Comment on the answer"),
        Some(Overlay::Alternate(_)) => tr(
            lang,
            "Biện pháp thay thế: giải trình",
            "Alternate measure: justification",
        ),
        _ => tr(lang, "Câu trả lời", "Your answer"),
    };
    format!(
        "{what}. {}",
        tr(
            lang,
            "Gõ các dòng, kết thúc bằng một dòng chỉ có dấu chấm (.); chỉ dấu chấm: để trống",
            "Type the lines, then a line holding only a dot (.); a dot alone: empty"
        )
    )
}

/// The plain mode's commands, in the user's language with the other language's words beside.
pub fn help(lang: Lang) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}",
        tr(
            lang,
            "Trả lời: số mức (0 đến 4), các số lựa chọn (1 3 4), y/p/n (c/m/k), một số (72,5 hoặc 1.200), hoặc văn bản kết thúc bằng dòng chỉ có dấu chấm. Lệnh (tiếng Việt có dấu hoặc không, hoặc tiếng Anh):",
            "Answers: a level (0 to 4), option numbers (1 3 4), y/p/n, a number (72.5 or 1,200), or text ending with a line holding only a dot. Commands (English, or Vietnamese with or without diacritics):"
        )
    );
    for (en, vi) in super::words::help_words() {
        let what = describe(en, lang);
        let _ = writeln!(o, "{en} / {vi}: {what}");
    }
    o
}

fn describe(word: &str, lang: Lang) -> &'static str {
    match word {
        "na" => tr(
            lang,
            "không áp dụng cho tổ chức",
            "not applicable to the organisation",
        ),
        "dk" => tr(lang, "không biết", "don't know"),
        "alt" => tr(
            lang,
            "biện pháp thay thế (kèm giải trình)",
            "an alternate measure (with a justification)",
        ),
        "comment" => tr(lang, "ghi chú cho câu trả lời", "a comment on the answer"),
        "evidence" => tr(
            lang,
            "minh chứng (văn bản hoặc đường dẫn)",
            "evidence (a document or a link)",
        ),
        "mark" => tr(
            lang,
            "đánh dấu / bỏ đánh dấu cần xem lại",
            "mark / unmark for review",
        ),
        "clear" => tr(
            lang,
            "xóa câu trả lời (có hỏi lại)",
            "clear the answer (asks first)",
        ),
        "back" => tr(
            lang,
            "câu trước, hoặc quay lại",
            "previous question, or go back",
        ),
        "next" => tr(
            lang,
            "câu sau, không trả lời",
            "next question, without answering",
        ),
        "go" => tr(
            lang,
            "đến câu hỏi: go ws.5 hoặc go 5",
            "go to a question: go ws.5 or go 5",
        ),
        "sections" => tr(
            lang,
            "các phần, rồi chọn một phần",
            "the sections, then pick one",
        ),
        "results" => tr(lang, "kết quả", "the results"),
        "review" => tr(
            lang,
            "mọi câu với câu trả lời",
            "every question with its answer",
        ),
        "why" => tr(
            lang,
            "vì sao một điểm: why F5, why overall",
            "how a score is made: why F5, why overall",
        ),
        "help" => tr(lang, "danh sách này", "this list"),
        "lang" => tr(
            lang,
            "đổi ngôn ngữ: lang en, lang vi",
            "switch language: lang en, lang vi",
        ),
        "quit" => tr(lang, "lưu và thoát", "save and quit"),
        "profile" => tr(
            lang,
            "sửa thông tin tổ chức",
            "edit the organisation profile",
        ),
        "unanswered" => tr(
            lang,
            "câu chưa trả lời tiếp theo",
            "the next unanswered question",
        ),
        "repeat" => tr(lang, "đọc lại câu hỏi", "read the question again"),
        "write" => tr(lang, "viết câu trả lời văn bản", "write a text answer"),
        "yes" => tr(lang, "có", "yes"),
        "partly" => tr(lang, "một phần", "partly"),
        "no" => tr(lang, "không", "no"),
        "report" => tr(
            lang,
            "ghi báo cáo HTML (ở kết quả)",
            "write the HTML report (on the results)",
        ),
        "new" => tr(
            lang,
            "bản đánh giá mới (ở danh sách)",
            "a new assessment (on the list)",
        ),
        "open" => tr(
            lang,
            "mở một tệp: open đường/dẫn.json",
            "open a file: open path/to.json",
        ),
        _ => "",
    }
}
