//! The map while the service runs: categories and departments added, renamed and
//! deactivated by an administrator show everywhere without a restart, and map filters
//! cannot be made to pile up builds.

use crate::helpers::{assert_problem, TestApp, CENTRU};
use mvt_reader::feature::Value as Tag;
use mvt_reader::Reader;
use serde_json::Value;
use sqlx::{Connection, PgConnection};
use std::collections::HashMap;
use std::future::Future;

const BENCH: &str = "broken-bench";

/// The tile x/y holding a point at zoom `z`.
fn tile_of((lon, lat): (f64, f64), z: u8) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let x = (lon + 180.0) / 360.0 * n;
    let lat = lat.to_radians();
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n;
    (x as u32, y as u32)
}

/// The properties of the features of a tile whose point lies in the tile proper.
async fn features(app: &TestApp, path: &str) -> Vec<HashMap<String, Tag>> {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let reader = Reader::new(response.bytes().await.unwrap().to_vec()).unwrap();
    reader
        .get_features(0)
        .unwrap()
        .into_iter()
        .filter(|f| match &f.geometry {
            geo::Geometry::Point(p) => {
                (0.0..4096.0).contains(&p.x()) && (0.0..4096.0).contains(&p.y())
            }
            geo::Geometry::MultiPoint(m) => {
                m.0.iter()
                    .all(|p| (0.0..4096.0).contains(&p.x()) && (0.0..4096.0).contains(&p.y()))
            }
            _ => false,
        })
        .map(|f| f.properties.unwrap_or_default())
        .collect()
}

/// Incidents of the tile of `CENTRU` at zoom `z`: all, and those of `category` (by the
/// clusters' `category_*` counts and the single incidents' `category`).
async fn counts_at(app: &TestApp, z: u8, category: &str, query: &str) -> (u64, u64) {
    let (x, y) = tile_of(CENTRU, z);
    let mut counts = (0, 0);
    for tags in features(app, &format!("/tiles/incidents/{z}/{x}/{y}.mvt{query}")).await {
        let uint = |key: &str| match tags.get(key) {
            Some(Tag::UInt(n)) => *n,
            _ => 0,
        };
        if tags.get("cluster") == Some(&Tag::Bool(true)) {
            counts.0 += uint("count");
            counts.1 += uint(&format!("category_{category}"));
        } else {
            counts.0 += 1;
            counts.1 += u64::from(tags.get("category") == Some(&Tag::String(category.into())));
        }
    }
    counts
}

/// Runs `sql` then tells running services the catalogue changed, as an administrator's edit does.
async fn administer(app: &TestApp, sql: &[&str]) {
    let mut db = PgConnection::connect(&app.database_url).await.unwrap();
    for statement in sql {
        sqlx::query(statement).execute(&mut db).await.unwrap();
    }
    sqlx::query("SELECT pg_notify('semnal_zones_changed', '')")
        .execute(&mut db)
        .await
        .unwrap();
}

/// Waits until `seen` holds (the reload is asynchronous); the test harness bounds the wait.
async fn until<F: Future<Output = bool>>(mut seen: impl FnMut() -> F) {
    while !seen().await {
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

async fn category_name(app: &TestApp, code: &str) -> Option<String> {
    let list = app.get_json("/api/v1/categories?lang=en").await;
    list["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .map(|c| c["name"].as_str().unwrap().to_owned())
}

async fn service_name(app: &TestApp, code: &str) -> Option<String> {
    let services = app
        .get_json("/open311/v2/services.json?jurisdiction_id=alba-iulia&locale=en")
        .await;
    services
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service_code"] == code)
        .map(|s| s["service_name"].as_str().unwrap().to_owned())
}

async fn report_bench(app: &TestApp) -> reqwest::Response {
    let (lon, lat) = CENTRU;
    app.post_json(&serde_json::json!({ "category": BENCH, "lat": lat, "lon": lon }))
        .await
}

#[tokio::test]
async fn a_category_added_renamed_and_deactivated_at_runtime_shows_everywhere() {
    let app = TestApp::spawn().await;
    app.report_pothole_at(CENTRU).await;

    // An administrator adds a category with a new department, and a rule routing it there.
    administer(
        &app,
        &[
            "INSERT INTO departments (jurisdiction_id, code, name_ro, name_hu, name_en)
             VALUES ('alba-iulia', 'parcuri', 'Parcuri', 'Parkok', 'Parks')",
            "INSERT INTO categories (jurisdiction_id, code, group_id, icon, name_ro, name_hu, name_en,
                                     sla_acknowledge_hours, sla_resolve_hours)
             SELECT 'alba-iulia', 'broken-bench', min(id), 'bench', 'Bancă ruptă', 'Törött pad',
                    'Broken bench', 24, 72
               FROM category_groups WHERE jurisdiction_id = 'alba-iulia'",
            "INSERT INTO routing_rules (jurisdiction_id, category_id, department_id)
             SELECT 'alba-iulia', c.id, d.id FROM categories c, departments d
              WHERE c.code = 'broken-bench' AND d.code = 'parcuri'",
        ],
    )
    .await;
    until(|| async { category_name(&app, BENCH).await.is_some() }).await;

    let filed = report_bench(&app).await;
    assert_eq!(filed.status(), 201);
    let first: Value = filed.json().await.unwrap();
    assert_eq!(first["department"]["code"], "parcuri");
    assert_eq!(report_bench(&app).await.status(), 201);

    // Every tile holding the reports, at every zoom: the new category counted, nothing broken.
    for z in 0..=18 {
        assert_eq!(counts_at(&app, z, BENCH, "").await, (3, 2), "zoom {z}");
        assert_eq!(
            counts_at(&app, z, BENCH, "?category=broken-bench").await,
            (2, 2),
            "zoom {z}"
        );
        assert_eq!(
            counts_at(&app, z, BENCH, "?department=parcuri").await,
            (2, 2),
            "zoom {z}"
        );
    }
    let tilejson = app.get_json("/tiles/incidents.json").await;
    assert!(tilejson["vector_layers"][0]["fields"]["category_broken-bench"].is_string());
    let nearby = app
        .get_json(&format!(
            "/api/v1/incidents/nearby?lat={}&lon={}&category={BENCH}",
            CENTRU.1, CENTRU.0
        ))
        .await;
    assert_eq!(
        nearby["incidents"].as_array().map(Vec::len),
        Some(2),
        "{nearby}"
    );
    assert_eq!(
        service_name(&app, BENCH).await.as_deref(),
        Some("Broken bench")
    );

    // Renamed: the new name in the API and in Open311.
    administer(
        &app,
        &["UPDATE categories SET name_en = 'Broken park bench' WHERE code = 'broken-bench'"],
    )
    .await;
    until(|| async { category_name(&app, BENCH).await.as_deref() == Some("Broken park bench") })
        .await;
    assert_eq!(
        service_name(&app, BENCH).await.as_deref(),
        Some("Broken park bench")
    );

    // Deactivated: no new reports, the old ones still on the map and readable.
    administer(
        &app,
        &["UPDATE categories SET active = false WHERE code = 'broken-bench'"],
    )
    .await;
    until(|| async { category_name(&app, BENCH).await.is_none() }).await;
    let before = app.footprint().await;
    assert_problem(
        report_bench(&app).await,
        422,
        "unknown-category",
        Some("category"),
    )
    .await;
    assert_eq!(app.footprint().await, before);
    assert_eq!(service_name(&app, BENCH).await, None);
    let tracking = first["tracking_number"].as_str().unwrap();
    let kept = app.get_json(&format!("/api/v1/incidents/{tracking}")).await;
    assert_eq!(kept["category"]["code"], BENCH);
    for z in 0..=18 {
        assert_eq!(counts_at(&app, z, BENCH, "").await, (3, 2), "zoom {z}");
        assert_eq!(
            counts_at(&app, z, BENCH, "?category=broken-bench").await,
            (2, 2),
            "zoom {z}"
        );
    }
    let tilejson = app.get_json("/tiles/incidents.json").await;
    assert!(tilejson["vector_layers"][0]["fields"]["category_broken-bench"].is_string());
}

#[tokio::test]
async fn incidents_of_a_category_inactive_at_start_up_are_on_the_map() {
    let app = TestApp::spawn().await;
    app.report("graffiti", CENTRU).await;
    let mut db = PgConnection::connect(&app.database_url).await.unwrap();
    sqlx::query("UPDATE categories SET active = false WHERE code = 'graffiti'")
        .execute(&mut db)
        .await
        .unwrap();
    let app = app.restart().await;
    for z in [0, 12, 16, 17, 18] {
        assert_eq!(counts_at(&app, z, "graffiti", "").await, (1, 1), "zoom {z}");
    }
    assert_eq!(
        counts_at(&app, 10, "graffiti", "?category=graffiti").await,
        (1, 1)
    );
}

#[tokio::test]
async fn distinct_since_values_do_not_pile_up_map_builds() {
    let app = TestApp::spawn().await;
    app.report_pothole_at(CENTRU).await;
    let tile = |query: String| {
        let (x, y) = tile_of(CENTRU, 12);
        format!("/tiles/incidents/12/{x}/{y}.mvt?{query}")
    };
    // Every day before the first report is the whole map; every day after today is
    // tomorrow: one filtered map for all of them.
    for year in 1990..2020 {
        assert_eq!(
            app.get(&tile(format!("since={year}-03-01"))).await.status(),
            200
        );
    }
    assert_eq!(app.app.map.filter_builds(), 0);
    for year in 2990..3020 {
        assert_eq!(
            app.get(&tile(format!("since={year}-03-01"))).await.status(),
            200
        );
    }
    assert_eq!(app.app.map.filter_builds(), 1);
    // Listing every status is no status filter.
    let every = "status=new,acknowledged,assigned,in_progress,resolved,closed,rejected,duplicate,referred,reopened";
    assert_eq!(app.get(&tile(every.to_owned())).await.status(), 200);
    assert_eq!(app.app.map.filter_builds(), 1);
}

#[tokio::test]
async fn filtered_maps_past_the_build_bound_answer_busy_and_the_full_map_still_works() {
    // No build slot at all: every filter that needs a new hierarchy is refused at once.
    let app = TestApp::spawn_with(|config| {
        config.map_filter_builds = 0;
        config.map_filter_wait_ms = 0;
    })
    .await;
    app.report_pothole_at(CENTRU).await;
    let (x, y) = tile_of(CENTRU, 12);
    let response = app
        .client
        .get(app.url(&format!("/tiles/incidents/12/{x}/{y}.mvt?status=new")))
        .header("Accept-Language", "hu")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["retry-after"], "2");
    assert_eq!(response.headers()["content-language"], "hu");
    assert_problem(response, 503, "busy", None).await;
    assert_eq!(
        app.get(&format!("/tiles/incidents/12/{x}/{y}.mvt"))
            .await
            .status(),
        200
    );
    assert_eq!(app.app.map.filter_builds(), 0);
}
