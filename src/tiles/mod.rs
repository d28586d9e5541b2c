//! Vector tiles: the tile vocabulary, MVT encoding of incidents, clusters and zones, and
//! the incident layer that keeps the cluster hierarchies per filter current.

mod basemap;
mod catalog;
mod coord;
mod filter;
mod filter_cache;
mod incident_layer;
mod mvt_encode;
mod zone_layer;

pub use basemap::{Basemap, BasemapError};
pub use catalog::{day_number, CatalogNames, LayerCatalog, UNKNOWN};
pub use coord::{TileCoord, TileCoordError, MAX_ZOOM};
pub use filter::MapFilter;
pub use incident_layer::{FilterLimits, IncidentLayer, TileError};
pub use zone_layer::ZoneLayer;

/// An encoded Mapbox Vector Tile and its strong validator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tile {
    pub bytes: Vec<u8>,
    /// A hash of the bytes, for `ETag`.
    pub etag: String,
}

impl Tile {
    fn new(bytes: Vec<u8>) -> Self {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut hasher);
        Self {
            etag: format!("\"{:016x}{:08x}\"", hasher.finish(), bytes.len()),
            bytes,
        }
    }
}

/// Tile extent (the coordinate range inside a tile), as MapLibre expects.
pub const EXTENT: u32 = 4096;
