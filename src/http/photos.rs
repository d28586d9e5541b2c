//! Serving photo derivatives. They are re-encoded without metadata at intake and stored
//! under their content hash, so they can be cached forever.

use super::error::ApiError;
use super::AppState;
use crate::domain::PhotoId;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/photos/{id}/{variant}", get(photo))
}

/// The sizes a photo is served in.
#[derive(Debug, Clone, Copy)]
pub(super) enum PhotoSize {
    Thumb,
    Display,
}

/// Where a photo is served in `size`, relative to this server.
pub(super) fn photo_path(id: PhotoId, size: PhotoSize) -> String {
    let variant = match size {
        PhotoSize::Thumb => "thumb",
        PhotoSize::Display => "display",
    };
    format!("/api/v1/photos/{id}/{variant}.jpg")
}

async fn photo(
    State(app): State<AppState>,
    Path((id, variant)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = id.parse().map(PhotoId).map_err(|_| ApiError::NotFound)?;
    let (thumb, display) = app.store.photo_keys(id).await?.ok_or(ApiError::NotFound)?;
    let key = match variant.as_str() {
        "thumb.jpg" => thumb,
        "display.jpg" => display,
        _ => return Err(ApiError::NotFound),
    };
    // The key holds the content hash: a strong validator.
    let etag = format!(
        "\"{}\"",
        key.rsplit('/')
            .next()
            .unwrap_or(&key)
            .trim_end_matches(".jpg")
    );
    let etag = HeaderValue::try_from(etag).expect("hex is a valid header value");
    let cache = HeaderValue::from_static("public, max-age=31536000, immutable");
    if etag_matches(&headers, &etag) {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::CACHE_CONTROL, cache)],
        )
            .into_response());
    }
    let bytes = app.photos.get(&key).await?;
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg")),
        (header::ETAG, etag),
        (header::CACHE_CONTROL, cache),
    ];
    Ok((headers, bytes).into_response())
}

/// Whether the request's `If-None-Match` names `etag` (the client's copy is current).
pub(super) fn etag_matches(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| matches_etag(v, etag))
}

/// Whether an `If-None-Match` value (a list of tags, weak or strong, or `*`) names `etag`.
fn matches_etag(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(list) = if_none_match.to_str() else {
        return false;
    };
    let etag = etag.to_str().unwrap_or_default();
    list.split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_accepts_lists_weak_tags_and_star() {
        let etag = HeaderValue::from_static("\"ab12\"");
        let matches = |v: &'static str| matches_etag(&HeaderValue::from_static(v), &etag);
        assert!(matches("\"ab12\""));
        assert!(matches("\"x\", W/\"ab12\""));
        assert!(matches("*"));
        assert!(!matches("\"ab13\""));
    }
}
