//! Assessments: the answers of one organisation to one questionnaire, and their files.

pub mod interview;
pub mod migrate;
pub mod model;
pub mod provenance;
pub mod store;
pub mod summary;

pub use interview::{Interview, Interviewee, SeededFrom};
pub use model::*;
pub use provenance::*;
