//! Display width of text. Vietnamese has combining marks (decomposed "ệ" is three code points but
//! one column), and CJK or emoji take two columns, so width is measured per grapheme cluster with
//! unicode-width, never with `len()` or `chars().count()`.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Columns the text takes in a terminal.
pub fn width(s: &str) -> usize {
    simple_width(s).unwrap_or_else(|| s.graphemes(true).map(|g| g.width().min(2)).sum())
}

/// A character that is a grapheme of its own, one column wide, next to any other such
/// character: printable ASCII, Latin-1 and the Latin extensions up to the combining marks
/// (U+00A0–U+02FF, without the soft hyphen), the Latin Extended Additional block
/// (U+1E00–U+1EFF) that holds precomposed Vietnamese ("ệ", "ở"), and the symbols the screens
/// draw with: dashes, quotes and "…" (U+2010–U+2027), arrows, box drawing, blocks and
/// geometric shapes (all but the two drawn as emoji), "★", "⚠", "✎", "✓", "✗". A test checks
/// the claim against grapheme segmentation for every pair.
fn simple(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{A0}'..='\u{AC}'
        | '\u{AE}'..='\u{2FF}'
        | '\u{1E00}'..='\u{1EFF}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2190}'..='\u{21FF}'
        | '\u{2500}'..='\u{25FC}'
        | '\u{25FF}'
        | '★' | '⚠' | '✎' | '✓' | '✗'
    )
}

/// The width of text made only of [`simple`] characters (one column each), without grapheme
/// segmentation; `None` for anything else (decomposed marks, wide or control characters).
pub fn simple_width(s: &str) -> Option<usize> {
    let mut n = 0;
    for c in s.chars() {
        if !simple(c) {
            return None;
        }
        n += 1;
    }
    Some(n)
}

/// Cuts to at most `max` columns, adding "…" when cut; never splits a grapheme.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = g.width().min(2);
        if used + w + 1 > max {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// Pads with spaces on the right to `cols` columns (cutting first if longer).
pub fn pad(s: &str, cols: usize) -> String {
    let mut t = truncate(s, cols);
    let w = width(&t);
    t.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    t
}

/// Wraps to lines of at most `cols` columns, breaking only at spaces (punctuation stays with
/// its word: never a line ending in "(" or starting with ","); a word longer than the line is
/// cut by grapheme. Widths are display columns of grapheme clusters.
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let mut lines = Vec::new();
    for para in s.split('\n') {
        let mut line = String::new();
        let mut lw = 0;
        // Spaces seen since the last word; kept inside a line (columns, indents), dropped at
        // a break.
        let mut pending = 0usize;
        let mut broke = false;
        for (i, word) in para.split(' ').enumerate() {
            if i > 0 {
                pending += 1;
            }
            if word.is_empty() {
                continue;
            }
            let ww = width(word);
            let sep = if broke { 0 } else { pending };
            if lw + sep + ww > cols && lw > 0 {
                lines.push(std::mem::take(&mut line));
                lw = 0;
                broke = true;
            }
            let sep = if lw == 0 && broke { 0 } else { sep.min(cols) };
            line.extend(std::iter::repeat_n(' ', sep));
            lw += sep;
            pending = 0;
            if ww > cols.saturating_sub(lw) && ww > cols {
                // A single word longer than the line: cut it by graphemes.
                for g in word.graphemes(true) {
                    let gw = g.width().min(2);
                    if lw + gw > cols && lw > 0 {
                        lines.push(std::mem::take(&mut line));
                        lw = 0;
                        broke = true;
                    }
                    line.push_str(g);
                    lw += gw;
                }
            } else {
                line.push_str(word);
                lw += ww;
            }
            if lw > 0 {
                broke = false;
            }
        }
        lines.push(line);
    }
    lines
}

/// Lower case without diacritics (đ → d), for matching what people type with or without
/// accents: "ung cuu" matches "ứng cứu", "Thanh Hoá" matches "Thanh Hóa".
pub fn fold_diacritics(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_precomposed_and_decomposed_have_the_same_width() {
        let nfc = "Chuyển đổi số";
        let nfd = "Chuye\u{0302}\u{0309}n đo\u{0302}\u{0309}i so\u{0302}\u{0301}";
        assert_ne!(nfc.len(), nfd.len());
        assert_eq!(width(nfc), 13);
        assert_eq!(width(nfd), 13);
    }

    #[test]
    fn simple_characters_are_one_column_graphemes_next_to_each_other() {
        let simple: Vec<char> = (0..=0x27FF_u32)
            .filter_map(char::from_u32)
            .filter(|c| super::simple(*c))
            .collect();
        let slow = |s: &str| -> usize { s.graphemes(true).map(|g| g.width().min(2)).sum() };
        let mut pair = String::new();
        for &a in &simple {
            for &b in &simple {
                pair.clear();
                pair.push(a);
                pair.push(b);
                assert_eq!(slow(&pair), 2, "{a:?}{b:?}");
                assert_eq!(pair.graphemes(true).count(), 2, "{a:?}{b:?}");
            }
        }
        // Anything else takes the slow path.
        for s in ["e\u{0302}\u{0301}", "数", "\u{AD}", "\u{7}", "a\u{200d}b"] {
            assert_eq!(super::simple_width(s), None, "{s:?}");
        }
        assert_eq!(width("Người đứng đầu"), 14);
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(width("数字"), 4);
        assert_eq!(pad("数字", 5), "数字 ");
    }

    #[test]
    fn truncate_never_splits_a_grapheme() {
        let nfd = "e\u{0302}\u{0301}e\u{0302}\u{0301}e\u{0302}\u{0301}";
        assert_eq!(truncate(nfd, 3), nfd, "three columns fit in three");
        let t = truncate(nfd, 2);
        assert_eq!(t, "e\u{0302}\u{0301}…");
        assert_eq!(width(&t), 2);
    }

    #[test]
    fn folding_ignores_case_and_diacritics() {
        assert_eq!(fold_diacritics("Ứng cứu sự cố"), "ung cuu su co");
        assert_eq!(fold_diacritics("ĐỒNG Ý"), "dong y");
    }

    #[test]
    fn wrap_keeps_punctuation_with_its_word() {
        let lines = wrap("một hệ thống chung (ví dụ trung tâm), cảm biến", 20);
        assert!(
            lines
                .iter()
                .all(|l| !l.ends_with('(') && !l.starts_with(',')),
            "{lines:?}"
        );
        assert_eq!(
            lines.join(" "),
            "một hệ thống chung (ví dụ trung tâm), cảm biến"
        );
        assert_eq!(
            wrap("  ( ) 1 Dự kiến", 40),
            vec!["  ( ) 1 Dự kiến"],
            "indent kept"
        );
    }

    #[test]
    fn wrap_respects_columns() {
        let lines = wrap(
            "Người đứng đầu chịu trách nhiệm trực tiếp về chuyển đổi số",
            16,
        );
        assert!(lines.iter().all(|l| width(l) <= 16), "{lines:?}");
        assert_eq!(
            lines.join(" "),
            "Người đứng đầu chịu trách nhiệm trực tiếp về chuyển đổi số"
        );
    }
}
