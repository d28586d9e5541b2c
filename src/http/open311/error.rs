//! Open311 errors: the specification's `errors` list of `error`s with a `code` (the HTTP
//! status) and a `description` that names the parameter at fault, in the request's language.

use super::document::{Document, Format, Node};
use crate::domain::Lang;
use crate::http::messages::{describe, t};
use crate::http::ApiError;
use crate::intake::IntakeError;
use axum::http::StatusCode;

/// Everything an Open311 request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Open311Error {
    /// What the rest of the API would have said (intake, parameters, storage).
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("missing, unknown or revoked api_key")]
    ApiKey,
    #[error("unknown service {0:?}")]
    UnknownService(String),
    #[error("this endpoint serves only {served}")]
    UnknownJurisdiction { served: String },
    #[error("unknown service request")]
    UnknownRequest { field: &'static str },
    #[error("the date window is over {max_days} days")]
    DateWindow { max_days: i64 },
    #[error("status must be open or closed")]
    InvalidStatus,
    #[error("no such Open311 resource")]
    UnknownEndpoint,
    #[error("only requests can be posted")]
    MethodNotAllowed,
    #[error("more than {max} updates in the window")]
    TooManyUpdates { max: i64 },
}

impl From<IntakeError> for Open311Error {
    fn from(e: IntakeError) -> Self {
        Open311Error::Api(e.into())
    }
}

impl From<crate::store::StoreError> for Open311Error {
    fn from(e: crate::store::StoreError) -> Self {
        Open311Error::Api(e.into())
    }
}

impl Open311Error {
    pub fn status(&self) -> StatusCode {
        match self {
            // GeoReport v2 for POST: "404 - service_code ... was not found".
            Open311Error::Api(ApiError::Intake(IntakeError::UnknownCategory { .. })) => {
                StatusCode::NOT_FOUND
            }
            // Open311 answers every other refused input with 400 where the JSON API says 422.
            Open311Error::Api(e) => match e.problem().status {
                StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
                other => other,
            },
            Open311Error::ApiKey => StatusCode::FORBIDDEN,
            Open311Error::UnknownService(_)
            | Open311Error::UnknownJurisdiction { .. }
            | Open311Error::UnknownRequest { .. }
            | Open311Error::UnknownEndpoint => StatusCode::NOT_FOUND,
            Open311Error::DateWindow { .. }
            | Open311Error::InvalidStatus
            | Open311Error::TooManyUpdates { .. } => StatusCode::BAD_REQUEST,
            Open311Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// The `errors` document in `lang`.
    pub fn document(&self, lang: Lang) -> Document {
        let status = self.status();
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %self, "open311 request failed");
        }
        let error = Node::Object(vec![
            ("code", Node::Integer(status.as_u16().into())),
            ("description", Node::Text(self.description(lang))),
        ]);
        Document {
            root: "errors",
            body: Node::list("error", vec![error]),
        }
    }

    /// "parameter: what is wrong", with the parameter as Open311 names it.
    fn description(&self, l: Lang) -> String {
        let (field, detail) = match self {
            Open311Error::Api(e) => {
                let field = e.problem().field.map(|f| open311_name(&f));
                (field, describe(e, l).1)
            }
            Open311Error::ApiKey => (
                Some("api_key".into()),
                t(
                    l,
                    "Cheia API lipsește, este necunoscută sau a fost revocată. Cereți o cheie administratorului primăriei.",
                    "Az API-kulcs hiányzik, ismeretlen vagy visszavonták. Kérjen kulcsot a városháza rendszergazdájától.",
                    "The API key is missing, unknown or revoked. Ask the city's administrator for a key.",
                ),
            ),
            Open311Error::UnknownService(code) => (
                Some("service_code".into()),
                t(
                    l,
                    &format!("Serviciul „{code}” nu există; lista este la services.xml."),
                    &format!("A(z) „{code}” szolgáltatás nem létezik; a lista a services.xml címen érhető el."),
                    &format!("Service \"{code}\" does not exist; the list is at services.xml."),
                ),
            ),
            Open311Error::UnknownJurisdiction { served } => (
                Some("jurisdiction_id".into()),
                t(
                    l,
                    &format!("Acest server deservește doar jurisdicția „{served}”."),
                    &format!("Ez a szerver csak a(z) „{served}” joghatóságot szolgálja ki."),
                    &format!("This server serves only jurisdiction \"{served}\"."),
                ),
            ),
            Open311Error::UnknownRequest { field } => (
                Some((*field).into()),
                t(
                    l,
                    "Nu există nicio sesizare cu acest identificator.",
                    "Ezzel az azonosítóval nincs bejelentés.",
                    "There is no service request with this id.",
                ),
            ),
            Open311Error::DateWindow { max_days } => (
                Some("start_date".into()),
                t(
                    l,
                    &format!("Intervalul dintre start_date și end_date poate avea cel mult {max_days} de zile, iar start_date trebuie să fie înainte de end_date."),
                    &format!("A start_date és end_date közötti időszak legfeljebb {max_days} nap lehet, és a start_date az end_date előtt kell legyen."),
                    &format!("The window from start_date to end_date can be at most {max_days} days, with start_date before end_date."),
                ),
            ),
            Open311Error::InvalidStatus => (
                Some("status".into()),
                t(
                    l,
                    "Starea poate fi open sau closed (sau ambele, separate prin virgulă).",
                    "Az állapot open vagy closed lehet (vagy mindkettő, vesszővel elválasztva).",
                    "The status can be open or closed (or both, separated by a comma).",
                ),
            ),
            Open311Error::UnknownEndpoint => (
                None,
                t(
                    l,
                    "Această resursă Open311 nu există. Resursele sunt discovery, services, requests, tokens și servicerequestupdates, cu extensia .xml sau .json.",
                    "Ez az Open311-erőforrás nem létezik. Az erőforrások: discovery, services, requests, tokens és servicerequestupdates, .xml vagy .json kiterjesztéssel.",
                    "This Open311 resource does not exist. The resources are discovery, services, requests, tokens and servicerequestupdates, with the extension .xml or .json.",
                ),
            ),
            Open311Error::MethodNotAllowed => (
                None,
                t(
                    l,
                    "Se pot trimite (POST) doar sesizări: requests.xml sau requests.json.",
                    "Csak bejelentést lehet beküldeni (POST): requests.xml vagy requests.json.",
                    "Only requests can be posted: requests.xml or requests.json.",
                ),
            ),
            Open311Error::TooManyUpdates { max } => (
                Some("start_date".into()),
                t(
                    l,
                    &format!("În acest interval sunt mai mult de {max} actualizări; cereți un interval mai scurt (start_date, end_date)."),
                    &format!("Ebben az időszakban több mint {max} frissítés van; kérjen rövidebb időszakot (start_date, end_date)."),
                    &format!("There are more than {max} updates in this window; ask for a shorter one (start_date, end_date)."),
                ),
            ),
        };
        match field {
            Some(field) => format!("{field}: {detail}"),
            None => detail,
        }
    }

    /// The response in `format`.
    pub fn respond(&self, format: Format, lang: Lang) -> axum::response::Response {
        let mut response = super::respond(self.status(), format, lang, &self.document(lang));
        if let Some(secs) = self.retry_after() {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(secs),
            );
        }
        response
    }

    fn retry_after(&self) -> Option<u32> {
        match self {
            Open311Error::Api(e) => e.retry_after(),
            _ => None,
        }
    }
}

/// The Open311 name of one of our field names.
fn open311_name(field: &str) -> String {
    if let Some(code) = field.strip_prefix("attributes.") {
        return format!("attribute[{code}]");
    }
    if field.starts_with("photos") {
        return field.replacen("photos", "media", 1);
    }
    match field {
        "category" => "service_code",
        "lon" => "long",
        "location" => "lat",
        "address" => "address_string",
        "reporter_email" => "email",
        "reporter_phone" => "phone",
        "reporter_name" => "first_name",
        other => other,
    }
    .into()
}
