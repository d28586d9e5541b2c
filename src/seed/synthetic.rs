//! Large, realistic data sets for demos and benchmarks: incidents along streets and around
//! hotspots, over several years, in every status, routed like real reports.
//!
//! Deterministic: the same seed gives the same incidents (ids and tracking numbers too), so
//! running `seed-demo --incidents N` again adds nothing twice.

use crate::domain::{Category, IncidentId, LonLat, Priority, Status, TrackingNumber};
use crate::routing::Directory;
use crate::store::GeneratedIncident;
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// How many years of history a generated set spans.
const YEARS: i64 = 4;

/// A street: a straight run between two points; incidents fall along it.
struct Street {
    from: LonLat,
    to: LonLat,
}

/// A place where problems gather (a market, a bus station, a park).
struct Hotspot {
    centre: LonLat,
    spread_m: f64,
}

/// Generates `count` incidents inside `directory`'s zones, as of `now`, the moment of
/// seeding: no report is created or updated after it. Only the dates depend on `now`; the
/// same seed draws the same incidents (ids, tracking numbers, places, statuses) at any moment.
pub(super) fn generate(
    directory: &Directory,
    count: usize,
    seed: u64,
    now: DateTime<Utc>,
) -> Vec<GeneratedIncident> {
    let mut rng = StdRng::seed_from_u64(seed);
    let Some([west, south, east, north]) = directory.zones().bounds() else {
        return Vec::new();
    };
    // Most of a city's reports come from its dense middle: places are drawn around the
    // centre, thinning out towards the edges.
    // The median of the zones' middles: small, central zones outnumber the outskirts.
    let (centre_lon, centre_lat) =
        median_zone_centre(directory).unwrap_or(((west + east) / 2.0, (south + north) / 2.0));
    let (spread_lon, spread_lat) = ((east - west) / 8.0, (north - south) / 8.0);
    let inside = |rng: &mut StdRng| loop {
        let lon = centre_lon + gaussian(rng) * spread_lon;
        let lat = centre_lat + gaussian(rng) * spread_lat;
        if let Ok(p) = LonLat::new(lon, lat) {
            if directory.zones().zone_for(p).is_some() {
                return p;
            }
        }
    };
    let streets: Vec<Street> = (0..80)
        .map(|_| {
            let from = inside(&mut rng);
            let (length_m, heading) = (
                rng.random_range(200.0..1500.0),
                rng.random_range(0.0..std::f64::consts::TAU),
            );
            Street {
                from,
                to: offset(from, length_m * heading.cos(), length_m * heading.sin()),
            }
        })
        .collect();
    let hotspots: Vec<Hotspot> = (0..25)
        .map(|_| Hotspot {
            centre: inside(&mut rng),
            spread_m: rng.random_range(30.0..150.0),
        })
        .collect();
    let categories = directory.categories();
    let (street_kinds, place_kinds) = split_categories(categories);

    let mut incidents = Vec::with_capacity(count);
    while incidents.len() < count {
        let roll: f64 = rng.random();
        let (location, kinds) = if roll < 0.6 {
            let street = &streets[rng.random_range(0..streets.len())];
            let t: f64 = rng.random();
            let along = LonLat::new(
                street.from.lon() + (street.to.lon() - street.from.lon()) * t,
                street.from.lat() + (street.to.lat() - street.from.lat()) * t,
            )
            .expect("between two valid points");
            (
                offset(
                    along,
                    rng.random_range(-8.0..8.0),
                    rng.random_range(-8.0..8.0),
                ),
                &street_kinds,
            )
        } else if roll < 0.9 {
            let spot = &hotspots[rng.random_range(0..hotspots.len())];
            let (dx, dy) = (
                gaussian(&mut rng) * spot.spread_m,
                gaussian(&mut rng) * spot.spread_m,
            );
            (offset(spot.centre, dx, dy), &place_kinds)
        } else {
            (inside(&mut rng), &place_kinds)
        };
        let category = kinds[rng.random_range(0..kinds.len())];
        let Some(route) = directory.route(location, category.id) else {
            continue;
        };
        // More reports in recent years: the square root skews ages towards the present.
        let age =
            Duration::minutes((rng.random::<f64>().sqrt() * (YEARS * 365 * 24 * 60) as f64) as i64);
        let created_at = now - (Duration::days(YEARS * 365) - age);
        let status = status_for_age(&mut rng, now - created_at);
        let updated_at = if status == Status::New {
            created_at
        } else {
            (created_at + Duration::hours(rng.random_range(2..24 * 40))).min(now)
        };
        let mut id = [0u8; 16];
        rng.fill(&mut id);
        incidents.push(GeneratedIncident {
            id: IncidentId(uuid::Builder::from_random_bytes(id).into_uuid()),
            tracking_number: TrackingNumber::generate(&mut rng),
            category: category.id,
            zone: route.zone.id,
            department: route.department.id,
            status,
            priority: if rng.random_bool(0.1) {
                Priority::High
            } else {
                category.default_priority
            },
            location,
            description: description(category, &mut rng),
            acknowledge_due_at: created_at + Duration::hours(category.sla.acknowledge_hours.into()),
            resolve_due_at: created_at + Duration::hours(category.sla.resolve_hours.into()),
            created_at,
            updated_at,
        });
    }
    incidents
}

/// Street problems (roads, lighting, signs) and place problems (waste, parks, order).
fn split_categories(categories: &[Category]) -> (Vec<&Category>, Vec<&Category>) {
    let street_groups = ["roads", "traffic", "lighting", "water"];
    let (street, place): (Vec<&Category>, Vec<&Category>) = categories
        .iter()
        .partition(|c| street_groups.contains(&c.group_code.as_str()));
    if street.is_empty() || place.is_empty() {
        let all: Vec<&Category> = categories.iter().collect();
        return (all.clone(), all);
    }
    (street, place)
}

/// Older reports are mostly finished; recent ones are mostly still being handled.
pub fn status_for_age(rng: &mut StdRng, age: Duration) -> Status {
    use Status::*;
    let weights: &[(Status, u32)] = if age < Duration::days(7) {
        &[
            (New, 50),
            (Acknowledged, 25),
            (Assigned, 15),
            (InProgress, 8),
            (Resolved, 2),
        ]
    } else if age < Duration::days(60) {
        &[
            (New, 5),
            (Acknowledged, 10),
            (Assigned, 20),
            (InProgress, 25),
            (Resolved, 25),
            (Closed, 10),
            (Rejected, 3),
            (Reopened, 2),
        ]
    } else {
        &[
            (Closed, 70),
            (Resolved, 8),
            (Rejected, 7),
            (Duplicate, 7),
            (Referred, 4),
            (InProgress, 2),
            (Reopened, 1),
            (New, 1),
        ]
    };
    let total: u32 = weights.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0..total);
    for (status, weight) in weights {
        if pick < *weight {
            return *status;
        }
        pick -= weight;
    }
    Closed
}

fn description(category: &Category, rng: &mut StdRng) -> String {
    const PLACES: [&str; 8] = [
        "lângă stația de autobuz",
        "în fața blocului",
        "la intersecție",
        "lângă școală",
        "pe trotuarul din stânga",
        "în parcare",
        "lângă parc",
        "la colțul străzii",
    ];
    format!(
        "{} {}",
        category.name.ro,
        PLACES[rng.random_range(0..PLACES.len())]
    )
}

fn median_zone_centre(directory: &Directory) -> Option<(f64, f64)> {
    use geo::BoundingRect;
    let (mut lons, mut lats): (Vec<f64>, Vec<f64>) = directory
        .zones()
        .zones()
        .filter_map(|z| z.boundary.bounding_rect())
        .map(|r| (r.center().x, r.center().y))
        .unzip();
    if lons.is_empty() {
        return None;
    }
    lons.sort_by(f64::total_cmp);
    lats.sort_by(f64::total_cmp);
    Some((lons[lons.len() / 2], lats[lats.len() / 2]))
}

/// A normally distributed number (Box–Muller).
pub fn gaussian(rng: &mut StdRng) -> f64 {
    let (u, v): (f64, f64) = (rng.random_range(f64::EPSILON..1.0), rng.random());
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// `p` moved `east_m` metres east and `north_m` north.
fn offset(p: LonLat, east_m: f64, north_m: f64) -> LonLat {
    const M_PER_DEG: f64 = 111_320.0;
    let lat = (p.lat() + north_m / M_PER_DEG).clamp(-89.0, 89.0);
    let lon = (p.lon() + east_m / (M_PER_DEG * p.lat().to_radians().cos())).clamp(-180.0, 180.0);
    LonLat::new(lon, lat).expect("clamped into range")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        CategoryCode, CategoryId, Department, DepartmentId, JurisdictionId, Localized, Sla, ZoneId,
        ZoneRef, ZoneShape,
    };
    use crate::spatial::ZoneIndex;
    use crate::store::RoutingRuleRow;
    use geo::{polygon, MultiPolygon};

    fn category(id: i64, code: &str, group: &str) -> Category {
        Category {
            id: CategoryId(id),
            code: CategoryCode::parse(code).unwrap(),
            group_code: group.into(),
            group_name: Localized::default(),
            icon: code.into(),
            name: Localized::default(),
            description: Localized::default(),
            sla: Sla {
                acknowledge_hours: 24,
                resolve_hours: 240,
            },
            default_priority: Priority::Normal,
            attributes: vec![],
        }
    }

    /// One zone over Alba Iulia, a street and a place category, one department for all.
    fn city() -> Directory {
        let zone = ZoneShape {
            zone: ZoneRef {
                id: ZoneId(1),
                code: "centru".into(),
                name: "Centru".into(),
            },
            boundary: MultiPolygon(vec![polygon![
                (x: 23.50, y: 46.00), (x: 23.65, y: 46.00), (x: 23.65, y: 46.12), (x: 23.50, y: 46.12)
            ]]),
        };
        Directory::new(
            JurisdictionId::parse("alba-iulia").unwrap(),
            vec![
                category(1, "pothole", "roads"),
                category(2, "graffiti", "public-order"),
            ],
            vec![Department {
                id: DepartmentId(1),
                code: "dispecerat".into(),
                name: Localized::default(),
            }],
            ZoneIndex::build(vec![zone]),
            vec![RoutingRuleRow {
                category: None,
                zone: None,
                department: DepartmentId(1),
            }],
        )
    }

    #[test]
    fn nothing_is_created_or_updated_after_the_moment_of_seeding() {
        let directory = city();
        // Early in the morning: a generator dating from "today" would reach past it.
        let now = "2026-03-29T01:30:00Z".parse::<DateTime<Utc>>().unwrap();
        let incidents = generate(&directory, 20_000, 7, now);
        assert_eq!(incidents.len(), 20_000);
        for g in &incidents {
            assert!(g.created_at <= now, "created {} after {now}", g.created_at);
            assert!(g.updated_at <= now, "updated {} after {now}", g.updated_at);
            assert!(g.created_at <= g.updated_at);
        }
        // Up to the moment itself: the newest reports are from the last hours.
        let newest = incidents.iter().map(|g| g.created_at).max().unwrap();
        assert!(now - newest < Duration::hours(6), "newest {newest}");
        assert!(incidents.iter().any(|g| g.updated_at == now));
    }

    #[test]
    fn the_same_seed_draws_the_same_incidents_at_any_moment() {
        let directory = city();
        let morning = "2026-03-29T01:30:00Z".parse::<DateTime<Utc>>().unwrap();
        let later = morning + Duration::days(40) + Duration::minutes(17);
        let (a, b) = (
            generate(&directory, 2_000, 7, morning),
            generate(&directory, 2_000, 7, later),
        );
        for (a, b) in a.iter().zip(&b) {
            assert_eq!(
                (a.id, &a.tracking_number, a.location, a.status),
                (b.id, &b.tracking_number, b.location, b.status)
            );
            assert_eq!(b.created_at - a.created_at, later - morning);
        }
    }
}
