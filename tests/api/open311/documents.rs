//! Every endpoint, in XML and JSON, has the shape of the specification's example document
//! and values of the kinds it defines.

use super::kinds::Kinds;
use super::shape::{Format, Spec};
use super::{filed_id, get, issue_key, pairs, post, pothole_fields, set_status, token_of};
use crate::helpers::{TestApp, CENTRU};
use serde_json::Value;

#[tokio::test]
async fn discovery_has_the_specifications_fields_and_leads_to_the_endpoint() {
    let app = TestApp::spawn().await;
    let spec = Spec::load("discovery");
    for format in Format::BOTH {
        let discovery = get(&app, "discovery", format, "")
            .await
            .conforming(format, &spec, &[]);
        Kinds(format).discovery(&discovery);
        // A client that starts from discovery finds the service list at the endpoint's URL.
        let url = discovery["endpoints"][0]["url"].as_str().unwrap();
        let services = app
            .client
            .get(format!("{url}/services.xml"))
            .send()
            .await
            .unwrap();
        assert_eq!(services.status(), 200, "{url}");
    }
}

#[tokio::test]
async fn every_service_and_its_definition_have_the_specifications_fields() {
    let app = TestApp::spawn().await;
    let (list, definition) = (Spec::load("services"), Spec::load("service_definition"));
    let categories = app.get_json("/api/v1/categories").await;
    let categories = categories["categories"].as_array().unwrap().len();
    for format in Format::BOTH {
        let kinds = Kinds(format);
        let services = get(&app, "services", format, "")
            .await
            .conforming(format, &list, &[]);
        let services = services.as_array().unwrap();
        assert_eq!(services.len(), categories, "every category is a service");
        for service in services {
            kinds.service(service);
            let code = kinds.text(&service["service_code"], "service_code");
            let d = get(&app, &format!("services/{code}"), format, "")
                .await
                .conforming(format, &definition, &[]);
            kinds.service_definition(&d);
            assert_eq!(d["service_code"], code);
            // `metadata` true: the client must read the definition for more fields.
            assert_eq!(
                kinds.boolean(&service["metadata"], "metadata"),
                !d["attributes"].as_array().unwrap().is_empty(),
                "{code}"
            );
        }
    }
}

#[tokio::test]
async fn a_service_definition_lists_the_categorys_questions_in_order() {
    let app = TestApp::spawn().await;
    let spec = Spec::load("service_definition");
    for format in Format::BOTH {
        let kinds = Kinds(format);
        let pothole = get(&app, "services/pothole", format, "?locale=en")
            .await
            .conforming(format, &spec, &[]);
        let attributes = pothole["attributes"].as_array().unwrap();
        let codes: Vec<&str> = attributes
            .iter()
            .map(|a| kinds.text(&a["code"], "code"))
            .collect();
        assert_eq!(codes, ["depth_cm", "position"]);
        assert_eq!(kinds.text(&attributes[0]["datatype"], "datatype"), "number");
        assert_eq!(kinds.integer(&attributes[0]["order"], "order"), 1);
        assert!(!kinds.boolean(&attributes[0]["required"], "required"));
        assert_eq!(
            kinds.text(&attributes[0]["description"], "description"),
            "Approximate depth of the pothole, in centimetres."
        );
        let position = &attributes[1];
        assert_eq!(
            kinds.text(&position["datatype"], "datatype"),
            "singlevaluelist"
        );
        assert_eq!(kinds.integer(&position["order"], "order"), 2);
        let first = &position["values"][0];
        assert_eq!(kinds.text(&first["key"], "key"), "traffic_lane");
        assert_eq!(kinds.text(&first["name"], "name"), "In the traffic lane");

        let sign = get(&app, "services/damaged-road-sign", format, "")
            .await
            .conforming(format, &spec, &[]);
        let state = &sign["attributes"][1];
        assert_eq!(kinds.text(&state["code"], "code"), "sign_state");
        assert!(kinds.boolean(&state["required"], "required"));
    }
}

#[tokio::test]
async fn services_come_in_the_language_asked() {
    let app = TestApp::spawn().await;
    let spec = Spec::load("services");
    let cases = [
        ("?locale=hu", None, "hu", "Kátyú az úttesten"),
        ("", Some("en-GB,en;q=0.9"), "en", "Pothole"),
        ("?locale=ro", Some("en"), "ro", "Groapă în carosabil"),
        ("", None, "ro", "Groapă în carosabil"),
    ];
    for format in Format::BOTH {
        for (query, accept_language, lang, pothole) in cases {
            let mut request = app
                .client
                .get(app.url(&super::path("services", format, query)));
            if let Some(header) = accept_language {
                request = request.header("Accept-Language", header);
            }
            let answer = super::Answer::read(request.send().await.unwrap()).await;
            assert_eq!(answer.header("content-language"), Some(lang));
            let services = answer.conforming(format, &spec, &[]);
            let found = services
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["service_code"] == "pothole")
                .unwrap();
            assert_eq!(
                found["service_name"], pothole,
                "{query} {accept_language:?}"
            );
        }
    }
    let definition = get(&app, "services/pothole", Format::Xml, "?locale=hu")
        .await
        .conforming(Format::Xml, &Spec::load("service_definition"), &[]);
    assert_eq!(
        definition["attributes"][0]["description"],
        "A kátyú becsült mélysége centiméterben."
    );
}

#[tokio::test]
async fn a_filed_request_reads_back_from_every_endpoint_in_the_specifications_shape() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app, "Aplicația cartierului").await.key;
    let (post_response, requests, request, token) = (
        Spec::load("post_response"),
        Spec::load("requests"),
        Spec::load("request"),
        Spec::load("token"),
    );
    for format in Format::BOTH {
        let kinds = Kinds(format);
        let mut fields = pothole_fields(&key);
        fields.push(("description", format!("Groapă adâncă ({format:?})")));
        // `token` is a field of the response table; whether it may come with the id is
        // checked on its own below.
        let filed = post(&app, format, &pairs(&fields)).await.conforming(
            format,
            &post_response,
            &["token"],
        );
        assert_eq!(filed.as_array().unwrap().len(), 1);
        kinds.filed(&filed[0]);
        assert!(kinds
            .optional_text(&filed[0]["service_notice"], "notice")
            .is_some());
        let id = filed_id(&filed);

        let one = get(&app, &format!("requests/{id}"), format, "")
            .await
            .conforming(format, &request, &[]);
        assert_eq!(one.as_array().unwrap().len(), 1);
        let r = &one[0];
        kinds.request(r);
        assert_eq!(r["service_request_id"], id.as_str());
        assert_eq!(r["service_code"], "pothole");
        assert_eq!(r["status"], "open");
        assert_eq!(r["service_name"], "Groapă în carosabil");
        assert_eq!(
            kinds.text(&r["description"], "description"),
            format!("Groapă adâncă ({format:?})")
        );
        assert!((kinds.number(&r["lat"], "lat") - CENTRU.1).abs() < 1e-9);
        assert!((kinds.number(&r["long"], "long") - CENTRU.0).abs() < 1e-9);
        assert!(kinds
            .optional_text(&r["agency_responsible"], "agency")
            .is_some());
        assert!(kinds
            .optional_datetime(&r["expected_datetime"], "expected")
            .is_some());

        let listed = get(&app, "requests", format, "")
            .await
            .conforming(format, &requests, &[]);
        let listed = listed.as_array().unwrap();
        listed.iter().for_each(|r| kinds.request(r));
        assert!(listed
            .iter()
            .any(|r| r["service_request_id"] == id.as_str()));
        let by_id = get(
            &app,
            "requests",
            format,
            &format!("?service_request_id={id}"),
        )
        .await
        .conforming(format, &requests, &[]);
        assert_eq!(by_id.as_array().unwrap().len(), 1);
        assert_eq!(by_id[0], *r);

        let token_id = token_of(&app, &id).await;
        let answer = get(&app, &format!("tokens/{token_id}"), format, "")
            .await
            .conforming(format, &token, &[]);
        kinds.token(&answer[0]);
        assert_eq!(answer[0]["service_request_id"], id.as_str());
        assert_eq!(answer[0]["token"], token_id.as_str());
    }
}

#[tokio::test]
async fn the_post_response_carries_the_request_id_or_a_token_not_both() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app, "Aplicația cartierului").await.key;
    let spec = Spec::load("post_response");
    for format in Format::BOTH {
        let filed = post(&app, format, &pairs(&pothole_fields(&key)))
            .await
            .conforming(format, &spec, &["token"]);
        // GeoReport v2, POST Service Request, response table: `service_request_id` "should
        // not be returned if token is returned", `token` "should not be returned if
        // service_request_id is returned". The services are `realtime`: the id.
        assert!(
            filed[0].get("token").is_none(),
            "{format:?}: a token came with the service_request_id: {}",
            filed[0]
        );
    }
}

#[tokio::test]
async fn fixmystreet_reads_each_public_status_change_from_servicerequestupdates() {
    let app = TestApp::spawn().await;
    // The example of FixMyStreet's extension, with `media_url` from its field table;
    // `external_status_code` is its optional extra.
    let spec = Spec::load_xml("servicerequestupdates", &["service_request_updates"])
        .with_item_field("media_url");
    let key = issue_key(&app, "FixMyStreet").await.key;
    let pothole = filed_id(
        &post(&app, Format::Json, &pairs(&pothole_fields(&key)))
            .await
            .conforming(Format::Json, &Spec::load("post_response"), &["token"]),
    );
    let graffiti = app.report("graffiti", CENTRU).await;
    let graffiti = graffiti["tracking_number"].as_str().unwrap().to_owned();
    set_status(&app, &graffiti, "resolved", "Zidul a fost curățat.").await;
    set_status(&app, &graffiti, "reopened", "A apărut din nou.").await;

    // JSON first: the XML also checks the root element's name.
    for format in [Format::Json, Format::Xml] {
        let kinds = Kinds(format);
        let updates = get(&app, "servicerequestupdates", format, "")
            .await
            .conforming(format, &spec, &["external_status_code"]);
        let updates = updates.as_array().unwrap();
        updates.iter().for_each(|u| kinds.update(u));
        let of = |id: &str| -> Vec<&Value> {
            updates
                .iter()
                .filter(|u| u["service_request_id"] == id)
                .collect()
        };
        let ids: std::collections::HashSet<&Value> =
            updates.iter().map(|u| &u["update_id"]).collect();
        assert_eq!(ids.len(), updates.len(), "update ids are unique");

        let reported = of(&pothole);
        assert_eq!(reported.len(), 1);
        assert_eq!(reported[0]["status"], "open");
        let cleaned = of(&graffiti);
        assert_eq!(cleaned.len(), 3, "reported, resolved, reopened");
        assert_eq!(cleaned[1]["status"], "fixed");
        assert_eq!(cleaned[1]["description"], "Zidul a fost curățat.");
        assert_eq!(cleaned[1]["external_status_code"], "resolved");
        // FixMyStreet knows no "reopened": open again is open, or it would drop the update.
        assert_eq!(cleaned[2]["status"], "open");
        assert_eq!(cleaned[2]["external_status_code"], "reopened");
        assert!(
            kinds.datetime(&cleaned[1]["updated_datetime"], "updated")
                >= kinds.datetime(&cleaned[0]["updated_datetime"], "updated")
        );
    }
}
