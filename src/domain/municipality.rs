//! The definition of a municipality's catalogue, as kept in `fixtures/` and imported by
//! `semnal seed-demo`: departments, category groups, categories and routing rules.

use super::{AttributeDef, Localized, Priority, Sla};
use serde::Deserialize;

/// A whole municipality's catalogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MunicipalitySpec {
    pub jurisdiction: JurisdictionSpec,
    pub departments: Vec<DepartmentSpec>,
    pub category_groups: Vec<GroupSpec>,
    pub categories: Vec<CategorySpec>,
    pub routing: RoutingSpec,
}

#[derive(Debug, Clone, Deserialize)]
pub struct JurisdictionSpec {
    pub id: String,
    pub name: String,
    pub timezone: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DepartmentSpec {
    pub code: String,
    pub name: Localized,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GroupSpec {
    pub code: String,
    pub name: Localized,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CategorySpec {
    pub code: String,
    pub group: String,
    pub icon: String,
    pub name: Localized,
    pub description: Localized,
    pub sla: Sla,
    pub default_priority: Priority,
    #[serde(default)]
    pub attributes: Vec<AttributeDef>,
}

/// Which department gets what: rules by category and zone codes, and a fallback.
#[derive(Debug, Clone, Deserialize)]
pub struct RoutingSpec {
    pub default_department: String,
    pub rules: Vec<RoutingRuleSpec>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RoutingRuleSpec {
    pub category: Option<String>,
    pub zone: Option<String>,
    pub department: String,
}
