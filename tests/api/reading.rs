//! Reading incidents back: nearby suggestions, the area listing, health and the API
//! document.

use crate::helpers::{TestApp, CENTRU};
use serde_json::Value;
use std::collections::HashSet;

/// `metres` east of the centre point (at this latitude, 1° of longitude ≈ 77.3 km).
fn east_of_centre(metres: f64) -> (f64, f64) {
    (CENTRU.0 + metres / 77_300.0, CENTRU.1)
}

#[tokio::test]
async fn nearby_suggests_open_incidents_of_the_category_nearest_first() {
    let app = TestApp::spawn().await;
    let far = app.report_pothole_at(east_of_centre(80.0)).await;
    let near = app.report_pothole_at(east_of_centre(10.0)).await;
    let middle = app.report_pothole_at(east_of_centre(40.0)).await;
    let graffiti = app.report("graffiti", east_of_centre(5.0)).await;
    let number = |v: &Value| v["tracking_number"].as_str().unwrap().to_owned();

    let query = format!(
        "/api/v1/incidents/nearby?lat={}&lon={}&radius_m=60&category=pothole",
        CENTRU.1, CENTRU.0
    );
    let found = app.get_json(&query).await;
    let found: Vec<&Value> = found["incidents"].as_array().unwrap().iter().collect();
    assert_eq!(
        found.iter().map(|i| number(i)).collect::<Vec<_>>(),
        [number(&near), number(&middle)]
    );
    assert!((found[0]["distance_m"].as_f64().unwrap() - 10.0).abs() < 1.0);

    let all = app
        .get_json(&format!(
            "/api/v1/incidents/nearby?lat={}&lon={}&radius_m=100",
            CENTRU.1, CENTRU.0
        ))
        .await;
    let all: Vec<String> = all["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(number)
        .collect();
    assert_eq!(
        all,
        [
            number(&graffiti),
            number(&near),
            number(&middle),
            number(&far)
        ]
    );
}

#[tokio::test]
async fn the_area_listing_filters_and_pages_through_everything_once() {
    let app = TestApp::spawn().await;
    let mut filed = HashSet::new();
    for i in 0..5 {
        filed.insert(
            app.report_pothole_at(east_of_centre(i as f64 * 20.0)).await["tracking_number"].clone(),
        );
    }
    app.report("graffiti", CENTRU).await;
    // Far north, in Bărăbanț: outside the box below.
    app.report_pothole_at((23.588, 46.099)).await;

    let mut seen = HashSet::new();
    let mut next =
        Some("/api/v1/incidents?bbox=23.57,46.06,23.60,46.08&category=pothole&limit=2".to_string());
    let mut pages = 0;
    while let Some(path) = next {
        let page = app.get_json(&path).await;
        assert_eq!(page["type"], "FeatureCollection");
        for feature in page["features"].as_array().unwrap() {
            assert_eq!(feature["geometry"]["type"], "Point");
            assert_eq!(feature["properties"]["category"]["code"], "pothole");
            assert!(
                seen.insert(feature["properties"]["tracking_number"].clone()),
                "listed twice"
            );
        }
        next = page["next"].as_str().map(str::to_owned);
        pages += 1;
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, filed);

    let closed = app
        .get_json("/api/v1/incidents?status=closed,rejected")
        .await;
    assert!(closed["features"].as_array().unwrap().is_empty());
    let new = app.get_json("/api/v1/incidents?status=new").await;
    assert_eq!(new["features"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn health_readiness_and_the_api_document_are_served() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get_json("/healthz").await["status"], "ok");
    let ready = app.get_json("/readyz").await;
    assert_eq!(ready["status"], "ready");
    assert!(ready["zones"].as_u64().unwrap() >= 10);

    let document = app.get_json("/api/openapi.json").await;
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    let paths = document["paths"].as_object().unwrap();
    for path in [
        "/api/v1/categories",
        "/api/v1/incidents",
        "/api/v1/incidents/{tracking_number}",
        "/api/v1/incidents/nearby",
        "/api/v1/photos/{id}/{variant}",
        "/healthz",
        "/readyz",
    ] {
        assert!(paths.contains_key(path), "{path} is not documented");
    }
}

#[tokio::test]
async fn categories_are_named_in_each_language() {
    let app = TestApp::spawn().await;
    let mut names = Vec::new();
    for lang in ["ro", "hu", "en"] {
        let list = app
            .get_json(&format!("/api/v1/categories?lang={lang}"))
            .await;
        let pothole = list["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == "pothole")
            .unwrap()
            .clone();
        names.push(pothole["name"].as_str().unwrap().to_owned());
    }
    let [ro, hu, en] = &names[..] else {
        unreachable!()
    };
    assert_eq!(en, "Pothole");
    assert!(ro.contains("Groapă"), "{ro}");
    assert!(hu.contains("Kátyú"), "{hu}");
    let list = app.get_json("/api/v1/categories").await;
    assert!(list["categories"].as_array().unwrap().len() >= 12);
}
