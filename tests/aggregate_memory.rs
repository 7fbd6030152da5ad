//! Peak memory of `sansang aggregate` does not grow with the number of files.
//!
//! In a test binary of its own: a child's peak resident memory as the kernel reports it
//! (`ru_maxrss` from `wait4`) starts from the parent's peak at the moment the child starts (the
//! child is spawned from the parent's memory), so measured beside other tests of the same process
//! that hold tens of megabytes it measured them (about one run in three failed, on main too).
//! Alone, the parent holds a few megabytes at most.

mod common;
use common::generated::generate;
use sansang::assessment::store;
use sansang::questionnaire::Catalog;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `n` generated workshop assessments in `folder`, written plainly (no sync: only read here).
fn plain_files(folder: &Path, n: u64) -> PathBuf {
    std::fs::create_dir_all(folder).unwrap();
    let c = Catalog::builtin();
    let e = c.find("workshop", None).unwrap();
    for seed in 0..n {
        let mut a = generate(&e.questionnaire, seed);
        a.questionnaire.hash = e.hash.clone();
        std::fs::write(
            folder.join(format!("w-{seed:05}.json")),
            store::to_json(&a, &e.questionnaire),
        )
        .unwrap();
    }
    folder.to_path_buf()
}

/// Peak resident memory (bytes) of `sansang aggregate FOLDER --format FORMAT` (and `more`
/// arguments), from `wait4`.
#[cfg(target_os = "linux")]
#[allow(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which gives its usage"
)]
fn peak_memory(folder: &Path, format: &str, more: &[&str], out: &Path) -> u64 {
    let child = Command::new(env!("CARGO_BIN_EXE_sansang"))
        .args(["aggregate", folder.to_str().unwrap(), "--by", "province"])
        .args(["--format", format, "--force", "-o", out.to_str().unwrap()])
        .args(more)
        .env("SANSANG_DATA_DIR", out.parent().unwrap())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: a zeroed rusage is valid, and wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{format} {more:?}: {status}"
    );
    // Linux gives kilobytes.
    usage.ru_maxrss as u64 * 1024
}

/// Peak memory does not grow with the number of files, whatever the format: the respondents are
/// written as they are read back from where the run kept them, never held all at once (tables
/// for people included: Markdown, HTML and Excel were made whole, about 1 KB more per file, and
/// 6 KB for Excel), anonymised or not (an anonymised aggregate was made whole, to replace the
/// file names across it). Measured on the binary for 600 and 6,000 files; the margin is generous
/// and nothing is timed.
#[cfg(target_os = "linux")]
#[test]
fn peak_memory_is_flat_in_the_number_of_files_for_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let small = plain_files(&dir.path().join("small"), 600);
    let large = plain_files(&dir.path().join("large"), 6000);
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    for more in [&[][..], &["--anonymise"]] {
        for format in ["md", "html", "xlsx", "json", "csv"] {
            let file = out.join(format!("aggregate.{format}"));
            let a = peak_memory(&small, format, more, &file);
            let b = peak_memory(&large, format, more, &file);
            assert!(
                b < a + 2_500_000,
                "{format} {more:?}: {a} bytes at most for 600 files, {b} for 6,000"
            );
        }
    }
}
