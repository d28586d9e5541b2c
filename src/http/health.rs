//! Liveness and readiness probes for load balancers and orchestrators.

use super::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The process answers.
async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The database answers and the indexes are loaded.
async fn readyz(State(app): State<AppState>) -> (StatusCode, Json<Value>) {
    let database = app.store.ping().await;
    let zones = app.directory.current().zones().len();
    let ready = database && zones > 0;
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if ready { "ready" } else { "not_ready" },
        "database": database,
        "zones": zones,
        "open_incidents": app.incidents.len(),
    });
    (status, Json(body))
}
