//! The OpenAPI document of the public API, kept beside the handlers it describes.

use super::AppState;
use axum::http::header;
use axum::routing::get;
use axum::Router;

const DOCUMENT: &str = include_str!("openapi.json");

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/openapi.json",
        get(|| async { ([(header::CONTENT_TYPE, "application/json")], DOCUMENT) }),
    )
}
