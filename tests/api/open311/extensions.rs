//! semnal's `extended_attributes` (`extensions=true`) read back from either format, and one
//! request read through `requests/{id}`.

use super::get;
use super::kinds::Kinds;
use super::shape::{Format, Spec};
use crate::helpers::TestApp;
use serde_json::Value;
use std::collections::BTreeMap;

/// An extension's list element read from XML: none, one (an object or text) or several.
fn many(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        Value::Null => vec![],
        Value::String(s) if s.is_empty() => vec![],
        other => vec![other],
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_f64().unwrap().to_string(),
        Value::Bool(b) => b.to_string(),
        other => panic!("{other} is not a single value"),
    }
}

/// The answers to the category's questions in a request read with `extensions=true`.
pub fn answers(format: Format, request: &Value) -> BTreeMap<String, Vec<String>> {
    let extended = &request["extended_attributes"];
    let attributes = match format {
        Format::Json => many(&extended["attributes"]),
        Format::Xml => many(&extended["attributes"]["attribute"]),
    };
    attributes
        .into_iter()
        .map(|a| {
            let values = match &a["value"] {
                Value::Array(items) => items.iter().map(scalar).collect(),
                Value::Object(list) => many(&list["value"]).into_iter().map(scalar).collect(),
                single => vec![scalar(single)],
            };
            (scalar(&a["code"]), values)
        })
        .collect()
}

pub fn answer_map(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
        .collect()
}

/// The one request of `requests/{id}.{format}{query}`.
pub async fn read_request(app: &TestApp, id: &str, format: Format, query: &str) -> Value {
    let extras: &[&str] = if query.contains("extensions=true") {
        &["extended_attributes"]
    } else {
        &[]
    };
    let one = get(app, &format!("requests/{id}"), format, query)
        .await
        .conforming(format, &Spec::load("request"), extras);
    Kinds(format).request(&one[0]);
    one[0].clone()
}
