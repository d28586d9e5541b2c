//! Photos: validation, decoding with limits, orientation, metadata stripping, derivatives,
//! and content-addressed storage.

mod photo;
mod storage;

pub use photo::{process_photo, PhotoError, PhotoFormat, PhotoLimits, ProcessedPhoto};
pub use storage::{PhotoStore, StorageError};
