//! The one error type of the HTTP layer, rendered as `application/problem+json`
//! (RFC 9457) with the offending field, in the request's language.
//!
//! Handlers return [`ApiError`]; its response carries the error as an extension, and the
//! [`render_problems`] middleware, which knows the request's language, writes the body.

use super::lang::RequestLang;
use crate::domain::Lang;
use crate::intake::IntakeError;
use crate::media::PhotoError;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Everything that can go wrong in a request, as the client should hear it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Intake(IntakeError),
    #[error("query parameter {field} is invalid")]
    InvalidParameter {
        field: &'static str,
        expected: Expected,
    },
    #[error("malformed request body")]
    MalformedBody { field: Option<String> },
    #[error("unsupported content type")]
    UnsupportedMediaType,
    #[error("request body too large")]
    PayloadTooLarge {
        field: Option<String>,
        max_bytes: usize,
    },
    #[error("more than {max} parts in a form")]
    TooManyParts { max: usize },
    #[error("malformed tracking number")]
    InvalidTrackingNumber,
    #[error("unknown tracking number")]
    UnknownTrackingNumber,
    #[error("not found")]
    NotFound,
    /// Expensive work (photo decoding, map builds, uploads in flight) is at its budget.
    #[error("busy: retry in {retry_after_secs} s")]
    Busy { retry_after_secs: u32 },
    /// The database does not answer in time.
    #[error("the database is unavailable")]
    Unavailable { retry_after_secs: u32 },
    /// The client has used up one of its limits.
    #[error("rate limit reached: {limit:?}")]
    TooManyRequests {
        limit: RateLimit,
        retry_after_secs: u32,
    },
    /// The request (its headers, its body or its whole handling) took too long.
    #[error("request timeout")]
    RequestTimeout,
    #[error("internal: {0}")]
    Internal(String),
    #[error(transparent)]
    Store(crate::store::StoreError),
    #[error(transparent)]
    Storage(#[from] crate::media::StorageError),
}

/// What a client is told to wait when the database is away: a restart or failover takes
/// seconds, and the pool reconnects by itself.
const DATABASE_RETRY_AFTER_SECS: u32 = 5;

impl From<IntakeError> for ApiError {
    /// Intake's refusals keep their detail; running out of a budget, or the database being
    /// away, is the same answer whichever layer met it.
    fn from(e: IntakeError) -> Self {
        match e {
            IntakeError::Busy(exhausted) => exhausted.into(),
            IntakeError::Limited(limited) => limited.into(),
            IntakeError::Store(e) => e.into(),
            other => ApiError::Intake(other),
        }
    }
}

impl From<crate::admission::Exhausted> for ApiError {
    /// A budget that stayed full: 503 with the wait, whichever budget it was.
    fn from(e: crate::admission::Exhausted) -> Self {
        ApiError::Busy {
            retry_after_secs: e.retry_after_secs,
        }
    }
}

impl From<crate::store::StoreError> for ApiError {
    /// An unreachable or timed-out database is 503 with `Retry-After`; anything else the
    /// database says is our fault (500).
    fn from(e: crate::store::StoreError) -> Self {
        if e.is_unavailable() {
            tracing::warn!(error = %e, "database unavailable");
            ApiError::Unavailable {
                retry_after_secs: DATABASE_RETRY_AFTER_SECS,
            }
        } else {
            ApiError::Store(e)
        }
    }
}

impl From<crate::limits::Limited> for ApiError {
    /// A client over one of its limits: 429 with the wait.
    fn from(limited: crate::limits::Limited) -> Self {
        use crate::limits::Limited;
        match limited {
            Limited::Reports { retry_after_secs } => ApiError::TooManyRequests {
                limit: RateLimit::Reports,
                retry_after_secs,
            },
            Limited::PhotoBytes { retry_after_secs } => ApiError::TooManyRequests {
                limit: RateLimit::PhotoBytes,
                retry_after_secs,
            },
        }
    }
}

/// Which per-client limit was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimit {
    /// Reports filed per minute.
    Reports,
    /// Photo bytes uploaded per day.
    PhotoBytes,
}

/// What a query parameter should have looked like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Bbox,
    Number,
    Status,
    Category,
    Range { min: u32, max: u32 },
    Latitude,
    Longitude,
    Cursor,
    Department,
    Date,
    TrackingNumber,
}

/// A problem as it goes over the wire.
pub(super) struct Problem {
    pub status: StatusCode,
    /// Short machine-readable name, also the tail of the `type` URI.
    pub slug: &'static str,
    pub field: Option<String>,
}

impl ApiError {
    pub(super) fn problem(&self) -> Problem {
        use IntakeError as I;
        let p = |status, slug, field: Option<String>| Problem {
            status,
            slug,
            field,
        };
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        match self {
            ApiError::Intake(e) => match e {
                I::Missing { field } => p(unprocessable, "missing-field", Some((*field).into())),
                I::Invalid { field, .. } => p(unprocessable, "invalid-field", Some(field.clone())),
                I::UnknownCategory { .. } => {
                    p(unprocessable, "unknown-category", Some("category".into()))
                }
                I::Attribute(a) => p(
                    unprocessable,
                    "invalid-attribute",
                    Some(format!("attributes.{}", a.code)),
                ),
                I::OutsideJurisdiction => p(
                    unprocessable,
                    "outside-jurisdiction",
                    Some("location".into()),
                ),
                I::AddressNotFound => p(unprocessable, "address-not-found", Some("address".into())),
                I::TooManyPhotos { .. } => {
                    p(unprocessable, "too-many-photos", Some("photos".into()))
                }
                I::Photo { index, error } => {
                    let field = Some(format!("photos[{index}]"));
                    match error {
                        PhotoError::TooLarge { .. } => {
                            p(StatusCode::PAYLOAD_TOO_LARGE, "photo-too-large", field)
                        }
                        PhotoError::Heic => {
                            p(StatusCode::UNSUPPORTED_MEDIA_TYPE, "photo-heic", field)
                        }
                        PhotoError::NotAnImage => {
                            p(StatusCode::UNSUPPORTED_MEDIA_TYPE, "not-an-image", field)
                        }
                        PhotoError::TooManyPixels { .. } => {
                            p(unprocessable, "photo-too-many-pixels", field)
                        }
                        PhotoError::Corrupt => p(unprocessable, "photo-corrupt", field),
                    }
                }
                I::IdempotencyKeyReused => p(
                    unprocessable,
                    "idempotency-key-reused",
                    Some("Idempotency-Key".into()),
                ),
                // `From<IntakeError>` lifts these two into `Busy` and `Unavailable`; should
                // one arrive here anyway, it keeps its meaning.
                I::Busy(_) => p(StatusCode::SERVICE_UNAVAILABLE, "busy", None),
                I::Limited(_) => p(StatusCode::TOO_MANY_REQUESTS, "rate-limited", None),
                I::Store(e) if e.is_unavailable() => {
                    p(StatusCode::SERVICE_UNAVAILABLE, "unavailable", None)
                }
                I::Store(_) | I::Storage(_) | I::Internal(_) => {
                    p(StatusCode::INTERNAL_SERVER_ERROR, "internal", None)
                }
            },
            ApiError::InvalidParameter { field, .. } => p(
                StatusCode::BAD_REQUEST,
                "invalid-parameter",
                Some((*field).into()),
            ),
            ApiError::MalformedBody { field } => {
                p(StatusCode::BAD_REQUEST, "malformed-body", field.clone())
            }
            ApiError::UnsupportedMediaType => p(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                None,
            ),
            ApiError::PayloadTooLarge { field, .. } => p(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
                field.clone(),
            ),
            ApiError::TooManyParts { .. } => {
                p(StatusCode::PAYLOAD_TOO_LARGE, "too-many-parts", None)
            }
            ApiError::InvalidTrackingNumber => p(
                StatusCode::BAD_REQUEST,
                "invalid-tracking-number",
                Some("tracking_number".into()),
            ),
            ApiError::UnknownTrackingNumber => p(
                StatusCode::NOT_FOUND,
                "unknown-tracking-number",
                Some("tracking_number".into()),
            ),
            ApiError::NotFound => p(StatusCode::NOT_FOUND, "not-found", None),
            ApiError::Busy { .. } => p(StatusCode::SERVICE_UNAVAILABLE, "busy", None),
            ApiError::Unavailable { .. } => p(StatusCode::SERVICE_UNAVAILABLE, "unavailable", None),
            ApiError::TooManyRequests { limit, .. } => p(
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                Some(
                    match limit {
                        RateLimit::Reports => "report",
                        RateLimit::PhotoBytes => "photos",
                    }
                    .into(),
                ),
            ),
            ApiError::RequestTimeout => p(StatusCode::REQUEST_TIMEOUT, "request-timeout", None),
            ApiError::Store(_) | ApiError::Storage(_) | ApiError::Internal(_) => {
                p(StatusCode::INTERNAL_SERVER_ERROR, "internal", None)
            }
        }
    }

    /// Seconds a client should wait before trying again, for answers that say so.
    pub(crate) fn retry_after(&self) -> Option<u32> {
        match self {
            ApiError::Busy { retry_after_secs }
            | ApiError::Unavailable { retry_after_secs }
            | ApiError::TooManyRequests {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        }
    }

    /// The problem document in `lang`.
    fn render(&self, lang: Lang) -> Response {
        let problem = self.problem();
        // Only our own faults are errors; refusals under load (503) are expected answers.
        if problem.status == StatusCode::INTERNAL_SERVER_ERROR {
            // The cause goes to the log (our errors never carry contact data), not to the client.
            tracing::error!(error = %self, "request failed");
        }
        let (title, detail) = super::messages::describe(self, lang);
        let mut body = serde_json::json!({
            "type": format!("/problems/{}", problem.slug),
            "title": title,
            "status": problem.status.as_u16(),
            "detail": detail,
            "lang": lang.code(),
        });
        if let Some(field) = problem.field {
            body["field"] = field.into();
        }
        let mut response = (problem.status, body.to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response.headers_mut().insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(lang.code()),
        );
        if let Some(secs) = self.retry_after() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// An error waiting for the middleware to render it.
#[derive(Clone)]
struct PendingProblem(Arc<ApiError>);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.problem().status.into_response();
        response
            .extensions_mut()
            .insert(PendingProblem(Arc::new(self)));
        response
    }
}

/// Renders a pending [`ApiError`] in the language of the request.
pub async fn render_problems(lang: RequestLang, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    match response.extensions_mut().remove::<PendingProblem>() {
        Some(PendingProblem(error)) => error.render(lang.0),
        None => response,
    }
}
