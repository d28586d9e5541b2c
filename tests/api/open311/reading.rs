//! `GET requests` selects as the specification says: by id list (overriding everything), by
//! service codes, by open/closed, in a creation window of at most 90 days.

use super::kinds::Kinds;
use super::shape::{Format, Spec};
use super::{get, resolve};
use crate::helpers::{TestApp, CENTRU};
use chrono::{Duration, Utc};

/// The ids `requests.{format}{query}` lists, each checked against the specification.
async fn listed(app: &TestApp, format: Format, query: &str) -> Vec<String> {
    let requests =
        get(app, "requests", format, query)
            .await
            .conforming(format, &Spec::load("requests"), &[]);
    let kinds = Kinds(format);
    let mut ids: Vec<String> = requests
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            kinds.request(r);
            kinds.text(&r["service_request_id"], "id").to_owned()
        })
        .collect();
    ids.sort();
    ids
}

fn sorted(ids: &[&str]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn requests_are_selected_by_id_service_status_and_window() {
    let app = TestApp::spawn().await;
    let pothole = app.report_pothole_at(CENTRU).await;
    let graffiti = app.report("graffiti", CENTRU).await;
    let (p, g) = (
        pothole["tracking_number"].as_str().unwrap(),
        graffiti["tracking_number"].as_str().unwrap(),
    );
    resolve(&app, g, "Zidul a fost curățat.").await;
    let yesterday = (Utc::now() - Duration::days(1)).format("%Y-%m-%d");
    // `+` is written `%2B` in a query string, as a client encodes it.
    let tomorrow = format!(
        "{}T00:00:00%2B02:00",
        (Utc::now() + Duration::days(1)).format("%Y-%m-%d")
    );

    for format in Format::BOTH {
        let both = sorted(&[p, g]);
        let cases: Vec<(String, Vec<String>)> = vec![
            (String::new(), both.clone()),
            ("?status=open".into(), sorted(&[p])),
            ("?status=closed".into(), sorted(&[g])),
            ("?status=open,closed".into(), both.clone()),
            ("?service_code=graffiti".into(), sorted(&[g])),
            ("?service_code=pothole,graffiti".into(), both.clone()),
            ("?service_code=dead-animal".into(), vec![]),
            (format!("?start_date={yesterday}"), both.clone()),
            (
                format!("?start_date={yesterday}&end_date={tomorrow}"),
                both.clone(),
            ),
            (
                "?start_date=2001-01-01T00:00:00Z&end_date=2001-03-01T00:00:00Z".into(),
                vec![],
            ),
            (format!("?service_request_id={g}"), sorted(&[g])),
            // The id list overrides every other argument.
            (
                format!(
                    "?service_request_id={p},{g}&status=closed&service_code=dead-animal\
                     &start_date=2001-01-01&end_date=2001-02-01"
                ),
                both.clone(),
            ),
            // An empty argument is the same as none.
            (
                "?status=&service_code=&start_date=&end_date=&jurisdiction_id=".into(),
                both.clone(),
            ),
        ];
        for (query, expected) in cases {
            assert_eq!(
                listed(&app, format, &query).await,
                expected,
                "{format:?} {query}"
            );
        }

        let closed = get(&app, &format!("requests/{g}"), format, "")
            .await
            .conforming(format, &Spec::load("request"), &[]);
        let kinds = Kinds(format);
        assert_eq!(closed[0]["status"], "closed");
        let notes = kinds.optional_text(&closed[0]["status_notes"], "status_notes");
        assert!(
            notes
                .as_deref()
                .unwrap_or_default()
                .contains("Zidul a fost curățat."),
            "{notes:?}"
        );
    }
}
