//! End to end (issue 10): in the real binary, in a real terminal (tmux, 80×24, Vietnamese), the
//! province is chosen from the list by typing "ho chi" without diacritics and pressing Enter;
//! the saved file holds the unit's name.

mod common;

use common::tmux::Tmux;
use serde_json::Value;

#[test]
fn a_province_is_chosen_by_typing_ho_chi_in_a_real_terminal() {
    let data = tempfile::tempdir().unwrap();
    let t = Tmux::new("province");
    t.start_app((80, 24), data.path(), &[], &[]);
    t.wait_for("Các bản đánh giá");
    t.send(&["n"]);
    t.wait_for("Chọn bộ câu hỏi");
    // The agency questionnaire, found by its title on the selected line.
    let selected = |s: &str| {
        s.lines()
            .any(|l| l.contains('▶') && l.contains("của cơ quan nhà nước"))
    };
    for _ in 0..10 {
        if selected(&t.screen()) {
            break;
        }
        t.send(&["Down"]);
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    t.wait_until("the agency questionnaire selected", selected);
    t.send(&["Enter"]);
    t.wait_for("Thông tin tổ chức");
    t.send_literal("UBND xã Hòa Phong");
    t.wait_for("[UBND xã Hòa Phong▏]");
    // Enter to the level, → picks the first option, ↓ to the province: the list opens.
    t.send(&["Enter", "Right", "Down"]);
    t.wait_for("Ngoài tài liệu gốc: theo Nghị quyết 202/2025/QH15");
    t.send_literal("ho chi");
    let screen = t.wait_for("[ho chi▏]");
    assert!(
        !screen.contains("Tuyên Quang"),
        "the list is filtered:\n{screen}"
    );
    t.wait_for("▶ TP. Hồ Chí Minh · thành phố trực thuộc trung ương");
    t.send(&["Enter"]);
    // Saved, and the field now reads the unit's name.
    t.wait_until("the province saved", |s| {
        s.lines()
            .any(|l| l.contains("Tỉnh, thành phố") && l.contains("TP. Hồ Chí Minh"))
            && s.contains("✓ Đã lưu lúc")
    });
    let file = std::fs::read_dir(data.path().join("assessments"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert_eq!(v["profile"]["province_name"], "TP. Hồ Chí Minh");
    assert_eq!(v["profile"]["org_name"], "UBND xã Hòa Phong");
}
