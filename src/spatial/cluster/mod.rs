//! The hierarchical cluster index behind the incident tiles (the idea of Mapbox's
//! supercluster): for every zoom level from `max_zoom` down to `min_zoom`, the items of the
//! level above are merged greedily with their neighbours within a pixel radius. Every
//! cluster keeps its count and a breakdown by status and category, so the map can colour
//! and size it and a tile never needs the points beneath it.
//!
//! Positions are `u32` fixed-point Web Mercator (2^32 units across the world: exact to a
//! 4096-unit tile extent at zoom 20). Each level is one array in k-d order ([`kd`]).
//! Changes are applied in place along the chain of parents (see [`ClusterIndex::insert`],
//! [`ClusterIndex::set_status`], [`ClusterIndex::remove`]); items added after the build sit
//! in a short unsorted tail until the next rebuild.

mod dense;
mod kd;
mod update;

use kd::Positioned;

/// How points are clustered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterParams {
    pub min_zoom: u8,
    /// The highest zoom with clusters; above it every incident is its own feature.
    pub max_zoom: u8,
    /// Cluster radius, in pixels of a tile `extent_px` wide.
    pub radius_px: f64,
    pub extent_px: f64,
}

impl Default for ClusterParams {
    fn default() -> Self {
        Self {
            min_zoom: 0,
            max_zoom: 16,
            radius_px: 60.0,
            extent_px: 512.0,
        }
    }
}

/// An incident as the map knows it: 24 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapPoint {
    pub x: u32,
    pub y: u32,
    /// The tracking number's 8 characters.
    pub tracking: [u8; 8],
    /// Days since 1970-01-01 of the report.
    pub created_day: i32,
    /// Index in `Status::ALL`.
    pub status: u8,
    /// Index in the jurisdiction's category list.
    pub category: u8,
    pub priority: u8,
    pub department: u8,
}

impl Positioned for MapPoint {
    fn xy(&self) -> (u32, u32) {
        (self.x, self.y)
    }
}

/// Facet keys: statuses below this, categories from it.
pub const CATEGORY_KEY_BASE: u8 = 16;

/// The facet key of a category index; `None` past the last one a key can name (the
/// incident still counts, its category is just not broken out).
pub fn category_key(category: u8) -> Option<u8> {
    CATEGORY_KEY_BASE.checked_add(category)
}

/// The status of a point taken off the map; it stays in the array until a rebuild.
const REMOVED: u8 = u8::MAX;

impl MapPoint {
    fn facets(&self) -> impl Iterator<Item = (u8, i32)> {
        std::iter::once((self.status, 1)).chain(category_key(self.category).map(|k| (k, 1)))
    }
}

/// One feature of a tile.
#[derive(Debug, Clone, PartialEq)]
pub enum TileItem<'a> {
    Point(&'a MapPoint),
    Cluster {
        x: u32,
        y: u32,
        count: u32,
        /// The zoom at which the cluster breaks apart.
        expansion_zoom: u8,
        /// (key, count): statuses below [`CATEGORY_KEY_BASE`], categories from it.
        facets: Vec<(u8, u32)>,
    },
}

const CLUSTER_BIT: u32 = 1 << 31;
const NONE: u32 = u32::MAX;

/// An item of a level: a single incident or a cluster.
#[derive(Debug, Clone, Copy)]
struct Node {
    x: u32,
    y: u32,
    count: u32,
    /// A point index, or `CLUSTER_BIT | cluster index`.
    item: u32,
    /// The node of the next lower zoom that contains this one.
    parent: u32,
}

impl Positioned for Node {
    fn xy(&self) -> (u32, u32) {
        (self.x, self.y)
    }
}

#[derive(Debug, Clone, Copy)]
struct ClusterInfo {
    facet_start: u32,
    facet_len: u16,
    expansion_zoom: u8,
    /// The highest zoom at which this cluster appears (where it was formed).
    top_zoom: u8,
}

#[derive(Debug, Default)]
struct Level {
    nodes: Vec<Node>,
    /// Nodes before this index are in k-d order; the rest were added since.
    sorted_len: usize,
}

/// The clustered incidents of one filter (or of all).
#[derive(Debug)]
pub struct ClusterIndex {
    params: ClusterParams,
    points: Vec<MapPoint>,
    points_sorted: usize,
    /// For each point, its node at `max_zoom`.
    point_parent: Vec<u32>,
    /// `levels[z - min_zoom]`.
    levels: Vec<Level>,
    clusters: Vec<ClusterInfo>,
    facets: Vec<(u8, u32)>,
}

/// Converts longitude/latitude to fixed-point Web Mercator.
pub fn mercator(lon: f64, lat: f64) -> (u32, u32) {
    const WORLD: f64 = 4_294_967_296.0;
    let lat = lat.clamp(-85.051_128_78, 85.051_128_78).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y =
        0.5 - (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln() / (2.0 * std::f64::consts::PI);
    let fixed = |v: f64| (v * WORLD).clamp(0.0, WORLD - 1.0) as u32;
    (fixed(x), fixed(y))
}

impl ClusterIndex {
    /// Clusters `points` at every zoom.
    pub fn build(mut points: Vec<MapPoint>, params: ClusterParams) -> Self {
        kd::sort(&mut points);
        let mut index = Self {
            params,
            points_sorted: points.len(),
            point_parent: vec![NONE; points.len()],
            levels: (params.min_zoom..=params.max_zoom)
                .map(|_| Level::default())
                .collect(),
            clusters: Vec::new(),
            facets: Vec::new(),
            points,
        };
        let mut input: Vec<Node> = index
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| Node {
                x: p.x,
                y: p.y,
                count: 1,
                item: i as u32,
                parent: NONE,
            })
            .collect();
        let mut scratch = FacetScratch::default();
        for z in (params.min_zoom..=params.max_zoom).rev() {
            let (nodes, parents) = index.cluster_level(&input, z, &mut scratch);
            if z == params.max_zoom {
                index.point_parent = parents;
            } else {
                let above = &mut index.levels[usize::from(z + 1 - params.min_zoom)].nodes;
                for (node, parent) in above.iter_mut().zip(parents) {
                    node.parent = parent;
                }
            }
            input.clone_from(&nodes);
            let level = &mut index.levels[usize::from(z - params.min_zoom)];
            level.sorted_len = nodes.len();
            level.nodes = nodes;
        }
        index
    }

    /// Cluster radius at zoom `z`, in fixed-point units.
    fn radius(&self, z: u8) -> f64 {
        self.params.radius_px / self.params.extent_px * 4_294_967_296.0 / f64::from(1u32 << z)
    }

    /// Merges `input` (the level above, in k-d order) into the nodes of zoom `z`; returns
    /// them in k-d order with, for each input node, the index of its node at `z`.
    fn cluster_level(
        &mut self,
        input: &[Node],
        z: u8,
        scratch: &mut FacetScratch,
    ) -> (Vec<Node>, Vec<u32>) {
        let r = self.radius(z);
        let mut assigned = vec![NONE; input.len()];
        let mut out: Vec<Node> = Vec::with_capacity(input.len() / 2);
        let mut neighbours = Vec::new();
        for i in 0..input.len() {
            if assigned[i] != NONE {
                continue;
            }
            let a = input[i];
            let slot = out.len() as u32;
            assigned[i] = slot;
            neighbours.clear();
            let (min, max) = around(a.x, a.y, r);
            kd::range(input, min, max, |j| {
                if assigned[j] == NONE && within(&input[j], a.x, a.y, r) {
                    neighbours.push(j);
                }
            });
            if neighbours.is_empty() {
                out.push(Node { parent: NONE, ..a });
                continue;
            }
            let (mut sx, mut sy, mut count) = (
                a.x as f64 * a.count as f64,
                a.y as f64 * a.count as f64,
                a.count,
            );
            scratch.clear();
            self.add_node_facets(&a, scratch);
            for &j in &neighbours {
                let b = input[j];
                assigned[j] = slot;
                sx += b.x as f64 * b.count as f64;
                sy += b.y as f64 * b.count as f64;
                count += b.count;
                self.add_node_facets(&b, scratch);
            }
            let cluster = self.new_cluster(scratch, z + 1, z);
            let (x, y) = ((sx / count as f64) as u32, (sy / count as f64) as u32);
            out.push(Node {
                x,
                y,
                count,
                item: CLUSTER_BIT | cluster,
                parent: NONE,
            });
        }
        // Put the level in k-d order and renumber the parent links to match.
        let mut tagged: Vec<Tagged> = out
            .into_iter()
            .enumerate()
            .map(|(i, node)| Tagged(node, i as u32))
            .collect();
        kd::sort(&mut tagged);
        let mut new_index = vec![0u32; tagged.len()];
        for (position, Tagged(_, original)) in tagged.iter().enumerate() {
            new_index[*original as usize] = position as u32;
        }
        let parents = assigned
            .into_iter()
            .map(|a| new_index[a as usize])
            .collect();
        (
            tagged.into_iter().map(|Tagged(node, _)| node).collect(),
            parents,
        )
    }

    fn add_node_facets(&self, node: &Node, scratch: &mut FacetScratch) {
        if node.item & CLUSTER_BIT == 0 {
            for (key, n) in self.points[node.item as usize].facets() {
                scratch.add(key, n);
            }
        } else {
            for &(key, n) in self.cluster_facets(node.item & !CLUSTER_BIT) {
                scratch.add(key, n as i32);
            }
        }
    }

    fn new_cluster(&mut self, scratch: &FacetScratch, expansion_zoom: u8, top_zoom: u8) -> u32 {
        let facet_start = self.facets.len() as u32;
        self.facets.extend(scratch.entries());
        let facet_len = (self.facets.len() as u32 - facet_start) as u16;
        self.clusters.push(ClusterInfo {
            facet_start,
            facet_len,
            expansion_zoom,
            top_zoom,
        });
        (self.clusters.len() - 1) as u32
    }

    fn cluster_facets(&self, cluster: u32) -> &[(u8, u32)] {
        let info = self.clusters[cluster as usize];
        &self.facets[info.facet_start as usize..][..usize::from(info.facet_len)]
    }

    /// The features of tile `z/x/y`, with a margin of `buffer_px` pixels around it.
    pub fn tile(&self, z: u8, x: u32, y: u32, buffer_px: f64) -> Vec<TileItem<'_>> {
        // Half-open tiles: a point on the line between two tiles belongs to one of them.
        let size = 1i64 << (32 - u32::from(z.min(32)));
        let buffer = (size as f64 * buffer_px / self.params.extent_px) as i64;
        let clamp = |v: i64| v.clamp(0, i64::from(u32::MAX)) as u32;
        let (x, y) = (i64::from(x), i64::from(y));
        let min = (clamp(x * size - buffer), clamp(y * size - buffer));
        let max = (
            clamp((x + 1) * size - 1 + buffer),
            clamp((y + 1) * size - 1 + buffer),
        );
        let mut items = Vec::new();
        if z > self.params.max_zoom {
            let mut points = Vec::new();
            let mut take = |i: usize| {
                if self.points[i].status != REMOVED {
                    points.push(&self.points[i]);
                }
            };
            kd::range(&self.points[..self.points_sorted], min, max, &mut take);
            for i in self.points_sorted..self.points.len() {
                if in_box(self.points[i].xy(), min, max) {
                    take(i);
                }
            }
            return dense::points_or_cells(points, z, (x * size, y * size), size);
        }
        let level = &self.levels[usize::from(z.max(self.params.min_zoom) - self.params.min_zoom)];
        let mut take = |i: usize| {
            let node = level.nodes[i];
            if node.count == 0 {
                return;
            }
            items.push(if node.item & CLUSTER_BIT == 0 {
                TileItem::Point(&self.points[node.item as usize])
            } else {
                let cluster = node.item & !CLUSTER_BIT;
                TileItem::Cluster {
                    x: node.x,
                    y: node.y,
                    count: node.count,
                    expansion_zoom: self.clusters[cluster as usize].expansion_zoom,
                    facets: self
                        .cluster_facets(cluster)
                        .iter()
                        .copied()
                        .filter(|(_, n)| *n > 0)
                        .collect(),
                }
            });
        };
        kd::range(&level.nodes[..level.sorted_len], min, max, &mut take);
        for i in level.sorted_len..level.nodes.len() {
            if in_box(level.nodes[i].xy(), min, max) {
                take(i);
            }
        }
        items
    }

    /// How many points the index holds (removed ones included until the next rebuild).
    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Points added since the build, which a rebuild would put in order.
    pub fn unsorted(&self) -> usize {
        self.points.len() - self.points_sorted
    }

    /// Every point still on the map, for a rebuild.
    pub fn points(&self) -> impl Iterator<Item = &MapPoint> {
        self.points.iter().filter(|p| p.status != REMOVED)
    }

    /// Bytes held by the index's arrays.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.points.capacity() * size_of::<MapPoint>()
            + self.point_parent.capacity() * 4
            + self
                .levels
                .iter()
                .map(|l| l.nodes.capacity() * size_of::<Node>())
                .sum::<usize>()
            + self.clusters.capacity() * size_of::<ClusterInfo>()
            + self.facets.capacity() * size_of::<(u8, u32)>()
    }
}

/// A node with its position before k-d sorting.
struct Tagged(Node, u32);

impl Positioned for Tagged {
    fn xy(&self) -> (u32, u32) {
        self.0.xy()
    }
}

/// Facet counts while a cluster is put together; 256 keys, reset cheaply.
struct FacetScratch {
    counts: [i64; 256],
    touched: Vec<u8>,
}

impl Default for FacetScratch {
    fn default() -> Self {
        Self {
            counts: [0; 256],
            touched: Vec::new(),
        }
    }
}

impl FacetScratch {
    fn add(&mut self, key: u8, n: i32) {
        if self.counts[usize::from(key)] == 0 && !self.touched.contains(&key) {
            self.touched.push(key);
        }
        self.counts[usize::from(key)] += i64::from(n);
    }

    fn clear(&mut self) {
        for &key in &self.touched {
            self.counts[usize::from(key)] = 0;
        }
        self.touched.clear();
    }

    fn entries(&self) -> impl Iterator<Item = (u8, u32)> + '_ {
        self.touched
            .iter()
            .map(|&k| (k, self.counts[usize::from(k)].max(0) as u32))
    }
}

fn around(x: u32, y: u32, r: f64) -> ((u32, u32), (u32, u32)) {
    let lo = |v: u32| (v as f64 - r).max(0.0) as u32;
    let hi = |v: u32| (v as f64 + r).min(u32::MAX as f64) as u32;
    ((lo(x), lo(y)), (hi(x), hi(y)))
}

fn distance2(node: &Node, x: u32, y: u32) -> f64 {
    let dx = node.x as f64 - x as f64;
    let dy = node.y as f64 - y as f64;
    dx * dx + dy * dy
}

fn within(node: &Node, x: u32, y: u32, r: f64) -> bool {
    distance2(node, x, y) <= r * r
}

fn in_box((x, y): (u32, u32), min: (u32, u32), max: (u32, u32)) -> bool {
    x >= min.0 && x <= max.0 && y >= min.1 && y <= max.1
}

#[cfg(test)]
mod tests;
