//! The address gazetteer: street addresses with a point each.

use super::{corrupt, Store, StoreError};
use crate::domain::{AddressKey, JurisdictionId, LonLat};

/// An address to import.
#[derive(Debug, Clone)]
pub struct AddressImport {
    pub street: String,
    /// The street's names in the city's other languages (Hungarian beside Romanian, Swedish
    /// beside Finnish): residents write either.
    pub street_other_names: Vec<String>,
    pub housenumber: String,
    pub location: LonLat,
}

impl Store {
    /// Adds addresses to a jurisdiction's gazetteer, under each name of their street,
    /// replacing the point of any address already there; returns how many entries were
    /// written. Addresses without a usable street or number are skipped.
    pub async fn import_addresses(
        &self,
        jurisdiction: &JurisdictionId,
        addresses: &[AddressImport],
    ) -> Result<u64, StoreError> {
        // One entry per folded name and number; the first address given wins.
        let mut by_key = std::collections::BTreeMap::new();
        for a in addresses {
            for street in std::iter::once(&a.street).chain(&a.street_other_names) {
                if let Some(key) = AddressKey::of(street, &a.housenumber) {
                    by_key
                        .entry(key.typed().to_owned())
                        .or_insert((key, street, a));
                }
            }
        }
        let keys: Vec<String> = by_key.keys().cloned().collect();
        let entries = || by_key.values();
        let untyped: Vec<String> = entries().map(|(k, _, _)| k.untyped().to_owned()).collect();
        let streets: Vec<String> = entries().map(|(_, street, _)| (*street).clone()).collect();
        let numbers: Vec<String> = entries().map(|(_, _, a)| a.housenumber.clone()).collect();
        let lons: Vec<f64> = entries().map(|(_, _, a)| a.location.lon()).collect();
        let lats: Vec<f64> = entries().map(|(_, _, a)| a.location.lat()).collect();
        let written = sqlx::query!(
            "INSERT INTO addresses (jurisdiction_id, street, housenumber, lookup_key, untyped_key,
               location)
             SELECT $1, s, n, k, u, ST_SetSRID(ST_MakePoint(x, y), 4326)
             FROM UNNEST($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[])
                  AS t(s, n, k, u, x, y)
             ON CONFLICT ON CONSTRAINT addresses_lookup_key DO UPDATE SET
               street = excluded.street, housenumber = excluded.housenumber,
               location = excluded.location",
            jurisdiction.as_str(),
            &streets,
            &numbers,
            &keys,
            &untyped,
            &lons,
            &lats
        )
        .execute(&self.pool)
        .await?;
        Ok(written.rows_affected())
    }

    /// Where an address written in one line is, if the register knows it for sure: the
    /// address with its kind of street, else the only address of that name and number
    /// (when the text names no kind, or the register gives none). Never a guess between two.
    pub async fn locate_address(
        &self,
        jurisdiction: &JurisdictionId,
        text: &str,
    ) -> Result<Option<LonLat>, StoreError> {
        let Some(key) = AddressKey::parse(text) else {
            return Ok(None);
        };
        let rows = sqlx::query!(
            r#"SELECT lookup_key, ST_X(location) AS "lon!", ST_Y(location) AS "lat!"
               FROM addresses
               WHERE jurisdiction_id = $1 AND (lookup_key = $2 OR untyped_key = $3)"#,
            jurisdiction.as_str(),
            key.typed(),
            key.untyped()
        )
        .fetch_all(&self.pool)
        .await?;
        let exact = rows.iter().find(|r| r.lookup_key == key.typed());
        let compatible: Vec<_> = rows
            .iter()
            .filter(|r| !key.has_kind() || r.lookup_key == key.without_kind())
            .collect();
        let found = match (exact, compatible.as_slice()) {
            (Some(row), _) => Some(row),
            (None, [row]) => Some(*row),
            _ => None,
        };
        found
            .map(|r| LonLat::new(r.lon, r.lat).map_err(corrupt))
            .transpose()
    }
}
