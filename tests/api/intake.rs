//! A resident files reports through the JSON API and follows them.

use crate::helpers::{photo, TestApp, CENTRU};
use chrono::DateTime;
use reqwest::multipart::Form;
use serde_json::{json, Value};

fn hours_between(from: &Value, to: &Value) -> i64 {
    let parse = |v: &Value| DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    (parse(to) - parse(from)).num_hours()
}

#[tokio::test]
async fn a_resident_reports_a_pothole_with_photos_and_follows_it_by_tracking_number() {
    let app = TestApp::spawn().await;
    let form = Form::new()
        .text("category", "pothole")
        .text("lat", CENTRU.1.to_string())
        .text("lon", CENTRU.0.to_string())
        .text("description", "Groapă adâncă în fața blocului")
        .text("reporter_email", "ana.pop@example.ro")
        .part("photos", photo("pothole-gps.jpg"))
        .part("photos", photo("plain.png"))
        .part("photos", photo("photo.webp"));
    let response = app.post_form(form).await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let filed: Value = response.json().await.unwrap();

    let tracking = filed["tracking_number"].as_str().unwrap();
    assert_eq!(location, format!("/api/v1/incidents/{tracking}"));
    assert_eq!(tracking.len(), 9);
    assert!(!tracking.contains(['O', '0', 'I', '1']));
    assert_eq!(filed["status"], "new");
    assert_eq!(filed["zone"]["code"], "centru");
    assert_eq!(filed["department"]["code"], "drumuri");
    assert_eq!(filed["photos"].as_array().unwrap().len(), 3);

    // The due times follow the category's SLA.
    let categories = app.get_json("/api/v1/categories?lang=en").await;
    let pothole = categories["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "pothole")
        .unwrap();
    assert_eq!(
        hours_between(&filed["created_at"], &filed["due_at"]),
        pothole["sla"]["resolve_hours"].as_i64().unwrap()
    );
    assert_eq!(
        hours_between(&filed["created_at"], &filed["acknowledge_due_at"]),
        pothole["sla"]["acknowledge_hours"].as_i64().unwrap()
    );

    // Anyone can look it up, in any spelling of the number, with its public timeline.
    let public = app
        .get_json(&format!(
            "/api/v1/incidents/{}?lang=hu",
            tracking.to_lowercase().replace('-', "")
        ))
        .await;
    assert_eq!(public["tracking_number"], tracking);
    assert_eq!(public["description"], "Groapă adâncă în fața blocului");
    assert_eq!(public["category"]["name"], "Kátyú az úttesten");
    let timeline = public["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0]["kind"], "reported");
    assert_eq!(timeline[0]["status"], "new");

    // Each photo is served as a thumbnail and a display JPEG.
    for p in public["photos"].as_array().unwrap() {
        for (url, max_side) in [(&p["thumb_url"], 320), (&p["display_url"], 1600)] {
            let response = app.get(url.as_str().unwrap()).await;
            assert_eq!(response.status(), 200);
            assert_eq!(response.headers()["content-type"], "image/jpeg");
            let etag = response.headers()["etag"].clone();
            let again = app
                .client
                .get(app.url(url.as_str().unwrap()))
                .header("If-None-Match", etag)
                .send()
                .await
                .unwrap();
            assert_eq!(again.status(), 304, "a cached photo is not sent twice");
            let image = image::load_from_memory(&response.bytes().await.unwrap()).unwrap();
            assert!(image.width().max(image.height()) <= max_side);
        }
    }
    let footprint = app.footprint().await;
    assert_eq!(
        (
            footprint.incidents,
            footprint.photos,
            footprint.events,
            footprint.reporters
        ),
        (1, 3, 1, 1)
    );
}

#[tokio::test]
async fn a_json_report_without_photos_is_filed_and_routed() {
    let app = TestApp::spawn().await;
    let filed = app
        .post_json(&json!({
            "category": "street-light-out",
            "lat": "46.079", "lon": 23.585,
            "description": "Stâlpul de lângă parc nu luminează",
            "locale": "ro"
        }))
        .await;
    assert_eq!(filed.status(), 201);
    let filed: Value = filed.json().await.unwrap();
    assert_eq!(filed["zone"]["code"], "maieri");
    assert_eq!(filed["department"]["code"], "iluminat");
    assert!(filed["photos"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_returns_the_same_incident() {
    let app = TestApp::spawn().await;
    let body = json!({ "category": "graffiti", "lat": CENTRU.1, "lon": CENTRU.0, "description": "Graffiti pe zid" });
    let send = || {
        app.client
            .post(app.url("/api/v1/incidents"))
            .header("Idempotency-Key", "phone-42-report-1")
            .json(&body)
            .send()
    };

    let first = send().await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let retry = send().await.unwrap();
    assert_eq!(retry.status(), 200);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let retry: Value = retry.json().await.unwrap();
    assert_eq!(retry["tracking_number"], first["tracking_number"]);
    assert_eq!(app.footprint().await.incidents, 1);
}

#[tokio::test]
async fn concurrent_retries_with_one_key_file_a_single_incident() {
    let app = TestApp::spawn().await;
    let body = json!({ "category": "graffiti", "lat": CENTRU.1, "lon": CENTRU.0 });
    let requests = (0..6).map(|_| {
        app.client
            .post(app.url("/api/v1/incidents"))
            .header("Idempotency-Key", "flaky-network-7")
            .json(&body)
            .send()
    });
    let responses = futures::future::join_all(requests).await;
    let mut numbers = Vec::new();
    for response in responses {
        let response = response.unwrap();
        assert!(
            response.status() == 201 || response.status() == 200,
            "{}",
            response.status()
        );
        numbers.push(response.json::<Value>().await.unwrap()["tracking_number"].clone());
    }
    numbers.dedup();
    assert_eq!(numbers.len(), 1);
    let footprint = app.footprint().await;
    assert_eq!((footprint.incidents, footprint.events), (1, 1));
}

#[tokio::test]
async fn a_photo_with_a_gps_position_places_a_report_that_has_none() {
    let app = TestApp::spawn().await;
    let form = Form::new()
        .text("category", "pothole")
        .part("photos", photo("pothole-gps.jpg"));
    let response = app.post_form(form).await;
    assert_eq!(response.status(), 201);
    let filed: Value = response.json().await.unwrap();
    assert_eq!(filed["zone"]["code"], "centru");
    assert!((filed["location"]["lat"].as_f64().unwrap() - 46.07).abs() < 1e-6);
    assert!((filed["location"]["lon"].as_f64().unwrap() - 23.583).abs() < 1e-6);
}

#[tokio::test]
async fn extra_attributes_are_checked_and_kept() {
    let app = TestApp::spawn().await;
    let categories = app.get_json("/api/v1/categories?lang=en").await;
    let with_number = categories["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|c| {
            let attribute = c["attributes"]
                .as_array()?
                .iter()
                .find(|a| a["datatype"] == "number")?;
            Some((
                c["code"].as_str()?.to_owned(),
                attribute["code"].as_str()?.to_owned(),
            ))
        })
        .expect("a demo category asks for a number");
    let (category, attribute) = with_number;
    let filed = app
        .post_json(&json!({ "category": category, "lat": CENTRU.1, "lon": CENTRU.0, "attributes": { attribute.clone(): "12" } }))
        .await;
    assert_eq!(filed.status(), 201);
    let filed: Value = filed.json().await.unwrap();
    assert_eq!(filed["attributes"][&attribute], 12.0);
}

#[tokio::test]
async fn a_file_input_left_empty_is_no_photo() {
    let app = TestApp::spawn().await;
    // What a browser sends for an unused <input type="file">.
    let form = reqwest::multipart::Form::new()
        .text("category", "pothole")
        .text("lat", "46.07")
        .text("lon", "23.583")
        .part(
            "photos",
            reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
        );
    let response = app.post_form(form).await;
    assert_eq!(response.status(), 201);
    let filed: serde_json::Value = response.json().await.unwrap();
    assert_eq!(filed["photos"].as_array().unwrap().len(), 0);
}
