//! Vector tiles of incidents and zones, and their TileJSON documents.

use super::error::{ApiError, Expected};
use super::query::QueryParams;
use super::AppState;
use crate::domain::Status;
use crate::tiles::{day_number, MapFilter, Tile, TileCoord, TileError};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{NaiveDate, Utc};
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tiles/incidents.json", get(incidents_tilejson))
        .route("/tiles/incidents/{z}/{x}/{file}", get(incident_tile))
        .route("/tiles/zones.json", get(zones_tilejson))
        .route("/tiles/zones/{z}/{x}/{file}", get(zone_tile))
}

/// Incident tiles may change with every report: caches revalidate after a few seconds.
const INCIDENT_CACHE: &str = "public, max-age=5, must-revalidate";
const ZONE_CACHE: &str = "public, max-age=300";
const MVT: &str = "application/vnd.mapbox-vector-tile";
/// The query parameters of an incident tile, in the order TileJSON writes them.
const MAP_FILTERS: [&str; 4] = ["category", "department", "since", "status"];

async fn incident_tile(
    State(app): State<AppState>,
    Path((z, x, file)): Path<(u8, u32, String)>,
    Query(raw): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let coord = tile_coord(z, x, &file)?;
    let filter = map_filter(&app, &QueryParams::new(raw))?;
    let tile = app
        .map
        .tile(coord, &filter, day_number(Utc::now()))
        .await
        .map_err(|e| match e {
            TileError::Busy { retry_after_secs } => ApiError::Busy { retry_after_secs },
            other => ApiError::Internal(other.to_string()),
        })?;
    Ok(tile_response(tile, INCIDENT_CACHE, &headers))
}

async fn zone_tile(
    State(app): State<AppState>,
    Path((z, x, file)): Path<(u8, u32, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let coord = tile_coord(z, x, &file)?;
    let tile = app.zone_tiles().tile(coord).map_err(encoding_failed)?;
    Ok(tile_response(tile, ZONE_CACHE, &headers))
}

async fn incidents_tilejson(
    State(app): State<AppState>,
    Query(raw): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let q = QueryParams::new(raw);
    map_filter(&app, &q)?;
    // Only the filters pass through to the tiles' URL, encoded: anything else a client
    // adds stays out of a document others may be handed from a cache.
    let query: Vec<String> = MAP_FILTERS
        .iter()
        .filter_map(|name| {
            q.text(name)
                .map(|v| format!("{name}={}", super::query::urlencode(v)))
        })
        .collect();
    let suffix = if query.is_empty() {
        String::new()
    } else {
        format!("?{}", query.join("&"))
    };
    let mut fields = json!({
        "cluster": "Boolean: a cluster of incidents, or a single one",
        "count": "Number: incidents in the cluster",
        "expansion_zoom": "Number: the zoom at which the cluster breaks apart",
        "dominant_status": "String: the most frequent status in the cluster",
        "open": "Number: incidents of the cluster still open",
        "tracking_number": "String: the incident's public tracking number",
        "category": "String: category code",
        "status": "String: status",
        "priority": "String: priority",
        "age_days": "Number: days since the report",
    });
    for status in Status::ALL {
        fields[format!("status_{status}")] =
            json!("Number: incidents of the cluster in this status");
    }
    for code in app.map.catalog().categories() {
        fields[format!("category_{code}")] =
            json!("Number: incidents of the cluster in this category");
    }
    Ok(Json(tilejson(
        &app,
        &headers,
        "incidents",
        &format!("/tiles/incidents/{{z}}/{{x}}/{{y}}.mvt{suffix}"),
        fields,
    )))
}

async fn zones_tilejson(State(app): State<AppState>, headers: HeaderMap) -> Json<Value> {
    let fields = json!({ "code": "String: zone code", "name": "String: zone name" });
    Json(tilejson(
        &app,
        &headers,
        "zones",
        "/tiles/zones/{z}/{x}/{y}.mvt",
        fields,
    ))
}

/// A TileJSON 3.0 document of one of our layers.
fn tilejson(app: &AppState, headers: &HeaderMap, layer: &str, path: &str, fields: Value) -> Value {
    let directory = app.directory.current();
    let zones = directory.zones();
    let (bounds, center) = match (zones.bounds(), zones.centre()) {
        (Some([w, s, e, n]), Some(c)) => (json!([w, s, e, n]), json!([c.lon(), c.lat(), 13])),
        _ => (json!([-180, -85.0511, 180, 85.0511]), json!([0, 0, 2])),
    };
    json!({
        "tilejson": "3.0.0",
        "name": format!("semnal {layer}"),
        "scheme": "xyz",
        "tiles": [format!("{}{path}", super::public_origin(&app.config, headers))],
        "minzoom": 0,
        "maxzoom": crate::tiles::MAX_ZOOM,
        "bounds": bounds,
        "center": center,
        "vector_layers": [{ "id": layer, "fields": fields, "minzoom": 0, "maxzoom": crate::tiles::MAX_ZOOM }],
    })
}

/// Reads `z/x/{y}.mvt` (or `.pbf`) into a tile address.
pub(super) fn tile_coord(z: u8, x: u32, file: &str) -> Result<TileCoord, ApiError> {
    let y = file
        .strip_suffix(".mvt")
        .or_else(|| file.strip_suffix(".pbf"))
        .and_then(|y| y.parse().ok())
        .ok_or(ApiError::InvalidParameter {
            field: "y",
            expected: Expected::Number,
        })?;
    TileCoord::new(z, x, y).map_err(|_| ApiError::InvalidParameter {
        field: "z",
        expected: Expected::Range {
            min: 0,
            max: u32::from(crate::tiles::MAX_ZOOM),
        },
    })
}

/// Reads `category`, `status`, `department` (comma lists) and `since` (a date).
fn map_filter(app: &AppState, q: &QueryParams) -> Result<MapFilter, ApiError> {
    let catalog = app.map.catalog();
    let categories = q.list("category", Expected::Category, |c| {
        catalog.category_index(c)
    })?;
    let statuses = q.list("status", Expected::Status, |s| {
        s.parse::<Status>()
            .ok()
            .and_then(|s| Status::ALL.iter().position(|a| *a == s))
            .map(|i| i as u8)
    })?;
    let departments = q.list("department", Expected::Department, |d| {
        catalog.department_index(d)
    })?;
    // Days are UTC days; the layer clamps them to the days it holds.
    let since = q
        .text("since")
        .map(|d| {
            NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d")
                .ok()
                .and_then(|date| date.and_hms_opt(0, 0, 0))
                .map(|midnight| day_number(midnight.and_utc()))
                .ok_or(ApiError::InvalidParameter {
                    field: "since",
                    expected: Expected::Date,
                })
        })
        .transpose()?;
    Ok(MapFilter::new(categories, statuses, departments, since))
}

fn tile_response(tile: Tile, cache: &'static str, headers: &HeaderMap) -> Response {
    let etag = HeaderValue::try_from(tile.etag).expect("hex is a valid header value");
    let cache = HeaderValue::from_static(cache);
    if super::photos::etag_matches(headers, &etag) {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::CACHE_CONTROL, cache)],
        )
            .into_response();
    }
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(MVT)),
        (header::ETAG, etag),
        (header::CACHE_CONTROL, cache),
    ];
    (headers, tile.bytes).into_response()
}

fn encoding_failed(e: mvt::Error) -> ApiError {
    ApiError::Internal(format!("tile encoding: {e}"))
}
