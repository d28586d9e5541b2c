//! Every free-text field, on every way in (JSON, multipart, Open311 form and multipart),
//! refuses NUL, control characters, noncharacters and text over its length, naming the
//! field and storing nothing; and takes tabs, line breaks, diacritics and emoji unchanged.

use super::{
    assert_client_error, assert_nothing_stored_and_still_answering, assert_open311_refusal,
    bad_values, filed_request_id, issue_key, raw_json_report, send, Encoding, Format,
    Open311Fields, GOOD_TEXT,
};
use crate::helpers::{assert_problem, report_form, TestApp, CENTRU};
use reqwest::multipart::Part;
use reqwest::Response;
use serde_json::{json, Value};
use sqlx::{Connection, PgConnection};

/// A category with a free-text (`string`) and a long-text (`text`) attribute, none required.
const CATEGORY: &str = "abandoned-vehicle";

/// The reporter's name and a plate number each field takes as they are.
const GOOD_NAME: &str = "Ștefan Lőrincz 🙂";
const GOOD_PLATE: &str = "AB-12-ȘŢŐ";

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
}

/// How a report reaches the JSON API.
#[derive(Debug, Clone, Copy)]
enum ApiEncoding {
    Json,
    Multipart,
}

/// Files a report of `CATEGORY` at the centre with `values` of the named API fields.
async fn post_report(
    app: &TestApp,
    encoding: ApiEncoding,
    values: &[(&'static str, &str)],
) -> Response {
    let fields = values.iter().map(|&(name, value)| {
        let field = API_FIELDS.iter().find(|f| f.name == name).expect(name);
        (field, value)
    });
    match encoding {
        ApiEncoding::Json => {
            let mut body = json!({ "category": CATEGORY, "lat": CENTRU.1, "lon": CENTRU.0 });
            for (field, value) in fields {
                match field.attribute() {
                    Some(code) => body["attributes"][code] = json!(value),
                    None => body[field.name] = json!(value),
                }
            }
            app.post_json(&body).await
        }
        ApiEncoding::Multipart => {
            let form = fields.fold(report_form(CATEGORY, CENTRU), |form, (field, value)| {
                let name = match field.attribute() {
                    Some(code) => format!("attribute[{code}]"),
                    None => field.name.to_owned(),
                };
                form.part(name, Part::bytes(value.as_bytes().to_vec()))
            });
            app.post_form(form).await
        }
    }
}

/// Every API field, sent as `encoding`, refuses each bad value naming itself, storing nothing.
async fn assert_each_api_field_refuses_bad_values(encoding: ApiEncoding) {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    for field in &API_FIELDS {
        for (what, value) in bad_values(field.max) {
            let response = post_report(&app, encoding, &[(field.name, &value)]).await;
            assert_client_error(&response, &format!("{} with {what}", field.name));
            assert_problem(response, 422, field.slug(), Some(field.name)).await;
        }
    }
    assert_nothing_stored_and_still_answering(&app, before).await;
}

#[tokio::test]
async fn each_json_text_field_refuses_hidden_characters_and_excess_length() {
    assert_each_api_field_refuses_bad_values(ApiEncoding::Json).await;
}

#[tokio::test]
async fn each_multipart_text_field_refuses_hidden_characters_and_excess_length() {
    assert_each_api_field_refuses_bad_values(ApiEncoding::Multipart).await;
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
        let response = send(raw_json_report(&app, body)).await;
        assert_problem(response, 400, "malformed-body", None).await;
    }
    assert_nothing_stored_and_still_answering(&app, before).await;
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

/// The good values, one for each API field.
const GOOD_VALUES: [(&str, &str); 5] = [
    ("description", GOOD_TEXT),
    ("reporter_name", GOOD_NAME),
    ("address", GOOD_TEXT),
    ("attributes.plate_number", GOOD_PLATE),
    ("attributes.vehicle_description", GOOD_TEXT),
];

/// The public incident behind a filed answer, checked to hold `GOOD_VALUES` everywhere.
async fn assert_good_text_kept(app: &TestApp, tracking: &str) {
    let public = app.get_json(&format!("/api/v1/incidents/{tracking}")).await;
    assert_eq!(public["description"], GOOD_TEXT);
    assert_eq!(public["address"], GOOD_TEXT);
    assert_eq!(public["attributes"]["plate_number"], GOOD_PLATE);
    assert_eq!(public["attributes"]["vehicle_description"], GOOD_TEXT);
    assert_eq!(kept_name(app, tracking).await.as_deref(), Some(GOOD_NAME));
}

/// The incident the JSON API answered with when it filed a report (201).
async fn filed_report(response: Response) -> Value {
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

#[tokio::test]
async fn tabs_line_breaks_diacritics_and_emoji_come_back_unchanged() {
    let app = TestApp::spawn().await;
    for encoding in [ApiEncoding::Json, ApiEncoding::Multipart] {
        let filed = filed_report(post_report(&app, encoding, &GOOD_VALUES).await).await;
        assert_good_text_kept(&app, filed["tracking_number"].as_str().unwrap()).await;
    }

    // Exactly the longest description, in two-byte letters, is taken.
    let longest = "ă".repeat(5000);
    let response = post_report(&app, ApiEncoding::Json, &[("description", &longest)]).await;
    assert_eq!(filed_report(response).await["description"], longest);
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

/// Every Open311 field, sent as `encoding` in both formats, refuses each bad value naming
/// itself, storing nothing.
async fn assert_each_open311_field_refuses_bad_values(encoding: Encoding) {
    let app = TestApp::spawn().await;
    let key = issue_key(&app).await;
    let before = app.footprint().await;
    for format in Format::BOTH {
        for field in &OPEN311_FIELDS {
            for (what, value) in open311_bad_values(field) {
                let fields = Open311Fields::signed(&key, CATEGORY).with(field.param, value);
                let response = send(fields.post(&app, format, encoding)).await;
                assert_client_error(&response, &format!("{} with {what}", field.param));
                assert_open311_refusal(response, format, 400, field.named).await;
            }
        }
    }
    assert_nothing_stored_and_still_answering(&app, before).await;
}

#[tokio::test]
async fn each_open311_form_field_refuses_hidden_characters_and_excess_length() {
    assert_each_open311_field_refuses_bad_values(Encoding::UrlEncoded).await;
}

#[tokio::test]
async fn each_open311_multipart_field_refuses_hidden_characters_and_excess_length() {
    assert_each_open311_field_refuses_bad_values(Encoding::Multipart).await;
}

#[tokio::test]
async fn open311_takes_tabs_line_breaks_diacritics_and_emoji_unchanged() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app).await;
    let fields = Open311Fields::signed(&key, CATEGORY)
        .with("description", GOOD_TEXT)
        .with("first_name", "Ștefan")
        .with("last_name", "Lőrincz 🙂")
        .with("address_string", GOOD_TEXT)
        .with("attribute[plate_number]", GOOD_PLATE)
        .with("attribute[vehicle_description]", GOOD_TEXT);
    for encoding in Encoding::BOTH {
        let response = send(fields.post(&app, Format::Json, encoding)).await;
        let id = filed_request_id(response).await;
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
    let fields = Open311Fields::signed(&key, CATEGORY).with("description", GOOD_TEXT);
    let response = send(fields.post(&app, Format::Json, Encoding::UrlEncoded)).await;
    let id = filed_request_id(response).await;
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
