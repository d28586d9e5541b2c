//! Point → zone lookup: `ZoneIndex` (R-tree over bounding boxes, then exact point-in-polygon)
//! against PostGIS (`ST_Contains` join with GIST indexes) on the same zones and points.
//!
//! Run with `cargo bench --bench zone_lookup`. With `DATABASE_URL` set (a PostgreSQL server
//! with PostGIS available), the database `bench_zones` is (re)created there, loaded with the
//! same data, measured, and dropped again; without it only our figures are printed.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use semnal::domain::{LonLat, ZoneId, ZoneRef, ZoneShape};
use semnal::spatial::ZoneIndex;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, Executor, PgConnection};
use std::fmt::Write as _;
use std::hint::black_box;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// The zones cover this lon/lat box around Alba Iulia.
const MIN_LON: f64 = 23.50;
const MAX_LON: f64 = 23.66;
const MIN_LAT: f64 = 46.00;
const MAX_LAT: f64 = 46.12;
/// Zones per side of the grid: 10 × 10 = 100 zones.
const GRID: usize = 10;
/// Segments per zone side: 4 × 125 = 500 vertices per zone.
const SEGMENTS_PER_SIDE: usize = 125;
/// Points are drawn from the zone box grown by this fraction of its span on every side,
/// so that about 4 % of them fall outside every zone.
const MARGIN: f64 = 0.01;
const POINTS: usize = 1_000_000;
const SEED: u64 = 20_260_101;
const OUR_RUNS: usize = 5;
const POSTGIS_RUNS: usize = 3;
const BENCH_DB: &str = "bench_zones";
const REFERENCE_QUERY: &str =
    "SELECT count(*) FROM points p JOIN zones z ON ST_Contains(z.geom, p.geom)";

fn main() {
    let mut rng = StdRng::seed_from_u64(SEED);
    let zones = make_zones(&mut rng);
    let points = make_points(&mut rng);
    let vertices: usize = zones
        .iter()
        .map(|z| z.boundary.0[0].exterior().0.len() - 1)
        .sum();
    println!(
        "{} zones, {:.0} vertices per zone on average; {} points (seed {SEED})",
        zones.len(),
        vertices as f64 / zones.len() as f64,
        points.len()
    );
    let invalid = zones
        .iter()
        .filter(|z| !geo::Validation::is_valid(&z.boundary))
        .count();
    assert_eq!(invalid, 0, "the generated zones must be valid polygons");

    // Ours: build, then look every point up; best of OUR_RUNS.
    let mut build = Duration::MAX;
    let mut lookup = Duration::MAX;
    let mut per_zone = vec![0u64; zones.len() + 1];
    let mut inside = 0u64;
    for _ in 0..OUR_RUNS {
        let input = zones.clone();
        let started = Instant::now();
        let index = ZoneIndex::build(black_box(input));
        build = build.min(started.elapsed());

        let mut counts = vec![0u64; zones.len() + 1];
        let started = Instant::now();
        for &point in black_box(&points) {
            if let Some(zone) = index.zone_for(point) {
                counts[zone.id.0 as usize] += 1;
            }
        }
        lookup = lookup.min(started.elapsed());
        inside = black_box(counts.iter().sum());
        per_zone = counts;
    }
    let outside = POINTS as u64 - inside;
    println!(
        "ZoneIndex: build {:.3} ms, lookups {:.1} ms ({:.0} ns/point); {inside} points inside a \
         zone, {outside} outside ({:.2} %)",
        ms(build),
        ms(lookup),
        ns_per_point(lookup),
        outside as f64 * 100.0 / POINTS as f64
    );

    let peer = match std::env::var("DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("tokio runtime");
            match runtime.block_on(postgis(&url, &zones, &points, &per_zone)) {
                Ok(peer) => Some(peer),
                Err(e) => {
                    eprintln!("PostGIS peer failed: {e:#}");
                    std::process::exit(1);
                }
            }
        }
        _ => {
            println!("\nDATABASE_URL is not set: the PostGIS peer was skipped.");
            None
        }
    };

    println!();
    println!("| method | total ms | ns/point | ratio vs PostGIS |");
    println!("|---|---:|---:|---:|");
    let ratio = |d: Duration| match &peer {
        Some(p) => format!("{:.3}", d.as_secs_f64() / p.best.as_secs_f64()),
        None => "–".into(),
    };
    println!(
        "| ZoneIndex::build (100 zones) | {:.3} | – | – |",
        ms(build)
    );
    println!(
        "| ZoneIndex::zone_for, 1M points, 1 thread (best of {OUR_RUNS}) | {:.1} | {:.0} | {} |",
        ms(lookup),
        ns_per_point(lookup),
        ratio(lookup)
    );
    if let Some(p) = &peer {
        println!(
            "| PostGIS ST_Contains join (best of {POSTGIS_RUNS}) | {:.1} | {:.0} | 1.000 |",
            ms(p.best),
            ns_per_point(p.best)
        );
        println!();
        println!(
            "ZoneIndex lookups take {:.3} of the PostGIS join's time ({:.1}× faster).",
            lookup.as_secs_f64() / p.best.as_secs_f64(),
            p.best.as_secs_f64() / lookup.as_secs_f64()
        );
        println!("PostGIS: {}", p.server);
        println!("PostGIS plan: {}", p.plan);
        println!(
            "Counts: ZoneIndex {inside}, PostGIS {} ({})",
            p.count,
            if p.count == inside as i64 && p.zone_mismatches == 0 {
                "agree, and per zone too".to_string()
            } else {
                format!(
                    "DIFFER: {} points in total, {} zones with different counts",
                    p.count - inside as i64,
                    p.zone_mismatches
                )
            }
        );
    }
}

/// What the PostGIS run found.
struct Peer {
    best: Duration,
    count: i64,
    zone_mismatches: usize,
    plan: String,
    server: String,
}

async fn postgis(
    url: &str,
    zones: &[ZoneShape],
    points: &[LonLat],
    per_zone: &[u64],
) -> anyhow::Result<Peer> {
    let admin_options = PgConnectOptions::from_str(url)?;
    let mut admin = PgConnection::connect_with(&admin_options).await?;
    admin
        .execute(format!("DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)").as_str())
        .await?;
    admin
        .execute(format!("CREATE DATABASE {BENCH_DB}").as_str())
        .await?;
    let result = async {
        let mut db = PgConnection::connect_with(&admin_options.clone().database(BENCH_DB)).await?;
        measure_postgis(&mut db, zones, points, per_zone).await
    }
    .await;
    admin
        .execute(format!("DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)").as_str())
        .await?;
    result
}

async fn measure_postgis(
    db: &mut PgConnection,
    zones: &[ZoneShape],
    points: &[LonLat],
    per_zone: &[u64],
) -> anyhow::Result<Peer> {
    db.execute("CREATE EXTENSION postgis").await?;
    db.execute(
        "CREATE TABLE zones (id int PRIMARY KEY, geom geometry(MultiPolygon, 4326) NOT NULL);
         CREATE TABLE points (id int PRIMARY KEY, geom geometry(Point, 4326) NOT NULL);",
    )
    .await?;

    let started = Instant::now();
    for zone in zones {
        sqlx::query("INSERT INTO zones (id, geom) VALUES ($1, ST_GeomFromText($2, 4326))")
            .bind(zone.zone.id.0 as i32)
            .bind(multipolygon_wkt(&zone.boundary))
            .execute(&mut *db)
            .await?;
    }
    // Coordinates go over as text in Rust's shortest round-trip form, so PostGIS holds
    // exactly the same doubles as the index.
    let mut copy = db
        .copy_in_raw("COPY points (id, geom) FROM STDIN (FORMAT text)")
        .await?;
    let mut chunk = String::with_capacity(1 << 20);
    for (i, p) in points.iter().enumerate() {
        writeln!(chunk, "{i}\tSRID=4326;POINT({} {})", p.lon(), p.lat())?;
        if chunk.len() > (1 << 20) - 128 {
            copy.send(chunk.as_bytes()).await?;
            chunk.clear();
        }
    }
    copy.send(chunk.as_bytes()).await?;
    copy.finish().await?;
    for statement in [
        "CREATE INDEX zones_geom ON zones USING gist (geom)",
        "CREATE INDEX points_geom ON points USING gist (geom)",
        "VACUUM ANALYZE zones",
        "VACUUM ANALYZE points",
    ] {
        db.execute(statement).await?;
    }
    println!(
        "PostGIS: loaded and indexed in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let (invalid, area): (i64, f64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE NOT ST_IsValid(geom)), sum(ST_Area(geom)) FROM zones",
    )
    .fetch_one(&mut *db)
    .await?;
    let box_area = (MAX_LON - MIN_LON) * (MAX_LAT - MIN_LAT);
    anyhow::ensure!(invalid == 0, "{invalid} zones are not valid for PostGIS");
    anyhow::ensure!(
        (area - box_area).abs() < box_area * 1e-9,
        "the zones do not partition the box: area {area} vs {box_area}"
    );

    db.execute("SET jit = off").await?;
    let server: String = sqlx::query_scalar(
        "SELECT 'PostgreSQL ' || current_setting('server_version') || ', PostGIS ' \
         || postgis_lib_version() || ', max_parallel_workers_per_gather = ' \
         || current_setting('max_parallel_workers_per_gather') || ', jit = ' \
         || current_setting('jit')",
    )
    .fetch_one(&mut *db)
    .await?;
    let plan: Vec<String> = sqlx::query_scalar(&format!("EXPLAIN {REFERENCE_QUERY}"))
        .fetch_all(&mut *db)
        .await?;
    let plan = plan
        .iter()
        .map(|line| line.split("  (cost").next().unwrap_or(line).trim())
        .collect::<Vec<_>>()
        .join(" / ");

    let mut best = Duration::MAX;
    let mut count = 0;
    for _ in 0..POSTGIS_RUNS {
        let started = Instant::now();
        count = sqlx::query_scalar::<_, i64>(REFERENCE_QUERY)
            .fetch_one(&mut *db)
            .await?;
        best = best.min(started.elapsed());
    }

    // Not timed: the per-zone cross-check.
    let rows: Vec<(i32, i64)> = sqlx::query_as(
        "SELECT z.id, count(*) FROM points p JOIN zones z ON ST_Contains(z.geom, p.geom) \
         GROUP BY z.id",
    )
    .fetch_all(&mut *db)
    .await?;
    let mut theirs = vec![0u64; per_zone.len()];
    for (id, n) in rows {
        theirs[id as usize] = n as u64;
    }
    let zone_mismatches = theirs.iter().zip(per_zone).filter(|(a, b)| a != b).count();

    Ok(Peer {
        best,
        count,
        zone_mismatches,
        plan,
        server,
    })
}

/// A 10 × 10 grid of cells over the box whose sides are wiggly polylines; each side is
/// generated once and shared exactly by the two cells it separates, so the zones partition
/// the box with no gaps or overlaps.
fn make_zones(rng: &mut StdRng) -> Vec<ZoneShape> {
    let dx = (MAX_LON - MIN_LON) / GRID as f64;
    let dy = (MAX_LAT - MIN_LAT) / GRID as f64;
    let node = |i: usize, j: usize| (MIN_LON + i as f64 * dx, MIN_LAT + j as f64 * dy);
    // Outer sides of the box stay straight (still 125 segments each).
    // horizontal[j][i]: from node (i, j) to node (i + 1, j); vertical[i][j]: (i, j) to (i, j + 1).
    let horizontal: Vec<Vec<Vec<(f64, f64)>>> = (0..=GRID)
        .map(|j| {
            (0..GRID)
                .map(|i| wiggly_side(rng, node(i, j), node(i + 1, j), j > 0 && j < GRID))
                .collect()
        })
        .collect();
    let vertical: Vec<Vec<Vec<(f64, f64)>>> = (0..=GRID)
        .map(|i| {
            (0..GRID)
                .map(|j| wiggly_side(rng, node(i, j), node(i, j + 1), i > 0 && i < GRID))
                .collect()
        })
        .collect();

    let mut zones = Vec::with_capacity(GRID * GRID);
    for j in 0..GRID {
        for i in 0..GRID {
            // Counter-clockwise: bottom (west → east), right (south → north),
            // top (east → west), left (north → south); each side without its last vertex.
            let mut ring: Vec<(f64, f64)> = Vec::with_capacity(4 * SEGMENTS_PER_SIDE + 1);
            let bottom = &horizontal[j][i];
            let right = &vertical[i + 1][j];
            let top = &horizontal[j + 1][i];
            let left = &vertical[i][j];
            ring.extend(&bottom[..SEGMENTS_PER_SIDE]);
            ring.extend(&right[..SEGMENTS_PER_SIDE]);
            ring.extend(top.iter().rev().take(SEGMENTS_PER_SIDE));
            ring.extend(left.iter().rev().take(SEGMENTS_PER_SIDE));
            ring.push(ring[0]);
            let id = (j * GRID + i + 1) as i64;
            let polygon = geo::Polygon::new(geo::LineString::from(ring), vec![]);
            zones.push(ZoneShape {
                zone: ZoneRef {
                    id: ZoneId(id),
                    code: format!("z{id:03}"),
                    name: format!("Zone {id}"),
                },
                boundary: geo::MultiPolygon(vec![polygon]),
            });
        }
    }
    zones
}

/// `SEGMENTS_PER_SIDE + 1` vertices from `a` to `b`. When `wiggle`, the interior ones are
/// pushed sideways by a few low-frequency waves plus per-vertex noise, tapered to zero at the
/// ends; the sideways offset never changes faster than half the distance along the side, so
/// sides that meet at a corner cannot cross and no side crosses itself.
fn wiggly_side(rng: &mut StdRng, a: (f64, f64), b: (f64, f64), wiggle: bool) -> Vec<(f64, f64)> {
    let n = SEGMENTS_PER_SIDE;
    let (ux, uy) = (b.0 - a.0, b.1 - a.1);
    let length = ux.hypot(uy);
    // Unit normal.
    let (nx, ny) = (-uy / length, ux / length);
    let mut offsets = vec![0.0; n + 1];
    if wiggle {
        let waves: Vec<(f64, f64, f64)> = (1..=4)
            .map(|k| {
                let k = k as f64;
                (
                    k,
                    rng.random_range(-1.0..1.0) / k,
                    rng.random_range(0.0..6.3),
                )
            })
            .collect();
        for (s, offset) in offsets.iter_mut().enumerate().take(n).skip(1) {
            let t = s as f64 / n as f64;
            let taper = (std::f64::consts::PI * t).sin();
            let wave: f64 = waves
                .iter()
                .map(|(k, amp, phase)| amp * (std::f64::consts::TAU * k * t + phase).sin())
                .sum();
            *offset = taper * (wave + rng.random_range(-0.03..0.03));
        }
        // Scale so that the largest offset is 12 % of the shorter cell side, then further
        // down if any segment would turn more steeply than 1 : 2.
        let cell = ((MAX_LON - MIN_LON) / GRID as f64).min((MAX_LAT - MIN_LAT) / GRID as f64);
        let largest = offsets.iter().fold(0.0f64, |m, o| m.max(o.abs()));
        let mut scale = 0.12 * cell / largest;
        let step = length / n as f64;
        let steepest = offsets
            .windows(2)
            .fold(0.0f64, |m, w| m.max((w[1] - w[0]).abs() * scale / step));
        if steepest > 0.5 {
            scale *= 0.5 / steepest;
        }
        for offset in &mut offsets {
            *offset *= scale;
        }
    }
    (0..=n)
        .map(|s| {
            if s == 0 {
                return a;
            }
            if s == n {
                return b;
            }
            let t = s as f64 / n as f64;
            (
                a.0 + ux * t + nx * offsets[s],
                a.1 + uy * t + ny * offsets[s],
            )
        })
        .collect()
}

fn make_points(rng: &mut StdRng) -> Vec<LonLat> {
    let mx = (MAX_LON - MIN_LON) * MARGIN;
    let my = (MAX_LAT - MIN_LAT) * MARGIN;
    (0..POINTS)
        .map(|_| {
            let lon = rng.random_range(MIN_LON - mx..MAX_LON + mx);
            let lat = rng.random_range(MIN_LAT - my..MAX_LAT + my);
            LonLat::new(lon, lat).expect("in range")
        })
        .collect()
}

fn multipolygon_wkt(mp: &geo::MultiPolygon<f64>) -> String {
    let mut wkt = String::from("MULTIPOLYGON(");
    for (p, polygon) in mp.0.iter().enumerate() {
        if p > 0 {
            wkt.push(',');
        }
        wkt.push_str("((");
        for (c, coord) in polygon.exterior().0.iter().enumerate() {
            if c > 0 {
                wkt.push(',');
            }
            write!(wkt, "{} {}", coord.x, coord.y).expect("writing to a String");
        }
        wkt.push_str("))");
    }
    wkt.push(')');
    wkt
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn ns_per_point(d: Duration) -> f64 {
    d.as_nanos() as f64 / POINTS as f64
}
