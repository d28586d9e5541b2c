//! Incidents as Open311 service requests. Built only from [`PublicIncident`], which holds no
//! reporter contact, so none can leak here.

use super::document::Node;
use crate::domain::{Category, Lang, PhotoId, Status};
use crate::http::messages::t;
use crate::http::photos::{photo_path, PhotoSize};
use crate::store::PublicIncident;
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde_json::Value;

/// How the requests of one answer are written: where this server is reached, the reader's
/// language, the city's time zone and whether the client asked for extensions.
pub(super) struct Style<'a> {
    pub base: &'a str,
    pub lang: Lang,
    pub timezone: Tz,
    pub extensions: bool,
}

/// A time as W3C date-time in the city's time zone (`2026-11-30T10:15:00+02:00`), as the
/// specification's examples give them.
pub(super) fn datetime(at: DateTime<Utc>, timezone: Tz) -> Node {
    Node::Text(
        at.with_timezone(&timezone)
            .to_rfc3339_opts(SecondsFormat::Secs, false),
    )
}

/// Open311's two statuses: `open` while the city still has work to do (see
/// [`Status::awaits_work`]), `closed` once resolved or otherwise ended.
pub(super) fn open_or_closed(status: Status) -> &'static str {
    if status.awaits_work() {
        "open"
    } else {
        "closed"
    }
}

/// The detailed status as a resident reads it.
pub(super) fn status_label(status: Status, l: Lang) -> String {
    let (ro, hu, en) = match status {
        Status::New => ("Nouă", "Új", "New"),
        Status::Acknowledged => ("Confirmată", "Visszaigazolva", "Acknowledged"),
        Status::Assigned => (
            "Repartizată unei echipe",
            "Csapathoz rendelve",
            "Assigned to a crew",
        ),
        Status::InProgress => ("În lucru", "Folyamatban", "In progress"),
        Status::Resolved => ("Rezolvată", "Megoldva", "Resolved"),
        Status::Closed => ("Închisă", "Lezárva", "Closed"),
        Status::Rejected => ("Respinsă", "Elutasítva", "Rejected"),
        Status::Duplicate => (
            "Duplicat al altei sesizări",
            "Egy másik bejelentés másolata",
            "Duplicate of another report",
        ),
        Status::Referred => (
            "Trimisă altei instituții",
            "Más intézményhez továbbítva",
            "Referred to another authority",
        ),
        Status::Reopened => ("Redeschisă", "Újranyitva", "Reopened"),
    };
    t(l, ro, hu, en)
}

/// What the city commits to for a category, from its service levels.
pub(super) fn service_notice(category: &Category, l: Lang) -> String {
    let ack = category.sla.acknowledge_hours;
    let days = (category.sla.resolve_hours + 23) / 24;
    t(
        l,
        &format!("Confirmăm sesizarea în cel mult {ack} ore; termenul de rezolvare este de {days} zile."),
        &format!("A bejelentést legfeljebb {ack} órán belül visszaigazoljuk; a megoldási határidő {days} nap."),
        &format!("We acknowledge the report within {ack} hours; the target for resolving it is {days} days."),
    )
}

/// Where a photo's display-size derivative is served, absolute.
fn photo_url(base: &str, id: PhotoId) -> String {
    format!("{base}{}", photo_path(id, PhotoSize::Display))
}

/// One service request with every field of the specification, and with
/// `extended_attributes` when the client asked for extensions.
pub(super) fn request(i: &PublicIncident, category: Option<&Category>, style: &Style) -> Node {
    let (base, lang, tz) = (style.base, style.lang, style.timezone);
    let mut notes = status_label(i.status, lang);
    if let Some(note) = &i.latest_note {
        notes = format!("{notes}: {note}");
    }
    let media_url = i
        .photos
        .first()
        .map(|p| photo_url(base, p.id))
        .or_else(|| i.media_url.clone());
    let expected = i.status.awaits_work().then_some(i.resolve_due_at);
    let mut fields = vec![
        (
            "service_request_id",
            Node::text(i.tracking_number.to_string()),
        ),
        ("status", Node::text(open_or_closed(i.status))),
        ("status_notes", Node::Text(notes)),
        ("service_name", Node::text(i.category_name.get(lang))),
        ("service_code", Node::text(i.category.as_str())),
        ("description", Node::text(i.description.as_str())),
        (
            "agency_responsible",
            Node::text(i.department_name.get(lang)),
        ),
        (
            "service_notice",
            Node::optional_text(category.map(|c| service_notice(c, lang))),
        ),
        ("requested_datetime", datetime(i.created_at, tz)),
        ("updated_datetime", datetime(i.updated_at, tz)),
        (
            "expected_datetime",
            expected.map_or(Node::Null, |at| datetime(at, tz)),
        ),
        ("address", Node::optional_text(i.address.clone())),
        ("address_id", Node::Null),
        ("zipcode", Node::Null),
        ("lat", Node::Number(i.location.lat())),
        ("long", Node::Number(i.location.lon())),
        ("media_url", Node::optional_text(media_url)),
    ];
    if style.extensions {
        fields.push(("extended_attributes", extended_attributes(i, style)));
    }
    Node::Object(fields)
}

/// What semnal knows beyond the specification: the detailed status, the zone, every photo,
/// the answers to the category's questions and the resident's tracking page.
fn extended_attributes(i: &PublicIncident, style: &Style) -> Node {
    let (base, lang, tz) = (style.base, style.lang, style.timezone);
    let photos = i
        .photos
        .iter()
        .map(|p| Node::Text(photo_url(base, p.id)))
        .collect();
    let attributes = match &i.attributes {
        Value::Object(map) => map
            .iter()
            .map(|(code, value)| {
                Node::Object(vec![
                    ("code", Node::text(code.as_str())),
                    ("value", attribute_value(value)),
                ])
            })
            .collect(),
        _ => Vec::new(),
    };
    Node::Object(vec![
        ("detailed_status", Node::text(i.status.as_str())),
        (
            "detailed_status_name",
            Node::Text(status_label(i.status, lang)),
        ),
        ("priority", Node::text(i.priority.as_str())),
        ("zone", Node::text(i.zone_code.as_str())),
        ("zone_name", Node::text(i.zone_name.as_str())),
        ("department", Node::text(i.department_code.as_str())),
        (
            "acknowledge_due_datetime",
            datetime(i.acknowledge_due_at, tz),
        ),
        ("resolve_due_datetime", datetime(i.resolve_due_at, tz)),
        (
            "tracking_url",
            Node::Text(format!("{base}/t/{}", i.tracking_number)),
        ),
        ("media_urls", Node::list("media_url", photos)),
        ("attributes", Node::list("attribute", attributes)),
    ])
}

fn attribute_value(value: &Value) -> Node {
    match value {
        Value::String(s) => Node::text(s.as_str()),
        Value::Number(n) => n.as_f64().map_or(Node::Null, Node::Number),
        Value::Bool(b) => Node::Bool(*b),
        Value::Array(items) => Node::list("value", items.iter().map(attribute_value).collect()),
        Value::Null | Value::Object(_) => Node::Null,
    }
}
