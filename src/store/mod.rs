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

/// A handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: PgPool,
}

impl Store {
    /// Connects to `database_url` with a pool sized for the service.
    pub async fn connect(database_url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(database_url)?.application_name("semnal");
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
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
