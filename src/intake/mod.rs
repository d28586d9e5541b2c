//! Report intake: validate the fields, route by zone and category, check the photos'
//! headers, decode them within the memory budget, store the report with its event in one
//! transaction, and make it visible to the in-memory indexes. Retries carrying the same
//! idempotency key get the incident filed the first time.

mod form;
mod photos;

pub use form::ReportInput;

use photos::{inspect_photos, render_photos, settle_photos, store_photos};

use crate::app::App;
use crate::domain::{
    validate_attributes, AttributeError, CategoryCode, IncidentId, OpenIncident, SourceChannel,
    Status, TrackingNumber,
};
use crate::media::{PhotoError, ProcessedPhoto, StorageError};
use crate::store::{ApiClientId, InsertOutcome, MapRow, NewIncident, PublicIncident, StoreError};
use chrono::{Duration, Utc};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Why a report was refused. Nothing is stored when any of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("missing field {field}")]
    Missing { field: &'static str },
    #[error("invalid field {field}: {reason:?}")]
    Invalid { field: String, reason: Invalid },
    #[error("unknown category {code:?}")]
    UnknownCategory { code: String },
    #[error("attribute {0:?}")]
    Attribute(AttributeError),
    #[error("the location is outside the jurisdiction")]
    OutsideJurisdiction,
    #[error("the address is not in the gazetteer")]
    AddressNotFound,
    #[error("more than {max} photos")]
    TooManyPhotos { max: usize },
    #[error("photo {index}: {error}")]
    Photo { index: usize, error: PhotoError },
    #[error("the idempotency key was already used for a different report")]
    IdempotencyKeyReused,
    /// The client is over one of its limits (its daily photo bytes).
    #[error(transparent)]
    Limited(crate::limits::Limited),
    /// The photo decoding budget stayed full for longer than a request may wait.
    #[error(transparent)]
    Busy(#[from] crate::admission::Exhausted),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("internal: {0}")]
    Internal(String),
}

/// The ways a present field can be wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    NotANumber,
    Coordinate,
    Email,
    Phone,
    Locale,
    TooLong {
        max: usize,
    },
    IdempotencyKey,
    Url,
    /// Control characters (other than tab and newline), NUL or Unicode noncharacters.
    Character,
}

/// A filed report: the incident as the public sees it, and whether this was a replay of an
/// earlier identical request.
pub struct Filed {
    pub incident: PublicIncident,
    pub replayed: bool,
}

const TRACKING_NUMBER_ATTEMPTS: usize = 8;

/// Files a report. See the module documentation for the steps.
pub async fn file_report(
    app: &Arc<App>,
    input: ReportInput,
    source: SourceChannel,
    idempotency_key: Option<&str>,
) -> Result<Filed, IntakeError> {
    let key = idempotency_key.map(parse_idempotency_key).transpose()?;
    // Hashing megabytes of photos would hold up an async worker (and every tile behind it).
    let (input, fingerprint) = tokio::task::spawn_blocking(move || {
        let fingerprint = fingerprint(&input);
        (input, fingerprint)
    })
    .await
    .map_err(|e| task_failed("fingerprint", e))?;
    if let Some(key) = &key {
        if let Some(filed) = replay(app, key, input.api_client, &fingerprint).await? {
            return Ok(filed);
        }
    }

    // Cheap checks first: every field, then each photo's headers. No pixel is decoded
    // before the report is known to be acceptable but for its photos' contents.
    let form = form::parse_form(&input)?;
    let directory = app.directory.current();
    let category =
        directory
            .category(&form.category)
            .ok_or_else(|| IntakeError::UnknownCategory {
                code: form.category.to_string(),
            })?;
    let attributes = validate_attributes(&category.attributes, &input.attributes)
        .map_err(IntakeError::Attribute)?;
    if input.photos.len() > app.config.max_photos {
        return Err(IntakeError::TooManyPhotos {
            max: app.config.max_photos,
        });
    }
    // Where the reporter put it, else the address they wrote, else where the photo was taken.
    let given = match (form.location, &form.address) {
        (Some(point), _) => Some(point),
        (None, Some(address)) => {
            app.store
                .locate_address(&directory.jurisdiction, address)
                .await?
        }
        (None, None) => None,
    };
    let route_at = |point| {
        directory
            .route(point, category.id)
            .ok_or(IntakeError::OutsideJurisdiction)
    };
    // A place given in the form is checked before the photos are even looked at.
    let given_route = given.map(route_at).transpose()?;
    let inspected = inspect_photos(app, &input.photos)?;
    let (location, route) = match (given, given_route) {
        (Some(point), Some(route)) => (point, route),
        _ => match inspected.iter().find_map(|p| p.gps) {
            Some(point) => (point, route_at(point)?),
            None if form.address.is_some() => return Err(IntakeError::AddressNotFound),
            None => return Err(IntakeError::Missing { field: "lat" }),
        },
    };
    let photo_bytes = input.photos.iter().map(|p| p.len() as u64).sum();
    let processed = render_photos(app, input.photos, inspected).await?;
    // Charged once the photos are known good, so a refused report costs the client nothing.
    if let Some(client) = input.limited_as {
        app.limits
            .charge_photos(client, photo_bytes)
            .map_err(IntakeError::Limited)?;
    }

    let now = Utc::now();
    let new = NewIncident {
        id: IncidentId::new(),
        tracking_number: TrackingNumber::generate(&mut rand::rng()),
        jurisdiction: directory.jurisdiction.clone(),
        category: category.id,
        zone: route.zone.id,
        department: route.department.id,
        priority: category.default_priority,
        location,
        description: form.description,
        attributes: serde_json::Value::Object(attributes),
        locale: form.locale,
        source,
        reporter: form.reporter,
        idempotency_key: key,
        request_fingerprint: fingerprint,
        api_client: input.api_client,
        address: form.address,
        media_url: form.media_url,
        created_at: now,
        acknowledge_due_at: now + Duration::hours(category.sla.acknowledge_hours.into()),
        resolve_due_at: now + Duration::hours(category.sla.resolve_hours.into()),
        photos: Vec::new(),
    };
    let labels = Labels {
        category: category.code.clone(),
        zone: route.zone.code.clone(),
        department: route.department.code.clone(),
    };
    // From here on the report is written whole or not at all, even when the client goes
    // away meanwhile: a dropped request must not leave photo files without their row.
    let app = Arc::clone(app);
    tokio::spawn(async move { commit(&app, new, processed, labels).await })
        .await
        .map_err(|e| task_failed("filing", e))?
}

/// The codes a filed incident is shown and logged with.
struct Labels {
    category: CategoryCode,
    zone: String,
    department: String,
}

/// Stores the photos and the incident, then shows it on the map and in the nearby index.
async fn commit(
    app: &App,
    mut new: NewIncident,
    processed: Vec<ProcessedPhoto>,
    labels: Labels,
) -> Result<Filed, IntakeError> {
    new.photos = store_photos(app, processed).await?;
    let key = new.idempotency_key.clone();
    let stored = insert_with_fresh_number(app, &mut new, key.as_deref()).await;
    // Not filed by this request (refused, failed, or filed before under the same key): its
    // photo files must not outlive it.
    let filed_here = matches!(stored, Ok(None));
    settle_photos(app, &new.photos, !filed_here).await;
    if let Some(filed) = stored? {
        return Ok(filed);
    }

    app.map.insert(app.map.catalog().point(&MapRow {
        tracking_number: new.tracking_number.clone(),
        location: new.location,
        status: Status::New,
        priority: new.priority,
        category: labels.category.to_string(),
        department: labels.department.clone(),
        created_at: new.created_at,
    }));
    app.incidents.insert(OpenIncident {
        id: new.id,
        tracking_number: new.tracking_number.clone(),
        category: labels.category.clone(),
        status: Status::New,
        location: new.location,
        created_at: new.created_at,
    });
    tracing::info!(
        incident_id = %new.id,
        tracking_number = %new.tracking_number,
        category = %labels.category,
        zone = %labels.zone,
        department = %labels.department,
        photos = new.photos.len(),
        "incident filed"
    );
    let incident = app
        .store
        .public_incident(&new.tracking_number)
        .await?
        .ok_or_else(|| IntakeError::Internal("filed incident not found".into()))?;
    Ok(Filed {
        incident,
        replayed: false,
    })
}

/// The incident an earlier request of the same client with this key filed, if any; a different request under
/// the same key is refused.
async fn replay(
    app: &App,
    key: &str,
    client: Option<ApiClientId>,
    fingerprint: &str,
) -> Result<Option<Filed>, IntakeError> {
    let Some((tracking, stored_fingerprint)) =
        app.store.incident_by_idempotency_key(key, client).await?
    else {
        return Ok(None);
    };
    if stored_fingerprint != fingerprint {
        return Err(IntakeError::IdempotencyKeyReused);
    }
    let incident = app
        .store
        .public_incident(&tracking)
        .await?
        .ok_or_else(|| IntakeError::Internal("replayed incident not found".into()))?;
    Ok(Some(Filed {
        incident,
        replayed: true,
    }))
}

/// Inserts `new`, drawing another tracking number while it collides. `None` once inserted;
/// the earlier incident when a concurrent request with the same idempotency key won.
async fn insert_with_fresh_number(
    app: &App,
    new: &mut NewIncident,
    key: Option<&str>,
) -> Result<Option<Filed>, IntakeError> {
    for _ in 0..TRACKING_NUMBER_ATTEMPTS {
        match app.store.insert_incident(new).await? {
            InsertOutcome::Created => return Ok(None),
            InsertOutcome::TrackingNumberTaken => {
                new.tracking_number = TrackingNumber::generate(&mut rand::rng());
            }
            InsertOutcome::IdempotencyKeyTaken => {
                let key = key.unwrap_or_default();
                return replay(app, key, new.api_client, &new.request_fingerprint)
                    .await?
                    .map(Some)
                    .ok_or_else(|| IntakeError::Internal("idempotency key vanished".into()));
            }
        }
    }
    Err(IntakeError::Internal(
        "no free tracking number found".into(),
    ))
}

/// A task of intake that did not finish. A panic's message may quote request data, so it is
/// not passed on to the log.
fn task_failed(task: &str, e: tokio::task::JoinError) -> IntakeError {
    if e.is_panic() {
        IntakeError::Internal(format!("the {task} task panicked"))
    } else {
        IntakeError::Internal(format!("the {task} task was cancelled"))
    }
}

fn parse_idempotency_key(raw: &str) -> Result<String, IntakeError> {
    let ok = (1..=255).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_graphic());
    ok.then(|| raw.to_owned()).ok_or(IntakeError::Invalid {
        field: "Idempotency-Key".into(),
        reason: Invalid::IdempotencyKey,
    })
}

/// A hash of everything a request says, to tell a true retry from a reused key.
fn fingerprint(input: &ReportInput) -> String {
    let mut hash = Sha256::new();
    let fields = [
        &input.category,
        &input.lat,
        &input.lon,
        &input.description,
        &input.reporter_name,
        &input.reporter_email,
        &input.reporter_phone,
        &input.locale,
        &input.address,
        &input.media_url,
        &input.device_id,
        &input.account_id,
    ];
    for field in fields {
        hash.update(field.as_deref().unwrap_or("\u{0}").as_bytes());
        hash.update([0xff]);
    }
    for (code, values) in &input.attributes {
        hash.update(code.as_bytes());
        for v in values {
            hash.update([0xfe]);
            hash.update(v.as_bytes());
        }
        hash.update([0xff]);
    }
    for photo in &input.photos {
        hash.update(Sha256::digest(photo));
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
