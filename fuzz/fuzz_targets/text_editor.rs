//! The text editor and the line input on any key sequence (decoded from the bytes as an SSH
//! client's would be): never a panic, the cursor always inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sansang::ssh::input::Decoder;
use sansang::tui::editor::{LineInput, TextEditor};
use sansang::tui::key::Input;

fuzz_target!(|data: &[u8]| {
    let mut d = Decoder::default();
    let mut keys = d.feed(data);
    keys.extend(d.timeout());
    let mut editor = TextEditor::new("Xin chào\nthế giới 👋🏽");
    let mut line = LineInput::new("Hà Nội");
    for input in keys {
        match input {
            Input::Key(k) => {
                let _ = editor.handle(k);
                let _ = line.handle(k);
            }
            Input::Paste(t) => {
                let _ = editor.paste(&t);
                let _ = line.paste(&t);
            }
        }
        // The cursor is on a line being edited; the saved value (trailing blank lines trimmed)
        // never has more lines than that.
        let (row, _col) = editor.cursor_position();
        assert!(row < editor.rows());
        assert!(editor.value().split('\n').count() <= editor.rows());
        assert!(line.cursor_column() <= unicode_width(&line.value()));
    }
});

fn unicode_width(s: &str) -> usize {
    // Columns are at most 2 per character.
    s.chars().count() * 2
}
