//! Reports go to the zone they are in and to the department of their category there.

use crate::helpers::{assert_problem, probe_points, TestApp};
use serde_json::{json, Value};

fn at(point: &Value) -> (f64, f64) {
    (
        point["lon"].as_f64().unwrap(),
        point["lat"].as_f64().unwrap(),
    )
}

#[tokio::test]
async fn a_report_inside_each_neighbourhood_lands_in_that_zone() {
    let app = TestApp::spawn().await;
    for point in probe_points()["inside"].as_array().unwrap() {
        let filed = app.report_pothole_at(at(point)).await;
        assert_eq!(filed["zone"]["code"], point["zone"], "{point}");
        assert_eq!(filed["department"]["code"], "drumuri");
    }
}

#[tokio::test]
async fn the_same_category_goes_to_different_departments_in_different_zones() {
    let app = TestApp::spawn().await;
    let inside = |zone: &str| {
        let points = probe_points();
        let p = points["inside"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["zone"] == zone)
            .unwrap()
            .clone();
        at(&p)
    };
    let department = |filed: Value| filed["department"]["code"].as_str().unwrap().to_owned();
    // Dumping in town is a clean-up job; in the villages it is an enforcement matter.
    assert_eq!(
        department(app.report("illegal-dumping", inside("centru")).await),
        "salubritate"
    );
    assert_eq!(
        department(app.report("illegal-dumping", inside("oarda")).await),
        "politia-locala"
    );
    // Drains are the water utility's in town; village ditches belong to the roads service.
    assert_eq!(
        department(app.report("blocked-drain", inside("tolstoi")).await),
        "apa-canal"
    );
    assert_eq!(
        department(app.report("blocked-drain", inside("micesti")).await),
        "drumuri"
    );
}

#[tokio::test]
async fn a_point_on_a_shared_border_always_gets_the_same_single_zone() {
    let app = TestApp::spawn().await;
    for point in probe_points()["border"].as_array().unwrap() {
        let neighbours: Vec<&str> = point["zones"]
            .as_array()
            .unwrap()
            .iter()
            .map(|z| z.as_str().unwrap())
            .collect();
        let first = app.report("illegal-dumping", at(point)).await;
        let zone = first["zone"]["code"].as_str().unwrap().to_owned();
        assert!(
            neighbours.contains(&zone.as_str()),
            "{zone} not in {neighbours:?}"
        );
        for _ in 0..3 {
            let again = app.report("illegal-dumping", at(point)).await;
            assert_eq!(again["zone"]["code"], zone.as_str());
            assert_eq!(again["department"], first["department"]);
        }
    }
}

#[tokio::test]
async fn a_point_outside_the_city_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    for point in probe_points()["outside"].as_array().unwrap() {
        let response = app
            .post_json(&json!({ "category": "pothole", "lat": point["lat"], "lon": point["lon"] }))
            .await;
        assert_problem(response, 422, "outside-jurisdiction", Some("location")).await;
    }
    assert_eq!(app.footprint().await, before);
}

#[tokio::test]
async fn imported_zones_reach_the_running_service_without_a_restart() {
    let app = TestApp::spawn().await;
    // Sebeș, 13 km south, is outside Alba Iulia until a zone there is imported.
    let sebes = (23.57, 45.956);
    let refused = app
        .post_json(&json!({ "category": "pothole", "lat": sebes.1, "lon": sebes.0 }))
        .await;
    assert_eq!(refused.status(), 422);
    let zones_before = zones_served(&app).await;

    // The notification the service reloads on, heard here too.
    let mut announced = sqlx::postgres::PgListener::connect(&app.database_url)
        .await
        .unwrap();
    announced.listen("semnal_zones_changed").await.unwrap();
    let zone = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
        "properties":{"code":"sebes-test","name":"Sebeș (test)"},
        "geometry":{"type":"Polygon","coordinates":[[[23.55,45.94],[23.59,45.94],[23.59,45.97],[23.55,45.97],[23.55,45.94]]]}}]}"#;
    let store = semnal::store::Store::connect(&app.database_url, 1)
        .await
        .unwrap();
    let jurisdiction = semnal::domain::JurisdictionId::parse("alba-iulia").unwrap();
    semnal::seed::import_zones(&store, &jurisdiction, zone)
        .await
        .unwrap();
    announced.recv().await.unwrap();

    // The service reloads on that notification: wait for the reload itself, however long it
    // takes (a reload that never comes hangs here for the test runner to report).
    while zones_served(&app).await == zones_before {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(zones_served(&app).await, zones_before + 1);
    let filed = app.report_pothole_at(sebes).await;
    assert_eq!(filed["zone"]["code"], "sebes-test");
}

/// How many zones the running service routes to.
async fn zones_served(app: &TestApp) -> u64 {
    app.get_json("/readyz").await["zones"].as_u64().unwrap()
}

#[tokio::test]
async fn the_helsinki_demo_routes_on_the_streets_of_the_offline_basemap() {
    let app = TestApp::spawn_with(|c| c.jurisdiction = "helsinki-keskusta".into()).await;
    let points: Value = serde_json::from_str(
        &std::fs::read_to_string("fixtures/helsinki-keskusta/probe-points.json").unwrap(),
    )
    .unwrap();
    for point in points["inside"].as_array().unwrap() {
        let filed = app.report("illegal-dumping", at(point)).await;
        assert_eq!(filed["zone"]["code"], point["zone"]);
        let expected = if point["zone"] == "kaartinkaupunki" || point["zone"] == "siltasaari" {
            "politia-locala"
        } else {
            "salubritate"
        };
        assert_eq!(filed["department"]["code"], expected, "{point}");
    }
    // Alba Iulia is outside this instance's city.
    let alba = app
        .post_json(&json!({ "category": "pothole", "lat": 46.07, "lon": 23.583 }))
        .await;
    assert_problem(alba, 422, "outside-jurisdiction", Some("location")).await;

    // The zones lie within the basemap.
    let zones = app.get_json("/tiles/incidents.json").await["bounds"].clone();
    let basemap = app.get_json("/tiles/basemap.json").await["bounds"].clone();
    let (z, b): (Vec<f64>, Vec<f64>) = (
        zones
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect(),
        basemap
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect(),
    );
    assert!(
        z[0] >= b[0] && z[1] >= b[1] && z[2] <= b[2] && z[3] <= b[3],
        "{z:?} within {b:?}"
    );
}
