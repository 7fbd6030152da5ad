//! sansang: digital-transformation readiness questionnaires for Vietnamese agencies and
//! businesses (Decision 749/QĐ-TTg).
//!
//! The domain lives here with no terminal code: `questionnaire` (model, loading, validation,
//! catalog), `assessment` (answers, files, migration), `scoring` (scores, explanations),
//! `export` (CSV / JSON rows), `aggregate` and `report`, `room` (a workshop room's folder and
//! names). The command line is in `cli`, the interactive wizard in `tui`, the workshop SSH
//! server in `ssh` (the only modules that know about terminals or the network).

pub mod aggregate;
pub mod anonymise;
pub mod assessment;
pub mod cli;
pub mod export;
pub mod fsutil;
pub mod i18n;
pub mod locale;
pub mod output;
pub mod plain;
pub mod provinces;
pub mod questionnaire;
pub mod reassess;
pub mod reconcile;
pub mod report;
pub mod room;
pub mod schema;
pub mod scoring;
pub mod ssh;
pub mod text;
pub mod tui;
