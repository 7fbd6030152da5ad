//! File-system helpers shared by every reader and writer: bounded reads of regular files only,
//! and private permissions (files 0600, folders 0700 on Unix) from one place.
//!
//! Size caps, per kind of file (documented in the README):
//!
//! | kind | cap |
//! |---|---|
//! | assessment | 64 MB |
//! | questionnaire | 16 MB |
//! | glossary | 4 MB |
//! | settings, keys | 1 MB |
//!
//! A reader checks, before reading a byte, that the path is a regular file (not a folder, FIFO,
//! socket or device such as `/dev/zero`, which would block or never end) and that its size is
//! under the cap; it then reads at most the cap, so a file growing meanwhile cannot exhaust memory.

use crate::i18n::{Lang, tr};
use std::io::Read;
use std::path::Path;

/// The largest file of each kind that is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Assessment,
    Questionnaire,
    Glossary,
    Settings,
}

impl Kind {
    pub const fn cap(self) -> u64 {
        const MB: u64 = 1024 * 1024;
        match self {
            Kind::Assessment => 64 * MB,
            Kind::Questionnaire => 16 * MB,
            Kind::Glossary => 4 * MB,
            Kind::Settings => MB,
        }
    }

    fn name(self, lang: Lang) -> &'static str {
        match self {
            Kind::Assessment => tr(lang, "tệp đánh giá", "an assessment file"),
            Kind::Questionnaire => tr(lang, "tệp bộ câu hỏi", "a questionnaire file"),
            Kind::Glossary => tr(lang, "tệp thuật ngữ", "a glossary file"),
            Kind::Settings => tr(lang, "tệp cài đặt", "a settings file"),
        }
    }
}

/// What a path is when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotFile {
    Folder,
    Fifo,
    Device,
    Socket,
    Other,
}

impl NotFile {
    fn of(t: std::fs::FileType) -> Option<NotFile> {
        if t.is_file() {
            return None;
        }
        if t.is_dir() {
            return Some(NotFile::Folder);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_fifo() {
                return Some(NotFile::Fifo);
            }
            if t.is_char_device() || t.is_block_device() {
                return Some(NotFile::Device);
            }
            if t.is_socket() {
                return Some(NotFile::Socket);
            }
        }
        Some(NotFile::Other)
    }

    fn name(self, lang: Lang) -> &'static str {
        match self {
            NotFile::Folder => tr(lang, "một thư mục", "a folder"),
            NotFile::Fifo => tr(lang, "một ống dẫn (FIFO)", "a pipe (FIFO)"),
            NotFile::Device => tr(lang, "một thiết bị", "a device"),
            NotFile::Socket => tr(lang, "một socket", "a socket"),
            NotFile::Other => tr(lang, "không phải tệp thường", "not a regular file"),
        }
    }
}

/// Why a bounded read failed.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    NotAFile(NotFile),
    TooLarge { size: u64, cap: u64 },
    NotUtf8 { offset: usize },
}

impl ReadError {
    /// The reason, then the fix, in one language; the caller puts the path in front.
    pub fn reason(&self, kind: Kind, lang: Lang) -> (String, String) {
        match self {
            ReadError::Io(e) => (
                io_reason(e, lang),
                match e.kind() {
                    std::io::ErrorKind::NotFound => {
                        tr(lang, "kiểm tra đường dẫn", "check the path").to_string()
                    }
                    std::io::ErrorKind::PermissionDenied => tr(
                        lang,
                        "kiểm tra quyền đọc tệp",
                        "check the file's read permission",
                    )
                    .to_string(),
                    _ => tr(
                        lang,
                        "kiểm tra đường dẫn và quyền đọc",
                        "check the path and read permission",
                    )
                    .to_string(),
                },
            ),
            ReadError::NotAFile(what) => (
                format!("{} {}", tr(lang, "đây là", "this is"), what.name(lang)),
                format!("{} {}", tr(lang, "chỉ định", "give"), kind.name(lang)),
            ),
            ReadError::TooLarge { size, cap } => (
                format!(
                    "{} {} MB, {} {} MB",
                    tr(lang, "tệp quá lớn:", "the file is too large:"),
                    crate::locale::number((*size as f64 / 1_048_576.0).ceil(), lang),
                    tr(
                        lang,
                        "giới hạn cho loại tệp này là",
                        "the limit for this kind is"
                    ),
                    crate::locale::number((*cap / 1_048_576) as f64, lang),
                ),
                format!(
                    "{} {}",
                    tr(
                        lang,
                        "kiểm tra rằng đây đúng là",
                        "check that this really is"
                    ),
                    kind.name(lang)
                ),
            ),
            ReadError::NotUtf8 { offset } => (
                format!(
                    "{} {offset}",
                    tr(
                        lang,
                        "tệp không phải văn bản UTF-8, từ byte",
                        "the file is not UTF-8 text, from byte"
                    )
                ),
                tr(
                    lang,
                    "lưu lại tệp với mã hóa UTF-8",
                    "save the file again as UTF-8",
                )
                .to_string(),
            ),
        }
    }

    /// `path: reason`, then the fix on its own line.
    pub fn render(&self, path: &Path, kind: Kind, lang: Lang) -> String {
        let (reason, fix) = self.reason(kind, lang);
        format!(
            "{}: {reason}\n    {}: {fix}",
            path.display(),
            tr(lang, "Cách sửa", "Fix")
        )
    }
}

/// An input/output error's reason in the user's language (the operating system's own text,
/// which is English, only for uncommon errors).
pub fn io_reason(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind as K;
    let s = match e.kind() {
        K::NotFound => tr(lang, "không tồn tại", "does not exist"),
        K::PermissionDenied => tr(lang, "không có quyền truy cập", "permission denied"),
        K::StorageFull => tr(lang, "hết dung lượng đĩa", "no space left on device"),
        K::QuotaExceeded => tr(lang, "vượt hạn mức đĩa", "disk quota exceeded"),
        K::ReadOnlyFilesystem => tr(lang, "ổ đĩa chỉ đọc", "read-only file system"),
        K::AlreadyExists => tr(lang, "đã tồn tại", "already exists"),
        K::IsADirectory => tr(lang, "đây là một thư mục", "is a folder"),
        K::NotADirectory => tr(
            lang,
            "một phần của đường dẫn không phải thư mục",
            "a part of the path is not a folder",
        ),
        K::InvalidData => tr(lang, "dữ liệu không hợp lệ", "invalid data"),
        K::Interrupted => tr(lang, "bị ngắt", "interrupted"),
        K::FileTooLarge => tr(lang, "tệp quá lớn", "file too large"),
        K::CrossesDevices => tr(lang, "khác ổ đĩa", "crosses devices"),
        K::TooManyLinks => tr(lang, "quá nhiều liên kết", "too many links"),
        K::InvalidFilename => tr(lang, "tên tệp không hợp lệ", "invalid file name"),
        K::OutOfMemory => tr(lang, "hết bộ nhớ", "out of memory"),
        _ => {
            return match lang {
                // The code, not the English text, keeps the message in one language.
                Lang::Vi => match e.raw_os_error() {
                    Some(code) => format!("lỗi hệ thống (mã {code})"),
                    None => "lỗi vào/ra".to_string(),
                },
                Lang::En => e.to_string(),
            };
        }
    };
    s.to_string()
}

/// Checks that `path` is a regular file no larger than `cap`, without opening it (opening a FIFO
/// would block), and returns its size.
pub fn check_regular(path: &Path, cap: u64) -> Result<u64, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if let Some(what) = NotFile::of(meta.file_type()) {
        return Err(ReadError::NotAFile(what));
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            cap,
        });
    }
    Ok(meta.len())
}

/// Reads a regular file of at most `cap` bytes into `buf` (cleared first).
///
/// On Unix the file is opened without waiting (`O_NONBLOCK`: opening a FIFO with no writer
/// returns at once instead of blocking; `O_NOCTTY`: a terminal is never made the controlling one)
/// and what was opened is checked on its descriptor: one system call fewer than a check of the
/// path before opening, and no window in which the path can be swapped. Elsewhere the path is
/// checked first, as a pipe could block the open.
pub fn read_into(path: &Path, cap: u64, buf: &mut Vec<u8>) -> Result<(), ReadError> {
    buf.clear();
    #[cfg(not(unix))]
    check_regular(path, cap)?;
    let f = match open_for_reading(path) {
        Ok(f) => f,
        // What cannot be opened (a socket, a FIFO one may not read) is named as the check of the
        // path names it; anything else is the error of the open.
        Err(e) => {
            return Err(
                match std::fs::metadata(path).map(|m| NotFile::of(m.file_type())) {
                    Ok(Some(what)) => ReadError::NotAFile(what),
                    _ => ReadError::Io(e),
                },
            );
        }
    };
    let meta = f.metadata().map_err(ReadError::Io)?;
    if let Some(what) = NotFile::of(meta.file_type()) {
        return Err(ReadError::NotAFile(what));
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            cap,
        });
    }
    buf.reserve(meta.len() as usize);
    f.take(cap + 1).read_to_end(buf).map_err(ReadError::Io)?;
    if buf.len() as u64 > cap {
        return Err(ReadError::TooLarge {
            size: buf.len() as u64,
            cap,
        });
    }
    Ok(())
}

fn open_for_reading(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut o, libc::O_NONBLOCK | libc::O_NOCTTY);
    o.open(path)
}

/// Reads a regular file of at most `cap` bytes.
pub fn read_bytes(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let mut buf = Vec::new();
    read_into(path, cap, &mut buf)?;
    Ok(buf)
}

/// Reads a regular UTF-8 text file of at most `cap` bytes.
pub fn read_text(path: &Path, cap: u64) -> Result<String, ReadError> {
    let bytes = read_bytes(path, cap)?;
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

/// Creates a folder and its missing parents, private to this user (0700 on Unix; on other
/// systems the folder inherits its parent's access rules).
pub fn create_private_dir_all(path: &Path) -> std::io::Result<()> {
    if path.as_os_str().is_empty() || path.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(path)
}

/// Options that create a file private to this user (0600 on Unix) from the start, so it is never
/// briefly readable by others.
pub fn private_file_options() -> std::fs::OpenOptions {
    #[allow(unused_mut)]
    let mut o = std::fs::OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o
}

/// Options for an atomic save whose result is private to this user (0600 on Unix, whatever the
/// previous file's mode was).
pub fn private_atomic_options() -> atomic_write_file::OpenOptions {
    #[allow(unused_mut)]
    let mut o = atomic_write_file::AtomicWriteFile::options();
    #[cfg(unix)]
    {
        use atomic_write_file::unix::OpenOptionsExt as _;
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        o.preserve_mode(false);
    }
    o
}

/// The access rights bits of a file or folder (Unix), for checks such as "not readable by others".
#[cfg(unix)]
pub fn mode(path: &Path) -> std::io::Result<u32> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::metadata(path)?.permissions().mode() & 0o777)
}

/// serde's names of JSON types and Rust types, in Vietnamese.
fn vi_type(t: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("a string", "chuỗi ký tự"),
        ("string", "chuỗi"),
        ("a boolean", "true hoặc false"),
        ("boolean", "giá trị đúng/sai"),
        ("integer", "số nguyên"),
        ("floating point", "số thực"),
        ("a sequence", "danh sách"),
        ("sequence", "danh sách"),
        ("a map", "đối tượng"),
        ("map", "đối tượng"),
        ("null", "null"),
        ("unit value", "giá trị rỗng"),
        ("struct ", "đối tượng "),
        ("internally tagged enum ", "đối tượng có trường kind "),
        ("u8", "số nguyên 0..255"),
        ("u32", "số nguyên không âm"),
        ("u64", "số nguyên không âm"),
        ("f64", "số"),
        ("one of", "một trong"),
        ("variant identifier", "tên phương án"),
        ("a number or a string", "số hoặc chuỗi"),
    ];
    for (en, vi) in WORDS {
        if let Some(rest) = t.strip_prefix(en) {
            return format!("{vi}{rest}");
        }
    }
    t.to_string()
}

/// serde's message in the user's language for the common cases (its text is English).
pub fn json_message(message: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return message.to_string();
    }
    // "invalid type: integer `5`, expected a string at line 3 column 4" and the like.
    let m = message.split(" at line ").next().unwrap_or(message);
    if let Some(rest) = m.strip_prefix("missing field ") {
        return format!("thiếu trường {rest}");
    }
    if let Some(rest) = m.strip_prefix("unknown field ") {
        let name = rest.split(',').next().unwrap_or(rest);
        return format!("trường không được biết {name}");
    }
    if let Some(rest) = m.strip_prefix("duplicate field ") {
        return format!("trường bị lặp {rest}");
    }
    if let Some(rest) = m.strip_prefix("invalid type: ") {
        let (got, want) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return format!(
            "sai kiểu dữ liệu: có {}, cần {}",
            vi_type(got),
            vi_type(want)
        );
    }
    if let Some(rest) = m.strip_prefix("invalid value: ") {
        let (got, want) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return format!(
            "giá trị không hợp lệ: có {}, cần {}",
            vi_type(got),
            vi_type(want)
        );
    }
    if let Some(rest) = m.strip_prefix("unknown variant ") {
        let (got, want) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return format!("giá trị không hợp lệ {got}, cần {}", vi_type(want));
    }
    if m.starts_with("EOF while parsing") {
        return "tệp kết thúc giữa chừng (bị cắt cụt)".into();
    }
    if m.starts_with("trailing") {
        return "có ký tự thừa sau phần JSON".into();
    }
    if m.starts_with("expected")
        || m.starts_with("key must be")
        || m.starts_with("control character")
    {
        return format!("lỗi cú pháp JSON ({m})");
    }
    format!("lỗi cấu trúc ({m})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_devices_and_big_files_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_bytes(dir.path(), 10),
            Err(ReadError::NotAFile(NotFile::Folder))
        ));
        let big = dir.path().join("big.json");
        std::fs::write(&big, vec![b' '; 11]).unwrap();
        assert!(matches!(
            read_bytes(&big, 10),
            Err(ReadError::TooLarge { size: 11, cap: 10 })
        ));
        assert_eq!(read_bytes(&big, 11).unwrap().len(), 11);
        #[cfg(unix)]
        assert!(matches!(
            read_bytes(Path::new("/dev/zero"), 10),
            Err(ReadError::NotAFile(NotFile::Device))
        ));
    }

    /// A FIFO with no writer is refused at once (opened without waiting, then checked), a socket
    /// (which cannot be opened) is named as one, and a file that cannot be read says why.
    #[cfg(unix)]
    #[test]
    fn fifos_and_sockets_are_named_and_never_block() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.json");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(
            read_bytes(&fifo, 10),
            Err(ReadError::NotAFile(NotFile::Fifo))
        ));
        let sock = dir.path().join("s.json");
        let _listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
        assert!(matches!(
            read_bytes(&sock, 10),
            Err(ReadError::NotAFile(NotFile::Socket))
        ));
        assert!(matches!(
            read_bytes(&dir.path().join("gone.json"), 10),
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound
        ));
    }

    #[test]
    fn messages_are_in_one_language() {
        let e = ReadError::Io(std::io::Error::from(std::io::ErrorKind::StorageFull));
        let (vi, _) = e.reason(Kind::Assessment, Lang::Vi);
        assert_eq!(vi, "hết dung lượng đĩa");
        let (en, _) = e.reason(Kind::Assessment, Lang::En);
        assert_eq!(en, "no space left on device");
    }

    #[cfg(unix)]
    #[test]
    fn private_folders_and_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("a/b");
        create_private_dir_all(&d).unwrap();
        assert_eq!(mode(&d).unwrap(), 0o700);
        assert_eq!(mode(&dir.path().join("a")).unwrap(), 0o700);
        let f = d.join("x");
        private_file_options()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&f)
            .unwrap();
        assert_eq!(mode(&f).unwrap(), 0o600);
    }
}
