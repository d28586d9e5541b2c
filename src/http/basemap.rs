//! The offline basemap: its TileJSON and tiles from the archive, and the style, glyphs and
//! sprites beside it in the tiles folder.

use super::error::ApiError;
use super::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use tower_http::services::{ServeDir, ServeFile};

pub fn router(tiles_dir: &std::path::Path) -> Router<AppState> {
    Router::new()
        .route("/tiles/basemap.json", get(basemap_tilejson))
        .route("/tiles/basemap/{z}/{x}/{file}", get(basemap_tile))
        .route_service(
            "/tiles/style.json",
            ServeFile::new(tiles_dir.join("style.json")),
        )
        .nest_service("/tiles/fonts", ServeDir::new(tiles_dir.join("fonts")))
        .nest_service("/tiles/sprites", ServeDir::new(tiles_dir.join("sprites")))
}

async fn basemap_tilejson(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let basemap = app.basemap.as_ref().ok_or(ApiError::NotFound)?;
    let origin = super::public_origin(&app.config, &headers);
    Ok(Json(basemap.tilejson(format!(
        "{origin}/tiles/basemap/{{z}}/{{x}}/{{y}}.pbf"
    ))))
}

async fn basemap_tile(
    State(app): State<AppState>,
    Path((z, x, file)): Path<(u8, u32, String)>,
) -> Result<Response, ApiError> {
    let basemap = app.basemap.as_ref().ok_or(ApiError::NotFound)?;
    let coord = super::tiles::tile_coord(z, x, &file)?;
    let Some(bytes) = basemap
        .tile(coord)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
    else {
        // Outside the archive: an empty tile, which the map draws as nothing.
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let mut response = (
        [(header::CONTENT_TYPE, "application/vnd.mapbox-vector-tile")],
        bytes,
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    if let Some(encoding) = basemap.content_encoding() {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    Ok(response)
}
