//! WGS84 coordinates that are valid by construction.

use serde::Serialize;

/// A WGS84 longitude/latitude pair; a value that exists is finite and in range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LonLat {
    lon: f64,
    lat: f64,
}

/// Why a coordinate pair was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CoordError {
    #[error("longitude must be a number between -180 and 180")]
    Longitude,
    #[error("latitude must be a number between -90 and 90")]
    Latitude,
}

impl LonLat {
    /// Parses a longitude/latitude pair, refusing NaN, infinities and out-of-range values.
    pub fn new(lon: f64, lat: f64) -> Result<Self, CoordError> {
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(CoordError::Longitude);
        }
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(CoordError::Latitude);
        }
        Ok(Self { lon, lat })
    }

    pub fn lon(self) -> f64 {
        self.lon
    }

    pub fn lat(self) -> f64 {
        self.lat
    }

    /// Great-circle distance in metres (haversine on a sphere of the mean Earth radius).
    pub fn distance_m(self, other: LonLat) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_008.8;
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.lon - self.lon).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_out_of_range_and_non_finite() {
        assert_eq!(LonLat::new(181.0, 0.0), Err(CoordError::Longitude));
        assert_eq!(LonLat::new(0.0, -90.5), Err(CoordError::Latitude));
        assert_eq!(LonLat::new(f64::NAN, 0.0), Err(CoordError::Longitude));
        assert!(LonLat::new(23.58, 46.07).is_ok());
    }

    #[test]
    fn distance_between_alba_iulia_and_sebes_is_about_13_km() {
        let alba = LonLat::new(23.5800, 46.0667).unwrap();
        let sebes = LonLat::new(23.5700, 45.9560).unwrap();
        let d = alba.distance_m(sebes);
        assert!((12_000.0..13_000.0).contains(&d), "{d}");
    }
}
