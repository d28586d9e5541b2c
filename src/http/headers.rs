//! Security headers on every response, the web app's and the API's.

use axum::http::{header, HeaderName, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// Everything is served from this origin; MapLibre GL runs its worker from our own file
/// (the web app's build) or a `blob:` URL, and draws icons from `data:`/`blob:` images. No
/// other origin is reached.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; \
     worker-src 'self' blob:; child-src 'self' blob:; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// HSTS for a year, this host only (a city's other sites are not ours to pin).
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// Adds the security headers to every response of `router` that does not set its own;
/// `Strict-Transport-Security` only when the service is reached over HTTPS.
pub(super) fn secure(router: Router, https: bool) -> Router {
    let always = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // Tracking pages carry the tracking number in their URL: it goes nowhere.
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    let router = always.into_iter().fold(router, |router, (name, value)| {
        router.layer(if_not_present(name, value))
    });
    if https {
        router.layer(if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            STRICT_TRANSPORT_SECURITY,
        ))
    } else {
        router
    }
}

fn if_not_present(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}
