//! Generated data sets: realistic spread, every status, years of dates, and a map whose
//! clusters still add up.

use crate::helpers::TestApp;
use crate::tiles::city_total;
use sqlx::{Connection, PgConnection};

#[tokio::test]
async fn a_generated_city_has_years_of_reports_in_every_status_and_the_map_adds_up() {
    let app = TestApp::spawn().await;
    let store = semnal::store::Store::connect(&app.database_url, 2)
        .await
        .unwrap();
    let jurisdiction = semnal::domain::JurisdictionId::parse("alba-iulia").unwrap();
    let written = semnal::seed::seed_incidents(&store, jurisdiction.clone(), 4000, 7)
        .await
        .unwrap();
    assert_eq!(written, 4000);
    // The same seed again adds nothing.
    assert_eq!(
        semnal::seed::seed_incidents(&store, jurisdiction, 4000, 7)
            .await
            .unwrap(),
        0
    );

    let mut db = PgConnection::connect(&app.database_url).await.unwrap();
    let statuses: i64 = sqlx::query_scalar("SELECT count(DISTINCT status) FROM incidents")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(statuses, 10, "every status occurs");
    let years: f64 = sqlx::query_scalar(
        "SELECT (EXTRACT(EPOCH FROM max(created_at) - min(created_at)) / 86400 / 365)::float8 FROM incidents",
    )
    .fetch_one(&mut db)
    .await
    .unwrap();
    assert!(years > 3.0, "{years} years");
    let zones: i64 = sqlx::query_scalar("SELECT count(DISTINCT zone_id) FROM incidents")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert!(zones >= 10, "spread over {zones} zones");
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM incident_events")
        .fetch_one(&mut db)
        .await
        .unwrap();
    let not_new: i64 = sqlx::query_scalar("SELECT count(*) FROM incidents WHERE status <> 'new'")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(
        events,
        4000 + not_new,
        "a reported event each, and one for every status change"
    );

    // A server started on this database puts all of them on the map (single incidents above
    // zoom 16 are checked tile by tile in tiles.rs, at a cost this sweep would multiply).
    let app = app.restart().await;
    for z in [3, 10, 13, 16] {
        assert_eq!(city_total(&app, z, "").await, 4000, "zoom {z}");
    }
    let open = "?status=new,acknowledged,assigned,in_progress,reopened";
    let open_count: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM incidents WHERE status IN ('new','acknowledged','assigned','in_progress','reopened')",
    )
    .fetch_one(&mut db)
    .await
    .unwrap();
    assert_eq!(city_total(&app, 12, open).await, open_count as u64);
}
