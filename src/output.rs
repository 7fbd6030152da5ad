//! Writing what the commands produce: the `-o` guard that never lets an output destroy an input,
//! and CSV that is safe to open in a spreadsheet (formula injection neutralised, a delimiter and
//! byte-order mark that suit Excel).

use crate::i18n::{Lang, tr};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Marks every HTML file we write, so `-o` knows it may replace it.
pub const HTML_GENERATOR: &str = "<meta name=\"generator\" content=\"sansang\">";

/// Footer line of every Markdown and text file we write (same purpose).
pub const TEXT_FOOTER: &str = "sansang";

/// Author stored in the document properties of every workbook we write.
pub const XLSX_AUTHOR: &str = "sansang";

/// Where an output may go.
#[derive(Debug, Clone, Default)]
pub struct Guard {
    /// Files and folders the command reads.
    pub inputs: Vec<PathBuf>,
    /// Folders whose files are assessments (the data folder's `assessments` and `rooms`).
    pub protected: Vec<PathBuf>,
    /// Replace an existing file that is not ours.
    pub force: bool,
}

/// Why `-o` refused a path.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    IsInput(PathBuf),
    InsideInput { output: PathBuf, input: PathBuf },
    Protected { output: PathBuf, folder: PathBuf },
    Locked(PathBuf),
    NotAFile(PathBuf),
    NotOurs(PathBuf),
}

impl Refusal {
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Refusal::IsInput(p) => format!(
                "{}: {} {}",
                p.display(),
                tr(
                    lang,
                    "tệp này là đầu vào của lệnh, không ghi đè lên nó.",
                    "this file is one of the command's inputs; it is not overwritten."
                ),
                tr(
                    lang,
                    "Hãy chọn tên khác cho -o, ví dụ bao-cao.html.",
                    "Choose another name for -o, e.g. report.html."
                )
            ),
            Refusal::InsideInput { output, input } => format!(
                "{}: {} {}. {}",
                output.display(),
                tr(
                    lang,
                    "tệp nằm trong thư mục đầu vào",
                    "the file is inside the input folder"
                ),
                input.display(),
                tr(
                    lang,
                    "Hãy ghi ra thư mục khác.",
                    "Write it to another folder."
                )
            ),
            Refusal::Protected { output, folder } => format!(
                "{}: {} {}. {}",
                output.display(),
                tr(
                    lang,
                    "không ghi vào thư mục lưu bản đánh giá",
                    "nothing is written into the assessments folder"
                ),
                folder.display(),
                tr(
                    lang,
                    "Hãy ghi ra thư mục khác, ví dụ <thư mục dữ liệu>/reports.",
                    "Write it elsewhere, e.g. <data folder>/reports."
                )
            ),
            Refusal::Locked(p) => format!(
                "{}: {} {}",
                p.display(),
                tr(
                    lang,
                    "tệp đang được mở để sửa trong sansang, không ghi đè.",
                    "the file is open for editing in sansang; it is not overwritten."
                ),
                tr(
                    lang,
                    "Hãy chọn tên khác cho -o.",
                    "Choose another name for -o."
                )
            ),
            Refusal::NotAFile(p) => format!(
                "{}: {} {}",
                p.display(),
                tr(
                    lang,
                    "không phải tệp thường (thư mục, FIFO hoặc thiết bị).",
                    "is not a regular file (a folder, FIFO or device)."
                ),
                tr(
                    lang,
                    "Hãy cho -o tên một tệp.",
                    "Give -o the name of a file."
                )
            ),
            Refusal::NotOurs(p) => format!(
                "{}: {} {}",
                p.display(),
                tr(
                    lang,
                    "tệp đã có và không phải do sansang tạo ra, không ghi đè.",
                    "the file exists and was not written by sansang; it is not overwritten."
                ),
                tr(
                    lang,
                    "Hãy chọn tên khác, hoặc thêm --force để thay thế nó.",
                    "Choose another name, or add --force to replace it."
                )
            ),
        }
    }
}

/// The path with symbolic links resolved, also when it (or some of its folders) does not exist
/// yet: the nearest existing ancestor is resolved and the rest appended.
fn resolved(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    // `..` after a folder that does not exist yet is taken lexically.
    let mut normal = PathBuf::new();
    for c in absolute.components() {
        match c {
            std::path::Component::ParentDir => {
                normal.pop();
            }
            std::path::Component::CurDir => {}
            c => normal.push(c),
        }
    }
    let absolute = normal;
    let mut rest = Vec::new();
    let mut base = absolute.as_path();
    loop {
        match (std::fs::canonicalize(base), base.file_name(), base.parent()) {
            (Ok(c), _, _) => {
                return rest.iter().rev().fold(c, |acc: PathBuf, n| acc.join(n));
            }
            (Err(_), Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            _ => return absolute,
        }
    }
}

impl Guard {
    /// Says whether `out` may be written, or why not.
    pub fn check(&self, out: &Path) -> Result<(), Refusal> {
        let target = resolved(out);
        for input in &self.inputs {
            let i = resolved(input);
            if i == target {
                return Err(Refusal::IsInput(out.to_path_buf()));
            }
            if i.is_dir() && target.starts_with(&i) {
                return Err(Refusal::InsideInput {
                    output: out.to_path_buf(),
                    input: input.clone(),
                });
            }
        }
        for folder in &self.protected {
            let f = resolved(folder);
            if target.starts_with(&f) {
                return Err(Refusal::Protected {
                    output: out.to_path_buf(),
                    folder: folder.clone(),
                });
            }
        }
        let Ok(meta) = std::fs::metadata(&target) else {
            return Ok(());
        };
        if !meta.is_file() {
            return Err(Refusal::NotAFile(out.to_path_buf()));
        }
        if is_locked(&target) {
            return Err(Refusal::Locked(out.to_path_buf()));
        }
        if !self.force && !is_ours(&target) {
            return Err(Refusal::NotOurs(out.to_path_buf()));
        }
        Ok(())
    }
}

/// Whether another process holds the store's edit lock on `path`.
fn is_locked(path: &Path) -> bool {
    let lp = crate::assessment::store::lock_path(path);
    let Ok(f) = std::fs::OpenOptions::new().read(true).write(true).open(&lp) else {
        return false;
    };
    match f.try_lock() {
        Ok(()) => {
            let _ = f.unlock();
            false
        }
        Err(std::fs::TryLockError::WouldBlock) => true,
        Err(std::fs::TryLockError::Error(_)) => false,
    }
}

/// Top-level keys that only our JSON outputs have.
const JSON_MARKERS: [&str; 5] = [
    "reconcile_version",
    "report_version",
    "export_version",
    "aggregate_version",
    "compare_version",
];

/// Whether an existing file is one of our outputs (so replacing it loses nothing of the user's).
pub fn is_ours(path: &Path) -> bool {
    const LARGEST: u64 = 64 * 1024 * 1024;
    let mut head = Vec::new();
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    // Our outputs are far smaller; a larger file is not one (and is not read).
    if f.metadata().map_or(true, |m| m.len() > LARGEST) {
        return false;
    }
    if f.take(LARGEST).read_to_end(&mut head).is_err() {
        return false;
    }
    if head.is_empty() {
        return true;
    }
    if head.starts_with(b"PK") {
        return xlsx_is_ours(path);
    }
    let Ok(text) = std::str::from_utf8(&head) else {
        return false;
    };
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        return serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| {
            v.as_object().is_some_and(|o| {
                (JSON_MARKERS.iter().any(|k| o.contains_key(*k)) && !o.contains_key("answers"))
                    // An anonymised copy is derived from an assessment: replacing it loses nothing.
                    || o.get("anonymised") == Some(&serde_json::Value::Bool(true))
            })
        });
    }
    if text.contains(HTML_GENERATOR) {
        return true;
    }
    let first = text.lines().next().unwrap_or_default();
    if csv_headers().iter().any(|h| first.starts_with(h.as_str())) {
        return true;
    }
    text.trim_end()
        .lines()
        .last()
        .is_some_and(|l| l.contains(TEXT_FOOTER))
}

fn xlsx_is_ours(path: &Path) -> bool {
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(mut z) = zip::ZipArchive::new(f) else {
        return false;
    };
    let Ok(core) = z.by_name("docProps/core.xml") else {
        return false;
    };
    let mut s = String::new();
    core.take(1024 * 1024).read_to_string(&mut s).is_ok()
        && s.contains(&format!("<dc:creator>{XLSX_AUTHOR}</dc:creator>"))
}

/// The first cells of every CSV header we write, in both languages and with both delimiters.
fn csv_headers() -> Vec<String> {
    let mut out = Vec::new();
    for lang in [Lang::Vi, Lang::En] {
        for d in [b',', b';'] {
            for h in [
                crate::export::csv_head(lang),
                crate::aggregate::csv_head(lang),
            ] {
                let opts = CsvOptions {
                    bom: false,
                    delimiter: d,
                };
                let line = write_csv(&[h.iter().take(3).map(|s| s.to_string()).collect()], &opts);
                out.push(line.trim_end().to_string());
            }
        }
    }
    out
}

/// How CSV is written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CsvOptions {
    /// A UTF-8 byte-order mark first, so Excel reads Vietnamese correctly.
    pub bom: bool,
    /// `,` (default) or `;` (Excel with Vietnamese or other regional settings where the decimal
    /// separator is a comma; numbers are then written with a decimal comma).
    pub delimiter: u8,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            bom: false,
            delimiter: b',',
        }
    }
}

impl CsvOptions {
    /// A number as this CSV's readers expect it ("72.5", or "72,5" with `;`).
    pub fn number(&self, v: Option<f64>) -> String {
        let Some(v) = v else {
            return String::new();
        };
        let s = format!("{:.2}", (v * 100.0).round() / 100.0);
        let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
        let s = if s == "-0" { "0".to_string() } else { s };
        if self.delimiter == b';' {
            s.replace('.', ",")
        } else {
            s
        }
    }
}

/// A text cell that a spreadsheet will not run as a formula: cells beginning with `=`, `+`, `-`,
/// `@`, tab or carriage return get a leading apostrophe (OWASP's rule for CSV injection).
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Writes rows (cells already neutralised where they are text) as CSV.
pub fn write_csv(rows: &[Vec<String>], opts: &CsvOptions) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(opts.delimiter)
        .from_writer(Vec::new());
    for r in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(r);
    }
    let bytes = w.into_inner().map(|v| v.to_vec()).unwrap_or_default();
    let mut s = if opts.bom {
        "\u{feff}".to_string()
    } else {
        String::new()
    };
    s.push_str(&String::from_utf8_lossy(&bytes));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owasp_prefixes_are_neutralised() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        for ok in ["Sở", "1", "", " =x", "a=b"] {
            assert_eq!(neutralise(ok), ok);
        }
    }

    #[test]
    fn paths_not_yet_made_resolve_through_their_existing_folders() {
        let d = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(d.path()).unwrap();
        let g = Guard {
            protected: vec![d.path().join("data/assessments")],
            ..Default::default()
        };
        // Neither folder exists yet; the spelling differs (`x/..`).
        let out = d.path().join("x/../data/assessments/new/r.html");
        assert!(matches!(g.check(&out), Err(Refusal::Protected { .. })));
        assert_eq!(
            resolved(&d.path().join("a/b/c.txt")),
            real.join("a/b/c.txt")
        );
    }

    #[test]
    fn numbers_follow_the_delimiter() {
        let comma = CsvOptions::default();
        let semi = CsvOptions {
            bom: false,
            delimiter: b';',
        };
        assert_eq!(comma.number(Some(72.5)), "72.5");
        assert_eq!(semi.number(Some(72.5)), "72,5");
        assert_eq!(semi.number(Some(40.0)), "40");
        assert_eq!(semi.number(None), "");
    }
}
