//! The blank questionnaire to print: the profile at the top, then the questions by section, each
//! with tick boxes for its levels or options (all level descriptors shown), a line for numbers,
//! and room for comments and evidence. For circulating to departments before an assessment, or
//! as a paper fallback. Self-contained HTML that prints cleanly on A4.

use super::svg::escape as e;
use crate::i18n::{Lang, tr};
use crate::questionnaire::{ProfileKind, Question, QuestionKind, Questionnaire};

const FORM_CSS: &str = r#"
* { box-sizing: border-box; }
body { margin: 0; color: #1a202c; background: #fff; font-family: "Noto Sans", "Segoe UI", Roboto, Arial, sans-serif; font-size: 15px; line-height: 1.4; }
main { max-width: 900px; margin: 0 auto; padding: 24px 28px; }
h1 { font-size: 24px; margin: 4px 0 6px; }
h2 { font-size: 18px; margin: 22px 0 8px; padding-bottom: 3px; border-bottom: 2px solid #2b6cb0; break-after: avoid; page-break-after: avoid; }
.kicker { color: #4a5568; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; margin: 0; }
.muted { color: #4a5568; }
.box { display: inline-block; width: 0.9em; height: 0.9em; border: 1.2px solid #1a202c; margin-right: 6px; vertical-align: -0.1em; }
table.profile { border-collapse: collapse; width: 100%; }
table.profile th, table.profile td { border: 1px solid #cbd5e0; padding: 6px 8px; text-align: left; vertical-align: top; }
table.profile th { width: 32%; background: #edf2f7; font-weight: 600; }
.q { border: 1px solid #cbd5e0; padding: 8px 10px; margin: 0 0 10px; break-inside: avoid; page-break-inside: avoid; }
.q .text { font-weight: 600; }
.q .id { color: #4a5568; font-weight: 400; white-space: nowrap; margin-right: 6px; }
.q .help { color: #4a5568; font-size: 13px; margin: 2px 0 4px; }
.q ul { list-style: none; padding: 0; margin: 4px 0; }
.q li { margin: 2px 0; padding-left: 1.6em; text-indent: -1.6em; }
.q .descr { color: #4a5568; }
.q .extra { color: #4a5568; font-size: 13px; }
.line { border-bottom: 1px dotted #4a5568; height: 1.6em; }
.field { font-size: 13px; color: #4a5568; margin-top: 4px; }
.notes { display: grid; grid-template-columns: 1fr 1fr; gap: 0 16px; }
.seed { font-size: 12px; color: #4a5568; }
@page { size: A4; margin: 15mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 17pt; }
  h2 { font-size: 12pt; }
  .q { padding: 5px 8px; margin-bottom: 6px; }
  .q .help { font-size: 9pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

fn boxed(label: &str) -> String {
    format!("<li><span class=\"box\"></span>{label}</li>")
}

fn question(q: &Questionnaire, x: &Question, l: Lang) -> String {
    let mut h = format!(
        "<div class=\"q\" id=\"q-{}\">\n<p class=\"text\"><span class=\"id\">{}</span>{}</p>\n",
        e(&x.id),
        e(&x.id),
        e(x.text.get(l))
    );
    if let Some(help) = &x.help {
        h.push_str(&format!("<p class=\"help\">{}</p>\n", e(help.get(l))));
    }
    if x.show_if.is_some() {
        h.push_str(&format!(
            "<p class=\"extra\">{}</p>\n",
            e(tr(
                l,
                "Câu hỏi có điều kiện: chỉ trả lời khi phù hợp với câu trả lời trước.",
                "Conditional question: answer only when your earlier answers make it relevant."
            ))
        ));
    }
    h.push_str("<ul>\n");
    match x.kind {
        QuestionKind::Scale => {
            for (i, lv) in x.levels.iter().enumerate() {
                h.push_str(&boxed(&format!(
                    "<strong>{i} – {}</strong>: <span class=\"descr\">{}</span>",
                    e(lv.label.get(l)),
                    e(lv.descriptor.get(l))
                )));
                h.push('\n');
            }
        }
        QuestionKind::Ynp => {
            for s in [
                tr(l, "Có", "Yes"),
                tr(l, "Một phần", "Partly"),
                tr(l, "Không", "No"),
            ] {
                h.push_str(&boxed(&e(s)));
                h.push('\n');
            }
        }
        QuestionKind::Checklist => {
            h.push_str(&format!(
                "<li class=\"extra\">{}</li>\n",
                e(tr(
                    l,
                    "Đánh dấu mọi mục đúng với đơn vị:",
                    "Tick every item that applies:"
                ))
            ));
            for o in &x.options {
                h.push_str(&boxed(&e(o.label.get(l))));
                h.push('\n');
            }
        }
        QuestionKind::Number => {
            let unit = x.unit.as_ref().map(|u| u.get(l)).unwrap_or_default();
            h.push_str(&format!(
                "<li>{}: …………………… {}</li>\n",
                e(tr(l, "Số liệu", "Figure")),
                e(unit)
            ));
        }
        QuestionKind::Text => {
            h.push_str("<li><div class=\"line\"></div><div class=\"line\"></div></li>\n");
        }
    }
    let mut extra = Vec::new();
    if x.allow_na {
        extra.push(tr(l, "Không áp dụng", "Not applicable"));
    }
    if x.allow_dont_know {
        extra.push(tr(l, "Không biết", "Don't know"));
    }
    if x.allow_alternate {
        extra.push(tr(
            l,
            "Biện pháp thay thế (ghi rõ bên dưới)",
            "Alternate measure (explain below)",
        ));
    }
    for s in extra {
        h.push_str(&boxed(&format!("<span class=\"extra\">{}</span>", e(s))));
        h.push('\n');
    }
    h.push_str("</ul>\n");
    h.push_str(&format!(
        "<div class=\"notes\"><div><div class=\"field\">{}</div><div class=\"line\"></div></div><div><div class=\"field\">{}</div><div class=\"line\"></div></div></div>\n",
        e(tr(l, "Ghi chú:", "Comment:")),
        e(tr(
            l,
            "Minh chứng (văn bản, số, ngày, nơi ban hành; hoặc đường dẫn):",
            "Evidence (document, number, date, issuer; or a link):"
        ))
    ));
    let cite = q.cite_all(&x.seed, l);
    if !cite.is_empty() {
        h.push_str(&format!(
            "<p class=\"seed\">{} {}</p>\n",
            e(tr(l, "Căn cứ:", "Source:")),
            e(&cite)
        ));
    }
    h.push_str("</div>\n");
    h
}

/// The blank form of a questionnaire in one language.
pub fn render(q: &Questionnaire, l: Lang) -> String {
    let mut h = String::with_capacity(64 * 1024);
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n{}\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{FORM_CSS}</style>\n</head>\n<body>\n<main>\n",
        l.code(),
        crate::output::HTML_GENERATOR,
        e(q.title.get(l))
    ));
    h.push_str(&format!(
        "<header>\n<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n<p class=\"muted\">{}</p>\n<p>{}</p>\n</header>\n",
        e(tr(
            l,
            "Phiếu đánh giá mức độ sẵn sàng chuyển đổi số · Quyết định 749/QĐ-TTg",
            "Digital-transformation readiness form · Decision 749/QĐ-TTg"
        )),
        e(q.title.get(l)),
        e(q.description.get(l)),
        e(&match l {
            Lang::Vi => format!(
                "Bộ câu hỏi {} phiên bản {} · {} câu hỏi. Đánh dấu ☐ một ô cho mỗi câu (nhiều ô với câu có danh sách), ghi chú và minh chứng nếu có; sau đó nhập vào sansang.",
                q.id,
                q.version,
                q.questions().count()
            ),
            Lang::En => format!(
                "Questionnaire {} version {} · {} questions. Tick ☐ one box per question (several for lists), add comments and evidence where you have them, then enter the answers in sansang.",
                q.id,
                q.version,
                q.questions().count()
            ),
        })
    ));
    h.push_str(&format!(
        "<section id=\"profile\">\n<h2>{}</h2>\n<table class=\"profile\">\n<tbody>\n",
        e(tr(l, "Thông tin đơn vị", "About the organisation"))
    ));
    for f in &q.profile {
        let value = match f.kind {
            ProfileKind::Choice => f
                .options
                .iter()
                .map(|o| format!("<span class=\"box\"></span>{} ", e(o.label.get(l))))
                .collect::<Vec<_>>()
                .join("&emsp;"),
            _ => {
                let unit = f.unit.as_ref().map(|u| u.get(l)).unwrap_or_default();
                format!("<div class=\"line\"></div>{}", e(unit))
            }
        };
        h.push_str(&format!(
            "<tr><th>{}</th><td>{value}</td></tr>\n",
            e(f.label.get(l))
        ));
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
    for s in &q.sections {
        h.push_str(&format!(
            "<section id=\"s-{}\">\n<h2>{}</h2>\n",
            e(&s.id),
            e(s.title.get(l))
        ));
        if let Some(d) = &s.description {
            h.push_str(&format!("<p class=\"muted\">{}</p>\n", e(d.get(l))));
        }
        for x in &s.questions {
            h.push_str(&question(q, x, l));
        }
        h.push_str("</section>\n");
    }
    h.push_str(&format!(
        "<footer class=\"muted\">{}</footer>\n</main>\n</body>\n</html>\n",
        e(tr(l, "Lập bằng sansang", "Made with sansang"))
    ));
    h
}
