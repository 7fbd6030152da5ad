//! Small drawing pieces shared by screens and overlays: wrapping with a hanging indent,
//! scrolling with cues, the selection marker, the text cursor.

use super::theme::Theme;
use crate::i18n::{Lang, tr};
use crate::text::{pad, width};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

/// Keeps `cursor` within a window of `height` rows: the first row to show.
pub fn scroll(cursor: usize, height: usize) -> usize {
    cursor.saturating_sub(height.saturating_sub(1))
}

pub fn marker(selected: bool) -> &'static str {
    if selected { "▶ " } else { "  " }
}

/// Pushes `text` wrapped to `w` columns; continuation lines start with `indent`. With `fill`,
/// each line is padded to the full width (the selection bar).
pub fn push_wrapped(
    lines: &mut Vec<Line<'static>>,
    text: &str,
    indent: &str,
    w: usize,
    style: ratatui::style::Style,
    fill: bool,
) {
    let first_w = w.max(1);
    let rest_w = w.saturating_sub(width(indent)).max(1);
    let words = crate::text::wrap(text, first_w);
    let out: Vec<String> = if indent.is_empty() || words.len() <= 1 {
        words
    } else {
        // Re-wrap the remainder at the narrower width so the indent never overflows.
        let first = words[0].clone();
        let rest = match text.strip_prefix(first.as_str()) {
            Some(r) => r.trim_start().to_string(),
            None => words[1..].join(" "),
        };
        std::iter::once(first)
            .chain(
                crate::text::wrap(&rest, rest_w)
                    .into_iter()
                    .map(|l| format!("{indent}{l}")),
            )
            .collect()
    };
    for l in out {
        let l = if fill { pad(&l, w) } else { l };
        lines.push(Line::styled(l, style));
    }
}

/// Draws pre-wrapped lines in `area`; when they do not fit, keeps the focused rows in view
/// and shows where more is hidden ("▲ … more above", "▼ … more below").
/// `keys` are the keys that bring the hidden lines into view (named in the "below" cue).
#[allow(clippy::too_many_arguments)]
pub fn draw_scrolled(
    f: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    focus: Option<usize>,
    focus_end: Option<usize>,
    keys: &str,
    t: &Theme,
    lang: Lang,
) {
    let start = focus.unwrap_or(0);
    let end = focus_end.unwrap_or(start + 1);
    let out = window(lines, start, end, area.height as usize, keys, t, lang);
    f.render_widget(Lines(&out), area);
}

/// Lines already cut to the width (wrapped, padded), one a row from the top of the area: what
/// `Paragraph::new(lines)` draws, cell for cell and style for style, without its two passes
/// that style every cell of the area (a no-op for an unstyled paragraph, but a third of the
/// cost of a full-screen frame) and its copy of every grapheme to truncate each line.
pub struct Lines<'a>(pub &'a [Line<'a>]);

impl Widget for Lines<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        for (line, y) in self.0.iter().zip(area.top()..area.bottom()) {
            match line.alignment {
                None | Some(Alignment::Left) => set_line(buf, area.x, y, line, area.width),
                // Centred or right-aligned: rare, left to the paragraph.
                Some(_) => Paragraph::new(line.clone()).render(
                    Rect {
                        y,
                        height: 1,
                        ..area
                    },
                    buf,
                ),
            }
        }
    }
}

/// `Buffer::set_line`, cell for cell and style for style, with a span made only of one-column
/// characters (`text::simple_width`: ASCII, precomposed Vietnamese) written a character a cell,
/// without grapheme segmentation and a width lookup per grapheme. Anything else goes through
/// `Buffer::set_stringn`.
fn set_line(buf: &mut Buffer, mut x: u16, y: u16, line: &Line, max_width: u16) {
    let mut remaining = max_width;
    for span in line {
        if remaining == 0 {
            break;
        }
        let style = line.style.patch(span.style);
        let text = span.content.as_ref();
        let drawn = if crate::text::simple_width(text).is_some() {
            let room = buf.area.right().saturating_sub(x).min(remaining);
            if room == 0 {
                break;
            }
            let start = buf.index_of(x, y);
            let cells = &mut buf.content[start..start + usize::from(room)];
            let mut n = 0;
            for (c, cell) in text.chars().zip(cells) {
                cell.set_char(c).set_style(style);
                n += 1;
            }
            n
        } else {
            let end = buf.set_stringn(x, y, text, usize::from(remaining), style).0;
            end.saturating_sub(x)
        };
        x += drawn;
        remaining = remaining.saturating_sub(drawn);
    }
}

/// At most `h` of `lines`, keeping rows `start..end` in view; when some are hidden, a cue line
/// says how many are above ("▲") or below ("▼", with the `keys` that scroll there).
pub fn window<'a>(
    lines: Vec<Line<'a>>,
    start: usize,
    end: usize,
    h: usize,
    keys: &str,
    t: &Theme,
    lang: Lang,
) -> Vec<Line<'a>> {
    if lines.len() <= h || h < 3 {
        return lines.into_iter().take(h.max(1)).collect();
    }
    let end = end.max(start + 1);
    // From the top while the focus fits (one line kept for the "more below" cue), else
    // scrolled so the focused rows end the window (one line more for the "above" cue).
    let top = if end < h {
        0
    } else {
        end.saturating_sub(h - 2).min(start).max(1)
    };
    let room = if top == 0 { h - 1 } else { h - 2 };
    let top = top.min(lines.len().saturating_sub(room));
    let below = lines.len().saturating_sub(top + room);
    let mut out: Vec<Line> = Vec::with_capacity(h);
    if top > 0 {
        out.push(Line::styled(
            format!("▲ {top} {}", tr(lang, "dòng ở trên", "more lines above")),
            t.key(),
        ));
    }
    out.extend(lines.into_iter().skip(top).take(room));
    if below > 0 {
        out.push(Line::styled(
            match lang {
                Lang::Vi => format!("▼ {below} dòng ở dưới ({keys} để xem)"),
                Lang::En => format!("▼ {below} more lines below ({keys} to see)"),
            },
            t.key(),
        ));
    }
    out
}

/// A rule down the right edge of `area` (what `Block::default().borders(Borders::RIGHT)`
/// draws, without styling every cell of the area first); returns the area left of it.
pub fn right_rule(buf: &mut Buffer, area: Rect) -> Rect {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return area;
    }
    let x = area.right() - 1;
    for y in area.top()..area.bottom() {
        buf[(x, y)].set_symbol(ratatui::symbols::line::VERTICAL);
    }
    Rect {
        width: area.width - 1,
        ..area
    }
}

pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// A field's text with the cursor drawn where it is (not always at the end).
pub fn with_cursor(text: &str, cursor: usize) -> String {
    let mut s = text.to_string();
    let at = if s.is_char_boundary(cursor) {
        cursor
    } else {
        s.len()
    };
    s.insert(at, '▏');
    s
}

/// The lines of a text being edited, each after `prefix` ("│ "), with the cursor drawn as `▏`.
pub fn editor_lines(ed: &crate::tui::editor::TextEditor, prefix: &str) -> Vec<Line<'static>> {
    ed.lines
        .iter()
        .enumerate()
        .map(|(row, l)| {
            let mut text = l.clone();
            if row == ed.row {
                text.insert(ed.col, '▏');
            }
            Line::from(format!("{prefix}{text}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier, Style};
    use ratatui::text::Span;

    fn drawn(area: Rect, draw: impl FnOnce(Rect, &mut Buffer)) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, 24, 6));
        draw(area, &mut buf);
        buf
    }

    #[test]
    fn lines_draw_what_a_paragraph_draws() {
        let red = Style::default().fg(Color::Red);
        let bar = Style::default()
            .bg(Color::Blue)
            .add_modifier(Modifier::BOLD);
        let lines = vec![
            Line::styled("▶ (●) 2 Đang triển khai", bar),
            Line::from(vec![
                Span::styled("một dòng có kiểu ", red),
                Span::raw("và một đoạn dài hơn vùng vẽ rất nhiều"),
                Span::styled(" sau cùng", bar),
            ])
            .style(Style::default().bg(Color::Green)),
            Line::from(vec![
                Span::styled("Câu", red),
                Span::raw(" 3/40 · "),
                Span::styled("数字化转型 longer than the area", bar),
            ]),
            // Decomposed Vietnamese, a zero-width space, a control character.
            Line::from(
                "Chuye\u{0302}\u{0309}n đo\u{0302}\u{0309}i\u{200b} so\u{0302}\u{0301}\u{7}!",
            ),
            Line::from(""),
            Line::styled("centred", red).centered(),
            Line::from("right").right_aligned(),
            Line::from("one line more than the area has rows"),
        ];
        for area in [
            Rect::new(0, 0, 24, 6),
            Rect::new(3, 1, 13, 4),
            Rect::new(20, 2, 10, 10),
        ] {
            let want = drawn(area, |a, b| Paragraph::new(lines.clone()).render(a, b));
            let got = drawn(area, |a, b| Lines(&lines).render(a, b));
            assert_eq!(got, want, "in {area:?}");
        }
    }

    #[test]
    fn right_rule_draws_a_right_border() {
        use ratatui::widgets::{Block, Borders};
        for area in [
            Rect::new(0, 0, 24, 6),
            Rect::new(3, 1, 5, 3),
            Rect::new(20, 2, 10, 10),
        ] {
            let block = Block::default().borders(Borders::RIGHT);
            let mut inner = Rect::default();
            let want = drawn(area, |a, b| {
                inner = block.inner(a.intersection(b.area));
                block.render(a, b)
            });
            let mut got_inner = Rect::default();
            let got = drawn(area, |a, b| got_inner = right_rule(b, a));
            assert_eq!(got, want, "in {area:?}");
            assert_eq!(got_inner, inner, "in {area:?}");
        }
    }
}
