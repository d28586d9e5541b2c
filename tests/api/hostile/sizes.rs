//! Bodies built to be large or many: over the form limit, a value repeated to amplify what
//! is stored, too many parts, a text part over its limit, text that is not UTF-8.

use super::{assert_healthy, assert_open311_refusal, issue_key, Format};
use crate::helpers::{assert_problem, TestApp, CENTRU};
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use sqlx::Connection;

/// The default `max_form_bytes`.
const FORM_LIMIT: usize = 64 * 1024;

#[tokio::test]
async fn a_json_body_over_the_form_limit_is_refused() {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    let body = json!({
        "category": "pothole", "lat": CENTRU.1, "lon": CENTRU.0,
        "padding": "x".repeat(FORM_LIMIT),
    });
    assert_problem(app.post_json(&body).await, 413, "payload-too-large", None).await;
    // Without a Content-Length the limit holds as well (a stream of whitespace).
    let response = app
        .client
        .post(app.url("/api/v1/incidents"))
        .header("content-type", "application/json")
        .body(format!("{}{}", " ".repeat(FORM_LIMIT + 1), "{}"))
        .send()
        .await
        .unwrap();
    assert_problem(response, 413, "payload-too-large", None).await;
    assert_eq!(app.footprint().await, before);
    assert_healthy(&app).await;
}

#[tokio::test]
async fn an_open311_form_over_the_limit_is_refused_with_its_error_list() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app).await;
    let before = app.footprint().await;
    for format in Format::BOTH {
        let response = app
            .client
            .post(app.url(format.requests_path()))
            .form(&[
                ("api_key", key.as_str()),
                ("service_code", "pothole"),
                ("lat", "46.07"),
                ("long", "23.583"),
                ("description", &"x".repeat(FORM_LIMIT)),
            ])
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        assert_eq!(status, 413, "{body}");
        super::open311_error(413, &body, format);
    }
    assert_eq!(app.footprint().await, before);
    assert_healthy(&app).await;
}

#[tokio::test]
async fn a_choice_repeated_thousands_of_times_is_stored_once() {
    let app = TestApp::spawn().await;
    // "household", 12 bytes a time: about 60 KiB, within the form limit.
    let flood: Vec<&str> = std::iter::repeat_n("household", 5000).collect();
    let body = json!({
        "category": "illegal-dumping", "lat": CENTRU.1, "lon": CENTRU.0,
        "attributes": { "waste_types": flood },
    });
    assert!(serde_json::to_vec(&body).unwrap().len() < FORM_LIMIT);
    let response = app.post_json(&body).await;
    assert_eq!(response.status(), 201);
    let filed: Value = response.json().await.unwrap();
    assert_eq!(filed["attributes"]["waste_types"], json!(["household"]));

    // Open311's repeated `attribute[code][]`, two choices alternating.
    let key = issue_key(&app).await;
    let mut fields = vec![
        ("api_key", key.as_str()),
        ("service_code", "illegal-dumping"),
        ("lat", "46.07"),
        ("long", "23.583"),
    ];
    // About 42 bytes a pair URL-encoded: some 59 KiB, within the form limit.
    for i in 0..1400 {
        let value = if i % 2 == 0 { "tyres" } else { "household" };
        fields.push(("attribute[waste_types][]", value));
    }
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
    let public = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(
        public["attributes"]["waste_types"],
        json!(["tyres", "household"])
    );

    // What is stored is as small as what was chosen.
    let mut db = sqlx::PgConnection::connect(&app.database_url)
        .await
        .unwrap();
    let largest: i32 =
        sqlx::query_scalar("SELECT max(pg_column_size(attributes))::int FROM incidents")
            .fetch_one(&mut db)
            .await
            .unwrap();
    assert!(largest < 1024, "attributes take {largest} bytes");
    assert_healthy(&app).await;
}

#[tokio::test]
async fn too_many_parts_are_refused() {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    let form = (0..65).fold(
        Form::new()
            .text("category", "pothole")
            .text("lat", "46.07")
            .text("lon", "23.583"),
        |f, i| f.text(format!("x{i}"), "y"),
    );
    assert_problem(app.post_form(form).await, 413, "too-many-parts", None).await;
    // Repeats of one known name count the same.
    let form = (0..70).fold(Form::new().text("category", "illegal-dumping"), |f, _| {
        f.text("attribute[waste_types][]", "household")
    });
    assert_problem(app.post_form(form).await, 413, "too-many-parts", None).await;
    // Exactly the limit is fine.
    let form = (0..61).fold(
        Form::new()
            .text("category", "pothole")
            .text("lat", "46.07")
            .text("lon", "23.583"),
        |f, i| f.text(format!("x{i}"), "y"),
    );
    assert_eq!(app.post_form(form).await.status(), 201);
    assert_eq!(app.footprint().await.incidents, before.incidents + 1);
    assert_healthy(&app).await;
}

#[tokio::test]
async fn an_oversize_text_part_is_refused_naming_the_part() {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    let form = Form::new()
        .text("category", "pothole")
        .text("lat", "46.07")
        .text("lon", "23.583")
        .text("description", "x".repeat(32 * 1024 + 1));
    assert_problem(
        app.post_form(form).await,
        413,
        "payload-too-large",
        Some("description"),
    )
    .await;
    // A part the report does not know is held to the same limit.
    let form = Form::new()
        .text("category", "pothole")
        .text("whatever", "x".repeat(200 * 1024));
    assert_problem(
        app.post_form(form).await,
        413,
        "payload-too-large",
        Some("whatever"),
    )
    .await;
    assert_eq!(app.footprint().await, before);
    assert_healthy(&app).await;
}

#[tokio::test]
async fn a_text_part_that_is_not_utf8_is_a_malformed_body_naming_the_part() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app).await;
    let before = app.footprint().await;
    // Latin-1 "groapă"-ish bytes, a lone continuation byte, an overlong NUL, a surrogate.
    for bytes in [
        b"groap\xe3".to_vec(),
        b"a\x80b".to_vec(),
        b"a\xc0\x80b".to_vec(),
        b"a\xed\xa0\x80b".to_vec(),
    ] {
        let form = Form::new()
            .text("category", "pothole")
            .text("lat", "46.07")
            .text("lon", "23.583")
            .part("description", Part::bytes(bytes.clone()));
        assert_problem(
            app.post_form(form).await,
            400,
            "malformed-body",
            Some("description"),
        )
        .await;
        for format in Format::BOTH {
            let form = Form::new()
                .text("api_key", key.clone())
                .text("service_code", "pothole")
                .text("lat", "46.07")
                .text("long", "23.583")
                .part("description", Part::bytes(bytes.clone()));
            let response = app
                .client
                .post(app.url(format.requests_path()))
                .multipart(form)
                .send()
                .await
                .unwrap();
            assert_open311_refusal(response, format, 400, &["description"]).await;
        }
    }
    assert_eq!(app.footprint().await, before);
    assert_healthy(&app).await;
}
