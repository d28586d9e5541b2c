//! The reporter's contact and the photos' metadata never reach the public.

use crate::helpers::{logged, photo, TestApp, CENTRU};
use reqwest::multipart::Form;
use serde_json::Value;

const NAME: &str = "Ioana Secretă";
const EMAIL: &str = "ioana.secreta@example.ro";
const PHONE: &str = "+40 744 987 654";

#[tokio::test]
async fn no_public_response_or_log_line_carries_the_reporters_contact() {
    let app = TestApp::spawn().await;
    let form = Form::new()
        .text("category", "pothole")
        .text("lat", CENTRU.1.to_string())
        .text("lon", CENTRU.0.to_string())
        .text("reporter_name", NAME)
        .text("reporter_email", EMAIL)
        .text("reporter_phone", PHONE)
        .part("photos", photo("pothole-gps.jpg"));
    let response = app.post_form(form).await;
    assert_eq!(response.status(), 201);
    let created = response.text().await.unwrap();
    let filed: Value = serde_json::from_str(&created).unwrap();
    let number = filed["tracking_number"].as_str().unwrap();

    let mut public = vec![created.clone()];
    for path in [
        format!("/api/v1/incidents/{number}"),
        "/api/v1/incidents".to_string(),
        "/api/v1/incidents?bbox=23.5,46.0,23.7,46.1&category=pothole".to_string(),
        format!(
            "/api/v1/incidents/nearby?lat={}&lon={}&radius_m=500",
            CENTRU.1, CENTRU.0
        ),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        public.push(response.text().await.unwrap());
    }
    assert!(public[2].contains(number), "the listing shows the report");
    for text in &public {
        for secret in [NAME, "Secret", EMAIL, "ioana", PHONE, "987 654"] {
            assert!(!text.contains(secret), "{secret:?} leaked into {text}");
        }
    }
    // The contact is kept for the city: it is in the private table.
    assert_eq!(app.footprint().await.reporters, 1);
    let logs = logged();
    assert!(
        logs.contains(number),
        "the filing is logged with its tracking number"
    );
    for secret in [NAME, EMAIL, PHONE] {
        assert!(!logs.contains(secret), "{secret:?} reached a log line");
    }
}

#[tokio::test]
async fn served_photos_carry_no_exif_and_are_upright() {
    let app = TestApp::spawn().await;
    let original = std::fs::read("fixtures/photos/pothole-gps.jpg").unwrap();
    assert!(
        original.windows(7).any(|w| w == b"TestCam"),
        "the fixture carries camera EXIF"
    );
    let form = Form::new()
        .text("category", "pothole")
        .part("photos", photo("pothole-gps.jpg"))
        .part("photos", photo("rotated-exif6.jpg"));
    let response = app.post_form(form).await;
    assert_eq!(response.status(), 201);
    let filed: Value = response.json().await.unwrap();

    let photos = filed["photos"].as_array().unwrap();
    for p in photos {
        for url in [&p["thumb_url"], &p["display_url"]] {
            let bytes = app.get(url.as_str().unwrap()).await.bytes().await.unwrap();
            assert!(
                !bytes.windows(4).any(|w| w == b"Exif"),
                "an EXIF block survived in {url}"
            );
            assert!(
                !bytes.windows(7).any(|w| w == b"TestCam" || w == b"Model X"),
                "camera data survived in {url}"
            );
            let mut reader = exif::Reader::new();
            reader.continue_on_error(true);
            assert!(
                reader
                    .read_from_container(&mut std::io::Cursor::new(&bytes))
                    .is_err(),
                "EXIF readable in {url}"
            );
        }
    }

    // Stored 300×200 with "rotate 90° clockwise": served 200 wide, 300 tall, red corner top-right.
    let display = app
        .get(photos[1]["display_url"].as_str().unwrap())
        .await
        .bytes()
        .await
        .unwrap();
    let upright = image::load_from_memory(&display).unwrap().to_rgb8();
    assert_eq!(upright.dimensions(), (200, 300));
    let [r, g, b] = upright.get_pixel(200 - 10, 10).0;
    assert!(
        r > 200 && g < 60 && b < 60,
        "top-right corner is {:?}",
        (r, g, b)
    );
    let [r, g, _] = upright.get_pixel(10, 10).0;
    assert!(
        !(r > 200 && g < 60),
        "the red block moved to the top-right, not the top-left"
    );
}
