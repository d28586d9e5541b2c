//! Open incidents in an R-tree, for "is it one of these?" suggestions near a new report.

use crate::domain::{CategoryCode, LonLat, OpenIncident};
use parking_lot::RwLock;
use rstar::{PointDistance, RTree, RTreeObject, AABB};

/// Metres per degree of latitude (and of longitude at the equator).
const METRES_PER_DEGREE: f64 = 111_320.0;

/// An equirectangular projection to metres around one latitude: within a city its
/// distances are off by well under 1 %, enough to walk the tree nearest first; the
/// distances we report are exact (haversine).
#[derive(Debug, Clone, Copy)]
struct LocalMetres {
    lon_scale: f64,
}

impl LocalMetres {
    fn around(latitude: f64) -> Self {
        Self {
            lon_scale: METRES_PER_DEGREE * latitude.to_radians().cos().max(0.01),
        }
    }

    fn project(self, p: LonLat) -> [f64; 2] {
        [p.lon() * self.lon_scale, p.lat() * METRES_PER_DEGREE]
    }
}

/// An open incident in the R-tree, at its projected position.
#[derive(Debug, Clone, PartialEq)]
struct Indexed {
    xy: [f64; 2],
    incident: OpenIncident,
}

impl RTreeObject for Indexed {
    type Envelope = AABB<[f64; 2]>;

    fn envelope(&self) -> Self::Envelope {
        AABB::from_point(self.xy)
    }
}

impl PointDistance for Indexed {
    fn distance_2(&self, point: &[f64; 2]) -> f64 {
        (self.xy[0] - point[0]).powi(2) + (self.xy[1] - point[1]).powi(2)
    }
}

/// An open incident near a point, with its distance.
#[derive(Debug, Clone, PartialEq)]
pub struct NearbyIncident {
    pub incident: OpenIncident,
    pub distance_m: f64,
}

/// The open incidents of the jurisdiction.
pub struct IncidentIndex {
    tree: RwLock<RTree<Indexed>>,
    projection: LocalMetres,
}

impl IncidentIndex {
    /// Builds the index from the open incidents in `incidents`, for a jurisdiction around
    /// `centre`.
    pub fn build(incidents: Vec<OpenIncident>, centre: LonLat) -> Self {
        let projection = LocalMetres::around(centre.lat());
        let open = incidents
            .into_iter()
            .filter(|i| i.status.is_open())
            .map(|incident| Indexed {
                xy: projection.project(incident.location),
                incident,
            })
            .collect();
        Self {
            tree: RwLock::new(RTree::bulk_load(open)),
            projection,
        }
    }

    /// Adds a new incident (ignored unless it is open).
    pub fn insert(&self, incident: OpenIncident) {
        if incident.status.is_open() {
            let xy = self.projection.project(incident.location);
            self.tree.write().insert(Indexed { xy, incident });
        }
    }

    /// Open incidents within `radius_m` of `centre`, nearest first, optionally of one
    /// category. Walks the tree nearest first and stops at `limit` or past the radius, so
    /// the cost does not grow with the number of incidents around.
    pub fn nearby_open(
        &self,
        centre: LonLat,
        radius_m: f64,
        category: Option<&CategoryCode>,
        limit: usize,
    ) -> Vec<NearbyIncident> {
        // Past this projected distance nothing can be within the radius any more.
        let horizon_m = radius_m * 1.01 + 1.0;
        let tree = self.tree.read();
        let mut found: Vec<NearbyIncident> = tree
            .nearest_neighbor_iter_with_distance_2(&self.projection.project(centre))
            .take_while(|(_, d2)| d2.sqrt() <= horizon_m)
            .map(|(indexed, _)| &indexed.incident)
            .filter(|i| category.is_none_or(|c| &i.category == c))
            .map(|i| NearbyIncident {
                distance_m: centre.distance_m(i.location),
                incident: i.clone(),
            })
            .filter(|n| n.distance_m <= radius_m)
            .take(limit)
            .collect();
        found.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
        found
    }

    /// How many open incidents are indexed.
    pub fn len(&self) -> usize {
        self.tree.read().size()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{IncidentId, Status, TrackingNumber};
    use chrono::Utc;

    fn incident(n: u8, category: &str, status: Status, lon: f64, lat: f64) -> OpenIncident {
        OpenIncident {
            id: IncidentId::new(),
            tracking_number: TrackingNumber::from_stored(format!("AAAAAAA{n}")),
            category: CategoryCode::parse(category).unwrap(),
            status,
            location: LonLat::new(lon, lat).unwrap(),
            created_at: Utc::now(),
        }
    }

    #[test]
    fn nearby_is_nearest_first_within_radius_of_the_category_and_open() {
        let centre = LonLat::new(23.58, 46.07).unwrap();
        // ~78 m, ~7.8 m, ~390 m east of the centre.
        let index = IncidentIndex::build(
            vec![
                incident(2, "pothole", Status::New, 23.581, 46.07),
                incident(3, "pothole", Status::Assigned, 23.5801, 46.07),
                incident(4, "pothole", Status::New, 23.585, 46.07),
                incident(5, "graffiti", Status::New, 23.5802, 46.07),
                incident(6, "pothole", Status::Closed, 23.5800, 46.07),
            ],
            centre,
        );
        let pothole = CategoryCode::parse("pothole").unwrap();
        let found = index.nearby_open(centre, 100.0, Some(&pothole), 10);
        let numbers: Vec<_> = found
            .iter()
            .map(|n| n.incident.tracking_number.as_str())
            .collect();
        assert_eq!(numbers, ["AAAAAAA3", "AAAAAAA2"]);
        assert!(
            (found[1].distance_m - 77.3).abs() < 1.0,
            "{}",
            found[1].distance_m
        );
        assert_eq!(index.nearby_open(centre, 100.0, None, 10).len(), 3);
        assert_eq!(
            index.nearby_open(centre, 100.0, None, 1)[0]
                .incident
                .tracking_number
                .as_str(),
            "AAAAAAA3"
        );
        // The one 390 m away is found only with a radius that reaches it.
        assert_eq!(
            index.nearby_open(centre, 400.0, Some(&pothole), 10).len(),
            3
        );
    }
}
