//! `servicerequestupdates`: the public events of every request in a window, as
//! FixMyStreet reads them from the systems it sends reports to.

use super::document::{Document, Node};
use super::error::Open311Error;
use super::{date_window, view};
use crate::app::App;
use crate::domain::{Lang, Status};
use crate::http::query::QueryParams;

/// At most this many updates in one answer. A window with more is refused, so that a client
/// never takes a cut list for the whole.
const MAX_UPDATES: i64 = 1000;

/// FixMyStreet's name for a status (the states its Open311 updates understand).
fn fixmystreet_status(status: Status) -> &'static str {
    match status {
        Status::New => "open",
        Status::Acknowledged => "investigating",
        Status::Assigned => "action_scheduled",
        Status::InProgress => "in_progress",
        Status::Resolved => "fixed",
        Status::Closed => "closed",
        Status::Rejected => "no_further_action",
        Status::Duplicate => "duplicate",
        Status::Referred => "not_councils_responsibility",
        // FixMyStreet has no state for it and would drop the update: open again is open.
        Status::Reopened => "open",
    }
}

pub(super) async fn list(app: &App, q: &QueryParams, lang: Lang) -> Result<Document, Open311Error> {
    let directory = app.directory.current();
    let (from, until) = date_window(q, directory.timezone)?;
    let updates = app
        .store
        .public_updates(&directory.jurisdiction, from, until, MAX_UPDATES + 1)
        .await?;
    if updates.len() as i64 > MAX_UPDATES {
        return Err(Open311Error::TooManyUpdates { max: MAX_UPDATES });
    }
    let items = updates
        .iter()
        .map(|u| {
            let description = u
                .text
                .clone()
                .unwrap_or_else(|| view::status_label(u.status, lang));
            Node::Object(vec![
                ("update_id", Node::text(u.id.to_string())),
                (
                    "service_request_id",
                    Node::text(u.tracking_number.to_string()),
                ),
                ("status", Node::text(fixmystreet_status(u.status))),
                ("updated_datetime", view::datetime(u.at, directory.timezone)),
                ("description", Node::Text(description)),
                ("media_url", Node::Null),
                ("external_status_code", Node::text(u.status.as_str())),
            ])
        })
        .collect();
    Ok(Document {
        root: "service_request_updates",
        body: Node::list("request_update", items),
    })
}
