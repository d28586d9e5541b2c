//! Reading a report from the request body: JSON without photos, or a multipart form with
//! up to the configured number of photos, each read with a size limit as it streams in.

use super::super::error::ApiError;
use super::super::upload::{attribute_code, media_type, read_form, small_body, FormParts};
use crate::admission::Admitted;
use crate::app::App;
use crate::intake::ReportInput;
use axum::extract::Request;
use serde_json::Value;

/// Reads the body as JSON or multipart, by its content type, with the room a multipart
/// body takes in the upload budget (keep it until the photos are processed).
pub(super) async fn read_report(
    app: &App,
    request: Request,
) -> Result<(ReportInput, Option<Admitted>), ApiError> {
    match media_type(&request).as_str() {
        "application/json" => Ok((from_json(&small_body(app, request).await?)?, None)),
        "multipart/form-data" => {
            let mut form = read_form(app, request, |_| async { Ok::<(), ApiError>(()) }).await?;
            let admitted = form.admitted.take();
            Ok((from_form(form), admitted))
        }
        _ => Err(ApiError::UnsupportedMediaType),
    }
}

fn from_json(body: &[u8]) -> Result<ReportInput, ApiError> {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return Err(ApiError::MalformedBody { field: None });
    };
    let mut input = ReportInput::default();
    for (name, value) in map {
        if name == "attributes" {
            let Value::Object(attributes) = value else {
                return Err(ApiError::MalformedBody { field: Some(name) });
            };
            for (code, v) in attributes {
                let values = match v {
                    Value::Array(items) => items
                        .into_iter()
                        .map(|i| scalar(&i))
                        .collect::<Option<Vec<_>>>(),
                    other => scalar(&other).map(|s| vec![s]),
                };
                let field = format!("attributes.{code}");
                input.attributes.insert(
                    code,
                    values.ok_or(ApiError::MalformedBody { field: Some(field) })?,
                );
            }
            continue;
        }
        if let Some(slot) = text_slot(&mut input, &name) {
            *slot = match value {
                Value::Null => None,
                other => Some(scalar(&other).ok_or(ApiError::MalformedBody { field: Some(name) })?),
            };
        }
    }
    Ok(input)
}

/// A JSON string, number or boolean as text.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The text field of the report named `name`; unknown names are ignored.
fn text_slot<'a>(input: &'a mut ReportInput, name: &str) -> Option<&'a mut Option<String>> {
    Some(match name {
        "category" => &mut input.category,
        "lat" => &mut input.lat,
        "lon" | "long" => &mut input.lon,
        "description" => &mut input.description,
        "address" => &mut input.address,
        "reporter_name" => &mut input.reporter_name,
        "reporter_email" | "email" => &mut input.reporter_email,
        "reporter_phone" | "phone" => &mut input.reporter_phone,
        "locale" => &mut input.locale,
        _ => return None,
    })
}

fn from_form(form: FormParts) -> ReportInput {
    let mut input = ReportInput {
        photos: form.photos,
        ..ReportInput::default()
    };
    for (name, value) in form.fields {
        if let Some(code) = attribute_code(&name) {
            input
                .attributes
                .entry(code.to_owned())
                .or_default()
                .push(value);
        } else if let Some(slot) = text_slot(&mut input, &name) {
            *slot = Some(value);
        }
    }
    input
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_numbers_strings_and_attribute_lists_are_read() {
        let input = from_json(
            br#"{"category":"pothole","lat":46.07,"lon":"23.58","attributes":{"depth_cm":12,"what":["a","b"]}}"#,
        )
        .unwrap();
        assert_eq!(input.lat.as_deref(), Some("46.07"));
        assert_eq!(input.lon.as_deref(), Some("23.58"));
        assert_eq!(input.attributes["what"], ["a", "b"]);
        assert_eq!(input.attributes["depth_cm"], ["12"]);
    }

    #[test]
    fn a_wrongly_typed_json_field_is_named() {
        let Err(ApiError::MalformedBody { field }) = from_json(br#"{"category":{"x":1}}"#) else {
            panic!()
        };
        assert_eq!(field.as_deref(), Some("category"));
        assert!(matches!(
            from_json(b"[1,2]"),
            Err(ApiError::MalformedBody { field: None })
        ));
        assert_eq!(attribute_code("attribute[depth_cm]"), Some("depth_cm"));
        assert_eq!(attribute_code("attributes[what][]"), Some("what"));
    }
}
