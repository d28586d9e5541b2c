//! The categories a resident can report, in the language asked.

use super::{AppState, RequestLang};
use crate::domain::{Category, Lang};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/categories", get(list_categories))
}

async fn list_categories(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
) -> Json<Value> {
    let directory = app.directory.current();
    let categories: Vec<Value> = directory
        .categories()
        .iter()
        .map(|c| category_json(c, lang))
        .collect();
    Json(json!({ "lang": lang.code(), "categories": categories }))
}

fn category_json(c: &Category, lang: Lang) -> Value {
    let mut attributes = c.attributes.clone();
    attributes.sort_by_key(|a| a.order);
    json!({
        "code": c.code,
        "name": c.name.get(lang),
        "description": c.description.get(lang),
        "group": { "code": c.group_code, "name": c.group_name.get(lang) },
        "icon": c.icon,
        "default_priority": c.default_priority,
        "sla": { "acknowledge_hours": c.sla.acknowledge_hours, "resolve_hours": c.sla.resolve_hours },
        "attributes": attributes.iter().map(|a| json!({
            "code": a.code,
            "datatype": a.datatype,
            "required": a.required,
            "order": a.order,
            "description": a.description.get(lang),
            "values": a.values.iter().map(|v| json!({ "key": v.key, "name": v.name.get(lang) })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
