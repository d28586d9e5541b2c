//! The system of record: PostgreSQL + PostGIS through sqlx. All SQL lives here, one file
//! per aggregate, checked against the schema at compile time (`.sqlx/` holds the offline
//! data for builds without a database).

mod addresses;
mod api_clients;
mod catalog;
mod generated;
mod incidents;
mod photos;
mod zones;

pub use addresses::AddressImport;
pub use api_clients::{ApiClient, ApiClientId, IssuedKey};
pub use catalog::{CatalogRows, RoutingRuleRow};
pub use generated::GeneratedIncident;
pub use incidents::{
    IncidentFilter, IncidentPage, InsertOutcome, MapRow, NewIncident, PublicIncident, PublicUpdate,
    TimelineEntry,
};
pub use photos::{NewPhoto, PublicPhoto};
pub use zones::ZoneImport;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::str::FromStr;
use std::time::Duration;

/// A failure of the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// Whether the database could not be reached or did not answer in time (as opposed to
    /// refusing the statement): worth trying again in a moment.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Sqlx(e) => is_unavailable(e),
            StoreError::Migrate(sqlx::migrate::MigrateError::Execute(e)) => is_unavailable(e),
            StoreError::Migrate(_) | StoreError::Corrupt(_) => false,
        }
    }
}

fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // 08: connection exception; 57P01-03: the server is shutting down or starting;
            // 57014: the statement was cancelled (our statement timeout).
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "57014")
        }),
        _ => false,
    }
}

/// How the service's pool treats a slow or absent database.
#[derive(Debug, Clone, Copy)]
pub struct PoolSettings {
    /// Connections in the pool.
    pub max_connections: u32,
    /// How long a query waits for a connection before failing.
    pub acquire_timeout: Duration,
    /// PostgreSQL cancels a statement running longer (none for tools: migrations and
    /// imports may take their time).
    pub statement_timeout: Option<Duration>,
}

/// A handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: PgPool,
}

impl Store {
    /// Connects to `database_url` for a tool (migrations, imports): no statement timeout.
    pub async fn connect(database_url: &str, max_connections: u32) -> Result<Self, StoreError> {
        Self::connect_with(
            database_url,
            PoolSettings {
                max_connections,
                acquire_timeout: Duration::from_secs(10),
                statement_timeout: None,
            },
        )
        .await
    }

    /// Connects to `database_url` with `settings`.
    pub async fn connect_with(
        database_url: &str,
        settings: PoolSettings,
    ) -> Result<Self, StoreError> {
        let mut options = PgConnectOptions::from_str(database_url)?.application_name("semnal");
        if let Some(limit) = settings.statement_timeout {
            let millis = limit.as_millis().to_string();
            options = options.options([("statement_timeout", millis.as_str())]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(settings.max_connections)
            .acquire_timeout(settings.acquire_timeout)
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }

    /// Applies the pending migrations in `migrations/`.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations").run(&self.pool).await?;
        Ok(())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query_scalar!("SELECT 1 AS \"one!\"")
            .fetch_one(&self.pool)
            .await
            .is_ok()
    }

    /// Closes every connection (needed before a database can be used as a template).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}
