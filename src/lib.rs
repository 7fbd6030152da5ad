//! sansang: digital-transformation readiness questionnaires for Vietnamese agencies and
//! businesses (Decision 749/QĐ-TTg).
//!
//! The domain lives here with no terminal code: `questionnaire` (model, loading, validation,
//! catalog), `assessment` (answers, files, migration), `scoring` (scores, explanations),
//! `export` (CSV / JSON rows). The command line is in `cli`, the interactive wizard in `tui`
//! (the only modules that know about terminals).

pub mod aggregate;
pub mod assessment;
pub mod cli;
pub mod export;
pub mod i18n;
pub mod questionnaire;
pub mod report;
pub mod schema;
pub mod scoring;
pub mod text;
pub mod tui;
