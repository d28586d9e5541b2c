//! Cluster index build and tile times for 1M incidents (see BENCHMARKS.md).

use rand::{Rng, SeedableRng};
use semnal::spatial::{mercator, ClusterIndex, ClusterParams, MapPoint};
use std::time::Instant;

fn main() {
    let n: usize = std::env::var("POINTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let hotspots: Vec<(f64, f64)> = (0..40)
        .map(|_| {
            (
                rng.random_range(23.50..23.66),
                rng.random_range(46.00..46.12),
            )
        })
        .collect();
    let points: Vec<MapPoint> = (0..n)
        .map(|i| {
            let (hx, hy) = hotspots[rng.random_range(0..hotspots.len())];
            let spread = if rng.random_bool(0.3) { 0.06 } else { 0.006 };
            let (x, y) = mercator(
                hx + rng.random_range(-spread..spread),
                hy + rng.random_range(-spread..spread),
            );
            MapPoint {
                x,
                y,
                tracking: (i as u64).to_le_bytes(),
                created_day: 19_000 + rng.random_range(0..2000),
                status: rng.random_range(0..10),
                category: rng.random_range(0..18),
                priority: 1,
                department: 0,
            }
        })
        .collect();
    let start = Instant::now();
    let index = ClusterIndex::build(points, ClusterParams::default());
    let built = start.elapsed();
    println!(
        "build {n} points: {:.0} ms, heap {:.1} MB",
        built.as_secs_f64() * 1e3,
        index.heap_bytes() as f64 / 1e6
    );
    for z in [8u8, 10, 12, 14, 16, 18] {
        let (x, y) = mercator(23.58, 46.06);
        let (tx, ty) = (x >> (32 - z), y >> (32 - z));
        let mut times = Vec::new();
        let mut features = 0;
        for dx in 0..3 {
            for dy in 0..3 {
                for _ in 0..50 {
                    let t = Instant::now();
                    let items = index.tile(z, tx + dx - 1, ty + dy - 1, 64.0);
                    times.push(t.elapsed().as_secs_f64() * 1e6);
                    features = features.max(items.len());
                }
            }
        }
        times.sort_by(f64::total_cmp);
        println!(
            "z{z}: p50 {:.1} µs, p99 {:.1} µs, max features {features}",
            times[times.len() / 2],
            times[times.len() * 99 / 100]
        );
    }
}
