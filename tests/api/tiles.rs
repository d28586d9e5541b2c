//! The live map: clustered incident tiles, filters, live updates, caching, zone tiles.

use crate::helpers::{assert_problem, probe_points, TestApp};
use mvt_reader::feature::Value as Tag;
use mvt_reader::Reader;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// The tile x/y holding a point at zoom `z`, placed as the server places it.
fn tile_of(lon: f64, lat: f64, z: u8) -> (u32, u32) {
    let (x, y) = semnal::spatial::mercator(lon, lat);
    let shift = 32 - u32::from(z);
    (
        (u64::from(x) >> shift) as u32,
        (u64::from(y) >> shift) as u32,
    )
}

/// The corners of the box the city's tiles cover: north-west and south-east.
const CITY: [(f64, f64); 2] = [(23.48, 46.13), (23.68, 45.99)];

struct Decoded {
    features: Vec<(f32, f32, HashMap<String, Tag>)>,
}

impl Decoded {
    /// Features whose point lies in the tile proper (not in the buffer around it).
    fn inside(&self) -> impl Iterator<Item = &HashMap<String, Tag>> {
        self.features
            .iter()
            .filter(|(x, y, _)| (0.0..4096.0).contains(x) && (0.0..4096.0).contains(y))
            .map(|f| &f.2)
    }

    fn count(&self) -> u64 {
        self.inside().map(count_of).sum()
    }
}

fn count_of(tags: &HashMap<String, Tag>) -> u64 {
    match (tags.get("cluster"), tags.get("count")) {
        (Some(Tag::Bool(true)), Some(Tag::UInt(n))) => *n,
        (Some(Tag::Bool(false)), _) => 1,
        other => panic!("feature without cluster/count: {other:?}"),
    }
}

async fn fetch_tile(app: &TestApp, path: &str) -> (Decoded, String) {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.mapbox-vector-tile"
    );
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let reader = Reader::new(response.bytes().await.unwrap().to_vec()).unwrap();
    let names = reader.get_layer_names().unwrap();
    let layer = names
        .iter()
        .position(|n| n == "incidents" || n == "zones")
        .expect("a semnal layer");
    let features = reader
        .get_features(layer)
        .unwrap()
        .into_iter()
        .map(|f| {
            let p = match f.geometry {
                geo::Geometry::Point(p) => p,
                geo::Geometry::MultiPoint(m) if m.0.len() == 1 => m.0[0],
                other => panic!("not a point: {other:?}"),
            };
            (p.x(), p.y(), f.properties.unwrap_or_default())
        })
        .collect();
    (Decoded { features }, etag)
}

/// Sum of the counts over every tile covering the city at zoom `z`: one request per tile,
/// about 1,400 at zoom 16 and four times as many for each zoom above it.
pub async fn city_total(app: &TestApp, z: u8, query: &str) -> u64 {
    let (x0, y0) = tile_of(CITY[0].0, CITY[0].1, z);
    let (x1, y1) = tile_of(CITY[1].0, CITY[1].1, z);
    let mut total = 0;
    for x in x0..=x1 {
        for y in y0..=y1 {
            total += fetch_tile(app, &format!("/tiles/incidents/{z}/{x}/{y}.mvt{query}"))
                .await
                .0
                .count();
        }
    }
    total
}

/// Above the clustered zooms every incident is its own point. Each tile holding one of the
/// incidents `at`, each tile around those, and a sample of the city's other tiles hold exactly
/// the incidents whose position they contain; together, every incident once.
async fn assert_tiles_hold_their_incidents(app: &TestApp, z: u8, at: &[(f64, f64)]) {
    let mut expected: HashMap<(u32, u32), u64> = HashMap::new();
    for &(lon, lat) in at {
        *expected.entry(tile_of(lon, lat, z)).or_default() += 1;
    }
    let mut tiles: BTreeSet<(u32, u32)> = expected
        .keys()
        .flat_map(|&(x, y)| {
            (-1..=1).flat_map(move |dx| {
                (-1..=1).map(move |dy| (x.saturating_add_signed(dx), y.saturating_add_signed(dy)))
            })
        })
        .collect();
    let ((x0, y0), (x1, y1)) = (
        tile_of(CITY[0].0, CITY[0].1, z),
        tile_of(CITY[1].0, CITY[1].1, z),
    );
    let mut rng = rand::rngs::StdRng::seed_from_u64(u64::from(z));
    tiles.extend((0..200).map(|_| (rng.random_range(x0..=x1), rng.random_range(y0..=y1))));
    let mut total = 0;
    for (x, y) in tiles {
        let count = fetch_tile(app, &format!("/tiles/incidents/{z}/{x}/{y}.mvt"))
            .await
            .0
            .count();
        let holds = expected.get(&(x, y)).copied().unwrap_or(0);
        assert_eq!(count, holds, "tile {z}/{x}/{y}");
        total += count;
    }
    assert_eq!(total, at.len() as u64, "zoom {z}");
}

/// What `report_around_the_city` filed.
struct Filed {
    potholes: u64,
    graffiti: u64,
    /// Where each report is, `(lon, lat)`.
    at: Vec<(f64, f64)>,
}

/// Files one report in each zone: potholes, and graffiti in every third zone.
async fn report_around_the_city(app: &TestApp) -> Filed {
    let (mut potholes, mut graffiti, mut filed_at) = (0, 0, Vec::new());
    for (i, point) in probe_points()["inside"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let at = (
            point["lon"].as_f64().unwrap(),
            point["lat"].as_f64().unwrap(),
        );
        let beside = (at.0 + 0.0003, at.1);
        app.report_pothole_at(at).await;
        app.report_pothole_at(beside).await;
        potholes += 2;
        filed_at.extend([at, beside]);
        if i % 3 == 0 {
            app.report("graffiti", at).await;
            graffiti += 1;
            filed_at.push(at);
        }
    }
    Filed {
        potholes,
        graffiti,
        at: filed_at,
    }
}

#[tokio::test]
async fn cluster_counts_add_up_to_every_incident_at_every_zoom() {
    let app = TestApp::spawn().await;
    let filed = report_around_the_city(&app).await;
    // Every tile of the city up to the last clustered zoom (16), where that is cheap.
    for z in [0, 5, 9, 11, 12, 13, 14, 15, 16] {
        assert_eq!(
            city_total(&app, z, "").await,
            filed.potholes + filed.graffiti,
            "zoom {z}"
        );
    }
    // Above it a sweep would cost 5,000 to 86,000 requests: the tiles the incidents fall in,
    // their neighbours and a sample of the rest.
    for z in [17, 19] {
        assert_tiles_hold_their_incidents(&app, z, &filed.at).await;
    }
    // Far out they are merged into clusters that carry their breakdown; close in they are single.
    let (x, y) = tile_of(23.58, 46.06, 9);
    let (z9, _) = fetch_tile(&app, &format!("/tiles/incidents/9/{x}/{y}.mvt")).await;
    let cluster = z9
        .inside()
        .find(|t| t.get("cluster") == Some(&Tag::Bool(true)))
        .expect("a cluster at z9");
    assert_eq!(cluster.get("status_new"), cluster.get("count"));
    let by_category: u64 = ["category_pothole", "category_graffiti"]
        .iter()
        .filter_map(|k| match cluster.get(*k) {
            Some(Tag::UInt(n)) => Some(*n),
            _ => None,
        })
        .sum();
    assert_eq!(Some(&Tag::UInt(by_category)), cluster.get("count"));
    assert!(matches!(cluster.get("dominant_status"), Some(Tag::String(s)) if s == "new"));
    assert!(matches!(cluster.get("expansion_zoom"), Some(Tag::UInt(z)) if *z > 9));

    let centru = probe_points()["inside"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["zone"] == "centru")
        .unwrap()
        .clone();
    let (x, y) = tile_of(
        centru["lon"].as_f64().unwrap(),
        centru["lat"].as_f64().unwrap(),
        19,
    );
    let (z19, _) = fetch_tile(&app, &format!("/tiles/incidents/19/{x}/{y}.mvt")).await;
    let single = z19.inside().next().expect("the centre's pothole at z19");
    assert_eq!(single.get("cluster"), Some(&Tag::Bool(false)));
    assert_eq!(single.get("category"), Some(&Tag::String("pothole".into())));
    assert_eq!(single.get("status"), Some(&Tag::String("new".into())));
    assert_eq!(single.get("age_days"), Some(&Tag::UInt(0)));
    assert!(matches!(single.get("tracking_number"), Some(Tag::String(t)) if t.len() == 9));
}

#[tokio::test]
async fn filters_narrow_the_map_and_bad_ones_are_named() {
    let app = TestApp::spawn().await;
    let Filed {
        potholes, graffiti, ..
    } = report_around_the_city(&app).await;
    for z in [4, 12, 16] {
        assert_eq!(city_total(&app, z, "?category=graffiti").await, graffiti);
        assert_eq!(
            city_total(&app, z, "?category=pothole,graffiti&status=new").await,
            potholes + graffiti
        );
        assert_eq!(city_total(&app, z, "?status=closed,resolved").await, 0);
        assert_eq!(city_total(&app, z, "?department=drumuri").await, potholes);
        assert_eq!(
            city_total(&app, z, "?since=2000-01-01").await,
            potholes + graffiti
        );
        assert_eq!(city_total(&app, z, "?since=2999-01-01").await, 0);
    }
    for (query, field) in [
        ("category=unicorn", "category"),
        ("status=done", "status"),
        ("since=yesterday", "since"),
    ] {
        assert_problem(
            app.get(&format!("/tiles/incidents/3/4/2.mvt?{query}"))
                .await,
            400,
            "invalid-parameter",
            Some(field),
        )
        .await;
    }
    assert_problem(
        app.get("/tiles/incidents/3/9/2.mvt").await,
        400,
        "invalid-parameter",
        Some("z"),
    )
    .await;
}

#[tokio::test]
async fn a_new_report_is_in_the_next_tile_and_caches_revalidate() {
    let app = TestApp::spawn().await;
    report_around_the_city(&app).await;
    let (x, y) = tile_of(23.583, 46.07, 12);
    let path = format!("/tiles/incidents/12/{x}/{y}.mvt");
    let filtered = format!("{path}?category=illegal-dumping");
    let (before, etag) = fetch_tile(&app, &path).await;
    let (before_filtered, _) = fetch_tile(&app, &filtered).await;

    let unchanged = app
        .client
        .get(app.url(&path))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), 304);
    assert!(unchanged.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("max-age"));

    app.report("illegal-dumping", (23.583, 46.07)).await;
    let (after, new_etag) = fetch_tile(&app, &path).await;
    assert_eq!(after.count(), before.count() + 1);
    assert_ne!(new_etag, etag);
    // A filtered map built before the report is kept current too.
    let (after_filtered, _) = fetch_tile(&app, &filtered).await;
    assert_eq!(after_filtered.count(), before_filtered.count() + 1);
    let changed = app
        .client
        .get(app.url(&path))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
}

#[tokio::test]
async fn zones_are_served_as_tiles_and_both_layers_are_described() {
    let app = TestApp::spawn().await;
    let (x, y) = tile_of(23.583, 46.07, 12);
    let response = app.get(&format!("/tiles/zones/12/{x}/{y}.mvt")).await;
    assert_eq!(response.status(), 200);
    let reader = Reader::new(response.bytes().await.unwrap().to_vec()).unwrap();
    assert_eq!(reader.get_layer_names().unwrap(), ["zones"]);
    let zones: Vec<String> = reader
        .get_features(0)
        .unwrap()
        .into_iter()
        .map(|f| {
            assert!(matches!(
                f.geometry,
                geo::Geometry::Polygon(_) | geo::Geometry::MultiPolygon(_)
            ));
            match f.properties.unwrap().remove("code") {
                Some(Tag::String(code)) => code,
                other => panic!("{other:?}"),
            }
        })
        .collect();
    assert!(
        zones.contains(&"centru".to_string()) && zones.contains(&"cetate".to_string()),
        "{zones:?}"
    );

    let tilejson: Value = app.get_json("/tiles/incidents.json?category=pothole").await;
    assert_eq!(tilejson["tilejson"], "3.0.0");
    let url = tilejson["tiles"][0].as_str().unwrap();
    assert!(
        url.starts_with("http://127.0.0.1:")
            && url.ends_with("/tiles/incidents/{z}/{x}/{y}.mvt?category=pothole"),
        "{url}"
    );
    assert_eq!(tilejson["vector_layers"][0]["id"], "incidents");
    let bounds = tilejson["bounds"].as_array().unwrap();
    assert!(bounds[0].as_f64().unwrap() < 23.58 && bounds[2].as_f64().unwrap() > 23.58);
    let zones_json: Value = app.get_json("/tiles/zones.json").await;
    assert_eq!(zones_json["vector_layers"][0]["id"], "zones");
}
