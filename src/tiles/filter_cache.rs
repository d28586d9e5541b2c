//! The filtered hierarchies of the incident layer: an LRU of those in use, and the builds
//! in flight, each with the changes made to the map since its copy of the points was taken
//! (replayed onto it when it is done, so a build never needs the lock changes take).

use super::filter::MapFilter;
use crate::spatial::{ClusterIndex, MapPoint};
use parking_lot::RwLock;
use std::sync::Arc;
use tokio::sync::watch;

/// A hierarchy shared by the tiles that read it and the changes that keep it current.
pub(super) type Shared = Arc<RwLock<ClusterIndex>>;

/// A change to the map, as applied to the full hierarchy and to every filtered one.
#[derive(Debug, Clone, Copy)]
pub(super) enum Change {
    Insert(MapPoint),
    Status { point: MapPoint, status: u8 },
}

impl Change {
    /// Applies the change to a hierarchy of the incidents that pass `filter`.
    pub(super) fn apply(self, filter: &MapFilter, index: &mut ClusterIndex) {
        match self {
            Change::Insert(point) => {
                if filter.matches(&point) {
                    index.insert(point);
                }
            }
            Change::Status { point, status } => {
                let after = MapPoint { status, ..point };
                match (filter.matches(&point), filter.matches(&after)) {
                    (true, true) => {
                        index.set_status(&point.tracking, point.x, point.y, status);
                    }
                    (true, false) => {
                        index.remove(&point.tracking, point.x, point.y);
                    }
                    (false, true) => index.insert(after),
                    (false, false) => {}
                }
            }
        }
    }
}

/// A build in flight.
pub(super) struct Building {
    pub id: u64,
    /// `None` for a rebuild of the full hierarchy.
    pub filter: Option<MapFilter>,
    /// Changes since the build registered, with their sequence numbers.
    pub missed: Vec<(u64, Change)>,
    /// Tells the requests waiting for this filter that it is in the cache.
    pub done: Option<watch::Receiver<Option<Shared>>>,
}

/// The filtered hierarchies in use and the builds in flight.
#[derive(Default)]
pub(super) struct FilterCache {
    /// Most recently used last.
    entries: Vec<(MapFilter, Shared)>,
    building: Vec<Building>,
    next_id: u64,
}

impl FilterCache {
    /// The cached hierarchy of `filter`, marked as just used.
    pub fn get(&mut self, filter: &MapFilter) -> Option<Shared> {
        let at = self.entries.iter().position(|(f, _)| f == filter)?;
        let entry = self.entries.remove(at);
        let index = entry.1.clone();
        self.entries.push(entry);
        Some(index)
    }

    /// Where to wait for a build of `filter` already in flight.
    pub fn in_flight(&self, filter: &MapFilter) -> Option<watch::Receiver<Option<Shared>>> {
        self.building
            .iter()
            .find(|b| b.filter.as_ref() == Some(filter))
            .and_then(|b| b.done.clone())
    }

    /// Registers a build; changes from now on are kept for it.
    pub fn register(
        &mut self,
        filter: Option<MapFilter>,
        done: Option<watch::Receiver<Option<Shared>>>,
    ) -> u64 {
        self.next_id += 1;
        self.building.push(Building {
            id: self.next_id,
            filter,
            missed: Vec::new(),
            done,
        });
        self.next_id
    }

    /// Ends a build: the changes it missed after sequence number `seen`.
    pub fn finish(&mut self, id: u64, seen: u64) -> Vec<Change> {
        let Some(at) = self.building.iter().position(|b| b.id == id) else {
            return Vec::new();
        };
        self.building
            .swap_remove(at)
            .missed
            .into_iter()
            .filter(|(seq, _)| *seq > seen)
            .map(|(_, change)| change)
            .collect()
    }

    /// Keeps `change` (sequence number `seq`) for the builds in flight and applies it to
    /// every cached hierarchy.
    pub fn record(&mut self, seq: u64, change: Change) {
        for building in &mut self.building {
            building.missed.push((seq, change));
        }
        for (filter, index) in &self.entries {
            change.apply(filter, &mut index.write());
        }
    }

    /// Adds a built hierarchy, dropping the least recently used past `capacity`.
    pub fn remember(&mut self, filter: MapFilter, index: Shared, capacity: usize) {
        self.entries.retain(|(f, _)| *f != filter);
        while !self.entries.is_empty() && self.entries.len() >= capacity {
            self.entries.remove(0);
        }
        if capacity > 0 {
            self.entries.push((filter, index));
        }
    }

    /// Drops the cached hierarchies `stale` says need a rebuild (it happens on next use).
    pub fn drop_where(&mut self, stale: impl Fn(&ClusterIndex) -> bool) {
        self.entries.retain(|(_, index)| !stale(&index.read()));
    }

    /// How many filtered hierarchies are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}
