//! `TestApp`: a real semnal server on a random port, over its own fresh PostgreSQL +
//! PostGIS database cloned from a migrated, seeded template.

use reqwest::multipart::{Form, Part};
use reqwest::{Client, Response};
use semnal::config::Config;
use semnal::store::Store;
use serde_json::Value;
use sqlx::{Connection, Executor, PgConnection};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// A point strictly inside the `centru` zone (Alba Iulia's centre).
pub const CENTRU: (f64, f64) = (23.583, 46.07);

/// Log lines written by every app in this test process, to check what reaches the logs.
pub static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

#[derive(Clone)]
struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = LogWriter(buffer.clone());
        tracing_subscriber::fmt()
            .with_env_filter("debug,sqlx=warn,hyper=info,h2=info,reqwest=info")
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .init();
        buffer
    });
}

/// Everything logged so far in this process.
pub fn logged() -> String {
    String::from_utf8_lossy(&LOGS.get().expect("logs captured").lock().unwrap()).into_owned()
}

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub database_url: String,
    pub data_dir: PathBuf,
    /// The running service, to look at what a client cannot see (e.g. map builds).
    pub app: Arc<semnal::app::App>,
}

/// The configuration of a test server at `listen`: its own photo folder, and per-client
/// limits no test reaches unless it sets them (every test client files from 127.0.0.1).
pub fn test_config(data_dir: &Path, listen: std::net::SocketAddr) -> Config {
    Config {
        data_dir: data_dir.to_owned(),
        listen,
        reports_per_minute: 1_000_000,
        report_burst: 1_000_000,
        api_key_reports_per_minute: 1_000_000,
        photo_bytes_per_day: 1 << 40,
        ..Config::default()
    }
}

fn admin_url() -> String {
    std::env::var("DATABASE_URL").expect(
        "DATABASE_URL must point at a PostgreSQL + PostGIS server (scripts/test starts one)",
    )
}

/// `admin_url` with another database name (keeps the socket `host` and `user` parameters).
fn url_for(database: &str) -> String {
    let admin = admin_url();
    let (base, query) = admin
        .split_once('?')
        .map_or((admin.as_str(), None), |(b, q)| (b, Some(q)));
    let server = base.rsplit_once('/').map_or(base, |(s, _)| s);
    match query {
        Some(q) => format!("{server}/{database}?{q}"),
        None => format!("{server}/{database}"),
    }
}

/// The name of the template database for the current migrations and demo fixtures.
fn template_name() -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for dir in [
        "migrations",
        "fixtures/alba-iulia",
        "fixtures/helsinki-keskusta",
    ] {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            std::fs::read(&path).unwrap().hash(&mut hasher);
        }
    }
    format!("semnal_template_{:x}", hasher.finish())
}

/// Creates the template once per server, under an advisory lock so that concurrent tests
/// and test binaries agree.
async fn ensure_template() -> String {
    let name = template_name();
    let mut admin = PgConnection::connect(&admin_url())
        .await
        .expect("connect to the admin database");
    admin
        .execute("SELECT pg_advisory_lock(7733001)")
        .await
        .unwrap();
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&name)
            .fetch_one(&mut admin)
            .await
            .unwrap();
    if !exists {
        let building = format!("{name}_building");
        admin
            .execute(format!("DROP DATABASE IF EXISTS {building}").as_str())
            .await
            .unwrap();
        admin
            .execute(format!("CREATE DATABASE {building}").as_str())
            .await
            .unwrap();
        let store = Store::connect(&url_for(&building), 2).await.unwrap();
        store.migrate().await.expect("migrations apply");
        semnal::seed::seed_demo(&store).await.expect("demo seeds");
        store.close().await;
        admin
            .execute(format!("ALTER DATABASE {building} RENAME TO {name}").as_str())
            .await
            .unwrap();
    }
    admin
        .execute("SELECT pg_advisory_unlock(7733001)")
        .await
        .unwrap();
    name
}

impl TestApp {
    /// A server with the default configuration.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// A server whose configuration `adjust` may change.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> Self {
        capture_logs();
        let template = ensure_template().await;
        let database = format!("test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&admin_url()).await.unwrap();
        admin
            .execute(format!("CREATE DATABASE {database} TEMPLATE {template}").as_str())
            .await
            .unwrap();
        let database_url = url_for(&database);

        let data_dir = std::env::temp_dir().join(format!("semnal-test-{database}"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        // The address it serves, as `semnal serve --listen` would have it.
        let mut config = test_config(&data_dir, listener.local_addr().unwrap());
        adjust(&mut config);
        let app = semnal::app::App::start(config, &database_url)
            .await
            .expect("app starts");
        let served = app.clone();
        tokio::spawn(async move { semnal::http::serve(served, listener).await.unwrap() });
        Self {
            address,
            client: Client::new(),
            database_url,
            data_dir,
            app,
        }
    }

    /// A new server over the same database and photo folder (as after a restart).
    pub async fn restart(self) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let config = test_config(&self.data_dir, listener.local_addr().unwrap());
        let app = semnal::app::App::start(config, &self.database_url)
            .await
            .expect("app restarts");
        let served = app.clone();
        tokio::spawn(async move { semnal::http::serve(served, listener).await.unwrap() });
        Self {
            address,
            app,
            ..self
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert!(
            response.status().is_success(),
            "GET {path}: {}",
            response.status()
        );
        response.json().await.unwrap()
    }

    pub async fn post_json(&self, body: &Value) -> Response {
        self.client
            .post(self.url("/api/v1/incidents"))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_form(&self, form: Form) -> Response {
        self.client
            .post(self.url("/api/v1/incidents"))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// Files a report of `category` at `(lon, lat)` and returns the created incident.
    pub async fn report(&self, category: &str, (lon, lat): (f64, f64)) -> Value {
        let response = self
            .post_json(&serde_json::json!({ "category": category, "lat": lat, "lon": lon }))
            .await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        response.json().await.unwrap()
    }

    pub async fn report_pothole_at(&self, at: (f64, f64)) -> Value {
        self.report("pothole", at).await
    }

    /// Row counts of every table a report writes to, and the number of stored photo files.
    pub async fn footprint(&self) -> Footprint {
        let mut db = PgConnection::connect(&self.database_url).await.unwrap();
        let counts: (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM incident_reporters),
                    (SELECT count(*) FROM photos), (SELECT count(*) FROM incident_events)",
        )
        .fetch_one(&mut db)
        .await
        .unwrap();
        Footprint {
            incidents: counts.0,
            reporters: counts.1,
            photos: counts.2,
            events: counts.3,
            stored_files: count_files(&self.data_dir),
        }
    }
}

/// What the service has stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Footprint {
    pub incidents: i64,
    pub reporters: i64,
    pub photos: i64,
    pub events: i64,
    pub stored_files: usize,
}

fn count_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { count_files(&p) } else { 1 })
        .sum()
}

/// A fixture photo as a multipart part.
pub fn photo(name: &str) -> Part {
    let bytes = std::fs::read(format!("fixtures/photos/{name}")).unwrap();
    Part::bytes(bytes).file_name(name.to_owned())
}

/// A probe point of the demo zones file.
pub fn probe_points() -> Value {
    serde_json::from_str(&std::fs::read_to_string("fixtures/alba-iulia/probe-points.json").unwrap())
        .unwrap()
}

/// Asserts a problem+json response: status, `type` slug, `field`, and returns the body.
pub async fn assert_problem(
    response: Response,
    status: u16,
    slug: &str,
    field: Option<&str>,
) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["type"], format!("/problems/{slug}"), "{body}");
    assert_eq!(body["field"].as_str(), field, "{body}");
    assert!(
        !body["title"].as_str().unwrap().is_empty() && !body["detail"].as_str().unwrap().is_empty()
    );
    body
}

/// The multipart form of a report of `category` at `(lon, lat)`, before any other part.
pub fn report_form(category: &str, (lon, lat): (f64, f64)) -> Form {
    Form::new()
        .text("category", category.to_owned())
        .text("lat", lat.to_string())
        .text("lon", lon.to_string())
}
