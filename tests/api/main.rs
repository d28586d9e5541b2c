//! Integration tests against a real server and a real PostgreSQL + PostGIS database.

mod addresses;
mod basemap;
mod catalogue_changes;
mod errors;
mod generated;
mod hardening_server;
mod helpers;
mod hostile;
mod intake;
mod open311;
mod privacy;
mod rate_limits;
mod reading;
mod routing;
mod tiles;
