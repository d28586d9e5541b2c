//! Integration tests against a real server and a real PostgreSQL + PostGIS database.

mod basemap;
mod errors;
mod generated;
mod helpers;
mod intake;
mod privacy;
mod reading;
mod routing;
mod tiles;
