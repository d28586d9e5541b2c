//! Open incidents in an R-tree, for "is it one of these?" suggestions near a new report.

use crate::domain::{CategoryCode, LonLat, OpenIncident};
use rstar::{RTree, RTreeObject, AABB};
use std::sync::RwLock;

/// An open incident in the R-tree.
#[derive(Debug, Clone, PartialEq)]
struct Indexed(OpenIncident);

impl RTreeObject for Indexed {
    type Envelope = AABB<[f64; 2]>;

    fn envelope(&self) -> Self::Envelope {
        AABB::from_point([self.0.location.lon(), self.0.location.lat()])
    }
}

/// An open incident near a point, with its distance.
#[derive(Debug, Clone, PartialEq)]
pub struct NearbyIncident {
    pub incident: OpenIncident,
    pub distance_m: f64,
}

/// The open incidents of the jurisdiction.
#[derive(Default)]
pub struct IncidentIndex {
    tree: RwLock<RTree<Indexed>>,
}

/// Metres per degree of latitude (and of longitude at the equator).
const METRES_PER_DEGREE: f64 = 111_320.0;

impl IncidentIndex {
    /// Builds the index from the open incidents in `incidents`.
    pub fn build(incidents: Vec<OpenIncident>) -> Self {
        let open = incidents
            .into_iter()
            .filter(|i| i.status.is_open())
            .map(Indexed)
            .collect();
        Self {
            tree: RwLock::new(RTree::bulk_load(open)),
        }
    }

    /// Adds a new incident (ignored unless it is open).
    pub fn insert(&self, incident: OpenIncident) {
        if incident.status.is_open() {
            self.tree
                .write()
                .expect("incident index lock")
                .insert(Indexed(incident));
        }
    }

    /// Open incidents within `radius_m` of `centre`, nearest first, optionally of one category.
    pub fn nearby_open(
        &self,
        centre: LonLat,
        radius_m: f64,
        category: Option<&CategoryCode>,
        limit: usize,
    ) -> Vec<NearbyIncident> {
        // A degree box that surely holds the circle; the exact distance filters after.
        let dlat = radius_m / METRES_PER_DEGREE;
        let dlon = radius_m / (METRES_PER_DEGREE * centre.lat().to_radians().cos().max(0.01));
        let envelope = AABB::from_corners(
            [centre.lon() - dlon, centre.lat() - dlat],
            [centre.lon() + dlon, centre.lat() + dlat],
        );
        let tree = self.tree.read().expect("incident index lock");
        let mut found: Vec<NearbyIncident> = tree
            .locate_in_envelope(&envelope)
            .map(|Indexed(i)| i)
            .filter(|i| category.is_none_or(|c| &i.category == c))
            .map(|i| NearbyIncident {
                distance_m: centre.distance_m(i.location),
                incident: i.clone(),
            })
            .filter(|n| n.distance_m <= radius_m)
            .collect();
        found.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
        found.truncate(limit);
        found
    }

    /// How many open incidents are indexed.
    pub fn len(&self) -> usize {
        self.tree.read().expect("incident index lock").size()
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
        let index = IncidentIndex::build(vec![
            incident(2, "pothole", Status::New, 23.581, 46.07),
            incident(3, "pothole", Status::Assigned, 23.5801, 46.07),
            incident(4, "pothole", Status::New, 23.585, 46.07),
            incident(5, "graffiti", Status::New, 23.5802, 46.07),
            incident(6, "pothole", Status::Closed, 23.5800, 46.07),
        ]);
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
    }
}
