//! Filing a service request (`POST requests`): the Open311 form mapped onto the same
//! intake as the JSON API (routing, validation, photos, idempotency).

use super::document::{Document, Format, Node};
use super::error::Open311Error;
use super::{check_jurisdiction, respond, view};
use crate::domain::{Lang, SourceChannel};
use crate::http::upload::{attribute_code, idempotency_key, read_form};
use crate::http::{ApiError, AppState, RequestLang};
use crate::intake::{file_report, Filed, ReportInput};
use crate::store::ApiClientId;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

/// `POST requests`, as a URL-encoded form or, with media, a multipart form. `api_key` and
/// `jurisdiction_id` may instead come in the query string, where some clients put them;
/// nothing else is read from there (contact details do not belong in URLs, which get logged).
pub(super) async fn post_request(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(file): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    request: Request,
) -> Response {
    let format = match Format::split(&file) {
        Some(("requests", format)) => format,
        Some((_, format)) => return Open311Error::MethodNotAllowed.respond(format, lang),
        None => return Open311Error::UnknownEndpoint.respond(Format::Xml, lang),
    };
    let key = idempotency_key(request.headers()).map(|k| k.map(str::to_owned));
    // The key and jurisdiction are checked as soon as the fields before the first photo are
    // in (clients send them first), so no upload is read for a caller without a key.
    let mut client = None;
    let mut form_lang = None;
    let (app_ref, query) = (&app, &query);
    let (client_slot, lang_slot) = (&mut client, &mut form_lang);
    let gate = move |fields: Vec<(String, String)>| async move {
        // The form's own `locale` is the language the client's user reads.
        *lang_slot = given(&fields, "locale").and_then(|l| Lang::parse(&l));
        let field = |name| given(&fields, name).or_else(|| given(query, name));
        check_jurisdiction(app_ref, field("jurisdiction_id").as_deref())?;
        let api_key = field("api_key").ok_or(Open311Error::ApiKey)?;
        let found = app_ref.store.authenticate_api_key(&api_key).await?;
        let found = found.ok_or(Open311Error::ApiKey)?;
        // Counted before the photos are read: a refusal costs the upload nothing.
        let limited = crate::limits::Client::api_key(found);
        app_ref
            .limits
            .check_report(limited)
            .map_err(ApiError::from)?;
        *client_slot = Some(found);
        Ok::<(), Open311Error>(())
    };
    let form = read_form(&app, request, gate).await;
    let lang = form_lang.unwrap_or(lang);
    let result = match (form, client) {
        (Ok(form), Some(client)) => {
            let mut input = report_input(&form.fields, client);
            input.photos = form.photos;
            input.limited_as = Some(crate::limits::Client::api_key(client));
            match key {
                Ok(key) => create(&app, input, key.as_deref(), lang).await,
                Err(e) => Err(e.into()),
            }
        }
        (Ok(_), None) => Err(Open311Error::ApiKey),
        (Err(e), _) => Err(e),
    };
    match result {
        Ok((document, replayed)) => {
            let mut response = respond(StatusCode::OK, format, lang, &document);
            if replayed {
                response
                    .headers_mut()
                    .insert("idempotent-replayed", HeaderValue::from_static("true"));
            }
            response
        }
        Err(e) => e.respond(format, lang),
    }
}

/// The first non-blank value of `name`.
fn given(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.clone())
}

/// The fields of a `POST requests` form, by their Open311 names.
fn report_input(form: &[(String, String)], client: ApiClientId) -> ReportInput {
    let mut input = ReportInput {
        api_client: Some(client),
        ..ReportInput::default()
    };
    let (mut first_name, mut last_name) = (None, None);
    for (name, value) in form {
        if let Some(code) = attribute_code(name) {
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
async fn create(
    app: &AppState,
    input: ReportInput,
    idempotency_key: Option<&str>,
    lang: Lang,
) -> Result<(Document, bool), Open311Error> {
    let Filed { incident, replayed } =
        file_report(app, input, SourceChannel::Open311, idempotency_key).await?;
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
}
