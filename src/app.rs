//! The running service's shared state: configuration, store, photo storage and the
//! in-memory indexes, loaded at start-up and kept current.

use crate::admission::ByteBudget;
use crate::config::Config;
use crate::domain::JurisdictionId;
use crate::limits::ClientLimits;
use crate::media::{PhotoLimits, PhotoStore, StorageError};
use crate::routing::{Directory, DirectoryHandle};
use crate::spatial::{ClusterParams, IncidentIndex};
use crate::store::{PoolSettings, Store, StoreError};
use crate::tiles::{Basemap, BasemapError, FilterLimits, IncidentLayer, LayerCatalog, ZoneLayer};
use parking_lot::RwLock;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("jurisdiction {0:?} is not in the database: run `semnal seed-demo` or import one")]
    UnknownJurisdiction(String),
    #[error(transparent)]
    Basemap(#[from] BasemapError),
    #[error("jurisdiction {0:?} has no zones: import them with `semnal import-zones`")]
    NoZones(String),
}

/// Everything a request handler or a service function needs.
pub struct App {
    pub config: Config,
    pub store: Store,
    pub photos: PhotoStore,
    pub directory: DirectoryHandle,
    pub incidents: IncidentIndex,
    /// Every incident, clustered for the map.
    pub map: IncidentLayer,
    /// The offline basemap, when `tiles/` has an archive.
    pub basemap: Option<Basemap>,
    /// Per-client limits on filing.
    pub limits: ClientLimits,
    /// Memory for photo decodes in flight.
    pub decode_budget: ByteBudget,
    /// Memory for request bodies with photos in flight.
    pub upload_budget: ByteBudget,
    /// Zones as tiles; replaced with the directory.
    zone_tiles: RwLock<Arc<ZoneLayer>>,
}

impl App {
    /// Connects, loads the catalogue, zones and open incidents into memory, and starts
    /// following zone changes.
    pub async fn start(config: Config, database_url: &str) -> Result<Arc<Self>, StartError> {
        let store = Store::connect_with(database_url, pool_settings(&config)).await?;
        // Loading every incident may take longer than any request should: it has a
        // connection of its own, without the service's statement timeout.
        let loader = Store::connect(database_url, 1).await?;
        let loaded = Self::load(config, store, &loader).await;
        loader.close().await;
        let app = Arc::new(loaded?);
        app.clone().follow_zone_changes().await?;
        app.clone().keep_map_in_order();
        app.clone().sweep_photos();
        app.clone().forget_idle_clients();
        Ok(app)
    }

    /// The catalogue, zones, open incidents and the map, read through `loader`.
    async fn load(config: Config, store: Store, loader: &Store) -> Result<Self, StartError> {
        let jurisdiction = JurisdictionId::parse(&config.jurisdiction)
            .ok_or_else(|| StartError::UnknownJurisdiction(config.jurisdiction.clone()))?;
        if !loader.jurisdiction_exists(&jurisdiction).await? {
            return Err(StartError::UnknownJurisdiction(config.jurisdiction.clone()));
        }
        let started = Instant::now();
        let directory = Directory::load(loader, jurisdiction.clone()).await?;
        let centre = directory
            .zones()
            .centre()
            .ok_or_else(|| StartError::NoZones(config.jurisdiction.clone()))?;
        let incidents = IncidentIndex::build(loader.open_incidents(&jurisdiction).await?, centre);
        let map = load_map(loader, &directory, filter_limits(&config)).await?;
        let basemap = Basemap::open(&config.tiles_dir).await?;
        if basemap.is_none() {
            tracing::warn!(folder = %config.tiles_dir.display(), "no basemap archive: the map has no streets");
        }
        tracing::info!(
            zones = directory.zones().len(),
            categories = directory.categories().len(),
            open_incidents = incidents.len(),
            map_incidents = map.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "indexes loaded"
        );
        let wait = Duration::from_millis(config.admission_wait_ms);
        Ok(Self {
            photos: PhotoStore::local(&config.photos_dir())?,
            decode_budget: ByteBudget::new(config.photo_decode_budget_bytes, wait),
            upload_budget: ByteBudget::new(config.upload_budget_bytes, wait),
            limits: ClientLimits::new(&config),
            config,
            store,
            zone_tiles: RwLock::new(Arc::new(ZoneLayer::new(directory.zones().zones()))),
            directory: DirectoryHandle::new(directory),
            incidents,
            map,
            basemap,
        })
    }

    /// Limits for photo uploads, from the configuration.
    pub fn photo_limits(&self) -> PhotoLimits {
        PhotoLimits {
            max_bytes: self.config.max_photo_bytes,
            max_side: self.config.max_photo_side,
            max_pixels: self.config.max_photo_pixels,
        }
    }

    /// The zones as tiles.
    pub fn zone_tiles(&self) -> Arc<ZoneLayer> {
        self.zone_tiles.read().clone()
    }

    /// Reloads the catalogue and zones, e.g. after `semnal import-zones`.
    pub async fn reload_directory(&self) -> Result<(), StoreError> {
        let jurisdiction = self.directory.current().jurisdiction.clone();
        let directory = Directory::load(&self.store, jurisdiction).await?;
        tracing::info!(
            zones = directory.zones().len(),
            "zones and routing reloaded"
        );
        *self.zone_tiles.write() = Arc::new(ZoneLayer::new(directory.zones().zones()));
        // Before the swap: a report in a new category finds it already on the map.
        let (categories, departments) = codes(&directory);
        self.map.catalog().learn(categories, departments);
        self.directory.replace(directory);
        Ok(())
    }

    /// Rebuilds the map's cluster hierarchy now and then, when many incidents were added
    /// since the last build, off the async runtime.
    fn keep_map_in_order(self: Arc<Self>) {
        every(Duration::from_secs(60), move || {
            let app = self.clone();
            async move {
                if let Err(e) =
                    tokio::task::spawn_blocking(move || app.map.rebuild_if_needed()).await
                {
                    tracing::error!(error = %e, "rebuilding the map failed");
                }
            }
        });
    }

    /// Removes, now and every hour, photo files that no row points at and that are older
    /// than any request: what a crash between writing a photo and committing its report
    /// left behind. (Refused requests remove their own files at once.)
    fn sweep_photos(self: Arc<Self>) {
        const GRACE: Duration = Duration::from_secs(3600);
        every(GRACE, move || {
            let app = self.clone();
            async move {
                let referenced = |keys: Vec<String>| {
                    let store = app.store.clone();
                    async move { store.referenced_photo_keys(&keys).await }
                };
                match app.photos.sweep(GRACE, referenced).await {
                    Ok(0) => {}
                    Ok(deleted) => tracing::info!(deleted, "unreferenced photo files removed"),
                    Err(e) => tracing::warn!(error = %e, "photo sweep failed"),
                }
            }
        });
    }

    /// Forgets, now and then, the clients whose limits are back to full.
    fn forget_idle_clients(self: Arc<Self>) {
        every(Duration::from_secs(30), move || {
            self.limits.forget_idle();
            std::future::ready(())
        });
    }

    /// Rebuilds the directory whenever the database announces a change of zones or rules.
    async fn follow_zone_changes(self: Arc<Self>) -> Result<(), StoreError> {
        let mut listener = self.store.zone_change_listener().await?;
        tokio::spawn(async move {
            loop {
                match listener.recv().await {
                    Ok(_) => {
                        if let Err(e) = self.reload_directory().await {
                            tracing::error!(error = %e, "reloading zones failed; keeping the previous ones");
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "zone change listener interrupted; retrying");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(())
    }
}

/// Runs `task` now and every `period`, as long as the process lives.
fn every<F, Fut>(period: Duration, task: F)
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        loop {
            ticks.tick().await;
            task().await;
        }
    });
}

/// The service's pool: fail fast when PostgreSQL is away or slow, so that requests answer
/// 503 instead of piling up.
fn pool_settings(config: &Config) -> PoolSettings {
    PoolSettings {
        max_connections: config.db_connections,
        acquire_timeout: Duration::from_secs(config.db_acquire_timeout_secs),
        statement_timeout: Some(Duration::from_secs(config.db_statement_timeout_secs)),
    }
}

/// Loads every incident of the jurisdiction into the clustered map layer.
async fn load_map(
    store: &Store,
    directory: &Directory,
    limits: FilterLimits,
) -> Result<IncidentLayer, StoreError> {
    let (categories, departments) = codes(directory);
    let catalog = LayerCatalog::new(categories, departments);
    let mut points = Vec::new();
    store
        .each_map_row(&directory.jurisdiction, |row| {
            points.push(catalog.point(&row))
        })
        .await?;
    Ok(IncidentLayer::build_with(
        points,
        catalog,
        ClusterParams::default(),
        limits,
    ))
}

/// The category and department codes of a directory, for the map.
fn codes(directory: &Directory) -> (Vec<String>, Vec<String>) {
    (
        directory
            .categories()
            .iter()
            .map(|c| c.code.to_string())
            .collect(),
        directory.departments().map(|d| d.code.clone()).collect(),
    )
}

/// How the map keeps and builds its filtered hierarchies, from the configuration.
fn filter_limits(config: &Config) -> FilterLimits {
    FilterLimits {
        cached: config.map_filter_cache,
        concurrent_builds: config.map_filter_builds,
        wait: Duration::from_millis(config.map_filter_wait_ms),
    }
}
