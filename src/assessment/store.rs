//! Assessment files on disk: deterministic JSON, atomic saves, one writer at a time, and loading
//! that never panics, never trusts stored scores and never drops an answer.

use super::migrate;
use super::model::*;
use super::provenance::Reconciliation;
use super::{Interview, SeededFrom};
use crate::fsutil;
use crate::i18n::Text;
use crate::i18n::{Lang, tr};
use crate::questionnaire::{Catalog, Questionnaire};
use crate::scoring;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
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
    /// Interview mode: interviewer, interviewees (with role), date and place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interview: Option<Interview>,
    /// Seconds the wizard showed each section's questions, by section id (a stretch without keys
    /// counts at most 5 minutes).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub section_seconds: BTreeMap<String, u64>,
    /// The earlier assessment this one was seeded from (`sansang reassess`): the SHA-256 of its
    /// file, its path and its last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seeded_from: Option<SeededFrom>,
    /// Computed when saved, for other tools to read; recomputed on load, never trusted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<scoring::Summary>,
    /// Reconciled from several respondents' files (`sansang reconcile`): the source files, and
    /// per question that was not answered alike, each respondent's answer, the rule or the
    /// consultant's decision, and the consultant's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconciliation: Option<Reconciliation>,
    /// True in an anonymised copy (`sansang export --anonymise`): organisation and person names,
    /// comments, evidence details, free-text answers and exact dates (kept: year and month) were
    /// removed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub anonymised: bool,
}

/// What was being done when an input/output error happened, in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Action {
    pub vi: &'static str,
    pub en: &'static str,
    /// A save: the previous save is intact and the answers are still in memory.
    pub save: bool,
}

impl Action {
    pub const READ: Action = Action {
        vi: "Không đọc được",
        en: "Cannot read",
        save: false,
    };
    pub const SAVE: Action = Action {
        vi: "Chưa lưu được",
        en: "Not saved",
        save: true,
    };
    pub const CREATE_FOLDER: Action = Action {
        vi: "Chưa lưu được (không tạo được thư mục)",
        en: "Not saved (cannot create the folder)",
        save: true,
    };
    pub const BACKUP: Action = Action {
        vi: "Chưa lưu được (không sao lưu được bản cũ)",
        en: "Not saved (cannot back up the old file)",
        save: true,
    };
    pub const LOCK: Action = Action {
        vi: "Không khóa được để sửa",
        en: "Cannot lock for editing",
        save: false,
    };
    pub const LIST_FOLDER: Action = Action {
        vi: "Không liệt kê được thư mục",
        en: "Cannot list the folder",
        save: false,
    };

    fn get(self, lang: Lang) -> &'static str {
        tr(lang, self.vi, self.en)
    }
}

#[derive(Debug)]
pub enum StoreError {
    Io {
        path: PathBuf,
        action: Action,
        error: std::io::Error,
    },
    /// Not a regular file, too large, or not UTF-8: refused before (or instead of) reading.
    Unreadable {
        path: PathBuf,
        error: fsutil::ReadError,
    },
    Malformed {
        path: PathBuf,
        /// 0 when the place is known only by its JSON path (after migration).
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
    /// The questionnaire's file is there but was refused: why, in both languages.
    QuestionnaireRejected {
        path: PathBuf,
        id: String,
        reason: crate::i18n::Text,
    },
    Locked {
        path: PathBuf,
        holder: String,
    },
    /// The file has other hard links: editing would split them, so it is refused.
    HardLinked {
        path: PathBuf,
        links: u64,
    },
}

impl StoreError {
    /// The first line alone: the reason first, then the path (for a one-line status).
    pub fn headline(&self, lang: Lang) -> String {
        self.render(lang)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    }

    pub fn render(&self, lang: Lang) -> String {
        let fix = tr(lang, "Cách sửa", "Fix");
        match self {
            StoreError::Io {
                path,
                action,
                error,
            } => {
                use std::io::ErrorKind as K;
                let advice = match (error.kind(), action.save) {
                    (K::StorageFull | K::QuotaExceeded, _) => tr(
                        lang,
                        "giải phóng dung lượng đĩa rồi lưu lại; bản lưu trước đó vẫn còn nguyên",
                        "free some disk space, then save again; the previous save is intact",
                    ),
                    (K::PermissionDenied | K::ReadOnlyFilesystem, true) => tr(
                        lang,
                        "kiểm tra quyền ghi vào thư mục; bản lưu trước đó vẫn còn nguyên",
                        "check write permission on the folder; the previous save is intact",
                    ),
                    (K::PermissionDenied, false) => {
                        tr(lang, "kiểm tra quyền đọc", "check read permission")
                    }
                    (K::NotFound | K::NotADirectory, _) => tr(
                        lang,
                        "kiểm tra đường dẫn: tệp hoặc thư mục không tồn tại",
                        "check the path: the file or folder does not exist",
                    ),
                    (_, true) => tr(
                        lang,
                        "kiểm tra ổ đĩa và quyền ghi; bản lưu trước đó vẫn còn nguyên",
                        "check the disk and write permission; the previous save is intact",
                    ),
                    (_, false) => tr(
                        lang,
                        "kiểm tra đường dẫn và quyền đọc",
                        "check the path and read permission",
                    ),
                };
                format!(
                    "{}: {} — {}\n    {fix}: {advice}",
                    action.get(lang),
                    fsutil::io_reason(error, lang),
                    path.display(),
                )
            }
            StoreError::Unreadable { path, error } => {
                let (reason, advice) = error.reason(fsutil::Kind::Assessment, lang);
                format!(
                    "{}: {reason} — {}\n    {fix}: {advice}",
                    Action::READ.get(lang),
                    path.display()
                )
            }
            StoreError::Malformed {
                path,
                line,
                column,
                json_path,
                message,
            } => {
                let place = if *line > 0 {
                    format!("{}:{line}:{column}", path.display())
                } else {
                    path.display().to_string()
                };
                let at = match json_path.as_str() {
                    "" | "." | "?" => tr(lang, "ở cấp ngoài cùng", "at the top level").to_string(),
                    p => format!("{} {p}", tr(lang, "tại", "at")),
                };
                format!(
                    "{place}: {} {at}: {}\n    {fix}: {}",
                    tr(
                        lang,
                        "tệp đánh giá bị hỏng hoặc sai cấu trúc",
                        "the assessment file is damaged or malformed"
                    ),
                    fsutil::json_message(message, lang),
                    tr(
                        lang,
                        "sửa tệp bằng trình soạn thảo hoặc khôi phục bản sao lưu; sansang không ghi đè tệp này",
                        "repair it in an editor or restore a backup; sansang will not overwrite this file"
                    )
                )
            }
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
            StoreError::QuestionnaireRejected { path, id, reason } => format!(
                "{}: {} \"{id}\" {}:\n{}\n    {fix}: {}",
                path.display(),
                tr(lang, "bộ câu hỏi", "the questionnaire"),
                tr(
                    lang,
                    "có trong thư mục nhưng không hợp lệ",
                    "is in the folder but is not valid"
                ),
                reason.get(lang).trim_end(),
                tr(
                    lang,
                    "sửa tệp bộ câu hỏi (sansang validate TỆP liệt kê mọi lỗi)",
                    "fix the questionnaire file (sansang validate FILE lists every problem)"
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
            StoreError::HardLinked { path, links } => format!(
                "{}: {} {links} {}\n    {fix}: {}",
                path.display(),
                tr(lang, "tệp có", "the file has"),
                tr(
                    lang,
                    "liên kết cứng; lưu sẽ tách chúng ra",
                    "hard links; saving would split them"
                ),
                tr(
                    lang,
                    "sao chép tệp thành một tệp riêng rồi mở bản sao",
                    "copy it to a file of its own and open the copy"
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
    /// An answer kept aside: its question no longer exists or no longer accepts it (reasons
    /// are shared: a file may hold hundreds of thousands of these).
    Orphaned {
        id: String,
        reason: Arc<Text>,
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
            } => {
                let what = tr(
                    lang,
                    "bộ câu hỏi đã thay đổi kể từ lần lưu; các câu trả lời vẫn còn câu hỏi được giữ nguyên",
                    "the questionnaire changed since the last save; answers whose question still exists are kept",
                );
                // A local questionnaire edited without raising its version: "1.0 → 1.0" would
                // read as no change at all.
                if saved_version == current_version {
                    let same = tr(lang, "vẫn mang số phiên bản", "still numbered");
                    format!("{what} ({same} {current_version})")
                } else {
                    format!("{what} ({saved_version} → {current_version})")
                }
            }
            LoadNote::Orphaned { id, reason } => format!(
                "{} {id}: {}",
                tr(
                    lang,
                    "câu trả lời được cất riêng, không tính điểm:",
                    "answer kept aside, not scored:"
                ),
                reason.get(lang)
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

/// The file as read: like [`AssessmentFile`], but the stored scores are not read at all (never
/// trusted, so a damaged `scores` block does not make the answers unreadable).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssessmentFileIn {
    pub format_version: u32,
    pub questionnaire: QuestionnaireRef,
    pub profile: BTreeMap<String, ProfileValue>,
    pub answers: BTreeMap<String, Answer>,
    #[serde(default)]
    pub orphaned: BTreeMap<String, Answer>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub interview: Option<Interview>,
    #[serde(default)]
    pub section_seconds: BTreeMap<String, u64>,
    #[serde(default)]
    pub seeded_from: Option<SeededFrom>,
    #[serde(default)]
    #[allow(dead_code)]
    scores: serde::de::IgnoredAny,
    #[serde(default)]
    pub reconciliation: Option<Reconciliation>,
    #[serde(default)]
    pub anonymised: bool,
}

/// What says which format and questionnaire a file is; everything else is skipped.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    format_version: Option<serde_json::Value>,
    #[serde(default)]
    version: Option<serde_json::Value>,
    #[serde(default)]
    questionnaire: Option<serde_json::Value>,
    #[serde(default)]
    questionnaire_id: Option<serde_json::Value>,
    #[serde(default)]
    questionnaire_version: Option<serde_json::Value>,
}

impl Head {
    fn as_value(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        for (k, v) in [
            ("format_version", &self.format_version),
            ("version", &self.version),
            ("questionnaire", &self.questionnaire),
            ("questionnaire_id", &self.questionnaire_id),
            ("questionnaire_version", &self.questionnaire_version),
        ] {
            if let Some(v) = v {
                m.insert(k.into(), v.clone());
            }
        }
        serde_json::Value::Object(m)
    }
}

/// Reads a regular file of at most [`fsutil::Kind::Assessment`]'s cap into `buf`.
pub fn read_bytes_into(path: &Path, buf: &mut Vec<u8>) -> Result<(), StoreError> {
    fsutil::read_into(path, fsutil::Kind::Assessment.cap(), buf).map_err(|e| read_error(path, e))
}

fn read_error(path: &Path, e: fsutil::ReadError) -> StoreError {
    match e {
        fsutil::ReadError::Io(error) => StoreError::Io {
            path: path.to_path_buf(),
            action: Action::READ,
            error,
        },
        error => StoreError::Unreadable {
            path: path.to_path_buf(),
            error,
        },
    }
}

/// Reads and checks an assessment file against the catalog's questionnaire. Only a regular file
/// under the size cap is read (a FIFO or a device is refused at once).
pub fn read(path: &Path, catalog: &Catalog) -> Result<Loaded, StoreError> {
    let text =
        fsutil::read_text(path, fsutil::Kind::Assessment.cap()).map_err(|e| read_error(path, e))?;
    parse(&text, path, catalog)
}

/// Does this JSON look like an assessment file (any format)? For `validate` to recognise one.
pub fn looks_like_assessment(v: &serde_json::Value) -> bool {
    v.get("format_version").is_some()
        || (v.get("version").is_some() && v.get("questionnaire_id").is_some())
}

/// Parses assessment JSON text (named `path` in messages).
pub fn parse(text: &str, path: &Path, catalog: &Catalog) -> Result<Loaded, StoreError> {
    // The common case, a sound file in the current format: typed straight from its text in one
    // pass, without tracking the JSON path (that costs an allocation per key, and is needed only
    // to explain a failure, which the careful passes below do).
    if let Ok(file) = serde_json::from_str::<AssessmentFileIn>(text)
        && file.format_version == FORMAT_VERSION
    {
        let entry = find_questionnaire(
            catalog,
            &file.questionnaire.id,
            Some(&file.questionnaire.version),
            path,
        )?;
        return Ok(settle_answers(
            file,
            entry,
            FORMAT_VERSION as u64,
            vec![],
            vec![],
        ));
    }
    // A first pass keeps only the few fields that say which format and questionnaire this is
    // (the rest is skipped, not built), so a current file is then typed straight from its text,
    // once, with the line and column of any problem.
    let head: Option<Head> = serde_json::from_str(text).ok();
    let raw: serde_json::Value = match &head {
        Some(h) => h.as_value(),
        None => {
            let mut de = serde_json::Deserializer::from_str(text);
            let raw = serde_path_to_error::deserialize(&mut de).map_err(|e| malformed(path, e))?;
            de.end().map_err(|e| StoreError::Malformed {
                path: path.to_path_buf(),
                line: e.line(),
                column: e.column(),
                json_path: String::new(),
                message: e.to_string(),
            })?;
            raw
        }
    };
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
    let entry = find_questionnaire(catalog, &qid, saved_version.as_deref(), path)?;
    let q = entry.questionnaire.clone();

    let mut notes = Vec::new();
    let mut unmapped = Vec::new();
    let file: AssessmentFileIn = if version == 1 {
        notes.push(LoadNote::Migrated { from: 1 });
        let full: serde_json::Value = if head.is_some() {
            serde_json::from_str(text).map_err(|e| StoreError::Malformed {
                path: path.to_path_buf(),
                line: e.line(),
                column: e.column(),
                json_path: String::new(),
                message: e.to_string(),
            })?
        } else {
            raw
        };
        let (v, u) = migrate::v1_to_v2(&full, &q);
        unmapped = u;
        // The migrated layout has no lines of its own: the JSON path says where.
        serde_path_to_error::deserialize(&v).map_err(|e| StoreError::Malformed {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            json_path: e.path().to_string(),
            message: e.into_inner().to_string(),
        })?
    } else {
        let mut de = serde_json::Deserializer::from_str(text);
        let f = serde_path_to_error::deserialize(&mut de).map_err(|e| malformed(path, e))?;
        de.end().map_err(|e| StoreError::Malformed {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            json_path: String::new(),
            message: e.to_string(),
        })?;
        f
    };
    if file.format_version != FORMAT_VERSION {
        return Err(StoreError::Malformed {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            json_path: "format_version".into(),
            message: format!(
                "invalid value: integer `{}`, expected {FORMAT_VERSION}",
                file.format_version
            ),
        });
    }
    Ok(settle_answers(file, entry, version, notes, unmapped))
}

/// The catalog's questionnaire for a file, or why there is none (the local file was rejected:
/// its reason; else unknown).
fn find_questionnaire<'c>(
    catalog: &'c Catalog,
    qid: &str,
    saved_version: Option<&str>,
    path: &Path,
) -> Result<&'c crate::questionnaire::Entry, StoreError> {
    catalog
        .find(qid, saved_version)
        .ok_or_else(|| match catalog.rejected(qid) {
            Some(e) => StoreError::QuestionnaireRejected {
                path: path.to_path_buf(),
                id: qid.to_string(),
                reason: Text::new(e.render(Lang::Vi), e.render(Lang::En)),
            },
            None => StoreError::UnknownQuestionnaire {
                path: path.to_path_buf(),
                id: qid.to_string(),
            },
        })
}

/// The typed file against its questionnaire: answers that fit are kept, the others kept aside
/// under `orphaned` with a note each, and answers kept aside earlier come back when they fit
/// again. Linear in the number of answers (indexes, no search per answer).
fn settle_answers(
    file: AssessmentFileIn,
    entry: &crate::questionnaire::Entry,
    version: u64,
    mut notes: Vec<LoadNote>,
    unmapped: Vec<migrate::Unmapped>,
) -> Loaded {
    let q = entry.questionnaire.clone();
    let mut a = Assessment {
        questionnaire: file.questionnaire,
        profile: file.profile,
        answers: BTreeMap::new(),
        orphaned: file.orphaned,
        created_at: file.created_at,
        updated_at: file.updated_at,
        reconciliation: file.reconciliation,
        anonymised: file.anonymised,
        interview: file.interview,
        section_seconds: file.section_seconds,
        seeded_from: file.seeded_from,
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
    // The questions by id: an index, so loading stays linear in the number of answers (no
    // search per answer; the kept-aside entries are handled in bulk, in key order).
    let by_id: std::collections::HashMap<&str, &crate::questionnaire::Question> =
        q.questions().map(|(_, qq)| (qq.id.as_str(), qq)).collect();
    for u in unmapped {
        notes.push(LoadNote::Orphaned {
            id: u.key,
            reason: Arc::new(u.reason),
        });
    }
    let gone = Arc::new(Text::new(
        "câu hỏi không còn trong bộ câu hỏi",
        "the question no longer exists",
    ));
    // Answers that do not fit their question (or whose question is gone), in id order.
    let mut misfits: Vec<(String, Answer, Arc<Text>)> = Vec::new();
    for (id, answer) in file.answers {
        let fit = match by_id.get(id.as_str()) {
            None => Err(gone.clone()),
            Some(question) => answer
                .response
                .check(question)
                .map_err(|e| Arc::new(Text::new(e.message(Lang::Vi), e.message(Lang::En)))),
        };
        match fit {
            Ok(()) => {
                a.answers.insert(id, answer);
            }
            Err(reason) => misfits.push((id, answer, reason)),
        }
    }
    // An answer kept aside earlier under the id of a misfit stays, under another key.
    let taken = |k: &str, orphaned: &BTreeMap<String, Answer>| {
        orphaned.contains_key(k)
            || misfits
                .binary_search_by(|(id, _, _)| id.as_str().cmp(k))
                .is_ok()
    };
    for (id, _, _) in &misfits {
        if let Some(older) = a.orphaned.remove(id) {
            let mut n = 2;
            let key = loop {
                let k = format!("{id} ({n})");
                if !taken(&k, &a.orphaned) {
                    break k;
                }
                n += 1;
            };
            a.orphaned.insert(key, older);
        }
    }
    // Answers kept aside earlier come back if the question accepts them again (a misfit never
    // does, so only the earlier ones are looked at).
    let back: Vec<String> = a
        .orphaned
        .iter()
        .filter(|(id, ans)| {
            by_id
                .get(id.as_str())
                .is_some_and(|qq| ans.response.check(qq).is_ok())
                && !a.answers.contains_key(*id)
        })
        .map(|(id, _)| id.clone())
        .collect();
    if !back.is_empty() {
        let back_set: HashSet<&str> = back.iter().map(String::as_str).collect();
        notes.retain(
            |n| !matches!(n, LoadNote::Orphaned { id, .. } if back_set.contains(id.as_str())),
        );
    }
    for id in back {
        if let Some(ans) = a.orphaned.remove(&id) {
            a.answers.insert(id, ans);
        }
    }
    let mut aside = BTreeMap::new();
    for (id, answer, reason) in misfits {
        notes.push(LoadNote::Orphaned {
            id: id.clone(),
            reason,
        });
        aside.insert(id, answer);
    }
    a.orphaned.append(&mut aside);
    // Every other answer kept aside gets a note too: one walk over both sorted key lists.
    let mut noted: Vec<&str> = notes
        .iter()
        .filter_map(|n| match n {
            LoadNote::Orphaned { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    noted.sort_unstable();
    let earlier = Arc::new(Text::new(
        "được giữ lại từ một phiên bản trước",
        "kept from an earlier version",
    ));
    let mut j = 0;
    let kept: Vec<LoadNote> = a
        .orphaned
        .keys()
        .filter(|id| {
            while j < noted.len() && noted[j] < id.as_str() {
                j += 1;
            }
            noted.get(j) != Some(&id.as_str())
        })
        .map(|id| LoadNote::Orphaned {
            id: id.clone(),
            reason: earlier.clone(),
        })
        .collect();
    notes.extend(kept);
    Loaded {
        assessment: a,
        questionnaire: q,
        notes,
    }
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
        interview: a.interview.clone(),
        section_seconds: a.section_seconds.clone(),
        seeded_from: a.seeded_from.clone(),
        scores: Some(scoring::score(q, a).summary()),
        reconciliation: a.reconciliation.clone(),
        anonymised: a.anonymised,
    };
    let mut s = serde_json::to_string_pretty(&file).unwrap_or_default();
    s.push('\n');
    s
}

/// The real file behind `path`: symbolic links resolved (also a link to a file not yet made), so
/// that locks and saves reach the file itself, never replacing a link with a copy.
pub fn real_path(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::canonicalize(&p) {
            Ok(real) => return Ok(real),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        // Not there (yet): follow a dangling link by hand, else resolve the folder.
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => {
                let name = p.file_name().map(|n| n.to_os_string());
                let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
                return Ok(match (dir, name) {
                    (Some(dir), Some(name)) => match std::fs::canonicalize(dir) {
                        Ok(d) => d.join(name),
                        Err(_) => p,
                    },
                    (None, Some(name)) => match std::env::current_dir() {
                        Ok(d) => d.join(name),
                        Err(_) => p,
                    },
                    _ => p,
                });
            }
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// How many hard links the file has (1 when it does not exist, is not a regular file — a
/// folder's count is of its entries, not of links to it — or the system does not say).
fn link_count(path: &Path) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .map_or(1, |m| m.nlink())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        1
    }
}

fn refuse_hard_links(path: &Path) -> Result<(), StoreError> {
    match link_count(path) {
        links if links > 1 => Err(StoreError::HardLinked {
            path: path.to_path_buf(),
            links,
        }),
        _ => Ok(()),
    }
}

/// Saves atomically: a temporary file in the same folder is written, flushed to disk and renamed
/// over the old one (and the folder synced), so a crash or full disk leaves the previous save.
/// The save goes to the real file behind links; a file with other hard links is refused. The
/// first save over a file of an older format first keeps a copy of it as `NAME.v1.json`.
pub fn write(path: &Path, a: &Assessment, q: &Questionnaire) -> Result<(), StoreError> {
    let real = prepare(path)?;
    refuse_hard_links(&real)?;
    backup_older_format(&real)?;
    commit(&real, &to_json(a, q))
}

/// Creates the folder and resolves links; the path to save to.
fn prepare(path: &Path) -> Result<PathBuf, StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fsutil::create_private_dir_all(dir).map_err(|error| StoreError::Io {
            path: dir.to_path_buf(),
            action: Action::CREATE_FOLDER,
            error,
        })?;
    }
    real_path(path).map_err(|error| StoreError::Io {
        path: path.to_path_buf(),
        action: Action::SAVE,
        error,
    })
}

/// Writes any text file atomically (0600 on Unix), to the real file behind links.
pub fn write_text(path: &Path, text: &str) -> Result<(), StoreError> {
    write_bytes(path, text.as_bytes())
}

/// Writes bytes atomically (reports in binary formats, e.g. xlsx), as `write_text` does.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let real = prepare(path)?;
    commit_bytes(&real, bytes)
}

/// Writes a file atomically as `write_bytes` does, from what `fill` writes (large outputs are
/// streamed, never held in memory). Nothing replaces the file unless `fill` succeeds.
pub fn write_with(
    path: &Path,
    fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), StoreError> {
    let real = prepare(path)?;
    let io = |error| StoreError::Io {
        path: real.clone(),
        action: Action::SAVE,
        error,
    };
    let f = fsutil::private_atomic_options().open(&real).map_err(io)?;
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, f);
    let done = fill(&mut w)
        .and_then(|()| w.into_inner().map_err(|e| e.into_error()))
        .and_then(|f| f.commit());
    if done.is_err() {
        sweep_temp_files(&real, std::time::SystemTime::now());
    }
    done.map_err(io)
}

fn commit(path: &Path, text: &str) -> Result<(), StoreError> {
    commit_bytes(path, text.as_bytes())
}

fn commit_bytes(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let io = |error| StoreError::Io {
        path: path.to_path_buf(),
        action: Action::SAVE,
        error,
    };
    let mut f = fsutil::private_atomic_options().open(path).map_err(io)?;
    let done = f.write_all(bytes).and_then(|()| f.commit());
    if done.is_err() {
        // A failed rename may leave the temporary file under a name: remove ours now.
        sweep_temp_files(path, std::time::SystemTime::now());
    }
    done.map_err(io)
}

/// Is `name` one of the temporary names the atomic save gives `file_name` (`.NAME.XXXXXX`)?
pub fn is_temp_name(name: &str, file_name: &str) -> bool {
    name.strip_prefix('.')
        .and_then(|n| n.strip_prefix(file_name))
        .and_then(|n| n.strip_prefix('.'))
        .is_some_and(|suffix| {
            suffix.len() == 6 && suffix.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Removes temporary files of `path`'s saves last changed before `before` (left by a process that
/// was killed during a save, or by a failed rename). Called by the lock holder, so no live save
/// of this file owns them.
pub fn sweep_temp_files(path: &Path, before: std::time::SystemTime) -> usize {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return 0;
    };
    let name = name.to_string_lossy();
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in rd.flatten() {
        let n = e.file_name();
        if !is_temp_name(&n.to_string_lossy(), &name) {
            continue;
        }
        let stale = e
            .metadata()
            .ok()
            .filter(|m| m.file_type().is_file())
            .and_then(|m| m.modified().ok())
            .is_some_and(|t| t <= before);
        if stale && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Before the first save in the current format over an older file, keeps the original as
/// `NAME.vN.json` (never overwriting an existing copy).
fn backup_older_format(path: &Path) -> Result<(), StoreError> {
    let mut head = [0u8; 64];
    let n = match std::fs::File::open(path) {
        Ok(mut f) => {
            use std::io::Read;
            let mut n = 0;
            while n < head.len() {
                match f.read(&mut head[n..]) {
                    Ok(0) => break,
                    Ok(k) => n += k,
                    Err(_) => return Ok(()),
                }
            }
            n
        }
        Err(_) => return Ok(()),
    };
    // Files this version writes start so: no need to parse them.
    let ours = format!("{{\n  \"format_version\": {FORMAT_VERSION},");
    if head[..n].starts_with(ours.as_bytes()) {
        return Ok(());
    }
    let Ok(bytes) = fsutil::read_bytes(path, fsutil::Kind::Assessment.cap()) else {
        return Ok(());
    };
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Ok(());
    };
    let Some(version) = migrate::detect_version(&v).filter(|v| *v < FORMAT_VERSION as u64) else {
        return Ok(());
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let backup = path.with_file_name(format!("{stem}.v{version}.json"));
    if backup.exists() {
        return Ok(());
    }
    let mut f = fsutil::private_atomic_options()
        .open(&backup)
        .map_err(|error| StoreError::Io {
            path: backup.clone(),
            action: Action::BACKUP,
            error,
        })?;
    f.write_all(&bytes)
        .and_then(|()| f.commit())
        .map_err(|error| StoreError::Io {
            path: backup,
            action: Action::BACKUP,
            error,
        })
}

/// Holds the right to edit one assessment file. Released when dropped, or when the process dies
/// (the operating system drops the lock), so a killed session never blocks the next one.
#[derive(Debug)]
pub struct EditLock {
    _file: File,
    pub lock_path: PathBuf,
    /// The file the lock is for, links resolved.
    pub real_path: PathBuf,
}

impl Drop for EditLock {
    /// Unlocks explicitly rather than only closing the file: a child process started at that
    /// moment by another thread holds a copy of the descriptor until it runs its program, and
    /// closing ours alone would leave the lock held for that while (reopening at once then
    /// said "is open for editing" by this very process).
    fn drop(&mut self) {
        let _ = self._file.unlock();
    }
}

pub fn lock_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.lock"))
}

/// Takes the edit lock of the real file behind `path` (one lock per file, whatever link it is
/// opened through), or says who holds it. A file with other hard links is refused. Temporary files
/// left by an earlier holder's interrupted save are removed.
pub fn lock(path: &Path) -> Result<EditLock, StoreError> {
    let real = prepare(path)?;
    refuse_hard_links(&real)?;
    let lp = lock_path(&real);
    let mut file = fsutil::private_file_options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lp)
        .map_err(|error| StoreError::Io {
            path: lp.clone(),
            action: Action::LOCK,
            error,
        })?;
    match file.try_lock() {
        Ok(()) => {
            let since = std::time::SystemTime::now();
            // Who holds it, for the message another process will show.
            file.set_len(0).ok();
            writeln!(file, "pid {}", std::process::id()).ok();
            sweep_temp_files(&real, since);
            Ok(EditLock {
                _file: file,
                lock_path: lp,
                real_path: real,
            })
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(&lp)
                .unwrap_or_default()
                .trim()
                .to_string();
            let holder = if holder.is_empty() {
                "sansang".to_string()
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
            action: Action::LOCK,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A questionnaire whose content changed under the same version number (a local file
    /// edited in place; the built-ins until 1.2.0) was announced as "(1.1.0 → 1.1.0)".
    #[test]
    fn a_changed_questionnaire_with_the_same_number_says_so() {
        let note = |saved: &str, current: &str| LoadNote::QuestionnaireChanged {
            saved_version: saved.into(),
            current_version: current.into(),
        };
        assert!(
            note("1.1.0", "1.2.0")
                .render(Lang::En)
                .ends_with("(1.1.0 → 1.2.0)")
        );
        let same = note("1.1.0", "1.1.0");
        assert!(same.render(Lang::En).ends_with("(still numbered 1.1.0)"));
        assert!(
            same.render(Lang::Vi)
                .ends_with("(vẫn mang số phiên bản 1.1.0)")
        );
    }

    /// A copy of the lock's descriptor (as a process forked by another thread holds until it
    /// runs its program) must not keep the lock once the `EditLock` is dropped.
    #[test]
    fn a_dropped_lock_is_free_at_once_even_while_a_copy_of_its_descriptor_lives() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(&path, "{}").unwrap();
        let held = lock(&path).unwrap();
        let copy = held._file.try_clone().unwrap();
        drop(held);
        let again = lock(&path);
        assert!(again.is_ok(), "{:?}", again.err());
        drop(copy);
    }
}
