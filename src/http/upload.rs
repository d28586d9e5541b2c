//! Reading a submitted form: its text fields in order, and its photos, each read with the
//! size limit as it streams in (a photo over the limit is refused before it is all read);
//! and the request headers every report carries.

use super::error::ApiError;
use crate::admission::{Admitted, ByteBudget};
use crate::app::App;
use crate::intake::{IntakeError, Invalid};
use crate::media::PhotoError;
use axum::body::Bytes;
use axum::extract::multipart::Field;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{header, HeaderMap};
use std::future::Future;

/// The fields of a form, as sent. No `Debug`: it holds the reporter's contact and keys.
#[derive(Default)]
pub(super) struct FormParts {
    /// Text fields by name, in the order sent (a name may repeat).
    pub fields: Vec<(String, String)>,
    /// Uploaded photos, in order.
    pub photos: Vec<Vec<u8>>,
    /// The room the body takes in the upload budget, given back when the form is dropped.
    pub admitted: Option<Admitted>,
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

/// Reads a URL-encoded or multipart form. `gate` sees the text fields sent before the first
/// file (all of them when there is none) and may refuse the request before any photo is
/// read; the answer holds the room the body takes in the upload budget.
pub(super) async fn read_form<E, G, F>(app: &App, request: Request, gate: G) -> Result<FormParts, E>
where
    E: From<ApiError>,
    G: FnOnce(Vec<(String, String)>) -> F,
    F: Future<Output = Result<(), E>>,
{
    match media_type(&request).as_str() {
        "application/x-www-form-urlencoded" => {
            let body = small_body(app, request).await?;
            let fields: Vec<(String, String)> = form_urlencoded::parse(&body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            gate(fields.clone()).await?;
            Ok(FormParts {
                fields,
                ..FormParts::default()
            })
        }
        "multipart/form-data" => {
            let max_bytes = app.config.max_request_bytes();
            if announced_length(&request).is_some_and(|n| n > max_bytes as u64) {
                return Err(ApiError::PayloadTooLarge {
                    field: None,
                    max_bytes,
                }
                .into());
            }
            let multipart = Multipart::from_request(request, &())
                .await
                .map_err(|_| ApiError::MalformedBody { field: None })?;
            read_multipart(app, multipart, gate).await
        }
        _ => Err(ApiError::UnsupportedMediaType.into()),
    }
}

/// A body without files (JSON or URL-encoded), read whole under the form limit.
pub(super) async fn small_body(app: &App, request: Request) -> Result<Bytes, ApiError> {
    let max_bytes = app.config.max_form_bytes;
    axum::body::to_bytes(request.into_body(), max_bytes)
        .await
        .map_err(|_| ApiError::PayloadTooLarge {
            field: None,
            max_bytes,
        })
}

/// The body length the request announces (`Content-Length`), if any.
fn announced_length(request: &Request) -> Option<u64> {
    request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

/// The room a form's photos take in the upload budget, taken as their bytes arrive: a client
/// holds only what it has sent, however large a body it announces or however slowly it
/// sends it.
struct UploadRoom<'a> {
    budget: &'a ByteBudget,
    held: Option<Admitted>,
    reserved: u64,
    received: u64,
}

/// Room is taken in steps of this many bytes.
const ROOM_STEP: u64 = 256 * 1024;

impl UploadRoom<'_> {
    /// Holds room for `bytes` more, waiting for it within the budget's wait.
    async fn take(&mut self, bytes: u64) -> Result<(), ApiError> {
        self.received += bytes;
        while self.reserved < self.received {
            let more = self.budget.admit(ROOM_STEP).await?;
            match &mut self.held {
                Some(held) => held.absorb(more),
                None => self.held = Some(more),
            }
            self.reserved += ROOM_STEP;
        }
        Ok(())
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

/// Reads every part of `multipart`, within the limits on parts, text and photos.
async fn read_multipart<E, G, F>(
    app: &App,
    mut multipart: Multipart,
    gate: G,
) -> Result<FormParts, E>
where
    E: From<ApiError>,
    G: FnOnce(Vec<(String, String)>) -> F,
    F: Future<Output = Result<(), E>>,
{
    let config = &app.config;
    let mut form = FormParts::default();
    let mut room = UploadRoom {
        budget: &app.upload_budget,
        held: None,
        reserved: 0,
        received: 0,
    };
    let mut gate = Some(gate);
    let mut parts = 0;
    let malformed = |_| ApiError::MalformedBody { field: None };
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        parts += 1;
        if parts > config.max_form_parts {
            return Err(ApiError::TooManyParts {
                max: config.max_form_parts,
            }
            .into());
        }
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        if !is_photo(&name, file_name.as_deref()) {
            let value = read_text_part(&mut field, &name, config.max_text_part_bytes).await?;
            form.fields.push((name, value));
            continue;
        }
        if let Some(gate) = gate.take() {
            gate(form.fields.clone()).await?;
        }
        let index = form.photos.len();
        if index >= config.max_photos {
            return Err(ApiError::from(IntakeError::TooManyPhotos {
                max: config.max_photos,
            })
            .into());
        }
        let bytes = read_photo_part(&mut field, index, config.max_photo_bytes, &mut room).await?;
        // A form's file input left empty sends a part with no file name and no bytes.
        if bytes.is_empty() && file_name.as_deref().unwrap_or_default().is_empty() {
            continue;
        }
        form.photos.push(bytes);
    }
    if let Some(gate) = gate {
        gate(form.fields.clone()).await?;
    }
    form.admitted = room.held;
    Ok(form)
}

/// A text part as UTF-8, refused past `max_bytes` or when it is not UTF-8, naming it.
async fn read_text_part(
    field: &mut Field<'_>,
    name: &str,
    max_bytes: usize,
) -> Result<String, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|_| ApiError::MalformedBody { field: None })?
    {
        if bytes.len() + chunk.len() > max_bytes {
            return Err(ApiError::PayloadTooLarge {
                field: Some(name.to_owned()),
                max_bytes,
            });
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| ApiError::MalformedBody {
        field: Some(name.to_owned()),
    })
}

/// A photo part, refused as soon as it passes `max_bytes`.
async fn read_photo_part(
    field: &mut Field<'_>,
    index: usize,
    max_bytes: usize,
    room: &mut UploadRoom<'_>,
) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| ApiError::MalformedBody {
        field: Some(format!("photos[{index}]")),
    })? {
        if bytes.len() + chunk.len() > max_bytes {
            let error = PhotoError::TooLarge { max_bytes };
            return Err(IntakeError::Photo { index, error }.into());
        }
        room.take(chunk.len() as u64).await?;
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
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
