//! Which incidents a map shows: by category, status, department and age.

use crate::domain::Status;
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

    /// The filter that selects the same incidents today with the fewest distinct keys, so
    /// that requests cannot make the map build one hierarchy per spelling: every status
    /// listed is no status filter; a `since` on or before the oldest incident (`oldest_day`)
    /// is no `since`; a `since` after `today` is tomorrow (nothing yet, and tomorrow's
    /// reports as they come).
    pub fn normalised(mut self, oldest_day: i32, today: i32) -> Self {
        if self.statuses.len() >= Status::ALL.len() {
            self.statuses.clear();
        }
        self.since_day = match self.since_day {
            Some(day) if day <= oldest_day => None,
            Some(day) => Some(day.min(today.saturating_add(1))),
            None => None,
        };
        self
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_that_select_the_same_incidents_are_one_key() {
        let (oldest, today) = (19_000, 20_000);
        let since = |day| MapFilter::new(vec![], vec![], vec![], Some(day));
        // Any day up to the oldest incident: every incident, the full map.
        for day in [i32::MIN, 0, 18_000, oldest] {
            assert!(since(day).normalised(oldest, today).is_everything());
        }
        // Days in between stay as they are.
        assert_eq!(since(19_500).normalised(oldest, today), since(19_500));
        // Every future day is tomorrow.
        for day in [today + 1, today + 2, i32::MAX] {
            assert_eq!(since(day).normalised(oldest, today), since(today + 1));
        }
        // Every status listed is no status filter; some statuses stay.
        let all = (0..Status::ALL.len() as u8).collect();
        assert!(MapFilter::new(vec![], all, vec![], None)
            .normalised(oldest, today)
            .is_everything());
        let some = MapFilter::new(vec![], vec![0, 1], vec![], None);
        assert_eq!(some.clone().normalised(oldest, today), some);
    }
}
