//! Assessments: the answers of one organisation to one questionnaire, and their files.

pub mod migrate;
pub mod model;
pub mod store;
pub mod summary;

pub use model::*;
