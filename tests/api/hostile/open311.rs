//! Open311 against hostile clients: the api_key is checked before any photo is read, and
//! the XML documents stay well-formed whatever text a row holds, even text stored before
//! intake refused what XML cannot carry.

use super::{assert_healthy, assert_open311_refusal, issue_key, Format};
use crate::helpers::{TestApp, CENTRU};
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use sqlx::{Connection, PgConnection};

/// A 64 × 64 PNG header over pixel data that is no zlib stream: refused if ever decoded.
fn damaged_png() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8; 4], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    };
    let mut header = Vec::new();
    header.extend_from_slice(&64u32.to_be_bytes());
    header.extend_from_slice(&64u32.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(b"IHDR", &header);
    chunk(b"IDAT", &b"no zlib here".repeat(16));
    chunk(b"IEND", &[]);
    out
}

fn place(form: Form) -> Form {
    form.text("service_code", "pothole")
        .text("lat", CENTRU.1.to_string())
        .text("long", CENTRU.0.to_string())
}

#[tokio::test]
async fn no_photo_is_read_before_a_valid_api_key() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app).await;
    let before = app.footprint().await;
    let photo = || Part::bytes(damaged_png()).file_name("damaged.png");
    for format in Format::BOTH {
        let cases = [
            // No key at all.
            place(Form::new()).part("media", photo()),
            // A wrong key.
            place(Form::new().text("api_key", "sk_nobodyeverissuedthis")).part("media", photo()),
            // The right key, but only after the photo: too late.
            place(Form::new())
                .part("media", photo())
                .text("api_key", key.clone()),
            // An empty key, and a photo under another name.
            place(Form::new().text("api_key", "  ")).part("attachment", photo()),
        ];
        for form in cases {
            let response = app
                .client
                .post(app.url(format.requests_path()))
                .multipart(form)
                .send()
                .await
                .unwrap();
            // Not `media[0]: damaged`: the photo was never looked at.
            assert_open311_refusal(response, format, 403, &["api_key"]).await;
        }
    }
    assert_eq!(
        app.footprint().await,
        before,
        "nothing read, nothing stored"
    );
    // With the key first, the same photo is read and refused for what it is.
    let form = place(Form::new().text("api_key", key)).part("media", photo());
    let response = app
        .client
        .post(app.url(Format::Json.requests_path()))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_open311_refusal(response, Format::Json, 400, &["media[0]"]).await;
    assert_eq!(app.footprint().await, before);
    assert_healthy(&app).await;
}

/// Every character class XML 1.0 cannot carry (and the C1 controls, which intake refuses
/// too): C0 controls but tab and line breaks, and the noncharacters U+FFFE and U+FFFF.
fn unxmlable() -> Vec<char> {
    let mut chars: Vec<char> = (0x01u8..0x20)
        .map(char::from)
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    chars.extend([
        '\u{7f}',
        '\u{80}',
        '\u{9f}',
        '\u{fffe}',
        '\u{ffff}',
        '\u{1ffff}',
    ]);
    chars
}

#[tokio::test]
async fn text_xml_cannot_carry_is_refused_in_every_open311_field() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app).await;
    let before = app.footprint().await;
    for c in unxmlable() {
        let text = format!("before{c}after");
        for (param, value) in [
            ("description", text.clone()),
            ("address_string", text.clone()),
            ("first_name", text.clone()),
            ("attribute[plate_number]", text.clone()),
        ] {
            let fields = [
                ("api_key", key.clone()),
                ("service_code", "abandoned-vehicle".to_owned()),
                ("lat", CENTRU.1.to_string()),
                ("long", CENTRU.0.to_string()),
                (param, value),
            ];
            let response = app
                .client
                .post(app.url(Format::Xml.requests_path()))
                .form(&fields)
                .send()
                .await
                .unwrap();
            assert_open311_refusal(response, Format::Xml, 400, &[param]).await;
        }
    }
    assert_eq!(app.footprint().await, before);
    let xml = app
        .get("/open311/v2/requests.xml")
        .await
        .text()
        .await
        .unwrap();
    roxmltree::Document::parse(&xml).unwrap();
}

/// Text with every character XML cannot carry, as a row stored before intake refused it.
fn legacy_text(what: &str) -> String {
    let mut text = format!("{what}:");
    for c in unxmlable() {
        text.push(c);
        text.push('.');
    }
    text
}

/// The text of the first element named `name` that has any.
fn text_of(document: &roxmltree::Document, name: &str) -> String {
    document
        .descendants()
        .filter(|n| n.has_tag_name(name))
        .find_map(|n| n.text())
        .unwrap_or_else(|| panic!("no <{name}> with text"))
        .to_owned()
}

#[tokio::test]
async fn documents_stay_well_formed_over_rows_stored_before_the_check() {
    let app = TestApp::spawn().await;
    let filed = app.report("abandoned-vehicle", CENTRU).await;
    let tracking = filed["tracking_number"].as_str().unwrap().to_owned();
    let (description, address, plate, note) = (
        legacy_text("description"),
        legacy_text("address"),
        legacy_text("plate"),
        legacy_text("note"),
    );
    // What an older version stored, written straight to the table, with a public update.
    let mut db = PgConnection::connect(&app.database_url).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    sqlx::query(
        "UPDATE incidents
            SET description = $2, address = $3,
                attributes = jsonb_build_object('plate_number', $4::text)
          WHERE tracking_number = replace($1, '-', '')",
    )
    .bind(&tracking)
    .bind(&description)
    .bind(&address)
    .bind(&plate)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO incident_events (incident_id, kind, actor, status_from, status_to, public_text, is_public)
         SELECT id, 'status_changed', 'staff', status, 'acknowledged', $2, true
           FROM incidents WHERE tracking_number = replace($1, '-', '')",
    )
    .bind(&tracking)
    .bind(&note)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE incidents SET status = 'acknowledged', updated_at = now()
          WHERE tracking_number = replace($1, '-', '')",
    )
    .bind(&tracking)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();

    // What XML 1.0 can carry: not the C0 controls but tab and line breaks, not U+FFFE/U+FFFF.
    let xml_safe = |text: &str| -> String {
        text.chars()
            .filter(|&c| {
                let control = c < ' ' && !matches!(c, '\t' | '\n' | '\r');
                !control && c != '\u{fffe}' && c != '\u{ffff}'
            })
            .collect()
    };
    for (resource, query) in [
        ("requests".to_owned(), "?extensions=true"),
        (format!("requests/{tracking}"), "?extensions=true"),
        (format!("requests/{tracking}"), ""),
        ("servicerequestupdates".to_owned(), ""),
    ] {
        let xml_path = format!("/open311/v2/{resource}.xml{query}");
        let response = app.get(&xml_path).await;
        assert_eq!(response.status(), 200, "{xml_path}");
        let xml = response.text().await.unwrap();
        let document = roxmltree::Document::parse(&xml)
            .unwrap_or_else(|e| panic!("{xml_path} is well-formed XML ({e}): {xml:?}"));
        if resource.starts_with("requests") {
            assert_eq!(text_of(&document, "description"), xml_safe(&description));
            assert_eq!(text_of(&document, "address"), xml_safe(&address));
        } else {
            let notes: Vec<&str> = document
                .descendants()
                .filter(|n| n.has_tag_name("description"))
                .filter_map(|n| n.text())
                .collect();
            assert!(notes.contains(&xml_safe(&note).as_str()), "{notes:?}");
        }

        let json_path = format!("/open311/v2/{resource}.json{query}");
        let response = app.get(&json_path).await;
        assert_eq!(response.status(), 200, "{json_path}");
        let json: Value = serde_json::from_str(&response.text().await.unwrap())
            .unwrap_or_else(|e| panic!("{json_path} is JSON: {e}"));
        // JSON carries every character, escaped.
        let items = json.as_array().expect("a JSON list");
        if resource.starts_with("requests") {
            assert_eq!(items[0]["description"], description.as_str(), "{json_path}");
        } else {
            assert!(
                items.iter().any(|u| u["description"] == note.as_str()),
                "{json_path}: {json}"
            );
        }
    }
    let public = app.get_json(&format!("/api/v1/incidents/{tracking}")).await;
    assert_eq!(public["description"], description.as_str());
    assert_eq!(public["attributes"]["plate_number"], plate.as_str());
    assert_healthy(&app).await;
}
