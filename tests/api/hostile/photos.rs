//! Photos that claim more than they hold: a pixel bomb small on the wire, a valid header
//! over damaged pixels, a decode larger than the memory budget, an upload budget kept full.
//! The cheap checks run first; a refused photo leaves no file.

use super::{assert_healthy, assert_open311_refusal, issue_key, Format};
use crate::helpers::{assert_problem, photo, TestApp, CENTRU};
use flate2::write::ZlibEncoder;
use flate2::Compression;
use reqwest::multipart::{Form, Part};
use std::io::Write;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// A point south of Alba Iulia, outside every zone.
pub(super) const OUTSIDE: (f64, f64) = (23.57, 45.956);

/// One PNG chunk: length, type, data, CRC of type and data.
fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}

/// A PNG of `width` × `height` with `bit_depth` and `colour_type`, whose IDAT is `idat`.
fn png(width: u32, height: u32, bit_depth: u8, colour_type: u8, idat: &[u8]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[bit_depth, colour_type, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A valid one-colour black-and-white PNG of `side` × `side`: 1 bit a pixel, compressed
/// to a few kilobytes however many pixels it has.
pub(super) fn pixel_bomb(side: u32) -> Vec<u8> {
    let row = 1 + side.div_ceil(8) as usize;
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    let zeros = vec![0u8; row];
    for _ in 0..side {
        encoder.write_all(&zeros).unwrap();
    }
    png(side, side, 1, 0, &encoder.finish().unwrap())
}

/// A 64 × 64 RGB PNG whose header is sound and whose pixel data is not.
fn damaged_png() -> Vec<u8> {
    png(
        64,
        64,
        8,
        2,
        &b"these bytes are no zlib stream at all".repeat(8),
    )
}

pub(super) fn report_with(at: (f64, f64), photos: Vec<Part>) -> Form {
    photos.into_iter().fold(
        Form::new()
            .text("category", "pothole")
            .text("lat", at.1.to_string())
            .text("lon", at.0.to_string()),
        |f, p| f.part("photos", p),
    )
}

pub(super) fn part(bytes: Vec<u8>, name: &str) -> Part {
    Part::bytes(bytes).file_name(name.to_owned())
}

#[tokio::test]
async fn a_pixel_bomb_is_refused_from_its_header_and_leaves_no_file() {
    let bomb = pixel_bomb(11_999);
    assert!(
        bomb.len() < 100_000,
        "small on the wire: {} bytes",
        bomb.len()
    );
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    let form = report_with(
        CENTRU,
        vec![photo("plain.png"), part(bomb.clone(), "bomb.png")],
    );
    assert_problem(
        app.post_form(form).await,
        422,
        "photo-too-many-pixels",
        Some("photos[1]"),
    )
    .await;
    // Through Open311, named as its `media`.
    let key = issue_key(&app).await;
    for format in Format::BOTH {
        let form = Form::new()
            .text("api_key", key.clone())
            .text("service_code", "pothole")
            .text("lat", CENTRU.1.to_string())
            .text("long", CENTRU.0.to_string())
            .part("media", part(bomb.clone(), "bomb.png"));
        let response = app
            .client
            .post(app.url(format.requests_path()))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_open311_refusal(response, format, 400, &["media[0]", "media"]).await;
    }
    assert_eq!(app.footprint().await, before, "no row and no file");
    assert_healthy(&app).await;
}

#[tokio::test]
async fn a_pixel_bomb_outside_the_city_is_refused_for_its_place_first() {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    let form = report_with(OUTSIDE, vec![part(pixel_bomb(11_999), "bomb.png")]);
    assert_problem(
        app.post_form(form).await,
        422,
        "outside-jurisdiction",
        Some("location"),
    )
    .await;
    assert_eq!(app.footprint().await, before);
}

#[tokio::test]
async fn damaged_pixels_outside_the_city_are_never_decoded() {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    // The place is wrong, and that is all the answer says: the pixels were not looked at.
    let form = report_with(OUTSIDE, vec![part(damaged_png(), "damaged.png")]);
    assert_problem(
        app.post_form(form).await,
        422,
        "outside-jurisdiction",
        Some("location"),
    )
    .await;
    assert_eq!(app.footprint().await, before);
}

#[tokio::test]
async fn damaged_pixels_inside_the_city_are_refused_and_leave_no_file() {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    let form = report_with(CENTRU, vec![part(damaged_png(), "damaged.png")]);
    assert_problem(
        app.post_form(form).await,
        422,
        "photo-corrupt",
        Some("photos[0]"),
    )
    .await;
    // After a good photo that was already decoded, neither is kept.
    let form = report_with(
        CENTRU,
        vec![photo("pothole-gps.jpg"), part(damaged_png(), "damaged.png")],
    );
    assert_problem(
        app.post_form(form).await,
        422,
        "photo-corrupt",
        Some("photos[1]"),
    )
    .await;
    assert_eq!(app.footprint().await, before, "no row and no file");
    assert_healthy(&app).await;
}

#[tokio::test]
async fn a_photo_whose_decode_exceeds_the_memory_budget_is_refused() {
    let app = TestApp::spawn_with(|c| c.photo_decode_budget_bytes = 1024 * 1024).await;
    let before = app.footprint().await;
    let form = report_with(CENTRU, vec![photo("plain.png")]);
    assert_problem(
        app.post_form(form).await,
        422,
        "photo-too-many-pixels",
        Some("photos[0]"),
    )
    .await;
    assert_eq!(app.footprint().await, before);
    // A report without photos is not held back by the budget.
    app.report_pothole_at(CENTRU).await;
    assert_healthy(&app).await;
}

/// Starts a multipart upload with no announced length and leaves it unfinished, so it
/// holds the whole upload budget while the connection stays open.
async fn hold_an_upload_open(app: &TestApp) -> tokio::net::TcpStream {
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = "POST /api/v1/incidents HTTP/1.1\r\nHost: localhost\r\n\
                Content-Type: multipart/form-data; boundary=XyZ\r\n\
                Transfer-Encoding: chunked\r\n\r\n";
    let part = "--XyZ\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\npothole\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
        .write_all(format!("{:x}\r\n{part}\r\n", part.len()).as_bytes())
        .await
        .unwrap();
    stream.flush().await.unwrap();
    stream
}

#[tokio::test]
async fn a_full_upload_budget_answers_busy_with_retry_after_then_recovers() {
    let app = TestApp::spawn_with(|c| {
        c.upload_budget_bytes = 1024 * 1024;
        c.admission_wait_ms = 1;
    })
    .await;
    let before = app.footprint().await;
    let held = hold_an_upload_open(&app).await;
    // The held request reaches its handler and takes the budget.
    let mut busy = None;
    for _ in 0..50 {
        let response = app
            .post_form(report_with(CENTRU, vec![photo("plain.png")]))
            .await;
        if response.status() == 503 {
            busy = Some(response);
            break;
        }
        assert_eq!(response.status(), 201, "until the held upload is admitted");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let busy = busy.expect("an upload is turned away while the budget is full");
    let retry_after: u64 = busy.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after >= 1);
    assert_problem(busy, 503, "busy", None).await;
    let during = app.footprint().await;

    // Open311 says the same in its own error list.
    let key = issue_key(&app).await;
    let form = Form::new()
        .text("api_key", key)
        .text("service_code", "pothole")
        .text("lat", CENTRU.1.to_string())
        .text("long", CENTRU.0.to_string())
        .part("media", photo("plain.png"));
    let response = app
        .client
        .post(app.url(Format::Json.requests_path()))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    super::open311_error(503, &response.text().await.unwrap(), Format::Json);
    assert_eq!(app.footprint().await, during, "nothing stored while busy");

    // The client that held the budget goes away: the budget comes back.
    drop(held);
    let mut filed = false;
    for _ in 0..100 {
        let response = app
            .post_form(report_with(CENTRU, vec![photo("plain.png")]))
            .await;
        if response.status() == 201 {
            filed = true;
            break;
        }
        assert_eq!(response.status(), 503);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(filed, "the budget is given back when the held upload ends");
    assert!(app.footprint().await.incidents > before.incidents);
    assert_healthy(&app).await;
}
