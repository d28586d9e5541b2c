//! The map's names for what its points refer to by index (category and department codes).
//! The list only grows: an index, once given, names the same code for the life of the
//! process, so points already on the map and hierarchies already built stay right when the
//! catalogue changes, and a deactivated category keeps its index (its incidents still show).

use crate::domain::{Priority, Status};
use crate::spatial::{category_key, mercator, MapPoint};
use crate::store::MapRow;
use chrono::{DateTime, Utc};
use parking_lot::RwLock;
use std::sync::Arc;

/// The index of a code the map has no room for (a point stores its index in a byte).
pub const UNKNOWN: u8 = u8::MAX;

/// The codes known to the map at one moment, by index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogNames {
    /// Category codes, by a point's `category` index.
    pub categories: Vec<String>,
    /// Department codes, by a point's `department` index.
    pub departments: Vec<String>,
}

/// The codes known to the map, growing with the catalogue (append-only).
#[derive(Debug, Default)]
pub struct LayerCatalog {
    /// Copied on write: readers take the `Arc` and never wait for a change.
    names: RwLock<Arc<CatalogNames>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Category,
    Department,
}

impl LayerCatalog {
    /// A catalogue with these codes, in this order.
    pub fn new(categories: Vec<String>, departments: Vec<String>) -> Self {
        let catalog = Self::default();
        catalog.learn(categories, departments);
        catalog
    }

    /// The codes as they are now.
    pub fn names(&self) -> Arc<CatalogNames> {
        self.names.read().clone()
    }

    /// Every category code the map knows, by index (deactivated ones included: their
    /// incidents are still on the map).
    pub fn categories(&self) -> Vec<String> {
        self.names().categories.clone()
    }

    /// The index of a category code, if the map has seen it.
    pub fn category_index(&self, code: &str) -> Option<u8> {
        position(&self.names().categories, code)
    }

    /// The index of a department code, if the map has seen it.
    pub fn department_index(&self, code: &str) -> Option<u8> {
        position(&self.names().departments, code)
    }

    /// Adds the codes not known yet, after the ones known (a directory reload).
    pub fn learn(&self, categories: Vec<String>, departments: Vec<String>) {
        for code in categories {
            self.index_of(Kind::Category, &code);
        }
        for code in departments {
            self.index_of(Kind::Department, &code);
        }
    }

    /// The index of `code`, given on first sight; [`UNKNOWN`] once 255 codes are taken, or
    /// for a category, once the clusters could not count it apart.
    fn index_of(&self, kind: Kind, code: &str) -> u8 {
        let pick = |names: &CatalogNames| match kind {
            Kind::Category => position(&names.categories, code),
            Kind::Department => position(&names.departments, code),
        };
        if let Some(index) = pick(&self.names()) {
            return index;
        }
        let mut names = self.names.write();
        if let Some(index) = pick(&names) {
            return index;
        }
        let mut grown = CatalogNames::clone(&names);
        let list = match kind {
            Kind::Category => &mut grown.categories,
            Kind::Department => &mut grown.departments,
        };
        let Ok(index) = u8::try_from(list.len()) else {
            return UNKNOWN;
        };
        // A category the clusters cannot count apart is not given a number (nor a
        // `category_*` field in the TileJSON): it counts in the totals only.
        let countable = kind == Kind::Department || category_key(index).is_some();
        if index == UNKNOWN || !countable {
            return UNKNOWN;
        }
        list.push(code.to_owned());
        *names = Arc::new(grown);
        index
    }

    /// The map's view of an incident. A code the map has not seen yet (a category added
    /// since the last reload) gets the next index.
    pub fn point(&self, row: &MapRow) -> MapPoint {
        let (x, y) = mercator(row.location.lon(), row.location.lat());
        let mut tracking = [b'0'; 8];
        for (slot, byte) in tracking
            .iter_mut()
            .zip(row.tracking_number.as_str().bytes())
        {
            *slot = byte;
        }
        let index_of =
            |all: &[Status], s: Status| all.iter().position(|a| *a == s).unwrap_or(0) as u8;
        MapPoint {
            x,
            y,
            tracking,
            created_day: day_number(row.created_at),
            status: index_of(Status::ALL, row.status),
            category: self.index_of(Kind::Category, &row.category),
            priority: Priority::ALL
                .iter()
                .position(|p| *p == row.priority)
                .unwrap_or(1) as u8,
            department: self.index_of(Kind::Department, &row.department),
        }
    }
}

fn position(codes: &[String], code: &str) -> Option<u8> {
    codes
        .iter()
        .position(|c| c == code)
        .and_then(|i| u8::try_from(i).ok())
}

/// Days since 1970-01-01.
pub fn day_number(at: DateTime<Utc>) -> i32 {
    at.timestamp().div_euclid(86_400) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_their_index_and_new_ones_are_appended() {
        let catalog = LayerCatalog::new(vec!["a".into(), "b".into()], vec!["d".into()]);
        // A reload where "a" is gone (deactivated) and "c" is new.
        catalog.learn(vec!["b".into(), "c".into()], vec!["d".into()]);
        assert_eq!(catalog.categories(), ["a", "b", "c"]);
        assert_eq!(catalog.category_index("a"), Some(0));
        assert_eq!(catalog.category_index("c"), Some(2));
        assert_eq!(catalog.category_index("z"), None);
    }

    #[test]
    fn past_the_countable_categories_and_255_departments_the_index_is_unknown() {
        let catalog = LayerCatalog::default();
        let codes = || (0..300).map(|i| format!("c{i}")).collect();
        catalog.learn(codes(), codes());
        // Every category with a number has its own count in the clusters.
        let countable = catalog.categories().len();
        assert_eq!(countable, 240);
        assert!(category_key(u8::try_from(countable - 1).unwrap()).is_some());
        assert_eq!(catalog.index_of(Kind::Category, "c299"), UNKNOWN);
        assert_eq!(catalog.department_index("c254"), Some(254));
        assert_eq!(catalog.index_of(Kind::Department, "c299"), UNKNOWN);
    }
}
