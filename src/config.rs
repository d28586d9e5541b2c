//! Typed, layered configuration: defaults in code, then `semnal.toml` (or the file named by
//! `SEMNAL_CONFIG`), then `SEMNAL_*` environment variables. Secrets come only from the
//! environment (`DATABASE_URL`).

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything the service can be told.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address `serve` listens on.
    pub listen: SocketAddr,
    /// Folder for photos (and, in the embedded setup, the database cluster).
    pub data_dir: PathBuf,
    /// The jurisdiction this instance serves.
    pub jurisdiction: String,
    /// Largest accepted photo upload, in bytes.
    pub max_photo_bytes: usize,
    /// Most photos per report.
    pub max_photos: usize,
    /// Largest accepted photo width or height, in pixels.
    pub max_photo_side: u32,
    /// Largest accepted photo width × height.
    pub max_photo_pixels: u64,
    /// Memory all photo decodes in flight may hold together, in bytes.
    pub photo_decode_budget_bytes: u64,
    /// Memory all request bodies with photos in flight may hold together, in bytes.
    pub upload_budget_bytes: u64,
    /// How long a request waits for room in a budget before it is answered 503.
    pub admission_wait_ms: u64,
    /// How long a client over its rate limit waits for its 429.
    pub refusal_pause_ms: u64,
    /// Largest JSON or URL-encoded request body (a report without photos), in bytes.
    pub max_form_bytes: usize,
    /// Most parts in a multipart form.
    pub max_form_parts: usize,
    /// Largest text field of a multipart form, in bytes.
    pub max_text_part_bytes: usize,
    /// Database connections in the pool.
    pub db_connections: u32,
    /// The basemap archive, its style, fonts and sprites.
    pub tiles_dir: PathBuf,
    /// The built web app, served at `/`.
    pub frontend_dir: PathBuf,
    /// The `scheme://host[:port]` residents and clients reach this service at, for absolute
    /// URLs; without it, the `Host` of each request (fine without a proxy in front).
    pub public_url: Option<String>,
    /// `host[:port]` names a request's `Host` may use in absolute URLs when `public_url` is
    /// not set; the first also stands in for any other `Host`.
    pub allowed_hosts: Vec<String>,
    /// Seconds a client has to send a request's headers (also how long an idle
    /// keep-alive connection is kept).
    pub header_timeout_secs: u64,
    /// Seconds to read and answer a request, body included; past it, 408.
    pub request_timeout_secs: u64,
    /// The same for requests that upload (POST), which carry photos.
    pub upload_timeout_secs: u64,
    /// Connections served at once; more wait in the kernel's accept queue.
    pub max_connections: usize,
    /// Seconds a request waits for a database connection before answering 503.
    pub db_acquire_timeout_secs: u64,
    /// Seconds a statement of the service may run before PostgreSQL cancels it.
    pub db_statement_timeout_secs: u64,
    /// Filtered map hierarchies kept (least recently used dropped first).
    pub map_filter_cache: usize,
    /// Filtered map hierarchies built at once, off the async runtime.
    pub map_filter_builds: usize,
    /// How long a tile request waits for a build slot before a 503, in milliseconds.
    pub map_filter_wait_ms: u64,
    /// Reports one client address may file per minute through the JSON API.
    pub reports_per_minute: u32,
    /// Reports one client address may file at once before the per-minute rate applies.
    pub report_burst: u32,
    /// Reports one Open311 API key may file per minute (and at once).
    pub api_key_reports_per_minute: u32,
    /// Photo bytes one client (address or API key) may upload per day.
    pub photo_bytes_per_day: u64,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: TrustedProxies,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            jurisdiction: "alba-iulia".into(),
            max_photo_bytes: 15 * 1024 * 1024,
            max_photos: 5,
            max_photo_side: 12_000,
            // Phones' full-resolution modes give 48–50 megapixels; their usual photos 12.
            max_photo_pixels: 50_000_000,
            // One 50-megapixel RGBA decode fits, with room for the derivatives.
            photo_decode_budget_bytes: 256 * 1024 * 1024,
            upload_budget_bytes: 128 * 1024 * 1024,
            admission_wait_ms: 2000,
            refusal_pause_ms: 1000,
            max_form_bytes: 64 * 1024,
            max_form_parts: 64,
            max_text_part_bytes: 32 * 1024,
            db_connections: 16,
            tiles_dir: PathBuf::from("tiles"),
            frontend_dir: PathBuf::from("frontend/dist"),
            public_url: None,
            allowed_hosts: Vec::new(),
            header_timeout_secs: 10,
            request_timeout_secs: 30,
            upload_timeout_secs: 300,
            max_connections: 512,
            db_acquire_timeout_secs: 3,
            db_statement_timeout_secs: 10,
            map_filter_cache: 16,
            map_filter_builds: 2,
            map_filter_wait_ms: 2000,
            reports_per_minute: 30,
            report_burst: 10,
            api_key_reports_per_minute: 120,
            photo_bytes_per_day: 200 * 1024 * 1024,
            trusted_proxies: TrustedProxies::default(),
        }
    }
}

/// A configuration that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("reading {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("parsing {path}: {source}")]
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("environment variable {name}: {value:?} is not valid")]
    Env { name: String, value: String },
}

impl Config {
    /// Loads the layers in order; a missing default `semnal.toml` is not an error.
    pub fn load() -> Result<Self, ConfigError> {
        let (path, required) = match std::env::var_os("SEMNAL_CONFIG") {
            Some(p) => (PathBuf::from(p), true),
            None => (PathBuf::from("semnal.toml"), false),
        };
        let mut config = match std::fs::read_to_string(&path) {
            Ok(text) => {
                toml::from_str(&text).map_err(|source| ConfigError::Parse { path, source })?
            }
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => Config::default(),
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        Ok(config)
    }

    fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn set<T: std::str::FromStr>(
            target: &mut T,
            name: &str,
            var: &impl Fn(&str) -> Option<String>,
        ) -> Result<(), ConfigError> {
            if let Some(value) = var(name) {
                *target = value.parse().map_err(|_| ConfigError::Env {
                    name: name.into(),
                    value,
                })?;
            }
            Ok(())
        }
        set(&mut self.listen, "SEMNAL_LISTEN", &var)?;
        set(&mut self.data_dir, "SEMNAL_DATA_DIR", &var)?;
        set(&mut self.jurisdiction, "SEMNAL_JURISDICTION", &var)?;
        set(&mut self.max_photo_bytes, "SEMNAL_MAX_PHOTO_BYTES", &var)?;
        set(&mut self.max_photos, "SEMNAL_MAX_PHOTOS", &var)?;
        set(&mut self.max_photo_side, "SEMNAL_MAX_PHOTO_SIDE", &var)?;
        set(&mut self.max_photo_pixels, "SEMNAL_MAX_PHOTO_PIXELS", &var)?;
        set(
            &mut self.photo_decode_budget_bytes,
            "SEMNAL_PHOTO_DECODE_BUDGET_BYTES",
            &var,
        )?;
        set(
            &mut self.upload_budget_bytes,
            "SEMNAL_UPLOAD_BUDGET_BYTES",
            &var,
        )?;
        set(
            &mut self.admission_wait_ms,
            "SEMNAL_ADMISSION_WAIT_MS",
            &var,
        )?;
        set(&mut self.refusal_pause_ms, "SEMNAL_REFUSAL_PAUSE_MS", &var)?;
        set(&mut self.max_form_bytes, "SEMNAL_MAX_FORM_BYTES", &var)?;
        set(&mut self.max_form_parts, "SEMNAL_MAX_FORM_PARTS", &var)?;
        set(
            &mut self.max_text_part_bytes,
            "SEMNAL_MAX_TEXT_PART_BYTES",
            &var,
        )?;
        set(&mut self.db_connections, "SEMNAL_DB_CONNECTIONS", &var)?;
        set(&mut self.tiles_dir, "SEMNAL_TILES_DIR", &var)?;
        set(&mut self.frontend_dir, "SEMNAL_FRONTEND_DIR", &var)?;
        set(
            &mut self.header_timeout_secs,
            "SEMNAL_HEADER_TIMEOUT_SECS",
            &var,
        )?;
        set(
            &mut self.request_timeout_secs,
            "SEMNAL_REQUEST_TIMEOUT_SECS",
            &var,
        )?;
        set(
            &mut self.upload_timeout_secs,
            "SEMNAL_UPLOAD_TIMEOUT_SECS",
            &var,
        )?;
        set(&mut self.max_connections, "SEMNAL_MAX_CONNECTIONS", &var)?;
        set(
            &mut self.db_acquire_timeout_secs,
            "SEMNAL_DB_ACQUIRE_TIMEOUT_SECS",
            &var,
        )?;
        set(
            &mut self.db_statement_timeout_secs,
            "SEMNAL_DB_STATEMENT_TIMEOUT_SECS",
            &var,
        )?;
        if let Some(hosts) = var("SEMNAL_ALLOWED_HOSTS") {
            self.allowed_hosts = hosts
                .split(',')
                .map(str::trim)
                .filter(|h| !h.is_empty())
                .map(str::to_owned)
                .collect();
        }
        self.check_server_limits()?;
        set(&mut self.map_filter_cache, "SEMNAL_MAP_FILTER_CACHE", &var)?;
        set(
            &mut self.map_filter_builds,
            "SEMNAL_MAP_FILTER_BUILDS",
            &var,
        )?;
        set(
            &mut self.map_filter_wait_ms,
            "SEMNAL_MAP_FILTER_WAIT_MS",
            &var,
        )?;
        set(
            &mut self.reports_per_minute,
            "SEMNAL_REPORTS_PER_MINUTE",
            &var,
        )?;
        set(&mut self.report_burst, "SEMNAL_REPORT_BURST", &var)?;
        set(
            &mut self.api_key_reports_per_minute,
            "SEMNAL_API_KEY_REPORTS_PER_MINUTE",
            &var,
        )?;
        set(
            &mut self.photo_bytes_per_day,
            "SEMNAL_PHOTO_BYTES_PER_DAY",
            &var,
        )?;
        set(&mut self.trusted_proxies, "SEMNAL_TRUSTED_PROXIES", &var)?;
        if let Some(url) = var("SEMNAL_PUBLIC_URL") {
            self.public_url = Some(url);
        }
        self.public_url = self
            .public_url
            .take()
            .map(|url| url.trim_end_matches('/').to_owned());
        if let Some(url) = &self.public_url {
            let scheme_and_host = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .is_some_and(|host| !host.is_empty() && !host.contains('/'));
            if !scheme_and_host {
                return Err(ConfigError::Env {
                    name: "SEMNAL_PUBLIC_URL".into(),
                    value: url.clone(),
                });
            }
        }
        Ok(())
    }

    /// Zero would mean "never answer": every limit of the server must be at least 1.
    fn check_server_limits(&self) -> Result<(), ConfigError> {
        let limits = [
            ("SEMNAL_HEADER_TIMEOUT_SECS", self.header_timeout_secs),
            ("SEMNAL_REQUEST_TIMEOUT_SECS", self.request_timeout_secs),
            ("SEMNAL_UPLOAD_TIMEOUT_SECS", self.upload_timeout_secs),
            ("SEMNAL_MAX_CONNECTIONS", self.max_connections as u64),
            (
                "SEMNAL_DB_ACQUIRE_TIMEOUT_SECS",
                self.db_acquire_timeout_secs,
            ),
            (
                "SEMNAL_DB_STATEMENT_TIMEOUT_SECS",
                self.db_statement_timeout_secs,
            ),
        ];
        match limits.iter().find(|(_, value)| *value == 0) {
            Some((name, _)) => Err(ConfigError::Env {
                name: (*name).into(),
                value: "0".into(),
            }),
            None => Ok(()),
        }
    }

    /// Whether `host` (a request's `Host`, `host[:port]`) is one this service may name in
    /// absolute URLs.
    pub fn is_allowed_host(&self, host: &str) -> bool {
        self.allowed_hosts
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(host))
    }

    /// The largest request body: every photo at its largest, and room for the form.
    pub fn max_request_bytes(&self) -> usize {
        self.max_photos * self.max_photo_bytes + 1024 * 1024
    }

    /// Where photos are stored.
    pub fn photos_dir(&self) -> PathBuf {
        self.data_dir.join("photos")
    }
}

/// Addresses and networks of the proxies in front of the service: `10.0.0.1, 10.1.0.0/16`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct TrustedProxies(Vec<ipnet::IpNet>);

impl TrustedProxies {
    /// Whether `address` is one of the proxies.
    pub fn contains(&self, address: &std::net::IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(address))
    }
}

impl std::str::FromStr for TrustedProxies {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        s.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<ipnet::IpNet>()
                    .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| format!("{entry:?} is neither an IP address nor a CIDR network"))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }
}

impl TryFrom<String> for TrustedProxies {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_wins_over_file_and_bad_values_are_named() {
        let mut config: Config =
            toml::from_str("max_photos = 3\nlisten = \"0.0.0.0:9000\"").unwrap();
        config
            .apply_env(|n| (n == "SEMNAL_MAX_PHOTOS").then(|| "4".to_string()))
            .unwrap();
        assert_eq!(config.max_photos, 4);
        assert_eq!(config.listen.port(), 9000);
        let err = config
            .apply_env(|n| (n == "SEMNAL_LISTEN").then(|| "nowhere".to_string()))
            .unwrap_err();
        assert!(err.to_string().contains("SEMNAL_LISTEN"));
    }

    #[test]
    fn allowed_hosts_are_a_comma_list_and_limits_cannot_be_zero() {
        let mut config = Config::default();
        config
            .apply_env(|n| {
                (n == "SEMNAL_ALLOWED_HOSTS").then(|| " semnal.example , localhost:8080,".into())
            })
            .unwrap();
        assert_eq!(config.allowed_hosts, ["semnal.example", "localhost:8080"]);
        assert!(config.is_allowed_host("LOCALHOST:8080"));
        assert!(!config.is_allowed_host("localhost:8081"));
        let err = config
            .apply_env(|n| (n == "SEMNAL_MAX_CONNECTIONS").then(|| "0".into()))
            .unwrap_err();
        assert!(err.to_string().contains("SEMNAL_MAX_CONNECTIONS"));
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let mut config: Config =
            toml::from_str("trusted_proxies = \"10.0.0.1, 192.168.0.0/16\"").unwrap();
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        assert!(config.trusted_proxies.contains(&ip("10.0.0.1")));
        assert!(config.trusted_proxies.contains(&ip("192.168.7.9")));
        assert!(!config.trusted_proxies.contains(&ip("10.0.0.2")));
        config
            .apply_env(|n| (n == "SEMNAL_TRUSTED_PROXIES").then(|| "::1,127.0.0.1".to_string()))
            .unwrap();
        assert!(config.trusted_proxies.contains(&ip("::1")));
        assert!(!config.trusted_proxies.contains(&ip("10.0.0.1")));
        let err = config
            .apply_env(|n| (n == "SEMNAL_TRUSTED_PROXIES").then(|| "10.0.0.300".to_string()))
            .unwrap_err();
        assert!(err.to_string().contains("SEMNAL_TRUSTED_PROXIES"));
    }

    #[test]
    fn the_public_url_is_an_origin() {
        let mut config = Config::default();
        let url =
            |v: &'static str| move |n: &str| (n == "SEMNAL_PUBLIC_URL").then(|| v.to_string());
        config.apply_env(url("https://semnal.apulum.ro/")).unwrap();
        assert_eq!(
            config.public_url.as_deref(),
            Some("https://semnal.apulum.ro")
        );
        assert!(config.apply_env(url("semnal.apulum.ro")).is_err());
        assert!(config
            .apply_env(url("https://semnal.apulum.ro/app"))
            .is_err());
    }
}
