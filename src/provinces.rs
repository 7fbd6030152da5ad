//! Vietnam's provincial-level units in force since 1 July 2025 (34: six centrally-run cities and
//! 28 provinces), and the 63 units before that, each mapped to the unit it became part of, so that
//! files written before and after the reorganisation group together (`aggregate --by province`).
//!
//! Outside the seed documents: the seeds (2020–2024) predate the reorganisation. Basis:
//! Nghị quyết 202/2025/QH15 of the National Assembly on arranging provincial-level administrative
//! units (12 June 2025), effective for the new units from 1 July 2025.

use crate::i18n::{Lang, tr};

/// A provincial-level unit in force since 1 July 2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Province {
    /// Stable ASCII id ("ho-chi-minh").
    pub id: &'static str,
    /// The name as written in Vietnamese ("TP. Hồ Chí Minh", "Đắk Lắk").
    pub name: &'static str,
    /// A centrally-run city (thành phố trực thuộc trung ương) rather than a province.
    pub city: bool,
}

impl Province {
    /// The name shown: Vietnamese names are used in both languages ("Ho Chi Minh City" in
    /// English for the one city usually translated).
    pub fn label(&self, lang: Lang) -> &'static str {
        match (self.id, lang) {
            ("ho-chi-minh", Lang::En) => "Ho Chi Minh City",
            _ => self.name,
        }
    }

    pub fn kind_label(&self, lang: Lang) -> &'static str {
        if self.city {
            tr(
                lang,
                "thành phố trực thuộc trung ương",
                "centrally-run city",
            )
        } else {
            tr(lang, "tỉnh", "province")
        }
    }
}

const fn p(id: &'static str, name: &'static str, city: bool) -> Province {
    Province { id, name, city }
}

/// The 34 units, cities first, then provinces from north to south.
pub const PROVINCES: [Province; 34] = [
    p("ha-noi", "Hà Nội", true),
    p("hue", "Huế", true),
    p("hai-phong", "Hải Phòng", true),
    p("da-nang", "Đà Nẵng", true),
    p("ho-chi-minh", "TP. Hồ Chí Minh", true),
    p("can-tho", "Cần Thơ", true),
    p("tuyen-quang", "Tuyên Quang", false),
    p("cao-bang", "Cao Bằng", false),
    p("lai-chau", "Lai Châu", false),
    p("lao-cai", "Lào Cai", false),
    p("thai-nguyen", "Thái Nguyên", false),
    p("dien-bien", "Điện Biên", false),
    p("lang-son", "Lạng Sơn", false),
    p("son-la", "Sơn La", false),
    p("phu-tho", "Phú Thọ", false),
    p("bac-ninh", "Bắc Ninh", false),
    p("quang-ninh", "Quảng Ninh", false),
    p("hung-yen", "Hưng Yên", false),
    p("ninh-binh", "Ninh Bình", false),
    p("thanh-hoa", "Thanh Hóa", false),
    p("nghe-an", "Nghệ An", false),
    p("ha-tinh", "Hà Tĩnh", false),
    p("quang-tri", "Quảng Trị", false),
    p("quang-ngai", "Quảng Ngãi", false),
    p("gia-lai", "Gia Lai", false),
    p("khanh-hoa", "Khánh Hòa", false),
    p("lam-dong", "Lâm Đồng", false),
    p("dak-lak", "Đắk Lắk", false),
    p("dong-nai", "Đồng Nai", false),
    p("tay-ninh", "Tây Ninh", false),
    p("vinh-long", "Vĩnh Long", false),
    p("dong-thap", "Đồng Tháp", false),
    p("an-giang", "An Giang", false),
    p("ca-mau", "Cà Mau", false),
];

/// The 63 provincial-level units before 1 July 2025 → the id of the unit each became (part of).
pub const FORMER: [(&str, &str); 63] = [
    ("Hà Nội", "ha-noi"),
    ("Thừa Thiên Huế", "hue"),
    ("Lai Châu", "lai-chau"),
    ("Điện Biên", "dien-bien"),
    ("Sơn La", "son-la"),
    ("Lạng Sơn", "lang-son"),
    ("Quảng Ninh", "quang-ninh"),
    ("Thanh Hóa", "thanh-hoa"),
    ("Nghệ An", "nghe-an"),
    ("Hà Tĩnh", "ha-tinh"),
    ("Cao Bằng", "cao-bang"),
    ("Tuyên Quang", "tuyen-quang"),
    ("Hà Giang", "tuyen-quang"),
    ("Lào Cai", "lao-cai"),
    ("Yên Bái", "lao-cai"),
    ("Thái Nguyên", "thai-nguyen"),
    ("Bắc Kạn", "thai-nguyen"),
    ("Phú Thọ", "phu-tho"),
    ("Vĩnh Phúc", "phu-tho"),
    ("Hòa Bình", "phu-tho"),
    ("Bắc Ninh", "bac-ninh"),
    ("Bắc Giang", "bac-ninh"),
    ("Hưng Yên", "hung-yen"),
    ("Thái Bình", "hung-yen"),
    ("Hải Phòng", "hai-phong"),
    ("Hải Dương", "hai-phong"),
    ("Ninh Bình", "ninh-binh"),
    ("Hà Nam", "ninh-binh"),
    ("Nam Định", "ninh-binh"),
    ("Quảng Trị", "quang-tri"),
    ("Quảng Bình", "quang-tri"),
    ("Đà Nẵng", "da-nang"),
    ("Quảng Nam", "da-nang"),
    ("Quảng Ngãi", "quang-ngai"),
    ("Kon Tum", "quang-ngai"),
    ("Gia Lai", "gia-lai"),
    ("Bình Định", "gia-lai"),
    ("Khánh Hòa", "khanh-hoa"),
    ("Ninh Thuận", "khanh-hoa"),
    ("Lâm Đồng", "lam-dong"),
    ("Đắk Nông", "lam-dong"),
    ("Bình Thuận", "lam-dong"),
    ("Đắk Lắk", "dak-lak"),
    ("Phú Yên", "dak-lak"),
    ("Hồ Chí Minh", "ho-chi-minh"),
    ("Bình Dương", "ho-chi-minh"),
    ("Bà Rịa - Vũng Tàu", "ho-chi-minh"),
    ("Đồng Nai", "dong-nai"),
    ("Bình Phước", "dong-nai"),
    ("Tây Ninh", "tay-ninh"),
    ("Long An", "tay-ninh"),
    ("Cần Thơ", "can-tho"),
    ("Sóc Trăng", "can-tho"),
    ("Hậu Giang", "can-tho"),
    ("Vĩnh Long", "vinh-long"),
    ("Bến Tre", "vinh-long"),
    ("Trà Vinh", "vinh-long"),
    ("Đồng Tháp", "dong-thap"),
    ("Tiền Giang", "dong-thap"),
    ("Cà Mau", "ca-mau"),
    ("Bạc Liêu", "ca-mau"),
    ("An Giang", "an-giang"),
    ("Kiên Giang", "an-giang"),
];

/// Other spellings people type.
const ALIASES: [(&str, &str); 6] = [
    ("TPHCM", "ho-chi-minh"),
    ("HCM", "ho-chi-minh"),
    ("Sài Gòn", "ho-chi-minh"),
    ("Bắc Cạn", "thai-nguyen"),
    ("Vũng Tàu", "ho-chi-minh"),
    ("Thủ đô Hà Nội", "ha-noi"),
];

/// Where this list comes from (it is not in the seed documents).
pub fn basis(lang: Lang) -> &'static str {
    tr(
        lang,
        "Ngoài tài liệu gốc: 34 đơn vị hành chính cấp tỉnh từ ngày 01/7/2025 theo Nghị quyết 202/2025/QH15 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh; tên cũ (63 tỉnh, thành phố trước đó) được quy về đơn vị mới.",
        "Outside the seed documents: the 34 provincial-level units since 1 July 2025 under National Assembly Resolution 202/2025/QH15 on arranging provincial-level units; the 63 former names are mapped to their new unit.",
    )
}

/// The same, in one short line for the pick-list.
pub fn basis_short(lang: Lang) -> &'static str {
    tr(
        lang,
        "Ngoài tài liệu gốc: theo Nghị quyết 202/2025/QH15 (từ 01/7/2025)",
        "Outside the seed documents: Resolution 202/2025/QH15 (since 1 July 2025)",
    )
}

pub fn by_id(id: &str) -> Option<&'static Province> {
    PROVINCES.iter().find(|p| p.id == id)
}

/// Lower case, no diacritics (đ → d), letters and digits only, single spaces, without a leading
/// "tỉnh" / "thành phố" / "TP.".
fn fold(s: &str) -> String {
    let plain: String = crate::text::fold_diacritics(s)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = plain.split_whitespace().collect();
    let rest = match words.as_slice() {
        ["thanh", "pho", rest @ ..] | ["tp", rest @ ..] | ["tinh", rest @ ..]
            if !rest.is_empty() =>
        {
            rest
        }
        all => all,
    };
    rest.join(" ")
}

/// The unit in force since 1 July 2025 that a name typed by a person stands for: a current name,
/// a former province's name, a common alias or an id; case, diacritics, punctuation and a
/// "tỉnh" / "thành phố" / "TP." prefix do not matter. `None` for anything else.
pub fn resolve(name: &str) -> Option<&'static Province> {
    let key = fold(name);
    if key.is_empty() {
        return None;
    }
    let (current, other) = folded();
    let id = PROVINCES
        .iter()
        .zip(current)
        .find(|(p, folded)| p.id == name.trim() || **folded == key)
        .map(|(p, _)| p.id)
        .or_else(|| {
            FORMER
                .iter()
                .chain(ALIASES.iter())
                .zip(other)
                .find(|(_, folded)| **folded == key)
                .map(|((_, id), _)| *id)
        })?;
    by_id(id)
}

/// The folded names of [`PROVINCES`], and of [`FORMER`] then `ALIASES`, in their order: folded
/// once per process rather than on every [`resolve`] (aggregating by province resolves a name per
/// file).
fn folded() -> &'static (Vec<String>, Vec<String>) {
    static FOLDED: std::sync::OnceLock<(Vec<String>, Vec<String>)> = std::sync::OnceLock::new();
    FOLDED.get_or_init(|| {
        (
            PROVINCES.iter().map(|p| fold(p.name)).collect(),
            FORMER
                .iter()
                .chain(ALIASES.iter())
                .map(|(n, _)| fold(n))
                .collect(),
        )
    })
}

/// Lower case, no diacritics, words of letters and digits (no prefix removed): what a typed word
/// must start.
fn words(s: &str) -> Vec<String> {
    crate::text::fold_diacritics(s)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// True when every typed word starts a word of `name` ("ho chi" and "tp hcm"-free "chi minh" both
/// find "TP. Hồ Chí Minh"; diacritics and case do not matter).
fn matches(query: &[String], name: &str) -> bool {
    let hay = words(name);
    query
        .iter()
        .all(|q| hay.iter().any(|h| h.starts_with(q.as_str())))
}

/// One row of the province pick-list: a unit in force, or a former name and the unit it became
/// (part of).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    /// The name that matched what was typed (the unit's own name, or a former name).
    pub name: &'static str,
    pub unit: &'static Province,
    /// `name` is a former province's, since 1 July 2025 part of `unit`.
    pub former: bool,
}

impl Pick {
    /// "TP. Hồ Chí Minh · thành phố trực thuộc trung ương", or for a former name
    /// "Bình Dương → TP. Hồ Chí Minh (Nghị quyết 202/2025/QH15)".
    pub fn label(&self, lang: Lang) -> String {
        if self.former {
            former_note(self.name, self.unit, lang)
        } else {
            format!("{} · {}", self.unit.label(lang), self.unit.kind_label(lang))
        }
    }
}

/// "Bình Dương → TP. Hồ Chí Minh (Nghị quyết 202/2025/QH15)": a former name and its new unit.
pub fn former_note(name: &str, unit: &Province, lang: Lang) -> String {
    format!(
        "{name} → {} ({})",
        unit.label(lang),
        tr(lang, "Nghị quyết 202/2025/QH15", "Resolution 202/2025/QH15")
    )
}

/// How closely a name matches what was typed: 0 the whole name, 1 the name's beginning, 2 the
/// typed words together inside it, 3 the words anywhere ("son la" is Sơn La before Lạng Sơn).
fn rank(query: &[String], name: &str) -> u8 {
    let (q, n) = (query.join(" "), words(&fold(name)).join(" "));
    if n == q {
        0
    } else if n.starts_with(&q) {
        1
    } else if n.contains(&format!(" {q}")) {
        2
    } else {
        3
    }
}

/// The rows of the pick-list for what was typed: with nothing typed, the 34 units in alphabetical
/// order; else the units whose name has a word starting with each typed word, then the former
/// names that match (each shown with its new unit), each group closest match first, then
/// alphabetical; if nothing else matched, the unit an alias stands for ("tphcm", "Sài Gòn").
pub fn pick_list(typed: &str) -> Vec<Pick> {
    let query = words(&fold(typed));
    let mut units: Vec<&'static Province> = PROVINCES.iter().collect();
    units.sort_by_key(|p| (rank(&query, p.name), fold(p.name)));
    let mut out: Vec<Pick> = units
        .into_iter()
        .filter(|p| query.is_empty() || matches(&query, p.name))
        .map(|p| Pick {
            name: p.name,
            unit: p,
            former: false,
        })
        .collect();
    if query.is_empty() {
        return out;
    }
    let mut former: Vec<Pick> = FORMER
        .iter()
        .filter_map(|(name, id)| {
            let unit = by_id(id)?;
            // "Hà Nội" was and is Hà Nội: only names that changed are listed as former.
            (fold(name) != fold(unit.name) && matches(&query, name)).then_some(Pick {
                name,
                unit,
                former: true,
            })
        })
        .collect();
    former.sort_by_key(|p| (rank(&query, p.name), fold(p.name)));
    out.extend(former);
    if out.is_empty()
        && let Some(unit) = resolve(typed)
    {
        out.push(Pick {
            name: unit.name,
            unit,
            former: false,
        });
    }
    out
}

/// How a saved province value reads: a unit's name as is, a former name with the unit it became
/// part of ("Bình Dương → TP. Hồ Chí Minh (…)", kept as written in back-dated files), and
/// anything else marked as not in the list.
pub fn describe_saved(text: &str, lang: Lang) -> String {
    match resolve(text) {
        Some(unit) if fold(text) == fold(unit.name) => unit.label(lang).to_string(),
        Some(unit) => former_note(text, unit, lang),
        None => format!(
            "{text} ({})",
            tr(
                lang,
                "không có trong danh sách 34 tỉnh, thành phố",
                "not in the list of 34 provinces and cities"
            )
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("  TP. Hồ  Chí Minh "), "ho chi minh");
        assert_eq!(fold("Thành phố Đà Nẵng"), "da nang");
        assert_eq!(fold("tỉnh Bà Rịa – Vũng Tàu"), "ba ria vung tau");
        assert_eq!(fold("Thanh Hoá"), fold("Thanh Hóa"));
    }

    fn names(typed: &str) -> Vec<&'static str> {
        pick_list(typed).iter().map(|p| p.name).collect()
    }

    #[test]
    fn the_pick_list_filters_by_word_starts_without_diacritics() {
        assert_eq!(pick_list("").len(), 34);
        assert_eq!(names("")[0], "An Giang");
        assert_eq!(names("ho chi"), ["TP. Hồ Chí Minh"]);
        assert_eq!(names("Hồ Chí"), ["TP. Hồ Chí Minh"]);
        assert_eq!(names("tp ho chi minh"), ["TP. Hồ Chí Minh"]);
        assert_eq!(names("da"), ["Đà Nẵng", "Đắk Lắk", "Đắk Nông"]);
        // Units in force first, then former names; "ha" starts "Hải" and "Hậu" too.
        assert_eq!(
            names("ha"),
            [
                "Hà Nội",
                "Hà Tĩnh",
                "Hải Phòng",
                "Hà Giang",
                "Hà Nam",
                "Hải Dương",
                "Hậu Giang"
            ]
        );
        assert_eq!(names("ha n"), ["Hà Nội", "Hà Nam"]);
        let bd = pick_list("binh duong");
        assert_eq!(bd.len(), 1);
        assert!(bd[0].former && bd[0].unit.id == "ho-chi-minh");
        assert_eq!(
            bd[0].label(Lang::Vi),
            "Bình Dương → TP. Hồ Chí Minh (Nghị quyết 202/2025/QH15)"
        );
        assert_eq!(names("tphcm"), ["TP. Hồ Chí Minh"]);
        assert!(pick_list("xyz").is_empty());
    }

    #[test]
    fn saved_values_read_with_their_new_unit() {
        assert_eq!(
            describe_saved("TP. Hồ Chí Minh", Lang::En),
            "Ho Chi Minh City"
        );
        assert_eq!(
            describe_saved("Bình Dương", Lang::En),
            "Bình Dương → Ho Chi Minh City (Resolution 202/2025/QH15)"
        );
        assert!(describe_saved("Xứ Sở", Lang::Vi).contains("không có trong danh sách"));
    }
}
