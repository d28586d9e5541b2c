//! The incident layer's hierarchies kept current through changes and filter builds.

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

async fn total(layer: &IncidentLayer, filter: &MapFilter) -> u64 {
    let index = layer.index_for(filter).await.unwrap();
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

#[tokio::test]
async fn many_additions_are_put_in_order_by_a_rebuild_and_filters_stay_current() {
    let layer = IncidentLayer::build(
        (0..500).map(point).collect(),
        LayerCatalog::default(),
        ClusterParams::default(),
    );
    let new_only = MapFilter::new(vec![], vec![0], vec![], None);
    assert_eq!(total(&layer, &new_only).await, 500);
    for i in 500..2600 {
        layer.insert(point(i));
    }
    // The cached filtered map got every addition too.
    assert_eq!(total(&layer, &new_only).await, 2600);
    assert_eq!(layer.state.all.read().unsorted(), 2100);
    layer.rebuild_if_needed();
    assert_eq!(layer.state.all.read().unsorted(), 0);
    assert_eq!(total(&layer, &MapFilter::default()).await, 2600);
    // A status change moves an incident out of the filtered map.
    layer.set_status(point(7), 3);
    assert_eq!(total(&layer, &new_only).await, 2599);
    assert_eq!(total(&layer, &MapFilter::default()).await, 2600);
}

#[tokio::test]
async fn a_build_misses_no_change_made_while_it_runs() {
    let layer = IncidentLayer::build(
        (0..500).map(point).collect(),
        LayerCatalog::default(),
        ClusterParams::default(),
    );
    let new_only = MapFilter::new(vec![], vec![0], vec![], None);
    // Registered, its points copied, then the map changes before it is cached.
    let id = layer
        .state
        .cache
        .lock()
        .register(Some(new_only.clone()), None);
    let (points, seen) = layer.state.snapshot(&new_only);
    layer.insert(point(500));
    layer.set_status(point(3), 2);
    layer.set_status(point(4), 2);
    let mut index = ClusterIndex::build(points, layer.state.params);
    for change in layer.state.cache.lock().finish(id, seen) {
        change.apply(&new_only, &mut index);
    }
    assert_eq!(index.points().count(), 499);
    // And the real path: a build on the blocking pool gets the same.
    assert_eq!(total(&layer, &new_only).await, 499);
    assert_eq!(layer.filter_builds(), 1);
}

#[tokio::test]
async fn builds_past_the_bound_are_told_to_retry_and_equal_filters_share_one() {
    let limits = FilterLimits {
        cached: 2,
        concurrent_builds: 1,
        wait: Duration::from_millis(10),
    };
    let layer = IncidentLayer::build_with(
        (0..500).map(point).collect(),
        LayerCatalog::default(),
        ClusterParams::default(),
        limits,
    );
    let coord = TileCoord::new(0, 0, 0).unwrap();
    let today = 10;
    // Every slot taken (as by a long build): the request is refused, not queued.
    let held = layer.build_slots.clone().try_acquire_owned().unwrap();
    let open = MapFilter::new(vec![], vec![0], vec![], None);
    assert!(matches!(
        layer.tile(coord, &open, today).await,
        Err(TileError::Busy { .. })
    ));
    // The full map needs no build.
    assert!(layer
        .tile(coord, &MapFilter::default(), today)
        .await
        .is_ok());
    drop(held);
    assert!(layer.tile(coord, &open, today).await.is_ok());
    // Future days are one filter: one build for all of them; days before the oldest
    // incident are the full map: none.
    for day in [11, 12, 400, i32::MAX, -5, 0] {
        let since = MapFilter::new(vec![], vec![], vec![], Some(day));
        assert!(layer.tile(coord, &since, today).await.is_ok());
    }
    assert_eq!(layer.filter_builds(), 2);
    // The LRU keeps its size.
    for status in 1..5 {
        let filter = MapFilter::new(vec![], vec![status], vec![], None);
        assert!(layer.tile(coord, &filter, today).await.is_ok());
    }
    assert_eq!(layer.cached_filters(), 2);
}
