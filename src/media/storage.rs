//! Content-addressed photo storage through `object_store` (a local folder by default).

use bytes::Bytes;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};
use std::sync::Arc;

/// A failure of the object store.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("photo storage: {0}")]
    Store(#[from] object_store::Error),
    #[error("photo storage folder: {0}")]
    Folder(#[from] std::io::Error),
}

/// Stores derivatives under their SHA-256, so equal bytes are stored once.
#[derive(Clone)]
pub struct PhotoStore {
    store: Arc<dyn ObjectStore>,
}

impl PhotoStore {
    /// A store in a local folder, created if missing.
    pub fn local(folder: &std::path::Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(folder)?;
        Ok(Self {
            store: Arc::new(LocalFileSystem::new_with_prefix(folder)?),
        })
    }

    /// Stores JPEG bytes and returns their key, `jpeg/ab/abcdef….jpg`.
    pub async fn put_jpeg(&self, bytes: Vec<u8>) -> Result<String, StorageError> {
        let sha = super::photo::hex_sha256(&bytes);
        let key = format!("jpeg/{}/{sha}.jpg", &sha[..2]);
        self.store
            .put(&Path::from(key.as_str()), PutPayload::from(bytes))
            .await?;
        Ok(key)
    }

    /// The bytes stored under `key`.
    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        Ok(self.store.get(&Path::from(key)).await?.bytes().await?)
    }
}
