//! Zones: their boundaries in PostGIS, loaded whole into the spatial index.

use super::{corrupt, Store, StoreError};
use crate::domain::{JurisdictionId, ZoneId, ZoneRef, ZoneShape};
use sqlx::PgConnection;

/// The channel on which a change of zones or routing is announced to running services.
pub const ZONES_CHANGED_CHANNEL: &str = "semnal_zones_changed";

/// A zone to create or update, its boundary as a GeoJSON geometry (Polygon or MultiPolygon).
#[derive(Debug, Clone)]
pub struct ZoneImport {
    pub code: String,
    pub name: String,
    pub geometry_geojson: String,
}

impl Store {
    /// Every zone of a jurisdiction with its boundary.
    pub async fn load_zones(
        &self,
        jurisdiction: &JurisdictionId,
    ) -> Result<Vec<ZoneShape>, StoreError> {
        sqlx::query!(
            r#"SELECT id, code, name, ST_AsGeoJSON(geom) AS "geojson!" FROM zones WHERE jurisdiction_id = $1"#,
            jurisdiction.as_str()
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| {
            let geometry: geojson::Geometry = r.geojson.parse().map_err(corrupt)?;
            let boundary = geo::MultiPolygon::<f64>::try_from(geometry.value).map_err(corrupt)?;
            Ok(ZoneShape { zone: ZoneRef { id: ZoneId(r.id), code: r.code, name: r.name }, boundary })
        })
        .collect()
    }

    /// A listener that wakes up whenever zones or routing rules change.
    pub async fn zone_change_listener(&self) -> Result<sqlx::postgres::PgListener, StoreError> {
        let mut listener = sqlx::postgres::PgListener::connect_with(&self.pool).await?;
        listener.listen(ZONES_CHANGED_CHANNEL).await?;
        Ok(listener)
    }

    /// Creates or updates zones by code, in one transaction, and announces the change.
    pub async fn import_zones(
        &self,
        jurisdiction: &JurisdictionId,
        zones: &[ZoneImport],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        upsert_zones(&mut tx, jurisdiction.as_str(), zones).await?;
        notify_zones_changed(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}

pub(super) async fn upsert_zones(
    conn: &mut PgConnection,
    jurisdiction: &str,
    zones: &[ZoneImport],
) -> Result<(), StoreError> {
    for z in zones {
        sqlx::query!(
            "INSERT INTO zones (jurisdiction_id, code, name, geom)
             VALUES ($1, $2, $3, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($4), 4326)))
             ON CONFLICT ON CONSTRAINT zones_code_key DO UPDATE SET
               name = excluded.name, geom = excluded.geom, updated_at = now()",
            jurisdiction,
            z.code,
            z.name,
            z.geometry_geojson
        )
        .execute(&mut *conn)
        .await
        .map_err(|e| corrupt(format!("zone {:?}: {e}", z.code)))?;
    }
    Ok(())
}

pub(super) async fn notify_zones_changed(conn: &mut PgConnection) -> Result<(), StoreError> {
    sqlx::query!("SELECT pg_notify($1, '')", ZONES_CHANGED_CHANNEL)
        .execute(conn)
        .await?;
    Ok(())
}
