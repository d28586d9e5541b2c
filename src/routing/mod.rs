//! Where a report goes: point → zone (spatial index) and category × zone → department
//! (routing rules), over an in-memory snapshot of the jurisdiction's catalogue.

use crate::domain::{
    Category, CategoryCode, CategoryId, Department, DepartmentId, JurisdictionId, LonLat, ZoneId,
    ZoneRef,
};
use crate::spatial::ZoneIndex;
use crate::store::{RoutingRuleRow, Store, StoreError};
use parking_lot::RwLock;
use std::collections::HashMap;
use std::sync::Arc;

/// A snapshot of what a jurisdiction offers and where things go. Replaced whole on change.
pub struct Directory {
    pub jurisdiction: JurisdictionId,
    /// Where the jurisdiction's days begin and end (UTC unless loaded from the store).
    pub timezone: chrono_tz::Tz,
    categories: Vec<Category>,
    category_by_code: HashMap<CategoryCode, usize>,
    departments: HashMap<DepartmentId, Department>,
    zones: ZoneIndex,
    rules: HashMap<(Option<CategoryId>, Option<ZoneId>), DepartmentId>,
}

/// Where an incident at a point of a category is routed.
#[derive(Debug, Clone, PartialEq)]
pub struct Route<'a> {
    pub zone: &'a ZoneRef,
    pub department: &'a Department,
}

impl Directory {
    /// Loads the catalogue and zones of `jurisdiction` from the store.
    pub async fn load(store: &Store, jurisdiction: JurisdictionId) -> Result<Self, StoreError> {
        let catalog = store.load_catalog(&jurisdiction).await?;
        let zones = ZoneIndex::build(store.load_zones(&jurisdiction).await?);
        let directory = Self::new(
            jurisdiction,
            catalog.categories,
            catalog.departments,
            zones,
            catalog.rules,
        );
        Ok(Self {
            timezone: catalog.timezone,
            ..directory
        })
    }

    pub fn new(
        jurisdiction: JurisdictionId,
        categories: Vec<Category>,
        departments: Vec<Department>,
        zones: ZoneIndex,
        rules: Vec<RoutingRuleRow>,
    ) -> Self {
        Self {
            jurisdiction,
            timezone: chrono_tz::Tz::UTC,
            category_by_code: categories
                .iter()
                .enumerate()
                .map(|(i, c)| (c.code.clone(), i))
                .collect(),
            categories,
            departments: departments.into_iter().map(|d| (d.id, d)).collect(),
            zones,
            rules: rules
                .into_iter()
                .map(|r| ((r.category, r.zone), r.department))
                .collect(),
        }
    }

    /// The active categories, grouped, in the order the municipality defined them.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    pub fn category(&self, code: &CategoryCode) -> Option<&Category> {
        self.category_by_code
            .get(code)
            .map(|&i| &self.categories[i])
    }

    /// The departments, by code.
    pub fn departments(&self) -> impl Iterator<Item = &Department> {
        let mut departments: Vec<&Department> = self.departments.values().collect();
        departments.sort_by(|a, b| a.code.cmp(&b.code));
        departments.into_iter()
    }

    pub fn zones(&self) -> &ZoneIndex {
        &self.zones
    }

    /// The zone and department for a report of `category` at `point`; `None` outside the
    /// jurisdiction. The most specific rule wins: category × zone, then the category's
    /// default, then the zone's default, then the jurisdiction's.
    pub fn route(&self, point: LonLat, category: CategoryId) -> Option<Route<'_>> {
        let zone = self.zones.zone_for(point)?;
        let department = [
            (Some(category), Some(zone.id)),
            (Some(category), None),
            (None, Some(zone.id)),
            (None, None),
        ]
        .iter()
        .find_map(|key| self.rules.get(key))
        .and_then(|id| self.departments.get(id))?;
        Some(Route { zone, department })
    }
}

/// The current directory, shared by all requests and swapped when zones or rules change.
#[derive(Clone)]
pub struct DirectoryHandle(Arc<RwLock<Arc<Directory>>>);

impl DirectoryHandle {
    pub fn new(directory: Directory) -> Self {
        Self(Arc::new(RwLock::new(Arc::new(directory))))
    }

    /// The current snapshot; holding it never blocks a reload.
    pub fn current(&self) -> Arc<Directory> {
        self.0.read().clone()
    }

    pub fn replace(&self, directory: Directory) {
        *self.0.write() = Arc::new(directory);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Localized, Priority, Sla, ZoneShape};
    use geo::{polygon, MultiPolygon};

    fn department(id: i64) -> Department {
        Department {
            id: DepartmentId(id),
            code: format!("d{id}"),
            name: Localized::default(),
        }
    }

    fn category(id: i64, code: &str) -> Category {
        Category {
            id: CategoryId(id),
            code: CategoryCode::parse(code).unwrap(),
            group_code: "g".into(),
            group_name: Localized::default(),
            icon: code.into(),
            name: Localized::default(),
            description: Localized::default(),
            sla: Sla {
                acknowledge_hours: 1,
                resolve_hours: 2,
            },
            default_priority: Priority::Normal,
            attributes: vec![],
        }
    }

    fn unit_square(id: i64, x0: f64) -> ZoneShape {
        ZoneShape {
            zone: ZoneRef {
                id: ZoneId(id),
                code: format!("z{id}"),
                name: String::new(),
            },
            boundary: MultiPolygon(vec![
                polygon![(x: x0, y: 0.0), (x: x0 + 1.0, y: 0.0), (x: x0 + 1.0, y: 1.0), (x: x0, y: 1.0)],
            ]),
        }
    }

    #[test]
    fn the_most_specific_rule_wins() {
        let rule = |c: Option<i64>, z: Option<i64>, d: i64| RoutingRuleRow {
            category: c.map(CategoryId),
            zone: z.map(ZoneId),
            department: DepartmentId(d),
        };
        let directory = Directory::new(
            JurisdictionId::parse("x").unwrap(),
            vec![category(1, "dumping"), category(2, "graffiti")],
            (1..=4).map(department).collect(),
            ZoneIndex::build(vec![unit_square(10, 0.0), unit_square(20, 1.0)]),
            vec![
                rule(Some(1), None, 1),
                rule(Some(1), Some(20), 2),
                rule(None, Some(20), 3),
                rule(None, None, 4),
            ],
        );
        let at = |lon| LonLat::new(lon, 0.5).unwrap();
        let routed = |lon, c| {
            directory
                .route(at(lon), CategoryId(c))
                .map(|r| (r.zone.id.0, r.department.id.0))
        };
        assert_eq!(routed(0.5, 1), Some((10, 1)), "category default");
        assert_eq!(routed(1.5, 1), Some((20, 2)), "category in zone");
        assert_eq!(routed(1.5, 2), Some((20, 3)), "zone default");
        assert_eq!(routed(0.5, 2), Some((10, 4)), "jurisdiction default");
        assert_eq!(routed(5.0, 1), None, "outside");
    }
}
