//! Filing requests through Open311: every field of the specification's example request,
//! attributes, photos and retries; the reporter's contact kept out of every public answer.

use super::extensions::{answer_map, answers, read_request};
use super::kinds::Kinds;
use super::shape::{Format, Spec};
use super::{
    filed_id, get, issue_key, pairs, path, post, post_with, pothole_fields, token_of, Answer,
    JURISDICTION,
};
use crate::helpers::{logged, photo, TestApp, CENTRU};
use reqwest::multipart::Form;

const FIRST_NAME: &str = "Ioana-Maria";
const LAST_NAME: &str = "Secretă";
const EMAIL: &str = "ioana.open311@example.ro";
const PHONE: &str = "+40 755 123 987";
const DEVICE_ID: &str = "device-7f3a9c21";
const ACCOUNT_ID: &str = "cont-558213";

/// Our value for each field the specification's example request sends.
fn our_field(field: &str, key: &str) -> (String, String) {
    let (lon, lat) = CENTRU;
    let value = match field {
        "api_key" => key.to_owned(),
        "jurisdiction_id" => JURISDICTION.to_owned(),
        "service_code" => "pothole".to_owned(),
        "lat" => lat.to_string(),
        "long" => lon.to_string(),
        "address_string" => "Strada Mihai Viteazul 12, Alba Iulia".to_owned(),
        "email" => EMAIL.to_owned(),
        "device_id" => DEVICE_ID.to_owned(),
        "account_id" => ACCOUNT_ID.to_owned(),
        "first_name" => FIRST_NAME.to_owned(),
        "last_name" => LAST_NAME.to_owned(),
        "phone" => PHONE.to_owned(),
        "description" => "Groapă mare lângă trecerea de pietoni".to_owned(),
        "media_url" => "https://photos.example.org/groapa-mare.jpg".to_owned(),
        // The example's attribute codes are its own city's; these are ours.
        "attribute[WHISPAWN]" => return ("attribute[depth_cm]".into(), "12".into()),
        "attribute[WHISDORN]" => return ("attribute[position]".into(), "crossing".into()),
        other => panic!("the example request sends {other:?}, unknown to this test"),
    };
    (field.to_owned(), value)
}

#[tokio::test]
async fn every_field_of_the_specifications_example_request_is_taken_and_the_reporter_stays_private()
{
    let app = TestApp::spawn().await;
    let key = issue_key(&app, "Aplicația cartierului").await.key;
    let example = std::fs::read_to_string("fixtures/open311/spec/post_request.txt").unwrap();
    let body = example.lines().last().unwrap();
    let fields: Vec<(String, String)> = body
        .split('&')
        .map(|pair| our_field(pair.split_once('=').unwrap().0, &key))
        .collect();
    assert_eq!(fields.len(), 16, "the example sends 16 fields");
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let created = post(&app, Format::Xml, &fields).await;
    let filed = created.conforming(Format::Xml, &Spec::load("post_response"), &["token"]);
    let id = filed_id(&filed);

    let r = read_request(&app, &id, Format::Json, "?extensions=true").await;
    assert_eq!(r["address"], "Strada Mihai Viteazul 12, Alba Iulia");
    assert_eq!(r["media_url"], "https://photos.example.org/groapa-mare.jpg");
    assert_eq!(r["description"], "Groapă mare lângă trecerea de pietoni");
    assert_eq!(
        answers(Format::Json, &r),
        answer_map(&[("depth_cm", &["12"]), ("position", &["crossing"])])
    );

    // The city keeps the contact, apart from the public record.
    let kept: (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT r.name, r.email, r.device_id, r.account_id
           FROM incident_reporters r JOIN incidents i ON i.id = r.incident_id
          WHERE i.tracking_number = replace($1, '-', '')",
    )
    .bind(&id)
    .fetch_one(&mut super::database(&app).await)
    .await
    .unwrap();
    assert_eq!(
        kept,
        (
            Some(format!("{FIRST_NAME} {LAST_NAME}")),
            Some(EMAIL.into()),
            Some(DEVICE_ID.into()),
            Some(ACCOUNT_ID.into())
        )
    );

    let token = token_of(&app, &id).await;
    let mut public = vec![created.body];
    for format in Format::BOTH {
        for (resource, query) in [
            (format!("requests/{id}"), "?extensions=true"),
            ("requests".to_owned(), "?extensions=true"),
            ("servicerequestupdates".to_owned(), ""),
            (format!("tokens/{token}"), ""),
        ] {
            let answer = get(&app, &resource, format, query).await;
            assert_eq!(answer.status, 200, "{resource}");
            assert!(answer.body.contains(&id), "{resource} shows the request");
            public.push(answer.body);
        }
    }
    for json_api in [
        format!("/api/v1/incidents/{id}"),
        "/api/v1/incidents".into(),
    ] {
        let response = app.get(&json_api).await;
        assert_eq!(response.status(), 200);
        public.push(response.text().await.unwrap());
    }
    let secrets = [
        FIRST_NAME,
        LAST_NAME,
        "Secret",
        EMAIL,
        "ioana.open311",
        PHONE,
        "123 987",
        DEVICE_ID,
        ACCOUNT_ID,
    ];
    for text in &public {
        for secret in secrets {
            assert!(!text.contains(secret), "{secret:?} leaked into {text}");
        }
    }
    let logs = logged();
    for secret in [FIRST_NAME, LAST_NAME, EMAIL, PHONE, DEVICE_ID, ACCOUNT_ID] {
        assert!(!logs.contains(secret), "{secret:?} reached a log line");
    }
}

#[tokio::test]
async fn attributes_posted_come_back_with_extensions_and_only_with_them() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app, "Aplicația cartierului").await.key;
    let (lon, lat) = CENTRU;
    let (lat, lon) = (lat.to_string(), lon.to_string());
    let fields = [
        ("api_key", key.as_str()),
        ("service_code", "illegal-dumping"),
        ("lat", lat.as_str()),
        ("long", lon.as_str()),
        // A multivaluelist, as the specification writes several values for one code.
        ("attribute[waste_types][]", "household"),
        ("attribute[waste_types][]", "tyres"),
    ];
    for format in Format::BOTH {
        let filed = post(&app, format, &fields).await.conforming(
            format,
            &Spec::load("post_response"),
            &["token"],
        );
        let id = filed_id(&filed);
        // Without `extensions=true` the request has the specification's fields only.
        read_request(&app, &id, format, "").await;
        let r = read_request(&app, &id, format, "?extensions=true").await;
        assert_eq!(
            answers(format, &r),
            answer_map(&[("waste_types", &["household", "tyres"])]),
            "{format:?}"
        );
    }
}

#[tokio::test]
async fn a_photo_posted_as_multipart_places_the_request_and_its_media_url_serves_a_jpeg() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app, "Aplicația cartierului").await.key;
    // No lat/long: the photo's GPS position places the request.
    let form = Form::new()
        .text("api_key", key)
        .text("jurisdiction_id", JURISDICTION)
        .text("service_code", "pothole")
        .text("description", "Groapă fotografiată")
        .part("media", photo("pothole-gps.jpg"));
    let created = app
        .client
        .post(app.url(&path("requests", Format::Json, "")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let filed = Answer::read(created).await.conforming(
        Format::Json,
        &Spec::load("post_response"),
        &["token"],
    );
    let id = filed_id(&filed);

    for format in Format::BOTH {
        let kinds = Kinds(format);
        let r = read_request(&app, &id, format, "").await;
        assert!((kinds.number(&r["lat"], "lat") - 46.07).abs() < 1e-6);
        assert!((kinds.number(&r["long"], "long") - 23.583).abs() < 1e-6);
        let url = kinds.url(&r["media_url"], "media_url");
        let photo = app.client.get(url).send().await.unwrap();
        assert_eq!(photo.status(), 200, "{url}");
        assert_eq!(photo.headers()["content-type"], "image/jpeg");
        let bytes = photo.bytes().await.unwrap();
        assert_eq!(
            image::guess_format(&bytes).unwrap(),
            image::ImageFormat::Jpeg
        );
        image::load_from_memory(&bytes).expect("the media decodes");
        assert!(
            !bytes.windows(7).any(|w| w == b"TestCam"),
            "the camera's EXIF is not served"
        );
    }
    let incident = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(incident["photos"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_retried_post_with_the_same_idempotency_key_gives_the_same_request() {
    let app = TestApp::spawn().await;
    let spec = Spec::load("post_response");
    let key = issue_key(&app, "Aplicația cartierului").await.key;
    let fields = pothole_fields(&key);
    let before = app.footprint().await;

    let first = post_with(&app, Format::Json, &pairs(&fields), Some("retry-7")).await;
    assert_ne!(first.header("idempotent-replayed"), Some("true"));
    let first = filed_id(&first.conforming(Format::Json, &spec, &["token"]));
    let again = post_with(&app, Format::Xml, &pairs(&fields), Some("retry-7")).await;
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(
        filed_id(&again.conforming(Format::Xml, &spec, &["token"])),
        first
    );
    assert_eq!(app.footprint().await.incidents, before.incidents + 1);

    // The same key with other content is refused; nothing more is stored.
    let mut other = fields.clone();
    other.push(("description", "Altceva".to_owned()));
    let refused = post_with(&app, Format::Json, &pairs(&other), Some("retry-7")).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert_eq!(app.footprint().await.incidents, before.incidents + 1);

    // Another client's key of the same text is its own key.
    let second = issue_key(&app, "Alt client").await.key;
    let theirs = post_with(
        &app,
        Format::Json,
        &pairs(&pothole_fields(&second)),
        Some("retry-7"),
    )
    .await;
    assert_ne!(theirs.header("idempotent-replayed"), Some("true"));
    assert_ne!(
        filed_id(&theirs.conforming(Format::Json, &spec, &["token"])),
        first
    );
    assert_eq!(app.footprint().await.incidents, before.incidents + 2);

    // Keys sent to the JSON API are another space again, however they are spelled.
    for spelled in ["retry-7", "open311:1:retry-7", "open311:2:retry-7"] {
        let response = app
            .client
            .post(app.url("/api/v1/incidents"))
            .header("idempotency-key", spelled)
            .json(&serde_json::json!({ "category": "pothole", "lat": 46.07, "lon": 23.583 }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{spelled}");
        assert!(response.headers().get("idempotent-replayed").is_none());
    }
    assert_eq!(app.footprint().await.incidents, before.incidents + 5);
}
