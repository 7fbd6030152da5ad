//! The line parser: what a typed line means, before the screen decides what it does.
//!
//! A line is a command word (English or Vietnamese, with or without diacritics, any case),
//! possibly with an argument (`go ws.5`, `why F5`, `lang en`, `comment some text`), or else
//! the line itself: numbers (`1 3 4`), a number as typed (`1.200`, `72,5`), free text.

use crate::i18n::Lang;
use crate::text::fold_diacritics;

/// A command word, whatever language it was typed in.
#[derive(Debug, Clone, PartialEq)]
pub enum Word {
    NotApplicable,
    DontKnow,
    /// An alternate measure; the rest of the line, if any, is its justification.
    Alternate(String),
    /// A comment; the rest of the line, if any, is the comment.
    Comment(String),
    Evidence,
    Mark,
    Clear,
    Back,
    Next,
    /// Go to a question (id or number) or, on the sections list, a section.
    Go(String),
    Sections,
    Results,
    Review,
    /// The explanation of a score (`None`: the overall score).
    Why(Option<String>),
    Help,
    /// Switch language (`None`: to the other one).
    Lang(Option<Lang>),
    Quit,
    Profile,
    Unanswered,
    Repeat,
    /// Write a text answer (then lines up to a lone `.`); the rest of the line starts it.
    Write(String),
    Yes,
    Partly,
    No,
    Report,
    New,
    Open(String),
}

/// The words of each command, folded (lower case, no diacritics); the first is the one shown
/// in help. Multi-word forms are matched whole, before single words.
const TABLE: &[(&str, &[&str])] = &[
    (
        "na",
        &["na", "n/a", "not applicable", "khong ap dung", "kad"],
    ),
    ("dk", &["dk", "don't know", "dont know", "khong biet", "kb"]),
    (
        "alt",
        &["alt", "alternate", "bien phap thay the", "thay the"],
    ),
    ("comment", &["comment", "ghi chu"]),
    ("evidence", &["evidence", "minh chung"]),
    ("mark", &["mark", "danh dau"]),
    ("clear", &["clear", "xoa"]),
    (
        "back",
        &["back", "previous", "prev", "quay lai", "truoc", "lui"],
    ),
    ("next", &["next", "skip", "bo qua", "tiep", "sau"]),
    ("go", &["go", "goto", "den", "toi"]),
    ("sections", &["sections", "cac phan", "phan"]),
    ("results", &["results", "ket qua"]),
    ("review", &["review", "xem lai"]),
    ("why", &["why", "vi sao", "tai sao"]),
    ("help", &["help", "?", "tro giup", "giup"]),
    ("lang", &["lang", "language", "ngon ngu"]),
    ("quit", &["quit", "exit", "q", "thoat"]),
    ("profile", &["profile", "ho so"]),
    ("unanswered", &["unanswered", "chua tra loi"]),
    ("repeat", &["repeat", "again", "nhac lai", "doc lai"]),
    ("write", &["write", "viet"]),
    ("yes", &["y", "yes", "c", "co"]),
    ("partly", &["p", "partly", "m", "mot phan"]),
    ("no", &["n", "no", "k", "khong"]),
    ("report", &["report", "bao cao"]),
    ("new", &["new", "moi"]),
    ("open", &["open", "mo"]),
];

/// The typed line as a command word, if it is one. The argument keeps its original spelling
/// (a comment is stored as typed).
pub fn parse_word(line: &str) -> Option<Word> {
    let line = line.trim();
    let folded = fold_diacritics(line);
    // Longest match first: "khong biet" before "khong".
    let mut best: Option<(&str, usize)> = None;
    for (name, forms) in TABLE {
        for f in forms.iter() {
            let whole = folded == *f;
            let prefix = folded.len() > f.len()
                && folded.starts_with(f)
                && folded[f.len()..].starts_with(' ');
            if (whole || prefix) && best.is_none_or(|(_, n)| f.len() > n) {
                best = Some((name, f.len()));
            }
        }
    }
    let (name, n) = best?;
    // The argument in the original text: skip as many words as the matched form has.
    let words_in_form = folded[..n].split(' ').count();
    let rest = line
        .split_whitespace()
        .skip(words_in_form)
        .collect::<Vec<_>>()
        .join(" ");
    let has_rest = !rest.is_empty();
    Some(match name {
        "na" if !has_rest => Word::NotApplicable,
        "dk" if !has_rest => Word::DontKnow,
        "alt" => Word::Alternate(rest),
        "comment" => Word::Comment(rest),
        "evidence" if !has_rest => Word::Evidence,
        "mark" if !has_rest => Word::Mark,
        "clear" if !has_rest => Word::Clear,
        "back" if !has_rest => Word::Back,
        "next" if !has_rest => Word::Next,
        "go" if has_rest => Word::Go(rest),
        "sections" if !has_rest => Word::Sections,
        "results" if !has_rest => Word::Results,
        "review" if !has_rest => Word::Review,
        "why" => Word::Why(has_rest.then_some(rest)),
        "help" if !has_rest => Word::Help,
        "lang" if !has_rest => Word::Lang(None),
        "lang" => Word::Lang(Some(Lang::parse(&rest)?)),
        "quit" if !has_rest => Word::Quit,
        "profile" if !has_rest => Word::Profile,
        "unanswered" if !has_rest => Word::Unanswered,
        "repeat" if !has_rest => Word::Repeat,
        "write" => Word::Write(rest),
        "yes" if !has_rest => Word::Yes,
        "partly" if !has_rest => Word::Partly,
        "no" if !has_rest => Word::No,
        "report" if !has_rest => Word::Report,
        "new" if !has_rest => Word::New,
        "open" if has_rest => Word::Open(rest),
        _ => return None,
    })
}

/// Whole numbers separated by spaces or commas: `1 3 4`, `1,3,4`. `None` if anything else is
/// in the line.
pub fn parse_numbers(line: &str) -> Option<Vec<usize>> {
    let parts: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return None;
    }
    parts
        .iter()
        .map(|p| {
            if p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().ok()
            } else {
                None
            }
        })
        .collect()
}

/// True for the line that ends a text: a lone `.`.
pub fn is_end_of_text(line: &str) -> bool {
    line.trim() == "."
}

/// The command words to show in help, in both languages: (English, Vietnamese).
pub fn help_words() -> Vec<(&'static str, &'static str)> {
    TABLE
        .iter()
        .map(|(name, forms)| {
            let vi = match *name {
                "na" => "không áp dụng",
                "dk" => "không biết",
                "alt" => "biện pháp thay thế",
                "comment" => "ghi chú",
                "evidence" => "minh chứng",
                "mark" => "đánh dấu",
                "clear" => "xóa",
                "back" => "quay lại",
                "next" => "bỏ qua",
                "go" => "đến",
                "sections" => "các phần",
                "results" => "kết quả",
                "review" => "xem lại",
                "why" => "vì sao",
                "help" => "trợ giúp",
                "lang" => "ngôn ngữ",
                "quit" => "thoát",
                "profile" => "hồ sơ",
                "unanswered" => "chưa trả lời",
                "repeat" => "nhắc lại",
                "write" => "viết",
                "yes" => "có",
                "partly" => "một phần",
                "no" => "không",
                "report" => "báo cáo",
                "new" => "mới",
                "open" => "mở",
                _ => forms[0],
            };
            (*name, vi)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_both_languages_with_or_without_diacritics() {
        assert_eq!(parse_word("na"), Some(Word::NotApplicable));
        assert_eq!(parse_word("Không áp dụng"), Some(Word::NotApplicable));
        assert_eq!(parse_word("khong ap dung"), Some(Word::NotApplicable));
        assert_eq!(parse_word("không biết"), Some(Word::DontKnow));
        assert_eq!(parse_word("không"), Some(Word::No));
        assert_eq!(parse_word("KẾT QUẢ"), Some(Word::Results));
        assert_eq!(parse_word("ket qua"), Some(Word::Results));
        assert_eq!(parse_word("bỏ qua"), Some(Word::Next));
        assert_eq!(parse_word("go ws.5"), Some(Word::Go("ws.5".into())));
        assert_eq!(parse_word("đến ws.5"), Some(Word::Go("ws.5".into())));
        assert_eq!(parse_word("why F5"), Some(Word::Why(Some("F5".into()))));
        assert_eq!(parse_word("vì sao F5"), Some(Word::Why(Some("F5".into()))));
        assert_eq!(parse_word("why"), Some(Word::Why(None)));
        assert_eq!(parse_word("lang en"), Some(Word::Lang(Some(Lang::En))));
        assert_eq!(parse_word("ngôn ngữ vi"), Some(Word::Lang(Some(Lang::Vi))));
        assert_eq!(
            parse_word("ghi chú Đã có kế hoạch"),
            Some(Word::Comment("Đã có kế hoạch".into()))
        );
        assert_eq!(parse_word("thoát"), Some(Word::Quit));
        // Not words: text and numbers are left to the screen.
        assert_eq!(parse_word("Chúng tôi cần đào tạo"), None);
        assert_eq!(parse_word("go"), None);
        assert_eq!(parse_word("lang xx"), None);
        assert_eq!(parse_word("3"), None);
        assert_eq!(parse_word("next question please"), None);
    }

    #[test]
    fn numbers_lists() {
        assert_eq!(parse_numbers("1 3 4"), Some(vec![1, 3, 4]));
        assert_eq!(parse_numbers("1,3, 4"), Some(vec![1, 3, 4]));
        assert_eq!(parse_numbers("2"), Some(vec![2]));
        assert_eq!(parse_numbers("2a"), None);
        assert_eq!(parse_numbers(""), None);
        assert_eq!(parse_numbers("1.5"), None);
        assert!(is_end_of_text(" . "));
        assert!(!is_end_of_text(".."));
    }
}
