//! Every kind of bad input gets a clear, localised problem naming the field, and changes
//! nothing.

use crate::helpers::{assert_problem, photo, TestApp, CENTRU};
use reqwest::multipart::Form;
use serde_json::{json, Value};

fn report(extra: Value) -> Value {
    let mut body = json!({ "category": "pothole", "lat": CENTRU.1, "lon": CENTRU.0 });
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            body.as_object_mut().unwrap().remove(k);
        } else {
            body[k] = v.clone();
        }
    }
    body
}

#[tokio::test]
async fn each_bad_json_field_is_named_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    let cases = [
        (
            json!({ "category": null }),
            422,
            "missing-field",
            "category",
        ),
        (
            json!({ "category": "unicorn-sighting" }),
            422,
            "unknown-category",
            "category",
        ),
        (json!({ "lat": "north" }), 422, "invalid-field", "lat"),
        (json!({ "lat": 91.5 }), 422, "invalid-field", "lat"),
        (json!({ "lon": -200 }), 422, "invalid-field", "lon"),
        (json!({ "lon": null }), 422, "missing-field", "lon"),
        (
            json!({ "lat": null, "lon": null }),
            422,
            "missing-field",
            "lat",
        ),
        (
            json!({ "reporter_email": "ana@" }),
            422,
            "invalid-field",
            "reporter_email",
        ),
        (
            json!({ "reporter_phone": "sunați-mă" }),
            422,
            "invalid-field",
            "reporter_phone",
        ),
        (json!({ "locale": "de" }), 422, "invalid-field", "locale"),
        (
            json!({ "description": "x".repeat(5001) }),
            422,
            "invalid-field",
            "description",
        ),
        (
            json!({ "description": { "text": "nested" } }),
            400,
            "malformed-body",
            "description",
        ),
        (
            json!({ "attributes": { "colour": "red" } }),
            422,
            "invalid-attribute",
            "attributes.colour",
        ),
    ];
    for (extra, status, slug, field) in cases {
        let response = app.post_json(&report(extra.clone())).await;
        let body = assert_problem(response, status, slug, Some(field)).await;
        assert_eq!(body["lang"], "ro", "{extra}");
    }
    assert_eq!(app.footprint().await, before);
}

#[tokio::test]
async fn malformed_bodies_and_wrong_content_types_are_refused() {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    let url = app.url("/api/v1/incidents");
    let response = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"category\":")
        .send()
        .await
        .unwrap();
    assert_problem(response, 400, "malformed-body", None).await;
    let response = app
        .client
        .post(&url)
        .header("content-type", "text/plain")
        .body("groapă")
        .send()
        .await
        .unwrap();
    assert_problem(response, 415, "unsupported-media-type", None).await;
    assert_eq!(app.footprint().await, before);
}

#[tokio::test]
async fn bad_photos_are_refused_with_the_photo_named() {
    let app = TestApp::spawn_with(|c| c.max_photo_bytes = 40_000).await;
    let before = app.footprint().await;
    let form = |file: &str| {
        Form::new()
            .text("category", "pothole")
            .text("lat", CENTRU.1.to_string())
            .text("lon", CENTRU.0.to_string())
            .part("photos", photo("plain.png"))
            .part("photos", photo(file))
    };
    let big = std::fs::read("fixtures/photos/bomb.png").unwrap().len();
    assert!(
        big > 40_000,
        "the bomb fixture doubles as an oversize upload"
    );
    let heic = assert_problem(
        app.post_form(form("fake.heic")).await,
        415,
        "photo-heic",
        Some("photos[1]"),
    )
    .await;
    assert!(heic["detail"].as_str().unwrap().contains("JPEG"), "{heic}");
    assert_problem(
        app.post_form(form("not-an-image.jpg")).await,
        415,
        "not-an-image",
        Some("photos[1]"),
    )
    .await;
    assert_problem(
        app.post_form(form("bomb.png")).await,
        413,
        "photo-too-large",
        Some("photos[1]"),
    )
    .await;

    let six = (0..6).fold(
        Form::new()
            .text("category", "pothole")
            .text("lat", "46.07")
            .text("lon", "23.583"),
        |f, _| f.part("photos", photo("plain.png")),
    );
    assert_problem(
        app.post_form(six).await,
        422,
        "too-many-photos",
        Some("photos"),
    )
    .await;
    assert_eq!(
        app.footprint().await,
        before,
        "no rows and no photo files stored"
    );
}

#[tokio::test]
async fn a_decompression_bomb_is_refused_without_decoding_it() {
    let app = TestApp::spawn().await;
    let form = Form::new()
        .text("category", "pothole")
        .text("lat", CENTRU.1.to_string())
        .text("lon", CENTRU.0.to_string())
        .part("photos", photo("bomb.png"));
    assert_problem(
        app.post_form(form).await,
        422,
        "photo-too-many-pixels",
        Some("photos[0]"),
    )
    .await;
    assert_eq!(app.footprint().await.incidents, 0);
}

#[tokio::test]
async fn problems_speak_the_residents_language() {
    let app = TestApp::spawn().await;
    let outside = json!({ "category": "pothole", "lat": 45.956, "lon": 23.57 });
    let mut details = Vec::new();
    for (header, lang) in [("ro-RO", "ro"), ("hu", "hu"), ("en-GB,en;q=0.9", "en")] {
        let response = app
            .client
            .post(app.url("/api/v1/incidents"))
            .header("Accept-Language", header)
            .json(&outside)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-language"], lang);
        let body = assert_problem(response, 422, "outside-jurisdiction", Some("location")).await;
        assert_eq!(body["lang"], lang);
        details.push(body["detail"].as_str().unwrap().to_owned());
    }
    assert!(details[0].contains("municipiului"), "{}", details[0]);
    assert!(details[1].contains("város"), "{}", details[1]);
    assert!(details[2].contains("city"), "{}", details[2]);
    // The query parameter wins over the header.
    let response = app
        .client
        .get(app.url("/api/v1/incidents/ZZZZ?lang=hu"))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap();
    let body = assert_problem(
        response,
        400,
        "invalid-tracking-number",
        Some("tracking_number"),
    )
    .await;
    assert_eq!(body["lang"], "hu");
}

#[tokio::test]
async fn unknown_and_mistyped_tracking_numbers_are_told_apart() {
    let app = TestApp::spawn().await;
    let filed = app.report_pothole_at(CENTRU).await;
    let number = filed["tracking_number"].as_str().unwrap();
    // One character changed: the check character catches it.
    let mut typo: Vec<char> = number.chars().collect();
    typo[0] = if typo[0] == 'A' { 'B' } else { 'A' };
    let typo: String = typo.into_iter().collect();
    let response = app.get(&format!("/api/v1/incidents/{typo}")).await;
    assert_problem(
        response,
        400,
        "invalid-tracking-number",
        Some("tracking_number"),
    )
    .await;

    // A well-formed number nobody was given.
    let unknown = loop {
        let candidate = semnal::domain::TrackingNumber::generate(&mut rand::rng()).to_string();
        if candidate != number {
            break candidate;
        }
    };
    let response = app.get(&format!("/api/v1/incidents/{unknown}")).await;
    assert_problem(
        response,
        404,
        "unknown-tracking-number",
        Some("tracking_number"),
    )
    .await;
}

#[tokio::test]
async fn bad_query_parameters_are_named() {
    let app = TestApp::spawn().await;
    let cases = [
        ("/api/v1/incidents?bbox=23.5,46.0,23.4", "bbox"),
        ("/api/v1/incidents?bbox=23.6,46.0,23.5,46.1", "bbox"),
        ("/api/v1/incidents?status=done", "status"),
        ("/api/v1/incidents?limit=0", "limit"),
        ("/api/v1/incidents?cursor=yesterday", "cursor"),
        ("/api/v1/incidents/nearby?lat=46.07", "lon"),
        (
            "/api/v1/incidents/nearby?lat=46.07&lon=23.58&radius_m=50000",
            "radius_m",
        ),
        (
            "/api/v1/incidents/nearby?lat=46.07&lon=23.58&category=unicorn",
            "category",
        ),
    ];
    for (path, field) in cases {
        assert_problem(app.get(path).await, 400, "invalid-parameter", Some(field)).await;
    }
    assert_problem(
        app.get("/api/v1/nothing-here").await,
        404,
        "not-found",
        None,
    )
    .await;
}
