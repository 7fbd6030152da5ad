//! The README's key table is the keymap's: dispatch, footer, help and the README come from one
//! table (`src/tui/keymap.rs`), so they cannot drift.

#[test]
fn readme_key_table_matches_the_keymap() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let (start, end) = ("<!-- keys:start -->\n", "<!-- keys:end -->");
    let a = readme.find(start).expect("README has no keys:start marker") + start.len();
    let b = readme[a..]
        .find(end)
        .expect("README has no keys:end marker")
        + a;
    let want = sansang::tui::keymap::markdown_table();
    assert!(
        readme[a..b] == want,
        "README's key table is out of date; replace the lines between the markers with:\n{want}"
    );
}
