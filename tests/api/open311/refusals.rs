//! Each refusal has the specification's error: its HTTP status (403 for the key, 404 for
//! what does not exist, 400 for the rest), an `errors` document whose `code` is that status
//! and whose description names the parameter at fault; a refused POST stores nothing.

use super::kinds::Kinds;
use super::shape::{self, Format, Spec};
use super::{get, issue_key, pairs, post, pothole_fields, Answer};
use crate::helpers::{TestApp, CENTRU};
use semnal::store::Store;

/// Asserts an Open311 error answer and returns its description.
fn refused(answer: &Answer, format: Format, status: u16, field: &str) -> String {
    assert_eq!(answer.status, status, "{format:?}: {}", answer.body);
    answer.assert_format(format);
    let errors = shape::conform(&Spec::load("errors"), format, &answer.body, &[]);
    let errors = errors.as_array().unwrap();
    assert_eq!(errors.len(), 1, "{}", answer.body);
    let description = Kinds(format).error(&errors[0], status);
    assert!(
        description.starts_with(&format!("{field}: ")),
        "the description names {field}: {description}"
    );
    description
}

/// Fields to set (`Some`) or remove (`None`).
type Changes<'a> = &'a [(&'static str, Option<&'a str>)];

/// `fields` with `changes` applied: a `None` value removes the field.
fn changed(fields: &[(&'static str, String)], changes: Changes) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = fields
        .iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .cloned()
        .collect();
    for (name, value) in changes {
        if let Some(value) = value {
            out.push((name, value.to_string()));
        }
    }
    out
}

#[tokio::test]
async fn a_missing_wrong_or_revoked_api_key_is_refused_with_403() {
    let app = TestApp::spawn().await;
    let issued = issue_key(&app, "Aplicația cartierului").await;
    let fields = pothole_fields(&issued.key);
    let before = app.footprint().await;
    for format in Format::BOTH {
        let missing = changed(&fields, &[("api_key", None)]);
        refused(
            &post(&app, format, &pairs(&missing)).await,
            format,
            403,
            "api_key",
        );
        let wrong = changed(
            &fields,
            &[("api_key", Some("sk_thisisnotakeyanyoneeverissued"))],
        );
        refused(
            &post(&app, format, &pairs(&wrong)).await,
            format,
            403,
            "api_key",
        );
    }
    // In the language the form asks for.
    let hungarian = changed(
        &fields,
        &[("api_key", Some("sk_wrong")), ("locale", Some("hu"))],
    );
    let description = refused(
        &post(&app, Format::Xml, &pairs(&hungarian)).await,
        Format::Xml,
        403,
        "api_key",
    );
    assert!(description.contains("API-kulcs"), "{description}");
    assert_eq!(app.footprint().await, before, "nothing stored");

    assert_eq!(post(&app, Format::Json, &pairs(&fields)).await.status, 200);
    let store = Store::connect(&app.database_url, 2).await.unwrap();
    assert!(store.revoke_api_client(issued.client.id).await.unwrap());
    store.close().await;
    let filed = app.footprint().await;
    assert_eq!(filed.incidents, before.incidents + 1);
    for format in Format::BOTH {
        refused(
            &post(&app, format, &pairs(&fields)).await,
            format,
            403,
            "api_key",
        );
    }
    assert_eq!(
        app.footprint().await,
        filed,
        "nothing stored after the key was revoked"
    );
}

#[tokio::test]
async fn each_refused_request_names_its_parameter_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app, "Aplicația cartierului").await.key;
    let fields = pothole_fields(&key);
    let before = app.footprint().await;
    let cases: [(Changes, u16, &str); 13] = [
        // The specification's list for POST: "404 - service_code ... was not found".
        (
            &[("service_code", Some("unicorn-sighting"))],
            404,
            "service_code",
        ),
        (&[("service_code", None)], 400, "service_code"),
        // No location at all: no lat/long, no address, no photo.
        (&[("lat", None), ("long", None)], 400, "lat"),
        // An address this city's register does not have.
        (
            &[
                ("lat", None),
                ("long", None),
                ("address_string", Some("Strada Nicăieri 999")),
            ],
            400,
            "address_string",
        ),
        (&[("lat", Some("north"))], 400, "lat"),
        (&[("long", Some("200"))], 400, "long"),
        (
            &[("attribute[depth_cm]", Some("deep"))],
            400,
            "attribute[depth_cm]",
        ),
        (
            &[("attribute[position]", Some("on-the-roof"))],
            400,
            "attribute[position]",
        ),
        (
            &[("attribute[colour]", Some("red"))],
            400,
            "attribute[colour]",
        ),
        // `sign_state` is required for this service.
        (
            &[("service_code", Some("damaged-road-sign"))],
            400,
            "attribute[sign_state]",
        ),
        (&[("email", Some("ana@"))], 400, "email"),
        (
            &[("media_url", Some("file:///etc/passwd"))],
            400,
            "media_url",
        ),
        (
            &[("jurisdiction_id", Some("cluj-napoca"))],
            404,
            "jurisdiction_id",
        ),
    ];
    for format in Format::BOTH {
        for (changes, status, field) in cases {
            let answer = post(&app, format, &pairs(&changed(&fields, changes))).await;
            refused(&answer, format, status, field);
        }
    }
    assert_eq!(app.footprint().await, before, "no row and no file stored");
}

#[tokio::test]
async fn a_date_window_over_90_days_and_other_bad_arguments_are_refused() {
    let app = TestApp::spawn().await;
    app.report_pothole_at(CENTRU).await;
    for format in Format::BOTH {
        for resource in ["requests", "servicerequestupdates"] {
            let ninety_one = "?start_date=2026-01-01T00:00:00Z&end_date=2026-04-02T00:00:00Z";
            refused(
                &get(&app, resource, format, ninety_one).await,
                format,
                400,
                "start_date",
            );
            let backwards = "?start_date=2026-02-01&end_date=2026-01-01";
            refused(
                &get(&app, resource, format, backwards).await,
                format,
                400,
                "start_date",
            );
            let not_a_date = "?end_date=yesterday";
            refused(
                &get(&app, resource, format, not_a_date).await,
                format,
                400,
                "end_date",
            );
            // Exactly 90 days is allowed.
            let ninety = "?start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:00Z";
            assert_eq!(get(&app, resource, format, ninety).await.status, 200);
        }
        refused(
            &get(&app, "requests", format, "?status=pending").await,
            format,
            400,
            "status",
        );
        let unknown_service = "?service_code=unicorn-sighting";
        refused(
            &get(&app, "requests", format, unknown_service).await,
            format,
            400,
            "service_code",
        );
    }
}

#[tokio::test]
async fn what_does_not_exist_is_404_naming_what_was_asked_for() {
    let app = TestApp::spawn().await;
    let filed = app.report_pothole_at(CENTRU).await;
    let number = filed["tracking_number"].as_str().unwrap();
    // A well-formed number nobody was given.
    let unknown = loop {
        let candidate = semnal::domain::TrackingNumber::generate(&mut rand::rng()).to_string();
        if candidate != number {
            break candidate;
        }
    };
    for format in Format::BOTH {
        let cases = [
            ("services/unicorn-sighting".to_owned(), "", "service_code"),
            (format!("requests/{unknown}"), "", "service_request_id"),
            (format!("tokens/{}", uuid::Uuid::new_v4()), "", "token"),
            ("tokens/not-a-token".to_owned(), "", "token"),
            (
                "services".to_owned(),
                "?jurisdiction_id=cluj-napoca",
                "jurisdiction_id",
            ),
            (
                format!("requests/{number}"),
                "?jurisdiction_id=cluj-napoca",
                "jurisdiction_id",
            ),
        ];
        for (resource, query, field) in cases {
            refused(
                &get(&app, &resource, format, query).await,
                format,
                404,
                field,
            );
        }
        // The request itself is there.
        assert_eq!(
            get(&app, &format!("requests/{number}"), format, "")
                .await
                .status,
            200
        );
    }
}
