//! Reading service requests (`GET requests`, `requests/{id}`) and turning a token into an
//! id (`tokens/{token}`).

use super::date_window;
use super::document::{Document, Node};
use super::error::Open311Error;
use super::view::{self, Style};
use crate::app::App;
use crate::domain::{CategoryCode, IncidentId, Status, TrackingNumber};
use crate::http::error::Expected;
use crate::http::query::QueryParams;
use crate::routing::Directory;
use crate::store::{IncidentFilter, PublicIncident};
use std::sync::Arc;

/// At most this many requests in one answer, as the specification allows.
const MAX_REQUESTS: i64 = 1000;

/// A reading of requests: the service, the one snapshot of the catalogue the whole answer
/// is read against, and how to write the requests.
pub(super) struct Reading<'a> {
    pub app: &'a App,
    pub directory: Arc<Directory>,
    pub style: Style<'a>,
}

impl Reading<'_> {
    fn document(&self, incidents: &[PublicIncident]) -> Document {
        let requests = incidents
            .iter()
            .map(|i| view::request(i, self.directory.category(&i.category), &self.style))
            .collect();
        Document {
            root: "service_requests",
            body: Node::list("request", requests),
        }
    }
}

/// Every request of the served jurisdiction, newest first, as many as one answer holds.
fn all_requests(directory: &Directory) -> IncidentFilter {
    IncidentFilter {
        jurisdiction: directory.jurisdiction.clone(),
        bbox: None,
        statuses: Vec::new(),
        categories: Vec::new(),
        tracking_numbers: Vec::new(),
        created_from: None,
        created_until: None,
        before: None,
        limit: MAX_REQUESTS,
    }
}

/// `GET requests`: by id list, or by service, status and creation window, newest first.
pub(super) async fn list(reading: &Reading<'_>, q: &QueryParams) -> Result<Document, Open311Error> {
    let directory = &reading.directory;
    let mut filter = all_requests(directory);
    // A list of ids overrides every other parameter.
    filter.tracking_numbers = q.list("service_request_id", Expected::TrackingNumber, |id| {
        TrackingNumber::parse(id).ok()
    })?;
    if filter.tracking_numbers.is_empty() {
        let (from, until) = date_window(q, reading.style.timezone)?;
        filter.created_from = Some(from);
        filter.created_until = Some(until);
        filter.categories = q.list("service_code", Expected::Category, |code| {
            CategoryCode::parse(code).filter(|c| directory.category(c).is_some())
        })?;
        if let Some(statuses) = q.text("status") {
            filter.statuses = statuses_for(statuses)?;
        }
    }
    let page = reading.app.store.list_incidents(&filter).await?;
    Ok(reading.document(&page.incidents))
}

/// Our statuses that Open311's `open`/`closed` (comma-separated) stand for.
fn statuses_for(list: &str) -> Result<Vec<Status>, Open311Error> {
    let mut wanted = Vec::new();
    for part in list.split(',').map(str::trim) {
        let awaiting_work = match part {
            "open" => true,
            "closed" => false,
            _ => return Err(Open311Error::InvalidStatus),
        };
        wanted.extend(
            Status::ALL
                .iter()
                .filter(|s| s.awaits_work() == awaiting_work),
        );
    }
    Ok(wanted)
}

/// `GET requests/{id}`.
pub(super) async fn one(reading: &Reading<'_>, id: &str) -> Result<Document, Open311Error> {
    let unknown = || Open311Error::UnknownRequest {
        field: "service_request_id",
    };
    let tracking = TrackingNumber::parse(id).map_err(|_| unknown())?;
    let mut filter = all_requests(&reading.directory);
    filter.tracking_numbers = vec![tracking];
    let page = reading.app.store.list_incidents(&filter).await?;
    if page.incidents.is_empty() {
        return Err(unknown());
    }
    Ok(reading.document(&page.incidents))
}

/// `GET tokens/{token}`: the token is the incident's id. Requests are filed at once and
/// answered with their id, so clients never need one; the endpoint answers for clients that
/// call it anyway.
pub(super) async fn token(app: &App, token: &str) -> Result<Document, Open311Error> {
    let unknown = || Open311Error::UnknownRequest { field: "token" };
    let id = token.parse().map(IncidentId).map_err(|_| unknown())?;
    let jurisdiction = &app.directory.current().jurisdiction;
    let tracking = app
        .store
        .tracking_number_of(jurisdiction, id)
        .await?
        .ok_or_else(unknown)?;
    Ok(Document {
        root: "service_requests",
        body: Node::list(
            "request",
            vec![Node::Object(vec![
                ("service_request_id", Node::text(tracking.to_string())),
                ("token", Node::text(id.to_string())),
            ])],
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_and_closed_cover_every_status_once() {
        let open = statuses_for("open").unwrap();
        let closed = statuses_for("closed").unwrap();
        assert_eq!(open.len() + closed.len(), Status::ALL.len());
        assert!(open.contains(&Status::Reopened) && closed.contains(&Status::Resolved));
        assert_eq!(
            statuses_for("open,closed").unwrap().len(),
            Status::ALL.len()
        );
        assert!(statuses_for("pending").is_err());
    }
}
