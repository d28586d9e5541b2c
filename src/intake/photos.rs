//! A report's photos through intake: headers read before anything is decoded, decodes
//! admitted against the memory budget, derivatives stored durably, and the files of a
//! request that files nothing let go of.

use super::IntakeError;
use crate::app::App;
use crate::domain::PhotoId;
use crate::media::{inspect_photo, render_photo, InspectedPhoto, PhotoError, ProcessedPhoto};
use crate::store::{NewPhoto, StoreError};
use std::collections::HashSet;

/// Reads every photo's type, size and EXIF without decoding it; a photo whose decode
/// could never fit the decoding budget is refused as too large.
pub(super) fn inspect_photos(
    app: &App,
    photos: &[Vec<u8>],
) -> Result<Vec<InspectedPhoto>, IntakeError> {
    let limits = app.photo_limits();
    photos
        .iter()
        .enumerate()
        .map(|(index, bytes)| {
            let photo = inspect_photo(bytes, &limits)
                .map_err(|error| IntakeError::Photo { index, error })?;
            if photo.decode_bytes > app.decode_budget.capacity_bytes() {
                let error = PhotoError::TooManyPixels {
                    max_side: limits.max_side,
                    max_pixels: limits.max_pixels,
                };
                return Err(IntakeError::Photo { index, error });
            }
            Ok(photo)
        })
        .collect()
}

/// Decodes and re-encodes the photos on the blocking pool, one after another, each admitted
/// against the decoding budget for the memory it will hold.
pub(super) async fn render_photos(
    app: &App,
    photos: Vec<Vec<u8>>,
    inspected: Vec<InspectedPhoto>,
) -> Result<Vec<ProcessedPhoto>, IntakeError> {
    let mut processed = Vec::with_capacity(photos.len());
    for (index, (bytes, photo)) in photos.into_iter().zip(inspected).enumerate() {
        let admitted = app.decode_budget.admit(photo.decode_bytes).await?;
        let rendered = tokio::task::spawn_blocking(move || {
            let _admitted = admitted;
            render_photo(&bytes, &photo)
        })
        .await
        .map_err(|e| super::task_failed("photo", e))?;
        processed.push(rendered.map_err(|error| IntakeError::Photo { index, error })?);
    }
    Ok(processed)
}

/// Writes the derivatives to the object store, durably. Content-addressed, so a retry
/// rewrites the same keys. If one write fails, the ones before it are discarded.
pub(super) async fn store_photos(
    app: &App,
    processed: Vec<ProcessedPhoto>,
) -> Result<Vec<NewPhoto>, IntakeError> {
    let mut photos = Vec::with_capacity(processed.len());
    for p in processed {
        match store_photo(app, p).await {
            Ok(photo) => photos.push(photo),
            Err(e) => {
                settle_photos(app, &photos, true).await;
                return Err(e);
            }
        }
    }
    Ok(photos)
}

async fn store_photo(app: &App, p: ProcessedPhoto) -> Result<NewPhoto, IntakeError> {
    let thumb_key = app.photos.put_jpeg(p.thumb_jpeg).await?;
    let display_key = match app.photos.put_jpeg(p.display_jpeg).await {
        Ok(key) => key,
        Err(e) => {
            app.photos
                .settle(vec![thumb_key], true, |k| referenced(app, k))
                .await;
            return Err(e.into());
        }
    };
    Ok(NewPhoto {
        id: PhotoId::new(),
        original_sha256: p.original_sha256,
        original_format: p.format.as_str(),
        width: p.width,
        height: p.height,
        thumb_key,
        display_key,
    })
}

/// Lets go of the photo files of this request; with `discard`, deletes those nothing else
/// holds or points at.
pub(super) async fn settle_photos(app: &App, photos: &[NewPhoto], discard: bool) {
    let keys = photos
        .iter()
        .flat_map(|p| [p.thumb_key.clone(), p.display_key.clone()])
        .collect();
    app.photos
        .settle(keys, discard, |k| referenced(app, k))
        .await;
}

async fn referenced(app: &App, keys: Vec<String>) -> Result<HashSet<String>, StoreError> {
    app.store.referenced_photo_keys(&keys).await
}
