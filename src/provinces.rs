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
    let id = PROVINCES
        .iter()
        .find(|p| p.id == name.trim() || fold(p.name) == key)
        .map(|p| p.id)
        .or_else(|| {
            FORMER
                .iter()
                .chain(ALIASES.iter())
                .find(|(n, _)| fold(n) == key)
                .map(|(_, id)| *id)
        })?;
    by_id(id)
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
}
