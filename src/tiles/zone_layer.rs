//! Zones as vector tiles, for staff maps.

use super::mvt_encode::tile_xy;
use super::{Tile, TileCoord, EXTENT};
use crate::domain::ZoneShape;
use crate::spatial::mercator;
use geo::orient::{Direction, Orient};
use mvt::{GeomEncoder, GeomType};

/// A zone's boundary in fixed-point Mercator, rings oriented for MVT.
struct MercatorZone {
    code: String,
    name: String,
    /// Polygons, each a list of rings (exterior first).
    polygons: Vec<Vec<Vec<(f64, f64)>>>,
    min: (f64, f64),
    max: (f64, f64),
}

/// The zones of a jurisdiction, projected once.
pub struct ZoneLayer {
    zones: Vec<MercatorZone>,
}

impl ZoneLayer {
    pub fn new<'a>(zones: impl Iterator<Item = &'a ZoneShape>) -> Self {
        let zones = zones
            .map(|shape| {
                // Counter-clockwise exteriors in lon/lat become clockwise once y points down,
                // which is what MVT asks for.
                let oriented = shape.boundary.orient(Direction::Default);
                let project = |c: &geo::Coord<f64>| {
                    let (x, y) = mercator(c.x, c.y);
                    (f64::from(x), f64::from(y))
                };
                let polygons: Vec<Vec<Vec<(f64, f64)>>> = oriented
                    .0
                    .iter()
                    .map(|p| {
                        std::iter::once(p.exterior())
                            .chain(p.interiors())
                            .map(|ring| ring.coords().map(project).collect())
                            .collect()
                    })
                    .collect();
                let all = polygons.iter().flatten().flatten();
                let min = all
                    .clone()
                    .fold((f64::MAX, f64::MAX), |m, &(x, y)| (m.0.min(x), m.1.min(y)));
                let max = all.fold((f64::MIN, f64::MIN), |m, &(x, y)| (m.0.max(x), m.1.max(y)));
                MercatorZone {
                    code: shape.zone.code.clone(),
                    name: shape.zone.name.clone(),
                    polygons,
                    min,
                    max,
                }
            })
            .collect();
        Self { zones }
    }

    /// The `zones` layer of tile `coord`.
    pub fn tile(&self, coord: TileCoord) -> Result<Tile, mvt::Error> {
        let ((x0, y0), size) = coord.origin_and_size();
        let mut tile = mvt::Tile::new(EXTENT);
        let mut layer = tile.create_layer("zones");
        for zone in &self.zones {
            if zone.max.0 < x0
                || zone.min.0 > x0 + size
                || zone.max.1 < y0
                || zone.min.1 > y0 + size
            {
                continue;
            }
            let mut encoder = GeomEncoder::new(GeomType::Polygon);
            for polygon in &zone.polygons {
                for ring in polygon {
                    // The closing point is implied in MVT.
                    for &(x, y) in &ring[..ring.len().saturating_sub(1)] {
                        let (tx, ty) = tile_xy(coord, x, y);
                        encoder.add_point(tx.round() as i32, ty.round() as i32)?;
                    }
                    encoder.complete_geom()?;
                }
            }
            let mut feature = layer.into_feature(encoder.encode()?);
            feature.add_tag_string("code", &zone.code);
            feature.add_tag_string("name", &zone.name);
            layer = feature.into_layer();
        }
        tile.add_layer(layer)?;
        Ok(Tile::new(tile.to_bytes()?))
    }
}
