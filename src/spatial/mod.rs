//! In-memory spatial indexes that answer in microseconds: which zone a point lies in, and
//! which open incidents are near a point. Both are rebuilt from the store at start-up.

mod cluster;
mod incident_index;
mod zone_index;

pub use cluster::{
    category_key, mercator, ClusterIndex, ClusterParams, MapPoint, TileItem, CATEGORY_KEY_BASE,
};
pub use incident_index::{IncidentIndex, NearbyIncident};
pub use zone_index::ZoneIndex;
