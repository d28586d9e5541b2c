//! Loading a municipality from files: the catalogue (`municipality.json`) and the zones (a
//! GeoJSON FeatureCollection). The demo municipality, Alba Iulia, is built into the binary.

pub mod synthetic;

use crate::domain::LonLat;
use crate::domain::{IncidentId, JurisdictionId, MunicipalitySpec, TrackingNumber};
use crate::routing::Directory;
use crate::store::{AddressImport, Store, StoreError, ZoneImport};
use std::collections::HashSet;

/// A demo municipality, built into the binary.
struct Demo {
    municipality: &'static str,
    zones: &'static str,
    /// The address gazetteer (GeoJSON Points), where real addresses exist.
    addresses: Option<&'static str>,
}

const DEMOS: [Demo; 2] = [
    Demo {
        municipality: include_str!("../../fixtures/alba-iulia/municipality.json"),
        zones: include_str!("../../fixtures/alba-iulia/zones.geojson"),
        addresses: None,
    },
    // On the offline basemap's real OpenStreetMap streets, with their addresses.
    Demo {
        municipality: include_str!("../../fixtures/helsinki-keskusta/municipality.json"),
        zones: include_str!("../../fixtures/helsinki-keskusta/zones.geojson"),
        addresses: Some(include_str!(
            "../../fixtures/helsinki-keskusta/addresses.geojson"
        )),
    },
];

/// Why a municipality or zone file was refused.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("municipality file: {0}")]
    Municipality(serde_json::Error),
    #[error("zones file: {0}")]
    Zones(String),
    #[error("addresses file: {0}")]
    Addresses(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Loads (or refreshes) the demo municipalities (Alba Iulia, and central Helsinki on the
/// offline basemap): catalogue, zones, routing rules and addresses. Returns their ids.
pub async fn seed_demo(store: &Store) -> Result<Vec<JurisdictionId>, SeedError> {
    let mut loaded = Vec::new();
    for demo in DEMOS {
        let spec: MunicipalitySpec =
            serde_json::from_str(demo.municipality).map_err(SeedError::Municipality)?;
        store
            .apply_municipality(&spec, &zones_from_geojson(demo.zones)?)
            .await?;
        let id = JurisdictionId::parse(&spec.jurisdiction.id).ok_or_else(|| {
            SeedError::Zones(format!("bad jurisdiction id {:?}", spec.jurisdiction.id))
        })?;
        if let Some(addresses) = demo.addresses {
            import_addresses(store, &id, addresses).await?;
        }
        loaded.push(id);
    }
    Ok(loaded)
}

/// Adds `count` generated incidents (see [`synthetic`]) to a jurisdiction, in batches;
/// returns how many were new. The same `count` and `seed` add nothing the second time.
pub async fn seed_incidents(
    store: &Store,
    jurisdiction: JurisdictionId,
    count: usize,
    seed: u64,
) -> Result<u64, SeedError> {
    const BATCH: usize = 5_000;
    let directory = Directory::load(store, jurisdiction.clone()).await?;
    // Dated up to this moment, never after it; a second run draws the same ids whatever the
    // moment, so it adds nothing.
    let incidents = synthetic::generate(&directory, count, seed, chrono::Utc::now());
    let mut written = 0;
    for batch in incidents.chunks(BATCH) {
        let mut pending = batch.to_vec();
        while !pending.is_empty() {
            let stored: HashSet<IncidentId> = store
                .insert_generated(&jurisdiction, &pending)
                .await?
                .into_iter()
                .collect();
            written += stored.len() as u64;
            pending.retain(|g| !stored.contains(&g.id));
            // Skipped ones were either written by an earlier run (same id) or drew a tracking
            // number already taken: those draw again.
            let ids: Vec<IncidentId> = pending.iter().map(|g| g.id).collect();
            let earlier: HashSet<IncidentId> =
                store.existing_incidents(&ids).await?.into_iter().collect();
            pending.retain(|g| !earlier.contains(&g.id));
            for g in &mut pending {
                g.tracking_number = TrackingNumber::generate(&mut rand::rng());
            }
        }
    }
    Ok(written)
}

/// Imports zones from GeoJSON text into an existing jurisdiction; returns how many.
pub async fn import_zones(
    store: &Store,
    jurisdiction: &JurisdictionId,
    geojson: &str,
) -> Result<usize, SeedError> {
    let zones = zones_from_geojson(geojson)?;
    store.import_zones(jurisdiction, &zones).await?;
    Ok(zones.len())
}

/// Imports addresses from GeoJSON text into an existing jurisdiction's register; returns
/// how many entries were written and how many features were skipped.
pub async fn import_addresses(
    store: &Store,
    jurisdiction: &JurisdictionId,
    geojson: &str,
) -> Result<(u64, usize), SeedError> {
    let (addresses, skipped) = addresses_from_geojson(geojson)?;
    let written = store.import_addresses(jurisdiction, &addresses).await?;
    Ok((written, skipped))
}

/// Reads a FeatureCollection of Points carrying `street` and `housenumber` properties (or
/// OpenStreetMap's `addr:street` and `addr:housenumber`), and optionally
/// `street_other_names`, a list of the street's names in other languages. Features that are
/// not such a point (an `addr:place` without street, a building outline) are skipped and
/// counted: registers exported from other systems have them.
pub fn addresses_from_geojson(text: &str) -> Result<(Vec<AddressImport>, usize), SeedError> {
    let collection: geojson::FeatureCollection = text
        .parse()
        .map_err(|e| SeedError::Addresses(format!("{e}")))?;
    let total = collection.features.len();
    let addresses: Vec<AddressImport> = collection
        .features
        .iter()
        .filter_map(|feature| {
            let property = |names: [&str; 2]| {
                names
                    .iter()
                    .find_map(|n| feature.property(n).and_then(|v| v.as_str()))
                    .map(str::to_owned)
            };
            let street = property(["street", "addr:street"])?;
            let housenumber = property(["housenumber", "addr:housenumber"])?;
            let street_other_names = match feature.property("street_other_names") {
                Some(serde_json::Value::Array(names)) => names
                    .iter()
                    .filter_map(|n| n.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            };
            let Some(geojson::GeometryValue::Point { coordinates }) =
                feature.geometry.as_ref().map(|g| &g.value)
            else {
                return None;
            };
            let location = match coordinates[..] {
                [lon, lat, ..] => LonLat::new(lon, lat).ok()?,
                _ => return None,
            };
            Some(AddressImport {
                street,
                street_other_names,
                housenumber,
                location,
            })
        })
        .collect();
    let skipped = total - addresses.len();
    Ok((addresses, skipped))
}

/// Reads a FeatureCollection whose features carry `code` and `name` properties and a
/// Polygon or MultiPolygon geometry.
pub fn zones_from_geojson(text: &str) -> Result<Vec<ZoneImport>, SeedError> {
    let collection: geojson::FeatureCollection =
        text.parse().map_err(|e| SeedError::Zones(format!("{e}")))?;
    collection
        .features
        .into_iter()
        .enumerate()
        .map(|(i, feature)| {
            let property = |name: &str| {
                feature
                    .property(name)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            let code = property("code")
                .ok_or_else(|| SeedError::Zones(format!("feature {i}: no \"code\" property")))?;
            let name = property("name").unwrap_or_else(|| code.clone());
            let geometry = feature
                .geometry
                .as_ref()
                .ok_or_else(|| SeedError::Zones(format!("zone {code}: no geometry")))?;
            if !matches!(
                geometry.value,
                geojson::GeometryValue::Polygon { .. }
                    | geojson::GeometryValue::MultiPolygon { .. }
            ) {
                return Err(SeedError::Zones(format!(
                    "zone {code}: geometry must be a Polygon or MultiPolygon"
                )));
            }
            Ok(ZoneImport {
                code,
                name,
                geometry_geojson: geometry.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_files_parse() {
        for demo in DEMOS {
            let spec: MunicipalitySpec = serde_json::from_str(demo.municipality).unwrap();
            assert!(spec.categories.len() >= 12);
            assert!(zones_from_geojson(demo.zones).unwrap().len() >= 5);
        }
    }

    #[test]
    fn the_helsinki_addresses_parse_and_fold_to_distinct_keys() {
        let (addresses, skipped) = addresses_from_geojson(DEMOS[1].addresses.unwrap()).unwrap();
        assert!(addresses.len() > 500);
        assert_eq!(skipped, 0);
        let keys: HashSet<String> = addresses
            .iter()
            .filter_map(|a| crate::domain::AddressKey::of(&a.street, &a.housenumber))
            .map(|k| k.typed().to_owned())
            .collect();
        let swedish = addresses
            .iter()
            .find(|a| a.street == "Aleksanterinkatu")
            .map(|a| a.street_other_names.clone());
        assert_eq!(swedish, Some(vec!["Alexandersgatan".to_owned()]));
        // Only a few entries fold together: spellings of one address ("Asema-Aukio",
        // "Asema-aukio"; "5 B", "5b") and floors of one house ("8, Floor 6").
        assert!(keys.len() * 100 >= addresses.len() * 95, "{}", keys.len());
        assert!(keys.contains(":mannerheimintie|22-24"));
    }

    #[test]
    fn features_that_are_not_an_address_point_are_skipped_and_counted() {
        let features = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"street":"Strada Unirii"},
             "geometry":{"type":"Point","coordinates":[23.5,46.0]}},
            {"type":"Feature","properties":{"addr:street":"Strada Unirii","addr:housenumber":"3"},
             "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
            {"type":"Feature","properties":{"addr:street":"Strada Unirii","addr:housenumber":"5"},
             "geometry":{"type":"Point","coordinates":[23.5,46.0]}}]}"#;
        let (addresses, skipped) = addresses_from_geojson(features).unwrap();
        assert_eq!(skipped, 2);
        assert_eq!(addresses.len(), 1);
        assert_eq!(addresses[0].housenumber, "5");
        assert!(addresses_from_geojson("[1, 2]").is_err());
    }
}
