//! Small hand-written SVG charts for the HTML report: no dependency, deterministic output (the
//! same scores give the same bytes), scores 0..100.
//!
//! Bars are never told apart by colour alone: every bar has its label above it and its value
//! printed after it; a missing score shows an empty track and "—". Geometry is exact: a bar's
//! length is `BAR_TRACK × score / 100`, so 62.5 gives a bar 62.5 % of the track.

use crate::text;

/// Width of the SVG drawings (user units; the HTML scales them to the page).
pub const CHART_WIDTH: f64 = 640.0;
/// Full length of a bar's track (score 100).
pub const BAR_TRACK: f64 = 480.0;
/// Left edge of the tracks.
pub const BAR_X: f64 = 8.0;
/// Thickness of one bar.
pub const BAR_THICKNESS: f64 = 16.0;
/// Vertical space taken by one labelled bar.
const ROW_HEIGHT: f64 = 46.0;
/// Shown instead of a value when there is no score.
pub const MISSING: &str = "—";

/// One bar or radar axis: a label and an optional score 0..100.
#[derive(Debug, Clone, PartialEq)]
pub struct Datum {
    pub label: String,
    pub score: Option<f64>,
    /// The value as shown next to the bar or axis; `score_text` when not set.
    pub shown: Option<String>,
}

impl Datum {
    pub fn new(label: impl Into<String>, score: Option<f64>) -> Datum {
        Datum {
            label: label.into(),
            score,
            shown: None,
        }
    }

    /// A datum whose value is written as `lang` writes scores (`72,5` / `72.5`).
    pub fn in_lang(label: impl Into<String>, score: Option<f64>, lang: crate::i18n::Lang) -> Datum {
        Datum {
            label: label.into(),
            score,
            shown: Some(crate::locale::score_opt(score, lang)),
        }
    }

    fn value_text(&self) -> String {
        self.shown.clone().unwrap_or_else(|| score_text(self.score))
    }
}

/// Escapes text for XML / HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0; keep tab and newline.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A number for an SVG attribute: at most two decimals, no trailing zeros, never "-0".
pub fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A score as printed next to a bar: one decimal, or two when the second is not zero
/// (62.5, 65.0, 63.75); "—" when missing.
pub fn score_text(score: Option<f64>) -> String {
    match score {
        None => MISSING.to_string(),
        Some(s) => {
            let two = format!("{s:.2}");
            if two.ends_with('0') {
                format!("{s:.1}")
            } else {
                two
            }
        }
    }
}

/// Length of a bar for `score` on a track of `full` units (the score is clamped to 0..100).
pub fn bar_length(score: f64, full: f64) -> f64 {
    full * score.clamp(0.0, 100.0) / 100.0
}

/// A horizontal bar chart, one labelled bar per datum. `title` is the accessible name.
pub fn bar_chart(title: &str, data: &[Datum]) -> String {
    let height = ROW_HEIGHT * data.len().max(1) as f64 + 8.0;
    let mut s = open(title, CHART_WIDTH, height, "bars");
    // Gridlines every 20 points, behind the bars.
    for i in 0..=5 {
        let x = BAR_X + BAR_TRACK * i as f64 / 5.0;
        s.push_str(&format!(
            "<line class=\"grid\" x1=\"{}\" y1=\"4\" x2=\"{}\" y2=\"{}\"/>",
            num(x),
            num(x),
            num(height - 4.0)
        ));
    }
    for (i, d) in data.iter().enumerate() {
        let y = 4.0 + ROW_HEIGHT * i as f64;
        let bar_y = y + 20.0;
        let label = text::truncate(&d.label, 80);
        s.push_str(&format!(
            "<text class=\"label\" x=\"{}\" y=\"{}\">{}</text>",
            num(BAR_X),
            num(y + 14.0),
            escape(&label)
        ));
        s.push_str(&format!(
            "<rect class=\"track\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            num(BAR_X),
            num(bar_y),
            num(BAR_TRACK),
            num(BAR_THICKNESS)
        ));
        if let Some(score) = d.score {
            s.push_str(&format!(
                "<rect class=\"bar\" data-score=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                num(score),
                num(BAR_X),
                num(bar_y),
                num(bar_length(score, BAR_TRACK)),
                num(BAR_THICKNESS)
            ));
        }
        s.push_str(&format!(
            "<text class=\"value\" x=\"{}\" y=\"{}\">{}</text>",
            num(BAR_X + BAR_TRACK + 10.0),
            num(bar_y + BAR_THICKNESS - 3.0),
            escape(&d.value_text())
        ));
    }
    s.push_str("</svg>");
    s
}

/// A radar chart of scores (one axis per datum, clockwise from the top, rings every 20 points),
/// each axis labelled with its name and value. Fewer than three axes cannot make a polygon, so
/// those are drawn as a bar chart.
pub fn radar_chart(title: &str, data: &[Datum]) -> String {
    if data.len() < 3 {
        return bar_chart(title, data);
    }
    let (w, h) = (CHART_WIDTH, 400.0);
    let (cx, cy, r) = (w / 2.0, h / 2.0, 120.0);
    let n = data.len();
    let point = |i: usize, score: f64| {
        let a = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
        let len = bar_length(score, r);
        (cx + len * a.cos(), cy + len * a.sin())
    };
    let polygon = |scores: &mut dyn Iterator<Item = f64>| {
        scores
            .enumerate()
            .map(|(i, v)| {
                let (x, y) = point(i, v);
                format!("{},{}", num(x), num(y))
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut s = open(title, w, h, "radar");
    for ring in 1..=5 {
        let v = ring as f64 * 20.0;
        s.push_str(&format!(
            "<polygon class=\"ring\" points=\"{}\"/>",
            polygon(&mut std::iter::repeat_n(v, n))
        ));
    }
    for i in 0..n {
        let (x, y) = point(i, 100.0);
        s.push_str(&format!(
            "<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            num(cx),
            num(cy),
            num(x),
            num(y)
        ));
    }
    // Ring values along the first axis.
    for ring in 1..=5 {
        let v = ring as f64 * 20.0;
        let (x, y) = point(0, v);
        s.push_str(&format!(
            "<text class=\"tick\" x=\"{}\" y=\"{}\">{}</text>",
            num(x + 6.0),
            num(y + 12.0),
            ring * 20
        ));
    }
    // Missing scores sit at the centre (and print "—").
    s.push_str(&format!(
        "<polygon class=\"area\" points=\"{}\"/>",
        polygon(&mut data.iter().map(|d| d.score.unwrap_or(0.0)))
    ));
    for (i, d) in data.iter().enumerate() {
        if let Some(v) = d.score {
            let (x, y) = point(i, v);
            s.push_str(&format!(
                "<circle class=\"dot\" data-score=\"{}\" cx=\"{}\" cy=\"{}\" r=\"4\"/>",
                num(v),
                num(x),
                num(y)
            ));
        }
    }
    for (i, d) in data.iter().enumerate() {
        let (x, y) = point(i, 100.0);
        let (dx, dy) = (x - cx, y - cy);
        let anchor = if dx.abs() < 1.0 {
            "middle"
        } else if dx > 0.0 {
            "start"
        } else {
            "end"
        };
        let lines = text::wrap(&d.label, 26);
        let tx = x + if anchor == "start" {
            10.0
        } else if anchor == "end" {
            -10.0
        } else {
            0.0
        };
        let line_h = 15.0;
        let block = line_h * (lines.len() + 1) as f64;
        // Above the top axis, below the bottom one, centred on the side ones.
        let top = if dy < -1.0 && dx.abs() < 1.0 {
            y - 10.0 - block + 11.0
        } else if dy > 1.0 && dx.abs() < 1.0 {
            y + 22.0
        } else {
            y - block / 2.0 + 11.0
        };
        s.push_str(&format!(
            "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">",
            num(tx),
            num(top)
        ));
        for (k, line) in lines.iter().enumerate() {
            s.push_str(&format!(
                "<tspan x=\"{}\" dy=\"{}\">{}</tspan>",
                num(tx),
                if k == 0 { "0".to_string() } else { num(line_h) },
                escape(line)
            ));
        }
        s.push_str(&format!(
            "<tspan class=\"value\" x=\"{}\" dy=\"{}\">{}</tspan></text>",
            num(tx),
            num(line_h),
            escape(&d.value_text())
        ));
    }
    s.push_str("</svg>");
    s
}

fn open(title: &str, w: f64, h: f64, class: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {class}\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\"><title>{}</title>",
        num(w),
        num(h),
        num(w),
        num(h),
        escape(title),
        escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(num(312.5), "312.5");
        assert_eq!(num(300.0), "300");
        assert_eq!(num(-0.000001), "0");
        assert_eq!(num(1.0 / 3.0), "0.33");
    }

    #[test]
    fn score_text_keeps_needed_decimals() {
        assert_eq!(score_text(Some(63.75)), "63.75");
        assert_eq!(score_text(Some(65.0)), "65.0");
        assert_eq!(score_text(Some(62.5)), "62.5");
        assert_eq!(score_text(None), "—");
    }

    #[test]
    fn escape_covers_markup() {
        assert_eq!(
            escape("<a href='x'>\"&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;"
        );
    }
}

/// A five-number summary for one row of a box plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    pub label: String,
    /// (min, q1, median, q3, max) on 0..100, or `None` when nobody has a score.
    pub five: Option<(f64, f64, f64, f64, f64)>,
    pub count: usize,
}

/// Horizontal box plots on a 0..100 axis: whiskers min–max, box q1–q3, a bar at the median,
/// and the median written after each row (never colour alone).
pub fn box_plot(title: &str, rows: &[Spread]) -> String {
    let row_h = 34.0;
    let top = 8.0;
    let h = top + row_h * rows.len() as f64 + 22.0;
    let x = |v: f64| BAR_X + bar_length(v, BAR_TRACK);
    let mut s = open(title, CHART_WIDTH, h, "boxplot");
    for t in (0..=100).step_by(20) {
        let tx = x(t as f64);
        s.push_str(&format!(
            "<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/><text class=\"tick\" x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{t}</text>",
            num(tx),
            num(top),
            num(h - 18.0),
            num(h - 6.0)
        ));
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + row_h * i as f64;
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(BAR_X),
            num(y + 11.0),
            escape(&r.label)
        ));
        let mid = y + 22.0;
        match r.five {
            Some((min, q1, med, q3, max)) => {
                s.push_str(&format!(
                    "<line class=\"axis\" x1=\"{}\" y1=\"{m}\" x2=\"{}\" y2=\"{m}\"/><rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"10\" opacity=\"0.45\"/><line class=\"axis\" x1=\"{md}\" y1=\"{}\" x2=\"{md}\" y2=\"{}\" stroke-width=\"3\"/>",
                    num(x(min)),
                    num(x(max)),
                    num(x(q1)),
                    num(mid - 5.0),
                    num((x(q3) - x(q1)).max(0.0)),
                    num(mid - 7.0),
                    num(mid + 7.0),
                    m = num(mid),
                    md = num(x(med)),
                ));
                s.push_str(&format!(
                    "<text class=\"value\" x=\"{}\" y=\"{}\">{} (n={})</text>",
                    num(BAR_X + BAR_TRACK + 8.0),
                    num(mid + 4.0),
                    escape(&format!("{med:.1}")),
                    r.count
                ));
            }
            None => s.push_str(&format!(
                "<text class=\"value\" x=\"{}\" y=\"{}\">{MISSING}</text>",
                num(BAR_X + BAR_TRACK + 8.0),
                num(mid + 4.0)
            )),
        }
    }
    s.push_str("</svg>");
    s
}
