//! Open311 GeoReport v2 under `/open311/v2/`, in XML and JSON (the path's extension), with
//! FixMyStreet's request updates and `extensions=true` for semnal's extra fields.
//!
//! Requests are filed through the same intake as the JSON API; reading goes through the
//! same public views, so no reporter contact can reach a response.

mod discovery;
mod document;
mod error;
mod filing;
mod requests;
mod services;
mod updates;
mod view;

use super::error::{ApiError, Expected};
use super::query::QueryParams;
use super::{AppState, RequestLang};
use crate::app::App;
use crate::domain::{CategoryCode, Lang};
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use document::{Document, Format};
use error::Open311Error;
use requests::Reading;
use std::collections::HashMap;

pub fn router(max_body_bytes: usize) -> Router<AppState> {
    Router::new()
        .route(
            "/open311/v2/{file}",
            get(get_resource).post(filing::post_request),
        )
        .route("/open311/v2/services/{file}", get(get_service_definition))
        .route("/open311/v2/requests/{file}", get(get_request))
        .route("/open311/v2/tokens/{file}", get(get_token))
        .layer(DefaultBodyLimit::max(max_body_bytes))
}

/// The specification's longest `start_date`..`end_date` window, and the default one.
const WINDOW_DAYS: i64 = 90;

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

/// A `jurisdiction_id` other than the one served is refused; none at all is fine (the
/// specification needs it only where an endpoint serves several).
fn check_jurisdiction(app: &AppState, given: Option<&str>) -> Result<(), Open311Error> {
    let directory = app.directory.current();
    let served = &directory.jurisdiction;
    match given.map(str::trim) {
        Some(id) if !id.is_empty() && id != served.as_str() => {
            Err(Open311Error::UnknownJurisdiction {
                served: served.to_string(),
            })
        }
        _ => Ok(()),
    }
}

/// `start_date`/`end_date` (W3C date-time; a plain date is a day of the city, a time
/// without offset the city's time) as a window `[from, until)` of at most 90 days; without
/// either, the last 90 days. The end is included, as the specification says: a plain
/// `end_date` takes in its whole day.
fn date_window(
    q: &QueryParams,
    timezone: Tz,
) -> Result<(DateTime<Utc>, DateTime<Utc>), Open311Error> {
    let start = q
        .text("start_date")
        .map(|v| parse_date("start_date", v, timezone))
        .transpose()?;
    let end = q
        .text("end_date")
        .map(|v| parse_date("end_date", v, timezone))
        .transpose()?;
    let window = Duration::days(WINDOW_DAYS);
    let now = Utc::now();
    // Dates are within `DATES`, so a window's other end can be far outside only in
    // arithmetic: checked, and refused like any window that is too long.
    let too_long = Open311Error::DateWindow {
        max_days: WINDOW_DAYS,
    };
    let (from, to) = match (start.map(|s| s.from), end.map(|e| e.from)) {
        (Some(from), Some(to)) => (from, to),
        (Some(from), None) => (from, from.checked_add_signed(window).ok_or(too_long)?),
        (None, Some(to)) => (to.checked_sub_signed(window).ok_or(too_long)?, to),
        (None, None) => (now - window, now),
    };
    if to < from || to - from > window {
        return Err(Open311Error::DateWindow {
            max_days: WINDOW_DAYS,
        });
    }
    Ok((from, end.map_or(to, |e| e.until)))
}

/// A date as given: its first instant, and the first instant after it (the next day's
/// midnight for a day; a microsecond, the stored precision, for a time).
#[derive(Clone, Copy)]
struct Given {
    from: DateTime<Utc>,
    until: DateTime<Utc>,
}

/// The years a date may name: nothing was reported before 1970, and 9999 is the last year
/// written with four digits (as W3C dates are); both are far inside what PostgreSQL and
/// chrono can hold, so the arithmetic on a window can neither overflow nor reach the
/// database out of its range.
const DATES: std::ops::RangeInclusive<i32> = 1970..=9999;

fn parse_date(field: &'static str, raw: &str, timezone: Tz) -> Result<Given, Open311Error> {
    let raw = raw.trim();
    let instant = |at: DateTime<Utc>| {
        Some(Given {
            from: at,
            until: at.checked_add_signed(Duration::microseconds(1))?,
        })
    };
    // A local time as an instant; one skipped when the clocks go forward is read an hour
    // later, as a clock left unchanged would have shown it.
    let local = |time: NaiveDateTime| {
        (0..3).find_map(|hour| {
            timezone
                .from_local_datetime(&time.checked_add_signed(Duration::hours(hour))?)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
        })
    };
    let parsed = if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        instant(at.with_timezone(&Utc))
    } else if let Ok(time) = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S") {
        local(time).and_then(instant)
    } else if let Ok(day) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        let midnight = |d: NaiveDate| local(d.and_time(NaiveTime::MIN));
        midnight(day)
            .zip(day.succ_opt().and_then(midnight))
            .map(|(from, until)| Given { from, until })
    } else {
        None
    };
    let parsed = parsed
        .filter(|given| DATES.contains(&given.from.year()) && DATES.contains(&given.until.year()));
    parsed.ok_or_else(|| {
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
            base: super::public_origin(&app.config, &parts.headers),
        })
    }
}

impl Call {
    fn reading<'a>(&'a self, app: &'a App) -> Reading<'a> {
        let directory = app.directory.current();
        let style = view::Style {
            base: &self.base,
            lang: self.lang,
            timezone: directory.timezone,
            extensions: self
                .query
                .text("extensions")
                .is_some_and(|v| matches!(v.trim(), "true" | "1")),
        };
        Reading {
            app,
            directory,
            style,
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
        "discovery" => Ok(discovery::discovery(&call.base, call.lang)),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn date_window_in_bucharest(
        q: &QueryParams,
    ) -> Result<(DateTime<Utc>, DateTime<Utc>), Open311Error> {
        date_window(q, chrono_tz::Europe::Bucharest)
    }

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
        let (from, until) = date_window_in_bucharest(&params(&[])).unwrap();
        assert_eq!(until - from, Duration::days(90));
        let (from, until) =
            date_window_in_bucharest(&params(&[("start_date", "2026-01-01")])).unwrap();
        // The city's midnight: Bucharest is two hours ahead of UTC in winter.
        assert_eq!(from.to_rfc3339(), "2025-12-31T22:00:00+00:00");
        assert_eq!(until - from, Duration::days(90));
        // A plain end date takes in its whole day.
        let days = [("start_date", "2026-03-01"), ("end_date", "2026-03-31")];
        let (from, until) = date_window_in_bucharest(&params(&days)).unwrap();
        // 31 days, one of them an hour short: summer time begins on 29 March.
        assert_eq!(until - from, Duration::days(31) - Duration::hours(1));
        assert_eq!(until.to_rfc3339(), "2026-03-31T21:00:00+00:00");
        let local = [("start_date", "2026-03-01T08:00:00")];
        assert_eq!(
            date_window_in_bucharest(&params(&local))
                .unwrap()
                .0
                .to_rfc3339(),
            "2026-03-01T06:00:00+00:00"
        );
        // 03:30 on 29 March does not exist in Bucharest: the clocks go from 03:00 to 04:00.
        let skipped = [("start_date", "2026-03-29T03:30:00")];
        assert_eq!(
            date_window_in_bucharest(&params(&skipped))
                .unwrap()
                .0
                .to_rfc3339(),
            "2026-03-29T01:30:00+00:00"
        );
        let exact = [
            ("start_date", "2026-01-01T00:00:00+02:00"),
            ("end_date", "2026-03-31T22:00:00Z"),
        ];
        assert!(date_window_in_bucharest(&params(&exact)).is_ok());
        let too_long = [("start_date", "2026-01-01"), ("end_date", "2026-04-02")];
        assert!(matches!(
            date_window_in_bucharest(&params(&too_long)),
            Err(Open311Error::DateWindow { .. })
        ));
        let backwards = [("start_date", "2026-02-01"), ("end_date", "2026-01-01")];
        assert!(date_window_in_bucharest(&params(&backwards)).is_err());
        assert!(date_window_in_bucharest(&params(&[("end_date", "yesterday")])).is_err());
    }

    #[test]
    fn dates_outside_the_years_1970_to_9999_are_refused_without_panicking() {
        for (field, value) in [
            ("start_date", "+262142-12-01"),
            ("start_date", "+262142-12-01T00:00:00Z"),
            ("end_date", "+262142-12-31T23:59:59"),
            ("end_date", "-262143-01-01"),
            ("start_date", "9999-12-31T23:59:59.999999Z"),
            ("end_date", "1969-12-31"),
            ("start_date", "10000-01-01"),
        ] {
            let result = date_window_in_bucharest(&params(&[(field, value)]));
            match result {
                Err(Open311Error::Api(ApiError::InvalidParameter { field: named, .. })) => {
                    assert_eq!(named, field, "{value}");
                }
                Err(Open311Error::DateWindow { .. }) => {}
                other => panic!("{field}={value}: {:?}", other.map(|_| ())),
            }
        }
        assert!(date_window_in_bucharest(&params(&[("end_date", "9999-12-30")])).is_ok());
        assert!(date_window_in_bucharest(&params(&[("start_date", "1970-01-02")])).is_ok());
    }
}
