//! Changes to a built index, applied in place along the chain of parents: a new point, a
//! status change, a point taken off the map.

use super::*;

impl ClusterIndex {
    /// Adds a point: it joins the nearest item within the radius at the highest zoom where
    /// there is one, and every item below that.
    pub fn insert(&mut self, point: MapPoint) {
        let index = self.points.len() as u32;
        self.points.push(point);
        self.point_parent.push(NONE);
        let mut child: Option<(u8, u32)> = None;
        for z in (self.params.min_zoom..=self.params.max_zoom).rev() {
            let joined = self.nearest_within(z, point.x, point.y);
            let node = joined.unwrap_or_else(|| {
                let level = self.level_mut(z);
                level.nodes.push(Node {
                    x: point.x,
                    y: point.y,
                    count: 1,
                    item: index,
                    parent: NONE,
                });
                (level.nodes.len() - 1) as u32
            });
            match child {
                None => self.point_parent[index as usize] = node,
                Some((cz, cn)) => self.level_mut(cz).nodes[cn as usize].parent = node,
            }
            if joined.is_some() {
                let facets: Vec<(u8, i32)> = point.facets().collect();
                self.apply_along_chain(z, node, 1, &facets);
                return;
            }
            child = Some((z, node));
        }
    }

    /// Changes the status of the point at `tracking` (found at its position).
    pub fn set_status(&mut self, tracking: &[u8; 8], x: u32, y: u32, status: u8) -> bool {
        let Some(i) = self.find(tracking, x, y) else {
            return false;
        };
        let old = self.points[i].status;
        if old == status {
            return true;
        }
        self.points[i].status = status;
        let top = self.point_parent[i];
        self.apply_along_chain(self.params.max_zoom, top, 0, &[(old, -1), (status, 1)]);
        true
    }

    /// Takes the point at `tracking` off the map (it no longer matches this index's filter).
    pub fn remove(&mut self, tracking: &[u8; 8], x: u32, y: u32) -> bool {
        let Some(i) = self.find(tracking, x, y) else {
            return false;
        };
        let negative: Vec<(u8, i32)> = self.points[i].facets().map(|(k, n)| (k, -n)).collect();
        let top = self.point_parent[i];
        self.apply_along_chain(self.params.max_zoom, top, -1, &negative);
        // Kept in the array (indices and k-d order stay valid) but in no tile.
        self.points[i].status = REMOVED;
        true
    }

    fn find(&self, tracking: &[u8; 8], x: u32, y: u32) -> Option<usize> {
        let matches =
            |i: usize| &self.points[i].tracking == tracking && self.points[i].status != REMOVED;
        let mut found = None;
        kd::range(&self.points[..self.points_sorted], (x, y), (x, y), |i| {
            if matches(i) {
                found = Some(i);
            }
        });
        found.or_else(|| (self.points_sorted..self.points.len()).find(|&i| matches(i)))
    }

    fn level_mut(&mut self, z: u8) -> &mut Level {
        &mut self.levels[usize::from(z - self.params.min_zoom)]
    }

    fn nearest_within(&self, z: u8, x: u32, y: u32) -> Option<u32> {
        let r = self.radius(z);
        let level = &self.levels[usize::from(z - self.params.min_zoom)];
        let mut best: Option<(f64, u32)> = None;
        let mut consider = |i: usize| {
            let node = &level.nodes[i];
            let d = distance2(node, x, y);
            if node.count > 0 && d <= r * r && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, i as u32));
            }
        };
        let (min, max) = around(x, y, r);
        kd::range(&level.nodes[..level.sorted_len], min, max, &mut consider);
        (level.sorted_len..level.nodes.len()).for_each(consider);
        best.map(|(_, i)| i)
    }

    /// Applies a change of `count` and of facets to node `n` of zoom `z` and to every node
    /// below it. A cluster formed at a higher zoom is copied before it changes, since its
    /// upper nodes do not contain what changed; a single point that gains one becomes a
    /// cluster.
    fn apply_along_chain(&mut self, mut z: u8, mut n: u32, count: i32, deltas: &[(u8, i32)]) {
        // An item replaced on the way, so its pass-through copies below follow.
        let mut replaced: Option<(u32, u32)> = None;
        loop {
            let node = self.levels[usize::from(z - self.params.min_zoom)].nodes[n as usize];
            let mut item = node.item;
            match replaced {
                Some((old, new)) if item == old => item = new,
                _ if item & CLUSTER_BIT != 0 => {
                    let cluster = item & !CLUSTER_BIT;
                    let target = if self.clusters[cluster as usize].top_zoom > z {
                        self.fork_cluster(cluster, z)
                    } else {
                        cluster
                    };
                    self.change_facets(target, deltas);
                    replaced = Some((item, CLUSTER_BIT | target));
                    item = CLUSTER_BIT | target;
                }
                _ if count > 0 => {
                    // A single point gaining a neighbour.
                    let mut scratch = FacetScratch::default();
                    for (key, k) in self.points[item as usize]
                        .facets()
                        .chain(deltas.iter().copied())
                    {
                        scratch.add(key, k);
                    }
                    let cluster = self.new_cluster(&scratch, z + 1, z);
                    replaced = Some((item, CLUSTER_BIT | cluster));
                    item = CLUSTER_BIT | cluster;
                }
                _ => {}
            }
            let node = &mut self.levels[usize::from(z - self.params.min_zoom)].nodes[n as usize];
            node.item = item;
            node.count = node.count.saturating_add_signed(count);
            if z == self.params.min_zoom || node.parent == NONE {
                return;
            }
            n = node.parent;
            z -= 1;
        }
    }

    fn fork_cluster(&mut self, cluster: u32, top_zoom: u8) -> u32 {
        let mut scratch = FacetScratch::default();
        for &(key, n) in self.cluster_facets(cluster) {
            scratch.add(key, n as i32);
        }
        let expansion_zoom = self.clusters[cluster as usize].expansion_zoom;
        self.new_cluster(&scratch, expansion_zoom, top_zoom)
    }

    fn change_facets(&mut self, cluster: u32, deltas: &[(u8, i32)]) {
        for &(key, delta) in deltas {
            let info = self.clusters[cluster as usize];
            let range =
                info.facet_start as usize..info.facet_start as usize + usize::from(info.facet_len);
            if let Some(entry) = self.facets[range.clone()]
                .iter_mut()
                .find(|(k, _)| *k == key)
            {
                entry.1 = entry.1.saturating_add_signed(delta);
            } else if delta > 0 {
                // No room in place: move the facets to the end with the new key.
                let moved: Vec<(u8, u32)> = self.facets[range].to_vec();
                let facet_start = self.facets.len() as u32;
                self.facets.extend(moved);
                self.facets.push((key, delta as u32));
                let info = &mut self.clusters[cluster as usize];
                info.facet_start = facet_start;
                info.facet_len += 1;
            }
        }
    }
}
