//! The same incident through both interfaces: filed by Open311 and read by the JSON API,
//! filed by the JSON API and read by Open311.

use super::extensions::{answer_map, answers, read_request};
use super::kinds::Kinds;
use super::shape::{Format, Spec};
use super::{filed_id, get, issue_key, pairs, post, pothole_fields};
use crate::helpers::{TestApp, CENTRU};
use chrono::{DateTime, SubsecRound};
use serde_json::{json, Value};

#[tokio::test]
async fn a_request_filed_by_open311_reads_back_from_the_json_api() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app, "Aplicația cartierului").await.key;
    let mut fields = pothole_fields(&key);
    fields.extend([
        ("description", "Groapă pe pista de biciclete".to_owned()),
        (
            "address_string",
            "Bulevardul Revoluției 1989 nr. 5".to_owned(),
        ),
        ("attribute[depth_cm]", "7.5".to_owned()),
        ("attribute[position]", "bike_lane".to_owned()),
    ]);
    let filed = post(&app, Format::Json, &pairs(&fields)).await.conforming(
        Format::Json,
        &Spec::load("post_response"),
        &["token"],
    );
    let id = filed_id(&filed);

    let incident = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(incident["tracking_number"], id.as_str());
    assert_eq!(incident["category"]["code"], "pothole");
    assert_eq!(incident["status"], "new");
    assert_eq!(incident["description"], "Groapă pe pista de biciclete");
    assert_eq!(incident["address"], "Bulevardul Revoluției 1989 nr. 5");
    assert_eq!(incident["zone"]["code"], "centru");
    assert_eq!(incident["department"]["code"], "drumuri");
    assert_eq!(incident["attributes"]["depth_cm"].as_f64(), Some(7.5));
    assert_eq!(incident["attributes"]["position"], "bike_lane");
    assert!((incident["location"]["lat"].as_f64().unwrap() - CENTRU.1).abs() < 1e-9);
    assert!((incident["location"]["lon"].as_f64().unwrap() - CENTRU.0).abs() < 1e-9);
    assert_eq!(incident["timeline"][0]["kind"], "reported");
}

#[tokio::test]
async fn a_report_filed_by_the_json_api_reads_back_from_open311() {
    let app = TestApp::spawn().await;
    let filed = app
        .post_json(&json!({
            "category": "street-light-out",
            "lat": 46.079, "lon": 23.585,
            "description": "Stâlpul de lângă parc nu luminează",
            "attributes": { "pole_number": "S-118", "lights_affected": "several" }
        }))
        .await;
    assert_eq!(filed.status(), 201);
    let filed: Value = filed.json().await.unwrap();
    let id = filed["tracking_number"].as_str().unwrap();
    let created = DateTime::parse_from_rfc3339(filed["created_at"].as_str().unwrap()).unwrap();

    for format in Format::BOTH {
        let kinds = Kinds(format);
        let r = read_request(&app, id, format, "?extensions=true").await;
        assert_eq!(r["service_request_id"], id);
        assert_eq!(r["service_code"], "street-light-out");
        assert_eq!(r["service_name"], "Iluminat public nefuncțional");
        assert_eq!(r["status"], "open");
        assert_eq!(r["description"], "Stâlpul de lângă parc nu luminează");
        assert_eq!(r["agency_responsible"], filed["department"]["name"]);
        assert!((kinds.number(&r["lat"], "lat") - 46.079).abs() < 1e-9);
        assert!((kinds.number(&r["long"], "long") - 23.585).abs() < 1e-9);
        assert_eq!(
            kinds.datetime(&r["requested_datetime"], "requested_datetime"),
            created.trunc_subsecs(0)
        );
        assert_eq!(
            answers(format, &r),
            answer_map(&[
                ("lights_affected", &["several"]),
                ("pole_number", &["S-118"])
            ])
        );
        let by_service = get(&app, "requests", format, "?service_code=street-light-out")
            .await
            .conforming(format, &Spec::load("requests"), &[]);
        assert_eq!(by_service.as_array().unwrap().len(), 1);
        assert_eq!(by_service[0]["service_request_id"], id);
    }
}
