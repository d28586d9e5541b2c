//! Map tiles for 1M incidents (see BENCHMARKS.md, "Map tiles"):
//!
//! 1. the cluster index build, time and memory, against supercluster 8 on Node over the same
//!    points and options (run when `node` and `benches/peers/supercluster/node_modules`
//!    exist);
//! 2. tile time and size by zoom, `IncidentLayer::tile` (query and MVT encoding) over every
//!    tile that covers the city, and for a few tiles per zoom against PostGIS
//!    `ST_AsMVT(ST_AsMVTGeom(…))` over the same points without clustering (run when
//!    `DATABASE_URL` is set: the database `bench_tiles` is created on that server, loaded,
//!    measured and dropped).
//!
//! Run with `cargo bench --bench cluster_tiles` (`POINTS=…` for fewer points while trying
//! things out). Everything is generated from a fixed seed; it only reports, nothing here
//! passes or fails on speed.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use semnal::domain::{Priority, Status, TrackingNumber};
use semnal::seed::synthetic::{gaussian, status_for_age};
use semnal::spatial::{mercator, ClusterIndex, ClusterParams, MapPoint};
use semnal::tiles::{day_number, IncidentLayer, LayerCatalog, MapFilter, TileCoord};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, Executor, PgConnection};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::time::{Duration, Instant};

/// The city: incidents are generated around this lon/lat box, and the tiles that cover it
/// are the ones measured.
const MIN_LON: f64 = 23.50;
const MAX_LON: f64 = 23.66;
const MIN_LAT: f64 = 46.00;
const MAX_LAT: f64 = 46.12;
const POINTS: usize = 1_000_000;
const SEED: u64 = 20_261_124;
/// z17 is not a step of two, but it is the first zoom above the clusters (max_zoom 16),
/// where a tile holds every incident inside it.
const ZOOMS: [u8; 7] = [8, 10, 12, 14, 16, 17, 18];
const BUILD_RUNS: usize = 3;
const POSTGIS_RUNS: usize = 3;
/// Each zoom's tiles are timed in whole passes until there are at least this many timings.
const MIN_SAMPLES: usize = 3000;
/// Timings of each tile compared with PostGIS.
const SELECTED_REPEATS: usize = 200;
/// Our goal: every tile under 100 KB.
const MAX_TILE_BYTES: usize = 100_000;
/// The incident layer's margin around a tile, in pixels of 512 (`BUFFER_PX` in
/// src/tiles/incident_layer.rs), and the same in the 4096 units of an MVT.
const BUFFER_PX: f64 = 64.0;
const BUFFER_UNITS: u32 = 512;
const BENCH_DB: &str = "bench_tiles";
/// Statuses still open: the filter of the second run.
const OPEN: [Status; 5] = [
    Status::New,
    Status::Acknowledged,
    Status::Assigned,
    Status::InProgress,
    Status::Reopened,
];

fn main() {
    let n: usize = std::env::var("POINTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(POINTS);
    let today = day_number(
        chrono::NaiveDate::from_ymd_opt(2026, 11, 24)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .expect("a valid date")
            .and_utc(),
    );
    let catalog = DemoCatalog::load();
    let started = Instant::now();
    let incidents = generate(&catalog, n, today);
    let points: Vec<MapPoint> = incidents.iter().map(|i| i.point).collect();
    describe(&incidents, &catalog, started.elapsed());

    let work = std::env::temp_dir().join(format!("semnal-cluster-tiles-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("scratch folder");
    let points_file = work.join("points.f64");
    write_points(&points_file, &incidents).expect("writing the points file");

    // 1. Build: time (best of BUILD_RUNS), heap_bytes, process RSS before and after.
    let build = measure_build(&points);
    let layer_catalog = LayerCatalog::new(
        catalog.categories.iter().map(|c| c.code.clone()).collect(),
        catalog.departments.clone(),
    );
    // Tiles are served from an async handler; a filter's first tile builds on the blocking pool.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let started = Instant::now();
    let layer = IncidentLayer::build(
        black_box(points.clone()),
        layer_catalog,
        ClusterParams::default(),
    );
    let layer_build = started.elapsed();

    // 2. Tiles: every tile over the city, per zoom.
    let everything = MapFilter::default();
    let mut zooms = Vec::new();
    for z in ZOOMS {
        let tiles = city_tiles(z);
        let encoded = time_tiles(&tiles, |c| {
            runtime
                .block_on(layer.tile(c, &everything, today))
                .expect("encoding")
                .bytes
        });
        let query = time_queries(&build.index, &tiles);
        zooms.push(ZoomFigures {
            z,
            tiles,
            encoded,
            query,
        });
    }
    // The open-status filter: its first tile builds the filtered hierarchy.
    let open_filter = MapFilter::new(
        vec![],
        OPEN.iter().map(|s| status_index(*s)).collect(),
        vec![],
        None,
    );
    let open_count = points.iter().filter(|p| open_filter.matches(p)).count();
    let centre = tile_at(12, (MIN_LON + MAX_LON) / 2.0, (MIN_LAT + MAX_LAT) / 2.0);
    let started = Instant::now();
    black_box(
        runtime
            .block_on(layer.tile(centre, &open_filter, today))
            .expect("encoding"),
    );
    let cold_filter = started.elapsed();
    let started = Instant::now();
    black_box(
        runtime
            .block_on(layer.tile(centre, &open_filter, today))
            .expect("encoding"),
    );
    let warm_filter = started.elapsed();
    // A filter that lets almost everything through (17 of the 18 categories): its first tile
    // builds a hierarchy nearly as large as the full one.
    let broad_filter = MapFilter::new(
        (1..catalog.categories.len() as u8).collect(),
        vec![],
        vec![],
        None,
    );
    let broad_count = points.iter().filter(|p| broad_filter.matches(p)).count();
    let started = Instant::now();
    black_box(
        runtime
            .block_on(layer.tile(centre, &broad_filter, today))
            .expect("encoding"),
    );
    let cold_broad = started.elapsed();
    let filtered: Vec<TileTimes> = zooms
        .iter()
        .map(|f| {
            time_tiles(&f.tiles, |c| {
                runtime
                    .block_on(layer.tile(c, &open_filter, today))
                    .expect("encoding")
                    .bytes
            })
        })
        .collect();

    // A few tiles per zoom for PostGIS: the one with the most incidents, the one at the
    // 90th percentile and the median of the non-empty tiles.
    let mut selected = Vec::new();
    for z in ZOOMS {
        let counts = raw_counts(&points, z);
        let mut nonempty: Vec<(TileCoord, u32)> = city_tiles(z)
            .into_iter()
            .filter_map(|c| counts.get(&(c.x, c.y)).map(|&k| (c, k)))
            .collect();
        nonempty.sort_by_key(|(c, k)| (std::cmp::Reverse(*k), c.x, c.y));
        let mut picks: Vec<(&'static str, TileCoord, u32)> = Vec::new();
        for (label, at) in [
            ("densest", 0),
            ("p90", nonempty.len() / 10),
            ("median", nonempty.len() / 2),
        ] {
            if let Some(&(c, k)) = nonempty.get(at) {
                if !picks.iter().any(|(_, p, _)| *p == c) {
                    picks.push((label, c, k));
                }
            }
        }
        for (label, coord, incidents) in picks {
            let mut times = Vec::with_capacity(SELECTED_REPEATS);
            let mut bytes = 0;
            for _ in 0..SELECTED_REPEATS {
                let started = Instant::now();
                let tile = runtime
                    .block_on(layer.tile(coord, &everything, today))
                    .expect("encoding");
                times.push(started.elapsed());
                bytes = black_box(tile.bytes).len();
            }
            times.sort();
            let features = build.index.tile(coord.z, coord.x, coord.y, BUFFER_PX).len();
            selected.push(Selected {
                label,
                coord,
                incidents,
                features,
                ours_p50: times[times.len() / 2],
                ours_bytes: bytes,
                postgis: None,
            });
        }
    }

    // 3. supercluster on Node, same points and options.
    let tiles_file = work.join("tiles.txt");
    let mut list = String::new();
    for f in &zooms {
        for c in &f.tiles {
            writeln!(list, "{} {} {}", c.z, c.x, c.y).expect("writing to a String");
        }
    }
    std::fs::write(&tiles_file, list).expect("writing the tiles file");
    let peer = supercluster(&points_file, &tiles_file);

    // 4. PostGIS, same points, ST_AsMVT without clustering.
    let postgis = match std::env::var("DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("tokio runtime");
            match runtime.block_on(postgis(&url, &incidents, &catalog, today, &mut selected)) {
                Ok(info) => Some(info),
                Err(e) => {
                    eprintln!("PostGIS peer failed: {e:#}");
                    let _ = std::fs::remove_dir_all(&work);
                    std::process::exit(1);
                }
            }
        }
        _ => {
            println!("\nDATABASE_URL is not set: the PostGIS peer was skipped.");
            None
        }
    };
    let _ = std::fs::remove_dir_all(&work);

    report(Report {
        n,
        build: &build,
        layer_build,
        peer: peer.as_ref(),
        zooms: &zooms,
        selected: &selected,
        postgis: postgis.as_ref(),
        open_count,
        cold_filter,
        warm_filter,
        broad_count,
        cold_broad,
        filtered: &filtered,
    });
}

// ---------------------------------------------------------------------------------------
// Data

/// The demo municipality's categories and departments (fixtures/alba-iulia).
struct DemoCatalog {
    categories: Vec<DemoCategory>,
    departments: Vec<String>,
}

struct DemoCategory {
    code: String,
    /// Reported along streets (roads, traffic, lighting, water) or at places.
    street: bool,
    priority: u8,
    department: u8,
}

impl DemoCatalog {
    fn load() -> Self {
        let spec: serde_json::Value =
            serde_json::from_str(include_str!("../fixtures/alba-iulia/municipality.json"))
                .expect("the demo municipality parses");
        let departments: Vec<String> = spec["departments"]
            .as_array()
            .expect("departments")
            .iter()
            .map(|d| d["code"].as_str().expect("code").to_owned())
            .collect();
        // The department a category's group is routed to by default.
        let department_of = |group: &str| {
            let code = match group {
                "roads" | "traffic" => "drumuri",
                "lighting" => "iluminat",
                "water" => "apa-canal",
                "sanitation" => "salubritate",
                "green-spaces" => "spatii-verzi",
                "animals" | "public-order" => "politia-locala",
                _ => "dispecerat",
            };
            departments.iter().position(|d| d == code).unwrap_or(0) as u8
        };
        let categories = spec["categories"]
            .as_array()
            .expect("categories")
            .iter()
            .map(|c| {
                let group = c["group"].as_str().expect("group");
                let priority = c["default_priority"].as_str().unwrap_or("normal");
                DemoCategory {
                    code: c["code"].as_str().expect("code").to_owned(),
                    street: ["roads", "traffic", "lighting", "water"].contains(&group),
                    priority: Priority::ALL
                        .iter()
                        .position(|p| p.as_str() == priority)
                        .unwrap_or(1) as u8,
                    department: department_of(group),
                }
            })
            .collect();
        Self {
            categories,
            departments,
        }
    }
}

struct Incident {
    lon: f64,
    lat: f64,
    point: MapPoint,
}

/// Incidents like `semnal seed-demo --incidents N` makes (src/seed/synthetic.rs), inside
/// the city box instead of the demo zones: 60 % along 80 streets (200–1500 m, ±8 m), 30 %
/// around 25 hotspots (σ 30–150 m), 10 % anywhere, all thinning out from the middle;
/// four years of reports, more recent ones more often, statuses by age.
fn generate(catalog: &DemoCatalog, n: usize, today: i32) -> Vec<Incident> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let centre = ((MIN_LON + MAX_LON) / 2.0, (MIN_LAT + MAX_LAT) / 2.0);
    let spread = ((MAX_LON - MIN_LON) / 8.0, (MAX_LAT - MIN_LAT) / 8.0);
    let inside = |rng: &mut StdRng| loop {
        let lon = centre.0 + gaussian(rng) * spread.0;
        let lat = centre.1 + gaussian(rng) * spread.1;
        if (MIN_LON..MAX_LON).contains(&lon) && (MIN_LAT..MAX_LAT).contains(&lat) {
            return (lon, lat);
        }
    };
    let streets: Vec<((f64, f64), (f64, f64))> = (0..80)
        .map(|_| {
            let from = inside(&mut rng);
            let length: f64 = rng.random_range(200.0..1500.0);
            let heading: f64 = rng.random_range(0.0..std::f64::consts::TAU);
            (
                from,
                offset(from, length * heading.cos(), length * heading.sin()),
            )
        })
        .collect();
    let hotspots: Vec<((f64, f64), f64)> = (0..25)
        .map(|_| (inside(&mut rng), rng.random_range(30.0..150.0)))
        .collect();
    let street_kinds: Vec<usize> = (0..catalog.categories.len())
        .filter(|&i| catalog.categories[i].street)
        .collect();
    let place_kinds: Vec<usize> = (0..catalog.categories.len())
        .filter(|&i| !catalog.categories[i].street)
        .collect();
    const YEARS: f64 = 4.0;
    (0..n)
        .map(|_| {
            let roll: f64 = rng.random();
            let ((lon, lat), kinds) = if roll < 0.6 {
                let (from, to) = streets[rng.random_range(0..streets.len())];
                let t: f64 = rng.random();
                let along = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
                let (dx, dy) = (rng.random_range(-8.0..8.0), rng.random_range(-8.0..8.0));
                (offset(along, dx, dy), &street_kinds)
            } else if roll < 0.9 {
                let (spot, spread_m) = hotspots[rng.random_range(0..hotspots.len())];
                let (dx, dy) = (gaussian(&mut rng) * spread_m, gaussian(&mut rng) * spread_m);
                (offset(spot, dx, dy), &place_kinds)
            } else {
                (inside(&mut rng), &place_kinds)
            };
            let category = kinds[rng.random_range(0..kinds.len())];
            let age_days = ((1.0 - rng.random::<f64>().sqrt()) * YEARS * 365.0) as i32;
            let status = status_for_age(&mut rng, chrono::Duration::days(age_days.into()));
            let (x, y) = mercator(lon, lat);
            let mut tracking = [0u8; 8];
            tracking.copy_from_slice(TrackingNumber::generate(&mut rng).as_str().as_bytes());
            let c = &catalog.categories[category];
            Incident {
                lon,
                lat,
                point: MapPoint {
                    x,
                    y,
                    tracking,
                    created_day: today - age_days,
                    status: status_index(status),
                    category: category as u8,
                    priority: if rng.random_bool(0.1) {
                        high_priority()
                    } else {
                        c.priority
                    },
                    department: c.department,
                },
            }
        })
        .collect()
}

fn high_priority() -> u8 {
    Priority::ALL
        .iter()
        .position(|p| *p == Priority::High)
        .expect("high exists") as u8
}

fn status_index(status: Status) -> u8 {
    Status::ALL
        .iter()
        .position(|s| *s == status)
        .expect("a status") as u8
}

/// `p` moved `east_m` metres east and `north_m` north.
fn offset(p: (f64, f64), east_m: f64, north_m: f64) -> (f64, f64) {
    const M_PER_DEG: f64 = 111_320.0;
    (
        p.0 + east_m / (M_PER_DEG * p.1.to_radians().cos()),
        p.1 + north_m / M_PER_DEG,
    )
}

fn describe(incidents: &[Incident], catalog: &DemoCatalog, took: Duration) {
    let mut statuses = [0usize; 10];
    let mut categories = vec![0usize; catalog.categories.len()];
    let mut outside = 0;
    for i in incidents {
        statuses[usize::from(i.point.status)] += 1;
        categories[usize::from(i.point.category)] += 1;
        if !(MIN_LON..MAX_LON).contains(&i.lon) || !(MIN_LAT..MAX_LAT).contains(&i.lat) {
            outside += 1;
        }
    }
    println!(
        "{} incidents (seed {SEED}, generated in {:.1} s), {outside} of them just outside the box",
        incidents.len(),
        took.as_secs_f64()
    );
    let by_status: Vec<String> = Status::ALL
        .iter()
        .zip(statuses)
        .map(|(s, k)| format!("{s} {k}"))
        .collect();
    println!("statuses: {}", by_status.join(", "));
    println!(
        "categories: {} used, {}–{} incidents each",
        categories.iter().filter(|&&k| k > 0).count(),
        categories.iter().min().unwrap_or(&0),
        categories.iter().max().unwrap_or(&0)
    );
}

/// Little-endian f64 quadruples: lon, lat, status index, category index.
fn write_points(path: &Path, incidents: &[Incident]) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for i in incidents {
        for v in [
            i.lon,
            i.lat,
            f64::from(i.point.status),
            f64::from(i.point.category),
        ] {
            out.write_all(&v.to_le_bytes())?;
        }
    }
    out.flush()
}

// ---------------------------------------------------------------------------------------
// Build

struct BuildFigures {
    runs: Vec<Duration>,
    heap_bytes: usize,
    /// RSS after − before each build (the input points were resident before).
    rss_deltas: Vec<i64>,
    /// Highest RSS during the first build, above its start.
    peak_delta: Option<i64>,
    index: ClusterIndex,
}

impl BuildFigures {
    fn best(&self) -> Duration {
        self.runs.iter().copied().min().unwrap_or_default()
    }
}

fn measure_build(points: &[MapPoint]) -> BuildFigures {
    let mut runs = Vec::new();
    let mut rss_deltas = Vec::new();
    let mut peak_delta = None;
    let mut index = None;
    for run in 0..BUILD_RUNS {
        drop(index.take());
        let input = points.to_vec();
        let before = rss_bytes();
        let peak_reset = run == 0 && reset_peak_rss();
        let started = Instant::now();
        let built = ClusterIndex::build(black_box(input), ClusterParams::default());
        runs.push(started.elapsed());
        let after = rss_bytes();
        rss_deltas.push(after as i64 - before as i64);
        if peak_reset {
            peak_delta = peak_rss().map(|p| p as i64 - before as i64);
        }
        index = Some(built);
    }
    let index = index.expect("at least one run");
    BuildFigures {
        runs,
        heap_bytes: index.heap_bytes(),
        rss_deltas,
        peak_delta,
        index,
    }
}

/// Resident set size from /proc/self/statm (4 KiB pages on x86-64 Linux).
fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

/// Resets the peak RSS (VmHWM) to the current RSS.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

// ---------------------------------------------------------------------------------------
// Tiles

struct ZoomFigures {
    z: u8,
    tiles: Vec<TileCoord>,
    encoded: TileTimes,
    query: TileTimes,
}

#[derive(Default)]
struct TileTimes {
    samples: usize,
    p50: Duration,
    p99: Duration,
    max: Duration,
    slowest: Option<TileCoord>,
    /// Sizes of the encoded tiles (empty for query-only timings).
    bytes_p50: usize,
    bytes_max: usize,
    largest: Option<TileCoord>,
    over_limit: usize,
    /// Features of the largest tile (query-only timings: the most in any tile).
    features_max: usize,
}

/// Every tile of zoom `z` that the city box touches.
fn city_tiles(z: u8) -> Vec<TileCoord> {
    let west = tile_at(z, MIN_LON, MAX_LAT);
    let east = tile_at(z, MAX_LON, MIN_LAT);
    let mut tiles = Vec::new();
    for x in west.x..=east.x {
        for y in west.y..=east.y {
            tiles.push(TileCoord::new(z, x, y).expect("inside the world"));
        }
    }
    tiles
}

fn tile_at(z: u8, lon: f64, lat: f64) -> TileCoord {
    let (x, y) = mercator(lon, lat);
    let shift = 32 - u32::from(z);
    TileCoord::new(z, x >> shift, y >> shift).expect("inside the world")
}

/// How many incidents lie inside each tile of zoom `z` (no margin).
fn raw_counts(points: &[MapPoint], z: u8) -> HashMap<(u32, u32), u32> {
    let shift = 32 - u32::from(z);
    let mut counts = HashMap::new();
    for p in points {
        *counts.entry((p.x >> shift, p.y >> shift)).or_insert(0) += 1;
    }
    counts
}

/// Times `encode` over `tiles`: one pass to warm up and to size every tile, then whole
/// passes until there are at least `MIN_SAMPLES` timings.
fn time_tiles(tiles: &[TileCoord], mut encode: impl FnMut(TileCoord) -> Vec<u8>) -> TileTimes {
    let mut sizes: Vec<(usize, TileCoord)> = tiles.iter().map(|&c| (encode(c).len(), c)).collect();
    let mut times: Vec<(Duration, TileCoord)> = Vec::new();
    let rounds = MIN_SAMPLES.div_ceil(tiles.len()).max(1);
    for _ in 0..rounds {
        for &c in tiles {
            let started = Instant::now();
            let bytes = encode(c);
            times.push((started.elapsed(), c));
            black_box(bytes);
        }
    }
    times.sort_by_key(|(d, _)| *d);
    sizes.sort_by_key(|(b, _)| *b);
    let (bytes_max, largest) = *sizes.last().expect("tiles");
    TileTimes {
        samples: times.len(),
        p50: times[times.len() / 2].0,
        p99: times[times.len() * 99 / 100].0,
        max: times[times.len() - 1].0,
        slowest: Some(times[times.len() - 1].1),
        bytes_p50: sizes[sizes.len() / 2].0,
        bytes_max,
        largest: Some(largest),
        over_limit: sizes.iter().filter(|(b, _)| *b >= MAX_TILE_BYTES).count(),
        features_max: 0,
    }
}

/// The index query alone (`ClusterIndex::tile`, no encoding), as supercluster's getTile.
fn time_queries(index: &ClusterIndex, tiles: &[TileCoord]) -> TileTimes {
    let mut features_max = 0;
    for &c in tiles {
        features_max = features_max.max(index.tile(c.z, c.x, c.y, BUFFER_PX).len());
    }
    let rounds = MIN_SAMPLES.div_ceil(tiles.len()).max(1);
    let mut times: Vec<(Duration, TileCoord)> = Vec::new();
    for _ in 0..rounds {
        for &c in tiles {
            let started = Instant::now();
            let items = index.tile(c.z, c.x, c.y, BUFFER_PX);
            times.push((started.elapsed(), c));
            black_box(items);
        }
    }
    times.sort_by_key(|(d, _)| *d);
    TileTimes {
        samples: times.len(),
        p50: times[times.len() / 2].0,
        p99: times[times.len() * 99 / 100].0,
        max: times[times.len() - 1].0,
        slowest: Some(times[times.len() - 1].1),
        features_max,
        ..TileTimes::default()
    }
}

/// A tile measured against PostGIS.
struct Selected {
    label: &'static str,
    coord: TileCoord,
    /// Incidents inside the tile.
    incidents: u32,
    /// Our features (clusters and incidents) including the margin.
    features: usize,
    ours_p50: Duration,
    ours_bytes: usize,
    postgis: Option<PostgisTile>,
}

struct PostgisTile {
    /// Best of `POSTGIS_RUNS` with the server's parallel settings.
    best: Duration,
    /// Best of `POSTGIS_RUNS` with `max_parallel_workers_per_gather = 0`.
    serial: Duration,
    bytes: usize,
    /// Rows in the tile envelope (no margin), to check that both hold the same points.
    rows: i64,
}

// ---------------------------------------------------------------------------------------
// supercluster

fn supercluster(points_file: &Path, tiles_file: &Path) -> Option<serde_json::Value> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/peers/supercluster");
    let version = Command::new("node").arg("--version").output().ok();
    let Some(version) = version.filter(|o| o.status.success()) else {
        println!("\n`node` was not found: the supercluster peer was skipped (install Node 20).");
        return None;
    };
    if !dir.join("node_modules/supercluster").is_dir() {
        println!(
            "\nsupercluster is not installed: the peer was skipped. Install it with\n  \
             (cd benches/peers/supercluster && npm ci)"
        );
        return None;
    }
    println!(
        "running supercluster on node {} …",
        String::from_utf8_lossy(&version.stdout).trim()
    );
    let output = Command::new("node")
        .arg("--expose-gc")
        .arg(dir.join("bench.mjs"))
        .arg(points_file)
        .arg(tiles_file)
        .stderr(Stdio::inherit())
        .output()
        .expect("running node");
    if !output.status.success() {
        println!("supercluster peer failed ({})", output.status);
        return None;
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    match serde_json::from_str(line) {
        Ok(v) => Some(v),
        Err(e) => {
            println!("supercluster peer printed something unexpected ({e}): {stdout}");
            None
        }
    }
}

// ---------------------------------------------------------------------------------------
// PostGIS

struct PostgisInfo {
    server: String,
    load: Duration,
    table_bytes: i64,
    plans: Vec<(TileCoord, String)>,
}

fn tile_sql(c: TileCoord, today: i32) -> String {
    let (z, x, y) = (c.z, c.x, c.y);
    let margin = f64::from(BUFFER_UNITS) / 4096.0;
    format!(
        "SELECT ST_AsMVT(t, 'incidents', 4096, 'geom', 'id') FROM (\
         SELECT id, false AS cluster, tracking_number, category, status, priority, \
         {today} - created_day AS age_days, \
         ST_AsMVTGeom(geom, ST_TileEnvelope({z}, {x}, {y}), 4096, {BUFFER_UNITS}, true) AS geom \
         FROM points WHERE geom && ST_TileEnvelope({z}, {x}, {y}, margin => {margin})) t"
    )
}

async fn postgis(
    url: &str,
    incidents: &[Incident],
    catalog: &DemoCatalog,
    today: i32,
    selected: &mut [Selected],
) -> anyhow::Result<PostgisInfo> {
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
        measure_postgis(&mut db, incidents, catalog, today, selected).await
    }
    .await;
    admin
        .execute(format!("DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)").as_str())
        .await?;
    result
}

async fn measure_postgis(
    db: &mut PgConnection,
    incidents: &[Incident],
    catalog: &DemoCatalog,
    today: i32,
    selected: &mut [Selected],
) -> anyhow::Result<PostgisInfo> {
    println!("loading {} points into PostGIS …", incidents.len());
    let started = Instant::now();
    db.execute("CREATE EXTENSION postgis").await?;
    db.execute(
        "CREATE TABLE points_in (id bigint, tracking_number text, category text, status text, \
         priority text, created_day int, lon float8, lat float8)",
    )
    .await?;
    // Coordinates go over as text in Rust's shortest round-trip form: the same doubles.
    let mut copy = db
        .copy_in_raw("COPY points_in FROM STDIN (FORMAT text)")
        .await?;
    let mut chunk = String::with_capacity(1 << 20);
    for (id, i) in incidents.iter().enumerate() {
        let p = &i.point;
        let tracking = std::str::from_utf8(&p.tracking)?;
        writeln!(
            chunk,
            "{id}\t{}-{}\t{}\t{}\t{}\t{}\t{}\t{}",
            &tracking[..4],
            &tracking[4..],
            catalog.categories[usize::from(p.category)].code,
            Status::ALL[usize::from(p.status)],
            Priority::ALL[usize::from(p.priority)].as_str(),
            p.created_day,
            i.lon,
            i.lat
        )?;
        if chunk.len() > (1 << 20) - 256 {
            copy.send(chunk.as_bytes()).await?;
            chunk.clear();
        }
    }
    copy.send(chunk.as_bytes()).await?;
    copy.finish().await?;
    for statement in [
        "CREATE TABLE points AS SELECT id, tracking_number, category, status, priority, \
         created_day, ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 3857)::geometry(Point, 3857) AS geom \
         FROM points_in ORDER BY id",
        "DROP TABLE points_in",
        "ALTER TABLE points ADD PRIMARY KEY (id)",
        "CREATE INDEX points_geom ON points USING gist (geom)",
        "VACUUM ANALYZE points",
    ] {
        db.execute(statement).await?;
    }
    let load = started.elapsed();
    let table_bytes: i64 = sqlx::query_scalar("SELECT pg_total_relation_size('points')")
        .fetch_one(&mut *db)
        .await?;
    println!(
        "PostGIS: loaded and indexed in {:.1} s ({:.0} MB with indexes)",
        load.as_secs_f64(),
        table_bytes as f64 / 1e6
    );

    db.execute("SET jit = off").await?;
    let server: String = sqlx::query_scalar(
        "SELECT 'PostgreSQL ' || current_setting('server_version') || ', PostGIS ' \
         || postgis_lib_version() || ', shared_buffers = ' || current_setting('shared_buffers') \
         || ', work_mem = ' || current_setting('work_mem') \
         || ', max_parallel_workers_per_gather = ' \
         || current_setting('max_parallel_workers_per_gather') || ', jit = ' \
         || current_setting('jit')",
    )
    .fetch_one(&mut *db)
    .await?;

    let mut plans = Vec::new();
    for s in selected.iter_mut() {
        let sql = tile_sql(s.coord, today);
        if s.label == "densest" {
            let plan: Vec<String> = sqlx::query_scalar(&format!("EXPLAIN {sql}"))
                .fetch_all(&mut *db)
                .await?;
            let plan = plan
                .iter()
                .map(|line| line.split("  (cost").next().unwrap_or(line).trim())
                .collect::<Vec<_>>()
                .join(" / ");
            // The tile envelope's hex EWKB says nothing to a reader.
            let plan = plan
                .split('\'')
                .map(|piece| {
                    if piece.len() > 40 && piece.bytes().all(|b| b.is_ascii_hexdigit()) {
                        "<envelope>"
                    } else {
                        piece
                    }
                })
                .collect::<Vec<_>>()
                .join("'");
            plans.push((s.coord, plan));
        }
        let mut best = Duration::MAX;
        let mut bytes = 0;
        for _ in 0..POSTGIS_RUNS {
            let started = Instant::now();
            let tile: Option<Vec<u8>> = sqlx::query_scalar(&sql).fetch_one(&mut *db).await?;
            best = best.min(started.elapsed());
            bytes = tile.map_or(0, |t| t.len());
        }
        let rows: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM points WHERE ST_Intersects(geom, ST_TileEnvelope({}, {}, {}))",
            s.coord.z, s.coord.x, s.coord.y
        ))
        .fetch_one(&mut *db)
        .await?;
        println!("PostGIS z{}: {} ms, {} bytes", s.coord, fmt_ms(best), bytes);
        s.postgis = Some(PostgisTile {
            best,
            serial: Duration::MAX,
            bytes,
            rows,
        });
    }
    // The same queries in one process, as our tiles are made (the planner's default above
    // gives the low zooms two parallel workers, on this machine's two cores).
    db.execute("SET max_parallel_workers_per_gather = 0")
        .await?;
    for s in selected.iter_mut() {
        let sql = tile_sql(s.coord, today);
        let mut best = Duration::MAX;
        for _ in 0..POSTGIS_RUNS {
            let started = Instant::now();
            let tile: Option<Vec<u8>> = sqlx::query_scalar(&sql).fetch_one(&mut *db).await?;
            best = best.min(started.elapsed());
            black_box(tile);
        }
        println!(
            "PostGIS z{}, no parallel workers: {} ms",
            s.coord,
            fmt_ms(best)
        );
        if let Some(p) = s.postgis.as_mut() {
            p.serial = best;
        }
    }
    db.execute("RESET max_parallel_workers_per_gather").await?;
    Ok(PostgisInfo {
        server,
        load,
        table_bytes,
        plans,
    })
}

// ---------------------------------------------------------------------------------------
// Report

struct Report<'a> {
    n: usize,
    build: &'a BuildFigures,
    layer_build: Duration,
    peer: Option<&'a serde_json::Value>,
    zooms: &'a [ZoomFigures],
    selected: &'a [Selected],
    postgis: Option<&'a PostgisInfo>,
    open_count: usize,
    cold_filter: Duration,
    warm_filter: Duration,
    broad_count: usize,
    cold_broad: Duration,
    filtered: &'a [TileTimes],
}

fn report(r: Report<'_>) {
    let b = r.build;
    let mb = |bytes: f64| bytes / 1e6;
    println!();
    println!("## Build, {} points", r.n);
    println!();
    let runs: Vec<String> = b.runs.iter().map(|d| fmt_ms(*d)).collect();
    let deltas: Vec<String> = b
        .rss_deltas
        .iter()
        .map(|d| format!("{:.1}", mb(*d as f64)))
        .collect();
    println!(
        "ClusterIndex::build runs: {} ms; RSS after − before: {} MB; peak RSS during the first \
         build: {} MB above its start; IncidentLayer::build (once): {} ms",
        runs.join(", "),
        deltas.join(", "),
        b.peak_delta
            .map_or("n/a".into(), |p| format!("{:.1}", mb(p as f64))),
        fmt_ms(r.layer_build)
    );
    let f64_at = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
    if let Some(p) = r.peer {
        println!(
            "supercluster {} on node {}: load runs {} ms (RSS deltas {} MB, heap deltas {} MB); \
             with status/category map-reduce: {} ms (RSS deltas {} MB); the input features: \
             {:.1} MB RSS, {:.1} MB heap",
            p["supercluster"].as_str().unwrap_or("?"),
            p["node"].as_str().unwrap_or("?"),
            list(&p["load"]["runs"], "ms", 1.0),
            list(&p["load"]["runs"], "rss_delta", 1e6),
            list(&p["load"]["runs"], "heap_delta", 1e6),
            list(&p["load_with_facets"]["runs"], "ms", 1.0),
            list(&p["load_with_facets"]["runs"], "rss_delta", 1e6),
            mb(f64_at(&p["input"]["rss"])),
            mb(f64_at(&p["input"]["heap"]))
        );
    }
    // Ours: the input is the MapPoint array, which the index keeps (heap_bytes counts it);
    // supercluster keeps the GeoJSON features it was given (getTile returns their
    // properties), so what it holds is the features plus what `load` adds.
    let ours_ms = b.best().as_secs_f64() * 1e3;
    let ours_input = (r.n * std::mem::size_of::<MapPoint>()) as f64;
    let ours_added = b.rss_deltas[0] as f64;
    let ours_total = b.heap_bytes as f64;
    println!();
    println!(
        "| {} points | build ms (best of {BUILD_RUNS}) | input kept, MB | build adds (RSS), MB | \
         held in all, MB | time ÷ ours | added memory ÷ ours | memory held ÷ ours |",
        r.n
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| semnal `ClusterIndex::build` | {:.0} | {:.1} (24 B × n) | {:.1} | {:.1} (`heap_bytes`) | 1.0× | 1.0× | 1.0× |",
        ours_ms,
        mb(ours_input),
        mb(ours_added),
        mb(ours_total),
    );
    if let Some(p) = r.peer {
        let input = f64_at(&p["input"]["rss"]);
        for (name, key) in [
            ("supercluster `load`", "load"),
            (
                "supercluster `load`, map/reduce of status and category counts",
                "load_with_facets",
            ),
        ] {
            let ms = f64_at(&p[key]["best_ms"]);
            let added = f64_at(&p[key]["runs"][0]["rss_delta"]);
            println!(
                "| {name} | {:.0} | {:.1} (features) | {:.1} | {:.1} | {:.1}× | {:.1}× | {:.1}× |",
                ms,
                mb(input),
                mb(added),
                mb(input + added),
                ms / ours_ms,
                added / ours_added,
                (input + added) / ours_total
            );
        }
    }
    println!();
    println!("## Tiles over the city box, every tile, encoded MVT (IncidentLayer::tile)");
    println!();
    println!(
        "| zoom | tiles | samples | p50 µs | p99 µs | max µs (tile) | query only p50 / p99 µs | \
         supercluster getTile p50 / p99 µs | bytes p50 | bytes max (tile) | features max | tiles ≥ 100 KB |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for f in r.zooms {
        let sc = r.peer.and_then(|p| {
            p["tiles"]
                .as_array()?
                .iter()
                .find(|t| t["z"].as_u64() == Some(u64::from(f.z)))
                .cloned()
        });
        let sc = sc.map_or("–".into(), |t| {
            format!(
                "{:.1} / {:.1}",
                t["p50_us"].as_f64().unwrap_or(0.0),
                t["p99_us"].as_f64().unwrap_or(0.0)
            )
        });
        let e = &f.encoded;
        println!(
            "| {} | {} | {} | {} | {} | {} ({}) | {} / {} | {sc} | {} | {} ({}) | {} | {} |",
            f.z,
            f.tiles.len(),
            e.samples,
            fmt_us(e.p50),
            fmt_us(e.p99),
            fmt_us(e.max),
            e.slowest.map_or(String::new(), |c| c.to_string()),
            fmt_us(f.query.p50),
            fmt_us(f.query.p99),
            e.bytes_p50,
            e.bytes_max,
            e.largest.map_or(String::new(), |c| c.to_string()),
            f.query.features_max,
            e.over_limit
        );
    }

    println!();
    println!(
        "## Open-status filter ({} of {} incidents): first tile {} ms (builds the filtered \
         hierarchy), the same tile again {} µs",
        r.open_count,
        r.n,
        fmt_ms(r.cold_filter),
        fmt_us(r.warm_filter)
    );
    println!(
        "A filter of 17 of the 18 categories ({} incidents): first tile {} ms",
        r.broad_count,
        fmt_ms(r.cold_broad)
    );
    println!();
    println!("| zoom | p50 µs | p99 µs | max µs | bytes max | tiles ≥ 100 KB |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (f, t) in r.zooms.iter().zip(r.filtered) {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            f.z,
            fmt_us(t.p50),
            fmt_us(t.p99),
            fmt_us(t.max),
            t.bytes_max,
            t.over_limit
        );
    }

    println!();
    println!(
        "## Selected tiles against PostGIS ST_AsMVT (ours: p50 of {SELECTED_REPEATS}; PostGIS: best of {POSTGIS_RUNS})"
    );
    println!();
    println!(
        "| zoom | tile | which | incidents in tile | our features | ours µs | ours bytes | PostGIS ms | \
         PostGIS ms, no parallel workers | PostGIS bytes | time PostGIS ÷ ours | size PostGIS ÷ ours |"
    );
    println!("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for s in r.selected {
        let (pg_ms, pg_serial, pg_bytes, time_ratio, size_ratio) = match &s.postgis {
            Some(p) => (
                fmt_ms(p.best),
                fmt_ms(p.serial),
                p.bytes.to_string(),
                format!(
                    "{:.0}×",
                    p.best.as_secs_f64() / s.ours_p50.as_secs_f64().max(1e-9)
                ),
                format!("{:.1}×", p.bytes as f64 / s.ours_bytes.max(1) as f64),
            ),
            None => ("–".into(), "–".into(), "–".into(), "–".into(), "–".into()),
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {pg_ms} | {pg_serial} | {pg_bytes} | {time_ratio} | {size_ratio} |",
            s.coord.z,
            s.coord,
            s.label,
            s.incidents,
            s.features,
            fmt_us(s.ours_p50),
            s.ours_bytes
        );
    }
    if let Some(pg) = r.postgis {
        println!();
        println!("PostGIS: {}", pg.server);
        println!(
            "PostGIS table: loaded and indexed in {:.1} s, {:.0} MB with its indexes",
            pg.load.as_secs_f64(),
            pg.table_bytes as f64 / 1e6
        );
        for (c, plan) in &pg.plans {
            println!("PostGIS plan {c}: {plan}");
        }
        let mismatches: Vec<String> = r
            .selected
            .iter()
            .filter_map(|s| {
                let p = s.postgis.as_ref()?;
                (p.rows != i64::from(s.incidents))
                    .then(|| format!("{}: {} vs {}", s.coord, s.incidents, p.rows))
            })
            .collect();
        if mismatches.is_empty() {
            println!("Incidents per tile: ours and PostGIS agree on every selected tile.");
        } else {
            println!(
                "Incidents per tile differ (ours vs PostGIS, envelope edges count in PostGIS): {}",
                mismatches.join(", ")
            );
        }
    }
}

/// `values[*][key] / scale`, comma-separated.
fn list(values: &serde_json::Value, key: &str, scale: f64) -> String {
    values
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| format!("{:.1}", v[key].as_f64().unwrap_or(0.0) / scale))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn fmt_ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

fn fmt_us(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 100.0 {
        format!("{us:.1}")
    } else {
        format!("{us:.0}")
    }
}
