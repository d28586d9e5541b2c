//! Arbitrary values for every parameter a stranger can send: whatever arrives, the answer
//! is a 2xx or a 4xx, never a 5xx or a dropped connection, and the server answers after.
//!
//! Each property runs a few dozen cases against one server of its own: every case is an
//! HTTP request, so the server runs on a runtime of the test's and each case blocks on it.

use super::{assert_healthy, issue_key, raw_json_report, Encoding, Format, Open311Fields};
use crate::helpers::{TestApp, CENTRU};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use reqwest::multipart::{Form, Part};
use reqwest::{RequestBuilder, Url};
use serde_json::Value;
use std::time::Duration;
use tokio::runtime::Runtime;

const CASES: u32 = 64;

/// A runtime for the server and the client, and the server on it.
pub(super) fn serve() -> (Runtime, TestApp) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = runtime.block_on(TestApp::spawn());
    (runtime, app)
}

/// Runs `property` for `CASES` values of `strategy`, then checks the server still answers.
pub(super) fn check<S: Strategy>(
    runtime: &Runtime,
    app: &TestApp,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    });
    let result = runner.run(&strategy, property);
    runtime.block_on(assert_healthy(app));
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Sends `request` and requires a 2xx or 4xx answer, read whole, within 30 s.
pub(super) fn answered(runtime: &Runtime, request: RequestBuilder) -> Result<u16, TestCaseError> {
    runtime.block_on(async {
        let sent = tokio::time::timeout(Duration::from_secs(30), async {
            let response = request.send().await?;
            let status = response.status().as_u16();
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, body))
        })
        .await
        .map_err(|_| TestCaseError::fail("no answer within 30 s"))?
        .map_err(|e| TestCaseError::fail(format!("connection failed: {e:?}")))?;
        let (status, body) = sent;
        if !(200..300).contains(&status) && !(400..500).contains(&status) {
            return Err(TestCaseError::fail(format!(
                "answered {status}: {}",
                String::from_utf8_lossy(&body)
            )));
        }
        Ok(status)
    })
}

/// `path` with `segments` appended (each percent-encoded as one segment) and `query`.
pub(super) fn url_of(
    app: &TestApp,
    path: &str,
    segments: &[String],
    query: &[(String, String)],
) -> Url {
    let mut url = Url::parse(&app.url(path)).unwrap();
    if !segments.is_empty() {
        url.path_segments_mut().unwrap().extend(segments);
    }
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (k, v) in query {
            pairs.append_pair(k, v);
        }
    }
    url
}

/// One of `values`, as an owned string.
fn one_of(values: &[&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(values.to_vec()).prop_map(str::to_owned)
}

/// Text of every kind: arbitrary Unicode, numbers written oddly, and values near valid ones.
pub(super) fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,40}",
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        one_of(&[
            "",
            " ",
            "-0",
            "0",
            "1e309",
            "-1e309",
            "NaN",
            "inf",
            "-inf",
            "0x10",
            "+1",
            "1_0",
            "46.07",
            "23.583",
            "9999999999999999999999",
            "\u{0}",
            "\u{ffff}",
            "%00",
            "../..",
        ]),
    ]
}

/// A JSON value of any shape, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

pub(super) const CATEGORIES: [&str; 5] = [
    "pothole",
    "abandoned-vehicle",
    "illegal-dumping",
    "damaged-road-sign",
    "stray-dogs",
];

/// A category code: mostly real ones, so that validation goes past the category.
fn category() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => one_of(&CATEGORIES),
        1 => text(),
    ]
}

/// A coordinate: near the centre, or anything.
fn coordinate(centre: f64) -> impl Strategy<Value = String> {
    prop_oneof![
        (-0.05f64..0.05).prop_map(move |d| (centre + d).to_string()),
        text(),
    ]
}

/// A report's category, latitude and longitude, each as text: mostly real, or anything.
fn report_place() -> impl Strategy<Value = (String, String, String)> {
    (category(), coordinate(CENTRU.1), coordinate(CENTRU.0))
}

/// The report fields of the JSON API and its form, and attribute codes of the categories.
const REPORT_FIELDS: [&str; 9] = [
    "description",
    "reporter_name",
    "reporter_email",
    "reporter_phone",
    "address",
    "locale",
    "email",
    "phone",
    "long",
];

const ATTRIBUTE_CODES: [&str; 7] = [
    "depth_cm",
    "plate_number",
    "vehicle_description",
    "waste_types",
    "witnessed_at",
    "sign_state",
    "dog_count",
];

#[test]
fn the_json_api_answers_any_bytes_with_a_4xx() {
    let (runtime, app) = serve();
    let strategy = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        json_value().prop_map(|v| v.to_string().into_bytes()),
    ];
    check(&runtime, &app, strategy, |body| {
        answered(&runtime, raw_json_report(&app, body)).map(drop)
    });
}

#[test]
fn the_json_api_answers_any_report_object_without_a_5xx() {
    let (runtime, app) = serve();
    let strategy = (
        report_place(),
        prop::collection::btree_map(
            prop::sample::select(REPORT_FIELDS.to_vec()),
            json_value(),
            0..4,
        ),
        prop::collection::btree_map(
            prop::sample::select(ATTRIBUTE_CODES.to_vec()),
            json_value(),
            0..3,
        ),
        any::<bool>(),
    );
    check(
        &runtime,
        &app,
        strategy,
        |((category, lat, lon), fields, attributes, numbers)| {
            let mut body = serde_json::Map::new();
            body.insert("category".into(), category.into());
            let coordinate = |text: String| match text.parse::<f64>() {
                Ok(n) if numbers => {
                    serde_json::Number::from_f64(n).map_or(Value::from(text), Value::Number)
                }
                _ => Value::from(text),
            };
            body.insert("lat".into(), coordinate(lat));
            body.insert("lon".into(), coordinate(lon));
            for (k, v) in fields {
                body.insert(k.to_owned(), v);
            }
            if !attributes.is_empty() {
                let attributes = attributes.into_iter().map(|(k, v)| (k.to_owned(), v));
                body.insert("attributes".into(), Value::Object(attributes.collect()));
            }
            let body = Value::Object(body).to_string();
            answered(&runtime, raw_json_report(&app, body)).map(drop)
        },
    );
}

/// A form part's name: a report field, an attribute, or anything.
fn part_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => one_of(&REPORT_FIELDS),
        2 => prop::sample::select(ATTRIBUTE_CODES.to_vec()).prop_map(|c| format!("attribute[{c}]")),
        1 => "[a-z_\\[\\]]{1,20}",
    ]
}

/// A part's bytes: text, or bytes that need not be UTF-8.
fn part_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        text().prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..64),
    ]
}

#[test]
fn multipart_text_fields_of_any_bytes_get_no_5xx() {
    let (runtime, app) = serve();
    let strategy = (
        report_place(),
        prop::collection::vec((part_name(), part_bytes()), 0..6),
    );
    check(&runtime, &app, strategy, |((category, lat, lon), parts)| {
        // Coordinates of any text, so not `report_form`'s numbers.
        let form = parts.into_iter().fold(
            Form::new()
                .text("category", category)
                .text("lat", lat)
                .text("lon", lon),
            |f, (name, bytes)| f.part(name, Part::bytes(bytes)),
        );
        let request = app
            .client
            .post(app.url("/api/v1/incidents"))
            .multipart(form);
        answered(&runtime, request).map(drop)
    });
}

const OPEN311_PARAMS: [&str; 14] = [
    "jurisdiction_id",
    "address_string",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
    "locale",
    "attribute[depth_cm]",
    "attribute[waste_types][]",
    "attribute[plate_number]",
];

#[test]
fn open311_posts_of_any_values_get_no_5xx() {
    let (runtime, app) = serve();
    let key = runtime.block_on(issue_key(&app));
    let strategy = (
        report_place(),
        prop::collection::vec(
            (
                prop_oneof![
                    4 => one_of(&OPEN311_PARAMS),
                    1 => text(),
                ],
                text(),
            ),
            0..6,
        ),
        prop::sample::select(Encoding::BOTH.to_vec()),
        prop::sample::select(Format::BOTH.to_vec()),
    );
    check(
        &runtime,
        &app,
        strategy,
        |((service, lat, long), extra, encoding, format)| {
            let mut fields = Open311Fields(vec![
                ("api_key".to_owned(), key.clone()),
                ("service_code".to_owned(), service),
                ("lat".to_owned(), lat),
                ("long".to_owned(), long),
            ]);
            fields.0.extend(extra);
            answered(&runtime, fields.post(&app, format, encoding)).map(drop)
        },
    );
}

/// A date as a client might write one: arbitrary text, or dates of any year and offset.
pub(super) fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        text(),
        (any::<i32>(), 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        (any::<i32>(), 1u32..=12, 1u32..=28, -23i32..=23)
            .prop_map(|(y, m, d, h)| { format!("{y:04}-{m:02}-{d:02}T00:00:00{h:+03}:00") }),
        (-300_000i32..300_000).prop_map(|y| format!("{y:+}-01-01T00:00:00Z")),
        // Years at the ends of what a date type can hold, with a sign as %Y reads them.
        (
            prop::bool::ANY,
            262_000i32..=262_143,
            1u32..=12,
            1u32..=28,
            prop::bool::ANY
        )
            .prop_map(|(negative, y, m, d, time)| {
                let y = if negative { -y } else { y };
                let time = if time { "T12:00:00" } else { "" };
                format!("{y:+}-{m:02}-{d:02}{time}")
            }),
        one_of(&[
            "9999-12-31T23:59:59Z",
            "0000-01-01",
            "-0001-01-01T00:00:00Z",
            "+262143-12-31",
            "-262144-01-01",
            "262142-12-31T23:59:59+14:00",
            "2026-02-30",
            "2026-01-01T24:00:00Z",
        ]),
    ]
}

/// A tile coordinate as written in a path: numbers of any size, or anything.
fn tile_number() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..20).prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        text(),
    ]
}

/// Query pairs of the parameters that have a value, in order.
fn present_pairs<const N: usize>(params: [(&str, Option<String>); N]) -> Vec<(String, String)> {
    params
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| (name.to_owned(), value)))
        .collect()
}

/// A map filter: real codes, lists of them, or anything.
fn filters() -> impl Strategy<Value = Vec<(String, String)>> {
    let value = |real: Vec<&'static str>| {
        prop_oneof![
            prop::collection::vec(prop::sample::select(real), 1..3).prop_map(|v| v.join(",")),
            text(),
        ]
    };
    (
        prop::option::of(value(CATEGORIES.to_vec())),
        prop::option::of(value(vec!["new", "acknowledged", "resolved", "closed"])),
        prop::option::of(value(vec!["drumuri", "iluminat", "salubritate"])),
        prop::option::of(date()),
    )
        .prop_map(|(category, status, department, since)| {
            present_pairs([
                ("category", category),
                ("status", status),
                ("department", department),
                ("since", since),
            ])
        })
}

#[test]
fn incident_tiles_of_any_address_and_filter_get_no_5xx() {
    let (runtime, app) = serve();
    runtime.block_on(app.report_pothole_at(CENTRU));
    let strategy = (
        tile_number(),
        tile_number(),
        tile_number(),
        prop::sample::select(vec![".mvt", ".pbf", "", ".png"]),
        filters(),
    );
    check(&runtime, &app, strategy, |(z, x, y, suffix, filters)| {
        let segments = [z, x, format!("{y}{suffix}")];
        let url = url_of(&app, "/tiles/incidents", &segments, &filters);
        answered(&runtime, app.client.get(url))?;
        let url = url_of(&app, "/tiles/zones", &segments, &[]);
        answered(&runtime, app.client.get(url)).map(drop)
    });
}

#[test]
fn incidents_tilejson_of_any_filter_names_tiles_with_the_same_filter() {
    let (runtime, app) = serve();
    check(&runtime, &app, filters(), |filters| {
        let url = url_of(&app, "/tiles/incidents.json", &[], &filters);
        let status = answered(&runtime, app.client.get(url.clone()))?;
        if status != 200 {
            return Ok(());
        }
        let tilejson: Value = runtime
            .block_on(async { app.client.get(url).send().await?.json().await })
            .map_err(|e| TestCaseError::fail(format!("not JSON: {e}")))?;
        let template = tilejson["tiles"][0].as_str().unwrap_or_default();
        let tiles = Url::parse(&template.replace("{z}/{x}/{y}", "1/2/3"))
            .map_err(|e| TestCaseError::fail(format!("tiles {template:?}: {e}")))?;
        // A blank filter is no filter: it is left out, and values are read trimmed.
        let mut asked: Vec<(String, String)> = filters
            .into_iter()
            .map(|(k, v)| (k, v.trim().to_owned()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        asked.sort();
        let mut named: Vec<(String, String)> = tiles.query_pairs().into_owned().collect();
        named.sort();
        prop_assert_eq!(
            named,
            asked,
            "the tiles URL carries the filter: {}",
            template
        );
        Ok(())
    });
}

#[test]
fn nearby_of_any_point_and_radius_gets_no_5xx() {
    let (runtime, app) = serve();
    runtime.block_on(app.report_pothole_at(CENTRU));
    let strategy = (
        prop::option::of(coordinate(CENTRU.1)),
        prop::option::of(coordinate(CENTRU.0)),
        prop::option::of(prop_oneof![
            (1u32..5000).prop_map(|n| n.to_string()),
            text()
        ]),
        prop::option::of(category()),
        prop::option::of(text()),
    );
    check(
        &runtime,
        &app,
        strategy,
        |(lat, lon, radius, category, limit)| {
            let query = present_pairs([
                ("lat", lat),
                ("lon", lon),
                ("radius_m", radius),
                ("category", category),
                ("limit", limit),
            ]);
            let url = url_of(&app, "/api/v1/incidents/nearby", &[], &query);
            answered(&runtime, app.client.get(url)).map(drop)
        },
    );
}

#[test]
fn incident_lists_of_any_filter_get_no_5xx() {
    let (runtime, app) = serve();
    runtime.block_on(app.report_pothole_at(CENTRU));
    let strategy = (
        filters(),
        prop::option::of(text()),
        prop::option::of(text()),
    );
    check(&runtime, &app, strategy, |(mut query, bbox, limit)| {
        query.extend(present_pairs([("bbox", bbox), ("limit", limit)]));
        let url = url_of(&app, "/api/v1/incidents", &[], &query);
        answered(&runtime, app.client.get(url)).map(drop)
    });
}

#[test]
fn open311_date_windows_of_any_value_get_no_5xx() {
    let (runtime, app) = serve();
    runtime.block_on(app.report_pothole_at(CENTRU));
    let strategy = (
        prop::option::of(date()),
        prop::option::of(date()),
        prop::sample::select(vec![
            "requests.json",
            "requests.xml",
            "servicerequestupdates.json",
            "servicerequestupdates.xml",
        ]),
    );
    check(&runtime, &app, strategy, |(start, end, resource)| {
        let mut query = Vec::new();
        if let Some(start) = start {
            query.push(("start_date".to_owned(), start));
        }
        if let Some(end) = end {
            query.push(("end_date".to_owned(), end));
        }
        let url = url_of(&app, &format!("/open311/v2/{resource}"), &[], &query);
        answered(&runtime, app.client.get(url)).map(drop)
    });
}

#[test]
fn incident_list_cursors_of_any_value_get_no_5xx() {
    let (runtime, app) = serve();
    runtime.block_on(app.report_pothole_at(CENTRU));
    let strategy = prop_oneof![
        text(),
        (any::<i64>(), any::<u128>())
            .prop_map(|(micros, id)| { format!("{micros}_{}", uuid::Uuid::from_u128(id)) }),
        any::<u128>().prop_map(|id| format!("{}_{}", i64::MAX, uuid::Uuid::from_u128(id))),
        any::<u128>().prop_map(|id| format!("{}_{}", i64::MIN, uuid::Uuid::from_u128(id))),
    ];
    check(&runtime, &app, strategy, |cursor| {
        let url = url_of(&app, "/api/v1/incidents", &[], &[("cursor".into(), cursor)]);
        answered(&runtime, app.client.get(url)).map(drop)
    });
}
