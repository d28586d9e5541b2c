//! Integration tests against a real server and a real PostgreSQL + PostGIS database.

mod addresses;
mod basemap;
mod errors;
mod generated;
mod hardening_server;
mod helpers;
mod hostile;
mod intake;
mod open311;
mod privacy;
mod reading;
mod routing;
mod tiles;
