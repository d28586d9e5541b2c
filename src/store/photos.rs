//! Photo records; the bytes themselves live in the object store.

use super::{Store, StoreError};
use crate::domain::{IncidentId, PhotoId};
use sqlx::PgConnection;
use std::collections::HashSet;
use uuid::Uuid;

/// A processed photo whose derivatives are already in the object store.
#[derive(Debug, Clone)]
pub struct NewPhoto {
    pub id: PhotoId,
    pub original_sha256: String,
    pub original_format: &'static str,
    pub width: u32,
    pub height: u32,
    pub thumb_key: String,
    pub display_key: String,
}

/// A photo as the public sees it: an id to build the derivative URLs from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicPhoto {
    pub id: PhotoId,
}

impl PublicPhoto {
    pub(super) fn from_id(id: Uuid) -> Self {
        Self { id: PhotoId(id) }
    }
}

pub(super) async fn insert_photo(
    conn: &mut PgConnection,
    incident: IncidentId,
    position: usize,
    photo: &NewPhoto,
) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO photos (id, incident_id, position, original_sha256, original_format, width, height,
           thumb_key, display_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        photo.id.0,
        incident.0,
        position as i16,
        photo.original_sha256,
        photo.original_format,
        photo.width as i32,
        photo.height as i32,
        photo.thumb_key,
        photo.display_key
    )
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// The object-store keys of a photo's thumbnail and display derivatives.
    pub async fn photo_keys(&self, id: PhotoId) -> Result<Option<(String, String)>, StoreError> {
        let row = sqlx::query!(
            "SELECT thumb_key, display_key FROM photos WHERE id = $1",
            id.0
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.thumb_key, r.display_key)))
    }
}

impl Store {
    /// Which of `keys` a photo row points at.
    pub async fn referenced_photo_keys(
        &self,
        keys: &[String],
    ) -> Result<HashSet<String>, StoreError> {
        let rows = sqlx::query_scalar!(
            r#"SELECT k AS "key!" FROM unnest($1::text[]) AS k
               WHERE EXISTS (SELECT 1 FROM photos WHERE thumb_key = k)
                  OR EXISTS (SELECT 1 FROM photos WHERE display_key = k)"#,
            keys
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().collect())
    }
}
