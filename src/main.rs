//! The `semnal` command: migrate, seed the demo, import zones, serve.

use anyhow::Context;
use clap::{Parser, Subcommand};
use semnal::config::Config;
use semnal::domain::JurisdictionId;
use semnal::store::Store;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "semnal",
    version,
    about = "GIS incident reporting for municipalities"
)]
struct Cli {
    /// PostgreSQL + PostGIS connection URL.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Applies pending database migrations.
    Migrate,
    /// Loads (or refreshes) the demo municipalities (Alba Iulia; central Helsinki on the
    /// offline basemap), optionally with generated incidents in the served jurisdiction.
    SeedDemo {
        /// Generated incidents to add (along streets and around hotspots, over four years, in
        /// every status). Deterministic: running it again adds nothing twice.
        #[arg(long, default_value_t = 0)]
        incidents: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Creates or updates zones from a GeoJSON FeatureCollection (properties `code`, `name`).
    ImportZones {
        /// The jurisdiction the zones belong to.
        #[arg(long, default_value = "alba-iulia")]
        jurisdiction: String,
        file: PathBuf,
    },
    /// Adds addresses to the gazetteer from a GeoJSON FeatureCollection of Points with
    /// `street` and `housenumber` (or OpenStreetMap's `addr:street`, `addr:housenumber`),
    /// optionally `street_other_names` (the street's names in other languages).
    ImportAddresses {
        /// The jurisdiction the addresses belong to.
        #[arg(long, default_value = "alba-iulia")]
        jurisdiction: String,
        file: PathBuf,
    },
    /// Manages the keys Open311 clients file requests with.
    #[command(subcommand)]
    ApiKeys(ApiKeysCommand),
    /// Serves the API.
    Serve {
        /// Address to listen on (overrides `SEMNAL_LISTEN` and `semnal.toml`).
        #[arg(long)]
        listen: Option<std::net::SocketAddr>,
    },
}

#[derive(Subcommand)]
enum ApiKeysCommand {
    /// Issues a key for a client and prints it once (only its hash is kept).
    Create {
        /// Who the key is for, e.g. "Call centre".
        #[arg(long)]
        name: String,
    },
    /// Lists the clients, their key prefixes and whether they are revoked.
    List,
    /// Revokes a client's key: its requests are refused from now on.
    Revoke {
        /// The client's id, as `list` shows it.
        id: i64,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    semnal::telemetry::init_subscriber();
    let cli = Cli::parse();
    let mut config = Config::load()?;
    let database_url = cli.database_url.context("DATABASE_URL is not set")?;
    match cli.command {
        Command::Migrate => {
            store(&database_url, &config).await?.migrate().await?;
            tracing::info!("migrations applied");
        }
        Command::SeedDemo { incidents, seed } => {
            let store = store(&database_url, &config).await?;
            for jurisdiction in semnal::seed::seed_demo(&store).await? {
                tracing::info!(%jurisdiction, "demo municipality loaded");
            }
            if incidents > 0 {
                // Generated where this instance serves (`SEMNAL_JURISDICTION`).
                let jurisdiction =
                    JurisdictionId::parse(&config.jurisdiction).context("jurisdiction id")?;
                let started = std::time::Instant::now();
                let written =
                    semnal::seed::seed_incidents(&store, jurisdiction.clone(), incidents, seed)
                        .await?;
                let elapsed_s = started.elapsed().as_secs();
                tracing::info!(%jurisdiction, written, elapsed_s, "generated incidents");
            }
        }
        Command::ImportZones { jurisdiction, file } => {
            let store = store(&database_url, &config).await?;
            let (jurisdiction, text) = import_source(&store, &jurisdiction, &file).await?;
            let count = semnal::seed::import_zones(&store, &jurisdiction, &text).await?;
            tracing::info!(%jurisdiction, zones = count, "zones imported");
        }
        Command::ImportAddresses { jurisdiction, file } => {
            let store = store(&database_url, &config).await?;
            let (jurisdiction, text) = import_source(&store, &jurisdiction, &file).await?;
            let (written, skipped) =
                semnal::seed::import_addresses(&store, &jurisdiction, &text).await?;
            tracing::info!(%jurisdiction, written, skipped, "addresses imported");
        }
        Command::ApiKeys(command) => {
            let store = store(&database_url, &config).await?;
            api_keys(&store, command).await?;
        }
        Command::Serve { listen } => {
            if let Some(listen) = listen {
                config.listen = listen;
            }
            let address = config.listen;
            let app = semnal::app::App::start(config, &database_url).await?;
            let listener = tokio::net::TcpListener::bind(address)
                .await
                .with_context(|| format!("binding {address}"))?;
            tracing::info!("listening on http://{address}");
            semnal::http::serve(app, listener).await?;
        }
    }
    Ok(())
}

/// The jurisdiction an import is for (which must exist) and the text of the file to import.
async fn import_source(
    store: &Store,
    jurisdiction: &str,
    file: &std::path::Path,
) -> anyhow::Result<(JurisdictionId, String)> {
    let jurisdiction = JurisdictionId::parse(jurisdiction).context("jurisdiction id")?;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    anyhow::ensure!(
        store.jurisdiction_exists(&jurisdiction).await?,
        "unknown jurisdiction {jurisdiction}"
    );
    Ok((jurisdiction, text))
}

async fn api_keys(store: &Store, command: ApiKeysCommand) -> anyhow::Result<()> {
    use semnal::store::ApiClientId;
    match command {
        ApiKeysCommand::Create { name } => {
            anyhow::ensure!(!name.trim().is_empty(), "--name must not be empty");
            let issued = store.issue_api_key(name.trim()).await?;
            println!("client {}: {}", issued.client.id.0, issued.client.name);
            println!("api_key {}", issued.key);
            eprintln!(
                "Hand the key to the client now: it is not stored and cannot be shown again."
            );
        }
        ApiKeysCommand::List => {
            for c in store.api_clients().await? {
                let state = c.revoked_at.map_or("active".to_owned(), |at| {
                    format!("revoked {}", at.to_rfc3339())
                });
                println!(
                    "{}\t{}…\t{}\t{}\tcreated {}",
                    c.id.0,
                    c.key_prefix,
                    c.name,
                    state,
                    c.created_at.to_rfc3339()
                );
            }
        }
        ApiKeysCommand::Revoke { id } => {
            anyhow::ensure!(
                store.revoke_api_client(ApiClientId(id)).await?,
                "no active key with id {id}"
            );
            println!("client {id}: key revoked");
        }
    }
    Ok(())
}

async fn store(database_url: &str, config: &Config) -> anyhow::Result<Store> {
    Ok(Store::connect(database_url, config.db_connections.min(4)).await?)
}
