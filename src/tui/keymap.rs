//! The one keymap: every binding, the context it works in, what it does and how it is described.
//! Dispatch, the footer and the help screen all read this table, so they cannot drift; the
//! README's key table is checked against it (`tests/keymap.rs`).
//!
//! While a field has focus (a number, a profile field, a path, a search, the text editor, the
//! evidence form's text rows), printable keys and pastes go into the field and nothing else: the
//! table is consulted only for keys a field does not take (Enter, Esc, Tab, ↑↓, PgUp/PgDn,
//! Ctrl-keys), through the field's own context.

use super::key::Key;
use crate::i18n::{Lang, tr};

/// Where a binding applies: a screen, an overlay, or a focused field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ctx {
    /// Everywhere outside fields and overlays that take text.
    Global,
    Home,
    Choose,
    Profile,
    /// A profile field chosen from a list (the province): typed letters filter the list.
    PickList,
    /// The question screen when no field has focus.
    Question,
    /// The number field of a number question (focused).
    NumberField,
    /// A text answer being edited, a comment or a justification (multi-line editor).
    Editor,
    Review,
    Results,
    Help,
    Why,
    Sections,
    Confirm,
    ComparePick,
    Compare,
    Notice,
    OpenPath,
    Evidence,
    Search,
    Sources,
    /// The reconcile screen: agreeing the diverging questions of several respondents.
    Reconcile,
    /// The read-aloud view of the current question (interview).
    ReadAloud,
}

impl Ctx {
    /// True when printable keys go into a field in this context.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Ctx::NumberField | Ctx::Editor | Ctx::OpenPath | Ctx::Search | Ctx::PickList
        )
    }

    /// The heading of this context in the help screen.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Ctx::Global => tr(lang, "Mọi nơi", "Everywhere"),
            Ctx::Home => tr(lang, "Trang đầu", "Home"),
            Ctx::Choose => tr(lang, "Chọn bộ câu hỏi", "Choose a questionnaire"),
            Ctx::Profile => tr(lang, "Thông tin tổ chức", "Organisation profile"),
            Ctx::PickList => tr(lang, "Chọn tỉnh, thành phố", "Choosing a province"),
            Ctx::Question => tr(lang, "Câu hỏi", "Questions"),
            Ctx::NumberField => tr(lang, "Ô nhập số", "Number field"),
            Ctx::Editor => tr(lang, "Soạn văn bản", "Text editor"),
            Ctx::Review => tr(lang, "Xem lại", "Review"),
            Ctx::Results => tr(lang, "Kết quả", "Results"),
            Ctx::Help => tr(lang, "Trợ giúp", "Help"),
            Ctx::Why => tr(lang, "Vì sao", "Why"),
            Ctx::Sections => tr(lang, "Các phần", "Sections"),
            Ctx::Confirm => tr(lang, "Xác nhận", "Confirm"),
            Ctx::ComparePick => tr(lang, "Chọn bản để so sánh", "Pick an assessment to compare"),
            Ctx::Compare => tr(lang, "So sánh", "Comparison"),
            Ctx::Notice => tr(lang, "Thông báo", "Notice"),
            Ctx::OpenPath => tr(lang, "Mở tệp", "Open a file"),
            Ctx::Evidence => tr(lang, "Minh chứng", "Evidence"),
            Ctx::Search => tr(lang, "Tìm câu hỏi", "Find a question"),
            Ctx::Sources => tr(lang, "Nguồn của câu hỏi", "A question's sources"),
            Ctx::Reconcile => tr(
                lang,
                "Đối chiếu nhiều người trả lời",
                "Reconcile respondents",
            ),
            Ctx::ReadAloud => tr(
                lang,
                "Đọc to cho người được phỏng vấn",
                "Read aloud to the interviewee",
            ),
        }
    }
}

/// What the user asked for, whatever key they used.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Quit,
    Help,
    ToggleLang,
    /// Esc in an overlay or a field: close, cancel, leave.
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    /// Enter / Space on a list or an option.
    Choose,
    NextQuestion,
    PrevQuestion,
    Level(u8),
    /// Checklist option by its number (0-based).
    Toggle(usize),
    Yes,
    Partly,
    No,
    NotApplicable,
    DontKnow,
    Alternate,
    Comment,
    Evidence,
    ToggleMark,
    /// Ask to clear the answer (confirmed in an overlay).
    ClearAnswer,
    NextUnanswered,
    NextMarked,
    Sections,
    Review,
    Results,
    Profile,
    /// Leave the open assessment (home; a participant's results).
    Leave,
    Why,
    Report,
    Compare,
    New,
    Delete,
    OpenFile,
    Search,
    /// Focus the number field (Enter on an unfocused number question).
    Focus,
    /// Submit a focused field (Enter).
    Submit,
    /// A key for the focused field (characters, Backspace, Delete, ←→, Home, End, Enter in
    /// the editor).
    Edit(Key),
    /// Pasted text; where it goes depends on the focus.
    Paste(String),
    /// Cycle a choice (profile choices, the evidence form's kind and grade).
    ChoiceNext,
    ChoicePrev,
    /// Yes / no in a confirmation.
    ConfirmYes,
    ConfirmNo,
    /// Leaving after a failed save: try saving again, and leave once it is on disk.
    SaveAgain,
    /// Open the question's sources.
    ShowSources,
    /// Show or hide the detail for auditors (the sources' seed line numbers).
    ToggleDetail,
    /// Next filter on the review list (all, unanswered, marked, don't know, not applicable,
    /// carried).
    Filter,
    /// Move to the next / previous profile field (from a pick-list, where ↑↓ move in the list).
    NextField,
    PrevField,
    /// Mark or unmark the selected assessment (home), to reconcile several.
    Mark,
    /// Reconcile the marked assessments (home).
    Reconcile,
    /// Take the next respondent's answer as the agreed one (reconcile screen).
    Take,
    /// Interview: the next interviewee as the one who gave this answer.
    CycleRespondent,
    /// Interview: how the answer is known (stated → document seen → observed).
    CycleBasis,
    /// Confirm a carried answer (re-assessment) and go to the next one not yet confirmed.
    ConfirmCarried,
    /// Open the read-aloud view of the current question.
    ReadAloud,
    /// Home: a new assessment seeded from the selected one (re-assessment).
    Reassess,
}

/// One row of the keymap.
pub struct Binding {
    pub ctx: Ctx,
    pub keys: &'static [Key],
    /// How the keys are written in the footer and help ("↑↓", "Enter").
    pub label: &'static str,
    pub action: fn() -> Action,
    pub vi: &'static str,
    pub en: &'static str,
    /// Shown in the footer of its context.
    pub footer: bool,
}

impl Binding {
    pub fn describe(&self, lang: Lang) -> &'static str {
        tr(lang, self.vi, self.en)
    }
}

use Key::*;

macro_rules! b {
    ($ctx:ident, [$($k:expr),*], $label:expr, $action:expr, $vi:expr, $en:expr, $footer:expr) => {
        Binding {
            ctx: Ctx::$ctx,
            keys: &[$($k),*],
            label: $label,
            action: || $action,
            vi: $vi,
            en: $en,
            footer: $footer,
        }
    };
}

/// The keymap. Order matters: the first binding of a context that holds the key wins, and the
/// footer and help list bindings in this order.
#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    // Everywhere (outside fields).
    b!(Global, [Char('?')], "?", Action::Help, "phím", "keys", true),
    b!(Global, [Char('l')], "l", Action::ToggleLang, "đổi ngôn ngữ (English)", "switch language (Tiếng Việt)", false),
    b!(Global, [Ctrl('c')], "Ctrl-C", Action::Quit, "thoát ngay (đã lưu)", "quit now (saved)", false),
    // Home.
    b!(Home, [Up, Char('k')], "↑↓", Action::Up, "chọn", "select", true),
    b!(Home, [Down, Char('j')], "↑↓", Action::Down, "chọn", "select", false),
    b!(Home, [Enter], "Enter", Action::Choose, "mở", "open", true),
    b!(Home, [Char('n')], "n", Action::New, "mới", "new", true),
    b!(Home, [Char('d'), Delete], "d", Action::Delete, "xóa", "delete", true),
    b!(Home, [Char('o')], "o", Action::OpenFile, "mở tệp", "open file", true),
    b!(Home, [Char(' ')], "Space", Action::Mark, "đánh dấu để đối chiếu", "mark for reconciling", false),
    b!(Home, [Char('c')], "c", Action::Reconcile, "đối chiếu các bản đã đánh dấu", "reconcile the marked ones", false),
    b!(Home, [Char('r')], "r", Action::Reassess, "đánh giá lại", "re-assess", false),
    b!(Home, [Char('q'), Esc], "q", Action::Quit, "thoát", "quit", true),
    // Choosing a questionnaire.
    b!(Choose, [Up, Char('k')], "↑↓", Action::Up, "chọn", "select", true),
    b!(Choose, [Down, Char('j')], "↑↓", Action::Down, "chọn", "select", false),
    b!(Choose, [Enter], "Enter", Action::Choose, "bắt đầu", "start", true),
    b!(Choose, [Esc], "Esc", Action::Back, "quay lại", "back", true),
    // Profile (text fields take printable keys; these keys act on every field).
    b!(Profile, [Up, BackTab], "↑↓", Action::Up, "trường", "field", true),
    b!(Profile, [Down, Tab], "↑↓", Action::Down, "trường", "field", false),
    b!(Profile, [Ctrl('n')], "Ctrl-N", Action::ChoiceNext, "lựa chọn sau", "next choice", false),
    b!(Profile, [Ctrl('p')], "Ctrl-P", Action::ChoicePrev, "lựa chọn trước", "previous choice", false),
    b!(Profile, [Enter], "Enter", Action::Submit, "tiếp", "next", true),
    b!(Profile, [Esc], "Esc", Action::Leave, "lưu và rời", "save and leave", true),
    // A profile field chosen from a list (the province): printable keys filter the list.
    b!(PickList, [Up], "↑↓", Action::Up, "chọn trong danh sách", "select in the list", true),
    b!(PickList, [Down], "↑↓", Action::Down, "chọn trong danh sách", "select in the list", false),
    b!(PickList, [Enter], "Enter", Action::Submit, "chọn, sang trường sau", "choose, next field", true),
    b!(PickList, [Tab], "Tab", Action::NextField, "trường sau", "next field", true),
    b!(PickList, [BackTab], "Shift-Tab", Action::PrevField, "trường trước", "previous field", true),
    b!(PickList, [Esc], "Esc", Action::Leave, "lưu và rời", "save and leave", true),
    // Questions (no field focused).
    b!(Question, [Right, PageDown, Tab], "→", Action::NextQuestion, "câu sau", "next question", true),
    b!(Question, [Left, PageUp, BackTab], "←", Action::PrevQuestion, "câu trước", "previous question", true),
    b!(Question, [Up, Char('k')], "↑↓", Action::Up, "chọn", "select", true),
    b!(Question, [Down, Char('j')], "↑↓", Action::Down, "chọn", "select", false),
    b!(Question, [Enter, Char(' ')], "Enter", Action::Choose, "chọn / viết", "choose / write", true),
    b!(Question, [Char('0')], "0-4", Action::Level(0), "chọn mức", "pick a level", false),
    b!(Question, [Char('1')], "1-9", Action::Toggle(0), "đánh dấu lựa chọn", "tick an option", false),
    b!(Question, [Char('2')], "", Action::Toggle(1), "", "", false),
    b!(Question, [Char('3')], "", Action::Toggle(2), "", "", false),
    b!(Question, [Char('4')], "", Action::Toggle(3), "", "", false),
    b!(Question, [Char('5')], "", Action::Toggle(4), "", "", false),
    b!(Question, [Char('6')], "", Action::Toggle(5), "", "", false),
    b!(Question, [Char('7')], "", Action::Toggle(6), "", "", false),
    b!(Question, [Char('8')], "", Action::Toggle(7), "", "", false),
    b!(Question, [Char('9')], "", Action::Toggle(8), "", "", false),
    b!(Question, [Char('y'), Char('c')], "y/c", Action::Yes, "có", "yes", false),
    b!(Question, [Char('p'), Char('m')], "p/m", Action::Partly, "một phần", "partly", false),
    b!(Question, [Char('n')], "n", Action::No, "không", "no", false),
    b!(Question, [Char('a')], "a", Action::NotApplicable, "không áp dụng", "not applicable", true),
    b!(Question, [Char('b')], "b", Action::DontKnow, "không biết", "don't know", true),
    b!(Question, [Char('x')], "x", Action::Alternate, "biện pháp thay thế", "alternate measure", false),
    b!(Question, [Char('g')], "g", Action::Comment, "ghi chú", "comment", true),
    b!(Question, [Char('e')], "e", Action::Evidence, "minh chứng", "evidence", true),
    b!(Question, [Char('f')], "f", Action::ToggleMark, "đánh dấu xem lại", "mark for review", false),
    b!(Question, [Delete, Backspace], "Del", Action::ClearAnswer, "xóa câu trả lời", "clear the answer", false),
    b!(Question, [Char('u')], "u", Action::NextUnanswered, "câu chưa trả lời", "next unanswered", false),
    b!(Question, [Char('v')], "v", Action::NextMarked, "câu cần xem lại", "next marked", false),
    b!(Question, [Char('/')], "/", Action::Search, "tìm", "find", true),
    b!(Question, [Char('s')], "s", Action::Sections, "các phần", "sections", false),
    b!(Question, [Char('i')], "i", Action::ShowSources, "nguồn (văn bản, cơ quan, hiệu lực)", "sources (document, issuer, status)", true),
    b!(Question, [Home], "Home", Action::First, "câu đầu", "first question", false),
    b!(Question, [End], "End", Action::Last, "câu cuối", "last question", false),
    b!(Question, [Char('r')], "r", Action::Review, "xem lại", "review", false),
    b!(Question, [Char('d')], "d", Action::Results, "kết quả", "results", true),
    b!(Question, [Char('h')], "h", Action::Profile, "hồ sơ", "profile", false),
    b!(Question, [Char('o')], "o", Action::ConfirmCarried, "xác nhận câu mang sang, sang câu sau", "confirm the carried answer, go to the next", false),
    b!(Question, [Char('w')], "w", Action::CycleRespondent, "ai trả lời (phỏng vấn)", "who answered (interview)", false),
    b!(Question, [Char('t')], "t", Action::CycleBasis, "cách biết: nói / xem giấy tờ / quan sát", "how known: stated / document / observed", false),
    b!(Question, [Char('z')], "z", Action::ReadAloud, "đọc to (toàn màn hình)", "read aloud (full width)", false),
    b!(Question, [Esc, Char('q')], "Esc", Action::Leave, "rời", "leave", false),
    // A number question's field: printable keys are the number.
    b!(NumberField, [Enter], "Enter", Action::Submit, "lưu số", "save the number", true),
    b!(NumberField, [Esc], "Esc", Action::Back, "thôi nhập, dùng phím lệnh", "stop typing, use command keys", true),
    b!(NumberField, [Right, Tab, PageDown], "→", Action::NextQuestion, "lưu, câu sau", "save, next question", true),
    b!(NumberField, [Left, BackTab, PageUp], "←", Action::PrevQuestion, "lưu, câu trước", "save, previous question", false),
    // The multi-line editor: Enter is a new line.
    b!(Editor, [Esc], "Esc", Action::Submit, "lưu và đóng", "save and close", true),
    b!(Editor, [Ctrl('s')], "Ctrl-S", Action::Submit, "lưu và đóng", "save and close", false),
    // Review.
    b!(Review, [Up, Char('k')], "↑↓", Action::Up, "chọn", "select", true),
    b!(Review, [Down, Char('j')], "↑↓", Action::Down, "chọn", "select", false),
    b!(Review, [PageUp], "PgUp", Action::PageUp, "trang trước", "page up", false),
    b!(Review, [PageDown], "PgDn", Action::PageDown, "trang sau", "page down", false),
    b!(Review, [Enter], "Enter", Action::Choose, "sửa", "edit", true),
    b!(Review, [Char('t')], "t", Action::Filter, "lọc", "filter", true),
    b!(Review, [Char('/')], "/", Action::Search, "tìm", "find", true),
    b!(Review, [Char('d')], "d", Action::Results, "kết quả", "results", true),
    b!(Review, [Esc, Char('r')], "Esc", Action::Back, "quay lại", "back", true),
    // Results.
    b!(Results, [Up, Char('k')], "↑↓", Action::Up, "chọn điểm", "select score", true),
    b!(Results, [Down, Char('j')], "↑↓", Action::Down, "chọn điểm", "select score", false),
    b!(Results, [Enter, Char('w')], "w", Action::Why, "vì sao", "why", true),
    b!(Results, [Char('r')], "r", Action::Review, "xem lại", "review", true),
    b!(Results, [Char('c')], "c", Action::Compare, "so sánh", "compare", true),
    b!(Results, [Char('p')], "p", Action::Report, "báo cáo", "report", true),
    b!(Results, [Esc], "Esc", Action::Back, "về câu hỏi", "back to questions", true),
    b!(Results, [Char('q')], "q", Action::Leave, "rời", "leave", true),
    // Reconcile: the agreed answer takes the question screen's answer keys (see `lookup`).
    b!(Reconcile, [Right, PageDown, Tab], "→", Action::NextQuestion, "câu sau", "next", true),
    b!(Reconcile, [Left, PageUp, BackTab], "←", Action::PrevQuestion, "câu trước", "previous", true),
    b!(Reconcile, [Char('t')], "t", Action::Take, "lấy câu của từng người", "take a respondent's answer", true),
    b!(Reconcile, [], "0-4 y/p/n 1-9 Enter", Action::Choose, "chọn câu trả lời thống nhất (như ở màn hình câu hỏi)", "choose the agreed answer (as on the question screen)", false),
    b!(Reconcile, [Char('g')], "g", Action::Comment, "ghi chú thống nhất", "agreement note", true),
    b!(Reconcile, [Char('d')], "d", Action::Results, "kết quả", "results", true),
    b!(Reconcile, [Esc, Char('q')], "Esc", Action::Leave, "lưu và rời", "save and leave", true),
    // Overlays.
    b!(Help, [Up, Char('k')], "↑↓", Action::Up, "cuộn", "scroll", true),
    b!(Help, [Down, Char('j')], "↑↓", Action::Down, "cuộn", "scroll", false),
    b!(Help, [PageUp], "PgUp", Action::PageUp, "trang trước", "page up", false),
    b!(Help, [PageDown, Char(' ')], "PgDn", Action::PageDown, "trang sau", "page down", false),
    b!(Help, [Esc, Enter, Char('?'), Char('q')], "Esc", Action::Back, "đóng", "close", true),
    b!(Why, [Up, Char('k')], "↑↓", Action::Up, "chọn", "select", true),
    b!(Why, [Down, Char('j')], "↑↓", Action::Down, "chọn", "select", false),
    b!(Why, [Enter], "Enter", Action::Choose, "đến câu hỏi", "go to question", true),
    b!(Why, [Esc, Char('w')], "Esc", Action::Back, "đóng", "close", true),
    b!(Sections, [Up, Char('k')], "↑↓", Action::Up, "chọn", "select", true),
    b!(Sections, [Down, Char('j')], "↑↓", Action::Down, "chọn", "select", false),
    b!(Sections, [Enter], "Enter", Action::Choose, "đến phần này", "go to section", true),
    b!(Sections, [Esc, Char('s')], "Esc", Action::Back, "đóng", "close", true),
    b!(Confirm, [Char('y'), Char('c')], "y", Action::ConfirmYes, "đồng ý", "yes", true),
    b!(Confirm, [Char('n'), Char('k'), Esc], "n/Esc", Action::ConfirmNo, "không", "no", true),
    b!(Confirm, [Char('s')], "s", Action::SaveAgain, "chưa lưu được: lưu lại rồi rời đi", "not saved: save again, then leave", false),
    b!(ComparePick, [Up, Char('k')], "↑↓", Action::Up, "chọn", "select", true),
    b!(ComparePick, [Down, Char('j')], "↑↓", Action::Down, "chọn", "select", false),
    b!(ComparePick, [Enter], "Enter", Action::Choose, "so sánh", "compare", true),
    b!(ComparePick, [Esc], "Esc", Action::Back, "đóng", "close", true),
    b!(Compare, [Up, Char('k')], "↑↓", Action::Up, "cuộn", "scroll", true),
    b!(Compare, [Down, Char('j')], "↑↓", Action::Down, "cuộn", "scroll", false),
    b!(Compare, [PageUp], "PgUp", Action::PageUp, "trang trước", "page up", false),
    b!(Compare, [PageDown, Char(' ')], "PgDn", Action::PageDown, "trang sau", "page down", false),
    b!(Compare, [Esc, Char('q'), Char('c')], "Esc", Action::Back, "đóng", "close", true),
    b!(Notice, [Esc, Enter, Char('q')], "Enter", Action::Back, "đã hiểu", "OK", true),
    b!(OpenPath, [Enter], "Enter", Action::Submit, "mở", "open", true),
    b!(OpenPath, [Esc], "Esc", Action::Back, "hủy", "cancel", true),
    b!(Evidence, [Up, BackTab], "↑↓", Action::Up, "trường", "field", true),
    b!(Evidence, [Down, Tab], "↑↓", Action::Down, "trường", "field", false),
    b!(Evidence, [Ctrl('n')], "Ctrl-N", Action::ChoiceNext, "đổi loại / mức", "change kind / grade", true),
    b!(Evidence, [Ctrl('p')], "Ctrl-P", Action::ChoicePrev, "đổi loại / mức", "change kind / grade", false),
    b!(Evidence, [Enter], "Enter", Action::Submit, "tiếp / lưu", "next / save", true),
    b!(Evidence, [Esc], "Esc", Action::Back, "hủy", "cancel", true),
    b!(Sources, [Up, Char('k')], "↑↓", Action::Up, "cuộn", "scroll", true),
    b!(Sources, [Down, Char('j')], "↑↓", Action::Down, "cuộn", "scroll", false),
    b!(Sources, [Char('a')], "a", Action::ToggleDetail, "số dòng cho người kiểm tra", "line numbers for auditors", true),
    b!(Sources, [Esc, Char('i'), Char('q')], "Esc", Action::Back, "đóng", "close", true),
    b!(ReadAloud, [Up, Char('k')], "↑↓", Action::Up, "cuộn", "scroll", true),
    b!(ReadAloud, [Down, Char('j')], "↑↓", Action::Down, "cuộn", "scroll", false),
    b!(ReadAloud, [PageUp], "PgUp", Action::PageUp, "trang trước", "page up", false),
    b!(ReadAloud, [PageDown, Char(' ')], "PgDn", Action::PageDown, "trang sau", "page down", false),
    b!(ReadAloud, [Right, Tab], "→", Action::NextQuestion, "câu sau", "next question", true),
    b!(ReadAloud, [Left, BackTab], "←", Action::PrevQuestion, "câu trước", "previous question", true),
    b!(ReadAloud, [Char('0')], "0-4", Action::Level(0), "chọn mức", "pick a level", true),
    b!(ReadAloud, [Char('1')], "1-9", Action::Toggle(0), "đánh dấu lựa chọn", "tick an option", false),
    b!(ReadAloud, [Char('2')], "", Action::Toggle(1), "", "", false),
    b!(ReadAloud, [Char('3')], "", Action::Toggle(2), "", "", false),
    b!(ReadAloud, [Char('4')], "", Action::Toggle(3), "", "", false),
    b!(ReadAloud, [Char('5')], "", Action::Toggle(4), "", "", false),
    b!(ReadAloud, [Char('6')], "", Action::Toggle(5), "", "", false),
    b!(ReadAloud, [Char('7')], "", Action::Toggle(6), "", "", false),
    b!(ReadAloud, [Char('8')], "", Action::Toggle(7), "", "", false),
    b!(ReadAloud, [Char('9')], "", Action::Toggle(8), "", "", false),
    b!(ReadAloud, [Char('y'), Char('c')], "y/c", Action::Yes, "có", "yes", false),
    b!(ReadAloud, [Char('p'), Char('m')], "p/m", Action::Partly, "một phần", "partly", false),
    b!(ReadAloud, [Char('n')], "n", Action::No, "không", "no", false),
    b!(ReadAloud, [Char('a')], "a", Action::NotApplicable, "không áp dụng", "not applicable", false),
    b!(ReadAloud, [Char('b')], "b", Action::DontKnow, "không biết", "don't know", false),
    b!(ReadAloud, [Char('f')], "f", Action::ToggleMark, "đánh dấu xem lại", "mark for review", false),
    b!(ReadAloud, [Char('o')], "o", Action::ConfirmCarried, "xác nhận câu mang sang", "confirm the carried answer", false),
    b!(ReadAloud, [Char('w')], "w", Action::CycleRespondent, "ai trả lời", "who answered", false),
    b!(ReadAloud, [Char('t')], "t", Action::CycleBasis, "cách biết", "how known", false),
    b!(ReadAloud, [Esc, Char('z'), Char('q')], "Esc", Action::Back, "đóng", "close", true),
    b!(Search, [Up], "↑↓", Action::Up, "chọn", "select", true),
    b!(Search, [Down], "↑↓", Action::Down, "chọn", "select", false),
    b!(Search, [Enter], "Enter", Action::Choose, "đến câu hỏi", "go to question", true),
    b!(Search, [Tab], "Tab", Action::Filter, "lọc", "filter", true),
    b!(Search, [Esc], "Esc", Action::Back, "đóng", "close", true),
];

/// The action of `key` in `ctx`: the context's own binding first, then the global ones (not
/// in contexts that take text, nor in modal overlays that must be answered).
pub fn lookup(ctx: Ctx, key: Key) -> Option<Action> {
    let own = BINDINGS
        .iter()
        .find(|b| b.ctx == ctx && b.keys.contains(&key))
        .map(|b| (b.action)());
    if own.is_some() {
        return own;
    }
    // The reconcile screen answers with the question screen's answer keys.
    if ctx == Ctx::Reconcile {
        let answer = BINDINGS
            .iter()
            .find(|b| b.ctx == Ctx::Question && b.keys.contains(&key))
            .map(|b| (b.action)())
            .filter(is_answer_action);
        if answer.is_some() {
            return answer;
        }
    }
    let globals = !ctx.takes_text() && !matches!(ctx, Ctx::Confirm | Ctx::Evidence | Ctx::Profile);
    let global = BINDINGS
        .iter()
        .filter(|b| b.ctx == Ctx::Global)
        .find(|b| b.keys.contains(&key) && (globals || matches!(b.keys[0], Ctrl(_))))
        .map(|b| (b.action)());
    if global.is_some() {
        return global;
    }
    // Keys a field takes.
    match (ctx, key) {
        (
            Ctx::NumberField
            | Ctx::OpenPath
            | Ctx::Search
            | Ctx::Profile
            | Ctx::PickList
            | Ctx::Evidence,
            k,
        ) if is_edit_key(k) => Some(Action::Edit(k)),
        (Ctx::Editor, k) if is_edit_key(k) || matches!(k, Enter | Up | Down | Tab) => {
            Some(Action::Edit(k))
        }
        _ => None,
    }
}

/// Actions that give an answer on the question screen (and the agreed answer when reconciling).
pub fn is_answer_action(a: &Action) -> bool {
    matches!(
        a,
        Action::Level(_)
            | Action::Toggle(_)
            | Action::Yes
            | Action::Partly
            | Action::No
            | Action::NotApplicable
            | Action::DontKnow
            | Action::Up
            | Action::Down
            | Action::Choose
    )
}

/// Keys a single-line field takes for itself.
pub fn is_edit_key(k: Key) -> bool {
    matches!(
        k,
        Char(_) | Backspace | Delete | Left | Right | Home | End | Ctrl('a' | 'e' | 'u')
    )
}

/// The footer of a context: `(keys, description)` in table order, one entry per label.
pub fn footer(
    ctx: Ctx,
    lang: Lang,
    extra: &[Ctx],
    keep: impl Fn(&Action) -> bool,
) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = vec![];
    // The context's own keys first, then the ones that work everywhere.
    let own = BINDINGS.iter().filter(|b| b.ctx == ctx);
    let others = BINDINGS
        .iter()
        .filter(|b| b.ctx != ctx && extra.contains(&b.ctx));
    for b in own
        .chain(others)
        .filter(|b| b.footer && keep(&(b.action)()))
    {
        if !out.iter().any(|(l, _)| *l == b.label) {
            out.push((b.label, b.describe(lang)));
        }
    }
    out
}

/// Every context with its documented bindings (label and description), for the help screen
/// and the README.
pub fn help(lang: Lang) -> Vec<(Ctx, Vec<(&'static str, &'static str)>)> {
    let mut out: Vec<(Ctx, Vec<(&'static str, &'static str)>)> = vec![];
    for b in BINDINGS.iter().filter(|b| !b.label.is_empty()) {
        let entry = match out.iter_mut().find(|(c, _)| *c == b.ctx) {
            Some(e) => e,
            None => {
                out.push((b.ctx, vec![]));
                out.last_mut().expect("just pushed")
            }
        };
        if !entry.1.iter().any(|(l, _)| *l == b.label) {
            entry.1.push((b.label, b.describe(lang)));
        }
    }
    out
}

/// The README's key table in English (checked by a test so the README cannot drift).
pub fn markdown_table() -> String {
    let mut s = String::from("| where | keys | action |\n|---|---|---|\n");
    for (ctx, rows) in help(Lang::En) {
        for (label, desc) in rows {
            s.push_str(&format!(
                "| {} | `{}` | {} |\n",
                ctx.title(Lang::En),
                label.replace('|', "\\|"),
                desc
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_in_fields_are_text_not_commands() {
        for c in "khoảng 70 abc 1e2 hdqx".chars() {
            assert_eq!(
                lookup(Ctx::NumberField, Char(c)),
                Some(Action::Edit(Char(c)))
            );
            assert_eq!(lookup(Ctx::Search, Char(c)), Some(Action::Edit(Char(c))));
            assert_eq!(lookup(Ctx::Editor, Char(c)), Some(Action::Edit(Char(c))));
            assert_eq!(lookup(Ctx::PickList, Char(c)), Some(Action::Edit(Char(c))));
        }
        assert_eq!(
            lookup(Ctx::NumberField, Char('?')),
            Some(Action::Edit(Char('?')))
        );
        assert_eq!(lookup(Ctx::NumberField, Ctrl('c')), Some(Action::Quit));
        assert_eq!(lookup(Ctx::Question, Char('h')), Some(Action::Profile));
    }

    #[test]
    fn every_context_has_a_way_out_and_its_footer_from_the_table() {
        for ctx in [
            Ctx::Home,
            Ctx::Choose,
            Ctx::Profile,
            Ctx::PickList,
            Ctx::NumberField,
            Ctx::Editor,
            Ctx::Review,
            Ctx::Results,
            Ctx::Help,
            Ctx::Why,
            Ctx::Sections,
            Ctx::Confirm,
            Ctx::ComparePick,
            Ctx::Compare,
            Ctx::Notice,
            Ctx::OpenPath,
            Ctx::Evidence,
            Ctx::Search,
            Ctx::Sources,
            Ctx::Reconcile,
            Ctx::ReadAloud,
        ] {
            assert!(lookup(ctx, Esc).is_some(), "{ctx:?} has no Esc");
            assert!(!footer(ctx, Lang::Vi, &[], |_| true).is_empty(), "{ctx:?}");
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.ctx == b.ctx {
                    for k in a.keys {
                        assert!(!b.keys.contains(k), "{:?} {k:?} bound twice", a.ctx);
                    }
                }
            }
        }
    }
}
