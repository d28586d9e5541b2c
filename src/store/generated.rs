//! Bulk writing of generated incidents (demo and benchmark data sets).

use super::{Store, StoreError};
use crate::domain::{
    CategoryId, DepartmentId, EventKind, IncidentId, JurisdictionId, LonLat, Priority, Status,
    TrackingNumber, ZoneId,
};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A generated incident, routed, with its history's end points.
#[derive(Debug, Clone)]
pub struct GeneratedIncident {
    pub id: IncidentId,
    pub tracking_number: TrackingNumber,
    pub category: CategoryId,
    pub zone: ZoneId,
    pub department: DepartmentId,
    pub status: Status,
    pub priority: Priority,
    pub location: LonLat,
    pub description: String,
    pub acknowledge_due_at: DateTime<Utc>,
    pub resolve_due_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Store {
    /// Writes a batch in one transaction with its events (`reported`, and `status_changed`
    /// for those no longer new); an incident whose id or tracking number is taken is
    /// skipped. Returns the ids written.
    pub async fn insert_generated(
        &self,
        jurisdiction: &JurisdictionId,
        batch: &[GeneratedIncident],
    ) -> Result<Vec<IncidentId>, StoreError> {
        let column = |f: fn(&GeneratedIncident) -> String| batch.iter().map(f).collect::<Vec<_>>();
        let ids: Vec<Uuid> = batch.iter().map(|g| g.id.0).collect();
        let tracking = column(|g| g.tracking_number.as_str().to_owned());
        let categories: Vec<i64> = batch.iter().map(|g| g.category.0).collect();
        let zones: Vec<i64> = batch.iter().map(|g| g.zone.0).collect();
        let departments: Vec<i64> = batch.iter().map(|g| g.department.0).collect();
        let statuses = column(|g| g.status.as_str().to_owned());
        let priorities = column(|g| g.priority.as_str().to_owned());
        let lons: Vec<f64> = batch.iter().map(|g| g.location.lon()).collect();
        let lats: Vec<f64> = batch.iter().map(|g| g.location.lat()).collect();
        let descriptions = column(|g| g.description.clone());
        let acknowledge: Vec<DateTime<Utc>> = batch.iter().map(|g| g.acknowledge_due_at).collect();
        let resolve: Vec<DateTime<Utc>> = batch.iter().map(|g| g.resolve_due_at).collect();
        let created: Vec<DateTime<Utc>> = batch.iter().map(|g| g.created_at).collect();
        let updated: Vec<DateTime<Utc>> = batch.iter().map(|g| g.updated_at).collect();

        let mut tx = self.pool.begin().await?;
        let written = sqlx::query_scalar!(
            r#"WITH new AS (
                 INSERT INTO incidents (id, tracking_number, jurisdiction_id, category_id, zone_id, department_id,
                   status, priority, location, description, locale, source, acknowledge_due_at, resolve_due_at,
                   created_at, updated_at)
                 SELECT t.id, t.tracking, $1, t.category, t.zone, t.department, t.status, t.priority,
                   ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326), t.description, 'ro', 'phone',
                   t.acknowledge, t.resolve, t.created, t.updated
                 FROM UNNEST($2::uuid[], $3::text[], $4::int8[], $5::int8[], $6::int8[], $7::text[], $8::text[],
                   $9::float8[], $10::float8[], $11::text[], $12::timestamptz[], $13::timestamptz[],
                   $14::timestamptz[], $15::timestamptz[])
                   AS t(id, tracking, category, zone, department, status, priority, lon, lat, description,
                        acknowledge, resolve, created, updated)
                 ON CONFLICT DO NOTHING
                 RETURNING id, status, created_at, updated_at
               ), reported AS (
                 INSERT INTO incident_events (incident_id, kind, actor, status_to, data, is_public, created_at)
                 SELECT id, $16, 'phone', 'new', '{"synthetic": true}', true, created_at FROM new
               ), changed AS (
                 INSERT INTO incident_events (incident_id, kind, actor, status_from, status_to, data, is_public,
                   created_at)
                 SELECT id, $17, 'staff', 'new', status, '{"synthetic": true}', true, updated_at
                 FROM new WHERE status <> 'new'
               )
               SELECT id AS "id!" FROM new"#,
            jurisdiction.as_str(),
            &ids,
            &tracking,
            &categories,
            &zones,
            &departments,
            &statuses,
            &priorities,
            &lons,
            &lats,
            &descriptions,
            &acknowledge,
            &resolve,
            &created,
            &updated,
            EventKind::Reported.as_str(),
            EventKind::StatusChanged.as_str(),
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(written.into_iter().map(IncidentId).collect())
    }

    /// Which of `ids` are stored already.
    pub async fn existing_incidents(
        &self,
        ids: &[IncidentId],
    ) -> Result<Vec<IncidentId>, StoreError> {
        let ids: Vec<Uuid> = ids.iter().map(|i| i.0).collect();
        let found = sqlx::query_scalar!("SELECT id FROM incidents WHERE id = ANY($1)", &ids)
            .fetch_all(&self.pool)
            .await?;
        Ok(found.into_iter().map(IncidentId).collect())
    }
}
