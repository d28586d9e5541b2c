use super::*;
use rand::{Rng, SeedableRng};

/// Points around a few hotspots in a city-sized box, with every status and 5 categories.
fn city(n: usize, seed: u64) -> Vec<MapPoint> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let hotspots: Vec<(f64, f64)> = (0..12)
        .map(|_| {
            (
                rng.random_range(23.52..23.64),
                rng.random_range(46.02..46.11),
            )
        })
        .collect();
    (0..n)
        .map(|i| {
            let (hx, hy) = hotspots[rng.random_range(0..hotspots.len())];
            let spread = if rng.random_bool(0.3) { 0.05 } else { 0.004 };
            let (x, y) = mercator(
                hx + rng.random_range(-spread..spread),
                hy + rng.random_range(-spread..spread),
            );
            MapPoint {
                x,
                y,
                tracking: (i as u64).to_le_bytes(),
                created_day: 20_000 + rng.random_range(0..1500),
                status: rng.random_range(0..10),
                category: rng.random_range(0..5),
                priority: 1,
                department: 0,
            }
        })
        .collect()
}

/// Per zoom: the sum of counts over all tiles (without buffer), and the status facets.
fn totals(index: &ClusterIndex, z: u8) -> (u64, [u64; 10]) {
    let size = 1u64 << (32 - u32::from(z));
    let xs: Vec<u64> = index.points().map(|p| u64::from(p.x) / size).collect();
    let ys: Vec<u64> = index.points().map(|p| u64::from(p.y) / size).collect();
    let (x0, x1) = (*xs.iter().min().unwrap(), *xs.iter().max().unwrap());
    let (y0, y1) = (*ys.iter().min().unwrap(), *ys.iter().max().unwrap());
    let (mut count, mut statuses) = (0, [0u64; 10]);
    for tx in x0..=x1 {
        for ty in y0..=y1 {
            for item in index.tile(z, tx as u32, ty as u32, 0.0) {
                match item {
                    TileItem::Point(p) => {
                        count += 1;
                        statuses[usize::from(p.status)] += 1;
                    }
                    TileItem::Cluster {
                        count: c, facets, ..
                    } => {
                        count += u64::from(c);
                        for (key, n) in facets.into_iter().filter(|(k, _)| *k < CATEGORY_KEY_BASE) {
                            statuses[usize::from(key)] += u64::from(n);
                        }
                    }
                }
            }
        }
    }
    (count, statuses)
}

/// Per zoom: how many points and how many clusters all tiles (without buffer) hold.
fn features(index: &ClusterIndex, z: u8) -> (usize, usize) {
    let size = 1u64 << (32 - u32::from(z));
    let xs: Vec<u64> = index.points().map(|p| u64::from(p.x) / size).collect();
    let ys: Vec<u64> = index.points().map(|p| u64::from(p.y) / size).collect();
    let (x0, x1) = (*xs.iter().min().unwrap(), *xs.iter().max().unwrap());
    let (y0, y1) = (*ys.iter().min().unwrap(), *ys.iter().max().unwrap());
    let (mut points, mut clusters) = (0, 0);
    for tx in x0..=x1 {
        for ty in y0..=y1 {
            for item in index.tile(z, tx as u32, ty as u32, 0.0) {
                match item {
                    TileItem::Point(_) => points += 1,
                    TileItem::Cluster { .. } => clusters += 1,
                }
            }
        }
    }
    (points, clusters)
}

fn status_counts(points: &[MapPoint]) -> [u64; 10] {
    let mut counts = [0; 10];
    for p in points {
        counts[usize::from(p.status)] += 1;
    }
    counts
}

#[test]
fn counts_and_status_breakdowns_add_up_at_every_zoom() {
    let points = city(20_000, 1);
    let expected = status_counts(&points);
    let index = ClusterIndex::build(points, ClusterParams::default());
    for z in [0, 4, 8, 11, 13, 15, 16, 17, 19] {
        assert_eq!(totals(&index, z), (20_000, expected), "zoom {z}");
    }
    // Clustering actually happens at low zoom, and not at all above max zoom.
    let (points_8, clusters_8) = features(&index, 8);
    assert!(
        clusters_8 > 0 && points_8 + clusters_8 < 100,
        "zoom 8: {points_8} points, {clusters_8} clusters"
    );
    assert_eq!(features(&index, 17), (20_000, 0), "zoom 17");
    let (x, y) = mercator(23.58, 46.07);
    let z10 = index.tile(10, x >> 22, y >> 22, 0.0);
    assert!(z10
        .iter()
        .any(|i| matches!(i, TileItem::Cluster { count, .. } if *count > 10)));
}

#[test]
fn inserts_status_changes_and_removals_keep_every_zoom_consistent() {
    let mut points = city(5_000, 2);
    let mut index = ClusterIndex::build(points.clone(), ClusterParams::default());
    let extra = city(300, 3).into_iter().map(|mut p| {
        p.tracking[7] = 0xEE;
        p
    });
    for p in extra {
        index.insert(p);
        points.push(p);
    }
    for p in points.iter_mut().step_by(7) {
        let new_status = (p.status + 3) % 10;
        assert!(index.set_status(&p.tracking, p.x, p.y, new_status));
        p.status = new_status;
    }
    let removed: Vec<MapPoint> = points.iter().step_by(11).copied().collect();
    for p in &removed {
        assert!(index.remove(&p.tracking, p.x, p.y));
    }
    points.retain(|p| !removed.contains(p));
    let expected = status_counts(&points);
    for z in [0, 6, 10, 12, 14, 16, 18] {
        assert_eq!(
            totals(&index, z),
            (points.len() as u64, expected),
            "zoom {z}"
        );
    }
    assert_eq!(index.unsorted(), 300);
}

#[test]
fn mercator_maps_the_world_onto_u32() {
    assert_eq!(mercator(-180.0, 85.06), (0, 0));
    let (x, y) = mercator(0.0, 0.0);
    assert_eq!((x, y), (1 << 31, 1 << 31));
    let (x, _) = mercator(180.0, 0.0);
    assert_eq!(x, u32::MAX);
}

#[test]
fn a_crowded_tile_above_the_clustered_zooms_is_gathered_into_cells() {
    // 5000 reports within ~20 m: one tile at zoom 19.
    let mut rng = rand::rngs::StdRng::seed_from_u64(9);
    let points: Vec<MapPoint> = (0..5000u64)
        .map(|i| {
            let (x, y) = mercator(
                23.58 + rng.random_range(0.0..0.0002),
                46.07 + rng.random_range(0.0..0.0001),
            );
            MapPoint {
                x,
                y,
                tracking: i.to_le_bytes(),
                created_day: 0,
                status: 0,
                category: 1,
                priority: 1,
                department: 0,
            }
        })
        .collect();
    let index = ClusterIndex::build(points, ClusterParams::default());
    let (x, y) = mercator(23.5801, 46.07005);
    let items = index.tile(19, x >> 13, y >> 13, 0.0);
    assert!(items.len() <= 500, "{} items", items.len());
    assert_eq!(totals(&index, 19).0, 5000);
    assert_eq!(
        items,
        index.tile(19, x >> 13, y >> 13, 0.0),
        "the same tile twice is the same"
    );
    // With fewer incidents, the same tile lists each of them.
    let few = ClusterIndex::build(
        index.points().take(300).copied().collect(),
        ClusterParams::default(),
    );
    let first = *few.points().next().unwrap();
    let singles = few.tile(19, first.x >> 13, first.y >> 13, 0.0);
    assert!(!singles.is_empty());
    assert_eq!(totals(&few, 19).0, 300);
    assert!(singles.iter().all(|i| matches!(i, TileItem::Point(_))));
}

#[test]
fn categories_past_the_last_facet_key_count_without_a_breakdown() {
    // Every category index a byte holds, the unknown one (u8::MAX) included.
    let points: Vec<MapPoint> = (0..=255u8)
        .map(|c| {
            let (x, y) = mercator(23.58, 46.07);
            MapPoint {
                x,
                y,
                tracking: u64::from(c).to_le_bytes(),
                created_day: 0,
                status: 0,
                category: c,
                priority: 1,
                department: 0,
            }
        })
        .collect();
    let mut index = ClusterIndex::build(points.clone(), ClusterParams::default());
    let extra = MapPoint {
        tracking: *b"EXTRA000",
        ..points[255]
    };
    index.insert(extra);
    index.remove(&points[250].tracking, points[250].x, points[250].y);
    let items = index.tile(0, 0, 0, 0.0);
    let [TileItem::Cluster { count, facets, .. }] = items.as_slice() else {
        panic!("one cluster: {items:?}");
    };
    assert_eq!(*count, 256);
    let by_category: u32 = facets
        .iter()
        .filter(|(k, _)| *k >= CATEGORY_KEY_BASE)
        .map(|(_, n)| n)
        .sum();
    // Indices 0..=239 have a key; 240..=255 (and the extra) count only in the total.
    assert_eq!(by_category, 240);
    assert_eq!(category_key(239), Some(255));
    assert_eq!(category_key(240), None);
}
