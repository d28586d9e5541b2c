//! Tiles above the highest clustered zoom: every incident is its own feature, unless a tile
//! holds so many that it would grow past what a map should download quickly (~100 KB, and a
//! millisecond to encode). Then incidents are gathered per cell of the finest grid (from
//! 8 px cells of a 512 px tile up to the whole tile) that keeps the items few.

use super::{FacetScratch, MapPoint, TileItem};

/// Most items in one tile (an encoded incident is ~50 bytes, a cluster ~35).
const MOST_ITEMS: usize = 500;
/// Finest grid cells across a tile, a power of two.
const CELLS: i64 = 64;
/// Cell coordinates are shifted by this so they are never negative (the tile's buffer lies
/// outside it) and every coarser grid stays aligned with the tile's edges.
const SHIFT: i64 = CELLS;

/// The tile's items: its points, or cells of them when there are too many.
pub(super) fn points_or_cells<'a>(
    points: Vec<&'a MapPoint>,
    z: u8,
    origin: (i64, i64),
    size: i64,
) -> Vec<TileItem<'a>> {
    if points.len() <= MOST_ITEMS {
        return points.into_iter().map(TileItem::Point).collect();
    }
    let fine = (size / CELLS).max(1);
    let cell_of =
        |v: u32, o: i64| ((i64::from(v) - o).div_euclid(fine) + SHIFT).clamp(0, 255) as u32;
    // Sorted along a Z-order curve, every cell of every coarser grid is one run.
    let mut keyed: Vec<(u32, &MapPoint)> = points
        .into_iter()
        .map(|p| (morton(cell_of(p.x, origin.0), cell_of(p.y, origin.1)), p))
        .collect();
    keyed.sort_unstable_by_key(|(key, _)| *key);
    let mut shift = 0;
    while shift < 16 && runs(&keyed, shift) > MOST_ITEMS {
        shift += 2;
    }
    keyed
        .chunk_by(|a, b| a.0 >> shift == b.0 >> shift)
        .map(|cell| gather(cell, z))
        .collect()
}

/// How many cells are occupied when cells are `2^(shift/2)` fine cells wide.
fn runs(keyed: &[(u32, &MapPoint)], shift: u32) -> usize {
    keyed.chunk_by(|a, b| a.0 >> shift == b.0 >> shift).count()
}

/// One cell's incidents: itself if alone, else a cluster at their centre.
fn gather<'a>(cell: &[(u32, &'a MapPoint)], z: u8) -> TileItem<'a> {
    if let [(_, single)] = cell {
        return TileItem::Point(single);
    }
    let count = cell.len() as u32;
    let (sx, sy) = cell.iter().fold((0u64, 0u64), |(sx, sy), (_, p)| {
        (sx + u64::from(p.x), sy + u64::from(p.y))
    });
    let mut scratch = FacetScratch::default();
    for (_, p) in cell {
        for (key, n) in p.facets() {
            scratch.add(key, n);
        }
    }
    // Sorted, so the same incidents always encode to the same bytes (and ETag).
    let mut facets: Vec<(u8, u32)> = scratch.entries().collect();
    facets.sort_unstable();
    TileItem::Cluster {
        x: (sx / u64::from(count)) as u32,
        y: (sy / u64::from(count)) as u32,
        count,
        expansion_zoom: z.saturating_add(1),
        facets,
    }
}

/// Interleaves the bits of two 8-bit cell coordinates.
fn morton(x: u32, y: u32) -> u32 {
    let spread = |mut v: u32| {
        v = (v | (v << 4)) & 0x0F0F;
        v = (v | (v << 2)) & 0x3333;
        (v | (v << 1)) & 0x5555
    };
    spread(x) | (spread(y) << 1)
}
