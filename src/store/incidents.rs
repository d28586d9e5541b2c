//! Incidents, their private reporter contact and their event log.

use super::{corrupt, ApiClientId, NewPhoto, PublicPhoto, Store, StoreError};
use crate::domain::{
    CategoryCode, CategoryId, DepartmentId, EventKind, IncidentId, JurisdictionId, Lang, Localized,
    LonLat, OpenIncident, Priority, Reporter, SourceChannel, Status, TrackingNumber, ZoneId,
};
use chrono::{DateTime, Utc};

/// A routed, validated incident ready to be written.
pub struct NewIncident {
    pub id: IncidentId,
    pub tracking_number: TrackingNumber,
    pub jurisdiction: JurisdictionId,
    pub category: CategoryId,
    pub zone: ZoneId,
    pub department: DepartmentId,
    pub priority: Priority,
    pub location: LonLat,
    pub description: String,
    pub attributes: serde_json::Value,
    pub locale: Lang,
    pub source: SourceChannel,
    pub reporter: Reporter,
    pub idempotency_key: Option<String>,
    pub request_fingerprint: String,
    /// The Open311 client that filed it.
    pub api_client: Option<ApiClientId>,
    /// The address as the reporter described it.
    pub address: Option<String>,
    /// A picture the reporter's client hosts elsewhere.
    pub media_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub acknowledge_due_at: DateTime<Utc>,
    pub resolve_due_at: DateTime<Utc>,
    pub photos: Vec<NewPhoto>,
}

/// What happened to an insert.
#[derive(Debug, PartialEq, Eq)]
pub enum InsertOutcome {
    Created,
    /// Another incident already has this tracking number: draw a new one and retry.
    TrackingNumberTaken,
    /// An incident with this idempotency key exists already.
    IdempotencyKeyTaken,
}

/// The public face of an incident: no reporter contact, ever.
#[derive(Debug, Clone)]
pub struct PublicIncident {
    pub id: IncidentId,
    pub tracking_number: TrackingNumber,
    pub category: CategoryCode,
    pub category_name: Localized,
    pub status: Status,
    pub priority: Priority,
    pub zone_code: String,
    pub zone_name: String,
    pub department_code: String,
    pub department_name: Localized,
    pub location: LonLat,
    pub description: String,
    pub attributes: serde_json::Value,
    pub address: Option<String>,
    pub media_url: Option<String>,
    /// The newest public text of its timeline (what the city last told the public).
    pub latest_note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub acknowledge_due_at: DateTime<Utc>,
    pub resolve_due_at: DateTime<Utc>,
    pub photos: Vec<PublicPhoto>,
}

/// One entry of the public timeline.
#[derive(Debug, Clone)]
pub struct TimelineEntry {
    pub kind: String,
    pub status: Option<Status>,
    pub text: Option<String>,
    pub at: DateTime<Utc>,
}

/// An incident filed with an idempotency key, and the fingerprint of that request.
struct KeyedIncident {
    tracking_number: String,
    fingerprint: String,
}

/// A public event of an incident's timeline, as Open311 request updates list them.
#[derive(Debug, Clone)]
pub struct PublicUpdate {
    /// The event's id: increasing, unique across incidents.
    pub id: i64,
    pub tracking_number: TrackingNumber,
    /// The status the incident had after this event.
    pub status: Status,
    pub text: Option<String>,
    pub at: DateTime<Utc>,
}

/// An incident as the map layer loads it.
#[derive(Debug, Clone)]
pub struct MapRow {
    pub tracking_number: TrackingNumber,
    pub location: LonLat,
    pub status: Status,
    pub priority: Priority,
    pub category: String,
    pub department: String,
    pub created_at: DateTime<Utc>,
}

/// Which incidents to list.
#[derive(Debug, Clone)]
pub struct IncidentFilter {
    pub jurisdiction: JurisdictionId,
    /// min lon, min lat, max lon, max lat.
    pub bbox: Option<[f64; 4]>,
    pub statuses: Vec<Status>,
    pub categories: Vec<CategoryCode>,
    /// Only these incidents (none: any).
    pub tracking_numbers: Vec<TrackingNumber>,
    /// Reported at or after / before these times.
    pub created_from: Option<DateTime<Utc>>,
    pub created_until: Option<DateTime<Utc>>,
    /// Keyset cursor: list incidents older than this (created_at, id).
    pub before: Option<(DateTime<Utc>, IncidentId)>,
    pub limit: i64,
}

/// A page of incidents, newest first, and whether more follow.
pub struct IncidentPage {
    pub incidents: Vec<PublicIncident>,
    pub has_more: bool,
}

/// Columns of the public view, shared by the single and the list query.
macro_rules! public_incident_query {
    ($where_and_order:literal, $($arg:expr),*) => {
        sqlx::query!(
            r#"SELECT i.id, i.tracking_number, i.status, i.priority, i.description, i.attributes,
                      i.address, i.media_url,
                      (SELECT e.public_text FROM incident_events e
                        WHERE e.incident_id = i.id AND e.is_public AND e.public_text IS NOT NULL
                        ORDER BY e.id DESC LIMIT 1) AS latest_note,
                      ST_X(i.location) AS "lon!", ST_Y(i.location) AS "lat!",
                      i.created_at, i.updated_at, i.acknowledge_due_at, i.resolve_due_at,
                      c.code AS category_code, c.name_ro AS c_ro, c.name_hu AS c_hu, c.name_en AS c_en,
                      z.code AS zone_code, z.name AS zone_name,
                      d.code AS department_code, d.name_ro AS d_ro, d.name_hu AS d_hu, d.name_en AS d_en,
                      ARRAY(SELECT p.id FROM photos p WHERE p.incident_id = i.id ORDER BY p.position)
                        AS "photo_ids!"
               FROM incidents i
               JOIN categories c ON c.id = i.category_id
               JOIN zones z ON z.id = i.zone_id
               JOIN departments d ON d.id = i.department_id
               "# + $where_and_order,
            $($arg),*
        )
    };
}

macro_rules! public_incident_from_row {
    ($r:expr) => {{
        let r = $r;
        Ok::<_, StoreError>(PublicIncident {
            id: IncidentId(r.id),
            tracking_number: TrackingNumber::from_stored(r.tracking_number),
            category: CategoryCode::parse(&r.category_code)
                .ok_or_else(|| corrupt(&r.category_code))?,
            category_name: Localized {
                ro: r.c_ro,
                hu: r.c_hu,
                en: r.c_en,
            },
            status: r.status.parse().map_err(corrupt)?,
            priority: r.priority.parse().map_err(corrupt)?,
            zone_code: r.zone_code,
            zone_name: r.zone_name,
            department_code: r.department_code,
            department_name: Localized {
                ro: r.d_ro,
                hu: r.d_hu,
                en: r.d_en,
            },
            location: LonLat::new(r.lon, r.lat).map_err(corrupt)?,
            description: r.description,
            attributes: r.attributes,
            address: r.address,
            media_url: r.media_url,
            latest_note: r.latest_note,
            created_at: r.created_at,
            updated_at: r.updated_at,
            acknowledge_due_at: r.acknowledge_due_at,
            resolve_due_at: r.resolve_due_at,
            photos: r.photo_ids.into_iter().map(PublicPhoto::from_id).collect(),
        })
    }};
}

impl Store {
    /// Writes an incident with its reporter contact, photos and `reported` event in one
    /// transaction.
    pub async fn insert_incident(&self, new: &NewIncident) -> Result<InsertOutcome, StoreError> {
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query!(
            "INSERT INTO incidents (id, tracking_number, jurisdiction_id, category_id, zone_id, department_id,
               status, priority, location, description, attributes, locale, source, idempotency_key,
               request_fingerprint, acknowledge_due_at, resolve_due_at, created_at, updated_at,
               api_client_id, address, media_url)
             VALUES ($1, $2, $3, $4, $5, $6, 'new', $7, ST_SetSRID(ST_MakePoint($8, $9), 4326), $10, $11, $12,
               $13, $14, $15, $16, $17, $18, $18, $19, $20, $21)",
            new.id.0,
            new.tracking_number.as_str(),
            new.jurisdiction.as_str(),
            new.category.0,
            new.zone.0,
            new.department.0,
            new.priority.as_str(),
            new.location.lon(),
            new.location.lat(),
            new.description,
            new.attributes,
            new.locale.code(),
            new.source.as_str(),
            new.idempotency_key,
            new.request_fingerprint,
            new.acknowledge_due_at,
            new.resolve_due_at,
            new.created_at,
            new.api_client.map(|c| c.0),
            new.address,
            new.media_url,
        )
        .execute(&mut *tx)
        .await;
        if let Err(sqlx::Error::Database(e)) = &inserted {
            match e.constraint() {
                Some("incidents_tracking_number_key") => {
                    return Ok(InsertOutcome::TrackingNumberTaken)
                }
                Some("incidents_idempotency_key" | "incidents_client_idempotency_key") => {
                    return Ok(InsertOutcome::IdempotencyKeyTaken)
                }
                _ => {}
            }
        }
        inserted?;

        if !new.reporter.is_empty() {
            sqlx::query!(
                "INSERT INTO incident_reporters (incident_id, name, email, phone, device_id, account_id)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                new.id.0,
                new.reporter.name,
                new.reporter.email.as_ref().map(|e| e.as_str()),
                new.reporter.phone,
                new.reporter.device_id,
                new.reporter.account_id
            )
            .execute(&mut *tx)
            .await?;
        }
        for (position, photo) in new.photos.iter().enumerate() {
            super::photos::insert_photo(&mut tx, new.id, position, photo).await?;
        }
        let kind = EventKind::Reported;
        sqlx::query!(
            "INSERT INTO incident_events (incident_id, kind, actor, status_to, data, is_public, created_at)
             VALUES ($1, $2, $3, 'new', $4, $5, $6)",
            new.id.0,
            kind.as_str(),
            new.source.as_str(),
            serde_json::json!({ "photos": new.photos.len() }),
            kind.is_public(),
            new.created_at
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(InsertOutcome::Created)
    }

    /// The incident filed with an idempotency key, and the fingerprint of that request.
    pub async fn incident_by_idempotency_key(
        &self,
        key: &str,
        client: Option<ApiClientId>,
    ) -> Result<Option<(TrackingNumber, String)>, StoreError> {
        // Two queries, each matching the condition of its partial unique index.
        let row =
            match client {
                None => sqlx::query_as!(
                    KeyedIncident,
                    r#"SELECT tracking_number, request_fingerprint AS "fingerprint!" FROM incidents
                   WHERE idempotency_key = $1 AND api_client_id IS NULL"#,
                    key
                )
                .fetch_optional(&self.pool)
                .await?,
                Some(client) => sqlx::query_as!(
                    KeyedIncident,
                    r#"SELECT tracking_number, request_fingerprint AS "fingerprint!" FROM incidents
                   WHERE api_client_id = $1 AND idempotency_key = $2"#,
                    client.0,
                    key
                )
                .fetch_optional(&self.pool)
                .await?,
            };
        Ok(row.map(|r| {
            (
                TrackingNumber::from_stored(r.tracking_number),
                r.fingerprint,
            )
        }))
    }

    /// The public view of an incident.
    pub async fn public_incident(
        &self,
        tracking: &TrackingNumber,
    ) -> Result<Option<PublicIncident>, StoreError> {
        let row = public_incident_query!("WHERE i.tracking_number = $1", tracking.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| public_incident_from_row!(r)).transpose()
    }

    /// The public timeline of an incident, oldest first.
    pub async fn public_timeline(&self, id: IncidentId) -> Result<Vec<TimelineEntry>, StoreError> {
        sqlx::query!(
            "SELECT kind, status_to, public_text, created_at FROM incident_events
             WHERE incident_id = $1 AND is_public ORDER BY id",
            id.0
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| {
            Ok(TimelineEntry {
                kind: r.kind,
                status: r
                    .status_to
                    .map(|s| s.parse())
                    .transpose()
                    .map_err(corrupt)?,
                text: r.public_text,
                at: r.created_at,
            })
        })
        .collect()
    }

    /// A page of incidents matching `filter`, newest first.
    pub async fn list_incidents(
        &self,
        filter: &IncidentFilter,
    ) -> Result<IncidentPage, StoreError> {
        let [min_lon, min_lat, max_lon, max_lat] = filter.bbox.map_or([None; 4], |b| b.map(Some));
        let statuses: Vec<String> = filter
            .statuses
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect();
        let categories: Vec<String> = filter
            .categories
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect();
        let tracking_numbers: Vec<String> = filter
            .tracking_numbers
            .iter()
            .map(|t| t.as_str().to_owned())
            .collect();
        let (before_at, before_id) = filter
            .before
            .map_or((None, None), |(at, id)| (Some(at), Some(id.0)));
        let rows = public_incident_query!(
            "WHERE i.jurisdiction_id = $10
               AND ($1::float8 IS NULL OR i.location && ST_MakeEnvelope($1, $2, $3, $4, 4326))
               AND (cardinality($5::text[]) = 0 OR i.status = ANY($5))
               AND (cardinality($6::text[]) = 0 OR c.code = ANY($6))
               AND ($7::timestamptz IS NULL OR (i.created_at, i.id) < ($7, $8::uuid))
               AND (cardinality($11::text[]) = 0 OR i.tracking_number = ANY($11))
               AND ($12::timestamptz IS NULL OR i.created_at >= $12)
               AND ($13::timestamptz IS NULL OR i.created_at < $13)
             ORDER BY i.created_at DESC, i.id DESC
             LIMIT $9",
            min_lon,
            min_lat,
            max_lon,
            max_lat,
            &statuses,
            &categories,
            before_at,
            before_id,
            filter.limit + 1,
            filter.jurisdiction.as_str(),
            &tracking_numbers,
            filter.created_from,
            filter.created_until
        )
        .fetch_all(&self.pool)
        .await?;
        let has_more = rows.len() as i64 > filter.limit;
        let incidents = rows
            .into_iter()
            .take(filter.limit as usize)
            .map(|r| public_incident_from_row!(r))
            .collect::<Result<_, _>>()?;
        Ok(IncidentPage {
            incidents,
            has_more,
        })
    }

    /// The open incidents of a jurisdiction, for the in-memory index.
    pub async fn open_incidents(
        &self,
        jurisdiction: &JurisdictionId,
    ) -> Result<Vec<OpenIncident>, StoreError> {
        sqlx::query!(
            r#"SELECT i.id, i.tracking_number, c.code AS category, i.status,
                      ST_X(i.location) AS "lon!", ST_Y(i.location) AS "lat!", i.created_at
               FROM incidents i JOIN categories c ON c.id = i.category_id
               WHERE i.jurisdiction_id = $1 AND i.status NOT IN ('closed', 'rejected', 'duplicate', 'referred')"#,
            jurisdiction.as_str()
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| {
            Ok(OpenIncident {
                id: IncidentId(r.id),
                tracking_number: TrackingNumber::from_stored(r.tracking_number),
                category: CategoryCode::parse(&r.category).ok_or_else(|| corrupt(&r.category))?,
                status: r.status.parse().map_err(corrupt)?,
                location: LonLat::new(r.lon, r.lat).map_err(corrupt)?,
                created_at: r.created_at,
            })
        })
        .collect()
    }

    /// Every incident of a jurisdiction as the map needs it, one at a time (a million rows
    /// are never held at once).
    pub async fn each_map_row(
        &self,
        jurisdiction: &JurisdictionId,
        mut visit: impl FnMut(MapRow),
    ) -> Result<(), StoreError> {
        use futures::TryStreamExt;
        let mut rows = sqlx::query!(
            r#"SELECT i.tracking_number, ST_X(i.location) AS "lon!", ST_Y(i.location) AS "lat!", i.status,
                      i.priority, c.code AS category, d.code AS department, i.created_at
               FROM incidents i
               JOIN categories c ON c.id = i.category_id
               JOIN departments d ON d.id = i.department_id
               WHERE i.jurisdiction_id = $1"#,
            jurisdiction.as_str()
        )
        .fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            visit(MapRow {
                tracking_number: TrackingNumber::from_stored(r.tracking_number),
                location: LonLat::new(r.lon, r.lat).map_err(corrupt)?,
                status: r.status.parse().map_err(corrupt)?,
                priority: r.priority.parse().map_err(corrupt)?,
                category: r.category,
                department: r.department,
                created_at: r.created_at,
            });
        }
        Ok(())
    }

    /// The public events of a jurisdiction's incidents in `[from, until)`, oldest first, at
    /// most `limit`.
    pub async fn public_updates(
        &self,
        jurisdiction: &JurisdictionId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<PublicUpdate>, StoreError> {
        // An event that does not change the status leaves the one before it in force.
        sqlx::query!(
            r#"SELECT e.id, i.tracking_number, e.public_text, e.created_at,
                      COALESCE(e.status_to,
                               (SELECT p.status_to FROM incident_events p
                                 WHERE p.incident_id = e.incident_id AND p.id < e.id
                                   AND p.status_to IS NOT NULL
                                 ORDER BY p.id DESC LIMIT 1),
                               'new') AS "status!"
               FROM incident_events e JOIN incidents i ON i.id = e.incident_id
               WHERE i.jurisdiction_id = $1 AND e.is_public
                 AND e.created_at >= $2 AND e.created_at < $3
               ORDER BY e.created_at, e.id
               LIMIT $4"#,
            jurisdiction.as_str(),
            from,
            until,
            limit
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| {
            Ok(PublicUpdate {
                id: r.id,
                tracking_number: TrackingNumber::from_stored(r.tracking_number),
                status: r.status.parse().map_err(corrupt)?,
                text: r.public_text,
                at: r.created_at,
            })
        })
        .collect()
    }

    /// The tracking number of the jurisdiction's incident with this id.
    pub async fn tracking_number_of(
        &self,
        jurisdiction: &JurisdictionId,
        id: IncidentId,
    ) -> Result<Option<TrackingNumber>, StoreError> {
        let found = sqlx::query_scalar!(
            "SELECT tracking_number FROM incidents WHERE id = $1 AND jurisdiction_id = $2",
            id.0,
            jurisdiction.as_str()
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.map(TrackingNumber::from_stored))
    }
}
