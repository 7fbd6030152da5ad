//! Assessments: the answers of one organisation to one questionnaire, and their files.

pub mod migrate;
pub mod model;
pub mod provenance;
pub mod store;

pub use model::*;
pub use provenance::*;
