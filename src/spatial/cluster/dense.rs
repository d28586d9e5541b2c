//! Tiles above the highest clustered zoom: every incident is its own feature, unless a tile
//! holds so many that it would grow past what a map should download (~100 KB). Then
//! incidents are gathered per cell of a fine grid (8 px of a 512 px tile) into clusters.

use super::{FacetScratch, MapPoint, TileItem};
use std::collections::BTreeMap;

/// Most single incidents in one tile (about 50 bytes each once encoded).
const MOST_POINTS: usize = 1000;
/// Grid cells across a tile.
const CELLS: i64 = 64;

/// The tile's items: its points, or cells of them when there are too many.
pub(super) fn points_or_cells<'a>(
    points: Vec<&'a MapPoint>,
    z: u8,
    origin: (i64, i64),
    size: i64,
) -> Vec<TileItem<'a>> {
    if points.len() <= MOST_POINTS {
        return points.into_iter().map(TileItem::Point).collect();
    }
    let cell = (size / CELLS).max(1);
    // Ordered by cell, so the same points always encode to the same bytes (and ETag).
    let mut cells: BTreeMap<(i64, i64), Vec<&MapPoint>> = BTreeMap::new();
    for p in points {
        let key = (
            (i64::from(p.x) - origin.0).div_euclid(cell),
            (i64::from(p.y) - origin.1).div_euclid(cell),
        );
        cells.entry(key).or_default().push(p);
    }
    cells
        .into_values()
        .map(|members| {
            if let [single] = members[..] {
                return TileItem::Point(single);
            }
            let count = members.len() as u32;
            let (sx, sy) = members.iter().fold((0u64, 0u64), |(sx, sy), p| {
                (sx + u64::from(p.x), sy + u64::from(p.y))
            });
            let mut scratch = FacetScratch::default();
            for p in &members {
                for (key, n) in p.facets() {
                    scratch.add(key, n);
                }
            }
            let mut facets: Vec<(u8, u32)> = scratch.entries().collect();
            facets.sort_unstable();
            TileItem::Cluster {
                x: (sx / u64::from(count)) as u32,
                y: (sy / u64::from(count)) as u32,
                count,
                expansion_zoom: z.saturating_add(1),
                facets,
            }
        })
        .collect()
}
