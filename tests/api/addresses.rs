//! A report that gives its place only as an address is put where the city's address
//! register says that address is.

use crate::helpers::{assert_problem, TestApp};
use serde_json::{json, Value};

/// Mannerheimintie 22-24 in the Helsinki demo's gazetteer (OpenStreetMap).
const MANNERHEIMINTIE_22: (f64, f64) = (24.936405, 60.17065);

async fn helsinki() -> TestApp {
    TestApp::spawn_with(|config| config.jurisdiction = "helsinki-keskusta".into()).await
}

fn at(incident: &Value) -> (f64, f64) {
    let location = &incident["location"];
    (
        location["lon"].as_f64().unwrap(),
        location["lat"].as_f64().unwrap(),
    )
}

#[tokio::test]
async fn an_address_alone_is_placed_by_the_gazetteer_however_it_is_written() {
    let app = helsinki().await;
    for written in [
        "Mannerheimintie 22-24, 00100 Helsinki",
        "mannerheimintie nr. 22-24",
        // The street's Swedish name, from its street signs.
        "Mannerheimvägen 22-24",
    ] {
        let response = app
            .post_json(&json!({ "category": "pothole", "address": written }))
            .await;
        assert_eq!(response.status(), 201, "{written}");
        let filed: Value = response.json().await.unwrap();
        assert_eq!(at(&filed), MANNERHEIMINTIE_22, "{written}");
        // The reporter's words are kept as the description of the place.
        assert_eq!(filed["address"], written);
    }
}

#[tokio::test]
async fn coordinates_given_with_an_address_are_kept() {
    let app = helsinki().await;
    let pin = (24.9384, 60.1699);
    let response = app
        .post_json(&json!({
            "category": "pothole", "lon": pin.0, "lat": pin.1,
            "address": "Mannerheimintie 22-24",
        }))
        .await;
    assert_eq!(response.status(), 201);
    let filed: Value = response.json().await.unwrap();
    assert_eq!(at(&filed), pin);
}

#[tokio::test]
async fn an_address_the_register_does_not_know_is_refused_and_nothing_is_stored() {
    let app = helsinki().await;
    let before = app.footprint().await;
    let response = app
        .post_json(&json!({ "category": "pothole", "address": "Mannerheimintie 999" }))
        .await;
    let body = assert_problem(response, 422, "address-not-found", Some("address")).await;
    assert!(body["detail"].as_str().unwrap().contains("hart"), "{body}");
    assert_eq!(app.footprint().await, before);
}

#[tokio::test]
async fn addresses_imported_for_a_city_are_found_under_each_name_of_their_street() {
    // Alba Iulia's demo has no register; an administrator imports one.
    let app = TestApp::spawn().await;
    let before = app
        .post_json(&json!({ "category": "pothole", "address": "Strada Mihai Viteazu 5" }))
        .await;
    assert_problem(before, 422, "address-not-found", Some("address")).await;

    // The street's Hungarian name beside its Romanian one, as on bilingual street signs.
    let register = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
        "properties":{"street":"Strada Mihai Viteazu","housenumber":"5",
                      "street_other_names":["Vitéz Mihály utca"]},
        "geometry":{"type":"Point","coordinates":[23.583,46.07]}}]}"#;
    let store = semnal::store::Store::connect(&app.database_url, 2)
        .await
        .unwrap();
    let alba = semnal::domain::JurisdictionId::parse("alba-iulia").unwrap();
    let (written, skipped) = semnal::seed::import_addresses(&store, &alba, register)
        .await
        .unwrap();
    assert_eq!(
        (written, skipped),
        (2, 0),
        "one entry under each name of the street"
    );

    for written in ["Str. Mihai Viteazu nr. 5", "Vitéz Mihály u. 5."] {
        let response = app
            .post_json(&json!({ "category": "pothole", "address": written }))
            .await;
        assert_eq!(response.status(), 201, "{written}");
        let filed: Value = response.json().await.unwrap();
        assert_eq!(at(&filed), (23.583, 46.07), "{written}");
        assert_eq!(filed["zone"]["code"], "centru");
    }
}

#[tokio::test]
async fn a_square_and_a_street_of_the_same_name_are_two_places_and_never_guessed() {
    let app = TestApp::spawn().await;
    let register = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"street":"Piața Unirii","housenumber":"3"},
         "geometry":{"type":"Point","coordinates":[23.583,46.07]}},
        {"type":"Feature","properties":{"street":"Strada Unirii","housenumber":"3"},
         "geometry":{"type":"Point","coordinates":[23.584,46.071]}}]}"#;
    let store = semnal::store::Store::connect(&app.database_url, 2)
        .await
        .unwrap();
    let alba = semnal::domain::JurisdictionId::parse("alba-iulia").unwrap();
    semnal::seed::import_addresses(&store, &alba, register)
        .await
        .unwrap();
    let place = |address: &'static str| {
        let app = &app;
        async move {
            app.post_json(&json!({ "category": "pothole", "address": address }))
                .await
        }
    };
    let square: Value = place("P-ța Unirii nr. 3").await.json().await.unwrap();
    let street: Value = place("Str. Unirii 3").await.json().await.unwrap();
    assert_eq!(at(&square), (23.583, 46.07));
    assert_eq!(at(&street), (23.584, 46.071));
    // "Unirii 3" could be either: refused, not guessed.
    assert_problem(
        place("Unirii 3").await,
        422,
        "address-not-found",
        Some("address"),
    )
    .await;
}
