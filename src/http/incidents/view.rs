//! The public JSON of incidents. Built only from [`PublicIncident`], which holds no
//! reporter contact, so none can leak here.

use super::super::photos::{photo_path, PhotoSize};
use crate::domain::Lang;
use crate::routing::Directory;
use crate::spatial::NearbyIncident;
use crate::store::{PublicIncident, TimelineEntry};
use serde_json::{json, Value};

/// One incident with its public timeline.
pub(super) fn incident_json(
    incident: &PublicIncident,
    timeline: &[TimelineEntry],
    lang: Lang,
) -> Value {
    let mut value = properties(incident, lang);
    value["location"] = json!({ "lat": incident.location.lat(), "lon": incident.location.lon() });
    value["timeline"] = timeline
        .iter()
        .map(|e| json!({ "kind": e.kind, "status": e.status, "text": e.text, "at": e.at }))
        .collect();
    value
}

/// A page of incidents as a GeoJSON FeatureCollection; `next` links the following page.
pub(super) fn feature_collection(
    incidents: &[PublicIncident],
    next: Option<String>,
    lang: Lang,
) -> Value {
    let features: Vec<Value> = incidents
        .iter()
        .map(|i| {
            json!({
                "type": "Feature",
                "id": i.tracking_number,
                "geometry": { "type": "Point", "coordinates": [i.location.lon(), i.location.lat()] },
                "properties": properties(i, lang),
            })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features, "next": next })
}

fn properties(i: &PublicIncident, lang: Lang) -> Value {
    json!({
        "tracking_number": i.tracking_number,
        "url": format!("/api/v1/incidents/{}", i.tracking_number),
        "status": i.status,
        "priority": i.priority,
        "category": { "code": i.category, "name": i.category_name.get(lang) },
        "zone": { "code": i.zone_code, "name": i.zone_name },
        "department": { "code": i.department_code, "name": i.department_name.get(lang) },
        "description": i.description,
        "address": i.address,
        "attributes": i.attributes,
        "created_at": i.created_at,
        "updated_at": i.updated_at,
        "acknowledge_due_at": i.acknowledge_due_at,
        "due_at": i.resolve_due_at,
        "photos": i.photos.iter().map(|p| json!({
            "id": p.id,
            "thumb_url": photo_path(p.id, PhotoSize::Thumb),
            "display_url": photo_path(p.id, PhotoSize::Display),
        })).collect::<Vec<_>>(),
    })
}

/// Nearby open incidents, nearest first.
pub(super) fn nearby_json(found: &[NearbyIncident], directory: &Directory, lang: Lang) -> Value {
    let incidents: Vec<Value> = found
        .iter()
        .map(|n| {
            let i = &n.incident;
            let name = directory
                .category(&i.category)
                .map(|c| c.name_in(lang))
                .unwrap_or_default();
            json!({
                "tracking_number": i.tracking_number,
                "url": format!("/api/v1/incidents/{}", i.tracking_number),
                "category": { "code": i.category, "name": name },
                "status": i.status,
                "distance_m": (n.distance_m * 10.0).round() / 10.0,
                "location": { "lat": i.location.lat(), "lon": i.location.lon() },
                "created_at": i.created_at,
            })
        })
        .collect();
    json!({ "incidents": incidents })
}
