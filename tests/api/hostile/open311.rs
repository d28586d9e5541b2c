//! Open311 against hostile clients: the api_key is checked before any photo is read, and
//! the XML documents stay well-formed whatever text a row holds, even text stored before
//! intake refused what XML cannot carry.

use super::photos::damaged_png;
use super::{
    assert_healthy, assert_nothing_stored_and_still_answering, assert_open311_refusal, file_part,
    issue_key, open311_post, send, Encoding, Format, Open311Fields,
};
use crate::helpers::{TestApp, CENTRU};
use serde_json::Value;
use sqlx::{Connection, PgConnection};

#[tokio::test]
async fn no_photo_is_read_before_a_valid_api_key() {
    let app = TestApp::spawn().await;
    let key = issue_key(&app).await;
    let before = app.footprint().await;
    let photo = || file_part(damaged_png(), "damaged.png");
    let without_key = || Open311Fields::unsigned("pothole").multipart();
    let with_key = |key: &str| Open311Fields::signed(key, "pothole").multipart();
    for format in Format::BOTH {
        let cases = [
            // No key at all.
            without_key().part("media", photo()),
            // A wrong key.
            with_key("sk_nobodyeverissuedthis").part("media", photo()),
            // The right key, but only after the photo: too late.
            without_key()
                .part("media", photo())
                .text("api_key", key.clone()),
            // An empty key, and a photo under another name.
            with_key("  ").part("attachment", photo()),
        ];
        for form in cases {
            let response = send(open311_post(&app, format).multipart(form)).await;
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
    let form = with_key(&key).part("media", photo());
    let response = send(open311_post(&app, Format::Json).multipart(form)).await;
    assert_open311_refusal(response, Format::Json, 400, &["media[0]"]).await;
    assert_nothing_stored_and_still_answering(&app, before).await;
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
        for param in [
            "description",
            "address_string",
            "first_name",
            "attribute[plate_number]",
        ] {
            let fields = Open311Fields::signed(&key, "abandoned-vehicle").with(param, &text);
            let response = send(fields.post(&app, Format::Xml, Encoding::UrlEncoded)).await;
            assert_open311_refusal(response, Format::Xml, 400, &[param]).await;
        }
    }
    assert_nothing_stored_and_still_answering(&app, before).await;
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
        "INSERT INTO incident_events (incident_id, kind, actor, status_from, status_to, public_text, is_public)
         SELECT id, 'status_changed', 'staff', status, 'acknowledged', $2, true
           FROM incidents WHERE tracking_number = replace($1, '-', '')",
    )
    .bind(&tracking)
    .bind(&note)
    .execute(&mut *tx)
    .await
    .unwrap();
    // The status changes with the text, after its event has taken the status it left.
    sqlx::query(
        "UPDATE incidents
            SET description = $2, address = $3,
                attributes = jsonb_build_object('plate_number', $4::text),
                status = 'acknowledged', updated_at = now()
          WHERE tracking_number = replace($1, '-', '')",
    )
    .bind(&tracking)
    .bind(&description)
    .bind(&address)
    .bind(&plate)
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
