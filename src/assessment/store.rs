//! Assessment files on disk: deterministic JSON, atomic saves, one writer at a time, and loading
//! that never panics, never trusts stored scores and never drops an answer.

use super::migrate;
use super::model::*;
use crate::i18n::{Lang, tr};
use crate::questionnaire::{Catalog, Entry, Questionnaire};
use crate::scoring;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The assessment file as written to disk.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentFile {
    pub format_version: u32,
    pub questionnaire: QuestionnaireRef,
    pub profile: BTreeMap<String, ProfileValue>,
    pub answers: BTreeMap<String, Answer>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub orphaned: BTreeMap<String, Answer>,
    pub created_at: String,
    pub updated_at: String,
    /// Computed when saved, for other tools to read; recomputed on load, never trusted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<scoring::Summary>,
}

#[derive(Debug)]
pub enum StoreError {
    Io {
        path: PathBuf,
        action: &'static str,
        error: std::io::Error,
    },
    Malformed {
        path: PathBuf,
        line: usize,
        column: usize,
        json_path: String,
        message: String,
    },
    NewerFormat {
        path: PathBuf,
        found: u64,
    },
    UnknownQuestionnaire {
        path: PathBuf,
        id: String,
    },
    Locked {
        path: PathBuf,
        holder: String,
    },
}

impl StoreError {
    pub fn render(&self, lang: Lang) -> String {
        let fix = tr(lang, "Cách sửa", "Fix");
        match self {
            StoreError::Io {
                path,
                action,
                error,
            } => format!(
                "{}: {} {} ({error})\n    {fix}: {}",
                path.display(),
                tr(lang, "không thể", "could not"),
                action,
                tr(
                    lang,
                    "kiểm tra dung lượng đĩa và quyền ghi; bản lưu trước đó vẫn còn nguyên",
                    "check free disk space and permissions; the previous save is intact"
                )
            ),
            StoreError::Malformed {
                path,
                line,
                column,
                json_path,
                message,
            } => format!(
                "{}:{line}:{column}: {} {json_path}: {message}\n    {fix}: {}",
                path.display(),
                tr(
                    lang,
                    "tệp đánh giá bị hỏng hoặc không đúng cấu trúc tại",
                    "the assessment file is damaged or malformed at"
                ),
                tr(
                    lang,
                    "sửa tệp bằng trình soạn thảo hoặc khôi phục bản sao lưu; sansang không ghi đè tệp này",
                    "repair it in an editor or restore a backup; sansang will not overwrite this file"
                )
            ),
            StoreError::NewerFormat { path, found } => format!(
                "{}: {} {found} {} {FORMAT_VERSION}\n    {fix}: {}",
                path.display(),
                tr(lang, "tệp có định dạng", "the file has format"),
                tr(
                    lang,
                    "nhưng phiên bản này chỉ đọc tới",
                    "but this version reads up to"
                ),
                tr(
                    lang,
                    "cập nhật sansang lên phiên bản mới hơn",
                    "update sansang to a newer version"
                )
            ),
            StoreError::UnknownQuestionnaire { path, id } => format!(
                "{}: {} \"{id}\"\n    {fix}: {}",
                path.display(),
                tr(
                    lang,
                    "không tìm thấy bộ câu hỏi",
                    "no questionnaire with id"
                ),
                tr(
                    lang,
                    "đặt tệp bộ câu hỏi vào thư mục questionnaires trong thư mục dữ liệu",
                    "put the questionnaire file in the questionnaires folder of the data folder"
                )
            ),
            StoreError::Locked { path, holder } => format!(
                "{}: {} {holder}\n    {fix}: {}",
                path.display(),
                tr(lang, "đang được mở để sửa bởi", "is open for editing in"),
                tr(
                    lang,
                    "đóng phiên kia trước, hoặc mở tệp ở chế độ chỉ đọc (score, export)",
                    "close the other session first, or open it read-only (score, export)"
                )
            ),
        }
    }
}

/// Something worth telling the user after loading.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadNote {
    Migrated {
        from: u64,
    },
    QuestionnaireChanged {
        saved_version: String,
        current_version: String,
    },
    /// An answer kept aside: its question no longer exists or no longer accepts it.
    Orphaned {
        id: String,
        reason: String,
    },
}

impl LoadNote {
    pub fn render(&self, lang: Lang) -> String {
        match self {
            LoadNote::Migrated { from } => format!(
                "{} {from} → {FORMAT_VERSION}",
                tr(lang, "đã chuyển định dạng tệp", "migrated the file format")
            ),
            LoadNote::QuestionnaireChanged {
                saved_version,
                current_version,
            } => format!(
                "{} ({saved_version} → {current_version})",
                tr(
                    lang,
                    "bộ câu hỏi đã thay đổi kể từ lần lưu; các câu trả lời vẫn còn câu hỏi được giữ nguyên",
                    "the questionnaire changed since the last save; answers whose question still exists are kept"
                )
            ),
            LoadNote::Orphaned { id, reason } => format!(
                "{} {id}: {reason}",
                tr(
                    lang,
                    "câu trả lời được cất riêng, không tính điểm:",
                    "answer kept aside, not scored:"
                )
            ),
        }
    }
}

#[derive(Debug)]
pub struct Loaded {
    pub assessment: Assessment,
    pub questionnaire: Arc<Questionnaire>,
    pub notes: Vec<LoadNote>,
}

fn malformed(path: &Path, e: serde_path_to_error::Error<serde_json::Error>) -> StoreError {
    let json_path = e.path().to_string();
    let inner = e.into_inner();
    StoreError::Malformed {
        path: path.to_path_buf(),
        line: inner.line(),
        column: inner.column(),
        json_path,
        message: inner.to_string(),
    }
}

/// Reads and checks an assessment file against the catalog's questionnaire.
pub fn read(path: &Path, catalog: &Catalog) -> Result<Loaded, StoreError> {
    let text = std::fs::read_to_string(path).map_err(|error| StoreError::Io {
        path: path.to_path_buf(),
        action: "read",
        error,
    })?;
    parse(&text, path, catalog)
}

/// Parses assessment JSON text (named `path` in messages).
pub fn parse(text: &str, path: &Path, catalog: &Catalog) -> Result<Loaded, StoreError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let raw: serde_json::Value =
        serde_path_to_error::deserialize(&mut de).map_err(|e| malformed(path, e))?;
    let version = migrate::detect_version(&raw).unwrap_or(0);
    if version > FORMAT_VERSION as u64 {
        return Err(StoreError::NewerFormat {
            path: path.to_path_buf(),
            found: version,
        });
    }
    let qid = migrate::questionnaire_id(&raw)
        .unwrap_or_default()
        .to_string();
    let saved_version = raw
        .pointer("/questionnaire/version")
        .or_else(|| raw.get("questionnaire_version"))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let entry: &Entry = catalog
        .find(&qid, saved_version.as_deref())
        .ok_or_else(|| StoreError::UnknownQuestionnaire {
            path: path.to_path_buf(),
            id: qid.clone(),
        })?;
    let q = entry.questionnaire.clone();

    let mut notes = Vec::new();
    let current = match version {
        1 => {
            notes.push(LoadNote::Migrated { from: 1 });
            migrate::v1_to_v2(&raw, &q)
        }
        _ => raw,
    };
    let file: AssessmentFile =
        serde_path_to_error::deserialize(current).map_err(|e| StoreError::Malformed {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            json_path: e.path().to_string(),
            message: e.into_inner().to_string(),
        })?;
    let mut a = Assessment {
        questionnaire: file.questionnaire,
        profile: file.profile,
        answers: BTreeMap::new(),
        orphaned: file.orphaned,
        created_at: file.created_at,
        updated_at: file.updated_at,
    };
    if a.questionnaire.hash != entry.hash {
        if version >= 2 {
            notes.push(LoadNote::QuestionnaireChanged {
                saved_version: a.questionnaire.version.clone(),
                current_version: q.version.clone(),
            });
        }
        a.questionnaire.version = q.version.clone();
        a.questionnaire.hash = entry.hash.clone();
    }
    for (id, answer) in file.answers {
        let fit = match q.question(&id) {
            None => Err("the question no longer exists".to_string()),
            Some(question) => answer.response.check(question).map_err(|e| e.to_string()),
        };
        match fit {
            Ok(()) => {
                a.answers.insert(id, answer);
            }
            Err(reason) => {
                notes.push(LoadNote::Orphaned {
                    id: id.clone(),
                    reason,
                });
                a.orphaned.insert(id, answer);
            }
        }
    }
    // Answers kept aside earlier come back if the question accepts them again.
    let back: Vec<String> = a
        .orphaned
        .iter()
        .filter(|(id, ans)| {
            q.question(id)
                .is_some_and(|qq| ans.response.check(qq).is_ok())
        })
        .map(|(id, _)| id.clone())
        .collect();
    for id in back {
        if let Some(ans) = a.orphaned.remove(&id) {
            a.answers.entry(id).or_insert(ans);
        }
    }
    for id in a.orphaned.keys() {
        if !notes
            .iter()
            .any(|n| matches!(n, LoadNote::Orphaned { id: i, .. } if i == id))
        {
            notes.push(LoadNote::Orphaned {
                id: id.clone(),
                reason: "kept from an earlier version".into(),
            });
        }
    }
    Ok(Loaded {
        assessment: a,
        questionnaire: q,
        notes,
    })
}

/// The file's text: pretty JSON with a stable key order and a final newline, byte-identical for
/// identical content, so assessments diff well in version control.
pub fn to_json(a: &Assessment, q: &Questionnaire) -> String {
    let file = AssessmentFile {
        format_version: FORMAT_VERSION,
        questionnaire: a.questionnaire.clone(),
        profile: a.profile.clone(),
        answers: a.answers.clone(),
        orphaned: a.orphaned.clone(),
        created_at: a.created_at.clone(),
        updated_at: a.updated_at.clone(),
        scores: Some(scoring::score(q, a).summary()),
    };
    let mut s = serde_json::to_string_pretty(&file).unwrap_or_default();
    s.push('\n');
    s
}

/// Saves atomically: a temporary file in the same folder is written, flushed to disk and renamed
/// over the old one (and the folder synced), so a crash or full disk leaves the previous save.
pub fn write(path: &Path, a: &Assessment, q: &Questionnaire) -> Result<(), StoreError> {
    write_text(path, &to_json(a, q))
}

pub fn write_text(path: &Path, text: &str) -> Result<(), StoreError> {
    write_bytes(path, text.as_bytes())
}

/// Writes bytes atomically (a temporary file in the same folder, then a rename).
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let io = |action, error| StoreError::Io {
        path: path.to_path_buf(),
        action,
        error,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io("create the folder", e))?;
    }
    let mut f = atomic_write_file::AtomicWriteFile::options()
        .open(path)
        .map_err(|e| io("open a temporary file", e))?;
    f.write_all(bytes).map_err(|e| io("write", e))?;
    f.commit().map_err(|e| io("save", e))
}

/// Holds the right to edit one assessment file. Released when dropped, or when the process dies
/// (the operating system drops the lock), so a killed session never blocks the next one.
#[derive(Debug)]
pub struct EditLock {
    _file: File,
    pub lock_path: PathBuf,
}

pub fn lock_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.lock"))
}

/// Takes the edit lock of `path`, or says who holds it.
pub fn lock(path: &Path) -> Result<EditLock, StoreError> {
    let lp = lock_path(path);
    if let Some(dir) = lp.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|error| StoreError::Io {
            path: dir.to_path_buf(),
            action: "create the folder",
            error,
        })?;
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lp)
        .map_err(|error| StoreError::Io {
            path: lp.clone(),
            action: "open the lock file",
            error,
        })?;
    match file.try_lock() {
        Ok(()) => {
            // Who holds it, for the message another process will show.
            file.set_len(0).ok();
            writeln!(file, "pid {}", std::process::id()).ok();
            Ok(EditLock {
                _file: file,
                lock_path: lp,
            })
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(&lp)
                .unwrap_or_default()
                .trim()
                .to_string();
            let holder = if holder.is_empty() {
                "another sansang process".to_string()
            } else {
                format!("sansang ({holder})")
            };
            Err(StoreError::Locked {
                path: path.to_path_buf(),
                holder,
            })
        }
        Err(std::fs::TryLockError::Error(error)) => Err(StoreError::Io {
            path: lp,
            action: "lock",
            error,
        }),
    }
}

/// The data folder: `SANSANG_DATA_DIR`, else the platform's data directory.
pub fn data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("SANSANG_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    directories::ProjectDirs::from("vn", "sansang", "sansang")
        .map(|p| p.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".sansang"))
}

/// The current time, RFC 3339 in UTC to the second.
pub fn now() -> String {
    let t = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
