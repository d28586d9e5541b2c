//! The incident layer: one cluster hierarchy of every incident, and hierarchies for the
//! filters in use, built on first use, kept in a small LRU and updated in place with
//! every change, so a new or changed incident is in the very next tile.

use super::filter::MapFilter;
use super::mvt_encode::encode_incidents;
use super::{Tile, TileCoord};
use crate::domain::{Priority, Status};
use crate::spatial::{mercator, ClusterIndex, ClusterParams, MapPoint};
use crate::store::MapRow;
use chrono::{DateTime, Utc};
use parking_lot::{Mutex, RwLock};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// How many filtered hierarchies are kept.
const FILTER_CACHE: usize = 16;

/// Names of what map points refer to by index.
#[derive(Debug, Clone, Default)]
pub struct LayerCatalog {
    /// Category codes, by a point's `category` index.
    pub categories: Vec<String>,
    /// Department codes, by a point's `department` index.
    pub departments: Vec<String>,
}

impl LayerCatalog {
    pub fn category_index(&self, code: &str) -> Option<u8> {
        self.categories
            .iter()
            .position(|c| c == code)
            .and_then(|i| u8::try_from(i).ok())
    }

    pub fn department_index(&self, code: &str) -> Option<u8> {
        self.departments
            .iter()
            .position(|c| c == code)
            .and_then(|i| u8::try_from(i).ok())
    }

    /// The map's view of an incident. Unknown categories or departments (added since the
    /// layer was built) get an index no filter names.
    pub fn point(&self, row: &MapRow) -> MapPoint {
        let (x, y) = mercator(row.location.lon(), row.location.lat());
        let mut tracking = [0u8; 8];
        tracking.copy_from_slice(row.tracking_number.as_str().as_bytes());
        let index_of =
            |all: &[Status], s: Status| all.iter().position(|a| *a == s).unwrap_or(0) as u8;
        MapPoint {
            x,
            y,
            tracking,
            created_day: day_number(row.created_at),
            status: index_of(Status::ALL, row.status),
            category: self.category_index(&row.category).unwrap_or(u8::MAX),
            priority: Priority::ALL
                .iter()
                .position(|p| *p == row.priority)
                .unwrap_or(1) as u8,
            department: self.department_index(&row.department).unwrap_or(u8::MAX),
        }
    }
}

/// Days since 1970-01-01.
pub fn day_number(at: DateTime<Utc>) -> i32 {
    at.timestamp().div_euclid(86_400) as i32
}

type Shared = Arc<RwLock<ClusterIndex>>;

/// Every incident on the map, clustered, per filter.
pub struct IncidentLayer {
    params: ClusterParams,
    catalog: LayerCatalog,
    all: Shared,
    /// Most recently used last.
    filtered: Mutex<Vec<(MapFilter, Shared)>>,
    /// Counts changes to the map; bumped under the cache lock.
    changes: AtomicU64,
}

impl IncidentLayer {
    pub fn build(points: Vec<MapPoint>, catalog: LayerCatalog, params: ClusterParams) -> Self {
        Self {
            all: Arc::new(RwLock::new(ClusterIndex::build(points, params))),
            params,
            catalog,
            filtered: Mutex::new(Vec::new()),
            changes: AtomicU64::new(0),
        }
    }

    pub fn catalog(&self) -> &LayerCatalog {
        &self.catalog
    }

    /// The tile `coord` of the incidents that pass `filter`.
    pub fn tile(
        &self,
        coord: TileCoord,
        filter: &MapFilter,
        today: i32,
    ) -> Result<Tile, mvt::Error> {
        let index = self.index_for(filter);
        let index = index.read();
        let items = index.tile(coord.z, coord.x, coord.y, BUFFER_PX);
        Ok(Tile::new(encode_incidents(
            coord,
            &items,
            &self.catalog.categories,
            today,
        )?))
    }

    fn index_for(&self, filter: &MapFilter) -> Shared {
        if filter.is_everything() {
            return self.all.clone();
        }
        if let Some(index) = self.cached(&mut self.filtered.lock(), filter) {
            return index;
        }
        // Built without holding the cache, so other maps keep answering meanwhile. A change
        // to the map during the build would be missing from it: then build again, and at
        // last under the cache lock, which changes wait for.
        for _ in 0..2 {
            let version = self.changes.load(Ordering::Acquire);
            let built = self.build_filtered(filter);
            let mut cache = self.filtered.lock();
            if let Some(index) = self.cached(&mut cache, filter) {
                return index;
            }
            if self.changes.load(Ordering::Acquire) == version {
                return Self::remember(&mut cache, filter, built);
            }
        }
        let mut cache = self.filtered.lock();
        let built = self.build_filtered(filter);
        Self::remember(&mut cache, filter, built)
    }

    fn build_filtered(&self, filter: &MapFilter) -> ClusterIndex {
        let all = self.all.read();
        let points: Vec<MapPoint> = all
            .points()
            .filter(|p| filter.matches(p))
            .copied()
            .collect();
        drop(all);
        ClusterIndex::build(points, self.params)
    }

    /// The cached hierarchy of `filter`, marked as just used.
    fn cached(&self, cache: &mut Vec<(MapFilter, Shared)>, filter: &MapFilter) -> Option<Shared> {
        let at = cache.iter().position(|(f, _)| f == filter)?;
        let entry = cache.remove(at);
        let index = entry.1.clone();
        cache.push(entry);
        Some(index)
    }

    fn remember(
        cache: &mut Vec<(MapFilter, Shared)>,
        filter: &MapFilter,
        index: ClusterIndex,
    ) -> Shared {
        if cache.len() == FILTER_CACHE {
            cache.remove(0);
        }
        let index = Arc::new(RwLock::new(index));
        cache.push((filter.clone(), index.clone()));
        index
    }

    /// Puts a new incident on the map.
    pub fn insert(&self, point: MapPoint) {
        let cache = self.filtered.lock();
        self.changes.fetch_add(1, Ordering::AcqRel);
        self.all.write().insert(point);
        for (filter, index) in cache.iter() {
            if filter.matches(&point) {
                index.write().insert(point);
            }
        }
    }

    /// Changes an incident's status everywhere it shows, moving it in or out of filtered maps.
    pub fn set_status(&self, point: MapPoint, status: u8) {
        let cache = self.filtered.lock();
        self.changes.fetch_add(1, Ordering::AcqRel);
        self.all
            .write()
            .set_status(&point.tracking, point.x, point.y, status);
        let after = MapPoint { status, ..point };
        for (filter, index) in cache.iter() {
            let mut index = index.write();
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

    /// Rebuilds the full hierarchy when many incidents sit unsorted since the last build
    /// (their clusters are right in count but placed where they were first joined).
    pub fn rebuild_if_needed(&self) {
        let needed = {
            let all = self.all.read();
            all.unsorted() > 1000.max(all.len() / 50)
        };
        if needed {
            let mut cache = self.filtered.lock();
            self.changes.fetch_add(1, Ordering::AcqRel);
            let points: Vec<MapPoint> = self.all.read().points().copied().collect();
            let rebuilt = ClusterIndex::build(points, self.params);
            *self.all.write() = rebuilt;
            // Filtered maps are rebuilt (in order) on their next use.
            cache.clear();
        }
    }

    /// How many incidents the map holds.
    pub fn len(&self) -> usize {
        self.all.read().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Margin around a tile, in pixels of a 512 px tile, so markers on the edge are drawn whole.
const BUFFER_PX: f64 = 64.0;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spatial::{mercator, TileItem};

    fn point(i: u32) -> MapPoint {
        let (x, y) = mercator(
            23.55 + f64::from(i % 100) * 0.001,
            46.05 + f64::from(i / 100) * 0.001,
        );
        MapPoint {
            x,
            y,
            tracking: u64::from(i).to_le_bytes(),
            created_day: 0,
            status: 0,
            category: 0,
            priority: 1,
            department: 0,
        }
    }

    fn total(layer: &IncidentLayer, filter: &MapFilter) -> u64 {
        let index = layer.index_for(filter);
        let index = index.read();
        index
            .tile(0, 0, 0, 0.0)
            .iter()
            .map(|item| match item {
                TileItem::Point(_) => 1,
                TileItem::Cluster { count, .. } => u64::from(*count),
            })
            .sum()
    }

    #[test]
    fn many_additions_are_put_in_order_by_a_rebuild_and_filters_stay_current() {
        let layer = IncidentLayer::build(
            (0..500).map(point).collect(),
            LayerCatalog::default(),
            ClusterParams::default(),
        );
        let new_only = MapFilter::new(vec![], vec![0], vec![], None);
        assert_eq!(total(&layer, &new_only), 500);
        for i in 500..2600 {
            layer.insert(point(i));
        }
        // The cached filtered map got every addition too.
        assert_eq!(total(&layer, &new_only), 2600);
        assert_eq!(layer.all.read().unsorted(), 2100);
        layer.rebuild_if_needed();
        assert_eq!(layer.all.read().unsorted(), 0);
        assert_eq!(total(&layer, &MapFilter::default()), 2600);
        // A status change moves an incident out of the filtered map.
        layer.set_status(point(7), 3);
        assert_eq!(total(&layer, &new_only), 2599);
        assert_eq!(total(&layer, &MapFilter::default()), 2600);
    }
}
