//! Photos: validation, decoding with limits, orientation, metadata stripping, derivatives,
//! and content-addressed storage.

mod photo;
mod scaled_jpeg;
mod storage;

pub use photo::{
    inspect_photo, process_photo, render_photo, InspectedPhoto, PhotoError, PhotoFormat,
    PhotoLimits, ProcessedPhoto,
};
pub use storage::{PhotoStore, StorageError};
