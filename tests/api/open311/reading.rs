//! `GET requests` selects as the specification says: by id list (overriding everything), by
//! service codes, by open/closed, in a creation window of at most 90 days.

use super::kinds::Kinds;
use super::shape::{Format, Spec};
use super::{get, set_status};
use crate::helpers::{TestApp, CENTRU};
use chrono::{Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// The time zone of the jurisdiction the tests serve: its days are what plain dates mean.
fn city_zone() -> Tz {
    let spec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("fixtures/alba-iulia/municipality.json").unwrap(),
    )
    .unwrap();
    spec["jurisdiction"]["timezone"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Midnight of `day` in `zone`, as a query value with the zone's offset (`+` as `%2B`).
fn midnight_in(zone: Tz, day: NaiveDate) -> String {
    let midnight = zone
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap())
        .earliest()
        .unwrap();
    midnight
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
        .replace('+', "%2B")
}

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
    set_status(&app, g, "resolved", "Zidul a fost curățat.").await;
    // The city's days, not UTC's: near midnight the two calendars disagree.
    let zone = city_zone();
    let today_date = Utc::now().with_timezone(&zone).date_naive();
    let yesterday = (today_date - Days::new(1)).format("%Y-%m-%d");
    let today = today_date.format("%Y-%m-%d");
    let tomorrow = midnight_in(zone, today_date + Days::new(1));

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
            // A plain end date takes in its whole day: today's requests are in.
            (
                format!("?start_date={yesterday}&end_date={today}"),
                both.clone(),
            ),
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

#[tokio::test]
async fn a_reopened_request_is_open_again() {
    let app = TestApp::spawn().await;
    let filed = app.report("graffiti", CENTRU).await;
    let id = filed["tracking_number"].as_str().unwrap();
    set_status(&app, id, "resolved", "Zidul a fost curățat.").await;
    set_status(&app, id, "reopened", "A apărut din nou.").await;
    for format in Format::BOTH {
        assert_eq!(listed(&app, format, "?status=open").await, sorted(&[id]));
        let request = get(&app, &format!("requests/{id}"), format, "")
            .await
            .conforming(format, &Spec::load("request"), &[]);
        assert_eq!(request[0]["status"], "open");
        let notes = Kinds(format).optional_text(&request[0]["status_notes"], "status_notes");
        assert!(notes.unwrap_or_default().contains("A apărut din nou."));
    }
}

#[tokio::test]
async fn absolute_urls_use_the_configured_public_url_not_forwarded_headers() {
    let app = TestApp::spawn_with(|config| {
        config.public_url = Some("https://semnal.apulum.ro".into());
    })
    .await;
    let discovery = app
        .client
        .get(app.url("/open311/v2/discovery.json"))
        .header("x-forwarded-host", "attacker.example")
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(
        discovery["endpoints"][0]["url"],
        "https://semnal.apulum.ro/open311/v2"
    );
    let tiles = app.get_json("/tiles/incidents.json").await;
    assert!(tiles["tiles"][0]
        .as_str()
        .unwrap()
        .starts_with("https://semnal.apulum.ro/tiles/incidents/"));
}
