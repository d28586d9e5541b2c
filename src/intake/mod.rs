//! Report intake: validate, process photos, route by zone and category, store with its
//! event in one transaction, and make it visible to the in-memory index. Retries carrying
//! the same idempotency key get the incident filed the first time.

mod form;

pub use form::ReportInput;

use crate::app::App;
use crate::domain::{
    validate_attributes, AttributeError, IncidentId, OpenIncident, PhotoId, SourceChannel, Status,
    TrackingNumber,
};
use crate::media::{process_photo, PhotoError, PhotoLimits, ProcessedPhoto, StorageError};
use crate::store::{
    ApiClientId, InsertOutcome, MapRow, NewIncident, NewPhoto, PublicIncident, StoreError,
};
use chrono::{Duration, Utc};
use sha2::{Digest, Sha256};

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
    /// The photo decoding budget stayed full for longer than a request may wait.
    #[error("photo processing is busy")]
    Busy { retry_after_secs: u32 },
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
    app: &App,
    input: ReportInput,
    source: SourceChannel,
    idempotency_key: Option<&str>,
) -> Result<Filed, IntakeError> {
    let key = idempotency_key.map(parse_idempotency_key).transpose()?;
    let fingerprint = fingerprint(&input);
    if let Some(key) = &key {
        if let Some(filed) = replay(app, key, input.api_client, &fingerprint).await? {
            return Ok(filed);
        }
    }

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
    let processed = process_photos(input.photos, app.photo_limits()).await?;
    // Where the reporter put it, else the address they wrote, else where the photo was taken.
    let location = match (form.location, &form.address) {
        (Some(point), _) => Some(point),
        (None, Some(address)) => {
            app.store
                .locate_address(&directory.jurisdiction, address)
                .await?
        }
        (None, None) => None,
    };
    let location = match location.or_else(|| processed.iter().find_map(|p| p.gps)) {
        Some(point) => point,
        None if form.address.is_some() => return Err(IntakeError::AddressNotFound),
        None => return Err(IntakeError::Missing { field: "lat" }),
    };
    let route = directory
        .route(location, category.id)
        .ok_or(IntakeError::OutsideJurisdiction)?;
    let photos = store_photos(app, processed).await?;

    let now = Utc::now();
    let mut new = NewIncident {
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
        idempotency_key: key.clone(),
        request_fingerprint: fingerprint.clone(),
        api_client: input.api_client,
        address: form.address,
        media_url: form.media_url,
        created_at: now,
        acknowledge_due_at: now + Duration::hours(category.sla.acknowledge_hours.into()),
        resolve_due_at: now + Duration::hours(category.sla.resolve_hours.into()),
        photos,
    };
    let mut attempts = 0;
    loop {
        match app.store.insert_incident(&new).await? {
            InsertOutcome::Created => break,
            InsertOutcome::TrackingNumberTaken if attempts < TRACKING_NUMBER_ATTEMPTS => {
                attempts += 1;
                new.tracking_number = TrackingNumber::generate(&mut rand::rng());
            }
            InsertOutcome::TrackingNumberTaken => {
                return Err(IntakeError::Internal(
                    "no free tracking number found".into(),
                ));
            }
            // A concurrent request with the same key won the race.
            InsertOutcome::IdempotencyKeyTaken => {
                let key = key.as_deref().unwrap_or_default();
                return replay(app, key, new.api_client, &fingerprint)
                    .await?
                    .ok_or_else(|| IntakeError::Internal("idempotency key vanished".into()));
            }
        }
    }

    app.map.insert(app.map.catalog().point(&MapRow {
        tracking_number: new.tracking_number.clone(),
        location,
        status: Status::New,
        priority: category.default_priority,
        category: category.code.to_string(),
        department: route.department.code.clone(),
        created_at: now,
    }));
    app.incidents.insert(OpenIncident {
        id: new.id,
        tracking_number: new.tracking_number.clone(),
        category: category.code.clone(),
        status: Status::New,
        location,
        created_at: now,
    });
    tracing::info!(
        incident_id = %new.id,
        tracking_number = %new.tracking_number,
        category = %category.code,
        zone = %route.zone.code,
        department = %route.department.code,
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

/// Processes the photos on the blocking pool, one after another (each is CPU-bound).
async fn process_photos(
    photos: Vec<Vec<u8>>,
    limits: PhotoLimits,
) -> Result<Vec<ProcessedPhoto>, IntakeError> {
    if photos.is_empty() {
        return Ok(Vec::new());
    }
    tokio::task::spawn_blocking(move || {
        photos
            .iter()
            .enumerate()
            .map(|(index, bytes)| {
                process_photo(bytes, &limits).map_err(|error| IntakeError::Photo { index, error })
            })
            .collect()
    })
    .await
    .map_err(|e| IntakeError::Internal(format!("photo worker: {e}")))?
}

/// Writes the derivatives to the object store. Content-addressed, so a retry rewrites the
/// same keys, and a report refused later leaves only unreferenced blobs, never a half row.
async fn store_photos(
    app: &App,
    processed: Vec<ProcessedPhoto>,
) -> Result<Vec<NewPhoto>, IntakeError> {
    let mut photos = Vec::with_capacity(processed.len());
    for p in processed {
        photos.push(NewPhoto {
            id: PhotoId::new(),
            original_sha256: p.original_sha256,
            original_format: p.format.as_str(),
            width: p.width,
            height: p.height,
            thumb_key: app.photos.put_jpeg(p.thumb_jpeg).await?,
            display_key: app.photos.put_jpeg(p.display_jpeg).await?,
        });
    }
    Ok(photos)
}
