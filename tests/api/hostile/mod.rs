//! Hostile input: characters no consumer can carry, bodies built to be large or many,
//! photos that claim more than they hold, and arbitrary values fed to every parameter.
//! Each is refused with a clear 4xx (never a 5xx or a dropped connection), stores nothing,
//! and leaves the server answering.

mod open311;
mod photos;
mod properties;
mod sizes;
mod text;

use crate::helpers::{assert_problem, Footprint, TestApp, CENTRU};
use reqwest::multipart::{Form, Part};
use reqwest::{RequestBuilder, Response};
use serde_json::Value;

/// Characters refused in every text field, each between two letters so that no trimming
/// can remove it: NUL, controls (BEL, ESC) and noncharacters.
pub const BAD_CHARACTERS: [(&str, &str); 6] = [
    ("NUL", "a\u{0}b"),
    ("BEL", "a\u{7}b"),
    ("ESC", "a\u{1b}[31mb"),
    ("DEL", "a\u{7f}b"),
    ("U+FFFF", "a\u{ffff}b"),
    ("U+FDD0", "a\u{fdd0}b"),
];

/// Text every field takes as it is: tab, line breaks, Romanian and Hungarian letters, emoji.
pub const GOOD_TEXT: &str =
    "Groapă adâncă\tîn fața blocului\nȘtefan și Țuțu\r\nÁrvíztűrő tükörfúrógép 🚧🕳️ ő ű";

/// The text cases for a field: each bad character, and one character over `max`.
pub fn bad_values(max: usize) -> Vec<(String, String)> {
    let mut cases: Vec<(String, String)> = BAD_CHARACTERS
        .iter()
        .map(|(what, text)| ((*what).to_owned(), (*text).to_owned()))
        .collect();
    cases.push((format!("{} characters", max + 1), "ă".repeat(max + 1)));
    cases
}

/// `GET /healthz` answers 200: the server survived.
pub async fn assert_healthy(app: &TestApp) {
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200, "the server still answers");
}

/// The whole point of a refusal: no row and no file beyond `before`, and the server answers.
pub async fn assert_nothing_stored_and_still_answering(app: &TestApp, before: Footprint) {
    assert_eq!(app.footprint().await, before, "no row and no file stored");
    assert_healthy(app).await;
}

/// Posts `form` to the JSON API and asserts the problem it is refused with.
pub async fn assert_form_refused(
    app: &TestApp,
    form: Form,
    status: u16,
    slug: &str,
    field: Option<&str>,
) {
    assert_problem(app.post_form(form).await, status, slug, field).await;
}

/// Asserts that a bad value was refused as the client's fault, saying which case it was.
pub fn assert_client_error(response: &Response, case: &str) {
    assert!(
        response.status().is_client_error(),
        "{case}: {}",
        response.status()
    );
}

/// A report POSTed to the JSON API as `application/json`, whatever bytes `body` holds.
pub fn raw_json_report(app: &TestApp, body: impl Into<reqwest::Body>) -> RequestBuilder {
    app.client
        .post(app.url("/api/v1/incidents"))
        .header("content-type", "application/json")
        .body(body)
}

/// Sends a request and returns its answer, whatever its status.
pub async fn send(request: RequestBuilder) -> Response {
    request.send().await.expect("the server answers")
}

/// A file part: `bytes` named `file_name`, as a client uploads a photo.
pub fn file_part(bytes: Vec<u8>, file_name: &str) -> Part {
    Part::bytes(bytes).file_name(file_name.to_owned())
}

/// A new Open311 API key.
pub async fn issue_key(app: &TestApp) -> String {
    crate::open311::issue_key(app, "Clientul ostil").await.key
}

pub use crate::open311::shape::Format;

/// How an Open311 client encodes its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    UrlEncoded,
    Multipart,
}

impl Encoding {
    pub const BOTH: [Encoding; 2] = [Encoding::UrlEncoded, Encoding::Multipart];
}

/// A POST to Open311's requests in `format`, to be given its body.
pub fn open311_post(app: &TestApp, format: Format) -> RequestBuilder {
    let path = format!("/open311/v2/requests.{}", format.extension());
    app.client.post(app.url(&path))
}

/// The text fields of an Open311 POST, in the order the client sends them.
#[derive(Debug, Clone)]
pub struct Open311Fields(pub Vec<(String, String)>);

impl Open311Fields {
    /// A request for `service_code` at the centre of Alba Iulia, with no api_key.
    pub fn unsigned(service_code: &str) -> Self {
        Self(vec![
            ("service_code".to_owned(), service_code.to_owned()),
            ("lat".to_owned(), CENTRU.1.to_string()),
            ("long".to_owned(), CENTRU.0.to_string()),
        ])
    }

    /// The same request with `key` as its api_key, sent first as clients do.
    pub fn signed(key: &str, service_code: &str) -> Self {
        let mut fields = vec![("api_key".to_owned(), key.to_owned())];
        fields.extend(Self::unsigned(service_code).0);
        Self(fields)
    }

    /// These fields and `name` = `value` after them.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.0.push((name.to_owned(), value.into()));
        self
    }

    /// The fields as multipart text parts, to which photos may follow.
    pub fn multipart(&self) -> Form {
        self.0.iter().fold(Form::new(), |form, (name, value)| {
            form.part(name.clone(), Part::bytes(value.clone().into_bytes()))
        })
    }

    /// A POST of these fields to Open311's requests in `format`, encoded as `encoding`.
    pub fn post(&self, app: &TestApp, format: Format, encoding: Encoding) -> RequestBuilder {
        let request = open311_post(app, format);
        match encoding {
            Encoding::UrlEncoded => request.form(&self.0),
            Encoding::Multipart => request.multipart(self.multipart()),
        }
    }
}

/// The `service_request_id` of an Open311 request that was filed (200).
pub async fn filed_request_id(response: Response) -> String {
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "filed: {body}");
    let filed: Value = serde_json::from_str(&body).unwrap();
    filed[0]["service_request_id"]
        .as_str()
        .expect("a service_request_id")
        .to_owned()
}

/// An Open311 error answer: its status and its single error's `code` and `description`.
/// Panics unless the body is the specification's error list in `format`.
pub fn open311_error(status: u16, body: &str, format: Format) -> (u16, String) {
    let (code, description) = match format {
        Format::Json => {
            let errors: Value = serde_json::from_str(body)
                .unwrap_or_else(|e| panic!("an errors list in JSON ({e}): {body}"));
            let errors = errors.as_array().expect("a JSON array of errors");
            assert_eq!(errors.len(), 1, "{body}");
            (
                errors[0]["code"].as_u64().expect("a numeric code") as u16,
                errors[0]["description"].as_str().unwrap().to_owned(),
            )
        }
        Format::Xml => {
            let document = roxmltree::Document::parse(body)
                .unwrap_or_else(|e| panic!("well-formed XML ({e}): {body}"));
            let root = document.root_element();
            assert_eq!(root.tag_name().name(), "errors", "{body}");
            let errors: Vec<_> = root.children().filter(|n| n.is_element()).collect();
            assert_eq!(errors.len(), 1, "{body}");
            let child = |name: &str| {
                errors[0]
                    .children()
                    .find(|n| n.has_tag_name(name))
                    .and_then(|n| n.text())
                    .unwrap_or_default()
                    .to_owned()
            };
            (
                child("code").parse().expect("a numeric code"),
                child("description"),
            )
        }
    };
    assert_eq!(code, status, "the error's code is the HTTP status: {body}");
    (code, description)
}

/// Asserts an Open311 refusal with `status` in its error list, and returns its description.
pub async fn assert_open311_error(response: Response, format: Format, status: u16) -> String {
    let got = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(got, status, "{format:?}: {body}");
    let (_, description) = open311_error(got, &body, format);
    description
}

/// Asserts an Open311 refusal with `status` whose description names one of `params`.
pub async fn assert_open311_refusal(
    response: Response,
    format: Format,
    status: u16,
    params: &[&str],
) -> String {
    let description = assert_open311_error(response, format, status).await;
    assert!(
        params
            .iter()
            .any(|p| description.starts_with(&format!("{p}: "))),
        "the description names {params:?}: {description}"
    );
    description
}
