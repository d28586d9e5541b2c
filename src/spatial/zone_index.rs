//! Point → zone: an R-tree over zone bounding boxes, then exact point-in-polygon with `geo`.

use crate::domain::{LonLat, ZoneRef, ZoneShape};
use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::{BoundingRect, Coord};
use rstar::{RTree, RTreeObject, AABB};

struct IndexedZone {
    shape: ZoneShape,
    envelope: AABB<[f64; 2]>,
}

impl RTreeObject for IndexedZone {
    type Envelope = AABB<[f64; 2]>;

    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

/// The zones of a jurisdiction, indexed for point lookups.
pub struct ZoneIndex {
    tree: RTree<IndexedZone>,
}

impl ZoneIndex {
    /// Builds the index; zones without area are skipped.
    pub fn build(zones: Vec<ZoneShape>) -> Self {
        let indexed = zones
            .into_iter()
            .filter_map(|shape| {
                let rect = shape.boundary.bounding_rect()?;
                let envelope =
                    AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
                Some(IndexedZone { shape, envelope })
            })
            .collect();
        Self {
            tree: RTree::bulk_load(indexed),
        }
    }

    /// The zone containing `point`, or `None` outside the jurisdiction.
    ///
    /// A point on a border shared by several zones belongs to the one with the lowest id,
    /// so every point has exactly one answer; a point strictly inside a zone always gets
    /// that zone.
    pub fn zone_for(&self, point: LonLat) -> Option<&ZoneRef> {
        let coord = Coord {
            x: point.lon(),
            y: point.lat(),
        };
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_point([coord.x, coord.y]))
            .filter_map(|z| match z.shape.boundary.coordinate_position(&coord) {
                CoordPos::Inside => Some((0, z)),
                CoordPos::OnBoundary => Some((1, z)),
                CoordPos::Outside => None,
            })
            .min_by_key(|(rank, z)| (*rank, z.shape.zone.id))
            .map(|(_, z)| &z.shape.zone)
    }

    /// The centre of the zones' bounding box; `None` without zones.
    pub fn centre(&self) -> Option<LonLat> {
        if self.is_empty() {
            return None;
        }
        let envelope = self.tree.root().envelope();
        let ([x0, y0], [x1, y1]) = (envelope.lower(), envelope.upper());
        LonLat::new((x0 + x1) / 2.0, (y0 + y1) / 2.0).ok()
    }

    /// West, south, east, north bounds of all zones; `None` without zones.
    pub fn bounds(&self) -> Option<[f64; 4]> {
        if self.is_empty() {
            return None;
        }
        let envelope = self.tree.root().envelope();
        let ([w, s], [e, n]) = (envelope.lower(), envelope.upper());
        Some([w, s, e, n])
    }

    /// How many zones are indexed.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every indexed zone, in no particular order.
    pub fn zones(&self) -> impl Iterator<Item = &ZoneShape> {
        self.tree.iter().map(|z| &z.shape)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ZoneId;
    use geo::{polygon, MultiPolygon};

    fn square(id: i64, x0: f64, y0: f64, size: f64) -> ZoneShape {
        let p = polygon![(x: x0, y: y0), (x: x0 + size, y: y0), (x: x0 + size, y: y0 + size), (x: x0, y: y0 + size)];
        ZoneShape {
            zone: ZoneRef {
                id: ZoneId(id),
                code: format!("z{id}"),
                name: format!("Zone {id}"),
            },
            boundary: MultiPolygon(vec![p]),
        }
    }

    fn at(lon: f64, lat: f64) -> LonLat {
        LonLat::new(lon, lat).unwrap()
    }

    #[test]
    fn interior_border_and_outside_points() {
        // Zone 7 on the left, zone 3 on the right, sharing the line lon = 1.
        let index = ZoneIndex::build(vec![square(7, 0.0, 0.0, 1.0), square(3, 1.0, 0.0, 1.0)]);
        assert_eq!(index.zone_for(at(0.5, 0.5)).unwrap().id, ZoneId(7));
        assert_eq!(index.zone_for(at(1.5, 0.5)).unwrap().id, ZoneId(3));
        // On the shared border: the lower id, whichever side the query comes from.
        assert_eq!(index.zone_for(at(1.0, 0.5)).unwrap().id, ZoneId(3));
        // On an outer edge that only zone 7 owns.
        assert_eq!(index.zone_for(at(0.0, 0.5)).unwrap().id, ZoneId(7));
        assert!(index.zone_for(at(2.5, 0.5)).is_none());
        assert!(index.zone_for(at(0.5, 1.5)).is_none());
        assert_eq!(index.centre(), Some(at(1.0, 0.5)));
    }
}
