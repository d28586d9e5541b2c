//! Photos that claim more than they hold: a pixel bomb small on the wire, a valid header
//! over damaged pixels, a decode larger than the memory budget, an upload budget kept full.
//! The cheap checks run first; a refused photo leaves no file.

use super::{
    assert_form_refused, assert_healthy, assert_nothing_stored_and_still_answering,
    assert_open311_error, assert_open311_refusal, file_part, issue_key, open311_post, send, Format,
    Open311Fields,
};
use crate::helpers::{assert_problem, photo, report_form, TestApp, CENTRU};
use flate2::write::ZlibEncoder;
use flate2::Compression;
use reqwest::multipart::{Form, Part};
use reqwest::Response;
use std::io::Write;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// A point south of Alba Iulia, outside every zone.
const OUTSIDE: (f64, f64) = (23.57, 45.956);

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
fn pixel_bomb(side: u32) -> Vec<u8> {
    let row = 1 + side.div_ceil(8) as usize;
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    let zeros = vec![0u8; row];
    for _ in 0..side {
        encoder.write_all(&zeros).unwrap();
    }
    png(side, side, 1, 0, &encoder.finish().unwrap())
}

/// A 64 × 64 RGB PNG whose header is sound and whose pixel data is not: refused if ever
/// decoded.
pub(super) fn damaged_png() -> Vec<u8> {
    png(
        64,
        64,
        8,
        2,
        &b"these bytes are no zlib stream at all".repeat(8),
    )
}

/// A pothole report at `at` with `photos`, in that order.
fn report_with(at: (f64, f64), photos: Vec<Part>) -> Form {
    photos
        .into_iter()
        .fold(report_form("pothole", at), |form, p| form.part("photos", p))
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
        vec![photo("plain.png"), file_part(bomb.clone(), "bomb.png")],
    );
    assert_form_refused(&app, form, 422, "photo-too-many-pixels", Some("photos[1]")).await;
    // Through Open311, named as its `media`.
    let key = issue_key(&app).await;
    for format in Format::BOTH {
        let form = Open311Fields::signed(&key, "pothole")
            .multipart()
            .part("media", file_part(bomb.clone(), "bomb.png"));
        let response = send(open311_post(&app, format).multipart(form)).await;
        assert_open311_refusal(response, format, 400, &["media[0]", "media"]).await;
    }
    assert_nothing_stored_and_still_answering(&app, before).await;
}

/// A report from outside the city with `photo` is refused for its place, and only that:
/// the pixels were not looked at.
async fn assert_refused_for_its_place_before_its_photo(photo: Part) {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    let form = report_with(OUTSIDE, vec![photo]);
    assert_form_refused(&app, form, 422, "outside-jurisdiction", Some("location")).await;
    assert_nothing_stored_and_still_answering(&app, before).await;
}

#[tokio::test]
async fn a_pixel_bomb_outside_the_city_is_refused_for_its_place_first() {
    assert_refused_for_its_place_before_its_photo(file_part(pixel_bomb(11_999), "bomb.png")).await;
}

#[tokio::test]
async fn damaged_pixels_outside_the_city_are_never_decoded() {
    assert_refused_for_its_place_before_its_photo(file_part(damaged_png(), "damaged.png")).await;
}

#[tokio::test]
async fn damaged_pixels_inside_the_city_are_refused_and_leave_no_file() {
    let app = TestApp::spawn().await;
    let before = app.footprint().await;
    let damaged = || file_part(damaged_png(), "damaged.png");
    let form = report_with(CENTRU, vec![damaged()]);
    assert_form_refused(&app, form, 422, "photo-corrupt", Some("photos[0]")).await;
    // After a good photo that was already decoded, neither is kept.
    let form = report_with(CENTRU, vec![photo("pothole-gps.jpg"), damaged()]);
    assert_form_refused(&app, form, 422, "photo-corrupt", Some("photos[1]")).await;
    assert_nothing_stored_and_still_answering(&app, before).await;
}

#[tokio::test]
async fn a_photo_whose_decode_exceeds_the_memory_budget_is_refused() {
    let app = TestApp::spawn_with(|c| c.photo_decode_budget_bytes = 1024 * 1024).await;
    let before = app.footprint().await;
    let form = report_with(CENTRU, vec![photo("plain.png")]);
    assert_form_refused(&app, form, 422, "photo-too-many-pixels", Some("photos[0]")).await;
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
    let fields = "--XyZ\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\npothole\r\n\
                  --XyZ\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"big.png\"\r\n\
                  Content-Type: image/png\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = |bytes: &[u8]| {
        let mut framed = format!("{:x}\r\n", bytes.len()).into_bytes();
        framed.extend_from_slice(bytes);
        framed.extend_from_slice(b"\r\n");
        framed
    };
    stream.write_all(&chunk(fields.as_bytes())).await.unwrap();
    // Most of a megabyte of photo, and then nothing more: the budget holds what was sent.
    stream
        .write_all(&chunk(&vec![0u8; 900 * 1024]))
        .await
        .unwrap();
    stream.flush().await.unwrap();
    stream
}

/// Files a report with a photo every 20 ms, at most `tries` times, until one is answered
/// `wanted`; every answer before it must be `meanwhile`.
async fn photo_reports_until(
    app: &TestApp,
    wanted: u16,
    meanwhile: u16,
    tries: usize,
) -> Option<Response> {
    for _ in 0..tries {
        let response = app
            .post_form(report_with(CENTRU, vec![photo("plain.png")]))
            .await;
        if response.status() == wanted {
            return Some(response);
        }
        assert_eq!(response.status(), meanwhile, "until it is {wanted}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

#[tokio::test]
async fn a_full_upload_budget_answers_busy_with_retry_after_then_recovers() {
    let app = TestApp::spawn_with(|c| {
        c.upload_budget_bytes = 1024 * 1024;
        // Long enough for the held upload to outwait a small one that holds a step of the
        // budget for a moment; short enough for the test.
        c.admission_wait_ms = 300;
    })
    .await;
    let before = app.footprint().await;
    let held = hold_an_upload_open(&app).await;
    // The held request has sent most of a megabyte of photo, which fills the budget.
    let busy = photo_reports_until(&app, 503, 201, 50)
        .await
        .expect("an upload is turned away while the budget is full");
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
    let form = Open311Fields::signed(&key, "pothole")
        .multipart()
        .part("media", photo("plain.png"));
    let response = send(open311_post(&app, Format::Json).multipart(form)).await;
    let says_when = response.headers().contains_key("retry-after");
    assert_open311_error(response, Format::Json, 503).await;
    assert!(says_when, "a busy Open311 answer has a Retry-After");
    assert_eq!(app.footprint().await, during, "nothing stored while busy");

    // The client that held the budget goes away: the budget comes back.
    drop(held);
    let filed = photo_reports_until(&app, 201, 503, 100).await;
    assert!(
        filed.is_some(),
        "the budget is given back when the held upload ends"
    );
    assert!(app.footprint().await.incidents > before.incidents);
    assert_healthy(&app).await;
}
