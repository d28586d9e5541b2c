//! What keeps one request from hurting the others: a time limit on each request (body
//! included), and a panic in a handler turned into a 500 problem instead of a dropped
//! connection.

use super::ApiError;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;

/// How long a request may take, from its headers to its answer.
#[derive(Debug, Clone, Copy)]
pub(super) struct TimeLimits {
    /// Reads and everything else.
    pub request: Duration,
    /// Requests that send a body (reports with photos), which a slow phone link stretches.
    pub upload: Duration,
}

impl TimeLimits {
    fn for_method(self, method: &Method) -> Duration {
        if matches!(*method, Method::POST | Method::PUT | Method::PATCH) {
            self.upload
        } else {
            self.request
        }
    }
}

/// Wraps `router` so that a request past its time limit is answered 408 `request-timeout`
/// and a panicking handler 500 `internal`; both are [`ApiError`]s, rendered by the layer
/// outside this one like any other.
pub(super) fn guard(router: Router, limits: TimeLimits) -> Router {
    router
        .layer(CatchPanicLayer::custom(
            |_panic: Box<dyn std::any::Any + Send>| {
                // The payload may quote request data; the panic hook has printed it already.
                ApiError::Internal("a request handler panicked".into()).into_response()
            },
        ))
        .layer(middleware::from_fn_with_state(limits, time_limit))
}

/// Answers 408 when the handler (reading the body included) takes longer than allowed.
async fn time_limit(State(limits): State<TimeLimits>, request: Request, next: Next) -> Response {
    let limit = limits.for_method(request.method());
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::RequestTimeout.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    fn app() -> Router {
        let router = Router::new()
            .route(
                "/panic",
                get(|| async {
                    let empty: Vec<u8> = Vec::new();
                    // An out-of-bounds index, as a bug would have it.
                    format!("{}", empty[usize::from(empty.is_empty())])
                }),
            )
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                    "done"
                }),
            );
        let limits = TimeLimits {
            request: Duration::from_millis(50),
            upload: Duration::from_secs(60),
        };
        guard(router, limits).layer(axum::middleware::from_fn(
            super::super::error::render_problems,
        ))
    }

    async fn problem(path: &str) -> (u16, String, serde_json::Value) {
        let request = Request::builder().uri(path).body(Body::empty()).unwrap();
        let response = app().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, content_type, serde_json::from_slice(&body).unwrap())
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_500_internal_as_problem_json() {
        let (status, content_type, body) = problem("/panic?lang=en").await;
        assert_eq!(status, 500);
        assert_eq!(content_type, "application/problem+json");
        assert_eq!(body["type"], "/problems/internal");
        assert_eq!(body["lang"], "en");
    }

    #[tokio::test]
    async fn a_request_past_its_time_limit_answers_408() {
        let (status, content_type, body) = problem("/slow").await;
        assert_eq!(status, 408);
        assert_eq!(content_type, "application/problem+json");
        assert_eq!(body["type"], "/problems/request-timeout");
    }
}
