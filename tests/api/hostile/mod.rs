//! Hostile input: characters no consumer can carry, bodies built to be large or many,
//! photos that claim more than they hold, and arbitrary values fed to every parameter.
//! Each is refused with a clear 4xx (never a 5xx or a dropped connection), stores nothing,
//! and leaves the server answering.

mod open311;
mod photos;
mod properties;
mod sizes;
mod text;

use crate::helpers::TestApp;
use semnal::store::Store;
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

/// A new Open311 API key.
pub async fn issue_key(app: &TestApp) -> String {
    let store = Store::connect(&app.database_url, 2).await.unwrap();
    let issued = store.issue_api_key("Clientul ostil").await.unwrap();
    store.close().await;
    issued.key
}

/// The two formats of Open311 answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    pub const BOTH: [Format; 2] = [Format::Xml, Format::Json];

    pub fn requests_path(self) -> &'static str {
        match self {
            Format::Xml => "/open311/v2/requests.xml",
            Format::Json => "/open311/v2/requests.json",
        }
    }
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

/// Asserts an Open311 refusal with `status` whose description names one of `params`.
pub async fn assert_open311_refusal(
    response: reqwest::Response,
    format: Format,
    status: u16,
    params: &[&str],
) -> String {
    let got = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(got, status, "{format:?}: {body}");
    let (_, description) = open311_error(got, &body, format);
    assert!(
        params
            .iter()
            .any(|p| description.starts_with(&format!("{p}: "))),
        "the description names {params:?}: {description}"
    );
    description
}
