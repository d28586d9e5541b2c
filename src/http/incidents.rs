//! Reporting incidents and reading them back: by tracking number, by area, and nearby.

mod client;
mod form;
mod view;

use super::error::{ApiError, Expected};
use super::query::QueryParams;
use super::{AppState, RequestLang};
use crate::domain::{CategoryCode, IncidentId, LonLat, SourceChannel, Status, TrackingNumber};
use crate::intake::{file_report, Filed};
use crate::store::IncidentFilter;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Datelike, Utc};
use std::collections::HashMap;

pub fn router(max_body_bytes: usize) -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/incidents",
            get(list_incidents).post(report_incident),
        )
        .route("/api/v1/incidents/nearby", get(nearby_incidents))
        .route("/api/v1/incidents/{tracking_number}", get(get_incident))
        .layer(DefaultBodyLimit::max(max_body_bytes))
}

/// `POST /api/v1/incidents`, as JSON or as a multipart form with photos.
async fn report_incident(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    request: Request,
) -> Result<Response, ApiError> {
    // Counted before the body is read: a refusal costs the upload nothing. Replays of an
    // Idempotency-Key count too (a retrying client stays well within the burst).
    let client = client::client_of(&request, &app.config.trusted_proxies);
    if let Some(client) = client {
        app.limits.check_report(client)?;
    }
    let (mut input, _upload) = form::read_report(&app, request).await?;
    input.limited_as = client;
    let key = super::upload::idempotency_key(&headers)?;
    let Filed { incident, replayed } = file_report(&app, input, SourceChannel::Api, key).await?;
    let timeline = app.store.public_timeline(incident.id).await?;
    let location = format!("/api/v1/incidents/{}", incident.tracking_number);
    let status = if replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let mut response = (
        status,
        Json(view::incident_json(&incident, &timeline, lang)),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::LOCATION,
        HeaderValue::try_from(location).expect("tracking numbers are ASCII"),
    );
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// `GET /api/v1/incidents/{tracking_number}`: the public view with its timeline.
async fn get_incident(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(raw): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let tracking = TrackingNumber::parse(&raw).map_err(|_| ApiError::InvalidTrackingNumber)?;
    let incident = app
        .store
        .public_incident(&tracking)
        .await?
        .ok_or(ApiError::UnknownTrackingNumber)?;
    let timeline = app.store.public_timeline(incident.id).await?;
    Ok(Json(view::incident_json(&incident, &timeline, lang)))
}

const DEFAULT_PAGE: u32 = 100;
const MAX_PAGE: u32 = 1000;

/// `GET /api/v1/incidents?bbox=&status=&category=&limit=&cursor=`: a GeoJSON page.
async fn list_incidents(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let q = QueryParams::new(raw);
    let filter = IncidentFilter {
        jurisdiction: app.directory.current().jurisdiction.clone(),
        bbox: q.text("bbox").map(parse_bbox).transpose()?,
        statuses: q.list("status", Expected::Status, |s| s.parse::<Status>().ok())?,
        categories: q.list("category", Expected::Category, CategoryCode::parse)?,
        tracking_numbers: Vec::new(),
        created_from: None,
        created_until: None,
        before: q.text("cursor").map(parse_cursor).transpose()?,
        limit: q.integer_in("limit", 1, MAX_PAGE, DEFAULT_PAGE)?.into(),
    };
    let page = app.store.list_incidents(&filter).await?;
    let next = page
        .has_more
        .then(|| page.incidents.last())
        .flatten()
        .map(|last| {
            let mut params: Vec<(String, String)> = q
                .pairs()
                .filter(|(k, _)| *k != "cursor")
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            params.push(("cursor".into(), cursor_of(last.created_at, last.id)));
            params.sort();
            let query: Vec<String> = params
                .iter()
                .map(|(k, v)| format!("{k}={}", super::query::urlencode(v)))
                .collect();
            format!("/api/v1/incidents?{}", query.join("&"))
        });
    Ok(Json(view::feature_collection(&page.incidents, next, lang)))
}

const DEFAULT_RADIUS_M: u32 = 50;
const MAX_RADIUS_M: u32 = 2000;

/// `GET /api/v1/incidents/nearby?lat=&lon=&radius_m=&category=`: open incidents, nearest
/// first, from the in-memory index.
async fn nearby_incidents(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let q = QueryParams::new(raw);
    let bad = |field, expected| ApiError::InvalidParameter { field, expected };
    let lat = q.number("lat")?.ok_or(bad("lat", Expected::Number))?;
    let lon = q.number("lon")?.ok_or(bad("lon", Expected::Number))?;
    let centre = LonLat::new(lon, lat).map_err(|e| match e {
        crate::domain::CoordError::Longitude => bad("lon", Expected::Longitude),
        crate::domain::CoordError::Latitude => bad("lat", Expected::Latitude),
    })?;
    let radius = q.integer_in("radius_m", 1, MAX_RADIUS_M, DEFAULT_RADIUS_M)?;
    let limit = q.integer_in("limit", 1, 50, 10)?;
    let directory = app.directory.current();
    let category = q
        .text("category")
        .map(|c| {
            CategoryCode::parse(c)
                .filter(|c| directory.category(c).is_some())
                .ok_or(bad("category", Expected::Category))
        })
        .transpose()?;
    let found = app
        .incidents
        .nearby_open(centre, radius.into(), category.as_ref(), limit as usize);
    Ok(Json(view::nearby_json(&found, &directory, lang)))
}

fn parse_bbox(raw: &str) -> Result<[f64; 4], ApiError> {
    let bad = ApiError::InvalidParameter {
        field: "bbox",
        expected: Expected::Bbox,
    };
    let numbers: Vec<f64> = raw
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad)?;
    let [min_lon, min_lat, max_lon, max_lat] = numbers[..] else {
        return Err(ApiError::InvalidParameter {
            field: "bbox",
            expected: Expected::Bbox,
        });
    };
    let valid = LonLat::new(min_lon, min_lat).is_ok()
        && LonLat::new(max_lon, max_lat).is_ok()
        && min_lon < max_lon
        && min_lat < max_lat;
    valid
        .then_some([min_lon, min_lat, max_lon, max_lat])
        .ok_or(ApiError::InvalidParameter {
            field: "bbox",
            expected: Expected::Bbox,
        })
}

/// An opaque keyset cursor: the creation time in microseconds and the id of the last item.
fn cursor_of(created_at: DateTime<Utc>, id: IncidentId) -> String {
    format!("{}_{}", created_at.timestamp_micros(), id)
}

fn parse_cursor(raw: &str) -> Result<(DateTime<Utc>, IncidentId), ApiError> {
    let bad = ApiError::InvalidParameter {
        field: "cursor",
        expected: Expected::Cursor,
    };
    let (micros, id) = raw.split_once('_').ok_or(bad)?;
    // Our cursors name a creation time: from 1970 to the year 9999 (PostgreSQL holds no
    // time past 294276, chrono none past 262143).
    let at = micros
        .parse()
        .ok()
        .and_then(DateTime::from_timestamp_micros)
        .filter(|at| (1970..=9999).contains(&at.year()));
    let id = id.parse().ok().map(IncidentId);
    at.zip(id).ok_or(ApiError::InvalidParameter {
        field: "cursor",
        expected: Expected::Cursor,
    })
}
