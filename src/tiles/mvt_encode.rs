//! Encoding features into Mapbox Vector Tiles 2.1 with the `mvt` crate.

use super::{TileCoord, EXTENT};
use crate::domain::{Priority, Status};
use crate::spatial::{MapPoint, TileItem, CATEGORY_KEY_BASE};
use mvt::{GeomEncoder, GeomType};

/// Position of a fixed-point Mercator coordinate inside the tile, in tile units.
pub(super) fn tile_xy(coord: TileCoord, x: f64, y: f64) -> (f64, f64) {
    let ((x0, y0), size) = coord.origin_and_size();
    (
        (x - x0) / size * f64::from(EXTENT),
        (y - y0) / size * f64::from(EXTENT),
    )
}

/// The name of what a facet key counts, for the `status_*` / `category_*` properties.
fn facet_name(key: u8, categories: &[String]) -> Option<String> {
    if key < CATEGORY_KEY_BASE {
        Status::ALL
            .get(usize::from(key))
            .map(|s| format!("status_{s}"))
    } else {
        categories
            .get(usize::from(key - CATEGORY_KEY_BASE))
            .map(|c| format!("category_{c}"))
    }
}

/// Encodes incidents and clusters into the `incidents` layer.
pub(super) fn encode_incidents(
    coord: TileCoord,
    items: &[TileItem<'_>],
    categories: &[String],
    today: i32,
) -> Result<Vec<u8>, mvt::Error> {
    let mut tile = mvt::Tile::new(EXTENT);
    let mut layer = tile.create_layer("incidents");
    for item in items {
        let (x, y) = match item {
            TileItem::Point(p) => (p.x, p.y),
            TileItem::Cluster { x, y, .. } => (*x, *y),
        };
        let (tx, ty) = tile_xy(coord, f64::from(x), f64::from(y));
        let geometry = GeomEncoder::new(GeomType::Point)
            .point(tx.round() as i32, ty.round() as i32)?
            .encode()?;
        let mut feature = layer.into_feature(geometry);
        match item {
            TileItem::Point(p) => point_properties(&mut feature, p, categories, today),
            TileItem::Cluster {
                count,
                expansion_zoom,
                facets,
                ..
            } => {
                feature.add_tag_bool("cluster", true);
                feature.add_tag_uint("count", u64::from(*count));
                feature.add_tag_uint("expansion_zoom", u64::from(*expansion_zoom));
                let statuses = facets.iter().filter(|(k, _)| *k < CATEGORY_KEY_BASE);
                if let Some(status) = statuses
                    .clone()
                    .max_by_key(|(k, n)| (*n, std::cmp::Reverse(*k)))
                    .and_then(|(key, _)| Status::ALL.get(usize::from(*key)))
                {
                    feature.add_tag_string("dominant_status", status.as_str());
                }
                let open: u32 = statuses
                    .filter(|(k, _)| {
                        Status::ALL
                            .get(usize::from(*k))
                            .is_some_and(|s| s.is_open())
                    })
                    .map(|(_, n)| n)
                    .sum();
                feature.add_tag_uint("open", u64::from(open));
                for (key, n) in facets {
                    if let Some(name) = facet_name(*key, categories) {
                        feature.add_tag_uint(&name, u64::from(*n));
                    }
                }
            }
        }
        layer = feature.into_layer();
    }
    tile.add_layer(layer)?;
    tile.to_bytes()
}

fn point_properties(feature: &mut mvt::Feature, p: &MapPoint, categories: &[String], today: i32) {
    feature.set_id(u64::from_le_bytes(p.tracking));
    feature.add_tag_bool("cluster", false);
    let (head, tail) = p.tracking.split_at(4);
    feature.add_tag_string(
        "tracking_number",
        &format!(
            "{}-{}",
            String::from_utf8_lossy(head),
            String::from_utf8_lossy(tail)
        ),
    );
    if let Some(code) = categories.get(usize::from(p.category)) {
        feature.add_tag_string("category", code);
    }
    if let Some(status) = Status::ALL.get(usize::from(p.status)) {
        feature.add_tag_string("status", status.as_str());
    }
    if let Some(priority) = Priority::ALL.get(usize::from(p.priority)) {
        feature.add_tag_string("priority", priority.as_str());
    }
    feature.add_tag_uint("age_days", (today - p.created_day).max(0) as u64);
}
