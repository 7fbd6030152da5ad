//! The rendered reports (Markdown, HTML with SVG charts, JSON) for the worked example in both
//! languages: concrete content, exact chart geometry, escaping, the published JSON Schema, and
//! the HTML loaded in headless Chromium (no console error, a screenshot per language under
//! `target/report-screenshots/`).

mod common;
use common::*;
use sansang::assessment::Response;
use sansang::i18n::Lang;
use sansang::report::{self, ReportDoc, html, markdown, svg};
use sansang::scoring;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn doc_of(
    q: &sansang::questionnaire::Questionnaire,
    a: &sansang::assessment::Assessment,
    lang: Lang,
) -> ReportDoc {
    report::build(q, a, &scoring::score(q, a), lang, NOW)
}

fn doc(lang: Lang) -> ReportDoc {
    let (q, a) = worked_example();
    doc_of(&q, &a, lang)
}

/// The worked example with hostile text in an answer, a comment and the organisation name.
fn hostile(lang: Lang) -> ReportDoc {
    let (q, mut a) = worked_example();
    profile(&mut a, &q, "org_name", "<b>Sở</b> & \"Co\" | x");
    answer(
        &mut a,
        &q,
        "m.f1.6",
        Response::Text {
            text: "<script>alert('a')</script>".into(),
        },
    );
    let an = a.answers.get_mut("m.f1.2").unwrap();
    an.comment = "</td><script>alert(1)</script><img src=x onerror=alert(2)> a|b".into();
    an.marked_for_review = true;
    doc_of(&q, &a, lang)
}

/// `d` with the four security layers of the built-in questionnaires (the fixture has one), one of
/// them unanswered, so the layers chart is a radar.
fn four_layers(mut d: ReportDoc) -> ReportDoc {
    let layers = d
        .groups
        .iter_mut()
        .find(|g| g.group == sansang::questionnaire::Group::Layer)
        .unwrap();
    let first = layers.dimensions[0].clone();
    for (id, vi, en, score) in [
        (
            "L2",
            "Lớp 2: Tổ chức giám sát, bảo vệ chuyên nghiệp",
            "Layer 2: Professional monitoring and protection provider",
            None,
        ),
        (
            "L3",
            "Lớp 3: Kiểm tra, đánh giá độc lập",
            "Layer 3: Independent inspection and assessment",
            Some(50.0),
        ),
        (
            "L4",
            "Lớp 4: Kết nối, chia sẻ với hệ thống giám sát quốc gia",
            "Layer 4: Connection and sharing with the national monitoring system",
            Some(25.0),
        ),
    ] {
        let mut r = first.clone();
        r.id = id.into();
        r.label = if d.lang == Lang::Vi { vi } else { en }.into();
        r.claimed = score;
        r.evidenced = score.map(|_| 0.0);
        r.band = None;
        layers.dimensions.push(r);
    }
    d
}

/// `attr="…"` values of every element whose start tag begins with `tag_start`.
fn attrs<'a>(s: &'a str, tag_start: &str, attr: &str) -> Vec<&'a str> {
    s.match_indices(tag_start)
        .map(|(i, _)| {
            let tag = &s[i..i + s[i..].find('>').unwrap()];
            let key = format!(" {attr}=\"");
            let from = tag
                .find(&key)
                .unwrap_or_else(|| panic!("no {attr} in {tag}"))
                + key.len();
            &tag[from..from + tag[from..].find('"').unwrap()]
        })
        .collect()
}

fn f(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s}"))
}

// ---------------------------------------------------------------------------------------------
// SVG

#[test]
fn bar_geometry_is_exact() {
    let data = [
        svg::Datum::new("F1", Some(65.0)),
        svg::Datum::new("F5", Some(62.5)),
        svg::Datum::new("F9", Some(100.0)),
    ];
    let s = svg::bar_chart("t", &data);
    let tracks: Vec<f64> = attrs(&s, "<rect class=\"track\"", "width")
        .into_iter()
        .map(f)
        .collect();
    let bars: Vec<f64> = attrs(&s, "<rect class=\"bar\"", "width")
        .into_iter()
        .map(f)
        .collect();
    assert_eq!(tracks, vec![svg::BAR_TRACK; 3]);
    assert_eq!(
        bars,
        vec![
            svg::BAR_TRACK * 0.65,
            svg::BAR_TRACK * 0.625,
            svg::BAR_TRACK
        ]
    );
    assert_eq!(
        bars[1] / tracks[1],
        0.625,
        "62.5 must give a bar 62.5 % of the track"
    );
    assert_eq!(
        attrs(&s, "<rect class=\"bar\"", "data-score"),
        vec!["65", "62.5", "100"]
    );
    // Each bar carries its label and printed value (never colour alone).
    for t in [">F1<", ">65.0<", ">F5<", ">62.5<", ">F9<", ">100.0<"] {
        assert!(s.contains(t), "{t} missing in {s}");
    }
    // Same input, same bytes.
    assert_eq!(s, svg::bar_chart("t", &data));
    assert_eq!(svg::bar_length(62.5, 200.0), 125.0);
    assert_eq!(svg::bar_length(140.0, 200.0), 200.0);
    assert_eq!(svg::bar_length(-3.0, 200.0), 0.0);
}

#[test]
fn a_missing_score_shows_an_empty_track_and_a_dash() {
    let s = svg::bar_chart(
        "t",
        &[
            svg::Datum::new("Có", Some(40.0)),
            svg::Datum::new("Chưa có", None),
        ],
    );
    assert_eq!(s.matches("<rect class=\"track\"").count(), 2);
    assert_eq!(s.matches("<rect class=\"bar\"").count(), 1);
    assert!(s.contains(">Chưa có<") && s.contains(">—<"), "{s}");
    let r = svg::radar_chart(
        "t",
        &[
            svg::Datum::new("L1", Some(100.0)),
            svg::Datum::new("L2", None),
            svg::Datum::new("L3", Some(50.0)),
            svg::Datum::new("L4", Some(0.0)),
        ],
    );
    assert_eq!(r.matches("<circle class=\"dot\"").count(), 3);
    assert!(r.contains(">—</tspan>"), "{r}");
}

#[test]
fn radar_points_lie_on_their_axes_at_the_score() {
    let data = [
        svg::Datum::new("L1", Some(100.0)),
        svg::Datum::new("L2", Some(50.0)),
        svg::Datum::new("L3", Some(62.5)),
        svg::Datum::new("L4", None),
    ];
    let s = svg::radar_chart("Lớp bảo vệ", &data);
    let area = attrs(&s, "<polygon class=\"area\"", "points")[0];
    let pts: Vec<(f64, f64)> = area
        .split(' ')
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (f(x), f(y))
        })
        .collect();
    // Centre (320, 200), radius 120; axes clockwise from the top.
    assert_eq!(
        pts,
        vec![
            (320.0, 80.0),
            (380.0, 200.0),
            (320.0, 275.0),
            (320.0, 200.0)
        ]
    );
    for t in [
        ">L1</tspan>",
        ">100.0</tspan>",
        ">62.5</tspan>",
        ">—</tspan>",
    ] {
        assert!(s.contains(t), "{t} missing");
    }
    // Two axes cannot make a polygon: bars instead.
    assert!(svg::radar_chart("t", &data[..2]).contains("<rect class=\"bar\""));
}

#[test]
fn svg_text_is_escaped() {
    let s = svg::bar_chart("<t>", &[svg::Datum::new("<script>&\"", Some(1.0))]);
    assert!(!s.contains("<script>"));
    assert!(s.contains("&lt;script&gt;&amp;&quot;"));
    assert!(s.contains("aria-label=\"&lt;t&gt;\""));
}

// ---------------------------------------------------------------------------------------------
// HTML

#[test]
fn html_vietnamese_has_the_content() {
    let h = html::render(&doc(Lang::Vi));
    assert!(h.starts_with("<!DOCTYPE html>\n<html lang=\"vi\">"));
    for t in [
        "<meta charset=\"utf-8\">",
        "@page { size: A4; margin: 15mm; }",
        "Bộ câu hỏi thử",
        "Bộ câu hỏi thử (phiên bản 1.0.0)",
        "<h1>Sở Ví Dụ</h1>",
        "24/11/2026",
        "Tên cơ quan</th><td>Sở Ví Dụ</td>",
        "Cấp</th><td>Tỉnh</td>",
        "<div class=\"score\">63,8</div>",
        "<div class=\"band\">Nâng cao</div>",
        "Điểm có minh chứng",
        "<div class=\"band\">25,0</div>",
        "Chuyển đổi nhận thức",
        "An toàn, an ninh mạng",
        "Mô hình bảo vệ 4 lớp",
        "Hồ sơ xử lý trên mạng",
        "Năm việc cần làm trước",
        "Xây dựng phương án.",
        "Người lập",
        "Người duyệt",
        "(Ký, ghi rõ họ tên, đóng dấu)",
        "Phân công cán bộ chuyên trách an toàn thông tin",
        "Phụ lục: toàn bộ câu trả lời",
        "Nhận thức",
        "không biết",
    ] {
        assert!(h.contains(t), "missing {t:?}");
    }
    // Bars per pillar and per task, the layers chart, with the scores of the worked example.
    assert!(h.contains("data-score=\"65\""), "F1 bar");
    assert!(h.contains("data-score=\"62.5\""), "F5 / CPS bar");
    assert!(h.contains("data-score=\"100\""), "L1 bar");
    assert!(h.contains(&format!("width=\"{}\"", svg::num(svg::BAR_TRACK * 0.625))));
    // The target table: 45 % against the province target of 90 % in 2025.
    assert!(
        h.contains("45 %") && h.contains("90 %") && h.contains("50% · chưa đạt"),
        "targets"
    );
    assert!(
        !h.contains("Digital"),
        "no English in the Vietnamese report"
    );
}

#[test]
fn html_english_has_the_content() {
    let h = html::render(&doc(Lang::En));
    assert!(h.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    for t in [
        "Test questionnaire",
        "Test questionnaire (version 1.0.0)",
        "24 Nov 2026",
        "Agency name</th><td>Sở Ví Dụ</td>",
        "Level</th><td>Province</td>",
        "<div class=\"score\">63.8</div>",
        "<div class=\"band\">Advanced</div>",
        "Shift in awareness",
        "The four security layers",
        "Records processed online",
        "Five things to do first",
        "Write the plan.",
        "Prepared by",
        "Annex: every answer",
        "50% · not met",
    ] {
        assert!(h.contains(t), "missing {t:?}");
    }
    assert!(
        !h.contains("Nâng cao") && !h.contains("Cần cải thiện"),
        "no Vietnamese chrome in the English report"
    );
}

#[test]
fn four_layers_make_a_radar_one_makes_a_bar() {
    let h = html::render(&four_layers(doc(Lang::Vi)));
    let layers = &h[h.find("id=\"group-layer\"").unwrap()..];
    let layers = &layers[..layers.find("</svg>").unwrap()];
    assert!(layers.contains("class=\"chart radar\""), "{layers}");
    assert_eq!(
        layers.matches("<circle class=\"dot\"").count(),
        3,
        "L2 has no score"
    );
    assert!(
        layers.contains(">Lớp 2: Tổ chức giám sát,</tspan>"),
        "long labels wrap: {layers}"
    );
    assert!(layers.contains(">—</tspan>"));
    let h = html::render(&doc(Lang::Vi));
    let layers = &h[h.find("id=\"group-layer\"").unwrap()..];
    assert!(layers[..layers.find("</svg>").unwrap()].contains("class=\"chart bars\""));
}

#[test]
fn html_is_self_contained_without_script() {
    for lang in [Lang::Vi, Lang::En] {
        let h = html::render(&hostile(lang));
        let lower = h.to_lowercase();
        assert!(!lower.contains("<script"), "no script element at all");
        assert!(!lower.contains("<img"), "no image element");
        assert!(!lower.contains("<link"), "no external stylesheet");
        assert!(
            !lower.contains("@import") && !lower.contains("url("),
            "no external resource from CSS"
        );
        assert!(
            !lower.contains(" src=\"") && !lower.contains(" href=\""),
            "nothing loaded"
        );
        // Only the SVG namespace is a URL.
        assert_eq!(
            lower.matches("http").count(),
            lower
                .matches("xmlns=\"http://www.w3.org/2000/svg\"")
                .count()
        );
    }
}

#[test]
fn html_escapes_answers_comments_and_profile() {
    let h = html::render(&hostile(Lang::Vi));
    assert!(
        h.contains("&lt;script&gt;alert(&#39;a&#39;)&lt;/script&gt;"),
        "text answer escaped"
    );
    assert!(
        h.contains(
            "&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; a|b"
        ),
        "comment escaped"
    );
    assert!(
        h.contains("&lt;b&gt;Sở&lt;/b&gt; &amp; &quot;Co&quot; | x"),
        "profile escaped"
    );
    assert!(h.contains("⚑ Cần xem lại"), "marked for review");
    assert!(html::render(&hostile(Lang::En)).contains("⚑ Review"));
}

#[test]
fn a_capped_headline_shows_the_raw_score_and_why() {
    let (q, mut a) = worked_example();
    answer(&mut a, &q, "m.f5.2", no());
    let d = doc_of(&q, &a, Lang::Vi);
    assert_eq!(d.headline.score, Some(39.9));
    let h = html::render(&d);
    assert!(h.contains("<div class=\"score\">39,9</div>"));
    assert!(h.contains("<div class=\"band\">Đang hình thành</div>"));
    assert!(h.contains("Điểm chung bị giới hạn theo quy tắc an toàn thông tin."));
    let raw = sansang::locale::score_opt(d.headline.raw_score, Lang::Vi);
    let cap = d.headline.cap.as_ref().expect("the cap explained");
    assert!(cap.rule.contains("Không an toàn thì không chuyển đổi số"));
    assert!(
        cap.effect.contains(&format!("{raw} (")) && cap.effect.contains("39,9 (Đang hình thành)"),
        "{}",
        cap.effect
    );
    assert!(h.contains(&svg::escape(&cap.rule)) && h.contains(&svg::escape(&cap.effect)));
    assert!(h.contains("Cờ đỏ:"));
    assert!(!d.warnings.is_empty());
    for w in &d.warnings {
        assert!(h.contains(&svg::escape(w)), "warning {w}");
        assert!(
            markdown::render(&d).contains(&markdown::escape(w)),
            "warning {w} in Markdown"
        );
    }
    // Not capped: no such notice.
    assert!(!html::render(&doc(Lang::Vi)).contains("bị giới hạn"));
    assert!(doc(Lang::Vi).headline.cap.is_none());
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// Whether a Markdown table has a row with exactly these cells (padding trimmed).
fn has_row(m: &str, cells: &[&str]) -> bool {
    m.lines().any(|l| {
        let l = l.trim();
        l.starts_with('|') && l.ends_with('|') && {
            let inner = l[1..l.len() - 1].replace("\\|", "\u{1}");
            let got: Vec<String> = inner
                .split('|')
                .map(|c| c.trim().replace('\u{1}', "\\|"))
                .collect();
            got == cells
        }
    })
}

/// `--summary`: the executive summary without the annex, in HTML and Markdown.
#[test]
fn the_summary_alone_has_no_annex() {
    for lang in [Lang::Vi, Lang::En] {
        let d = doc(lang);
        let annex = if lang == Lang::Vi {
            "Phụ lục"
        } else {
            "Annex"
        };
        let (full, summary) = (html::render(&d), html::render_summary(&d));
        assert!(full.contains(annex) && full.contains("id=\"answers\""));
        assert!(!summary.contains(annex) && !summary.contains("id=\"answers\""));
        for part in [&full, &summary] {
            assert!(part.contains("id=\"signoff\"") && part.contains("id=\"weakest\""));
        }
        let (full, summary) = (markdown::render(&d), markdown::render_summary(&d));
        assert!(full.contains(&format!("## {annex}")));
        let value_col = if lang == Lang::Vi {
            "Điểm (0–1)"
        } else {
            "Value (0–1)"
        };
        assert!(full.contains(value_col));
        assert!(!summary.contains(annex) && !summary.contains(value_col));
        assert!(summary.len() < full.len());
    }
}

/// The citation of a question of the worked example as users read it.
fn q_cite(id: &str) -> String {
    let (q, _) = worked_example();
    q.cite_all(&q.question(id).unwrap().seed, Lang::Vi)
}

/// Sources are shown as citations (document and item), never as file codes with line numbers;
/// the raw references stay in the JSON for auditors.
#[test]
fn sources_are_citations_not_file_codes() {
    let (q, _) = worked_example();
    for lang in [Lang::Vi, Lang::En] {
        let d = doc(lang);
        let h = html::render(&d);
        let m = markdown::render(&d);
        for w in &d.weakest {
            let qq = q.question(&w.question_id).unwrap();
            assert_eq!(w.source, q.cite_all(&qq.seed, lang));
            assert!(!w.seed.is_empty(), "raw references kept");
        }
        for a in d.sections.iter().flat_map(|s| &s.answers) {
            if !a.source.is_empty() {
                assert!(h.contains(&svg::escape(&a.source)), "{}", a.source);
                assert!(m.contains(&markdown::escape(&a.source)), "{}", a.source);
            }
            for raw in &a.seed {
                assert!(!h.contains(raw.as_str()), "file code {raw} shown in HTML");
            }
        }
        assert!(
            !h.contains("[00") && !m.contains("\\[00"),
            "no line numbers"
        );
    }
}

#[test]
fn markdown_vietnamese_and_english() {
    let m = markdown::render(&doc(Lang::Vi));
    for t in [
        "# Sở Ví Dụ\n",
        "**Điểm chung: 63,8** · Mức: **Nâng cao**",
        "`██████░░░░ 63,8`",
        "## Thông tin tổ chức",
        "| Chuyển đổi nhận thức ",
        "███████░░░ 65,0",
        "██████░░░░ 62,5",
        "██████████ 100,0",
        "Hồ sơ xử lý trên mạng",
        "Xây dựng phương án.",
        "## Xác nhận",
        "Người lập",
        "Phân công cán bộ chuyên trách an toàn thông tin",
        "### An toàn thông tin",
    ] {
        assert!(m.contains(t), "missing {t:?} in\n{m}");
    }
    assert!(
        has_row(&m, &["Tên cơ quan", "Sở Ví Dụ"]) && has_row(&m, &["Cấp", "Tỉnh"]),
        "profile table"
    );
    assert!(has_row(&m, &["Nâng cao ◀ hiện tại", "60–80"]), "band scale");
    assert!(
        has_row(
            &m,
            &[
                "m.f5.2",
                "Có phương án ứng cứu sự cố?",
                "không biết",
                "Không biết",
                "0",
                "",
                "",
                "",
                &markdown::escape(&q_cite("m.f5.2"))
            ]
        ),
        "answer row"
    );
    let mut described = doc(Lang::Vi);
    described.bands[3].description = "Có | mô tả".into();
    let md = markdown::render(&described);
    assert!(
        has_row(&md, &["Nâng cao ◀ hiện tại", "60–80", "Có \\| mô tả"]),
        "band descriptions when there are any"
    );
    assert!(html::render(&described).contains("<strong>Nâng cao:</strong> Có | mô tả</p>"));
    let m = markdown::render(&doc(Lang::En));
    assert!(
        has_row(&m, &["Agency name", "Sở Ví Dụ"]) && has_row(&m, &["Level", "Province"]),
        "profile table"
    );
    for t in [
        "**Overall score: 63.8** · Band: **Advanced**",
        "| Shift in awareness ",
        "Write the plan.",
        "## Annex: every answer",
    ] {
        assert!(m.contains(t), "missing {t:?} in\n{m}");
    }
}

#[test]
fn markdown_tables_stay_whole_and_aligned() {
    let m = markdown::render(&hostile(Lang::Vi));
    assert!(!m.contains("<script>"), "markup escaped");
    assert!(m.contains("a\\|b"), "pipe escaped");
    assert!(m.contains("⚑ Cần xem lại"));
    // Every row of a table has as many (unescaped) column separators as its header, and the
    // same display width.
    for block in m.split("\n\n").filter(|b| b.starts_with('|')) {
        let lines: Vec<&str> = block.lines().collect();
        let seps = |l: &str| l.replace("\\|", "").matches('|').count();
        for l in &lines {
            assert_eq!(seps(l), seps(lines[0]), "row {l:?} of\n{block}");
            assert_eq!(
                sansang::text::width(l),
                sansang::text::width(lines[0]),
                "width of {l:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// JSON and its schema

fn report_schema() -> String {
    let mut s = serde_json::to_string_pretty(&schemars::schema_for!(ReportDoc)).unwrap();
    s.push('\n');
    s
}

#[test]
fn report_schema_is_current_and_json_reports_conform() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/report.schema.json");
    let generated = report_schema();
    if std::env::var_os("UPDATE_SCHEMAS").is_some() {
        std::fs::write(&file, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/report.schema.json is out of date: run `UPDATE_SCHEMAS=1 cargo test --test report_render report_schema`"
    );
    let schema: serde_json::Value = serde_json::from_str(&generated).unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    for lang in [Lang::Vi, Lang::En] {
        let json = report::to_json(&doc(lang));
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let errors: Vec<String> = v
            .iter_errors(&value)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(value["lang"], lang.code());
        assert_eq!(value["headline"]["score"], 63.75);
        assert_eq!(value["headline"]["evidenced"], 25.0);
        let back: ReportDoc = serde_json::from_str(&json).unwrap();
        assert_eq!(back, doc(lang), "the JSON report reads back");
    }
    let vi = report::to_json(&doc(Lang::Vi));
    assert!(
        vi.contains("\"label\": \"Nâng cao\"") && vi.contains("Sở Ví Dụ"),
        "diacritics kept, not \\u-escaped"
    );
    assert!(report::to_json(&doc(Lang::En)).contains("\"label\": \"Advanced\""));
    // The schema does reject a broken report.
    let mut bad: serde_json::Value = serde_json::from_str(&vi).unwrap();
    bad["headline"]["score"] = serde_json::json!("high");
    assert!(!v.is_valid(&bad));
}

// ---------------------------------------------------------------------------------------------
// Headless Chromium

fn chromium() -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("chromium"))
            .find(|c| c.is_file())
    });
    found.unwrap_or_else(|| panic!("chromium is not installed: run scripts/test (it installs it), or `apt-get install -y chromium`"))
}

/// Loads `page` in headless Chromium, writes a screenshot to `png` and returns Chromium's log.
fn load_in_chromium(page: &Path, png: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let log_path = profile.path().join("stderr.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let _ = std::fs::remove_file(png);
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1240,1754",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.path().join("profile").display()
        ))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start chromium");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            assert!(status.success(), "chromium failed ({status}):\n{log}");
            return log;
        }
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium did not finish in 90 s:\n{}",
                std::fs::read_to_string(&log_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Console messages and uncaught errors in Chromium's log. Chromium logs every console message
/// (whatever its level) as `…:INFO:CONSOLE:<line>] "<message>", source: …`, and an uncaught
/// exception as such a line starting "Uncaught"; the report has no script, so any console line at
/// all is a fault.
fn console_errors(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("CONSOLE(") || l.contains("Uncaught"))
        .collect()
}

fn screenshot_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(
        bytes.len() > 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR",
        "not a PNG"
    );
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn html_report_loads_in_chromium_without_console_errors() {
    let dir = screenshot_dir();
    for lang in [Lang::Vi, Lang::En] {
        let page = dir.join(format!("report-{}.html", lang.code()));
        std::fs::write(&page, html::render(&four_layers(hostile(lang)))).unwrap();
        let png = dir.join(format!("report-{}.png", lang.code()));
        let log = load_in_chromium(&page, &png);
        let errors = console_errors(&log);
        assert!(
            errors.is_empty(),
            "console errors for {}:\n{}",
            lang.code(),
            errors.join("\n")
        );
        let bytes = std::fs::read(&png)
            .unwrap_or_else(|e| panic!("no screenshot {}: {e}\n{log}", png.display()));
        assert_eq!(png_size(&bytes), (1240, 1754));
        // A blank page of that size is about 10 kB; the report's first page has text and charts.
        assert!(
            bytes.len() > 40_000,
            "screenshot is only {} bytes",
            bytes.len()
        );
    }
}

#[test]
fn the_console_check_catches_a_script_error() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    std::fs::write(&page, "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><p>x</p><script>throw 1</script><script>console.error('boom')</script></html>").unwrap();
    let log = load_in_chromium(&page, &dir.path().join("bad.png"));
    let errors = console_errors(&log);
    assert!(
        errors.iter().any(|l| l.contains("Uncaught")),
        "uncaught exception not seen in:\n{log}"
    );
    assert!(
        errors.iter().any(|l| l.contains("boom")),
        "console.error not seen in:\n{log}"
    );
}

/// Numbers tied to a 749 target show the chosen year and the other years for the same level.
#[test]
fn targets_show_2025_and_2030() {
    let (q, a) = common::worked_example();
    let r = sansang::scoring::score(&q, &a);
    let doc = sansang::report::build(&q, &a, &r, Lang::En, "2026-11-24T10:00:00Z");
    let t = &doc.targets[0];
    assert_eq!(
        (t.question_id.as_str(), t.year.as_str(), t.target, t.value),
        ("m.f1.4", "2025", 90.0, 45.0)
    );
    assert_eq!(
        t.other_years,
        vec![sansang::report::YearTarget {
            year: "2030".into(),
            target: 100.0,
            met: false
        }]
    );
    let md = sansang::report::markdown::render(&doc);
    assert!(md.contains("2030: 100 % · not met"), "{md}");
    let html = sansang::report::html::render(&doc);
    assert!(html.contains("year 2030: 100 % · not met"), "{html}");
}
