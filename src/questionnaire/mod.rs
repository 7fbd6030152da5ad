//! Questionnaires as data: the model, loading with located errors, validation, the catalog of
//! built-in and local files, and the glossary.

pub mod catalog;
pub mod condition;
pub mod glossary;
pub mod load;
pub mod model;
pub mod validate;

pub use catalog::{Catalog, Entry, Origin};
pub use load::{LoadError, content_hash, load_file, load_str};
pub use model::*;
pub use validate::{Issue, validate};
