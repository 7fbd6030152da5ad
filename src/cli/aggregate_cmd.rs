//! `sansang aggregate`: files are read, scored and counted as they come (with a progress bar when
//! standard error is a terminal), then the chosen format is written, streamed to the output with
//! the respondent rows read back one at a time (the answers CSV as files are read); anonymised
//! too, the rows numbered as they are written.

use super::parse_delimiter;
use super::progress::Progress;
use super::{ByArg, UserError};
use crate::aggregate::{self, GroupBy, RunOptions};
use crate::assessment::store;
use crate::i18n::{Lang, tr};
use crate::output::CsvOptions;
use crate::questionnaire::Catalog;
use clap::ValueEnum;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
pub enum AggregateFormat {
    Md,
    Html,
    Json,
    Csv,
    Xlsx,
    /// One row per assessment and question (file, questionnaire, version, profile fields,
    /// question, kind, response, status, value, v, evidenced, dimensions), for DuckDB, pandas, R,
    /// Spark.
    AnswersCsv,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Thư mục hoặc tệp đánh giá / folders or assessment files
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Nhóm theo / group by
    #[arg(long, value_enum, default_value_t = ByArg::Questionnaire)]
    pub by: ByArg,
    /// Ẩn danh: người trả lời đánh số, không tên tổ chức hay tên tệp / anonymised: respondents numbered, no organisation or file names
    #[arg(long, visible_alias = "anonymize")]
    pub anonymise: bool,
    /// Định dạng; answers-csv: một dòng cho mỗi bản đánh giá và câu hỏi (DuckDB, pandas, R) / format; answers-csv: one row per assessment and question (DuckDB, pandas, R)
    #[arg(long, value_enum, default_value_t = AggregateFormat::Md)]
    pub format: AggregateFormat,
    /// Ghi ra tệp / write to this file
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Thêm BOM UTF-8 cho Excel (CSV) / add a UTF-8 byte-order mark for Excel (CSV)
    #[arg(long)]
    pub bom: bool,
    /// Thay thế tệp đã có không do sansang tạo / replace an existing file not written by sansang
    #[arg(long)]
    pub force: bool,
    /// Dấu phân cách CSV: ',' hoặc ';' (Excel cài đặt vùng Việt Nam; số dùng dấu phẩy thập phân) / CSV delimiter: ',' or ';' (Excel with Vietnamese regional settings; numbers get a decimal comma)
    #[arg(long, default_value = ",", value_parser = parse_delimiter)]
    pub delimiter: u8,
}

pub(super) fn run(
    out: &mut dyn Write,
    data_dir: &Path,
    catalog: &Catalog,
    a: Args,
    lang: Lang,
) -> Result<(), UserError> {
    let guard = super::guard(data_dir, &a.inputs, a.force);
    super::check_output(&guard, a.output.as_deref(), lang)?;
    let by = match a.by {
        ByArg::Questionnaire => GroupBy::Questionnaire,
        ByArg::Type => GroupBy::Type,
        ByArg::Sector => GroupBy::Sector,
        ByArg::Province => GroupBy::Province,
    };
    let mut progress = Progress::new(lang);
    let mut tick = |done, skipped, total| progress.update(done, skipped, total);
    let opts = CsvOptions {
        bom: a.bom,
        delimiter: a.delimiter,
    };
    let output = a.output.as_deref();
    if a.anonymise && a.format == AggregateFormat::AnswersCsv {
        // Each row carries the file and every profile field: anonymise the files first.
        return Err(UserError(
            tr(
                lang,
                "--anonymise không dùng với answers-csv (mỗi dòng mang tên tệp và mọi trường hồ sơ): hãy ẩn danh các tệp trước (sansang export THƯ_MỤC --anonymise -o THƯ_MỤC_MỚI) rồi tổng hợp thư mục mới",
                "--anonymise does not go with answers-csv (each row carries the file and every profile field): anonymise the files first (sansang export FOLDER --anonymise -o NEW_FOLDER), then aggregate the new folder",
            )
            .to_string(),
        ));
    }
    if a.format == AggregateFormat::Xlsx && output.is_none() {
        // A workbook never goes to the screen: said before any file is read (the refusal
        // `write_bytes` gives).
        super::write_bytes(out, None, &[], true, lang)?;
    }
    let doc = match a.format {
        AggregateFormat::AnswersCsv => {
            // Rows go out as files are read.
            let mut doc = None;
            emit(out, output, lang, &mut |w| {
                if a.bom {
                    w.write_all("\u{feff}".as_bytes())?;
                }
                let options = RunOptions {
                    progress: Some(&mut tick),
                    answers: Some(&mut *w),
                    anonymise: false,
                    shown: None,
                };
                let mut agg = aggregate::run(&a.inputs, catalog, by, lang, options);
                let failed = agg.take_error();
                doc = Some(agg.doc);
                failed.map_or(Ok(()), Err)
            })
            .inspect_err(|_| progress.finish())?;
            doc
        }
        AggregateFormat::Json
        | AggregateFormat::Csv
        | AggregateFormat::Md
        | AggregateFormat::Html
        | AggregateFormat::Xlsx => {
            let options = RunOptions {
                progress: Some(&mut tick),
                answers: None,
                anonymise: a.anonymise,
                shown: None,
            };
            let mut agg = aggregate::run(&a.inputs, catalog, by, lang, options);
            progress.finish();
            emit(out, output, lang, &mut |w| match a.format {
                AggregateFormat::Json => agg.write_json(w),
                AggregateFormat::Md => agg.write_markdown(w),
                AggregateFormat::Html => agg.write_html(w),
                AggregateFormat::Xlsx => agg.write_xlsx(w),
                _ => agg.write_csv(w, &opts),
            })?;
            Some(agg.doc)
        }
    };
    progress.finish();
    let Some(doc) = doc else {
        return Ok(());
    };
    super::report_skipped(&doc, lang);
    if doc.respondents == 0 {
        return Err(UserError(format!(
            "{} ({} {})",
            tr(
                lang,
                "không có bản đánh giá nào đọc được",
                "no readable assessment"
            ),
            doc.skipped.len(),
            tr(lang, "tệp bị bỏ qua", "file(s) skipped")
        )));
    }
    Ok(())
}

/// Streams what `fill` writes to `path` (atomically, saying where) or to the output.
fn emit(
    out: &mut dyn Write,
    path: Option<&Path>,
    lang: Lang,
    fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), UserError> {
    let cannot = |e: std::io::Error| {
        UserError(format!(
            "{}: {e}",
            tr(lang, "không ghi được kết quả", "cannot write the output")
        ))
    };
    match path {
        Some(p) => {
            store::write_with(p, fill).map_err(|e| UserError(e.render(lang)))?;
            writeln!(out, "{} {}", tr(lang, "Đã ghi", "Wrote"), p.display()).map_err(cannot)
        }
        None => {
            let mut w = std::io::BufWriter::with_capacity(64 * 1024, out);
            fill(&mut w).and_then(|()| w.flush()).map_err(cannot)
        }
    }
}
