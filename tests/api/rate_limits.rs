//! Per-client limits on filing: reports per client address (behind trusted proxies, the
//! address they forwarded), reports per Open311 API key, photo bytes per day.

use crate::helpers::{assert_problem, photo, TestApp, CENTRU};
use reqwest::multipart::Form;
use reqwest::Response;

/// A server allowing 3 reports at once per client and one more a minute (so no test
/// waits long enough to earn another), behind a proxy at 127.0.0.1.
async fn tight(trusted_proxies: &str) -> TestApp {
    let proxies = trusted_proxies.parse().unwrap();
    TestApp::spawn_with(|config| {
        config.reports_per_minute = 1;
        config.report_burst = 3;
        config.api_key_reports_per_minute = 2;
        config.trusted_proxies = proxies;
    })
    .await
}

/// Files a pothole at the centre as the client `forwarded_for` (through the proxy), with
/// an optional idempotency key, in Romanian.
async fn report_from(app: &TestApp, forwarded_for: &str, key: Option<&str>) -> Response {
    let (lon, lat) = CENTRU;
    let mut request = app
        .client
        .post(app.url("/api/v1/incidents"))
        .header("X-Forwarded-For", forwarded_for)
        .header("Accept-Language", "ro")
        .json(&serde_json::json!({ "category": "pothole", "lat": lat, "lon": lon }));
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.unwrap()
}

/// Asserts a 429 for `field` with a wait in `Retry-After` and a Romanian text.
async fn assert_limited(response: Response, field: &str) {
    let wait: u32 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1);
    assert_eq!(response.headers()["content-language"], "ro");
    let body = assert_problem(response, 429, "rate-limited", Some(field)).await;
    assert_eq!(body["lang"], "ro");
}

#[tokio::test]
async fn a_flood_from_one_client_is_refused_after_the_burst_and_others_file_on() {
    let app = tight("127.0.0.1").await;
    for _ in 0..3 {
        assert_eq!(report_from(&app, "203.0.113.1", None).await.status(), 201);
    }
    let before = app.footprint().await;
    for _ in 0..5 {
        assert_limited(report_from(&app, "203.0.113.1", None).await, "report").await;
    }
    assert_eq!(
        app.footprint().await,
        before,
        "refused reports store nothing"
    );
    // Another resident behind the same proxy is not affected; one who puts a made-up
    // address left of the one the proxy wrote is still who the proxy saw.
    assert_eq!(report_from(&app, "203.0.113.2", None).await.status(), 201);
    assert_limited(
        report_from(&app, "198.51.100.7, 203.0.113.1", None).await,
        "report",
    )
    .await;
}

#[tokio::test]
async fn a_forwarded_address_from_an_untrusted_peer_is_ignored() {
    let app = tight("10.0.0.1").await;
    for n in 1..=3 {
        let response = report_from(&app, &format!("203.0.113.{n}"), None).await;
        assert_eq!(response.status(), 201);
    }
    // Every one of them was 127.0.0.1, whatever the header said.
    assert_limited(report_from(&app, "203.0.113.4", None).await, "report").await;
}

#[tokio::test]
async fn replays_of_an_idempotency_key_count_as_requests() {
    let app = tight("127.0.0.1").await;
    let key = "7c0e4b8a-replay";
    assert_eq!(
        report_from(&app, "203.0.113.1", Some(key)).await.status(),
        201
    );
    let replay = report_from(&app, "203.0.113.1", Some(key)).await;
    assert_eq!(replay.status(), 200);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(
        report_from(&app, "203.0.113.1", Some(key)).await.status(),
        200
    );
    assert_limited(report_from(&app, "203.0.113.1", Some(key)).await, "report").await;
}

#[tokio::test]
async fn the_daily_photo_budget_refuses_the_upload_past_it() {
    // plain.png is 2,254 bytes: one fits a 3 KiB budget, two do not.
    let app = TestApp::spawn_with(|config| {
        config.photo_bytes_per_day = 3 * 1024;
    })
    .await;
    let photo_at = |(lon, lat): (f64, f64)| {
        Form::new()
            .text("category", "pothole")
            .text("lat", lat.to_string())
            .text("lon", lon.to_string())
            .part("photos", photo("plain.png"))
    };
    let with_photo = || photo_at(CENTRU);
    let send = |form: Form| {
        app.client
            .post(app.url("/api/v1/incidents"))
            .header("Accept-Language", "ro")
            .multipart(form)
            .send()
    };
    // A refused report costs the budget nothing: outside the city, twice over.
    let outside = (23.3, 46.3);
    for _ in 0..2 {
        assert_eq!(send(photo_at(outside)).await.unwrap().status(), 422);
    }
    assert_eq!(send(with_photo()).await.unwrap().status(), 201);
    let before = app.footprint().await;
    assert_limited(send(with_photo()).await.unwrap(), "photos").await;
    assert_eq!(app.footprint().await, before, "no row, no photo file");
    // Reports without photos are still welcome.
    assert_eq!(
        app.report_pothole_at(CENTRU).await["category"]["code"],
        "pothole"
    );
}

#[tokio::test]
async fn each_open311_key_has_its_own_limit() {
    let app = tight("127.0.0.1").await;
    let first = crate::open311::issue_key(&app, "Call centre").await.key;
    let second = crate::open311::issue_key(&app, "Mobile app").await.key;
    let file = |key: String| {
        let (lon, lat) = CENTRU;
        app.client
            .post(app.url("/open311/v2/requests.json"))
            .header("Accept-Language", "ro")
            .form(&[
                ("api_key", key),
                ("jurisdiction_id", "alba-iulia".into()),
                ("service_code", "pothole".into()),
                ("lat", lat.to_string()),
                ("long", lon.to_string()),
            ])
            .send()
    };
    for _ in 0..2 {
        assert_eq!(file(first.clone()).await.unwrap().status(), 200);
    }
    let refused = file(first.clone()).await.unwrap();
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    let errors: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(errors[0]["code"], 429, "{errors}");
    assert!(!errors[0]["description"].as_str().unwrap().is_empty());
    assert_eq!(file(second).await.unwrap().status(), 200);
}

#[tokio::test]
async fn forwarded_addresses_a_proxy_wrote_badly_count_as_the_proxy_itself() {
    let app = tight("127.0.0.1").await;
    let long = format!("{}x", "198.51.100.7, ".repeat(2000));
    let junk = [
        "not-an-address",
        "999.1.2.3",
        "[2001:db8::1",
        "203.0.113.9:port",
        long.as_str(),
    ];
    // All one client, the proxy: its burst of 3 and then refusals, never a 5xx.
    for (i, forwarded) in junk.iter().enumerate() {
        let response = report_from(&app, forwarded, None).await;
        if i < 3 {
            assert_eq!(response.status(), 201, "{forwarded:.40}");
        } else {
            assert_limited(response, "report").await;
        }
    }
    // An address the proxy did write is a client of its own.
    assert_eq!(report_from(&app, "203.0.113.50", None).await.status(), 201);
    assert_eq!(app.get("/healthz").await.status(), 200);
}
