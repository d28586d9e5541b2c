//! The server holds up against slow and hostile clients, hostile input and a database
//! that goes away: connections are capped and timed, absolute URLs name only hosts we
//! know, bad dates are refused, every answer carries the security headers, and an outage
//! is a 503 the service recovers from by itself.

use crate::helpers::{assert_problem, photo, test_config, TestApp, CENTRU};
use reqwest::multipart::Form;
use serde_json::Value;
use sqlx::postgres::PgConnectOptions;
use std::str::FromStr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Opens a connection and sends the start of a request that never ends.
async fn stalled_connection(app: &TestApp) -> TcpStream {
    let address = app.address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    stream
}

/// Whether the server has closed `stream` (reading gives end of file or an error) within
/// `wait`.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut buffer = [0u8; 1024];
    loop {
        match tokio::time::timeout(wait, stream.read(&mut buffer)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            // An answer (e.g. 408) may come before the close.
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let app = TestApp::spawn_with(|config| config.header_timeout_secs = 1).await;
    let mut stalled = stalled_connection(&app).await;
    assert!(
        closed_within(&mut stalled, Duration::from_secs(20)).await,
        "the connection is still open"
    );
    // The server still answers everyone else.
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn connections_past_the_cap_wait_until_a_slot_is_free() {
    let app = TestApp::spawn_with(|config| {
        config.max_connections = 2;
        config.header_timeout_secs = 2;
    })
    .await;
    let mut stalled = [
        stalled_connection(&app).await,
        stalled_connection(&app).await,
    ];
    // Answered, but only once a stalled client has been cut off to make room.
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let mut closed = 0;
    for stream in &mut stalled {
        if closed_within(stream, Duration::from_millis(200)).await {
            closed += 1;
        }
    }
    assert!(
        closed >= 1,
        "a third connection was served while two held the slots"
    );
}

#[tokio::test]
async fn an_upload_whose_body_stops_coming_is_answered_408() {
    let app = TestApp::spawn_with(|config| config.upload_timeout_secs = 1).await;
    let address = app.address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(
            b"POST /api/v1/incidents?lang=en HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"category\": ",
        )
        .await
        .unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
            }
            if answer.windows(4).any(|w| w == b"\r\n\r\n") && answer.ends_with(b"}") {
                break;
            }
        }
    })
    .await;
    assert!(read.is_ok(), "no answer to a stalled upload");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.contains("application/problem+json") && answer.contains("/problems/request-timeout"),
        "{answer}"
    );
    assert_eq!(app.footprint().await.incidents, 0);
}

async fn get_with_host(app: &TestApp, path: &str, host: &str) -> Value {
    let response = app
        .client
        .get(app.url(path))
        .header("host", host)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_hostile_host_header_never_reaches_absolute_urls() {
    let app = TestApp::spawn().await;
    let filed = app
        .post_form(
            Form::new()
                .text("category", "pothole")
                .text("lat", CENTRU.1.to_string())
                .text("lon", CENTRU.0.to_string())
                .part("photos", photo("plain.png")),
        )
        .await;
    assert_eq!(filed.status(), 201);
    let tracking = filed.json::<Value>().await.unwrap()["tracking_number"]
        .as_str()
        .unwrap()
        .to_owned();
    let served = app.address.clone();

    let tiles = get_with_host(&app, "/tiles/incidents.json", "evil.example").await;
    let template = tiles["tiles"][0].as_str().unwrap();
    assert!(
        template.starts_with(&format!("{served}/tiles/")),
        "{template}"
    );
    let request = get_with_host(
        &app,
        &format!("/open311/v2/requests/{tracking}.json"),
        "evil.example",
    )
    .await;
    let media = request[0]["media_url"].as_str().unwrap();
    assert!(media.starts_with(&format!("{served}/")), "{media}");
    let discovery = get_with_host(&app, "/open311/v2/discovery.json", "evil.example").await;
    assert!(!discovery.to_string().contains("evil.example"));
}

#[tokio::test]
async fn allowed_hosts_are_named_back_and_any_other_gets_the_first() {
    let app = TestApp::spawn_with(|config| {
        config.allowed_hosts = vec!["semnal.apulum.ro".into(), "localhost:8080".into()];
    })
    .await;
    let tiles = get_with_host(&app, "/tiles/incidents.json", "localhost:8080").await;
    assert!(tiles["tiles"][0]
        .as_str()
        .unwrap()
        .starts_with("http://localhost:8080/tiles/incidents/"));
    let tiles = get_with_host(&app, "/tiles/incidents.json", "evil.example").await;
    assert!(tiles["tiles"][0]
        .as_str()
        .unwrap()
        .starts_with("http://semnal.apulum.ro/tiles/incidents/"));
}

#[tokio::test]
async fn tilejson_passes_only_the_map_filters_on_percent_encoded() {
    let app = TestApp::spawn().await;
    let tiles = app
        .get_json(
            "/tiles/incidents.json?status=new,acknowledged&evil=%3Cscript%3E&since=2026-01-01",
        )
        .await;
    let template = tiles["tiles"][0].as_str().unwrap();
    assert!(
        template.ends_with(
            "/tiles/incidents/{z}/{x}/{y}.mvt?since=2026-01-01&status=new%2Cacknowledged"
        ),
        "{template}"
    );
}

#[tokio::test]
async fn dates_and_cursors_out_of_range_are_refused_naming_the_parameter() {
    let app = TestApp::spawn().await;
    for (path, field) in [
        (
            "/open311/v2/requests.json?start_date=%2B262142-12-01",
            "start_date",
        ),
        (
            "/open311/v2/requests.json?end_date=%2B262142-12-31T23:59:59Z",
            "end_date",
        ),
        (
            "/open311/v2/servicerequestupdates.json?end_date=%2B262142-12-31",
            "end_date",
        ),
        (
            "/open311/v2/servicerequestupdates.json?start_date=-100000-01-01",
            "start_date",
        ),
    ] {
        let response = app.get(&format!("{path}&lang=en")).await;
        assert_eq!(response.status(), 400, "{path}");
        let errors: Value = response.json().await.unwrap();
        let description = errors[0]["description"].as_str().unwrap();
        assert!(
            description.starts_with(&format!("{field}: ")),
            "{path}: {description}"
        );
    }
    // A creation time 100,000 years before PostgreSQL's first.
    let cursor = "-3218000000000000000_00000000-0000-4000-8000-000000000000";
    let response = app.get(&format!("/api/v1/incidents?cursor={cursor}")).await;
    assert_problem(response, 400, "invalid-parameter", Some("cursor")).await;
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in [
        "/",
        "/api/v1/categories",
        "/api/v1/incidents/nope",
        "/tiles/zones.json",
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        for directive in [
            "default-src 'self'",
            "worker-src 'self' blob:",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        // Plain HTTP: pinning HTTPS would lock browsers out.
        assert!(!headers.contains_key("strict-transport-security"), "{path}");
    }
    let https = TestApp::spawn_with(|config| {
        config.public_url = Some("https://semnal.apulum.ro".into());
    })
    .await;
    let response = https.get("/api/v1/categories").await;
    assert!(response.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
}

/// A TCP door to the test database that can be shut (connections cut, port refusing) and
/// opened again, as PostgreSQL going down and coming back looks to the service.
struct DatabaseDoor {
    address: std::net::SocketAddr,
    upstream: PgConnectOptions,
    open: Option<tokio::task::JoinHandle<()>>,
}

impl DatabaseDoor {
    async fn new(database_url: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut door = Self {
            address: listener.local_addr().unwrap(),
            upstream: PgConnectOptions::from_str(database_url).unwrap(),
            open: None,
        };
        door.open_with(listener);
        door
    }

    /// The URL of the database through the door.
    fn url(&self) -> String {
        format!(
            "postgres://{}@{}/{}?sslmode=disable",
            self.upstream.get_username(),
            self.address,
            self.upstream.get_database().unwrap()
        )
    }

    fn open_with(&mut self, listener: TcpListener) {
        let upstream = self.upstream.clone();
        self.open = Some(tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                connections.spawn(async move {
                    let port = upstream.get_port();
                    match upstream.get_socket() {
                        Some(dir) => {
                            let path = dir.join(format!(".s.PGSQL.{port}"));
                            let mut server = tokio::net::UnixStream::connect(path).await.unwrap();
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                        }
                        None => {
                            let host = upstream.get_host().to_owned();
                            let mut server = TcpStream::connect((host, port)).await.unwrap();
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                        }
                    }
                });
            }
        }));
    }

    /// Cuts every connection and refuses new ones.
    async fn shut(&mut self) {
        if let Some(task) = self.open.take() {
            task.abort();
            let _ = task.await;
        }
    }

    async fn reopen(&mut self) {
        let listener = TcpListener::bind(self.address).await.unwrap();
        self.open_with(listener);
    }
}

/// A server over `test_app`'s database and photos, connecting to the database at `url`.
async fn serve_over(test_app: &TestApp, url: &str) -> TestApp {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let listen = listener.local_addr().unwrap();
    let config = semnal::config::Config {
        db_acquire_timeout_secs: 1,
        ..test_config(&test_app.data_dir, listen)
    };
    let app = semnal::app::App::start(config, url).await.unwrap();
    let served = app.clone();
    tokio::spawn(async move { semnal::http::serve(served, listener).await.unwrap() });
    TestApp {
        address: format!("http://{listen}"),
        client: reqwest::Client::new(),
        database_url: test_app.database_url.clone(),
        data_dir: test_app.data_dir.clone(),
        app,
    }
}

#[tokio::test]
async fn while_the_database_is_down_requests_that_need_it_get_503_and_then_recover() {
    let test_app = TestApp::spawn().await;
    let mut door = DatabaseDoor::new(&test_app.database_url).await;
    // A server of its own over the same database, reaching it through the door.
    let app = serve_over(&test_app, &door.url()).await;
    let before = app.report_pothole_at(CENTRU).await;
    let tracking = before["tracking_number"].as_str().unwrap();
    let report = serde_json::json!({ "category": "pothole", "lat": CENTRU.1, "lon": CENTRU.0 });

    door.shut().await;
    let refused = app
        .client
        .post(app.url("/api/v1/incidents?lang=en"))
        .json(&report)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.headers()["retry-after"], "5");
    let english = assert_problem(refused, 503, "unavailable", None).await;
    let read = app
        .get(&format!("/api/v1/incidents/{tracking}?lang=hu"))
        .await;
    assert!(read.headers().contains_key("retry-after"));
    let hungarian = assert_problem(read, 503, "unavailable", None).await;
    assert_ne!(english["title"], hungarian["title"], "localised");
    let open311 = app.get("/open311/v2/requests.json").await;
    assert_eq!(open311.status(), 503);
    assert!(open311.headers().contains_key("retry-after"));
    // What needs no database still answers; readiness says the truth at once.
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/tiles/incidents/0/0/0.mvt").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 503);

    door.reopen().await;
    let filed = app.post_json(&report).await;
    assert_eq!(filed.status(), 201, "{}", filed.text().await.unwrap());
    let read = app.get(&format!("/api/v1/incidents/{tracking}")).await;
    assert_eq!(read.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);
}
