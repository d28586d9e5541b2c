//! Open311 GeoReport v2 under `/open311/v2/`, in XML and JSON (the path's extension), with
//! FixMyStreet's request updates and `extensions=true` for semnal's extra fields.
//!
//! Requests are filed through the same intake as the JSON API; reading goes through the
//! same public views, so no reporter contact can reach a response.

mod document;
mod error;
mod requests;
mod services;
mod updates;
mod view;

use super::error::{ApiError, Expected};
use super::query::QueryParams;
use super::upload::read_multipart;
use super::{AppState, RequestLang};
use crate::app::App;
use crate::domain::{CategoryCode, Lang};
use crate::intake::{IntakeError, Invalid};
use axum::extract::{
    DefaultBodyLimit, FromRequest, FromRequestParts, Multipart, Path, Query, Request, State,
};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use document::{Document, Format, Node};
use error::Open311Error;
use requests::Reading;
use std::collections::HashMap;

pub fn router(max_body_bytes: usize) -> Router<AppState> {
    Router::new()
        .route("/open311/v2/{file}", get(get_resource).post(post_resource))
        .route("/open311/v2/services/{file}", get(get_service_definition))
        .route("/open311/v2/requests/{file}", get(get_request))
        .route("/open311/v2/tokens/{file}", get(get_token))
        .layer(DefaultBodyLimit::max(max_body_bytes))
}

/// The specification's longest `start_date`..`end_date` window, and the default one.
const WINDOW_DAYS: i64 = 90;
/// When this interface last changed, for `discovery`.
const CHANGESET: &str = "2026-11-30T00:00:00+00:00";

/// Writes `document` in `format`.
fn respond(status: StatusCode, format: Format, lang: Lang, document: &Document) -> Response {
    let mut response = (status, format.write(document)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    response
}

/// Where this server is reached, as the client addressed it (for absolute URLs).
fn base_url(headers: &HeaderMap) -> String {
    let value = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(',').next().unwrap_or("").trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let scheme = value("x-forwarded-proto").unwrap_or_else(|| "http".into());
    let host = value("x-forwarded-host")
        .or_else(|| value("host"))
        .unwrap_or_else(|| "localhost".into());
    format!("{scheme}://{host}")
}

/// A `jurisdiction_id` other than the one served is refused; none at all is fine (the
/// specification needs it only where an endpoint serves several).
fn check_jurisdiction(app: &AppState, given: Option<&str>) -> Result<(), Open311Error> {
    let served = app.directory.current().jurisdiction.clone();
    match given.map(str::trim) {
        Some(id) if !id.is_empty() && id != served.as_str() => {
            Err(Open311Error::UnknownJurisdiction {
                served: served.to_string(),
            })
        }
        _ => Ok(()),
    }
}

/// `start_date`/`end_date` (W3C date-time, or a plain date) as a window of at most 90
/// days; without either, the last 90 days.
fn date_window(q: &QueryParams) -> Result<(DateTime<Utc>, DateTime<Utc>), Open311Error> {
    let start = q
        .text("start_date")
        .map(|v| parse_date("start_date", v))
        .transpose()?;
    let end = q
        .text("end_date")
        .map(|v| parse_date("end_date", v))
        .transpose()?;
    let window = Duration::days(WINDOW_DAYS);
    let (from, until) = match (start, end) {
        (Some(from), Some(until)) => (from, until),
        (Some(from), None) => (from, from + window),
        (None, Some(until)) => (until - window, until),
        (None, None) => {
            let now = Utc::now();
            (now - window, now)
        }
    };
    if until < from || until - from > window {
        return Err(Open311Error::DateWindow {
            max_days: WINDOW_DAYS,
        });
    }
    Ok((from, until))
}

fn parse_date(field: &'static str, raw: &str) -> Result<DateTime<Utc>, Open311Error> {
    let raw = raw.trim();
    DateTime::parse_from_rfc3339(raw)
        .map(|d| d.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight").and_utc())
        })
        .map_err(|_| {
            ApiError::InvalidParameter {
                field,
                expected: Expected::Date,
            }
            .into()
        })
}

/// What every `GET` needs: the name in the path (without its extension), the format, the
/// language, the query and where this server is reached; the `jurisdiction_id` is checked.
struct Call {
    name: String,
    format: Format,
    lang: Lang,
    query: QueryParams,
    base: String,
}

impl FromRequestParts<AppState> for Call {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        let Ok(RequestLang(lang)) = RequestLang::from_request_parts(parts, app).await;
        let unknown = || Open311Error::UnknownEndpoint.respond(Format::Xml, lang);
        let Path(file) = Path::<String>::from_request_parts(parts, app)
            .await
            .map_err(|_| unknown())?;
        let (name, format) = Format::split(&file).ok_or_else(unknown)?;
        // Decoding a query into strings is lossy, never refused.
        let raw: HashMap<String, String> = Query::try_from_uri(&parts.uri)
            .map(|Query(q)| q)
            .unwrap_or_default();
        let query = QueryParams::new(raw);
        check_jurisdiction(app, query.text("jurisdiction_id"))
            .map_err(|e| e.respond(format, lang))?;
        Ok(Call {
            name: name.to_owned(),
            format,
            lang,
            query,
            base: base_url(&parts.headers),
        })
    }
}

impl Call {
    fn reading<'a>(&'a self, app: &'a App) -> Reading<'a> {
        Reading {
            app,
            base: &self.base,
            lang: self.lang,
            extensions: self
                .query
                .text("extensions")
                .is_some_and(|v| matches!(v.trim(), "true" | "1")),
        }
    }

    fn answer(&self, result: Result<Document, Open311Error>) -> Response {
        match result {
            Ok(document) => respond(StatusCode::OK, self.format, self.lang, &document),
            Err(e) => e.respond(self.format, self.lang),
        }
    }
}

/// `GET discovery | services | requests | servicerequestupdates`.
async fn get_resource(State(app): State<AppState>, call: Call) -> Response {
    let result = match call.name.as_str() {
        "discovery" => Ok(discovery(&call.base, call.lang)),
        "services" => Ok(services::service_list(
            app.directory.current().categories(),
            call.lang,
        )),
        "requests" => requests::list(&call.reading(&app), &call.query).await,
        "servicerequestupdates" => updates::list(&app, &call.query, call.lang).await,
        _ => Err(Open311Error::UnknownEndpoint),
    };
    call.answer(result)
}

/// `GET services/{code}`: the service definition.
async fn get_service_definition(State(app): State<AppState>, call: Call) -> Response {
    let directory = app.directory.current();
    let result = CategoryCode::parse(&call.name)
        .and_then(|code| directory.category(&code))
        .map(|category| services::service_definition(category, call.lang))
        .ok_or_else(|| Open311Error::UnknownService(call.name.clone()));
    call.answer(result)
}

/// `GET requests/{id}`.
async fn get_request(State(app): State<AppState>, call: Call) -> Response {
    call.answer(requests::one(&call.reading(&app), &call.name).await)
}

/// `GET tokens/{token}`.
async fn get_token(State(app): State<AppState>, call: Call) -> Response {
    call.answer(requests::token(&app, &call.name).await)
}

/// `POST requests`, as a URL-encoded form or, with media, a multipart form. `api_key` and
/// `jurisdiction_id` may also come in the query string, where some clients put them.
async fn post_resource(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(file): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    request: Request,
) -> Response {
    let Some(("requests", format)) = Format::split(&file) else {
        return Open311Error::UnknownEndpoint.respond(Format::Xml, lang);
    };
    let idempotency_key = request
        .headers()
        .get("idempotency-key")
        .map(|v| v.to_str().map(str::to_owned));
    let (mut fields, photos) = match read_form(&app, request).await {
        Ok(form) => form,
        Err(e) => return Open311Error::from(e).respond(format, lang),
    };
    fields.extend(query);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
    };
    // The form's own `locale` is the language the client's user reads.
    let lang = field("locale").and_then(Lang::parse).unwrap_or(lang);
    let result = async {
        check_jurisdiction(&app, field("jurisdiction_id"))?;
        let key = field("api_key").ok_or(Open311Error::ApiKey)?;
        let client = app
            .store
            .authenticate_api_key(key)
            .await?
            .ok_or(Open311Error::ApiKey)?;
        // A client's keys are its own: another client's key of the same text is another key.
        let idempotency_key = idempotency_key
            .transpose()
            .map_err(|_| IntakeError::Invalid {
                field: "Idempotency-Key".into(),
                reason: Invalid::IdempotencyKey,
            })?
            .map(|k| format!("open311:{}:{k}", client.0));
        let mut input = requests::report_input(&fields, client);
        input.photos = photos;
        requests::create(&app, input, idempotency_key, lang).await
    }
    .await;
    match result {
        Ok((document, replayed)) => {
            let mut response = respond(StatusCode::OK, format, lang, &document);
            if replayed {
                response
                    .headers_mut()
                    .insert("idempotent-replayed", HeaderValue::from_static("true"));
            }
            response
        }
        Err(e) => e.respond(format, lang),
    }
}

/// The fields and photos of a `POST`, by its content type.
async fn read_form(
    app: &AppState,
    request: Request,
) -> Result<(Vec<(String, String)>, Vec<Vec<u8>>), ApiError> {
    let mime = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match mime.as_str() {
        "application/x-www-form-urlencoded" => {
            let Form(fields) = Form::<Vec<(String, String)>>::from_request(request, &())
                .await
                .map_err(|_| ApiError::MalformedBody { field: None })?;
            Ok((fields, Vec::new()))
        }
        "multipart/form-data" => {
            let multipart = Multipart::from_request(request, &())
                .await
                .map_err(|_| ApiError::MalformedBody { field: None })?;
            let form = read_multipart(app, multipart).await?;
            Ok((form.fields, form.photos))
        }
        _ => Err(ApiError::UnsupportedMediaType),
    }
}

/// `discovery`: where the endpoint is, its formats, and how to get a key.
fn discovery(base: &str, l: Lang) -> Document {
    let formats = ["text/xml", "application/json"]
        .into_iter()
        .map(Node::text)
        .collect();
    let endpoint = Node::Object(vec![
        (
            "specification",
            Node::text("http://wiki.open311.org/GeoReport_v2"),
        ),
        ("url", Node::Text(format!("{base}/open311/v2"))),
        ("changeset", Node::text(CHANGESET)),
        ("type", Node::text("production")),
        ("formats", Node::list("format", formats)),
    ]);
    let t = crate::http::messages::t;
    Document {
        root: "discovery",
        body: Node::Object(vec![
            ("changeset", Node::text(CHANGESET)),
            (
                "contact",
                Node::Text(t(
                    l,
                    "Departamentul IT al primăriei.",
                    "A városháza informatikai osztálya.",
                    "The city hall's IT department.",
                )),
            ),
            (
                "key_service",
                Node::Text(t(
                    l,
                    "Cheile API pentru trimiterea sesizărilor sunt emise de administratorul primăriei (semnal api-keys create).",
                    "A bejelentések beküldéséhez szükséges API-kulcsokat a városháza rendszergazdája adja ki (semnal api-keys create).",
                    "API keys for filing requests are issued by the city's administrator (semnal api-keys create).",
                )),
            ),
            ("endpoints", Node::list("endpoint", vec![endpoint])),
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> QueryParams {
        QueryParams::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn the_date_window_defaults_to_90_days_and_refuses_more() {
        let (from, until) = date_window(&params(&[])).unwrap();
        assert_eq!(until - from, Duration::days(90));
        let (from, until) = date_window(&params(&[("start_date", "2026-01-01")])).unwrap();
        assert_eq!(from.to_rfc3339(), "2026-01-01T00:00:00+00:00");
        assert_eq!(until - from, Duration::days(90));
        let exact = [
            ("start_date", "2026-01-01T00:00:00+02:00"),
            ("end_date", "2026-03-31T22:00:00Z"),
        ];
        assert!(date_window(&params(&exact)).is_ok());
        let too_long = [("start_date", "2026-01-01"), ("end_date", "2026-04-02")];
        assert!(matches!(
            date_window(&params(&too_long)),
            Err(Open311Error::DateWindow { .. })
        ));
        let backwards = [("start_date", "2026-02-01"), ("end_date", "2026-01-01")];
        assert!(date_window(&params(&backwards)).is_err());
        assert!(date_window(&params(&[("end_date", "yesterday")])).is_err());
    }

    #[test]
    fn absolute_urls_follow_the_proxy_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("10.0.0.5:8080"));
        assert_eq!(base_url(&headers), "http://10.0.0.5:8080");
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        headers.insert(
            "x-forwarded-host",
            HeaderValue::from_static("semnal.apulum.ro"),
        );
        assert_eq!(base_url(&headers), "https://semnal.apulum.ro");
    }
}
