//! Service requests: filing one (`POST requests`), reading them (`GET requests`,
//! `requests/{id}`) and turning a token into an id (`tokens/{token}`).

use super::date_window;
use super::document::{Document, Node};
use super::error::Open311Error;
use super::view;
use crate::app::App;
use crate::domain::{CategoryCode, IncidentId, Lang, SourceChannel, Status, TrackingNumber};
use crate::http::error::{ApiError, Expected};
use crate::http::query::QueryParams;
use crate::intake::{file_report, Filed, ReportInput};
use crate::store::{ApiClientId, IncidentFilter, PublicIncident};

/// At most this many requests in one answer, as the specification allows.
const MAX_REQUESTS: i64 = 1000;

/// What one request needs to be written as Open311.
pub(super) struct Reading<'a> {
    pub app: &'a App,
    pub base: &'a str,
    pub lang: Lang,
    pub extensions: bool,
}

impl Reading<'_> {
    fn document(&self, incidents: &[PublicIncident]) -> Document {
        let directory = self.app.directory.current();
        let requests = incidents
            .iter()
            .map(|i| {
                let category = directory.category(&i.category);
                view::request(i, category, self.base, self.lang, self.extensions)
            })
            .collect();
        Document {
            root: "service_requests",
            body: Node::list("request", requests),
        }
    }
}

/// `GET requests`: by id list, or by service, status and creation window, newest first.
pub(super) async fn list(reading: &Reading<'_>, q: &QueryParams) -> Result<Document, Open311Error> {
    let app = reading.app;
    let directory = app.directory.current();
    let mut filter = IncidentFilter {
        jurisdiction: directory.jurisdiction.clone(),
        bbox: None,
        statuses: Vec::new(),
        categories: Vec::new(),
        tracking_numbers: Vec::new(),
        created_from: None,
        created_until: None,
        before: None,
        limit: MAX_REQUESTS,
    };
    if let Some(ids) = q.text("service_request_id") {
        // A list of ids overrides every other parameter.
        filter.tracking_numbers = ids
            .split(',')
            .map(|id| TrackingNumber::parse(id.trim()))
            .collect::<Result<_, _>>()
            .map_err(|_| ApiError::InvalidParameter {
                field: "service_request_id",
                expected: Expected::TrackingNumber,
            })?;
    } else {
        let (from, until) = date_window(q)?;
        filter.created_from = Some(from);
        filter.created_until = Some(until);
        if let Some(codes) = q.text("service_code") {
            filter.categories = codes
                .split(',')
                .map(|c| {
                    CategoryCode::parse(c.trim())
                        .filter(|c| directory.category(c).is_some())
                        .ok_or(ApiError::InvalidParameter {
                            field: "service_code",
                            expected: Expected::Category,
                        })
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(statuses) = q.text("status") {
            filter.statuses = statuses_for(statuses)?;
        }
    }
    let page = app.store.list_incidents(&filter).await?;
    Ok(reading.document(&page.incidents))
}

/// Our statuses that Open311's `open`/`closed` (comma-separated) stand for.
fn statuses_for(list: &str) -> Result<Vec<Status>, Open311Error> {
    let mut wanted = Vec::new();
    for part in list.split(',').map(str::trim) {
        if part != "open" && part != "closed" {
            return Err(Open311Error::InvalidStatus);
        }
        wanted.extend(
            Status::ALL
                .iter()
                .copied()
                .filter(|s| view::open_or_closed(*s) == part),
        );
    }
    Ok(wanted)
}

/// `GET requests/{id}`.
pub(super) async fn one(reading: &Reading<'_>, id: &str) -> Result<Document, Open311Error> {
    let unknown = Open311Error::UnknownRequest {
        field: "service_request_id",
    };
    let Ok(tracking) = TrackingNumber::parse(id) else {
        return Err(unknown);
    };
    let incident = reading
        .app
        .store
        .public_incident(&tracking)
        .await?
        .ok_or(unknown)?;
    Ok(reading.document(&[incident]))
}

/// `GET tokens/{token}`: the token is the incident's id. Requests are filed at once and
/// answered with their id, so clients never need one; the endpoint answers for clients that
/// call it anyway.
pub(super) async fn token(app: &App, token: &str) -> Result<Document, Open311Error> {
    let unknown = Open311Error::UnknownRequest { field: "token" };
    let id = token.parse().map(IncidentId).map_err(|_| unknown)?;
    let tracking = app
        .store
        .tracking_number_of(id)
        .await?
        .ok_or(Open311Error::UnknownRequest { field: "token" })?;
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

/// The fields of a `POST requests` form, by their Open311 names.
pub(super) fn report_input(form: &[(String, String)], client: ApiClientId) -> ReportInput {
    let mut input = ReportInput {
        api_client: Some(client),
        ..ReportInput::default()
    };
    let (mut first_name, mut last_name) = (None, None);
    for (name, value) in form {
        if let Some(code) = crate::http::upload::attribute_code(name) {
            let values = input.attributes.entry(code.to_owned()).or_default();
            values.push(value.clone());
            continue;
        }
        let slot = match name.as_str() {
            "service_code" => &mut input.category,
            "lat" => &mut input.lat,
            "long" => &mut input.lon,
            "address_string" => &mut input.address,
            "description" => &mut input.description,
            "email" => &mut input.reporter_email,
            "phone" => &mut input.reporter_phone,
            "first_name" => &mut first_name,
            "last_name" => &mut last_name,
            "device_id" => &mut input.device_id,
            "account_id" => &mut input.account_id,
            "media_url" => &mut input.media_url,
            "locale" => &mut input.locale,
            _ => continue,
        };
        *slot = Some(value.clone());
    }
    let name: Vec<String> = [first_name, last_name]
        .into_iter()
        .flatten()
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    if !name.is_empty() {
        input.reporter_name = Some(name.join(" "));
    }
    input
}

/// `POST requests`: files the report through the same intake as the JSON API.
pub(super) async fn create(
    app: &App,
    input: ReportInput,
    idempotency_key: Option<String>,
    lang: Lang,
) -> Result<(Document, bool), Open311Error> {
    let Filed { incident, replayed } = file_report(
        app,
        input,
        SourceChannel::Open311,
        idempotency_key.as_deref(),
    )
    .await?;
    let directory = app.directory.current();
    let notice = directory
        .category(&incident.category)
        .map(|c| view::service_notice(c, lang));
    // Filed at once, so the id itself: the specification returns a token only instead of it.
    let fields = vec![
        (
            "service_request_id",
            Node::text(incident.tracking_number.to_string()),
        ),
        ("service_notice", Node::optional_text(notice)),
        // The reporter's account is theirs: it is not echoed back.
        ("account_id", Node::Null),
    ];
    let document = Document {
        root: "service_requests",
        body: Node::list("request", vec![Node::Object(fields)]),
    };
    Ok((document, replayed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn open311_names_fill_the_report() {
        let input = report_input(
            &form(&[
                ("service_code", "pothole"),
                ("long", "23.58"),
                ("lat", "46.07"),
                ("first_name", " Ana "),
                ("last_name", "Pop"),
                ("attribute[depth_cm]", "12"),
                ("attribute[what][]", "a"),
                ("attribute[what][]", "b"),
                ("api_key", "sk_secret"),
            ]),
            ApiClientId(7),
        );
        assert_eq!(input.category.as_deref(), Some("pothole"));
        assert_eq!(input.lon.as_deref(), Some("23.58"));
        assert_eq!(input.reporter_name.as_deref(), Some("Ana Pop"));
        assert_eq!(input.attributes["depth_cm"], ["12"]);
        assert_eq!(input.attributes["what"], ["a", "b"]);
        assert_eq!(input.api_client, Some(ApiClientId(7)));
    }

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
