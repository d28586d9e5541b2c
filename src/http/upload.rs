//! Reading a multipart form: its text fields in order, and its photos, each read with the
//! size limit as it streams in (a photo over the limit is refused before it is all read).

use super::error::ApiError;
use crate::app::App;
use crate::intake::IntakeError;
use crate::media::PhotoError;
use axum::extract::Multipart;

/// The fields of a form, as sent.
#[derive(Debug, Default)]
pub(super) struct FormParts {
    /// Text fields by name, in the order sent (a name may repeat).
    pub fields: Vec<(String, String)>,
    /// Uploaded photos, in order.
    pub photos: Vec<Vec<u8>>,
}

/// The part names that carry photos: ours and Open311's `media`.
fn is_photo(name: &str) -> bool {
    matches!(name, "photos" | "photo" | "photos[]" | "media" | "media[]")
}

/// Reads every part of `multipart`.
pub(super) async fn read_multipart(
    app: &App,
    mut multipart: Multipart,
) -> Result<FormParts, ApiError> {
    let mut form = FormParts::default();
    let malformed = |_| ApiError::MalformedBody { field: None };
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        if !is_photo(&name) {
            let value = field.text().await.map_err(malformed)?;
            form.fields.push((name, value));
            continue;
        }
        let index = form.photos.len();
        if index >= app.config.max_photos {
            return Err(IntakeError::TooManyPhotos {
                max: app.config.max_photos,
            }
            .into());
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| ApiError::PayloadTooLarge {
            field: Some(format!("photos[{index}]")),
            max_bytes: app.config.max_request_bytes(),
        })? {
            if bytes.len() + chunk.len() > app.config.max_photo_bytes {
                let error = PhotoError::TooLarge {
                    max_bytes: app.config.max_photo_bytes,
                };
                return Err(IntakeError::Photo { index, error }.into());
            }
            bytes.extend_from_slice(&chunk);
        }
        form.photos.push(bytes);
    }
    Ok(form)
}

/// `attribute[depth_cm]` or `attributes[depth_cm]` (optionally with `[]`) → `depth_cm`.
pub(super) fn attribute_code(name: &str) -> Option<&str> {
    let inner = name
        .strip_prefix("attribute[")
        .or_else(|| name.strip_prefix("attributes["))?;
    inner
        .strip_suffix("][]")
        .or_else(|| inner.strip_suffix(']'))
}
