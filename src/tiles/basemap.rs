//! The offline basemap: vector tiles read from the PMTiles archive in the `tiles/` folder.

use super::TileCoord;
use bytes::Bytes;
use pmtiles::{AsyncPmTilesReader, Compression, MmapBackend, NoCache};
use std::path::Path;

/// The archive's file name inside the tiles folder.
pub const ARCHIVE: &str = "basemap.pmtiles";

/// An opened basemap archive.
pub struct Basemap {
    reader: AsyncPmTilesReader<MmapBackend, NoCache>,
    metadata: serde_json::Value,
}

/// The archive could not be read.
#[derive(Debug, thiserror::Error)]
#[error("basemap archive: {0}")]
pub struct BasemapError(String);

impl Basemap {
    /// Opens `folder/basemap.pmtiles`; `None` when there is no archive.
    pub async fn open(folder: &Path) -> Result<Option<Self>, BasemapError> {
        let path = folder.join(ARCHIVE);
        if !path.exists() {
            return Ok(None);
        }
        let fail = |e: pmtiles::PmtError| BasemapError(format!("{}: {e}", path.display()));
        let reader = AsyncPmTilesReader::new_with_path(&path)
            .await
            .map_err(fail)?;
        let metadata = reader.get_metadata().await.map_err(fail)?;
        let metadata = serde_json::from_str(&metadata).unwrap_or_default();
        Ok(Some(Self { reader, metadata }))
    }

    /// The stored bytes of a tile (compressed as [`Basemap::content_encoding`] says).
    pub async fn tile(&self, coord: TileCoord) -> Result<Option<Bytes>, BasemapError> {
        let id = pmtiles::TileCoord::new(coord.z, coord.x, coord.y)
            .map_err(|e| BasemapError(e.to_string()))?;
        self.reader
            .get_tile(id)
            .await
            .map_err(|e| BasemapError(e.to_string()))
    }

    /// The `Content-Encoding` of the stored tiles, if any.
    pub fn content_encoding(&self) -> Option<&'static str> {
        match self.reader.get_header().tile_compression {
            Compression::Gzip => Some("gzip"),
            Compression::Brotli => Some("br"),
            Compression::Zstd => Some("zstd"),
            _ => None,
        }
    }

    /// A TileJSON 3.0 document for the archive, its tiles at `tiles_url`.
    pub fn tilejson(&self, tiles_url: String) -> serde_json::Value {
        let h = self.reader.get_header();
        let m = &self.metadata;
        serde_json::json!({
            "tilejson": "3.0.0",
            "name": m.get("name").cloned().unwrap_or_else(|| "basemap".into()),
            "attribution": m.get("attribution").cloned().unwrap_or_else(|| "© OpenStreetMap contributors".into()),
            "tiles": [tiles_url],
            "minzoom": h.min_zoom,
            "maxzoom": h.max_zoom,
            "bounds": [h.min_longitude, h.min_latitude, h.max_longitude, h.max_latitude],
            "center": [h.center_longitude, h.center_latitude, h.center_zoom],
            "vector_layers": m.get("vector_layers").cloned().unwrap_or_default(),
        })
    }
}
