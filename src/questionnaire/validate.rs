//! Checks a parsed questionnaire against every rule of docs/questionnaire-format.md and reports
//! all problems at once, each with its JSON path, what is wrong and how to fix it.

use super::model::*;
use crate::i18n::{Lang, Text};
use std::collections::{HashMap, HashSet};

/// One problem found in a questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// JSON path, e.g. `sections[2].questions[4] (ag.f1.3).levels`.
    pub path: String,
    pub message: Text,
    pub fix: Text,
}

impl Issue {
    pub fn render(&self, lang: Lang) -> String {
        let fix = crate::i18n::tr(lang, "Cách sửa", "Fix");
        format!(
            "{}: {}\n    {}: {}",
            self.path,
            self.message.get(lang),
            fix,
            self.fix.get(lang)
        )
    }
}

struct Checker {
    issues: Vec<Issue>,
}

/// The largest weight of a dimension or a contribution (documented in
/// docs/questionnaire-format.md): keeps every sum of weights far from overflow.
pub const MAX_WEIGHT: f64 = 1000.0;
/// The largest points of a checklist option.
pub const MAX_POINTS: f64 = 1000.0;
/// The largest magnitude of a number bound, threshold or target.
pub const MAX_NUMBER: f64 = 1e12;

/// A number as a message shows it: as written for ordinary magnitudes, in exponent form when it
/// is huge or tiny (a weight of 1e308 is "1e308", not 309 digits).
struct Num(f64);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let a = self.0.abs();
        if self.0.is_finite() && a != 0.0 && !(1e-6..1e15).contains(&a) {
            write!(f, "{:e}", self.0)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

macro_rules! bad {
    ($c:expr, $path:expr, ($($vi:tt)+), ($($en:tt)+), fix: ($($fvi:tt)+), ($($fen:tt)+)) => {
        $c.push($path, Text::new(format!($($vi)+), format!($($en)+)), Text::new(format!($($fvi)+), format!($($fen)+)))
    };
}

impl Checker {
    fn push(&mut self, path: &str, message: Text, fix: Text) {
        self.issues.push(Issue {
            path: path.to_string(),
            message,
            fix,
        });
    }

    fn text(&mut self, path: &str, t: &Text) {
        for (lang, s) in [("vi", &t.vi), ("en", &t.en)] {
            if s.trim().is_empty() {
                bad!(self, &format!("{path}.{lang}"),
                    ("chuỗi \"{lang}\" đang trống"), ("the \"{lang}\" string is empty"),
                    fix: ("viết nội dung cho cả tiếng Việt và tiếng Anh"), ("write the text in both Vietnamese and English"));
            }
        }
    }

    fn opt_text(&mut self, path: &str, t: &Option<Text>) {
        if let Some(t) = t {
            self.text(path, t);
        }
    }

    fn ident(&mut self, path: &str, id: &str) {
        let ok = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !ok {
            bad!(self, path, ("mã \"{id}\" không hợp lệ"), ("id \"{id}\" is not valid"),
                fix: ("chỉ dùng chữ cái không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang"), ("use only ASCII letters, digits, '.', '_' and '-'"));
        }
    }

    fn unique<'a>(&mut self, seen: &mut HashMap<&'a str, String>, id: &'a str, path: &str) {
        if let Some(first) = seen.get(id) {
            bad!(self, path, ("mã \"{id}\" bị trùng (đã dùng ở {first})"), ("id \"{id}\" is used twice (first at {first})"),
                fix: ("đặt một mã khác, không trùng"), ("give it a different, unique id"));
        } else {
            seen.insert(id, path.to_string());
        }
    }

    fn seeds(&mut self, path: &str, seeds: &[SeedRef], required: bool, sources: &[SourceDoc]) {
        if required && seeds.is_empty() {
            bad!(self, &format!("{path}.seed"), ("chưa dẫn nguồn tài liệu gốc"), ("no seed reference"),
                fix: ("thêm ít nhất một {{\"doc\": \"004\", \"item\": \"IV.1.a\", \"lines\": \"151\"}}"), ("add at least one {{\"doc\": \"004\", \"item\": \"IV.1.a\", \"lines\": \"151\"}}"));
        }
        for (i, s) in seeds.iter().enumerate() {
            let p = format!("{path}.seed[{i}]");
            let source = sources.iter().find(|d| d.id == s.doc);
            if source.is_none() {
                let known: Vec<&str> = sources.iter().map(|d| d.id.as_str()).collect();
                let known = if known.is_empty() {
                    "-".to_string()
                } else {
                    known.join(", ")
                };
                bad!(self, &format!("{p}.doc"), ("tài liệu \"{}\" không có trong danh mục nguồn \"sources\" (đang có: {known})", s.doc),
                    ("document \"{}\" is not in the \"sources\" registry (registered: {known})", s.doc),
                    fix: ("khai báo tài liệu trong \"sources\" (tên đầy đủ, tên ngắn, cơ quan ban hành, ngày, loại, hiệu lực, bằng hai thứ tiếng) hoặc sửa mã"),
                    ("declare the document in \"sources\" (full name, short name, issuer, date, kind, status, in both languages) or correct the id"));
            }
            if s.item.trim().is_empty() {
                bad!(self, &format!("{p}.item"), ("chưa ghi mục"), ("the item is empty"),
                    fix: ("ghi mục trong tài liệu, ví dụ \"IV.5.e\""), ("name the item inside the seed, e.g. \"IV.5.e\""));
            }
            if let Some(en) = &s.item_en
                && en.trim().is_empty()
            {
                bad!(self, &format!("{p}.item_en"), ("mục tiếng Anh đang trống"), ("the English item is empty"),
                    fix: ("ghi mục bằng tiếng Anh hoặc bỏ \"item_en\""), ("write the item in English or remove \"item_en\""));
            }
            let outside = source.is_some_and(|d| d.outside_seeds);
            if !(valid_lines(&s.lines) || (outside && s.lines.is_empty())) {
                bad!(self, &format!("{p}.lines"), ("số dòng \"{}\" không đúng dạng", s.lines), ("line reference \"{}\" is malformed", s.lines),
                    fix: ("ghi một dòng hoặc khoảng tăng dần, ví dụ \"223\" hoặc \"3564-3569\""), ("give a line or an increasing range, e.g. \"223\" or \"3564-3569\""));
            }
        }
    }

    /// The source registry: ids unique, every name in both languages, a date people can read.
    fn sources(&mut self, sources: &[SourceDoc]) {
        let mut ids = HashMap::new();
        for (i, d) in sources.iter().enumerate() {
            let p = format!("sources[{i}] ({})", d.id);
            self.ident(&format!("{p}.id"), &d.id);
            self.unique(&mut ids, &d.id, &p);
            self.text(&format!("{p}.short"), &d.short);
            self.text(&format!("{p}.name"), &d.name);
            self.text(&format!("{p}.issuer"), &d.issuer);
            self.opt_text(&format!("{p}.note"), &d.note);
            if !valid_date(&d.date) {
                bad!(self, &format!("{p}.date"), ("ngày \"{}\" không đúng dạng", d.date), ("date \"{}\" is malformed", d.date),
                    fix: ("ghi yyyy-mm-dd (ví dụ \"2020-06-03\"), hoặc chỉ năm (\"2024\") khi không rõ ngày"), ("write yyyy-mm-dd (e.g. \"2020-06-03\"), or the year alone (\"2024\") when the day is unknown"));
            }
        }
    }
}

/// `yyyy` or a real `yyyy-mm-dd`.
fn valid_date(s: &str) -> bool {
    (s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()))
        || (s.len() == 10 && s.parse::<jiff::civil::Date>().is_ok())
}

/// `"151"`, `"3564-3569"`, or several of them separated by commas.
fn valid_lines(s: &str) -> bool {
    !s.trim().is_empty()
        && s.split(',').all(|part| {
            let part = part.trim();
            let nums: Vec<&str> = part.split('-').collect();
            let parsed: Option<Vec<u32>> = nums.iter().map(|n| n.parse().ok()).collect();
            match parsed.as_deref() {
                Some([a]) => *a > 0,
                Some([a, b]) => *a > 0 && a <= b,
                _ => false,
            }
        })
}

/// What kind of value a field holds, for checking conditions.
#[derive(Clone, Copy, PartialEq)]
enum FieldShape<'a> {
    Profile(&'a ProfileField),
    Question(&'a Question),
}

/// Validates a questionnaire. An empty result means it is valid.
pub fn validate(q: &Questionnaire) -> Vec<Issue> {
    let mut c = Checker { issues: Vec::new() };

    if q.format != FORMAT_VERSION {
        bad!(c, "format", ("tệp theo định dạng {}, phiên bản sansang này đọc định dạng {FORMAT_VERSION}", q.format),
            ("the file is format {}, this sansang reads format {FORMAT_VERSION}", q.format),
            fix: ("dùng phiên bản sansang tương ứng hoặc chuyển tệp sang định dạng {FORMAT_VERSION}"), ("use a matching sansang or convert the file to format {FORMAT_VERSION}"));
    }
    if q.id.is_empty()
        || !q
            .id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-' || ch == '_')
    {
        bad!(c, "id", ("mã bộ câu hỏi \"{}\" không hợp lệ", q.id), ("questionnaire id \"{}\" is not valid", q.id),
            fix: ("dùng chữ thường không dấu, chữ số, '-' hoặc '_'"), ("use lower-case ASCII letters, digits, '-' or '_'"));
    }
    if q.version.trim().is_empty() {
        bad!(c, "version", ("chưa ghi phiên bản"), ("the version is empty"),
            fix: ("ghi phiên bản, ví dụ \"1.0.0\""), ("set a version, e.g. \"1.0.0\""));
    }
    c.text("title", &q.title);
    c.text("description", &q.description);
    c.sources(&q.sources);

    // Dimensions.
    let mut dim_ids = HashMap::new();
    for (i, d) in q.dimensions.iter().enumerate() {
        let p = format!("dimensions[{i}]");
        c.ident(&format!("{p}.id"), &d.id);
        c.unique(&mut dim_ids, &d.id, &p);
        c.text(&format!("{p}.label"), &d.label);
        c.opt_text(&format!("{p}.description"), &d.description);
        if !(d.weight.is_finite() && d.weight > 0.0) {
            bad!(c, &format!("{p}.weight"), ("trọng số {} phải lớn hơn 0", d.weight), ("weight {} must be greater than 0", d.weight),
                fix: ("đặt trọng số dương, ví dụ 1"), ("use a positive weight, e.g. 1"));
        } else if d.weight > MAX_WEIGHT {
            bad!(c, &format!("{p}.weight"), ("trọng số {} lớn hơn mức tối đa {MAX_WEIGHT}", Num(d.weight)), ("weight {} is above the maximum {MAX_WEIGHT}", Num(d.weight)),
                fix: ("dùng trọng số từ trên 0 đến {MAX_WEIGHT}"), ("use a weight above 0 and at most {MAX_WEIGHT}"));
        }
        c.seeds(&p, &d.seed, false, &q.sources);
        if let Some(by) = &d.weight_by {
            check_weight_by(&mut c, q, &format!("{p}.weight_by"), by);
        }
    }
    if !q.dimensions.iter().any(|d| d.group == q.overall.group) {
        bad!(c, "overall.group", ("không có chiều đánh giá nào thuộc nhóm dùng cho điểm tổng"), ("no dimension belongs to the overall group"),
            fix: ("khai báo các chiều thuộc nhóm này hoặc đổi nhóm"), ("declare dimensions in that group or pick another group"));
    }

    check_bands(&mut c, q);

    // Profile fields and questions share one namespace; order matters for conditions.
    let mut field_ids: HashMap<&str, String> = HashMap::new();
    let mut known: HashMap<&str, FieldShape> = HashMap::new();
    for (i, f) in q.profile.iter().enumerate() {
        let p = format!("profile[{i}] ({})", f.id);
        c.ident(&format!("{p}.id"), &f.id);
        c.unique(&mut field_ids, &f.id, &p);
        c.text(&format!("{p}.label"), &f.label);
        c.opt_text(&format!("{p}.help"), &f.help);
        c.opt_text(&format!("{p}.unit"), &f.unit);
        match f.kind {
            ProfileKind::Choice => {
                if f.options.len() < 2 {
                    bad!(c, &format!("{p}.options"), ("trường lựa chọn cần ít nhất 2 phương án"), ("a choice field needs at least 2 options"),
                        fix: ("thêm các phương án vào \"options\""), ("add options to \"options\""));
                }
                let mut seen = HashMap::new();
                for (j, o) in f.options.iter().enumerate() {
                    let op = format!("{p}.options[{j}]");
                    c.ident(&format!("{op}.id"), &o.id);
                    c.unique(&mut seen, &o.id, &op);
                    c.text(&format!("{op}.label"), &o.label);
                }
            }
            ProfileKind::Text | ProfileKind::Number => {
                if !f.options.is_empty() {
                    bad!(c, &format!("{p}.options"), ("chỉ trường lựa chọn mới có phương án"), ("only choice fields have options"),
                        fix: ("bỏ \"options\" hoặc đổi kind thành \"choice\""), ("remove \"options\" or make the kind \"choice\""));
                }
            }
        }
        if f.list.is_some() && f.kind != ProfileKind::Text {
            bad!(c, &format!("{p}.list"), ("chỉ trường văn bản mới chọn từ danh sách"), ("only text fields are chosen from a list"),
                fix: ("bỏ \"list\" hoặc đổi kind thành \"text\""), ("remove \"list\" or make the kind \"text\""));
        }
        check_range(&mut c, &p, f.min, f.max);
        if let Some(cond) = &f.show_if {
            check_condition(&mut c, &format!("{p}.show_if"), cond, &known);
        }
        known.insert(&f.id, FieldShape::Profile(f));
    }

    // Targets refer to profile fields only.
    let mut target_ids = HashMap::new();
    if let Some(t) = &q.targets {
        let year_field = q.profile_field(&t.year_field);
        if !matches!(year_field, Some(f) if f.kind == ProfileKind::Choice) {
            bad!(c, "targets.year_field", ("\"{}\" không phải trường lựa chọn trong phần hồ sơ", t.year_field),
                ("\"{}\" is not a choice field of the profile", t.year_field),
                fix: ("khai báo trường lựa chọn năm (ví dụ target_year) trong \"profile\""), ("declare a choice field for the year (e.g. target_year) in \"profile\""));
        }
        for (i, item) in t.items.iter().enumerate() {
            let p = format!("targets.items[{i}] ({})", item.id);
            c.ident(&format!("{p}.id"), &item.id);
            c.unique(&mut target_ids, &item.id, &p);
            c.text(&format!("{p}.label"), &item.label);
            c.seeds(&p, &item.seed, true, &q.sources);
            let key_field = choice_field(&mut c, q, &format!("{p}.field"), &item.field);
            for (year, by) in &item.values {
                if let Some(yf) = year_field
                    && !yf.options.iter().any(|o| &o.id == year)
                {
                    bad!(c, &format!("{p}.values.{year}"), ("năm \"{year}\" không có trong trường {}", t.year_field),
                        ("year \"{year}\" is not an option of {}", t.year_field),
                        fix: ("thêm năm này vào phương án của {} hoặc sửa lại năm", t.year_field), ("add the year to {}'s options or correct it", t.year_field));
                }
                for (key, v) in by {
                    if let Some(kf) = key_field
                        && key != "*"
                        && !kf.options.iter().any(|o| &o.id == key)
                    {
                        bad!(c, &format!("{p}.values.{year}.{key}"), ("\"{key}\" không phải phương án của {}", item.field),
                            ("\"{key}\" is not an option of {}", item.field),
                            fix: ("dùng mã phương án của {} hoặc \"*\" cho mọi phương án", item.field), ("use an option id of {} or \"*\" for all", item.field));
                    }
                    if !(v.is_finite() && *v > 0.0) {
                        bad!(c, &format!("{p}.values.{year}.{key}"), ("chỉ tiêu {v} phải lớn hơn 0"), ("target {v} must be greater than 0"),
                            fix: ("ghi giá trị chỉ tiêu dương"), ("give a positive target value"));
                    } else if *v > MAX_NUMBER {
                        bad!(c, &format!("{p}.values.{year}.{key}"), ("chỉ tiêu {} lớn hơn mức tối đa {MAX_NUMBER}", Num(*v)), ("target {} is above the maximum {MAX_NUMBER}", Num(*v)),
                            fix: ("ghi chỉ tiêu không quá {MAX_NUMBER}"), ("give a target of at most {MAX_NUMBER}"));
                    }
                }
            }
        }
    }

    // Sections and questions, in order.
    let mut section_ids = HashMap::new();
    let mut used_dims: HashSet<&str> = HashSet::new();
    for (si, s) in q.sections.iter().enumerate() {
        let sp = format!("sections[{si}] ({})", s.id);
        c.ident(&format!("{sp}.id"), &s.id);
        c.unique(&mut section_ids, &s.id, &sp);
        c.text(&format!("{sp}.title"), &s.title);
        c.opt_text(&format!("{sp}.description"), &s.description);
        if let Some(cond) = &s.show_if {
            check_condition(&mut c, &format!("{sp}.show_if"), cond, &known);
        }
        if s.questions.is_empty() {
            bad!(c, &format!("{sp}.questions"), ("phần này chưa có câu hỏi"), ("the section has no questions"),
                fix: ("thêm câu hỏi hoặc bỏ phần này"), ("add questions or remove the section"));
        }
        for (qi, question) in s.questions.iter().enumerate() {
            let p = format!("{sp}.questions[{qi}] ({})", question.id);
            c.ident(&format!("{p}.id"), &question.id);
            c.unique(&mut field_ids, &question.id, &p);
            if let Some(cond) = &question.show_if {
                check_condition(&mut c, &format!("{p}.show_if"), cond, &known);
            }
            check_question(&mut c, &p, q, question, &mut used_dims);
            known.insert(&question.id, FieldShape::Question(question));
        }
    }

    for (i, d) in q.dimensions.iter().enumerate() {
        if !used_dims.contains(d.id.as_str()) {
            bad!(c, &format!("dimensions[{i}] ({})", d.id), ("không câu hỏi nào tính điểm cho chiều này"), ("no question contributes to this dimension"),
                fix: ("thêm \"contributes\" tới \"{}\" ở các câu hỏi liên quan, hoặc bỏ chiều này", d.id), ("add a \"contributes\" to \"{}\" on the relevant questions, or remove the dimension", d.id));
        }
    }

    if let Some(rule) = &q.security_rule {
        if q.dimension(&rule.dimension).is_none() {
            bad!(c, "security_rule.dimension", ("không có chiều \"{}\"", rule.dimension), ("there is no dimension \"{}\"", rule.dimension),
                fix: ("dùng mã chiều an toàn thông tin, ví dụ \"F5\""), ("name the security dimension, e.g. \"F5\""));
        }
        let mut flag_ids = HashMap::new();
        for (i, f) in rule.red_flags.iter().enumerate() {
            let p = format!("security_rule.red_flags[{i}] ({})", f.id);
            c.ident(&format!("{p}.id"), &f.id);
            c.unique(&mut flag_ids, &f.id, &p);
            c.text(&format!("{p}.message"), &f.message);
            if q.band(&f.cap_band).is_none() {
                bad!(c, &format!("{p}.cap_band"), ("không có mức \"{}\"", f.cap_band), ("there is no band \"{}\"", f.cap_band),
                    fix: ("dùng mã một mức trong \"bands\""), ("use the id of one of the \"bands\""));
            }
            check_condition(&mut c, &format!("{p}.when"), &f.when, &known);
        }
    }
    c.issues
}

fn check_bands(c: &mut Checker, q: &Questionnaire) {
    let mut ids = HashMap::new();
    for (i, b) in q.bands.iter().enumerate() {
        let p = format!("bands[{i}] ({})", b.id);
        c.ident(&format!("{p}.id"), &b.id);
        c.unique(&mut ids, &b.id, &p);
        c.text(&format!("{p}.label"), &b.label);
        c.opt_text(&format!("{p}.description"), &b.description);
        if b.min >= b.max {
            bad!(c, &p, ("mức có min {} không nhỏ hơn max {}", b.min, b.max), ("band min {} is not below max {}", b.min, b.max),
                fix: ("sửa để min < max"), ("make min < max"));
        }
    }
    let sorted = q.bands_sorted();
    let Some(first) = sorted.first() else {
        bad!(c, "bands", ("chưa khai báo mức sẵn sàng nào"), ("no bands are declared"),
            fix: ("khai báo các mức phủ kín 0..100"), ("declare bands covering 0..100"));
        return;
    };
    if first.min != 0.0 {
        bad!(c, "bands", ("mức thấp nhất bắt đầu từ {} thay vì 0", first.min), ("the lowest band starts at {} instead of 0", first.min),
            fix: ("cho mức thấp nhất bắt đầu từ 0"), ("start the lowest band at 0"));
    }
    for w in sorted.windows(2) {
        if w[0].max != w[1].min {
            let (a, b) = (&w[0].id, &w[1].id);
            let kind = if w[0].max < w[1].min {
                ("hở", "gap")
            } else {
                ("chồng lấn", "overlap")
            };
            bad!(c, "bands", ("giữa mức \"{a}\" (max {}) và \"{b}\" (min {}) bị {}", w[0].max, w[1].min, kind.0),
                ("there is a {} between band \"{a}\" (max {}) and \"{b}\" (min {})", kind.1, w[0].max, w[1].min),
                fix: ("cho min của \"{b}\" bằng max của \"{a}\""), ("make \"{b}\".min equal \"{a}\".max"));
        }
    }
    let last = sorted[sorted.len() - 1];
    if last.max != 100.0 {
        bad!(c, "bands", ("mức cao nhất kết thúc ở {} thay vì 100", last.max), ("the highest band ends at {} instead of 100", last.max),
            fix: ("cho mức cao nhất kết thúc ở 100"), ("end the highest band at 100"));
    }
}

fn check_range(c: &mut Checker, p: &str, min: Option<f64>, max: Option<f64>) {
    for (name, v) in [("min", min), ("max", max)] {
        if let Some(v) = v
            && !(v.is_finite() && v.abs() <= MAX_NUMBER)
        {
            bad!(c, &format!("{p}.{name}"), ("{name} {} nằm ngoài khoảng ±{MAX_NUMBER}", Num(v)), ("{name} {} is outside ±{MAX_NUMBER}", Num(v)),
                fix: ("dùng một số từ -{MAX_NUMBER} đến {MAX_NUMBER}"), ("use a number from -{MAX_NUMBER} to {MAX_NUMBER}"));
        }
    }
    if let (Some(lo), Some(hi)) = (min, max)
        && lo > hi
    {
        bad!(c, p, ("min {lo} lớn hơn max {hi}"), ("min {lo} is greater than max {hi}"),
            fix: ("đổi lại để min ≤ max"), ("make min ≤ max"));
    }
}

fn check_question<'a>(
    c: &mut Checker,
    p: &str,
    q: &Questionnaire,
    question: &'a Question,
    used_dims: &mut HashSet<&'a str>,
) {
    let kind = question.kind.code();
    c.text(&format!("{p}.text"), &question.text);
    c.opt_text(&format!("{p}.help"), &question.help);
    c.opt_text(&format!("{p}.recommendation"), &question.recommendation);
    c.seeds(p, &question.seed, true, &q.sources);

    if question.kind.is_scored() {
        if question.contributes.is_empty() {
            bad!(c, &format!("{p}.contributes"), ("câu hỏi có tính điểm nhưng không đóng góp cho chiều nào"), ("a scored question contributes to no dimension"),
                fix: ("thêm \"contributes\": [{{\"to\": \"F1\", \"weight\": 1}}]"), ("add \"contributes\": [{{\"to\": \"F1\", \"weight\": 1}}]"));
        }
        if question.recommendation.is_none() {
            bad!(c, &format!("{p}.recommendation"), ("thiếu khuyến nghị khi câu trả lời còn yếu"), ("no recommendation for a weak answer"),
                fix: ("thêm \"recommendation\" bằng hai thứ tiếng"), ("add a bilingual \"recommendation\""));
        }
    } else if !question.contributes.is_empty() || question.recommendation.is_some() {
        bad!(c, p, ("câu hỏi dạng text không tính điểm nên không có \"contributes\" hay \"recommendation\""),
            ("a text question is not scored, so it takes no \"contributes\" or \"recommendation\""),
            fix: ("bỏ các trường đó hoặc đổi dạng câu hỏi"), ("remove those fields or change the kind"));
    }
    let mut seen_dims = HashMap::new();
    for (i, ct) in question.contributes.iter().enumerate() {
        let cp = format!("{p}.contributes[{i}]");
        if q.dimension(&ct.to).is_none() {
            bad!(c, &format!("{cp}.to"), ("không có chiều \"{}\"", ct.to), ("there is no dimension \"{}\"", ct.to),
                fix: ("dùng mã một chiều trong \"dimensions\""), ("use the id of one of the \"dimensions\""));
        }
        c.unique(&mut seen_dims, &ct.to, &cp);
        if !(ct.weight.is_finite() && ct.weight > 0.0) {
            bad!(c, &format!("{cp}.weight"), ("trọng số {} phải lớn hơn 0", ct.weight), ("weight {} must be greater than 0", ct.weight),
                fix: ("đặt trọng số dương, ví dụ 1 hoặc 2"), ("use a positive weight, e.g. 1 or 2"));
        } else if ct.weight > MAX_WEIGHT {
            bad!(c, &format!("{cp}.weight"), ("trọng số {} lớn hơn mức tối đa {MAX_WEIGHT}", Num(ct.weight)), ("weight {} is above the maximum {MAX_WEIGHT}", Num(ct.weight)),
                fix: ("dùng trọng số từ trên 0 đến {MAX_WEIGHT}"), ("use a weight above 0 and at most {MAX_WEIGHT}"));
        }
        used_dims.insert(&ct.to);
    }

    let stray = |present: bool, field: &str, c: &mut Checker| {
        if present {
            bad!(c, &format!("{p}.{field}"), ("câu hỏi dạng {kind} không dùng trường \"{field}\""), ("a {kind} question takes no \"{field}\""),
                fix: ("bỏ trường \"{field}\""), ("remove \"{field}\""));
        }
    };
    let k = question.kind;
    stray(
        k != QuestionKind::Scale && !question.levels.is_empty(),
        "levels",
        c,
    );
    stray(
        k != QuestionKind::Checklist && !question.options.is_empty(),
        "options",
        c,
    );
    let numeric = k == QuestionKind::Number;
    stray(!numeric && question.unit.is_some(), "unit", c);
    stray(!numeric && question.min.is_some(), "min", c);
    stray(!numeric && question.max.is_some(), "max", c);
    stray(!numeric && question.integer, "integer", c);
    stray(!numeric && !question.thresholds.is_empty(), "thresholds", c);
    stray(!numeric && question.target.is_some(), "target", c);

    match k {
        QuestionKind::Scale => {
            if question.levels.len() != 5 {
                bad!(c, &format!("{p}.levels"), ("thang mức độ cần đúng 5 mức (0..4), đang có {}", question.levels.len()),
                    ("a scale needs exactly 5 levels (0..4), found {}", question.levels.len()),
                    fix: ("mô tả cụ thể từng mức từ 0 đến 4"), ("describe each level from 0 to 4 concretely"));
            }
            for (i, l) in question.levels.iter().enumerate() {
                c.text(&format!("{p}.levels[{i}].label"), &l.label);
                c.text(&format!("{p}.levels[{i}].descriptor"), &l.descriptor);
            }
        }
        QuestionKind::Checklist => {
            if question.options.len() < 2 {
                bad!(c, &format!("{p}.options"), ("danh mục kiểm tra cần ít nhất 2 phương án"), ("a checklist needs at least 2 options"),
                    fix: ("thêm phương án vào \"options\""), ("add options to \"options\""));
            }
            let mut seen = HashMap::new();
            for (i, o) in question.options.iter().enumerate() {
                let op = format!("{p}.options[{i}]");
                c.ident(&format!("{op}.id"), &o.id);
                c.unique(&mut seen, &o.id, &op);
                c.text(&format!("{op}.label"), &o.label);
                if !(o.points.is_finite() && o.points >= 0.0) {
                    bad!(c, &format!("{op}.points"), ("điểm {} không được âm", o.points), ("points {} must not be negative", o.points),
                        fix: ("đặt điểm từ 0 trở lên"), ("use 0 or more points"));
                } else if o.points > MAX_POINTS {
                    bad!(c, &format!("{op}.points"), ("điểm {} lớn hơn mức tối đa {MAX_POINTS}", Num(o.points)), ("points {} are above the maximum {MAX_POINTS}", Num(o.points)),
                        fix: ("dùng điểm từ 0 đến {MAX_POINTS}"), ("use 0 to {MAX_POINTS} points"));
                }
                if o.exclusive && o.points > 0.0 {
                    bad!(c, &format!("{op}.points"), ("phương án loại trừ (ví dụ \"không có\") không được có điểm"), ("an exclusive option (e.g. \"none\") must be worth 0 points"),
                        fix: ("đặt \"points\": 0"), ("set \"points\": 0"));
                }
            }
            if question.options.iter().map(|o| o.points).sum::<f64>() <= 0.0 {
                bad!(c, &format!("{p}.options"), ("tổng điểm các phương án bằng 0"), ("the options are worth 0 points in total"),
                    fix: ("cho điểm các phương án"), ("give the options points"));
            }
        }
        QuestionKind::Number => {
            check_range(c, p, question.min, question.max);
            if question.thresholds.is_empty() && question.target.is_none() {
                bad!(c, p, ("câu hỏi số cần \"thresholds\" hoặc \"target\" để tính điểm"), ("a number question needs \"thresholds\" or a \"target\" to be scored"),
                    fix: ("thêm các ngưỡng, ví dụ [{{\"at_least\": 0, \"score\": 0}}, {{\"at_least\": 50, \"score\": 1}}]"), ("add thresholds, e.g. [{{\"at_least\": 0, \"score\": 0}}, {{\"at_least\": 50, \"score\": 1}}]"));
            }
            for (i, t) in question.thresholds.iter().enumerate() {
                if !(t.at_least.is_finite() && t.at_least.abs() <= MAX_NUMBER) {
                    bad!(c, &format!("{p}.thresholds[{i}].at_least"), ("ngưỡng {} nằm ngoài khoảng ±{MAX_NUMBER}", Num(t.at_least)), ("threshold {} is outside ±{MAX_NUMBER}", Num(t.at_least)),
                        fix: ("dùng một số từ -{MAX_NUMBER} đến {MAX_NUMBER}"), ("use a number from -{MAX_NUMBER} to {MAX_NUMBER}"));
                }
                if !(0.0..=1.0).contains(&t.score) {
                    bad!(c, &format!("{p}.thresholds[{i}].score"), ("điểm {} nằm ngoài 0..1", t.score), ("score {} is outside 0..1", t.score),
                        fix: ("dùng điểm từ 0 đến 1"), ("use a score from 0 to 1"));
                }
            }
            for (i, w) in question.thresholds.windows(2).enumerate() {
                if w[1].at_least <= w[0].at_least {
                    bad!(c, &format!("{p}.thresholds[{}]", i + 1), ("ngưỡng {} không lớn hơn ngưỡng trước ({})", w[1].at_least, w[0].at_least),
                        ("threshold {} is not above the previous one ({})", w[1].at_least, w[0].at_least),
                        fix: ("sắp các ngưỡng \"at_least\" tăng dần"), ("order the \"at_least\" values strictly increasing"));
                }
            }
            if let Some(t) = &question.target
                && q.target(t).is_none()
            {
                bad!(c, &format!("{p}.target"), ("không có chỉ tiêu \"{t}\""), ("there is no target \"{t}\""),
                    fix: ("dùng mã một chỉ tiêu trong \"targets.items\""), ("use the id of one of \"targets.items\""));
            }
        }
        QuestionKind::Ynp | QuestionKind::Text => {}
    }
}

/// The choice field of the profile named `id` (a target's or a weight's key field), or an issue
/// at `path`.
fn choice_field<'a>(
    c: &mut Checker,
    q: &'a Questionnaire,
    path: &str,
    id: &str,
) -> Option<&'a ProfileField> {
    let field = q
        .profile_field(id)
        .filter(|f| f.kind == ProfileKind::Choice);
    if field.is_none() {
        bad!(c, path, ("\"{id}\" không phải trường lựa chọn trong phần hồ sơ"),
            ("\"{id}\" is not a choice field of the profile"),
            fix: ("dùng mã một trường lựa chọn, ví dụ \"level\""), ("name a choice field, e.g. \"level\""));
    }
    field
}

/// A weight by profile choice: the field is a choice of the profile, each key one of its options,
/// each weight in (0, MAX_WEIGHT], and the note says why in both languages.
fn check_weight_by(c: &mut Checker, q: &Questionnaire, p: &str, by: &WeightBy) {
    let field = choice_field(c, q, &format!("{p}.field"), &by.field);
    if by.values.is_empty() {
        bad!(c, &format!("{p}.values"), ("chưa ghi trọng số cho phương án nào"), ("no option is given a weight"),
            fix: ("thêm trọng số cho ít nhất một phương án hoặc bỏ \"weight_by\""), ("give at least one option a weight or remove \"weight_by\""));
    }
    for (key, w) in &by.values {
        if let Some(f) = field
            && !f.options.iter().any(|o| &o.id == key)
        {
            bad!(c, &format!("{p}.values.{key}"), ("\"{key}\" không phải phương án của trường {}", by.field),
                ("\"{key}\" is not an option of {}", by.field),
                fix: ("dùng mã một phương án của {}", by.field), ("use an option id of {}", by.field));
        }
        if !(w.is_finite() && *w > 0.0 && *w <= MAX_WEIGHT) {
            bad!(c, &format!("{p}.values.{key}"), ("trọng số {} phải lớn hơn 0 và không quá {MAX_WEIGHT}", Num(*w)),
                ("weight {} must be above 0 and at most {MAX_WEIGHT}", Num(*w)),
                fix: ("dùng trọng số từ trên 0 đến {MAX_WEIGHT}"), ("use a weight above 0 and at most {MAX_WEIGHT}"));
        }
    }
    c.text(&format!("{p}.note"), &by.note);
}

fn check_condition(c: &mut Checker, p: &str, cond: &Condition, known: &HashMap<&str, FieldShape>) {
    match cond {
        Condition::All(a) => {
            check_nonempty(c, p, a.all.len());
            for (i, x) in a.all.iter().enumerate() {
                check_condition(c, &format!("{p}.all[{i}]"), x, known);
            }
        }
        Condition::Any(a) => {
            check_nonempty(c, p, a.any.len());
            for (i, x) in a.any.iter().enumerate() {
                check_condition(c, &format!("{p}.any[{i}]"), x, known);
            }
        }
        Condition::Not(n) => check_condition(c, &format!("{p}.not"), &n.not, known),
        Condition::Compare(cmp) => check_comparison(c, p, cmp, known),
    }
}

fn check_nonempty(c: &mut Checker, p: &str, n: usize) {
    if n == 0 {
        bad!(c, p, ("danh sách điều kiện đang trống"), ("the list of conditions is empty"),
            fix: ("thêm điều kiện hoặc bỏ khối này"), ("add conditions or remove the block"));
    }
}

fn check_comparison(c: &mut Checker, p: &str, cmp: &Comparison, known: &HashMap<&str, FieldShape>) {
    let n = cmp.operator_count();
    if n != 1 {
        bad!(c, p, ("điều kiện trên \"{}\" có {n} phép so sánh", cmp.field), ("the condition on \"{}\" has {n} operators", cmp.field),
            fix: ("dùng đúng một trong eq, ne, in, gte, lte, includes, answered"), ("use exactly one of eq, ne, in, gte, lte, includes, answered"));
    }
    let Some(shape) = known.get(cmp.field.as_str()) else {
        bad!(c, &format!("{p}.field"), ("\"{}\" không phải trường hồ sơ hay câu hỏi đứng trước", cmp.field),
            ("\"{}\" is not a profile field or an earlier question", cmp.field),
            fix: ("điều kiện chỉ được dựa vào trường hồ sơ hoặc câu hỏi đứng trước; kiểm tra mã và thứ tự"), ("conditions may only read profile fields or earlier questions: check the id and the order"));
        return;
    };
    // Which values `eq`/`ne`/`in` may take for this field, and whether it is numeric.
    let (allowed, numeric, checklist): (Option<Vec<String>>, bool, bool) = match shape {
        FieldShape::Profile(f) => match f.kind {
            ProfileKind::Choice => (
                Some(f.options.iter().map(|o| o.id.clone()).collect()),
                false,
                false,
            ),
            ProfileKind::Number => (None, true, false),
            ProfileKind::Text => (None, false, false),
        },
        FieldShape::Question(q) => match q.kind {
            QuestionKind::Ynp => (
                Some(
                    ["yes", "partly", "no"]
                        .into_iter()
                        .map(String::from)
                        .chain(
                            q.allow_dont_know
                                .then(|| super::condition::DONT_KNOW.into()),
                        )
                        .collect(),
                ),
                false,
                false,
            ),
            QuestionKind::Scale => (
                Some(
                    (0..=4)
                        .map(|l| l.to_string())
                        .chain(
                            q.allow_dont_know
                                .then(|| super::condition::DONT_KNOW.into()),
                        )
                        .collect(),
                ),
                true,
                false,
            ),
            QuestionKind::Checklist => (None, false, true),
            QuestionKind::Number => (None, true, false),
            QuestionKind::Text => (None, false, false),
        },
    };
    let values: Vec<&serde_json::Value> = cmp
        .eq
        .iter()
        .chain(cmp.ne.iter())
        .chain(cmp.in_.iter().flatten())
        .collect();
    for v in values {
        let as_text = match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            other => other.to_string(),
        };
        if let Some(allowed) = &allowed
            && !allowed.contains(&as_text)
        {
            bad!(c, p, ("giá trị {as_text} không có trong các giá trị của \"{}\" ({})", cmp.field, allowed.join(", ")),
                ("value {as_text} is not one of \"{}\"'s values ({})", cmp.field, allowed.join(", ")),
                fix: ("dùng một trong: {}", allowed.join(", ")), ("use one of: {}", allowed.join(", ")));
        }
        if checklist {
            bad!(c, p, ("với danh mục kiểm tra \"{}\" hãy dùng \"includes\"", cmp.field), ("for the checklist \"{}\" use \"includes\"", cmp.field),
                fix: ("viết {{\"field\": \"{}\", \"includes\": \"<mã phương án>\"}}", cmp.field), ("write {{\"field\": \"{}\", \"includes\": \"<option id>\"}}", cmp.field));
        }
    }
    if (cmp.gte.is_some() || cmp.lte.is_some()) && !numeric {
        bad!(c, p, ("\"{}\" không phải giá trị số nên không so sánh gte/lte được", cmp.field), ("\"{}\" is not numeric, so gte/lte cannot apply", cmp.field),
            fix: ("dùng eq, ne hoặc in"), ("use eq, ne or in"));
    }
    if let Some(opt) = &cmp.includes {
        match shape {
            FieldShape::Question(q) if q.kind == QuestionKind::Checklist => {
                if !q.options.iter().any(|o| &o.id == opt) {
                    bad!(c, p, ("\"{}\" không có phương án \"{opt}\"", cmp.field), ("\"{}\" has no option \"{opt}\"", cmp.field),
                        fix: ("dùng mã một phương án của danh mục"), ("use the id of one of its options"));
                }
            }
            _ => {
                bad!(c, p, ("\"includes\" chỉ dùng cho danh mục kiểm tra"), ("\"includes\" only applies to a checklist"),
                    fix: ("dùng eq, ne hoặc in"), ("use eq, ne or in"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::valid_lines;

    #[test]
    fn line_references() {
        for ok in ["151", "3564-3569", "44, 81", "1-1"] {
            assert!(valid_lines(ok), "{ok}");
        }
        for bad in ["", "0", "9-3", "a-b", "12-", "1-2-3"] {
            assert!(!valid_lines(bad), "{bad}");
        }
    }
}
