//! The command line: every command works without the terminal UI. Exit codes: 0 ok, 1 the user's
//! input was wrong (message says what and how to fix), 2 internal error.

mod aggregate_cmd;
mod progress;
mod score_view;

pub use aggregate_cmd::AggregateFormat;

use crate::assessment::store;
use crate::export;
use crate::i18n::{Lang, tr};
use crate::questionnaire::{self, Catalog, Origin};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "sansang",
    version,
    about = "Đánh giá mức độ sẵn sàng chuyển đổi số (Quyết định 749/QĐ-TTg)\nDigital-transformation readiness assessment (Decision 749/QĐ-TTg)",
    after_help = "Thư mục dữ liệu / data folder: SANSANG_DATA_DIR, mặc định / default: the platform data directory.\nBộ câu hỏi riêng / local questionnaires: <data folder>/questionnaires/*.json"
)]
pub struct Cli {
    /// Ngôn ngữ hiển thị / display language (mặc định theo LANG, default from LANG: vi)
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,

    /// Thư mục dữ liệu / data folder (thay cho / overrides SANSANG_DATA_DIR)
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Chế độ dòng lệnh đơn giản (trình đọc màn hình, TERM=dumb, đường truyền chậm, kịch bản) / plain line mode (screen readers, TERM=dumb, slow links, scripts)
    #[arg(long, global = true, conflicts_with = "full_screen")]
    pub plain: bool,

    /// Giao diện toàn màn hình kể cả khi TERM=dumb / the full-screen wizard even with TERM=dumb
    #[arg(long, global = true)]
    pub full_screen: bool,

    /// Không có lệnh: mở trình hướng dẫn tương tác / no command: open the interactive wizard
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    Vi,
    En,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
pub enum ExportFormat {
    Json,
    Csv,
    Xlsx,
}

/// The CSV delimiter: `,` or `;` (Excel with Vietnamese regional settings).
fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "," => Ok(b','),
        ";" => Ok(b';'),
        _ => Err("dùng / use ',' hoặc / or ';'".into()),
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Liệt kê bộ câu hỏi có sẵn và trong thư mục dữ liệu / list built-in and local questionnaires
    Questionnaires,
    /// Bắt đầu một bản đánh giá mới trong trình hướng dẫn / start a new assessment in the wizard
    New {
        /// Mã bộ câu hỏi (xem lệnh questionnaires) / questionnaire id (see the questionnaires command)
        questionnaire: String,
    },
    /// Mở một bản đánh giá trong trình hướng dẫn / open an assessment in the wizard
    Open {
        /// Tệp đánh giá / assessment file
        file: PathBuf,
    },
    /// Kiểm tra tệp bộ câu hỏi, báo mọi lỗi cùng lúc / check questionnaire files, reporting every problem
    Validate {
        /// Tệp JSON bộ câu hỏi / questionnaire JSON files
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Bảng điểm theo trụ cột, nhiệm vụ, lớp bảo vệ / scores per pillar, task and security layer
    Score {
        /// Tệp đánh giá / assessment file
        file: PathBuf,
        /// Giải thích một điểm (mã chiều, ví dụ F5, hoặc "overall") / explain one score (dimension id, e.g. F5, or "overall")
        #[arg(long, value_name = "ID")]
        explain: Option<String>,
        /// Số mục yếu nhất hiển thị / how many weakest items to show
        #[arg(long, default_value_t = 5)]
        top: usize,
    },
    /// Xuất mỗi câu hỏi một dòng, hoặc một bản ẩn danh / export one row per question, or an anonymised copy
    Export {
        /// Tệp đánh giá (hoặc thư mục, với --anonymise) / assessment file (or folder, with --anonymise)
        file: PathBuf,
        /// Định dạng / format
        #[arg(long, value_enum, required_unless_present = "anonymise")]
        format: Option<ExportFormat>,
        /// Bản sao ẩn danh (tệp đánh giá vẫn đọc được bằng score, report, aggregate): bỏ tên tổ chức và người, ghi chú, chi tiết minh chứng, câu trả lời viết tự do, ngày chính xác (giữ năm và tháng); một thư mục thì -o là thư mục / an anonymised copy (an assessment file that still loads in score, report, aggregate): no organisation or person names, comments, evidence details, free-text answers or exact dates (year and month kept); for a folder, -o is a folder
        #[arg(long, visible_alias = "anonymize", conflicts_with_all = ["format", "bom"])]
        anonymise: bool,
        /// Ghi ra tệp thay vì màn hình / write to this file instead of standard output
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Thêm BOM UTF-8 cho Excel (CSV) / add a UTF-8 byte-order mark for Excel (CSV)
        #[arg(long)]
        bom: bool,
        /// Thay thế tệp đã có không do sansang tạo / replace an existing file not written by sansang
        #[arg(long)]
        force: bool,
        /// Dấu phân cách CSV: ',' hoặc ';' (Excel cài đặt vùng Việt Nam; số dùng dấu phẩy thập phân) / CSV delimiter: ',' or ';' (Excel with Vietnamese regional settings; numbers get a decimal comma)
        #[arg(long, default_value = ",", value_parser = parse_delimiter)]
        delimiter: u8,
    },
    /// Báo cáo để trao tay / a report to hand over (HTML in-lined for printing, Markdown, JSON, CSV, Excel)
    Report {
        /// Tệp đánh giá / assessment file
        file: PathBuf,
        /// Định dạng / format
        #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
        format: ReportFormat,
        /// Ghi ra tệp thay vì màn hình / write to this file instead of standard output
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Chỉ phần tóm tắt (tối đa 4 trang A4), không có phụ lục (HTML, Markdown) / the executive summary alone (at most 4 A4 pages), no annex (HTML, Markdown)
        #[arg(long)]
        summary: bool,
        /// Thêm số dòng trong tài liệu gốc vào phụ lục nguồn (cho người kiểm tra) / add the seed line numbers to the sources annex (for auditors)
        #[arg(long)]
        sources: bool,
        /// Thêm BOM UTF-8 cho Excel (CSV) / add a UTF-8 byte-order mark for Excel (CSV)
        #[arg(long)]
        bom: bool,
        /// Thay thế tệp đã có không do sansang tạo / replace an existing file not written by sansang
        #[arg(long)]
        force: bool,
        /// Dấu phân cách CSV: ',' hoặc ';' (Excel cài đặt vùng Việt Nam; số dùng dấu phẩy thập phân) / CSV delimiter: ',' or ';' (Excel with Vietnamese regional settings; numbers get a decimal comma)
        #[arg(long, default_value = ",", value_parser = parse_delimiter)]
        delimiter: u8,
    },
    /// In phiếu câu hỏi trống / a blank questionnaire to print (HTML, A4)
    Print {
        /// Mã bộ câu hỏi hoặc tệp / questionnaire id or file
        #[arg(value_name = "ID|PATH")]
        questionnaire: String,
        /// Ghi ra tệp thay vì màn hình / write to this file instead of standard output
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Thay thế tệp đã có không do sansang tạo / replace an existing file not written by sansang
        #[arg(long)]
        force: bool,
    },
    /// Tổng hợp nhiều bản đánh giá / aggregate many assessments (distributions, common weak items, respondents)
    Aggregate(aggregate_cmd::Args),
    /// So sánh hai bản đánh giá / compare two assessments (score deltas, answers that improved or regressed, targets)
    Compare {
        /// Bản trước / the earlier assessment
        old: PathBuf,
        /// Bản sau / the later assessment
        new: PathBuf,
        /// Định dạng / format
        #[arg(long, value_enum, default_value_t = CompareFormat::Text)]
        format: CompareFormat,
        /// Ghi ra tệp / write to this file
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Thay thế tệp đã có không do sansang tạo / replace an existing file not written by sansang
        #[arg(long)]
        force: bool,
    },
    /// Đối chiếu câu trả lời của nhiều người trong một tổ chức / reconcile several respondents of one organisation (each answer side by side, divergences flagged, the spread of every score)
    Reconcile {
        /// Các tệp đánh giá (cùng một bộ câu hỏi, ít nhất hai) / assessment files (same questionnaire, at least two)
        #[arg(required = true, num_args = 2..)]
        files: Vec<PathBuf>,
        /// Định dạng / format
        #[arg(long, value_enum, default_value_t = ReconcileFormat::Text)]
        format: ReconcileFormat,
        /// Ghi ra tệp / write to this file
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Thay thế tệp đã có không do sansang tạo / replace an existing file not written by sansang
        #[arg(long)]
        force: bool,
        /// Mở màn hình đối chiếu: thống nhất từng câu khác biệt, ghi một bản đánh giá mới vào thư mục dữ liệu (các tệp gốc không đổi) / open the reconcile screen: agree each diverging question; a new assessment is written into the data folder (the files given are not changed)
        #[arg(long, conflicts_with_all = ["output", "format"])]
        wizard: bool,
    },
    /// Đánh giá lại từ một bản trước / re-assess: a new assessment seeded from an earlier one (profile and every answer carried over, marked "not yet confirmed")
    Reassess {
        /// Bản đánh giá trước (chỉ đọc) / the earlier assessment (only read)
        old: PathBuf,
        /// Tệp mới (mặc định: thư mục assessments trong thư mục dữ liệu; không ghi đè tệp đã có) / the new file (default: the data folder's assessments; never an existing file)
        #[arg(short, long, value_name = "NEW")]
        output: Option<PathBuf>,
    },
    /// Phục vụ hội thảo qua SSH / serve a workshop room over SSH (one wizard per participant, live trainer dashboard)
    Serve {
        /// Địa chỉ nghe / address to listen on (mặc định chỉ máy này / default: this machine only)
        #[arg(long, default_value = "127.0.0.1:2222", value_name = "ADDR:PORT")]
        listen: std::net::SocketAddr,
        /// Cho phép nghe ngoài máy này (vd 0.0.0.0) / allow listening beyond this machine (e.g. 0.0.0.0)
        #[arg(long)]
        public: bool,
        /// Bộ câu hỏi: mã hoặc tệp / questionnaire: id or file
        #[arg(long, default_value = "workshop", value_name = "ID|PATH")]
        questionnaire: String,
        /// Tên phòng (thư mục DỮ-LIỆU/rooms/TÊN) / room name (folder DATA/rooms/NAME); mặc định / default: today's date
        #[arg(long, value_name = "NAME")]
        room: Option<String>,
        /// Mật khẩu phòng (mặc định: tạo ngẫu nhiên) / room password (default: generated)
        #[arg(long, env = "SANSANG_ROOM_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Tệp authorized_keys cho đăng nhập bằng khóa / authorized_keys file for key logins
        #[arg(long, value_name = "FILE")]
        authorized_keys: Option<PathBuf>,
        /// Mật khẩu người hướng dẫn, người dùng "trainer" (mặc định: tạo ngẫu nhiên) / trainer secret for user "trainer" (default: generated)
        #[arg(long, env = "SANSANG_TRAINER_SECRET", hide_env_values = true)]
        trainer_secret: Option<String>,
        /// Số phiên tối đa / most sessions at once
        #[arg(long, default_value_t = 250)]
        max_sessions: usize,
        /// Ngắt người tham gia sau số phút không thao tác (0: không) / close a participant after this many idle minutes (0: never)
        #[arg(long, default_value_t = 120, value_name = "MINUTES")]
        idle_timeout: u64,
        /// Hiện bảng theo dõi của người hướng dẫn ở terminal này / show the trainer dashboard in this terminal
        #[arg(long)]
        dashboard: bool,
        /// In N mã tham gia riêng; mỗi mã mở phòng cho tên đầu tiên dùng nó (thay mật khẩu phòng) / print N per-person join codes; each opens the room for the first name that uses it (instead of the room password)
        #[arg(long, default_value_t = 0, value_name = "N", value_parser = clap::value_parser!(u16).range(0..=1000))]
        codes: u16,
        /// Giây để đăng nhập, tính từ lúc kết nối / seconds to log in, counted from the connection
        #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=600))]
        login_timeout: u64,
    },
    /// In JSON Schema của định dạng tệp / print the JSON Schema of a file format
    Schema {
        #[arg(value_enum)]
        kind: SchemaKind,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
pub enum ReportFormat {
    Md,
    Html,
    Json,
    Csv,
    Xlsx,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Vi => Lang::Vi,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
pub enum ByArg {
    Questionnaire,
    Type,
    Sector,
    Province,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
pub enum CompareFormat {
    Text,
    Md,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
pub enum ReconcileFormat {
    Text,
    Md,
    Html,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SchemaKind {
    Questionnaire,
    Assessment,
    Report,
    Aggregate,
}

/// The interactive wizard: full screen, or plain lines when asked (`--plain`) or when the
/// terminal cannot draw a screen (`TERM=dumb`, input or output not a terminal).
fn wizard(
    cli: &Cli,
    data_dir: PathBuf,
    start: crate::plain::Start,
    lang: Lang,
) -> Result<(), UserError> {
    use std::io::IsTerminal;
    // What cannot be started is said before any screen (exit 1, for scripts too).
    match &start {
        crate::plain::Start::New(id)
            if Catalog::with_local_dir(&data_dir.join("questionnaires"))
                .find(id, None)
                .is_none() =>
        {
            return Err(UserError(format!(
                "{} “{id}” ({} sansang questionnaires)",
                tr(lang, "Không có bộ câu hỏi", "There is no questionnaire"),
                tr(lang, "xem", "see")
            )));
        }
        crate::plain::Start::Open(path) if !path.is_file() => {
            return Err(UserError(format!(
                "{}: {}",
                path.display(),
                tr(lang, "không có tệp này", "no such file")
            )));
        }
        _ => {}
    }
    let auto = crate::plain::auto(
        std::env::var("TERM").ok().as_deref(),
        std::io::stdin().is_terminal(),
        std::io::stdout().is_terminal(),
    );
    let cli_lang = cli.lang.map(Lang::from);
    if cli.plain || (auto.is_some() && !cli.full_screen) {
        if let (false, Some(why)) = (cli.plain, auto) {
            let _ = writeln!(std::io::stderr(), "{}", crate::plain::note(why, lang));
        }
        return match crate::plain::run_local(data_dir, cli_lang, start) {
            Ok(crate::plain::Ended::Saved) => Ok(()),
            Ok(crate::plain::Ended::NotSaved(reason)) => Err(UserError(reason)),
            Err(e) => Err(UserError(format!(
                "{}: {e}",
                tr(lang, "lỗi đọc/ghi", "input/output error")
            ))),
        };
    }
    let start = match start {
        crate::plain::Start::Home => None,
        crate::plain::Start::New(id) => Some(crate::tui::Effect::Create(id)),
        crate::plain::Start::Open(path) => Some(crate::tui::Effect::Open(path)),
    };
    crate::tui::runner::run_at(data_dir, cli_lang, start).map_err(|e| tui_failed(lang, e))
}

/// The terminal interface could not be started (or its terminal went away).
fn tui_failed(lang: Lang, e: std::io::Error) -> UserError {
    UserError(format!(
        "{}: {e}",
        tr(
            lang,
            "không mở được giao diện",
            "cannot start the terminal interface"
        )
    ))
}

/// A failure the user can fix: the message already says what and how.
pub struct UserError(pub String);

pub fn run(cli: Cli, out: &mut dyn Write) -> Result<(), UserError> {
    let lang = cli.lang.map_or_else(Lang::from_env, Lang::from);
    let data_dir = cli.data_dir.clone().unwrap_or_else(store::data_dir);
    let catalog = || Catalog::with_local_dir(&data_dir.join("questionnaires"));
    let w = |out: &mut dyn Write, s: &str| {
        out.write_all(s.as_bytes()).map_err(|e| {
            UserError(format!(
                "{}: {e}",
                tr(lang, "không ghi được kết quả", "cannot write the output")
            ))
        })
    };
    let start = match &cli.command {
        None => Some(crate::plain::Start::Home),
        Some(Command::New { questionnaire }) => {
            Some(crate::plain::Start::New(questionnaire.clone()))
        }
        Some(Command::Open { file }) => Some(crate::plain::Start::Open(file.clone())),
        Some(_) => None,
    };
    if let Some(start) = start {
        return wizard(&cli, data_dir, start, lang);
    }
    let Some(command) = cli.command else {
        return Ok(());
    };
    match command {
        Command::New { .. } | Command::Open { .. } => Ok(()),
        Command::Questionnaires => {
            let c = catalog();
            w(out, &list_questionnaires(&c, lang))?;
            if !c.errors.is_empty() {
                let msgs: Vec<String> = c.errors.iter().map(|e| e.render(lang)).collect();
                return Err(UserError(msgs.join("\n")));
            }
            Ok(())
        }
        Command::Validate { files } => {
            let mut failed = Vec::new();
            for f in &files {
                match validate_one(f, &catalog, lang) {
                    Ok(line) => w(out, &line)?,
                    Err(e) => failed.push(e),
                }
            }
            if failed.is_empty() {
                Ok(())
            } else {
                Err(UserError(failed.join("\n")))
            }
        }
        Command::Score { file, explain, top } => {
            let loaded = load_assessment(&file, &catalog(), lang)?;
            let report = crate::scoring::score(&loaded.questionnaire, &loaded.assessment);
            let text = match explain {
                Some(id) => score_view::explain(
                    &loaded.questionnaire,
                    &loaded.assessment,
                    &report,
                    &id,
                    lang,
                )
                .ok_or_else(|| {
                    UserError(format!(
                        "{} \"{id}\"; {}: overall, {}",
                        tr(lang, "không có điểm", "there is no score"),
                        tr(lang, "dùng một trong", "use one of"),
                        loaded
                            .questionnaire
                            .dimensions
                            .iter()
                            .map(|d| d.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?,
                None => score_view::table(
                    &loaded.questionnaire,
                    &loaded.assessment,
                    &report,
                    &loaded.notes,
                    top,
                    lang,
                ),
            };
            w(out, &text)
        }
        Command::Export {
            file,
            format,
            anonymise,
            output,
            bom,
            force,
            delimiter,
        } => {
            let guard = guard(&data_dir, std::slice::from_ref(&file), force);
            let Some(format) = format.filter(|_| !anonymise) else {
                return export_anonymised(out, &file, output.as_deref(), &guard, &catalog(), lang);
            };
            check_output(&guard, output.as_deref(), lang)?;
            let loaded = load_assessment(&file, &catalog(), lang)?;
            let (q, a) = (&loaded.questionnaire, &loaded.assessment);
            let report = crate::scoring::score(q, a);
            let rows = || export::rows(q, a, &report, lang);
            let bytes = match format {
                ExportFormat::Json => export::to_json(q, a, &report, lang).into_bytes(),
                ExportFormat::Csv => {
                    export::to_csv(&rows(), lang, &crate::output::CsvOptions { bom, delimiter })
                        .into_bytes()
                }
                ExportFormat::Xlsx => {
                    crate::report::xlsx::export(&rows(), lang).map_err(UserError)?
                }
            };
            write_bytes(
                out,
                output.as_deref(),
                &bytes,
                format == ExportFormat::Xlsx,
                lang,
            )
        }
        Command::Report {
            file,
            format,
            output,
            summary,
            sources,
            bom,
            force,
            delimiter,
        } => {
            let guard = guard(&data_dir, std::slice::from_ref(&file), force);
            check_output(&guard, output.as_deref(), lang)?;
            let loaded = load_assessment(&file, &catalog(), lang)?;
            let opts = ReportOptions {
                summary,
                sources,
                csv: crate::output::CsvOptions { bom, delimiter },
            };
            // A re-assessment's report says what changed since the earlier assessment.
            let label = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let changes = crate::report::interview::changes(
                &loaded.questionnaire,
                &loaded.assessment,
                &label,
                &catalog(),
                lang,
            );
            let bytes = report_bytes_with(&loaded, format, &opts, lang, changes)?;
            write_bytes(
                out,
                output.as_deref(),
                &bytes,
                format == ReportFormat::Xlsx,
                lang,
            )
        }
        Command::Print {
            questionnaire,
            output,
            force,
        } => {
            let guard = guard(&data_dir, &[PathBuf::from(&questionnaire)], force);
            check_output(&guard, output.as_deref(), lang)?;
            let c = catalog();
            let q = match c.find(&questionnaire, None) {
                Some(e) => e.questionnaire.clone(),
                None if Path::new(&questionnaire).exists() => std::sync::Arc::new(
                    questionnaire::load_file(Path::new(&questionnaire))
                        .map_err(|e| UserError(e.render(lang)))?,
                ),
                None => {
                    return Err(UserError(format!(
                        "{questionnaire}: {} {}",
                        tr(
                            lang,
                            "không có bộ câu hỏi hay tệp này. Có:",
                            "no such questionnaire or file. Available:"
                        ),
                        c.entries
                            .iter()
                            .map(|e| e.questionnaire.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            };
            let html = crate::report::form::render(&q, lang);
            write_out(out, output.as_deref(), &html, lang)
        }
        Command::Serve {
            listen,
            public,
            questionnaire,
            room,
            password,
            authorized_keys,
            trainer_secret,
            max_sessions,
            idle_timeout,
            dashboard,
            codes,
            login_timeout,
        } => {
            let room = room.unwrap_or_else(|| {
                crate::assessment::store::now()
                    .get(..10)
                    .unwrap_or("room")
                    .to_string()
            });
            crate::ssh::serve::serve(crate::ssh::serve::ServeOptions {
                data_dir,
                listen,
                public,
                questionnaire,
                room,
                password,
                authorized_keys,
                trainer_secret,
                // The room's language is Vietnamese unless --lang says otherwise (laptops
                // send their own LANG, which says nothing about the participant).
                lang: cli.lang.map_or(Lang::Vi, Lang::from),
                max_sessions,
                idle: (idle_timeout > 0).then(|| std::time::Duration::from_secs(idle_timeout * 60)),
                dashboard,
                codes: codes as usize,
                login_timeout: std::time::Duration::from_secs(login_timeout),
            })
            .map_err(UserError)
        }
        Command::Aggregate(args) => aggregate_cmd::run(out, &data_dir, &catalog(), args, lang),
        Command::Compare {
            old,
            new,
            format,
            output,
            force,
        } => {
            let guard = guard(&data_dir, &[old.clone(), new.clone()], force);
            check_output(&guard, output.as_deref(), lang)?;
            let c = catalog();
            let (lo, ln) = (
                load_assessment(&old, &c, lang)?,
                load_assessment(&new, &c, lang)?,
            );
            let label = |p: &Path| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            let doc = crate::report::compare::compare(
                (&lo.questionnaire, &lo.assessment, &label(&old)),
                (&ln.questionnaire, &ln.assessment, &label(&new)),
                lang,
            )
            .map_err(UserError)?;
            let text = match format {
                CompareFormat::Text => crate::report::compare::to_text(&doc),
                CompareFormat::Md => crate::report::compare::to_markdown(&doc),
                CompareFormat::Json => crate::report::compare::to_json(&doc),
            };
            // A file we write ends with our name, so the next `-o` may replace it.
            let text = match (format, &output) {
                (CompareFormat::Text | CompareFormat::Md, Some(_)) => format!(
                    "{text}\n{} {}\n",
                    if format == CompareFormat::Md {
                        "---\n\n"
                    } else {
                        "—"
                    },
                    tr(lang, "Lập bằng sansang", "Made with sansang")
                ),
                _ => text,
            };
            write_out(out, output.as_deref(), &text, lang)
        }
        Command::Reconcile {
            files,
            format,
            output,
            force,
            wizard,
        } => {
            if wizard {
                // Refused before the screen opens: files that cannot be read or do not match.
                crate::reconcile::load(&files, &catalog(), lang).map_err(UserError)?;
                return crate::tui::runner::run_at(
                    data_dir,
                    cli.lang.map(Lang::from),
                    Some(crate::tui::Effect::Reconcile(files)),
                )
                .map_err(|e| tui_failed(lang, e));
            }
            let guard = guard(&data_dir, &files, force);
            check_output(&guard, output.as_deref(), lang)?;
            let (q, sources) =
                crate::reconcile::load(&files, &catalog(), lang).map_err(UserError)?;
            let doc = crate::reconcile::compare(&q, &sources, lang);
            use crate::report::reconcile as r;
            let text = match format {
                ReconcileFormat::Text => r::to_text(&doc),
                ReconcileFormat::Md => r::to_markdown(&doc),
                ReconcileFormat::Html => r::to_html(&doc),
                ReconcileFormat::Json => r::to_json(&doc),
            };
            write_out(out, output.as_deref(), &text, lang)
        }
        Command::Reassess { old, output } => {
            let (path, carried) = crate::reassess::write_new(
                &old,
                output.as_deref(),
                &data_dir.join("assessments"),
                &catalog(),
                lang,
                &store::now(),
            )
            .map_err(UserError)?;
            w(
                out,
                &format!(
                    "{} {} ({carried} {})\n",
                    tr(lang, "Đã ghi", "Wrote"),
                    path.display(),
                    tr(
                        lang,
                        "câu trả lời mang sang, chưa xác nhận",
                        "answers carried over, not yet confirmed"
                    )
                ),
            )
        }
        Command::Schema { kind } => w(
            out,
            &match kind {
                SchemaKind::Questionnaire => crate::schema::questionnaire(),
                SchemaKind::Assessment => crate::schema::assessment(),
                SchemaKind::Report => crate::schema::report(),
                SchemaKind::Aggregate => crate::schema::aggregate(),
            },
        ),
    }
}

/// How a report is written besides its format.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportOptions {
    /// The executive summary alone (HTML and Markdown).
    pub summary: bool,
    /// The seed line numbers in the sources annex (HTML and Markdown), for auditors.
    pub sources: bool,
    pub csv: crate::output::CsvOptions,
}

/// The report of a loaded assessment in one format (the text formats).
pub fn render_report(
    loaded: &store::Loaded,
    format: ReportFormat,
    bom: bool,
    lang: Lang,
) -> Result<String, UserError> {
    let opts = ReportOptions {
        summary: false,
        sources: false,
        csv: crate::output::CsvOptions {
            bom,
            ..Default::default()
        },
    };
    let bytes = report_bytes(loaded, format, &opts, lang)?;
    String::from_utf8(bytes).map_err(|_| {
        UserError(
            tr(
                lang,
                "định dạng này không phải văn bản; hãy dùng -o",
                "this format is not text; use -o",
            )
            .to_string(),
        )
    })
}

/// The report of a loaded assessment in any format, as the bytes to write.
pub fn report_bytes(
    loaded: &store::Loaded,
    format: ReportFormat,
    opts: &ReportOptions,
    lang: Lang,
) -> Result<Vec<u8>, UserError> {
    report_bytes_with(loaded, format, opts, lang, None)
}

/// [`report_bytes`] with what changed since the assessment it was seeded from.
pub fn report_bytes_with(
    loaded: &store::Loaded,
    format: ReportFormat,
    opts: &ReportOptions,
    lang: Lang,
    changes: Option<crate::report::interview::Changes>,
) -> Result<Vec<u8>, UserError> {
    let (q, a) = (&loaded.questionnaire, &loaded.assessment);
    let r = crate::scoring::score(q, a);
    if format == ReportFormat::Csv {
        return Ok(export::to_csv(&export::rows(q, a, &r, lang), lang, &opts.csv).into_bytes());
    }
    let mut doc = crate::report::build(q, a, &r, lang, &store::now());
    doc.auditor = opts.sources;
    doc.changes = changes;
    use crate::report::html::Part;
    let part = if opts.summary {
        Part::Summary
    } else {
        Part::Full
    };
    Ok(match format {
        ReportFormat::Md => crate::report::markdown::render_part(&doc, part).into_bytes(),
        ReportFormat::Html => crate::report::html::render_part(&doc, part).into_bytes(),
        ReportFormat::Xlsx => crate::report::xlsx::report(&doc).map_err(UserError)?,
        _ => crate::report::to_json(&doc).into_bytes(),
    })
}

/// `export --anonymise`: one file to `-o` (or the screen), or a folder's files to the folder
/// `-o` as `anonymised-001.json`… (numbered in file-name order; no file name is kept).
fn export_anonymised(
    out: &mut dyn Write,
    input: &Path,
    output: Option<&Path>,
    guard: &crate::output::Guard,
    catalog: &Catalog,
    lang: Lang,
) -> Result<(), UserError> {
    let copy = |path: &Path| -> Result<String, UserError> {
        let loaded = load_assessment(path, catalog, lang)?;
        let a = crate::anonymise::assessment(&loaded.questionnaire, &loaded.assessment);
        Ok(store::to_json(&a, &loaded.questionnaire))
    };
    if !input.is_dir() {
        check_output(guard, output, lang)?;
        let text = copy(input)?;
        return write_out(out, output, &text, lang);
    }
    let Some(dir) = output else {
        return Err(UserError(
            tr(
                lang,
                "Xuất ẩn danh cả thư mục cần -o THƯ-MỤC-RA (một thư mục mới hoặc trống).",
                "Exporting a folder anonymised needs -o OUT-FOLDER (a new or empty folder).",
            )
            .to_string(),
        ));
    };
    if dir.exists() && !dir.is_dir() {
        return Err(UserError(format!(
            "{}: {}",
            dir.display(),
            tr(
                lang,
                "không phải thư mục; với một thư mục đầu vào, -o là thư mục.",
                "is not a folder; with a folder as input, -o is a folder."
            )
        )));
    }
    let (files, skipped) = crate::aggregate::expand(&[input.to_path_buf()], lang);
    name_skipped(&skipped, lang);
    // A folder of many files shows its progress on a terminal (nothing extra when piped).
    let mut progress = progress::Progress::new(lang);
    let mut written = 0;
    for (i, f) in files.iter().enumerate() {
        let target = dir.join(format!("anonymised-{:03}.json", written + 1));
        check_output(guard, Some(&target), lang)?;
        match copy(f) {
            Ok(text) => {
                store::write_text(&target, &text).map_err(|e| {
                    progress.finish();
                    UserError(e.render(lang))
                })?;
                written += 1;
            }
            Err(UserError(e)) => {
                progress.line(&format!(
                    "{}: {}",
                    tr(lang, "bỏ qua", "skipped"),
                    e.trim_end()
                ));
            }
        }
        progress.update(i + 1, i + 1 - written + skipped.len(), files.len());
    }
    progress.finish();
    if written == 0 {
        return Err(UserError(format!(
            "{}: {}",
            input.display(),
            tr(
                lang,
                "không có bản đánh giá nào đọc được",
                "no readable assessment"
            )
        )));
    }
    out.write_all(
        format!(
            "{} {written} {} {}\n",
            tr(lang, "Đã ghi", "Wrote"),
            tr(lang, "bản ẩn danh vào", "anonymised copies to"),
            dir.display()
        )
        .as_bytes(),
    )
    .map_err(|e| UserError(e.to_string()))
}

/// What `-o` may not overwrite for a command reading `inputs`.
fn guard(data_dir: &Path, inputs: &[PathBuf], force: bool) -> crate::output::Guard {
    crate::output::Guard {
        inputs: inputs.to_vec(),
        protected: vec![data_dir.join("assessments"), data_dir.join("rooms")],
        force,
    }
}

/// Refuses an output path that would destroy an input, before any work is done.
fn check_output(
    guard: &crate::output::Guard,
    path: Option<&Path>,
    lang: Lang,
) -> Result<(), UserError> {
    match path {
        Some(p) => guard.check(p).map_err(|r| UserError(r.render(lang))),
        None => Ok(()),
    }
}

/// Names every skipped file on standard error, with why.
fn name_skipped(skipped: &[crate::aggregate::Skipped], lang: Lang) {
    let mut err = std::io::stderr().lock();
    for s in skipped {
        let _ = writeln!(
            err,
            "{}: {} {}",
            tr(lang, "bỏ qua", "skipped"),
            s.file,
            s.error.trim_end()
        );
    }
}

/// Names every skipped file on standard error, then one line with the count.
fn report_skipped(doc: &crate::aggregate::AggregateDoc, lang: Lang) {
    if doc.skipped.is_empty() {
        return;
    }
    name_skipped(&doc.skipped, lang);
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "{} {} / {} {} ({} {})",
        doc.skipped.len(),
        tr(lang, "tệp bị bỏ qua", "file(s) skipped"),
        doc.files,
        tr(lang, "tệp", "file(s)"),
        doc.respondents,
        tr(lang, "bản đánh giá đọc được", "readable assessment(s)")
    );
}

/// Writes `bytes` to `path` (atomically, saying where) or to the output; a binary format needs a
/// path.
fn write_bytes(
    out: &mut dyn Write,
    path: Option<&Path>,
    bytes: &[u8],
    binary: bool,
    lang: Lang,
) -> Result<(), UserError> {
    match path {
        Some(p) => {
            store::write_bytes(p, bytes).map_err(|e| UserError(e.render(lang)))?;
            out.write_all(format!("{} {}\n", tr(lang, "Đã ghi", "Wrote"), p.display()).as_bytes())
        }
        None if binary => {
            return Err(UserError(
                tr(
                    lang,
                    "tệp Excel không in ra màn hình được: thêm -o tên-tệp.xlsx",
                    "an Excel file cannot go to the screen: add -o name.xlsx",
                )
                .to_string(),
            ));
        }
        None => out.write_all(bytes),
    }
    .map_err(|e| {
        UserError(format!(
            "{}: {e}",
            tr(lang, "không ghi được kết quả", "cannot write the output")
        ))
    })
}

/// Writes `text` to `path` (atomically, saying where) or to the output.
fn write_out(
    out: &mut dyn Write,
    path: Option<&Path>,
    text: &str,
    lang: Lang,
) -> Result<(), UserError> {
    write_bytes(out, path, text.as_bytes(), false, lang)
}

/// Validates one file: a questionnaire, or, recognised by its fields, an assessment (read as
/// `score` reads it) or the glossary (its own checks). The OK line, or every problem.
fn validate_one(f: &Path, catalog: &dyn Fn() -> Catalog, lang: Lang) -> Result<String, String> {
    use crate::fsutil::{Kind, read_text};
    use crate::questionnaire::glossary::Glossary;
    let name = f.display().to_string();
    let text = read_text(f, Kind::Assessment.cap()).map_err(|error| {
        questionnaire::LoadError::Io {
            source_name: name.clone(),
            error,
        }
        .render(lang)
    })?;
    let value: Option<serde_json::Value> = serde_json::from_str(&text).ok();
    if let Some(v) = &value
        && store::looks_like_assessment(v)
    {
        let loaded = store::parse(&text, f, &catalog()).map_err(|e| {
            format!(
                "{name}: {}\n{}",
                tr(
                    lang,
                    "đây là tệp đánh giá, không phải bộ câu hỏi; nó có lỗi:",
                    "this is an assessment file, not a questionnaire; it has a problem:"
                ),
                e.render(lang)
            )
        })?;
        return Ok(format!(
            "{name}: OK ({} {} {}, {} {})\n",
            tr(
                lang,
                "tệp đánh giá, không phải bộ câu hỏi: đọc được, theo bộ câu hỏi",
                "an assessment file, not a questionnaire: it reads, for questionnaire"
            ),
            loaded.questionnaire.id,
            loaded.questionnaire.version,
            loaded.assessment.answers.len(),
            tr(lang, "câu trả lời", "answers"),
        ));
    }
    if let Some(v) = &value
        && Glossary::looks_like(v)
    {
        let g = Glossary::parse(&text, &name).map_err(|e| e.render(lang))?;
        let problems = g.problems_in(lang);
        if !problems.is_empty() {
            return Err(format!(
                "{name}: {} {} {}\n  {}",
                tr(lang, "tệp thuật ngữ:", "a glossary file:"),
                problems.len(),
                tr(lang, "lỗi", "problem(s)"),
                problems.join("\n  ")
            ));
        }
        return Ok(format!(
            "{name}: OK ({} {} {})\n",
            tr(
                lang,
                "tệp thuật ngữ, không phải bộ câu hỏi:",
                "a glossary file, not a questionnaire:"
            ),
            g.terms.len(),
            tr(lang, "thuật ngữ", "terms"),
        ));
    }
    if text.len() as u64 > Kind::Questionnaire.cap() {
        return Err(questionnaire::LoadError::Io {
            source_name: name,
            error: crate::fsutil::ReadError::TooLarge {
                size: text.len() as u64,
                cap: Kind::Questionnaire.cap(),
            },
        }
        .render(lang));
    }
    let q = questionnaire::load_str(&text, &name).map_err(|e| e.render(lang))?;
    Ok(format!(
        "{name}: OK ({} {} {})\n",
        q.id,
        q.questions().count(),
        tr(lang, "câu hỏi", "questions")
    ))
}

fn load_assessment(path: &Path, catalog: &Catalog, lang: Lang) -> Result<store::Loaded, UserError> {
    store::read(path, catalog).map_err(|e| UserError(e.render(lang)))
}

fn list_questionnaires(c: &Catalog, lang: Lang) -> String {
    let mut out = String::new();
    for e in &c.entries {
        let q = &e.questionnaire;
        let origin = match &e.origin {
            Origin::Builtin => tr(lang, "có sẵn", "built-in").to_string(),
            Origin::File(p) => p.display().to_string(),
        };
        let minutes = q
            .estimated_minutes
            .map(|m| format!(", ~{m} {}", tr(lang, "phút", "min")))
            .unwrap_or_default();
        out.push_str(&format!(
            "{:<10} {:<7} {}\n           {} {}{minutes} · {origin}\n",
            q.id,
            q.version,
            q.title.get(lang),
            q.questions().count(),
            tr(lang, "câu hỏi", "questions"),
        ));
    }
    out
}

/// Entry point of the binary: parses arguments, runs, maps failures to exit codes, and turns a
/// panic into exit code 2 with a message instead of a backtrace dump.
pub fn main() -> std::process::ExitCode {
    use std::process::ExitCode;
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 1 } else { 0 };
            e.print().ok();
            return ExitCode::from(code);
        }
    };
    std::panic::set_hook(Box::new(|info| {
        if crate::ssh::is_session_thread() {
            // Caught and logged by the session; the server goes on.
            let _ = writeln!(
                std::io::stderr(),
                "sansang serve: một phiên lỗi nội bộ, đã đóng / a session hit an internal error and was closed: {info}"
            );
        } else {
            let _ = writeln!(
                std::io::stderr(),
                "sansang: internal error / lỗi nội bộ: {info}"
            );
        }
    }));
    let result = std::panic::catch_unwind(|| {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        run(cli, &mut lock)
    });
    match result {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(UserError(msg))) => {
            // Not eprintln!: it panics when the terminal is gone (a closed window).
            let _ = writeln!(std::io::stderr(), "{}", msg.trim_end());
            ExitCode::from(1)
        }
        Err(_) => ExitCode::from(2),
    }
}
