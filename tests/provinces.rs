//! The 34 provincial units since 1 July 2025 and the 63 former names mapped to them, so that
//! `aggregate --by province` groups old and new files together.

mod common;
use common::*;
use sansang::aggregate::{self, GroupBy};
use sansang::assessment::store;
use sansang::i18n::Lang;
use sansang::provinces::{FORMER, PROVINCES, basis, by_id, resolve};
use sansang::questionnaire::Catalog;
use std::collections::{HashMap, HashSet};

const CITIES: [&str; 6] = [
    "Hà Nội",
    "Huế",
    "Hải Phòng",
    "Đà Nẵng",
    "TP. Hồ Chí Minh",
    "Cần Thơ",
];
const PROVINCES_28: [&str; 28] = [
    "Tuyên Quang",
    "Cao Bằng",
    "Lai Châu",
    "Lào Cai",
    "Thái Nguyên",
    "Điện Biên",
    "Lạng Sơn",
    "Sơn La",
    "Phú Thọ",
    "Bắc Ninh",
    "Quảng Ninh",
    "Hưng Yên",
    "Ninh Bình",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Quảng Trị",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Đồng Nai",
    "Tây Ninh",
    "Vĩnh Long",
    "Đồng Tháp",
    "An Giang",
    "Cà Mau",
];

#[test]
fn the_34_units_are_complete() {
    let cities: HashSet<&str> = PROVINCES
        .iter()
        .filter(|p| p.city)
        .map(|p| p.name)
        .collect();
    let provinces: HashSet<&str> = PROVINCES
        .iter()
        .filter(|p| !p.city)
        .map(|p| p.name)
        .collect();
    assert_eq!(cities, CITIES.into_iter().collect());
    assert_eq!(provinces, PROVINCES_28.into_iter().collect());
    let ids: HashSet<&str> = PROVINCES.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), 34, "ids are unique");
    for p in PROVINCES {
        assert_eq!(resolve(p.name), Some(&p), "{}", p.name);
        assert_eq!(resolve(p.id), Some(&p), "{}", p.id);
    }
    assert!(basis(Lang::Vi).contains("202/2025/QH15"));
    assert!(basis(Lang::Vi).contains("Ngoài tài liệu gốc"));
    assert!(basis(Lang::En).contains("Outside the seed documents"));
}

#[test]
fn the_63_former_names_are_mapped() {
    let names: HashSet<&str> = FORMER.iter().map(|(n, _)| *n).collect();
    assert_eq!(names.len(), 63, "former names are unique");
    let mut per_unit: HashMap<&str, usize> = HashMap::new();
    for (name, id) in FORMER {
        let p = by_id(id).unwrap_or_else(|| panic!("{name} → unknown {id}"));
        assert_eq!(resolve(name).map(|p| p.id), Some(p.id), "{name}");
        *per_unit.entry(id).or_default() += 1;
    }
    // Every new unit was formed from at least one former one; 11 were kept as they were, 23 are
    // mergers of two or three.
    assert_eq!(per_unit.len(), 34);
    assert_eq!(per_unit.values().filter(|n| **n == 1).count(), 11);
    assert_eq!(per_unit.values().filter(|n| **n == 2).count(), 17);
    assert_eq!(per_unit.values().filter(|n| **n == 3).count(), 6);
    for (former, now) in [
        ("Bình Dương", "ho-chi-minh"),
        ("Bà Rịa - Vũng Tàu", "ho-chi-minh"),
        ("Thừa Thiên Huế", "hue"),
        ("Hà Giang", "tuyen-quang"),
        ("Quảng Nam", "da-nang"),
        ("Kon Tum", "quang-ngai"),
        ("Bình Thuận", "lam-dong"),
        ("Kiên Giang", "an-giang"),
        ("Hòa Bình", "phu-tho"),
    ] {
        assert_eq!(resolve(former).map(|p| p.id), Some(now), "{former}");
    }
}

#[test]
fn names_are_recognised_as_people_type_them() {
    for typed in [
        "TP. Hồ Chí Minh",
        "Hồ Chí Minh",
        "thành phố hồ chí minh",
        "TPHCM",
        "  tp  Ho Chi Minh ",
        "Bình Dương",
        "tỉnh bình dương",
        "Bà Rịa – Vũng Tàu",
    ] {
        assert_eq!(resolve(typed).map(|p| p.id), Some("ho-chi-minh"), "{typed}");
    }
    assert_eq!(resolve("Thanh Hoá").map(|p| p.id), Some("thanh-hoa"));
    assert_eq!(resolve("Dak Lak").map(|p| p.id), Some("dak-lak"));
    assert_eq!(resolve("Thừa Thiên - Huế").map(|p| p.id), Some("hue"));
    for unknown in ["", "  ", "Atlantis", "Quận 1"] {
        assert_eq!(resolve(unknown), None, "{unknown}");
    }
}

#[test]
fn aggregate_by_province_groups_old_and_new_names() {
    let cat = Catalog::builtin();
    let entry = cat.find("agency", None).unwrap();
    let q = entry.questionnaire.clone();
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "TP. Hồ Chí Minh",
        "Hồ Chí Minh",
        "Bình Dương",
        "Quảng Nam",
        "Đà Nẵng",
        "Nơi Không Có",
    ];
    for (i, p) in names.iter().enumerate() {
        let mut a = sansang::assessment::Assessment::new(&q, &entry.hash, NOW);
        profile(&mut a, &q, "org_name", &format!("Cơ quan {i}"));
        profile(&mut a, &q, "level", "province");
        profile(&mut a, &q, "province_name", p);
        answer(&mut a, &q, "ag.f1.1", scale(2));
        store::write(&dir.path().join(format!("{i}.json")), &a, &q).unwrap();
    }
    let doc = aggregate::aggregate(
        &[dir.path().to_path_buf()],
        &cat,
        GroupBy::Province,
        Lang::Vi,
    );
    let groups: Vec<(&str, usize)> = doc.questionnaires[0]
        .groups
        .iter()
        .map(|g| (g.label.as_str(), g.count))
        .collect();
    assert!(groups.contains(&("TP. Hồ Chí Minh", 3)), "{groups:?}");
    assert!(groups.contains(&("Đà Nẵng", 2)), "{groups:?}");
    assert!(
        groups.contains(&("Nơi Không Có", 1)),
        "unknown text kept: {groups:?}"
    );
    let en = aggregate::aggregate(
        &[dir.path().to_path_buf()],
        &cat,
        GroupBy::Province,
        Lang::En,
    );
    assert!(
        en.questionnaires[0]
            .groups
            .iter()
            .any(|g| g.label == "Ho Chi Minh City" && g.count == 3)
    );
}

/// The profile's pick-list: each of the 34 units is found by its name typed without diacritics
/// (first row), and each former name typed leads to its new unit, shown as
/// "Bình Dương → TP. Hồ Chí Minh (Nghị quyết 202/2025/QH15)".
#[test]
fn the_pick_list_finds_every_unit_and_former_name_without_diacritics() {
    use sansang::provinces::pick_list;
    let plain = |s: &str| sansang::text::fold_diacritics(s);
    assert_eq!(pick_list("").len(), 34);
    for p in PROVINCES {
        let rows = pick_list(&plain(p.name));
        assert_eq!(rows.first().map(|r| r.unit.id), Some(p.id), "{}", p.name);
        assert!(!rows[0].former);
    }
    for (name, id) in FORMER {
        let rows = pick_list(&plain(name));
        let row = rows
            .iter()
            .find(|r| r.unit.id == id)
            .unwrap_or_else(|| panic!("{name} does not lead to {id}: {rows:?}"));
        if row.former {
            assert_eq!(row.name, name);
            assert!(
                row.label(Lang::Vi).ends_with("(Nghị quyết 202/2025/QH15)"),
                "{}",
                row.label(Lang::Vi)
            );
        }
    }
    assert_eq!(
        pick_list("binh duong")[0].label(Lang::Vi),
        "Bình Dương → TP. Hồ Chí Minh (Nghị quyết 202/2025/QH15)"
    );
}
