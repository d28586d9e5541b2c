//! The HTTP interface: one module per resource, thin handlers that parse, call one service
//! function and map the result. Errors are [`ApiError`], rendered as problem+json.

mod basemap;
mod categories;
mod error;
mod health;
mod incidents;
mod lang;
mod messages;
mod open311;
mod openapi;
mod photos;
mod query;
mod tiles;
mod upload;

pub use error::{ApiError, Expected, RateLimit};
pub use lang::RequestLang;

use crate::app::App;
use axum::http::{HeaderName, Request};
use axum::routing::get;
use axum::{middleware, Router};
use std::sync::Arc;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

/// Shared state of every handler.
pub type AppState = Arc<App>;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole HTTP interface of the service.
pub fn router(app: AppState) -> Router {
    let max_body = app.config.max_request_bytes();
    Router::new()
        .merge(categories::router())
        .merge(incidents::router(max_body))
        .merge(open311::router(max_body))
        .merge(photos::router())
        .merge(health::router())
        .merge(openapi::router())
        .merge(tiles::router())
        .merge(basemap::router(&app.config.tiles_dir))
        .fallback_service(frontend(&app.config.frontend_dir))
        .layer(middleware::from_fn(error::render_problems))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            // The path only: query strings are not logged.
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(app)
}

/// `scheme://host` this server is reached at, for absolute URLs (TileJSON, Open311): the
/// configured public URL, else the `Host` the client used. Forwarded headers are not
/// trusted (any client can send them, and a cache would pass the result on to others):
/// behind a proxy, set `SEMNAL_PUBLIC_URL`.
fn public_origin(config: &crate::config::Config, headers: &axum::http::HeaderMap) -> String {
    if let Some(url) = &config.public_url {
        return url.clone();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map_or_else(|| config.listen.to_string(), str::to_owned);
    format!("http://{host}")
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

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(app: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
