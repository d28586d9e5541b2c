//! The HTTP interface: one module per resource, thin handlers that parse, call one service
//! function and map the result. Errors are [`ApiError`], rendered as problem+json.

mod basemap;
mod categories;
mod error;
mod headers;
mod health;
mod incidents;
mod lang;
mod messages;
mod open311;
mod openapi;
mod photos;
mod query;
mod resilience;
mod serve;
mod tiles;
mod upload;

pub use error::{ApiError, Expected, RateLimit};
pub use lang::RequestLang;
pub use serve::serve;

use crate::app::App;
use axum::http::{HeaderName, Request};
use axum::routing::get;
use axum::{middleware, Router};
use std::sync::Arc;
use std::time::Duration;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

/// Shared state of every handler.
pub type AppState = Arc<App>;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole HTTP interface of the service.
pub fn router(app: AppState) -> Router {
    let max_body = app.config.max_request_bytes();
    let limits = resilience::TimeLimits {
        request: Duration::from_secs(app.config.request_timeout_secs),
        upload: Duration::from_secs(app.config.upload_timeout_secs),
        refusal_pause: Duration::from_millis(app.config.refusal_pause_ms),
    };
    let https = app
        .config
        .public_url
        .as_deref()
        .is_some_and(|url| url.starts_with("https://"));
    let routes = Router::new()
        .merge(categories::router())
        .merge(incidents::router(max_body))
        .merge(open311::router(max_body))
        .merge(photos::router())
        .merge(health::router())
        .merge(openapi::router())
        .merge(tiles::router())
        .merge(basemap::router(&app.config.tiles_dir))
        .fallback_service(frontend(&app.config.frontend_dir))
        .with_state(app);
    let routes =
        resilience::guard(routes, limits).layer(middleware::from_fn(error::render_problems));
    headers::secure(routes, https)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            // The path only: query strings are not logged.
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// `scheme://host` this server is reached at, for absolute URLs (TileJSON, Open311): the
/// configured public URL, else the `Host` the client used when it is one of the allowed
/// hosts, else the first allowed host, else the listen address. Any other `Host`, and
/// forwarded headers, are not trusted: any client can send them, and a cache would pass
/// the links on to others.
fn public_origin(config: &crate::config::Config, headers: &axum::http::HeaderMap) -> String {
    if let Some(url) = &config.public_url {
        return url.clone();
    }
    let requested = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|host| config.is_allowed_host(host));
    match (requested, config.allowed_hosts.first().map(String::as_str)) {
        (Some(host), _) | (None, Some(host)) => format!("http://{host}"),
        (None, None) => format!("http://{}", config.listen),
    }
}

/// The web app: its files, and `index.html` for the app's own paths (`/report`, `/t`, `/t/…`);
/// anything else unknown is a problem+json 404.
fn frontend(dir: &std::path::Path) -> Router {
    let app_page = ServeFile::new(dir.join("index.html"));
    Router::new()
        .route_service("/", app_page.clone())
        .route_service("/report", app_page.clone())
        .route_service("/t", app_page.clone())
        .route_service("/t/{tracking_number}", app_page)
        .fallback_service(ServeDir::new(dir).fallback(get(|| async { ApiError::NotFound })))
}
