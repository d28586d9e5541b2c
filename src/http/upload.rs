//! Reading a submitted form: its text fields in order, and its photos, each read with the
//! size limit as it streams in (a photo over the limit is refused before it is all read);
//! and the request headers every report carries.

use super::error::ApiError;
use crate::app::App;
use crate::intake::{IntakeError, Invalid};
use crate::media::PhotoError;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{header, HeaderMap};
use axum::Form;

/// The fields of a form, as sent. No `Debug`: it holds the reporter's contact and keys.
#[derive(Default)]
pub(super) struct FormParts {
    /// Text fields by name, in the order sent (a name may repeat).
    pub fields: Vec<(String, String)>,
    /// Uploaded photos, in order.
    pub photos: Vec<Vec<u8>>,
}

/// Whether a part carries a photo: one named as ours or Open311's `media` are, FixMyStreet
/// numbers them (`photo1`, `photo2`), and any other file is taken as one too, so that an
/// upload is checked (and refused if it is no image) rather than silently dropped.
fn is_photo(name: &str, file_name: Option<&str>) -> bool {
    let numbered = |prefix: &str| {
        name.strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    matches!(name, "photos" | "photo" | "photos[]" | "media" | "media[]")
        || numbered("photo")
        || numbered("media")
        || file_name.is_some()
}

/// The media type of the request body, lower case, without parameters.
pub(super) fn media_type(request: &Request) -> String {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Reads a URL-encoded or multipart form.
pub(super) async fn read_form(app: &App, request: Request) -> Result<FormParts, ApiError> {
    let malformed = || ApiError::MalformedBody { field: None };
    match media_type(&request).as_str() {
        "application/x-www-form-urlencoded" => {
            let Form(fields) = Form::<Vec<(String, String)>>::from_request(request, &())
                .await
                .map_err(|_| malformed())?;
            Ok(FormParts {
                fields,
                photos: Vec::new(),
            })
        }
        "multipart/form-data" => {
            let multipart = Multipart::from_request(request, &())
                .await
                .map_err(|_| malformed())?;
            read_multipart(app, multipart).await
        }
        _ => Err(ApiError::UnsupportedMediaType),
    }
}

/// The `Idempotency-Key` header, if sent.
pub(super) fn idempotency_key(headers: &HeaderMap) -> Result<Option<&str>, IntakeError> {
    headers
        .get("idempotency-key")
        .map(|value| {
            value.to_str().map_err(|_| IntakeError::Invalid {
                field: "Idempotency-Key".into(),
                reason: Invalid::IdempotencyKey,
            })
        })
        .transpose()
}

/// Reads every part of `multipart`.
async fn read_multipart(app: &App, mut multipart: Multipart) -> Result<FormParts, ApiError> {
    let mut form = FormParts::default();
    let malformed = |_| ApiError::MalformedBody { field: None };
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        if !is_photo(&name, file_name.as_deref()) {
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
        // A form's file input left empty sends a part with no file name and no bytes.
        if bytes.is_empty() && file_name.as_deref().unwrap_or_default().is_empty() {
            continue;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_found_by_name_or_by_being_files() {
        for name in ["photos", "media", "media[]", "photo1", "photo12", "media2"] {
            assert!(is_photo(name, None), "{name}");
        }
        assert!(is_photo("attachment", Some("IMG_0001.jpg")));
        for name in ["photographer", "photo_x", "description", "attribute[photo]"] {
            assert!(!is_photo(name, None), "{name}");
        }
    }
}
