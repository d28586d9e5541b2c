//! Which incidents a map shows: by category, status, department and age.

use crate::spatial::MapPoint;

/// A filter over map points; empty lists mean "any". Lists are kept sorted and without
/// repeats so that equal filters have equal keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct MapFilter {
    pub categories: Vec<u8>,
    pub statuses: Vec<u8>,
    pub departments: Vec<u8>,
    /// Only incidents reported on or after this day (days since 1970-01-01).
    pub since_day: Option<i32>,
}

impl MapFilter {
    /// A filter in canonical form.
    pub fn new(
        mut categories: Vec<u8>,
        mut statuses: Vec<u8>,
        mut departments: Vec<u8>,
        since_day: Option<i32>,
    ) -> Self {
        for list in [&mut categories, &mut statuses, &mut departments] {
            list.sort_unstable();
            list.dedup();
        }
        Self {
            categories,
            statuses,
            departments,
            since_day,
        }
    }

    /// Whether the filter lets everything through.
    pub fn is_everything(&self) -> bool {
        *self == Self::default()
    }

    pub fn matches(&self, p: &MapPoint) -> bool {
        let allowed = |list: &[u8], v: u8| list.is_empty() || list.binary_search(&v).is_ok();
        allowed(&self.categories, p.category)
            && allowed(&self.statuses, p.status)
            && allowed(&self.departments, p.department)
            && self.since_day.is_none_or(|d| p.created_day >= d)
    }
}
