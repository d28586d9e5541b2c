//! Open311 API clients and their keys. A key is stored as its SHA-256 only and shown once.

use super::{Store, StoreError};
use chrono::{DateTime, Utc};
use rand::Rng;
use sha2::{Digest, Sha256};

/// The id of an API client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiClientId(pub i64);

/// A client as an administrator sees it (never the key).
#[derive(Debug, Clone)]
pub struct ApiClient {
    pub id: ApiClientId,
    pub name: String,
    pub key_prefix: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A key as issued: the secret, to hand to the client once, and its record.
pub struct IssuedKey {
    pub key: String,
    pub client: ApiClient,
}

const KEY_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
/// 32 characters of a 32-symbol alphabet: 160 random bits.
const KEY_CHARS: usize = 32;
const KEY_PREFIX: &str = "sk_";
const SHOWN_PREFIX_CHARS: usize = KEY_PREFIX.len() + 6;

fn hash_key(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn generate_key() -> String {
    let mut rng = rand::rng();
    let body: String = (0..KEY_CHARS)
        .map(|_| KEY_ALPHABET[rng.random_range(0..KEY_ALPHABET.len())] as char)
        .collect();
    format!("{KEY_PREFIX}{body}")
}

impl Store {
    /// Issues a new key for a client called `name`.
    pub async fn issue_api_key(&self, name: &str) -> Result<IssuedKey, StoreError> {
        let key = generate_key();
        let prefix = &key[..SHOWN_PREFIX_CHARS];
        let r = sqlx::query!(
            "INSERT INTO api_clients (name, key_sha256, key_prefix) VALUES ($1, $2, $3)
             RETURNING id, created_at",
            name,
            hash_key(&key),
            prefix
        )
        .fetch_one(&self.pool)
        .await?;
        let client = ApiClient {
            id: ApiClientId(r.id),
            name: name.to_owned(),
            key_prefix: prefix.to_owned(),
            created_at: r.created_at,
            revoked_at: None,
        };
        Ok(IssuedKey { key, client })
    }

    /// The client holding `key`, unless the key is unknown or revoked.
    pub async fn authenticate_api_key(&self, key: &str) -> Result<Option<ApiClientId>, StoreError> {
        let id = sqlx::query_scalar!(
            "SELECT id FROM api_clients WHERE key_sha256 = $1 AND revoked_at IS NULL",
            hash_key(key.trim())
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(id.map(ApiClientId))
    }

    /// Every client, oldest first.
    pub async fn api_clients(&self) -> Result<Vec<ApiClient>, StoreError> {
        let rows = sqlx::query!(
            "SELECT id, name, key_prefix, created_at, revoked_at FROM api_clients ORDER BY id"
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| ApiClient {
                id: ApiClientId(r.id),
                name: r.name,
                key_prefix: r.key_prefix,
                created_at: r.created_at,
                revoked_at: r.revoked_at,
            })
            .collect())
    }

    /// Revokes a client's key; requests carrying it are refused from now on. Returns whether
    /// a key that was still valid was revoked.
    pub async fn revoke_api_client(&self, id: ApiClientId) -> Result<bool, StoreError> {
        let done = sqlx::query!(
            "UPDATE api_clients SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
            id.0
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_random_and_hashed() {
        let (a, b) = (generate_key(), generate_key());
        assert_ne!(a, b);
        assert_eq!(a.len(), KEY_PREFIX.len() + KEY_CHARS);
        assert!(a.starts_with("sk_"));
        assert_eq!(hash_key(&a).len(), 64);
        assert_ne!(hash_key(&a), a);
    }
}
