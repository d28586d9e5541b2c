//! Tile coordinates.

use std::fmt;

/// A tile address `z/x/y` in the XYZ scheme; valid by construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileCoord {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

/// The deepest zoom we serve.
pub const MAX_ZOOM: u8 = 22;

/// Why a tile address was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TileCoordError {
    #[error("zoom must be 0 to {MAX_ZOOM}")]
    Zoom,
    #[error("x and y must be below 2^zoom")]
    OutOfRange,
}

impl TileCoord {
    pub fn new(z: u8, x: u32, y: u32) -> Result<Self, TileCoordError> {
        if z > MAX_ZOOM {
            return Err(TileCoordError::Zoom);
        }
        if x >= 1 << z || y >= 1 << z {
            return Err(TileCoordError::OutOfRange);
        }
        Ok(Self { z, x, y })
    }

    /// The tile's corner and size in fixed-point Web Mercator (2^32 across the world).
    pub fn origin_and_size(self) -> ((f64, f64), f64) {
        let size = 4_294_967_296.0 / f64::from(1u32 << self.z);
        ((f64::from(self.x) * size, f64::from(self.y) * size), size)
    }
}

impl fmt::Display for TileCoord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.z, self.x, self.y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_outside_the_zoom_are_refused() {
        assert!(TileCoord::new(0, 0, 0).is_ok());
        assert_eq!(TileCoord::new(2, 4, 0), Err(TileCoordError::OutOfRange));
        assert_eq!(TileCoord::new(23, 0, 0), Err(TileCoordError::Zoom));
    }
}
