//! Pure domain types: identifiers, coordinates, languages, statuses and the values an
//! incident report is made of. No I/O, no HTTP, no SQL.

mod address;
mod attributes;
mod catalog;
mod coords;
mod ids;
mod incident;
mod lang;
mod municipality;
mod text;
mod tracking;

pub use address::AddressKey;
pub use attributes::{validate_attributes, AttributeError, AttributeProblem};
pub use catalog::{
    AttributeDef, AttributeType, AttributeValue, Category, Department, Sla, ZoneRef, ZoneShape,
};
pub use coords::{CoordError, LonLat};
pub use ids::{
    CategoryCode, CategoryId, DepartmentId, IncidentId, JurisdictionId, PhotoId, ZoneId,
};
pub use incident::{
    Email, EventKind, OpenIncident, Priority, Reporter, SourceChannel, Status, UnknownValue,
};
pub use lang::{Lang, Localized};
pub use municipality::{
    CategorySpec, DepartmentSpec, GroupSpec, JurisdictionSpec, MunicipalitySpec, RoutingRuleSpec,
    RoutingSpec,
};
pub use text::is_clean_text;
pub use tracking::{TrackingNumber, TrackingNumberError};
