//! The incident layer: one cluster hierarchy of every incident, and hierarchies for the
//! filters in use, built on first use off the async runtime (a bounded number at once),
//! kept in a small LRU and updated in place with every change, so a new or changed
//! incident is in the very next tile.

use super::catalog::LayerCatalog;
use super::filter::MapFilter;
use super::filter_cache::{Change, FilterCache, Shared};
use super::mvt_encode::encode_incidents;
use super::{Tile, TileCoord};
use crate::spatial::{ClusterIndex, ClusterParams, MapPoint};
use parking_lot::{Mutex, RwLock};
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Semaphore};

/// How filtered hierarchies are kept and built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterLimits {
    /// Filtered hierarchies kept, least recently used dropped first.
    pub cached: usize,
    /// Filtered hierarchies built at once (each is a copy of the matching incidents, built
    /// on the blocking pool); 0 turns filtered maps off.
    pub concurrent_builds: usize,
    /// How long a request waits for a build slot before it is told to retry.
    pub wait: Duration,
}

impl Default for FilterLimits {
    fn default() -> Self {
        Self {
            cached: 16,
            concurrent_builds: 2,
            wait: Duration::from_secs(2),
        }
    }
}

/// Why a tile could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TileError {
    #[error("tile encoding: {0}")]
    Encoding(#[from] mvt::Error),
    /// Every build slot stayed taken for as long as a request may wait.
    #[error("map builds are busy")]
    Busy { retry_after_secs: u32 },
    #[error("building a filtered map failed")]
    BuildFailed,
}

/// What a tile request finds for its filter.
enum Lookup {
    Ready(Shared),
    /// Built by another request right now.
    Wait(watch::Receiver<Option<Shared>>),
    Missing,
}

/// The layer's state, shared with the builds running on the blocking pool.
struct State {
    params: ClusterParams,
    limits: FilterLimits,
    all: Shared,
    cache: Mutex<FilterCache>,
    /// Sequence number of the last change. Bumped under `all`'s write lock, so whoever reads
    /// `all` sees the points and the number that go together.
    changes: AtomicU64,
    /// The day of the oldest incident on the map (`i32::MAX` while it is empty).
    oldest_day: AtomicI32,
    /// Filtered hierarchies built so far.
    builds_started: AtomicU64,
}

/// Every incident on the map, clustered, per filter.
pub struct IncidentLayer {
    state: Arc<State>,
    catalog: LayerCatalog,
    build_slots: Arc<Semaphore>,
}

impl IncidentLayer {
    /// The layer of `points`, with the default [`FilterLimits`].
    pub fn build(points: Vec<MapPoint>, catalog: LayerCatalog, params: ClusterParams) -> Self {
        Self::build_with(points, catalog, params, FilterLimits::default())
    }

    /// The layer of `points`, its filtered maps kept and built within `limits`.
    pub fn build_with(
        points: Vec<MapPoint>,
        catalog: LayerCatalog,
        params: ClusterParams,
        limits: FilterLimits,
    ) -> Self {
        let oldest_day = points
            .iter()
            .map(|p| p.created_day)
            .min()
            .unwrap_or(i32::MAX);
        Self {
            state: Arc::new(State {
                all: Arc::new(RwLock::new(ClusterIndex::build(points, params))),
                params,
                limits,
                cache: Mutex::new(FilterCache::default()),
                changes: AtomicU64::new(0),
                oldest_day: AtomicI32::new(oldest_day),
                builds_started: AtomicU64::new(0),
            }),
            catalog,
            build_slots: Arc::new(Semaphore::new(limits.concurrent_builds)),
        }
    }

    /// The category and department codes the map knows, growing with the catalogue.
    pub fn catalog(&self) -> &LayerCatalog {
        &self.catalog
    }

    /// The tile `coord` of the incidents that pass `filter`. A filter in use for the first
    /// time is built first, off the async runtime.
    pub async fn tile(
        &self,
        coord: TileCoord,
        filter: &MapFilter,
        today: i32,
    ) -> Result<Tile, TileError> {
        let oldest_day = self.state.oldest_day.load(Ordering::Acquire);
        let filter = filter.clone().normalised(oldest_day, today);
        let index = self.index_for(&filter).await?;
        let names = self.catalog.names();
        let index = index.read();
        let items = index.tile(coord.z, coord.x, coord.y, BUFFER_PX);
        Ok(Tile::new(encode_incidents(
            coord,
            &items,
            &names.categories,
            today,
        )?))
    }

    async fn index_for(&self, filter: &MapFilter) -> Result<Shared, TileError> {
        match self.lookup(filter) {
            Lookup::Ready(index) => return Ok(index),
            Lookup::Wait(done) => return wait_for(done).await,
            Lookup::Missing => {}
        }
        let slot = tokio::time::timeout(
            self.state.limits.wait,
            self.build_slots.clone().acquire_owned(),
        )
        .await
        .ok()
        .and_then(Result::ok)
        .ok_or(TileError::Busy {
            retry_after_secs: RETRY_AFTER_SECS,
        })?;
        // Another request may have built it, or started to, while this one waited.
        let (done, build) = {
            let mut cache = self.state.cache.lock();
            if let Some(index) = cache.get(filter) {
                return Ok(index);
            }
            match cache.in_flight(filter) {
                Some(done) => (done, None),
                None => {
                    let (tx, done) = watch::channel(None);
                    let id = cache.register(Some(filter.clone()), Some(done.clone()));
                    (done, Some((id, tx)))
                }
            }
        };
        if let Some((id, tx)) = build {
            self.state.builds_started.fetch_add(1, Ordering::Relaxed);
            let state = self.state.clone();
            let filter = filter.clone();
            // Not awaited to finish: a client that goes away leaves the build to complete
            // and be cached for the next one.
            tokio::task::spawn_blocking(move || {
                let _slot = slot;
                tx.send_replace(Some(state.build_filtered(id, filter)));
            });
        } else {
            // Someone else builds it: the slot is free for another filter meanwhile.
            drop(slot);
        }
        wait_for(done).await
    }

    fn lookup(&self, filter: &MapFilter) -> Lookup {
        if filter.is_everything() {
            return Lookup::Ready(self.state.all.clone());
        }
        let mut cache = self.state.cache.lock();
        if let Some(index) = cache.get(filter) {
            return Lookup::Ready(index);
        }
        cache
            .in_flight(filter)
            .map_or(Lookup::Missing, Lookup::Wait)
    }

    /// Puts a new incident on the map.
    pub fn insert(&self, point: MapPoint) {
        self.state
            .oldest_day
            .fetch_min(point.created_day, Ordering::AcqRel);
        self.state.change(Change::Insert(point));
    }

    /// Changes an incident's status everywhere it shows, moving it in or out of filtered maps.
    pub fn set_status(&self, point: MapPoint, status: u8) {
        self.state.change(Change::Status { point, status });
    }

    /// Rebuilds the full hierarchy when many incidents sit unsorted since the last build
    /// (their clusters are right in count but placed where they were first joined). Runs
    /// without the lock changes take but for the moment of the swap.
    pub fn rebuild_if_needed(&self) {
        let state = &self.state;
        if !needs_rebuild(&state.all.read()) {
            return;
        }
        let id = state.cache.lock().register(None, None);
        let mut pending = Pending {
            state,
            id,
            armed: true,
        };
        let (points, seen) = state.snapshot(&MapFilter::default());
        let mut rebuilt = ClusterIndex::build(points, state.params);
        let mut cache = state.cache.lock();
        pending.armed = false;
        for change in cache.finish(id, seen) {
            change.apply(&MapFilter::default(), &mut rebuilt);
        }
        *state.all.write() = rebuilt;
        // Filtered maps with a long unsorted tail are rebuilt (in order) on their next use.
        cache.drop_where(needs_rebuild);
    }

    /// How many incidents the map holds.
    pub fn len(&self) -> usize {
        self.state.all.read().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many filtered hierarchies were built since start-up.
    pub fn filter_builds(&self) -> u64 {
        self.state.builds_started.load(Ordering::Relaxed)
    }

    /// How many filtered hierarchies are kept now.
    pub fn cached_filters(&self) -> usize {
        self.state.cache.lock().len()
    }
}

impl State {
    /// Applies a change to the full hierarchy, every cached one, and keeps it for the builds
    /// in flight.
    fn change(&self, change: Change) {
        let mut cache = self.cache.lock();
        let seq = {
            let mut all = self.all.write();
            change.apply(&MapFilter::default(), &mut all);
            self.changes.fetch_add(1, Ordering::AcqRel) + 1
        };
        cache.record(seq, change);
    }

    /// The points that pass `filter` and the sequence number of the last change they include.
    fn snapshot(&self, filter: &MapFilter) -> (Vec<MapPoint>, u64) {
        let all = self.all.read();
        let points = all
            .points()
            .filter(|p| filter.matches(p))
            .copied()
            .collect();
        (points, self.changes.load(Ordering::Acquire))
    }

    /// Builds the hierarchy of `filter` (registered as build `id`), brings it up to date with
    /// the changes made meanwhile and caches it.
    fn build_filtered(&self, id: u64, filter: MapFilter) -> Shared {
        let mut pending = Pending {
            state: self,
            id,
            armed: true,
        };
        let (points, seen) = self.snapshot(&filter);
        let mut index = ClusterIndex::build(points, self.params);
        let mut cache = self.cache.lock();
        pending.armed = false;
        for change in cache.finish(id, seen) {
            change.apply(&filter, &mut index);
        }
        let index = Arc::new(RwLock::new(index));
        cache.remember(filter, index.clone(), self.limits.cached);
        index
    }
}

/// A registered build; unregistered if it ends without finishing (its changes are dropped).
struct Pending<'a> {
    state: &'a State,
    id: u64,
    armed: bool,
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.state.cache.lock().finish(self.id, u64::MAX);
        }
    }
}

async fn wait_for(mut done: watch::Receiver<Option<Shared>>) -> Result<Shared, TileError> {
    let index = done
        .wait_for(Option::is_some)
        .await
        .map_err(|_| TileError::BuildFailed)?;
    index.clone().ok_or(TileError::BuildFailed)
}

fn needs_rebuild(index: &ClusterIndex) -> bool {
    index.unsorted() > 1000.max(index.len() / 50)
}

/// Seconds a client is asked to wait when every build slot is taken.
const RETRY_AFTER_SECS: u32 = 2;

/// Margin around a tile, in pixels of a 512 px tile, so markers on the edge are drawn whole.
const BUFFER_PX: f64 = 64.0;

#[cfg(test)]
mod tests;
