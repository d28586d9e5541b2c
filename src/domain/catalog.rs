//! What a jurisdiction offers: categories with their SLA and extra attributes,
//! departments and zones.

use super::{CategoryCode, CategoryId, DepartmentId, Lang, Localized, Priority, ZoneId};
use serde::{Deserialize, Serialize};

/// Service-level targets of a category, in hours from the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sla {
    pub acknowledge_hours: i32,
    pub resolve_hours: i32,
}

/// The datatype of an extra attribute (those of Open311 service definitions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttributeType {
    String,
    Number,
    Datetime,
    Text,
    Singlevaluelist,
    Multivaluelist,
}

impl AttributeType {
    /// The Open311 name of the datatype.
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeType::String => "string",
            AttributeType::Number => "number",
            AttributeType::Datetime => "datetime",
            AttributeType::Text => "text",
            AttributeType::Singlevaluelist => "singlevaluelist",
            AttributeType::Multivaluelist => "multivaluelist",
        }
    }
}

/// One allowed value of a list attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeValue {
    pub key: String,
    pub name: Localized,
}

/// An extra question a category asks, such as the depth of a pothole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeDef {
    pub code: String,
    pub datatype: AttributeType,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub order: i32,
    pub description: Localized,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<AttributeValue>,
}

/// A kind of problem residents can report.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub id: CategoryId,
    pub code: CategoryCode,
    pub group_code: String,
    pub group_name: Localized,
    pub icon: String,
    pub name: Localized,
    pub description: Localized,
    pub sla: Sla,
    pub default_priority: Priority,
    pub attributes: Vec<AttributeDef>,
}

impl Category {
    /// The name in `lang`.
    pub fn name_in(&self, lang: Lang) -> &str {
        self.name.get(lang)
    }
}

/// A department that handles incidents.
#[derive(Debug, Clone, PartialEq)]
pub struct Department {
    pub id: DepartmentId,
    pub code: String,
    pub name: Localized,
}

/// A zone's public identity (its geometry lives in the spatial index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneRef {
    pub id: ZoneId,
    pub code: String,
    pub name: String,
}

/// A zone with its boundary (WGS84 lon/lat).
#[derive(Debug, Clone)]
pub struct ZoneShape {
    pub zone: ZoneRef,
    pub boundary: geo::MultiPolygon<f64>,
}
