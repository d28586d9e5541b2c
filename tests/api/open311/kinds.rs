//! The kinds of values the specification defines for each field, checked in a response
//! already matched against the example's shape (`shape::conform`): XML text must read as
//! the kind, JSON must carry it as the matching JSON type.

use super::shape::Format;
use chrono::{DateTime, FixedOffset};
use serde_json::Value;
use std::collections::HashSet;

/// `datatype` of a service definition attribute.
const DATATYPES: [&str; 6] = [
    "string",
    "number",
    "datetime",
    "text",
    "singlevaluelist",
    "multivaluelist",
];

/// The statuses of FixMyStreet's extended updates (its "Additional states", as mySociety's
/// open311-adapter lists them; the update's `status` is compared without case).
const FIXMYSTREET_STATUSES: [&str; 12] = [
    "open",
    "closed",
    "fixed",
    "in_progress",
    "action_scheduled",
    "investigating",
    "duplicate",
    "not_councils_responsibility",
    "no_further_action",
    "internal_referral",
    "reopen",
    "for_triage",
];

/// Reads values of one response by the rules of its format.
#[derive(Debug, Clone, Copy)]
pub struct Kinds(pub Format);

impl Kinds {
    /// Text that is present and not empty.
    pub fn text<'a>(self, v: &'a Value, field: &str) -> &'a str {
        let text = v
            .as_str()
            .unwrap_or_else(|| panic!("{field} is {v}, not text"));
        assert!(!text.trim().is_empty(), "{field} is empty");
        text
    }

    /// Text, or nothing: JSON `null` or an empty element (an empty string in either).
    pub fn optional_text(self, v: &Value, field: &str) -> Option<String> {
        match v {
            Value::Null => None,
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(s.clone()),
            other => panic!("{field} is {other}, not text"),
        }
    }

    pub fn one_of<'a>(self, v: &'a Value, field: &str, allowed: &[&str]) -> &'a str {
        let text = self.text(v, field);
        assert!(
            allowed.contains(&text),
            "{field} is {text:?}, not one of {allowed:?}"
        );
        text
    }

    pub fn boolean(self, v: &Value, field: &str) -> bool {
        match (self.0, v) {
            (Format::Json, Value::Bool(b)) => *b,
            (Format::Xml, Value::String(s)) if s == "true" || s == "false" => s == "true",
            _ => panic!("{field} is {v}, not true or false"),
        }
    }

    pub fn number(self, v: &Value, field: &str) -> f64 {
        match (self.0, v) {
            (Format::Json, Value::Number(n)) => n.as_f64().unwrap(),
            (Format::Xml, Value::String(s)) => s
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{field} is {s:?}, not a number")),
            _ => panic!("{field} is {v}, not a number"),
        }
    }

    pub fn integer(self, v: &Value, field: &str) -> i64 {
        match (self.0, v) {
            (Format::Json, Value::Number(n)) => n
                .as_i64()
                .unwrap_or_else(|| panic!("{field} is {n}, not an integer")),
            (Format::Xml, Value::String(s)) => s
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{field} is {s:?}, not an integer")),
            _ => panic!("{field} is {v}, not an integer"),
        }
    }

    /// A W3C date-time with its time zone (RFC 3339).
    pub fn datetime(self, v: &Value, field: &str) -> DateTime<FixedOffset> {
        let text = self.text(v, field);
        DateTime::parse_from_rfc3339(text)
            .unwrap_or_else(|_| panic!("{field} is {text:?}, not a W3C date-time with a zone"))
    }

    pub fn optional_datetime(self, v: &Value, field: &str) -> Option<DateTime<FixedOffset>> {
        self.optional_text(v, field)
            .map(|_| self.datetime(v, field))
    }

    /// An absolute http(s) URL.
    pub fn url<'a>(self, v: &'a Value, field: &str) -> &'a str {
        let text = self.text(v, field);
        assert!(
            text.starts_with("http://") || text.starts_with("https://"),
            "{field} is {text:?}, not an absolute URL"
        );
        text
    }

    /// `discovery`: every field is required; the endpoint is GeoReport v2 in both formats.
    pub fn discovery(self, d: &Value) {
        self.text(&d["changeset"], "changeset");
        self.text(&d["contact"], "contact");
        self.text(&d["key_service"], "key_service");
        for endpoint in d["endpoints"].as_array().unwrap() {
            assert_eq!(
                self.text(&endpoint["specification"], "specification"),
                "http://wiki.open311.org/GeoReport_v2"
            );
            self.url(&endpoint["url"], "url");
            self.text(&endpoint["changeset"], "endpoint changeset");
            self.one_of(&endpoint["type"], "type", &["production", "test"]);
            let formats: Vec<&str> = endpoint["formats"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| self.text(f, "format"))
                .collect();
            assert!(formats.contains(&"text/xml"), "{formats:?}");
            assert!(formats.contains(&"application/json"), "{formats:?}");
        }
    }

    /// One `service` of the service list.
    pub fn service(self, s: &Value) {
        self.text(&s["service_code"], "service_code");
        self.text(&s["service_name"], "service_name");
        self.text(&s["description"], "description");
        self.boolean(&s["metadata"], "metadata");
        self.one_of(&s["type"], "type", &["realtime", "batch", "blackbox"]);
        self.optional_text(&s["keywords"], "keywords");
        self.optional_text(&s["group"], "group");
    }

    /// A `service_definition`: attribute fields of their kinds, `order` positive and unique.
    pub fn service_definition(self, d: &Value) {
        self.text(&d["service_code"], "service_code");
        let mut orders = HashSet::new();
        for a in d["attributes"].as_array().unwrap() {
            self.boolean(&a["variable"], "variable");
            self.text(&a["code"], "code");
            let datatype = self.one_of(&a["datatype"], "datatype", &DATATYPES);
            self.boolean(&a["required"], "required");
            self.optional_text(&a["datatype_description"], "datatype_description");
            let order = self.integer(&a["order"], "order");
            assert!(order >= 1, "order {order} is not a positive integer");
            assert!(orders.insert(order), "order {order} is used twice");
            self.text(&a["description"], "description");
            let values = a["values"].as_array().unwrap();
            if datatype.ends_with("valuelist") {
                assert!(!values.is_empty(), "a {datatype} lists its values");
            }
            for v in values {
                self.text(&v["key"], "key");
                self.text(&v["name"], "name");
            }
        }
    }

    /// One `request` of `requests`, `requests/{id}`.
    pub fn request(self, r: &Value) {
        self.text(&r["service_request_id"], "service_request_id");
        self.one_of(&r["status"], "status", &["open", "closed"]);
        self.optional_text(&r["status_notes"], "status_notes");
        self.text(&r["service_name"], "service_name");
        self.text(&r["service_code"], "service_code");
        self.optional_text(&r["description"], "description");
        self.optional_text(&r["agency_responsible"], "agency_responsible");
        self.optional_text(&r["service_notice"], "service_notice");
        let requested = self.datetime(&r["requested_datetime"], "requested_datetime");
        let updated = self.datetime(&r["updated_datetime"], "updated_datetime");
        assert!(updated >= requested, "updated before it was requested");
        self.optional_datetime(&r["expected_datetime"], "expected_datetime");
        self.optional_text(&r["address"], "address");
        self.optional_text(&r["address_id"], "address_id");
        self.optional_text(&r["zipcode"], "zipcode");
        let lat = self.number(&r["lat"], "lat");
        let long = self.number(&r["long"], "long");
        assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&long));
        if self.optional_text(&r["media_url"], "media_url").is_some() {
            self.url(&r["media_url"], "media_url");
        }
    }

    /// The one `request` a POST answers with.
    pub fn filed(self, r: &Value) {
        self.text(&r["service_request_id"], "service_request_id");
        self.optional_text(&r["service_notice"], "service_notice");
        self.optional_text(&r["account_id"], "account_id");
    }

    /// The one `request` of `tokens/{token}`.
    pub fn token(self, r: &Value) {
        self.text(&r["service_request_id"], "service_request_id");
        self.text(&r["token"], "token");
    }

    /// One `error`: its code is the HTTP status, its description says what is wrong.
    pub fn error(self, e: &Value, status: u16) -> String {
        assert_eq!(self.integer(&e["code"], "code"), i64::from(status));
        self.text(&e["description"], "description").to_owned()
    }

    /// One `request_update` of `servicerequestupdates`.
    pub fn update(self, u: &Value) {
        self.text(&u["update_id"], "update_id");
        self.text(&u["service_request_id"], "service_request_id");
        let status = self.text(&u["status"], "status").to_lowercase();
        assert!(
            FIXMYSTREET_STATUSES.contains(&status.as_str()),
            "status {status:?} is not one of FixMyStreet's"
        );
        self.datetime(&u["updated_datetime"], "updated_datetime");
        self.optional_text(&u["description"], "description");
        if self.optional_text(&u["media_url"], "media_url").is_some() {
            self.url(&u["media_url"], "media_url");
        }
        if !u["external_status_code"].is_null() {
            self.optional_text(&u["external_status_code"], "external_status_code");
        }
    }
}
