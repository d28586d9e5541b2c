//! Every free-text field, on every way in (JSON, multipart, Open311 form and multipart),
//! refuses NUL, control characters, noncharacters and text over its length, naming the
//! field and storing nothing; and takes tabs, line breaks, diacritics and emoji unchanged.

use super::{assert_healthy, assert_open311_refusal, bad_values, issue_key, Format, GOOD_TEXT};
use crate::helpers::{assert_problem, TestApp, CENTRU};
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use sqlx::{Connection, PgConnection};

/// A category with a free-text (`string`) and a long-text (`text`) attribute, none required.
const CATEGORY: &str = "abandoned-vehicle";

/// A text field of the JSON API and its multipart form.
struct ApiField {
    /// The name in JSON and in the form (`attributes.x` is an attribute).
    name: &'static str,
    max: usize,
}

const API_FIELDS: [ApiField; 5] = [
    ApiField {
        name: "description",
        max: 5000,
    },
    ApiField {
        name: "reporter_name",
        max: 200,
    },
    ApiField {
        name: "address",
        max: 500,
    },
    ApiField {
        name: "attributes.plate_number",
        max: 2000,
    },
    ApiField {
        name: "attributes.vehicle_description",
        max: 2000,
    },
];

impl ApiField {
    fn attribute(&self) -> Option<&'static str> {
        self.name.strip_prefix("attributes.")
    }

    /// The problem a bad value gets: its slug (the field is the name).
    fn slug(&self) -> &'static str {
        if self.attribute().is_some() {
            "invalid-attribute"
        } else {
            "invalid-field"
        }
    }

    fn json_with(&self, value: &str) -> Value {
        let mut body = json!({ "category": CATEGORY, "lat": CENTRU.1, "lon": CENTRU.0 });
        match self.attribute() {
            Some(code) => body["attributes"] = json!({ code: value }),
            None => body[self.name] = json!(value),
        }
        body
    }

    fn form_with(&self, value: &str) -> Form {
        let name = match self.attribute() {
            Some(code) => format!("attribute[{code}]"),
            None => self.name.to_owned(),
        };
        Form::new()
            .text("category", CATEGORY)
            .text("lat", CENTRU.1.to_string())
            .text("lon", CENTRU.0.to_string())
            .part(name, Part::bytes(value.as_bytes().to_vec()))
    }
}

#[tokio::test]
async fn each_json_text_field_refuses_hidden_characters_and_excess_length() {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    for field in &API_FIELDS {
        for (what, value) in bad_values(field.max) {
            let response = app.post_json(&field.json_with(&value)).await;
            assert!(
                response.status().is_client_error(),
                "{} with {what}: {}",
                field.name,
                response.status()
            );
            assert_problem(response, 422, field.slug(), Some(field.name)).await;
        }
    }
    assert_eq!(app.footprint().await, before, "nothing stored");
    assert_healthy(&app).await;
}

#[tokio::test]
async fn each_multipart_text_field_refuses_hidden_characters_and_excess_length() {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    for field in &API_FIELDS {
        for (what, value) in bad_values(field.max) {
            let response = app.post_form(field.form_with(&value)).await;
            assert!(
                response.status().is_client_error(),
                "{} with {what}: {}",
                field.name,
                response.status()
            );
            assert_problem(response, 422, field.slug(), Some(field.name)).await;
        }
    }
    assert_eq!(app.footprint().await, before, "nothing stored");
    assert_healthy(&app).await;
}

#[tokio::test]
async fn a_json_surrogate_escape_is_a_malformed_body() {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    for escape in [r"\ud800", r"\udfff", r"\ud83d x", r"\udc00\ud800"] {
        let body = format!(
            r#"{{"category":"{CATEGORY}","lat":{},"lon":{},"description":"a{escape}b"}}"#,
            CENTRU.1, CENTRU.0
        );
        let response = app
            .client
            .post(app.url("/api/v1/incidents"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_problem(response, 400, "malformed-body", None).await;
    }
    assert_eq!(app.footprint().await, before);
    assert_healthy(&app).await;
}

/// The reporter's name as the city keeps it.
async fn kept_name(app: &TestApp, tracking: &str) -> Option<String> {
    let mut db = PgConnection::connect(&app.database_url).await.unwrap();
    sqlx::query_scalar(
        "SELECT r.name FROM incident_reporters r JOIN incidents i ON i.id = r.incident_id
          WHERE i.tracking_number = replace($1, '-', '')",
    )
    .bind(tracking)
    .fetch_one(&mut db)
    .await
    .unwrap()
}

/// The public incident behind a filed answer, checked to hold `GOOD_TEXT` everywhere.
async fn assert_good_text_kept(app: &TestApp, tracking: &str) {
    let public = app.get_json(&format!("/api/v1/incidents/{tracking}")).await;
    assert_eq!(public["description"], GOOD_TEXT);
    assert_eq!(public["address"], GOOD_TEXT);
    assert_eq!(public["attributes"]["plate_number"], "AB-12-ȘŢŐ");
    assert_eq!(public["attributes"]["vehicle_description"], GOOD_TEXT);
    assert_eq!(
        kept_name(app, tracking).await.as_deref(),
        Some("Ștefan Lőrincz 🙂")
    );
}

#[tokio::test]
async fn tabs_line_breaks_diacritics_and_emoji_come_back_unchanged() {
    let app = TestApp::spawn().await;
    let response = app
        .post_json(&json!({
            "category": CATEGORY, "lat": CENTRU.1, "lon": CENTRU.0,
            "description": GOOD_TEXT,
            "reporter_name": "Ștefan Lőrincz 🙂",
            "address": GOOD_TEXT,
            "attributes": { "plate_number": "AB-12-ȘŢŐ", "vehicle_description": GOOD_TEXT },
        }))
        .await;
    assert_eq!(response.status(), 201);
    let filed: Value = response.json().await.unwrap();
    assert_good_text_kept(&app, filed["tracking_number"].as_str().unwrap()).await;

    let form = Form::new()
        .text("category", CATEGORY)
        .text("lat", CENTRU.1.to_string())
        .text("lon", CENTRU.0.to_string())
        .text("description", GOOD_TEXT)
        .text("reporter_name", "Ștefan Lőrincz 🙂")
        .text("address", GOOD_TEXT)
        .text("attribute[plate_number]", "AB-12-ȘŢŐ")
        .text("attribute[vehicle_description]", GOOD_TEXT);
    let response = app.post_form(form).await;
    assert_eq!(response.status(), 201);
    let filed: Value = response.json().await.unwrap();
    assert_good_text_kept(&app, filed["tracking_number"].as_str().unwrap()).await;

    // Exactly the longest description, in two-byte letters, is taken.
    let longest = "ă".repeat(5000);
    let response = app
        .post_json(&json!({ "category": CATEGORY, "lat": CENTRU.1, "lon": CENTRU.0, "description": longest }))
        .await;
    assert_eq!(response.status(), 201);
    let filed: Value = response.json().await.unwrap();
    assert_eq!(filed["description"], longest);
}

/// An Open311 text field: its parameter, the names its refusal may give, and its limit.
struct Open311Field {
    param: &'static str,
    /// `last_name` is kept joined with `first_name` as one name, refused under either.
    named: &'static [&'static str],
    max: usize,
    /// A prefix every value needs (a URL's scheme and host).
    prefix: &'static str,
}

const OPEN311_FIELDS: [Open311Field; 9] = [
    Open311Field {
        param: "description",
        named: &["description"],
        max: 5000,
        prefix: "",
    },
    Open311Field {
        param: "first_name",
        named: &["first_name"],
        max: 200,
        prefix: "",
    },
    Open311Field {
        param: "last_name",
        named: &["last_name", "first_name"],
        max: 200,
        prefix: "",
    },
    Open311Field {
        param: "address_string",
        named: &["address_string"],
        max: 500,
        prefix: "",
    },
    Open311Field {
        param: "device_id",
        named: &["device_id"],
        max: 200,
        prefix: "",
    },
    Open311Field {
        param: "account_id",
        named: &["account_id"],
        max: 200,
        prefix: "",
    },
    Open311Field {
        param: "media_url",
        named: &["media_url"],
        max: 2000,
        prefix: "https://photos.example.org/",
    },
    Open311Field {
        param: "attribute[plate_number]",
        named: &["attribute[plate_number]"],
        max: 2000,
        prefix: "",
    },
    Open311Field {
        param: "attribute[vehicle_description]",
        named: &["attribute[vehicle_description]"],
        max: 2000,
        prefix: "",
    },
];

/// The values refused in `field`: the bad characters, and text one over its limit
/// (in ASCII, so that the URL-encoded form stays within the body limit).
fn open311_bad_values(field: &Open311Field) -> Vec<(String, String)> {
    let mut cases = bad_values(field.max);
    cases.pop();
    let over = field.max + 1 - field.prefix.chars().count();
    cases.push((format!("{} characters", field.max + 1), "a".repeat(over)));
    cases
        .into_iter()
        .map(|(what, v)| (what, format!("{}{v}", field.prefix)))
        .collect()
}

fn open311_fields(key: &str) -> Vec<(String, String)> {
    [
        ("api_key", key),
        ("service_code", CATEGORY),
        ("lat", &CENTRU.1.to_string()),
        ("long", &CENTRU.0.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

#[tokio::test]
async fn each_open311_form_field_refuses_hidden_characters_and_excess_length() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app).await;
    let before = app.footprint().await;
    for format in Format::BOTH {
        for field in &OPEN311_FIELDS {
            for (what, value) in open311_bad_values(field) {
                let mut fields = open311_fields(&key);
                fields.push((field.param.to_owned(), value));
                let response = app
                    .client
                    .post(app.url(format.requests_path()))
                    .form(&fields)
                    .send()
                    .await
                    .unwrap();
                assert!(
                    response.status().is_client_error(),
                    "{} with {what}: {}",
                    field.param,
                    response.status()
                );
                assert_open311_refusal(response, format, 400, field.named).await;
            }
        }
    }
    assert_eq!(app.footprint().await, before, "nothing stored");
    assert_healthy(&app).await;
}

#[tokio::test]
async fn each_open311_multipart_field_refuses_hidden_characters_and_excess_length() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app).await;
    let before = app.footprint().await;
    for format in Format::BOTH {
        for field in &OPEN311_FIELDS {
            for (what, value) in open311_bad_values(field) {
                let form = open311_fields(&key)
                    .into_iter()
                    .fold(Form::new(), |f, (k, v)| f.text(k, v))
                    .part(field.param, Part::bytes(value.into_bytes()));
                let response = app
                    .client
                    .post(app.url(format.requests_path()))
                    .multipart(form)
                    .send()
                    .await
                    .unwrap();
                assert!(
                    response.status().is_client_error(),
                    "{} with {what}: {}",
                    field.param,
                    response.status()
                );
                assert_open311_refusal(response, format, 400, field.named).await;
            }
        }
    }
    assert_eq!(app.footprint().await, before, "nothing stored");
    assert_healthy(&app).await;
}

#[tokio::test]
async fn open311_takes_tabs_line_breaks_diacritics_and_emoji_unchanged() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app).await;
    let mut fields = open311_fields(&key);
    for (k, v) in [
        ("description", GOOD_TEXT),
        ("first_name", "Ștefan"),
        ("last_name", "Lőrincz 🙂"),
        ("address_string", GOOD_TEXT),
        ("attribute[plate_number]", "AB-12-ȘŢŐ"),
        ("attribute[vehicle_description]", GOOD_TEXT),
    ] {
        fields.push((k.to_owned(), v.to_owned()));
    }
    let form = fields
        .iter()
        .fold(Form::new(), |f, (k, v)| f.text(k.clone(), v.clone()));
    for response in [
        app.client
            .post(app.url(Format::Json.requests_path()))
            .form(&fields)
            .send()
            .await
            .unwrap(),
        app.client
            .post(app.url(Format::Json.requests_path()))
            .multipart(form)
            .send()
            .await
            .unwrap(),
    ] {
        assert_eq!(response.status(), 200);
        let filed: Value = response.json().await.unwrap();
        let id = filed[0]["service_request_id"].as_str().unwrap().to_owned();
        assert_good_text_kept(&app, &id).await;
        let request: Value = app
            .get_json(&format!("/open311/v2/requests/{id}.json"))
            .await;
        assert_eq!(request[0]["description"], GOOD_TEXT);
        assert_eq!(request[0]["address"], GOOD_TEXT);
    }
}

#[tokio::test]
async fn open311_xml_carries_tabs_line_breaks_and_carriage_returns_unchanged() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app).await;
    let mut fields = open311_fields(&key);
    fields.push(("description".into(), GOOD_TEXT.into()));
    let response = app
        .client
        .post(app.url(Format::Json.requests_path()))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let filed: Value = response.json().await.unwrap();
    let id = filed[0]["service_request_id"].as_str().unwrap();
    let xml = app
        .get(&format!("/open311/v2/requests/{id}.xml"))
        .await
        .text()
        .await
        .unwrap();
    let document = roxmltree::Document::parse(&xml).unwrap();
    let description = document
        .descendants()
        .find(|n| n.has_tag_name("description"))
        .and_then(|n| n.text())
        .unwrap_or_default();
    // An XML reader turns a raw CR LF into LF; a CR survives only as `&#13;`.
    assert_eq!(description, GOOD_TEXT, "{xml}");
}
