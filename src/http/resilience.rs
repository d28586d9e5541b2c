//! What keeps one request from hurting the others: a time limit on each request (body
//! included), a pause before a rate-limited client hears its 429, and a panic in a handler
//! turned into a 500 problem instead of a dropped connection.

use super::ApiError;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
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
    /// How long a client over its rate limit waits for its 429. A flooding client waits for
    /// each answer on its connection, so this caps what each connection can send, and the
    /// flood stops costing the service a core of refusals.
    pub refusal_pause: Duration,
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

/// Answers 408 when the handler (reading the body included) takes longer than allowed, and
/// holds a 429 back for the refusal pause.
async fn time_limit(State(limits): State<TimeLimits>, request: Request, next: Next) -> Response {
    let limit = limits.for_method(request.method());
    let response = match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::RequestTimeout.into_response(),
    };
    // Outside the time limit, so that a long pause never turns a 429 into a 408.
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        tokio::time::sleep(limits.refusal_pause).await;
    }
    response
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
                "/limited",
                axum::routing::post(|| async {
                    ApiError::TooManyRequests {
                        limit: crate::http::RateLimit::Reports,
                        retry_after_secs: 9,
                    }
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
            refusal_pause: Duration::from_secs(7),
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

    #[tokio::test(start_paused = true)]
    async fn a_client_over_its_limit_hears_its_429_after_the_pause() {
        let started = tokio::time::Instant::now();
        let request = Request::post("/limited").body(Body::empty()).unwrap();
        let response = app().oneshot(request).await.unwrap();
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["retry-after"], "9");
        // The clock is tokio's paused one: it moves only as far as the pause sleeps.
        assert_eq!(started.elapsed().as_secs(), 7);
    }
}
