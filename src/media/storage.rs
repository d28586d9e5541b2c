//! Content-addressed photo storage through `object_store` (a local folder by default).
//!
//! A file must never outlive the request that wrote it unless a row points at it, and a row
//! must never point at a file that is gone. Keys being written or waiting for their row are
//! counted in flight; a request that files nothing discards its keys once no other request
//! holds them and no row points at them, and a sweeper removes what a crash left behind.

use bytes::Bytes;
use futures::TryStreamExt;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Mutex;

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
    /// The folder behind a local store, whose files are flushed to disk after writing.
    local_root: Option<PathBuf>,
    /// Keys held by requests in flight, with how many hold each.
    in_flight: Arc<Mutex<HashMap<String, usize>>>,
}

const JPEG_PREFIX: &str = "jpeg";

/// Keys asked about in one query by the sweeper.
const SWEEP_CHUNK: usize = 1000;

impl PhotoStore {
    /// A store in a local folder, created if missing.
    pub fn local(folder: &std::path::Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(folder)?;
        Ok(Self {
            store: Arc::new(LocalFileSystem::new_with_prefix(folder)?),
            local_root: Some(folder.canonicalize()?),
            in_flight: Arc::default(),
        })
    }

    /// Stores JPEG bytes, durably, and returns their key, `jpeg/ab/abcdef….jpg`. The key
    /// is held in flight until [`PhotoStore::settle`] is called for it.
    pub async fn put_jpeg(&self, bytes: Vec<u8>) -> Result<String, StorageError> {
        let sha = super::photo::hex_sha256(&bytes);
        let key = format!("{JPEG_PREFIX}/{}/{sha}.jpg", &sha[..2]);
        *self.in_flight.lock().await.entry(key.clone()).or_default() += 1;
        let written = self.write_durably(&key, bytes).await;
        if written.is_err() {
            // What a failed write left is not deleted here (a row may point at an earlier
            // copy of the same bytes): the sweeper checks and removes it.
            self.release(&key).await;
        }
        written.map(|()| key)
    }

    async fn write_durably(&self, key: &str, bytes: Vec<u8>) -> Result<(), StorageError> {
        self.store
            .put(&Path::from(key), PutPayload::from(bytes))
            .await?;
        if let Some(root) = &self.local_root {
            // The row that will point at this file commits after this returns: the file
            // must be on disk first, and so must the directory entries that name it.
            let file = root.join(key);
            tokio::task::spawn_blocking(move || -> std::io::Result<()> {
                std::fs::File::open(&file)?.sync_all()?;
                for dir in file.ancestors().skip(1).take(2) {
                    std::fs::File::open(dir)?.sync_all()?;
                }
                Ok(())
            })
            .await
            .map_err(std::io::Error::other)??;
        }
        Ok(())
    }

    async fn release(&self, key: &str) {
        let_go(&mut *self.in_flight.lock().await, key);
    }

    /// Lets go of keys this request held. With `discard`, the request filed nothing: each
    /// key that no other request holds and that `referenced` does not report is deleted.
    /// Failures are logged, not returned: the sweeper retries them.
    pub async fn settle<F, Fut, E>(&self, keys: Vec<String>, discard: bool, referenced: F)
    where
        F: FnOnce(Vec<String>) -> Fut,
        Fut: Future<Output = Result<HashSet<String>, E>>,
        E: std::fmt::Display,
    {
        // Held until the deletions are done, so no request can take a key up meanwhile.
        let mut in_flight = self.in_flight.lock().await;
        let mut free = Vec::new();
        for key in keys {
            if let_go(&mut in_flight, &key) {
                free.push(key);
            }
        }
        if !discard || free.is_empty() {
            return;
        }
        free.sort();
        free.dedup();
        match referenced(free.clone()).await {
            Ok(kept) => {
                for key in free.iter().filter(|k| !kept.contains(*k)) {
                    if let Err(e) = self.store.delete(&Path::from(key.as_str())).await {
                        tracing::warn!(error = %e, "deleting an unused photo failed");
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "photo files kept for the sweeper"),
        }
    }

    /// Deletes files older than `grace` that no request holds and `referenced` does not
    /// report: what a crash between writing a photo and committing its row left behind.
    /// Returns how many were deleted.
    pub async fn sweep<F, Fut, E>(
        &self,
        grace: std::time::Duration,
        referenced: F,
    ) -> Result<usize, StorageError>
    where
        F: Fn(Vec<String>) -> Fut,
        Fut: Future<Output = Result<HashSet<String>, E>>,
        E: std::fmt::Display,
    {
        let cutoff = chrono::Utc::now() - chrono::Duration::from_std(grace).unwrap_or_default();
        let old: Vec<String> = self
            .store
            .list(Some(&Path::from(JPEG_PREFIX)))
            .try_filter(|meta| std::future::ready(meta.last_modified < cutoff))
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await?;
        // Nearly every old file has its row: asked in chunks, holding no request up.
        let mut unreferenced = Vec::new();
        for chunk in old.chunks(SWEEP_CHUNK) {
            match referenced(chunk.to_vec()).await {
                Ok(kept) => {
                    unreferenced.extend(chunk.iter().filter(|k| !kept.contains(*k)).cloned())
                }
                Err(e) => {
                    tracing::warn!(error = %e, "photo sweep skipped");
                    return Ok(0);
                }
            }
        }
        if unreferenced.is_empty() {
            return Ok(0);
        }
        // The few left are checked again under the lock: a request may have taken one up,
        // or committed a row naming it, since.
        let in_flight = self.in_flight.lock().await;
        unreferenced.retain(|k| !in_flight.contains_key(k));
        let kept = match referenced(unreferenced.clone()).await {
            Ok(kept) => kept,
            Err(e) => {
                tracing::warn!(error = %e, "photo sweep skipped");
                return Ok(0);
            }
        };
        let mut deleted = 0;
        for key in unreferenced.iter().filter(|k| !kept.contains(*k)) {
            match self.store.delete(&Path::from(key.as_str())).await {
                Ok(()) => deleted += 1,
                Err(e) => tracing::warn!(error = %e, "deleting an unused photo failed"),
            }
        }
        Ok(deleted)
    }

    /// The bytes stored under `key`.
    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        Ok(self.store.get(&Path::from(key)).await?.bytes().await?)
    }
}

/// One holder fewer for `key`; whether none is left.
fn let_go(in_flight: &mut HashMap<String, usize>, key: &str) -> bool {
    let Some(holders) = in_flight.get_mut(key) else {
        return false;
    };
    *holders -= 1;
    if *holders > 0 {
        return false;
    }
    in_flight.remove(key);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;
    use std::time::Duration;

    fn none(_: Vec<String>) -> std::future::Ready<Result<HashSet<String>, Infallible>> {
        std::future::ready(Ok(HashSet::new()))
    }

    fn store() -> (PhotoStore, PathBuf) {
        let folder = std::env::temp_dir().join(format!("semnal-photos-{}", uuid::Uuid::new_v4()));
        (PhotoStore::local(&folder).unwrap(), folder)
    }

    #[tokio::test]
    async fn files_no_row_points_at_are_swept_but_never_while_a_request_holds_them() {
        let (photos, folder) = store();
        let held = photos.put_jpeg(b"held".to_vec()).await.unwrap();
        let left = photos.put_jpeg(b"left".to_vec()).await.unwrap();
        let kept = photos.put_jpeg(b"kept".to_vec()).await.unwrap();
        photos.settle(vec![left.clone()], false, none).await;
        photos.settle(vec![kept.clone()], false, none).await;
        let rows = HashSet::from([kept.clone()]);
        let referenced = |_| std::future::ready(Ok::<_, Infallible>(rows.clone()));
        assert_eq!(photos.sweep(Duration::ZERO, referenced).await.unwrap(), 1);
        assert!(folder.join(&held).exists(), "held by a request in flight");
        assert!(!folder.join(&left).exists(), "nothing points at it");
        assert!(folder.join(&kept).exists(), "a row points at it");
        std::fs::remove_dir_all(folder).unwrap();
    }

    #[tokio::test]
    async fn a_refused_request_deletes_its_files_unless_another_holds_or_uses_them() {
        let (photos, folder) = store();
        let mine = photos.put_jpeg(b"mine".to_vec()).await.unwrap();
        let shared = photos.put_jpeg(b"shared".to_vec()).await.unwrap();
        // The same bytes, uploaded by a second request still in flight.
        assert_eq!(photos.put_jpeg(b"shared".to_vec()).await.unwrap(), shared);
        photos
            .settle(vec![mine.clone(), shared.clone()], true, none)
            .await;
        assert!(!folder.join(&mine).exists());
        assert!(folder.join(&shared).exists());
        std::fs::remove_dir_all(folder).unwrap();
    }
}
