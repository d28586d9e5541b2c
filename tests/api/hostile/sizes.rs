//! Bodies built to be large or many: over the form limit, a value repeated to amplify what
//! is stored, too many parts, a text part over its limit, text that is not UTF-8.

use super::{
    assert_form_refused, assert_healthy, assert_nothing_stored_and_still_answering,
    assert_open311_error, assert_open311_refusal, filed_request_id, issue_key, open311_post,
    raw_json_report, send, Encoding, Format, Open311Fields,
};
use crate::helpers::{assert_problem, report_form, TestApp, CENTRU};
use reqwest::multipart::Part;
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
    let whitespace = format!("{}{}", " ".repeat(FORM_LIMIT + 1), "{}");
    let response = send(raw_json_report(&app, whitespace)).await;
    assert_problem(response, 413, "payload-too-large", None).await;
    assert_nothing_stored_and_still_answering(&app, before).await;
}

#[tokio::test]
async fn an_open311_form_over_the_limit_is_refused_with_its_error_list() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app).await;
    let before = app.footprint().await;
    let fields = Open311Fields::signed(&key, "pothole").with("description", "x".repeat(FORM_LIMIT));
    for format in Format::BOTH {
        let response = send(fields.post(&app, format, Encoding::UrlEncoded)).await;
        assert_open311_error(response, format, 413).await;
    }
    assert_nothing_stored_and_still_answering(&app, before).await;
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
    // About 42 bytes a pair URL-encoded: some 59 KiB, within the form limit.
    let fields = (0..1400).fold(
        Open311Fields::signed(&key, "illegal-dumping"),
        |fields, i| {
            let value = if i % 2 == 0 { "tyres" } else { "household" };
            fields.with("attribute[waste_types][]", value)
        },
    );
    let response = send(fields.post(&app, Format::Json, Encoding::UrlEncoded)).await;
    let id = filed_request_id(response).await;
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
    // A pothole report and `extra` parts of names it does not know.
    let with_unknown_parts = |extra: usize| {
        (0..extra).fold(report_form("pothole", CENTRU), |form, i| {
            form.text(format!("x{i}"), "y")
        })
    };
    assert_form_refused(&app, with_unknown_parts(65), 413, "too-many-parts", None).await;
    // Repeats of one known name count the same.
    let form = (0..70).fold(report_form("illegal-dumping", CENTRU), |form, _| {
        form.text("attribute[waste_types][]", "household")
    });
    assert_form_refused(&app, form, 413, "too-many-parts", None).await;
    // Exactly the limit is fine.
    assert_eq!(app.post_form(with_unknown_parts(61)).await.status(), 201);
    assert_eq!(app.footprint().await.incidents, before.incidents + 1);
    assert_healthy(&app).await;
}

#[tokio::test]
async fn an_oversize_text_part_is_refused_naming_the_part() {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    let form = report_form("pothole", CENTRU).text("description", "x".repeat(32 * 1024 + 1));
    assert_form_refused(&app, form, 413, "payload-too-large", Some("description")).await;
    // A part the report does not know is held to the same limit.
    let form = report_form("pothole", CENTRU).text("whatever", "x".repeat(200 * 1024));
    assert_form_refused(&app, form, 413, "payload-too-large", Some("whatever")).await;
    assert_nothing_stored_and_still_answering(&app, before).await;
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
        let description = || Part::bytes(bytes.clone());
        let form = report_form("pothole", CENTRU).part("description", description());
        assert_form_refused(&app, form, 400, "malformed-body", Some("description")).await;
        for format in Format::BOTH {
            let form = Open311Fields::signed(&key, "pothole")
                .multipart()
                .part("description", description());
            let response = send(open311_post(&app, format).multipart(form)).await;
            assert_open311_refusal(response, format, 400, &["description"]).await;
        }
    }
    assert_nothing_stored_and_still_answering(&app, before).await;
}

#[tokio::test]
async fn an_upload_announcing_more_than_the_request_limit_is_refused_before_it_is_read() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    let mut stream = tokio::net::TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .unwrap();
    // 2 GB announced, not a byte of it sent: the answer cannot wait for the body.
    let head = "POST /api/v1/incidents HTTP/1.1\r\nHost: localhost\r\nAccept-Language: en\r\n\
                Content-Type: multipart/form-data; boundary=XyZ\r\n\
                Content-Length: 2000000000\r\nConnection: close\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(answer.contains("/problems/payload-too-large"), "{answer}");
    assert_nothing_stored_and_still_answering(&app, before).await;
}
