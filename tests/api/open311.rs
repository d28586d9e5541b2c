//! The Open311 GeoReport v2 interface, checked against the specification's own example
//! documents (`fixtures/open311/spec/`), not against our output: every endpoint in XML and
//! JSON, filing requests with keys, photos and attributes, round trips with the JSON API,
//! and each refusal with the error the specification names.

mod documents;
mod extensions;
mod filing;
mod kinds;
mod reading;
mod refusals;
mod round_trips;
pub(crate) mod shape;

use crate::helpers::TestApp;
use reqwest::header::HeaderMap;
use semnal::store::{IssuedKey, Store};
use shape::{Format, Spec};
use sqlx::{Connection, PgConnection};

/// The jurisdiction the test server serves.
const JURISDICTION: &str = "alba-iulia";

/// A response read whole.
struct Answer {
    status: u16,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    async fn read(response: reqwest::Response) -> Self {
        Self {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// A `200` in `format` with the shape of the specification's example `spec`, allowing
    /// the `extras` fields beside it; its content as JSON values (XML text as strings).
    fn conforming(&self, format: Format, spec: &Spec, extras: &[&str]) -> serde_json::Value {
        assert_eq!(self.status, 200, "{}", self.body);
        self.assert_format(format);
        shape::conform(spec, format, &self.body, extras)
    }

    /// The content type and, for XML, the declaration the specification asks for.
    fn assert_format(&self, format: Format) {
        let content_type = self.header("content-type").unwrap_or_default();
        match format {
            Format::Xml => {
                assert!(content_type.starts_with("text/xml"), "{content_type}");
                let declaration = self.body.lines().next().unwrap_or_default();
                assert!(
                    declaration.starts_with("<?xml")
                        && declaration.to_lowercase().contains("encoding=\"utf-8\""),
                    "the root element is preceded by an XML declaration with the encoding: {declaration}"
                );
            }
            Format::Json => assert!(
                content_type.starts_with("application/json"),
                "{content_type}"
            ),
        }
    }
}

/// `/open311/v2/{resource}.{format}{query}`.
fn path(resource: &str, format: Format, query: &str) -> String {
    format!("/open311/v2/{resource}.{}{query}", format.extension())
}

async fn get(app: &TestApp, resource: &str, format: Format, query: &str) -> Answer {
    Answer::read(app.get(&path(resource, format, query)).await).await
}

/// `POST requests.{format}` as a URL-encoded form, the way the specification sends it.
async fn post(app: &TestApp, format: Format, fields: &[(&str, &str)]) -> Answer {
    post_with(app, format, fields, None).await
}

async fn post_with(
    app: &TestApp,
    format: Format,
    fields: &[(&str, &str)],
    idempotency_key: Option<&str>,
) -> Answer {
    let mut request = app
        .client
        .post(app.url(&path("requests", format, "")))
        .form(fields);
    if let Some(key) = idempotency_key {
        request = request.header("Idempotency-Key", key);
    }
    Answer::read(request.send().await.unwrap()).await
}

/// A new API key, as `semnal api-keys create` issues it.
pub(crate) async fn issue_key(app: &TestApp, client: &str) -> IssuedKey {
    let store = Store::connect(&app.database_url, 2).await.unwrap();
    let issued = store.issue_api_key(client).await.unwrap();
    store.close().await;
    issued
}

/// The minimal fields of a pothole at the centre point, with `key`.
fn pothole_fields(key: &str) -> Vec<(&'static str, String)> {
    let (lon, lat) = crate::helpers::CENTRU;
    vec![
        ("api_key", key.to_owned()),
        ("jurisdiction_id", JURISDICTION.to_owned()),
        ("service_code", "pothole".to_owned()),
        ("lat", lat.to_string()),
        ("long", lon.to_string()),
    ]
}

/// `fields` as the borrowed pairs `post` takes.
fn pairs<'a>(fields: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The request id of the single request in a POST answer.
fn filed_id(filed: &serde_json::Value) -> String {
    filed[0]["service_request_id"]
        .as_str()
        .expect("a realtime service returns the service_request_id")
        .to_owned()
}

async fn database(app: &TestApp) -> PgConnection {
    PgConnection::connect(&app.database_url).await.unwrap()
}

/// The incident id behind a tracking number (stored without its dash): what
/// `tokens/{token}` takes.
async fn token_of(app: &TestApp, tracking: &str) -> String {
    sqlx::query_scalar(
        "SELECT id::text FROM incidents WHERE tracking_number = replace($1, '-', '')",
    )
    .bind(tracking)
    .fetch_one(&mut database(app).await)
    .await
    .unwrap()
}

/// Moves `tracking` to `status` with a public note, as the city's staff (or, reopening,
/// the resident) would: there is no staff API yet. The status and its event in one
/// transaction.
async fn set_status(app: &TestApp, tracking: &str, status: &str, note: &str) {
    let mut db = database(app).await;
    let mut tx = db.begin().await.unwrap();
    let event = sqlx::query(
        "INSERT INTO incident_events (incident_id, kind, actor, status_from, status_to, public_text, is_public)
         SELECT id, 'status_changed', 'staff', status, $2, $3, true
           FROM incidents WHERE tracking_number = replace($1, '-', '')",
    )
    .bind(tracking)
    .bind(status)
    .bind(note)
    .execute(&mut *tx)
    .await
    .unwrap();
    assert_eq!(event.rows_affected(), 1, "{tracking} exists");
    sqlx::query(
        "UPDATE incidents SET status = $2, updated_at = now()
          WHERE tracking_number = replace($1, '-', '')",
    )
    .bind(tracking)
    .bind(status)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}
